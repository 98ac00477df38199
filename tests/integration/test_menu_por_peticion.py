"""The navbar menu (FAB's own template) shows each person what their permissions of this request allow.

A permission taken away (a platform role, a company role inactivated) disappears from the menu on the very next
request: the permission set is read once per request (app/security/permissions.py), never kept between requests.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from app.extensions import db
from app.models.empresas import RolEmpresa
from app.models.personas import Usuario
from app.services.empresas import alta
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories, factories_empresas
from tests.helpers import cliente_de


def _menu(html: str) -> str:
    inicio = html.index('<ul class="nav navbar-nav">')
    fin = html.index('<ul class="nav navbar-nav navbar-right">')
    return re.sub(r"\s+", " ", html[inicio:fin]).strip()


def _menu_de(cliente, url: str) -> str:
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200
    return _menu(respuesta.get_data(as_text=True))


def _miembro_con_rol(app, hojas: frozenset[str]):
    """A client acting as a company through a custom role with only these leaves, and that role's id."""
    with app.app_context():
        empresa = factories_empresas.crear_empresa()
        persona = factories.crear_usuario()
        rol = roles_empresa.crear(
            db.session, empresa.id, empresa.creado_por_id, DatosRol("Consulta", "", "activo", hojas)
        )
        alta.agregar_miembro_aceptado(db.session, empresa, persona, [rol])
        db.session.commit()
        empresa_id, rol_id = empresa.id, rol.id
        db.session.refresh(persona)
    cliente = cliente_de(app, persona, empresa_id)
    return cliente, rol_id


def test_el_menu_muestra_a_cada_tipo_de_persona_lo_que_puede_usar(
    app, client, cliente_usuario, cliente_mesa_ayuda, cliente_admin
):
    miembro, _rol = _miembro_con_rol(app, frozenset({"usuarios.ver", "auditoria.ver"}))
    with app.app_context():
        empresa = factories_empresas.crear_empresa()
        administrador_id = empresa.creado_por_id
        administrador = db.session.get(Usuario, administrador_id)
        db.session.expunge(administrador)
    administrador_empresa = cliente_de(app, administrador, empresa.id)

    casos = [
        (client, "/login/", ()),
        (cliente_usuario, "/", ("Mis invitaciones", 'href="/empresas/registrar/"', "Registrar una empresa")),
        (cliente_mesa_ayuda, "/mesa-ayuda/", ("Buscar cuentas",)),
        (cliente_admin, "/", ("Buscar cuentas", "Administración", "Correos enviados")),
        (administrador_empresa, "/", ("Mi empresa", "Roles", "Usuarios", "Datos de la empresa")),
        (miembro, "/", ("Mi empresa", "Usuarios", "Registro de acciones")),
    ]
    for cliente, url, se_ven in casos:
        menu = _menu_de(cliente, url)
        for entrada in se_ven:
            assert entrada in menu, (url, entrada)
    assert "Buscar cuentas" not in _menu_de(client, "/login/")
    assert "Roles" not in _menu_de(miembro, "/")
    assert "Administración" not in _menu_de(cliente_mesa_ayuda, "/")
    assert "Mi empresa" not in _menu_de(cliente_usuario, "/")
    assert "Registrar una empresa" not in _menu_de(cliente_mesa_ayuda, "/mesa-ayuda/")
    assert "Registrar una empresa" not in _menu_de(client, "/login/")


def test_un_permiso_retirado_sale_del_menu_en_la_siguiente_peticion(app, cliente_mesa_ayuda):
    assert "Buscar cuentas" in _menu(cliente_mesa_ayuda.get("/").get_data(as_text=True))
    with app.app_context():
        agente = db.session.get(Usuario, cliente_mesa_ayuda.usuario.id)
        agente.roles = [r for r in agente.roles if r.name != "Mesa de ayuda"]
        db.session.commit()
    assert "Buscar cuentas" not in _menu(cliente_mesa_ayuda.get("/").get_data(as_text=True))


def test_un_rol_de_empresa_inactivado_sale_del_menu_en_la_siguiente_peticion(app):
    miembro, rol_id = _miembro_con_rol(app, frozenset({"auditoria.ver"}))
    assert "Registro de acciones" in _menu(miembro.get("/").get_data(as_text=True))
    with app.app_context():
        db.session.execute(update(RolEmpresa).where(RolEmpresa.id == rol_id).values(activo=False))
        db.session.commit()
    assert "Registro de acciones" not in _menu(miembro.get("/").get_data(as_text=True))


def test_el_menu_de_la_peticion_dice_lo_mismo_que_la_comprobacion_de_fab_entrada_por_entrada(
    app, cliente_usuario, cliente_mesa_ayuda, cliente_admin
):
    """`menus_visibles` (one bulk check per request) against FAB's own `has_access`, entry by entry, for every entry
    of the menu and every kind of person: a visitor, a citizen, the help desk, the administrator, Invima's staff, a
    company's Administrador and a member with two leaves."""
    from flask_appbuilder.security.sqla.manager import SecurityManager

    from tests.helpers_revision import funcionario

    miembro, _rol = _miembro_con_rol(app, frozenset({"usuarios.ver", "auditoria.ver"}))
    with app.app_context():
        empresa = factories_empresas.crear_empresa()
        administrador = db.session.get(Usuario, empresa.creado_por_id)
        db.session.expunge(administrador)
    administrador_empresa = cliente_de(app, administrador, empresa.id)
    coordinador = funcionario(app, "Coordinador")
    sm = app.appbuilder.sm
    nombres = app.appbuilder.menu.get_flat_name_list()

    def por_entrada():
        return {n for n in nombres if SecurityManager.has_access(sm, "menu_access", n)}

    with app.test_request_context("/login/"):  # a visitor
        vistos = [por_entrada()]
        assert sm.menus_visibles() == vistos[0]
    for cliente in (cliente_usuario, cliente_mesa_ayuda, cliente_admin, coordinador, administrador_empresa, miembro):
        with cliente:  # the request's context stays open: its user, roles and company
            assert cliente.get("/").status_code == 200
            vistos.append(por_entrada())
            assert sm.menus_visibles() == vistos[-1]
    assert len({frozenset(v) for v in vistos}) == len(vistos)  # seven different menus: the comparison means something
