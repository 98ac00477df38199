"""Custom views for the flows CRUD cannot express. Each module registers its own views and their leaves."""

from __future__ import annotations

from app.views.flows import (
    activacion,
    actuacion,
    auditoria_empresa,
    empresa_admin,
    empresa_datos,
    empresa_registro,
    expedientes,
    invitaciones,
    mesa_ayuda,
    perfil,
    publico,
    registro,
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
    invitaciones,
    registro,
    activacion,
    perfil,
    mesa_ayuda,
    verificacion_revision,
)


def register_flow_views(appbuilder) -> None:
    for module in FLOW_MODULES:
        module.register(appbuilder)
