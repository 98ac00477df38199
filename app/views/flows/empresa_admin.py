"""The company administrator's screens (circular 1000-011-2025) that are not CRUD: invitations, responsables /
directores técnicos. The roles (list, detail, add, edit, delete with the permission tree) and the members list
(search, detail, roles, inactivar / reactivar, eliminar) are generated ModelViews: app/views/crud/roles_empresa.py
and app/views/crud/miembros_empresa.py, which use `rechazo()` below.

Only reachable while acting as a company; each action needs its leaf of the tree in one of the person's active
company roles (`contexto.tiene_permiso`, re-verified on every request). Ids in URLs are looked up inside the
company one acts as (and the ORM filter adds the same condition), so another company's ids answer 404.
"""

from __future__ import annotations

import functools

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.extensions import db
from app.security import arbol_permisos, contexto
from app.security.arbol_permisos import VISTAS
from app.services import listas, membresias, roles_empresa
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado

MSG_SIN_PERMISO = "Su rol en {empresa} no le permite esta acción ({permiso}). Pida el permiso al administrador."


def _nombre_permiso(hoja: str) -> str:
    return "can_" + hoja.replace(".", "_")


def rechazo(hoja: str | None):
    """The response refusing this request — not logged in, not acting as a company, or without the leaf — or None.

    Also used by the generated roles and members screens (app/views/crud/roles_empresa.py, miembros_empresa.py).
    """
    if not current_user.is_authenticated:
        return redirect(url_for("LoginView.login", next=request.full_path))
    actuacion = g.get("actuacion")
    if actuacion is None:
        return render_template("empresa_admin/elegir_empresa.html", title="Administración de la empresa"), 403
    if hoja is not None and not contexto.tiene_permiso(hoja):
        mensaje = MSG_SIN_PERMISO.format(empresa=actuacion.razon_social, permiso=arbol_permisos.NOMBRES[hoja])
        return render_template("error.html", codigo=403, mensaje=mensaje), 403
    return None


def requiere(hoja: str):
    """Login + acting as a company + the leaf; the FAB permission of the same name is registered in VISTAS."""

    def decorador(f):
        @functools.wraps(f)
        def envoltura(self, *args, **kwargs):
            respuesta = rechazo(hoja)
            if respuesta is not None:
                return respuesta
            try:
                return f(self, *args, **kwargs)
            except NoEncontrado:
                db.session.rollback()
                abort(404)

        envoltura._permission_name = hoja.replace(".", "_")
        return envoltura

    return decorador


def _ip() -> str | None:
    return request.remote_addr


