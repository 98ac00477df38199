"""Attached documents: PDF checked by content, size limit, stored content-addressed by SHA-256.

Files live under DOCUMENTOS_DIR/<first two hex digits>/<sha256>.pdf. Writing is idempotent and atomic (temporary
file + rename), so a file written for a transaction that later fails is harmless: it is only reachable through a
DocumentoEmpresa row, and the same content always lands at the same path. Nothing here decides who may read a
file; the views check that before calling `ruta`.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.services.errores import ErrorDominio

TIPO_CONTENIDO_PDF = "application/pdf"
MAX_NOMBRE = 255

MSG_VACIO = "El archivo está vacío."
MSG_NO_PDF = "El archivo debe ser un documento PDF válido (se revisa su contenido, no solo la extensión)."
MSG_DANADO = "El archivo PDF está dañado o incompleto; genere el PDF de nuevo e intente otra vez."

_RE_CABECERA = re.compile(rb"%PDF-[12]\.\d")
_RE_OBJETO = re.compile(rb"\d+\s+\d+\s+obj\b")
_RE_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class DocumentoGuardado:
    """A stored file: what a DocumentoEmpresa row needs."""

    sha256: str
    nombre_archivo: str
    tamano: int


def megabytes(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.0f} MB" if n_bytes >= 1024 * 1024 else f"{max(1, n_bytes // 1024)} KB"


def validar_pdf(contenido: bytes, max_bytes: int) -> None:
    """Raise ErrorDominio unless `contenido` is a PDF (by its bytes) no larger than `max_bytes`.

    The check is structural and minimal: the %PDF-x.y header at the start, at least one indirect object, a
    cross-reference (xref table or stream via startxref) and the %%EOF marker near the end. It does not render
    the file; it stops renamed images, office files and truncated uploads.
    """
    if not contenido:
        raise ErrorDominio(MSG_VACIO)
    if len(contenido) > max_bytes:
        raise ErrorDominio(f"El archivo supera el tamaño máximo permitido ({megabytes(max_bytes)}).")
    if not _RE_CABECERA.match(contenido[:16]):
        raise ErrorDominio(MSG_NO_PDF)
    cola = contenido[-2048:]
    if b"%%EOF" not in cola or b"startxref" not in cola or not _RE_OBJETO.search(contenido):
        raise ErrorDominio(MSG_DANADO)


def nombre_seguro(nombre: str | None) -> str:
    """The client's file name without path, control characters or quotes; ends in .pdf."""
    nombre = (nombre or "").replace("\\", "/").rsplit("/", 1)[-1]
    nombre = unicodedata.normalize("NFC", nombre)
    nombre = "".join(c for c in nombre if c.isprintable() and c not in '"<>|*?:').strip(" .")
    base = nombre[:-4] if nombre.lower().endswith(".pdf") else nombre
    base = base[: MAX_NOMBRE - 4] or "documento"
    return f"{base}.pdf"


def ruta(directorio: str | os.PathLike, sha256: str) -> Path:
    """Where the content with this SHA-256 lives. Refuses anything that is not a hex digest."""
    if not _RE_SHA256.fullmatch(sha256 or ""):
        raise ValueError("sha256 inválido")
    return Path(directorio) / sha256[:2] / f"{sha256}.pdf"


def guardar(directorio: str | os.PathLike, contenido: bytes, nombre: str | None, max_bytes: int) -> DocumentoGuardado:
    """Validate and store the content (once per distinct content); return its address and safe name."""
    validar_pdf(contenido, max_bytes)
    digest = hashlib.sha256(contenido).hexdigest()
    destino = ruta(directorio, digest)
    if not destino.exists():
        destino.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporal = tempfile.mkstemp(dir=destino.parent, prefix=".subida-")
        try:
            with os.fdopen(descriptor, "wb") as archivo:
                archivo.write(contenido)
            os.replace(temporal, destino)
        except BaseException:
            Path(temporal).unlink(missing_ok=True)
            raise
    return DocumentoGuardado(sha256=digest, nombre_archivo=nombre_seguro(nombre), tamano=len(contenido))


def existe(directorio: str | os.PathLike, sha256: str) -> bool:
    try:
        return ruta(directorio, sha256).is_file()
    except ValueError:
        return False
