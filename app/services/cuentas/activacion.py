"""Account activation with a PIN (manual 4.4, 4.7). The activation helpers used at signup live here.

Activation needs the PIN of the activation mail plus the password the person chooses. The PIN is
reached either through the mail's personal link (its token) or through the generic form with tipo +
número de identificación. Every wrong PIN counts one attempt; after PIN_MAX_INTENTOS the PIN is void.
A PIN not used within PIN_VIGENCIA_HORAS cannot be used: a new one is requested through
«¿Olvidó su contraseña?», exactly as the manual says.
"""

from __future__ import annotations

from datetime import timedelta

from blinker import signal
from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.models.personas import Usuario
from app.models.verificacion import PROPOSITO_ACTIVACION, Verificacion
from app.security.roles import ROL_USUARIO
from app.services import outbox
from app.services.cuentas import contrasenas, verificaciones
from app.services.cuentas.autenticacion import buscar_por_identificacion
from app.services.enlaces import url_publica
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.reloj import ahora

MSG_PIN_INCORRECTO = "El PIN de activación no es correcto. Le quedan {restantes} intentos."
MSG_PIN_INCORRECTO_UNO = "El PIN de activación no es correcto. Le queda 1 intento."
MSG_PIN_REQUERIDO = "Ingrese el PIN de activación."
MSG_PIN_VENCIDO = (
    "El PIN de activación venció. Si el PIN no es utilizado dentro del tiempo establecido, el sistema no "
    "permitirá continuar con la activación. Solicite un nuevo PIN de activación haciendo clic en la opción "
    "«¿Olvidó su contraseña?»."
)
MSG_PIN_AGOTADO = (
    "Superó el número de intentos permitidos y el PIN de activación quedó anulado. Solicite un nuevo PIN "
    "haciendo clic en la opción «¿Olvidó su contraseña?»."
)
MSG_PIN_REEMPLAZADO = (
    "Este PIN de activación ya no es válido porque se generó uno nuevo. Use el enlace y el PIN del correo "
    "más reciente o solicite otro PIN en «¿Olvidó su contraseña?»."
)
MSG_YA_ACTIVADA = (
    "Su cuenta ya fue activada. Ingrese a InvimÁgil con su tipo y número de identificación y su contraseña."
)
MSG_SIN_PIN = (
    "Los datos ingresados no corresponden a una cuenta con un PIN de activación vigente. Verifique el tipo y "
    "número de identificación, o solicite un nuevo PIN en «¿Olvidó su contraseña?»."
)


# Sent (sender: the session) inside the activation's transaction, after the account is activated. Who listens is
# wired in create_app: company invitations addressed to this identification were waiting for it (issue 4 §3).
cuenta_activada = signal("invima.cuenta-activada")


class PinNoVigente(ErrorDominio):
    """The PIN can no longer be used. `motivo`: 'vencido', 'agotado', 'reemplazado', 'activada' or 'sin_pin'."""

    def __init__(self, mensaje: str, motivo: str):
        super().__init__(mensaje)
        self.motivo = motivo


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


def emitido_hace_poco(session, usuario: Usuario, espera: timedelta) -> bool:
    """True if the account's current activation PIN was issued less than `espera` ago (a resend right after it would
    only void the PIN on its way)."""
    vigente = verificaciones.vigente(session, usuario.id, PROPOSITO_ACTIVACION)
    return vigente is not None and vigente.creado_en > ahora() - espera


def por_enlace(session, token: str, bloquear: bool = False) -> Verificacion | None:
    """The activation PIN the mail's link points to, whatever its state; None if the link is unknown."""
    return verificaciones.por_token(session, token, PROPOSITO_ACTIVACION, bloquear=bloquear)


def exigir_vigente(session, verificacion: Verificacion, max_intentos: int) -> Usuario:
    """Return the pending account of a usable PIN; raise PinNoVigente saying why it cannot be used."""
    usuario = session.get(Usuario, verificacion.usuario_id)
    if usuario is None:
        raise PinNoVigente(MSG_SIN_PIN, "sin_pin")
    if usuario.activada_en is not None:
        raise PinNoVigente(MSG_YA_ACTIVADA, "activada")
    estado = verificaciones.estado(verificacion)
    if estado == "usada":
        raise PinNoVigente(MSG_YA_ACTIVADA, "activada")
    if estado == "anulada":
        if verificacion.intentos >= max_intentos:
            raise PinNoVigente(MSG_PIN_AGOTADO, "agotado")
        raise PinNoVigente(MSG_PIN_REEMPLAZADO, "reemplazado")
    if estado == "vencida":
        raise PinNoVigente(MSG_PIN_VENCIDO, "vencido")
    return usuario


