"""Image CAPTCHA ("Caracteres de verificación"), checked server-side.

The answer never reaches the browser: the session cookie (signed, readable by the client) only holds an
HMAC of the answer keyed with SECRET_KEY plus a nonce, so it cannot be read back or brute-forced
offline. Each challenge is single-use on the server: its nonce is a row of `reto_captcha`, and checking an
answer (right or wrong) deletes that row, so replaying an old cookie finds nothing to answer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from io import BytesIO

from sqlalchemy import delete

from app.models.captcha import RetoCaptcha
from app.services.reloj import ahora

ALFABETO = "ABCDEFHJKMNPRSTUVWXYZ2345678"  # no look-alikes (0/O, 1/I/L, 9/g)
VIGENCIA = timedelta(minutes=10)
MSG_INCORRECTO = "Los caracteres de verificación no coinciden. Se generó un nuevo código; inténtelo de nuevo."


def _firma(secreto: str, nonce: str, respuesta: str) -> str:
    return hmac.new(secreto.encode(), f"{nonce}:{respuesta.strip().upper()}".encode(), hashlib.sha256).hexdigest()


def nuevo_reto(db_session, sesion: dict, secreto: str, clave: str = "captcha", longitud: int = 5) -> str:
    """Register a new challenge (its nonce in the database, its HMAC under `sesion[clave]`); return the text to draw.

    Challenges older than VIGENCIA are purged here, so the table only holds the last minutes' challenges.
    The caller commits.
    """
    texto = "".join(secrets.choice(ALFABETO) for _ in range(longitud))
    nonce = secrets.token_hex(16)
    momento = ahora()
    db_session.execute(delete(RetoCaptcha).where(RetoCaptcha.creado_en < momento - VIGENCIA))
    db_session.add(RetoCaptcha(nonce=nonce, creado_en=momento))
    db_session.flush()
    sesion[clave] = {"n": nonce, "h": _firma(secreto, nonce, texto)}
    return texto


def imagen_png(texto: str) -> bytes:
    from captcha.image import ImageCaptcha

    salida = BytesIO()
    ImageCaptcha(width=200, height=70).write(texto, salida, format="png")
    return salida.getvalue()


def _consumir(db_session, reto) -> bool:
    """Delete the challenge's row; True only for the one caller that deleted a live row."""
    if not isinstance(reto, dict) or not isinstance(reto.get("n"), str):
        return False
    borrado = db_session.execute(
        delete(RetoCaptcha)
        .where(RetoCaptcha.nonce == reto["n"], RetoCaptcha.creado_en >= ahora() - VIGENCIA)
        .returning(RetoCaptcha.nonce)
    ).first()
    return borrado is not None


def verificar(
    db_session,
    sesion: dict,
    secreto: str,
    respuesta: str | None,
    clave: str = "captcha",
    codigo_prueba: str | None = None,
) -> bool:
    """True if `respuesta` solves the challenge in the session. The challenge is consumed either way.

    The caller must commit even when this returns False: the consumed row is what refuses a replayed cookie.
    """
    reto = sesion.pop(clave, None)
    vivo = _consumir(db_session, reto)
    respuesta = (respuesta or "").strip().upper()
    if not respuesta or len(respuesta) > 20:
        return False
    if codigo_prueba and respuesta == codigo_prueba.strip().upper():
        return True
    return vivo and hmac.compare_digest(str(reto.get("h", "")), _firma(secreto, reto["n"], respuesta))
