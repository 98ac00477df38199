"""Security headers on every kind of response (app/web/cabeceras.py); HSTS and no Swagger page only in production."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest

from tests.helpers import ROOT, contar_sentencias

DIRECTIVAS_OBLIGATORIAS = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _csp(respuesta) -> dict[str, str]:
    valor = respuesta.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in valor.split("; ")}


def _cabeceras_de_seguridad(respuesta) -> dict[str, str]:
    csp = _csp(respuesta)
    for directiva, valor in DIRECTIVAS_OBLIGATORIAS.items():
        assert csp[directiva] == valor, (directiva, csp)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert respuesta.headers["X-Frame-Options"] == "DENY"
    assert respuesta.headers["X-Content-Type-Options"] == "nosniff"
    assert respuesta.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in respuesta.headers  # only in production, over HTTPS
    return csp


def test_pagina_html_lleva_las_cabeceras(client):
    respuesta = client.get("/login/")
    assert respuesta.status_code == 200 and respuesta.mimetype == "text/html"
    _cabeceras_de_seguridad(respuesta)


def test_api_json_lleva_las_cabeceras(cliente_admin):
    respuesta = cliente_admin.get("/api/v1/_openapi")
    assert respuesta.status_code == 200 and respuesta.is_json
    _cabeceras_de_seguridad(respuesta)


def test_pagina_de_error_lleva_las_cabeceras(client):
    respuesta = client.get("/no-existe-esta-pagina")
    assert respuesta.status_code == 404 and "<html" in respuesta.get_data(as_text=True).lower()
    _cabeceras_de_seguridad(respuesta)


def test_archivo_estatico_lleva_las_cabeceras(client):
    respuesta = client.get("/static/js/con_js.js")
    assert respuesta.status_code == 200
    _cabeceras_de_seguridad(respuesta)
    respuesta.close()


def test_el_icono_del_sitio_se_sirve_sin_tocar_la_base(app, client):
    """Browsers ask for /favicon.ico on their first visit: it was a 404 (an error page, logged) on every one."""
    assert 'rel="icon"' in client.get("/login/").get_data(as_text=True)
    with contar_sentencias(app) as sentencias:
        respuesta = client.get("/favicon.ico")
    assert respuesta.status_code == 200 and respuesta.mimetype == "image/vnd.microsoft.icon"
    assert respuesta.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in respuesta.headers["Cache-Control"] and sentencias == []
    _cabeceras_de_seguridad(respuesta)
    respuesta.close()


def test_los_scripts_en_linea_llevan_el_nonce_de_la_peticion(cliente_admin):
    """FAB's own inline scripts carry `nonce`; the header allows exactly that nonce, new on each request."""
    primera = cliente_admin.get("/usuarios/list/")
    html = primera.get_data(as_text=True)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    en_linea = [atributos for atributos in scripts if "src=" not in atributos]
    assert en_linea, "la lista de FAB trae scripts en línea"
    [nonce] = {re.search(r'nonce="([^"]+)"', a).group(1) for a in en_linea}
    assert f"'nonce-{nonce}'" in _cabeceras_de_seguridad(primera)["script-src"]
    segunda = cliente_admin.get("/usuarios/list/")
    assert f"'nonce-{nonce}'" not in _csp(segunda)["script-src"]


def test_las_plantillas_de_la_app_no_tienen_scripts_en_linea():
    """The app's own scripts are files under static/js (allowed by 'self'); inline ones would be blocked."""
    for plantilla in (ROOT / "app" / "templates").rglob("*.html"):
        if plantilla.parent.name == "correo":
            continue  # mail bodies, never served as pages
        texto = plantilla.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", texto), plantilla
        assert not re.search(r"\son[a-z]+\s*=\s*['\"]", texto), plantilla
        assert "javascript:" not in texto, plantilla


def test_swagger_para_el_administrador_en_desarrollo(cliente_admin):
    respuesta = cliente_admin.get("/swagger/v1")
    assert respuesta.status_code == 200
    assert re.search(r'<script nonce="([^"]+)"', respuesta.get_data(as_text=True))


@pytest.fixture(scope="module")
def produccion(database_url, app):
    """Headers and pages of an app built with APP_ENV=production (own process: the settings are read from the
    environment when config.py is imported)."""
    programa = """
import json
from app import create_app
app = create_app()
cliente = app.test_client()
salida = {}
for ruta in ("/login/", "/swagger/v1"):
    respuesta = cliente.get(ruta)
    salida[ruta] = {"status": respuesta.status_code, "headers": dict(respuesta.headers)}
print(json.dumps(salida))
"""
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "CAPTCHA_"))}
    entorno.update(APP_ENV="production", DATABASE_URL=database_url, SECRET_KEY=secrets.token_urlsafe(48))
    resultado = subprocess.run(
        [sys.executable, "-c", programa], cwd=ROOT, env=entorno, capture_output=True, text=True, timeout=120
    )
    assert resultado.returncode == 0, resultado.stderr
    return json.loads(resultado.stdout.strip().splitlines()[-1])


def test_hsts_solo_en_produccion(produccion):
    login = produccion["/login/"]
    assert login["status"] == 200
    assert login["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in login["headers"]["Content-Security-Policy"]
    assert login["headers"]["X-Frame-Options"] == "DENY"


def test_swagger_apagado_en_produccion(produccion):
    assert produccion["/swagger/v1"]["status"] == 404
    assert "Strict-Transport-Security" in produccion["/swagger/v1"]["headers"]
