"""Transactional e-mail outbox: `encolar` writes a row in the caller's transaction; a worker sends it.

A worker claims a batch of due rows in one short transaction (UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
LOCKED) RETURNING: state `enviando`, the claim's end in proximo_intento_en), commits, and only then talks to the
SMTP server (MAIL_TIMEOUT bounds every wait); each result is recorded in a short transaction of its own. No
transaction or row lock is held while a server is slow, several workers never take the same message, and the
messages of a worker that died are taken again when its claim ends (OUTBOX_RECLAMO_SEGUNDOS). Each failure is
recorded and retried with exponential back-off up to OUTBOX_MAX_INTENTOS. In development without MAIL_SERVER the
message is kept in the in-app mailbox ("Correos enviados") instead of being sent.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import render_template
from flask_mail import Message
from sqlalchemy import case, select, tuple_, update

from app.models.correo import (
    ESTADO_BUZON,
    ESTADO_ENVIADO,
    ESTADO_ENVIANDO,
    ESTADO_FALLIDO,
    ESTADO_PENDIENTE,
    MensajeCorreo,
)
from app.services import documentos
from app.services.reloj import ahora

log = logging.getLogger(__name__)

SIN_CONTENIDO = "[enviado; contenido no conservado]"
MSG_INTERRUMPIDO = "Interrumpido: el trabajador se detuvo durante el último intento; no se sabe si salió."


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


@dataclass(frozen=True)
class Reclamado:
    """A claimed message, copied out of the claim's transaction (sending touches no ORM object)."""

    id: int
    intentos: int
    destinatario: str
    asunto: str
    cuerpo_texto: str
    cuerpo_html: str
    adjunto_sha256: str | None = None
    adjunto_nombre: str | None = None


def reclamar(session, limite: int, max_intentos: int, reclamo_segundos: float) -> list[Reclamado]:
    """Claim up to `limite` due messages in one statement; the caller commits before sending anything.

    A claimed message is `enviando` until `proximo_intento_en` = now + `reclamo_segundos`: other workers skip
    it (SKIP LOCKED while this statement runs, then its state and time), and if this worker dies it becomes due
    again when the claim ends. An abandoned claim that already used the last attempt ends as `fallido`.
    """
    m = MensajeCorreo
    momento = ahora()
    vencidos = (
        select(m.id)
        .where(m.estado.in_((ESTADO_PENDIENTE, ESTADO_ENVIANDO)), m.proximo_intento_en <= momento)
        .order_by(m.id)
        .limit(limite)
        .with_for_update(skip_locked=True)
        .cte("vencidos")
        .prefix_with("MATERIALIZED")  # evaluated once: the rows it locked are the rows updated
    )
    agotado = m.intentos >= max_intentos
    filas = session.execute(
        update(m)
        .where(m.id.in_(select(vencidos.c.id)))
        .values(
            estado=case((agotado, ESTADO_FALLIDO), else_=ESTADO_ENVIANDO),
            intentos=case((agotado, m.intentos), else_=m.intentos + 1),
            ultimo_error=case((agotado, MSG_INTERRUMPIDO), else_=m.ultimo_error),
            proximo_intento_en=momento + timedelta(seconds=reclamo_segundos),
        )
        .returning(
            m.id,
            m.estado,
            m.intentos,
            m.destinatario,
            m.asunto,
            m.cuerpo_texto,
            m.cuerpo_html,
            m.adjunto_sha256,
            m.adjunto_nombre,
        ),
        execution_options={"synchronize_session": False},
    ).all()
    for fila in filas:
        if fila.estado == ESTADO_FALLIDO:
            log.error("Correo %s: el trabajador que lo enviaba se detuvo en el último intento; queda fallido", fila.id)
    return [
        Reclamado(
            f.id,
            f.intentos,
            f.destinatario,
            f.asunto,
            f.cuerpo_texto,
            f.cuerpo_html,
            f.adjunto_sha256,
            f.adjunto_nombre,
        )
        for f in sorted(filas, key=lambda f: f.id)
        if f.estado == ESTADO_ENVIANDO
    ]


def _servidor_caido(error: Exception) -> bool:
    """The server is unreachable, silent or refuses the session itself, not just this message."""
    if isinstance(error, smtplib.SMTPException):
        return isinstance(
            error,
            (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError),
        )
    return isinstance(error, OSError)  # refused, timed out, TLS failure…


def _entregar(app, mensaje: Reclamado) -> str | Exception:
    """Send one message (no database work here); ESTADO_ENVIADO, ESTADO_BUZON or the error."""
    from app.extensions import mail

    if not app.config.get("MAIL_SERVER"):
        return ESTADO_BUZON
    try:
        correo = Message(
            subject=mensaje.asunto,
            recipients=[mensaje.destinatario],
            body=mensaje.cuerpo_texto,
            html=mensaje.cuerpo_html,
            sender=app.config["MAIL_DEFAULT_SENDER"],
        )
        if mensaje.adjunto_sha256:
            contenido = documentos.leer(app.config["DOCUMENTOS_DIR"], mensaje.adjunto_sha256)
            correo.attach(mensaje.adjunto_nombre or "documento.pdf", documentos.TIPO_CONTENIDO_PDF, contenido)
        mail.send(correo)
    except Exception as error:  # any SMTP/network failure (or a missing attachment): recorded, retried later
        return error
    return ESTADO_ENVIADO


