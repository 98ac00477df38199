"""Registrar una empresa through HTTP (real PostgreSQL, real SMTP sink)."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from pypdf.actions import JavaScript
from sqlalchemy import func, select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import DocumentoEmpresa, Empresa, Membresia
from app.models.referencias import Pais
from app.services import documentos, outbox
from app.services.empresas import alta, registro
from tests import factories, factories_empresas
from tests.factories_empresas import NIT, datos_validos
from tests.helpers import cliente_de, csrf_de, pdf, pdf_con

URL = "/empresas/registrar/"

pytestmark = pytest.mark.usefixtures("documentos_en_tmp")


def _archivos(**cambios):
    archivos = {
        "doc_nit_rut": (io.BytesIO(pdf("rut")), "RUT.pdf", "application/pdf"),
        "doc_cedula_representante": (io.BytesIO(pdf("cedula rl")), "cedula RL.pdf", "application/pdf"),
        "doc_cedula_contacto": (io.BytesIO(pdf("cedula contacto")), "cedula contacto.pdf", "application/pdf"),
    }
    archivos.update(cambios)
    return {k: v for k, v in archivos.items() if v is not None}


def _enviar(app, cliente, archivos=None, accion="registrar", rl=None, **cambios):
    with app.app_context():
        datos = datos_validos(db.session, rl=rl, **cambios)
    datos["acepta_terminos"] = "y" if datos["acepta_terminos"] else ""
    datos = {k: v for k, v in datos.items() if v != ""}
    html = cliente.get(URL).get_data(as_text=True)
    datos.update(csrf_token=csrf_de(html), accion=accion)
    datos.update(_archivos() if archivos is None else archivos)
    return cliente.post(URL, data=datos, content_type="multipart/form-data")


def _persona(app, **datos):
    with app.app_context():
        return factories.crear_usuario(**datos)


def _contar(app, modelo) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(modelo))


def test_inicio_enlaza_registrar_una_empresa(app, cliente_usuario):
    html = cliente_usuario.get("/").get_data(as_text=True)
    assert "Registrar una empresa" in html and URL in html


def test_formulario_viene_con_los_datos_de_contacto_de_la_persona(app):
    persona = _persona(app, nombres="Lucía", apellidos="Martínez", email="lucia@correo.test")
    html = cliente_de(app, persona).get(URL).get_data(as_text=True)
    assert 'value="Lucía Martínez"' in html and 'value="lucia@correo.test"' in html
    for seccion in (
        "Información de contacto",
        "Caracterización",
        "Información de empresa",
        "Representante legal",
        "Documentación anexa",
        "Ley 1581 de 2012",
    ):
        assert seccion in html


def test_anonimo_es_enviado_al_login(client):
    respuesta = client.get(URL)
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def test_registro_exitoso_deja_a_la_persona_como_administrador(app, smtp_sink):
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    respuesta = _enviar(app, cliente, rl=persona)
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)
    html = cliente.get(respuesta.headers["Location"]).get_data(as_text=True)
    assert "Registro de empresa exitoso" in html and "Cosméticos Andinos S.A.S." in html
    assert f"{NIT}-{alta.digito_verificacion(NIT)}" in html
    with app.app_context():
        empresa = db.session.scalar(select(Empresa))
        [membresia] = db.session.scalars(select(Membresia)).all()
        assert (membresia.usuario_id, membresia.estado, membresia.es_representante_legal) == (
            persona.id,
            "Aceptado",
            True,
        )
        assert [r.nombre for r in membresia.roles] == ["Administrador"]
        assert sorted(d.tipo for d in db.session.scalars(select(DocumentoEmpresa))) == sorted(
            ["NIT/RUT", "Cédula del representante legal", "Cédula del contacto"]
        )
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "registro_empresa"))
        assert (fila.empresa_id, fila.usuario_id) == (empresa.id, persona.id)
    assert outbox.enviar_pendientes(app) == 0


def test_representante_legal_con_cuenta_recibe_correo_de_invitacion(app, smtp_sink):
    persona = _persona(app)
    rl = _persona(app, email="representante@andinos.test", nombres="Jorge", apellidos="Rodríguez")
    respuesta = _enviar(app, cliente_de(app, persona), rl=rl)
    assert respuesta.status_code == 302
    with app.app_context():
        pendiente = db.session.scalar(select(Membresia).where(Membresia.estado == "Pendiente"))
        assert pendiente.numero_identificacion == rl.numero_identificacion and pendiente.es_representante_legal
        assert pendiente.usuario_id == rl.id  # linked to the account: the list names Jorge, not «Sin cuenta activada»
    outbox.enviar_pendientes(app)
    [correo] = smtp_sink.esperar("representante@andinos.test")
    assert "representante legal" in correo["asunto"]
    assert "Cosméticos Andinos S.A.S." in smtp_sink.texto(correo)


def test_el_representante_legal_con_cuenta_se_nombra_como_en_su_cuenta(app):
    """QA: «Pepe Grillo» was kept as the representante legal whose identification is Jorge Rodríguez's account."""
    persona = _persona(app)
    rl = _persona(app, email="representante@andinos.test", nombres="Jorge", apellidos="Rodríguez")
    cliente = cliente_de(app, persona)
    respuesta = _enviar(app, cliente, rl=rl, rl_nombres="Pepe", rl_apellidos="Grillo")
    assert respuesta.status_code == 400 and registro.MSG_RL_NOMBRE in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 0
    respuesta = _enviar(app, cliente, rl=rl, rl_nombres="JORGE", rl_apellidos="rodriguez")  # case and accents aside
    assert respuesta.status_code == 302


