"""Attached documents: PDF by content, size limit, content-addressed storage."""

from __future__ import annotations

import hashlib

import pytest

from app.services import documentos
from app.services.errores import ErrorDominio


def pdf(texto: str = "uno") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% " + texto.encode() + b"\n"
        b"xref\n0 3\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R /Size 3 >>\nstartxref\n110\n%%EOF\n"
    )


def test_pdf_valido_se_guarda_por_su_sha256(tmp_path):
    contenido = pdf()
    guardado = documentos.guardar(tmp_path, contenido, "RUT empresa.pdf", 1_000_000)
    digest = hashlib.sha256(contenido).hexdigest()
    assert guardado.sha256 == digest
    assert guardado.tamano == len(contenido)
    assert guardado.nombre_archivo == "RUT empresa.pdf"
    assert (tmp_path / digest[:2] / f"{digest}.pdf").read_bytes() == contenido


def test_el_mismo_contenido_se_guarda_una_sola_vez(tmp_path):
    documentos.guardar(tmp_path, pdf(), "a.pdf", 1_000_000)
    documentos.guardar(tmp_path, pdf(), "b.pdf", 1_000_000)
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_imagen_renombrada_a_pdf_se_rechaza(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    with pytest.raises(ErrorDominio) as error:
        documentos.guardar(tmp_path, png, "cedula.pdf", 1_000_000)
    assert "PDF válido" in error.value.mensaje
    assert not any(tmp_path.rglob("*.pdf"))


def test_pdf_truncado_se_rechaza(tmp_path):
    with pytest.raises(ErrorDominio) as error:
        documentos.validar_pdf(pdf()[:60], 1_000_000)
    assert "dañado o incompleto" in error.value.mensaje


def test_archivo_vacio_se_rechaza():
    with pytest.raises(ErrorDominio, match="vacío"):
        documentos.validar_pdf(b"", 1000)


def test_archivo_que_supera_el_tamano_maximo_se_rechaza():
    with pytest.raises(ErrorDominio, match="supera el tamaño máximo permitido"):
        documentos.validar_pdf(pdf() + b" " * 2000, 1000)


def test_nombre_de_archivo_sin_rutas_ni_caracteres_raros():
    assert documentos.nombre_seguro("../../etc/passwd") == "passwd.pdf"
    assert documentos.nombre_seguro('C:\\docs\\"rut".PDF') == "rut.pdf"
    assert documentos.nombre_seguro("") == "documento.pdf"


def test_ruta_solo_acepta_un_sha256(tmp_path):
    with pytest.raises(ValueError):
        documentos.ruta(tmp_path, "../../secreto")
    assert documentos.existe(tmp_path, "zz") is False
