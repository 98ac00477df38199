"""Filing in Chromium (issue 12 §4): a company member files a registro de plaguicida de uso doméstico — every section
of the FM003 form, the checklist with its PDFs — radicates it, opens the signed constancia and follows its QR to the
public verification page, where the constancia itself is also accepted and a modified copy refused.

With INVIMA_CAPTURAS=1 the steps are saved as PNGs in test-artifacts/ (to look at the pages)."""

from __future__ import annotations

import io
import os
import pathlib
import re

from pypdf import PdfReader

from tests import factories, factories_empresas
from tests.helpers import etiqueta, ingresar, pdf

RAZON_SOCIAL = "Fumigaciones del Caribe S.A.S."
NUMERO = "79333444"
NOTIFICACION = re.compile("Autorizo al Invima")


def _captura(pagina, nombre: str) -> None:
    if os.environ.get("INVIMA_CAPTURAS"):
        destino = pathlib.Path("test-artifacts")
        destino.mkdir(exist_ok=True)
        pagina.screenshot(path=str(destino / f"expediente-{nombre}.png"), full_page=True)


def _seccion(pagina, titulo: str, campos: dict[str, str], elecciones: dict[str, str] | None = None) -> None:
    pagina.get_by_role("link", name=re.compile(rf"(Completar|Revisar) {re.escape(titulo)}")).click()
    pagina.get_by_role("heading", name=titulo).wait_for()
    for etiqueta_campo, valor in campos.items():
        pagina.get_by_label(etiqueta(etiqueta_campo), exact=False).first.fill(valor)
    for etiqueta_campo, opcion in (elecciones or {}).items():
        campo = etiqueta_campo if isinstance(etiqueta_campo, re.Pattern) else etiqueta(etiqueta_campo)
        pagina.get_by_label(campo).first.select_option(opcion)  # by value or by label
    _captura(pagina, titulo.split()[0])
    pagina.get_by_role("button", name="Guardar sección").click()
    pagina.get_by_text(f"Sección «{titulo}» guardada.").wait_for()


def _llenar_formulario(pagina) -> None:
    _seccion(
        pagina,
        "1.1 Datos generales del titular",
        {
            "Dirección": "Carrera 54 # 72-80",
            "Domicilio (ciudad)": "Barranquilla",
            "Dirección de notificación": "Carrera 54 # 72-80",
            "Domicilio de notificación (ciudad)": "Barranquilla",
            "Teléfono": "6053601111",
        },
    )
    _seccion(
        pagina,
        "1.2 Responsable de la transacción bancaria",
        {
            "Nombre": "Camilo Restrepo",
            "C.C. / C.E. / NIT / PEP": "CC 79333444",
            "Dirección": "Carrera 54 # 72-80",
            "Teléfono": "6053601111",
            "Ciudad": "Barranquilla",
            "No. consignación (referencia)": "PSE-20261203-01",
            "Valor (pesos)": "1850000",
        },
        {"Código de la tarifa": "3006", "Autorización de uso de la tasa de un tercero al titular": "No"},
    )
    pagina.get_by_role("link", name=re.compile(r"Completar Datos del producto")).click()
    pagina.get_by_label(etiqueta("Nombre del producto")).fill("Insecticida Brisa Marina")
    pagina.get_by_label(etiqueta("Marca"), exact=True).fill("Brisa")
    pagina.get_by_label(re.compile("Tipo de producto")).fill("Insecticida")
    pagina.get_by_label(etiqueta("Presentaciones comerciales")).fill("Aerosol 400 ml y 250 ml")
    pagina.get_by_label(re.compile("existe o existió")).select_option(label="No")
    pagina.get_by_label("Rol (fila 1)").select_option(label="Fabricante")
    pagina.get_by_label("Nombre o razón social (fila 1)").fill("Químicos del Caribe S.A.")
    pagina.get_by_label("Dirección (fila 1)").fill("Vía 40 # 70-10")
    pagina.get_by_label("Ciudad / país (fila 1)").fill("Barranquilla / Colombia")
    # Four rows at first; «Agregar fila» shows the next one (up to 20) and puts the cursor in it.
    assert pagina.get_by_label("Rol (fila 4)").is_visible() and not pagina.get_by_label("Rol (fila 5)").is_visible()
    pagina.get_by_role("button", name="Agregar fila").click()
    assert pagina.get_by_label("Rol (fila 5)").is_visible()
    assert pagina.evaluate("() => document.activeElement.id").startswith("roles-4-")
    _captura(pagina, "producto")
    pagina.get_by_role("button", name="Guardar sección").click()
    pagina.get_by_text("Sección «Datos del producto» guardada.").wait_for()
    _seccion(
        pagina,
        "Notificación electrónica",
        {"Correo electrónico de notificación": "notificaciones@fumicaribe.test"},
        {NOTIFICACION: "Sí"},
    )
    pagina.get_by_role("link", name=re.compile(r"Completar Declaración")).click()
    pagina.get_by_role("heading", name="Declaración").wait_for()
    for caja in pagina.locator("#form-seccion input[type=checkbox]").all():
        caja.check()
    pagina.get_by_role("button", name="Guardar sección").click()
    _captura(pagina, "declaracion")
    pagina.get_by_text("Sección «Declaración» guardada.").wait_for()


