"""Bad input answers 400 or 404 before a view or a query sees it, for every route at once.

- Text: a NUL byte or a lone surrogate (half of a UTF-16 pair) in the query string, a form field, an uploaded
  file's name, a URL segment or a JSON body → 400. PostgreSQL cannot store either and no form has a use for them.
- JSON bodies (Content-Type application/json): not valid JSON, or nested deeper than PROFUNDIDAD_JSON_MAXIMA, → 400
  (Python's parser fails with a recursion error on a 5,000-deep array).
- Ids in URLs: `<int:…>` only matches 0..ID_MAXIMO (ids are PostgreSQL integers), and the `<pk>` of FAB's generated
  screens only a number within the range of the model's integer key: anything else is a page that does not exist.
- FAB's list parameters on the generated screens (page_*, psize_*, _oc_*/_od_*, _flt_<n>_<columna>, rowid) are
  checked against the screens they name: FAB reads them with int() and hands them to SQL as they come → 400.

A DataError that still reaches Flask (a value PostgreSQL refuses) is answered 400 by app/views/errores.py.
"""

from __future__ import annotations

import re

from dateutil import parser
from flask import abort, request
from flask_appbuilder.baseviews import BaseModelView
from flask_appbuilder.models.filters import FilterRelation
from flask_appbuilder.models.sqla import filters as filtros_sqla
from sqlalchemy import BigInteger, Integer, SmallInteger, inspect
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter

from app.services.ids import ID_MAXIMO
from app.views.errores import SolicitudInvalida

PROFUNDIDAD_JSON_MAXIMA = 32
PAGINA_MAXIMA = 10**6
TAMANO_PAGINA_MAXIMO = 100  # FAB's list offers 25, 50, 75 and 100

MSG_CARACTERES = (
    "La solicitud contiene caracteres no permitidos (un carácter nulo o un carácter Unicode incompleto). "
    "Revise los datos e intente de nuevo."
)
MSG_JSON = "El cuerpo de la solicitud no es un JSON válido."
MSG_JSON_PROFUNDO = f"El JSON enviado tiene más de {PROFUNDIDAD_JSON_MAXIMA} niveles de anidamiento."
MSG_PAGINA = "El número de página de la lista no es válido."
MSG_TAMANO_PAGINA = f"El tamaño de página de la lista debe ser un número entre 1 y {TAMANO_PAGINA_MAXIMO}."
MSG_ORDEN = "La lista no se puede ordenar por esa columna."
MSG_FILTRO = "Uno de los filtros de búsqueda no es válido."
MSG_FILTRO_FECHA = (
    "La fecha de un filtro de búsqueda no es válida: escríbala como AAAA-MM-DD (por ejemplo, 2026-12-04) o elíjala "
    "en el calendario."
)
MSG_FILAS = "La selección de filas no es válida."

_PROHIBIDOS = re.compile("[\x00\ud800-\udfff]")
_FORMULARIOS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# The same patterns FAB's urltools read (unanchored, as there).
_PAGINA = re.compile("page_(.*)")
_TAMANO = re.compile("psize_(.*)")
_ORDEN = re.compile("_oc_(.*)")
_FILTRO = re.compile(r"_flt_(\d)_(.*)")
_MAXIMOS = ((SmallInteger, 2**15 - 1), (BigInteger, 2**63 - 1), (Integer, 2**31 - 1))  # subclasses first


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number above ID_MAXIMO names no row, so the page does not exist (404).

    NotFound rather than werkzeug's ValidationError: with ValidationError the same path's rules for other methods
    would answer 405 (GET /api/v1/empresa/roles/<huge> → "only PUT, DELETE"), as if the resource existed.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAXIMO, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str):
        # int() refuses over 4,300 digits with a ValueError that werkzeug would let through as a 500.
        if len(value) > 19 or int(value) > self.max:
            raise NotFound()
        return super().to_python(value)


