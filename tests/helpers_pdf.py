"""Reading back what the Invima's PDFs drew (app/services/pdf_invima.py): their text and their vector QR."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

from app.services.pdf_invima import QR_BORDE, QR_FORMULARIO


def texto_pdf(contenido: bytes) -> str:
    """The text of every page, one after the other."""
    return "\n".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(contenido)).pages)


def qr_dibujado(contenido: bytes) -> list[list[int]]:
    """The module matrix drawn in the QR form XObject, rebuilt from its rectangles (module units, quiet zone 4)."""
    lector = PdfReader(io.BytesIO(contenido))
    for pagina in lector.pages:
        for nombre, referencia in (pagina["/Resources"].get("/XObject") or {}).items():
            if QR_FORMULARIO in nombre:
                formulario = referencia.get_object()
                lado = int(formulario["/BBox"][2])
                matriz = [[0] * (lado - 2 * QR_BORDE) for _ in range(lado - 2 * QR_BORDE)]
                for operandos, operador in ContentStream(formulario, lector).operations:
                    if operador == b"re":
                        x, y, ancho, alto = (int(v) for v in operandos)
                        assert alto == 1
                        fila = lado - QR_BORDE - y - 1
                        for columna in range(x - QR_BORDE, x - QR_BORDE + ancho):
                            matriz[fila][columna] = 1
                return matriz
    raise AssertionError("el PDF no tiene el formulario del QR")
