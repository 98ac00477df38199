"""Login by identification (manual 4.3.1) and the platform administrator's user screens."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import ModelView, expose
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.views import AuthDBView, UserDBModelView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation, ValidationError

from app.extensions import db, limiter
from app.models.personas import Usuario
from app.security import sesiones
from app.security.roles import ROL_PUBLICO
from app.services import auditoria
from app.services.cuentas import autenticacion
from app.services.cuentas.identificacion import correo_registrado
from app.services.cuentas.perfil import MSG_CORREO_EN_USO
from app.services.esquemas import correo_valido
from app.services.fechas import en_bogota, fecha, fecha_hora
from app.services.listas import opciones_tipo_identificacion
from app.services.reloj import ahora
from app.services.texto import normalizar_correo
from app.web.transaccion import ejecutar, unidad_de_trabajo
from app.web.vistas_modelo import DatosModelo, FiltrosPorPeticion, FormularioConEstado, ListaLigera, id_en_edicion


class LoginForm(FlaskForm):
    ingresar_como = SelectField(
        _("Ingresar como"),
        choices=[("natural", "Persona natural"), ("juridica", "Persona jurídica")],
        default="natural",
        validators=[DataRequired(message="Seleccione cómo desea ingresar.")],
    )
    tipo_identificacion = SelectField(
        _("Tipo de identificación"),
        coerce=str,
        validators=[DataRequired(message="Seleccione el tipo de identificación.")],
    )
    identificacion = StringField(
        _("Identificación"),
        validators=[
            DataRequired(message="Ingrese su número de identificación."),
            Length(max=20, message="Máximo 20 caracteres."),
        ],
    )
    contrasena = PasswordField(
        _("Contraseña"),
        validators=[DataRequired(message="Ingrese su contraseña."), Length(max=128, message="Máximo 128 caracteres.")],
    )


def _limite_login():
    return current_app.config["LIMITE_LOGIN"]


def _siguiente() -> str:
    """Where a login goes next: the ?next= page if it is on this site, else the home page. Without ?next= FAB's
    check is not asked at all (it would log «Invalid redirect detected» for every plain login)."""
    destino = request.args.get("next")
    return get_safe_redirect(destino) if destino else url_for("InicioView.index")


class LoginView(AuthDBView):
    login_template = "seguridad/login.html"
    title = "Iniciar sesión"
    invalid_login_message = autenticacion.MSG_CREDENCIALES

    @expose("/login/", methods=["GET", "POST"])
    @limiter.limit(
        _limite_login, methods=["POST"], error_message="Demasiados intentos. Espere un momento e intente de nuevo."
    )
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(_siguiente())
        form = LoginForm()
        form.tipo_identificacion.choices = opciones_tipo_identificacion(db.session)
        status = 200
        if request.method == "POST":
            if form.validate_on_submit():
                try:
                    tipo_id = int(form.tipo_identificacion.data)
                except (TypeError, ValueError):
                    tipo_id = None
                politica = autenticacion.PoliticaBloqueo(
                    max_intentos=current_app.config["LOGIN_MAX_INTENTOS"],
                    minutos=current_app.config["LOGIN_BLOQUEO_MINUTOS"],
                )
                resultado = ejecutar(  # conservar: a failed attempt counts towards the lock-out
                    lambda: autenticacion.autenticar(
                        db.session,
                        tipo_id,
                        form.identificacion.data,
                        form.contrasena.data,
                        politica,
                        current_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"],
                    ),
                    conservar=True,
                )
                if not resultado:
                    status = 401
                else:
                    sesiones.abrir(
                        resultado.valor
                    )  # nothing of an earlier session (or company choice) survives a login
                    if form.ingresar_como.data == "juridica":
                        return redirect(url_for("ActuacionView.index", tipo="juridica"))
                    return redirect(_siguiente())
            else:
                status = 400
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        ), status

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        if request.method == "GET":
            # Logging out changes state: only through the header's POST form (with CSRF).
            return redirect(url_for("InicioView.index"))
        with unidad_de_trabajo():
            sesiones.cerrar(db.session, g.user)  # ends this session and every other one of the account
        flash("Sesión cerrada.", "info")
        return redirect(url_for("LoginView.login"))


def _o_vacio(valor) -> str:
    return "—" if valor is None or valor == "" else str(valor)


# The account's contact data besides its e-mail: shown together in the detail, each may be empty.
CONTACTO_OPCIONAL = (
    "correo_alternativo",
    "telefono",
    "celular",
    "pais_residencia",
    "departamento",
    "municipio",
    "direccion",
)


class UsuarioDatos(DatosModelo):
    """Users for the generated screens: each page loads every row's roles in one extra statement (no N+1)."""

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(selectinload(Usuario.roles))

    def get_related_interface(self, col_name: str) -> SQLAInterface:
        # Related lists (roles in the edit form) are plain FAB interfaces.
        return SQLAInterface(self.get_related_model(col_name))