def instalar(app) -> None:
    """Before any view is registered: the converter applies to the routes added after it."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_rechazar_texto_y_json_invalidos)


def _rechazar_texto_y_json_invalidos() -> None:
    if any(_PROHIBIDOS.search(texto) for texto in _textos()):
        raise SolicitudInvalida(MSG_CARACTERES)
    if request.is_json and request.get_data(cache=True):
        _revisar_json()


def _textos():
    for valor in (request.view_args or {}).values():
        if isinstance(valor, str):
            yield valor
    for clave, valor in request.args.items(multi=True):
        yield clave
        yield valor
    if request.mimetype in _FORMULARIOS:
        for clave, valor in request.form.items(multi=True):
            yield clave
            yield valor
        for clave, archivo in request.files.items(multi=True):
            yield clave
            yield archivo.filename or ""


def _revisar_json() -> None:
    try:
        datos = request.get_json()
    except BadRequest:
        raise SolicitudInvalida(MSG_JSON) from None
    except RecursionError:
        raise SolicitudInvalida(MSG_JSON_PROFUNDO) from None
    pendientes = [(datos, 1)]
    while pendientes:
        valor, nivel = pendientes.pop()
        if nivel > PROFUNDIDAD_JSON_MAXIMA:
            raise SolicitudInvalida(MSG_JSON_PROFUNDO)
        if isinstance(valor, str):
            if _PROHIBIDOS.search(valor):
                raise SolicitudInvalida(MSG_CARACTERES)
        elif isinstance(valor, dict):
            for clave, hijo in valor.items():
                if _PROHIBIDOS.search(clave):
                    raise SolicitudInvalida(MSG_CARACTERES)
                pendientes.append((hijo, nivel + 1))
        elif isinstance(valor, list):
            pendientes.extend((hijo, nivel + 1) for hijo in valor)


# ---------------------------------------------------------------- FAB's generated screens


def _entero_en(texto, minimo: int, maximo: int) -> bool:
    """`texto` is a plain decimal number (ASCII digits, at most 19) between minimo and maximo."""
    return (
        isinstance(texto, str)
        and 0 < len(texto) <= 19
        and texto.isascii()
        and texto.isdigit()
        and minimo <= int(texto) <= maximo
    )


def maximo_de_la_clave(modelo) -> int | None:
    """The largest value of the model's primary key, if it is one integer column; None otherwise."""
    claves = inspect(modelo).primary_key
    if len(claves) != 1:
        return None
    return next((maximo for tipo, maximo in _MAXIMOS if isinstance(claves[0].type, tipo)), None)


class _Pantalla:
    """What the checks need to know of one generated screen (BaseModelView)."""

    def __init__(self, vista: BaseModelView):
        self.vista = vista
        self.maximo = maximo_de_la_clave(vista.datamodel.obj)
        self.orden = frozenset(getattr(vista, "order_columns", None) or ())  # chart views have none
        # Every column FAB can filter on: the list's search columns and the add/edit pre-fill (_all_filters).
        columnas = vista.datamodel.get_columns_list()
        self.filtros = vista.datamodel.get_filters(columnas).get_search_filters()
        self.acciones = frozenset(getattr(vista, "actions", None) or ())
        # FAB's /download/<filename> serves UPLOAD_FOLDER for file columns; no model here has one.
        self.descargas = any(vista.datamodel.is_file(c) or vista.datamodel.is_image(c) for c in columnas)

    def ruta_valida(self, metodo: str, valores: dict) -> bool:
        """The `<pk>` names a possible row, `<name>` one of the screen's actions (FAB calls it blindly), a chart's
        `<group_by>` (read with int()) one of its charts; /download/ only where there are files."""
        if "pk" in valores and self.maximo is not None and not _entero_en(valores["pk"], 0, self.maximo):
            return False
        if metodo == "action" and valores.get("name") not in self.acciones:
            return False
        if metodo == "download" and not self.descargas:
            return False
        graficos = getattr(self.vista, "definitions", None)
        if "group_by" in valores and graficos is not None:
            return _entero_en(valores["group_by"], 0, len(graficos) - 1)
        return True


