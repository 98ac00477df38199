"""One-time codes and links: activation PIN, password recovery, e-mail change. Only hashes are stored."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

PROPOSITO_ACTIVACION = "activacion"
PROPOSITO_RECUPERACION = "recuperacion"
PROPOSITO_CAMBIO_CORREO = "cambio_correo"


class Verificacion(Model):
    __tablename__ = "verificacion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    proposito: Mapped[str] = mapped_column(String(20), nullable=False)
    # SHA-256 of the random link token (looked up by it) and scrypt hash of the short code, if any.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    codigo_hash: Mapped[str | None] = mapped_column(String(256))
    # Extra datum the code confirms, e.g. the new e-mail address.
    dato: Mapped[str | None] = mapped_column(String(320))
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expira_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    intentos: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    usado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anulado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_verificacion_usuario_proposito", "usuario_id", "proposito"),)
