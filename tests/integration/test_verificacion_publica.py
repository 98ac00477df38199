"""Public verification of a constancia (issue 12 §3): by the QR's link, by radicado + code, or by uploading the PDF —
with no session; and the constancia travels attached to its mail through the real SMTP sink."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter

from app.extensions import db
from app.models.expedientes import Expediente
from app.services import outbox
from tests.helpers import texto
from tests.helpers_expedientes import adjuntar_todo, crear_borrador, llenar_formulario


def _radicado(app, cliente) -> tuple[Expediente, bytes, str]:
    """A radicado expediente, its constancia and the link its QR carries."""
    expediente_id = crear_borrador(app, cliente, "pld-registro", modalidad="Fabricar y vender")
    llenar_formulario(cliente, expediente_id, "pld-registro")
    adjuntar_todo(cliente, expediente_id)
    r = cliente.post(f"/expedientes/{expediente_id}/radicar", data={"csrf_token": cliente.csrf})
    assert r.status_code == 302, texto(r)[:2000]
    pdf = cliente.get(f"/expedientes/{expediente_id}/constancia").data
    texto_pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    enlace = re.search(r"http://\S+?/consulta/radicado/\S+?codigo=[A-Z0-9]{4}-[A-Z0-9]{4}", texto_pdf).group(0)
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        db.session.expunge(expediente)
    return expediente, pdf, enlace


def _subir(client, contenido: bytes, csrf: str):
    return client.post(
        "/consulta/verificar-pdf",
        data={"csrf_token": csrf, "constancia": (io.BytesIO(contenido), "constancia.pdf")},
        content_type="multipart/form-data",
    )


def _csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', texto(client.get("/consulta/"))).group(1)


def test_el_qr_abre_los_datos_publicos_sin_sesion(app, client, cliente_empresa_a):
    expediente, _, enlace = _radicado(app, cliente_empresa_a)
    r = client.get(enlace.removeprefix("http://127.0.0.1:5000"))
    pagina = texto(r)
    assert r.status_code == 200
    assert f"Radicado {expediente.radicado}" in pagina and "Empresa A" in pagina
    assert "Solicitud del registro sanitario" in pagina and "Radicado</dd>" in pagina
    # Nothing of the filing beyond what the constancia prints: no product, no e-mails, no payment.
    assert "Matamoscas" not in pagina and "notificaciones@empresa-a.test" not in pagina and "REF-778899" not in pagina


def test_radicado_y_codigo_equivocados_no_dicen_nada(app, client, cliente_empresa_a):
    expediente, _, enlace = _radicado(app, cliente_empresa_a)
    codigo = enlace.rsplit("=", 1)[1]
    for radicado, intento in (
        (expediente.radicado, "AAAA-BBBB"),
        ("2026-999999", codigo),
        (expediente.radicado, ""),
        ("' OR 1=1 --", codigo),
        (expediente.radicado, "x" * 500),
    ):
        r = client.get("/consulta/", query_string={"radicado": radicado, "codigo": intento})
        assert r.status_code in (400, 404) and "Empresa A" not in texto(r)
    r = client.get("/consulta/", query_string={"radicado": expediente.radicado.lower(), "codigo": codigo.lower()})
    assert r.status_code == 200 and "Empresa A" in texto(r)  # as typed from paper


def test_subir_la_constancia_autentica_y_una_alterada(app, client, cliente_empresa_a):
    expediente, pdf, _ = _radicado(app, cliente_empresa_a)
    csrf = _csrf(client)
    r = _subir(client, pdf, csrf)
    assert r.status_code == 200 and "Constancia auténtica." in texto(r) and expediente.radicado in texto(r)
    # One byte changed inside what the signature covers.
    alterado = bytearray(pdf)
    alterado[len(pdf) // 3] ^= 0x01
    r = _subir(client, bytes(alterado), csrf)
    assert r.status_code == 422 and "La constancia no es válida." in texto(r) and "Empresa A" not in texto(r)
    # An incremental update made afterwards (what an editor «saving» the PDF does).
    escritor = PdfWriter(io.BytesIO(pdf), incremental=True)
    escritor.add_metadata({"/InvimaRadicado": "2026-000999"})
    salida = io.BytesIO()
    escritor.write(salida)
    r = _subir(client, salida.getvalue(), csrf)
    assert r.status_code == 422 and "La constancia no es válida." in texto(r)
    for basura in (b"", b"%PDF-1.7 nada", b"<html>hola</html>"):
        r = _subir(client, basura, csrf)
        assert r.status_code in (400, 422) and "Empresa A" not in texto(r)
    assert client.post("/consulta/verificar-pdf", data={"csrf_token": csrf}).status_code == 400
    assert client.post("/consulta/verificar-pdf", data={}).status_code == 400  # no CSRF token


def test_la_constancia_llega_adjunta_por_correo(app, cliente_empresa_a, smtp_sink):
    expediente, pdf, _ = _radicado(app, cliente_empresa_a)
    outbox.enviar_pendientes(app)
    mensaje = smtp_sink.esperar_asunto("notificaciones@empresa-a.test", expediente.radicado)
    adjuntos = [p for p in mensaje["mensaje"].iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(adjuntos) == 1 and adjuntos[0].get_filename() == f"constancia-{expediente.radicado}.pdf"
    assert adjuntos[0].get_content() == pdf
    cuerpo = smtp_sink.texto(mensaje)
    assert expediente.radicado in cuerpo and "/consulta/" in cuerpo
    codigo = re.search(r"codigo=([A-Z0-9-]+)", _radicado_enlace(pdf)).group(1)
    assert codigo not in cuerpo  # the code travels in the signed PDF, not in the mail's text


def _radicado_enlace(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_una_consulta_con_un_campo_vacio_dice_que_falta(client):
    r = client.get("/consulta/")
    assert r.status_code == 200 and "Escriba el" not in texto(r)
    for consulta in ({"radicado": "", "codigo": ""}, {"radicado": "2026-000001", "codigo": "  "}, {"codigo": "AB"}):
        r = client.get("/consulta/", query_string=consulta)
        assert r.status_code == 400, consulta
        assert "Escriba el número de radicado y el código de verificación impresos en la constancia." in texto(r)
    r = client.get("/consulta/radicado/2026-000001")  # a QR address without its code
    assert r.status_code == 400 and "código de verificación" in texto(r)
    r = client.get("/consulta/", query_string={"acto": "Resolución 2026-000001", "codigo": ""})
    assert r.status_code == 400
    assert "Escriba el número del auto o de la resolución y el código de verificación impresos en él." in texto(r)
