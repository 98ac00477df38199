"""Platform roles as data, synced by `flask seed` (and at start-up of `make run`).

Each role lists the view menus (FAB class permission names or menu names) it may use; every permission FAB
registered for such a view is granted. "Admin" receives every permission through FAB itself.
"""

from __future__ import annotations

ROL_ADMIN = "Admin"
ROL_MESA_AYUDA = "Mesa de ayuda"
ROL_USUARIO = "Usuario"
ROL_PUBLICO = "Public"

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
        ],
    },
    ROL_PUBLICO: {"descripcion": "Visitante sin sesión", "vistas": []},
}


def sync_roles(sm) -> None:
    """Create the roles and set exactly their permissions (Admin keeps all). Idempotent."""
    from flask_appbuilder.security.sqla.models import PermissionView, ViewMenu

    session = sm.session
    todas = session.query(PermissionView).join(ViewMenu).all()
    for nombre, definicion in ROLES.items():
        rol = sm.find_role(nombre) or sm.add_role(nombre)
        if definicion["vistas"] == "*":
            deseadas = set(todas)
        else:
            vistas = set(definicion["vistas"])
            deseadas = {pv for pv in todas if pv.view_menu.name in vistas}
        actuales = set(rol.permissions)
        if actuales != deseadas:
            rol.permissions = sorted(deseadas, key=lambda pv: pv.id)
    session.commit()
