"""Shared fixtures: a fresh PostgreSQL database (embedded pgserver), migrated with Alembic and seeded;
a real SMTP sink (aiosmtpd) for mail; test clients per role."""

from __future__ import annotations

import os
import re
import socket
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DB = os.environ.get("TEST_DB_NAME", "invima_test")
CAPTCHA_PRUEBA = "PRUEBA"
CONTRASENA = "Clave#2026x"

TABLAS_DE_DATOS = ("empresa", "ab_user", "verificacion", "mensaje_correo", "auditoria", "usuario_profesion")


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Buzon:
    """Messages received by the local SMTP sink."""

    def __init__(self):
        self.mensajes = []

    def handle_DATA_factory(self):
        buzon = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
                buzon.mensajes.append({"para": list(envelope.rcpt_tos), "asunto": str(msg["subject"]), "mensaje": msg})
                return "250 OK"

        return Handler()

    def limpiar(self):
        self.mensajes.clear()

    def para(self, correo: str) -> list[dict]:
        return [m for m in self.mensajes if correo.lower() in [p.lower() for p in m["para"]]]

    @staticmethod
    def texto(m: dict) -> str:
        parte = m["mensaje"].get_body(preferencelist=("plain",))
        return parte.get_content() if parte else ""

    @staticmethod
    def html(m: dict) -> str:
        parte = m["mensaje"].get_body(preferencelist=("html",))
        return parte.get_content() if parte else ""

    def esperar(self, correo: str, cantidad: int = 1, segundos: float = 5.0) -> list[dict]:
        limite = time.time() + segundos
        while time.time() < limite:
            encontrados = self.para(correo)
            if len(encontrados) >= cantidad:
                return encontrados
            time.sleep(0.05)
        raise AssertionError(f"No llegaron {cantidad} correos para {correo}: {[m['para'] for m in self.mensajes]}")

    def esperar_asunto(self, correo: str, fragmento: str, segundos: float = 5.0) -> dict:
        """The first message for `correo` whose subject contains `fragmento`, waiting for it: the outbox worker of
        the browser tests may be the one sending it, a moment after enviar_pendientes returns."""
        limite = time.time() + segundos
        while time.time() < limite:
            for mensaje in self.para(correo):
                if fragmento in mensaje["asunto"]:
                    return mensaje
            time.sleep(0.05)
        raise AssertionError(
            f"No llegó a {correo} un correo con «{fragmento}»: {[m['asunto'] for m in self.para(correo)]}"
        )


@pytest.fixture(scope="session")
def smtp_sink():
    from aiosmtpd.controller import Controller

    buzon = Buzon()
    puerto = _puerto_libre()
    controller = Controller(buzon.handle_DATA_factory(), hostname="127.0.0.1", port=puerto)
    controller.start()
    buzon.puerto = puerto
    yield buzon
    controller.stop()


@pytest.fixture(scope="session")
def database_url():
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    from app.database import servidor_embebido, url_de

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
        db.session.execute(db.text(f"TRUNCATE {', '.join(TABLAS_DE_DATOS)} RESTART IDENTITY CASCADE"))
        db.session.commit()
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


def csrf_de(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert m, "la página no tiene token CSRF"
    return m.group(1)


def iniciar_sesion(client, usuario, contrasena: str = CONTRASENA):
    """Log in through the real login form (tipo + número + contraseña)."""
    pagina = client.get("/login/")
    return client.post(
        "/login/",
        data={
            "csrf_token": csrf_de(pagina.get_data(as_text=True)),
            "ingresar_como": "natural",
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "contrasena": contrasena,
        },
    )


def actuar_como(cliente, empresa_id: int | None) -> None:
    """Make the client act as a company (as the "Ingresar como" choice does); None → persona natural."""
    with cliente.session_transaction() as sesion:
        if empresa_id is None:
            sesion.pop("empresa_id", None)
        else:
            sesion["empresa_id"] = int(empresa_id)


def _cliente_con_rol(app, rol: str | None, **datos):
    from tests import factories

    with app.app_context():
        usuario = factories.crear_usuario(roles=[rol] if rol else None, **datos)
    cliente = app.test_client()
    respuesta = iniciar_sesion(cliente, usuario)
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)
    cliente.usuario = usuario
    return cliente


@pytest.fixture
def cliente_usuario(app):
    return _cliente_con_rol(app, "Usuario")


@pytest.fixture
def cliente_admin(app):
    return _cliente_con_rol(app, "Admin", numero="1000000001", email="admin@invima.local")


@pytest.fixture
def cliente_mesa_ayuda(app):
    return _cliente_con_rol(app, "Mesa de ayuda", numero="1000000002", email="mesa@invima.local")
