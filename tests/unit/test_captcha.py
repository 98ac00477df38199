"""CAPTCHA: the answer is only known server-side (HMAC) and each challenge is single-use, on the server too."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

from sqlalchemy import func, select, update

from app.models.captcha import RetoCaptcha
from app.services.cuentas import captcha


def test_la_sesion_no_contiene_la_respuesta(db_session):
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    assert texto not in json.dumps(sesion)
    assert texto.lower() not in json.dumps(sesion).lower()


def test_respuesta_correcta_sin_importar_mayusculas(db_session):
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    assert captcha.verificar(db_session, sesion, "secreto", f" {texto.lower()} ")


def test_un_reto_solo_sirve_una_vez(db_session):
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    assert not captcha.verificar(db_session, sesion, "secreto", "ZZZZZ")
    assert not captcha.verificar(db_session, sesion, "secreto", texto)  # consumed by the wrong try


def test_repetir_la_cookie_de_un_reto_resuelto_no_sirve(db_session):
    """The session is the client's cookie: a copy taken before answering must not be accepted again."""
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    copia = copy.deepcopy(sesion)
    assert captcha.verificar(db_session, sesion, "secreto", texto)
    for _ in range(4):
        assert not captcha.verificar(db_session, copy.deepcopy(copia), "secreto", texto)


def test_un_reto_vencido_no_sirve(db_session):
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    db_session.execute(
        update(RetoCaptcha)
        .where(RetoCaptcha.nonce == sesion["captcha"]["n"])
        .values(creado_en=RetoCaptcha.creado_en - captcha.VIGENCIA - timedelta(seconds=1))
    )
    assert not captcha.verificar(db_session, sesion, "secreto", texto)


def test_los_retos_viejos_se_purgan_al_crear_otro(db_session):
    sesion: dict = {}
    captcha.nuevo_reto(db_session, sesion, "secreto")
    db_session.execute(update(RetoCaptcha).values(creado_en=RetoCaptcha.creado_en - timedelta(hours=1)))
    captcha.nuevo_reto(db_session, sesion, "secreto")
    assert db_session.scalar(select(func.count()).select_from(RetoCaptcha)) == 1


def test_otra_clave_secreta_no_valida(db_session):
    sesion: dict = {}
    texto = captcha.nuevo_reto(db_session, sesion, "secreto")
    assert not captcha.verificar(db_session, sesion, "otro", texto)


def test_una_sesion_alterada_no_da_error(db_session):
    assert not captcha.verificar(db_session, {"captcha": "basura"}, "s", "ABCDE")
    assert not captcha.verificar(db_session, {"captcha": {"n": 5}}, "s", "ABCDE")


def test_codigo_de_prueba_solo_si_esta_configurado(db_session):
    assert captcha.verificar(db_session, {}, "s", "prueba", codigo_prueba="PRUEBA")
    assert not captcha.verificar(db_session, {}, "s", "prueba", codigo_prueba=None)


def test_la_imagen_es_un_png():
    assert captcha.imagen_png("ABCDE").startswith(b"\x89PNG")
