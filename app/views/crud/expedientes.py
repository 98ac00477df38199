"""«Mis expedientes» (Trámites → Mis expedientes, issue 12 §2 and §4): the titular's expedientes as a generated FAB
list, newest first, with a search by trámite, state, creation date and radicado.

- Whose: acting as a company, that company's expedientes (the leaf Expedientes → Ver of the person's roles); acting
  as persona natural, the person's own (the platform role «Usuario» holds the FAB pair). `VistaDeTitular` checks it
  on every route; the tenancy filter (`Expediente.__titular__`, app/security/tenancy.py) keeps every other titular's
  rows out of the count and the page, whatever the URL says.
- List only: each row links to the expediente's page (/expedientes/<id>/, app/views/flows/expedientes.py), and the
  «Nuevo trámite» button above the list opens the wizard.
- At a million rows: the page is ordered by (creado_en, id) in one direction, the order of the partial indexes
  ix_expediente_empresa_creado / ix_expediente_persona_creado (migration 0008), read backwards for the oldest first;
  the count stops at 1 001 (DatosModelo); the trámite of the page's rows comes in the page's statement (joined).
  A page costs four statements whatever its size: the user (with permissions and company), the trámites offered by
  the search, the count and the page (tests/integration/test_mis_expedientes.py, bench/mis_expedientes.py).
- The search never loads a table into a dropdown: the trámite is chosen among the ~34 published ones, grouped by
  family (app/services/busqueda_expedientes.py writes every condition).
"""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, DatePickerWidget, Select2Widget
from flask_appbuilder.security.decorators import has_access
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.orm import joinedload, load_only
from wtforms import SelectChoice, SelectField, StringField

from app.extensions import db
from app.models.catalogo import TramiteVersion
from app.models.expedientes import ESTADO_RADICADO, ESTADOS, Expediente
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import VistaDeTitular, registrar_hojas
from app.services import busqueda_expedientes as busqueda
from app.services.fechas import fecha_hora
from app.views.crud.empresa_comun import DatosDeEmpresa, convertidor_de, filtro_de_servicio
from app.web.vistas_modelo import VistaModelo

MENU = "Trámites"
NOMBRE_MENU = "Mis expedientes"
PERMISO_VISTA = "MisExpedientes"
# The expediente's own page and the wizard (app/views/flows/expedientes.py); the literal paths while it is absent.
ENDPOINT_EXPEDIENTE = "ExpedientesView.ver"


def url_expediente(expediente_id: int) -> str:
    """The address of the expediente's page."""
    return url_for(ENDPOINT_EXPEDIENTE, expediente_id=expediente_id)


# ---------------------------------------------------------------- search (the URL says _flt_<n>_<column>=<value>)


FILTROS = {
    "version": [filtro_de_servicio("Es", busqueda.con_tramite)],
    "estado": [filtro_de_servicio("Es", busqueda.con_estado, valido=ESTADOS.__contains__)],
    "creado_en": [
        filtro_de_servicio("Desde", busqueda.creado_desde, busqueda.fecha_de_filtro_valida),
        filtro_de_servicio("Hasta", busqueda.creado_hasta, busqueda.fecha_de_filtro_valida),
    ],
    "radicado": [filtro_de_servicio("Empieza por", busqueda.con_radicado)],
}


# ---------------------------------------------------------------- the data interface


# What a row shows, and nothing else: not the sections (JSONB) nor the version's texts, large as they grow.
COLUMNAS_DE_LA_LISTA = (
    load_only(
        Expediente.empresa_id,
        Expediente.persona_id,
        Expediente.tramite_version_id,
        Expediente.estado,
        Expediente.nombre_producto,
        Expediente.radicado,
        Expediente.creado_en,
        Expediente.radicado_en,
    ),
    joinedload(Expediente.version).load_only(TramiteVersion.nombre),
)


