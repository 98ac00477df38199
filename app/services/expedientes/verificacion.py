"""Public verification of a constancia de radicación (issue 12 §3; the login page's «Consulta de autorizaciones y
certificados»): by the QR (radicado + code in the link) or by radicado + the code printed on the constancia, anyone
sees the minimal public facts; and anyone may upload a PDF to learn whether it is the authentic, unaltered
constancia (the signature is the Invima's and intact, and its bytes are exactly those issued for that radicado).

The public facts are what the constancia itself prints: radicado, fecha, trámite, titular, estado. No statement here
is scoped to a titular (the visitor is nobody's): each one names the radicado and says so explicitly.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.expedientes import Expediente
from app.services import constancia
from app.services.expedientes.radicacion import huella_codigo

MAX_RADICADO = 20
MSG_NO_COINCIDE = "No hay una constancia con ese radicado y ese código de verificación. Revise los dos datos."
MSG_NO_EMITIDA = "La firma es del Invima, pero este archivo no es la constancia emitida para ese radicado."


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


@dataclass(frozen=True)
class ResultadoPdf:
    autentica: bool
    motivo: str
    datos: DatosPublicos | None = None


def verificar_pdf(session, contenido: bytes, firmante) -> ResultadoPdf:
    """Whether `contenido` is the constancia the Invima issued: a valid signature of ours over the whole file, and
    the very bytes stored for the radicado it names."""
    verificacion = constancia.verificar(contenido, firmante)
    if not verificacion.valida:
        return ResultadoPdf(False, verificacion.motivo)
    expediente = _por_radicado(session, verificacion.radicado or "")
    if expediente is None or expediente.constancia_sha256 != hashlib.sha256(contenido).hexdigest():
        return ResultadoPdf(False, MSG_NO_EMITIDA)
    return ResultadoPdf(True, verificacion.motivo, _publicos(expediente))
