"""Transactional outbox of e-mail messages: written with the change that causes them, sent by a worker."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

ESTADO_PENDIENTE = "pendiente"
# Claimed by a worker that is sending it; proximo_intento_en is then the end of the claim (app/services/outbox.py).
ESTADO_ENVIANDO = "enviando"
ESTADO_ENVIADO = "enviado"
ESTADO_FALLIDO = "fallido"
# Development without MAIL_SERVER: kept in the in-app mailbox instead of sent.
ESTADO_BUZON = "buzon_local"


class MensajeCorreo(Model):
    __tablename__ = "mensaje_correo"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destinatario: Mapped[str] = mapped_column(String(320), nullable=False, index=True)
    asunto: Mapped[str] = mapped_column(String(255), nullable=False)
    cuerpo_texto: Mapped[str] = mapped_column(Text, nullable=False)
    cuerpo_html: Mapped[str] = mapped_column(Text, nullable=False)
    plantilla: Mapped[str] = mapped_column(String(60), nullable=False)
    estado: Mapped[str] = mapped_column(String(20), nullable=False, default=ESTADO_PENDIENTE)
    intentos: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    proximo_intento_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    enviado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ultimo_error: Mapped[str | None] = mapped_column(String(500))
    # A PDF of the document store sent attached (a constancia de radicación), by its SHA-256.
    adjunto_sha256: Mapped[str | None] = mapped_column(String(64))
    adjunto_nombre: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (Index("ix_mensaje_correo_pendientes", "estado", "proximo_intento_en"),)

    def __repr__(self) -> str:
        return f"{self.asunto} → {self.destinatario}"
