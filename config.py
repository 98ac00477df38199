"""Settings read from the environment. See README.md § Configuración for every variable."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

_DEV_SECRET_FILE = INSTANCE_DIR / "secret_key"


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment is unsafe or incomplete."""


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def _dev_secret_key() -> str:
    """A random key kept under instance/ so sessions survive restarts in development.

    Several processes may start at once on a fresh checkout (the test workers, a server and its CLI): the key is
    written whole to a private temporary file and linked into place, so no process ever reads a half-written or
    empty file, and the first one to link wins for all."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    if not _DEV_SECRET_FILE.exists():
        temporal = INSTANCE_DIR / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as archivo:
            archivo.write(secrets.token_urlsafe(48))
        try:
            os.link(temporal, _DEV_SECRET_FILE)
        except FileExistsError:
            pass
        finally:
            temporal.unlink()
    return _DEV_SECRET_FILE.read_text().strip()


def secreto_debil(clave: str) -> bool:
    """True if `clave` cannot be a random secret: short, few distinct characters, one short piece repeated
    ("a" * 32, "abcd" * 8, "0123456789abcdef" * 2), or under 80 bits of character entropy (the per-character
    estimate undercounts short random keys: 32 random hex characters score ~115 bits)."""
    import math
    from collections import Counter

    if len(clave) < 32 or len(set(clave)) < 8:
        return True
    bits = -sum(n * math.log2(n / len(clave)) for n in Counter(clave).values())
    repetido = any(clave == (clave[:p] * (len(clave) // p + 1))[: len(clave)] for p in range(1, len(clave) // 2 + 1))
    return bits < 80 or repetido


def _validar_contrasena(clave: str) -> None:
    from app.security.fab_vistas import validar_complejidad

    validar_complejidad(clave)


class Config:
    APP_ENV = "development"
    APP_NAME = "InvimÁgil"
    APP_ICON = ""
    APP_THEME = ""

    PORT = int(os.environ.get("PORT", "5000"))
    PUBLIC_URL = (os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")

    SECRET_KEY = os.environ.get("SECRET_KEY") or ""
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or ""
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # pool_pre_ping: a pooled connection the server closed (restart, firewall) is replaced before a request uses it.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions: signed cookies, short-lived, not readable by scripts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600 * 8

    # Security headers on every response (app/web/cabeceras.py). Scripts: the app's and FAB's own files, plus inline
    # blocks carrying the per-request nonce (added to script-src). Styles need 'unsafe-inline' because FAB's
    # templates and Bootstrap/select2 use style="" attributes. HSTS only in production (ProductionConfig).
    CONTENT_SECURITY_POLICY = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    REFERRER_POLICY = "same-origin"
    STRICT_TRANSPORT_SECURITY = None

    # Flask-AppBuilder
    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.InvimaSecurityManager"
    # Permissions are written by `flask seed` (after migrations), never on import.
    FAB_UPDATE_PERMS = False
    FAB_CREATE_DB = False
    FAB_ADD_SECURITY_API = False
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_BASE_TEMPLATE = "base_invima.html"
    FAB_INDEX_VIEW = "app.views.flows.inicio.InicioView"
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "America/Bogota"
    # Loaded after FAB's own (stale) Spanish catalog, so the app's strings override it.
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = {"es": {"flag": "co", "name": "Español"}}
    FAB_ROLES = {}
    # FAB's own password forms (admin reset) use the manual's policy (app/services/cuentas/contrasenas.py).
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = staticmethod(_validar_contrasena)

    # Accounts
    LOGIN_MAX_INTENTOS = int(os.environ.get("LOGIN_MAX_INTENTOS", "5"))
    LOGIN_BLOQUEO_MINUTOS = int(os.environ.get("LOGIN_BLOQUEO_MINUTOS", "15"))
    PIN_VIGENCIA_HORAS = 24
    PIN_MAX_INTENTOS = 5
    RECUPERACION_VIGENCIA_MINUTOS = 60
    CAMBIO_CORREO_VIGENCIA_MINUTOS = 60
    EDAD_MINIMA_ANOS = 18

    # Companies: invitations and the documents attached at registration (PDF, content-addressed by SHA-256).
    INVITACION_VIGENCIA_DIAS = int(os.environ.get("INVITACION_VIGENCIA_DIAS", "15"))
    DOCUMENTOS_DIR = os.environ.get("DOCUMENTOS_DIR") or str(INSTANCE_DIR / "documentos")
    DOCUMENTO_MAX_BYTES = int(os.environ.get("DOCUMENTO_MAX_BYTES", str(10 * 1024 * 1024)))
    # Attachments of a form not yet submitted successfully wait in DOCUMENTOS_DIR/tmp/<persona>/ (one form's worth
    # per person); untouched this many hours, they are deleted on the next upload.
    DOCUMENTO_RETENCION_HORAS = float(os.environ.get("DOCUMENTO_RETENCION_HORAS", "24"))
    # Whole request (several attachments at once); beyond it Flask answers 413 with the Spanish error page.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(4 * 10 * 1024 * 1024)))

    # Constancias de radicación are signed PDFs (app/services/firma_pdf.py). Production: the Invima's PKCS#12 file
    # and its password, kept with the other secrets. Without it, a self-signed development certificate is created
    # once in FIRMA_DIR (git-ignored under instance/); production refuses to sign with it.
    CONSTANCIA_PKCS12 = os.environ.get("CONSTANCIA_PKCS12") or None
    CONSTANCIA_PKCS12_CLAVE = os.environ.get("CONSTANCIA_PKCS12_CLAVE") or None
    FIRMA_DIR = os.environ.get("FIRMA_DIR") or str(INSTANCE_DIR / "firma")

    # Rate limits per IP (Flask-Limiter); storage in memory unless RATELIMIT_STORAGE_URI.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LIMITE_LOGIN = os.environ.get("LIMITE_LOGIN", "20 per minute")
    LIMITE_REGISTRO = os.environ.get("LIMITE_REGISTRO", "30 per minute")
    LIMITE_RECUPERACION = os.environ.get("LIMITE_RECUPERACION", "10 per minute")
    LIMITE_PIN = os.environ.get("LIMITE_PIN", "10 per minute")
    # Public verification of constancias (radicado + code, or an uploaded PDF): anyone may ask, nobody may guess.
    LIMITE_VERIFICACION = os.environ.get("LIMITE_VERIFICACION", "30 per minute")

    # Reverse proxies in front of the app (nginx…): how many of them set X-Forwarded-For / -Proto. With 0 those
    # headers are ignored; with N, request.remote_addr (rate limits, audit IP) is the client the N-th proxy saw.
    # Checked (a whole number ≥ 0) when the app is created: app/web/proxies.py.
    PROXIES_CONFIABLES = os.environ.get("PROXIES_CONFIABLES") or 0

    # CAPTCHA
    CAPTCHA_TEST_CODE = os.environ.get("CAPTCHA_TEST_CODE") or None
    CAPTCHA_LONGITUD = 5

    # Mail (Flask-Mail through the outbox)
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = False
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "InvimÁgil <no-responder@invimagil.local>"
    # Flask-Mail silently drops every message when TESTING is on; the outbox decides instead (tests use a real
    # SMTP sink; without MAIL_SERVER messages stay in the local mailbox).
    MAIL_SUPPRESS_SEND = False
    # Seconds each SMTP operation (connect, greeting, every command) may wait: a hung server cannot stop the outbox.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    OUTBOX_MAX_INTENTOS = 8
    # A worker claims a batch for this long; if it dies, the messages are tried again after it (app/services/outbox.py).
    OUTBOX_RECLAMO_SEGUNDOS = 300
    OUTBOX_INTERVALO_SEGUNDOS = 2.0

    INSTANCE_DIR = str(INSTANCE_DIR)


class DevelopmentConfig(Config):
    APP_ENV = "development"


class TestingConfig(Config):
    APP_ENV = "testing"
    TESTING = True
    LIMITE_LOGIN = "1000 per minute"
    LIMITE_REGISTRO = "1000 per minute"
    LIMITE_RECUPERACION = "1000 per minute"
    LIMITE_PIN = "1000 per minute"
    LIMITE_VERIFICACION = "1000 per minute"


class ProductionConfig(Config):
    APP_ENV = "production"
    FAB_UPDATE_PERMS = False
    SESSION_COOKIE_SECURE = True
    # Templates are compiled once per process, never re-checked on disk, even if FLASK_DEBUG is set by mistake.
    TEMPLATES_AUTO_RELOAD = False
    # Browsers remember to use only HTTPS for the portal (a year); the API's Swagger page is not published.
    STRICT_TRANSPORT_SECURITY = os.environ.get("STRICT_TRANSPORT_SECURITY") or "max-age=31536000; includeSubDomains"
    FAB_API_SWAGGER_UI = False


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(app_env: str | None = None) -> type[Config]:
    """Pick the settings class and refuse unsafe production settings."""
    app_env = (app_env or os.environ.get("APP_ENV") or "development").strip().lower()
    if app_env not in CONFIGS:
        raise ConfigurationError(f"APP_ENV desconocido: {app_env!r} (use development, testing o production)")
    cfg = CONFIGS[app_env]
    if app_env == "production":
        if secreto_debil(cfg.SECRET_KEY):
            raise ConfigurationError(
                "APP_ENV=production exige SECRET_KEY aleatoria (al menos 32 caracteres generados al azar). "
                "Genere una con: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        if cfg.CAPTCHA_TEST_CODE:
            raise ConfigurationError("CAPTCHA_TEST_CODE no se permite con APP_ENV=production: quítelo del entorno.")
        if not cfg.SQLALCHEMY_DATABASE_URI:
            raise ConfigurationError("APP_ENV=production exige DATABASE_URL.")
    elif not cfg.SECRET_KEY:
        cfg.SECRET_KEY = _dev_secret_key()
    return cfg
