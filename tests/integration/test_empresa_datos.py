"""Datos de la empresa: seen with Empresa → Ver, changed (audited) with Empresa → Editar."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import Empresa, RolEmpresa
from app.services.empresas import agregar_miembro_aceptado
from tests import factories, factories_empresas
from tests.conftest import actuar_como, csrf_de, iniciar_sesion

VALIDOS = {
    "contacto_nombre": "Lucía Méndez",
    "contacto_cargo": "Directora de asuntos regulatorios",
    "contacto_correo": "lucia@cosmeticos.test",
    "contacto_telefono": "6012425000",
    "tamano": "Pequeña",
    "sector": "Cosméticos",
    "sigla": "COSAN",
    "correo": "Info@Cosmeticos.test",
    "telefono": "6017654321",
    "celular": "3001234567",
    "direccion": "Carrera 10 # 64 - 28",
}


def _admin(app):
    with app.app_context():
        admin = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=admin, razon_social="Cosméticos Andinos S.A.S.")
    cliente = app.test_client()
    assert iniciar_sesion(cliente, admin).status_code == 302
    actuar_como(cliente, empresa.id)
    return cliente, empresa.id


def test_el_administrador_actualiza_los_datos_y_queda_auditado(app):
    cliente, empresa_id = _admin(app)
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    assert "Cosméticos Andinos S.A.S." in pagina and "Actualizar" in pagina
    r = cliente.post("/empresa/datos/", data={**VALIDOS, "csrf_token": csrf_de(pagina)}, follow_redirects=True)
    assert "Los datos de la empresa se actualizaron correctamente." in r.get_data(as_text=True)
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        assert empresa.correo == "info@cosmeticos.test" and empresa.sigla == "COSAN" and empresa.tamano == "Pequeña"
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "edicion_empresa"))
        assert fila.empresa_id == empresa_id
        assert fila.despues["sigla"] == "COSAN" and "sigla" in fila.antes


def test_datos_invalidos_no_cambian_nada(app):
    cliente, empresa_id = _admin(app)
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    malos = {**VALIDOS, "correo": "no-es-correo", "celular": "12345", "tamano": "Gigante", "sigla": "x" * 500}
    r = cliente.post("/empresa/datos/", data={**malos, "csrf_token": csrf_de(pagina)})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "El celular debe tener 10 dígitos y empezar por 3." in html
    assert "Seleccione el tamaño de la empresa." in html
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).sigla is None
        assert db.session.scalar(select(Auditoria).where(Auditoria.accion == "edicion_empresa")) is None


def test_el_financiero_ve_pero_no_edita(app):
    with app.app_context():
        admin = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=admin)
        financiero = factories.crear_usuario(nombres="Fabio")
        rol = db.session.scalar(
            select(RolEmpresa).where(RolEmpresa.empresa_id == empresa.id, RolEmpresa.nombre == "Financiero")
        )
        agregar_miembro_aceptado(db.session, rol.empresa, financiero, [rol])
        db.session.commit()
        db.session.refresh(financiero)
        empresa_id = empresa.id
    cliente = app.test_client()
    iniciar_sesion(cliente, financiero)
    actuar_como(cliente, empresa_id)
    pagina = cliente.get("/empresa/datos/")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert "readonly" in html and ">Actualizar<" not in html
    r = cliente.post("/empresa/datos/", data={**VALIDOS, "csrf_token": csrf_de(html)})
    assert r.status_code == 403
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).sigla is None
