""" "Ingresar como": persona natural or persona jurídica, and switching from the header without logging out."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from app.models.empresas import Membresia
from tests import factories, factories_empresas
from tests.helpers import csrf_de, iniciar_sesion


def test_login_ofrece_persona_natural_y_juridica(client):
    html = client.get("/login/").get_data(as_text=True)
    assert "Persona natural" in html and "Persona jurídica" in html


def test_persona_juridica_con_una_empresa_entra_actuando_por_ella(app, client):
    with app.app_context():
        persona = factories.crear_usuario()
        factories_empresas.crear_empresa(administrador=persona, razon_social="Higiene Total S.A.")
    html = iniciar_sesion(client, persona, como="juridica", follow_redirects=True).get_data(as_text=True)
    assert "Usted actúa como <strong>Higiene Total S.A." in html


def test_persona_juridica_con_varias_empresas_elige(app, client):
    with app.app_context():
        persona = factories.crear_usuario()
        factories_empresas.crear_empresa(administrador=persona, razon_social="Alfa S.A.S.")
        beta = factories_empresas.crear_empresa(administrador=persona, razon_social="Beta S.A.S.").id
    html = iniciar_sesion(client, persona, como="juridica", follow_redirects=True).get_data(as_text=True)
    assert "Alfa S.A.S." in html and "Beta S.A.S." in html and "Ingresar como" in html
    r = client.post("/actuar/", data={"csrf_token": csrf_de(html), "empresa": str(beta)}, follow_redirects=True)
    assert "Usted actúa como <strong>Beta S.A.S." in r.get_data(as_text=True)
    # back to persona natural from the header, without logging out
    pagina = client.get("/actuar/").get_data(as_text=True)
    r = client.post("/actuar/", data={"csrf_token": csrf_de(pagina), "empresa": "natural"}, follow_redirects=True)
    assert "Usted actúa como <strong>Persona natural" in r.get_data(as_text=True)


def test_persona_juridica_sin_empresas_aceptadas_queda_como_persona_natural(app, client):
    with app.app_context():
        persona = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=persona)
        db.session.execute(update(Membresia).where(Membresia.empresa_id == empresa.id).values(estado="Pendiente"))
        db.session.commit()
        db.session.refresh(persona)
    html = iniciar_sesion(client, persona, como="juridica", follow_redirects=True).get_data(as_text=True)
    assert "No tiene empresas en las que su membresía esté aceptada" in html
    assert "Usted actúa como <strong>Persona natural" in html


def test_no_se_puede_elegir_una_empresa_ajena(app, client):
    with app.app_context():
        persona = factories.crear_usuario()
        factories_empresas.crear_empresa(administrador=persona)
        ajena = factories_empresas.crear_empresa(razon_social="Ajena S.A.").id
        db.session.refresh(persona)
    html = iniciar_sesion(client, persona, como="natural", follow_redirects=True).get_data(as_text=True)
    pagina = client.get("/actuar/").get_data(as_text=True)
    assert "Ajena S.A." not in pagina
    r = client.post("/actuar/", data={"csrf_token": csrf_de(pagina), "empresa": str(ajena)})
    assert r.status_code == 400
    assert "Ajena S.A." not in client.get("/").get_data(as_text=True)
    assert html


def test_cerrar_sesion_por_get_no_cierra_la_sesion(cliente_usuario):
    assert cliente_usuario.get("/logout/").status_code == 302
    assert cliente_usuario.get("/perfil/").status_code == 200
