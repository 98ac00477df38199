"""Shared fixtures: a fresh PostgreSQL database (embedded pgserver), migrated with Alembic and seeded;
a real SMTP sink (aiosmtpd) for mail; test clients per role."""

from __future__ import annotations

import os

import pytest

from tests.helpers import (
    CAPTCHA_PRUEBA,
    ROOT,
    TEST_DB,
    Buzon,
    administrador_de_empresa,
    cliente_nuevo,
    limpiar_datos,
    puerto_libre,
)


def pytest_configure(config):
    """Under pytest-xdist, start the embedded server once in the controller, before the workers: its first start
    on a new instance/pgdata restarts it to size its memory, which must not happen under another worker's feet."""
    if os.environ.get("TEST_DATABASE_URL") or hasattr(config, "workerinput"):
        return
    if config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None):
        from app.db.embebido import servidor_embebido

        servidor_embebido(str(ROOT / "instance"))


@pytest.fixture(scope="session")
def smtp_sink():
    from aiosmtpd.controller import Controller

    buzon = Buzon()
    puerto = puerto_libre()
    controller = Controller(buzon.handle_DATA_factory(), hostname="127.0.0.1", port=puerto)
    controller.start()
    buzon.puerto = puerto
    yield buzon
    controller.stop()


@pytest.fixture(scope="session")
def database_url():
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    from app.db.embebido import servidor_embebido, url_de

    instance = ROOT / "instance"
    server = servidor_embebido(str(instance))
    server.psql(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE);')
    server.psql(f'CREATE DATABASE "{TEST_DB}";')
    return url_de(server, TEST_DB)


@pytest.fixture(scope="session")
def app(database_url, smtp_sink):
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import sincronizar_permisos_y_datos

    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_sink.puerto,
        MAIL_USE_TLS=False,
        CAPTCHA_TEST_CODE=CAPTCHA_PRUEBA,
        PUBLIC_URL="http://127.0.0.1:5000",
        SERVER_NAME=None,
    )
    with app.app_context():
        upgrade()
        sincronizar_permisos_y_datos()
    return app


@pytest.fixture(autouse=True)
def _todas_las_empresas_fuera_de_peticion():
    """Arranging and checking data at service level (factories, db_session, app_context blocks) sees every company,
    as the CLI and the workers do: app/security/tenancy.py fails closed outside a request unless opened. Requests
    made by the test clients and the browser keep the scope of the company the person acts as."""
    from app.security.tenancy import todas_las_empresas

    with todas_las_empresas():
        yield


@pytest.fixture(autouse=True)
def _limpiar_datos(request, app, smtp_sink):
    """Every test starts with no accounts, codes, mails or audit rows (reference data stays)."""
    yield
    from app.extensions import db, limiter

    with app.app_context():
        db.session.remove()
        limpiar_datos(db.session)
    limiter.reset()
    smtp_sink.limpiar()


@pytest.fixture
def db_session(app):
    from app.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


def _cliente_con_rol(app, rol: str | None, **datos):
    return cliente_nuevo(app, roles=[rol] if rol else None, **datos)


@pytest.fixture
def cliente_usuario(app):
    return _cliente_con_rol(app, "Usuario")


@pytest.fixture
def cliente_admin(app):
    return _cliente_con_rol(app, "Admin", numero="1000000001", email="admin@invima.local")


@pytest.fixture
def cliente_mesa_ayuda(app):
    return _cliente_con_rol(app, "Mesa de ayuda", numero="1000000002", email="mesa@invima.local")


@pytest.fixture
def cliente_empresa_a(app):
    """The Administrador of company A («Empresa A»), logged in and acting as it: `.usuario`, `.empresa_id`, `.csrf`."""
    return administrador_de_empresa(app, "Empresa A")


@pytest.fixture
def cliente_empresa_b(app):
    """The Administrador of company B («Empresa B»), logged in and acting as it."""
    return administrador_de_empresa(app, "Empresa B")


@pytest.fixture
def documentos_en_tmp(app, tmp_path, monkeypatch):
    """Stored documents go to the test's own folder."""
    carpeta = tmp_path / "documentos"
    monkeypatch.setitem(app.config, "DOCUMENTOS_DIR", str(carpeta))
    return carpeta
