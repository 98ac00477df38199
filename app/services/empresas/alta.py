"""Companies: NIT check digit, creation with the predefined roles and the first Administrador."""

from __future__ import annotations

from app.models.empresas import (
    MEMBRESIA_ACEPTADO,
    ROL_ADMINISTRADOR,
    ROL_FINANCIERO,
    Empresa,
    Membresia,
    RolEmpresa,
    rol_empresa_permiso,
)
from app.security import arbol_permisos
from app.services.reloj import ahora

_PESOS_DIAN = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)

PREDEFINIDOS = {
    ROL_ADMINISTRADOR: (
        "Todos los permisos de la empresa. No se puede editar ni eliminar.",
        arbol_permisos.PERMISOS_ADMINISTRADOR,
    ),
    ROL_FINANCIERO: (
        "Pagos y consulta de expedientes. No se puede editar ni eliminar.",
        arbol_permisos.PERMISOS_FINANCIERO,
    ),
}


def digito_verificacion(nit: str) -> str:
    """DIAN check digit of a NIT (módulo 11 with the prime weights, from the rightmost digit)."""
    if not nit or not nit.isdigit():
        raise ValueError("El NIT debe tener solo números.")
    total = sum(int(d) * p for d, p in zip(reversed(nit), _PESOS_DIAN, strict=False))
    resto = total % 11
    return str(resto if resto in (0, 1) else 11 - resto)


def nit_valido(nit: str, dv: str) -> bool:
    return bool(nit) and nit.isdigit() and 6 <= len(nit) <= 9 and dv == digito_verificacion(nit)


def crear_roles_predefinidos(session, empresa: Empresa) -> dict[str, RolEmpresa]:
    """Administrador and Financiero with their fixed permissions."""
    roles = {}
    for nombre, (descripcion, permisos) in PREDEFINIDOS.items():
        rol = RolEmpresa(
            empresa=empresa, nombre=nombre, descripcion=descripcion, activo=True, predefinido=True, creado_en=ahora()
        )
        session.add(rol)
        session.flush()
        session.execute(rol_empresa_permiso.insert(), [{"rol_id": rol.id, "permiso": p} for p in sorted(permisos)])
        roles[nombre] = rol
    return roles


def agregar_miembro_aceptado(
    session, empresa: Empresa, usuario, roles: list[RolEmpresa], es_representante_legal=False
) -> Membresia:
    """An accepted member (the registering person, or the representante legal who is that person)."""
    momento = ahora()
    membresia = Membresia(
        empresa=empresa,
        usuario_id=usuario.id,
        tipo_identificacion_id=usuario.tipo_identificacion_id,
        numero_identificacion=usuario.numero_identificacion,
        estado=MEMBRESIA_ACEPTADO,
        es_representante_legal=es_representante_legal,
        creado_en=momento,
        aceptado_en=momento,
    )
    membresia.roles = list(roles)
    session.add(membresia)
    session.flush()
    return membresia
