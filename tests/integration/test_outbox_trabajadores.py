"""The outbox worker in production: a silent SMTP server, several workers, crashed workers, its own process.

Real PostgreSQL, a real SMTP sink (aiosmtpd), a real TCP server that never answers; no mocks.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text, update

from app.extensions import db
from app.models.correo import ESTADO_ENVIADO, ESTADO_ENVIANDO, ESTADO_FALLIDO, ESTADO_PENDIENTE, MensajeCorreo
from app.services import outbox
from app.services.reloj import ahora
from tests.helpers import ROOT, mensajes_de_correo


def _encolar(app, cantidad: int, prefijo: str = "destino") -> list[str]:
    destinos = [f"{prefijo}{i}@correo.test" for i in range(cantidad)]
    with app.app_context():
        for destino in destinos:
            outbox.encolar(
                db.session,
                destino,
                "Recuperación de contraseña de InvimÁgil",
                "recuperacion",
                nombre="Ana",
                enlace="http://127.0.0.1:5000/cuenta/restablecer/abc123",
                minutos=60,
                recuperar="http://127.0.0.1:5000/cuenta/recuperar/",
            )
        db.session.commit()
    return destinos


class ServidorMudo:
    """A TCP server that accepts connections and never says a word (a hung mail server)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.puerto = self.socket.getsockname()[1]
        self.conexiones: list[socket.socket] = []
        self.aceptada = threading.Event()
        threading.Thread(target=self._aceptar, daemon=True).start()

    def _aceptar(self):
        while True:
            try:
                conexion, _ = self.socket.accept()
            except OSError:
                return
            self.conexiones.append(conexion)
            self.aceptada.set()

    def cerrar(self):
        self.socket.close()
        for conexion in self.conexiones:
            conexion.close()


@pytest.fixture
def servidor_mudo(app, monkeypatch):
    servidor = ServidorMudo()
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1.5)
    monkeypatch.setattr(app.extensions["mail"], "port", servidor.puerto)
    yield servidor
    servidor.cerrar()


@pytest.fixture
def observador(database_url):
    """A connection of its own (autocommit) to look at the database while the worker waits."""
    motor = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with motor.connect() as conexion:
        yield conexion
    motor.dispose()


def _conexiones_en_transaccion(observador) -> list[str]:
    return (
        observador.execute(
            text(
                "SELECT state || ': ' || query FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
            )
        )
        .scalars()
        .all()
    )


def test_servidor_que_no_responde_no_deja_transacciones_abiertas_y_se_reintenta(app, servidor_mudo, observador):
    _encolar(app, 2)
    resultado = {}
    hilo = threading.Thread(target=lambda: resultado.update(lote=outbox.enviar_lote(app)), daemon=True)
    inicio = time.monotonic()
    hilo.start()
    assert servidor_mudo.aceptada.wait(10), "el trabajador no se conectó al servidor de correo"

    # While the worker waits for the server's greeting: no transaction open, no row locked, the claim visible.
    assert _conexiones_en_transaccion(observador) == []
    bloqueables = observador.execute(text("SELECT id, estado FROM mensaje_correo ORDER BY id FOR UPDATE NOWAIT"))
    assert [estado for _, estado in bloqueables] == [ESTADO_ENVIANDO, ESTADO_ENVIANDO]

    hilo.join(timeout=10)
    assert not hilo.is_alive(), "el trabajador sigue esperando al servidor: sin límite de tiempo"
    assert time.monotonic() - inicio < 1.5 + 4
    assert resultado["lote"] == (2, 0)
    primero, segundo = mensajes_de_correo(app)
    # the message tried: one attempt counted, the time-out recorded, retried after the back-off
    assert primero.estado == ESTADO_PENDIENTE and primero.intentos == 1
    assert "timed out" in primero.ultimo_error
    assert primero.proximo_intento_en > ahora()
    # the server is silent: the rest of the batch is not tried now, waits as long, and keeps all its attempts
    assert segundo.estado == ESTADO_PENDIENTE and segundo.intentos == 0 and segundo.ultimo_error is None
    assert segundo.proximo_intento_en == pytest.approx(primero.proximo_intento_en, abs=timedelta(seconds=2))
    assert len(servidor_mudo.conexiones) == 1
    assert _conexiones_en_transaccion(observador) == []


def test_dos_trabajadores_a_la_vez_envian_cada_mensaje_una_sola_vez(app, smtp_sink):
    destinos = _encolar(app, 40)
    barrera = threading.Barrier(2)
    enviados = {"a": 0, "b": 0}

    def trabajador(nombre):
        barrera.wait()
        while True:
            reclamados, entregados = outbox.enviar_lote(app, limite=2)
            enviados[nombre] += entregados
            if not reclamados:
                return

    hilos = [threading.Thread(target=trabajador, args=(n,), daemon=True) for n in enviados]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert sum(enviados.values()) == 40
    assert all(enviados.values()), f"un trabajador no envió nada: {enviados}"
    for destino in destinos:
        assert len(smtp_sink.esperar(destino)) == 1
    time.sleep(0.3)  # nothing else arrives late
    assert len(smtp_sink.mensajes) == 40
    assert {(m.estado, m.intentos) for m in mensajes_de_correo(app)} == {(ESTADO_ENVIADO, 1)}


def _reclamar_y_morir(app):
    """A worker claims the due messages, commits, and dies before sending."""
    with app.app_context():
        reclamados = outbox.reclamar(db.session, 20, app.config["OUTBOX_MAX_INTENTOS"], 300)
        db.session.commit()
    return reclamados