def _errores_a_form(form, error: ErroresValidacion) -> dict[str, list[str]]:
    """Put field errors on the WTForms fields; return the rest (tree, role checkboxes)."""
    resto = {}
    for campo, mensajes in error.errores.items():
        field = getattr(form, campo, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(mensajes)
        else:
            resto[campo] = mensajes
    return resto


# ------------------------------------------------------------------ users and invitations


class InvitarForm(FlaskForm):
    tipo_identificacion = SelectField(_("Tipo de identificación"), validate_choice=False)
    numero_identificacion = StringField(_("Número de identificación"))


class InvitarTecnicoForm(InvitarForm):
    calidad = SelectField(
        _("Calidad"),
        choices=[("", "Seleccione")] + [(c, c) for c in membresias.CALIDADES],
        validate_choice=False,
    )


def _con_tipos(form):
    form.tipo_identificacion.choices = listas.opciones_tipo_identificacion(db.session)
    return form


class MiembrosEmpresaView(BaseView):
    """What is not CRUD on a membership: inviting (also as RT/DT), resending an invitation, withdrawing an RT/DT
    link. The list, detail, roles, inactivar / reactivar and eliminar are the generated
    MiembrosEmpresaModelView (app/views/crud/miembros_empresa.py) under the same /empresa/usuarios/ prefix."""

    route_base = "/empresa/usuarios"
    default_view = "invitar"

    def _lista(self):
        return redirect(url_for("MiembrosEmpresaModelView.list"), 303)

    def _accion(self, funcion, membresia_id, exito: str):
        try:
            funcion(db.session, g.empresa_id, membresia_id, g.user.id, ip=_ip())
        except NoEncontrado:
            raise
        except ErrorDominio as error:
            db.session.rollback()
            flash(error.mensaje, "danger")
            return self._lista()
        db.session.commit()
        flash(exito, "success")
        return self._lista()

    def _form_invitar(self, form, elegidos=(), errores=None, status=200):
        return (
            self.render_template(
                "empresa_admin/invitar.html",
                form=form,
                roles=roles_empresa.roles_asignables(db.session, g.empresa_id),
                elegidos={str(r) for r in elegidos},
                errores=errores or {},
                title="Invitar usuario",
            ),
            status,
        )

    @expose("/invitar", methods=["GET", "POST"])
    @requiere("usuarios.invitar")
    def invitar(self):
        if request.method == "GET":
            return self._form_invitar(_con_tipos(InvitarForm(formdata=None)))
        form = _con_tipos(InvitarForm())
        elegidos = request.form.getlist("roles")
        if not form.validate_on_submit():
            return self._form_invitar(form, elegidos, status=400)
        try:
            membresia = membresias.invitar(
                db.session,
                g.empresa_id,
                g.user.id,
                form.tipo_identificacion.data,
                form.numero_identificacion.data,
                elegidos,
                _ip(),
            )
        except ErroresValidacion as error:
            db.session.rollback()
            return self._form_invitar(form, elegidos, _errores_a_form(form, error), status=400)
        db.session.commit()
        if membresia.usuario_id:
            flash("Invitación enviada. La persona la verá en «Mis invitaciones» y recibirá un correo.", "success")
        else:
            flash(
                "No hay una cuenta activada con esa identificación: la invitación queda pendiente y la persona la "
                "verá en «Mis invitaciones» cuando cree y active su cuenta.",
                "info",
            )
        return self._lista()

    @expose("/<int(max=2147483647):membresia_id>/reenviar", methods=["POST"])
    @requiere("usuarios.invitar")
    def reenviar(self, membresia_id):
        return self._accion(membresias.reenviar, membresia_id, "Invitación reenviada con una nueva vigencia.")

    @expose("/tecnicos/invitar", methods=["GET", "POST"])
    @requiere("usuarios.invitar")
    def invitar_tecnico(self):
        form = _con_tipos(InvitarTecnicoForm() if request.method == "POST" else InvitarTecnicoForm(formdata=None))
        status = 200
        if request.method == "POST":
            status = 400
            if form.validate_on_submit():
                try:
                    membresias.invitar_tecnico(
                        db.session,
                        g.empresa_id,
                        g.user.id,
                        form.tipo_identificacion.data,
                        form.numero_identificacion.data,
                        form.calidad.data,
                        ip=_ip(),
                    )
                except ErroresValidacion as error:
                    db.session.rollback()
                    _errores_a_form(form, error)
                else:
                    db.session.commit()
                    flash(
                        "Invitación enviada. La persona la verá en «Mis invitaciones» y recibirá un correo.", "success"
                    )
                    return self._lista()
        return self.render_template(
            "empresa_admin/invitar_tecnico.html", form=form, title="Invitar responsable técnico o director técnico"
        ), status

    @expose("/tecnicos/<int(max=2147483647):vinculo_id>/eliminar", methods=["POST"])
    @requiere("usuarios.eliminar")
    def eliminar_tecnico(self, vinculo_id):
        return self._accion(membresias.retirar_tecnico, vinculo_id, "Vínculo técnico retirado.")


# Leaves → FAB pairs, so FAB (menus, has_access) honours the tree.
for _hoja in ("usuarios.invitar", "usuarios.eliminar"):
    VISTAS.registrar(_hoja, (_nombre_permiso(_hoja), "MiembrosEmpresaView"), ("menu_access", "Mi empresa"))


def register(appbuilder) -> None:
    # The «Roles» and «Usuarios» menu items are generated lists (app/views/crud/roles_empresa.py, miembros_empresa.py).
    appbuilder.add_view_no_menu(MiembrosEmpresaView)
