"""Template helpers: dates as the manual shows them (dd/mm/aaaa), in Bogotá time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")


def fecha(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        if valor.tzinfo is None:
            valor = valor.replace(tzinfo=UTC)
        valor = valor.astimezone(BOGOTA).date()
    if isinstance(valor, date):
        return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"  # strftime costs twice as much (long lists)
    return str(valor)


def fecha_hora(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        if valor.tzinfo is None:
            valor = valor.replace(tzinfo=UTC)
        return valor.astimezone(BOGOTA).strftime("%d/%m/%Y %I:%M %p").replace("AM", "a. m.").replace("PM", "p. m.")
    return fecha(valor)


def init_jinja(app) -> None:
    from app.extensions import appbuilder

    @app.context_processor
    def _appbuilder():
        # Plain render_template (error pages, mails) gets what FAB's base templates expect.
        return {"appbuilder": appbuilder, "base_template": appbuilder.base_template}

    @app.after_request
    def _idioma_espanol(respuesta):
        # FAB's init.html opens with a bare <html>; screen readers and date pickers need the page language.
        if respuesta.mimetype == "text/html" and not respuesta.direct_passthrough:
            cuerpo = respuesta.get_data()
            inicio = cuerpo.find(b"<html>", 0, 400)
            if inicio >= 0:
                respuesta.set_data(cuerpo[:inicio] + b'<html lang="es-CO">' + cuerpo[inicio + 6 :])
        return respuesta

    app.jinja_env.filters["fecha"] = fecha
    app.jinja_env.filters["fecha_hora"] = fecha_hora
    from app.services import auditoria_textos

    app.jinja_env.filters["accion_auditoria"] = auditoria_textos.accion
    app.jinja_env.filters["objeto_auditoria"] = auditoria_textos.objeto
    app.jinja_env.filters["lineas_auditoria"] = auditoria_textos.lineas
