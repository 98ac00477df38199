"""Browser tests: the app served on 127.0.0.1 in a thread (same test database), the outbox worker running,
and Debian's chromium driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import shutil
import threading

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def servidor(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    hilo = threading.Thread(target=server.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(autouse=True)
def trabajador_de_correo(app):
    """The outbox worker, as `make run` has it, only while a browser test runs: left running, it would race the
    integration tests that send the outbox themselves (enviar_pendientes) and then look at the SMTP sink."""
    from app.services.outbox import trabajar

    app.config["OUTBOX_INTERVALO_SEGUNDOS"] = 0.3
    parar = threading.Event()
    hilo = threading.Thread(target=trabajar, args=(app,), kwargs={"parar": parar}, name="outbox-pruebas", daemon=True)
    hilo.start()
    yield
    parar.set()
    hilo.join(timeout=10)


@pytest.fixture(scope="session")
def navegador():
    ejecutable = shutil.which("chromium")
    if not ejecutable:
        pytest.fail("No se encontró Debian chromium (apt-get install chromium); .ci/run lo instala.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=ejecutable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def pagina(navegador, servidor, request):
    contexto = navegador.new_context(base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900})
    # 20 s: make test runs two browser tests at once on two cores (pytest-xdist); a wait that long is a failure.
    contexto.set_default_timeout(20_000)
    page = contexto.new_page()
    # Every browser test also checks that the Content-Security-Policy blocked nothing the page needs.
    bloqueos: list[str] = []
    page.on("console", lambda m: bloqueos.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        import pathlib

        destino = pathlib.Path("test-artifacts")
        destino.mkdir(exist_ok=True)
        page.screenshot(path=str(destino / f"{request.node.name}.png"), full_page=True)
    contexto.close()
    assert not bloqueos, f"La política de seguridad de contenido bloqueó algo: {bloqueos}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
