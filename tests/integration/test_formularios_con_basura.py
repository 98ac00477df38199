"""Every POST route of the app's own flows, as each kind of person, with junk in the fields forms use: never a 500
(issue 9 §2, non-negotiable 4). test_entrada_invalida.py states the expected 4xx and message case by case; this
sweep catches a route nobody wrote a case for. Left out: routes that end the session or change who the person acts
as (the rest would run logged out), and the generated screens' add / edit / delete (test_entrada_invalida.py has
their rows; here junk that happens to be valid would rename or delete the seed's reference rows other tests read).
Ids in the URL other than the expediente's are ones that do not exist."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.helpers_revision import COSMETICOS, PLAGUICIDAS, funcionario, radicado

BASURA = {"larga": "x" * 5000, "negativa": "-1", "marcas": "%'<script>\"", "vacia": "", "fecha": "2026-13-45"}
CAMPOS = (
    "motivacion texto codigo resultado observacion parte decision motivos funcionario motivo notificado via fecha "
    "destino nombre email numero tipo hojas estado modalidad tramite clave contrasena pin valor razon_social nit "
    "roles rol identificacion"
).split()
SIN_SESION_DESPUES = ("logout", "salir", "actuar", "cambiar")


NO_EXISTE = 2_000_000_000


def _rutas_post(app):
    from flask_appbuilder import ModelView

    generadas = {type(v).__name__ + "." for v in app.appbuilder.baseviews if isinstance(v, ModelView)}
    for regla in app.url_map.iter_rules():
        if "POST" not in regla.methods or regla.rule.startswith("/static"):
            continue
        if any(palabra in regla.rule for palabra in SIN_SESION_DESPUES) or regla.endpoint.startswith(tuple(generadas)):
            continue
        yield regla


def _barrer(app, cliente, ids: dict) -> tuple[list, Counter]:
    errores, codigos = [], Counter()
    for regla in _rutas_post(app):
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(ids.get(m.group(1), NO_EXISTE)), regla.rule)
        for nombre, valor in BASURA.items():
            respuesta = cliente.post(url, data={**dict.fromkeys(CAMPOS, valor), "csrf_token": cliente.csrf})
            codigos[respuesta.status_code] += 1
            if respuesta.status_code >= 500:
                errores.append((url, nombre, respuesta.status_code))
    return errores, codigos


@pytest.mark.parametrize("quien", ["empresa", "coordinador", "admin"])
def test_ningun_formulario_responde_500_a_la_basura(app, cliente_empresa_a, cliente_admin, quien):
    expediente_id = radicado(app, cliente_empresa_a)
    cliente = {
        "empresa": cliente_empresa_a,
        "admin": cliente_admin,
        "coordinador": funcionario(app, "Coordinador", (PLAGUICIDAS, COSMETICOS)) if quien == "coordinador" else None,
    }[quien]
    errores, codigos = _barrer(app, cliente, {"expediente_id": expediente_id})
    assert not errores, errores[:20]
    assert codigos[400] > 30, codigos  # the junk reached the forms' validation, not only the permission checks
