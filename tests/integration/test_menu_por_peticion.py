"""The navbar menu checks permissions in one call per request (app/templates/appbuilder/navbar_menu.html).

It must show exactly what FAB's own template shows (one has_access per entry) for every kind of person, and a
permission taken away must disappear from the menu on the very next request.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import flask_appbuilder
from jinja2 import BaseLoader
from sqlalchemy import update

from app.extensions import db
from app.models.empresas import RolEmpresa
from app.security.models import Usuario
from app.services import empresas, roles_empresa
from app.services.roles_empresa import DatosRol
from tests import factories, factories_empresas
from tests.helpers import cliente_de

_NOMBRE = "appbuilder/navbar_menu.html"
_FAB = Path(flask_appbuilder.__file__).parent / "templates" / _NOMBRE


@contextmanager
def plantilla_de_fab(app):
    """Render FAB's original navbar_menu.html (per-entry has_access) instead of the app's override."""
    propio = app.jinja_env.loader

    class SoloFab(BaseLoader):
        def get_source(self, environment, template):
            if template == _NOMBRE:
                return _FAB.read_text(), str(_FAB), lambda: False
            return propio.get_source(environment, template)

    app.jinja_env.loader = SoloFab()
    app.jinja_env.cache.clear()
    try:
        yield
    finally:
        app.jinja_env.loader = propio
        app.jinja_env.cache.clear()


def _menu(html: str) -> str:
    inicio = html.index('<ul class="nav navbar-nav">')
    fin = html.index('<ul class="nav navbar-nav navbar-right">')
    return re.sub(r"\s+", " ", html[inicio:fin]).strip()


def _menus(app, cliente, url: str) -> tuple[str, str]:
    propio = cliente.get(url)
    with plantilla_de_fab(app):
        de_fab = cliente.get(url)
    assert propio.status_code == de_fab.status_code == 200
    return _menu(propio.get_data(as_text=True)), _menu(de_fab.get_data(as_text=True))


def _miembro_con_rol(app, hojas: frozenset[str]):
    """A client acting as a company through a custom role with only these leaves, and that role's id."""
    with app.app_context():
        empresa = factories_empresas.crear_empresa()
        persona = factories.crear_usuario()
        rol = roles_empresa.crear(
            db.session, empresa.id, empresa.creado_por_id, DatosRol("Consulta", "", "activo", hojas)
        )
        empresas.agregar_miembro_aceptado(db.session, empresa, persona, [rol])
        db.session.commit()
        empresa_id, rol_id = empresa.id, rol.id
        db.session.refresh(persona)
    cliente = cliente_de(app, persona, empresa_id)
    return cliente, rol_id


def test_el_menu_es_el_mismo_que_el_de_fab_para_cada_tipo_de_persona(
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
        (cliente_usuario, "/", ("Mis invitaciones",)),
        (cliente_mesa_ayuda, "/mesa-ayuda/", ("Buscar cuentas",)),
        (cliente_admin, "/", ("Buscar cuentas", "Administración", "Correos enviados")),
        (administrador_empresa, "/", ("Mi empresa", "Roles", "Usuarios", "Datos de la empresa")),
        (miembro, "/", ("Mi empresa", "Usuarios", "Registro de acciones")),
    ]
    for cliente, url, se_ven in casos:
        propio, de_fab = _menus(app, cliente, url)
        assert propio == de_fab, url
        for entrada in se_ven:
            assert entrada in propio, (url, entrada)
    assert "Roles" not in _menus(app, miembro, "/")[0]
    assert "Administración" not in _menus(app, cliente_mesa_ayuda, "/")[0]


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


def test_el_html_del_menu_se_reutiliza_entre_personas_con_los_mismos_permisos(app, cliente_mesa_ayuda):
    from app import jinja

    jinja._menus.clear()
    with app.app_context():
        otro_agente = factories.crear_usuario(roles=["Mesa de ayuda"])
    otro = cliente_de(app, otro_agente)
    primero = _menu(cliente_mesa_ayuda.get("/").get_data(as_text=True))
    assert len(jinja._menus) == 1
    assert _menu(otro.get("/mesa-ayuda/").get_data(as_text=True)) == primero
    assert len(jinja._menus) == 1  # same permissions: the same HTML, not rendered again
    with app.app_context():
        admin = factories.crear_usuario(roles=["Admin"])
    cliente_admin = cliente_de(app, admin)
    assert "Administración" in _menu(cliente_admin.get("/").get_data(as_text=True))
    assert len(jinja._menus) == 2
