"""The timeline of an expediente (issue 13 §5): every state with its date. `publico` marks what the applicant sees
(radicado, asignado, en verificación, requerimiento enviado / respondido, decisión, notificado); the rest (VoBo
given or withdrawn, reassignments' reasons) is for the Invima only."""

from __future__ import annotations

from sqlalchemy import select

from app.models.revision import EventoExpediente
from app.services.reloj import ahora

RADICADO = "Radicado"
ASIGNADO = "Asignado"
REASIGNADO = "Reasignado"
EN_VERIFICACION = "En verificación"
VOBO = "VoBo"
VOBO_RETIRADO = "VoBo retirado"
REQUERIMIENTO_ENVIADO = "Requerimiento enviado"
PRORROGA = "Plazo del requerimiento prorrogado"
REQUERIMIENTO_RESPONDIDO = "Requerimiento respondido"
DECISION = "Decisión"
RECURSO = "Recurso de reposición interpuesto"
RENUNCIA = "Renuncia al recurso"
DESISTIMIENTO = "Desistimiento del recurso"
NOTIFICADO = "Notificado"


def registrar(
    session, expediente_id: int, tipo: str, detalle: str | None = None, por_id: int | None = None, publico=True
) -> EventoExpediente:
    evento = EventoExpediente(
        expediente_id=expediente_id, en=ahora(), tipo=tipo, detalle=detalle, por_id=por_id, publico=publico
    )
    session.add(evento)
    return evento


def publicos(session, expediente_id: int) -> list[EventoExpediente]:
    """What the applicant sees of the timeline, oldest first (one statement, by ix_evento_expediente)."""
    return list(
        session.scalars(
            select(EventoExpediente)
            .where(EventoExpediente.expediente_id == expediente_id, EventoExpediente.publico.is_(True))
            .order_by(EventoExpediente.en, EventoExpediente.id)
        )
    )
