"""Revisión → Cola de expedientes (issue 13 §1): the radicated expedientes of the funcionario's grupos as a generated
FAB list, the legal due date first, and the coordinator's assignment of one or many of them.

- Who: the staff roles' pair of the view (Coordinador, Revisor legal, Revisor técnico: app/security/roles.py), acting
  as nobody, and an active funcionario with grupos: `VistaDeFuncionario` checks it on every route and sets
  g.grupos_revision; the tenancy filter (`Expediente.__titular__`, app/security/tenancy.py) then keeps every other
  grupo's rows out of the count, the page and the assignment — an id of another grupo is a 404.
- Assigning is the coordinator's alone (permission «asignar» of the view, which only the Coordinador's role holds
  whole): the «Asignar» link of a row, or the bulk action on the selected rows, opens one form for one or many
  expedientes; app/services/revision/cola.py validates and writes, inside the unit of work (app/web/transaccion.py).
- At a million rows: the default order is (vence_en ASC NULLS LAST, id), the order of the partial indexes of
  migration 0009 (ix_expediente_cola_grupo for a funcionario's grupo, ix_expediente_cola_asignado for «asignados a
  mí»); the count stops at 1 001 (DatosModelo); the trámite, the titular and the assignee of the page's rows come in
  the page's statement (joined). A page costs five statements: the user, the funcionario, the search's choices, the
  count and the page (tests/integration/test_cola_revision.py, bench/cola_revision.py).
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import DatePickerWidget, Select2Widget
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import joinedload, lazyload, load_only
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from app.extensions import db
from app.models.catalogo import TramiteVersion
from app.models.empresas import Empresa
from app.models.expedientes import ESTADO_EN_RECURSO, ESTADOS_ABIERTOS, ESTADOS_CERRADOS, ESTADOS_DECIDIDOS, Expediente
from app.models.personas import Usuario
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import VistaDeFuncionario
from app.services.busqueda_expedientes import fecha_de_filtro_valida
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.fechas import fecha_hora
from app.services.revision import cola, plazos
from app.views.crud.empresa_comun import DatosDeEmpresa, convertidor_de, filtro_de_servicio
from app.views.crud.expedientes import elecciones_de_tramites
from app.web.transaccion import ejecutar
from app.web.vistas_modelo import VistaModelo

MENU = "Revisión"
NOMBRE_MENU = "Cola de expedientes"
PERMISO_VISTA = "ColaRevisionView"
PERMISO_ASIGNAR = "asignar"
# The verification screen of an expediente (issue 13 §2); its literal address while that view is absent.
ENDPOINT_VERIFICACION = "VerificacionView.ver"
RUTA_VERIFICACION = "/revision/expedientes/{id}/"

MSG_ASIGNADOS = "{n} expediente(s) asignado(s) a {funcionario}."


def url_verificacion(expediente_id: int) -> str:
    """The address of the expediente's verification screen."""
    if ENDPOINT_VERIFICACION in current_app.view_functions:
        return url_for(ENDPOINT_VERIFICACION, expediente_id=expediente_id)
    return RUTA_VERIFICACION.format(id=expediente_id)


def url_asignar(*ids: int) -> str:
    return url_for("ColaRevisionView.asignar", id=list(ids))


# ---------------------------------------------------------------- search (the URL says _flt_<n>_<column>=<value>)


def asignacion(valor: str):
    """«Asignados a mí» is the person of the request's."""
    return cola.con_asignacion(valor, g.user.id)


FILTROS = {
    "estado": [filtro_de_servicio("Es", cola.con_estado, valido=cola.estado_de_busqueda)],
    "version": [filtro_de_servicio("Es", cola.con_tramite)],
    "familia": [filtro_de_servicio("Es", cola.con_familia)],
    "radicado_en": [
        filtro_de_servicio("Desde", cola.radicado_desde, fecha_de_filtro_valida),
        filtro_de_servicio("Hasta", cola.radicado_hasta, fecha_de_filtro_valida),
    ],
    "asignado_a": [filtro_de_servicio("Es", asignacion, valido=cola.ASIGNACION.__contains__)],
    "bajo_insistencia": [filtro_de_servicio("Es", cola.con_insistencia, valido=cola.INSISTENCIA.__contains__)],
    "vence_en": [filtro_de_servicio("Es", cola.por_vencer, valido=cola.vencimiento_de_busqueda)],
}


