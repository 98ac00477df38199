"""Append-only audit trail: who did what to which record, from where, with before/after values.

Rows are only ever inserted (a database trigger refuses UPDATE and DELETE). Callers must never pass
secrets (password hashes, PINs, tokens) in `antes`/`despues`.

Two ways in, same columns and limits: `registrar` adds an ORM row to the caller's unit of work (written at
flush; `registrar_cambio` applies a change to a row and audits it with its snapshots before and after); `insercion_desde` builds a Core `INSERT ... SELECT` for hot read paths, which put it in a CTE of the
very statement that reads the audited rows (one round trip, no unit of work: app/services/mesa_ayuda.py).
"""

from __future__ import annotations

from datetime import date

from flask import has_request_context, request
from sqlalchemy import DateTime, Integer, String, bindparam, cast, insert, literal, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects.postgresql import JSONB

from app.models.auditoria import Auditoria
from app.services.reloj import ahora

ACCION_CONSULTA_CUENTA = "consulta_cuenta"
ACCION_BUSQUEDA_CUENTAS = "busqueda_cuentas"
ACCION_REENVIO_PIN = "reenvio_pin_activacion"


def registrar(
    session,
    accion: str,
    objeto: str,
    objeto_id,
    usuario_id: int | None,
    antes: dict | None = None,
    despues: dict | None = None,
    ip: str | None = None,
    empresa_id: int | None = None,
) -> Auditoria:
    """Add one audit row to the caller's transaction (the caller commits). Values are truncated to fit."""
    fila = Auditoria(
        creado_en=ahora(),
        usuario_id=usuario_id,
        empresa_id=empresa_id,
        accion=_recortar(accion),
        objeto=_recortar(objeto),
        objeto_id=None if objeto_id is None else _recortar(str(objeto_id)),
        antes=antes,
        despues=despues,
        ip=_ip(ip),
    )
    session.add(fila)
    return fila


def _legible(valor):
    """A value as a snapshot keeps it: rows of a relationship by their names, dates as ISO text."""
    if isinstance(valor, list | tuple | set):
        return sorted(str(v) for v in valor)
    if isinstance(valor, date):
        return valor.isoformat()
    return valor if valor is None or isinstance(valor, str | int | float | bool) else str(valor)


def registrar_edicion(session, fila, campos, accion: str, objeto: str, usuario_id, ip=None) -> bool:
    """Audit what a generated form changed on `fila` (also a new one) before it is flushed: of `campos` (columns or
    relationships), the ones whose value differs, with their values before and after (SQLAlchemy's attribute
    history). Nothing changed: no row, False."""
    estado = sa_inspect(fila)
    antes, despues = {}, {}
    for campo in campos:
        atributo = estado.attrs[campo]
        historia = atributo.history
        if isinstance(atributo.value, list):  # a relationship: unchanged + removed, then unchanged + added
            viejo, nuevo = [*historia.unchanged, *historia.deleted], [*historia.unchanged, *historia.added]
        else:
            viejo = historia.deleted[0] if historia.deleted else (historia.unchanged or [None])[0]
            nuevo = atributo.value
        if _legible(viejo) != _legible(nuevo):
            antes[campo], despues[campo] = _legible(viejo), _legible(nuevo)
    if not despues:
        return False
    if fila.id is None:  # a new row (a generated «add» form): flushed for its id, in the same transaction
        session.add(fila)
        session.flush()
    registrar(session, accion, objeto, fila.id, usuario_id, antes=antes, despues=despues, ip=ip)
    return True


def registrar_cambio(
    session, fila, foto, accion: str, objeto: str, usuario_id: int | None, cambios: dict, ip=None, empresa_id=None
):
    """Set `cambios` (attribute → value) on `fila`, flush, and add the audit row of `fila` with `foto(fila)` taken
    before and after the change. Returns `fila`; the caller commits."""
    antes = foto(fila)
    for campo, valor in cambios.items():
        setattr(fila, campo, valor)
    session.flush()
    registrar(
        session, accion, objeto, fila.id, usuario_id, antes=antes, despues=foto(fila), ip=ip, empresa_id=empresa_id
    )
    return fila


def _recortar(valor: str) -> str:
    return valor[:60]


def _ip(ip: str | None) -> str | None:
    """The address given, or else the request's (the client's, behind trusted proxies: app/web/proxies.py); none
    outside a request (CLI, workers)."""
    if not ip and has_request_context():
        ip = request.remote_addr
    return (ip or None) and ip[:45]


def insercion_desde(accion: str, objeto: str, objeto_id, despues, donde=None, having=None):
    """`INSERT INTO auditoria ... SELECT` of one row per row of the SELECT made of these column expressions.

    `objeto_id` (SQL text, ≤ 60 characters) and `despues` (JSONB) are SQL expressions over the caller's FROM;
    `donde`/`having` filter it (e.g. `count(*) > 0`: audit only when something was read). Who, when and from
    where are bound when executing: `parametros_insercion(usuario_id, ip)`. Meant for a CTE (`.cte()` plus
    `Select.add_cte`) of the statement that reads the audited rows; the caller's transaction commits it.
    """
    consulta = select(
        bindparam("auditoria_creado_en", type_=DateTime(timezone=True)),
        bindparam("auditoria_usuario_id", type_=Integer),
        literal(_recortar(accion), String),
        literal(_recortar(objeto), String),
        objeto_id,
        cast(despues, JSONB),
        bindparam("auditoria_ip", type_=String),
    )
    if donde is not None:
        consulta = consulta.where(donde)
    if having is not None:
        consulta = consulta.having(having)
    tabla = Auditoria.__table__
    columnas = ("creado_en", "usuario_id", "accion", "objeto", "objeto_id", "despues", "ip")
    return insert(tabla).from_select([tabla.c[c] for c in columnas], consulta)


def parametros_insercion(usuario_id: int | None, ip: str | None) -> dict:
    """The bound values of `insercion_desde`: now, who and from where (truncated like `registrar`)."""
    return {"auditoria_creado_en": ahora(), "auditoria_usuario_id": usuario_id, "auditoria_ip": _ip(ip)}
