"""Company roles (Mi empresa → Roles) as a generated FAB ModelView on RolEmpresa (circular 1000-011-2025,
"Gestión de Roles").

List (name with the «Predefinido» mark, description, state, permissions by branch, active users), detail (the tree,
read-only), add and edit (nombre, descripción, estado and the permission tree: a branch checks its leaves, with or
without JavaScript and by keyboard — the tree is one form field rendered by empresa_admin/_arbol.html) and delete.

- Only while acting as a company: every route first passes app/security/autorizacion.py (login, «Ingresar como»,
  the leaf of the permission tree), so a persona natural and Invima's platform staff get the «elija la empresa» page.
- Permissions: `class_permission_name` / `method_permission_name` name FAB pairs (can_ver, can_crear, can_editar,
  can_eliminar on "RolesEmpresa") that the leaves roles.* grant (VISTAS, below).
- Isolation: RolEmpresa is a tenant model (app/security/tenancy.py): list, show, edit and delete only reach the
  acting company; another company's id, a non-numeric or out-of-range one answers 404.
- Rules stay in app/services/empresas/roles.py and hold on every route: predefined roles are viewed, never edited or
  deleted; a custom role is viewed, edited or deleted only while no active user holds it (else the service's
  message is flashed and the person goes back to the list), and inactivated or reactivated at any time (POST, leaf
  roles.editar); unique name per company; audit rows with IP. The form
  never writes the model (no populate_obj): add, edit and delete call the service in one transaction.
- The list runs a constant number of statements: count, one page of roles, their leaves and their active users.
  It has no search: filters in the URL are ignored.
"""

from __future__ import annotations

from flask import flash, g, get_template_attribute, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import BS3TextAreaFieldWidget, BS3TextFieldWidget, Select2Widget
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.widgets import FormWidget, ListWidget, ShowWidget
from markupsafe import Markup
from sqlalchemy import func
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.utils import unset_value

from app.extensions import db
from app.models.empresas import RolEmpresa
from app.security import arbol_permisos
from app.services.empresas import roles as roles_empresa
from app.services.errores import ErroresValidacion
from app.views.crud.empresa_comun import (
    DatosDeEmpresa,
    VistaModeloDeEmpresa,
    convertidor_de,
    filtro_de_servicio,
    registrar_en_mi_empresa,
)
from app.web.transaccion import ejecutar

PERMISO_VISTA = "RolesEmpresa"
POR_PAGINA = 20

MSG_CREADO = "Rol «{nombre}» creado."
MSG_ACTUALIZADO = "Rol «{nombre}» actualizado."
MSG_ELIMINADO = "Rol «{nombre}» eliminado."
MSG_INACTIVADO = "Rol «{nombre}» inactivado: quienes lo tienen dejan de recibir sus permisos."
MSG_REACTIVADO = "Rol «{nombre}» reactivado: quienes lo tienen vuelven a recibir sus permisos."
AYUDA_PERMISOS = "Marque una funcionalidad para otorgar todos sus permisos, o elija permisos uno a uno."


# ---------------------------------------------------------------- columns computed from a role


def _resumen(rol: RolEmpresa) -> tuple[frozenset[str], int]:
    """(leaves, active users) of a role: from the page's two statements (`DatosRoles.query`), else its own two."""
    cache = g.setdefault("resumen_roles", {})
    if rol.id not in cache:
        permisos, activos = roles_empresa.resumen(db.session, [rol.id])
        cache[rol.id] = (permisos[rol.id], activos[rol.id])
    return cache[rol.id]


COLUMNAS_CALCULADAS = {
    "rol": lambda rol: rol,
    "resumen_permisos": lambda rol: _resumen(rol)[0],
    "permisos": lambda rol: _resumen(rol)[0],
    "usuarios_activos": lambda rol: _resumen(rol)[1],
}

# List headers that sort, and the column each one sorts by.
ORDEN = {"rol": func.lower(RolEmpresa.nombre), "activo": RolEmpresa.activo}


