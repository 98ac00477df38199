"""Company users (Mi empresa → Usuarios) as a generated FAB ModelView on Membresia (circular 1000-011-2025).

List with search and pagination, detail, change roles (edit), inactivar / reactivar (FAB actions, one row or the
rows selected in the list) and eliminar (delete). Invitations, resending them and the RT/DT links stay custom views
(app/views/flows/empresa_admin.py, same /empresa/usuarios/ prefix) because they are not CRUD on a membership.

- Only while acting as a company: every route first passes app/security/autorizacion.py (login, «Ingresar como»,
  the leaf of the permission tree), so a persona natural — and Invima's platform staff, who have every FAB permission but act as
  nobody — get the same «elija la empresa» page as the other company screens.
- Permissions: `class_permission_name` / `method_permission_name` name FAB pairs (can_ver, can_cambiar_roles,
  can_inactivar, can_eliminar on "UsuariosEmpresa") that the leaves usuarios.* grant (VISTAS, below).
- Isolation: Membresia and RolEmpresa are tenant models (app/security/tenancy.py), so list, show, edit, delete,
  actions and the roles offered in forms only reach the acting company; another company's id answers 404.
- Rules: edit, delete and the actions call app/services/empresas/membresias.py (representante legal, last active
  Administrador, audit with IP) in one transaction; a refused change is rolled back whole and its Spanish message
  is flashed. The form never writes the model (no populate_obj).
- Searching never offers accounts (ab_user is not a tenant table): name and e-mail are typed text matched inside
  EXISTS, and each search column has exactly the filters below.
- The list runs a constant number of statements: count, one page with account and identification type joined,
  the roles of the page in one more (selectinload).
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action as accion
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, Select2Widget
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.widgets import ListWidget, ShowWidget
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget as ListaHtml

from app.extensions import db
from app.models.empresas import MEMBRESIA_PENDIENTE, Membresia, RolEmpresa
from app.services.empresas import membresias, tecnicos
from app.services.empresas import roles as roles_empresa
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.fechas import fecha_hora
from app.views.crud.empresa_comun import (
    DatosDeEmpresa,
    VistaModeloDeEmpresa,
    convertidor_de,
    filtro_de_servicio,
    registrar_en_mi_empresa,
)
from app.web.transaccion import ejecutar

PERMISO_VISTA = "UsuariosEmpresa"
POR_PAGINA = membresias.POR_PAGINA

MSG_ROLES_ACTUALIZADOS = "Roles actualizados."
MSG_ELIMINADO = "Usuario eliminado de la empresa."
MSG_INVITACION_RETIRADA = "Invitación retirada: la persona ya no podrá aceptarla."
MSG_INACTIVADO = "Usuario inactivado: pierde el acceso a la empresa de inmediato."
MSG_INACTIVADOS = "{n} usuarios inactivados: pierden el acceso a la empresa de inmediato."
MSG_REACTIVADO = "Usuario reactivado."
MSG_REACTIVADOS = "{n} usuarios reactivados."
MSG_NINGUNO = "Seleccione al menos un usuario de la lista."
MSG_NADA_CAMBIO = "No se aplicó ningún cambio."
CONFIRMAR_INACTIVAR_VARIOS = "¿Inactivar a los usuarios seleccionados? Perderán el acceso a la empresa de inmediato."


# ---------------------------------------------------------------- columns computed from a membership


def _identificacion(m: Membresia) -> str:
    return f"{m.tipo_identificacion.codigo} {m.numero_identificacion}"


COLUMNAS_CALCULADAS = {
    "identificacion": _identificacion,
    "nombre": lambda m: f"{m.usuario.first_name} {m.usuario.last_name}" if m.usuario else None,
    "correo": lambda m: m.usuario.email if m.usuario else "",
    "estado_visible": membresias.estado_visible,
}

# List headers that sort, and the column each one sorts by.
ORDEN = {"identificacion": Membresia.numero_identificacion, "estado_visible": Membresia.estado}


# ---------------------------------------------------------------- search filters (no account dropdowns)


# Search column → its only filter (the URL says _flt_0_<column>=<value>).
FILTROS = {
    "numero_identificacion": [filtro_de_servicio("Empieza por", membresias.con_identificacion)],
    "usuario": [filtro_de_servicio("Contiene", membresias.con_nombre_o_correo)],
    "roles": [filtro_de_servicio("Es", membresias.con_rol)],
    "estado": [filtro_de_servicio("Es", membresias.con_estado_visible)],
}


# ---------------------------------------------------------------- the data interface


class DatosUsuarios(DatosDeEmpresa):
    """Membresia: computed columns, safe filters, eager loading and a stable order (ids checked: DatosDeEmpresa)."""

    filter_converter_class = convertidor_de(FILTROS)
    columnas_calculadas = COLUMNAS_CALCULADAS

    def __init__(self):
        super().__init__(Membresia)

    orden_por_columna = ORDEN

    def orden_por_defecto(self) -> tuple:
        """Representante legal first, then by invitation date."""
        return (Membresia.es_representante_legal.desc(), Membresia.creado_en, Membresia.id)

    def opciones_de_carga(self) -> tuple:
        """Account and identification type joined, the page's roles in one more statement."""
        return (
            joinedload(Membresia.usuario),
            joinedload(Membresia.tipo_identificacion),
            selectinload(Membresia.roles),
        )


