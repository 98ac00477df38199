"""The whole personal-account journey in Chromium, as a new user would do it (issue 3 §7):
Crear cuenta (3 pasos) → correo de activación recibido por SMTP → activación con PIN → login por
identificación → Mi perfil → cerrar sesión."""

from __future__ import annotations

import re

from tests.helpers import CAPTCHA_PRUEBA, etiqueta, llenar_registro_paso_1, llenar_registro_paso_2

CORREO = "laura.gomez@correo.test"
CONTRASENA = "Invima#2026"


def test_crear_activar_ingresar_actualizar_perfil_y_salir(app, pagina, smtp_sink):
    # Login → "Crear cuenta"
    pagina.goto("/login/")
    pagina.get_by_role("link", name="Crear cuenta").click()

    # Paso 1: Información general
    pagina.get_by_text("Los siguientes datos no podrán ser modificados posteriormente").first.wait_for()
    llenar_registro_paso_1(pagina, "1032456789", CORREO)
    pagina.get_by_role("button", name="Siguiente").last.click()

    # Paso 2: Datos de ubicación (Colombia), dirección con el diálogo "Ingrese la dirección"
    llenar_registro_paso_2(pagina)
    pagina.get_by_role("button", name="Siguiente").last.click()

    # Paso 3: Términos e indicaciones; primero un CAPTCHA equivocado
    pagina.get_by_text("Ley 1581 de 2012").first.wait_for()
    pagina.get_by_label("He leído y acepto los términos y condiciones de uso.").check()
    pagina.get_by_label(etiqueta("Caracteres de verificación")).fill("ZZZZZ")
    pagina.get_by_role("button", name="Crear cuenta").click()
    pagina.get_by_text("Los caracteres de verificación no coinciden").first.wait_for()
    pagina.get_by_label("He leído y acepto los términos y condiciones de uso.").check()
    pagina.get_by_label(etiqueta("Caracteres de verificación")).fill(CAPTCHA_PRUEBA)
    pagina.get_by_role("button", name="Crear cuenta").click()

    pagina.get_by_text("Cuenta creada con éxito").wait_for()

    # El correo de activación llega al servidor SMTP (el trabajador de la bandeja de salida lo envía).
    correo = smtp_sink.esperar(CORREO, segundos=15)[0]
    texto = smtp_sink.texto(correo)
    pin = re.search(r"PIN de activación: (\d{6})", texto).group(1)
    enlace = re.search(r"(http://\S+/cuenta/activar/[\w-]{20,})", texto).group(1)
    assert pin in smtp_sink.html(correo)
    pagina.get_by_role("link", name="Finalizar").or_(pagina.get_by_role("button", name="Finalizar")).first.click()
    pagina.wait_for_url("**/login/")

    # Activación: el enlace del correo (con la ruta sobre el servidor de pruebas)
    pagina.goto(re.sub(r"^http://[^/]+", "", enlace))
    pagina.get_by_label(etiqueta("PIN de activación")).fill(pin)
    pagina.get_by_label(etiqueta("Contraseña")).fill(CONTRASENA)
    pagina.get_by_label(etiqueta("Confirmar contraseña")).fill(CONTRASENA)
    pagina.get_by_role("button", name=re.compile("Activar")).click()
    pagina.get_by_role("link", name="Finalizar").or_(pagina.get_by_role("button", name="Finalizar")).first.click()

    # Login por identificación
    pagina.wait_for_url("**/login/")
    pagina.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Identificación")).fill("1032456789")
    pagina.get_by_label(etiqueta("Contraseña")).fill(CONTRASENA)
    pagina.get_by_role("button", name="Iniciar sesión").click()
    pagina.get_by_role("heading", name="Bienvenido(a), Laura Valentina").wait_for()

    # Mi perfil: los datos de identidad son de solo lectura; se actualiza el teléfono
    pagina.get_by_role("link", name="Mi perfil").first.click()
    pagina.get_by_text("1032456789").first.wait_for()
    assert pagina.locator("input[name='numero_identificacion']").count() == 0
    pagina.get_by_label(etiqueta("Teléfono")).fill("6012425000")
    pagina.get_by_role("button", name="Actualizar").last.click()
    pagina.get_by_text("La información se actualizó correctamente.").wait_for()
    assert pagina.get_by_label(etiqueta("Teléfono")).input_value() == "6012425000"

    # Cerrar sesión
    pagina.get_by_role("button", name="Cerrar sesión").click()
    pagina.get_by_text("Sesión cerrada.").wait_for()
    pagina.goto("/perfil/")
    assert "/login/" in pagina.url
