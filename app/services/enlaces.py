"""Absolute links that leave the application (mails, QR codes), all built on PUBLIC_URL."""

from __future__ import annotations

from flask import current_app, url_for


def url_publica(ruta: str) -> str:
    """Absolute link for mails and QR codes, based on PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + ruta


def url_verificacion_acto(numero_texto: str, codigo: str | None = None) -> str:
    """The public page of an act («Resolución 2026-000012»): with its code, what the act's QR opens (the QR of its
    constancia de notificación carries that constancia's own code); without, the page that asks for the code."""
    from app.services.expedientes.verificacion import numero_en_url

    numero = numero_en_url(numero_texto)
    if codigo is None:
        return url_publica(url_for("ConsultaPublicaView.acto", numero=numero))
    return url_publica(url_for("ConsultaPublicaView.acto", numero=numero, codigo=codigo))


def url_notificacion(token: str) -> str:
    """The single-use link of an electronic notification."""
    return url_publica(url_for("NotificacionesView.abrir", token=token))