# ---------------------------------------------------------------- formatters


def _nombre(valor) -> Markup:
    return Markup("<em>Sin cuenta activada</em>") if valor is None else Markup("%s") % valor


def _roles(roles) -> str:
    return ", ".join(r.nombre + ("" if r.activo else " (inactivo)") for r in roles)


CLASE_ESTADO = {"Aceptado": "success", "Pendiente": "info", "Inactivo": "default", "Vencida": "warning"}


def _estado(valor: str) -> Markup:
    return Markup('<span class="label label-%s">%s</span>') % (CLASE_ESTADO.get(valor, "danger"), valor)


def _representante(valor: bool) -> Markup:
    return Markup('<span class="label label-primary">Representante legal</span>') if valor else Markup("")


# ---------------------------------------------------------------- forms


def _roles_de_la_empresa():
    """Every role of the acting company (tenant-scoped), for the «Rol» search filter."""
    return db.session.scalars(
        select(RolEmpresa).order_by(RolEmpresa.predefinido.desc(), func.lower(RolEmpresa.nombre))
    ).all()


def _id_de_rol(valor) -> str:
    return str(valor.id) if isinstance(valor, RolEmpresa) else str(valor)


CAMPO_ROLES = SelectMultipleField(
    "Roles",
    coerce=_id_de_rol,
    validate_choice=False,  # the service checks the roles (active, of this company, at least one)
    widget=ListaHtml(prefix_label=False),
    option_widget=CheckboxInput(),
    render_kw={"class": "list-unstyled"},
    description="Solo se ofrecen los roles activos de la empresa.",
)


class ListaUsuarios(ListWidget):
    template = "empresa_admin/usuarios_tabla.html"


class FichaUsuario(ShowWidget):
    template = "empresa_admin/usuario_ficha.html"


# ---------------------------------------------------------------- the view


