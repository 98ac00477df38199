"""The reverse proxies in front of the app (PROXIES_CONFIABLES): who the client really is.

Behind nginx every request comes from the proxy's address; the proxy tells the client's address in
X-Forwarded-For and the scheme in X-Forwarded-Proto. Werkzeug's ProxyFix trusts exactly the last N entries
of those headers, N being the number of proxies the operator declared, so request.remote_addr (rate limits,
audit IP) and the https scheme are the client's. With 0 (the default, and `make run`) the headers are
ignored: anyone could write them.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ConfigurationError


def numero_de_proxies(valor) -> int:
    texto = str(valor).strip()
    if not texto.isdigit():
        raise ConfigurationError(
            f"PROXIES_CONFIABLES debe ser un número entero mayor o igual a 0 (se recibió {valor!r})."
        )
    return int(texto)


def instalar(app: Flask) -> None:
    """Wrap the WSGI app in ProxyFix when PROXIES_CONFIABLES > 0 (For and Proto only; Host comes from nginx)."""
    n = numero_de_proxies(app.config["PROXIES_CONFIABLES"])
    app.config["PROXIES_CONFIABLES"] = n
    if n > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0, x_port=0, x_prefix=0)
