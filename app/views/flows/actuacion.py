"""Choose who to act as — persona natural or one of the person's companies — without logging out."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_login import login_required
from flask_wtf import FlaskForm

from app.extensions import db
from app.security import contexto
from app.services.empresas.actuacion import empresas_disponibles

MSG_SIN_EMPRESAS = (
    "No tiene empresas en las que su membresía esté aceptada. Puede registrar una empresa o aceptar una invitación; "
    "mientras tanto actúa como persona natural."
)


class ActuacionView(BaseView):
    route_base = "/actuar"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @login_required
    def index(self):
        form = FlaskForm()
        empresas = empresas_disponibles(db.session, g.user.id)
        if request.method == "POST":
            if not form.validate_on_submit():
                return self.render_template(
                    "actuacion/elegir.html", empresas=empresas, form=form, title="Ingresar como"
                ), 400
            eleccion = request.form.get("empresa", "")
            if eleccion == "natural":
                contexto.actuar_como_empresa(None)
                flash("Ahora actúa como persona natural.", "info")
                return redirect(url_for("InicioView.index"))
            elegida = next((e for e in empresas if str(e.id) == eleccion), None)
            if elegida is None:
                flash("Seleccione una de sus empresas.", "danger")
                return self.render_template(
                    "actuacion/elegir.html", empresas=empresas, form=form, title="Ingresar como"
                ), 400
            contexto.actuar_como_empresa(elegida.id)
            flash(f"Ahora actúa como {elegida.razon_social.rstrip('.')}.", "info")  # «S.A.S.», not «S.A.S..»
            return redirect(url_for("InicioView.index"))
        if request.args.get("tipo") == "juridica":
            if not empresas:
                flash(MSG_SIN_EMPRESAS, "warning")
                return redirect(url_for("InicioView.index"))
            if len(empresas) == 1:
                contexto.actuar_como_empresa(empresas[0].id)
                return redirect(url_for("InicioView.index"))
        return self.render_template("actuacion/elegir.html", empresas=empresas, form=form, title="Ingresar como")


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(ActuacionView())
