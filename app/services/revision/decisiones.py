"""Decisions on an expediente (issue 13 §4) and sending a requerimiento (§3): each one is an administrative act.

- *Aprobar*: every VoBo the checklist needs is in force and no requerimiento is open; grants or extends the registro
  / NSO (app/services/registros.py) and prints it with its vigencia on the resolución.
- *Negar*: with its motivación; not while a requerimiento waits for the answer.
- *Desistimiento* (tácito): only once the term to answer a requerimiento has run out unanswered (Ley 1437 art. 17).
- *Enviar un requerimiento*: the coordinator turns the draft into an Auto.
Each act is numbered, signed and stored (actos.py), stops or suspends the clock (plazos.py), enters the timeline and
the audit log, and is notified (notificaciones.py). Only a coordinator decides (the view's permission).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.models.actos import (
    CLASE_APROBACION,
    CLASE_DESISTIMIENTO,
    CLASE_NEGACION,
    CLASE_REQUERIMIENTO,
    CLASES,
    ActoAdministrativo,
)
from app.models.expedientes import ESTADO_APROBADO, ESTADO_DESISTIDO, ESTADO_NEGADO, Expediente
from app.models.personas import Usuario
from app.models.requerimientos import BORRADOR, ENVIADO, VENCIDO
from app.models.revision import NO_CUMPLE, PARTES_REQUISITO
from app.services import auditoria, registros
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.fechas import en_bogota
from app.services.revision import actos, chequeo, eventos, notificaciones, plazos, requerimientos

MIN_MOTIVACION = 20
MAX_MOTIVACION = 20000
MSG_MOTIVACION = f"Escriba la motivación del acto (entre {MIN_MOTIVACION} y {MAX_MOTIVACION} caracteres)."
MSG_FALTA_VOBO = "Para aprobar falta el VoBo {partes}."
MSG_NO_CUMPLE = (
    "No se puede aprobar: {cuantos} requisito(s) están verificados como «No cumple» ({nombres}). Envíe un "
    "requerimiento o niegue la solicitud."
)
MSG_REQUERIMIENTO_ABIERTO = "Hay un requerimiento {estado}: {accion}."
MSG_NO_VENCIDO = "El desistimiento tácito procede solo vencido el plazo para responder el requerimiento ({fecha})."
MSG_SIN_REQUERIMIENTO = "El desistimiento tácito procede solo si un requerimiento quedó sin respuesta en su plazo."
MSG_SIN_NOTIFICAR = (
    "El desistimiento tácito procede solo vencido el plazo para responder el requerimiento, que aún no corre: empieza "
    "el día siguiente a la notificación del auto."
)

# The trámite is named as the catalog writes it, quoted: many names already begin with «Solicitud…» and others do
# not («Cancelación del registro sanitario», «Notificación Sanitaria Obligatoria (NSO)»), so the act never builds
# a sentence out of the name («la solicitud de Solicitud del…»).
ASUNTOS = {
    CLASE_APROBACION: "Por la cual se aprueba la solicitud del trámite «{tramite}»",
    CLASE_NEGACION: "Por la cual se niega la solicitud del trámite «{tramite}»",
    CLASE_DESISTIMIENTO: "Por la cual se declara el desistimiento tácito de la solicitud del trámite «{tramite}»",
    CLASE_REQUERIMIENTO: "Por el cual se requiere información dentro del trámite «{tramite}»",
}
SOLICITUD = "la solicitud del trámite «{tramite}» radicada con el n.º {radicado}"
ESTADO_DE = {CLASE_APROBACION: ESTADO_APROBADO, CLASE_NEGACION: ESTADO_NEGADO, CLASE_DESISTIMIENTO: ESTADO_DESISTIDO}


@dataclass(frozen=True)
class Entorno:
    """What issuing an act needs from the request: who, when, the settings and the public addresses."""

    actor: Usuario
    momento: datetime
    config: object
    url_verificacion: Callable[[str, str], str]  # (numero_texto, codigo) → address of the act's verification
    url_notificacion: Callable[[str], str]  # token → address of the notification link


def _solicitud(expediente: Expediente) -> str:
    return SOLICITUD.format(tramite=expediente.version.nombre, radicado=expediente.radicado)


def validar_motivacion(texto: str | None) -> str:
    texto = (texto or "").strip()
    if not MIN_MOTIVACION <= len(texto) <= MAX_MOTIVACION:
        raise ErroresValidacion({"motivacion": [MSG_MOTIVACION]})
    return texto


def vobos_que_faltan(session, expediente: Expediente) -> list[str]:
    """The partes whose VoBo the checklist needs and is not in force (app/services/revision/chequeo.py)."""
    estado = chequeo.estado_del_expediente(session, expediente)
    return [parte for parte in estado.partes if estado.vigente(parte) is None]


def _aprobable(session, expediente: Expediente) -> None:
    """Approving needs every VoBo in force and no requisito verified as *No cumple* (a VoBo says the parte was
    verified, not that it complies: what does not comply goes in a requerimiento or the solicitud is denied)."""
    estado = chequeo.estado_del_expediente(session, expediente)
    faltan = [parte for parte in estado.partes if estado.vigente(parte) is None]
    if faltan:
        raise ErrorDominio(MSG_FALTA_VOBO.format(partes=" y ".join(PARTES_REQUISITO[p] for p in faltan)))
    no_cumplen = [
        x.nombre for x in estado.lineas if x.verificacion is not None and x.verificacion.resultado == NO_CUMPLE
    ]
    if no_cumplen:
        nombres = "; ".join(no_cumplen[:3]) + ("; …" if len(no_cumplen) > 3 else "")
        raise ErrorDominio(MSG_NO_CUMPLE.format(cuantos=len(no_cumplen), nombres=nombres))


def _sin_requerimiento_abierto(session, expediente: Expediente) -> None:
    abierto = requerimientos.abierto(session, expediente.id)
    if abierto is None:
        return
    if abierto.estado == BORRADOR:
        raise ErrorDominio(MSG_REQUERIMIENTO_ABIERTO.format(estado="en borrador", accion="envíelo o descártelo"))
    raise ErrorDominio(
        MSG_REQUERIMIENTO_ABIERTO.format(estado="enviado", accion="espere la respuesta o su vencimiento")
    )


def aprobar(session, expediente_id: int, motivacion: str, entorno: Entorno) -> ActoAdministrativo:
    expediente = requerimientos.en_revision(session, expediente_id)
    motivacion = validar_motivacion(motivacion)
    _sin_requerimiento_abierto(session, expediente)
    _aprobable(session, expediente)
    hoy = en_bogota(entorno.momento).date()
    registro = registros.otorgar(session, expediente, hoy)
    cambio = registros.cambio_pendiente(session, expediente.id) if registro is not None else None
    resuelve = [f"Aprobar {_solicitud(expediente)}."]
    impreso = None
    if registro is not None:
        linea, estado = registros.resuelve(registro, expediente.version.tipo, cambio)
        resuelve.append(linea)
        vence = cambio.vence_en if cambio is not None and cambio.vence_en else registro.vence_en
        impreso = actos.Registro(registro.numero, registro.clase, vence, estado)
    resuelve.append(actos.PROCEDE_REPOSICION)
    acto = _decidir(session, expediente, CLASE_APROBACION, motivacion, tuple(resuelve), entorno, impreso)
    if cambio is not None:
        cambio.acto_id = acto.id  # applied when this resolución is notified (registros.al_notificar)
    elif registro is not None and registro.acto_id is None:
        registro.acto_id = acto.id
    return acto


def negar(session, expediente_id: int, motivacion: str, entorno: Entorno) -> ActoAdministrativo:
    expediente = requerimientos.en_revision(session, expediente_id)
    motivacion = validar_motivacion(motivacion)
    _sin_requerimiento_abierto(session, expediente)
    resuelve = (
        f"Negar {_solicitud(expediente)}.",
        actos.PROCEDE_REPOSICION,
    )
    return _decidir(session, expediente, CLASE_NEGACION, motivacion, resuelve, entorno)


def desistir(session, expediente_id: int, motivacion: str, entorno: Entorno) -> ActoAdministrativo:
    expediente = requerimientos.en_revision(session, expediente_id)
    motivacion = validar_motivacion(motivacion)
    abierto = requerimientos.abierto(session, expediente.id)
    if abierto is None or abierto.estado != ENVIADO:
        raise ErrorDominio(MSG_SIN_REQUERIMIENTO)
    hoy = en_bogota(entorno.momento).date()
    if abierto.plazo_hasta is None:
        raise ErrorDominio(MSG_SIN_NOTIFICAR)
    if hoy <= abierto.plazo_hasta:
        raise ErrorDominio(MSG_NO_VENCIDO.format(fecha=abierto.plazo_hasta.isoformat()))
    abierto.estado = VENCIDO
    resuelve = (
        f"Declarar el desistimiento tácito de la solicitud radicada con el n.º {expediente.radicado}, por no "
        f"responder el requerimiento n.º {abierto.numero} dentro de su plazo ({abierto.plazo_hasta.isoformat()}).",
        "Archivar el expediente, sin perjuicio de que la solicitud se presente de nuevo con el lleno de los requisitos.",
        actos.PROCEDE_REPOSICION,
    )
    return _decidir(session, expediente, CLASE_DESISTIMIENTO, motivacion, resuelve, entorno)


def _decidir(session, expediente, clase, motivacion, resuelve, entorno: Entorno, registro=None) -> ActoAdministrativo:
    hoy = en_bogota(entorno.momento).date()
    acto = emitir_acto(session, expediente, clase, motivacion, resuelve, entorno, registro)
    expediente.estado = ESTADO_DE[clase]
    expediente.decidido_en = entorno.momento
    plazos.detener(expediente, hoy)
    eventos.registrar(
        session, expediente.id, eventos.DECISION, f"{CLASES[clase]}: {acto.numero_texto}", entorno.actor.id
    )
    notificaciones.notificar(session, expediente, acto, entorno.momento, entorno.url_notificacion)
    return acto


def emitir_acto(
    session, expediente, clase, motivacion, resuelve, entorno: Entorno, registro=None, asunto=None
) -> ActoAdministrativo:
    """Number, sign and store the act (actos.emitir) and audit it; `asunto` defaults to the class's."""
    asunto = asunto or ASUNTOS[clase].format(tramite=expediente.version.nombre)
    acto, _pdf = actos.emitir(
        session,
        expediente,
        clase,
        motivacion,
        resuelve,
        entorno.actor,
        entorno.config,
        entorno.momento,
        entorno.url_verificacion,
        asunto,
        registro,
    )
    auditoria.registrar(
        session,
        f"acto_{clase}",
        "expediente",
        expediente.id,
        entorno.actor.id,
        despues={"acto": acto.numero_texto, "sha256": acto.sha256},
    )
    return acto


