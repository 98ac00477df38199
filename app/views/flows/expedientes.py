"""Filing a trámite: the draft wizard, its checklist, the responsable técnico's confirmation and «Radicar» (issue 12
§2–§3). «Mis expedientes», the list, is a generated screen (app/views/crud/expedientes.py).

Thin views over app/services/expedientes: each POST runs one service call inside the unit of work
(app/web/transaccion.py); a domain error is shown on the page (400), another titular's expediente is a 404.

Who: acting as a company, the leaves Expedientes → Ver / Crear y editar borradores / Radicar of the person's roles;
acting as themself, a person files as persona natural where the trámite allows it (`@acceso_de_titular`).
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.extensions import db
from app.models.expedientes import (
    CLAVE_AUTORIZACION_TASA,
    ESTADO_ASIGNADO,
    ESTADO_BORRADOR,
    ESTADO_RADICADO,
    ESTADO_REQUERIMIENTO_ENVIADO,
)
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_titular, registrar_hojas
from app.services import constancia, documentos, registros
from app.services.enlaces import url_publica
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.expedientes import borradores, radicacion, reglas
from app.services.expedientes import secciones as sec
from app.services.fechas import hoy_en_bogota
from app.services.revision import eventos, notificaciones, recursos, requerimientos
from app.services.texto import resumir
from app.web.descargas import respuesta_pdf
from app.web.subidas import recibir_pdf
from app.web.transaccion import ejecutar, errores_de

PERMISO_VISTA = "Expedientes"
MENU = "Trámites"

MSG_CREADO = "Borrador creado. Complete cada sección y la lista de chequeo; puede guardar y volver cuando quiera."
MSG_SECCION_GUARDADA = "Sección «{titulo}» guardada."
MSG_ANEXO = "Documento «{nombre}» guardado ({folios} folio{s})."
MSG_ANEXO_NO = "Anotado: «{nombre}» no se adjunta."
MSG_RT_NOMBRADO = "Responsable técnico nombrado. Debe confirmar la solicitud antes de radicarla."
MSG_RADICADO = "Solicitud radicada con el número {radicado}. Enviamos la constancia firmada a {correos}."
MSG_ELIMINADO = "Borrador eliminado."
MSG_CONFIRMADO = "Confirmó la solicitud de {titular}."


def titular_de_la_peticion() -> borradores.Titular:
    if g.get("empresa_id") is not None:
        return borradores.Titular(empresa_id=g.empresa_id)
    return borradores.Titular(persona_id=g.user.id)


def url_verificacion(radicado: str, codigo: str | None = None) -> str:
    """The public page of a radicado: with the code, what the constancia's QR opens; without, the one that asks."""
    if codigo is None:
        return url_publica(url_for("ConsultaPublicaView.index", radicado=radicado))
    return url_publica(url_for("ConsultaPublicaView.radicado", radicado=radicado, codigo=codigo))


def firmante():
    return constancia.firmante_de_app(current_app.config)


