"""Mi perfil (manual 4.6): información general, cambio de correo, invitaciones RT/DT, profesiones, contraseña.

Everything here acts on the logged-in person only (`g.user`); the only ids in URLs are profesión rows,
whose ownership the service checks (404 otherwise).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField

from app.extensions import db, limiter
from app.security import sesiones
from app.services import listas, ubicacion
from app.services.cuentas import perfil
from app.services.cuentas.contrasenas import REGLAS
from app.services.texto import normalizar_correo
from app.views.forms import UbicacionForm, campo_lista, limite, preparar_ubicacion
from app.web.transaccion import aplicar_errores, ejecutar, errores_de, unidad_de_trabajo

MSG_LIMITE = "Demasiados intentos. Espere un momento e intente de nuevo."


class InformacionForm(UbicacionForm):
    """Información general plus the "Datos de ubicación" of the signup (same fields, dialog and rules)."""

    email = StringField(_("Correo electrónico"))
    correo_alternativo = StringField(_("Correo electrónico alternativo"))
    fecha_nacimiento = StringField(_("Fecha de nacimiento"))
    sexo_nacer_id = campo_lista(_("Sexo al nacer"))
    nivel_academico_id = campo_lista(_("Nivel académico"))
    grupo_etnico_id = campo_lista(_("Grupo étnico"))


class CodigoCorreoForm(FlaskForm):
    codigo = StringField(_("Código de verificación"))


class InvitacionesForm(FlaskForm):
    permitir = BooleanField(_("¿Permitir que me lleguen invitaciones de responsable técnico / director técnico?"))


class ProfesionForm(FlaskForm):
    profesion_id = campo_lista(_("Profesión"))
    tarjeta_profesional = StringField(_("Tarjeta profesional"))


class ConfirmacionForm(FlaskForm):
    """Only the CSRF token, for the POST-only buttons (eliminar, cancelar, reenviar).

    CSRFProtect checks every POST globally before the view runs, so these buttons need no form object of their own.
    """


class CambioContrasenaForm(FlaskForm):
    actual = PasswordField(_("Contraseña actual"))
    nueva = PasswordField(_("Contraseña nueva"))
    confirmacion = PasswordField(_("Confirme contraseña"))


def _valores_de(usuario) -> dict[str, str]:
    """The form as the account is now; the address dialog prefilled from direccion_componentes."""

    def s(valor):
        return "" if valor is None else str(valor)

    return {
        "email": usuario.email,
        "correo_alternativo": s(usuario.correo_alternativo),
        "fecha_nacimiento": usuario.fecha_nacimiento.isoformat() if usuario.fecha_nacimiento else "",
        "sexo_nacer_id": s(usuario.sexo_nacer_id),
        "nivel_academico_id": s(usuario.nivel_academico_id),
        "grupo_etnico_id": s(usuario.grupo_etnico_id),
        **ubicacion.datos_de_usuario(usuario),
    }


def _opciones(form: InformacionForm, datos, con_errores: bool = False) -> dict:
    """Fill the lists of the form; returns the template context of the location fields."""
    s = db.session
    form.sexo_nacer_id.choices = listas.opciones_sexo(s)
    form.nivel_academico_id.choices = listas.opciones_nivel_academico(s)
    form.grupo_etnico_id.choices = listas.opciones_grupo_etnico(s)
    return preparar_ubicacion(s, form, datos, con_errores)


def _vigencia_codigo() -> timedelta:
    return timedelta(minutes=current_app.config["CAMBIO_CORREO_VIGENCIA_MINUTOS"])


def _guardar_profesion(usuario, fila, form: ProfesionForm) -> None:
    if fila is None:
        perfil.agregar_profesion(db.session, usuario, form.profesion_id.data, form.tarjeta_profesional.data)
    else:
        perfil.editar_profesion(db.session, usuario, fila.id, form.profesion_id.data, form.tarjeta_profesional.data)


def _cambiar_contrasena(form: CambioContrasenaForm) -> None:
    perfil.cambiar_contrasena(db.session, g.user, form.actual.data, form.nueva.data, form.confirmacion.data)


def _profesion_form(form: ProfesionForm | None = None) -> ProfesionForm:
    form = form or ProfesionForm()
    form.profesion_id.choices = [("", "Seleccione una profesión")] + listas.opciones_profesion(db.session)[1:]
    return form


class PerfilView(BaseView):
    route_base = "/perfil"
    default_view = "index"

    def _pagina(self, form=None, codigo_form=None, status: int = 200):
        usuario = g.user
        datos = request.form  # a re-rendered profile form shows what was posted
        if form is None:
            datos = _valores_de(usuario)
            form = InformacionForm(formdata=None, data=datos)
        contexto = _opciones(form, datos, con_errores=status == 400)
        return (
            self.render_template(
                "perfil/index.html",
                title="Mi perfil",
                usuario=usuario,
                form=form,
                pendiente=perfil.cambio_correo_pendiente(db.session, usuario),
                codigo_form=codigo_form or CodigoCorreoForm(formdata=None),
                invitaciones_form=InvitacionesForm(formdata=None, permitir=usuario.acepta_invitaciones_rt_dt),
                profesion_form=_profesion_form(ProfesionForm(formdata=None)),
                boton_form=ConfirmacionForm(formdata=None),
                puede_recibir=perfil.puede_recibir_invitaciones_rt_dt(usuario),
                **contexto,
            ),
            status,
        )

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit(limite("LIMITE_REGISTRO"), methods=["POST"], error_message=MSG_LIMITE)
    def index(self):
        if request.method == "GET":
            return self._pagina()
        usuario = g.user
        form = InformacionForm()
        if request.form.get("accion") in ("recargar", "direccion"):
            # Without JavaScript, "Cambiar país", "Cargar municipios" and the dialog's "Aceptar" re-render the
            # form (new country's fields, the departamento's municipios, the composed address); nothing is saved.
            return self._pagina(form=form)
        if not form.validate_on_submit():
            return self._pagina(form=form, status=400)
        nuevo = normalizar_correo(form.email.data)
        resultado = ejecutar(
            lambda: perfil.guardar_informacion(
                db.session,
                usuario,
                request.form,
                edad_minima=current_app.config["EDAD_MINIMA_ANOS"],
                correo_nuevo=nuevo,
                vigencia=_vigencia_codigo(),
            ),
            form,
        )
        if not resultado:
            flash("Revise los campos marcados; no se guardó ningún cambio.", "danger")
            return self._pagina(form=form, status=400)
        flash(perfil.MSG_ACTUALIZADO, "success")
        if resultado.valor:
            flash(
                f"Enviamos un código de verificación a {nuevo}. Su correo electrónico cambiará cuando ingrese "
                "ese código; mientras tanto seguirá usando el actual.",
                "info",
            )
        return redirect(url_for("PerfilView.index"))

    @expose("/correo/confirmar", methods=["POST"])
    @has_access
    @limiter.limit(limite("LIMITE_PIN"), methods=["POST"], error_message=MSG_LIMITE)
    def confirmar_correo(self):
        codigo_form = CodigoCorreoForm()
        if not codigo_form.validate_on_submit():
            return self._pagina(codigo_form=codigo_form, status=400)
        resultado = ejecutar(  # conservar: a wrong code is a counted attempt
            lambda: perfil.confirmar_cambio_correo(
                db.session, g.user, codigo_form.codigo.data, current_app.config["PIN_MAX_INTENTOS"]
            ),
            conservar=True,
            flashear=False,
        )
        if not resultado:
            if perfil.cambio_correo_pendiente(db.session, g.user) is None:
                # The code box is gone (void, used or expired): the message goes above the page instead.
                aplicar_errores(None, errores_de(resultado.error))
            else:
                aplicar_errores(codigo_form, errores_de(resultado.error))
            return self._pagina(codigo_form=codigo_form, status=400)
        flash(perfil.MSG_CORREO_CONFIRMADO.format(correo=resultado.valor), "success")
        return redirect(url_for("PerfilView.index"))

    @expose("/correo/reenviar", methods=["POST"])
    @has_access
    @limiter.limit(limite("LIMITE_RECUPERACION"), methods=["POST"], error_message=MSG_LIMITE)
    def reenviar_codigo(self):
        pendiente = perfil.cambio_correo_pendiente(db.session, g.user)
        if pendiente is None:
            flash(perfil.MSG_SIN_CAMBIO_PENDIENTE, "warning")
            return redirect(url_for("PerfilView.index"))
        if not ejecutar(lambda: perfil.solicitar_cambio_correo(db.session, g.user, pendiente.dato, _vigencia_codigo())):
            # The address was taken meanwhile: the pending change can never finish.
            with unidad_de_trabajo():
                perfil.cancelar_cambio_correo(db.session, g.user)
            return redirect(url_for("PerfilView.index"))
        flash(f"Enviamos un nuevo código a {pendiente.dato}. El código anterior ya no es válido.", "info")
        return redirect(url_for("PerfilView.index"))

    @expose("/correo/cancelar", methods=["POST"])
    @has_access
    def cancelar_correo(self):
        with unidad_de_trabajo():
            cancelado = perfil.cancelar_cambio_correo(db.session, g.user)
        if cancelado:
            flash("Se canceló el cambio de correo electrónico. Su cuenta conserva el correo actual.", "info")
        return redirect(url_for("PerfilView.index"))

    @expose("/invitaciones", methods=["POST"])
    @has_access
    def invitaciones(self):
        form = InvitacionesForm()
        if not form.validate_on_submit():
            return self._pagina(status=400)
        with unidad_de_trabajo():
            perfil.cambiar_invitaciones(g.user, form.permitir.data)
        if form.permitir.data:
            flash("Ahora puede recibir invitaciones de responsable técnico / director técnico.", "success")
        else:
            flash("Ya no recibirá invitaciones de responsable técnico / director técnico.", "success")
        return redirect(url_for("PerfilView.index") + "#invitaciones")

    def _formulario_profesion(self, fila=None):
        """Add (fila None) or edit one profession: a plain page that also works without JavaScript."""
        usuario = g.user
        if request.method == "GET":
            datos = (
                {"profesion_id": str(fila.profesion_id), "tarjeta_profesional": fila.tarjeta_profesional}
                if fila
                else None
            )
            form = _profesion_form(ProfesionForm(formdata=None, data=datos))
        else:
            form = _profesion_form()
        status = 200
        if request.method == "POST":
            if form.validate_on_submit() and ejecutar(lambda: _guardar_profesion(usuario, fila, form), form):
                flash("La profesión se guardó correctamente.", "success")
                return redirect(url_for("PerfilView.index") + "#profesiones")
            status = 400
        titulo = "Agregar profesión" if fila is None else "Editar profesión"
        return self.render_template("perfil/profesion.html", title=titulo, form=form, fila=fila), status

    def _propia(self, fila_id: int):
        return perfil.profesion_propia(db.session, g.user, fila_id)  # NoEncontrado: 404

    @expose("/profesiones/nueva", methods=["GET", "POST"])
    @has_access
    def agregar_profesion(self):
        return self._formulario_profesion()

    @expose("/profesiones/<int:fila_id>/editar", methods=["GET", "POST"])
    @has_access
    def editar_profesion(self, fila_id: int):
        return self._formulario_profesion(self._propia(fila_id))

    @expose("/profesiones/<int:fila_id>/eliminar", methods=["GET", "POST"])
    @has_access
    def eliminar_profesion(self, fila_id: int):
        fila = self._propia(fila_id)
        form = ConfirmacionForm()
        if request.method == "POST" and form.validate_on_submit():
            with unidad_de_trabajo():
                perfil.eliminar_profesion(db.session, g.user, fila.id)
            flash("La profesión se eliminó.", "success")
            return redirect(url_for("PerfilView.index") + "#profesiones")
        return self.render_template("perfil/eliminar_profesion.html", title="Eliminar profesión", form=form, fila=fila)


class CambioContrasenaView(BaseView):
    route_base = "/perfil/contrasena"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit(limite("LIMITE_PIN"), methods=["POST"], error_message=MSG_LIMITE)
    def index(self):
        form = CambioContrasenaForm()
        status = 200
        if request.method == "POST":
            if form.validate_on_submit() and ejecutar(lambda: _cambiar_contrasena(form), form):
                sesiones.conservar(g.user)  # the new password ended every other session, not this one
                flash("La contraseña se cambió correctamente. Úsela la próxima vez que inicie sesión.", "success")
                return redirect(url_for("PerfilView.index"))
            status = 400
        return self.render_template(
            "perfil/contrasena.html", title="Cambiar contraseña", form=form, reglas=REGLAS
        ), status


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(PerfilView())
    appbuilder.add_view_no_menu(CambioContrasenaView())
