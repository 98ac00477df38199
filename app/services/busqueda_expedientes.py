"""The search of «Mis expedientes» (app/views/crud/expedientes.py): one SQL condition per typed value.

Each function turns what the person typed into a WHERE condition on `expediente`; none of them reaches another
titular's rows (the tenancy filter, app/security/tenancy.py, is added to the whole statement anyway). A value that
cannot be a trámite, a state or a date matches nothing; an empty text or date adds no condition.

Dates are the days people see in the list: Bogotá days (app/services/fechas.py), both ends included.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, false, select, true

from app.models.catalogo import VERSION_PUBLICADA, FamiliaProducto, Tramite, TramiteVersion
from app.models.expedientes import ESTADOS, Expediente
from app.services.fechas import BOGOTA

LARGO_RADICADO = 20  # expediente.radicado is VARCHAR(20)
FORMATOS_FECHA = ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")  # the date picker's, the list's, FAB's datetime picker


def tramites_publicados(session) -> list[tuple[str, str, str]]:
    """(familia, código, nombre) of every trámite with a published version, in the catalog's order: the «Trámite»
    choices (~34; some names repeat across families, so the select groups them by family)."""
    consulta = (
        select(FamiliaProducto.nombre, Tramite.codigo, TramiteVersion.nombre)
        .join(TramiteVersion.tramite)
        .join(Tramite.familia)
        .where(TramiteVersion.estado == VERSION_PUBLICADA)
        .order_by(FamiliaProducto.orden, FamiliaProducto.id, Tramite.orden, Tramite.codigo)
        # The catalog is nobody's: no per-company criteria (they would also rebuild the statement's cache key).
        .execution_options(todas_las_empresas=True)
    )
    return [tuple(fila) for fila in session.execute(consulta)]


def con_tramite(codigo: str) -> ColumnElement[bool]:
    """Filed under any version (published or replaced) of the trámite whose código is `codigo`."""
    versiones = select(TramiteVersion.id).join(TramiteVersion.tramite).where(Tramite.codigo == (codigo or "")[:60])
    return Expediente.tramite_version_id.in_(versiones)


def con_estado(estado: str) -> ColumnElement[bool]:
    """Borrador or Radicado; anything else matches nothing."""
    return Expediente.estado == estado if estado in ESTADOS else false()


def con_radicado(texto: str) -> ColumnElement[bool]:
    """The radicado starts with `texto`, taken literally: «%» and «_» are characters, not wildcards."""
    texto = (texto or "").strip()[:LARGO_RADICADO]
    return Expediente.radicado.startswith(texto, autoescape=True) if texto else true()


def _dia(texto: str) -> date | None:
    texto = (texto or "").strip()[:19]
    for formato in FORMATOS_FECHA:
        try:
            return datetime.strptime(texto, formato).date()
        except ValueError:
            continue
    return None


def fecha_de_filtro_valida(texto: str) -> bool:
    """Whether a «Desde» / «Hasta» filter can read `texto`: empty (no condition) or a day in one of its formats."""
    return not (texto or "").strip() or _dia(texto) is not None


def _inicio_del_dia(dia: date) -> datetime:
    return datetime.combine(dia, time(), tzinfo=BOGOTA)


def desde_el_dia(columna, texto: str) -> ColumnElement[bool]:
    """`columna` (a moment) on that Bogotá day or later; an empty text adds no condition, a non-date matches none."""
    if not (texto or "").strip():
        return true()
    dia = _dia(texto)
    return columna >= _inicio_del_dia(dia) if dia else false()


def hasta_el_dia(columna, texto: str) -> ColumnElement[bool]:
    """`columna` (a moment) on that Bogotá day or earlier; an empty text adds no condition, a non-date matches none."""
    if not (texto or "").strip():
        return true()
    dia = _dia(texto)
    return columna < _inicio_del_dia(dia + timedelta(days=1)) if dia and dia < date.max else false()


def creado_desde(texto: str) -> ColumnElement[bool]:
    """Created on that Bogotá day or later."""
    return desde_el_dia(Expediente.creado_en, texto)


def creado_hasta(texto: str) -> ColumnElement[bool]:
    """Created on that Bogotá day or earlier."""
    return hasta_el_dia(Expediente.creado_en, texto)
