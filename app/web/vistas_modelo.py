"""The one base of the app's generated screens (FAB ModelViews) and of their data interface.

FAB keeps a screen's active search (`_filters`) on the view object, created once at start-up and shared by every
request (Flask-AppBuilder issue #2366): under a threaded server one request's list could be filtered with another's
search. `FiltrosPorPeticion` gives each request its own copy, kept in `flask.g` for the request.

FAB counts a list's rows exactly (`SELECT count(*)` over every matching row): over a million accounts that count is
most of the page's time. `DatosModelo` counts up to TOPE_CONTEO + 1 rows and stops; past the cap the list says
«más de 1 000» and pages up to there, 40 pages of 25 (a search narrows it). 1 000 and not 10 000: counting 10 001
entries of an index was ~2 ms of every page of a big company's or a reviewer's list, 1 001 cost ~0.2 ms
(bench/RESULTADOS.md, decimoctava medición), and nobody reads page 41 of a list instead of searching it. An
unfiltered list of a table the planner estimates at more than twice the cap is not counted at all. Every screen also has a default order (`base_order`,
FAB adds the primary key as tie-breaker), so a page shows the same rows from one request to the next.

The forms FAB generates from the model need two corrections, made here for every screen (`VistaModelo.__init__`):
- Text: FAB's `InputRequired` takes "   " for a value, so a required name could be saved blank. Every text column
  is stripped first (`TextoRecortado`), and a required one left blank gets MSG_EN_BLANCO next to it; a column with a
  default ("" for a tarifa without variant) may stay blank.
- Checkboxes: FAB marks a non-null boolean as required — the browser then refuses to send it unchecked, so «No» could
  never be saved. Boolean columns get a plain `BooleanField` (unchecked is «No»).
FAB also appends its own validators (Length, InputRequired, Unique) to the very list `validators_columns` holds, once
per form it builds: the add and the edit form shared one list and a repeated value said «Ya existe. Ya existe.».
`ValidadoresPorColumna` hands FAB a new list each time.
"""

from __future__ import annotations

from flask import abort, g, has_request_context, request
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from flask_appbuilder.widgets import ListWidget
from sqlalchemy import Integer, literal, text
from wtforms import BooleanField
from wtforms.validators import StopValidation

TOPE_CONTEO = 1_000
MSG_EN_BLANCO = "Este campo es obligatorio; no puede quedar en blanco."


class ConteoAcotado(int):
    """A count that reached the cap: arithmetic (FAB's pager) sees TOPE_CONTEO + 1, people read «más de 1 000»."""

    def __str__(self) -> str:
        return "más de " + f"{TOPE_CONTEO:,}".replace(",", " ")


class ConvertidorRecordado(SQLAFilterConverter):
    """FAB's filter converter, converting each column once per data interface.

    Every `Filters` FAB builds converts every column of the model to its filter classes — the view's search, and
    three more inside each list request (joined, inner for the count, inner for the page): for the users' screen
    ~250 conversions per request, ~8 % of the list's time (bench/RESULTADOS.md, novena medición). What a column
    converts to depends only on its type, and filter objects keep no state, so the list is kept on the interface
    and each Filters gets its own copy of it."""

    def convert(self, col_name):
        recordados = self.datamodel.__dict__.setdefault("_filtros_por_columna", {})
        if col_name not in recordados:
            recordados[col_name] = super().convert(col_name)
        filtros = recordados[col_name]
        return None if filtros is None else list(filtros)


