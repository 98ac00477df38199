"""Permissions are computed once per request (issue 4 §4): one statement at most, however many roles and menu items.

The statement that loads the logged-in user also brings their FAB permissions and, acting as a company, the
membership check and the leaves of their company roles (app/security/manager.py, contexto.columna_actuacion).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.models.empresas import Membresia, membresia_rol
from app.security import arbol_permisos
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories, factories_empresas
from tests.helpers import cliente_de, contar_sentencias

# Tables that only a permission / company-context check reads on these pages.
_DE_PERMISOS = re.compile(r"\b(ab_permission_view_role|rol_empresa_permiso|membresia_rol)\b")


def _persona_de_empresa(app, roles_extra: int):
    """A company Administrador (all leaves) who also holds `roles_extra` custom roles."""
    with app.app_context():
        persona = factories.crear_usuario(roles=["Usuario"])
        empresa = factories_empresas.crear_empresa(administrador=persona)
        membresia_id = db.session.scalar(
            select(Membresia.id).where(Membresia.empresa_id == empresa.id, Membresia.usuario_id == persona.id)
        )
        hojas = sorted(arbol_permisos.HOJAS)
        for i in range(roles_extra):
            rol = roles_empresa.crear(
                db.session,
                empresa.id,
                persona.id,
                DatosRol(f"Rol {i}", "", "activo", frozenset(hojas[i % len(hojas) :][:3])),
            )
            db.session.execute(insert(membresia_rol).values(membresia_id=membresia_id, rol_id=rol.id))
        db.session.commit()
        empresa_id = empresa.id
        db.session.refresh(persona)  # iniciar_sesion reads it after the context closes
    cliente = cliente_de(app, persona, empresa_id)
    return cliente


def _sentencias_de_permisos(app, cliente, url: str) -> tuple[list[str], list[str]]:
    with contar_sentencias(app) as sentencias:
        r = cliente.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return [s for s in sentencias if _DE_PERMISOS.search(s)], list(sentencias)


@pytest.mark.parametrize("url", ["/", "/empresa/datos/", "/perfil/"])
def test_actuando_como_empresa_una_sola_sentencia_de_permisos(app, url):
    pocas = _persona_de_empresa(app, roles_extra=0)
    muchas = _persona_de_empresa(app, roles_extra=8)
    de_permisos_pocas, todas_pocas = _sentencias_de_permisos(app, pocas, url)
    de_permisos_muchas, todas_muchas = _sentencias_de_permisos(app, muchas, url)
    # The only statement reading permissions is the one that loads the user, and it also loads the user.
    assert len(de_permisos_muchas) == 1, de_permisos_muchas
    assert "FROM ab_user" in de_permisos_muchas[0] and "membresia" in de_permisos_muchas[0]
    assert len(de_permisos_pocas) == 1
    # However many roles: the page costs the same.
    assert len(todas_muchas) == len(todas_pocas), (todas_pocas, todas_muchas)


def test_la_pagina_muestra_el_menu_de_la_empresa_con_esa_unica_sentencia(app):
    cliente = _persona_de_empresa(app, roles_extra=3)
    html = cliente.get("/").get_data(as_text=True)
    # The menu was built from the company's leaves (Administrador: every company screen).
    for entrada in ("Roles", "Usuarios", "Registro de acciones"):
        assert entrada in html


def test_sin_empresa_la_carga_del_usuario_no_consulta_membresias(app, cliente_usuario):
    de_permisos, _ = _sentencias_de_permisos(app, cliente_usuario, "/perfil/")
    assert len(de_permisos) == 1 and "membresia" not in de_permisos[0]


def test_un_rol_de_la_plataforma_no_abre_las_pantallas_de_la_empresa(app):
    """The gate (app/security/autorizacion.py) counts only the leaves of the person's company roles: an Invima
    administrator who is also a company's Financiero acts there as Financiero, however many FAB permissions Admin has."""
    from app.models.empresas import RolEmpresa
    from app.services.empresas.alta import agregar_miembro_aceptado

    with app.app_context():
        factories_empresas.crear_empresa(administrador=factories.crear_usuario())
        empresa = factories_empresas.crear_empresa(administrador=factories.crear_usuario(), razon_social="Empresa B")
        admin_invima = factories.crear_usuario(roles=["Admin"])
        financiero = db.session.scalar(
            select(RolEmpresa).where(RolEmpresa.empresa_id == empresa.id, RolEmpresa.nombre == "Financiero")
        )
        agregar_miembro_aceptado(db.session, empresa, admin_invima, [financiero])
        db.session.commit()
        db.session.refresh(admin_invima)
        empresa_id = empresa.id
    cliente = cliente_de(app, admin_invima, empresa_id)
    r = cliente.get("/empresa/roles/")
    assert r.status_code == 403 and "Roles → Ver" in r.get_data(as_text=True)
    assert cliente.get("/empresa/auditoria/").status_code == 403
    assert cliente.get("/api/v1/empresa/usuarios/").status_code == 403
    assert cliente.get("/empresa/datos/").status_code == 200  # Financiero has Empresa → Ver
