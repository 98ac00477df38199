"""Image CAPTCHA ("Caracteres de verificación"), checked server-side.

The answer never reaches the browser: the session cookie (signed, readable by the client) only holds an
HMAC of the answer keyed with SECRET_KEY plus a nonce, so it cannot be read back or brute-forced
offline. Each challenge is single-use: checking it, right or wrong, consumes it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from io import BytesIO

ALFABETO = "ABCDEFHJKMNPRSTUVWXYZ2345678"  # no look-alikes (0/O, 1/I/L, 9/g)
VIGENCIA_SEGUNDOS = 600
MSG_INCORRECTO = "Los caracteres de verificación no coinciden. Se generó un nuevo código; inténtelo de nuevo."


def _firma(secreto: str, nonce: str, respuesta: str) -> str:
    return hmac.new(secreto.encode(), f"{nonce}:{respuesta.strip().upper()}".encode(), hashlib.sha256).hexdigest()


def nuevo_reto(sesion: dict, secreto: str, clave: str = "captcha", longitud: int = 5) -> str:
    """Store a new challenge's HMAC under `sesion[clave]` and return the text to draw."""
    texto = "".join(secrets.choice(ALFABETO) for _ in range(longitud))
    nonce = secrets.token_hex(8)
    sesion[clave] = {"n": nonce, "h": _firma(secreto, nonce, texto), "t": int(time.time())}
    return texto


def imagen_png(texto: str) -> bytes:
    from captcha.image import ImageCaptcha

    salida = BytesIO()
    ImageCaptcha(width=200, height=70).write(texto, salida, format="png")
    return salida.getvalue()


def verificar(
    sesion: dict, secreto: str, respuesta: str | None, clave: str = "captcha", codigo_prueba: str | None = None
) -> bool:
    """True if `respuesta` solves the challenge in the session. The challenge is consumed either way."""
    reto = sesion.pop(clave, None)
    respuesta = (respuesta or "").strip().upper()
    if not respuesta or len(respuesta) > 20:
        return False
    if codigo_prueba and respuesta == codigo_prueba.strip().upper():
        return True
    if not reto or int(time.time()) - int(reto.get("t", 0)) > VIGENCIA_SEGUNDOS:
        return False
    return hmac.compare_digest(reto.get("h", ""), _firma(secreto, reto.get("n", ""), respuesta))
