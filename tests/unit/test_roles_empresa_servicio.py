"""Company roles (circular 1000-011-2025, Gestión de Roles) at the service level."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models.auditoria import Auditoria
from app.models.empresas import MEMBRESIA_INACTIVO, MEMBRESIA_PENDIENTE, Membresia, RolEmpresa
from app.services.empresas import invitaciones, membresias
from app.services.empresas import roles as roles_empresa
from app.services.errores import ErrorDominio, ErroresValidacion
from tests import factories, factories_empresas


def _datos(db_session, empresa_id, nombre="Radicador", permisos=("expedientes",), excepto_id=None):
    return roles_empresa.validar(db_session, empresa_id, nombre, "Radica trámites", "activo", permisos, excepto_id)


def _rol(db_session, empresa, nombre="Administrador"):
    return db_session.scalar(select(RolEmpresa).where(RolEmpresa.empresa_id == empresa.id, RolEmpresa.nombre == nombre))


def test_marcar_una_rama_otorga_todas_sus_hojas(db_session):
    empresa = factories_empresas.crear_empresa()
    datos = _datos(db_session, empresa.id, permisos=["expedientes", "pagos.ver"])
    rol = roles_empresa.crear(db_session, empresa.id, empresa.creado_por_id, datos, ip="10.0.0.1")
    assert roles_empresa.permisos_de(db_session, rol.id) == {
        "expedientes.ver",
        "expedientes.borradores",
        "expedientes.radicar",
        "expedientes.requerimientos",
        "pagos.ver",
    }
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == "rol_creado"))
    assert fila.empresa_id == empresa.id and fila.ip == "10.0.0.1" and fila.despues["nombre"] == "Radicador"


def test_resolver_seleccion_sin_javascript():
    # Branch newly checked → all its leaves.
    assert roles_empresa.resolver_seleccion(["pagos"], []) == {"pagos.ver", "pagos.registrar"}
    # Branch shown checked and still checked, one leaf unchecked → the leaves decide.
    assert roles_empresa.resolver_seleccion(["pagos", "pagos.ver"], ["pagos"]) == {"pagos.ver"}
    # Branch shown checked and now unchecked → none of its leaves, whatever leaves were left.
    assert roles_empresa.resolver_seleccion(["pagos.ver", "pagos.registrar", "roles.ver"], ["pagos"]) == {"roles.ver"}


def test_nombre_de_rol_unico_en_la_empresa_sin_importar_mayusculas(db_session):
    empresa = factories_empresas.crear_empresa()
    with pytest.raises(ErroresValidacion) as error:
        _datos(db_session, empresa.id, nombre="administrador")
    assert error.value.errores["nombre"] == ["Ya existe un rol llamado «administrador» en la empresa. Use otro nombre."]
    otra = factories_empresas.crear_empresa()
    roles_empresa.crear(db_session, otra.id, None, _datos(db_session, otra.id, nombre="Radicador"))
    assert _datos(db_session, empresa.id, nombre="RADICADOR").nombre == "RADICADOR"  # other company: allowed


def test_rol_sin_permisos_o_con_permisos_desconocidos_se_rechaza(db_session):
    empresa = factories_empresas.crear_empresa()
    with pytest.raises(ErroresValidacion) as error:
        _datos(db_session, empresa.id, permisos=[])
    assert error.value.errores["permisos"] == [roles_empresa.MSG_SIN_PERMISOS]
    with pytest.raises(ErroresValidacion) as error:
        _datos(db_session, empresa.id, permisos=["pagos.ver", "todo.borrar"])
    assert error.value.errores["permisos"] == [roles_empresa.MSG_PERMISO_DESCONOCIDO]
    with pytest.raises(ErroresValidacion) as error:
        roles_empresa.validar(db_session, empresa.id, "x" * 61, "d" * 301, "borrado", ["pagos"])
    assert set(error.value.errores) == {"nombre", "descripcion", "estado"}


@pytest.mark.parametrize("nombre", ["Administrador", "Financiero"])
def test_roles_predefinidos_no_se_editan_ni_eliminan(db_session, nombre):
    empresa = factories_empresas.crear_empresa()
    rol = _rol(db_session, empresa, nombre)
    datos = _datos(db_session, empresa.id, nombre="Otro")
    with pytest.raises(ErrorDominio, match=f"El rol «{nombre}» es predefinido"):
        roles_empresa.editar(db_session, empresa.id, rol.id, None, datos)
    with pytest.raises(ErrorDominio, match="no se puede editar ni eliminar"):
        roles_empresa.eliminar(db_session, empresa.id, rol.id, None)
    assert _rol(db_session, empresa, nombre) is not None


def test_rol_asignado_a_usuarios_activos_no_se_edita_ni_elimina(db_session):
    empresa = factories_empresas.crear_empresa()
    rol = roles_empresa.crear(db_session, empresa.id, None, _datos(db_session, empresa.id))
    persona = factories.crear_usuario()
    membresias.invitar(
        db_session, empresa.id, None, persona.tipo_identificacion_id, persona.numero_identificacion, [rol.id]
    )
    m = invitaciones.aceptar(
        db_session, persona, db_session.scalar(select(Membresia.id).where(Membresia.usuario_id == persona.id))
    )
    esperado = (
        "El rol «Radicador» está asignado a 1 usuario(s) activo(s); reasígnelos antes de editarlo o eliminarlo. "
        "Para pausarlo, inactívelo."
    )
    with pytest.raises(ErrorDominio, match=re.escape(esperado)):
        roles_empresa.editar(db_session, empresa.id, rol.id, None, _datos(db_session, empresa.id, "Nuevo"))
    with pytest.raises(ErrorDominio, match=re.escape(esperado)):
        roles_empresa.eliminar(db_session, empresa.id, rol.id, None)
    # Once the member is inactive the role is free again.
    m.estado = MEMBRESIA_INACTIVO
    db_session.flush()
    roles_empresa.editar(
        db_session, empresa.id, rol.id, None, _datos(db_session, empresa.id, "Nuevo", ["pagos"], excepto_id=rol.id)
    )
    assert roles_empresa.permisos_de(db_session, rol.id) == {"pagos.ver", "pagos.registrar"}


def test_eliminar_rol_asignado_solo_a_invitaciones_pendientes(db_session):
    empresa = factories_empresas.crear_empresa()
    rol = roles_empresa.crear(db_session, empresa.id, None, _datos(db_session, empresa.id))
    financiero = _rol(db_session, empresa, "Financiero")
    m = membresias.invitar(db_session, empresa.id, None, 1, "77001122", [rol.id, financiero.id])
    roles_empresa.eliminar(db_session, empresa.id, rol.id, empresa.creado_por_id, ip="10.0.0.2")
    db_session.expire_all()
    m = db_session.get(Membresia, m.id)
    assert m.estado == MEMBRESIA_PENDIENTE and [r.nombre for r in m.roles] == ["Financiero"]
    assert db_session.get(RolEmpresa, rol.id) is None
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == "rol_eliminado"))
    assert fila.antes["nombre"] == "Radicador" and fila.usuario_id == empresa.creado_por_id


def test_rol_de_otra_empresa_no_se_encuentra(db_session):
    empresa = factories_empresas.crear_empresa()
    otra = factories_empresas.crear_empresa()
    rol = roles_empresa.crear(db_session, otra.id, None, _datos(db_session, otra.id))
    with pytest.raises(roles_empresa.NoEncontrado):
        roles_empresa.eliminar(db_session, empresa.id, rol.id, None)


def test_listar_cuenta_usuarios_activos_por_rol(db_session):
    empresa = factories_empresas.crear_empresa()
    filas = {f.rol.nombre: f for f in roles_empresa.listar(db_session, empresa.id)}
    assert filas["Administrador"].usuarios_activos == 1 and filas["Financiero"].usuarios_activos == 0
    assert "usuarios.invitar" in filas["Administrador"].permisos
    assert list(filas) == ["Administrador", "Financiero"]
