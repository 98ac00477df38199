"""FAB keeps a screen's active search on the view object (Flask-AppBuilder issue #2366): with a threaded server,
concurrent requests would read each other's filters. Every generated screen keeps its search per request."""

from __future__ import annotations

import re
import sys
import threading

import pytest

from tests import factories
from tests.helpers import cliente_de

PAISES = ("Afganistán", "Albania", "Alemania", "Andorra", "Angola", "Argentina", "Australia", "Austria")
PAISES += ("Bolivia", "Brasil", "Chile", "Colombia")


def _filas(html: str) -> list[str]:
    return [p for p in PAISES if re.search(rf"<td>\s*{re.escape(p)}\s*</td>", html)]


@pytest.fixture
def clientes_admin(app):
    with app.app_context():
        admin = factories.crear_usuario(numero="1000000091", roles=["Admin"], email="admin91@invima.local")
    return [cliente_de(app, admin) for _ in PAISES]


def test_doce_listas_filtradas_a_la_vez_reciben_cada_una_sus_filas(clientes_admin):
    anterior = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads take turns often, as on a busy multi-threaded server
    salida = threading.Barrier(len(PAISES))
    vistas: dict[str, list[list[str]]] = {p: [] for p in PAISES}

    def listar(cliente, pais):
        salida.wait()
        for _ in range(10):
            html = cliente.get(f"/administracion/paises/list/?_flt_3_nombre={pais}").get_data(as_text=True)
            vistas[pais].append(_filas(html))

    hilos = [threading.Thread(target=listar, args=par) for par in zip(clientes_admin, PAISES, strict=True)]
    for hilo in hilos:
        hilo.start()
    try:
        for hilo in hilos:
            hilo.join(120)
    finally:
        sys.setswitchinterval(anterior)
    assert vistas == {p: [[p]] * 10 for p in PAISES}


def test_toda_pantalla_generada_guarda_su_busqueda_por_peticion(app):
    from flask_appbuilder.baseviews import BaseCRUDView

    from app.web.vistas_modelo import FiltrosPorPeticion

    generadas = [v for v in app.appbuilder.baseviews if isinstance(v, BaseCRUDView)]
    assert len(generadas) >= 10
    assert [type(v).__name__ for v in generadas if not isinstance(v, FiltrosPorPeticion)] == []
