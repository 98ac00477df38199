"""Security headers on every response (pages, API, error pages, static files), set in this one place.

The settings live in config.py: CONTENT_SECURITY_POLICY (directive → sources), REFERRER_POLICY and
STRICT_TRANSPORT_SECURITY (only in production: the portal is then served over HTTPS only).

Scripts run only from the app's own origin, plus inline blocks that carry this request's nonce: Flask-AppBuilder's
templates write `nonce="{{ baselib.get_nonce() }}"` on theirs, which calls the `csp_nonce()` template global defined
here; the nonce is drawn only when a page asks for one. Styles need 'unsafe-inline': FAB's templates (and
Bootstrap's and select2's scripts) use `style="…"` attributes, which a nonce cannot allow.

A view that sets its own header (e.g. the sandboxing CSP of a document download) keeps it.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g


def csp_nonce() -> str:
    """This request's script nonce (drawn the first time a template asks)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def politica(directivas: dict[str, str], nonce: str | None) -> str:
    """The Content-Security-Policy header value; the nonce, if any, is added to script-src."""
    partes = []
    for directiva, fuentes in directivas.items():
        if directiva == "script-src" and nonce:
            fuentes = f"{fuentes} 'nonce-{nonce}'"
        partes.append(f"{directiva} {fuentes}".strip())
    return "; ".join(partes)


def instalar(app: Flask) -> None:
    """Add the `csp_nonce` template global and the after_request hook that writes the headers."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    directivas = dict(app.config["CONTENT_SECURITY_POLICY"])
    fijas = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": app.config["REFERRER_POLICY"],
    }
    if app.config.get("STRICT_TRANSPORT_SECURITY"):
        fijas["Strict-Transport-Security"] = app.config["STRICT_TRANSPORT_SECURITY"]

    @app.after_request
    def _cabeceras_de_seguridad(respuesta: Response) -> Response:
        for nombre, valor in fijas.items():
            respuesta.headers.setdefault(nombre, valor)
        if "Content-Security-Policy" not in respuesta.headers:
            respuesta.headers["Content-Security-Policy"] = politica(directivas, g.get("csp_nonce"))
        return respuesta
