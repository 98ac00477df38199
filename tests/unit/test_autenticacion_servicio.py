"""Login service: same work for unknown and known accounts; lock-out counting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.services.cuentas import autenticacion
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
    for _ in range(3):
        with pytest.raises(ErrorDominio, match="incorrectos"):
            autenticacion.autenticar(*args, "Mala#1234", POLITICA, hash_falso)
    assert usuario.bloqueada_hasta > ahora() + timedelta(minutes=9)
    assert usuario.estado == "Bloqueada" and usuario.fail_login_count == 0
    # While locked even the right password gets the one neutral answer.
    with pytest.raises(ErrorDominio) as bloqueada:
        autenticacion.autenticar(*args, factories.CONTRASENA, POLITICA, hash_falso)
    assert bloqueada.value.mensaje == autenticacion.MSG_CREDENCIALES
    usuario.bloqueada_hasta = ahora() - timedelta(seconds=1)
    assert autenticacion.autenticar(*args, factories.CONTRASENA, POLITICA, hash_falso) is usuario
    assert usuario.fail_login_count == 0 and usuario.bloqueada_hasta is None
    assert usuario.login_count == 1


def test_el_bloqueo_se_avisa_por_correo_al_titular(app, db_session, hash_falso):
    from sqlalchemy import select

    from app.models.correo import MensajeCorreo

    usuario = factories.crear_usuario()
    args = (db_session, usuario.tipo_identificacion_id, usuario.numero_identificacion)
    for _ in range(3):
        with pytest.raises(ErrorDominio):
            autenticacion.autenticar(*args, "Mala#1234", POLITICA, hash_falso)
    correos = db_session.scalars(select(MensajeCorreo).where(MensajeCorreo.destinatario == usuario.email)).all()
    assert [c.asunto for c in correos] == ["Su cuenta de InvimÁgil fue bloqueada temporalmente"]
    assert "10 minutos" in correos[0].cuerpo_texto and "/cuenta/recuperar/" in correos[0].cuerpo_texto


def test_ni_el_estado_ni_la_existencia_de_la_cuenta_se_revelan(app, db_session, hash_falso):
    """Unknown, not activated and locked accounts get exactly the answer of a wrong password."""
    conocida = factories.crear_usuario(numero="41000001")
    sin_activar = factories.crear_usuario(numero="41000002", activado=False)
    bloqueada = factories.crear_usuario(numero="41000003")
    bloqueada.bloqueada_hasta = ahora() + timedelta(minutes=5)
    mensajes = set()
    for numero, clave in (
        ("41000001", "Mala#1234"),
        ("41000002", "Mala#1234"),
        ("41000003", factories.CONTRASENA),
        ("49999999", factories.CONTRASENA),
    ):
        with pytest.raises(ErrorDominio) as error:
            autenticacion.autenticar(db_session, conocida.tipo_identificacion_id, numero, clave, POLITICA, hash_falso)
        mensajes.add(error.value.mensaje)
    assert mensajes == {autenticacion.MSG_CREDENCIALES}
    assert sin_activar.password is None


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
