"""Public verification of the Invima's signed documents (issue 12 §3, issue 13 §4–§5; the login page's «Consulta de
autorizaciones y certificados»):

- a constancia de radicación, by the QR (radicado + code in the link) or by radicado + the code printed on it;
- an administrative act (auto, resolución), by its QR (/consulta/acto/<número en la URL>?codigo=…) or by its number
  + code: the number travels in the URL as `numero_en_url` writes it («Resolucion-2026-000012»), and `leer_numero`
  also reads it as typed from paper («Resolución No. 2026-12»);
- any of them, or a constancia de notificación, by uploading the PDF: authentic when the signature is the Invima's
  and intact *and* the bytes are exactly those issued (the SHA-256 stored for that radicado, act or notification).

Codes are compared as SHA-256 in constant time, and an unknown number costs the same work as a wrong code, so the
answer never tells whether a radicado or an act exists. The public facts are what the document itself prints
(radicado, fecha, trámite, titular, estado; for an act its type, number, date, clase, radicado and titular, and when
it was notified). No statement here is scoped to a titular (the visitor is nobody's): each names its document, and
every read passes `todas_las_empresas=True` on its one statement, as the radicado lookup always did.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.actos import AUTO, CLASES, RESOLUCION, ActoAdministrativo
from app.models.expedientes import Expediente
from app.services import actos_pdf, constancia
from app.services.expedientes.radicacion import huella_codigo
from app.services.fechas import hoy_en_bogota
from app.services.firma_pdf import examinar
from app.services.revision import recursos

MAX_RADICADO = 20
MAX_NUMERO_ACTO = 40
MSG_NO_COINCIDE = "No hay una constancia con ese radicado y ese código de verificación. Revise los dos datos."
MSG_ACTO_NO_COINCIDE = (
    "No hay un acto administrativo con ese número y ese código de verificación. Revise los dos datos."
)
MSG_NO_EMITIDA = "La firma es del Invima, pero este archivo no es la constancia emitida para ese radicado."
MSG_ACTO_NO_EMITIDO = "La firma es del Invima, pero este archivo no es el acto administrativo emitido con ese número."
MSG_NOTIFICACION_NO_EMITIDA = (
    "La firma es del Invima, pero este archivo no es la constancia de notificación emitida para ese acto."
)

RADICACION, ACTO, NOTIFICACION = "radicacion", "acto", "notificacion"
# What the page says about an uploaded PDF, by the kind of document its signed metadata names: (auténtico, no).
TITULOS = {
    RADICACION: ("Constancia auténtica.", "La constancia no es válida."),
    ACTO: ("Acto administrativo auténtico.", "El acto administrativo no es válido."),
    NOTIFICACION: ("Constancia de notificación auténtica.", "La constancia de notificación no es válida."),
}
_TIPOS_EN_URL = {"auto": AUTO, "resolucion": RESOLUCION}


@dataclass(frozen=True)
class DatosPublicos:
    radicado: str
    radicado_en: datetime
    tramite: str
    titular: str
    estado: str


def _por_radicado(session, radicado: str) -> Expediente | None:
    radicado = (radicado or "").strip().upper()[:MAX_RADICADO]
    if not radicado:
        return None
    return session.scalar(
        select(Expediente)
        .where(Expediente.radicado == radicado)
        .options(joinedload(Expediente.version), joinedload(Expediente.empresa), joinedload(Expediente.persona))
        .execution_options(todas_las_empresas=True)
    )


def _publicos(expediente: Expediente) -> DatosPublicos:
    return DatosPublicos(
        expediente.radicado,
        expediente.radicado_en,
        expediente.version.nombre,
        expediente.titular_nombre,
        expediente.estado,
    )


def consultar(session, radicado: str, codigo: str) -> DatosPublicos | None:
    """The public facts of the radicado if the code is its own (compared in constant time), else None."""
    expediente = _por_radicado(session, radicado)
    if expediente is None or not expediente.codigo_verificacion:
        huella_codigo(codigo)  # the same work whether the radicado exists or not
        return None
    if not hmac.compare_digest(expediente.codigo_verificacion, huella_codigo(codigo)):
        return None
    return _publicos(expediente)


# ------------------------------------------------------------------------------------------------------------ acts


@dataclass(frozen=True)
class DatosActoPublicos:
    tipo: str
    numero_texto: str
    emitido_en: datetime
    clase: str  # "Aprobación", "Requerimiento", …
    radicado: str
    titular: str
    notificado_en: datetime | None  # when the notification was surtida, if it was
    firmeza: str = ""  # a decision's recursos and firmeza today («En firme desde el …»), as the titular reads it


def numero_en_url(numero_texto: str) -> str:
    """«Resolución 2026-000012» → «Resolucion-2026-000012»: the act's number as its QR link writes it."""
    sin_tildes = unicodedata.normalize("NFKD", numero_texto).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", sin_tildes))


