"""The administrative acts (issue 13 §4) and the constancia de notificación (§5) as signed PDFs, and how a copy is
checked.

- **The act.** An *Auto* (a requerimiento) or a *Resolución* (aprobación, negación, desistimiento) laid out as the
  Invima's acts are: the number and date, the asunto («Por la cual se aprueba…»), who issues it, the facts of the
  expediente (and, for an approval, the registro / NSO granted with its vigencia), CONSIDERANDO (the motivación,
  paragraph by paragraph), RESUELVE (ARTÍCULO PRIMERO.-, SEGUNDO.-, …), NOTIFÍQUESE Y CÚMPLASE and the signer.
- **The constancia de notificación.** Per Ley 1437 de 2011 art. 56 an electronic notification is *surtida* at the
  date and time the addressee accesses the act; the constancia records that moment, the account, the IP address,
  the user agent and the SHA-256 of the act notified (a personal notification, art. 67, records when and to whom).
- **Checking.** Both carry the QR of the public verification page (for the constancia de notificación, the page of
  the act it notifies: see app/services/enlaces.url_verificacion_acto) and are signed like the constancia de
  radicación (PAdES, app/services/firma_pdf.py) with their identity in the signed document information dictionary:
  /InvimaActo (the act's number) and /InvimaCodigo; /InvimaNotificacion (the number of the act notified) and
  /InvimaActoSha256. `verificar_acto` and `verificar_constancia_notificacion` read them back from signed bytes only.
- **Drawing.** app/services/pdf_invima.py: the same header, footer, fonts and QR as the constancia de radicación;
  every user value is sanitised there (`texto`, `plano`).

Nothing here touches the request, the database or the file system (except the signing certificate, see firma_pdf).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.models.actos import MEDIO_ELECTRONICO, MEDIO_PERSONAL
from app.services import pdf_invima
from app.services.fechas import en_bogota
from app.services.firma_pdf import Firmante, examinar, firmar
from app.services.pdf_invima import ANCHO, AZUL, ENTIDAD, fecha, texto

AUTO = "Auto"
RESOLUCION = "Resolución"
TIPOS = (AUTO, RESOLUCION)
ELECTRONICA = "Electrónica"
PERSONAL = "Personal"
AVISO = "Por aviso"
MEDIOS = (ELECTRONICA, PERSONAL, AVISO)
_MEDIO_DEL_MODELO = {MEDIO_ELECTRONICO: ELECTRONICA, MEDIO_PERSONAL: PERSONAL}  # Notificacion.medio as stored

CLAVE_ACTO = "/InvimaActo"
CLAVE_CODIGO = "/InvimaCodigo"
CLAVE_NOTIFICACION = "/InvimaNotificacion"
CLAVE_ACTO_SHA256 = "/InvimaActoSha256"
TITULO_NOTIFICACION = "Constancia de notificación"

MSG_NO_ES_ACTO = "La firma es del Invima, pero el documento no es un acto administrativo."
MSG_NO_ES_NOTIFICACION = "La firma es del Invima, pero el documento no es una constancia de notificación."

MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_ORDINALES = ("PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO", "SEXTO", "SÉPTIMO", "OCTAVO", "NOVENO")
_DECENAS = ("DÉCIMO", "VIGÉSIMO", "TRIGÉSIMO")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class DatosActo:
    tipo: str  # AUTO or RESOLUCION
    numero_texto: str  # "Resolución 2026-000012" (ActoAdministrativo.numero_texto)
    emitido_en: datetime  # aware; printed in Bogotá time
    asunto: str  # "Por la cual se aprueba la Notificación Sanitaria Obligatoria …"
    radicado: str
    tramite: str
    titular: str
    titular_identificacion: str  # "NIT 900123456-7", "CC 1020304050"
    considerandos: str  # the motivación; paragraphs separated by line breaks
    resuelve: tuple[str, ...]  # the articles, in order, without their «ARTÍCULO …-»
    firmante_nombre: str
    firmante_cargo: str
    codigo_verificacion: str  # e.g. "K7QX-2M9P"
    url_verificacion: str  # absolute; what the QR encodes
    producto: str | None = None
    # An approval: the registro / NSO granted and its vigencia (None: the guide gives none, «sin vigencia»).
    registro_numero: str | None = None
    registro_clase: str | None = None  # "Notificación Sanitaria Obligatoria", "Registro sanitario"
    vigencia_hasta: date | None = None
    # What the act did to a registro it cites, instead of its vigencia (a cancelación, an agotamiento).
    registro_estado: str | None = None
    entidad: str = ENTIDAD

    def __post_init__(self):
        if self.tipo not in TIPOS:
            raise ValueError(f"tipo debe ser uno de {TIPOS}")
        if self.emitido_en.tzinfo is None:
            raise ValueError("emitido_en debe llevar zona horaria")
        object.__setattr__(self, "resuelve", tuple(self.resuelve))
        if not self.resuelve:
            raise ValueError("el acto debe resolver al menos un artículo")


@dataclass(frozen=True)
class DatosConstanciaNotificacion:
    acto_numero_texto: str  # "Resolución 2026-000012"
    radicado: str
    acto_sha256: str  # of the signed PDF of the act that was notified
    medio: str  # ELECTRONICA, PERSONAL or AVISO (Notificacion.medio's "electronica" / "personal" are accepted too)
    enviada_en: datetime  # aware: when the notification was sent (electronic) or the citation made (personal)
    surtida_en: datetime  # aware: when the addressee accessed the act (art. 56) or received it in person
    notificado: str
    notificado_identificacion: str
    codigo_verificacion: str  # normally the act's: the QR opens the act's public page
    url_verificacion: str
    correo: str | None = None  # the account that opened the link (electronic)
    ip: str | None = None
    user_agent: str | None = None
    aviso: str | None = None  # AVISO: how, where and on what day the aviso arrived
    entidad: str = ENTIDAD

    def __post_init__(self):
        object.__setattr__(self, "medio", _MEDIO_DEL_MODELO.get(self.medio, self.medio))
        if self.medio not in MEDIOS:
            raise ValueError(f"medio debe ser uno de {MEDIOS}")
        if (self.medio == AVISO) != bool(self.aviso):
            raise ValueError("aviso describe la entrega del aviso, y solo en la notificación por aviso")
        if self.enviada_en.tzinfo is None or self.surtida_en.tzinfo is None:
            raise ValueError("enviada_en y surtida_en deben llevar zona horaria")
        if not _SHA256.fullmatch(self.acto_sha256):
            raise ValueError("acto_sha256 debe ser una huella SHA-256 en hexadecimal")


@dataclass(frozen=True)
class VerificacionActo:
    """The answer for a person checking an act or a constancia de notificación. `numero` (the act's number) and
    `codigo` are read from the bytes the signature covers; they only prove anything when `valida` is true."""

    valida: bool
    motivo: str
    numero: str | None = None
    codigo: str | None = None
    acto_sha256: str | None = None  # a constancia de notificación: the act it says was notified


def generar_acto(datos: DatosActo, firmante: Firmante) -> bytes:
    """The act as a signed PDF (A4, PAdES B-B by `firmante`), with its number and code in its signed metadata."""
    info = {CLAVE_ACTO: datos.numero_texto, CLAVE_CODIGO: datos.codigo_verificacion}
    return firmar(_pdf_acto(datos), firmante, info, creado_en=en_bogota(datos.emitido_en), razon=datos.numero_texto)


def verificar_acto(contenido: bytes, firmante: Firmante) -> VerificacionActo:
    """Whether `contenido` is an act signed with `firmante`'s certificate and unchanged since. Never raises."""
    examen = examinar(contenido, firmante)
    numero = examen.info.get(CLAVE_ACTO)
    if examen.valida and not numero:
        return VerificacionActo(False, MSG_NO_ES_ACTO)
    return VerificacionActo(examen.valida, examen.motivo, numero, examen.info.get(CLAVE_CODIGO))


def generar_constancia_notificacion(datos: DatosConstanciaNotificacion, firmante: Firmante) -> bytes:
    """The constancia de notificación as a signed PDF, naming the act notified and its SHA-256 in signed metadata."""
    info = {
        CLAVE_NOTIFICACION: datos.acto_numero_texto,
        CLAVE_ACTO_SHA256: datos.acto_sha256,
        CLAVE_CODIGO: datos.codigo_verificacion,
    }
    pdf = _pdf_notificacion(datos)
    return firmar(pdf, firmante, info, creado_en=en_bogota(datos.surtida_en), razon=TITULO_NOTIFICACION)


def verificar_constancia_notificacion(contenido: bytes, firmante: Firmante) -> VerificacionActo:
    """Whether `contenido` is a constancia de notificación signed with `firmante`'s certificate and unchanged since;
    `numero` is the act it notifies. Never raises."""
    examen = examinar(contenido, firmante)
    numero = examen.info.get(CLAVE_NOTIFICACION)
    if examen.valida and not numero:
        return VerificacionActo(False, MSG_NO_ES_NOTIFICACION)
    info = examen.info
    return VerificacionActo(examen.valida, examen.motivo, numero, info.get(CLAVE_CODIGO), info.get(CLAVE_ACTO_SHA256))


def ordinal(numero: int) -> str:
    """How an article is numbered in an act: PRIMERO … NOVENO, DÉCIMO, DÉCIMO PRIMERO … TRIGÉSIMO NOVENO; past
    that, the figure."""
    decena, unidad = divmod(numero, 10)
    if numero < 1 or decena > len(_DECENAS):
        return str(numero)
    palabras = ([_DECENAS[decena - 1]] if decena else []) + ([_ORDINALES[unidad - 1]] if unidad else [])
    return " ".join(palabras)


def fecha_larga(valor: datetime | date) -> str:
    """«4 de marzo de 2026» (a datetime in Bogotá time)."""
    dia = en_bogota(valor).date() if isinstance(valor, datetime) else valor
    return f"{dia.day} de {MESES[dia.month - 1]} de {dia.year}"


# --------------------------------------------------------------------------------------------------------- the act


def _pdf_acto(datos: DatosActo) -> bytes:
    estilos = pdf_invima.estilos()
    es_auto = datos.tipo == AUTO
    cierre = [
        Paragraph("NOTIFÍQUESE Y CÚMPLASE", estilos["asunto"]),
        Paragraph(
            f"{'Dado' if es_auto else 'Dada'} en Bogotá D.C., el {fecha_larga(datos.emitido_en)}.", estilos["centrado"]
        ),
        Spacer(1, 1.1 * cm),
        _firma(datos, estilos),
    ]
    historia = [
        Paragraph(texto(datos.numero_texto.upper()), estilos["titulo_acto"]),
        Paragraph(f"({fecha_larga(datos.emitido_en)})", estilos["centrado"]),
        Paragraph(texto(datos.asunto), estilos["asunto"]),
        Spacer(1, 8),
        Paragraph(
            f"{texto(datos.firmante_cargo)} del {texto(datos.entidad)}, en ejercicio de las facultades legales y "
            "reglamentarias que le confiere la ley, respecto de la solicitud que se identifica a continuación,",
            estilos["parrafo"],
        ),
        pdf_invima.tabla_hechos(_hechos_acto(datos), estilos),
        Paragraph("CONSIDERANDO", estilos["seccion_acto"]),
        *(Paragraph(texto(parrafo), estilos["parrafo"]) for parrafo in _parrafos(datos.considerandos)),
        Paragraph("RESUELVE", estilos["seccion_acto"]),
        *(
            Paragraph(f"<b>ARTÍCULO {ordinal(n)}.-</b> {texto(articulo)}", estilos["parrafo"])
            for n, articulo in enumerate(datos.resuelve, start=1)
        ),
        Spacer(1, 6),
        KeepTogether(cierre),
        Spacer(1, 14),
        KeepTogether(
            [
                pdf_invima.bloque_qr(
                    datos.url_verificacion,
                    datos.codigo_verificacion,
                    estilos,
                    que="este auto" if es_auto else "esta resolución",
                )
            ]
        ),
    ]
    return pdf_invima.construir(
        historia,
        titulo=datos.numero_texto,
        asunto=datos.asunto,
        encabezado=datos.numero_texto,
        pie=f"{datos.numero_texto} · Radicado {datos.radicado} · Código de verificación {datos.codigo_verificacion}",
        entidad=datos.entidad,
    )


def _hechos_acto(datos: DatosActo) -> list[tuple[str, str | None]]:
    filas = [
        ("Radicado", f"<b>{texto(datos.radicado)}</b>"),
        ("Trámite", texto(datos.tramite)),
        ("Titular", f"{texto(datos.titular)} — {texto(datos.titular_identificacion)}"),
        ("Producto", texto(datos.producto) if datos.producto else None),
        ("Fecha de expedición", f"{fecha(datos.emitido_en)} (hora de Colombia)"),
    ]
    if datos.registro_numero:
        vigencia = f"hasta el {fecha_larga(datos.vigencia_hasta)}" if datos.vigencia_hasta else "sin vigencia"
        filas += [
            (texto(datos.registro_clase or "Registro sanitario"), f"<b>{texto(datos.registro_numero)}</b>"),
            ("Estado", texto(datos.registro_estado)) if datos.registro_estado else ("Vigencia", vigencia),
        ]
    return [*filas, ("Código de verificación", f"<b>{texto(datos.codigo_verificacion)}</b>")]


def _parrafos(contenido: str) -> list[str]:
    """The motivación's paragraphs: one per non-empty line (what a text area gives)."""
    return [linea.strip() for linea in str(contenido).splitlines() if linea.strip()] or ["—"]


def _firma(datos: DatosActo, estilos) -> Table:
    """The signer's name over a rule, their cargo below, centred."""
    tabla = Table(
        [
            [Paragraph(f"<b>{texto(datos.firmante_nombre.upper())}</b>", estilos["centrado"])],
            [Paragraph(texto(datos.firmante_cargo), estilos["centrado"])],
            [Paragraph("Firmado digitalmente", estilos["nota_centrada"])],
        ],
        colWidths=[ANCHO * 0.55],
    )
    tabla.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (0, 0), 0.8, AZUL),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return tabla