class ExpedientesView(BaseView):
    route_base = "/expedientes"
    class_permission_name = PERMISO_VISTA
    default_view = "nuevo"
    method_permission_name = {
        "nuevo": "borradores",
        "crear": "borradores",
        "seccion": "borradores",
        "guardar_seccion": "borradores",
        "anexo": "borradores",
        "responsable": "borradores",
        "eliminar": "borradores",
        "ver": "ver",
        "documento": "ver",
        "constancia": "ver",
        "radicar": "radicar",
    }

    # ------------------------------------------------------------ a new draft

    def _pagina_nueva(self, errores=None, status=200):
        titular = titular_de_la_peticion()
        versiones = borradores.tramites_disponibles(db.session, persona_natural=titular.persona_id is not None)
        elegida = next((v for v in versiones if str(v.id) == (request.values.get("tramite") or "")), None)
        return self.render_template(
            "expedientes/nuevo.html",
            title="Nuevo trámite",
            versiones=versiones,
            elegida=elegida,
            errores=errores or {},
            como_persona=titular.persona_id is not None,
        ), status

    @expose("/nuevo")
    @acceso_de_titular
    def nuevo(self):
        return self._pagina_nueva()

    @expose("/nuevo", methods=["POST"])
    @acceso_de_titular
    def crear(self):
        f = request.form
        resultado = ejecutar(
            lambda: borradores.crear(
                db.session, titular_de_la_peticion(), g.user.id, f.get("tramite"), f.get("modalidad"), f.get("variante")
            ),
            flashear=False,
        )
        if not resultado:
            return self._pagina_nueva(errores_de(resultado.error), 400)
        flash(MSG_CREADO, "success")
        return redirect(url_for("ExpedientesView.ver", expediente_id=resultado.valor.id))

    # ------------------------------------------------------------ the expediente

    def _pagina(self, expediente_id, errores=None, status=200):
        expediente = borradores.obtener(db.session, expediente_id)
        borrador = expediente.estado == ESTADO_BORRADOR
        hoy = hoy_en_bogota()
        return self.render_template(
            "expedientes/ver.html",
            title=f"Expediente {expediente.radicado_o_borrador}",
            expediente=expediente,
            secciones=sec.secciones_de(expediente.version),
            checklist=borradores.checklist(expediente),
            problemas=radicacion.problemas(db.session, expediente, hoy) if borrador else [],
            faltantes=reglas.documentos_faltantes(expediente) if borrador else [],
            responsables=borradores.responsables_disponibles(db.session, expediente) if borrador else [],
            tasa_tercero=(expediente.datos.get("pago") or {}).get("tercero") == "si",
            anexo_tasa=borradores.anexo_por_clave(expediente, CLAVE_AUTORIZACION_TASA),
            clave_tasa=CLAVE_AUTORIZACION_TASA,
            declaradas_en=borradores.SECCIONES_QUE_DECLARAN,
            puede_editar=borrador and self.appbuilder.sm.has_access("can_borradores", PERMISO_VISTA),
            puede_radicar=borrador and self.appbuilder.sm.has_access("can_radicar", PERMISO_VISTA),
            errores=errores or {},
            max_mb=documentos.megabytes(current_app.config["DOCUMENTO_MAX_BYTES"]),
            historial=[] if borrador else eventos.publicos(db.session, expediente.id),
            actos=_actos(expediente, hoy),
            registro=_registro(expediente, hoy),
            requerimiento=(
                requerimientos.abierto(db.session, expediente.id)
                if expediente.estado == ESTADO_REQUERIMIENTO_ENVIADO
                else None
            ),
        ), status

    @expose("/<int:expediente_id>/")
    @acceso_de_titular
    def ver(self, expediente_id: int):
        return self._pagina(expediente_id)

    @expose("/<int:expediente_id>/secciones/<codigo>")
    @acceso_de_titular
    def seccion(self, expediente_id: int, codigo: str):
        expediente = borradores.obtener(db.session, expediente_id)
        return self._pagina_seccion(expediente, codigo, expediente.datos.get(codigo) or {}, {})

    def _pagina_seccion(self, expediente, codigo, valores, errores, status=200):
        seccion = sec.seccion(expediente.version, codigo)
        if seccion is None or expediente.estado != ESTADO_BORRADOR:
            return redirect(url_for("ExpedientesView.ver", expediente_id=expediente.id))
        return self.render_template(
            "expedientes/seccion.html",
            title=seccion.titulo,
            expediente=expediente,
            seccion=seccion,
            valores=valores,
            errores=errores,
            opciones=_opciones_visibles(expediente),
            max_filas=sec.MAX_FILAS,
            declaraciones=borradores.declaraciones(expediente) if codigo == "declaracion" else [],
        ), status

    @expose("/<int:expediente_id>/secciones/<codigo>", methods=["POST"])
    @acceso_de_titular
    def guardar_seccion(self, expediente_id: int, codigo: str):
        resultado = ejecutar(
            lambda: borradores.guardar_seccion(db.session, expediente_id, codigo, request.form, g.user.id),
            flashear=False,
        )
        if resultado:
            titulo = sec.seccion(resultado.valor.version, codigo).titulo
            flash(MSG_SECCION_GUARDADA.format(titulo=titulo), "success")
            return redirect(url_for("ExpedientesView.ver", expediente_id=expediente_id))
        if not isinstance(resultado.error, ErroresValidacion):  # e.g. radicado meanwhile: said on its page
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        expediente = borradores.obtener(db.session, expediente_id)
        valores = _valores_posteados(sec.seccion(expediente.version, codigo))
        return self._pagina_seccion(expediente, codigo, valores, errores_de(resultado.error), 400)

    @expose("/<int:expediente_id>/anexos/<clave>", methods=["POST"])
    @acceso_de_titular
    def anexo(self, expediente_id: int, clave: str):
        adjunto = request.form.get("adjunto") != "no"
        try:
            documento = recibir_pdf() if adjunto else None
        except ErrorDominio as error:
            return self._pagina(expediente_id, {clave: [error.mensaje]}, 400)
        resultado = ejecutar(
            lambda: borradores.guardar_anexo(db.session, expediente_id, clave, adjunto, documento, g.user.id),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente_id, {clave: [resultado.error.mensaje]}, 400)
        anexo = resultado.valor
        nombre = resumir(anexo.requisito.nombre if anexo.requisito else "Autorización de uso de la tasa")
        if adjunto:
            mensaje = MSG_ANEXO.format(nombre=nombre, folios=anexo.folios, s="" if anexo.folios == 1 else "s")
        else:
            mensaje = MSG_ANEXO_NO.format(nombre=nombre)
        flash(mensaje, "success")
        return redirect(url_for("ExpedientesView.ver", expediente_id=expediente_id) + f"#requisito-{clave}")

    @expose("/<int:expediente_id>/anexos/<int:anexo_id>/pdf")
    @acceso_de_titular
    def documento(self, expediente_id: int, anexo_id: int):
        anexo = borradores.anexo_de(borradores.obtener(db.session, expediente_id), anexo_id)
        return respuesta_pdf(anexo.sha256, anexo.nombre_archivo, en_linea=request.args.get("ver") == "1")

    @expose("/<int:expediente_id>/responsable", methods=["POST"])
    @acceso_de_titular
    def responsable(self, expediente_id: int):
        resultado = ejecutar(
            lambda: borradores.nombrar_responsable(db.session, expediente_id, request.form.get("vinculo"), g.user.id),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente_id, {"responsable": [resultado.error.mensaje]}, 400)
        flash(MSG_RT_NOMBRADO, "success")
        return redirect(url_for("ExpedientesView.ver", expediente_id=expediente_id))

    @expose("/<int:expediente_id>/eliminar", methods=["POST"])
    @acceso_de_titular
    def eliminar(self, expediente_id: int):
        resultado = ejecutar(
            lambda: borradores.eliminar(db.session, expediente_id, g.user.id, titular_de_la_peticion()), flashear=False
        )
        if not resultado:  # e.g. radicado meanwhile in another tab: the expediente stays, and says why
            return self._pagina(expediente_id, {"": [resultado.error.mensaje]}, 400)
        flash(MSG_ELIMINADO, "success")
        return redirect(url_for("MisExpedientesView.list"))

    # ------------------------------------------------------------ radicar and the constancia

    @expose("/<int:expediente_id>/radicar", methods=["POST"])
    @acceso_de_titular
    def radicar(self, expediente_id: int):
        resultado = ejecutar(
            lambda: radicacion.radicar(
                db.session,
                expediente_id,
                g.user,
                request.form.get("bajo_insistencia"),
                firmante=firmante(),
                config=current_app.config,
                url_verificacion=url_verificacion,
            ),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        hecho = resultado.valor
        flash(MSG_RADICADO.format(radicado=hecho.radicado, correos=", ".join(hecho.destinatarios)), "success")
        return redirect(url_for("ExpedientesView.ver", expediente_id=expediente_id))

    @expose("/<int:expediente_id>/constancia")
    @acceso_de_titular
    def constancia(self, expediente_id: int):
        expediente = borradores.obtener(db.session, expediente_id)
        if not expediente.constancia_sha256:
            abort(404)
        return respuesta_pdf(
            expediente.constancia_sha256, f"constancia-{expediente.radicado}.pdf", request.args.get("ver") == "1"
        )


def _actos(expediente, hoy) -> list:
    """The acts issued on the expediente, how their notification stands and, for a decision, its recursos and
    firmeza (none before the verification: no statement then; a decision repuesta brings it back to verification)."""
    if expediente.estado in (ESTADO_BORRADOR, ESTADO_RADICADO, ESTADO_ASIGNADO):
        return []
    notificadas = notificaciones.de_expediente(db.session, expediente.id)
    situaciones = recursos.situaciones(db.session, expediente.id, hoy) if notificadas else {}
    return [(n, notificaciones.estado(n, hoy), situaciones.get(n.acto_id)) for n in notificadas]


def _registro(expediente, hoy) -> tuple | None:
    """The registro the expediente granted or acted on, and its estado today in words; None (no statement) if none."""
    registro = registros.del_expediente(db.session, expediente)
    if registro is None:
        return None
    return registro, registros.situacion(registro, hoy, registros.cambio_pendiente(db.session, expediente.id))


def _opciones_visibles(expediente) -> dict[str, list[tuple[str, str]]]:
    version = expediente.version
    tarifas = [
        (t.codigo, f"{t.codigo} — {t.variante}" if t.variante else t.codigo)
        for t in version.tarifas
        if not expediente.variante or t.variante == expediente.variante
    ]
    tipos = [
        (t.codigo, f"{t.nombre}" + (f" (tarifa {t.tarifa})" if t.tarifa else "")) for t in version.tipos_modificacion
    ]
    return {"tarifa": tarifas, "tipos": tipos}


def _valores_posteados(seccion) -> dict:
    valores = {}
    for campo in seccion.campos:
        if campo.tipo == "filas":
            valores[campo.nombre] = sec.filas_posteadas(request.form, campo)
        elif campo.tipo == "varias":
            valores[campo.nombre] = request.form.getlist(campo.nombre)
        else:
            valores[campo.nombre] = (request.form.get(campo.nombre) or "")[: campo.maximo + 10]
    return valores


class ConfirmacionesView(BaseView):
    """The responsable técnico's side: the NSO drafts that name them, to confirm (any activated account)."""

    route_base = "/expedientes/confirmaciones"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        return self.render_template(
            "expedientes/confirmaciones.html",
            title="Solicitudes por confirmar como responsable técnico",
            pendientes=borradores.pendientes_de_confirmar(db.session, g.user.id),
        )

    @expose("/<int:expediente_id>", methods=["POST"])
    @has_access
    def confirmar(self, expediente_id: int):
        resultado = ejecutar(lambda: borradores.confirmar_como_responsable(db.session, expediente_id, g.user.id))
        if resultado:
            flash(MSG_CONFIRMADO.format(titular=resultado.valor.titular_nombre), "success")
        return redirect(url_for("ConfirmacionesView.index"))


def register(appbuilder) -> None:
    appbuilder.add_view(ExpedientesView, "Nuevo trámite", href="/expedientes/nuevo", icon="fa-plus", category=MENU)
    appbuilder.add_view(
        ConfirmacionesView,
        "Confirmar como responsable técnico",
        href="/expedientes/confirmaciones/",
        icon="fa-check-square-o",
        category=MENU,
    )
    registrar_hojas(ExpedientesView, ("expedientes.ver", "ver"))
    registrar_hojas(ExpedientesView, ("expedientes.borradores", "borradores"), menu=(MENU, "Nuevo trámite"))
    registrar_hojas(ExpedientesView, ("expedientes.radicar", "radicar"))
    VISTAS.registrar_de_titular(PERMISO_VISTA, MENU, "Nuevo trámite")
