"""The one way a view receives an uploaded PDF: checked (app/services/documentos.py), held for the person until the
transaction that records it commits, then moved into the store."""

from __future__ import annotations

from flask import current_app, g, request

from app.extensions import db
from app.services import documentos


def recibir_pdf(campo: str = "archivo") -> documentos.DocumentoGuardado | None:
    """The PDF of the form's `campo`, or None if none was chosen; ErrorDominio when it is not acceptable."""
    archivo = request.files.get(campo)
    if not archivo or not archivo.filename:
        return None
    directorio = current_app.config["DOCUMENTOS_DIR"]
    maximo = current_app.config["DOCUMENTO_MAX_BYTES"]
    documento = documentos.retener(
        directorio,
        g.user.id,
        archivo.stream.read(maximo + 1),
        archivo.filename,
        maximo,
        current_app.config["DOCUMENTO_RETENCION_HORAS"],
    )
    documentos.mover_al_confirmar(db.session, directorio, g.user.id, [documento.sha256])
    return documento
