"""How the Invima's signed PDFs look: the constancia de radicación (app/services/constancia.py), the administrative
acts and the constancia de notificación (app/services/actos_pdf.py) share these pieces, so they read as one family.

- **Page.** A4, reportlab platypus, built-in fonts (Helvetica, Courier). The header names the entidad and, on the
  right, what the document is about («Radicado 2026-000123», «Resolución 2026-000012»); the footer repeats the
  document and its verification code and says «Página N de M», which needs the page count, so pages are held until
  the end (`CanvasNumerado`). reportlab runs in invariant mode: the same data give the same unsigned bytes.
- **Text.** The built-in fonts are WinAnsi (cp1252): enough for Spanish, not for anything a user may type. Every user
  value goes through `plano` (drawn on the canvas) or `texto` (inside a Paragraph, markup escaped): characters
  outside WinAnsi lose their accents or become «?», never a missing glyph, and «<b>» stays literal text.
- **QR.** Vector: segno's matrix drawn as rectangles in a form XObject named QR_FORMULARIO, so a test can read back
  exactly what was drawn and compare it with `qr(url)`; `bloque_qr` puts it beside the address and the code for
  those who type them.

Nothing here touches the request, the database or the file system.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from functools import partial
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.services.fechas import momento_iso as fecha  # noqa: F401 (the PDFs' date, re-exported)

ENTIDAD = "Instituto Nacional de Vigilancia de Medicamentos y Alimentos - Invima"
CREADOR = "InvimÁgil"
QR_FORMULARIO = "QRVerificacion"
QR_BORDE = 4  # modules of quiet zone, as the QR standard asks
QR_LADO = 3.4 * cm

AZUL = colors.HexColor("#1F3A68")
GRIS = colors.HexColor("#5F6368")
FONDO = colors.HexColor("#EEF2F7")
LINEA = colors.HexColor("#B8C2D0")
MARGEN = 2 * cm  # where text starts and ends, header and footer included
ANCHO = A4[0] - 2 * MARGEN
_RELLENO_MARCO = 6  # reportlab's frame padding, taken off the page margins so the body lines up with the header

NOTA_FIRMA = (
    "Este documento está firmado digitalmente por el Invima. La firma también puede comprobarse sin conexión en "
    "un lector de PDF; cualquier cambio al archivo la invalida."
)


def qr(url: str) -> segno.QRCode:
    """The QR code drawn for `url`: a full QR (never a Micro QR), error correction at least M (segno raises it when
    the same symbol size allows, which helps a crumpled printout)."""
    return segno.make(url, error="m", micro=False)


# ------------------------------------------------------------------------------------------------------------ text


def plano(valor: object) -> str:
    """User text the built-in fonts can draw: NFC, characters outside WinAnsi replaced (accents dropped if need be)."""
    texto = unicodedata.normalize("NFC", str(valor))
    try:
        if texto.encode("cp1252") and texto.isprintable():
            return texto  # the usual case, without going character by character
    except UnicodeEncodeError:
        pass
    return "".join(c if _winansi(c) else _sustituto(c) for c in texto)


def texto(valor: object) -> str:
    """User text for a Paragraph: `plano`, with markup characters escaped."""
    return escape(plano(valor))


def _winansi(caracter: str) -> bool:
    try:
        caracter.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return caracter.isprintable()


def _sustituto(caracter: str) -> str:
    base = unicodedata.normalize("NFKD", caracter)
    return "".join(c for c in base if _winansi(c)) or "?"


def estilos() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=11.5)
    return {
        "titulo": ParagraphStyle("titulo", base, fontName="Helvetica-Bold", fontSize=17, leading=21, textColor=AZUL),
        "intro": ParagraphStyle("intro", base, fontSize=9.5, leading=13, spaceBefore=6, spaceAfter=10),
        "seccion": ParagraphStyle(
            "seccion", base, fontName="Helvetica-Bold", fontSize=11, leading=14, textColor=AZUL, spaceBefore=12
        ),
        "etiqueta": ParagraphStyle("etiqueta", base, fontName="Helvetica-Bold", textColor=GRIS),
        "valor": base,
        "celda": ParagraphStyle("celda", base, fontSize=8, leading=10),
        "archivo": ParagraphStyle("archivo", base, fontSize=7.5, leading=9.5, textColor=GRIS),
        "hash": ParagraphStyle("hash", base, fontName="Courier", fontSize=6.8, leading=8.5),
        "nota": ParagraphStyle("nota", base, fontSize=8, leading=10.5, textColor=GRIS),
        # The acts: a centred heading, the asunto, and justified body text.
        "titulo_acto": ParagraphStyle(
            "titulo_acto", base, fontName="Helvetica-Bold", fontSize=15, leading=19, textColor=AZUL, alignment=1
        ),
        "centrado": ParagraphStyle("centrado", base, fontSize=9.5, leading=13, alignment=1),
        "nota_centrada": ParagraphStyle("nota_centrada", base, fontSize=8, leading=10.5, textColor=GRIS, alignment=1),
        "asunto": ParagraphStyle(
            "asunto", base, fontName="Helvetica-Bold", fontSize=10, leading=13.5, alignment=1, spaceBefore=8
        ),
        "parrafo": ParagraphStyle("parrafo", base, fontSize=9.5, leading=13.5, alignment=4, spaceAfter=6),
        "seccion_acto": ParagraphStyle(
            "seccion_acto",
            base,
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=14,
            alignment=1,
            spaceBefore=10,
            spaceAfter=6,
            textColor=AZUL,
            keepWithNext=1,  # never a heading alone at the foot of a page
        ),
    }


# ------------------------------------------------------------------------------------------------------ the PDF


def construir(
    historia: Sequence[Flowable],
    *,
    titulo: str,
    asunto: str,
    encabezado: str,
    pie: str,
    entidad: str = ENTIDAD,
) -> bytes:
    """The unsigned PDF of `historia`: A4, the Invima header (with `encabezado` on its right) on every page and the
    footer `pie` with «Página N de M». `titulo` and `asunto` go to the document information dictionary."""
    salida = io.BytesIO()
    documento = SimpleDocTemplate(
        salida,
        pagesize=A4,
        leftMargin=MARGEN - _RELLENO_MARCO,
        rightMargin=MARGEN - _RELLENO_MARCO,
        topMargin=3.1 * cm,
        bottomMargin=2.2 * cm,
        title=titulo,
        author=entidad,
        subject=asunto,
        creator=CREADOR,
        invariant=True,
    )
    dibujar_encabezado = partial(_encabezado, entidad=plano(entidad), derecha=plano(encabezado))
    documento.build(
        list(historia),
        onFirstPage=dibujar_encabezado,
        onLaterPages=dibujar_encabezado,
        canvasmaker=partial(CanvasNumerado, pie=plano(pie)),
    )
    return salida.getvalue()


def tabla_hechos(filas: Sequence[tuple[str, str | None]], estilos_: dict[str, ParagraphStyle]) -> Table:
    """Label / value rows (values already escaped Paragraph markup); rows without a value are left out."""
    celdas = [[Paragraph(e, estilos_["etiqueta"]), Paragraph(v, estilos_["valor"])] for e, v in filas if v]
    tabla = Table(celdas, colWidths=[4.6 * cm, ANCHO - 4.6 * cm], hAlign="LEFT")
    tabla.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), FONDO),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINEA),
                ("BOX", (0, 0), (-1, -1), 0.6, LINEA),
                ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return tabla


def recuadro(contenido: str, estilos_: dict[str, ParagraphStyle], borde: str, fondo: str) -> Table:
    """A paragraph of markup in a coloured box across the page (a warning, the legal statement of a notification)."""
    tabla = Table([[Paragraph(contenido, estilos_["valor"])]], colWidths=[ANCHO])
    tabla.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor(borde)),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fondo)),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return tabla


def bloque_qr(url: str, codigo: str, estilos_: dict[str, ParagraphStyle], que: str = "esta constancia") -> Table:
    """The QR of `url` beside «Verifique `que` en <url> con el código <codigo>» and the note on the signature."""
    leyenda = Paragraph(
        f"Verifique {que} en <b>{texto(url)}</b> con el código <b>{texto(codigo)}</b>", estilos_["valor"]
    )
    nota = Paragraph(NOTA_FIRMA, estilos_["nota"])
    tabla = Table(
        [[[leyenda, Spacer(1, 6), nota], CodigoQR(qr(url), QR_LADO)]],
        colWidths=[ANCHO - QR_LADO - 0.6 * cm, QR_LADO + 0.6 * cm],
        hAlign="LEFT",
    )
    tabla.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 0.6, LINEA),
                ("LEFTPADDING", (0, 0), (0, 0), 8),
            ]
        )
    )
    return tabla


class CodigoQR(Flowable):
    """segno's matrix as filled rectangles (one per run of dark modules in a row) in a form XObject."""

    def __init__(self, codigo: segno.QRCode, lado: float):
        super().__init__()
        self.codigo = codigo
        self.width = self.height = lado

    def draw(self):
        filas = [list(fila) for fila in self.codigo.matrix]
        modulos = len(filas) + 2 * QR_BORDE
        lienzo = self.canv
        if not lienzo.hasForm(QR_FORMULARIO):
            lienzo.beginForm(QR_FORMULARIO, 0, 0, modulos, modulos)
            lienzo.setFillColor(colors.black)
            trazo = lienzo.beginPath()
            for y, fila in enumerate(filas):
                for x, largo in _tramos_oscuros(fila):
                    trazo.rect(QR_BORDE + x, modulos - QR_BORDE - y - 1, largo, 1)
            lienzo.drawPath(trazo, stroke=0, fill=1)
            lienzo.endForm()
        lienzo.saveState()
        lienzo.scale(self.width / modulos, self.height / modulos)
        lienzo.doForm(QR_FORMULARIO)
        lienzo.restoreState()


