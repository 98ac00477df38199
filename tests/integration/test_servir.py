"""Serving for real: the WSGI entry under gunicorn, the development server's banner, trusted proxies."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select

from app.models.auditoria import Auditoria
from app.web import proxies
from tests import factories
from tests.helpers import ROOT, csrf_de, puerto_libre

CLIENTE = "198.51.100.23"
OTRO_CLIENTE = "203.0.113.77"


def _get(puerto: int, ruta: str, encabezados: dict | None = None) -> http.client.HTTPResponse:
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=10)
    conexion.request("GET", ruta, headers=encabezados or {})
    respuesta = conexion.getresponse()
    respuesta.cuerpo = respuesta.read()
    conexion.close()
    return respuesta


def _esperar_puerto(puerto: int, proceso: subprocess.Popen, segundos: float) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            raise AssertionError(f"gunicorn terminó con código {proceso.returncode}: {proceso.stdout.read()}")
        try:
            _get(puerto, "/static/css/invima.css")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn no respondió en {segundos} s")


@pytest.fixture
def gunicorn(database_url, app):
    """`gunicorn -c gunicorn.conf.py wsgi:app` as an operator runs it: production settings, 2 workers, one trusted
    proxy, on a free port of 127.0.0.1. Stopped with SIGTERM (graceful), killed if it lingers."""
    puerto = puerto_libre()
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "CAPTCHA_", "GUNICORN_"))}
    entorno.update(
        APP_ENV="production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        GUNICORN_BIND=f"127.0.0.1:{puerto}",
        WEB_CONCURRENCY="2",
        PROXIES_CONFIABLES="1",
    )
    proceso = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _esperar_puerto(puerto, proceso, 60)
        proceso.puerto = puerto
        yield proceso
    finally:
        if proceso.poll() is None:
            os.killpg(proceso.pid, signal.SIGTERM)
        try:
            proceso.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait(timeout=10)


def test_gunicorn_sirve_login_sin_versiones_y_registra_al_cliente_real_sin_secretos(gunicorn):
    r = _get(gunicorn.puerto, "/login/")
    assert r.status == 200
    assert "Iniciar sesión" in r.cuerpo.decode()
    assert r.getheader("Server") == "gunicorn"  # gunicorn 27 names itself without a version
    enlace = "/cuenta/restablecer/TokenSecreto1234567890?correo=ana%40correo.test"
    assert _get(gunicorn.puerto, enlace, {"X-Forwarded-For": f"10.9.9.9, {CLIENTE}"}).status in (200, 404)

    os.killpg(gunicorn.pid, signal.SIGTERM)
    assert gunicorn.wait(timeout=20) == 0  # graceful stop
    registro = gunicorn.stdout.read()
    [linea] = [li for li in registro.splitlines() if "/cuenta/restablecer/" in li]
    assert linea.startswith(f"{CLIENTE} ")  # the client the proxy saw, not 127.0.0.1 nor the spoofed 10.9.9.9
    assert "/cuenta/restablecer/[oculto]" in linea
    assert "TokenSecreto" not in registro and "ana%40correo.test" not in registro and "correo=" not in registro


def test_el_servidor_de_desarrollo_no_anuncia_versiones(app):
    from werkzeug.serving import make_server

    from run import manejador_sin_version

    servidor = make_server("127.0.0.1", 0, app, threaded=True, request_handler=manejador_sin_version())
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        r = _get(servidor.server_port, "/login/")
    finally:
        servidor.shutdown()
    assert r.status == 200
    assert r.getheader("Server") == "InvimAgil"
    assert "Werkzeug" not in str(r.headers) and "Python" not in str(r.headers)


@pytest.fixture
def proxies_confiables(app, monkeypatch):
    """Apply PROXIES_CONFIABLES=n to the test app as create_app does; the original WSGI app comes back after."""

    def aplicar(n):
        monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
        monkeypatch.setitem(app.config, "PROXIES_CONFIABLES", n)
        proxies.instalar(app)

    return aplicar


def _ip_auditada(app, cliente, encabezados) -> str:
    with app.app_context():
        factories.crear_usuario(numero="77889900")
    assert cliente.get("/mesa-ayuda/?q=77889900", headers=encabezados).status_code == 200
    with app.app_context():
        from app.extensions import db

        return db.session.scalars(select(Auditoria.ip).where(Auditoria.accion == "busqueda_cuentas")).one()


def test_con_un_proxy_la_auditoria_guarda_la_ip_del_cliente(app, cliente_mesa_ayuda, proxies_confiables):
    proxies_confiables(1)
    # the client may write its own X-Forwarded-For; only the entry the proxy appended counts
    ip = _ip_auditada(app, cliente_mesa_ayuda, {"X-Forwarded-For": f"10.0.0.66, {CLIENTE}"})
    assert ip == CLIENTE


def test_sin_proxies_se_ignora_x_forwarded_for(app, cliente_mesa_ayuda, proxies_confiables):
    proxies_confiables(0)
    assert _ip_auditada(app, cliente_mesa_ayuda, {"X-Forwarded-For": CLIENTE}) == "127.0.0.1"


def _intentos_de_login(cliente, ip_cliente: str, veces: int) -> list[int]:
    token = csrf_de(cliente.get("/login/").get_data(as_text=True))
    datos = {"csrf_token": token, "ingresar_como": "natural", "identificacion": "99999999", "contrasena": "x"}
    return [
        cliente.post("/login/", data=datos, headers={"X-Forwarded-For": ip_cliente}).status_code for _ in range(veces)
    ]


@pytest.mark.parametrize(("proxies_n", "limitado_el_otro"), [(1, False), (0, True)])
def test_el_limite_de_login_cuenta_por_cliente_real(
    app, client, monkeypatch, proxies_confiables, proxies_n, limitado_el_otro
):
    proxies_confiables(proxies_n)
    monkeypatch.setitem(app.config, "LIMITE_LOGIN", "2 per minute")
    assert _intentos_de_login(client, CLIENTE, 3)[-1] == 429
    otro = _intentos_de_login(app.test_client(), OTRO_CLIENTE, 1)
    assert (otro == [429]) is limitado_el_otro


def test_proxies_confiables_invalido_es_un_error_de_configuracion(app, monkeypatch):
    from config import ConfigurationError

    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    monkeypatch.setitem(app.config, "PROXIES_CONFIABLES", "uno")
    with pytest.raises(ConfigurationError, match="PROXIES_CONFIABLES"):
        proxies.instalar(app)
