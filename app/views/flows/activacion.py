"""Activation with PIN, «¿Olvidó su contraseña?» (new PIN or recovery link) and password reset (manual 4.4, 4.5, 4.7).

Views parse the form, call one service, commit and render; the rules live in app/services/cuentas/activacion.py
and app/services/cuentas/recuperacion.py.
"""

from __future__ import annotations

import secrets

from flask import current_app, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from app.extensions import db, limiter
from app.services.cuentas import activacion, captcha, contrasenas, recuperacion
from app.services.listas import opciones_tipo_identificacion
from app.views.flows.publico import captcha_resuelto
from app.web.transaccion import ejecutar, unidad_de_trabajo

MSG_LIMITE = "Demasiados intentos. Espere un momento e intente de nuevo."
MSG_ENLACE_DESCONOCIDO = "El enlace no es válido. Verifique que lo copió completo desde el correo recibido."
MSG_ACTIVADA = "Su cuenta fue activada con éxito."
MSG_RESTABLECIDA = "La contraseña se restableció correctamente."
MSG_SOLICITUD = (
    "Si los datos coinciden con una cuenta registrada, enviamos un correo con las instrucciones para "
    "recuperar el acceso a InvimÁgil: un enlace para definir una contraseña nueva o, si la cuenta aún no ha "
    "sido activada, un nuevo PIN de activación. Ingrese a su correo electrónico y revise también la carpeta "
    "de correo no deseado (Spam)."
)


def _limite_pin():
    return current_app.config["LIMITE_PIN"]


def _limite_recuperacion():
    return current_app.config["LIMITE_RECUPERACION"]


def _campo_contrasena(etiqueta):
    return PasswordField(
        etiqueta,
        validators=[
            DataRequired(message=contrasenas.MSG_REQUERIDA),
            Length(max=contrasenas.LONGITUD_MAXIMA, message=contrasenas.MSG_LARGA),
        ],
    )


def _campo_confirmacion(etiqueta):
    return PasswordField(
        etiqueta,
        validators=[
            DataRequired(message="Confirme la contraseña."),
            Length(max=contrasenas.LONGITUD_MAXIMA, message=contrasenas.MSG_LARGA),
        ],
    )


def _campo_tipo():
    return SelectField(
        _("Tipo de identificación"),
        coerce=str,
        validators=[DataRequired(message="Seleccione el tipo de identificación.")],
    )


def _recortar(valor):
    return valor.strip() if isinstance(valor, str) else valor


def _campo_identificacion():
    return StringField(
        _("Identificación"),
        filters=[_recortar],
        validators=[
            DataRequired(message="Ingrese su número de identificación."),
            Length(max=20, message="Máximo 20 caracteres."),
        ],
    )


def _campo_captcha():
    return StringField(
        _("Caracteres de verificación"),
        validators=[
            DataRequired(message="Ingrese los caracteres que aparecen en la imagen."),
            Length(max=20, message="Máximo 20 caracteres."),
        ],
    )


class ActivacionEnlaceForm(FlaskForm):
    pin = StringField(
        _("PIN de activación"),
        validators=[
            DataRequired(message=activacion.MSG_PIN_REQUERIDO),
            Length(max=12, message="El PIN de activación tiene máximo 12 caracteres."),
        ],
    )
    contrasena = _campo_contrasena(_("Contraseña"))
    confirmacion = _campo_confirmacion(_("Confirmar contraseña"))


class ActivacionForm(ActivacionEnlaceForm):
    """The generic form of the mail («Si el enlace no funciona…»): identification instead of the link.

    Its answers tell an account's state (no PIN, already active, PIN void), so, like recovery, it asks for the
    CAPTCHA and has recovery's limit per IP.
    """

    tipo_identificacion = _campo_tipo()
    identificacion = _campo_identificacion()
    captcha = _campo_captcha()


class RecuperacionForm(FlaskForm):
    tipo_identificacion = _campo_tipo()
    identificacion = _campo_identificacion()
    correo = StringField(
        _("Correo electrónico"),
        filters=[_recortar],
        validators=[
            DataRequired(message="Ingrese el correo electrónico asociado a la cuenta."),
            Length(max=254, message="Máximo 254 caracteres."),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Ingrese un correo electrónico válido."),
        ],
    )
    captcha = _campo_captcha()


class RestablecerForm(FlaskForm):
    contrasena = _campo_contrasena(_("Contraseña nueva"))
    confirmacion = _campo_confirmacion(_("Confirme contraseña"))


