"""A phone-sized window (375 × 812): the collapsed menu has a visible, named toggle that leads to Mi perfil."""

from __future__ import annotations

from tests import factories
from tests.helpers import ingresar


def test_en_un_telefono_el_boton_del_menu_se_ve_tiene_nombre_y_lleva_a_mi_perfil(app, pagina):
    with app.app_context():
        factories.crear_usuario(numero="80333444", nombres="Luz Marina")
    pagina.set_viewport_size({"width": 375, "height": 812})
    ingresar(pagina, "80333444", "Persona natural")
    pagina.get_by_role("heading", name="Bienvenido(a), Luz Marina").wait_for()
    mi_perfil = pagina.locator(".navbar").get_by_role("link", name="Mi perfil")
    assert not mi_perfil.is_visible()  # behind the toggle on a narrow screen
    boton = pagina.get_by_role("button", name="Menú")
    assert boton.is_visible()
    barra = boton.locator(".icon-bar").first
    color_barra = barra.evaluate("e => getComputedStyle(e).backgroundColor")
    fondo = pagina.locator(".navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color_barra != fondo, (color_barra, fondo)  # not white on the white navbar
    pagina.wait_for_load_state("load")  # Bootstrap's collapse bound to the button
    boton.click()
    mi_perfil.wait_for(state="visible")
    pagina.wait_for_function("() => !document.querySelector('.navbar-collapse.collapsing')")  # unfolded, not moving
    mi_perfil.click()
    pagina.get_by_role("heading", name="Mi perfil").wait_for()
    assert pagina.url.endswith("/perfil/")
