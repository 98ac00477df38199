"""Attached documents: PDF checked by content (app/services/revision_pdf.py), size limit, stored content-addressed by
SHA-256 only once the transaction that records them commits.

Layout under DOCUMENTOS_DIR:
- `<first two hex digits>/<sha256>.pdf`: the store. A file lands here only when the session that adds its
  DocumentoEmpresa row commits (`mover_al_confirmar`, an SQLAlchemy `after_commit` hook); on rollback nothing moves.
- `tmp/<owner id>/<sha256>.pdf`: attachments held for one person between submits of a form (`retener`), so a
  correction or a reload without JavaScript does not force them to attach the files again. Each submit keeps only
  the files the form still refers to (`soltar_retenidos`), so failed submits never pile up: one person holds at most
  one form's worth. Held files untouched for `horas` are collected on the next upload (`recoger_vencidos`).

Writing is atomic (temporary file + rename on the same file system). Nothing here decides who may read a file; the
views check that before calling `ruta`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from app.services import revision_pdf
from app.services.errores import ErrorDominio

TIPO_CONTENIDO_PDF = "application/pdf"
MAX_NOMBRE = 255
RETENIDOS = "tmp"
CLAVE_PENDIENTES = "documentos_por_mover"

MSG_VACIO = "El archivo está vacío."

_RE_SHA256 = re.compile(r"[0-9a-f]{64}")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentoGuardado:
    """A stored or held file: what a DocumentoEmpresa row needs."""

    sha256: str
    nombre_archivo: str
    tamano: int
    folios: int = 0  # pages


def megabytes(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.0f} MB" if n_bytes >= 1024 * 1024 else f"{max(1, n_bytes // 1024)} KB"


def validar_pdf(contenido: bytes, max_bytes: int) -> int:
    """Raise ErrorDominio unless `contenido` is a PDF no larger than `max_bytes`, readable and without active
    content (the rules and messages are in revision_pdf); its number of pages otherwise."""
    if not contenido:
        raise ErrorDominio(MSG_VACIO)
    if len(contenido) > max_bytes:
        raise ErrorDominio(f"El archivo supera el tamaño máximo permitido ({megabytes(max_bytes)}).")
    return revision_pdf.revisar(contenido)


def nombre_seguro(nombre: str | None) -> str:
    """The client's file name without path, control characters or quotes; ends in .pdf."""
    nombre = (nombre or "").replace("\\", "/").rsplit("/", 1)[-1]
    nombre = unicodedata.normalize("NFC", nombre)
    nombre = "".join(c for c in nombre if c.isprintable() and c not in '"<>|*?:').strip(" .")
    base = nombre[:-4] if nombre.lower().endswith(".pdf") else nombre
    base = base[: MAX_NOMBRE - 4] or "documento"
    return f"{base}.pdf"


def _sha256_valido(sha256: str) -> str:
    if not _RE_SHA256.fullmatch(sha256 or ""):
        raise ValueError("sha256 inválido")
    return sha256


def ruta(directorio: str | os.PathLike, sha256: str) -> Path:
    """Where the stored content with this SHA-256 lives. Refuses anything that is not a hex digest."""
    return Path(directorio) / _sha256_valido(sha256)[:2] / f"{sha256}.pdf"


def existe(directorio: str | os.PathLike, sha256: str) -> bool:
    try:
        return ruta(directorio, sha256).is_file()
    except ValueError:
        return False


