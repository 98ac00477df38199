"""Invima's company screens and the permission-checked download of company documents."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import DocumentoEmpresa, Empresa, Membresia
from app.services import documentos, outbox
from app.services.cuentas.identificacion import tipo_por_codigo
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.helpers import actuar_como, cliente_de, csrf_de, pdf

pytestmark = pytest.mark.usefixtures("documentos_en_tmp")


def _empresa_con_documento(app, razon_social="Cosméticos Andinos S.A.S."):
    """A company (its Administrador logged in) with one stored RUT."""
    with app.app_context():
        admin = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=admin, razon_social=razon_social)
        guardado = documentos.guardar(app.config["DOCUMENTOS_DIR"], pdf(razon_social), "RUT andinos.pdf", 10**6)
        documento = DocumentoEmpresa(
            empresa_id=empresa.id,
            tipo="NIT/RUT",
            nombre_archivo=guardado.nombre_archivo,
            sha256=guardado.sha256,
            tamano=guardado.tamano,
            creado_en=ahora(),
        )
        db.session.add(documento)
        db.session.commit()
        db.session.refresh(admin)  # used after the app context ends
        ids = (empresa.id, documento.id)
    cliente = cliente_de(app, admin)
    return cliente, ids


def _descargar(cliente, documento_id):
    return cliente.get(f"/empresas/documentos/{documento_id}/descargar")


def test_personal_de_invima_descarga_el_documento(app, cliente_admin):
    _, (_, documento_id) = _empresa_con_documento(app)
    respuesta = _descargar(cliente_admin, documento_id)
    assert respuesta.status_code == 200
    assert respuesta.data.startswith(b"%PDF-")
    assert respuesta.headers["Content-Disposition"].startswith("attachment")
    assert "RUT andinos.pdf" in respuesta.headers["Content-Disposition"]


def test_la_descarga_es_un_adjunto_sin_cache_ni_deteccion_de_tipo(app, cliente_admin):
    _, (_, documento_id) = _empresa_con_documento(app)
    respuesta = _descargar(cliente_admin, documento_id)
    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Type"] == "application/pdf"
    assert respuesta.headers["Content-Disposition"] == 'attachment; filename="RUT andinos.pdf"'
    assert respuesta.headers["X-Content-Type-Options"] == "nosniff"
    assert respuesta.headers["Cache-Control"] == "no-store"
    assert "sandbox" in respuesta.headers["Content-Security-Policy"]


def test_miembro_que_actua_como_la_empresa_descarga_su_documento(app):
    cliente, (empresa_id, documento_id) = _empresa_con_documento(app)
    actuar_como(cliente, empresa_id)
    assert _descargar(cliente, documento_id).status_code == 200


def test_miembro_de_otra_empresa_recibe_404(app):
    _, (_, documento_id) = _empresa_con_documento(app)
    otro, (otra_empresa, _) = _empresa_con_documento(app, razon_social="Otra Ltda.")
    actuar_como(otro, otra_empresa)
    assert _descargar(otro, documento_id).status_code == 404


def test_miembro_como_persona_natural_no_descarga(app):
    cliente, (_, documento_id) = _empresa_con_documento(app)
    assert _descargar(cliente, documento_id).status_code in (302, 403, 404)
    assert not _descargar(cliente, documento_id).data.startswith(b"%PDF-")


def test_anonimo_es_enviado_al_login(app, client):
    _, (_, documento_id) = _empresa_con_documento(app)
    respuesta = _descargar(client, documento_id)
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def test_lista_busca_por_nit_y_muestra_usuarios_y_documentos(app, cliente_admin):
    _, (empresa_id, _) = _empresa_con_documento(app)
    _empresa_con_documento(app, razon_social="Plaguicidas del Valle S.A.")
    with app.app_context():
        nit = db.session.get(Empresa, empresa_id).nit
    html = cliente_admin.get(f"/administracion/empresas/list/?_flt_0_nit={nit}").get_data(as_text=True)
    assert "Cosméticos Andinos S.A.S." in html and "Plaguicidas del Valle" not in html
    html = cliente_admin.get(f"/administracion/empresas/show/{empresa_id}").get_data(as_text=True)
    assert "Usuarios" in html and "Administrador" in html and "RUT andinos.pdf" in html
    assert "Cambiar representante legal" in html and "Suspender empresa" in html


def test_detalle_de_empresa_muestra_la_ficha_generada_y_una_inexistente_es_404(app, cliente_admin):
    _, (empresa_id, _) = _empresa_con_documento(app)
    html = cliente_admin.get(f"/administracion/empresas/show/{empresa_id}").get_data(as_text=True)
    assert (
        "Razón social" in html
        and "Cosméticos Andinos S.A.S." in html
        and "Identificación del representante legal" in html
    )
    assert cliente_admin.get(f"/administracion/empresas/show/{empresa_id + 1000}").status_code == 404


def test_admin_cambia_el_representante_legal_con_auditoria(app, cliente_admin, smtp_sink):
    _, (empresa_id, _) = _empresa_con_documento(app)
    with app.app_context():
        nuevo = factories.crear_usuario(email="nueva.rl@correo.test", nombres="Ana", apellidos="Gómez")
        cc = tipo_por_codigo(db.session, "CC").id
    url = f"/administracion/empresas/{empresa_id}/representante-legal"
    html = cliente_admin.get(url).get_data(as_text=True)
    respuesta = cliente_admin.post(
        url,
        data={
            "csrf_token": csrf_de(html),
            "rl_tipo_identificacion": str(cc),
            "rl_numero_identificacion": nuevo.numero_identificacion,
            "rl_nombres": "Ana",
            "rl_apellidos": "Gómez",
        },
    )
    assert respuesta.status_code == 302
    with app.app_context():
        miembros = db.session.scalars(select(Membresia).order_by(Membresia.id)).all()
        assert [(m.estado, m.es_representante_legal) for m in miembros] == [("Aceptado", False), ("Pendiente", True)]
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "cambio_representante_legal"))
        assert fila.empresa_id == empresa_id and fila.usuario_id == cliente_admin.usuario.id
        assert fila.despues["representante_legal"]["nombres"] == "Ana"
    outbox.enviar_pendientes(app)
    smtp_sink.esperar("nueva.rl@correo.test")


def test_cambio_de_representante_legal_con_datos_invalidos_da_400(app, cliente_admin):
    _, (empresa_id, _) = _empresa_con_documento(app)
    url = f"/administracion/empresas/{empresa_id}/representante-legal"
    html = cliente_admin.get(url).get_data(as_text=True)
    respuesta = cliente_admin.post(url, data={"csrf_token": csrf_de(html), "rl_numero_identificacion": "ABC"})
    assert respuesta.status_code == 400
    assert "Seleccione el tipo de identificación." in respuesta.get_data(as_text=True)
    assert cliente_admin.get("/administracion/empresas/999999/representante-legal").status_code == 404


def test_admin_suspende_y_los_usuarios_pierden_el_acceso(app, cliente_admin):
    miembro, (empresa_id, _) = _empresa_con_documento(app)
    url = f"/administracion/empresas/{empresa_id}/estado"
    html = cliente_admin.get(url).get_data(as_text=True)
    assert cliente_admin.post(url, data={"csrf_token": csrf_de(html), "motivo": ""}).status_code == 400
    respuesta = cliente_admin.post(url, data={"csrf_token": csrf_de(html), "motivo": "Documentos no legibles"})
    assert respuesta.status_code == 302
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        assert (empresa.estado, empresa.motivo_suspension) == ("Suspendida", "Documentos no legibles")
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "suspension_empresa"))
        assert fila.antes["estado"] == "Activa" and fila.despues["estado"] == "Suspendida"
    actuar_como(miembro, empresa_id)
    assert "Ya no tiene acceso" in miembro.get("/").get_data(as_text=True)
    html = cliente_admin.get(url).get_data(as_text=True)
    assert "Reactivar empresa" in html
    assert cliente_admin.post(url, data={"csrf_token": csrf_de(html), "motivo": "Caso aclarado"}).status_code == 302
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).estado == "Activa"


@pytest.mark.parametrize(
    "ruta",
    [
        "/administracion/empresas/list/",
        "/administracion/empresas/show/{id}",
        "/administracion/empresas/{id}/representante-legal",
        "/administracion/empresas/{id}/estado",
    ],
)
def test_quien_no_es_admin_no_entra(app, ruta):
    miembro, (empresa_id, _) = _empresa_con_documento(app)
    actuar_como(miembro, empresa_id)
    respuesta = miembro.get(ruta.format(id=empresa_id))
    assert respuesta.status_code in (302, 403)
    assert "Cambiar representante legal" not in respuesta.get_data(as_text=True)
    html = miembro.get("/").get_data(as_text=True)
    respuesta = miembro.post(
        f"/administracion/empresas/{empresa_id}/estado", data={"csrf_token": csrf_de(html), "motivo": "Hackeo total"}
    )
    assert respuesta.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).estado == "Activa"
