"""Registers every view with AppBuilder; the menu is built in the order of this list."""

from __future__ import annotations


def register_views(appbuilder) -> None:
    from app.views.crud import register_crud_views
    from app.views.flows import register_flow_views

    register_flow_views(appbuilder)
    register_crud_views(appbuilder)
    from app.views.api import empresa as api_empresa

    api_empresa.register(appbuilder)
