"""One-time codes and links (table `verificacion`): issue, look up by link token, check a code.

Only hashes are stored: SHA-256 of the link token (high entropy, so a fast hash is enough to look it
up) and scrypt of the short code (low entropy, so a slow hash). Issuing a new code of a purpose voids
the previous ones of that purpose for the same person.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.models.verificacion import Verificacion
from app.services.errores import ErrorDominio
from app.services.reloj import ahora

MSG_ENLACE_INVALIDO = "El enlace no es válido o ya fue utilizado."
MSG_VENCIDO = "El código venció."
MSG_CODIGO_INCORRECTO = "El código ingresado no es correcto. Le quedan {restantes} intentos."
MSG_AGOTADO = "Superó el número de intentos permitidos; el código quedó anulado."


@dataclass
class Emitida:
    verificacion: Verificacion
    token: str
    codigo: str | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generar_pin(digitos: int = 6) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digitos))


def emitir(
    session, usuario_id: int, proposito: str, vigencia: timedelta, con_codigo: bool, dato: str | None = None
) -> Emitida:
    """Void earlier codes of this purpose and issue a new link token (and code, if asked)."""
    momento = ahora()
    anular(session, usuario_id, proposito, momento)
    token = secrets.token_urlsafe(32)
    codigo = generar_pin() if con_codigo else None
    verificacion = Verificacion(
        usuario_id=usuario_id,
        proposito=proposito,
        token_hash=hash_token(token),
        codigo_hash=generate_password_hash(codigo) if codigo else None,
        dato=dato,
        creado_en=momento,
        expira_en=momento + vigencia,
        intentos=0,
    )
    session.add(verificacion)
    session.flush()
    return Emitida(verificacion, token, codigo)


def _sin_usar(usuario_id: int, proposito: str):
    """The person's verifications of a purpose neither used nor voided (expired ones included)."""
    return and_(
        Verificacion.usuario_id == usuario_id,
        Verificacion.proposito == proposito,
        Verificacion.usado_en.is_(None),
        Verificacion.anulado_en.is_(None),
    )


def anular(session, usuario_id: int, proposito: str, momento=None) -> int:
    """Void the person's unused codes and links of a purpose. Returns how many there were."""
    resultado = session.execute(
        update(Verificacion).where(_sin_usar(usuario_id, proposito)).values(anulado_en=momento or ahora())
    )
    return resultado.rowcount


def por_token(session, token: str, proposito: str, bloquear: bool = False) -> Verificacion | None:
    """The verification a link points to, whatever its state (None if the token is unknown)."""
    if not token or len(token) > 100:
        return None
    q = select(Verificacion).where(Verificacion.token_hash == hash_token(token), Verificacion.proposito == proposito)
    if bloquear:
        q = q.with_for_update()
    return session.scalar(q)


def vigente(session, usuario_id: int, proposito: str, bloquear: bool = False) -> Verificacion | None:
    """The newest unused, unvoided verification of a purpose for a person (may be expired)."""
    q = select(Verificacion).where(_sin_usar(usuario_id, proposito)).order_by(Verificacion.id.desc()).limit(1)
    if bloquear:
        q = q.with_for_update()
    return session.scalar(q)


def estado(verificacion: Verificacion | None) -> str:
    """'valida', 'usada', 'anulada', 'vencida' or 'inexistente'."""
    if verificacion is None:
        return "inexistente"
    if verificacion.usado_en is not None:
        return "usada"
    if verificacion.anulado_en is not None:
        return "anulada"
    if verificacion.expira_en <= ahora():
        return "vencida"
    return "valida"


def comprobar_codigo(verificacion: Verificacion, codigo: str, max_intentos: int) -> None:
    """Count one attempt and raise ErrorDominio unless `codigo` is right; voids the code after `max_intentos`.

    The caller must commit even when this raises, so the attempt is counted.
    """
    if estado(verificacion) != "valida":
        raise ErrorDominio(MSG_VENCIDO if estado(verificacion) == "vencida" else MSG_ENLACE_INVALIDO)
    codigo = (codigo or "").strip()
    if codigo and len(codigo) <= 12 and check_password_hash(verificacion.codigo_hash or "", codigo):
        return
    verificacion.intentos += 1
    if verificacion.intentos >= max_intentos:
        verificacion.anulado_en = ahora()
        raise ErrorDominio(MSG_AGOTADO)
    raise ErrorDominio(MSG_CODIGO_INCORRECTO.format(restantes=max_intentos - verificacion.intentos))


def marcar_usada(verificacion: Verificacion) -> None:
    verificacion.usado_en = ahora()
