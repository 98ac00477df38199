"""With PostgreSQL down, every page answers the Spanish error page (503), never Werkzeug's bare English 500.

The app runs in a process of its own, configured as in production, with DATABASE_URL pointing at a local port where
nothing listens (the shared embedded server is not touched). Its requests go through Flask's test client: anonymous
and with a logged-in session, HTML pages and the API, a route that does not exist (its 404 page needs the menu, so
the database) and a form post.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

from app.views import errores
from tests.helpers import ROOT, puerto_libre

GUION = """
import json, sys
from app import create_app

app = create_app()
clientes = {"anonimo": app.test_client(), "persona": app.test_client()}
with clientes["persona"].session_transaction(base_url="https://localhost") as sesion:
    sesion["_user_id"] = "1"
    sesion["_fresh"] = True
resultados = {}
for quien, cliente in clientes.items():
    for metodo, url in json.loads(sys.argv[1]):
        try:
            r = cliente.open(url, method=metodo, base_url="https://localhost", data={"identificacion": "1"})
            resultados[f"{quien} {metodo} {url}"] = [r.status_code, r.content_type, r.get_data(as_text=True)]
        except Exception as error:  # what a real server would answer with its bare English 500 page
            resultados[f"{quien} {metodo} {url}"] = [500, "", repr(error)]
print(json.dumps(resultados))
"""
PAGINAS = [
    ("GET", "/login/"),
    ("POST", "/login/"),
    ("GET", "/registro/paso/1"),
    ("GET", "/cuenta/recuperar/"),
    ("GET", "/perfil/"),
    ("GET", "/empresa/usuarios/"),
    ("GET", "/administracion/empresas/list/"),
    ("GET", "/no-existe"),
]
API = [("GET", "/api/v1/empresa/roles/"), ("GET", "/api/v1/empresa/usuarios/?q=ana")]


@pytest.fixture(scope="module")
def respuestas():
    entorno = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"postgresql+psycopg://invima@127.0.0.1:{puerto_libre()}/invima",
        "PYTHONPATH": str(ROOT),
    }
    proceso = subprocess.run(
        [sys.executable, "-c", GUION, json.dumps(PAGINAS + API)],
        cwd=ROOT,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    return json.loads(proceso.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("quien", ["anonimo", "persona"])
@pytest.mark.parametrize(("metodo", "url"), PAGINAS)
def test_las_paginas_muestran_el_error_en_espanol_sin_base_de_datos(respuestas, quien, metodo, url):
    codigo, tipo, cuerpo = respuestas[f"{quien} {metodo} {url}"]
    if codigo == 302:  # the login redirect needs no database
        return
    assert codigo == 503, cuerpo[-2000:]
    assert tipo.startswith("text/html") and "Internal Server Error" not in cuerpo
    assert "Error 503" in cuerpo and errores.MENSAJES[503] in cuerpo and '<html lang="es-CO">' in cuerpo


@pytest.mark.parametrize("quien", ["anonimo", "persona"])
@pytest.mark.parametrize(("metodo", "url"), API)
def test_el_api_responde_json_en_espanol_sin_base_de_datos(respuestas, quien, metodo, url):
    codigo, tipo, cuerpo = respuestas[f"{quien} {metodo} {url}"]
    assert codigo == 503 and tipo == "application/json", cuerpo[-2000:]
    assert json.loads(cuerpo) == {"message": errores.MENSAJES[503]}