class DatosModelo(SQLAInterface):
    """FAB's SQLAInterface whose list count stops at TOPE_CONTEO + 1 rows, and converts filters once."""

    filter_converter_class = ConvertidorRecordado

    def query_count(self, query, filters=None, select_columns=None) -> int:
        filtrada = self.apply_all(query, filters, select_columns=select_columns)
        if self._sin_condiciones(filtrada) and self._filas_estimadas() > 2 * TOPE_CONTEO:
            return ConteoAcotado(TOPE_CONTEO + 1)
        total = filtrada.order_by(None).limit(_en_el_texto(TOPE_CONTEO + 1)).count()
        return ConteoAcotado(total) if total > TOPE_CONTEO else total

    def apply_pagination(self, query, page, page_size):
        """FAB's paging with LIMIT and OFFSET written into the statement, not sent as parameters.

        psycopg prepares a statement that a connection runs often, and PostgreSQL then keeps one generic plan
        for it instead of planning it again — but only when that plan looks as cheap as the ones made for the
        values. With `LIMIT $1` the generic plan cannot know the page is 25 rows and looks expensive, so every
        list page was planned anew: ~0.8 ms of planning for ~0.2 ms of execution in the review queue's page
        (bench/RESULTADOS.md, decimoctava medición). A number in the text lets the generic plan be the cheap
        one; each page number is its own statement (the first pages are the ones read)."""
        if page and page_size:
            query = query.offset(_en_el_texto(page * page_size))
        if page_size:
            query = query.limit(_en_el_texto(page_size))
        return query

    def _sin_condiciones(self, consulta) -> bool:
        """Every row of the table: no search, no base filter, not a per-company or per-titular model (their filter,
        app/security/tenancy.py, is added later: the estimate of the whole table says nothing of one company's)."""
        marcado = getattr(self.obj, "__tenant__", False) or getattr(self.obj, "__titular__", False)
        return consulta.whereclause is None and not marcado

    def _filas_estimadas(self) -> float:
        """The planner's row estimate for the table (pg_class.reltuples, kept by ANALYZE and autovacuum; -1 or
        nothing when unknown). Only used to skip counting TOPE_CONTEO + 1 rows of an unfiltered list far over the
        cap: at a million accounts that count was ~20 % of the list (bench/RESULTADOS.md, décima medición)."""
        estimadas = self.session.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:tabla)"),
            {"tabla": self.obj.__table__.fullname},
        ).scalar()
        return estimadas or -1


def _en_el_texto(numero: int):
    """An integer SQLAlchemy writes into the SQL text when it executes (`literal_execute`); the compiled statement
    stays in SQLAlchemy's cache."""
    return literal(int(numero), Integer, literal_execute=True)


def id_en_edicion(form) -> int | None:
    """The id of the row a generated edit form is for (FAB sets `form._id` for its own uniqueness check), or None in
    an add form: what a validator of "nobody else has this value" leaves out."""
    propio = getattr(form, "_id", None)
    return int(propio) if propio is not None else None


class FiltrosPorPeticion:
    """Mixin before FAB's view class: the search (`_filters`) lives in the request, not on the shared view."""

    _filtros_de_la_vista = None

    @property
    def _filters(self):
        if not has_request_context():
            return self._filtros_de_la_vista
        propios = g.setdefault("filtros_por_vista", {})
        if id(self) not in propios:
            propios[id(self)] = self.datamodel.get_filters(self.search_columns)
        return propios[id(self)]

    @_filters.setter
    def _filters(self, filtros):
        # FAB assigns it once when the view is built; requests never write it, they fill their own copy.
        self._filtros_de_la_vista = filtros


class ListaLigera(ListWidget):
    """FAB's list widget whose rows build their «Ver» / «Editar» buttons from values worked out once per page
    (listas/filas.html): the same HTML, ~11 % less time on a page of 25 rows (bench/RESULTADOS.md, novena medición)."""

    template = "listas/filas.html"


class TextoRecortado:
    """First validator of a text column: strips what was typed; blank, it stops the field's validation — with
    MSG_EN_BLANCO if the column is required, quietly if it may be empty (FAB's own `InputRequired` never runs)."""

    def __init__(self, obligatorio: bool):
        self.obligatorio = obligatorio
        self.field_flags = {"required": True} if obligatorio else {}

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            field.data = field.data.strip()
        if not field.data:
            field.errors[:] = []
            raise StopValidation(MSG_EN_BLANCO if self.obligatorio else "")


class ValidadoresPorColumna(dict):
    """A screen's `validators_columns` as FAB's form builder reads it (`.get(columna, [])`, once per form): a new
    list each time, led by `TextoRecortado` for a text column."""

    def __init__(self, datamodel: SQLAInterface, propios: dict):
        super().__init__(propios)
        self.datamodel = datamodel

    def __bool__(self) -> bool:
        # FAB replaces a falsy `validators_columns` (a screen that declares none) with a plain {}.
        return True

    def get(self, columna, defecto=None):
        validadores = list(super().get(columna, defecto or []))
        if self.datamodel.is_string(columna):
            columna_sql = self.datamodel.list_columns[columna]
            obligatorio = not columna_sql.nullable and columna_sql.default is None
            validadores.insert(0, TextoRecortado(obligatorio))
        return validadores


