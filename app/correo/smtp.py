"""Flask-Mail with a time limit on the SMTP connection and a verified TLS certificate.

Flask-Mail 0.10 opens `smtplib.SMTP(server, port)` with no timeout: a server that accepts the connection and
never answers blocks the sender forever. Its `Mail.connect()` returns a `Connection` whose `configure_host()`
opens the SMTP session; `Mail` below returns a `Connection` subclass whose `configure_host()` passes
MAIL_TIMEOUT (seconds for the connection and for each reply) and uses the system's certificate store for
STARTTLS / SSL (smtplib's default context does not verify the server). After a failure the socket is closed
instead of sending QUIT to a server that is not answering.
"""

from __future__ import annotations

import smtplib
import ssl

import flask_mail
from flask import current_app


class Conexion(flask_mail.Connection):
    def __init__(self, estado, timeout: float):
        super().__init__(estado)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        estado = self.mail
        contexto = ssl.create_default_context()
        if estado.use_ssl:
            host = smtplib.SMTP_SSL(estado.server, estado.port, timeout=self.timeout, context=contexto)
        else:
            host = smtplib.SMTP(estado.server, estado.port, timeout=self.timeout)
        try:
            host.set_debuglevel(int(estado.debug))
            if estado.use_tls:
                host.starttls(context=contexto)
            if estado.username and estado.password:
                host.login(estado.username, estado.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        if self.host is not None and exc_type is not None:
            self.host.close()  # the server failed or stopped answering: no QUIT, no second wait
            return
        super().__exit__(exc_type, exc_value, tb)


class Mail(flask_mail.Mail):
    def connect(self) -> Conexion:
        return Conexion(current_app.extensions["mail"], current_app.config["MAIL_TIMEOUT"])