def _registrar(session, app, mensaje: Reclamado, resultado: str | Exception) -> None:
    """Record the outcome of one claimed message, only if the claim is still this worker's."""
    m = MensajeCorreo
    momento = ahora()
    if resultado == ESTADO_ENVIADO:
        # Once delivered, the bodies (which may hold a PIN or a link) are not kept at rest.
        valores = dict(estado=ESTADO_ENVIADO, enviado_en=momento, ultimo_error=None, cuerpo_texto=SIN_CONTENIDO)
        valores["cuerpo_html"] = f"<p>{SIN_CONTENIDO}</p>"
    elif resultado == ESTADO_BUZON:
        valores = dict(estado=ESTADO_BUZON, enviado_en=momento)
    else:
        valores = dict(ultimo_error=f"{type(resultado).__name__}: {resultado}"[:500])
        if mensaje.intentos >= app.config["OUTBOX_MAX_INTENTOS"]:
            valores["estado"] = ESTADO_FALLIDO
            log.error("Correo %s falló definitivamente tras %s intentos", mensaje.id, mensaje.intentos)
        else:
            valores.update(estado=ESTADO_PENDIENTE, proximo_intento_en=momento + _espera(mensaje.intentos))
            log.warning("Correo %s no se pudo enviar (intento %s); se reintentará", mensaje.id, mensaje.intentos)
    propio = (m.id == mensaje.id) & (m.estado == ESTADO_ENVIANDO) & (m.intentos == mensaje.intentos)
    hecho = session.execute(update(m).where(propio).values(**valores), execution_options={"synchronize_session": False})
    if hecho.rowcount == 0:
        log.warning("Correo %s: el reclamo venció antes de registrar el resultado (%s)", mensaje.id, resultado)


def _devolver(session, mensajes: list[Reclamado], cuando) -> None:
    """Give back claimed messages that were not tried: due at `cuando`, the attempt not counted."""
    if not mensajes:
        return
    m = MensajeCorreo
    propios = tuple_(m.id, m.intentos).in_([(x.id, x.intentos) for x in mensajes])
    session.execute(
        update(m)
        .where(propios, m.estado == ESTADO_ENVIANDO)
        .values(estado=ESTADO_PENDIENTE, intentos=m.intentos - 1, proximo_intento_en=cuando),
        execution_options={"synchronize_session": False},
    )


def enviar_lote(app, limite: int = 20) -> tuple[int, int]:
    """Claim (and commit), then send each message with no transaction open, recording each result in a short
    transaction of its own. Returns (claimed, delivered). A dead or silent server ends the batch: the messages
    not tried yet are given back for the same retry time. So is the rest of a batch that ran for half its claim.

    Runs outside any request: it opens every company's scope explicitly (app/security/tenancy.py fails closed)."""
    from app.extensions import db
    from app.security.tenancy import todas_las_empresas

    with app.app_context(), todas_las_empresas():
        session = db.session
        try:
            reclamados = reclamar(
                session, limite, app.config["OUTBOX_MAX_INTENTOS"], app.config["OUTBOX_RECLAMO_SEGUNDOS"]
            )
            session.commit()
            fin = time.monotonic() + app.config["OUTBOX_RECLAMO_SEGUNDOS"] / 2
            entregados = 0
            for i, mensaje in enumerate(reclamados):
                if time.monotonic() > fin:
                    _devolver(session, reclamados[i:], ahora())
                    session.commit()
                    break
                resultado = _entregar(app, mensaje)
                _registrar(session, app, mensaje, resultado)
                caido = isinstance(resultado, Exception) and _servidor_caido(resultado)
                if caido:
                    _devolver(session, reclamados[i + 1 :], ahora() + _espera(mensaje.intentos))
                session.commit()
                if caido:
                    break
                entregados += not isinstance(resultado, Exception)
            return len(reclamados), entregados
        finally:
            session.remove()


def enviar_pendientes(app, limite: int = 20) -> int:
    """Send one batch of up to `limite` due messages; returns how many were delivered (or kept in the local
    mailbox)."""
    return enviar_lote(app, limite)[1]


def trabajar(app, una_vez: bool = False, parar: threading.Event | None = None) -> None:
    """Worker loop: send what is due every OUTBOX_INTERVALO_SEGUNDOS until `parar` is set. A full batch is
    followed at once by the next one. `una_vez`: send everything due now, then return."""
    parar = parar or threading.Event()
    limite = 20
    while not parar.is_set():
        try:
            reclamados, _ = enviar_lote(app, limite)
        except Exception:
            log.exception("Error en el envío de correos; se reintentará")
            reclamados = 0
        if reclamados >= limite:
            continue
        if una_vez or parar.wait(app.config["OUTBOX_INTERVALO_SEGUNDOS"]):
            return


def iniciar_en_segundo_plano(app) -> threading.Event:
    """Start the worker in a daemon thread (used by `make run`); returns the event that stops it."""
    parar = threading.Event()
    hilo = threading.Thread(target=trabajar, args=(app,), kwargs={"parar": parar}, name="outbox", daemon=True)
    hilo.start()
    return parar
