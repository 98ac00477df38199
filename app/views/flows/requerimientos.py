"""The applicant answers a requerimiento inside the expediente (issue 13 §3): /expedientes/<id>/requerimiento.

Acting as the titular company, the leaf Expedientes → Responder requerimientos; as persona natural, their own (the
platform role «Usuario»). Each point is saved on its own (a text and, for a document, a new PDF) and the answer is
submitted once; before the month runs out the applicant may ask for the one extension. Rules:
app/services/revision/requerimientos.py.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.models.requerimientos import ENVIADO
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_titular, registrar_hojas
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.expedientes import borradores
from app.services.fechas import hoy_en_bogota
from app.services.revision import chequeo, requerimientos
from app.web.subidas import recibir_pdf
from app.web.transaccion import ejecutar, errores_de

VISTA = "RequerimientosView"
MSG_GUARDADO = "Respuesta guardada. Cuando termine todos los puntos, envíe la respuesta."
MSG_RESPONDIDO = "Respuesta enviada al Invima: el término para decidir se reanuda."
MSG_PRORROGA = "Plazo prorrogado hasta el {fecha}. La ley permite una sola prórroga."
MSG_SIN_REQUERIMIENTO = "El expediente no tiene un requerimiento pendiente de respuesta."


def _hoy():
    return hoy_en_bogota()


class RequerimientosView(BaseView):
    route_base = "/expedientes"
    class_permission_name = VISTA
    default_view = "ver"
    base_permissions = ["can_responder"]
    method_permission_name = {
        "ver": "responder",
        "guardar": "responder",
        "prorrogar": "responder",
        "responder": "responder",
    }

    def _pagina(self, expediente_id: int, errores=None, status=200):
        expediente = borradores.obtener(db.session, expediente_id)
        requerimiento = requerimientos.abierto(db.session, expediente.id)
        if requerimiento is None or requerimiento.estado != ENVIADO:
            raise NoEncontrado(MSG_SIN_REQUERIMIENTO)
        lineas = {x.requisito.codigo: x.requisito for x in borradores.checklist(expediente)}
        return self.render_template(
            "expedientes/requerimiento.html",
            title=f"Requerimiento n.º {requerimiento.numero} del radicado {expediente.radicado}",
            expediente=expediente,
            requerimiento=requerimiento,
            requisitos=lineas,
            nombres=chequeo.nombres_de_requisitos(expediente),
            anexos={a.clave: a for a in requerimiento.anexos},
            vencido=requerimiento.plazo_hasta is not None and _hoy() > requerimiento.plazo_hasta,
            errores=errores or {},
        ), status

    @expose("/<int:expediente_id>/requerimiento")
    @acceso_de_titular
    def ver(self, expediente_id: int):
        return self._pagina(expediente_id)

    @expose("/<int:expediente_id>/requerimiento/<clave>", methods=["POST"])
    @acceso_de_titular
    def guardar(self, expediente_id: int, clave: str):
        borradores.obtener(db.session, expediente_id)  # the titular's, or 404 before touching any file
        try:
            documento = recibir_pdf()
        except ErrorDominio as error:
            return self._pagina(expediente_id, {clave: [error.mensaje]}, 400)
        resultado = ejecutar(
            lambda: requerimientos.guardar_respuesta(
                db.session, expediente_id, clave, request.form.get("respuesta"), documento, g.user.id, _hoy()
            ),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        flash(MSG_GUARDADO, "success")
        return redirect(url_for(".ver", expediente_id=expediente_id) + f"#punto-{clave}")

    @expose("/<int:expediente_id>/requerimiento/prorroga", methods=["POST"])
    @acceso_de_titular
    def prorrogar(self, expediente_id: int):
        borradores.obtener(db.session, expediente_id)
        resultado = ejecutar(
            lambda: requerimientos.prorrogar(db.session, expediente_id, g.user.id, _hoy()).plazo_hasta, flashear=False
        )
        if not resultado:
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        flash(MSG_PRORROGA.format(fecha=resultado.valor.isoformat()), "success")
        return redirect(url_for(".ver", expediente_id=expediente_id))

    @expose("/<int:expediente_id>/requerimiento/responder", methods=["POST"])
    @acceso_de_titular
    def responder(self, expediente_id: int):
        borradores.obtener(db.session, expediente_id)
        resultado = ejecutar(
            lambda: requerimientos.responder(
                db.session, expediente_id, request.form.get("respuesta"), g.user.id, _hoy()
            ),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        flash(MSG_RESPONDIDO, "success")
        return redirect(url_for("ExpedientesView.ver", expediente_id=expediente_id))


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(RequerimientosView)
    registrar_hojas(RequerimientosView, ("expedientes.requerimientos", "responder"))
    VISTAS.registrar_de_titular(VISTA)
