"""Public verification of administrative acts (issue 13 §4–§5): the act's QR opens its public facts with no session,
a wrong code says exactly what an unknown act says, the consulta is rate limited, and an uploaded act or constancia
de notificación is recognised only when it is the very file the Invima issued."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfWriter

from app.extensions import db
from app.models.actos import CLASE_REQUERIMIENTO
from app.services.expedientes import verificacion
from tests.factories_actos import acto_de_prueba, notificacion_de_prueba
from tests.factories_expedientes import expediente_de_prueba
from tests.helpers import texto

RADICADO = "2026-000123"


@pytest.fixture
def expediente(app, cliente_empresa_a):
    """A radicado expediente of «Empresa A»."""
    with app.app_context():
        expediente = expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, radicado=RADICADO)
        expediente.empresa  # noqa: B018 - loaded before leaving the session: titular_nombre reads it
        db.session.expunge(expediente)
    return expediente


@pytest.fixture
def resolucion(app, expediente):
    with app.app_context():
        return acto_de_prueba(app, db.session.merge(expediente), numero=12)


def _ruta(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:5000")


def _csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', texto(client.get("/consulta/"))).group(1)


def _subir(client, contenido: bytes):
    return client.post(
        "/consulta/verificar-pdf",
        data={"csrf_token": _csrf(client), "constancia": (io.BytesIO(contenido), "acto.pdf")},
        content_type="multipart/form-data",
    )


def _alterado(contenido: bytes) -> bytes:
    alterado = bytearray(contenido)
    alterado[len(alterado) // 3] ^= 0x01
    return bytes(alterado)


def test_el_qr_del_acto_abre_sus_datos_publicos_sin_sesion(client, resolucion):
    assert "/consulta/acto/Resolucion-" in resolucion.url and f"codigo={resolucion.codigo}" in resolucion.url
    r = client.get(_ruta(resolucion.url))
    pagina = texto(r)
    assert r.status_code == 200, pagina[:2000]
    assert resolucion.numero_texto in pagina and "Aprobación" in pagina and "Resolución" in pagina
    assert RADICADO in pagina and "Empresa A" in pagina and "Pendiente" in pagina
    assert "Que la solicitud cumple" not in pagina  # the motivación is not public


def test_otra_empresa_tambien_verifica_el_acto(cliente_empresa_b, resolucion):
    """The public lookup reads outside the tenant scope: acting as another company changes nothing."""
    r = cliente_empresa_b.get(_ruta(resolucion.url))
    assert r.status_code == 200 and "Empresa A" in texto(r)


def test_codigo_equivocado_y_acto_inexistente_dicen_lo_mismo(client, resolucion):
    numero = resolucion.numero_texto.replace("Resolución ", "Resolucion-")
    respuestas = [
        client.get(f"/consulta/acto/{numero}", query_string={"codigo": "AAAA-BBBB"}),
        client.get("/consulta/acto/Resolucion-2026-999999", query_string={"codigo": resolucion.codigo}),
        client.get("/consulta/acto/Auto-" + numero.split("-", 1)[1], query_string={"codigo": resolucion.codigo}),
        client.get("/consulta/acto/Decreto-2026-1", query_string={"codigo": resolucion.codigo}),
        client.get(f"/consulta/acto/{numero}", query_string={"codigo": "x" * 500}),
        client.get("/consulta/", query_string={"acto": "' OR 1=1 --", "codigo": resolucion.codigo}),
    ]
    for r in respuestas:
        pagina = texto(r)
        assert r.status_code == 404 and verificacion.MSG_ACTO_NO_COINCIDE in pagina
        assert "Empresa A" not in pagina and "datos-acto" not in pagina
    # Without a code: the page asks for it (400) and says nothing about the act.
    r = client.get(f"/consulta/acto/{numero}")
    assert r.status_code == 400 and "y el código de verificación impresos en él" in texto(r)
    assert "Empresa A" not in texto(r) and verificacion.MSG_ACTO_NO_COINCIDE not in texto(r)


def test_el_acto_se_consulta_como_se_escribe_en_papel(client, resolucion):
    anio, numero = resolucion.numero_texto.split()[1].split("-")
    r = client.get(
        "/consulta/", query_string={"acto": f"resolución No. {anio}-{int(numero)}", "codigo": resolucion.codigo.lower()}
    )
    assert r.status_code == 200 and "Empresa A" in texto(r)


def test_un_auto_tambien_se_verifica(app, client, expediente):
    with app.app_context():
        auto = acto_de_prueba(app, db.session.merge(expediente), numero=7, clase=CLASE_REQUERIMIENTO)
    assert "/consulta/acto/Auto-" in auto.url
    r = client.get(_ruta(auto.url))
    assert r.status_code == 200 and "Requerimiento" in texto(r) and auto.numero_texto in texto(r)


def test_la_consulta_de_actos_tiene_limite(app, client, resolucion):
    anterior = app.config["LIMITE_VERIFICACION"]
    app.config["LIMITE_VERIFICACION"] = "3 per minute"
    try:
        codigos = [client.get(_ruta(resolucion.url)).status_code for _ in range(3)]
        assert codigos == [200, 200, 200]
        r = client.get(_ruta(resolucion.url))
        assert r.status_code == 429 and "Empresa A" not in texto(r)
    finally:
        app.config["LIMITE_VERIFICACION"] = anterior


def test_subir_el_acto_autentico_alterado_o_no_emitido(app, client, expediente, resolucion):
    r = _subir(client, resolucion.pdf)
    pagina = texto(r)
    assert r.status_code == 200 and "Acto administrativo auténtico." in pagina
    assert resolucion.numero_texto in pagina and "Empresa A" in pagina
    r = _subir(client, _alterado(resolucion.pdf))
    assert r.status_code == 422 and "El acto administrativo no es válido." in texto(r) and "Empresa A" not in texto(r)
    escritor = PdfWriter(io.BytesIO(resolucion.pdf), incremental=True)
    escritor.add_metadata({"/InvimaActo": "Resolución 2026-000001"})
    salida = io.BytesIO()
    escritor.write(salida)
    r = _subir(client, salida.getvalue())
    assert r.status_code == 422 and "El acto administrativo no es válido." in texto(r)
    # Signed by us, same number, but not the file stored for it (another signature of the same act).
    with app.app_context():
        otro = acto_de_prueba(app, db.session.merge(expediente), numero=13)
    falso = otro.pdf
    with app.app_context():
        db.session.execute(db.text("UPDATE acto_administrativo SET sha256 = 'x' WHERE id = :id"), {"id": otro.acto_id})
        db.session.commit()
    r = _subir(client, falso)
    assert r.status_code == 422 and verificacion.MSG_ACTO_NO_EMITIDO in texto(r) and "Empresa A" not in texto(r)


def test_subir_la_constancia_de_notificacion(app, client, expediente, resolucion):
    with app.app_context():
        pdf = notificacion_de_prueba(app, resolucion, db.session.merge(expediente))
    r = _subir(client, pdf)
    pagina = texto(r)
    assert r.status_code == 200 and "Constancia de notificación auténtica." in pagina
    assert resolucion.numero_texto in pagina and "Surtida el" in pagina
    assert "190.24.11.8" not in pagina and "notificado@test.test" not in pagina  # printed on the PDF, not shown here
    r = _subir(client, _alterado(pdf))
    assert r.status_code == 422 and "La constancia de notificación no es válida." in texto(r)
    # The act's page now says when it was notified.
    assert "Surtida el" in texto(client.get(_ruta(resolucion.url)))


def test_constancia_de_notificacion_que_no_se_guardo_no_es_autentica(app, client, expediente, resolucion):
    with app.app_context():
        pdf = notificacion_de_prueba(app, resolucion, db.session.merge(expediente))
        db.session.execute(db.text("UPDATE notificacion SET constancia_sha256 = NULL"))
        db.session.commit()
    r = _subir(client, pdf)
    assert r.status_code == 422 and verificacion.MSG_NOTIFICACION_NO_EMITIDA in texto(r)
