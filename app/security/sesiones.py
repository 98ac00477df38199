"""Browser sessions bound to the account's session generation (ab_user.generacion_sesion).

A session (Flask's signed cookie) remembers the generation it was opened in. Logging out increases the
generation, and so does every new password (see Usuario's `password` listener): on its next request any
other session of the account, a copied cookie included, no longer matches and is logged out (load_user).
"""

from __future__ import annotations

from flask import has_request_context, session
from flask_login import login_user, logout_user

from app.services.cuentas import autenticacion

CLAVE = "_generacion"


def abrir(usuario) -> None:
    """Log `usuario` in on a fresh session (nothing of an earlier one survives) of the current generation."""
    session.clear()
    login_user(usuario, remember=False)
    session[CLAVE] = usuario.generacion_sesion


def conservar(usuario) -> None:
    """Keep the current session alive after a change that ended the others (a password change)."""
    session[CLAVE] = usuario.generacion_sesion


def vigente(usuario) -> bool:
    """True if the request's session was opened in the account's current generation."""
    if not has_request_context():
        return True
    return session.get(CLAVE) == usuario.generacion_sesion


def cerrar(db_session, usuario) -> None:
    """Log out here and end every other session of the account. The caller commits."""
    if usuario is not None and getattr(usuario, "id", None) is not None:
        autenticacion.terminar_sesiones(db_session, usuario.id)
    logout_user()
    session.clear()
