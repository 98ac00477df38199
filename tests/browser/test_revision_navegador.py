"""A day at the Invima in Chromium (issue 13 §6): the coordinator assigns a radicated registro de plaguicida; the
legal and the technical reviewers verify their parts and give their VoBo; a requerimiento goes out; the applicant
answers it; the legal reviewer verifies the answer again; the coordinator approves; the applicant opens the
notification link and the constancia de notificación shows that moment.

Each person has their own browser context. With INVIMA_CAPTURAS=1 the steps are saved in test-artifacts/."""

from __future__ import annotations

import io
import os
import pathlib
import re
from types import SimpleNamespace
from urllib.parse import urlparse

from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models.actos import Notificacion
from app.services.fechas import en_bogota
from tests import factories, factories_empresas
from tests.helpers import Buzon, pdf, persona_en_navegador
from tests.helpers_revision import PLAGUICIDAS, crear_funcionario, radicado

SOLICITANTE, COORDINADOR, LEGAL, TECNICO = "79555111", "80555111", "80555222", "80555333"
RAZON_SOCIAL = "Insecticidas Andinos S.A.S."
CORREO_NOTIFICACION = "notificaciones@empresa-a.test"  # FM003's «correo de notificación» (tests/helpers_expedientes.py)
MOTIVACION = "Verificada la documentación legal y técnica, el producto cumple los requisitos del Decreto 1843."


def _captura(pagina, nombre: str) -> None:
    if os.environ.get("INVIMA_CAPTURAS"):
        destino = pathlib.Path("test-artifacts")
        destino.mkdir(exist_ok=True)
        pagina.screenshot(path=str(destino / f"revision-{nombre}.png"), full_page=True)


def _verificar_su_parte(pagina, expediente_id: int, no_cumple: str | None = None) -> None:
    """Every line the reviewer may verify: «Cumple», or «No cumple» with its observación for `no_cumple`."""
    pagina.goto(f"/revision/expedientes/{expediente_id}/")
    formularios = pagina.locator("form.form-verificacion")
    assert formularios.count() > 0
    for i in range(formularios.count()):
        formulario = formularios.nth(i)
        fila = formulario.locator("xpath=ancestor::*[starts-with(@id, 'requisito-')][1]")
        clave = (fila.get_attribute("id") or "").removeprefix("requisito-")
        resultado = "No cumple" if clave == no_cumple else "Cumple"
        formulario.get_by_label(resultado, exact=True).check()
        if resultado == "No cumple":
            formulario.get_by_label("Observación").fill("El documento no está firmado por el representante legal.")
        formulario.get_by_role("button", name=re.compile("^Guardar")).click()
        fila.get_by_text(f"Verificación guardada: {resultado}.").wait_for()


def _dar_vobo(pagina, expediente_id: int, nombre: str) -> None:
    pagina.goto(f"/revision/expedientes/{expediente_id}/")
    boton = pagina.get_by_role("button", name=f"Dar VoBo {nombre}")
    boton.scroll_into_view_if_needed()
    with pagina.expect_navigation(wait_until="domcontentloaded"):
        boton.click()
    avisos = " ".join(pagina.locator(".alert").all_inner_texts())
    assert pagina.get_by_text(re.compile(f"VoBo. {nombre}:")).count(), avisos


