"""Mesa de ayuda: account look-up for help-desk agents (roles Mesa de ayuda and Admin)."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.db.sin_transaccion import sin_transaccion
from app.extensions import db, limiter
from app.services import mesa_ayuda
from app.services.errores import ErrorDominio
from app.web.transaccion import aplicar_errores, ejecutar, errores_de, unidad_de_trabajo


class BusquedaForm(FlaskForm):
    """GET form: read-only search, so no CSRF token in the URL."""

    class Meta:
        csrf = False

    q = StringField(
        "Buscar",
        validators=[
            DataRequired(message="Escriba un número de identificación, un correo electrónico o un nombre."),
            Length(max=mesa_ayuda.LONGITUD_MAXIMA, message=f"Máximo {mesa_ayuda.LONGITUD_MAXIMA} caracteres."),
        ],
    )
    criterio = SelectField(
        "Buscar por",
        choices=list(mesa_ayuda.CRITERIOS.items()),
        default=mesa_ayuda.CRITERIO_AUTOMATICO,
    )


class AccionForm(FlaskForm):
    """Empty form: only its CSRF token, for the POST buttons."""


def _limite_pin():
    return current_app.config["LIMITE_PIN"]


def _enlaces_detalle(resultado, criterio: str):
    """`usuario_id -> href` of each row's "Ver detalle": the URL url_for gives, built with one url_for per page.

    The route ends in the id (`/cuenta/<int:usuario_id>`), so the path of any id is the path of id 0 with that
    id in place of the final 0, and the query (q, criterio) is the same for every row.
    """
    if resultado is None or not resultado.cuentas:
        return None
    muestra = url_for("MesaAyudaView.detalle", usuario_id=0, q=resultado.texto, criterio=criterio)
    ruta, consulta = muestra.split("?", 1)
    prefijo = ruta.removesuffix("0")
    return lambda usuario_id: f"{prefijo}{int(usuario_id)}?{consulta}"


class MesaAyudaView(BaseView):
    route_base = "/mesa-ayuda"
    default_view = "buscar"

    @expose("/")
    @has_access
    @sin_transaccion  # two statements, each complete: the user's load and the look-up with its audit row
    def buscar(self):
        form = BusquedaForm(request.args)
        resultado = None
        # The page is rendered inside the unit of work, before the commit of the audit row the look-up wrote, so
        # it does not reload the expired user and roles: the whole request stays within a handful of statements.
        with unidad_de_trabajo():
            if request.args and form.validate():
                try:
                    resultado = mesa_ayuda.buscar_cuentas(
                        db.session, form.q.data, form.criterio.data, agente_id=g.user.id, ip=request.remote_addr
                    )
                except ErrorDominio as error:  # the search was refused before anything was written
                    aplicar_errores(form, errores_de(error))
            status = 400 if form.errors else 200
            pagina = self.render_template(
                "mesa_ayuda/buscar.html",
                title="Mesa de ayuda",
                form=form,
                resultado=resultado,
                enlace_detalle=_enlaces_detalle(resultado, form.criterio.data),
                longitud_maxima=mesa_ayuda.LONGITUD_MAXIMA,
            )
        return pagina, status

    @expose("/cuenta/<int:usuario_id>")
    @has_access
    def detalle(self, usuario_id: int):
        with unidad_de_trabajo():  # NoEncontrado: 404; the audit row is committed after rendering (as above)
            cuenta = mesa_ayuda.consultar_cuenta(db.session, usuario_id, agente_id=g.user.id, ip=request.remote_addr)
            return self.render_template(
                "mesa_ayuda/detalle.html", title="Detalle de la cuenta", cuenta=cuenta, form=AccionForm()
            )

    @expose("/cuenta/<int:usuario_id>/reenviar-pin", methods=["POST"])
    @has_access
    @limiter.limit(_limite_pin, error_message="Demasiados intentos. Espere un momento e intente de nuevo.")
    def reenviar_pin(self, usuario_id: int):
        if not AccionForm().validate_on_submit():
            abort(400)
        resultado = ejecutar(
            lambda: mesa_ayuda.reenviar_pin_activacion(
                db.session, usuario_id, agente_id=g.user.id, ip=request.remote_addr
            )
        )
        if resultado:
            correo = resultado.valor
            flash(f"Se envió un nuevo PIN de activación al correo {correo}. El PIN anterior quedó anulado.", "success")
        return redirect(url_for("MesaAyudaView.detalle", usuario_id=usuario_id))


def register(appbuilder) -> None:
    appbuilder.add_view(
        MesaAyudaView(),
        "Buscar cuentas",
        icon="fa-life-ring",
        category="Mesa de ayuda",
        category_icon="fa-life-ring",
    )
