"""Issue an administrative act (issue 13 §4): number it, draw and sign its PDF, store it, keep its code's hash.

An Auto (requerimiento) or a Resolución (aprobación, negación, desistimiento) is numbered per type and year in Bogotá
time without gaps (app/db/contadores.py), drawn and signed as the constancia is (app/services/actos_pdf.py, the same
certificate), stored content-addressed with the documents, and carries a QR to the public verification page with a
code kept only as its SHA-256. It never changes afterwards: a new decision is a new act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from app.db import contadores
from app.models.actos import TIPO_DE_CLASE, ActoAdministrativo, ContadorActo
from app.models.expedientes import Expediente
from app.models.personas import Usuario
from app.services import actos_pdf, constancia, documentos
from app.services.expedientes.radicacion import codigo_nuevo, huella_codigo, titular_identificacion
from app.services.fechas import en_bogota

CARGO = "Coordinador(a) del grupo {grupo}"
# The last article of each act says which recursos proceed, before whom and in what term, as its notification must
# tell (Ley 1437 de 2011 art. 67); arts. 74–76 (reposición), 75 (autos de trámite) and 87 (firmeza) for each case.
PROCEDE_REPOSICION = (
    "Contra la presente resolución procede el recurso de reposición ante el Invima, que podrá interponerse en "
    "InvimÁgil, desde el expediente, dentro de los diez (10) días hábiles siguientes a su notificación (Ley 1437 de "
    "2011, arts. 74 y 76)."
)
SIN_RECURSO_AUTO = "Contra el presente auto no procede recurso alguno, por ser de trámite (Ley 1437 de 2011, art. 75)."
SIN_RECURSO_RESUELTO = (
    "Contra la presente resolución no procede recurso alguno; queda en firme desde el día siguiente al de su "
    "notificación (Ley 1437 de 2011, art. 87)."
)


@dataclass(frozen=True)
class Registro:
    """What an approval grants, printed on its resolución."""

    numero: str
    clase: str
    vigencia_hasta: date | None
    estado: str | None = None  # what the act did to a registro it cites (cancelled, en agotamiento until …)


def emitir(
    session,
    expediente: Expediente,
    clase: str,
    considerandos: str,
    resuelve: tuple[str, ...],
    actor: Usuario,
    config,
    momento: datetime,
    url_verificacion: Callable[[str, str], str],
    asunto: str,
    registro: Registro | None = None,
) -> tuple[ActoAdministrativo, bytes]:
    """The act, added to the session, and its signed PDF. `url_verificacion(numero_texto, codigo)`."""
    tipo = TIPO_DE_CLASE[clase]
    anio = en_bogota(momento).year
    acto = ActoAdministrativo(
        expediente_id=expediente.id,
        clase=clase,
        tipo=tipo,
        anio=anio,
        numero=contadores.siguiente(session, ContadorActo, tipo=tipo, anio=anio),
        motivacion=considerandos,
        emitido_por_id=actor.id,
        emitido_en=momento,
    )
    codigo = codigo_nuevo()
    acto.codigo_verificacion = huella_codigo(codigo)
    datos = actos_pdf.DatosActo(
        tipo=tipo,
        numero_texto=acto.numero_texto,
        emitido_en=momento,
        asunto=asunto,
        radicado=expediente.radicado,
        tramite=expediente.version.nombre,
        titular=expediente.titular_nombre,
        titular_identificacion=titular_identificacion(expediente),
        producto=expediente.nombre_producto,
        considerandos=considerandos,
        resuelve=resuelve,
        firmante_nombre=f"{actor.first_name} {actor.last_name}",
        firmante_cargo=CARGO.format(grupo=expediente.grupo.nombre if expediente.grupo else "de revisión"),
        codigo_verificacion=codigo,
        url_verificacion=url_verificacion(acto.numero_texto, codigo),
        registro_numero=registro.numero if registro else None,
        registro_clase=registro.clase if registro else None,
        vigencia_hasta=registro.vigencia_hasta if registro else None,
        registro_estado=registro.estado if registro else None,
    )
    pdf = actos_pdf.generar_acto(datos, constancia.firmante_de_app(config))
    acto.sha256 = documentos.guardar_generado(config["DOCUMENTOS_DIR"], pdf)
    session.add(acto)
    session.flush()
    return acto, pdf
