"""The checklist verification in Chromium (issue 13 §2): a Revisor legal opens a radicated expediente, sees the
document beside the list, records a verification without reloading (fetch) and a «No cumple» without observación is
refused next to its row; on a phone the two columns stack.

With INVIMA_CAPTURAS=1 the screen is saved as PNGs in test-artifacts/ at 1280 px and 375 px."""

from __future__ import annotations

import os
import pathlib
from types import SimpleNamespace

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app.extensions import db
from app.models.revision import VerificacionRequisito
from tests import factories, factories_empresas
from tests.helpers import ingresar
from tests.helpers_revision import PLAGUICIDAS, crear_funcionario, radicado
from tests.integration.test_verificacion_revision import de_parte

NUMERO = "80111222"


def _violaciones_graves(pagina) -> list[str]:
    """axe-core's critical, serious and moderate violations of the page as it stands (as test_accesibilidad.py)."""
    if not pagina.evaluate("() => typeof window.axe === 'object'"):
        pagina.evaluate(Axe().axe_script)
    violaciones = pagina.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [
        f"{v['id']} [{v['impact']}] {v['help']} → {v['nodes'][0]['target']}"
        for v in violaciones
        if v["impact"] in ("critical", "serious", "moderate")
    ]


def _captura(pagina, nombre: str) -> None:
    if os.environ.get("INVIMA_CAPTURAS"):
        destino = pathlib.Path("test-artifacts")
        destino.mkdir(exist_ok=True)
        pagina.screenshot(path=str(destino / f"verificacion-{nombre}.png"), full_page=True)


def test_revisor_legal_verifica_en_el_navegador(app, pagina, documentos_en_tmp):
    with app.app_context():
        administrador = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador, razon_social="Fumigaciones del Caribe S.A.S.")
        solicitante = SimpleNamespace(usuario=SimpleNamespace(id=administrador.id), empresa_id=empresa.id)
        crear_funcionario("Revisor legal", (PLAGUICIDAS,), codigo="L-777", numero=NUMERO)
    expediente_id = radicado(
        app, solicitante, documentos=3, bajo_insistencia="El concepto toxicológico sigue en trámite ante el INS."
    )
    clave, otra = de_parte(app, expediente_id, "legal")[:2]

    ingresar(pagina, NUMERO, "Persona natural")
    pagina.goto(f"/revision/expedientes/{expediente_id}/")
    pagina.get_by_role("heading", name="Lista de chequeo").wait_for()
    assert pagina.locator("iframe.visor-pdf").count() == 1
    assert pagina.get_by_text("BAJO INSISTENCIA").is_visible()
    _captura(pagina, "1280")
    assert not _violaciones_graves(pagina)
    antes = pagina.locator("iframe.visor-pdf").get_attribute("src")
    enlaces = pagina.locator("a.ver-en-visor")
    enlaces.nth(enlaces.count() - 1).click()  # the frame beside the list shows another document, no reload
    assert pagina.locator("iframe.visor-pdf").get_attribute("src") != antes

    fila = pagina.locator(f"#requisito-{clave}")
    fila.get_by_label("Cumple", exact=True).check()
    fila.get_by_label("Observación").fill("Vigente, expedido hace 30 días.")
    fila.get_by_role("button", name="Guardar").click()
    fila.get_by_text("Verificación guardada: Cumple.").wait_for()
    with app.app_context():
        guardada = db.session.scalar(select(VerificacionRequisito).where(VerificacionRequisito.clave == clave))
        assert guardada.observacion == "Vigente, expedido hace 30 días."

    fila = pagina.locator(f"#requisito-{otra}")
    fila.get_by_label("No cumple", exact=True).check()
    fila.get_by_role("button", name="Guardar").click()
    fila.get_by_text("Escriba la observación: es obligatoria cuando el requisito no cumple.").wait_for()

    pagina.set_viewport_size({"width": 375, "height": 800})
    pagina.reload()
    pagina.get_by_role("heading", name="Lista de chequeo").wait_for()
    ancho = pagina.evaluate("document.documentElement.scrollWidth")
    assert ancho <= 375, f"la pantalla se desborda a lo ancho en un teléfono ({ancho} px)"
    _captura(pagina, "375")
    assert not _violaciones_graves(pagina)
