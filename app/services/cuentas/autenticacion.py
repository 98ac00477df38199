"""Login by tipo + número de identificación, with lock-out after repeated failures (manual 4.3.1, 4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, or_, select, update
from werkzeug.security import check_password_hash

from app.models.personas import Usuario
from app.services import outbox
from app.services.enlaces import url_publica
from app.services.errores import ErrorDominio
from app.services.reloj import ahora

# One answer for every refused login that does not prove the password (unknown account, wrong password, not yet
# activated, locked): the page must not tell whether an identification has an account or in which state it is.
# The owner of a locked account learns it by mail (plantilla correo/bloqueo).
MSG_CREDENCIALES = (
    "Tipo de identificación, identificación o contraseña incorrectos. Si su cuenta aún no está activada, si "
    "olvidó su contraseña o si la cuenta quedó bloqueada por varios intentos fallidos, use «¿Olvidó su "
    "contraseña?»."
)
# Only shown to whoever typed the right password.
MSG_NO_ACTIVADA = (
    "Su cuenta aún no ha sido activada. Ingrese al enlace del correo de activación y diligencie el PIN "
    "recibido. Si no recibió el correo o el PIN venció, solicite uno nuevo en «¿Olvidó su contraseña?»."
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

    Unknown identifications, accounts without a password and locked accounts still pay one password-hash
    check and get the same message, so neither the answer nor its time tells whether an account exists or
    its state. Failures are counted atomically in the database (parallel attempts cannot lose a count);
    the failure that reaches `politica.max_intentos` locks the account for `politica.minutos` and mails
    its owner. The caller commits (failure counters must be committed even when an error is raised).
    """
    usuario = buscar_por_identificacion(session, tipo_identificacion_id, numero)
    momento = ahora()
    if usuario is None or not usuario.password or _bloqueada(usuario, momento):
        check_password_hash(hash_falso, contrasena or "x")
        raise ErrorDominio(MSG_CREDENCIALES)
    if not check_password_hash(usuario.password, contrasena or ""):
        if _contar_fallo(session, usuario.id, politica, momento):
            _avisar_bloqueo(session, usuario, politica)
        raise ErrorDominio(MSG_CREDENCIALES)
    if usuario.activada_en is None:
        raise ErrorDominio(MSG_NO_ACTIVADA)
    if not usuario.active:
        raise ErrorDominio(MSG_INACTIVA)
    if not _registrar_ingreso(session, usuario.id, momento):
        raise ErrorDominio(MSG_CREDENCIALES)  # locked by a parallel failure since it was read
    return usuario


def _bloqueada(usuario: Usuario, momento) -> bool:
    return usuario.bloqueada_hasta is not None and usuario.bloqueada_hasta > momento


def _no_bloqueada(momento):
    return or_(Usuario.bloqueada_hasta.is_(None), Usuario.bloqueada_hasta <= momento)


def _contar_fallo(session, usuario_id: int, politica: PoliticaBloqueo, momento) -> bool:
    """Count one failure in a single UPDATE (the row lock orders parallel ones); True if it locked the account.

    A locked account counts nothing more, so parallel failures lock it once and leave the counter at 0.
    """
    fallos = func.coalesce(Usuario.fail_login_count, 0) + 1
    bloquea = fallos >= politica.max_intentos
    hasta = momento + timedelta(minutes=politica.minutos)
    fila = session.execute(
        update(Usuario)
        .where(Usuario.id == usuario_id, _no_bloqueada(momento))
        .values(
            fail_login_count=case((bloquea, 0), else_=fallos),
            bloqueada_hasta=case((bloquea, hasta), else_=Usuario.bloqueada_hasta),
        )
        .returning(Usuario.bloqueada_hasta)
        .execution_options(synchronize_session="fetch")
    ).first()
    return fila is not None and fila.bloqueada_hasta == hasta


def _registrar_ingreso(session, usuario_id: int, momento) -> bool:
    """Reset the failure count and record the login, unless the account got locked meanwhile (False then)."""
    fila = session.execute(
        update(Usuario)
        .where(Usuario.id == usuario_id, _no_bloqueada(momento))
        .values(
            fail_login_count=0,
            bloqueada_hasta=None,
            login_count=func.coalesce(Usuario.login_count, 0) + 1,
            last_login=momento.replace(tzinfo=None),
        )
        .returning(Usuario.id)
        .execution_options(synchronize_session="fetch")
    ).first()
    return fila is not None


def _avisar_bloqueo(session, usuario: Usuario, politica: PoliticaBloqueo) -> None:
    outbox.encolar(
        session,
        usuario.email,
        "Su cuenta de InvimÁgil fue bloqueada temporalmente",
        "bloqueo",
        nombre=usuario.first_name,
        intentos=politica.max_intentos,
        minutos=politica.minutos,
        recuperar=url_publica("/cuenta/recuperar/"),
    )


def terminar_sesiones(session, usuario_id: int) -> None:
    """End every open session of the account: sessions remember the generation they were opened in."""
    session.execute(
        update(Usuario)
        .where(Usuario.id == usuario_id)
        .values(generacion_sesion=Usuario.generacion_sesion + 1)
        .execution_options(synchronize_session=False)
    )
