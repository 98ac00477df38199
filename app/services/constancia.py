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
- **Drawing.** The Invima look shared with the acts (header, «Página N de M», WinAnsi-safe text, the vector QR and
  its caption) is app/services/pdf_invima.py; this module only says what the constancia prints.

Nothing here touches the request, the database or the file system (except the signing certificate, see firma_pdf).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.services import pdf_invima
from app.services.fechas import en_bogota
from app.services.firma_pdf import ErrorFirma, Firmante, examinar, firmante_de_config, firmar
from app.services.pdf_invima import ANCHO, AZUL, ENTIDAD, FONDO, LINEA, QR_FORMULARIO, fecha, qr, texto

__all__ = [
    "ENTIDAD",
    "QR_FORMULARIO",
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

TITULO = "Constancia de radicación"
CLAVE_RADICADO = "/InvimaRadicado"
CLAVE_CODIGO = "/InvimaCodigo"


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


# ------------------------------------------------------------------------------------------------------ the PDF


def _pdf(datos: DatosConstancia) -> bytes:
    """The unsigned PDF."""
    estilos = pdf_invima.estilos()
    historia = [
        Paragraph(TITULO, estilos["titulo"]),
        Paragraph(
            f"{texto(datos.entidad)} hace constar que radicó la solicitud que se describe a continuación, con los "
            "documentos relacionados.",
            estilos["intro"],
        ),
        pdf_invima.tabla_hechos(_hechos(datos), estilos),
        *_insistencia(datos, estilos),
        Paragraph("Documentos radicados", estilos["seccion"]),
        Spacer(1, 4),
        _tabla_documentos(datos.documentos, estilos),
        Spacer(1, 14),
        KeepTogether([pdf_invima.bloque_qr(datos.url_verificacion, datos.codigo_verificacion, estilos)]),
    ]
    return pdf_invima.construir(
        historia,
        titulo=f"{TITULO} {datos.radicado}",
        asunto=f"{datos.tramite} ({datos.tramite_codigo})",
        encabezado=f"Radicado {datos.radicado}",
        pie=f"{TITULO} {datos.radicado} · Código de verificación {datos.codigo_verificacion}",
        entidad=datos.entidad,
    )


def _hechos(datos: DatosConstancia) -> list[tuple[str, str | None]]:
    tramite = f"{texto(datos.tramite)} (código {texto(datos.tramite_codigo)}, versión {datos.version})"
    return [
        ("Número de radicado", f"<b>{texto(datos.radicado)}</b>"),
        ("Fecha y hora de radicación", f"{fecha(datos.radicado_en)} (hora de Colombia)"),
        ("Trámite", tramite),
        ("Modalidad", texto(datos.modalidad) if datos.modalidad else None),
        ("Titular", f"{texto(datos.titular)} — {texto(datos.titular_identificacion)}"),
        ("Solicitante", f"{texto(datos.solicitante)} — {texto(datos.solicitante_identificacion)}"),
        ("Tarifa", texto(datos.tarifa) if datos.tarifa else None),
        ("Referencia de pago", texto(datos.referencia_pago) if datos.referencia_pago else None),
        ("Valor pagado", texto(datos.valor) if datos.valor else None),
        ("Código de verificación", f"<b>{texto(datos.codigo_verificacion)}</b>"),
    ]


def _insistencia(datos: DatosConstancia, estilos) -> list:
    if not datos.bajo_insistencia:
        return []
    contenido = (
        "<b>Radicada bajo insistencia.</b> El solicitante pidió radicar la solicitud aunque no cumple la lista de "
        f"chequeo, con este motivo: «{texto(datos.bajo_insistencia)}»"
    )
    recuadro = pdf_invima.recuadro(contenido, estilos, borde="#B26A00", fondo="#FFF4E0")
    return [Spacer(1, 8), recuadro]


def _tabla_documentos(documentos: tuple[DocumentoConstancia, ...], estilos) -> Table:
    """One row per document: the requisito, the file name and its SHA-256 in one cell, so that long names wrap
    and the 64 hex digits stay on one line. Cells that never wrap are plain strings (cheaper than a Paragraph)."""
    filas: list[list] = [["N.º", "Requisito, archivo y huella SHA-256", "Folios"]]
    for numero, documento in enumerate(documentos, start=1):
        celda = [
            Paragraph(texto(documento.requisito), estilos["celda"]),
            Paragraph(texto(documento.nombre_archivo), estilos["archivo"]),
            Paragraph(f"SHA-256: {texto(documento.sha256)}", estilos["hash"]),
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
