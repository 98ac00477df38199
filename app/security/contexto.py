"""Who the person acts as in this request: persona natural or one company ("Ingresar como").

The choice lives in the session (`empresa_id`); every request re-checks it in ONE statement — the membership
must be Aceptado, the company Activa — and loads the leaves of the member's active company roles. So an
administrator inactivating a member, deactivating a role or Invima suspending the company takes effect on the
member's very next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, g, session
from flask_login import current_user
from sqlalchemy import and_, select

from app.models.empresas import (
    ESTADO_EMPRESA_ACTIVA,
    MEMBRESIA_ACEPTADO,
    Empresa,
    Membresia,
    RolEmpresa,
    membresia_rol,
    rol_empresa_permiso,
)

CLAVE_SESION = "empresa_id"
ROLES_DE_PLATAFORMA_GLOBALES = {"Admin", "Mesa de ayuda", "Revisor legal", "Revisor técnico", "Coordinador"}
MSG_ACCESO_RETIRADO = (
    "Ya no tiene acceso a la empresa seleccionada (la membresía fue inactivada o la empresa está suspendida). "
    "Ahora actúa como persona natural."
)


@dataclass(frozen=True)
class Actuacion:
    empresa_id: int
    membresia_id: int
    razon_social: str
    nit: str
    es_representante_legal: bool
    permisos: frozenset[str]


def consultar(db_session, usuario_id: int, empresa_id: int) -> Actuacion | None:
    """The person's accepted membership in an active company with the leaves of their active roles, or None."""
    filas = db_session.execute(
        select(
            Membresia.id,
            Empresa.razon_social,
            Empresa.nit,
            Empresa.digito_verificacion,
            Membresia.es_representante_legal,
            rol_empresa_permiso.c.permiso,
        )
        .select_from(Membresia)
        .join(Empresa, Empresa.id == Membresia.empresa_id)
        .outerjoin(membresia_rol, membresia_rol.c.membresia_id == Membresia.id)
        .outerjoin(RolEmpresa, and_(RolEmpresa.id == membresia_rol.c.rol_id, RolEmpresa.activo.is_(True)))
        .outerjoin(rol_empresa_permiso, rol_empresa_permiso.c.rol_id == RolEmpresa.id)
        .where(
            Membresia.usuario_id == usuario_id,
            Membresia.empresa_id == empresa_id,
            Membresia.estado == MEMBRESIA_ACEPTADO,
            Empresa.estado == ESTADO_EMPRESA_ACTIVA,
        )
        .execution_options(todas_las_empresas=True)
    ).all()
    if not filas:
        return None
    primera = filas[0]
    return Actuacion(
        empresa_id=empresa_id,
        membresia_id=primera[0],
        razon_social=primera[1],
        nit=f"{primera[2]}-{primera[3]}",
        es_representante_legal=primera[4],
        permisos=frozenset(f[5] for f in filas if f[5]),
    )


def cargar() -> None:
    """before_request: set g.actuacion / g.empresa_id / g.alcance_global for this request."""
    g.actuacion = None
    g.empresa_id = None
    g.alcance_global = False
    empresa_id = session.get(CLAVE_SESION)
    if not current_user or not current_user.is_authenticated:
        if empresa_id is not None:
            session.pop(CLAVE_SESION, None)
        return
    if empresa_id is None:
        g.alcance_global = any(r.name in ROLES_DE_PLATAFORMA_GLOBALES for r in current_user.roles)
        return
    from app.extensions import db

    try:
        empresa_id = int(empresa_id)
    except (TypeError, ValueError):
        session.pop(CLAVE_SESION, None)
        return
    actuacion = consultar(db.session, current_user.id, empresa_id)
    if actuacion is None:
        session.pop(CLAVE_SESION, None)
        flash(MSG_ACCESO_RETIRADO, "warning")
        return
    g.actuacion = actuacion
    g.empresa_id = actuacion.empresa_id


def actuar_como_empresa(empresa_id: int | None) -> None:
    """Store the choice; the next request verifies it (cargar)."""
    if empresa_id is None:
        session.pop(CLAVE_SESION, None)
    else:
        session[CLAVE_SESION] = int(empresa_id)


def tiene_permiso(hoja: str) -> bool:
    """True if the person acts as a company and one of their active roles grants the leaf."""
    actuacion = getattr(g, "actuacion", None)
    return actuacion is not None and hoja in actuacion.permisos


def registrar(app) -> None:
    app.before_request(cargar)

    @app.context_processor
    def _actuacion():
        return {"actuacion": getattr(g, "actuacion", None)}
