"""The checklist verification of a radicated expediente (issue 13 §2): one screen with the requisitos and their
VERIFICACIÓN on one side and the selected document on the other, the VoBo Legal / VoBo Técnico and their history.

Thin view over app/services/revision/chequeo.py: each POST is one service call in the unit of work
(app/web/transaccion.py), then a redirect back to the same row; a domain error re-renders the page with the message
next to the row (400), a line of another parte is a 403, another grupo's expediente a 404 (the tenancy filter does
not find it). Posting with `Accept: application/json` (the page's small script, static/js/verificacion_revision.js)
gets the same answers as JSON; without JavaScript every form works as a plain POST.

Who: every staff role sees (can_ver); a Revisor legal verifies and gives the VoBo of the legal parte
(can_verificar_legal), a Revisor técnico those of the técnica (can_verificar_tecnico); a Coordinador withdraws a
VoBo (can_retirar_vobo). Every method passes `@acceso_de_funcionario` (an active funcionario, acting as nobody).
"""

from __future__ import annotations

from flask import flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.models.catalogo import PARTE_EN_FRASE, PARTE_LEGAL, PARTE_TECNICA, PARTES_REQUISITO
from app.models.revision import RESULTADOS
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_funcionario
from app.services.expedientes import borradores
from app.services.fechas import fecha_hora, hoy_en_bogota
from app.services.revision import chequeo
from app.web.descargas import respuesta_pdf
from app.web.transaccion import Resultado, ejecutar, errores_de

PERMISO_VISTA = "VerificacionView"

MSG_VERIFICADO = "«{nombre}»: {resultado}."
MSG_VOBO = "VoBo {parte} registrado con su código {codigo} y fecha {fecha}."
MSG_VOBO_RETIRADO = "VoBo {parte} retirado. El revisor de esa parte puede volver a verificar y dar su VoBo."


def _quiere_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