def activar_con_enlace(session, token: str, pin: str, contrasena: str, confirmacion: str, max_intentos: int) -> Usuario:
    """Activate the account of the mail's link. See `activar` for what is guaranteed."""
    verificacion = por_enlace(session, token, bloquear=True)
    if verificacion is None:
        raise PinNoVigente(MSG_SIN_PIN, "sin_pin")
    return activar(session, verificacion, pin, contrasena, confirmacion, max_intentos)


def activar_con_identificacion(
    session,
    tipo_identificacion_id: int | None,
    numero: str,
    pin: str,
    contrasena: str,
    confirmacion: str,
    max_intentos: int,
) -> Usuario:
    """Activate through the generic form (tipo + número de identificación + PIN + contraseña)."""
    usuario = buscar_por_identificacion(session, tipo_identificacion_id, numero)
    if usuario is not None and usuario.activada_en is not None:
        raise PinNoVigente(MSG_YA_ACTIVADA, "activada")
    verificacion = None
    if usuario is not None:
        verificacion = session.scalar(
            select(Verificacion)
            .where(Verificacion.usuario_id == usuario.id, Verificacion.proposito == PROPOSITO_ACTIVACION)
            .order_by(Verificacion.id.desc())
            .limit(1)
            .with_for_update()
        )
    if verificacion is None:
        raise PinNoVigente(MSG_SIN_PIN, "sin_pin")
    return activar(session, verificacion, pin, contrasena, confirmacion, max_intentos)


def activar(session, verificacion: Verificacion, pin: str, contrasena: str, confirmacion: str, max_intentos: int):
    """Check the PIN (counting the attempt) and the password policy, then activate the account.

    On success: the password is set, the account is active with `activada_en`, it has the role Usuario,
    and the PIN is used. A wrong PIN raises ErroresValidacion (field "pin", with the remaining attempts,
    plus any password rule broken); the attempt is written to the session, so the caller must commit
    even when this raises. An unusable PIN (expired, void, used) raises PinNoVigente.
    """
    usuario = exigir_vigente(session, verificacion, max_intentos)
    errores: dict[str, list[str]] = {}
    try:
        contrasenas.validar_nueva(contrasena, confirmacion, campo="contrasena", campo_confirmacion="confirmacion")
    except ErroresValidacion as error:
        errores.update(error.errores)
    if not (pin or "").strip():
        errores = {"pin": [MSG_PIN_REQUERIDO], **errores}
        raise ErroresValidacion(errores)
    try:
        verificaciones.comprobar_codigo(verificacion, pin, max_intentos)
    except ErrorDominio:
        if verificacion.anulado_en is not None:
            raise PinNoVigente(MSG_PIN_AGOTADO, "agotado") from None
        restantes = max_intentos - verificacion.intentos
        mensaje = MSG_PIN_INCORRECTO_UNO if restantes == 1 else MSG_PIN_INCORRECTO.format(restantes=restantes)
        errores = {"pin": [mensaje], **errores}
    if errores:
        raise ErroresValidacion(errores)
    momento = ahora()
    usuario.password = contrasenas.cifrar(contrasena)
    usuario.active = True
    usuario.activada_en = momento
    usuario.fail_login_count = 0
    usuario.bloqueada_hasta = None
    _asegurar_rol_usuario(session, usuario)
    verificaciones.marcar_usada(verificacion)
    session.flush()
    cuenta_activada.send(session, usuario=usuario)
    return usuario


def _asegurar_rol_usuario(session, usuario: Usuario) -> None:
    """An activated person has at least the platform role Usuario (a pending account may have none)."""
    if usuario.roles:
        return
    rol = session.scalar(select(Role).where(Role.name == ROL_USUARIO))
    if rol is not None:
        usuario.roles.append(rol)
