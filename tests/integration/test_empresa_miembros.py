"""Company users through HTTP: search and pagination, invitations, roles, inactivation, protections, isolation."""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import Membresia, RolEmpresa
from app.services import membresias
from tests import factories, factories_empresas
from tests.conftest import actuar_como, csrf_de, iniciar_sesion
from tests.integration.test_consultas_sql import contar_sentencias


def _admin(app):
    with app.app_context():
        persona = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=persona)
        empresa_id = empresa.id
    cliente = app.test_client()
    assert iniciar_sesion(cliente, persona).status_code == 302
    actuar_como(cliente, empresa_id)
    return cliente, empresa_id


def _rol_id(empresa_id, nombre):
    return db.session.scalar(
        select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre)
    )


def _token(cliente):
    return csrf_de(cliente.get("/empresa/usuarios/invitar").get_data(as_text=True))


def _invitar(cliente, app, empresa_id, numero, rol="Financiero", tipo="1"):
    with app.app_context():
        rol_id = _rol_id(empresa_id, rol)
    return cliente.post(
        "/empresa/usuarios/invitar",
        data={
            "csrf_token": _token(cliente),
            "tipo_identificacion": tipo,
            "numero_identificacion": numero,
            "roles": [str(rol_id)],
        },
    )


def test_invitar_persona_con_cuenta_envia_correo_smtp(app, smtp_sink):
    from app.services.outbox import enviar_pendientes

    cliente, empresa_id = _admin(app)
    with app.app_context():
        factories.crear_usuario(numero="79555111", email="colega@correo.test")
    r = _invitar(cliente, app, empresa_id, "79555111")
    assert r.status_code == 303
    html = cliente.get("/empresa/usuarios/").get_data(as_text=True)
    assert "Invitación enviada." in html and "79555111" in html and "Pendiente" in html
    enviar_pendientes(app)
    correo = smtp_sink.esperar("colega@correo.test")[0]
    assert "Financiero" in smtp_sink.texto(correo) and "/invitaciones/" in smtp_sink.texto(correo)


def test_invitar_sin_cuenta_queda_pendiente_y_formulario_invalido_da_400(app):
    cliente, empresa_id = _admin(app)
    r = _invitar(cliente, app, empresa_id, "79555222")
    assert r.status_code == 303
    assert "la invitación queda pendiente" in cliente.get("/empresa/usuarios/").get_data(as_text=True)
    r = cliente.post(
        "/empresa/usuarios/invitar",
        data={"csrf_token": _token(cliente), "tipo_identificacion": "x", "numero_identificacion": "9" * 500},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and membresias.MSG_TIPO in html and membresias.MSG_SIN_ROLES in html
    r = _invitar(cliente, app, empresa_id, "79555222")
    assert r.status_code == 400 and "ya tiene una invitación pendiente" in r.get_data(as_text=True)


def test_buscar_por_identificacion_nombre_correo_rol_y_estado(app):
    cliente, empresa_id = _admin(app)
    with app.app_context():
        ana = factories.crear_usuario(numero="70000001", nombres="Ana", apellidos="Quiroga", email="ana@correo.test")
        membresias.invitar(
            db.session, empresa_id, None, ana.tipo_identificacion_id, "70000001", [_rol_id(empresa_id, "Financiero")]
        )
        membresias.invitar(db.session, empresa_id, None, 1, "70000002", [_rol_id(empresa_id, "Administrador")])
        db.session.commit()

    def filas(**q):
        return cliente.get("/empresa/usuarios/", query_string=q).get_data(as_text=True)

    assert "70000001" in filas(q="7000000") and "70000002" in filas(q="7000000")
    assert "70000002" not in filas(q="quiroga") and "70000001" in filas(q="quiroga")
    assert "70000001" in filas(q="ANA@correo") and "70000002" not in filas(q="ana@correo")
    assert "70000001" in filas(q="financ") and "70000002" not in filas(q="financ")
    assert "70000001" not in filas(estado="Aceptado") and "70000001" in filas(estado="Pendiente")


def test_lista_pagina_de_20_con_sentencias_constantes(app):
    cliente, empresa_id = _admin(app)

    def crear(n, desde):
        with app.app_context():
            rol = _rol_id(empresa_id, "Financiero")
            for i in range(n):
                membresias.invitar(db.session, empresa_id, None, 1, str(71000000 + desde + i), [rol])
            db.session.commit()

    def medir():
        with contar_sentencias(app) as sentencias:
            r = cliente.get("/empresa/usuarios/")
        assert r.status_code == 200
        return len(sentencias), r.get_data(as_text=True)

    crear(2, 0)
    pocas, _ = medir()
    crear(40, 100)
    muchas, html = medir()
    assert pocas == muchas, (pocas, muchas)
    assert "Página 1 de 3" in html and html.count("Reenviar invitación") == 19  # + the representante legal
    assert "Página 3 de 3" in cliente.get("/empresa/usuarios/?pagina=3").get_data(as_text=True)


def test_representante_legal_no_se_inactiva_ni_elimina(app):
    cliente, empresa_id = _admin(app)
    with app.app_context():
        rl = db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == empresa_id))
    token = _token(cliente)
    for accion in ("inactivar", "eliminar"):
        r = cliente.post(f"/empresa/usuarios/{rl}/{accion}", data={"csrf_token": token}, follow_redirects=True)
        assert membresias.MSG_REPRESENTANTE in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membresia, rl).estado == "Aceptado"


