"""Server-side SVG bar charts (app/web/graficas.py): well-formed XML, every text escaped, accessible names, and a
chart with no data or only zeros still drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from app.web.graficas import ANCHO, CARACTERES_POR_LINEA, Barra, barras_horizontales, barras_verticales, numero

SVG = "{http://www.w3.org/2000/svg}"
DIBUJOS = (barras_horizontales, barras_verticales)


def _arbol(svg: Markup) -> ET.Element:
    return ET.fromstring(str(svg))


def _textos(raiz: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in raiz.iter(f"{SVG}text")]


@pytest.mark.parametrize("dibujar", DIBUJOS)
def test_la_grafica_es_svg_bien_formado_con_titulo_y_descripcion(dibujar):
    svg = dibujar("g-prueba", "Expedientes por estado", [Barra("Radicado", 3), Barra("Asignado", 12)])
    assert isinstance(svg, Markup)
    raiz = _arbol(svg)
    assert raiz.tag == f"{SVG}svg" and raiz.get("role") == "img"
    assert raiz.get("aria-labelledby") == "g-prueba-titulo g-prueba-desc"
    assert raiz.find(f"{SVG}title").text == "Expedientes por estado"
    assert raiz.find(f"{SVG}title").get("id") == "g-prueba-titulo"
    assert raiz.find(f"{SVG}desc").text == "Radicado: 3; Asignado: 12."
    assert raiz.get("viewBox").startswith(f"0 0 {ANCHO} ")
    assert {"3", "12"} <= set(_textos(raiz))


@pytest.mark.parametrize("dibujar", DIBUJOS)
def test_cada_texto_se_escapa(dibujar):
    malicioso = '<script>alert("x")</script> & «Cía» \'s'
    svg = dibujar(
        'g"><script>',
        "Título <b>con</b> & marcas",
        [Barra(malicioso, 1, enlace='/cola/?a=1&b="><script>', rotulo=malicioso)],
        descripcion="Nota <i>x</i>",
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    raiz = _arbol(svg)  # still well-formed
    assert raiz.find(f"{SVG}title").text == "Título <b>con</b> & marcas"
    assert raiz.find(f"{SVG}desc").text.startswith("Nota <i>x</i> <script>")
    enlace = next(raiz.iter(f"{SVG}a"))
    assert enlace.get("href") == '/cola/?a=1&b="><script>'
    assert any(malicioso[:20] in t for t in _textos(raiz))


@pytest.mark.parametrize("dibujar", DIBUJOS)
def test_sin_datos_dice_sin_datos(dibujar):
    raiz = _arbol(dibujar("vacia", "Nada", []))
    assert _textos(raiz) == ["Sin datos"]
    assert raiz.find(f"{SVG}desc").text == "Sin datos."


@pytest.mark.parametrize("dibujar", DIBUJOS)
def test_todo_en_cero_dibuja_barras_vacias_con_su_cero(dibujar):
    raiz = _arbol(dibujar("ceros", "Ceros", [Barra("A", 0), Barra("B", 0)]))
    medida = "width" if dibujar is barras_horizontales else "height"
    assert [float(r.get(medida)) for r in raiz.iter(f"{SVG}rect")] == [0, 0]
    assert _textos(raiz).count("0") == 2


def test_las_barras_horizontales_son_proporcionales_y_un_uno_se_ve():
    raiz = _arbol(barras_horizontales("p", "P", [Barra("Mucho", 1000), Barra("Mitad", 500), Barra("Uno", 1)]))
    anchos = [float(r.get("width")) for r in raiz.iter(f"{SVG}rect")]
    assert anchos[1] == pytest.approx(anchos[0] / 2, abs=0.1)
    assert anchos[2] >= 2  # visible next to a thousand
    assert max(anchos) <= ANCHO


def test_una_etiqueta_larga_se_corta_en_dos_lineas_y_queda_entera_en_la_descripcion():
    larga = "Notificación sanitaria obligatoria de productos cosméticos fabricados en Colombia o importados " * 2
    raiz = _arbol(barras_horizontales("l", "L", [Barra(larga.strip(), 4)]))
    lineas = [t for t in _textos(raiz) if t != "4"]
    assert len(lineas) == 2 and lineas[1].endswith("…")
    assert all(len(linea) <= CARACTERES_POR_LINEA for linea in lineas)
    assert larga.strip() in raiz.find(f"{SVG}desc").text


def test_con_enlaces_la_grafica_es_un_grupo_de_enlaces_con_nombre():
    raiz = _arbol(barras_horizontales("e", "E", [Barra("Radicado", 2, enlace="/revision/cola/?x=1"), Barra("B", 0)]))
    assert raiz.get("role") == "group"
    enlaces = list(raiz.iter(f"{SVG}a"))
    assert len(enlaces) == 1
    assert enlaces[0].get("href") == "/revision/cola/?x=1"
    assert enlaces[0].get("aria-label") == "Radicado: 2. Ver en la cola"


def test_las_columnas_llevan_su_rotulo_corto_en_dos_lineas():
    raiz = _arbol(barras_verticales("s", "S", [Barra("Semana del 16/03/2026", 5, rotulo="16\nmar")]))
    assert _textos(raiz) == ["5", "16", "mar"]
    assert raiz.find(f"{SVG}desc").text == "Semana del 16/03/2026: 5."


def test_los_numeros_con_punto_de_miles():
    assert numero(0) == "0" and numero(1234) == "1.234" and numero(1234567) == "1.234.567"
    raiz = _arbol(barras_horizontales("n", "N", [Barra("Muchos", 12345)]))
    assert "12.345" in _textos(raiz)
