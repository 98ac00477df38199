"""What every template gets besides FAB's own globals: `appbuilder` for plain render_template, and the filters."""

from __future__ import annotations

from flask import Flask


def instalar(app: Flask) -> None:
    from app.extensions import appbuilder
    from app.services.fechas import fecha, fecha_hora

    @app.context_processor
    def _appbuilder():
        # Plain render_template (error pages, mails) gets what FAB's base templates expect.
        return {"appbuilder": appbuilder, "base_template": appbuilder.base_template}

    app.jinja_env.filters["fecha"] = fecha
    app.jinja_env.filters["fecha_hora"] = fecha_hora