def instalar_pantallas(app, appbuilder) -> None:
    """After the views are registered: checks for the `<pk>` and list parameters of every generated screen."""
    pantallas = {v.endpoint: _Pantalla(v) for v in appbuilder.baseviews if isinstance(v, BaseModelView)}
    por_clase = {type(p.vista).__name__: p for p in pantallas.values()}

    @app.url_value_preprocessor
    def _valores_de_ruta(endpoint, valores) -> None:
        vista, _, metodo = (endpoint or "").rpartition(".")
        pantalla = pantallas.get(vista)
        if pantalla is not None and valores and not pantalla.ruta_valida(metodo, valores):
            abort(404)

    @app.before_request
    def _parametros_de_lista() -> None:
        pantalla = pantallas.get(request.blueprint or "")
        if pantalla is None:
            return
        for clave, valor in request.args.items(multi=True):
            _revisar_parametro(pantalla, por_clase, clave, valor)
        if request.mimetype not in _FORMULARIOS:
            return
        if request.endpoint.endswith(".action_post") and request.form.get("action") not in pantalla.acciones:
            abort(404)  # FAB calls the named action without checking that it exists
        if pantalla.maximo is not None:
            if not all(_entero_en(fila, 0, pantalla.maximo) for fila in request.form.getlist("rowid")):
                raise SolicitudInvalida(MSG_FILAS)


def _revisar_parametro(pantalla: _Pantalla, por_clase: dict, clave: str, valor: str) -> None:
    if _PAGINA.search(clave) and not _entero_en(valor, 0, PAGINA_MAXIMA):
        raise SolicitudInvalida(MSG_PAGINA)
    if _TAMANO.search(clave) and not _entero_en(valor, 1, TAMANO_PAGINA_MAXIMO):
        raise SolicitudInvalida(MSG_TAMANO_PAGINA)
    orden = _ORDEN.search(clave)
    if orden and request.args.get(f"_od_{orden.group(1)}") in ("asc", "desc"):
        ordenada = por_clase.get(orden.group(1))  # a related list on a show/edit page names its own class
        if ordenada is not None and valor not in ordenada.orden:
            raise SolicitudInvalida(MSG_ORDEN)
    filtro = _FILTRO.search(clave)
    if filtro:
        disponibles = pantalla.filtros.get(filtro.group(2))
        if disponibles is None:
            return  # FAB ignores a column it cannot filter on
        indice = int(filtro.group(1))
        if indice >= len(disponibles):
            raise SolicitudInvalida(MSG_FILTRO)
        if not _fecha_de_filtro(pantalla.vista.datamodel, disponibles[indice], valor):
            raise SolicitudInvalida(MSG_FILTRO_FECHA)
        if not _valor_de_filtro(pantalla.vista.datamodel, disponibles[indice], valor):
            raise SolicitudInvalida(MSG_FILTRO)


def _fecha_de_filtro(datamodel, filtro, valor: str) -> bool:
    """Whether a date filter can read the value: FAB's (dateutil, as FAB reads it) or the app's own (`fecha_valida`).
    Either would otherwise turn an unreadable date into no rows at all, without a word."""
    propia = getattr(filtro, "fecha_valida", None)
    if propia is not None:
        return propia(valor)
    columna = filtro.column_name
    if type(filtro).__module__ != filtros_sqla.__name__ or not (
        datamodel.is_date(columna) or datamodel.is_datetime(columna)
    ):
        return True
    try:
        parser.parse(valor)
    except (ValueError, OverflowError):
        return False
    return True


def _valor_de_filtro(datamodel, filtro, valor: str) -> bool:
    """Whether FAB's own filter can take the value to SQL; the app's own filters with a closed set of values say so
    with their `valido(valor)`, the others check their values themselves."""
    propia = getattr(filtro, "valido", None)
    if propia is not None:
        return propia(valor)
    columna = filtro.column_name
    if isinstance(filtro, FilterRelation):  # the value is the id of the related row
        maximo = maximo_de_la_clave(datamodel.get_related_model(columna))
        return maximo is None or _entero_en(valor, 0, maximo)
    if type(filtro).__module__ != filtros_sqla.__name__:
        return True
    if datamodel.is_boolean(columna):
        return valor == "y"  # FAB compares anything else as text with the boolean column
    if datamodel.is_integer(columna):
        try:
            numero = int(valor)
        except ValueError:
            return True  # FAB turns what is not a number into no value
        maximo = next(m for tipo, m in _MAXIMOS if isinstance(datamodel.list_columns[columna].type, tipo))
        return -maximo <= numero <= maximo
    return True
