"""The Invima review of a radicated expediente (issue 13 §2): the VERIFICACIÓN of each requisito, the VoBo Legal
and VoBo Técnico of FM003 (seed 004), and the expediente's timeline.

- `VerificacionRequisito`: one per requisito (by the anexo's `clave`) — *Cumple*, *No cumple* (with its
  observación: the database refuses one without) or *No aplica*, who and when. Internal until a requerimiento or a
  decision communicates it.
- `Vobo`: given by a reviewer of its parte with their código and the date (AAAA-MM-DD); one in force per parte
  (partial unique index); withdrawn only by a coordinator, kept with who, when and why.
- `EventoExpediente`: radicado, asignado, en verificación, … with its date; `publico` marks what the applicant sees.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalogo import PARTE_LEGAL, PARTE_TECNICA, PARTES_REQUISITO  # noqa: F401 (re-exported)
from app.models.personas import Usuario

CUMPLE = "Cumple"
NO_CUMPLE = "No cumple"
NO_APLICA = "No aplica"
RESULTADOS = (CUMPLE, NO_CUMPLE, NO_APLICA)


class VerificacionRequisito(Model):
    __tablename__ = "verificacion_requisito"
    __table_args__ = (UniqueConstraint("expediente_id", "clave", name="uq_verificacion_requisito_clave"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False)
    clave: Mapped[str] = mapped_column(String(60), nullable=False)
    parte: Mapped[str] = mapped_column(String(8), nullable=False)
    resultado: Mapped[str] = mapped_column(String(12), nullable=False)
    observacion: Mapped[str | None] = mapped_column(Text)
    por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    por: Mapped[Usuario | None] = relationship()


class Vobo(Model):
    __tablename__ = "vobo"
    __table_args__ = (
        Index("uq_vobo_vigente", "expediente_id", "parte", unique=True, postgresql_where=text("retirado_en IS NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False)
    parte: Mapped[str] = mapped_column(String(8), nullable=False)
    por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    codigo: Mapped[str] = mapped_column(String(20), nullable=False)
    fecha: Mapped[date] = mapped_column(Date, nullable=False)
    en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    retirado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retirado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    motivo_retiro: Mapped[str | None] = mapped_column(Text)
    por: Mapped[Usuario | None] = relationship(foreign_keys=[por_id])
    retirado_por: Mapped[Usuario | None] = relationship(foreign_keys=[retirado_por_id])


class EventoExpediente(Model):
    __tablename__ = "evento_expediente"
    __table_args__ = (Index("ix_evento_expediente", "expediente_id", "en", "id"),)
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False)
    en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    tipo: Mapped[str] = mapped_column(String(40), nullable=False)
    detalle: Mapped[str | None] = mapped_column(Text)
    por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    publico: Mapped[bool] = mapped_column(Boolean, nullable=False)
    por: Mapped[Usuario | None] = relationship()
