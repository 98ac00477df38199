"""The «constancia de radicación»: the signed PDF a citizen gets when a request is filed, and its verification.

Design:
- **What it says.** Who filed what and when (radicado, date in Bogotá time, trámite, titular, solicitante, payment),
  the applicant's reason when the request was filed «bajo insistencia», and every document with its pages (folios)
  and its full SHA-256, so that anyone can prove which exact files were filed.
- **How it is checked.** A QR code points to the public verification page (`url_verificacion`) and the caption
  repeats the address and the short code for those who type them. The PDF is signed (PAdES, app/services/firma_pdf.py)
  so that a copy can also be checked offline; the radicado and the code are written into the document information
  dictionary (/InvimaRadicado, /InvimaCodigo) in the signed revision, so `verificar` reads them back from signed
  bytes only.
- **Drawing.** reportlab platypus with its built-in fonts (Helvetica, Courier: WinAnsi encoding, enough for Spanish;
  anything else in user text is replaced, never drawn as a missing glyph). The QR is vector: segno's matrix drawn as
  rectangles in a form XObject named QR_FORMULARIO, so a test can read back exactly what was drawn and compare it
  with `qr(url)`. The page footer «Página N de M» needs the page count, so pages are held until the end
  (`_CanvasNumerado`). reportlab runs in invariant mode: the same data give the same unsigned bytes.

Nothing here touches the request, the database or the file system (except the signing certificate, see firma_pdf).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.services.fechas import en_bogota
from app.services.firma_pdf import ErrorFirma, Firmante, examinar, firmante_de_config, firmar

__all__ = [
    "DatosConstancia",
    "DocumentoConstancia",
    "ErrorFirma",
    "Firmante",
    "Verificacion",
    "firmante_de_app",
    "generar",
    "qr",
    "verificar",
]

ENTIDAD = "Instituto Nacional de Vigilancia de Medicamentos y Alimentos - Invima"
TITULO = "Constancia de radicación"
CLAVE_RADICADO = "/InvimaRadicado"
CLAVE_CODIGO = "/InvimaCodigo"
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


@dataclass(frozen=True)
class DocumentoConstancia:
    requisito: str
    nombre_archivo: str
    folios: int
    sha256: str


@dataclass(frozen=True)
class DatosConstancia:
    radicado: str  # e.g. "2026-000123"
    radicado_en: datetime  # aware; printed in Bogotá time
    tramite: str
    tramite_codigo: str
    version: int
    modalidad: str | None
    titular: str
    titular_identificacion: str  # "NIT 900123456-7", "CC 1020304050"
    solicitante: str
    solicitante_identificacion: str
    tarifa: str | None
    referencia_pago: str | None
    valor: str | None  # already formatted: "$ 1.234.567"
    bajo_insistencia: str | None  # the applicant's reason, when filed against the checklist
    documentos: tuple[DocumentoConstancia, ...]
    codigo_verificacion: str  # e.g. "K7QX-2M9P"
    url_verificacion: str  # absolute; what the QR encodes
    entidad: str = ENTIDAD

    def __post_init__(self):
        if self.radicado_en.tzinfo is None:
            raise ValueError("radicado_en debe llevar zona horaria")


@dataclass(frozen=True)
class Verificacion:
    """The answer for a person checking a constancia. `radicado` and `codigo` are read from the bytes the signature
    covers (what was signed, whatever was added later); they only prove anything when `valida` is true."""

    valida: bool
    motivo: str
    radicado: str | None = None
    codigo: str | None = None


def generar(datos: DatosConstancia, firmante: Firmante) -> bytes:
    """The constancia as a signed PDF (A4, PAdES B-B by `firmante`), with the radicado and the code in its signed
    metadata."""
    info = {CLAVE_RADICADO: datos.radicado, CLAVE_CODIGO: datos.codigo_verificacion}
    return firmar(_pdf(datos), firmante, info, creado_en=en_bogota(datos.radicado_en))


def verificar(contenido: bytes, firmante: Firmante) -> Verificacion:
    """Whether `contenido` is a constancia signed with `firmante`'s certificate and unchanged since. Never raises."""
    examen = examinar(contenido, firmante)
    return Verificacion(examen.valida, examen.motivo, examen.info.get(CLAVE_RADICADO), examen.info.get(CLAVE_CODIGO))


