"""Append-only record of administrative actions and of look-ups of personal data."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship


class Auditoria(Model):
    """One audited action. Rows of a company's actions carry its `empresa_id`; personal actions carry NULL.

    Tenant-scoped (app/security/tenancy.py): acting as a company, an ORM read sees only that company's rows; Invima
    staff acting as themselves see all; anyone else reads nothing. Inserts are not affected.
    """

    __tablename__ = "auditoria"
    __tenant__ = True
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"), index=True)
    empresa_id: Mapped[int | None] = mapped_column(Integer, index=True)
    accion: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    objeto: Mapped[str] = mapped_column(String(60), nullable=False)
    objeto_id: Mapped[str | None] = mapped_column(String(60), index=True)
    antes: Mapped[dict | None] = mapped_column(JSONB)
    despues: Mapped[dict | None] = mapped_column(JSONB)
    ip: Mapped[str | None] = mapped_column(String(45))

    usuario = relationship("Usuario", foreign_keys=[usuario_id], lazy="joined")

    def __repr__(self) -> str:
        return f"{self.accion} {self.objeto} {self.objeto_id or ''}"
