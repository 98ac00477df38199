"""Per-request permission set: one query for all the user's roles, reused by every check and the menu."""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import select

_CACHE_ATTR = "_invima_permisos"


def permisos_de_roles(session, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
    """All (permission, view_menu) pairs granted to any of the roles, in one statement."""
    if not role_ids:
        return frozenset()
    rows = session.execute(
        select(Permission.name, ViewMenu.name)
        .select_from(PermissionView)
        .join(Permission, PermissionView.permission_id == Permission.id)
        .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
        .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == PermissionView.id)
        .where(assoc_permissionview_role.c.role_id.in_(role_ids))
    ).all()
    return frozenset((p, v) for p, v in rows)


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