def _vence_el_reclamo(app):
    with app.app_context():
        db.session.execute(update(MensajeCorreo).values(proximo_intento_en=ahora() - timedelta(seconds=1)))
        db.session.commit()


def test_el_reclamo_de_un_trabajador_caido_vence_y_otro_envia_el_mensaje(app, smtp_sink):
    [destino] = _encolar(app, 1)
    assert len(_reclamar_y_morir(app)) == 1
    assert outbox.enviar_lote(app) == (0, 0)  # still claimed: nobody else takes it
    assert smtp_sink.para(destino) == []
    _vence_el_reclamo(app)
    assert outbox.enviar_lote(app) == (1, 1)
    assert len(smtp_sink.esperar(destino)) == 1
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_ENVIADO and mensaje.intentos == 2


def test_un_reclamo_abandonado_en_el_ultimo_intento_queda_fallido(app, smtp_sink, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_INTENTOS", 1)
    [destino] = _encolar(app, 1)
    _reclamar_y_morir(app)
    _vence_el_reclamo(app)
    assert outbox.enviar_lote(app) == (0, 0)
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_FALLIDO and mensaje.intentos == 1 and "Interrumpido" in mensaje.ultimo_error
    assert smtp_sink.para(destino) == []


def test_un_trabajador_tardio_no_pisa_el_resultado_de_otro(app, smtp_sink):
    """Worker A's claim ran out and worker B took the message again: A's late result is not recorded."""
    _encolar(app, 1)
    [viejo] = _reclamar_y_morir(app)
    _vence_el_reclamo(app)
    assert outbox.enviar_lote(app) == (1, 1)
    with app.app_context():
        outbox._registrar(db.session, app, viejo, OSError("tarde"))
        db.session.commit()
    [mensaje] = mensajes_de_correo(app)
    assert mensaje.estado == ESTADO_ENVIADO and mensaje.ultimo_error is None


def _proceso_enviar_correos(database_url, smtp_sink, *argumentos) -> subprocess.Popen:
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "CAPTCHA_"))}
    entorno.update(
        APP_ENV="testing", DATABASE_URL=database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp_sink.puerto)
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app:create_app", "enviar-correos", *argumentos],
        cwd=ROOT,
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _terminar(proceso: subprocess.Popen) -> None:
    if proceso.poll() is None:
        os.killpg(proceso.pid, signal.SIGKILL)
        proceso.wait(timeout=10)


def test_flask_enviar_correos_es_un_proceso_propio_que_se_detiene_con_sigterm(app, database_url, smtp_sink):
    proceso = _proceso_enviar_correos(database_url, smtp_sink)
    try:
        [destino] = _encolar(app, 1)
        assert len(smtp_sink.esperar(destino, segundos=30)) == 1
        os.killpg(proceso.pid, signal.SIGTERM)
        assert proceso.wait(timeout=15) == 0
    finally:
        _terminar(proceso)
    salida = proceso.stdout.read()
    assert "Trabajador de correo detenido." in salida
    assert mensajes_de_correo(app)[0].estado == ESTADO_ENVIADO


def test_flask_enviar_correos_una_vez_envia_todo_lo_pendiente_y_termina(app, database_url, smtp_sink):
    destinos = _encolar(app, 25)  # more than one batch
    proceso = _proceso_enviar_correos(database_url, smtp_sink, "--una-vez")
    try:
        assert proceso.wait(timeout=60) == 0, proceso.stdout.read()
    finally:
        _terminar(proceso)
    assert {len(smtp_sink.para(d)) for d in destinos} == {1}


@pytest.fixture
def smtp_con_starttls(app, tmp_path, monkeypatch):
    """An SMTP sink offering STARTTLS with a self-signed certificate for 127.0.0.1; MAIL_USE_TLS on."""
    import ssl

    from aiosmtpd.controller import Controller

    from tests.helpers import Buzon, puerto_libre

    if not shutil.which("openssl"):
        pytest.skip("openssl no está instalado")
    clave, certificado = tmp_path / "clave.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(clave), "-out", str(certificado)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    contexto = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexto.load_cert_chain(certificado, clave)
    buzon = Buzon()
    puerto = puerto_libre()
    controlador = Controller(buzon.handle_DATA_factory(), hostname="127.0.0.1", port=puerto, tls_context=contexto)
    controlador.start()
    monkeypatch.setattr(app.extensions["mail"], "port", puerto)
    monkeypatch.setattr(app.extensions["mail"], "use_tls", True)
    buzon.certificado = certificado
    yield buzon
    controlador.stop()


def test_starttls_verifica_el_certificado_del_servidor(app, smtp_con_starttls, monkeypatch):
    [destino] = _encolar(app, 1)
    assert outbox.enviar_lote(app) == (1, 0)  # a certificate nobody vouches for: refused, nothing sent
    [mensaje] = mensajes_de_correo(app)
    assert "CERTIFICATE_VERIFY_FAILED" in mensaje.ultimo_error and mensaje.estado == ESTADO_PENDIENTE
    assert smtp_con_starttls.para(destino) == []

    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_con_starttls.certificado))  # now the machine trusts it
    _vence_el_reclamo(app)
    assert outbox.enviar_lote(app) == (1, 1)
    assert len(smtp_con_starttls.esperar(destino)) == 1
