"""Recurso de reposición against a resolución (Ley 1437 de 2011 arts. 74–87; migration 0014).

One per act: the titular files it in InvimÁgil within the ten días hábiles after the act's notification (art. 76),
with its motives in writing and, if they want, a PDF of pruebas (art. 77). The coordinator resolves it with a
resolución of its own (`resuelto_por`): *confirma* the decision, or *repone* it (the expediente returns to the
revision). `resolver_hasta` is the day the Invima must resolve it by (art. 86: two months). Before it is resolved the
titular may withdraw it (art. 81: `desistido_en`, migration 0016); the resolución then *acepta el desistimiento*.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.actos import ActoAdministrativo
from app.models.personas import Usuario

CONFIRMA = "confirma"
REPONE = "repone"
DESISTE = "desiste"
DECISIONES = {CONFIRMA: "Confirmar la decisión", REPONE: "Reponer (revocar) la decisión"}
DECISIONES_DESISTIDO = {DESISTE: "Aceptar el desistimiento del recurso"}


class Recurso(Model):
    __tablename__ = "recurso"
    __table_args__ = (
        CheckConstraint(
            "decision IS NULL OR decision IN ('confirma', 'repone') AND desistido_en IS NULL"
            " OR decision = 'desiste' AND desistido_en IS NOT NULL",
            name="ck_recurso_decision",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(
        ForeignKey("expediente.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    acto_id: Mapped[int] = mapped_column(
        ForeignKey("acto_administrativo.id", ondelete="RESTRICT"), nullable=False, unique=True
    )
    presentado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    presentado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    motivos: Mapped[str] = mapped_column(Text, nullable=False)
    pruebas_sha256: Mapped[str | None] = mapped_column(String(64))
    pruebas_nombre: Mapped[str | None] = mapped_column(String(255))
    resolver_hasta: Mapped[date] = mapped_column(Date, nullable=False)
    decision: Mapped[str | None] = mapped_column(String(12))
    resuelto_por_id: Mapped[int | None] = mapped_column(
        ForeignKey("acto_administrativo.id", ondelete="RESTRICT"), unique=True
    )
    desistido_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    desistido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    acto: Mapped[ActoAdministrativo] = relationship(foreign_keys=[acto_id])
    resuelto_por: Mapped[ActoAdministrativo | None] = relationship(foreign_keys=[resuelto_por_id])
    presentado_por: Mapped[Usuario | None] = relationship(foreign_keys=[presentado_por_id])

    @property
    def decisiones(self) -> dict[str, str]:
        """What the coordinator may decide on it: confirm or reponer; once withdrawn, only accept that."""
        return DECISIONES_DESISTIDO if self.desistido_en else DECISIONES
