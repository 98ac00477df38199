"""Who the person acts as in this request: persona natural or one company ("Ingresar como").

The choice lives in the session (`empresa_id`); every request re-checks it — the membership must be Aceptado,
the company Activa — and loads the leaves of the member's active company roles. So an administrator inactivating a
member, deactivating a role or Invima suspending the company takes effect on the member's very next request.

The check costs no statement of its own: `columna_actuacion` is a correlated subquery that the security manager
adds to the statement loading the logged-in user (load_user), so user, platform permissions and company context
come in ONE statement per request (`precargar` hands the value over to `cargar`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, g, request, session
from flask_login import current_user
from sqlalchemy import and_, bindparam, func, select

from app.models.empresas import (
    ESTADO_EMPRESA_ACTIVA,
    MEMBRESIA_ACEPTADO,
    Empresa,
    Membresia,
    RolEmpresa,
    membresia_rol,
    rol_empresa_permiso,
)
from app.models.personas import Usuario

CLAVE_SESION = "empresa_id"
# Platform roles that see every company's rows. Invima's reviewers are not among them: they see the expedientes of
# their grupos in the back-office screens only (g.grupos_revision, app/security/autorizacion.py).
ROLES_DE_PLATAFORMA_GLOBALES = {"Admin", "Mesa de ayuda"}
# Flask's and FAB's static files (each page asks for ~20 of them when not served by a proxy).
ENDPOINTS_ESTATICOS = frozenset({"static", "appbuilder.static", "favicon"})
MSG_ACCESO_RETIRADO = (
    "Ya no tiene acceso a la empresa seleccionada (su usuario en la empresa fue inactivado o la empresa está suspendida). "
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
    """The person's accepted membership in an active company with the leaves of their active roles, or None.

    Standalone form of `columna_actuacion` (normally read together with the user by load_user).
    """
    usuarios = Usuario.__table__
    valor = db_session.execute(
        select(columna_actuacion(usuarios)).select_from(usuarios).where(usuarios.c.id == usuario_id),
        {"empresa_id": empresa_id},
    ).scalar()
    return de_json(empresa_id, valor)


_PRECARGA = "_invima_actuacion_precargada"


def empresa_en_sesion() -> int | None:
    """The company chosen in "Ingresar como", as stored in the session (not yet verified); None if absent or bad."""
    valor = session.get(CLAVE_SESION)
    if valor is None:
        return None
    try:
        return int(valor)
    except (TypeError, ValueError):
        return None


def columna_actuacion(usuarios):
    """Correlated scalar subquery over `usuarios` (ab_user of the enclosing SELECT), bound to :empresa_id.

    A JSON object with the accepted membership (Aceptado) in that company (Activa) and the leaves of the member's
    active roles, or NULL when the person may not act as it. Turn it into an Actuacion with `de_json`.
    """
    m, e, r, mr, rp = (
        Membresia.__table__,
        Empresa.__table__,
        RolEmpresa.__table__,
        membresia_rol,
        rol_empresa_permiso,
    )
    return (
        select(
            func.json_build_object(
                "membresia_id",
                m.c.id,
                "razon_social",
                e.c.razon_social,
                "nit",
                e.c.nit,
                "dv",
                e.c.digito_verificacion,
                "rl",
                m.c.es_representante_legal,
                "permisos",
                func.array_remove(func.array_agg(rp.c.permiso.distinct()), None),
            )
        )
        .select_from(m)
        .join(e, e.c.id == m.c.empresa_id)
        .outerjoin(mr, mr.c.membresia_id == m.c.id)
        .outerjoin(r, and_(r.c.id == mr.c.rol_id, r.c.activo.is_(True)))
        .outerjoin(rp, rp.c.rol_id == r.c.id)
        .where(
            m.c.usuario_id == usuarios.c.id,
            m.c.empresa_id == bindparam("empresa_id"),
            m.c.estado == MEMBRESIA_ACEPTADO,
            e.c.estado == ESTADO_EMPRESA_ACTIVA,
        )
        .group_by(m.c.id, e.c.id)
        .correlate(usuarios)
        .scalar_subquery()
        .label("actuacion")
    )


def de_json(empresa_id: int, valor) -> Actuacion | None:
    if not valor:
        return None
    return Actuacion(
        empresa_id=empresa_id,
        membresia_id=valor["membresia_id"],
        razon_social=valor["razon_social"],
        nit=f"{valor['nit']}-{valor['dv']}",
        es_representante_legal=bool(valor["rl"]),
        permisos=frozenset(valor["permisos"] or ()),
    )


def precargar(usuario_id: int, empresa_id: int, valor) -> None:
    """Called by load_user with the value of `columna_actuacion` read together with the user."""
    setattr(g, _PRECARGA, (usuario_id, empresa_id, de_json(empresa_id, valor)))


def cargar() -> None:
    """before_request: set g.actuacion / g.empresa_id / g.alcance_global for this request."""
    g.actuacion = None
    g.empresa_id = None
    g.persona_id = None
    g.alcance_global = False
    g.grupos_revision = None
    if request.endpoint in ENDPOINTS_ESTATICOS:
        return  # a stylesheet or script needs no user: no load_user, no statement
    empresa_id = session.get(CLAVE_SESION)
    if not current_user or not current_user.is_authenticated:
        if empresa_id is not None:
            session.pop(CLAVE_SESION, None)
        return
    g.persona_id = current_user.id  # acting as persona natural unless a company is verified below
    if empresa_id is None:
        g.alcance_global = any(r.name in ROLES_DE_PLATAFORMA_GLOBALES for r in current_user.roles)
        return
    empresa_id = empresa_en_sesion()
    if empresa_id is None:
        session.pop(CLAVE_SESION, None)
        return
    precargada = g.pop(_PRECARGA, None)
    if precargada is not None and precargada[:2] == (current_user.id, empresa_id):
        actuacion = precargada[2]
    else:  # the user was not loaded by load_user in this request (e.g. a test logging in another way)
        from app.extensions import db

        actuacion = consultar(db.session, current_user.id, empresa_id)
    if actuacion is None:
        session.pop(CLAVE_SESION, None)
        flash(MSG_ACCESO_RETIRADO, "warning")
        return
    g.actuacion = actuacion
    g.empresa_id = actuacion.empresa_id
    g.persona_id = None


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
