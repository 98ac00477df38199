"""Shared text helpers: a long name is shortened at a word boundary, never in the middle of a word."""

from app.services.texto import resumir


def test_un_texto_corto_queda_igual():
    assert resumir("Certificado de venta libre") == "Certificado de venta libre"
    assert resumir("x" * 80) == "x" * 80


def test_un_nombre_largo_se_corta_entre_palabras():
    nombre = "Certificado de existencia y representación legal del fabricante expedido por la autoridad competente"
    corto = resumir(nombre, 40)
    assert corto == "Certificado de existencia y…"
    assert len(corto) <= 40 and nombre.startswith(corto[:-1])


def test_una_sola_palabra_larga_se_corta_donde_toca():
    assert resumir("a" * 100, 10) == "a" * 9 + "…"
