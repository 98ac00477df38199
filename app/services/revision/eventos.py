"""The timeline of an expediente (issue 13 §5): every state with its date. `publico` marks what the applicant sees
(radicado, asignado, en verificación, requerimiento enviado / respondido, decisión, notificado); the rest (VoBo
given or withdrawn, reassignments' reasons) is for the Invima only."""

from __future__ import annotations

from app.models.revision import EventoExpediente
from app.services.reloj import ahora

RADICADO = "Radicado"
ASIGNADO = "Asignado"
REASIGNADO = "Reasignado"
EN_VERIFICACION = "En verificación"
VOBO = "VoBo"
VOBO_RETIRADO = "VoBo retirado"


def registrar(
    session, expediente_id: int, tipo: str, detalle: str | None = None, por_id: int | None = None, publico=True
) -> EventoExpediente:
    evento = EventoExpediente(
        expediente_id=expediente_id, en=ahora(), tipo=tipo, detalle=detalle, por_id=por_id, publico=publico
    )
    session.add(evento)
    return evento
