"""Custom views for the flows CRUD cannot express. Each module registers its own views."""

from __future__ import annotations

FLOW_MODULES = (
    "publico",
    "actuacion",
    "auditoria_empresa",
    "empresa_datos",
    "empresa_registro",
    "empresa_admin",
    "invitaciones",
    "registro",
    "activacion",
    "perfil",
    "mesa_ayuda",
)


def register_flow_views(appbuilder) -> None:
    import importlib

    for name in FLOW_MODULES:
        module = importlib.import_module(f"app.views.flows.{name}")
        module.register(appbuilder)
