"""The applicant opens an administrative act (issue 13 §5): from the notification e-mail's link or from the expediente.

/notificaciones/<token> (the single-use link) and /expedientes/<id>/actos/<acto_id> both lead to the act; the first
time the titular opens it — logged in, acting as the titular company with Expedientes → Ver, or as the persona
natural who is the titular — the notification is *surtida* (Ley 1437 art. 56) and that moment is recorded with the
account, IP and user agent (app/services/revision/notificaciones.py). Anyone else gets the same «not found» as for an
expediente that is not theirs, or, holding a valid link, the page that says how to enter as the titular.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_appbuilder import BaseView, expose
from sqlalchemy import select

from app.extensions import db
from app.models.actos import ActoAdministrativo, Notificacion
from app.models.expedientes import Expediente
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_titular, registrar_hojas
from app.services import documentos
from app.services.enlaces import url_publica, url_verificacion_acto
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.fechas import hoy_en_bogota, momento_iso
from app.services.reloj import ahora
from app.services.revision import notificaciones, recursos
from app.web.descargas import respuesta_pdf
from app.web.subidas import recibir_pdf
from app.web.transaccion import ejecutar, errores_de, unidad_de_trabajo

VISTA = "NotificacionesView"
MSG_NO_ES_TITULAR = (
    "Para abrir esta notificación, ingrese como el titular del expediente: la empresa titular (Ingresar como → "
    "Persona jurídica) con un usuario que pueda ver sus expedientes, o la persona natural titular."
)
MSG_SURTIDA = "Quedó notificado del acto {acto} el {fecha} (Ley 1437 de 2011, art. 56)."
MSG_RENUNCIA = (
    "Renunció al recurso contra la {acto}: la decisión queda en firme desde mañana (Ley 1437 de 2011, art. 87)."
)
MSG_DESISTIMIENTO = (
    "Desistió del recurso contra la {acto}. El Invima acepta el desistimiento con una resolución que se le notifica; "
    "desde el día siguiente a esa notificación la decisión queda en firme (Ley 1437 de 2011, arts. 81 y 87)."
)
MSG_RECURSO = (
    "Recurso de reposición interpuesto contra la {acto}. El Invima lo resuelve a más tardar el {fecha} y le "
    "notificará su decisión."
)


class NotificacionesView(BaseView):
    route_base = "/expedientes"
    class_permission_name = VISTA
    default_view = "abrir"
    base_permissions = ["can_ver", "can_recurrir"]
    method_permission_name = {
        "abrir": "ver",
        "acto": "ver",
        "pdf": "ver",
        "constancia": "ver",
        "pruebas": "ver",
        "recurrir": "recurrir",
        "renunciar": "recurrir",
        "desistir": "recurrir",
    }

    @expose("/notificaciones/<token>")  # /expedientes/notificaciones/<token>
    @acceso_de_titular
    def abrir(self, token: str):
        notificacion = notificaciones.por_token(db.session, token)
        visible = db.session.scalar(select(Expediente.id).where(Expediente.id == notificacion.expediente_id))
        if visible is None:
            return render_template("error.html", codigo=403, mensaje=MSG_NO_ES_TITULAR), 403
        return redirect(url_for(".acto", expediente_id=visible, acto_id=notificacion.acto_id))

    def _acto(self, expediente_id: int, acto_id: int) -> tuple[Expediente, ActoAdministrativo, Notificacion | None]:
        expediente = db.session.scalar(select(Expediente).where(Expediente.id == expediente_id))
        acto = db.session.scalar(
            select(ActoAdministrativo).where(
                ActoAdministrativo.id == acto_id, ActoAdministrativo.expediente_id == expediente_id
            )
        )
        if expediente is None or acto is None:
            raise NoEncontrado("El acto no existe.")
        return expediente, acto, acto.notificacion

    def _acceder(self, expediente_id: int, acto_id: int):
        """The act, its notification surtida now if this is the titular's first access."""
        with unidad_de_trabajo():
            expediente, acto, notificacion = self._acto(expediente_id, acto_id)
            primera = notificacion is not None and notificaciones.acceder(
                db.session,
                notificacion,
                expediente,
                g.user,
                request.remote_addr,
                request.user_agent.string,
                ahora(),
                current_app.config,
                url_verificacion_acto,
            )
        if primera:
            flash(MSG_SURTIDA.format(acto=acto.numero_texto, fecha=momento_iso(notificacion.surtida_en)), "success")
        return expediente, acto, notificacion

    def _pagina(self, expediente, acto, notificacion, errores=None, status=200):
        situacion = recursos.situaciones(db.session, expediente.id, hoy_en_bogota()).get(acto.id)
        return self.render_template(
            "expedientes/acto.html",
            title=acto.numero_texto,
            expediente=expediente,
            acto=acto,
            notificacion=notificacion,
            situacion=situacion,
            puede_recurrir=situacion is not None
            and situacion.puede_recurrir
            and self.appbuilder.sm.has_access("can_recurrir", VISTA),
            puede_desistir=situacion is not None
            and situacion.recurso is not None
            and situacion.recurso.resuelto_por_id is None
            and situacion.recurso.desistido_en is None
            and self.appbuilder.sm.has_access("can_recurrir", VISTA),
            errores=errores or {},
            max_mb=documentos.megabytes(current_app.config["DOCUMENTO_MAX_BYTES"]),
        ), status

    @expose("/<int:expediente_id>/actos/<int:acto_id>")
    @acceso_de_titular
    def acto(self, expediente_id: int, acto_id: int):
        return self._pagina(*self._acceder(expediente_id, acto_id))

    @expose("/<int:expediente_id>/actos/<int:acto_id>/recurso", methods=["POST"])
    @acceso_de_titular
    def recurrir(self, expediente_id: int, acto_id: int):
        """The titular files a recurso de reposición against the act (app/services/revision/recursos.py)."""
        expediente, acto, notificacion = self._acto(expediente_id, acto_id)  # theirs, or 404 before any file
        try:
            pruebas = recibir_pdf("pruebas")
        except ErrorDominio as error:
            return self._pagina(expediente, acto, notificacion, {"pruebas": [error.mensaje]}, 400)
        resultado = ejecutar(
            lambda: recursos.interponer(
                db.session,
                expediente_id,
                acto_id,
                request.form.get("motivos"),
                pruebas,
                g.user,
                ahora(),
                url_publica(url_for("ExpedientesView.ver", expediente_id=expediente_id)),
            ),
            flashear=False,
        )
        if not resultado:
            return self._pagina(expediente, acto, notificacion, errores_de(resultado.error), 400)
        flash(MSG_RECURSO.format(acto=acto.numero_texto, fecha=resultado.valor.resolver_hasta.isoformat()), "success")
        return redirect(url_for(".acto", expediente_id=expediente_id, acto_id=acto_id))

    @expose("/<int:expediente_id>/actos/<int:acto_id>/renuncia", methods=["POST"])
    @acceso_de_titular
    def renunciar(self, expediente_id: int, acto_id: int):
        """The titular gives up the recurso: the decision is in firme from tomorrow (art. 87 numeral 3)."""
        return self._sobre_el_recurso(expediente_id, acto_id, recursos.renunciar, MSG_RENUNCIA)

    @expose("/<int:expediente_id>/actos/<int:acto_id>/desistimiento", methods=["POST"])
    @acceso_de_titular
    def desistir(self, expediente_id: int, acto_id: int):
        """The titular withdraws the recurso not yet resolved (art. 81); the Invima accepts it."""
        return self._sobre_el_recurso(expediente_id, acto_id, recursos.desistir, MSG_DESISTIMIENTO)

    def _sobre_el_recurso(self, expediente_id: int, acto_id: int, accion, mensaje: str):
        """`accion(session, expediente_id, acto_id, user, momento)` on the act's recurso; errors on the act page."""
        expediente, acto, notificacion = self._acto(expediente_id, acto_id)
        resultado = ejecutar(lambda: accion(db.session, expediente_id, acto_id, g.user, ahora()), flashear=False)
        if not resultado:
            return self._pagina(expediente, acto, notificacion, errores_de(resultado.error), 400)
        flash(mensaje.format(acto=acto.numero_texto), "success")
        return redirect(url_for(".acto", expediente_id=expediente_id, acto_id=acto_id))

    @expose("/<int:expediente_id>/recursos/<int:recurso_id>/pruebas")
    @acceso_de_titular
    def pruebas(self, expediente_id: int, recurso_id: int):
        recurso = recursos.con_pruebas(db.session, expediente_id, recurso_id)
        return respuesta_pdf(recurso.pruebas_sha256, recurso.pruebas_nombre or "pruebas.pdf", True)

    @expose("/<int:expediente_id>/actos/<int:acto_id>/pdf")
    @acceso_de_titular
    def pdf(self, expediente_id: int, acto_id: int):
        _, acto, _ = self._acceder(expediente_id, acto_id)
        return respuesta_pdf(acto.sha256, f"{acto.numero_texto.replace(' ', '-')}.pdf", request.args.get("ver") == "1")

    @expose("/<int:expediente_id>/actos/<int:acto_id>/constancia-notificacion")
    @acceso_de_titular
    def constancia(self, expediente_id: int, acto_id: int):
        _, acto, notificacion = self._acto(expediente_id, acto_id)
        if notificacion is None or not notificacion.constancia_sha256:
            raise NoEncontrado("La notificación aún no se ha surtido.")
        nombre = f"constancia-notificacion-{acto.numero_texto.replace(' ', '-')}.pdf"
        return respuesta_pdf(notificacion.constancia_sha256, nombre, request.args.get("ver") == "1")


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(NotificacionesView)
    registrar_hojas(NotificacionesView, ("expedientes.ver", "ver"), ("expedientes.radicar", "recurrir"))
    VISTAS.registrar_de_titular(VISTA)
