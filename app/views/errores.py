"""Error pages in Spanish; no stack traces or internals reach the user."""

from __future__ import annotations

from flask import g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

MENSAJES = {
    400: "La solicitud no es válida. Revise los datos e intente de nuevo.",
    403: "No tiene permiso para acceder a esta página.",
    404: "La página que busca no existe.",
    405: "Método no permitido.",
    413: "El archivo o los datos enviados son demasiado grandes.",
    429: "Demasiados intentos. Espere un momento e intente de nuevo.",
    500: "Ocurrió un error inesperado. Intente de nuevo más tarde.",
}


def _pagina(codigo: int, mensaje: str | None = None):
    mensaje = mensaje or MENSAJES.get(codigo, MENSAJES[500])
    if not hasattr(g, "user"):
        # CSRF is checked before FAB's before_request sets g.user, and FAB's menu needs it to render.
        g.user = current_user._get_current_object()
    if request.path.startswith("/api/"):
        return {"message": mensaje}, codigo
    return render_template("error.html", codigo=codigo, mensaje=mensaje), codigo


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _pagina(400, "La sesión del formulario expiró o no es válida. Recargue la página e intente de nuevo.")

    for codigo in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(codigo, lambda error, c=codigo: _pagina(c))

    @app.errorhandler(500)
    def error_interno(error):
        from app.extensions import db

        db.session.rollback()
        return _pagina(500)