def _opciones() -> cola.Opciones:
    """The families and trámites of the funcionario's grupos: one statement per request for both selects."""
    if "opciones_cola" not in g:
        g.opciones_cola = cola.opciones_de_busqueda(db.session, g.get("grupos_revision") or ())
    return g.opciones_cola


def _tramites() -> list[SelectChoice]:
    return elecciones_de_tramites(_opciones().tramites)


def _familias() -> list[SelectChoice]:
    return [SelectChoice(codigo, nombre) for codigo, nombre in _opciones().familias]


def _elecciones(valores: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(valor, etiqueta) for valor, etiqueta in valores.items()]


# ---------------------------------------------------------------- the data interface


# What a row shows, and nothing else: not the sections (JSONB) nor the version's texts.
COLUMNAS_DE_LA_LISTA = (
    load_only(
        Expediente.empresa_id,
        Expediente.persona_id,
        Expediente.tramite_version_id,
        Expediente.estado,
        Expediente.radicado,
        Expediente.radicado_en,
        Expediente.bajo_insistencia,
        Expediente.asignado_a_id,
        Expediente.termino_dias,
        Expediente.dias_usados,
        Expediente.reloj_desde,
        Expediente.vence_en,
    ),
    joinedload(Expediente.version).load_only(TramiteVersion.nombre),
    joinedload(Expediente.empresa).load_only(Empresa.razon_social),
    # A user's identification type is joined by default (Usuario.tipo_identificacion): not here, where only the name
    # shows — two more tables in the join made PostgreSQL hash the whole grupo instead of reading the index in order.
    joinedload(Expediente.persona).options(
        load_only(Usuario.first_name, Usuario.last_name), lazyload(Usuario.tipo_identificacion)
    ),
    joinedload(Expediente.asignado_a).options(
        load_only(Usuario.first_name, Usuario.last_name), lazyload(Usuario.tipo_identificacion)
    ),
)


class DatosCola(DatosDeEmpresa):
    """Expediente: the grupos' radicated rows (tenancy + base filter), by legal due date, the related names joined."""

    filter_converter_class = convertidor_de(FILTROS)
    columnas_calculadas = {
        "radicado": lambda e: e,
        "version": lambda e: e.version.nombre,
        "titular": lambda e: e.titular_nombre,
        "asignado_a": lambda e: e,
        "plazo": lambda e: e,
        "bajo_insistencia": lambda e: "Sí" if (e.bajo_insistencia or "").strip() else "No",
    }

    def __init__(self):
        super().__init__(Expediente)

    def orden_por_defecto(self) -> tuple:
        """The legal due date first, suspended and decided ones (no due date) last: the indexes' order."""
        return (Expediente.vence_en.asc().nulls_last(), Expediente.id.asc())

    def opciones_de_carga(self) -> tuple:
        return COLUMNAS_DE_LA_LISTA


# ---------------------------------------------------------------- formatters


def _enlace(expediente: Expediente) -> Markup:
    return Markup('<a class="text-nowrap" href="%s">%s</a>') % (url_verificacion(expediente.id), expediente.radicado)


def _momento(valor) -> Markup:
    return Markup('<span class="text-nowrap">%s</span>') % fecha_hora(valor)


def _estado(estado: str) -> Markup:
    clase = "warning" if estado == ESTADO_EN_RECURSO else "default" if estado in ESTADOS_DECIDIDOS else "info"
    return Markup('<span class="label label-%s">%s</span>') % (clase, estado)


def _asignado(expediente: Expediente) -> Markup:
    """The assignee's name (or «Sin asignar») and, for whoever may assign, the link to (re)assign an open one."""
    usuario = expediente.asignado_a
    nombre = f"{usuario.first_name} {usuario.last_name}" if usuario else "Sin asignar"
    html = Markup('<span class="text-muted">%s</span>') % nombre if usuario is None else Markup("%s") % nombre
    if g.get("puede_asignar_cola") and expediente.estado not in ESTADOS_CERRADOS:
        texto = "Reasignar" if usuario else "Asignar"
        html += Markup(' <a class="btn btn-xs btn-default" href="%s">%s</a>') % (url_asignar(expediente.id), texto)
    return html


