"""Account activation with a PIN (manual 4.4). The activation helpers used at signup live here."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app.models.verificacion import PROPOSITO_ACTIVACION
from app.security.models import Usuario
from app.services import outbox, verificaciones


def url_publica(ruta: str) -> str:
    """Absolute link for mails and QR codes, based on PUBLIC_URL."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + ruta


def emitir_pin_activacion(session, usuario: Usuario) -> None:
    """Issue a new activation PIN (valid PIN_VIGENCIA_HORAS) and queue the activation mail in this transaction.

    Voids any earlier PIN. The PIN only travels in the mail; the database keeps its hash.
    """
    vigencia = timedelta(hours=current_app.config["PIN_VIGENCIA_HORAS"])
    emitida = verificaciones.emitir(session, usuario.id, PROPOSITO_ACTIVACION, vigencia, con_codigo=True)
    outbox.encolar(
        session,
        usuario.email,
        "Activación de su cuenta en InvimÁgil",
        "activacion",
        nombre=usuario.first_name,
        pin=emitida.codigo,
        enlace=url_publica(f"/cuenta/activar/{emitida.token}"),
        enlace_generico=url_publica("/cuenta/activar/"),
        horas=current_app.config["PIN_VIGENCIA_HORAS"],
        recuperar=url_publica("/cuenta/recuperar/"),
    )
