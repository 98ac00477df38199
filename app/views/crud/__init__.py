"""Generated FAB screens (ModelViews / ModelRestApis). Each module registers its own views and their leaves."""

from __future__ import annotations

from app.views.crud import (
    auditoria,
    catalogo,
    cola_revision,
    correo,
    empresas,
    expedientes,
    funcionarios,
    referencias,
    registros,
    roles_empresa,
    usuarios_empresa,
)

# In menu order.
CRUD_MODULES = (
    referencias,
    correo,
    auditoria,
    empresas,
    catalogo,
    roles_empresa,
    usuarios_empresa,
    expedientes,
    cola_revision,
    registros,
    funcionarios,
)


def register_crud_views(appbuilder) -> None:
    for module in CRUD_MODULES:
        module.register(appbuilder)