class DatosExpedientes(DatosDeEmpresa):
    """Expediente: the titular's rows (tenancy), newest first on the titular's index, the trámite joined."""

    filter_converter_class = convertidor_de(FILTROS)
    columnas_calculadas = {"radicado": lambda e: e, "version": lambda e: e.version.nombre}

    def __init__(self):
        super().__init__(Expediente)

    def orden(self, direccion: str) -> tuple:
        """(creado_en, id) both in one direction: the index's order (desc) or its reverse (asc), never a mix, which
        PostgreSQL would have to sort."""
        if direccion == "asc":
            return (Expediente.creado_en.asc(), Expediente.id.asc())
        return (Expediente.creado_en.desc(), Expediente.id.desc())

    def _plan_por_busqueda(self) -> None:
        """A search plans its statements for the values typed, not once for an average titular: PostgreSQL's generic
        plan (chosen after five executions of a prepared statement) assumes ~700 rows per titular and a LIKE $1
        it cannot put on the pattern index, and a search inside a company of 120 000 expedientes went from ~25 ms
        to ~300 ms (bench/RESULTADOS.md, duodécima medición). For this transaction only; the unfiltered page keeps
        its prepared plan."""
        self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None, **_):
        """Count (capped) + one page with its trámite versions joined: two statements. «Creado» is the only header
        that sorts (`order_columns`); anything else is the default order, newest first."""
        base = self.session.query(Expediente)
        if filters is not None and filters.values:
            self._plan_por_busqueda()
        total = self.query_count(base, filters)
        direccion = order_direction if order_column == "creado_en" else "desc"
        consulta = base.options(*COLUMNAS_DE_LA_LISTA).order_by(*self.orden(direccion))
        return total, self.apply_all(consulta, filters, page=page, page_size=page_size).all()


# ---------------------------------------------------------------- formatters


def _enlace(expediente: Expediente) -> Markup:
    return Markup('<a class="text-nowrap" href="%s">%s</a>') % (
        url_expediente(expediente.id),
        expediente.radicado_o_borrador,
    )


def _momento(valor) -> Markup:
    """Date and time on one line (the trámite's name takes the width)."""
    return Markup('<span class="text-nowrap">%s</span>') % fecha_hora(valor)


def _estado(estado: str) -> Markup:
    clase = "success" if estado == ESTADO_RADICADO else "default"
    return Markup('<span class="label label-%s">%s</span>') % (clase, estado)


def _o_vacio(valor) -> str:
    return "" if valor is None else str(valor)


def elecciones_de_tramites(tramites) -> list[SelectChoice]:
    """(familia, código, nombre) → the «Trámite» choices, grouped by family. A name that more than one family uses
    («Desglose», the CVL) says its family, so that the chosen one reads unambiguously once the list is closed."""
    repetidos = {nombre for nombre, n in Counter(nombre for _, _, nombre in tramites).items() if n > 1}
    return [
        SelectChoice(codigo, f"{nombre} ({familia})" if nombre in repetidos else nombre, optgroup=familia)
        for familia, codigo, nombre in tramites
    ]


def _tramites() -> list[SelectChoice]:
    """The published trámites (read on each page: the catalog changes while the app runs)."""
    return elecciones_de_tramites(busqueda.tramites_publicados(db.session))


# ---------------------------------------------------------------- the view


class MisExpedientesView(VistaDeTitular, VistaModelo):
    datamodel = DatosExpedientes()
    route_base = "/expedientes/mis"
    class_permission_name = PERMISO_VISTA
    base_permissions = ["can_list"]
    include_route_methods = {"list"}

    list_title = "Mis expedientes"
    list_template = "listas/mis_expedientes.html"
    label_columns = {
        "radicado": "Radicado",
        "version": "Trámite",
        "nombre_producto": "Producto",
        "estado": "Estado",
        "creado_en": "Creado",
        "radicado_en": "Radicado en",
    }
    list_columns = ["radicado", "version", "nombre_producto", "estado", "creado_en", "radicado_en"]
    # List only, but FAB builds its detail and forms at start-up: one plain column spares converting JSONB and ARRAY.
    show_columns = add_columns = edit_columns = ["nombre_producto"]
    order_columns = ["creado_en"]
    base_order = ("creado_en", "desc")
    search_columns = ["version", "estado", "creado_en", "radicado"]
    search_form_extra_fields = {
        "version": SelectField("Trámite", choices=_tramites, widget=Select2Widget()),
        "estado": SelectField("Estado", choices=[SelectChoice(e) for e in ESTADOS], widget=Select2Widget()),
        "creado_en": StringField("Creado", widget=DatePickerWidget()),
        "radicado": StringField("Radicado", widget=BS3TextFieldWidget()),
    }
    formatters_columns = {
        "radicado": _enlace,
        "nombre_producto": _o_vacio,
        "estado": _estado,
        "creado_en": _momento,
        "radicado_en": _momento,
    }

    @expose("/")
    @has_access
    def list(self):
        """FAB's own list, at the section's address."""
        return super().list()


def register(appbuilder) -> None:
    appbuilder.add_view(
        MisExpedientesView,
        NOMBRE_MENU,
        href=MisExpedientesView.route_base + "/",
        icon="fa-list",
        category=MENU,
        category_icon="fa-folder-open",
    )
    registrar_hojas(MisExpedientesView, ("expedientes.ver", "list"), menu=(MENU, NOMBRE_MENU))
    VISTAS.registrar_de_titular(PERMISO_VISTA, NOMBRE_MENU)
