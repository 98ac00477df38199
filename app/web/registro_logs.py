"""Logging setup: secrets never reach the logs.

The links in activation and recovery mails carry single-use tokens in the path; the web server's access
log would otherwise print them. A filter on every handler blanks them.
"""

from __future__ import annotations

import logging
import re

_RUTAS_CON_SECRETO = re.compile(r"(/cuenta/(?:activar|restablecer)/)[A-Za-z0-9_\-]{8,}")


def ocultar_secretos(texto: str) -> str:
    return _RUTAS_CON_SECRETO.sub(r"\1[oculto]", texto)


class FiltroSecretos(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mensaje = record.getMessage()
        limpio = ocultar_secretos(mensaje)
        if limpio != mensaje:
            record.msg, record.args = limpio, None
        return True


def configurar_logs() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    filtro = FiltroSecretos()
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, FiltroSecretos) for f in handler.filters):
            handler.addFilter(filtro)
    # werkzeug attaches its own handler when the root logger has none; filter at the logger too.
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, FiltroSecretos) for f in werkzeug.filters):
        werkzeug.addFilter(filtro)
