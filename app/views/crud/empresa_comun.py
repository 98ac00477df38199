"""What the generated screens of the company one acts as share (app/views/crud/roles_empresa.py and
app/views/crud/usuarios_empresa.py).

- `VistaModeloDeEmpresa`: their base. Every route passes app/security/autorizacion.py first (VistaDeEmpresa), and
  FAB's own list answers at the section's address (/empresa/roles/, /empresa/usuarios/: menus and bookmarks).
- `registrar_en_mi_empresa`: the screen's «Mi empresa» menu entry and the leaves <rama>.<permiso> of the
  permission tree mapped to its FAB pairs (the permission names are the method_permission_name values).
- `DatosDeEmpresa`: an SQLAInterface whose computed columns come from `columnas_calculadas` (through FAB's public
  `get_values` / `get_values_item`) and whose `get` treats a forged, non-numeric or out-of-range id as not found
  (404), never as a database error.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_appbuilder import expose
from flask_appbuilder.models.filters import BaseFilter, Filters
from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_appbuilder.security.decorators import has_access

from app.security.autorizacion import VistaDeEmpresa, registrar_hojas
from app.services.ids import ID_MAXIMO
from app.web.vistas_modelo import DatosModelo, VistaModelo

MENU = "Mi empresa"


# ---------------------------------------------------------------- search filters written by the services


class _Filtro(BaseFilter):
    """A search filter whose WHERE clause comes from the service (one condition per typed value)."""

    condicion = None

    def apply(self, query, value):
        return query.filter(self.condicion(value))


def filtro_de_servicio(nombre: str, condicion, fecha_valida=None, valido=None):
    """A FAB filter class named `nombre` («Contiene», «Es») that applies the service's `condicion(valor)`; a date
    filter names its `fecha_valida(valor)`, a filter with a closed set of values its `valido(valor)`, so a value it
    cannot read is refused with a message (app/web/entrada.py) rather than matching nothing."""
    propios = {"name": nombre, "condicion": staticmethod(condicion)}
    if fecha_valida is not None:
        propios["fecha_valida"] = staticmethod(fecha_valida)
    if valido is not None:
        propios["valido"] = staticmethod(valido)
    return type(f"Filtro_{condicion.__name__}", (_Filtro,), propios)


class _Filtros(Filters):
    """FAB's Filters, but a filter index that does not exist in the URL (_flt_9_usuario) is ignored, not a 500."""

    def add_filter_index(self, column_name: str, filter_instance_index: int, value):
        if filter_instance_index < len(self._all_filters.get(column_name, ())):
            super().add_filter_index(column_name, filter_instance_index, value)


def convertidor_de(filtros: dict[str, list]) -> type[SQLAFilterConverter]:
    """FAB's filter converter for a screen whose search columns have exactly `filtros` (column → filter classes):
    no column gets FAB's default filters (a relation's would list rows of the table)."""

    class Convertidor(SQLAFilterConverter):
        def convert(self, col_name):
            return [filtro(col_name, self.datamodel) for filtro in filtros.get(col_name, ())]

    return Convertidor


class DatosDeEmpresa(DatosModelo):
    columnas_calculadas: ClassVar[dict[str, Any]] = {}
    # List headers that sort, and the column each one sorts by; anything else in the URL keeps the default order.
    orden_por_columna: ClassVar[dict[str, Any]] = {}

    def orden_por_defecto(self) -> tuple:
        return (self.obj.id,)

    def get_filters(self, search_columns=None, search_filters=None):
        return _Filtros(self.filter_converter_class, self, search_columns or [], search_filters)

    def opciones_de_carga(self) -> tuple:
        return ()

    def query(
        self,
        filters=None,
        order_column="",
        order_direction="",
        page=None,
        page_size=None,
        select_columns=None,
        outer_default_load=False,
    ):
        """FAB's count + one page: the header's order (only those in `orden_por_columna`) then the default order,
        with `opciones_de_carga` (eager loads, so the page costs a constant number of statements)."""
        base = self.session.query(self.obj)
        total = self.query_count(base, filters)
        columna = self.orden_por_columna.get(order_column)
        orden = [] if columna is None else [columna.desc() if order_direction == "desc" else columna.asc()]
        consulta = base.options(*self.opciones_de_carga()).order_by(*orden, *self.orden_por_defecto())
        return total, self.apply_all(consulta, filters, page=page, page_size=page_size).all()

    def get_values(self, lst, list_columns):
        """FAB's values of the list's rows, with the computed columns (`columnas_calculadas`) filled in."""
        calculadas = self.columnas_calculadas
        propias = [c for c in list_columns if c not in calculadas]
        for item, fila in zip(lst, super().get_values(lst, propias), strict=True):
            yield {c: calculadas[c](item) if c in calculadas else fila[c] for c in list_columns}

    def get_values_item(self, item, show_columns):
        """FAB's values of one row (the detail), with the computed columns filled in."""
        calculadas = self.columnas_calculadas
        propias = [c for c in show_columns if c not in calculadas]
        valores = dict(zip(propias, super().get_values_item(item, propias), strict=True))
        return [calculadas[c](item) if c in calculadas else valores[c] for c in show_columns]

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        try:
            id = int(id)
        except (TypeError, ValueError):
            return None
        if not 0 < id <= ID_MAXIMO:
            return None
        return super().get(id, filters, select_columns, outer_default_load)


class VistaModeloDeEmpresa(VistaDeEmpresa, VistaModelo):
    @expose("/")
    @has_access
    def list(self):
        """FAB's own list, at the section's address."""
        return super().list()


def registrar_en_mi_empresa(appbuilder, vista, nombre: str, icono: str, rama: str) -> None:
    """Menu entry «Mi empresa → nombre» (opened by the leaf <rama>.ver) and every leaf <rama>.<permiso>."""
    appbuilder.add_view(vista, nombre, href=vista.route_base + "/", icon=icono, category=MENU)
    registrar_hojas(vista, (f"{rama}.ver", "ver"), menu=(MENU, nombre))
    for permiso in dict.fromkeys(vista.method_permission_name.values()):
        if permiso != "ver":
            registrar_hojas(vista, (f"{rama}.{permiso}", permiso), menu=(MENU,))