def _tipo_id(form) -> int | None:
    try:
        return int(form.tipo_identificacion.data)
    except (TypeError, ValueError):
        return None


def _restablecer(verificacion, form) -> None:
    recuperacion.restablecer(db.session, verificacion, form.contrasena.data, form.confirmacion.data)


class _VistaCuenta(BaseView):
    def aviso(self, titulo: str, mensaje: str, status: int, tipo: str = "warning", acciones=None, **extra):
        """One page for results and dead ends: a message and what the person can do next."""
        return self.render_template(
            "cuenta/aviso.html",
            title=titulo,
            titulo=titulo,
            mensaje=mensaje,
            tipo=tipo,
            acciones=acciones or [],
            **extra,
        ), status

    def enlace_desconocido(self, titulo: str, acciones):
        """A link that names no verification (mistyped, or from an older message): 404 and what to do next."""
        return self.aviso(titulo, MSG_ENLACE_DESCONOCIDO, 404, tipo="danger", acciones=acciones)

    def aviso_pin(self, error: activacion.PinNoVigente):
        if error.motivo == "activada":
            acciones = [("Iniciar sesión", url_for("LoginView.login"), True)]
            status = 410
        else:
            acciones = [
                ("¿Olvidó su contraseña?", url_for("RecuperacionView.index"), True),
                ("Iniciar sesión", url_for("LoginView.login"), False),
            ]
            status = 404 if error.motivo == "sin_pin" else 410
        return self.aviso("Activación de cuenta", error.mensaje, status, acciones=acciones)


class ActivacionView(_VistaCuenta):
    """Activation form reached from the mail's link, or the generic one with the identification."""

    route_base = "/cuenta/activar"
    default_view = "formulario"

    def _formulario(self, form, status: int, generico: bool):
        if generico:
            form.captcha.data = ""
        return self.render_template(
            "cuenta/activacion.html",
            title="Activación de cuenta",
            form=form,
            generico=generico,
            reglas=contrasenas.REGLAS,
            marca=secrets.token_hex(4),
        ), status

    def _exito(self):
        return self.aviso(
            "Activación de cuenta",
            MSG_ACTIVADA
            + " Haga clic en «Finalizar» e ingrese con su tipo y número de identificación y la contraseña que acaba de crear.",
            200,
            tipo="success",
            acciones=[("Finalizar", url_for("LoginView.login"), True)],
        )

    @expose("/", methods=["GET", "POST"])
    @limiter.shared_limit(_limite_pin, scope="pin_activacion", methods=["POST"], error_message=MSG_LIMITE)
    @limiter.limit(_limite_recuperacion, methods=["POST"], error_message=MSG_LIMITE)
    def formulario(self):
        form = ActivacionForm()
        form.tipo_identificacion.choices = opciones_tipo_identificacion(db.session)
        if request.method == "GET":
            return self._formulario(form, 200, generico=True)
        valido = form.validate_on_submit()
        if not captcha_resuelto("activacion", form.captcha.data) and not form.captcha.errors:
            form.captcha.errors = list(form.captcha.errors) + [captcha.MSG_INCORRECTO]
            valido = False
        if not valido:
            return self._formulario(form, 400, generico=True)
        resultado = self._activar(
            form,
            lambda: activacion.activar_con_identificacion(
                db.session,
                _tipo_id(form),
                form.identificacion.data,
                form.pin.data,
                form.contrasena.data,
                form.confirmacion.data,
                current_app.config["PIN_MAX_INTENTOS"],
            ),
        )
        if isinstance(resultado.error, activacion.PinNoVigente) and resultado.error.motivo == "sin_pin":
            form.identificacion.errors = list(form.identificacion.errors) + [resultado.error.mensaje]
            return self._formulario(form, 400, generico=True)
        return self._respuesta(form, resultado, generico=True)

    @expose("/<token>", methods=["GET", "POST"])
    @limiter.shared_limit(_limite_pin, scope="pin_activacion", methods=["POST"], error_message=MSG_LIMITE)
    def enlace(self, token: str):
        verificacion = activacion.por_enlace(db.session, token, bloquear=request.method == "POST")
        if verificacion is None:
            return self.enlace_desconocido(
                "Activación de cuenta",
                [
                    ("Activar con mi identificación", url_for("ActivacionView.formulario"), True),
                    ("¿Olvidó su contraseña?", url_for("RecuperacionView.index"), False),
                ],
            )
        try:  # only a check: the row stays locked for the activation below (nothing to commit or undo)
            activacion.exigir_vigente(db.session, verificacion, current_app.config["PIN_MAX_INTENTOS"])
        except activacion.PinNoVigente as error:
            return self.aviso_pin(error)
        form = ActivacionEnlaceForm()
        if request.method == "GET":
            return self._formulario(form, 200, generico=False)
        if not form.validate_on_submit():
            return self._formulario(form, 400, generico=False)
        resultado = self._activar(
            form,
            lambda: activacion.activar(
                db.session,
                verificacion,
                form.pin.data,
                form.contrasena.data,
                form.confirmacion.data,
                current_app.config["PIN_MAX_INTENTOS"],
            ),
        )
        return self._respuesta(form, resultado, generico=False)

    def _activar(self, form, accion):
        # conservar: a wrong PIN is a counted attempt (and the one that voids it is kept) though activation failed.
        return ejecutar(accion, form, conservar=True, flashear=False)

    def _respuesta(self, form, resultado, generico: bool):
        if resultado:
            return self._exito()
        if isinstance(resultado.error, activacion.PinNoVigente):
            return self.aviso_pin(resultado.error)
        return self._formulario(form, 400, generico=generico)