class VerificacionView(BaseView):
    route_base = "/revision/expedientes"
    class_permission_name = PERMISO_VISTA
    default_view = "ver"
    method_permission_name = {
        "ver": "ver",
        "documento": "ver",
        "verificar_legal": "verificar_legal",
        "vobo_legal": "verificar_legal",
        "verificar_tecnico": "verificar_tecnico",
        "vobo_tecnico": "verificar_tecnico",
        "retirar_vobo": "retirar_vobo",
    }

    # ------------------------------------------------------------ the screen

    def _partes_del_revisor(self) -> tuple[str, ...]:
        sm = self.appbuilder.sm
        return tuple(p for p in (PARTE_LEGAL, PARTE_TECNICA) if sm.has_access(f"can_verificar_{p}", PERMISO_VISTA))

    def _pagina(self, expediente_id, errores=None, status=200, posteado=None, ver=None):
        estado = chequeo.estado_de(db.session, expediente_id)
        expediente = estado.expediente
        elegida = estado.linea(ver or request.args.get("ver") or "") or next(
            (x for x in estado.lineas if x.documento is not None), None
        )
        return self.render_template(
            "revision/verificacion.html",
            title=f"Verificación del radicado {expediente.radicado}",
            estado=estado,
            expediente=expediente,
            termino=chequeo.termino_de(expediente, hoy_en_bogota()),
            formulario=chequeo.datos_del_formulario(expediente),
            elegida=elegida,
            partes_del_revisor=self._partes_del_revisor(),
            puede_retirar=self.appbuilder.sm.has_access("can_retirar_vobo", PERMISO_VISTA),
            codigo_funcionario=g.codigo_funcionario,
            resultados=RESULTADOS,
            nombres_partes=PARTES_REQUISITO,
            partes_en_frase=PARTE_EN_FRASE,
            texto_retiro=chequeo.texto_retiro,
            errores=errores or {},
            posteado=posteado or {},
        ), status

    @expose("/<int:expediente_id>/")
    @acceso_de_funcionario
    def ver(self, expediente_id: int):
        return self._pagina(expediente_id)

    @expose("/<int:expediente_id>/documentos/<int:anexo_id>")
    @acceso_de_funcionario
    def documento(self, expediente_id: int, anexo_id: int):
        """The PDF of a checklist line, shown inline in the screen's frame: sandboxed, framed only by the portal."""
        anexo = borradores.anexo_de(chequeo.radicado_de_sus_grupos(db.session, expediente_id), anexo_id)
        respuesta = respuesta_pdf(anexo.sha256, anexo.nombre_archivo, en_linea=True)
        respuesta.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'self'"
        respuesta.headers["X-Frame-Options"] = "SAMEORIGIN"
        return respuesta

    # ------------------------------------------------------------ verifying a line

    def _verificar(self, expediente_id: int, clave: str, parte: str):
        f = request.form
        resultado = ejecutar(
            lambda: chequeo.verificar(
                db.session,
                expediente_id,
                clave,
                f.get("resultado"),
                f.get("observacion"),
                parte,
                g.user.id,
                request.remote_addr,
            ),
            flashear=False,
        )
        volver = url_for("VerificacionView.ver", expediente_id=expediente_id, ver=clave) + f"#requisito-{clave}"
        if resultado:
            verificacion = resultado.valor
            if _quiere_json():
                return jsonify(
                    {
                        "clave": clave,
                        "resultado": verificacion.resultado,
                        "observacion": verificacion.observacion or "",
                        "por": f"{g.user.first_name} {g.user.last_name}",
                        "en": fecha_hora(verificacion.en),
                        "mensaje": f"Verificación guardada: {verificacion.resultado}.",
                    }
                )
            flash(f"Verificación guardada: {verificacion.resultado}.", "success")
            return redirect(volver)
        return self._error(expediente_id, resultado, clave, posteado={clave: dict(f)}, ver=clave)

    def _error(self, expediente_id: int, resultado: Resultado, campo: str, posteado=None, ver=None):
        status = 403 if isinstance(resultado.error, chequeo.ParteAjena) else 400
        errores = errores_de(resultado.error)
        if _quiere_json():
            return jsonify({"errores": errores, "mensaje": resultado.error.mensaje}), status
        return self._pagina(expediente_id, {campo: [m for ms in errores.values() for m in ms]}, status, posteado, ver)

    @expose("/<int:expediente_id>/legal/requisitos/<clave>", methods=["POST"])
    @acceso_de_funcionario
    def verificar_legal(self, expediente_id: int, clave: str):
        return self._verificar(expediente_id, clave, PARTE_LEGAL)

    @expose("/<int:expediente_id>/tecnico/requisitos/<clave>", methods=["POST"])
    @acceso_de_funcionario
    def verificar_tecnico(self, expediente_id: int, clave: str):
        return self._verificar(expediente_id, clave, PARTE_TECNICA)

    # ------------------------------------------------------------ VoBo

    def _vobo(self, expediente_id: int, parte: str):
        resultado = ejecutar(
            lambda: chequeo.dar_vobo(
                db.session, expediente_id, parte, g.codigo_funcionario, g.user.id, request.remote_addr
            ),
            flashear=False,
        )
        if not resultado:
            return self._error(expediente_id, resultado, f"vobo-{parte}")
        vobo = resultado.valor
        flash(
            MSG_VOBO.format(parte=PARTES_REQUISITO[parte], codigo=vobo.codigo, fecha=vobo.fecha.isoformat()), "success"
        )
        return redirect(url_for("VerificacionView.ver", expediente_id=expediente_id) + "#vobos")

    @expose("/<int:expediente_id>/legal/vobo", methods=["POST"])
    @acceso_de_funcionario
    def vobo_legal(self, expediente_id: int):
        return self._vobo(expediente_id, PARTE_LEGAL)

    @expose("/<int:expediente_id>/tecnico/vobo", methods=["POST"])
    @acceso_de_funcionario
    def vobo_tecnico(self, expediente_id: int):
        return self._vobo(expediente_id, PARTE_TECNICA)

    @expose("/<int:expediente_id>/vobos/<int:vobo_id>/retirar", methods=["POST"])
    @acceso_de_funcionario
    def retirar_vobo(self, expediente_id: int, vobo_id: int):
        resultado = ejecutar(
            lambda: chequeo.retirar_vobo(
                db.session, expediente_id, vobo_id, request.form.get("motivo"), g.user.id, request.remote_addr
            ),
            flashear=False,
        )
        if not resultado:
            return self._error(
                expediente_id, resultado, f"retiro-{vobo_id}", posteado={f"retiro-{vobo_id}": dict(request.form)}
            )
        flash(MSG_VOBO_RETIRADO.format(parte=PARTES_REQUISITO[resultado.valor.parte]), "success")
        return redirect(url_for("VerificacionView.ver", expediente_id=expediente_id) + "#vobos")


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(VerificacionView())
    VISTAS.registrar_de_funcionario(PERMISO_VISTA)
