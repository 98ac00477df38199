"""Registros sanitarios and NSO (issue 13 §4): what an approval grants, a record of its own that later renewals,
modifications and certificates refer to (`Expediente.registro_id`).

It belongs to the expediente's titular (`__titular__`: the company or the person sees their own; staff the ones of
their grupos). Its number is written with the family's format (`FamiliaProducto.formato_registro`) and numbered
per format and year without gaps (`ContadorRegistro`); its vigencia is the catalog's (`vigencia_anios`; none where
the guide states none). Its estado: vigente, vencido, cancelado, en agotamiento (issue 13 §4).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalogo import FamiliaProducto
from app.models.empresas import DeTitular, Empresa
from app.models.personas import Usuario

if TYPE_CHECKING:
    from app.models.expedientes import Expediente

# Granted by a resolución not yet notified: it has no legal effect until then (Ley 1437 de 2011, art. 72).
PENDIENTE_NOTIFICACION = "Pendiente de notificación"
VIGENTE = "Vigente"
VENCIDO = "Vencido"
CANCELADO = "Cancelado"
EN_AGOTAMIENTO = "En agotamiento"
ESTADOS_REGISTRO = (PENDIENTE_NOTIFICACION, VIGENTE, VENCIDO, CANCELADO, EN_AGOTAMIENTO)


class ContadorRegistro(Model):
    __tablename__ = "contador_registro"
    serie: Mapped[str] = mapped_column(String(40), primary_key=True)  # the family's formato_registro
    anio: Mapped[int] = mapped_column(Integer, primary_key=True)
    ultimo: Mapped[int] = mapped_column(Integer, nullable=False)


class RegistroSanitario(DeTitular, Model):
    __tablename__ = "registro_sanitario"
    __titular__ = True
    __table_args__ = (
        Index(
            "ix_registro_empresa_otorgado",
            "empresa_id",
            "otorgado_en",
            "id",
            postgresql_where=text("empresa_id IS NOT NULL"),
        ),
        Index(
            "ix_registro_persona_otorgado",
            "persona_id",
            "otorgado_en",
            "id",
            postgresql_where=text("persona_id IS NOT NULL"),
        ),
        Index("ix_registro_grupo_otorgado", "grupo_id", "otorgado_en", "id"),
        # «Vence» sorts, and the search by estado (registros.en_estado) counts and pages from an index (0017, 0019).
        Index("ix_registro_grupo_vence", "grupo_id", "vence_en"),
        Index("ix_registro_empresa_vence", "empresa_id", "vence_en", postgresql_where=text("empresa_id IS NOT NULL")),
        Index(
            "ix_registro_grupo_estado",
            "grupo_id",
            "estado",
            "otorgado_en",
            "id",
            postgresql_include=["vence_en", "agotamiento_hasta", "efectos_desde"],
        ),
        Index(
            "ix_registro_empresa_estado",
            "empresa_id",
            "estado",
            "otorgado_en",
            "id",
            postgresql_include=["vence_en", "agotamiento_hasta", "efectos_desde"],
            postgresql_where=text("empresa_id IS NOT NULL"),
        ),
        Index(
            "ix_registro_por_avisar",
            "vence_en",
            postgresql_where=text("aviso_vencimiento_en IS NULL AND estado = 'Vigente' AND vence_en IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    numero: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    clase: Mapped[str] = mapped_column(String(60), nullable=False)
    empresa_id: Mapped[int | None] = mapped_column(ForeignKey("empresa.id", ondelete="RESTRICT"), index=True)
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="RESTRICT"), index=True)
    grupo_id: Mapped[int | None] = mapped_column(ForeignKey("grupo_revision.id"))
    familia_id: Mapped[int] = mapped_column(ForeignKey("familia_producto.id"), nullable=False)
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="RESTRICT"), nullable=False)
    acto_id: Mapped[int | None] = mapped_column(ForeignKey("acto_administrativo.id", ondelete="RESTRICT"))
    nombre_producto: Mapped[str | None] = mapped_column(String(200))
    otorgado_en: Mapped[date] = mapped_column(Date, nullable=False)
    vence_en: Mapped[date | None] = mapped_column(Date)
    # Stored: Vigente, Cancelado (cancelado_en) or En agotamiento (until agotamiento_hasta, NULL: no term given);
    # «Vencido» is read against today (app/services/registros.py, `estado_en`).
    estado: Mapped[str] = mapped_column(String(30), nullable=False, default=VIGENTE)
    cancelado_en: Mapped[date | None] = mapped_column(Date)
    # The first day the granting resolución has effect: the day its notification was surtida, or the day after the
    # end of the day an aviso surte (migration 0019). NULL: granted before, or not notified yet.
    efectos_desde: Mapped[date | None] = mapped_column(Date)
    agotamiento_hasta: Mapped[date | None] = mapped_column(Date)
    # When the titular was told the renewal window opened (migration 0013); a renewal clears it.
    aviso_vencimiento_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    actualizado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    empresa: Mapped[Empresa | None] = relationship()
    persona: Mapped[Usuario | None] = relationship()
    familia: Mapped[FamiliaProducto] = relationship()
    expediente: Mapped[Expediente] = relationship(foreign_keys=[expediente_id])

    def __str__(self) -> str:
        return self.numero


# What an approving resolución does to the registro it cites (CambioRegistro.tipo).
CAMBIO_RENOVACION = "renovacion"
CAMBIO_CANCELACION = "cancelacion"
CAMBIO_AGOTAMIENTO = "agotamiento"
TIPOS_CAMBIO = (CAMBIO_RENOVACION, CAMBIO_CANCELACION, CAMBIO_AGOTAMIENTO)


class CambioRegistro(Model):
    """A renovación, a cancelación or an autorización de agotamiento approved for a registro (migration 0020).

    The approving resolución fixes what changes (the new vigencia, the end of the agotamiento); the registro changes
    only when that resolución is notified (`aplicado_en`, app/services/registros.py `al_notificar`): an act has no
    legal effect before its notification (Ley 1437 de 2011, art. 72). Until then the registro keeps its estado and
    its pages say the change is pending. Kept afterwards: the registro's history of what acted on it."""

    __tablename__ = "cambio_registro"
    __table_args__ = (CheckConstraint(f"tipo IN {TIPOS_CAMBIO}", name="ck_cambio_registro_tipo"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registro_id: Mapped[int] = mapped_column(
        ForeignKey("registro_sanitario.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="RESTRICT"), nullable=False)
    # The approving resolución; set right after it is numbered and signed, in the same transaction.
    acto_id: Mapped[int | None] = mapped_column(ForeignKey("acto_administrativo.id", ondelete="RESTRICT"), unique=True)
    tipo: Mapped[str] = mapped_column(String(20), nullable=False)
    vence_en: Mapped[date | None] = mapped_column(Date)  # renovación: the new expiry
    agotamiento_hasta: Mapped[date | None] = mapped_column(Date)  # agotamiento: its end (NULL: the guide gives none)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    aplicado_en: Mapped[date | None] = mapped_column(Date)  # the first day it had effect; NULL: not notified yet

    registro: Mapped[RegistroSanitario] = relationship()
