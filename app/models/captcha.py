"""CAPTCHA challenges issued and not yet answered: the server-side half that makes each one single-use."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class RetoCaptcha(Model):
    """One row per challenge drawn; answering it (right or wrong) deletes the row, so a replayed cookie fails."""

    __tablename__ = "reto_captcha"
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_reto_captcha_creado_en", "creado_en"),)