def firmante_de_app(app_o_config) -> Firmante:
    """The Firmante the settings ask for (a Flask app or its config mapping): the PKCS#12 of CONSTANCIA_PKCS12
    when set, else the development certificate in FIRMA_DIR."""
    config: Mapping = getattr(app_o_config, "config", app_o_config)
    return firmante_de_config(config)


def qr(url: str) -> segno.QRCode:
    """The QR code drawn on the constancia for `url`: a full QR (never a Micro QR), error correction at least M
    (segno raises it when the same symbol size allows, which helps a crumpled printout)."""
    return segno.make(url, error="m", micro=False)


# ------------------------------------------------------------------------------------------------------------ text


def _plano(valor: object) -> str:
    """User text the built-in fonts can draw: NFC, characters outside WinAnsi replaced (accents dropped if need be)."""
    texto = unicodedata.normalize("NFC", str(valor))
    try:
        if texto.encode("cp1252") and texto.isprintable():
            return texto  # the usual case, without going character by character
    except UnicodeEncodeError:
        pass
    return "".join(c if _winansi(c) else _sustituto(c) for c in texto)


def _texto(valor: object) -> str:
    """User text for a Paragraph: `_plano`, with markup characters escaped."""
    return escape(_plano(valor))


def _winansi(caracter: str) -> bool:
    try:
        caracter.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return caracter.isprintable()


def _sustituto(caracter: str) -> str:
    base = unicodedata.normalize("NFKD", caracter)
    return "".join(c for c in base if _winansi(c)) or "?"


def _fecha(valor: datetime) -> str:
    return en_bogota(valor).strftime("%Y-%m-%d %H:%M")


def _estilos() -> dict[str, ParagraphStyle]:
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
    }


# ------------------------------------------------------------------------------------------------------ the PDF


def _pdf(datos: DatosConstancia) -> bytes:
    """The unsigned PDF."""
    salida = io.BytesIO()
    documento = SimpleDocTemplate(
        salida,
        pagesize=A4,
        leftMargin=MARGEN - _RELLENO_MARCO,
        rightMargin=MARGEN - _RELLENO_MARCO,
        topMargin=3.1 * cm,
        bottomMargin=2.2 * cm,
        title=f"{TITULO} {datos.radicado}",
        author=datos.entidad,
        subject=f"{datos.tramite} ({datos.tramite_codigo})",
        creator="InvimÁgil",
        invariant=True,
    )
    estilos = _estilos()
    historia = [
        Paragraph(TITULO, estilos["titulo"]),
        Paragraph(
            f"{_texto(datos.entidad)} hace constar que radicó la solicitud que se describe a continuación, con los "
            "documentos relacionados.",
            estilos["intro"],
        ),
        _tabla_hechos(datos, estilos),
        *_insistencia(datos, estilos),
        Paragraph("Documentos radicados", estilos["seccion"]),
        Spacer(1, 4),
        _tabla_documentos(datos.documentos, estilos),
        Spacer(1, 14),
        KeepTogether(_bloque_qr(datos, estilos)),
    ]
    encabezado = partial(_encabezado, datos=datos)
    documento.build(
        historia,
        onFirstPage=encabezado,
        onLaterPages=encabezado,
        canvasmaker=partial(_CanvasNumerado, pie=_pie_de(datos)),
    )
    return salida.getvalue()


def _hechos(datos: DatosConstancia) -> list[tuple[str, str]]:
    tramite = f"{_texto(datos.tramite)} (código {_texto(datos.tramite_codigo)}, versión {datos.version})"
    filas = [
        ("Número de radicado", f"<b>{_texto(datos.radicado)}</b>"),
        ("Fecha y hora de radicación", f"{_fecha(datos.radicado_en)} (hora de Colombia)"),
        ("Trámite", tramite),
        ("Modalidad", _texto(datos.modalidad) if datos.modalidad else None),
        ("Titular", f"{_texto(datos.titular)} — {_texto(datos.titular_identificacion)}"),
        ("Solicitante", f"{_texto(datos.solicitante)} — {_texto(datos.solicitante_identificacion)}"),
        ("Tarifa", _texto(datos.tarifa) if datos.tarifa else None),
        ("Referencia de pago", _texto(datos.referencia_pago) if datos.referencia_pago else None),
        ("Valor pagado", _texto(datos.valor) if datos.valor else None),
        ("Código de verificación", f"<b>{_texto(datos.codigo_verificacion)}</b>"),
    ]
    return [(etiqueta, valor) for etiqueta, valor in filas if valor]


