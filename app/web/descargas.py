"""Serving a stored PDF: the one response for every document the portal hands out (company documents, expediente
anexos, constancias). The caller has checked who may read it."""

from __future__ import annotations

from flask import abort, current_app, send_file

from app.services import documentos


def respuesta_pdf(sha256: str, nombre: str, en_linea: bool = False):
    """The stored PDF `sha256` as a download named `nombre` (or shown in the browser, `en_linea`), or 404.

    Never kept by the browser or a proxy, never sniffed as HTML, and sandboxed with no sources when opened: a PDF
    cannot run anything inside the portal's origin."""
    directorio = current_app.config["DOCUMENTOS_DIR"]
    if not documentos.existe(directorio, sha256):
        abort(404)
    respuesta = send_file(
        documentos.ruta(directorio, sha256),
        mimetype=documentos.TIPO_CONTENIDO_PDF,
        as_attachment=not en_linea,
        download_name=nombre,
        conditional=False,
    )
    respuesta.headers["Cache-Control"] = "no-store"
    respuesta.headers["X-Content-Type-Options"] = "nosniff"
    respuesta.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return respuesta
