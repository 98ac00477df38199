"""The one base of the app's generated screens (FAB ModelViews) and of their data interface.

FAB keeps a screen's active search (`_filters`) on the view object, created once at start-up and shared by every
request (Flask-AppBuilder issue #2366): under a threaded server one request's list could be filtered with another's
search. `FiltrosPorPeticion` gives each request its own copy, kept in `flask.g` for the request.

FAB counts a list's rows exactly (`SELECT count(*)` over every matching row): over a million accounts that count is
most of the page's time. `DatosModelo` counts up to TOPE_CONTEO + 1 rows and stops; past the cap the list says
«más de 10 000» and pages up to there (a search narrows it). Every screen also has a default order (`base_order`,
FAB adds the primary key as tie-breaker), so a page shows the same rows from one request to the next.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface

TOPE_CONTEO = 10_000


class ConteoAcotado(int):
    """A count that reached the cap: arithmetic (FAB's pager) sees TOPE_CONTEO + 1, people read «más de 10 000»."""

    def __str__(self) -> str:
        return "más de " + f"{TOPE_CONTEO:,}".replace(",", " ")


class DatosModelo(SQLAInterface):
    """FAB's SQLAInterface whose list count stops at TOPE_CONTEO + 1 rows."""

    def query_count(self, query, filters=None, select_columns=None) -> int:
        filtrada = self.apply_all(query, filters, select_columns=select_columns)
        total = filtrada.order_by(None).limit(TOPE_CONTEO + 1).count()
        return ConteoAcotado(total) if total > TOPE_CONTEO else total


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
    base_order = ("id", "asc")
