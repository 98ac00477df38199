"""Landing page after login: what the person can do next."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose


class InicioView(IndexView):
    index_template = "inicio.html"

    @expose("/")
    def index(self):
        if g.user is None or not g.user.is_authenticated:
            return redirect(url_for("LoginView.login"))
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
