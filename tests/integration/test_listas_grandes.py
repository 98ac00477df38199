"""Generated lists that stay fast at a million rows (issue 10 §8): the count stops at a cap, and every list has a
stable order backed by an index."""

from __future__ import annotations

import re

from app.web import vistas_modelo
from tests import factories
from tests.helpers import contar_sentencias


def _conteo(html: str) -> str:
    return re.search(r"<strong>[^<]*:</strong>\s*([^<]+?)\s*<", html).group(1)


def test_pasado_el_tope_la_lista_dice_mas_de_y_no_cuenta_todo(app, cliente_admin, monkeypatch):
    monkeypatch.setattr(vistas_modelo, "TOPE_CONTEO", 100)
    with contar_sentencias(app) as sentencias:
        html = cliente_admin.get("/administracion/municipios/list/").get_data(as_text=True)
    assert _conteo(html) == "más de 100"  # 1,121 municipios
    conteos = [s for s in sentencias if "count(*)" in s.lower() and "FROM municipio" in s]
    assert len(conteos) == 1 and "LIMIT" in conteos[0]
    # The pager offers the pages up to the cap, not the 45 of every row.
    assert "page_MunicipioModelView=4" in html and "page_MunicipioModelView=44" not in html


def test_bajo_el_tope_el_conteo_es_exacto(app, cliente_admin, monkeypatch):
    monkeypatch.setattr(vistas_modelo, "TOPE_CONTEO", 100)
    html = cliente_admin.get("/administracion/municipios/list/?_flt_2_nombre=San Juan").get_data(as_text=True)
    assert _conteo(html).isdigit() and 0 < int(_conteo(html)) <= 100


def test_la_lista_de_usuarios_tiene_un_orden_estable_por_su_indice(app, cliente_admin):
    with app.app_context():
        for numero in ("60000003", "60000001", "60000002"):
            factories.crear_usuario(numero=numero, email=f"u{numero}@correo.test")
    with contar_sentencias(app) as sentencias:
        html = cliente_admin.get("/usuarios/list/").get_data(as_text=True)
    assert any("FROM ab_user" in s and "ORDER BY ab_user.id DESC" in s and "LIMIT" in s for s in sentencias)
    # Newest accounts first.
    assert html.index("60000002") < html.index("60000001") < html.index("60000003")


def test_toda_pantalla_generada_cuenta_con_tope_y_tiene_orden(app):
    propias = [
        v
        for v in app.appbuilder.baseviews
        if isinstance(v, vistas_modelo.VistaModelo) or type(v).__name__ == "UsuarioModelView"
    ]
    assert len(propias) >= 10
    assert [type(v).__name__ for v in propias if not isinstance(v.datamodel, vistas_modelo.DatosModelo)] == []
    assert [type(v).__name__ for v in propias if not v.base_order] == []
