"""Application factory: reads like a table of contents of the app's parts."""

from __future__ import annotations

from flask import Flask

from config import load_config


def create_app(app_env: str | None = None, **overrides) -> Flask:
    usar_reloj_utc()
    app = Flask(__name__, instance_path=None)
    app.config.from_object(load_config(app_env))
    app.config.update(overrides)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        from app.db.embebido import url_embebida

        app.config["SQLALCHEMY_DATABASE_URI"] = url_embebida(app.config["INSTANCE_DIR"])
    from app.web.registro_logs import configurar_logs

    configurar_logs()

    from app.web import entrada

    entrada.instalar(app)  # before any route: bounded <int:> ids; NUL, lone surrogates and bad JSON → 400
    init_extensions(app)
    with app.app_context():
        init_appbuilder(app)
    init_cli(app)
    init_error_handlers(app)
    from app.web import cabeceras

    cabeceras.instalar(app)  # CSP, X-Frame-Options, nosniff, Referrer-Policy, HSTS in production
    from app.web import proxies

    proxies.instalar(app)  # X-Forwarded-For/-Proto trusted only from PROXIES_CONFIABLES proxies
    return app


def usar_reloj_utc() -> None:
    """Run the process in UTC, whatever the server's time zone.

    FAB writes naive local times (datetime.now) in ab_user.created_on / changed_on / last_login; the app treats
    naive values as UTC and shows them in Bogotá time (app/services/fechas.py). In UTC both agree on any server.
    """
    import os
    import time

    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()


def init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (registers every table)
    from app.extensions import csrf, db, limiter, mail, migrate

    db.init_app(app)
    from app.security import tenancy

    tenancy.instalar()  # company isolation on every ORM statement
    from app.services.cuentas import activacion
    from app.services.empresas import invitaciones

    activacion.cuenta_activada.connect(invitaciones.al_activar_cuenta)  # pending invitations find the new account
    from app.db import cierre_lectura

    cierre_lectura.instalar(app, db)  # read-only requests end with COMMIT: prepared statements survive
    migrate.init_app(app, db, directory=str(__import__("pathlib").Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)  # before AppBuilder, so every FAB form is protected too
    mail.init_app(app)
    limiter.init_app(app)


def init_appbuilder(app: Flask) -> None:
    from app.extensions import appbuilder, db
    from app.views import register_views

    appbuilder.init_app(app, db.session)
    # FAB logs and falls back to its default manager when ours fails to import: never run like that.
    from app.security.manager import InvimaSecurityManager

    if not isinstance(appbuilder.sm, InvimaSecurityManager):
        raise RuntimeError("No se pudo cargar InvimaSecurityManager; revise el error anterior en el log.")
    register_views(appbuilder)
    from app.web import entrada

    entrada.instalar_pantallas(app, appbuilder)  # FAB's <pk> and list parameters (page_, psize_, _oc_, _flt_)
    from app.db import sin_transaccion
    from app.security import contexto

    sin_transaccion.instalar(app, db)  # before the first statement of a request (contexto loads the user)
    contexto.registrar(app)  # after FAB's own before_request, which sets g.user
    from app.web import favicon, plantillas

    plantillas.instalar(app)  # appbuilder for plain render_template; date and audit filters
    favicon.instalar(app)  # /favicon.ico


def init_cli(app: Flask) -> None:
    from app.cli import register_cli

    register_cli(app)


def init_error_handlers(app: Flask) -> None:
    from app.views.errores import register_error_handlers

    register_error_handlers(app)
