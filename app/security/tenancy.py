"""Company data isolation at the ORM layer (ARCHITECTURE §4 "Companies (tenancy)").

Every ORM statement (SELECT, and ORM-enabled UPDATE/DELETE, including relationship loads) that touches a model
with `__tenant__ = True` gets `empresa_id = <company the person acts as>` added through
`with_loader_criteria`. So FAB list/show/edit/delete, actions, exports, related-field dropdowns and the REST API
cannot see or change another company's rows, whatever ids a request carries.

The scope comes from `alcance()`:
- acting as a company (g.empresa_id set by the security manager after checking the membership) → that company;
- platform staff acting as themselves (g.alcance_global) → no filter;
- anyone else inside a request → no rows at all;
- outside a request → no rows at all too (fails closed), unless the code opened `todas_las_empresas()`: the CLI,
  the outbox workers, seeding and the tests' service-level fixtures do so explicitly.
A service that must look across companies on the person's behalf (their own invitations, the company picker)
passes `execution_options(todas_las_empresas=True)` on that one statement.

Models with `__titular__ = True` (expedientes) belong to a company *or* a person: acting as a company, the request
sees that company's rows (`empresa_id`); acting as persona natural, only the person's own (`persona_id`, set in
g.persona_id by app/security/contexto.py). The third case is Invima's staff in a back-office screen: the gate of
those screens (app/security/autorizacion.py, `acceso_de_funcionario`) sets g.grupos_revision to the funcionario's
grupos, and the request sees the rows of those grupos (`grupo_id`) — nothing else, not even the person's own.
Outside those three, nothing — the same fail-closed rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context
from sqlalchemy import event, false
from sqlalchemy.orm import Session, with_loader_criteria

SIN_FILTRO = object()
NINGUNA = object()


# Set only by `todas_las_empresas()`; a context variable, so one worker thread opening it opens nothing elsewhere.
_FUERA_DE_PETICION_SIN_FILTRO: ContextVar[bool] = ContextVar("todas_las_empresas", default=False)


@contextmanager
def todas_las_empresas(abiertas: bool = True) -> Iterator[None]:
    """Outside a request, see every company inside the block (CLI, workers, seeding, service tests).

    Requests are not affected: their scope is always the company the person acts as. `todas_las_empresas(False)`
    closes the scope again inside an opened block.
    """
    anterior = _FUERA_DE_PETICION_SIN_FILTRO.set(abiertas)
    try:
        yield
    finally:
        _FUERA_DE_PETICION_SIN_FILTRO.reset(anterior)


def alcance():
    """The company id the current request may see, SIN_FILTRO or NINGUNA (outside a request: NINGUNA unless opened)."""
    if not has_request_context():
        return SIN_FILTRO if _FUERA_DE_PETICION_SIN_FILTRO.get() else NINGUNA
    empresa_id = getattr(g, "empresa_id", None)
    if empresa_id is not None:
        return empresa_id
    if getattr(g, "alcance_global", False):
        return SIN_FILTRO
    return NINGUNA


def titular():
    """("empresa", id), ("persona", id) or ("grupos", ids) whose `__titular__` rows the request may see, SIN_FILTRO
    or NINGUNA."""
    if not has_request_context():
        return SIN_FILTRO if _FUERA_DE_PETICION_SIN_FILTRO.get() else NINGUNA
    grupos = getattr(g, "grupos_revision", None)
    if grupos is not None:
        return ("grupos", tuple(grupos))
    empresa_id = getattr(g, "empresa_id", None)
    if empresa_id is not None:
        return ("empresa", empresa_id)
    persona_id = getattr(g, "persona_id", None)
    return ("persona", persona_id) if persona_id is not None else NINGUNA


_MODELOS: dict[str, list] = {}


def _modelos_con(marca: str) -> list:
    if marca not in _MODELOS:
        from flask_appbuilder import Model

        _MODELOS[marca] = [m.class_ for m in Model.registry.mappers if getattr(m.class_, marca, False)]
    return _MODELOS[marca]


def modelos_por_empresa() -> list:
    return _modelos_con("__tenant__")


def modelos_por_titular() -> list:
    return _modelos_con("__titular__")


def _solo_empresa(modelo, empresa_id: int):
    return with_loader_criteria(modelo, lambda cls: cls.empresa_id == empresa_id, include_aliases=True)


def _nada(modelo):
    return with_loader_criteria(modelo, lambda cls: false(), include_aliases=True)


def _del_titular(modelo, clave: str, valor):
    if clave == "empresa":
        return with_loader_criteria(modelo, lambda cls: cls.empresa_id == valor, include_aliases=True)
    if clave == "grupos":
        return with_loader_criteria(modelo, lambda cls: cls.grupo_id.in_(valor), include_aliases=True)
    return with_loader_criteria(modelo, lambda cls: cls.persona_id == valor, include_aliases=True)


def _filtrar(estado) -> None:
    if not (estado.is_select or estado.is_update or estado.is_delete):
        return
    if estado.execution_options.get("todas_las_empresas"):
        return
    actual = alcance()
    if actual is not SIN_FILTRO:
        for modelo in modelos_por_empresa():
            criterio = _nada(modelo) if actual is NINGUNA else _solo_empresa(modelo, actual)
            estado.statement = estado.statement.options(criterio)
    suyo = titular()
    if suyo is not SIN_FILTRO:
        for modelo in modelos_por_titular():
            criterio = _nada(modelo) if suyo is NINGUNA else _del_titular(modelo, *suyo)
            estado.statement = estado.statement.options(criterio)


def instalar() -> None:
    """Register the listener once for every ORM session of the process."""
    if not event.contains(Session, "do_orm_execute", _filtrar):
        event.listen(Session, "do_orm_execute", _filtrar)
