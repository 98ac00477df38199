"""End read-only requests with COMMIT instead of ROLLBACK, so PostgreSQL keeps the statements it has prepared.

psycopg prepares a statement on a connection after it has run it a few times (prepare_threshold), which saves its
planning, notably for the statement that loads the logged-in user with permissions and company context on every
request. But psycopg forgets every prepared statement on ROLLBACK, and a request that only reads ends with one (the
session closing). What it is worth is measured in bench/RESULTADOS.md (issue 10 §5). So, at the end of a request that raised nothing and whose transaction provably ran only
reads (every statement a SELECT, SHOW or EXPLAIN; no pending ORM changes), the transaction is committed instead:
for a transaction that wrote nothing, COMMIT and ROLLBACK are the same. Anything else keeps the usual rollback.
"""

from __future__ import annotations

import re

from sqlalchemy import event

_SOLO_LECTURA = re.compile(r"^\s*(SELECT|SHOW|EXPLAIN)\b", re.IGNORECASE)
_ESCRIBIO = "invima_escribio"


def _anotar(conn, cursor, statement, parameters, context, executemany) -> None:
    if executemany or not _SOLO_LECTURA.match(statement):
        conn.info[_ESCRIBIO] = True


def _olvidar(conn) -> None:
    conn.info.pop(_ESCRIBIO, None)


def instalar(app, db) -> None:
    with app.app_context():
        motor = db.engine
    if not event.contains(motor, "before_cursor_execute", _anotar):
        event.listen(motor, "before_cursor_execute", _anotar)
        event.listen(motor, "commit", _olvidar)
        event.listen(motor, "rollback", _olvidar)

    @app.teardown_request
    def _cerrar_lectura(error) -> None:
        if error is not None:
            return
        sesion = db.session()  # the Session of this request (not the scoped_session proxy)
        if not sesion.in_transaction() or sesion.new or sesion.dirty or sesion.deleted:
            return
        if sesion.connection().info.get(_ESCRIBIO):  # the transaction's connection (one database)
            return
        sesion.commit()
