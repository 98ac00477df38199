"""The company permission tree: branches expand to leaves; predefined roles are fixed sets."""

from __future__ import annotations

import pytest

from app.security import arbol_permisos as arbol


def test_marcar_una_rama_marca_sus_hojas():
    assert arbol.expandir(["roles"]) == {"roles.ver", "roles.crear", "roles.editar", "roles.eliminar"}


def test_hojas_y_ramas_se_combinan_sin_duplicar():
    assert arbol.expandir(["pagos", "pagos.ver", "auditoria.ver"]) == {"pagos.ver", "pagos.registrar", "auditoria.ver"}


def test_codigos_desconocidos_se_informan():
    assert arbol.desconocidos(["roles", "hackear.todo"]) == ["hackear.todo"]
    assert arbol.expandir(["hackear.todo"]) == frozenset()


def test_administrador_tiene_todo_y_financiero_lo_de_pagos():
    assert arbol.PERMISOS_ADMINISTRADOR == arbol.HOJAS
    assert {"pagos.ver", "pagos.registrar"} <= arbol.PERMISOS_FINANCIERO
    assert not any(h.startswith(("usuarios.", "roles.")) for h in arbol.PERMISOS_FINANCIERO)


def test_el_arbol_tiene_las_funcionalidades_del_issue():
    assert [r.nombre for r in arbol.ARBOL] == ["Expedientes", "Pagos", "Usuarios", "Roles", "Auditoría", "Empresa"]
    assert arbol.NOMBRES["expedientes.radicar"] == "Expedientes → Radicar"


def test_vistas_solo_acepta_hojas_del_arbol():
    vistas = arbol.Vistas()
    vistas.registrar("roles.ver", ("can_list", "RolEmpresaModelView"))
    assert vistas.de(["roles.ver", "roles.crear"]) == {("can_list", "RolEmpresaModelView")}
    with pytest.raises(ValueError):
        vistas.registrar("no.existe", ("can_list", "X"))