def test_un_dia_de_revision_en_el_navegador(app, navegador, servidor, documentos_en_tmp, smtp_sink):
    with app.app_context():
        administrador = factories.crear_usuario(numero=SOLICITANTE, nombres="Lucía", apellidos="Moreno")
        empresa = factories_empresas.crear_empresa(administrador, razon_social=RAZON_SOCIAL)
        solicitante = SimpleNamespace(usuario=SimpleNamespace(id=administrador.id), empresa_id=empresa.id)
        crear_funcionario("Coordinador", (PLAGUICIDAS,), codigo="C-100", numero=COORDINADOR)
        legal = crear_funcionario("Revisor legal", (PLAGUICIDAS,), codigo="L-200", numero=LEGAL, nombres="Laura")
        crear_funcionario("Revisor técnico", (PLAGUICIDAS,), codigo="T-300", numero=TECNICO)
        legal_id = legal.id
    expediente_id = radicado(app, solicitante)
    contextos = []
    try:
        # The coordinator finds it in the queue and assigns it to the legal reviewer.
        contexto, coordinador = persona_en_navegador(navegador, servidor, COORDINADOR)
        contextos.append(contexto)
        coordinador.goto("/revision/cola/")
        coordinador.get_by_role("link", name=re.compile(r"\d{4}-\d{6}")).first.wait_for()
        _captura(coordinador, "cola")
        coordinador.goto(f"/revision/cola/asignar/?id={expediente_id}")
        coordinador.get_by_label(re.compile("Funcionario")).select_option(value=str(legal_id))
        coordinador.get_by_role("button", name="Asignar").click()
        coordinador.get_by_text(re.compile("Laura")).first.wait_for()

        # Each reviewer verifies their part; one legal document does not comply.
        contexto, revisor_legal = persona_en_navegador(navegador, servidor, LEGAL)
        contextos.append(contexto)
        revisor_legal.goto(f"/revision/expedientes/{expediente_id}/")
        filas = revisor_legal.locator("[id^='requisito-']")
        con_documento = filas.filter(has=revisor_legal.locator("form.form-verificacion")).filter(
            has=revisor_legal.locator("a.ver-en-visor")
        )
        pedido = con_documento.first.get_attribute("id").removeprefix("requisito-")  # a legal document
        _verificar_su_parte(revisor_legal, expediente_id, no_cumple=pedido)
        _dar_vobo(revisor_legal, expediente_id, "Legal")
        contexto, revisor_tecnico = persona_en_navegador(navegador, servidor, TECNICO)
        contextos.append(contexto)
        _verificar_su_parte(revisor_tecnico, expediente_id)
        _dar_vobo(revisor_tecnico, expediente_id, "Técnico")
        _captura(revisor_tecnico, "verificacion")

        # The legal reviewer drafts the requerimiento; the coordinator sends it.
        revisor_legal.goto(f"/revision/expedientes/{expediente_id}/actuaciones")
        revisor_legal.get_by_role("button", name="Guardar borrador").click()
        revisor_legal.get_by_text("Requerimiento guardado en borrador").wait_for()
        coordinador.goto(f"/revision/expedientes/{expediente_id}/actuaciones")
        coordinador.get_by_role("button", name="Aprobar y enviar el requerimiento").click()
        coordinador.get_by_text(re.compile("Requerimiento enviado como Auto")).wait_for()
        _captura(coordinador, "requerimiento")

        # The applicant answers it inside the expediente.
        contexto, titular = persona_en_navegador(navegador, servidor, SOLICITANTE, "Persona jurídica")
        contextos.append(contexto)
        titular.goto(f"/expedientes/{expediente_id}/")
        titular.get_by_role("link", name="Responder el requerimiento").click()
        punto = titular.locator(f"#punto-{pedido}")
        punto.get_by_label("Su respuesta").fill("Adjuntamos el documento firmado por el representante legal.")
        archivo = documentos_en_tmp.parent / "firmado.pdf"
        archivo.write_bytes(pdf("firmado por el representante legal", paginas=2))
        punto.get_by_label("Documento corregido (PDF)").set_input_files(str(archivo))
        punto.get_by_role("button", name="Guardar este punto").click()
        titular.get_by_text("Respuesta guardada.").wait_for()
        _captura(titular, "respuesta")
        titular.get_by_role("button", name="Enviar la respuesta al Invima").click()
        titular.get_by_text("Respuesta enviada al Invima").wait_for()

        # What was asked is verified again; the coordinator approves.
        _verificar_su_parte(revisor_legal, expediente_id)
        _dar_vobo(revisor_legal, expediente_id, "Legal")
        coordinador.goto(f"/revision/expedientes/{expediente_id}/actuaciones")
        coordinador.get_by_text("firmado.pdf").first.wait_for()  # what the answer changed, beside what was filed
        coordinador.get_by_label(re.compile("Motivación")).fill(MOTIVACION)
        coordinador.get_by_role("button", name="Aprobar").click()
        coordinador.get_by_text(re.compile(r"Acto emitido: Resolución .* \(aprobación\)")).wait_for()
        _captura(coordinador, "aprobado")

        # The applicant opens the notification link: notified at that moment.
        correo = smtp_sink.esperar_asunto(CORREO_NOTIFICACION, "Notificación electrónica: Resolución", segundos=15)
        enlace = re.search(r"(http\S+/expedientes/notificaciones/[\w-]+)", Buzon.texto(correo)).group(1)
        titular.goto(urlparse(enlace).path)
        aviso = titular.get_by_text(
            re.compile(r"Quedó notificado del acto Resolución .* el \d{4}-\d{2}-\d{2} \d{2}:\d{2}")
        )
        aviso.wait_for()
        _captura(titular, "notificado")
        with app.app_context():
            notificacion = db.session.scalar(
                select(Notificacion).where(Notificacion.expediente_id == expediente_id).order_by(Notificacion.id.desc())
            )
            momento = en_bogota(notificacion.surtida_en).strftime("%Y-%m-%d %H:%M")
            acto_id = notificacion.acto_id
        assert momento in aviso.inner_text()
        respuesta = titular.request.get(f"/expedientes/{expediente_id}/actos/{acto_id}/constancia-notificacion")
        assert respuesta.ok
        texto_pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(respuesta.body())).pages)
        assert momento in texto_pdf
    except Exception:
        destino = pathlib.Path("test-artifacts")
        destino.mkdir(exist_ok=True)
        for n, contexto in enumerate(contextos):
            for pagina in contexto.pages:
                pagina.screenshot(path=str(destino / f"revision-fallo-{n}.png"), full_page=True)
        raise
    finally:
        for contexto in contextos:
            contexto.close()