def _escribir(destino: Path, contenido: bytes) -> None:
    """Write atomically: a reader sees the whole file or none."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=destino.parent, prefix=".subida-")
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(contenido)
        os.replace(temporal, destino)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise


def guardar(directorio: str | os.PathLike, contenido: bytes, nombre: str | None, max_bytes: int) -> DocumentoGuardado:
    """Validate and write the content straight into the store. Only for content whose row is committed in the same
    step (tests, data loads); a web form holds its files with `retener` and moves them with `mover_al_confirmar`."""
    folios = validar_pdf(contenido, max_bytes)
    digest = guardar_generado(directorio, contenido)
    return DocumentoGuardado(digest, nombre_seguro(nombre), len(contenido), folios)


def guardar_generado(directorio: str | os.PathLike, contenido: bytes) -> str:
    """Write content already checked (by `guardar`) or made by the application itself (a constancia) into the
    store; its SHA-256. Written at once: if the transaction that records it rolls back, the file stays unreferenced
    (content-addressed, nobody can reach it)."""
    digest = hashlib.sha256(contenido).hexdigest()
    destino = ruta(directorio, digest)
    if not destino.exists():
        _escribir(destino, contenido)
    return digest


def leer(directorio: str | os.PathLike, sha256: str) -> bytes:
    return ruta(directorio, sha256).read_bytes()


# ---------------------------------------------------------------- files held for a form until its transaction commits


def _retenidos(directorio: str | os.PathLike, dueno: int) -> Path:
    return Path(directorio) / RETENIDOS / str(int(dueno))


def ruta_retenido(directorio: str | os.PathLike, dueno: int, sha256: str) -> Path:
    return _retenidos(directorio, dueno) / f"{_sha256_valido(sha256)}.pdf"


def retener(
    directorio: str | os.PathLike,
    dueno: int,
    contenido: bytes,
    nombre: str | None,
    max_bytes: int,
    horas: float,
) -> DocumentoGuardado:
    """Validate the content and hold it for `dueno` (outside the store) until a transaction records it.

    Also collects every held file older than `horas`, whoever it belongs to: abandoned forms leave nothing behind.
    """
    folios = validar_pdf(contenido, max_bytes)
    recoger_vencidos(directorio, horas)
    digest = hashlib.sha256(contenido).hexdigest()
    _escribir(ruta_retenido(directorio, dueno, digest), contenido)
    return DocumentoGuardado(digest, nombre_seguro(nombre), len(contenido), folios)


def retenido(directorio: str | os.PathLike, dueno: int, sha256: str) -> bool:
    """Whether the file is still held for `dueno`; a file in use is touched so that collection spares it."""
    try:
        destino = ruta_retenido(directorio, dueno, sha256)
        os.utime(destino)
    except (ValueError, OSError):
        return False
    return True


def soltar_retenidos(directorio: str | os.PathLike, dueno: int, conservar: Iterable[str] = ()) -> None:
    """Delete the files held for `dueno` except those in `conservar` (the ones the form still refers to)."""
    carpeta = _retenidos(directorio, dueno)
    conservar = {f"{sha}.pdf" for sha in conservar}
    for archivo in carpeta.glob("*") if carpeta.is_dir() else ():
        if archivo.name not in conservar:
            archivo.unlink(missing_ok=True)


def recoger_vencidos(directorio: str | os.PathLike, horas: float) -> int:
    """Delete held files (and empty owner folders) untouched for more than `horas`; how many files went."""
    raiz = Path(directorio) / RETENIDOS
    if not raiz.is_dir():
        return 0
    limite = time.time() - horas * 3600
    borrados = 0
    for carpeta in raiz.iterdir():
        for archivo in carpeta.glob("*") if carpeta.is_dir() else ():
            try:
                if archivo.stat().st_mtime < limite:
                    archivo.unlink()
                    borrados += 1
            except FileNotFoundError:
                continue
        try:
            carpeta.rmdir()  # only succeeds when empty
        except OSError:
            pass
    return borrados


def mover_al_confirmar(session, directorio: str | os.PathLike, dueno: int, shas: Iterable[str]) -> None:
    """When `session` commits, move these held files of `dueno` into the store; if it rolls back, nothing moves
    (the files stay held for a corrected submit). Call it before the commit that records their rows."""
    pendientes = _sesion_real(session).info.setdefault(CLAVE_PENDIENTES, [])
    for sha in dict.fromkeys(shas):
        pendientes.append((ruta_retenido(directorio, dueno, sha), ruta(directorio, sha)))


def _sesion_real(session) -> Session:
    """The Session behind a scoped_session proxy (its `info` is per session; the proxy's is the registry's)."""
    return session() if isinstance(session, scoped_session) else session


@event.listens_for(Session, "after_commit")
def _mover_retenidos(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the outer transaction decides
    for origen, destino in session.info.pop(CLAVE_PENDIENTES, ()):
        try:
            destino.parent.mkdir(parents=True, exist_ok=True)
            os.replace(origen, destino)
        except FileNotFoundError:
            if not destino.is_file():
                _log.error("Documento confirmado sin archivo retenido: %s", origen)
        except OSError:
            _log.exception("No se pudo mover el documento confirmado %s a %s", origen, destino)


@event.listens_for(Session, "after_soft_rollback")
def _descartar_pendientes(session: Session, transaccion) -> None:
    if transaccion.parent is None:
        session.info.pop(CLAVE_PENDIENTES, None)
