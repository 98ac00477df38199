"""The one base of the app's generated screens (FAB ModelViews).

FAB keeps a screen's active search (`_filters`) on the view object, created once at start-up and shared by every
request (Flask-AppBuilder issue #2366): under a threaded server one request's list could be filtered with another's
search. `FiltrosPorPeticion` gives each request its own copy, kept in `flask.g` for the request.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder import ModelView


class FiltrosPorPeticion:
    """Mixin before FAB's view class: the search (`_filters`) lives in the request, not on the shared view."""

    _filtros_de_la_vista = None

    @property
    def _filters(self):
        if not has_request_context():
            return self._filtros_de_la_vista
        propios = g.setdefault("filtros_por_vista", {})
        if id(self) not in propios:
            propios[id(self)] = self.datamodel.get_filters(self.search_columns)
        return propios[id(self)]

    @_filters.setter
    def _filters(self, filtros):
        # FAB assigns it once when the view is built; requests never write it, they fill their own copy.
        self._filtros_de_la_vista = filtros


class VistaModelo(FiltrosPorPeticion, ModelView):
    """Base of every generated screen of the app (the platform's user screens use the mixin on FAB's own class)."""

    page_size = 25
    max_page_size = 100
