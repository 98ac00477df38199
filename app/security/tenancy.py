"""Company data isolation at the ORM layer (ARCHITECTURE §4 "Companies (tenancy)").

Every ORM statement (SELECT, and ORM-enabled UPDATE/DELETE, including relationship loads) that touches a model
with `__tenant__ = True` gets `empresa_id = <company the person acts as>` added through
`with_loader_criteria`. So FAB list/show/edit/delete, actions, exports, related-field dropdowns and the REST API
cannot see or change another company's rows, whatever ids a request carries.

The scope comes from `alcance()`:
- acting as a company (g.empresa_id set by the security manager after checking the membership) → that company;
- platform staff acting as themselves (g.alcance_global) → no filter;
- anyone else inside a request → no rows at all;
- outside a request (CLI, workers, service tests) → no filter.
A service that must look across companies on the person's behalf (their own invitations, the company picker)
passes `execution_options(todas_las_empresas=True)` explicitly.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import event, false
from sqlalchemy.orm import Session, with_loader_criteria

SIN_FILTRO = object()
NINGUNA = object()


def alcance():
    """The company id the current request may see, SIN_FILTRO or NINGUNA."""
    if not has_request_context():
        return SIN_FILTRO
    empresa_id = getattr(g, "empresa_id", None)
    if empresa_id is not None:
        return empresa_id
    if getattr(g, "alcance_global", False):
        return SIN_FILTRO
    return NINGUNA


_MODELOS: list | None = None


def modelos_por_empresa() -> list:
    global _MODELOS
    if _MODELOS is None:
        from flask_appbuilder import Model

        _MODELOS = [m.class_ for m in Model.registry.mappers if getattr(m.class_, "__tenant__", False)]
    return _MODELOS


def _solo_empresa(modelo, empresa_id: int):
    return with_loader_criteria(modelo, lambda cls: cls.empresa_id == empresa_id, include_aliases=True)


def _nada(modelo):
    return with_loader_criteria(modelo, lambda cls: false(), include_aliases=True)


def _filtrar(estado) -> None:
    if not (estado.is_select or estado.is_update or estado.is_delete):
        return
    if estado.execution_options.get("todas_las_empresas"):
        return
    actual = alcance()
    if actual is SIN_FILTRO:
        return
    for modelo in modelos_por_empresa():
        criterio = _nada(modelo) if actual is NINGUNA else _solo_empresa(modelo, actual)
        estado.statement = estado.statement.options(criterio)


def instalar() -> None:
    """Register the listener once for every ORM session of the process."""
    if not event.contains(Session, "do_orm_execute", _filtrar):
        event.listen(Session, "do_orm_execute", _filtrar)
