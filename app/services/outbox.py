"""Transactional e-mail outbox: `encolar` writes a row in the caller's transaction; a worker sends it.

The worker claims rows with FOR UPDATE SKIP LOCKED, so several workers can run at once; each failure
is recorded and retried with exponential back-off up to OUTBOX_MAX_INTENTOS. In development without
MAIL_SERVER the message is kept in the in-app mailbox ("Correos enviados") instead of being sent.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import render_template
from flask_mail import Message
from sqlalchemy import select

from app.models.correo import ESTADO_BUZON, ESTADO_ENVIADO, ESTADO_FALLIDO, ESTADO_PENDIENTE, MensajeCorreo
from app.services.reloj import ahora

log = logging.getLogger(__name__)


def encolar(session, destinatario: str, asunto: str, plantilla: str, **contexto) -> MensajeCorreo:
    """Render `correo/<plantilla>.txt` and `.html` and queue the message in the current transaction."""
    momento = ahora()
    contexto.setdefault("asunto", asunto)
    mensaje = MensajeCorreo(
        destinatario=destinatario,
        asunto=asunto,
        cuerpo_texto=render_template(f"correo/{plantilla}.txt", **contexto),
        cuerpo_html=render_template(f"correo/{plantilla}.html", **contexto),
        plantilla=plantilla,
        estado=ESTADO_PENDIENTE,
        intentos=0,
        creado_en=momento,
        proximo_intento_en=momento,
    )
    session.add(mensaje)
    return mensaje


def _espera(intentos: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(0, intentos - 1)))


def enviar_pendientes(app, limite: int = 20) -> int:
    """Send up to `limite` due messages; returns how many were delivered (or kept in the local mailbox)."""
    from app.extensions import db, mail

    entregados = 0
    with app.app_context():
        session = db.session
        mensajes = session.scalars(
            select(MensajeCorreo)
            .where(MensajeCorreo.estado == ESTADO_PENDIENTE, MensajeCorreo.proximo_intento_en <= ahora())
            .order_by(MensajeCorreo.id)
            .limit(limite)
            .with_for_update(skip_locked=True)
        ).all()
        for mensaje in mensajes:
            mensaje.intentos += 1
            if not app.config.get("MAIL_SERVER"):
                mensaje.estado = ESTADO_BUZON
                mensaje.enviado_en = ahora()
                entregados += 1
                continue
            try:
                mail.send(
                    Message(
                        subject=mensaje.asunto,
                        recipients=[mensaje.destinatario],
                        body=mensaje.cuerpo_texto,
                        html=mensaje.cuerpo_html,
                        sender=app.config["MAIL_DEFAULT_SENDER"],
                    )
                )
            except Exception as error:  # any SMTP/network failure: record it and retry later
                mensaje.ultimo_error = f"{type(error).__name__}: {error}"[:500]
                if mensaje.intentos >= app.config["OUTBOX_MAX_INTENTOS"]:
                    mensaje.estado = ESTADO_FALLIDO
                    log.error("Correo %s falló definitivamente tras %s intentos", mensaje.id, mensaje.intentos)
                else:
                    mensaje.proximo_intento_en = ahora() + _espera(mensaje.intentos)
                    log.warning(
                        "Correo %s no se pudo enviar (intento %s); se reintentará", mensaje.id, mensaje.intentos
                    )
            else:
                mensaje.estado = ESTADO_ENVIADO
                mensaje.enviado_en = ahora()
                mensaje.ultimo_error = None
                # Once delivered, the bodies (which may hold a PIN or a link) are not kept at rest.
                mensaje.cuerpo_texto = "[enviado; contenido no conservado]"
                mensaje.cuerpo_html = "<p>[enviado; contenido no conservado]</p>"
                entregados += 1
        session.commit()
        session.remove() if hasattr(session, "remove") else None
    return entregados


def trabajar(app, una_vez: bool = False, parar: threading.Event | None = None) -> None:
    """Worker loop: send what is due every OUTBOX_INTERVALO_SEGUNDOS until `parar` is set."""
    intervalo = app.config["OUTBOX_INTERVALO_SEGUNDOS"]
    while True:
        try:
            enviar_pendientes(app)
        except Exception:
            log.exception("Error en el envío de correos; se reintentará")
        if una_vez or (parar is not None and parar.is_set()):
            return
        if parar is not None:
            parar.wait(intervalo)
        else:
            time.sleep(intervalo)


def iniciar_en_segundo_plano(app) -> threading.Event:
    """Start the worker in a daemon thread (used by `make run`); returns the event that stops it."""
    parar = threading.Event()
    hilo = threading.Thread(target=trabajar, args=(app,), kwargs={"parar": parar}, name="outbox", daemon=True)
    hilo.start()
    return parar