def test_ultimo_administrador_no_se_inactiva(app):
    cliente, empresa_id = _admin(app)
    with app.app_context():
        db.session.execute(
            update(Membresia).where(Membresia.empresa_id == empresa_id).values(es_representante_legal=False)
        )
        db.session.commit()
        yo = db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == empresa_id))
    r = cliente.post(f"/empresa/usuarios/{yo}/inactivar", data={"csrf_token": _token(cliente)}, follow_redirects=True)
    assert "La empresa debe conservar al menos un administrador activo." in r.get_data(as_text=True)


def test_cambiar_roles_inactivar_reactivar_y_eliminar_se_auditan(app):
    cliente, empresa_id = _admin(app)
    with app.app_context():
        persona = factories.crear_usuario()
        m = membresias.invitar(
            db.session,
            empresa_id,
            None,
            persona.tipo_identificacion_id,
            persona.numero_identificacion,
            [_rol_id(empresa_id, "Financiero")],
        )
        membresias.aceptar(db.session, persona, m.id)
        db.session.commit()
        mid, admin_rol = m.id, _rol_id(empresa_id, "Administrador")
    html = cliente.get(f"/empresa/usuarios/{mid}/roles").get_data(as_text=True)
    r = cliente.post(f"/empresa/usuarios/{mid}/roles", data={"csrf_token": csrf_de(html), "roles": [str(admin_rol)]})
    assert r.status_code == 303
    r = cliente.post(f"/empresa/usuarios/{mid}/roles", data={"csrf_token": csrf_de(html)})
    assert r.status_code == 400 and membresias.MSG_SIN_ROLES in r.get_data(as_text=True)
    token = _token(cliente)
    for accion in ("inactivar", "reactivar", "eliminar"):
        assert cliente.post(f"/empresa/usuarios/{mid}/{accion}", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(Membresia, mid) is None
        acciones = db.session.scalars(
            select(Auditoria.accion)
            .where(Auditoria.objeto_id == str(mid), Auditoria.empresa_id == empresa_id)
            .order_by(Auditoria.id)
        ).all()
    assert acciones == [
        "invitacion_enviada",
        "invitacion_aceptada",
        "roles_cambiados",
        "usuario_inactivado",
        "usuario_reactivado",
        "usuario_eliminado",
    ]


def test_usuarios_de_otra_empresa_responden_404(app):
    cliente, _ = _admin(app)
    _, otra_id = _admin(app)
    with app.app_context():
        ajena = membresias.invitar(db.session, otra_id, None, 1, "72000001", [_rol_id(otra_id, "Financiero")]).id
        db.session.commit()
    assert "No hay usuarios con esos criterios." in cliente.get("/empresa/usuarios/?q=72000001").get_data(as_text=True)
    assert cliente.get(f"/empresa/usuarios/{ajena}/roles").status_code == 404
    token = _token(cliente)
    for accion in ("reenviar", "inactivar", "reactivar", "eliminar"):
        assert cliente.post(f"/empresa/usuarios/{ajena}/{accion}", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(Membresia, ajena).estado == "Pendiente"


def test_invitar_rt_dt_exige_permiso_en_mi_perfil(app):
    cliente, _ = _admin(app)
    with app.app_context():
        persona = factories.crear_usuario(numero="73000001")
    html = cliente.get("/empresa/usuarios/tecnicos/invitar").get_data(as_text=True)
    r = cliente.post(
        "/empresa/usuarios/tecnicos/invitar",
        data={
            "csrf_token": csrf_de(html),
            "tipo_identificacion": str(persona.tipo_identificacion_id),
            "numero_identificacion": "73000001",
            "calidad": "Responsable técnico",
        },
    )
    assert r.status_code == 400 and membresias.MSG_RT_DT in r.get_data(as_text=True)