# Search column → its only filter (the URL says _flt_0_<column>=<value>).
FILTROS = {
    "nombre": [filtro_de_servicio("Contiene", roles_empresa.con_nombre)],
    "activo": [filtro_de_servicio("Es", roles_empresa.con_estado)],
}


class DatosRoles(DatosDeEmpresa):
    """RolEmpresa with its computed columns, search by name and state, and a stable order (ids: DatosDeEmpresa)."""

    filter_converter_class = convertidor_de(FILTROS)
    columnas_calculadas = COLUMNAS_CALCULADAS

    def __init__(self):
        super().__init__(RolEmpresa)

    orden_por_columna = ORDEN

    def orden_por_defecto(self) -> tuple:
        """Predefined first, then by name."""
        return (RolEmpresa.predefinido.desc(), func.lower(RolEmpresa.nombre), RolEmpresa.id)

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None, **_):
        """Count + one page + the leaves and active users of the page's roles (`roles_empresa.resumen`): four
        statements."""
        total, roles = super().query(filters, order_column, order_direction, page=page, page_size=page_size)
        permisos, activos = roles_empresa.resumen(self.session, [r.id for r in roles])
        g.setdefault("resumen_roles", {}).update({r.id: (permisos[r.id], activos[r.id]) for r in roles})
        return total, roles


# ---------------------------------------------------------------- formatters


def _nombre(rol: RolEmpresa) -> Markup:
    marca = Markup(' <span class="label label-default">Predefinido</span>') if rol.predefinido else Markup("")
    return Markup("<strong>%s</strong>") % rol.nombre + marca


def _estado(activo: bool) -> Markup:
    if activo:
        return Markup('<span class="label label-success">Activo</span>')
    return Markup('<span class="label label-warning">Inactivo</span>')


def _por_rama(permisos) -> Markup:
    """«Rama: todos» or «Rama: ver, registrar» for each branch with a leaf, one line each."""
    lineas = []
    for rama in arbol_permisos.ARBOL:
        suyas = [nombre.lower() for codigo, nombre in rama.hojas if codigo in permisos]
        if suyas:
            texto = "todos" if len(suyas) == len(rama.hojas) else ", ".join(suyas)
            lineas.append(Markup("<div><small><strong>%s:</strong> %s</small></div>") % (rama.nombre, texto))
    return Markup("").join(lineas)


def _arbol(permisos, solo_lectura: bool = False) -> Markup:
    """The permission tree of empresa_admin/_arbol.html (the same macro as always; static/js/arbol_permisos.js)."""
    macro = get_template_attribute("empresa_admin/_arbol.html", "arbol_permisos")
    return macro(arbol_permisos.ARBOL, frozenset(permisos or ()), solo_lectura=solo_lectura)


# ---------------------------------------------------------------- forms


