"""Configuration by environment: production refuses unsafe settings with a clear message."""

from __future__ import annotations

import importlib
import secrets

import pytest

CLAVE_ALEATORIA = secrets.token_urlsafe(48)


def _cargar(monkeypatch, **entorno):
    for nombre in ("SECRET_KEY", "CAPTCHA_TEST_CODE", "DATABASE_URL", "PUBLIC_URL", "PORT", "MAIL_USE_TLS"):
        monkeypatch.delenv(nombre, raising=False)
    for nombre, valor in entorno.items():
        monkeypatch.setenv(nombre, valor)
    import config

    return importlib.reload(config)


@pytest.fixture(autouse=True)
def _config_como_estaba():
    """Put back the module's own objects after the reloads: the app imported ConfigurationError and friends from it,
    and a test that runs later in this process (pytest-xdist mixes the folders) must find the same classes."""
    import config

    antes = dict(vars(config))
    yield
    vars(config).clear()
    vars(config).update(antes)


def test_produccion_sin_secret_key_no_arranca(monkeypatch):
    config = _cargar(monkeypatch, DATABASE_URL="postgresql+psycopg://x@localhost/y")
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.load_config("production")


def test_produccion_rechaza_captcha_de_prueba(monkeypatch):
    config = _cargar(
        monkeypatch,
        SECRET_KEY=CLAVE_ALEATORIA,
        CAPTCHA_TEST_CODE="PRUEBA",
        DATABASE_URL="postgresql+psycopg://x@localhost/y",
    )
    with pytest.raises(config.ConfigurationError, match="CAPTCHA_TEST_CODE"):
        config.load_config("production")


def test_produccion_con_valores_reales_arranca(monkeypatch):
    config = _cargar(monkeypatch, SECRET_KEY=CLAVE_ALEATORIA, DATABASE_URL="postgresql+psycopg://x@localhost/y")
    cfg = config.load_config("production")
    assert cfg.SESSION_COOKIE_SECURE is True
    assert cfg.CAPTCHA_TEST_CODE is None


def test_public_url_por_defecto_usa_el_puerto(monkeypatch):
    config = _cargar(monkeypatch, PORT="5123")
    cfg = config.load_config("development")
    assert cfg.PUBLIC_URL == "http://127.0.0.1:5123"
    assert cfg.SECRET_KEY  # generated and kept under instance/ in development


def test_app_env_desconocido(monkeypatch):
    config = _cargar(monkeypatch)
    with pytest.raises(config.ConfigurationError, match="APP_ENV"):
        config.load_config("staging")


def test_mail_use_tls_se_lee_del_entorno(monkeypatch):
    config = _cargar(monkeypatch, MAIL_USE_TLS="true")
    assert config.load_config("development").MAIL_USE_TLS is True


@pytest.mark.parametrize(
    "clave",
    ["a" * 32, "a" * 64, "abcd" * 8, "0123456789abcdef" * 2, "Password1234Password1234Password", "x" * 31],
)
def test_produccion_rechaza_secret_key_sin_entropia(monkeypatch, clave):
    config = _cargar(monkeypatch, SECRET_KEY=clave, DATABASE_URL="postgresql+psycopg://x@localhost/y")
    with pytest.raises(config.ConfigurationError, match="aleatoria"):
        config.load_config("production")


@pytest.mark.parametrize(
    "clave",
    [secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)],
    ids=["hex16", "hex32", "urlsafe32", "urlsafe48"],  # stable names: pytest-xdist's workers must collect the same
)
def test_produccion_acepta_claves_generadas_con_secrets(clave):
    import config

    assert not config.secreto_debil(clave)


def _arrancar(carpeta, barrera, cola):
    from pathlib import Path

    import config

    config.INSTANCE_DIR = Path(carpeta)
    config._DEV_SECRET_FILE = Path(carpeta) / "secret_key"
    barrera.wait()
    cola.put(config._dev_secret_key())


def test_procesos_que_arrancan_a_la_vez_leen_la_misma_clave_completa(tmp_path):
    """A fresh checkout: the test workers create instance/secret_key at the same moment. None may read it empty
    or a different key than the one that stays on disk."""
    import multiprocessing

    contexto = multiprocessing.get_context("fork")
    for ronda in range(15):
        carpeta = tmp_path / f"instance{ronda}"
        barrera, cola = contexto.Barrier(6), contexto.Queue()
        procesos = [contexto.Process(target=_arrancar, args=(str(carpeta), barrera, cola)) for _ in range(6)]
        for proceso in procesos:
            proceso.start()
        claves = {cola.get(timeout=20) for _ in procesos}
        for proceso in procesos:
            proceso.join(timeout=20)
        assert claves == {(carpeta / "secret_key").read_text()}, f"ronda {ronda}: {claves}"
        assert len(claves.pop()) >= 60
        assert [p.name for p in carpeta.iterdir()] == ["secret_key"]
