"""Requerimientos (issue 13 §3): a request for information sent to the applicant, on the legal clock.

Drafted by a reviewer from the *No cumple* observations (one item per requisito asked about), approved and sent by a
coordinator as an Auto (app/models/actos.py) through the notification; while it is `Enviado` the decision term is
suspended (app/services/revision/plazos.py). The applicant answers within a month (`plazo_hasta`; one extension for
an equal term, `prorrogado_en`): text per item and new documents (`RespuestaAnexo`, each with its SHA-256 — what was
filed before stays as it was). One open requerimiento per expediente (partial unique index).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.actos import ActoAdministrativo
from app.models.personas import Usuario

BORRADOR = "Borrador"
ENVIADO = "Enviado"
RESPONDIDO = "Respondido"
VENCIDO = "Vencido"


class Requerimiento(Model):
    __tablename__ = "requerimiento"
    __table_args__ = (
        UniqueConstraint("expediente_id", "numero", name="uq_requerimiento_numero"),
        Index(
            "uq_requerimiento_abierto",
            "expediente_id",
            unique=True,
            postgresql_where=text("estado IN ('Borrador', 'Enviado')"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(
        ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False, index=True
    )
    numero: Mapped[int] = mapped_column(Integer, nullable=False)
    estado: Mapped[str] = mapped_column(String(12), nullable=False, default=BORRADOR)
    texto: Mapped[str] = mapped_column(Text, nullable=False)
    creado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    acto_id: Mapped[int | None] = mapped_column(ForeignKey("acto_administrativo.id", ondelete="RESTRICT"))
    enviado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    enviado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    plazo_hasta: Mapped[date | None] = mapped_column(Date)
    prorrogado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    respuesta: Mapped[str | None] = mapped_column(Text)
    respondido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    respondido_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    huella_respuesta: Mapped[str | None] = mapped_column(String(64))

    items: Mapped[list[RequerimientoItem]] = relationship(
        back_populates="requerimiento", cascade="all, delete-orphan", order_by="RequerimientoItem.id"
    )
    anexos: Mapped[list[RespuestaAnexo]] = relationship(
        back_populates="requerimiento", cascade="all, delete-orphan", order_by="RespuestaAnexo.id"
    )
    acto: Mapped[ActoAdministrativo | None] = relationship()
    creado_por: Mapped[Usuario | None] = relationship(foreign_keys=[creado_por_id])
    enviado_por: Mapped[Usuario | None] = relationship(foreign_keys=[enviado_por_id])
    respondido_por: Mapped[Usuario | None] = relationship(foreign_keys=[respondido_por_id])


class RequerimientoItem(Model):
    __tablename__ = "requerimiento_item"
    __table_args__ = (UniqueConstraint("requerimiento_id", "clave", name="uq_requerimiento_item_clave"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requerimiento_id: Mapped[int] = mapped_column(ForeignKey("requerimiento.id", ondelete="CASCADE"), nullable=False)
    clave: Mapped[str] = mapped_column(String(60), nullable=False)
    observacion: Mapped[str] = mapped_column(Text, nullable=False)
    respuesta: Mapped[str | None] = mapped_column(Text)
    requerimiento: Mapped[Requerimiento] = relationship(back_populates="items")


class RespuestaAnexo(Model):
    __tablename__ = "respuesta_anexo"
    __table_args__ = (UniqueConstraint("requerimiento_id", "clave", name="uq_respuesta_anexo_clave"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requerimiento_id: Mapped[int] = mapped_column(ForeignKey("requerimiento.id", ondelete="CASCADE"), nullable=False)
    clave: Mapped[str] = mapped_column(String(60), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    nombre_archivo: Mapped[str] = mapped_column(String(255), nullable=False)
    tamano: Mapped[int] = mapped_column(BigInteger, nullable=False)
    folios: Mapped[int] = mapped_column(Integer, nullable=False)
    subido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    requerimiento: Mapped[Requerimiento] = relationship(back_populates="anexos")
