"""«Mis invitaciones»: the invitee sees, accepts or declines; waiting invitations link at activation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models.empresas import Membresia, RolEmpresa
from app.services.empresas import membresias
from app.services.errores import ErroresValidacion
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.helpers import actuar_como, cliente_de, csrf_de


def _invitada(app, numero="74000001", **kw):
    with app.app_context():
        empresa = factories_empresas.crear_empresa(razon_social="Cosméticos Andinos S.A.S.")
        persona = factories.crear_usuario(numero=numero, **kw)
        rol = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa.id, RolEmpresa.nombre == "Financiero")
        )
        m = membresias.invitar(db.session, empresa.id, None, persona.tipo_identificacion_id, numero, [rol])
        db.session.commit()
        ids = (empresa.id, m.id)
        db.session.refresh(persona)
    cliente = cliente_de(app, persona)
    return cliente, ids


def test_la_invitacion_se_ve_en_el_inicio_y_en_mis_invitaciones(app):
    cliente, _ = _invitada(app)
    assert "Tiene 1 invitación(es) pendiente(s)." in cliente.get("/").get_data(as_text=True)
    html = cliente.get("/invitaciones/").get_data(as_text=True)
    assert "Cosméticos Andinos S.A.S." in html and "Financiero" in html and "Aceptar" in html


def test_aceptar_permite_actuar_como_la_empresa_con_su_rol(app):
    cliente, (empresa_id, mid) = _invitada(app)
    token = csrf_de(cliente.get("/invitaciones/").get_data(as_text=True))
    r = cliente.post(f"/invitaciones/{mid}/aceptar", data={"csrf_token": token}, follow_redirects=True)
    assert "Invitación aceptada." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membresia, mid).estado == "Aceptado"
    actuar_como(cliente, empresa_id)
    assert "Cosméticos Andinos S.A.S." in cliente.get("/").get_data(as_text=True)
    assert cliente.get("/empresa/usuarios/").status_code == 403  # Financiero has no Usuarios → Ver
    assert (
        cliente.post(f"/invitaciones/{mid}/aceptar", data={"csrf_token": token}, follow_redirects=True).status_code
        == 200
    )


def test_rechazar_se_muestra_como_rechazada_al_administrador(app):
    cliente, (empresa_id, mid) = _invitada(app)
    token = csrf_de(cliente.get("/invitaciones/").get_data(as_text=True))
    r = cliente.post(f"/invitaciones/{mid}/rechazar", data={"csrf_token": token}, follow_redirects=True)
    assert "Invitación rechazada." in r.get_data(as_text=True) and "No tiene invitaciones pendientes." in r.get_data(
        as_text=True
    )
    with app.app_context():
        m = db.session.get(Membresia, mid)
        assert m.rechazado_en is not None and membresias.estado_visible(m) == "Rechazada"
        # Invited again: the administrator is told she declined (not that an invitation is pending), and how.
        rol = db.session.scalar(select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id))
        with pytest.raises(ErroresValidacion) as error:
            membresias.invitar(db.session, empresa_id, None, m.tipo_identificacion_id, m.numero_identificacion, [rol])
        assert error.value.errores == {"numero_identificacion": [membresias.MSG_YA_RECHAZO]}
        db.session.rollback()


def test_invitacion_vencida_se_muestra_y_no_se_acepta(app):
    cliente, (_, mid) = _invitada(app)
    with app.app_context():
        db.session.execute(
            update(Membresia).where(Membresia.id == mid).values(invitacion_expira_en=ahora() - timedelta(days=1))
        )
        db.session.commit()
    html = cliente.get("/invitaciones/").get_data(as_text=True)
    assert "Vencida" in html and "Pida al administrador de la empresa que se la reenvíe." in html
    r = cliente.post(f"/invitaciones/{mid}/aceptar", data={"csrf_token": csrf_de(html)}, follow_redirects=True)
    assert membresias.MSG_VENCIDA in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membresia, mid).estado == "Pendiente"


def test_invitacion_ajena_responde_404(app):
    _, (_, mid) = _invitada(app)
    intrusa, _ = _invitada(app, numero="74000002")
    token = csrf_de(intrusa.get("/invitaciones/").get_data(as_text=True))
    assert intrusa.post(f"/invitaciones/{mid}/aceptar", data={"csrf_token": token}).status_code == 404
    assert intrusa.post("/invitaciones/999999/rechazar", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(Membresia, mid).estado == "Pendiente"


def test_la_activacion_de_la_cuenta_vincula_la_invitacion_que_esperaba(app, smtp_sink):
    import re

    from app.services import outbox
    from app.services.cuentas import activacion
    from tests.helpers import CONTRASENA, Buzon

    with app.app_context():
        empresa = factories_empresas.crear_empresa()
        rol = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa.id, RolEmpresa.nombre == "Financiero")
        )
        mid = membresias.invitar(db.session, empresa.id, None, 1, "75000001", [rol]).id
        db.session.commit()
        persona = factories.crear_usuario(numero="75000001", activado=False, email="nueva@correo.test")
        activacion.emitir_pin_activacion(db.session, persona)
        db.session.commit()
        assert db.session.get(Membresia, mid).usuario_id is None
    outbox.enviar_pendientes(app)
    texto = Buzon.texto(smtp_sink.esperar("nueva@correo.test")[-1])
    pin = re.search(r"PIN de activación: (\d{6})", texto).group(1)
    token = re.search(r"/cuenta/activar/(\S+)", texto).group(1)
    with app.app_context():
        usuario = activacion.activar_con_enlace(db.session, token, pin, CONTRASENA, CONTRASENA, 5)
        db.session.commit()
        assert db.session.get(Membresia, mid).usuario_id == usuario.id
        db.session.refresh(usuario)
    cliente = cliente_de(app, usuario)
    assert "Tiene 1 invitación(es) pendiente(s)." in cliente.get("/").get_data(as_text=True)
