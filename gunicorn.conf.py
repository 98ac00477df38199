"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` behind nginx (README § Producción).

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

# nginx on the same machine talks to 127.0.0.1; GUNICORN_BIND=unix:/run/invimagil.sock or 0.0.0.0:8000 otherwise.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Sync workers (one request at a time each; nginx buffers slow clients and uploads). The usual 2 × cores + 1,
# capped: each worker holds its own database connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "sync"
# A request stuck longer than this is killed and its worker replaced; a restart waits this long for requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Each worker is replaced after this many requests (with jitter, not all at once): bounded memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# The runtime control socket (gunicornc) is off: nothing to manage at run time, one less socket.
control_socket_disable = True

# Access log without the query string or the referrer (either may carry a search or a token) and with the
# single-use tokens of activation and recovery links blanked (app/web/registro_logs.py). With PROXIES_CONFIABLES
# the address logged is the client's (ProxyFix rewrites REMOTE_ADDR before the log line is written).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


class RegistroSinSecretos(Logger):
    """gunicorn's logger (its documented `logger_class` setting) with the app's filter of secrets."""

    def setup(self, cfg):
        super().setup(cfg)
        from app.web.registro_logs import FiltroSecretos

        for registro in (self.access_log, self.error_log):
            registro.addFilter(FiltroSecretos())


logger_class = RegistroSinSecretos
