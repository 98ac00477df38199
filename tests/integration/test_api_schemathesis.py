"""Schemathesis over the app's OpenAPI spec (/api/v1/_openapi), in process: no generated request gets a 5xx.

Every operation of the spec is called as a company's Administrador acting as the company (all permissions of the
tree), with the CSRF token in X-CSRFToken as the browser sends it, so the requests reach the services. For each
operation schemathesis generates EJEMPLOS_POR_MODO requests that follow the spec (positive: any integer id, any
string, any array) and as many that break it (negative: wrong types, missing or extra fields, ids that are not
numbers), and checks each answer with `not_a_server_error`. Derandomized: every run sends the same requests, so a
failure can be reproduced. (Hypothesis drives each operation here because schemathesis' lazy pytest fixture,
`schemathesis.pytest.from_fixture`, does not run under pytest 9.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

EJEMPLOS_POR_MODO = 25  # per operation: valid requests (positive) and requests that break the spec (negative)


@pytest.fixture
def llamadas():
    """The operations called and how many requests each got (printed with `pytest -s`)."""
    registro: dict[str, int] = {}
    yield registro
    print(f"\nschemathesis: {len(registro)} operaciones, {sum(registro.values())} solicitudes")


@pytest.fixture
def esquema_api(app, cliente_admin):
    """The spec as the app serves it (reading it needs an Invima administrator)."""
    respuesta = cliente_admin.get("/api/v1/_openapi")
    assert respuesta.status_code == 200
    esquema = schemathesis.openapi.from_dict(respuesta.get_json())
    esquema.app = app  # requests go to the app in process (WSGI), as schemathesis.openapi.from_wsgi does
    return esquema


def test_ninguna_solicitud_generada_da_error_de_servidor(esquema_api, cliente_empresa_a, llamadas):
    operaciones = [resultado.ok() for resultado in esquema_api.get_all_operations()]
    assert len(operaciones) >= 12, [o.label for o in operaciones]
    for operacion in operaciones:
        for modo in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _probar(operacion, modo, cliente_empresa_a, llamadas)
    assert set(llamadas) == {o.label for o in operaciones}  # no operation was left without requests


def _probar(operacion, modo, cliente, llamadas) -> None:
    @given(case=operacion.as_strategy(generation_mode=modo))
    @settings(
        max_examples=EJEMPLOS_POR_MODO,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def llamar(case):
        case.call_and_validate(session=cliente, headers={"X-CSRFToken": cliente.csrf}, checks=[not_a_server_error])
        llamadas[operacion.label] = llamadas.get(operacion.label, 0) + 1

    llamar()
