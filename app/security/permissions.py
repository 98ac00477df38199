"""Per-request permission set: one query for all the user's roles, reused by every check and the menu.

For the logged-in user the set comes in the same statement that loads the user (`columna_permisos`, used by
the security manager's load_user), so a request needs no separate permission query. Nothing is kept between
requests: a role or permission change applies on the very next request.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_group_role,
    assoc_permissionview_role,
    assoc_user_group,
    assoc_user_role,
)
from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import array

_CACHE_ATTR = "_invima_permisos"

_pv = PermissionView.__table__
_permiso = Permission.__table__
_vista = ViewMenu.__table__


def permisos_de_roles(session, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
    """All (permission, view_menu) pairs granted to any of the roles, in one statement."""
    if not role_ids:
        return frozenset()
    rows = session.connection().execute(
        select(_permiso.c.name, _vista.c.name)
        .select_from(_pv)
        .join(_permiso, _pv.c.permission_id == _permiso.c.id)
        .join(_vista, _pv.c.view_menu_id == _vista.c.id)
        .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == _pv.c.id)
        .where(assoc_permissionview_role.c.role_id.in_(role_ids))
    )
    return frozenset((p, v) for p, v in rows)


def columna_permisos(usuarios, roles_excluidos: tuple[str, ...] = ()):
    """Correlated scalar subquery: the user's (permission, view_menu) pairs as a text[][] (NULL if none).

    `usuarios` is the ab_user table of the enclosing SELECT (one row per user).

    Covers the user's roles and the roles of the user's groups, except `roles_excluidos` (FAB's builtin
    roles, whose permissions live in the configuration). Turn the value into a set with `pares`.
    """
    pvr = assoc_permissionview_role.c
    usuario_id = usuarios.c.id
    directos = select(assoc_user_role.c.role_id).where(assoc_user_role.c.user_id == usuario_id).correlate(usuarios)
    por_grupo = (
        select(assoc_group_role.c.role_id)
        .join(assoc_user_group, assoc_user_group.c.group_id == assoc_group_role.c.group_id)
        .where(assoc_user_group.c.user_id == usuario_id)
        .correlate(usuarios)
    )
    # Explicitly correlated: the outer ab_user row is two levels up.
    con_permiso = select(pvr.permission_view_id).where(or_(pvr.role_id.in_(directos), pvr.role_id.in_(por_grupo)))
    if roles_excluidos:
        con_permiso = con_permiso.where(
            pvr.role_id.not_in(select(Role.__table__.c.id).where(Role.__table__.c.name.in_(roles_excluidos)))
        )
    return (
        select(func.array_agg(array([_permiso.c.name, _vista.c.name])))
        .select_from(_pv)
        .join(_permiso, _pv.c.permission_id == _permiso.c.id)
        .join(_vista, _pv.c.view_menu_id == _vista.c.id)
        .where(_pv.c.id.in_(con_permiso))
        .scalar_subquery()
        .label("permisos")
    )


def pares(valor) -> frozenset[tuple[str, str]]:
    """The value of `columna_permisos` as a set of (permission, view_menu)."""
    return frozenset((p, v) for p, v in valor or ())


def guardar_en_peticion(role_ids: tuple[int, ...], permisos: frozenset[tuple[str, str]]) -> None:
    """Remember the set already read for these roles until the end of the request."""
    if has_request_context():
        cache = getattr(g, _CACHE_ATTR, None)
        if cache is None:
            cache = {}
            setattr(g, _CACHE_ATTR, cache)
        cache[role_ids] = permisos


def permisos_cacheados(session, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
    """Like permisos_de_roles, memoised on flask.g for the rest of the request."""
    if not has_request_context():
        return permisos_de_roles(session, role_ids)
    cache = getattr(g, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(g, _CACHE_ATTR, cache)
    if role_ids not in cache:
        cache[role_ids] = permisos_de_roles(session, role_ids)
    return cache[role_ids]