class _Obligatorio:
    """Marks a field as required (asterisk, aria); what is missing is said by the service, in Spanish."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class _ArbolWidget:
    def __call__(self, field, **kwargs):
        return _arbol(field.data)


class CampoArbol(Field):
    """The permission tree as one form field (checkboxes named «permiso»). Its data: the chosen leaves, resolved
    with the branches that were shown checked («rama_previa»), so that checking or unchecking a branch works
    without JavaScript (`roles_empresa.resolver_seleccion`). Unknown codes are kept for the service to report."""

    widget = _ArbolWidget()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self._ramas_previas = formdata.getlist("rama_previa") if formdata is not None else []
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist):
        self.data = roles_empresa.resolver_seleccion(valuelist, self._ramas_previas)


CAMPOS_FORMULARIO = {
    "nombre": StringField(
        "Nombre del rol",
        validators=[_Obligatorio()],
        widget=BS3TextFieldWidget(),
        render_kw={"maxlength": 60},
    ),
    "descripcion": TextAreaField(
        "Descripción",
        widget=BS3TextAreaFieldWidget(),
        render_kw={"maxlength": 300, "rows": 3},
        description="Use una descripción clara de las responsabilidades del rol.",
    ),
    "estado": SelectField(
        "Estado",
        choices=[("activo", "Activo"), ("inactivo", "Inactivo")],
        default="activo",
        validate_choice=False,  # the service says «Seleccione el estado del rol»
        validators=[_Obligatorio()],
        render_kw={"class": "form-control"},
        description="Un rol inactivo no otorga ningún permiso a quienes lo tengan.",
    ),
    "permiso": CampoArbol("Permisos", validators=[_Obligatorio()], description=AYUDA_PERMISOS),
}


class ListaRoles(ListWidget):
    template = "empresa_admin/roles_tabla.html"


class FichaRol(ShowWidget):
    template = "empresa_admin/rol_ficha.html"


class FormularioRol(FormWidget):
    template = "empresa_admin/rol_formulario.html"


# ---------------------------------------------------------------- the view


class RolesEmpresaModelView(VistaModeloDeEmpresa):
    datamodel = DatosRoles()
    route_base = "/empresa/roles"
    class_permission_name = PERMISO_VISTA
    method_permission_name = {
        "list": "ver",
        "show": "ver",
        "add": "crear",
        "edit": "editar",
        "delete": "eliminar",
        "inactivar": "editar",
        "reactivar": "editar",
    }
    include_route_methods = set(method_permission_name)

    list_title = "Roles de la empresa"
    show_title = "Rol de la empresa"
    add_title = "Crear rol"
    list_template = "empresa_admin/roles.html"
    show_template = "empresa_admin/rol_ver.html"
    add_template = edit_template = "empresa_admin/rol_form.html"
    list_widget = ListaRoles
    show_widget = FichaRol
    add_widget = edit_widget = FormularioRol

    label_columns = {
        "rol": "Nombre",
        "nombre": "Nombre",
        "descripcion": "Descripción",
        "activo": "Estado",
        "resumen_permisos": "Permisos",
        "permisos": "Permisos",
        "usuarios_activos": "Usuarios activos",
    }
    list_columns = ["rol", "descripcion", "activo", "resumen_permisos", "usuarios_activos"]
    show_columns = ["rol", "descripcion", "activo", "usuarios_activos", "permisos"]
    order_columns = list(ORDEN)
    search_columns = ["nombre", "activo"]
    search_form_extra_fields = {
        "nombre": StringField("Nombre", widget=BS3TextFieldWidget()),
        "activo": SelectField("Estado", choices=[(e, e) for e in roles_empresa.ESTADOS], widget=Select2Widget()),
    }
    add_columns = edit_columns = list(CAMPOS_FORMULARIO)
    add_form_extra_fields = edit_form_extra_fields = CAMPOS_FORMULARIO
    formatters_columns = {
        "rol": _nombre,
        "activo": _estado,
        "resumen_permisos": _por_rama,
        "permisos": lambda permisos: _arbol(permisos, solo_lectura=True),
    }
    page_size = POR_PAGINA

    # ---------------------------------------------------------- who may come in: VistaDeEmpresa

    def _volver(self, mensaje: str, categoria: str):
        flash(mensaje, categoria)
        return redirect(url_for(".list"))

    def _libre_o_volver(self, rol: RolEmpresa):
        """None if the custom role may be viewed or changed; else back to the list with the service's message."""
        resultado = ejecutar(lambda: roles_empresa.exigir_libre(db.session, rol), flashear=False)
        return None if resultado else self._volver(resultado.error.mensaje, "warning")

    # ---------------------------------------------------------- detail (the list is FAB's: VistaModeloDeEmpresa)

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        rol = self.fila_o_404(pk)
        if not rol.predefinido and (ocupado := self._libre_o_volver(rol)) is not None:
            return ocupado
        return self.render_template(
            self.show_template,
            title=f"Rol «{rol.nombre}»",
            widgets=self.widgets_ficha(rol),
            rol=rol,
        )

    # ---------------------------------------------------------- add and edit

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        form = self.add_form.refresh()
        return self._formulario(form, None)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        rol = self.fila_o_404(pk)
        if (ocupado := self._libre_o_volver(rol)) is not None:
            return ocupado
        if request.method == "POST":
            form = self.edit_form.refresh(request.form)
        else:
            form = self.edit_form.refresh(obj=rol)
            form.estado.data = "activo" if rol.activo else "inactivo"
            form.permiso.data = roles_empresa.permisos_de(db.session, rol.id)
        return self._formulario(form, rol)

    def _formulario(self, form, rol: RolEmpresa | None):
        """GET: the form. POST: the service validates and saves (one transaction) or the form comes back, 400."""
        if request.method == "POST":
            respuesta = self._guardar(form, rol)
            if respuesta is not None:
                return respuesta
        titulo = self.add_title if rol is None else f"Editar rol «{rol.nombre}»"
        widgets = self.widgets_alta(form) if rol is None else self.widgets_edicion(form)
        return (
            self.render_template(self.add_template, title=titulo, widgets=widgets),
            400 if request.method == "POST" else 200,
        )

    def _guardar(self, form, rol: RolEmpresa | None):
        if not form.validate():  # only the CSRF token can fail here: the rules are the service's
            return None

        def guardar() -> RolEmpresa:
            datos = roles_empresa.validar(
                db.session,
                g.empresa_id,
                form.nombre.data,
                form.descripcion.data,
                form.estado.data,
                form.permiso.data,
                excepto_id=rol.id if rol else None,
            )
            if rol is None:
                return roles_empresa.crear(db.session, g.empresa_id, g.user.id, datos, request.remote_addr)
            return roles_empresa.editar(db.session, g.empresa_id, rol.id, g.user.id, datos, request.remote_addr)

        resultado = ejecutar(guardar, form, flashear=False)
        if resultado:
            mensaje = MSG_CREADO if rol is None else MSG_ACTUALIZADO
            return self._volver(mensaje.format(nombre=resultado.valor.nombre), "success")
        if not isinstance(resultado.error, ErroresValidacion):  # the role was taken by an active user meanwhile
            return self._volver(resultado.error.mensaje, "warning")
        form.permiso.errors = list(form.permiso.errors) + resultado.resto  # «permisos» (the tree) is «permiso»
        return None

    # ---------------------------------------------------------- delete

    @expose("/delete/<pk>", methods=["POST"])
    @has_access
    def delete(self, pk):
        rol = self.fila_o_404(pk)
        nombre = rol.nombre
        if ejecutar(lambda: roles_empresa.eliminar(db.session, g.empresa_id, rol.id, g.user.id, request.remote_addr)):
            flash(MSG_ELIMINADO.format(nombre=nombre), "success")
        return redirect(url_for(".list"))

    # ---------------------------------------------------------- pause and resume (allowed while assigned)

    @expose("/inactivar/<pk>", methods=["POST"])
    @has_access
    def inactivar(self, pk):
        return self._cambiar_estado(pk, roles_empresa.inactivar, MSG_INACTIVADO)

    @expose("/reactivar/<pk>", methods=["POST"])
    @has_access
    def reactivar(self, pk):
        return self._cambiar_estado(pk, roles_empresa.reactivar, MSG_REACTIVADO)

    def _cambiar_estado(self, pk, servicio, mensaje: str):
        rol = self.fila_o_404(pk)
        resultado = ejecutar(lambda: servicio(db.session, g.empresa_id, rol.id, g.user.id, request.remote_addr))
        if resultado:
            flash(mensaje.format(nombre=resultado.valor.nombre), "success")
        return redirect(url_for(".list"))


def register(appbuilder) -> None:
    registrar_en_mi_empresa(appbuilder, RolesEmpresaModelView, "Roles", "fa-sitemap", rama="roles")
