"""Acting as a company: verified on every request; inactivation or suspension takes effect at once."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models.empresas import Empresa, Membresia
from tests import factories, factories_empresas
from tests.helpers import actuar_como, cliente_de


def _miembro_logueado(app):
    """The Administrador of a company, logged in as persona natural."""
    with app.app_context():
        persona = factories.crear_usuario(nombres="Carlos")
        empresa = factories_empresas.crear_empresa(administrador=persona, razon_social="Cosméticos Andinos S.A.S.")
        empresa_id = empresa.id
    return cliente_de(app, persona), empresa_id


def test_el_encabezado_dice_a_nombre_de_quien_actua(app):
    cliente, empresa_id = _miembro_logueado(app)
    assert "Persona natural" in cliente.get("/").get_data(as_text=True)
    actuar_como(cliente, empresa_id)
    html = cliente.get("/").get_data(as_text=True)
    assert "Cosméticos Andinos S.A.S." in html
    assert "Usted actúa como <strong>Cosméticos Andinos S.A.S." in html


def test_una_solicitud_rechazada_antes_de_leer_el_contexto_conserva_el_encabezado(app):
    """QA: a 400 refused before the context was read (bad list parameter, NUL) said «Persona natural» and lost the
    «Mi empresa» menu while acting as a company."""
    cliente, empresa_id = _miembro_logueado(app)
    actuar_como(cliente, empresa_id)
    for url in ("/empresa/usuarios/?psize_UsuariosEmpresaModelView=abc", "/empresa/usuarios/?q=%00"):
        r = cliente.get(url)
        html = r.get_data(as_text=True)
        assert r.status_code == 400, url
        assert "<strong>Cosméticos Andinos S.A.S.</strong>" in html and "Persona natural" not in html, url
        assert "Mi empresa" in html, url


def test_membresia_inactivada_pierde_el_acceso_en_la_siguiente_peticion(app):
    cliente, empresa_id = _miembro_logueado(app)
    actuar_como(cliente, empresa_id)
    assert "Cosméticos Andinos" in cliente.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Membresia).where(Membresia.empresa_id == empresa_id).values(estado="Inactivo"))
        db.session.commit()
    html = cliente.get("/").get_data(as_text=True)
    assert "Ya no tiene acceso a la empresa seleccionada" in html
    assert "Usted actúa como <strong>Persona natural" in html


def test_empresa_suspendida_no_se_puede_usar(app):
    cliente, empresa_id = _miembro_logueado(app)
    with app.app_context():
        db.session.execute(update(Empresa).where(Empresa.id == empresa_id).values(estado="Suspendida"))
        db.session.commit()
    actuar_como(cliente, empresa_id)
    assert "Ya no tiene acceso" in cliente.get("/").get_data(as_text=True)


def test_no_se_puede_actuar_por_una_empresa_ajena(app):
    cliente, _ = _miembro_logueado(app)
    with app.app_context():
        ajena = factories_empresas.crear_empresa(razon_social="Ajena Ltda.").id
    actuar_como(cliente, ajena)
    html = cliente.get("/").get_data(as_text=True)
    assert "Ajena Ltda." not in html
    assert "Ya no tiene acceso" in html
    assert "Usted actúa como <strong>Persona natural" in html


def test_las_hojas_de_los_roles_de_empresa_otorgan_permisos_fab(app):
    from flask import g

    from app.extensions import appbuilder
    from app.security.arbol_permisos import VISTAS
    from app.security.contexto import consultar

    antes = set(VISTAS.pares.get("auditoria.ver", set()))
    VISTAS.registrar("auditoria.ver", ("can_list", "VistaDePruebaAuditoria"))
    try:
        with app.app_context():
            persona = factories.crear_usuario()
            empresa = factories_empresas.crear_empresa(administrador=persona)
            with app.test_request_context():
                g.actuacion = consultar(db.session, persona.id, empresa.id)
                assert "auditoria.ver" in g.actuacion.permisos
                assert appbuilder.sm._has_view_access(persona, "can_list", "VistaDePruebaAuditoria")
                g.actuacion = None
                assert not appbuilder.sm._has_view_access(persona, "can_list", "VistaDePruebaAuditoria")
    finally:
        VISTAS.pares["auditoria.ver"] = antes


def test_ingresar_como_sin_sesion_lleva_al_login_en_espanol(client):
    """Flask-Login's redirect points at the app's login, with its message in Spanish (FAB's pointed nowhere)."""
    r = client.get("/actuar/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/")
    assert "Inicie sesión para continuar." in client.get(r.headers["Location"]).get_data(as_text=True)
