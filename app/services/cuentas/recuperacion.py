"""«¿Olvidó su contraseña?» (manual 4.5, 4.7): recovery link for activated accounts, new PIN for pending ones.

The answer to the person is the same whatever the data matched, so the page never tells whether an
account exists; the three branches also cost about the same (one slow hash each).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.models.personas import Usuario
from app.models.verificacion import PROPOSITO_RECUPERACION, Verificacion
from app.services import outbox
from app.services.cuentas import activacion, contrasenas, verificaciones
from app.services.enlaces import url_publica
from app.services.errores import ErrorDominio
from app.services.texto import normalizar_correo

ENVIADO_ENLACE = "enlace"
ENVIADO_PIN = "pin"
SIN_ENVIO = "ninguno"

MSG_ENLACE_USADO = (
    "Este enlace de recuperación ya fue utilizado. Si necesita cambiar de nuevo su contraseña, "
    "solicite otro enlace en «¿Olvidó su contraseña?»."
)
MSG_ENLACE_VENCIDO = (
    "El enlace de recuperación venció. Solicite uno nuevo en «¿Olvidó su contraseña?»; "
    "cada enlace es válido por {minutos} minutos."
)
MSG_ENLACE_REEMPLAZADO = (
    "Este enlace de recuperación ya no es válido porque se solicitó uno más reciente. "
    "Use el enlace del último correo recibido o solicite otro en «¿Olvidó su contraseña?»."
)


class EnlaceNoVigente(ErrorDominio):
    """The recovery link can no longer be used. `motivo`: 'usado', 'vencido' or 'reemplazado'."""

    def __init__(self, mensaje: str, motivo: str):
        super().__init__(mensaje)
        self.motivo = motivo


def _igualar_costo() -> None:
    # Issuing a PIN costs one scrypt hash; the other branches pay the same so timing reveals nothing.
    generate_password_hash(secrets.token_hex(4))


def buscar_cuenta(session, tipo_identificacion_id: int | None, numero: str, correo: str) -> Usuario | None:
    """The account whose tipo + número + correo (case-insensitive) all match, or None."""
    numero = (numero or "").strip().upper()
    correo = normalizar_correo(correo)
    if not tipo_identificacion_id or not numero or not correo:
        return None
    return session.scalar(
        select(Usuario).where(
            Usuario.tipo_identificacion_id == tipo_identificacion_id,
            Usuario.numero_identificacion == numero,
            func.lower(Usuario.email) == correo,
        )
    )


def solicitar(session, tipo_identificacion_id: int | None, numero: str, correo: str) -> str:
    """Queue what the matching account needs, in the caller's transaction; return what was queued.

    Activated, active account → a single-use recovery link valid RECUPERACION_VIGENCIA_MINUTOS (voids
    earlier links). Account pending activation → a new activation PIN (voids the earlier PIN), the
    manual's way to request one. No match (or a deactivated account) → nothing. The caller shows the same
    page in every case.
    """
    usuario = buscar_cuenta(session, tipo_identificacion_id, numero, correo)
    if usuario is None:
        _igualar_costo()
        return SIN_ENVIO
    if usuario.activada_en is None:
        activacion.emitir_pin_activacion(session, usuario)
        return ENVIADO_PIN
    if not usuario.active:
        _igualar_costo()
        return SIN_ENVIO
    minutos = current_app.config["RECUPERACION_VIGENCIA_MINUTOS"]
    emitida = verificaciones.emitir(
        session, usuario.id, PROPOSITO_RECUPERACION, timedelta(minutes=minutos), con_codigo=False
    )
    outbox.encolar(
        session,
        usuario.email,
        "Recuperación de contraseña de InvimÁgil",
        "recuperacion",
        nombre=usuario.first_name,
        enlace=url_publica(f"/cuenta/restablecer/{emitida.token}"),
        minutos=minutos,
        recuperar=url_publica("/cuenta/recuperar/"),
    )
    _igualar_costo()
    return ENVIADO_ENLACE


def por_enlace(session, token: str, bloquear: bool = False) -> Verificacion | None:
    """The recovery verification a link points to, whatever its state; None if the link is unknown."""
    return verificaciones.por_token(session, token, PROPOSITO_RECUPERACION, bloquear=bloquear)


def exigir_vigente(session, verificacion: Verificacion) -> Usuario:
    """Return the account of a usable recovery link; raise EnlaceNoVigente saying why it cannot be used."""
    estado = verificaciones.estado(verificacion)
    if estado == "usada":
        raise EnlaceNoVigente(MSG_ENLACE_USADO, "usado")
    if estado == "anulada":
        raise EnlaceNoVigente(MSG_ENLACE_REEMPLAZADO, "reemplazado")
    if estado == "vencida":
        minutos = current_app.config["RECUPERACION_VIGENCIA_MINUTOS"]
        raise EnlaceNoVigente(MSG_ENLACE_VENCIDO.format(minutos=minutos), "vencido")
    usuario = session.get(Usuario, verificacion.usuario_id)
    if usuario is None:
        raise EnlaceNoVigente(MSG_ENLACE_REEMPLAZADO, "reemplazado")
    return usuario


def restablecer(session, verificacion: Verificacion, nueva: str, confirmacion: str) -> Usuario:
    """Set a new password through a usable recovery link.

    Guarantees: the password meets the one policy (each broken rule raises its own message) and
    differs from the current one; the link becomes used (single-use); any lock-out is cleared; the account's e-mail
    is told of the change (contrasenas.avisar_cambio).
    """
    usuario = exigir_vigente(session, verificacion)
    contrasenas.validar_nueva(
        nueva, confirmacion, hash_actual=usuario.password, campo="contrasena", campo_confirmacion="confirmacion"
    )
    usuario.password = contrasenas.cifrar(nueva)
    usuario.fail_login_count = 0
    usuario.bloqueada_hasta = None
    verificaciones.marcar_usada(verificacion)
    contrasenas.avisar_cambio(session, usuario, contrasenas.MEDIO_RECUPERACION)
    session.flush()
    return usuario
