"""Login service: same work for unknown and known accounts; lock-out counting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.services import autenticacion
from app.services.errores import ErrorDominio
from app.services.reloj import ahora
from tests import factories

POLITICA = autenticacion.PoliticaBloqueo(max_intentos=3, minutos=10)


@pytest.fixture
def hash_falso(app):
    return app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"]


@pytest.fixture
def contador_de_hash(monkeypatch):
    llamadas = []
    original = autenticacion.check_password_hash

    def contar(*args):
        llamadas.append(args)
        return original(*args)

    monkeypatch.setattr(autenticacion, "check_password_hash", contar)
    return llamadas


def test_usuario_desconocido_cuesta_un_calculo_de_hash(app, db_session, hash_falso, contador_de_hash):
    with pytest.raises(ErrorDominio, match="incorrectos"):
        autenticacion.autenticar(db_session, 1, "123456789", "Clave#2026x", POLITICA, hash_falso)
    assert len(contador_de_hash) == 1


def test_usuario_conocido_con_clave_mala_cuesta_lo_mismo(app, db_session, hash_falso, contador_de_hash):
    usuario = factories.crear_usuario()
    with pytest.raises(ErrorDominio, match="incorrectos"):
        autenticacion.autenticar(
            db_session, usuario.tipo_identificacion_id, usuario.numero_identificacion, "x", POLITICA, hash_falso
        )
    assert len(contador_de_hash) == 1


def test_bloqueo_tras_los_intentos_configurados_y_desbloqueo_al_vencer(app, db_session, hash_falso):
    usuario = factories.crear_usuario()
    args = (db_session, usuario.tipo_identificacion_id, usuario.numero_identificacion)
    for _ in range(2):
        with pytest.raises(ErrorDominio, match="incorrectos"):
            autenticacion.autenticar(*args, "Mala#1234", POLITICA, hash_falso)
    with pytest.raises(ErrorDominio, match="10 minutos"):
        autenticacion.autenticar(*args, "Mala#1234", POLITICA, hash_falso)
    assert usuario.bloqueada_hasta > ahora() + timedelta(minutes=9)
    assert usuario.estado == "Bloqueada"
    usuario.bloqueada_hasta = ahora() - timedelta(seconds=1)
    assert autenticacion.autenticar(*args, factories.CONTRASENA, POLITICA, hash_falso) is usuario
    assert usuario.fail_login_count == 0 and usuario.bloqueada_hasta is None
    assert usuario.login_count == 1


def test_un_acierto_reinicia_el_conteo_de_fallos(app, db_session, hash_falso):
    usuario = factories.crear_usuario()
    args = (db_session, usuario.tipo_identificacion_id, usuario.numero_identificacion)
    with pytest.raises(ErrorDominio):
        autenticacion.autenticar(*args, "Mala#1234", POLITICA, hash_falso)
    autenticacion.autenticar(*args, factories.CONTRASENA, POLITICA, hash_falso)
    assert usuario.fail_login_count == 0


def test_cuenta_inactivada_por_el_administrador_no_entra(app, db_session, hash_falso):
    usuario = factories.crear_usuario()
    usuario.active = False
    with pytest.raises(ErrorDominio, match="inactiva"):
        autenticacion.autenticar(
            db_session,
            usuario.tipo_identificacion_id,
            usuario.numero_identificacion,
            factories.CONTRASENA,
            POLITICA,
            hash_falso,
        )


def test_la_identificacion_se_compara_sin_espacios_ni_minusculas(app, db_session, hash_falso):
    usuario = factories.crear_usuario(tipo="PA", numero="AB12345")
    assert (
        autenticacion.autenticar(
            db_session, usuario.tipo_identificacion_id, " ab12345 ", factories.CONTRASENA, POLITICA, hash_falso
        )
        is usuario
    )