def test_digito_de_verificacion_errado_muestra_mensaje_y_no_guarda_nada(app):
    cliente = cliente_de(app, _persona(app))
    dv = str((int(alta.digito_verificacion(NIT)) + 1) % 10)
    respuesta = _enviar(app, cliente, digito_verificacion=dv)
    assert respuesta.status_code == 400
    assert "El dígito de verificación no corresponde al NIT." in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 0 and _contar(app, DocumentoEmpresa) == 0


def test_documentos_obligatorios_faltantes(app):
    cliente = cliente_de(app, _persona(app))
    respuesta = _enviar(app, cliente, archivos=_archivos(doc_cedula_contacto=None, doc_cedula_representante=None))
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 400
    assert "Adjunte el documento «Cédula del contacto» en PDF." in html
    assert "Adjunte el documento «Cédula del representante legal» en PDF." in html
    assert _contar(app, Empresa) == 0


def test_los_adjuntos_validos_se_conservan_al_corregir(app):
    cliente = cliente_de(app, _persona(app))
    assert _enviar(app, cliente, razon_social="").status_code == 400
    respuesta = _enviar(app, cliente, archivos={})
    assert respuesta.status_code == 302
    assert _contar(app, DocumentoEmpresa) == 3


def test_imagen_renombrada_a_pdf_se_rechaza(app):
    cliente = cliente_de(app, _persona(app))
    falso = (io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + b"\x00" * 500), "RUT.pdf", "application/pdf")
    respuesta = _enviar(app, cliente, archivos=_archivos(doc_nit_rut=falso))
    assert respuesta.status_code == 400
    assert "debe ser un documento PDF válido" in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 0