MSG_CORREO = "Escriba un correo electrónico válido."
MSG_TELEFONO = "{campo} solo admite números, espacios, guiones, paréntesis y un + inicial (de 7 a 20 caracteres)."
PATRON_TELEFONO = r"^\+?[0-9][0-9 ()\-]{5,18}[0-9]$"
ACCION_CUENTA_EDITADA = "cuenta_editada"


class CorreoValido:
    """The signup's rule for an e-mail (`esquemas.correo_valido`: email-validator's syntax, no DNS look-up)."""

    def __call__(self, form, field):
        if not correo_valido((field.data or "").strip()):
            raise ValidationError(MSG_CORREO)


class CorreoLibre:
    """An e-mail no other account uses, compared as it is kept (lower case): FAB's own uniqueness check compares
    what was typed, so «Ana@Correo.test» beside «ana@correo.test» reached the database, whose unique index refused
    it, and the page said only «Error de la base de datos» after a redirect."""

    def __call__(self, form, field):
        if correo_registrado(db.session, field.data or "", excepto_id=id_en_edicion(form)):
            raise StopValidation(MSG_CORREO_EN_USO)


class HastaUnAnio:
    """«Bloqueada hasta» within the next year (a lock in the past is no lock; one for a century is a typo)."""

    message = "Bloquee la cuenta hasta una fecha del próximo año como máximo, o deje el campo vacío para desbloquearla."

    def __call__(self, form, field):
        valor = field.data
        if valor is not None and en_bogota(valor) > ahora() + timedelta(days=366):
            raise ValidationError(self.message)


