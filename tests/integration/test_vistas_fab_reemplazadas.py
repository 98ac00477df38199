"""FAB's self-service password and profile forms cannot bypass the manual's rules."""

from __future__ import annotations

import pytest
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from app.security.fab_vistas import validar_complejidad


def test_reset_my_password_de_fab_lleva_a_cambiar_contrasena(cliente_usuario):
    r = cliente_usuario.get("/resetmypassword/form")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/perfil/contrasena/")


def test_editar_mi_informacion_de_fab_lleva_a_mi_perfil(cliente_usuario):
    r = cliente_usuario.get("/userinfoeditview/form")
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/perfil/")


def test_quien_ya_ingreso_y_abre_el_login_sigue_a_next_solo_dentro_del_sitio(cliente_usuario):
    assert cliente_usuario.get("/login/?next=/perfil/").headers["Location"].endswith("/perfil/")
    assert "evil.example" not in cliente_usuario.get("/login/?next=https://evil.example/").headers["Location"]


def test_validador_de_fab_aplica_la_politica_del_manual():
    with pytest.raises(PasswordComplexityValidationError, match="al menos un número"):
        validar_complejidad("Clavesegura#")
    validar_complejidad("Clave#2026x")


def test_las_cajas_de_confirmacion_de_fab_estan_en_espanol(cliente_admin):
    html = cliente_admin.get("/administracion/paises/list/").get_data(as_text=True)
    assert 'id="modal-confirm"' in html and ">Cancelar</button>" in html and ">Aceptar</a>" in html
    assert ">Cancel</button>" not in html and ">OK</" not in html