def _tabla_hechos(datos: DatosConstancia, estilos) -> Table:
    filas = [[Paragraph(e, estilos["etiqueta"]), Paragraph(v, estilos["valor"])] for e, v in _hechos(datos)]
    tabla = Table(filas, colWidths=[4.6 * cm, ANCHO - 4.6 * cm], hAlign="LEFT")
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


def _insistencia(datos: DatosConstancia, estilos) -> list:
    if not datos.bajo_insistencia:
        return []
    texto = (
        "<b>Radicada bajo insistencia.</b> El solicitante pidió radicar la solicitud aunque no cumple la lista de "
        f"chequeo, con este motivo: «{_texto(datos.bajo_insistencia)}»"
    )
    recuadro = Table([[Paragraph(texto, estilos["valor"])]], colWidths=[ANCHO])
    recuadro.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#B26A00")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF4E0")),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [Spacer(1, 8), recuadro]


def _tabla_documentos(documentos: tuple[DocumentoConstancia, ...], estilos) -> Table:
    """One row per document: the requisito, the file name and its SHA-256 in one cell, so that long names wrap
    and the 64 hex digits stay on one line. Cells that never wrap are plain strings (cheaper than a Paragraph)."""
    filas: list[list] = [["N.º", "Requisito, archivo y huella SHA-256", "Folios"]]
    for numero, documento in enumerate(documentos, start=1):
        celda = [
            Paragraph(_texto(documento.requisito), estilos["celda"]),
            Paragraph(_texto(documento.nombre_archivo), estilos["archivo"]),
            Paragraph(f"SHA-256: {_texto(documento.sha256)}", estilos["hash"]),
        ]
        filas.append([str(numero), celda, str(documento.folios)])
    filas.append(["", "Total de folios", str(sum(d.folios for d in documentos))])
    tabla = Table(filas, colWidths=[1.0 * cm, ANCHO - 2.6 * cm, 1.6 * cm], repeatRows=1, hAlign="LEFT")
    estilo = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), AZUL),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (2, 0), (2, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINEA),
        ("BOX", (0, 0), (-1, -1), 0.6, LINEA),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    estilo += [("BACKGROUND", (0, fila), (-1, fila), FONDO) for fila in range(2, len(filas) - 1, 2)]
    tabla.setStyle(TableStyle(estilo))
    return tabla


def _bloque_qr(datos: DatosConstancia, estilos) -> list:
    leyenda = Paragraph(
        f"Verifique esta constancia en <b>{_texto(datos.url_verificacion)}</b> con el código "
        f"<b>{_texto(datos.codigo_verificacion)}</b>",
        estilos["valor"],
    )
    nota = Paragraph(
        "Este documento está firmado digitalmente por el Invima. La firma también puede comprobarse sin conexión en "
        "un lector de PDF; cualquier cambio al archivo la invalida.",
        estilos["nota"],
    )
    tabla = Table(
        [[[leyenda, Spacer(1, 6), nota], _CodigoQR(qr(datos.url_verificacion), QR_LADO)]],
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
    return [tabla]


class _CodigoQR(Flowable):
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


def _encabezado(lienzo, _documento, datos: DatosConstancia) -> None:
    ancho, alto = A4
    lienzo.saveState()
    lienzo.setFillColor(AZUL)
    lienzo.rect(0, alto - 0.35 * cm, ancho, 0.35 * cm, stroke=0, fill=1)
    lienzo.setFont("Helvetica-Bold", 10.5)
    lienzo.drawString(MARGEN, alto - 1.35 * cm, _plano(datos.entidad))
    lienzo.setFont("Helvetica", 8.5)
    lienzo.setFillColor(GRIS)
    lienzo.drawString(MARGEN, alto - 1.8 * cm, "República de Colombia · Ministerio de Salud y Protección Social")
    lienzo.drawRightString(ancho - MARGEN, alto - 1.8 * cm, f"Radicado {_plano(datos.radicado)}")
    lienzo.setStrokeColor(AZUL)
    lienzo.setLineWidth(1)
    lienzo.line(MARGEN, alto - 2.1 * cm, ancho - MARGEN, alto - 2.1 * cm)
    lienzo.restoreState()


def _pie_de(datos: DatosConstancia) -> str:
    return _plano(f"{TITULO} {datos.radicado} · Código de verificación {datos.codigo_verificacion}")


class _CanvasNumerado(rl_canvas.Canvas):
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
