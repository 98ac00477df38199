"""Error pages in Spanish; no stack traces or internals reach the user.

The usual page has the menu, which needs the logged-in user and their permissions: the database. When the database
cannot be reached (OperationalError: PostgreSQL down, connection lost, a statement cancelled) the answer is 503 with
the plain page (error_simple.html), rendered from its template alone: no menu, no user, no context processors
(Flask-Login's loads the user from the database). The same plain page is the fallback when the usual one fails.

A DataError (a value PostgreSQL refuses: a number out of range, a malformed date) is bad input that no check caught
before the query: 400 with the Spanish page, logged as a warning so the check can be added where it belongs.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import BadRequest

from app.security import contexto
from app.services.errores import ErrorDominio, NoEncontrado
from app.web.transaccion import respuesta_de_error

MENSAJES = {
    400: "La solicitud no es válida. Revise los datos e intente de nuevo.",
    403: "No tiene permiso para acceder a esta página.",
    404: "La página que busca no existe.",
    405: "Método no permitido.",
    413: "El archivo o los datos enviados son demasiado grandes.",
    429: "Demasiados intentos. Espere un momento e intente de nuevo.",
    500: "Ocurrió un error inesperado. Intente de nuevo más tarde.",
    503: "El servicio no está disponible en este momento. Intente de nuevo en unos minutos.",
}
MSG_DATO = "Uno de los datos enviados no es válido (por ejemplo, un número demasiado grande). Revise los datos."


class SolicitudInvalida(BadRequest):
    """A 400 whose Spanish message says what is wrong with the request."""

    def __init__(self, mensaje: str):
        super().__init__(description=mensaje)
        self.mensaje = mensaje


def _es_api() -> bool:
    return request.path.startswith("/api/")


def _pagina(codigo: int, mensaje: str | None = None):
    mensaje = mensaje or MENSAJES.get(codigo, MENSAJES[500])
    if _es_api():
        return {"message": mensaje}, codigo
    if not hasattr(g, "user"):
        # CSRF is checked before FAB's before_request sets g.user, and FAB's menu needs it to render.
        g.user = current_user._get_current_object()
    if codigo < 500 and "actuacion" not in g:
        # Refused before the request's context was read (bad input, CSRF): read it now, so the header still says
        # on whose behalf the person acts and the menu keeps «Mi empresa».
        contexto.cargar()
    return render_template("error.html", codigo=codigo, mensaje=mensaje), codigo


def pagina_sin_base_de_datos(codigo: int, mensaje: str | None = None):
    """The error page without menu or user: nothing here reads the database."""
    mensaje = mensaje or MENSAJES.get(codigo, MENSAJES[500])
    if _es_api():
        return {"message": mensaje}, codigo
    from app.extensions import appbuilder

    plantilla = current_app.jinja_env.get_template("error_simple.html")
    return plantilla.render(codigo=codigo, mensaje=mensaje, appbuilder=appbuilder), codigo


def _descartar_transaccion() -> None:
    from app.extensions import db

    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone: there is nothing left to undo on the server
        current_app.logger.warning("No se pudo deshacer la transacción de la petición", exc_info=True)


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _pagina(400, "La sesión del formulario expiró o no es válida. Recargue la página e intente de nuevo.")

    for codigo in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(codigo, lambda error, c=codigo: _pagina(c, getattr(error, "mensaje", None)))

    @app.errorhandler(NoEncontrado)
    def no_encontrado(error):
        _descartar_transaccion()
        return _pagina(404, error.mensaje or None)

    @app.errorhandler(ErrorDominio)
    def regla_incumplida(error):
        # A domain error no view turned into form errors: the Spanish message with 400, nothing saved.
        _descartar_transaccion()
        if _es_api():
            codigo, mensaje = respuesta_de_error(error)
            return {"message": mensaje}, codigo
        return _pagina(400, error.mensaje or None)

    @app.errorhandler(DataError)
    def dato_invalido(error):
        current_app.logger.warning("Dato rechazado por PostgreSQL en %s: %s", request.path, error.orig or error)
        _descartar_transaccion()
        return _pagina(400, MSG_DATO)

    @app.errorhandler(OperationalError)
    def base_de_datos_no_disponible(error):
        current_app.logger.error("Base de datos no disponible en %s: %s", request.path, error.orig or error)
        _descartar_transaccion()
        return pagina_sin_base_de_datos(503)

    @app.errorhandler(500)
    def error_interno(error):
        _descartar_transaccion()
        if isinstance(getattr(error, "original_exception", None), OperationalError):
            # The database failed inside another error page (a 404 page's menu, say).
            return pagina_sin_base_de_datos(503)
        try:
            return _pagina(500)
        except Exception:  # the error page itself must not fail: the plain one needs nothing
            current_app.logger.exception("No se pudo mostrar la página de error con el menú")
            return pagina_sin_base_de_datos(500)
