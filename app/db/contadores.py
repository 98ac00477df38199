"""Gapless yearly counters (radicados, actos administrativos, registros): one row per key, incremented by an
`INSERT … ON CONFLICT DO UPDATE … RETURNING` inside the caller's transaction. Concurrent callers of the same key queue
on its row lock and a rollback gives the number back — no gap, no duplicate (the numbered table's unique constraint
stands behind it)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert


def siguiente(session, modelo, **clave) -> int:
    """The next number of `clave` (the counter's primary key columns) in `modelo`'s table (its `ultimo` column)."""
    tabla = modelo.__table__
    sentencia = insert(tabla).values(**clave, ultimo=1)
    sentencia = sentencia.on_conflict_do_update(
        index_elements=list(clave), set_={"ultimo": tabla.c.ultimo + 1}
    ).returning(tabla.c.ultimo)
    return session.execute(sentencia).scalar_one()
