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
        html = cliente_admin.get("/administracion/municipios/list/?_flt_2_nombre=a").get_data(as_text=True)
    assert _conteo(html) == "más de 100"  # hundreds of the 1,121 municipios have an «a»
    conteos = [s for s in sentencias if "count(*)" in s.lower() and "FROM municipio" in s]
    assert len(conteos) == 1 and "LIMIT" in conteos[0]
    # The pager offers the pages up to the cap, not the 45 of every row.
    assert "page_MunicipioModelView=4" in html and "page_MunicipioModelView=44" not in html


def test_sin_busqueda_una_tabla_muy_por_encima_del_tope_no_se_cuenta(app, cliente_admin, monkeypatch):
    """The planner's estimate (pg_class.reltuples after ANALYZE) says 1,121 rows > 2 × 100: no count at all."""
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        db.session.execute(text("ANALYZE municipio"))
        db.session.commit()
    monkeypatch.setattr(vistas_modelo, "TOPE_CONTEO", 100)
    with contar_sentencias(app) as sentencias:
        html = cliente_admin.get("/administracion/municipios/list/").get_data(as_text=True)
    assert _conteo(html) == "más de 100"
    assert not [s for s in sentencias if "count(*)" in s.lower() and "FROM municipio" in s]
    assert any("reltuples" in s for s in sentencias)
    assert "page_MunicipioModelView=4" in html and "page_MunicipioModelView=44" not in html
    # Over the estimate's margin (1,121 < 2 × 1,000) it counts, exactly as before.
    monkeypatch.setattr(vistas_modelo, "TOPE_CONTEO", 1000)
    html = cliente_admin.get("/administracion/municipios/list/").get_data(as_text=True)
    assert _conteo(html) == "más de 1 000"


def test_un_modelo_por_empresa_nunca_usa_la_estimacion_de_toda_la_tabla(app):
    from app.models.empresas import Membresia
    from app.models.referencias import Municipio

    with app.app_context():
        por_empresa, comun = vistas_modelo.DatosModelo(Membresia), vistas_modelo.DatosModelo(Municipio)
        assert not por_empresa._sin_condiciones(por_empresa.session.query(Membresia))
        assert comun._sin_condiciones(comun.session.query(Municipio))
        assert not comun._sin_condiciones(comun.session.query(Municipio).filter(Municipio.id > 3))


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


def test_limit_y_offset_van_escritos_en_la_sentencia(app, cliente_admin):
    """LIMIT and OFFSET as numbers in the SQL text, not parameters: the page's prepared statement can then keep one
    generic plan instead of being planned on every request (bench/RESULTADOS.md, decimoctava medición)."""
    url = "/administracion/municipios/list/?_flt_2_nombre=San&psize_MunicipioModelView=10"
    with contar_sentencias(app) as sentencias:
        primera = cliente_admin.get(url).get_data(as_text=True)
        segunda = cliente_admin.get(url + "&page_MunicipioModelView=1").get_data(as_text=True)
    paginas = [s for s in sentencias if "FROM municipio" in s and "count(*)" not in s.lower()]
    assert "LIMIT 10" in paginas[0] and "OFFSET" not in paginas[0]
    assert "LIMIT 10 OFFSET 10" in paginas[1]
    conteos = [s for s in sentencias if "count(*)" in s.lower() and "FROM municipio" in s]
    assert conteos and all(f"LIMIT {vistas_modelo.TOPE_CONTEO + 1}" in s for s in conteos)
    filas = [set(re.findall(r"municipios/show/(\d+)", html)) for html in (primera, segunda)]
    assert len(filas[0]) == len(filas[1]) == 10 and not filas[0] & filas[1]