# ------------------------------------------------------------------------------------ the constancia de notificación


def _pdf_notificacion(datos: DatosConstanciaNotificacion) -> bytes:
    estilos = pdf_invima.estilos()
    historia = [
        Paragraph(TITULO_NOTIFICACION, estilos["titulo"]),
        Paragraph(
            f"{texto(datos.entidad)} hace constar que notificó el acto administrativo que se describe a continuación.",
            estilos["intro"],
        ),
        pdf_invima.tabla_hechos(_hechos_notificacion(datos), estilos),
        Spacer(1, 10),
        pdf_invima.recuadro(_declaracion(datos), estilos, borde="#1F3A68", fondo="#EEF2F7"),
        Spacer(1, 14),
        KeepTogether(
            [pdf_invima.bloque_qr(datos.url_verificacion, datos.codigo_verificacion, estilos, que="el acto notificado")]
        ),
    ]
    numero = datos.acto_numero_texto
    return pdf_invima.construir(
        historia,
        titulo=f"{TITULO_NOTIFICACION} {numero}",
        asunto=f"Notificación de {numero} (radicado {datos.radicado})",
        encabezado=numero,
        pie=f"{TITULO_NOTIFICACION} {numero} · Radicado {datos.radicado}",
        entidad=datos.entidad,
    )


