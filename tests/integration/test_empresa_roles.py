"""Company roles through HTTP: the tree form, immutable predefined roles, the active-users rule, isolation."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import RolEmpresa
from app.services import membresias, roles_empresa
from tests import factories, factories_empresas
from tests.conftest import actuar_como, csrf_de, iniciar_sesion


def _admin(app, **kw):
    with app.app_context():
        persona = factories.crear_usuario()
        empresa = factories_empresas.crear_empresa(administrador=persona, **kw)
        empresa_id = empresa.id
    cliente = app.test_client()
    assert iniciar_sesion(cliente, persona).status_code == 302
    actuar_como(cliente, empresa_id)
    cliente.persona = persona
    return cliente, empresa_id


def _rol_id(app, empresa_id, nombre):
    with app.app_context():
        return db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre)
        )


def _crear(cliente, **datos):
    token = csrf_de(cliente.get("/empresa/roles/nuevo").get_data(as_text=True))
    base = {"csrf_token": token, "nombre": "Radicador", "descripcion": "Radica", "estado": "activo"}
    return cliente.post("/empresa/roles/nuevo", data={**base, **datos})


def test_formulario_de_rol_muestra_el_arbol_con_casillas_etiquetadas(app):
    cliente, _ = _admin(app)
    html = cliente.get("/empresa/roles/nuevo").get_data(as_text=True)
    assert "<legend>Expedientes</legend>" in html and "<legend>Auditoría</legend>" in html
    assert 'id="rama-usuarios" name="permiso" value="usuarios"' in html
    assert '<label for="hoja-usuarios-invitar">' in html and "js/arbol_permisos.js" in html


def test_crear_rol_marcando_una_rama_sin_javascript(app):
    cliente, empresa_id = _admin(app)
    r = _crear(cliente, permiso=["pagos", "roles.ver"])
    assert r.status_code == 302
    assert "Rol «Radicador» creado." in cliente.get("/empresa/roles/").get_data(as_text=True)
    rol_id = _rol_id(app, empresa_id, "Radicador")
    with app.app_context():
        assert roles_empresa.permisos_de(db.session, rol_id) == {"pagos.ver", "pagos.registrar", "roles.ver"}
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "rol_creado"))
        assert fila.empresa_id == empresa_id and fila.usuario_id == cliente.persona.id and fila.ip


def test_editar_rol_desmarcando_una_hoja_de_una_rama_completa(app):
    cliente, empresa_id = _admin(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    html = cliente.get(f"/empresa/roles/{rol_id}/editar").get_data(as_text=True)
    assert '<input type="hidden" name="rama_previa" value="pagos">' in html
    r = cliente.post(
        f"/empresa/roles/{rol_id}/editar",
        data={
            "csrf_token": csrf_de(html),
            "nombre": "Pagador",
            "estado": "inactivo",
            "permiso": ["pagos", "pagos.ver"],
            "rama_previa": "pagos",
        },
    )
    assert r.status_code == 302
    with app.app_context():
        assert roles_empresa.permisos_de(db.session, rol_id) == {"pagos.ver"}
        rol = db.session.get(RolEmpresa, rol_id)
        assert rol.nombre == "Pagador" and rol.activo is False


def test_nombre_duplicado_y_sin_permisos_responden_400_con_mensaje(app):
    cliente, _ = _admin(app)
    r = _crear(cliente, nombre="FINANCIERO")
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Ya existe un rol llamado «FINANCIERO» en la empresa." in html
    assert roles_empresa.MSG_SIN_PERMISOS in html
    r = _crear(cliente, nombre="x" * 500, permiso=["no.existe"])
    assert r.status_code == 400 and roles_empresa.MSG_PERMISO_DESCONOCIDO in r.get_data(as_text=True)


def test_roles_predefinidos_no_se_pueden_editar_ni_eliminar(app):
    cliente, empresa_id = _admin(app)
    rol_id = _rol_id(app, empresa_id, "Administrador")
    r = cliente.get(f"/empresa/roles/{rol_id}/editar", follow_redirects=True)
    assert "El rol «Administrador» es predefinido" in r.get_data(as_text=True)
    token = csrf_de(cliente.get("/empresa/roles/").get_data(as_text=True))
    r = cliente.post(f"/empresa/roles/{rol_id}/eliminar", data={"csrf_token": token}, follow_redirects=True)
    assert "no se puede editar ni eliminar" in r.get_data(as_text=True)
    assert _rol_id(app, empresa_id, "Administrador") == rol_id
    assert "Predefinido" in cliente.get(f"/empresa/roles/{rol_id}/").get_data(as_text=True)


def test_rol_asignado_a_usuario_activo_explica_por_que_no_se_elimina(app):
    cliente, empresa_id = _admin(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    with app.app_context():
        otra = factories.crear_usuario()
        m = membresias.invitar(
            db.session, empresa_id, None, otra.tipo_identificacion_id, otra.numero_identificacion, [rol_id]
        )
        membresias.aceptar(db.session, otra, m.id)
        db.session.commit()
    esperado = "El rol «Radicador» está asignado a 1 usuario(s) activo(s); reasígnelos antes de editarlo o eliminarlo."
    for url in (f"/empresa/roles/{rol_id}/", f"/empresa/roles/{rol_id}/editar"):
        assert esperado in cliente.get(url, follow_redirects=True).get_data(as_text=True)
    token = csrf_de(cliente.get("/empresa/roles/").get_data(as_text=True))
    r = cliente.post(f"/empresa/roles/{rol_id}/eliminar", data={"csrf_token": token}, follow_redirects=True)
    assert esperado in r.get_data(as_text=True)
    assert _rol_id(app, empresa_id, "Radicador") == rol_id


def test_eliminar_rol_libre(app):
    cliente, empresa_id = _admin(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    token = csrf_de(cliente.get("/empresa/roles/").get_data(as_text=True))
    r = cliente.post(f"/empresa/roles/{rol_id}/eliminar", data={"csrf_token": token}, follow_redirects=True)
    assert "Rol «Radicador» eliminado." in r.get_data(as_text=True)
    assert _rol_id(app, empresa_id, "Radicador") is None


def test_roles_de_otra_empresa_responden_404(app):
    cliente, _ = _admin(app)
    otro, otra_id = _admin(app)
    _crear(otro, permiso=["pagos"], nombre="Secreto")
    ajeno = _rol_id(app, otra_id, "Secreto")
    assert "Secreto" not in cliente.get("/empresa/roles/").get_data(as_text=True)
    assert cliente.get(f"/empresa/roles/{ajeno}/").status_code == 404
    assert cliente.get(f"/empresa/roles/{ajeno}/editar").status_code == 404
    token = csrf_de(cliente.get("/empresa/roles/").get_data(as_text=True))
    assert cliente.post(f"/empresa/roles/{ajeno}/eliminar", data={"csrf_token": token}).status_code == 404
    assert _rol_id(app, otra_id, "Secreto") == ajeno


def test_persona_natural_recibe_pagina_para_elegir_empresa(app):
    cliente, _ = _admin(app)
    actuar_como(cliente, None)
    r = cliente.get("/empresa/roles/")
    assert r.status_code == 403 and "elija la empresa con la que desea ingresar" in r.get_data(as_text=True)


def test_miembro_sin_la_hoja_recibe_403_en_espanol(app):
    cliente, empresa_id = _admin(app)
    with app.app_context():
        otra = factories.crear_usuario()
        financiero = _rol_id(app, empresa_id, "Financiero")
        m = membresias.invitar(
            db.session, empresa_id, None, otra.tipo_identificacion_id, otra.numero_identificacion, [financiero]
        )
        membresias.aceptar(db.session, otra, m.id)
        db.session.commit()
        db.session.refresh(otra)
    cliente_fin = app.test_client()
    iniciar_sesion(cliente_fin, otra)
    actuar_como(cliente_fin, empresa_id)
    r = cliente_fin.get("/empresa/roles/nuevo")
    assert r.status_code == 403 and "no le permite esta acción (Roles → Crear)" in r.get_data(as_text=True)
    assert cliente_fin.get("/empresa/usuarios/").status_code == 403