def leer_numero(texto: str) -> tuple[str, int, int] | None:
    """(tipo, año, número) of an act's number as a link or a person writes it: «Resolucion-2026-000012»,
    «Resolución No. 2026-12», «auto 2026 7»; None when it is not one."""
    sin_tildes = unicodedata.normalize("NFKD", (texto or "")[:MAX_NUMERO_ACTO]).encode("ascii", "ignore").decode()
    palabras = [p for p in re.findall(r"[a-z0-9]+", sin_tildes.lower()) if p not in ("no", "n")]
    if len(palabras) != 3 or palabras[0] not in _TIPOS_EN_URL:
        return None
    _, anio, numero = palabras
    if not (re.fullmatch(r"\d{4}", anio) and re.fullmatch(r"\d{1,9}", numero)):
        return None
    return _TIPOS_EN_URL[palabras[0]], int(anio), int(numero)


def _acto_y_expediente(session, numero: str) -> tuple[ActoAdministrativo, Expediente] | None:
    leido = leer_numero(numero)
    if leido is None:
        return None
    tipo, anio, consecutivo = leido
    fila = session.execute(
        select(ActoAdministrativo, Expediente)
        .join(Expediente, Expediente.id == ActoAdministrativo.expediente_id)
        .where(
            ActoAdministrativo.tipo == tipo, ActoAdministrativo.anio == anio, ActoAdministrativo.numero == consecutivo
        )
        .options(
            joinedload(ActoAdministrativo.notificacion),
            joinedload(Expediente.empresa),
            joinedload(Expediente.persona),
        )
        .execution_options(todas_las_empresas=True)
    ).first()
    return (fila[0], fila[1]) if fila else None


def _publicos_acto(session, acto: ActoAdministrativo, expediente: Expediente) -> DatosActoPublicos:
    notificacion = acto.notificacion
    situacion = recursos.situaciones(session, expediente.id, hoy_en_bogota()).get(acto.id)
    return DatosActoPublicos(
        acto.tipo,
        acto.numero_texto,
        acto.emitido_en,
        CLASES.get(acto.clase, acto.clase),
        expediente.radicado,
        expediente.titular_nombre,
        notificacion.surtida_en if notificacion else None,
        situacion.texto if situacion else "",
    )


def consultar_acto(session, numero: str, codigo: str) -> DatosActoPublicos | None:
    """The public facts of the act if the code is its own or its constancia de notificación's (compared in constant
    time), else None."""
    encontrado = _acto_y_expediente(session, numero)
    if encontrado is None:
        huella_codigo(codigo)  # the same work whether the act exists or not
        return None
    acto, expediente = encontrado
    huella = huella_codigo(codigo)
    propio = hmac.compare_digest(acto.codigo_verificacion, huella)
    notificacion = acto.notificacion
    de_la_constancia = notificacion is not None and hmac.compare_digest(notificacion.codigo_verificacion or "", huella)
    return _publicos_acto(session, acto, expediente) if propio or de_la_constancia else None


# --------------------------------------------------------------------------------------------- an uploaded PDF


@dataclass(frozen=True)
class ResultadoPdf:
    autentica: bool
    motivo: str
    datos: DatosPublicos | None = None
    acto: DatosActoPublicos | None = None
    documento: str = RADICACION  # which kind of document the signed metadata names

    @property
    def titulo(self) -> str:
        return TITULOS[self.documento][0 if self.autentica else 1]


def verificar_pdf(session, contenido: bytes, firmante) -> ResultadoPdf:
    """Whether `contenido` is a document the Invima issued — a constancia de radicación, an act or a constancia de
    notificación: a valid signature of ours over the whole file, and the very bytes stored for the radicado, act or
    notification its signed metadata names. Never raises."""
    examen = examinar(contenido, firmante)
    if actos_pdf.CLAVE_ACTO in examen.info:
        documento, numero = ACTO, examen.info[actos_pdf.CLAVE_ACTO]
    elif actos_pdf.CLAVE_NOTIFICACION in examen.info:
        documento, numero = NOTIFICACION, examen.info[actos_pdf.CLAVE_NOTIFICACION]
    else:
        documento, numero = RADICACION, examen.info.get(constancia.CLAVE_RADICADO, "")
    if not examen.valida:
        return ResultadoPdf(False, examen.motivo, documento=documento)
    huella = hashlib.sha256(contenido).hexdigest()
    if documento == RADICACION:
        expediente = _por_radicado(session, numero)
        if expediente is None or expediente.constancia_sha256 != huella:
            return ResultadoPdf(False, MSG_NO_EMITIDA)
        return ResultadoPdf(True, examen.motivo, _publicos(expediente))
    encontrado = _acto_y_expediente(session, numero)
    if documento == ACTO:
        emitido = encontrado is not None and encontrado[0].sha256 == huella
        motivo_falso = MSG_ACTO_NO_EMITIDO
    else:
        notificacion = encontrado[0].notificacion if encontrado else None
        emitido = notificacion is not None and notificacion.constancia_sha256 == huella
        motivo_falso = MSG_NOTIFICACION_NO_EMITIDA
    if not emitido:
        return ResultadoPdf(False, motivo_falso, documento=documento)
    return ResultadoPdf(True, examen.motivo, acto=_publicos_acto(session, *encontrado), documento=documento)