def test_documento_mas_grande_que_el_limite_se_rechaza(app, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTO_MAX_BYTES", 1024)
    cliente = cliente_de(app, _persona(app))
    grande = (io.BytesIO(pdf("x" * 3000)), "RUT.pdf", "application/pdf")
    respuesta = _enviar(app, cliente, archivos=_archivos(doc_nit_rut=grande))
    assert respuesta.status_code == 400
    assert "supera el tamaño máximo permitido (1 KB)" in respuesta.get_data(as_text=True)


def test_envio_enorme_recibe_413_en_espanol(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 50_000)
    cliente = cliente_de(app, _persona(app))
    enorme = (io.BytesIO(pdf("x" * 80_000)), "RUT.pdf", "application/pdf")
    respuesta = _enviar(app, cliente, archivos=_archivos(doc_nit_rut=enorme))
    assert respuesta.status_code == 413
    assert "El archivo o los datos enviados son demasiado grandes." in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 0


def test_nit_ya_registrado_se_rechaza_con_409(app):
    with app.app_context():
        factories_empresas.crear_empresa(nit=NIT)
    cliente = cliente_de(app, _persona(app))
    respuesta = _enviar(app, cliente)
    assert respuesta.status_code == 409
    assert "Ya existe una empresa registrada con este NIT." in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 1 and _contar(app, Membresia) == 1


def test_doble_envio_deja_una_sola_empresa(app):
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    primero = _enviar(app, cliente, rl=persona)
    segundo = _enviar(app, cliente, rl=persona)
    assert primero.status_code == segundo.status_code == 302
    assert segundo.headers["Location"].endswith("/empresas/registrar/exito")
    assert _contar(app, Empresa) == 1 and _contar(app, Membresia) == 1 and _contar(app, DocumentoEmpresa) == 3


def test_otro_envio_con_otro_representante_legal_no_se_da_por_registrado(app):
    """QA: sending the form again with another representante legal showed «éxito» and discarded the change."""
    persona = _persona(app)
    otro = _persona(app, email="otro@andinos.test", nombres="Luis", apellidos="Mora")
    cliente = cliente_de(app, persona)
    assert _enviar(app, cliente, rl=persona).status_code == 302
    segundo = _enviar(app, cliente, rl=otro)
    assert segundo.status_code == 409 and registro.MSG_YA_REGISTRADA_POR_USTED in segundo.get_data(as_text=True)
    with app.app_context():
        empresa = db.session.scalar(select(Empresa))
        assert empresa.rl_numero_identificacion == persona.numero_identificacion
    assert _contar(app, Empresa) == 1 and _contar(app, Membresia) == 1


def test_cargar_municipios_sin_javascript_no_registra(app):
    cliente = cliente_de(app, _persona(app))
    respuesta = _enviar(app, cliente, accion="recargar")
    assert respuesta.status_code == 200
    html = respuesta.get_data(as_text=True)
    assert "Adjuntado: RUT.pdf" in html
    assert _contar(app, Empresa) == 0


def test_la_confirmacion_de_otra_persona_no_se_muestra(app):
    persona = _persona(app)
    assert _enviar(app, cliente_de(app, persona), rl=persona).status_code == 302
    otra = cliente_de(app, _persona(app))
    with otra.session_transaction() as sesion:
        with app.app_context():
            sesion["empresa_registrada"] = db.session.scalar(select(Empresa.id))
    respuesta = otra.get("/empresas/registrar/exito")
    assert respuesta.status_code == 302 and respuesta.headers["Location"].endswith(URL)


# ---------------------------------------------------------------- address: the signup's «Ingrese la dirección» dialog


def test_el_formulario_trae_el_dialogo_de_direccion(app):
    html = cliente_de(app, _persona(app)).get(URL).get_data(as_text=True)
    assert 'id="dialogo-direccion"' in html and 'data-abrir=""' in html
    assert 'name="dir_principal"' in html and 'name="dir_texto"' in html and "js/ubicacion.js" in html
    assert 'name="dir_indicaciones"' not in html  # the company keeps no «Indicaciones»
    assert re.search(r'<input[^>]*id="direccion"[^>]*readonly', html)


def test_la_direccion_se_guarda_compuesta(app):
    persona = _persona(app)
    respuesta = _enviar(app, cliente_de(app, persona), rl=persona, dir_complemento="Oficina 201")
    assert respuesta.status_code == 302
    with app.app_context():
        empresa = db.session.scalar(select(Empresa))
        assert empresa.direccion == "Calle 26 # 68D - 35 Oficina 201"
        assert empresa.direccion_componentes["principal"] == "Calle"


def test_error_en_la_direccion_reabre_el_dialogo_conserva_adjuntos_y_no_guarda_nada(app):
    cliente = cliente_de(app, _persona(app))
    respuesta = _enviar(app, cliente, dir_numero_final="", dir_sufijo="1x", direccion="Calle falsa 123")
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 400
    assert "Ingrese el número final." in html and "El sufijo solo admite letras" in html
    assert "Ingrese la dirección completa: revise los campos de «Ingrese la dirección»." in html
    assert 'data-abrir="1"' in html and "Adjuntado: RUT.pdf" in html
    assert "Calle falsa 123" not in html  # the read-only field is never taken from the post
    assert _contar(app, Empresa) == 0 and _contar(app, DocumentoEmpresa) == 0 and _contar(app, Membresia) == 0
    # Corrected without attaching again: the documents were kept.
    assert _enviar(app, cliente, archivos={}).status_code == 302
    assert _contar(app, Empresa) == 1 and _contar(app, DocumentoEmpresa) == 3


def test_otro_error_no_abre_el_dialogo(app):
    respuesta = _enviar(app, cliente_de(app, _persona(app)), razon_social="")
    assert respuesta.status_code == 400
    html = respuesta.get_data(as_text=True)
    assert 'data-abrir=""' in html and 'value="Calle 26 # 68D - 35"' in html


def test_aceptar_la_direccion_sin_javascript_muestra_la_compuesta_y_no_registra(app):
    respuesta = _enviar(app, cliente_de(app, _persona(app)), accion="direccion", dir_sufijo="bis")
    assert respuesta.status_code == 200
    html = respuesta.get_data(as_text=True)
    assert 'value="Calle 26 Bis # 68D - 35"' in html and "Adjuntado: RUT.pdf" in html
    assert _contar(app, Empresa) == 0


def test_empresa_en_el_exterior_registra_la_direccion_internacional(app):
    with app.app_context():
        ecuador = db.session.scalar(select(Pais.id).where(Pais.codigo == "EC"))
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    cambios = dict(pais=str(ecuador), departamento="", municipio="")
    respuesta = _enviar(app, cliente, rl=persona, **cambios)
    assert respuesta.status_code == 400
    assert "Digite su dirección." in respuesta.get_data(as_text=True)
    assert _contar(app, Empresa) == 0
    respuesta = _enviar(app, cliente, rl=persona, dir_texto="Av. Amazonas N34-451, Quito", **cambios)
    assert respuesta.status_code == 302
    with app.app_context():
        empresa = db.session.scalar(select(Empresa))
        assert (empresa.direccion, empresa.pais_id, empresa.municipio_id) == (
            "Av. Amazonas N34-451, Quito",
            ecuador,
            None,
        )


# ---------------------------------------------------------------- files reach the store only with the company


def _en_almacen(app) -> list:
    raiz = Path(app.config["DOCUMENTOS_DIR"])
    return sorted(p for p in raiz.rglob("*.pdf") if documentos.RETENIDOS not in p.relative_to(raiz).parts)


def _retenidos(app) -> list:
    return sorted((Path(app.config["DOCUMENTOS_DIR"]) / documentos.RETENIDOS).rglob("*.pdf"))


def _grandes(ronda: int) -> dict:
    """Three different ~2 MB PDFs (a new set each round, as a script posting again and again would send)."""
    return _archivos(
        doc_nit_rut=(io.BytesIO(pdf(f"rut {ronda}", relleno=2_000_000)), "RUT.pdf", "application/pdf"),
        doc_cedula_representante=(io.BytesIO(pdf(f"rl {ronda}", relleno=2_000_000)), "RL.pdf", "application/pdf"),
        doc_cedula_contacto=(io.BytesIO(pdf(f"contacto {ronda}", relleno=2_000_000)), "cc.pdf", "application/pdf"),
    )


def test_envios_fallidos_no_dejan_archivos_en_el_almacen_ni_se_acumulan(app):
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    for ronda in range(5):
        respuesta = _enviar(app, cliente, archivos=_grandes(ronda), razon_social="")
        assert respuesta.status_code == 400
    assert _contar(app, Empresa) == 0 and _contar(app, DocumentoEmpresa) == 0
    assert _en_almacen(app) == []
    # Only the last submit's three files wait for the correction, not fifteen (≈ 6 MB, not 30 MB).
    retenidos = _retenidos(app)
    assert len(retenidos) == 3 and sum(p.stat().st_size for p in retenidos) < 7_000_000
    assert {p.parent.name for p in retenidos} == {str(persona.id)}


def test_un_guion_que_reusa_la_misma_cookie_tampoco_acumula(app):
    cliente = cliente_de(app, _persona(app))
    with cliente.session_transaction() as sesion:
        inicial = dict(sesion)
    for ronda in range(4):
        with cliente.session_transaction() as sesion:  # the session as it was before any upload
            sesion.clear()
            sesion.update(inicial)
        assert _enviar(app, cliente, archivos=_grandes(ronda), razon_social="").status_code == 400
    assert len(_retenidos(app)) == 3 and _en_almacen(app) == []


def test_adjuntos_abandonados_se_borran_al_vencer(app):
    cliente = cliente_de(app, _persona(app))
    assert _enviar(app, cliente, razon_social="").status_code == 400
    hace_dos_dias = time.time() - 48 * 3600
    for archivo in _retenidos(app):
        os.utime(archivo, (hace_dos_dias, hace_dos_dias))
    otra = _persona(app)
    assert (
        _enviar(app, cliente_de(app, otra), accion="recargar", archivos=_archivos(doc_cedula_contacto=None)).status_code
        == 200
    )
    assert [p.parent.name for p in _retenidos(app)] == [str(otra.id)] * 2


def test_el_registro_exitoso_lleva_los_archivos_al_almacen(app):
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    assert _enviar(app, cliente, archivos=_grandes(0), razon_social="").status_code == 400
    respuesta = _enviar(app, cliente, archivos={}, rl=persona)  # the held files, not sent again
    assert respuesta.status_code == 302
    assert len(_en_almacen(app)) == 3 and _retenidos(app) == []
    with app.app_context():
        guardados = {d.sha256 for d in db.session.scalars(select(DocumentoEmpresa))}
    assert guardados == {p.stem for p in _en_almacen(app)}


def test_nit_duplicado_no_deja_archivos_en_el_almacen(app):
    with app.app_context():
        factories_empresas.crear_empresa(nit=NIT)
    assert _enviar(app, cliente_de(app, _persona(app))).status_code == 409
    assert _en_almacen(app) == []


def test_pdf_con_javascript_se_rechaza_junto_al_campo(app):
    malicioso = pdf_con(lambda e: e.add_open_action(JavaScript("app.launchURL('https://x.example/')")))
    cliente = cliente_de(app, _persona(app))
    archivos = _archivos(doc_cedula_contacto=(io.BytesIO(malicioso), "cedula.pdf", "application/pdf"))
    respuesta = _enviar(app, cliente, archivos=archivos)
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 400
    assert 'id="doc_cedula_contacto"' in html
    assert "cedula.pdf: El archivo PDF contiene JavaScript, que no se acepta por seguridad." in html
    assert _contar(app, Empresa) == 0
    assert len(_retenidos(app)) == 2  # the two clean files wait; the refused one was never written


def test_otra_empresa_con_el_nit_de_la_que_acabo_de_registrar_se_rechaza(app):
    """Within the double-submit window, a different razón social is not a double submit: the NIT is taken."""
    persona = _persona(app)
    cliente = cliente_de(app, persona)
    assert _enviar(app, cliente, rl=persona).status_code == 302
    otra = _enviar(app, cliente, rl=persona, razon_social="Otra Compañía Distinta S.A.S.")
    assert otra.status_code == 409
    assert "Ya existe una empresa registrada con este NIT." in otra.get_data(as_text=True)
    assert _contar(app, Empresa) == 1
    with app.app_context():
        assert db.session.scalar(select(Empresa.razon_social)) != "Otra Compañía Distinta S.A.S."
