"""CAPTCHA: the answer is only known server-side (HMAC) and each challenge is single-use."""

from __future__ import annotations

import json

from app.services import captcha


def test_la_sesion_no_contiene_la_respuesta():
    sesion: dict = {}
    texto = captcha.nuevo_reto(sesion, "secreto")
    assert texto not in json.dumps(sesion)
    assert texto.lower() not in json.dumps(sesion).lower()


def test_respuesta_correcta_sin_importar_mayusculas():
    sesion: dict = {}
    texto = captcha.nuevo_reto(sesion, "secreto")
    assert captcha.verificar(sesion, "secreto", f" {texto.lower()} ")


def test_un_reto_solo_sirve_una_vez():
    sesion: dict = {}
    texto = captcha.nuevo_reto(sesion, "secreto")
    assert not captcha.verificar(sesion, "secreto", "ZZZZZ")
    assert not captcha.verificar(sesion, "secreto", texto)  # consumed by the wrong try


def test_otra_clave_secreta_no_valida():
    sesion: dict = {}
    texto = captcha.nuevo_reto(sesion, "secreto")
    assert not captcha.verificar(sesion, "otro", texto)


def test_codigo_de_prueba_solo_si_esta_configurado():
    assert captcha.verificar({}, "s", "prueba", codigo_prueba="PRUEBA")
    assert not captcha.verificar({}, "s", "prueba", codigo_prueba=None)


def test_la_imagen_es_un_png():
    assert captcha.imagen_png("ABCDE").startswith(b"\x89PNG")
