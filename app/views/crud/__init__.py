"""Generated FAB screens (ModelViews / ModelRestApis). Each module registers its own views."""

from __future__ import annotations

CRUD_MODULES = (
    "referencias",
    "correo",
    "auditoria",
    "empresas",
    "roles_empresa",
    "miembros_empresa",
)


def register_crud_views(appbuilder) -> None:
    import importlib

    for name in CRUD_MODULES:
        module = importlib.import_module(f"app.views.crud.{name}")
        module.register(appbuilder)
