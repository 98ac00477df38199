"""Public pages that need no account: "Consulta de autorizaciones y certificados"."""

from __future__ import annotations

from flask import request
from flask_appbuilder import BaseView, expose


class ConsultaPublicaView(BaseView):
    route_base = "/consulta"
    default_view = "index"

    @expose("/")
    def index(self):
        # Expedientes and their constancias arrive with the expedientes issue; until then the search
        # honestly finds nothing and says so.
        numero = (request.args.get("numero") or "").strip()[:40]
        return self.render_template(
            "publico/consulta.html", numero=numero, resultados=[], title="Consulta de autorizaciones y certificados"
        )


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(ConsultaPublicaView())