class UsuariosEmpresaModelView(VistaModeloDeEmpresa):
    datamodel = DatosUsuarios()
    route_base = "/empresa/usuarios"
    class_permission_name = PERMISO_VISTA
    method_permission_name = {
        "list": "ver",
        "show": "ver",
        "edit": "cambiar_roles",
        "delete": "eliminar",
        "inactivar": "inactivar",
        "reactivar": "inactivar",
    }
    include_route_methods = {"list", "show", "edit", "delete", "action", "action_post"}

    list_title = "Usuarios e invitaciones"
    show_title = "Usuario de la empresa"
    edit_title = "Cambiar roles"
    list_template = "empresa_admin/usuarios.html"
    show_template = "empresa_admin/usuario_ver.html"
    edit_template = "empresa_admin/usuario_roles.html"
    list_widget = ListaUsuarios
    show_widget = FichaUsuario
    # For the list page (usuarios.html): the visible state, the company's RT/DT links, whether a search is applied.
    extra_args = {
        "estado_visible": membresias.estado_visible,
        "tecnicos_de_la_empresa": lambda: tecnicos.vinculos_tecnicos(db.session, g.empresa_id),
        "hay_filtros": lambda: any(arg.startswith("_flt_") for arg in request.args),
    }

    label_columns = {
        "identificacion": "Identificación",
        "nombre": "Nombre",
        "correo": "Correo electrónico",
        "roles": "Roles",
        "estado_visible": "Estado",
        "es_representante_legal": "Representante legal",
        "invitacion_expira_en": "La invitación vence",
        "creado_en": "Invitado el",
        "aceptado_en": "Aceptó el",
        "rechazado_en": "Rechazó el",
        "inactivado_en": "Inactivado el",
        # search columns
        "numero_identificacion": "Identificación",
        "usuario": "Nombre o correo",
        "estado": "Estado",
    }
    list_columns = ["identificacion", "nombre", "correo", "roles", "estado_visible", "es_representante_legal"]
    show_columns = list_columns + [
        "invitacion_expira_en",
        "creado_en",
        "aceptado_en",
        "rechazado_en",
        "inactivado_en",
    ]
    order_columns = list(ORDEN)
    search_columns = ["numero_identificacion", "usuario", "roles", "estado"]
    search_form_extra_fields = {
        "usuario": StringField("Nombre o correo", widget=BS3TextFieldWidget()),
        "roles": QuerySelectField(
            "Rol", query_func=_roles_de_la_empresa, get_pk_func=lambda r: r.id, widget=Select2Widget()
        ),
        "estado": SelectField("Estado", choices=[(e, e) for e in membresias.ESTADOS_VISIBLES], widget=Select2Widget()),
    }
    edit_columns = add_columns = ["roles"]
    edit_form_extra_fields = add_form_extra_fields = {"roles": CAMPO_ROLES}
    formatters_columns = {
        "nombre": _nombre,
        "roles": _roles,
        "estado_visible": _estado,
        "es_representante_legal": _representante,
        **{
            c: fecha_hora for c in ("invitacion_expira_en", "creado_en", "aceptado_en", "rechazado_en", "inactivado_en")
        },
    }
    page_size = POR_PAGINA
    max_page_size = 100

    # The list and the detail are FAB's (VistaModeloDeEmpresa); the list page (usuarios.html) adds the RT/DT table.
    # Bad list parameters never reach it: app/web/entrada.py answers 400.

    # ---------------------------------------------------------- change roles (edit)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        """Change roles: the roles go to `membresias.cambiar_roles` (never populate_obj); errors stay on the form."""
        item = self.fila_o_404(pk)
        if item.es_representante_legal or item.usuario_id == g.user.id:
            mensaje = membresias.MSG_REPRESENTANTE if item.es_representante_legal else membresias.MSG_ROLES_PROPIOS
            flash(mensaje, "warning")
            return self._volver()
        form = self.edit_form.refresh(obj=item)  # on POST the fields come from the request (Flask-WTF)
        if request.method == "POST" and form.validate():
            resultado = ejecutar(
                lambda: membresias.cambiar_roles(
                    db.session, g.empresa_id, item.id, g.user.id, form.roles.data, ip=request.remote_addr
                ),
                form,
                flashear=False,
            )
            if resultado:
                flash(MSG_ROLES_ACTUALIZADOS, "success")
                return self.post_edit_redirect()
            form.roles.errors = list(form.roles.errors) + resultado.resto  # every message goes by the roles
        if request.method == "GET":
            self.update_redirect()
        form.roles.choices = [(str(r.id), r.nombre) for r in roles_empresa.roles_asignables(db.session, g.empresa_id)]
        widgets = self.widgets_edicion(form)
        pagina = self.render_template(self.edit_template, title=self.edit_title, widgets=widgets, membresia=item)
        return pagina, 400 if request.method == "POST" else 200

    # ---------------------------------------------------------- delete

    @expose("/delete/<pk>", methods=["POST"])
    @has_access
    def delete(self, pk):
        item = self.fila_o_404(pk)
        mensaje = MSG_INVITACION_RETIRADA if item.estado == MEMBRESIA_PENDIENTE else MSG_ELIMINADO
        self._aplicar(membresias.eliminar, [item], mensaje, mensaje)
        return redirect(url_for(".list"))

    # ---------------------------------------------------------- inactivar / reactivar (FAB actions)

    @expose("/action/<string:name>/<pk>", methods=["POST"])
    def action(self, name, pk):
        """One row's action (FAB's route, POST only: a GET never changes anything)."""
        return self.actions[name].func(self.datamodel.get(pk))

    @accion("inactivar", "Inactivar", CONFIRMAR_INACTIVAR_VARIOS, "fa-user-times")
    def inactivar(self, items):
        self._aplicar(membresias.inactivar, items, MSG_INACTIVADO, MSG_INACTIVADOS)
        return self._volver()

    @accion("reactivar", "Reactivar", None, "fa-user-plus")
    def reactivar(self, items):
        self._aplicar(membresias.reactivar, items, MSG_REACTIVADO, MSG_REACTIVADOS)
        return self._volver()

    def _aplicar(self, servicio, items, exito_uno: str, exito_varios: str) -> None:
        """Run the service on every membership in ONE unit of work: all change, or none (messages flashed)."""
        items = items if isinstance(items, list) else [items]
        if any(item is None for item in items):
            abort(404)  # an id of another company (or none at all): nothing is touched
        if not items:
            flash(MSG_NINGUNO, "warning")
            return
        nombres = {item.id: _identificacion(item) for item in items}

        def aplicar_a_todas() -> None:
            errores = []
            for membresia_id, nombre in nombres.items():
                try:  # every refusal is collected, so the person reads them all at once
                    servicio(db.session, g.empresa_id, membresia_id, g.user.id, ip=request.remote_addr)
                except NoEncontrado:
                    raise
                except ErrorDominio as error:
                    errores.append(error.mensaje if len(nombres) == 1 else f"{nombre}: {error.mensaje}")
            if errores:
                raise ErroresValidacion({"": errores})

        if ejecutar(aplicar_a_todas):
            flash(exito_uno if len(nombres) == 1 else exito_varios.format(n=len(nombres)), "success")
        elif len(nombres) > 1:
            flash(MSG_NADA_CAMBIO, "warning")

    def _volver(self):
        """Back to the page the person acted from (the filtered list or a detail), else the list."""
        self.update_redirect()
        return self.post_edit_redirect()

    def post_edit_redirect(self):
        destino = self.get_redirect()
        return redirect(url_for(".list") if destino == self.appbuilder.get_url_for_index else destino)


def register(appbuilder) -> None:
    registrar_en_mi_empresa(appbuilder, UsuariosEmpresaModelView, "Usuarios", "fa-users", rama="usuarios")
