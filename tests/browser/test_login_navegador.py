"""Login in a real browser, keyboard only."""

from __future__ import annotations

from tests import factories
from tests.helpers import etiqueta


def test_login_con_teclado_y_cierre_de_sesion(app, pagina):
    with app.app_context():
        usuario = factories.crear_usuario(nombres="Ana Lucía", apellidos="Rojas")
    pagina.goto("/login/")
    pagina.get_by_label("Tipo de identificación").select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Identificación")).fill(usuario.numero_identificacion)
    pagina.get_by_label(etiqueta("Contraseña")).fill(factories.CONTRASENA)
    pagina.keyboard.press("Enter")
    pagina.get_by_role("heading", name="Bienvenido(a), Ana Lucía").wait_for()
    assert pagina.locator(".actuando-como").inner_text().strip().endswith("Persona natural")
    pagina.get_by_role("button", name="Cerrar sesión").click()
    pagina.get_by_text("Sesión cerrada.").wait_for()
    assert pagina.url.endswith("/login/")
