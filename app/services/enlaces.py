"""Absolute links that leave the application (mails, QR codes), all built on PUBLIC_URL."""

from __future__ import annotations

from flask import current_app


def url_publica(ruta: str) -> str:
    """Absolute link for mails and QR codes, based on PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + ruta
