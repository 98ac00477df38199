"""The company administrator's screens (circular 1000-011-2025) that are not CRUD: invitations, responsables /
directores técnicos. The roles (list, detail, add, edit, delete with the permission tree) and the members list
(search, detail, roles, inactivar / reactivar, eliminar) are generated ModelViews: app/views/crud/roles_empresa.py
and app/views/crud/usuarios_empresa.py.

Only reachable while acting as a company; each action needs its leaf of the tree in one of the person's active
company roles (app/security/autorizacion.py, re-verified on every request). Ids in URLs are looked up inside the
company one acts as (and the ORM filter adds the same condition), so another company's ids answer 404.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from app.extensions import db
from app.security.autorizacion import acceso_de_empresa, registrar_hojas
from app.services import listas
from app.services.empresas import membresias, tecnicos
from app.services.empresas import roles as roles_empresa
from app.views.forms import campo_lista
from app.web.transaccion import ejecutar, errores_de

MSG_INVITACION_ENVIADA = "Invitación enviada. La persona la verá en «Mis invitaciones» y recibirá un correo."
MSG_INVITACION_PENDIENTE = (
    "No hay una cuenta activada con esa identificación: la invitación queda pendiente y la persona la "
    "verá en «Mis invitaciones» cuando cree y active su cuenta."
)


def _ip() -> str | None:
    return request.remote_addr


# ------------------------------------------------------------------ users and invitations


class InvitarForm(FlaskForm):
    tipo_identificacion = campo_lista(_("Tipo de identificación"))
    numero_identificacion = StringField(_("Número de identificación"))


class InvitarTecnicoForm(InvitarForm):
    calidad = SelectField(
        _("Calidad"),
        choices=[("", "Seleccione")] + [(c, c) for c in tecnicos.CALIDADES],
        validate_choice=False,
    )


def _con_tipos(form):
    form.tipo_identificacion.choices = listas.opciones_tipo_identificacion(db.session)
    return form


class InvitarUsuariosView(BaseView):
    """What is not CRUD on a membership: inviting (also as RT/DT), resending an invitation, withdrawing an RT/DT
    link. The list, detail, roles, inactivar / reactivar and eliminar are the generated
    UsuariosEmpresaModelView (app/views/crud/usuarios_empresa.py) under the same /empresa/usuarios/ prefix."""

    route_base = "/empresa/usuarios"
    default_view = "invitar"
    # FAB permission of each route; the leaves usuarios.invitar / usuarios.eliminar grant them (register, below).
    method_permission_name = {
        "invitar": "usuarios_invitar",
        "reenviar": "usuarios_invitar",
        "invitar_tecnico": "usuarios_invitar",
        "eliminar_tecnico": "usuarios_eliminar",
    }

    def _lista(self):
        return redirect(url_for("UsuariosEmpresaModelView.list"), 303)

    def _accion(self, funcion, membresia_id, exito: str):
        """One change in one unit of work; a refused one is flashed. Back to the list either way."""
        if ejecutar(lambda: funcion(db.session, g.empresa_id, membresia_id, g.user.id, ip=_ip())):
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
    @acceso_de_empresa
    def invitar(self):
        if request.method == "GET":
            return self._form_invitar(_con_tipos(InvitarForm(formdata=None)))
        form = _con_tipos(InvitarForm())
        elegidos = request.form.getlist("roles")
        if not form.validate_on_submit():
            return self._form_invitar(form, elegidos, status=400)
        resultado = ejecutar(
            lambda: membresias.invitar(
                db.session,
                g.empresa_id,
                g.user.id,
                form.tipo_identificacion.data,
                form.numero_identificacion.data,
                elegidos,
                _ip(),
            ),
            form,
            flashear=False,
        )
        if not resultado:  # what has no field of its own (the role checkboxes) is shown by the template
            errores = {campo: m for campo, m in errores_de(resultado.error).items() if campo not in form}
            return self._form_invitar(form, elegidos, errores, status=400)
        if resultado.valor.usuario_id:
            flash(MSG_INVITACION_ENVIADA, "success")
        else:
            flash(MSG_INVITACION_PENDIENTE, "info")
        return self._lista()

    @expose("/<int(max=2147483647):membresia_id>/reenviar", methods=["POST"])
    @acceso_de_empresa
    def reenviar(self, membresia_id):
        return self._accion(membresias.reenviar, membresia_id, "Invitación reenviada con una nueva vigencia.")

    @expose("/tecnicos/invitar", methods=["GET", "POST"])
    @acceso_de_empresa
    def invitar_tecnico(self):
        form = _con_tipos(InvitarTecnicoForm() if request.method == "POST" else InvitarTecnicoForm(formdata=None))
        status = 200
        if request.method == "POST":
            status = 400

            def invitar():
                return tecnicos.invitar_tecnico(
                    db.session,
                    g.empresa_id,
                    g.user.id,
                    form.tipo_identificacion.data,
                    form.numero_identificacion.data,
                    form.calidad.data,
                    ip=_ip(),
                )

            if form.validate_on_submit() and ejecutar(invitar, form):
                flash(MSG_INVITACION_ENVIADA, "success")
                return self._lista()
        return self.render_template(
            "empresa_admin/invitar_tecnico.html", form=form, title="Invitar responsable técnico o director técnico"
        ), status

    @expose("/tecnicos/<int(max=2147483647):vinculo_id>/eliminar", methods=["POST"])
    @acceso_de_empresa
    def eliminar_tecnico(self, vinculo_id):
        return self._accion(tecnicos.retirar_tecnico, vinculo_id, "Vínculo técnico retirado.")


def register(appbuilder) -> None:
    # The «Roles» and «Usuarios» menu items are generated lists (app/views/crud/roles_empresa.py, usuarios_empresa.py).
    appbuilder.add_view_no_menu(InvitarUsuariosView)
    registrar_hojas(
        InvitarUsuariosView,
        ("usuarios.invitar", "usuarios_invitar"),
        ("usuarios.eliminar", "usuarios_eliminar"),
        menu=("Mi empresa",),
    )
