"""Attached documents: PDF by content, size limit, content-addressed storage."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from sqlalchemy import text

from app.services import documentos
from app.services.errores import ErrorDominio
from tests.helpers import pdf


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
        documentos.validar_pdf(pdf()[:300], 1_000_000)
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


# ---------------------------------------------------------------- held files: the store only after the commit


def _archivos(carpeta) -> list:
    return sorted(p for p in carpeta.rglob("*") if p.is_file())


def test_retener_deja_el_archivo_fuera_del_almacen(tmp_path):
    guardado = documentos.retener(tmp_path, 7, pdf("rut"), "RUT.pdf", 1_000_000, horas=24)
    assert _archivos(tmp_path) == [documentos.ruta_retenido(tmp_path, 7, guardado.sha256)]
    assert not documentos.existe(tmp_path, guardado.sha256)
    assert documentos.retenido(tmp_path, 7, guardado.sha256)
    assert not documentos.retenido(tmp_path, 8, guardado.sha256)  # another person's form does not see it


def test_soltar_retenidos_conserva_solo_los_que_el_formulario_usa(tmp_path):
    uno = documentos.retener(tmp_path, 7, pdf("uno"), "uno.pdf", 1_000_000, horas=24)
    documentos.retener(tmp_path, 7, pdf("dos"), "dos.pdf", 1_000_000, horas=24)
    otro = documentos.retener(tmp_path, 8, pdf("dos"), "dos.pdf", 1_000_000, horas=24)
    documentos.soltar_retenidos(tmp_path, 7, conservar=[uno.sha256])
    assert _archivos(tmp_path) == sorted(
        [documentos.ruta_retenido(tmp_path, 7, uno.sha256), documentos.ruta_retenido(tmp_path, 8, otro.sha256)]
    )


def test_retenidos_abandonados_se_recogen_al_subir_otro(tmp_path):
    viejo = documentos.retener(tmp_path, 7, pdf("viejo"), "viejo.pdf", 1_000_000, horas=24)
    hace_dos_dias = time.time() - 48 * 3600
    os.utime(documentos.ruta_retenido(tmp_path, 7, viejo.sha256), (hace_dos_dias, hace_dos_dias))
    nuevo = documentos.retener(tmp_path, 9, pdf("nuevo"), "nuevo.pdf", 1_000_000, horas=24)
    assert _archivos(tmp_path) == [documentos.ruta_retenido(tmp_path, 9, nuevo.sha256)]
    assert not (tmp_path / documentos.RETENIDOS / "7").exists()


def test_un_retenido_en_uso_no_se_recoge(tmp_path):
    guardado = documentos.retener(tmp_path, 7, pdf("en uso"), "a.pdf", 1_000_000, horas=24)
    hace_dos_dias = time.time() - 48 * 3600
    os.utime(documentos.ruta_retenido(tmp_path, 7, guardado.sha256), (hace_dos_dias, hace_dos_dias))
    assert documentos.retenido(tmp_path, 7, guardado.sha256)  # the form still refers to it: touched
    assert documentos.recoger_vencidos(tmp_path, horas=24) == 0


def test_el_archivo_llega_al_almacen_solo_cuando_la_transaccion_confirma(app, db_session, tmp_path):
    guardado = documentos.retener(tmp_path, 7, pdf("confirmado"), "a.pdf", 1_000_000, horas=24)
    db_session.execute(text("SELECT 1"))
    documentos.mover_al_confirmar(db_session, tmp_path, 7, [guardado.sha256, guardado.sha256])
    assert not documentos.existe(tmp_path, guardado.sha256)
    db_session.commit()
    assert documentos.existe(tmp_path, guardado.sha256)
    assert _archivos(tmp_path) == [documentos.ruta(tmp_path, guardado.sha256)]


def test_si_la_transaccion_se_revierte_nada_llega_al_almacen(app, db_session, tmp_path):
    guardado = documentos.retener(tmp_path, 7, pdf("revertido"), "a.pdf", 1_000_000, horas=24)
    db_session.execute(text("SELECT 1"))
    documentos.mover_al_confirmar(db_session, tmp_path, 7, [guardado.sha256])
    db_session.rollback()
    db_session.execute(text("SELECT 1"))
    db_session.commit()  # a later commit of the same session does not move it either
    assert not documentos.existe(tmp_path, guardado.sha256)
    assert documentos.retenido(tmp_path, 7, guardado.sha256)  # still held for a corrected submit


def test_un_savepoint_liberado_no_mueve_nada_antes_del_commit(app, db_session, tmp_path):
    guardado = documentos.retener(tmp_path, 7, pdf("savepoint"), "a.pdf", 1_000_000, horas=24)
    documentos.mover_al_confirmar(db_session, tmp_path, 7, [guardado.sha256])
    with db_session.begin_nested():
        db_session.execute(text("SELECT 1"))
    assert not documentos.existe(tmp_path, guardado.sha256)
    db_session.commit()
    assert documentos.existe(tmp_path, guardado.sha256)
