"""Platform roles as data, synced by `flask seed` (and at start-up of `make run`).

Each role lists the view menus (FAB class permission names or menu names) it may use — every permission FAB
registered for such a view is granted — or single (permission, view menu) pairs where a role gets only part of a
view (a reviewer lists the queue; only a coordinator assigns). "Admin" receives every permission through FAB itself.

Invima's back-office staff (issue 13 §1): a Coordinador assigns and oversees the grupo's queue and may withdraw a
VoBo; a Revisor legal and a Revisor técnico verify their part of each checklist and give their VoBo. Which
expedientes each of them sees is not a role's matter but their grupos' (app/models/funcionarios.py).
"""

from __future__ import annotations

ROL_ADMIN = "Admin"
ROL_MESA_AYUDA = "Mesa de ayuda"
ROL_USUARIO = "Usuario"
ROL_PUBLICO = "Public"
ROL_COORDINADOR = "Coordinador"
ROL_REVISOR_LEGAL = "Revisor legal"
ROL_REVISOR_TECNICO = "Revisor técnico"
ROLES_DE_REVISION = (ROL_COORDINADOR, ROL_REVISOR_LEGAL, ROL_REVISOR_TECNICO)

_CUENTA = ["PerfilView", "CambioContrasenaView"]
_REVISOR = [
    *_CUENTA,
    "Revisión",
    ("can_list", "ColaRevisionView"),
    ("can_show", "ColaRevisionView"),
    "Cola de expedientes",
    "RegistrosRevisionView",
    "Registros sanitarios",
    ("can_ver", "VerificacionView"),
    ("can_ver", "DecisionRevisionView"),
    ("can_requerir", "DecisionRevisionView"),
]

ROLES: dict[str, dict] = {
    ROL_ADMIN: {"descripcion": "Administrador de la plataforma", "vistas": "*"},
    ROL_MESA_AYUDA: {
        "descripcion": "Agente de la Mesa de ayuda de InvimÁgil",
        "vistas": ["MesaAyudaView", "Mesa de ayuda", "Buscar cuentas", "PerfilView", "CambioContrasenaView"],
    },
    ROL_USUARIO: {
        "descripcion": "Persona con cuenta activada",
        "vistas": [
            "PerfilView",
            "CambioContrasenaView",
            "RegistroEmpresaView",
            "Registrar una empresa",
            "InvitacionesView",
            "Mis invitaciones",
            # Filing as persona natural (a company member needs the company leaves: app/security/autorizacion.py).
            "Expedientes",
            "Trámites",
            "Nuevo trámite",
            "ConfirmacionesView",
            "Confirmar como responsable técnico",
            "MisExpedientes",
            "Mis expedientes",
            "MisRegistrosView",
            "Mis registros sanitarios",
            "RequerimientosView",
            "NotificacionesView",
        ],
    },
    ROL_PUBLICO: {"descripcion": "Visitante sin sesión", "vistas": []},
    ROL_COORDINADOR: {
        "descripcion": "Coordinador de grupo de revisión del Invima",
        "vistas": [
            *_CUENTA,
            "Revisión",
            "ColaRevisionView",
            "Cola de expedientes",
            "TableroRevisionView",
            "Tablero de revisión",
            "RegistrosRevisionView",
            "Registros sanitarios",
            ("can_ver", "VerificacionView"),
            ("can_retirar_vobo", "VerificacionView"),
            "DecisionRevisionView",
        ],
    },
    ROL_REVISOR_LEGAL: {
        "descripcion": "Revisor legal del Invima",
        "vistas": [*_REVISOR, ("can_verificar_legal", "VerificacionView")],
    },
    ROL_REVISOR_TECNICO: {
        "descripcion": "Revisor técnico del Invima",
        "vistas": [*_REVISOR, ("can_verificar_tecnico", "VerificacionView")],
    },
}


def sync_roles(sm) -> None:
    """Create the roles and set exactly their permissions (Admin keeps all). Idempotent."""
    from flask_appbuilder.security.sqla.models import PermissionView, ViewMenu
    from sqlalchemy.orm import joinedload

    session = sm.session
    todas = session.query(PermissionView).join(ViewMenu).options(joinedload(PermissionView.permission)).all()
    for nombre, definicion in ROLES.items():
        rol = sm.find_role(nombre) or sm.add_role(nombre)
        if definicion["vistas"] == "*":
            deseadas = set(todas)
        else:
            vistas = {v for v in definicion["vistas"] if isinstance(v, str)}
            pares = {v for v in definicion["vistas"] if isinstance(v, tuple)}
            deseadas = {
                pv for pv in todas if pv.view_menu.name in vistas or (pv.permission.name, pv.view_menu.name) in pares
            }
        actuales = set(rol.permissions)
        if actuales != deseadas:
            rol.permissions = sorted(deseadas, key=lambda pv: pv.id)
    session.commit()