def _puntos(expediente: Expediente, borrador) -> str:
    """«(1) Certificado de existencia…: Falta la firma. (2) …»: each point by its requisito's name."""
    nombres = chequeo.nombres_de_requisitos(expediente)
    puntos = []
    for numero, item in enumerate(borrador.items, 1):
        observacion = item.observacion.strip()
        final = "" if observacion.endswith((".", "?", "!", "…")) else "."
        puntos.append(f"({numero}) {nombres.get(item.clave, item.clave)}: {observacion}{final}")
    return " ".join(puntos)


def enviar_requerimiento(session, expediente_id: int, entorno: Entorno) -> ActoAdministrativo:
    """The coordinator sends the draft: an Auto with its points, notified; the clock is suspended."""
    expediente = requerimientos.en_revision(session, expediente_id)
    borrador = requerimientos.abierto(session, expediente.id)
    if borrador is None or borrador.estado != BORRADOR:
        raise ErrorDominio(requerimientos.MSG_SIN_BORRADOR)
    resuelve = (
        "Requerir al titular para que, dentro del mes siguiente a la notificación de este auto, allegue la "
        "información y los documentos que se indican: " + _puntos(expediente, borrador),
        "Suspender el término para decidir mientras se responde. Si no se responde en el plazo, ni se pide su "
        "prórroga antes de vencer, se entenderá desistida la solicitud (Ley 1437 de 2011, art. 17).",
        actos.SIN_RECURSO_AUTO,
    )
    acto = emitir_acto(session, expediente, CLASE_REQUERIMIENTO, borrador.texto, resuelve, entorno)
    requerimientos.marcar_enviado(
        session, expediente, borrador, acto.id, entorno.actor.id, en_bogota(entorno.momento).date()
    )
    notificaciones.notificar(session, expediente, acto, entorno.momento, entorno.url_notificacion)
    return acto
