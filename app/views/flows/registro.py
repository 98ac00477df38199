"""Crear cuenta: 3-step wizard (manual 4.3.2–4.3.5). Filled in by the signup work."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import BaseView, expose


class RegistroView(BaseView):
    route_base = "/registro"
    default_view = "paso"

    @expose("/paso/<int:numero>", methods=["GET", "POST"])
    def paso(self, numero: int):
        return redirect(url_for("LoginView.login"))


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(RegistroView())