class RecuperacionView(_VistaCuenta):
    """«¿Olvidó su contraseña?»: the same answer whether or not the data match an account."""

    route_base = "/cuenta/recuperar"
    default_view = "index"

    def _formulario(self, form, status: int):
        form.captcha.data = ""
        return self.render_template(
            "cuenta/recuperacion.html",
            title="Recuperación de contraseña",
            form=form,
            marca=secrets.token_hex(4),
        ), status

    @expose("/", methods=["GET", "POST"])
    @limiter.limit(_limite_recuperacion, methods=["POST"], error_message=MSG_LIMITE)
    def index(self):
        form = RecuperacionForm()
        form.tipo_identificacion.choices = opciones_tipo_identificacion(db.session)
        if request.method == "GET":
            return self._formulario(form, 200)
        valido = form.validate_on_submit()
        if not captcha_resuelto("recuperacion", form.captcha.data) and not form.captcha.errors:
            form.captcha.errors = list(form.captcha.errors) + [captcha.MSG_INCORRECTO]
            valido = False
        if not valido:
            return self._formulario(form, 400)
        with unidad_de_trabajo():
            recuperacion.solicitar(db.session, _tipo_id(form), form.identificacion.data, form.correo.data)
        return self.aviso(
            "Recuperación de contraseña",
            MSG_SOLICITUD,
            200,
            tipo="info",
            acciones=[("Volver al inicio de sesión", url_for("LoginView.login"), True)],
        )


class RestablecerView(_VistaCuenta):
    """The recovery mail's single-use link: choose a new password."""

    route_base = "/cuenta/restablecer"

    def _acciones_nuevo_enlace(self):
        return [
            ("Solicitar un nuevo enlace", url_for("RecuperacionView.index"), True),
            ("Iniciar sesión", url_for("LoginView.login"), False),
        ]

    @expose("/<token>", methods=["GET", "POST"])
    @limiter.limit(_limite_recuperacion, methods=["POST"], error_message=MSG_LIMITE)
    def enlace(self, token: str):
        verificacion = recuperacion.por_enlace(db.session, token, bloquear=request.method == "POST")
        if verificacion is None:
            return self.enlace_desconocido("Recuperación de contraseña", self._acciones_nuevo_enlace())
        try:  # only a check: the row stays locked for the change below (nothing to commit or undo)
            recuperacion.exigir_vigente(db.session, verificacion)
        except recuperacion.EnlaceNoVigente as error:
            return self.aviso("Recuperación de contraseña", error.mensaje, 410, acciones=self._acciones_nuevo_enlace())
        form = RestablecerForm()
        if request.method == "POST":
            if form.validate_on_submit():
                if ejecutar(lambda: _restablecer(verificacion, form), form, flashear=False):
                    return self.aviso(
                        "Recuperación de contraseña",
                        MSG_RESTABLECIDA + " Ya puede ingresar a InvimÁgil con su contraseña nueva.",
                        200,
                        tipo="success",
                        acciones=[("Iniciar sesión", url_for("LoginView.login"), True)],
                    )
            status = 400
        else:
            status = 200
        return self.render_template(
            "cuenta/restablecer.html",
            title="Restablecer contraseña",
            form=form,
            reglas=contrasenas.REGLAS,
        ), status


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(ActivacionView())
    appbuilder.add_view_no_menu(RecuperacionView())
    appbuilder.add_view_no_menu(RestablecerView())
