"""Mi perfil (manual 4.6)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import BaseView, expose


class PerfilView(BaseView):
    route_base = "/perfil"
    default_view = "index"

    @expose("/")
    def index(self):
        return redirect(url_for("InicioView.index"))


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(PerfilView())
