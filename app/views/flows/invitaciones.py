"""«Mis invitaciones»: the invitee accepts or declines company and RT/DT invitations addressed to them.

Everything acts on the logged-in person only; an id that is not one of their invitations answers 404.
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_login import current_user
from flask_wtf import FlaskForm

from app.extensions import db
from app.services.empresas import invitaciones, membresias
from app.web.transaccion import ejecutar


class InvitacionesView(BaseView):
    route_base = "/invitaciones"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        propias, tecnicas = invitaciones.mis_invitaciones(db.session, g.user)
        return self.render_template(
            "invitaciones/lista.html",
            membresias=propias,
            tecnicas=tecnicas,
            estado_visible=membresias.estado_visible,
            form=FlaskForm(formdata=None),
            title="Mis invitaciones",
        )

    def _responder(self, funcion, ident: int, exito: str):
        if ejecutar(lambda: funcion(db.session, g.user, ident, ip=request.remote_addr)):  # NoEncontrado: 404
            flash(exito, "success")
        return redirect(url_for("InvitacionesView.index"), 303)

    @expose("/<int:membresia_id>/aceptar", methods=["POST"])
    @has_access
    def aceptar(self, membresia_id):
        return self._responder(
            invitaciones.aceptar,
            membresia_id,
            "Invitación aceptada. Ya puede ingresar como la empresa desde «Ingresar como».",
        )

    @expose("/<int:membresia_id>/rechazar", methods=["POST"])
    @has_access
    def rechazar(self, membresia_id):
        return self._responder(invitaciones.rechazar, membresia_id, "Invitación rechazada.")

    @expose("/tecnicas/<int:vinculo_id>/aceptar", methods=["POST"])
    @has_access
    def aceptar_tecnica(self, vinculo_id):
        return self._responder(invitaciones.aceptar_tecnico, vinculo_id, "Vinculación aceptada.")

    @expose("/tecnicas/<int:vinculo_id>/rechazar", methods=["POST"])
    @has_access
    def rechazar_tecnica(self, vinculo_id):
        return self._responder(invitaciones.rechazar_tecnico, vinculo_id, "Invitación rechazada.")


def register(appbuilder) -> None:
    appbuilder.add_view(InvitacionesView, "Mis invitaciones", href="/invitaciones/", icon="fa-envelope-open")

    @current_app.context_processor
    def _invitaciones_pendientes():
        def invitaciones_pendientes() -> int:
            """Used by the home page; counted only when a template asks."""
            if not current_user or not current_user.is_authenticated:
                return 0
            return invitaciones.contar_mis_invitaciones(db.session, current_user)

        return {"invitaciones_pendientes": invitaciones_pendientes}
