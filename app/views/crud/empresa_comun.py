"""What the generated screens of the company one acts as share (app/views/crud/roles_empresa.py and
app/views/crud/usuarios_empresa.py).

- `DatosDeEmpresa`: an SQLAInterface whose computed columns come from `columnas_calculadas` and whose `get` treats a
  forged, non-numeric or out-of-range id as not found (404), never as a database error.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.services.ids import ID_MAXIMO
from app.web.vistas_modelo import DatosModelo


class DatosDeEmpresa(DatosModelo):
    columnas_calculadas: ClassVar[dict[str, Any]] = {}
    # List headers that sort, and the column each one sorts by; anything else in the URL keeps the default order.
    orden_por_columna: ClassVar[dict[str, Any]] = {}

    def orden_por_defecto(self) -> tuple:
        return (self.obj.id,)

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

    def _get_attr_value(self, item, col):
        calcular = self.columnas_calculadas.get(col)
        return calcular(item) if calcular else SQLAInterface._get_attr_value(item, col)

    def get(self, id, filters=None, select_columns=None, outer_default_load=False):
        try:
            id = int(id)
        except (TypeError, ValueError):
            return None
        if not 0 < id <= ID_MAXIMO:
            return None
        return super().get(id, filters, select_columns, outer_default_load)
