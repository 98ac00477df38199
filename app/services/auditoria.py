"""Append-only audit trail: who did what to which record, from where, with before/after values.

Rows are only ever inserted (a database trigger refuses UPDATE and DELETE). Callers must never pass
secrets (password hashes, PINs, tokens) in `antes`/`despues`.
"""

from __future__ import annotations

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
        accion=accion[:60],
        objeto=objeto[:60],
        objeto_id=None if objeto_id is None else str(objeto_id)[:60],
        antes=antes,
        despues=despues,
        ip=(ip or None) and ip[:45],
    )
    session.add(fila)
    return fila
