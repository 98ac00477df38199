"""Custom views for the flows CRUD cannot express. Each module registers its own views and their leaves."""

from __future__ import annotations

from app.views.flows import (
    activacion,
    actuacion,
    auditoria_empresa,
    decisiones_revision,
    empresa_admin,
    empresa_datos,
    empresa_registro,
    expedientes,
    invitaciones,
    mesa_ayuda,
    notificaciones,
    perfil,
    publico,
    registro,
    requerimientos,
    tablero_revision,
    verificacion_revision,
)

# In menu order.
FLOW_MODULES = (
    publico,
    actuacion,
    auditoria_empresa,
    empresa_datos,
    empresa_registro,
    empresa_admin,
    expedientes,
    requerimientos,
    notificaciones,
    decisiones_revision,
    invitaciones,
    registro,
    activacion,
    perfil,
    mesa_ayuda,
    tablero_revision,
    verificacion_revision,
)


def register_flow_views(appbuilder) -> None:
    for module in FLOW_MODULES:
        module.register(appbuilder)
