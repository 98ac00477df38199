"""The mail worker (transactional outbox): real PostgreSQL and a real SMTP sink, no mocks of either."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models.correo import ESTADO_BUZON, ESTADO_ENVIADO, ESTADO_FALLIDO, ESTADO_PENDIENTE, MensajeCorreo
from app.services import outbox
from app.services.reloj import ahora
from tests.helpers import Buzon, mensajes_de_correo, puerto_libre

DESTINO = "destino@correo.test"


def _encolar(session, destinatario=DESTINO):
    return outbox.encolar(
        session,
        destinatario,
        "Recuperación de contraseña de InvimÁgil",
        "recuperacion",
        nombre="Ana",
        enlace="http://127.0.0.1:5000/cuenta/restablecer/abc123",
        minutos=60,
        recuperar="http://127.0.0.1:5000/cuenta/recuperar/",
    )


@pytest.fixture
def smtp_inalcanzable(app, monkeypatch):
    """Point the mail connection at a closed port; monkeypatch restores it after the test."""
    monkeypatch.setitem(app.config, "MAIL_PORT", puerto_libre())
    monkeypatch.setattr(app.extensions["mail"], "port", app.config["MAIL_PORT"])


def test_mensaje_de_una_transaccion_revertida_nunca_se_envia(app, smtp_sink):
    with app.app_context():
        _encolar(db.session)
        db.session.flush()
        db.session.rollback()
    assert outbox.enviar_pendientes(app) == 0
    assert mensajes_de_correo(app) == []
    assert smtp_sink.para(DESTINO) == []


def test_envio_exitoso_marca_enviado_y_no_conserva_el_contenido(app, smtp_sink):
    with app.app_context():
        _encolar(db.session)
        db.session.commit()
    [pendiente] = mensajes_de_correo(app)
    assert pendiente.estado == ESTADO_PENDIENTE and "/cuenta/restablecer/abc123" in pendiente.cuerpo_texto

    assert outbox.enviar_pendientes(app) == 1
    [mensaje] = smtp_sink.esperar(DESTINO)
    assert mensaje["asunto"] == "Recuperación de contraseña de InvimÁgil"
    assert "/cuenta/restablecer/abc123" in Buzon.texto(mensaje)
    assert 'href="http://127.0.0.1:5000/cuenta/restablecer/abc123"' in Buzon.html(mensaje)

    [enviado] = mensajes_de_correo(app)
    assert enviado.estado == ESTADO_ENVIADO
    assert enviado.enviado_en is not None and enviado.intentos == 1 and enviado.ultimo_error is None
    assert "abc123" not in enviado.cuerpo_texto and "abc123" not in enviado.cuerpo_html
    # sending again does not repeat it
    assert outbox.enviar_pendientes(app) == 0
    assert len(smtp_sink.para(DESTINO)) == 1


def test_servidor_smtp_inalcanzable_deja_el_mensaje_pendiente_para_reintentar(app, smtp_sink, smtp_inalcanzable):
    with app.app_context():
        _encolar(db.session)
        db.session.commit()
    antes = ahora()
    assert outbox.enviar_pendientes(app) == 0
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_PENDIENTE
    assert mensaje.intentos == 1
    assert mensaje.ultimo_error
    assert mensaje.proximo_intento_en > antes
    assert "abc123" in mensaje.cuerpo_texto  # kept until it is delivered
    # not due yet: a second pass does not try again
    assert outbox.enviar_pendientes(app) == 0
    assert mensajes_de_correo(app)[0].intentos == 1
    assert smtp_sink.para(DESTINO) == []


def test_tras_el_maximo_de_intentos_el_mensaje_queda_fallido(app, smtp_sink, smtp_inalcanzable, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_INTENTOS", 3)
    with app.app_context():
        _encolar(db.session)
        db.session.commit()
    estados = []
    for _ in range(3):
        with app.app_context():
            db.session.execute(update(MensajeCorreo).values(proximo_intento_en=ahora()))
            db.session.commit()
        outbox.enviar_pendientes(app)
        estados.append(mensajes_de_correo(app)[0].estado)
    assert estados == [ESTADO_PENDIENTE, ESTADO_PENDIENTE, ESTADO_FALLIDO]
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.intentos == 3 and mensaje.ultimo_error
    # a failed message is not picked up again
    with app.app_context():
        db.session.execute(update(MensajeCorreo).values(proximo_intento_en=ahora()))
        db.session.commit()
    outbox.enviar_pendientes(app)
    assert mensajes_de_correo(app)[0].intentos == 3


def test_reintento_tras_la_falla_entrega_el_mensaje(app, smtp_sink, monkeypatch):
    monkeypatch.setattr(app.extensions["mail"], "port", puerto_libre())
    with app.app_context():
        _encolar(db.session)
        db.session.commit()
    outbox.enviar_pendientes(app)
    assert mensajes_de_correo(app)[0].estado == ESTADO_PENDIENTE
    monkeypatch.setattr(app.extensions["mail"], "port", smtp_sink.puerto)
    with app.app_context():
        db.session.execute(update(MensajeCorreo).values(proximo_intento_en=ahora()))
        db.session.commit()
    assert outbox.enviar_pendientes(app) == 1
    assert len(smtp_sink.esperar(DESTINO)) == 1
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_ENVIADO and mensaje.intentos == 2 and mensaje.ultimo_error is None


def test_sin_mail_server_el_mensaje_queda_en_el_buzon_local(app, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    with app.app_context():
        _encolar(db.session)
        db.session.commit()
    assert outbox.enviar_pendientes(app) == 1
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_BUZON and mensaje.enviado_en is not None
    # readable by administrators inside the app: the content is kept
    assert "/cuenta/restablecer/abc123" in mensaje.cuerpo_texto
    assert smtp_sink.para(DESTINO) == []


def test_el_trabajador_envia_en_segundo_plano_y_se_detiene(app, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_INTERVALO_SEGUNDOS", 0.05)
    parar = outbox.iniciar_en_segundo_plano(app)
    try:
        with app.app_context():
            _encolar(db.session)
            db.session.commit()
        assert len(smtp_sink.esperar(DESTINO)) == 1
    finally:
        parar.set()
    # The worker records the delivery in its own short transaction right after the SMTP answer.
    limite = time.monotonic() + 5
    while mensajes_de_correo(app)[0].estado != ESTADO_ENVIADO and time.monotonic() < limite:
        time.sleep(0.05)
    assert mensajes_de_correo(app)[0].estado == ESTADO_ENVIADO