def _plazo(expediente: Expediente) -> Markup:
    """Días hábiles transcurridos / término; «suspendido» while a requerimiento stops the clock."""
    if expediente.termino_dias is None:
        return Markup("")
    if expediente.reloj_desde is None and expediente.estado in ESTADOS_ABIERTOS:
        return Markup('<span class="label label-warning">suspendido</span>')
    transcurridos = plazos.transcurridos(expediente, g.hoy_cola)
    texto = f"{transcurridos} / {expediente.termino_dias}"
    if expediente.vence_en is not None and transcurridos > expediente.termino_dias:
        return Markup('<span class="label label-danger" title="Término vencido">%s</span>') % texto
    return Markup('<span class="text-nowrap">%s</span>') % texto


# ---------------------------------------------------------------- the assignment form


class AsignacionForm(FlaskForm):
    funcionario = SelectField("Funcionario", choices=[], validate_choice=False)
    motivo = TextAreaField("Motivo de la reasignación")


# ---------------------------------------------------------------- the view


class ColaRevisionView(VistaDeFuncionario, VistaModelo):
    datamodel = DatosCola()
    route_base = "/revision/cola"
    class_permission_name = PERMISO_VISTA
    # Only radicated expedientes (a draft is the applicant's alone), in the list and the count: the condition of the
    # partial indexes of migration 0009, without which PostgreSQL cannot use them.
    base_filters = [["radicado", filtro_de_servicio("Radicado", cola.radicados), None]]
    method_permission_name = {
        "list": "list",
        "asignar": PERMISO_ASIGNAR,
        "guardar_asignacion": PERMISO_ASIGNAR,
        "asignar_seleccionados": PERMISO_ASIGNAR,
    }
    base_permissions = ["can_list", "can_" + PERMISO_ASIGNAR]
    include_route_methods = {"list", "asignar", "guardar_asignacion", "action_post"}

    list_title = "Cola de expedientes"
    label_columns = {
        "radicado": "Radicado",
        "radicado_en": "Fecha de radicación",
        "version": "Trámite",
        "familia": "Familia",
        "titular": "Titular",
        "estado": "Estado",
        "asignado_a": "Asignado a",
        "plazo": "Días hábiles transcurridos / término",
        "vence_en": "Término por vencer",
        "bajo_insistencia": "Bajo insistencia",
    }
    list_columns = [
        "radicado",
        "radicado_en",
        "version",
        "titular",
        "estado",
        "asignado_a",
        "plazo",
        "bajo_insistencia",
    ]
    # List only, but FAB builds its detail and forms at start-up: one plain column spares converting JSONB and ARRAY.
    show_columns = add_columns = edit_columns = ["nombre_producto"]
    order_columns: list[str] = []  # the legal due date is the order (see __init__)
    search_columns = ["estado", "version", "familia", "radicado_en", "asignado_a", "bajo_insistencia", "vence_en"]
    search_form_extra_fields = {
        "estado": SelectField(
            "Estado",
            choices=[
                SelectChoice(cola.ABIERTOS, cola.ETIQUETA_ABIERTOS),
                *(SelectChoice(e) for e in cola.ESTADOS_DE_LA_COLA),
            ],
            widget=Select2Widget(),
        ),
        "version": SelectField("Trámite", choices=_tramites, widget=Select2Widget()),
        "familia": SelectField("Familia", choices=_familias, widget=Select2Widget()),
        "radicado_en": StringField("Fecha de radicación", widget=DatePickerWidget()),
        "asignado_a": SelectField("Asignado a", choices=_elecciones(cola.ASIGNACION), widget=Select2Widget()),
        "bajo_insistencia": SelectField(
            "Bajo insistencia", choices=_elecciones(cola.INSISTENCIA), widget=Select2Widget()
        ),
        "vence_en": SelectField("Término por vencer", choices=_elecciones(cola.VENCIMIENTO), widget=Select2Widget()),
    }
    formatters_columns = {
        "radicado": _enlace,
        "radicado_en": _momento,
        "estado": _estado,
        "asignado_a": _asignado,
        "plazo": _plazo,
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # FAB reads an empty order_columns as «every column»: its headers became sort links that changed nothing.
        # None sorts, and a hand-written _oc_ is a 400 (app/web/entrada.py reads this list).
        self.order_columns = []

    @expose("/")
    @has_access
    def list(self):
        """FAB's own list, at the section's address."""
        g.hoy_cola = cola.hoy()
        g.puede_asignar_cola = self.appbuilder.sm.has_access("can_" + PERMISO_ASIGNAR, PERMISO_VISTA)
        return super().list()

    # ------------------------------------------------------------ assignment

    @action("asignar_seleccionados", "Asignar", icon="fa-user-plus", multiple=True, single=False)
    def asignar_seleccionados(self, ids: list[str]):
        """The bulk action: the form for the selected rows (their ids, as the list posted them)."""
        return redirect(url_for("ColaRevisionView.asignar", id=ids))

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        """FAB's bulk action, refused with 403 (FAB redirects) and handed the selected ids, not their rows (FAB reads
        them one statement each; the form reads them in one)."""
        nombre = request.form.get("action")
        if nombre not in self.actions:
            abort(404)
        if not self.appbuilder.sm.has_access(self.get_action_permission_name(nombre), self.class_permission_name):
            abort(403)
        return self.actions[nombre].func(request.form.getlist("rowid"))

    def _pagina_asignacion(self, ids, form: AsignacionForm, status: int = 200):
        expedientes = cola.expedientes_para_asignar(db.session, ids)
        elegibles = cola.elegibles(db.session, {e.grupo_id for e in expedientes})
        form.funcionario.choices = [SelectChoice("", "Elija un funcionario")] + [
            SelectChoice(str(f.usuario_id), str(f)) for f in elegibles
        ]
        return self.render_template(
            "revision/cola_asignar.html",
            title="Asignar expedientes" if len(expedientes) > 1 else "Asignar expediente",
            form=form,
            expedientes=expedientes,
            reasignacion=any(e.asignado_a_id is not None for e in expedientes),
            url_verificacion=url_verificacion,
        ), status

    def _error(self, error: ErrorDominio, status: int = 400):
        return self.render_template("error.html", codigo=status, mensaje=error.mensaje), status

    @expose("/asignar/")
    @has_access
    def asignar(self):
        """The form for the expedientes `?id=…` (one or many)."""
        try:
            return self._pagina_asignacion(request.args.getlist("id"), AsignacionForm())
        except ErrorDominio as error:
            if isinstance(error, NoEncontrado):
                raise
            return self._error(error)

    @expose("/asignar/", methods=["POST"])
    @has_access
    def guardar_asignacion(self):
        form = AsignacionForm()
        ids = request.form.getlist("id")
        resultado = ejecutar(
            lambda: cola.asignar(
                db.session, ids, form.funcionario.data, form.motivo.data, g.user.id, request.remote_addr
            ),
            form=form,
            flashear=False,
        )
        if not resultado:
            if not (resultado.error.campo or isinstance(resultado.error, ErroresValidacion)):
                return self._error(resultado.error)  # the expedientes themselves: decided, not valid ids
            return self._pagina_asignacion(ids, form, 400)
        asignados = resultado.valor
        usuario = asignados[0].asignado_a
        flash(
            MSG_ASIGNADOS.format(n=len(asignados), funcionario=f"{usuario.first_name} {usuario.last_name}"), "success"
        )
        return redirect(url_for("ColaRevisionView.list"))


def register(appbuilder) -> None:
    appbuilder.add_view(
        ColaRevisionView,
        NOMBRE_MENU,
        href=ColaRevisionView.route_base + "/",
        icon="fa-inbox",
        category=MENU,
        category_icon="fa-gavel",
    )
    VISTAS.registrar_de_funcionario(PERMISO_VISTA, NOMBRE_MENU, MENU)
