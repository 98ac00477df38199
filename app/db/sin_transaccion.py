"""Views whose statements each stand alone run in autocommit: no BEGIN and no COMMIT round trips.

In a transaction, PostgreSQL needs a round trip to open it and another to commit it, besides one per statement.
The help desk's search runs two statements: the logged-in user's load (a SELECT) and one statement that reads the
accounts and writes their audit row (a data-modifying CTE: atomic on its own, durable when it returns). So it
costs 4 round trips in a transaction and 2 in autocommit (what that is worth: bench/RESULTADOS.md, issue 10 §5).

Only for views marked with @sin_transaccion, and only when every statement they run is complete on its own: a
view that writes in two statements, or reads twice and needs both reads to agree, must never be marked. The
connection goes back to the pool in its usual mode (SQLAlchemy resets the isolation level on return).
"""

from __future__ import annotations

from flask import current_app, request

_MARCA = "_invima_sin_transaccion"


def sin_transaccion(vista):
    """Mark a view function (before FAB's @has_access, which keeps the mark: functools.wraps copies it)."""
    setattr(vista, _MARCA, True)
    return vista


def instalar(app, db) -> None:
    """Register the before_request that opens the request's connection in autocommit for marked views.

    Must run before anything in the request touches the database (contexto.cargar loads the user).
    """

    @app.before_request
    def _abrir_sin_transaccion() -> None:
        vista = current_app.view_functions.get(request.endpoint)
        if vista is not None and getattr(vista, _MARCA, False):
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
