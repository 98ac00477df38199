"""Bar charts drawn on the server as inline SVG: no CDN, no JavaScript, nothing fetched by the browser.

Each chart is an `<svg>` with a `<title>` and a `<desc>` that lists every bar with its number (what a screen reader
reads), the number printed next to each bar, dark text on white and bar colours of at least 3:1 against white. The
drawing is 320 units wide, about what a 375 px phone leaves it: there its 14-unit labels are read at their size,
and a wider column scales them up (the stylesheet caps the width). A bar with a link (`enlace`) is an SVG `<a>` with its own
accessible name; the chart is then a group of links rather than one image.

Every text that reaches the SVG — labels, titles, links — is escaped here: the result is `Markup`, safe in Jinja.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ANCHO = 320
MARGEN = 4
LETRA = 14
LETRA_PEQUENA = 12
COLUMNA_VALOR = 56  # room right of the longest bar for its number
CARACTERES_POR_LINEA = 42
COLOR_TEXTO = "#1f1f1f"
COLOR_ENLACE = "#245e99"  # the site's link colour (app/static/css/invima.css)
COLOR_EJE = "#6b6b6b"
# Bar fills, each ≥ 3:1 against white (WCAG 1.4.11, non-text contrast).
TONOS = {
    "base": "#2f5f9e",
    "peligro": "#b3261e",
    "aviso": "#9a5b00",
    "bien": "#2e7d32",
    "neutro": "#5f6b7a",
}
SIN_DATOS = "Sin datos"


@dataclass(frozen=True)
class Barra:
    """One bar: its label, its number, where it links to (or None), its tone (a key of TONOS) and, for the vertical
    chart, the short label under the bar (lines separated by «\\n»; the label by default)."""

    etiqueta: str
    valor: int
    enlace: str | None = None
    tono: str = "base"
    rotulo: str | None = None


def numero(valor: int) -> str:
    """1234567 → «1.234.567», as Colombia writes it."""
    return f"{valor:,}".replace(",", ".")


def _lineas(texto: str, maximo: int = 2) -> list[str]:
    lineas = textwrap.wrap(texto, CARACTERES_POR_LINEA) or [""]
    if len(lineas) > maximo:
        lineas = lineas[:maximo]
        lineas[-1] = lineas[-1][: CARACTERES_POR_LINEA - 1].rstrip() + "…"
    return lineas


def _descripcion(descripcion: str, barras: Sequence[Barra]) -> str:
    if not barras:
        return f"{descripcion} {SIN_DATOS}.".strip()
    datos = "; ".join(f"{b.etiqueta}: {numero(b.valor)}" for b in barras)
    return f"{descripcion} {datos}.".strip()


def _nombre_accesible(barra: Barra) -> str:
    return f"{barra.etiqueta}: {numero(barra.valor)}. Ver en la cola"


def _svg(id_base: str, titulo: str, descripcion: str, alto: float, cuerpo: list[str], con_enlaces: bool) -> Markup:
    ids = escape(id_base)
    rol = "group" if con_enlaces else "img"
    cabecera = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafica" viewBox="0 0 {ANCHO} {alto:g}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="{rol}" '
        f'aria-labelledby="{ids}-titulo {ids}-desc" font-size="{LETRA}">'
        f'<title id="{ids}-titulo">{escape(titulo)}</title>'
        f'<desc id="{ids}-desc">{escape(descripcion)}</desc>'
    )
    return Markup(cabecera + "".join(cuerpo) + "</svg>")


def _con_enlace(barra: Barra, contenido: str) -> str:
    if not barra.enlace:
        return f"<g>{contenido}</g>"
    return f'<a href="{escape(barra.enlace)}" aria-label="{escape(_nombre_accesible(barra))}">{contenido}</a>'


def _sin_datos(id_base: str, titulo: str, descripcion: str) -> Markup:
    texto = f'<text x="{ANCHO / 2:g}" y="28" text-anchor="middle" fill="{COLOR_TEXTO}">{SIN_DATOS}</text>'
    return _svg(id_base, titulo, _descripcion(descripcion, []), 44, [texto], False)


def barras_horizontales(id_base: str, titulo: str, barras: Sequence[Barra], descripcion: str = "") -> Markup:
    """One row per bar: the label (up to two lines, cut with «…»), under it the bar and its number.

    `id_base` makes the ids of the title and description (unique in the page); `descripcion` goes before the data
    in the `<desc>`."""
    if not barras:
        return _sin_datos(id_base, titulo, descripcion)
    maximo = max(max(b.valor for b in barras), 1)
    largo_util = ANCHO - 2 * MARGEN - COLUMNA_VALOR
    cuerpo, y = [], MARGEN
    for barra in barras:
        lineas = _lineas(barra.etiqueta)
        color = COLOR_ENLACE if barra.enlace else COLOR_TEXTO
        subrayado = ' text-decoration="underline"' if barra.enlace else ""
        partes = [f"<title>{escape(barra.etiqueta)}: {numero(barra.valor)}</title>"]
        for linea in lineas:
            y += LETRA + 3
            partes.append(f'<text x="{MARGEN}" y="{y}" fill="{color}"{subrayado}>{escape(linea)}</text>')
        y += 5
        largo = round(largo_util * barra.valor / maximo, 1)
        if barra.valor and largo < 2:
            largo = 2  # a non-zero count stays visible next to a much larger one
        tono = TONOS.get(barra.tono, TONOS["base"])
        partes.append(f'<rect x="{MARGEN}" y="{y}" width="{largo:g}" height="16" rx="2" fill="{tono}"/>')
        partes.append(
            f'<text x="{MARGEN + largo + 6:g}" y="{y + 13}" font-weight="bold" fill="{COLOR_TEXTO}">'
            f"{numero(barra.valor)}</text>"
        )
        cuerpo.append(_con_enlace(barra, "".join(partes)))
        y += 16 + 10
    con_enlaces = any(b.enlace for b in barras)
    return _svg(id_base, titulo, _descripcion(descripcion, barras), y, cuerpo, con_enlaces)


def barras_verticales(id_base: str, titulo: str, barras: Sequence[Barra], descripcion: str = "") -> Markup:
    """Columns side by side (a series in time): the number above each column and its short label (`rotulo`, up to
    two lines) under the axis."""
    if not barras:
        return _sin_datos(id_base, titulo, descripcion)
    maximo = max(max(b.valor for b in barras), 1)
    arriba, alto_util, abajo = LETRA_PEQUENA + 8, 130, 2 * (LETRA_PEQUENA + 2) + 6
    base = arriba + alto_util
    hueco = (ANCHO - 2 * MARGEN) / len(barras)
    ancho = round(hueco * 0.62, 1)
    cuerpo = [
        f'<line x1="{MARGEN}" y1="{base}" x2="{ANCHO - MARGEN}" y2="{base}" stroke="{COLOR_EJE}" stroke-width="1"/>'
    ]
    for i, barra in enumerate(barras):
        centro = round(MARGEN + hueco * (i + 0.5), 1)
        alto = round(alto_util * barra.valor / maximo, 1)
        if barra.valor and alto < 2:
            alto = 2
        tono = TONOS.get(barra.tono, TONOS["base"])
        partes = [
            f"<title>{escape(barra.etiqueta)}: {numero(barra.valor)}</title>",
            f'<rect x="{centro - ancho / 2:g}" y="{base - alto:g}" width="{ancho:g}" height="{alto:g}" rx="2" '
            f'fill="{tono}"/>',
            f'<text x="{centro:g}" y="{base - alto - 4:g}" text-anchor="middle" font-size="{LETRA_PEQUENA}" '
            f'font-weight="bold" fill="{COLOR_TEXTO}">{numero(barra.valor)}</text>',
        ]
        for j, linea in enumerate((barra.rotulo or barra.etiqueta).split("\n")[:2]):
            y = base + (j + 1) * (LETRA_PEQUENA + 2)
            partes.append(
                f'<text x="{centro:g}" y="{y}" text-anchor="middle" font-size="{LETRA_PEQUENA}" '
                f'fill="{COLOR_TEXTO}">{escape(linea)}</text>'
            )
        cuerpo.append(_con_enlace(barra, "".join(partes)))
    con_enlaces = any(b.enlace for b in barras)
    return _svg(id_base, titulo, _descripcion(descripcion, barras), base + abajo, cuerpo, con_enlaces)