class FormularioConEstado:
    """Mixin before FAB's view class: a generated add or edit form sent with errors answers 400, not 200 (FAB
    renders it again either way; a success is FAB's redirect)."""

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        return _con_estado(super().add())

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        return _con_estado(super().edit(pk))


def _con_estado(respuesta):
    """FAB's form page after a POST is the form again, with its errors: 400."""
    if request.method == "POST" and isinstance(respuesta, str):
        return respuesta, 400
    return respuesta


class VistaModelo(FormularioConEstado, FiltrosPorPeticion, ModelView):
    """Base of every generated screen of the app (the platform's user screens use the mixin on FAB's own class)."""

    list_widget = ListaLigera
    # The screen's titles from two words: «Requisitos» (the list), «Requisito» (the detail), «Agregar requisito»,
    # «Editar requisito». A title set on the class wins.
    singular = ""
    plural = ""
    page_size = 25
    max_page_size = 100
    base_order = ("id", "asc")

    def __init__(self, **kwargs):
        if self.singular:
            self.list_title = self.list_title or self.plural
            self.show_title = self.show_title or self.singular
            self.add_title = self.add_title or f"Agregar {self.singular.lower()}"
            self.edit_title = self.edit_title or f"Editar {self.singular.lower()}"
        # The corrections of the generated forms (see the module's docstring); a field the screen declares wins.
        self.validators_columns = ValidadoresPorColumna(self.datamodel, self.validators_columns or {})
        self.add_form_extra_fields = {**self._casillas(self.add_columns), **(self.add_form_extra_fields or {})}
        self.edit_form_extra_fields = {**self._casillas(self.edit_columns), **(self.edit_form_extra_fields or {})}
        super().__init__(**kwargs)

    def _casillas(self, columnas) -> dict:
        """A plain checkbox for each boolean column of a form (FAB's default columns when the screen lists none)."""
        etiquetas, descripciones = self.label_columns or {}, self.description_columns or {}
        return {
            columna: BooleanField(
                etiquetas.get(columna, columna.replace("_", " ").capitalize()),
                description=descripciones.get(columna, ""),
                default=self.datamodel.get_col_default(columna),
            )
            for columna in columnas or self.datamodel.get_user_columns_list()
            if self.datamodel.is_boolean(columna)
        }

    def fila_o_404(self, pk):
        """The row with that id as this screen may see it (a tenant model: only the acting company's), else 404."""
        fila = self.datamodel.get(pk)
        if fila is None:
            abort(404)
        return fila

    # A screen that draws its own detail or form page (a service writes, not FAB's populate_obj) builds FAB's
    # widgets through their public classes, with the arguments FAB's own show/add/edit pass them.

    def widgets_ficha(self, item) -> dict:
        """The detail of one row: {"show": FAB's show widget}, values through `datamodel.get_values_item`."""
        ficha = self.show_widget(
            pk=self.datamodel.get_pk_value(item),
            label_columns=self.label_columns,
            include_columns=self.show_columns,
            value_columns=self.datamodel.get_values_item(item, self.show_columns),
            formatters_columns=self.formatters_columns,
            actions=self.actions,
            fieldsets=self.show_fieldsets,
            modelview_name=type(self).__name__,
        )
        return {"show": ficha}

    def widgets_alta(self, form) -> dict:
        """The add form: {"add": FAB's add widget}."""
        alta = self.add_widget(form=form, include_cols=self.add_columns, exclude_cols=[], fieldsets=self.add_fieldsets)
        return {"add": alta}

    def widgets_edicion(self, form) -> dict:
        """The edit form: {"edit": FAB's edit widget}."""
        edicion = self.edit_widget(
            form=form, include_cols=self.edit_columns, exclude_cols=[], fieldsets=self.edit_fieldsets
        )
        return {"edit": edicion}


class VistaDeConsulta(VistaModelo):
    """A generated screen that only lists and shows (records, the outbox, companies): no add, edit or delete."""

    base_permissions = ["can_list", "can_show"]