class UsuarioModelView(FormularioConEstado, FiltrosPorPeticion, UserDBModelView):
    """Generated user screens for the platform administrator, with the domain fields in Spanish."""

    route_base = "/usuarios"
    list_widget = ListaLigera
    list_title = "Usuarios"
    show_title = "Detalle del usuario"
    add_title = "Agregar usuario"
    edit_title = "Editar usuario"

    label_columns = {
        "username": "Usuario",
        "tipo_identificacion": "Tipo de identificación",
        "numero_identificacion": "Número de identificación",
        "first_name": "Nombre(s)",
        "last_name": "Apellido(s)",
        "email": "Correo electrónico",
        "correo_alternativo": "Correo electrónico alternativo",
        "estado": "Estado",
        "active": "Activo",
        "roles": "Roles",
        "created_on": "Creado el",
        "changed_on": "Modificado el",
        "last_login": "Último ingreso",
        "login_count": "Número de ingresos",
        "fail_login_count": "Intentos fallidos",
        "activada_en": "Activada el",
        "bloqueada_hasta": "Bloqueada hasta",
        "celular": "Celular",
        "telefono": "Teléfono",
        "nacionalidad": "Nacionalidad",
        "pais_residencia": "País de residencia",
        "departamento": "Departamento",
        "municipio": "Municipio",
        "direccion": "Dirección",
        "fecha_nacimiento": "Fecha de nacimiento",
        "acepta_invitaciones_rt_dt": "Acepta invitaciones RT/DT",
    }
    list_columns = [
        "tipo_identificacion",
        "numero_identificacion",
        "first_name",
        "last_name",
        "email",
        "estado",
        "roles",
        "last_login",
    ]
    search_columns = ["numero_identificacion", "email", "first_name", "last_name", "active"]
    show_fieldsets = [
        (
            "Identificación",
            {
                "fields": [
                    "tipo_identificacion",
                    "numero_identificacion",
                    "first_name",
                    "last_name",
                    "nacionalidad",
                    "username",
                ]
            },
        ),
        ("Contacto", {"fields": ["email", *CONTACTO_OPCIONAL]}),
        (
            "Estado de la cuenta",
            {
                "fields": [
                    "estado",
                    "active",
                    "roles",
                    "created_on",
                    "activada_en",
                    "last_login",
                    "login_count",
                    "fail_login_count",
                    "bloqueada_hasta",
                ]
            },
        ),
    ]
    # Tipo/número de identificación, nombres and apellidos never change (manual 4.3.2).
    edit_columns = ["email", "correo_alternativo", "telefono", "celular", "active", "roles", "bloqueada_hasta"]
    add_columns = []
    # FAB's own validator reads form["groups"], which this form does not have (KeyError → 500). The contact fields
    # follow the signup's rules: an account without a valid e-mail gets no PIN, no recovery and no notices.
    validators_columns = {
        "roles": [DataRequired(message="Seleccione al menos un rol.")],
        "email": [DataRequired(message=MSG_CORREO), CorreoValido(), CorreoLibre()],
        "correo_alternativo": [Optional(), CorreoValido()],
        "telefono": [Optional(), Regexp(PATRON_TELEFONO, message=MSG_TELEFONO.format(campo="El teléfono"))],
        "celular": [Optional(), Regexp(PATRON_TELEFONO, message=MSG_TELEFONO.format(campo="El celular"))],
        "bloqueada_hasta": [Optional(), HastaUnAnio()],
    }
    # «Public» is what a visitor without a session gets (AUTH_ROLE_PUBLIC): no account is given it.
    edit_form_query_rel_fields = {"roles": [["name", FilterNotEqual, ROL_PUBLICO]]}
    base_permissions = ["can_list", "can_show", "can_edit"]
    order_columns = ["numero_identificacion", "email"]
    base_order = ("id", "desc")  # newest accounts first, straight from the primary key's index
    page_size = 25
    max_page_size = 100
    formatters_columns = {
        "roles": lambda roles: ", ".join(sorted(r.name for r in roles)),
        "last_login": fecha_hora,
        "created_on": fecha_hora,
        "changed_on": fecha_hora,
        "activada_en": fecha_hora,
        "bloqueada_hasta": fecha_hora,
        "fecha_nacimiento": fecha,
        "active": lambda v: "Sí" if v else "No",
        "acepta_invitaciones_rt_dt": lambda v: "Sí" if v else "No",
        # Optional values left empty show as «—», not "None".
        **{campo: _o_vacio for campo in ("nacionalidad", *CONTACTO_OPCIONAL, "login_count", "fail_login_count")},
    }
    description_columns = {
        "email": "Correo de la cuenta; se guarda en minúsculas y no puede repetirse.",
        "active": "Una cuenta inactiva no puede ingresar.",
        "roles": "Roles de plataforma: definen qué pantallas puede usar la persona.",
        "bloqueada_hasta": "Déjelo vacío para desbloquear la cuenta.",
    }
    # FAB's password reset action skips the app's password policy: not offered here.
    show = ModelView.show

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions.pop("resetpasswords", None)

    def pre_update(self, item):
        item.email = normalizar_correo(item.email)
        item.correo_alternativo = normalizar_correo(item.correo_alternativo) or None
        for campo in ("telefono", "celular"):
            setattr(item, campo, (getattr(item, campo) or "").strip() or None)
        auditoria.registrar_edicion(
            db.session, item, self.edit_columns, ACCION_CUENTA_EDITADA, "usuario", g.user.id, request.remote_addr
        )
