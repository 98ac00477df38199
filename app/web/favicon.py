"""The site's icon: linked from every page (base_invima.html) and served at /favicon.ico, where browsers and other
clients ask for it without a link (before: a 404 on each first visit, logged as an error page)."""

from __future__ import annotations

from flask import Flask, send_from_directory

UN_DIA = 86_400


def instalar(app: Flask) -> None:
    def favicon():
        return send_from_directory(
            app.static_folder, "img/favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=UN_DIA
        )

    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=favicon)
