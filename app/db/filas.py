"""Idempotent loading of reference rows (`flask seed`): INSERT … ON CONFLICT on a natural key."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert


def insertar_o_actualizar(session, modelo, filas: list[dict], clave: str, actualizar: list[str]) -> int:
    """Insert the missing rows and refresh the `actualizar` columns of the existing ones (by `clave`); never deletes
    (an administrator may have added rows). Returns the number of rows given."""
    if not filas:
        return 0
    stmt = insert(modelo).values(filas)
    stmt = (
        stmt.on_conflict_do_update(index_elements=[clave], set_={c: getattr(stmt.excluded, c) for c in actualizar})
        if actualizar
        else stmt.on_conflict_do_nothing(index_elements=[clave])
    )
    session.execute(stmt)
    return len(filas)