def _hechos_notificacion(datos: DatosConstanciaNotificacion) -> list[tuple[str, str | None]]:
    return [
        ("Acto notificado", f"<b>{texto(datos.acto_numero_texto)}</b>"),
        ("Radicado", texto(datos.radicado)),
        ("Medio de notificación", texto(datos.medio)),
        ("Citación" if datos.medio == PERSONAL else "Enviada", f"{fecha(datos.enviada_en)} (hora de Colombia)"),
        ("Aviso", texto(datos.aviso) if datos.aviso else None),
        ("Notificación surtida", f"<b>{fecha(datos.surtida_en)}</b> (hora de Colombia)"),
        ("Notificado", f"{texto(datos.notificado)} — {texto(datos.notificado_identificacion)}"),
        ("Cuenta de correo", texto(datos.correo) if datos.correo else None),
        ("Dirección IP", texto(datos.ip) if datos.ip else None),
        ("Navegador (user agent)", texto(datos.user_agent) if datos.user_agent else None),
        ("SHA-256 del acto", f'<font name="Courier" size="7.5">{texto(datos.acto_sha256)}</font>'),
    ]


def _declaracion(datos: DatosConstanciaNotificacion) -> str:
    numero, momento, notificado = texto(datos.acto_numero_texto), fecha(datos.surtida_en), texto(datos.notificado)
    huella = f"El acto notificado es el documento cuya huella SHA-256 es {texto(datos.acto_sha256)}."
    if datos.medio == AVISO:
        return (
            "De conformidad con el artículo 69 de la Ley 1437 de 2011, la notificación por aviso del acto "
            f"administrativo {numero}, dirigida a {notificado}, quedó surtida el <b>{momento}</b> (hora de "
            f"Colombia), al finalizar el día siguiente al de la entrega del aviso: {texto(datos.aviso)}. {huella}"
        )
    if datos.medio == PERSONAL:
        return (
            "De conformidad con el artículo 67 de la Ley 1437 de 2011, la notificación personal del acto "
            f"administrativo {numero} quedó surtida el <b>{momento}</b> (hora de Colombia), fecha y hora en que "
            f"{notificado} recibió copia íntegra del acto. {huella}"
        )
    acceso = [f"desde la cuenta {texto(datos.correo)}" if datos.correo else ""]
    acceso += [f"con la dirección IP {texto(datos.ip)}" if datos.ip else ""]
    acceso += [f"y el navegador «{texto(datos.user_agent)}»" if datos.user_agent else ""]
    desde = ", ".join(parte for parte in acceso if parte)
    return (
        "De conformidad con el artículo 56 de la Ley 1437 de 2011, la notificación electrónica del acto "
        f"administrativo {numero} quedó surtida el <b>{momento}</b> (hora de Colombia), fecha y hora en que "
        f"{notificado} accedió al acto{' ' + desde if desde else ''}. {huella}"
    )
