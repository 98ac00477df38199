"""Take a Chromium screenshot of a page: python tools/captura.py URL salida.png [ancho]. For looking at pages."""

import shutil
import sys

from playwright.sync_api import sync_playwright

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

if __name__ == "__main__":
    url, salida = sys.argv[1], sys.argv[2]
    ancho = int(sys.argv[3]) if len(sys.argv) > 3 else 1280
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        pagina = navegador.new_page(viewport={"width": ancho, "height": 900})
        pagina.goto(url)
        pagina.screenshot(path=salida, full_page=True)
        navegador.close()
