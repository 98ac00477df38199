"""Datos de la empresa: seen with Empresa → Ver, changed (audited) with Empresa → Editar."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import DocumentoEmpresa, Empresa, RolEmpresa
from app.models.referencias import Pais
from app.services.empresas.alta import agregar_miembro_aceptado
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.helpers import actuar_como, administrador_y_empresa, csrf_de, iniciar_sesion

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
    "dir_rural": "no",
    "dir_principal": "Carrera",
    "dir_numero_principal": "10",
    "dir_numero_secundario": "64",
    "dir_numero_final": "28",
}


def test_el_administrador_actualiza_los_datos_y_queda_auditado(app):
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
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
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
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
        documento = DocumentoEmpresa(
            empresa_id=empresa.id,
            tipo="NIT/RUT",
            nombre_archivo="RUT de la empresa.pdf",
            sha256="0" * 64,
            tamano=2048,
            creado_en=ahora(),
        )
        db.session.add(documento)
        db.session.commit()
        db.session.refresh(financiero)
        empresa_id, documento_id = empresa.id, documento.id
    cliente = app.test_client()
    iniciar_sesion(cliente, financiero)
    actuar_como(cliente, empresa_id)
    pagina = cliente.get("/empresa/datos/")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert "readonly" in html and ">Actualizar<" not in html
    # The documents of the registration, listed with their links (they were reachable only by guessing ids).
    assert f'href="/empresas/documentos/{documento_id}/descargar"' in html and "RUT de la empresa.pdf" in html
    r = cliente.post("/empresa/datos/", data={**VALIDOS, "csrf_token": csrf_de(html)})
    assert r.status_code == 403
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).sigla is None


# ---------------------------------------------------------------- address: the signup's «Ingrese la dirección» dialog


def test_la_direccion_se_edita_con_el_dialogo_y_se_guarda_compuesta(app):
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    assert 'id="dialogo-direccion"' in pagina and "js/ubicacion.js" in pagina and 'data-abrir=""' in pagina
    datos = {**VALIDOS, "dir_sufijo": "a", "dir_complemento": "Local 3", "csrf_token": csrf_de(pagina)}
    r = cliente.post("/empresa/datos/", data=datos, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Los datos de la empresa se actualizaron correctamente." in html
    assert 'value="Carrera 10A # 64 - 28 Local 3"' in html  # shown again, the dialog prefilled from its parts
    assert re.search(r'<option selected value="Carrera">|<option value="Carrera" selected>', html)
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        assert empresa.direccion == "Carrera 10A # 64 - 28 Local 3"
        assert empresa.direccion_componentes["complemento"] == "Local 3"
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "edicion_empresa"))
        assert fila.despues["direccion"] == "Carrera 10A # 64 - 28 Local 3"


def test_error_en_la_direccion_reabre_el_dialogo_y_no_cambia_nada(app):
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    malos = {**VALIDOS, "sigla": "NUEVA", "dir_principal": "", "dir_numero_secundario": "6400"}
    r = cliente.post("/empresa/datos/", data={**malos, "csrf_token": csrf_de(pagina)})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Seleccione la vía principal." in html
    assert "Escriba el número secundario solo con números (hasta 3 dígitos)." in html
    assert 'data-abrir="1"' in html and 'value="NUEVA"' in html
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        assert (empresa.sigla, empresa.direccion) == (None, None)
        assert db.session.scalar(select(Auditoria).where(Auditoria.accion == "edicion_empresa")) is None


def test_direccion_escrita_antes_del_dialogo_se_abre_como_texto_libre_y_se_conserva(app):
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        empresa.direccion = "Cra. 7 No. 32-16 piso 4"
        for campo in ("contacto_nombre", "contacto_cargo", "contacto_correo", "contacto_telefono", "tamano", "sector"):
            setattr(empresa, campo, VALIDOS[campo])
        db.session.commit()
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    assert re.search(r'id="dir_rural-si" value="si" checked', pagina)
    assert 'name="dir_texto" type="text" value="Cra. 7 No. 32-16 piso 4"' in pagina
    # The page posted back as it came: the address stays exactly as it was.
    campos = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', pagina))
    campos.update(
        re.findall(r'<select[^>]*name="(\w+)"[^>]*>.*?<option[^>]*value="([^"]*)"[^>]*selected', pagina, re.S)
    )
    campos["dir_rural"] = "si"
    r = cliente.post("/empresa/datos/", data=campos)
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        empresa = db.session.get(Empresa, empresa_id)
        assert empresa.direccion == "Cra. 7 No. 32-16 piso 4"
        assert empresa.direccion_componentes == {"rural": True, "texto": "Cra. 7 No. 32-16 piso 4"}


def test_empresa_del_exterior_edita_la_direccion_internacional(app):
    with app.app_context():
        admin = factories.crear_usuario()
        ecuador = db.session.scalar(select(Pais.id).where(Pais.codigo == "EC"))
        empresa = factories_empresas.crear_empresa(administrador=admin, pais_id=ecuador)
    cliente = app.test_client()
    iniciar_sesion(cliente, admin)
    actuar_como(cliente, empresa.id)
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    assert "¿Su dirección es rural/internacional?" in pagina and "Ecuador" in pagina
    r = cliente.post("/empresa/datos/", data={**VALIDOS, "csrf_token": csrf_de(pagina)})
    assert r.status_code == 400 and "Digite su dirección." in r.get_data(as_text=True)
    datos = {**VALIDOS, "dir_texto": "Av. Amazonas N34-451, Quito", "csrf_token": csrf_de(pagina)}
    assert cliente.post("/empresa/datos/", data=datos).status_code == 302
    with app.app_context():
        assert db.session.get(Empresa, empresa.id).direccion == "Av. Amazonas N34-451, Quito"


def test_aceptar_la_direccion_sin_javascript_no_guarda(app):
    cliente, empresa_id = administrador_y_empresa(app, razon_social="Cosméticos Andinos S.A.S.")
    pagina = cliente.get("/empresa/datos/").get_data(as_text=True)
    r = cliente.post("/empresa/datos/", data={**VALIDOS, "accion": "direccion", "csrf_token": csrf_de(pagina)})
    assert r.status_code == 200 and 'value="Carrera 10 # 64 - 28"' in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Empresa, empresa_id).direccion is None
