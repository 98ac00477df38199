"""The one password policy of the manual (4.6.2), used by activation, recovery, change and admin reset."""

from __future__ import annotations

import re

from werkzeug.security import check_password_hash, generate_password_hash

from app.services import outbox
from app.services.enlaces import url_publica
from app.services.errores import ErroresValidacion
from app.services.reloj import ahora

LONGITUD_MINIMA = 8
LONGITUD_MAXIMA = 128

MSG_REQUERIDA = "La contraseña es obligatoria."
MSG_LONGITUD = "Debe contener mínimo 8 caracteres."
MSG_LARGA = "La contraseña no puede tener más de 128 caracteres."
MSG_LETRAS = "Debe contener mayúsculas o minúsculas."
MSG_NUMERO = "Debe contener al menos un número."
MSG_ESPECIAL = "Debe contener al menos un carácter especial."
MSG_CONFIRMACION = "La confirmación de contraseña no coincide con la contraseña nueva."
MSG_IGUAL_ACTUAL = "La nueva contraseña no puede ser igual a la contraseña actual."
MSG_ACTUAL_INCORRECTA = "La contraseña actual no coincide con la registrada en la plataforma."

REGLAS = (
    "Debe contener mínimo 8 caracteres.",
    "Debe contener mayúsculas o minúsculas.",
    "Debe contener al menos un número.",
    "Debe contener al menos un carácter especial.",
)


def incumplimientos(contrasena: str) -> list[str]:
    """Every rule the password breaks, each with its own message (empty list: it is valid)."""
    if not contrasena:
        return [MSG_REQUERIDA]
    errores = []
    if len(contrasena) < LONGITUD_MINIMA:
        errores.append(MSG_LONGITUD)
    if len(contrasena) > LONGITUD_MAXIMA:
        errores.append(MSG_LARGA)
    if not any(c.isalpha() for c in contrasena):
        errores.append(MSG_LETRAS)
    if not any(c.isdigit() for c in contrasena):
        errores.append(MSG_NUMERO)
    if not re.search(r"[^\w\s]|_", contrasena):
        errores.append(MSG_ESPECIAL)
    return errores


def validar_nueva(
    nueva: str,
    confirmacion: str,
    hash_actual: str | None = None,
    campo: str = "contrasena",
    campo_confirmacion: str = "confirmacion",
) -> None:
    """Raise ErroresValidacion unless `nueva` meets the policy, matches its confirmation and differs from the current one."""
    errores: dict[str, list[str]] = {}
    fallas = incumplimientos(nueva or "")
    if fallas:
        errores[campo] = fallas
    if (nueva or "") != (confirmacion or ""):
        errores[campo_confirmacion] = [MSG_CONFIRMACION]
    if not fallas and hash_actual and check_password_hash(hash_actual, nueva):
        errores.setdefault(campo, []).append(MSG_IGUAL_ACTUAL)
    if errores:
        raise ErroresValidacion(errores)


def cifrar(contrasena: str) -> str:
    """FAB's default hashing (scrypt through werkzeug)."""
    return generate_password_hash(contrasena)


def es_la_actual(usuario, contrasena: str) -> bool:
    """True if `contrasena` is the account's password now."""
    return bool(usuario.password) and check_password_hash(usuario.password, contrasena)


# How the password was changed, as the notice says it.
MEDIO_PERFIL = "perfil"
MEDIO_RECUPERACION = "recuperacion"
MEDIO_PLATAFORMA = "plataforma"
COMO_SE_CAMBIO = {
    MEDIO_PERFIL: "desde «Cambiar contraseña» en «Mi perfil»",
    MEDIO_RECUPERACION: "con un enlace de recuperación de contraseña",
    MEDIO_PLATAFORMA: "por el equipo técnico de InvimÁgil, al darle a su cuenta el rol de administrador de la plataforma",
}


def avisar_cambio(session, usuario, medio: str) -> None:
    """Queue, in the caller's transaction, the notice to the account's e-mail that its password was just changed
    (when, in Colombian time, and how), with what to do if it was not the owner.

    Guarantees: one message per change; it carries neither the password nor any link token.
    """
    outbox.encolar(
        session,
        usuario.email,
        "Se cambió la contraseña de su cuenta de InvimÁgil",
        "contrasena_cambiada",
        nombre=usuario.first_name,
        momento=ahora(),
        como=COMO_SE_CAMBIO[medio],
        recuperar=url_publica("/cuenta/recuperar/"),
        ayuda=url_publica("/ayuda/"),
    )