def _tramos_oscuros(fila: list[int]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    tramos, inicio = [], None
    for x, modulo in enumerate([*fila, 0]):
        if modulo and inicio is None:
            inicio = x
        elif not modulo and inicio is not None:
            tramos.append((inicio, x - inicio))
            inicio = None
    return tramos


# ------------------------------------------------------------------------------------------- header and footer


def _encabezado(lienzo, _documento, entidad: str, derecha: str) -> None:
    ancho, alto = A4
    lienzo.saveState()
    lienzo.setFillColor(AZUL)
    lienzo.rect(0, alto - 0.35 * cm, ancho, 0.35 * cm, stroke=0, fill=1)
    lienzo.setFont("Helvetica-Bold", 10.5)
    lienzo.drawString(MARGEN, alto - 1.35 * cm, entidad)
    lienzo.setFont("Helvetica", 8.5)
    lienzo.setFillColor(GRIS)
    lienzo.drawString(MARGEN, alto - 1.8 * cm, "República de Colombia · Ministerio de Salud y Protección Social")
    lienzo.drawRightString(ancho - MARGEN, alto - 1.8 * cm, derecha)
    lienzo.setStrokeColor(AZUL)
    lienzo.setLineWidth(1)
    lienzo.line(MARGEN, alto - 2.1 * cm, ancho - MARGEN, alto - 2.1 * cm)
    lienzo.restoreState()


class CanvasNumerado(rl_canvas.Canvas):
    """Holds every page until the end so the footer can say «Página N de M»."""

    def __init__(self, *args, pie: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._pie = pie
        self._paginas: list[dict] = []

    def showPage(self):
        self._paginas.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._paginas)
        for numero, estado in enumerate(self._paginas, start=1):
            self.__dict__.update(estado)
            self._dibujar_pie(numero, total)
            super().showPage()
        super().save()

    def _dibujar_pie(self, numero: int, total: int) -> None:
        ancho = A4[0]
        self.saveState()
        self.setStrokeColor(LINEA)
        self.setLineWidth(0.5)
        self.line(MARGEN, 1.55 * cm, ancho - MARGEN, 1.55 * cm)
        self.setFont("Helvetica", 7.5)
        self.setFillColor(GRIS)
        self.drawString(MARGEN, 1.15 * cm, self._pie)
        self.drawRightString(ancho - MARGEN, 1.15 * cm, f"Página {numero} de {total}")
        self.restoreState()
