"""Activation with PIN, new PIN and password recovery (manual 4.4, 4.5)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import BaseView, expose


class RecuperacionView(BaseView):
    route_base = "/cuenta/recuperar"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    def index(self):
        return redirect(url_for("LoginView.login"))


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(RecuperacionView())
