"""Registrar una empresa in Chromium (issue 4 §1): a person registers a company writing its address in the signup's
«Ingrese la dirección» dialog —opened, filled and accepted from the keyboard— and then, acting as the company, sees
the composed address in «Datos de la empresa», whose «Editar» opens the same dialog prefilled with its parts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.services.empresas import alta
from tests import factories
from tests.helpers import CONTRASENA, etiqueta, pdf

pytestmark = pytest.mark.usefixtures("documentos_en_tmp")

NUMERO = "52777888"
NIT = "900373115"
RAZON_SOCIAL = "Laboratorios Sabana S.A.S."
DIRECCION = "Carrera 7 Bis # 32 - 16 Piso 4"


def _archivo(nombre: str) -> dict:
    return {"name": nombre, "mimeType": "application/pdf", "buffer": pdf(nombre)}


def test_registra_la_empresa_con_el_dialogo_de_direccion_y_la_ve_en_datos_de_la_empresa(app, pagina):
    with app.app_context():
        factories.crear_usuario(numero=NUMERO, nombres="Sandra Milena", apellidos="Cárdenas Ruiz")

    pagina.goto("/login/")
    pagina.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Identificación")).fill(NUMERO)
    pagina.get_by_label(etiqueta("Contraseña")).fill(CONTRASENA)
    pagina.get_by_role("button", name="Iniciar sesión").click()
    pagina.get_by_role("link", name="Registrar una empresa (persona jurídica)").click()
    pagina.get_by_role("heading", name="Registrar una empresa").wait_for()

    # Contacto (prefilled with the person's data), caracterización, empresa.
    pagina.get_by_label(etiqueta("Cargo")).fill("Directora técnica")
    pagina.locator("#contacto_telefono").fill("6012425000")
    pagina.get_by_label(etiqueta("Tamaño de la empresa")).select_option(label="Pequeña")
    pagina.get_by_label(etiqueta("Sector o actividad")).select_option(label="Cosméticos")
    pagina.get_by_label(etiqueta("NIT")).fill(NIT)
    pagina.locator("#digito_verificacion").fill(alta.digito_verificacion(NIT))
    pagina.get_by_label(etiqueta("Razón social")).fill(RAZON_SOCIAL)
    pagina.get_by_label(etiqueta("Correo electrónico de la empresa")).fill("contacto@sabana.test")
    pagina.get_by_label(etiqueta("Departamento")).select_option(label="Cundinamarca")
    pagina.get_by_label(etiqueta("Municipio")).locator("option", has_text="Chía").wait_for(state="attached")
    pagina.get_by_label(etiqueta("Municipio")).select_option(label="Chía")

    # «Ingrese la dirección» by keyboard: Enter on the read-only field opens the dialog, Enter in it accepts.
    direccion = pagina.locator("#direccion")
    assert direccion.get_attribute("readonly") is not None
    direccion.focus()
    pagina.keyboard.press("Enter")
    dialogo = pagina.locator("#dialogo-direccion")
    pagina.wait_for_function("() => document.activeElement.id === 'dir_rural-no'")  # focus on the answer: urban
    assert dialogo.get_by_label(etiqueta("Indicaciones")).count() == 0
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.id") == "dir_principal"
    pagina.keyboard.press("ArrowDown")
    pagina.keyboard.press("ArrowDown")  # «Calle», then «Carrera»
    assert dialogo.get_by_label(etiqueta("Principal")).input_value() == "Carrera"
    for texto in ("7", "bis", "32", "", "16", "Piso 4"):  # número, sufijo, secundario, sufijo, final, complemento
        pagina.keyboard.press("Tab")
        pagina.keyboard.type(texto)
    assert dialogo.locator("#dir-vista").text_content() == DIRECCION
    pagina.keyboard.press("Enter")
    dialogo.wait_for(state="hidden")
    assert direccion.input_value() == DIRECCION
    assert pagina.evaluate("document.activeElement.id") == "direccion"

    # Representante legal: the person herself. Documents, terms, finish.
    pagina.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Número de identificación")).fill(NUMERO)
    pagina.get_by_label(etiqueta("Nombre(s)")).fill("Sandra Milena")
    pagina.get_by_label(etiqueta("Apellido(s)")).fill("Cárdenas Ruiz")
    pagina.locator("#doc_nit_rut").set_input_files(_archivo("RUT.pdf"))
    pagina.locator("#doc_cedula_representante").set_input_files(_archivo("cedula RL.pdf"))
    pagina.locator("#doc_cedula_contacto").set_input_files(_archivo("cedula contacto.pdf"))
    pagina.locator("#acepta_terminos").check()
    pagina.get_by_role("button", name="Finalizar registro").last.click()
    pagina.get_by_role("heading", name="Registro de empresa exitoso").wait_for()
    pagina.get_by_text(f"{DIRECCION}, Chía (Cundinamarca)").wait_for()

    # Acting as the company: «Datos de la empresa» shows the address; «Ingrese la dirección» opens with its parts.
    pagina.locator(".navbar").get_by_role("link", name="Cambiar").click()
    pagina.get_by_label(re.compile(rf"Persona jurídica: {re.escape(RAZON_SOCIAL)}")).check()
    pagina.get_by_role("button", name="Continuar").click()
    pagina.get_by_text(f"Ahora actúa como {RAZON_SOCIAL.rstrip('.')}.").wait_for()
    pagina.goto("/empresa/datos/")
    assert pagina.locator("#direccion").input_value() == DIRECCION
    pagina.get_by_role("button", name="Ingrese la dirección").click()
    dialogo.get_by_role("heading", name="Ingrese la dirección").wait_for()
    assert dialogo.get_by_label(etiqueta("Principal")).input_value() == "Carrera"
    assert dialogo.get_by_label(etiqueta("Sufijo")).input_value() == "bis"
    # Wait for the dialog to finish opening (it moves the focus into itself) before typing, as a person would.
    expect(dialogo.locator(":focus")).to_have_count(1)
    dialogo.get_by_label(etiqueta("Número final")).fill("18")
    expect(dialogo.locator("#dir-vista")).to_have_text("Carrera 7 Bis # 32 - 18 Piso 4")
    dialogo.get_by_role("button", name="Aceptar").click()
    dialogo.wait_for(state="hidden")
    expect(pagina.locator("#direccion")).to_have_value("Carrera 7 Bis # 32 - 18 Piso 4")
    pagina.get_by_role("button", name="Actualizar").last.click()
    pagina.get_by_text("Los datos de la empresa se actualizaron correctamente.").wait_for()
    assert pagina.locator("#direccion").input_value() == "Carrera 7 Bis # 32 - 18 Piso 4"
