"""Login by tipo + número de identificación, with lock-out after repeated failures (manual 4.3.1, 4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.security.models import Usuario
from app.services.errores import ErrorDominio
from app.services.reloj import ahora

MSG_CREDENCIALES = "Tipo de identificación, identificación o contraseña incorrectos."
MSG_NO_ACTIVADA = (
    "Su cuenta aún no ha sido activada. Ingrese al enlace del correo de activación y diligencie el PIN "
    "recibido. Si no recibió el correo o el PIN venció, solicite uno nuevo en «¿Olvidó su contraseña?»."
)
MSG_BLOQUEADA = (
    "Su cuenta fue bloqueada temporalmente por varios intentos fallidos de inicio de sesión. "
    "Intente de nuevo en {minutos} minutos o restablezca su contraseña en «¿Olvidó su contraseña?»."
)
MSG_INACTIVA = "Su cuenta está inactiva. Comuníquese con la Mesa de ayuda de InvimÁgil."


@dataclass(frozen=True)
class PoliticaBloqueo:
    max_intentos: int = 5
    minutos: int = 15


def buscar_por_identificacion(session, tipo_identificacion_id: int | None, numero: str) -> Usuario | None:
    numero = (numero or "").strip().upper()
    if not tipo_identificacion_id or not numero:
        return None
    return session.scalars(
        select(Usuario).where(
            Usuario.tipo_identificacion_id == tipo_identificacion_id,
            Usuario.numero_identificacion == numero,
        )
    ).one_or_none()


def autenticar(
    session,
    tipo_identificacion_id: int | None,
    numero: str,
    contrasena: str,
    politica: PoliticaBloqueo,
    hash_falso: str,
) -> Usuario:
    """Return the user if the credentials are right; otherwise raise ErrorDominio with the message to show.

    Unknown identifications and accounts without a password still pay one password-hash check, so the
    response time does not tell whether an account exists. Failures are counted; after
    `politica.max_intentos` consecutive ones the account is locked for `politica.minutos`.
    The caller commits (failure counters must be committed even when an error is raised).
    """
    usuario = buscar_por_identificacion(session, tipo_identificacion_id, numero)
    momento = ahora()
    if usuario is None or not usuario.password:
        check_password_hash(hash_falso, contrasena or "x")
        if usuario is not None and usuario.activada_en is None:
            raise ErrorDominio(MSG_NO_ACTIVADA)
        raise ErrorDominio(MSG_CREDENCIALES)
    if usuario.bloqueada_hasta and usuario.bloqueada_hasta > momento:
        check_password_hash(hash_falso, contrasena or "x")
        minutos = max(1, int((usuario.bloqueada_hasta - momento).total_seconds() // 60) + 1)
        raise ErrorDominio(MSG_BLOQUEADA.format(minutos=minutos))
    if not check_password_hash(usuario.password, contrasena or ""):
        usuario.fail_login_count = (usuario.fail_login_count or 0) + 1
        if usuario.fail_login_count >= politica.max_intentos:
            usuario.bloqueada_hasta = momento + timedelta(minutes=politica.minutos)
            usuario.fail_login_count = 0
            raise ErrorDominio(MSG_BLOQUEADA.format(minutos=politica.minutos))
        raise ErrorDominio(MSG_CREDENCIALES)
    if usuario.activada_en is None:
        raise ErrorDominio(MSG_NO_ACTIVADA)
    if not usuario.active:
        raise ErrorDominio(MSG_INACTIVA)
    usuario.fail_login_count = 0
    usuario.bloqueada_hasta = None
    usuario.login_count = (usuario.login_count or 0) + 1
    usuario.last_login = momento.replace(tzinfo=None)
    return usuario
