"""NIT check digit (DIAN) and predefined roles."""

from __future__ import annotations

import pytest

from app.security import arbol_permisos
from app.services.empresas import alta
from app.services.empresas import roles as roles_empresa
from tests import factories_empresas


@pytest.mark.parametrize(
    ("nit", "dv"), [("899999034", "1"), ("860005224", "6"), ("900373913", "4"), ("800197268", "4")]
)
def test_digito_de_verificacion_de_nits_conocidos(nit, dv):
    assert alta.digito_verificacion(nit) == dv
    assert alta.nit_valido(nit, dv)


def test_nit_con_digito_equivocado_o_letras_no_es_valido():
    assert not alta.nit_valido("899999034", "2")
    assert not alta.nit_valido("89999A034", "1")
    assert not alta.nit_valido("", "1")


def test_una_empresa_nace_con_administrador_y_financiero(app, db_session):
    empresa = factories_empresas.crear_empresa()
    from app.models.empresas import RolEmpresa

    roles = {r.nombre: r for r in db_session.query(RolEmpresa).filter_by(empresa_id=empresa.id)}
    assert set(roles) == {"Administrador", "Financiero"}
    assert all(r.predefinido for r in roles.values())
    assert roles_empresa.permisos_de(db_session, roles["Administrador"].id) == arbol_permisos.HOJAS
    assert roles_empresa.permisos_de(db_session, roles["Financiero"].id) == arbol_permisos.PERMISOS_FINANCIERO
