"""Absolute links that leave the application (mails, QR codes), all built on PUBLIC_URL."""

from __future__ import annotations

from flask import current_app, url_for


def url_publica(ruta: str) -> str:
    """Absolute link for mails and QR codes, based on PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + ruta


def url_verificacion_acto(numero_texto: str, codigo: str) -> str:
    """What an act's QR opens: its public verification with the code («Resolución 2026-000012» → path-safe)."""
    return url_publica(url_for("ConsultaPublicaView.acto", numero=numero_texto.replace(" ", "-"), codigo=codigo))


def url_notificacion(token: str) -> str:
    """The single-use link of an electronic notification."""
    return url_publica(url_for("NotificacionesView.abrir", token=token))