def _adjuntar_documentos(pagina, carpeta: pathlib.Path) -> int:
    filas = pagina.locator("table.tabla-checklist tbody tr").filter(has=pagina.locator("input[type=file]"))
    obligatorias = [f.get_attribute("id") for f in filas.all() if "cuando aplique" not in f.inner_text()]
    for i, fila_id in enumerate(obligatorias):
        archivo = carpeta / f"documento-{i}.pdf"
        archivo.write_bytes(pdf(f"documento {i}", paginas=1 + i % 3))
        fila = pagina.locator(f"#{fila_id}")
        fila.locator("input[type=file]").set_input_files(str(archivo))
        fila.get_by_role("button", name="Adjuntar").click()
        pagina.get_by_text(re.compile(r"Documento «.*» guardado")).first.wait_for()
    return len(obligatorias)


def test_una_empresa_radica_un_registro_de_plaguicida_y_verifica_su_constancia(app, navegador, servidor, tmp_path):
    with app.app_context():
        admin = factories.crear_usuario(numero=NUMERO, nombres="Camilo", apellidos="Restrepo")
        factories_empresas.crear_empresa(administrador=admin, razon_social=RAZON_SOCIAL)
    contexto = navegador.new_context(base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900})
    contexto.set_default_timeout(20_000)
    pagina = contexto.new_page()
    try:
        ingresar(pagina, NUMERO, "Persona jurídica")
        pagina.get_by_text(f"Usted actúa como {RAZON_SOCIAL}").wait_for()
        pagina.goto("/expedientes/nuevo")
        selector = pagina.get_by_label(re.compile("Clase y tipo de trámite"))
        opcion = selector.locator(
            "optgroup[label='Plaguicidas de uso doméstico'] option", has_text="Solicitud del registro"
        )
        selector.select_option(value=opcion.get_attribute("value"))
        pagina.get_by_role("button", name="Continuar").click()
        pagina.get_by_label("Fabricar y vender (Nacional)").check()
        _captura(pagina, "nuevo")
        pagina.get_by_role("button", name="Crear borrador").click()
        pagina.get_by_text("Borrador creado.").wait_for()

        _llenar_formulario(pagina)
        adjuntos = _adjuntar_documentos(pagina, tmp_path)
        assert adjuntos >= 15
        _captura(pagina, "borrador")
        pagina.get_by_role("button", name="Radicar").click()
        aviso = pagina.get_by_text(re.compile(r"Solicitud radicada con el número \d{4}-\d{6}"))
        aviso.wait_for()
        radicado = re.search(r"\d{4}-\d{6}", aviso.inner_text()).group(0)
        _captura(pagina, "radicado")
        pagina.get_by_role("link", name="← Mis expedientes").click()
        pagina.get_by_role("link", name=radicado).wait_for()
        _captura(pagina, "mis-expedientes")
        pagina.get_by_role("link", name=radicado).click()
        pagina.get_by_role("heading", name=re.compile(f"Radicado {radicado}")).wait_for()

        # The constancia, as the applicant downloads it.
        respuesta = pagina.request.get(pagina.get_by_role("link", name="Descargar").get_attribute("href"))
        assert respuesta.status == 200 and respuesta.headers["content-type"] == "application/pdf"
        contenido = respuesta.body()
        texto_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)
        assert radicado in texto_pdf and RAZON_SOCIAL in texto_pdf
        url_qr = re.search(r"(http://\S+/consulta/radicado/\S+codigo=[A-Z0-9-]{9})", texto_pdf.replace("\n", ""))
        assert url_qr, texto_pdf

        # Its QR opens the public page, with no session.
        publico = navegador.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
        visitante = publico.new_page()
        visitante.goto(url_qr.group(1).replace("http://127.0.0.1:5000", servidor))
        visitante.get_by_role("heading", name=f"Radicado {radicado}").wait_for()
        assert RAZON_SOCIAL in visitante.locator("#datos-publicos").inner_text()
        _captura(visitante, "consulta")
        archivo = tmp_path / "constancia.pdf"
        archivo.write_bytes(contenido)
        visitante.get_by_label("Constancia, auto, resolución o constancia de notificación (PDF)").set_input_files(
            str(archivo)
        )
        visitante.get_by_role("button", name="Verificar el PDF").click()
        visitante.get_by_text("Constancia auténtica.").wait_for()
        alterado = tmp_path / "alterada.pdf"
        alterado.write_bytes(contenido.replace(radicado.encode(), radicado[:-1].encode() + b"9", 1) + b"\n%")
        visitante.get_by_label("Constancia, auto, resolución o constancia de notificación (PDF)").set_input_files(
            str(alterado)
        )
        visitante.get_by_role("button", name="Verificar el PDF").click()
        visitante.get_by_text("La constancia no es válida.").wait_for()
        publico.close()
    finally:
        contexto.close()
