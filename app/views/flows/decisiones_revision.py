"""Revisión → an expediente's actuaciones (issue 13 §3–§5): requerimientos, decisions and their notification.

/revision/expedientes/<id>/actuaciones shows, for staff of the expediente's grupo, the requerimientos (with what each
answer changed: the document before and after, with their SHA-256), the acts issued and how their notification
stands, and the forms: a reviewer drafts the requerimiento from the *No cumple* verifications; the coordinator sends
it, approves, denies or declares the desistimiento, and records a personal notification. Thin: the rules are in
app/services/revision/ (requerimientos.py, decisiones.py, notificaciones.py).
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.actos import ActoAdministrativo, Notificacion
from app.models.expedientes import ESTADOS_CERRADOS, Expediente
from app.models.revision import NO_CUMPLE, VerificacionRequisito
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_funcionario
from app.services.enlaces import url_notificacion, url_verificacion_acto
from app.services.errores import NoEncontrado
from app.services.expedientes import borradores
from app.services.fechas import hoy_en_bogota
from app.services.reloj import ahora
from app.services.revision import chequeo, decisiones, notificaciones, plazos, recursos, requerimientos
from app.web.descargas import respuesta_pdf
from app.web.transaccion import ejecutar, errores_de

VISTA = "DecisionRevisionView"
MSG_ENVIADO = "Requerimiento enviado como {acto}; el término para decidir queda suspendido hasta la respuesta."
MSG_DECISION = "Acto emitido: {acto} ({clase}). Se notifica al titular."
MSG_BORRADOR = "Requerimiento guardado en borrador; el coordinador lo revisa y lo envía."
MSG_NOTIFICADO = "Notificación personal registrada."
MSG_AVISO = "Notificación por aviso registrada: {estado}."
MSG_RECURSO = "Acto emitido: {acto} (recurso de reposición resuelto). Se notifica al titular."


def entorno() -> decisiones.Entorno:
    return decisiones.Entorno(g.user, ahora(), current_app.config, url_verificacion_acto, url_notificacion)


class DecisionRevisionView(BaseView):
    route_base = "/revision/expedientes"
    class_permission_name = VISTA
    default_view = "actuaciones"
    base_permissions = ["can_ver", "can_requerir", "can_decidir"]
    method_permission_name = {
        "actuaciones": "ver",
        "acto": "ver",
        "constancia_notificacion": "ver",
        "redactar": "requerir",
        "descartar": "requerir",
        "enviar": "decidir",
        "aprobar": "decidir",
        "negar": "decidir",
        "desistir": "decidir",
        "personal": "decidir",
        "aviso": "decidir",
        "resolver_recurso": "decidir",
        "pruebas_recurso": "ver",
    }

    def _pagina(self, expediente_id: int, errores=None, status=200):
        expediente = db.session.scalar(
            select(Expediente)
            .where(Expediente.id == expediente_id, Expediente.radicado.is_not(None))
            .options(*borradores.CARGA_DEL_EXPEDIENTE)
        )
        if expediente is None:
            raise NoEncontrado(requerimientos.MSG_NO_ENCONTRADO)
        lista = requerimientos.de_expediente(db.session, expediente.id)
        hoy = hoy_en_bogota()
        notificadas = notificaciones.de_expediente(db.session, expediente.id)
        sm = self.appbuilder.sm
        abierto = next((r for r in lista if r.estado in ("Borrador", "Enviado")), None)
        no_cumple = db.session.scalars(
            select(VerificacionRequisito)
            .where(VerificacionRequisito.expediente_id == expediente.id, VerificacionRequisito.resultado == NO_CUMPLE)
            .order_by(VerificacionRequisito.id)
        ).all()
        return self.render_template(
            "revision/actuaciones.html",
            title=f"Actuaciones del radicado {expediente.radicado}",
            expediente=expediente,
            requerimientos=lista,
            cambios=requerimientos.cambios(expediente, lista),
            abierto=abierto,
            no_cumple=no_cumple,
            puntos=requerimientos.puntos_a_redactar(no_cumple, abierto),
            notificaciones=[(n, notificaciones.estado(n, hoy)) for n in notificadas],
            avisables={n.id for n in notificadas if notificaciones.aviso_procede(n, hoy)},
            vias_aviso=notificaciones.VIAS_AVISO,
            nombres=chequeo.nombres_de_requisitos(expediente),
            transcurridos=plazos.transcurridos(expediente, hoy),
            faltan_vobo=decisiones.vobos_que_faltan(db.session, expediente),
            decidido=expediente.estado in ESTADOS_CERRADOS,
            situaciones=recursos.situaciones(db.session, expediente.id, hoy),
            recurso=recursos.pendiente(db.session, expediente.id),
            hoy=hoy,
            puede_requerir=sm.has_access("can_requerir", VISTA),
            puede_decidir=sm.has_access("can_decidir", VISTA),
            errores=errores or {},
        ), status

    @expose("/<int:expediente_id>/actuaciones")
    @acceso_de_funcionario
    def actuaciones(self, expediente_id: int):
        return self._pagina(expediente_id)

    def _hacer(self, expediente_id: int, accion, mensaje=None):
        resultado = ejecutar(accion, flashear=False)
        if not resultado:
            return self._pagina(expediente_id, errores_de(resultado.error), 400)
        if mensaje:
            flash(mensaje(resultado.valor), "success")
        return redirect(url_for(".actuaciones", expediente_id=expediente_id))

    @expose("/<int:expediente_id>/requerimiento", methods=["POST"])
    @acceso_de_funcionario
    def redactar(self, expediente_id: int):
        cambios = {k[4:]: v for k, v in request.form.items() if k.startswith("obs-")}
        return self._hacer(
            expediente_id,
            lambda: requerimientos.redactar(db.session, expediente_id, request.form.get("texto"), g.user.id, cambios),
            lambda _: MSG_BORRADOR,
        )

    @expose("/<int:expediente_id>/requerimiento/descartar", methods=["POST"])
    @acceso_de_funcionario
    def descartar(self, expediente_id: int):
        return self._hacer(expediente_id, lambda: requerimientos.descartar(db.session, expediente_id, g.user.id))

    @expose("/<int:expediente_id>/requerimiento/enviar", methods=["POST"])
    @acceso_de_funcionario
    def enviar(self, expediente_id: int):
        return self._hacer(
            expediente_id,
            lambda: decisiones.enviar_requerimiento(db.session, expediente_id, entorno()).numero_texto,
            lambda acto: MSG_ENVIADO.format(acto=acto),
        )

    def _decidir(self, expediente_id: int, funcion, clase: str):
        return self._hacer(
            expediente_id,
            lambda: funcion(db.session, expediente_id, request.form.get("motivacion"), entorno()).numero_texto,
            lambda acto: MSG_DECISION.format(acto=acto, clase=clase),
        )

    @expose("/<int:expediente_id>/aprobar", methods=["POST"])
    @acceso_de_funcionario
    def aprobar(self, expediente_id: int):
        return self._decidir(expediente_id, decisiones.aprobar, "aprobación")

    @expose("/<int:expediente_id>/negar", methods=["POST"])
    @acceso_de_funcionario
    def negar(self, expediente_id: int):
        return self._decidir(expediente_id, decisiones.negar, "negación")

    @expose("/<int:expediente_id>/desistir", methods=["POST"])
    @acceso_de_funcionario
    def desistir(self, expediente_id: int):
        return self._decidir(expediente_id, decisiones.desistir, "desistimiento tácito")

    def _notificacion(self, expediente_id: int, notificacion_id: int) -> tuple[Expediente, Notificacion]:
        expediente = db.session.scalar(select(Expediente).where(Expediente.id == expediente_id))
        notificacion = db.session.scalar(
            select(Notificacion)
            .where(Notificacion.id == notificacion_id, Notificacion.expediente_id == expediente_id)
            .options(selectinload(Notificacion.acto))
        )
        if expediente is None or notificacion is None:
            raise NoEncontrado(requerimientos.MSG_NO_ENCONTRADO)
        return expediente, notificacion

    @expose("/<int:expediente_id>/notificaciones/<int:notificacion_id>/personal", methods=["POST"])
    @acceso_de_funcionario
    def personal(self, expediente_id: int, notificacion_id: int):
        expediente, notificacion = self._notificacion(expediente_id, notificacion_id)
        return self._hacer(
            expediente_id,
            lambda: notificaciones.registrar_personal(
                db.session,
                notificacion,
                expediente,
                g.user,
                request.form.get("notificado"),
                ahora(),
                current_app.config,
                url_verificacion_acto,
            ),
            lambda _: MSG_NOTIFICADO,
        )

    @expose("/<int:expediente_id>/notificaciones/<int:notificacion_id>/aviso", methods=["POST"])
    @acceso_de_funcionario
    def aviso(self, expediente_id: int, notificacion_id: int):
        expediente, notificacion = self._notificacion(expediente_id, notificacion_id)
        momento = ahora()
        return self._hacer(
            expediente_id,
            lambda: notificaciones.registrar_aviso(
                db.session,
                notificacion,
                expediente,
                g.user,
                request.form,
                momento,
                current_app.config,
                url_verificacion_acto,
            ),
            lambda _: MSG_AVISO.format(estado=notificaciones.estado(notificacion, hoy_en_bogota())),
        )

    @expose("/<int:expediente_id>/recurso", methods=["POST"])
    @acceso_de_funcionario
    def resolver_recurso(self, expediente_id: int):
        return self._hacer(
            expediente_id,
            lambda: (
                recursos.resolver(
                    db.session, expediente_id, request.form.get("decision"), request.form.get("motivacion"), entorno()
                ).numero_texto
            ),
            lambda acto: MSG_RECURSO.format(acto=acto),
        )

    @expose("/<int:expediente_id>/recursos/<int:recurso_id>/pruebas")
    @acceso_de_funcionario
    def pruebas_recurso(self, expediente_id: int, recurso_id: int):
        recurso = recursos.con_pruebas(db.session, expediente_id, recurso_id)
        return respuesta_pdf(recurso.pruebas_sha256, recurso.pruebas_nombre or "pruebas.pdf", True)

    @expose("/<int:expediente_id>/actos/<int:acto_id>")
    @acceso_de_funcionario
    def acto(self, expediente_id: int, acto_id: int):
        acto = db.session.scalar(
            select(ActoAdministrativo)
            .join(Expediente, Expediente.id == ActoAdministrativo.expediente_id)
            .where(ActoAdministrativo.id == acto_id, Expediente.id == expediente_id)
        )
        if acto is None:
            abort(404)
        return respuesta_pdf(acto.sha256, f"{acto.numero_texto.replace(' ', '-')}.pdf", request.args.get("ver") == "1")

    @expose("/<int:expediente_id>/notificaciones/<int:notificacion_id>/constancia")
    @acceso_de_funcionario
    def constancia_notificacion(self, expediente_id: int, notificacion_id: int):
        _, notificacion = self._notificacion(expediente_id, notificacion_id)
        if not notificacion.constancia_sha256:
            abort(404)
        nombre = f"constancia-notificacion-{notificacion.acto.numero_texto.replace(' ', '-')}.pdf"
        return respuesta_pdf(notificacion.constancia_sha256, nombre, request.args.get("ver") == "1")


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(DecisionRevisionView)
    VISTAS.registrar_de_funcionario(VISTA)
