"""Mi perfil (manual 4.6): información general, cambio de correo, invitaciones RT/DT, profesiones, contraseña.

Everything here acts on the logged-in person only (`g.user`); the only ids in URLs are profesión rows,
whose ownership the service checks (404 otherwise).
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField

from app.extensions import db, limiter
from app.services import listas, perfil
from app.services.contrasenas import REGLAS
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.texto import normalizar_correo

MSG_LIMITE = "Demasiados intentos. Espere un momento e intente de nuevo."


def _limite(nombre: str):
    return lambda: current_app.config[nombre]


def _select(etiqueta: str) -> SelectField:
    # Choices are checked by the service (with a Spanish message), not by WTForms.
    return SelectField(etiqueta, coerce=str, validate_choice=False)


class InformacionForm(FlaskForm):
    email = StringField(_("Correo electrónico"))
    correo_alternativo = StringField(_("Correo electrónico alternativo"))
    fecha_nacimiento = StringField(_("Fecha de nacimiento"))
    sexo_nacer_id = _select(_("Sexo al nacer"))
    nivel_academico_id = _select(_("Nivel académico"))
    grupo_etnico_id = _select(_("Grupo étnico"))
    pais_residencia_id = _select(_("País de residencia"))
    departamento_id = _select(_("Departamento"))
    municipio_id = _select(_("Municipio"))
    vereda = StringField(_("Vereda"))
    estrato_id = _select(_("Estrato socioeconómico"))
    estado_provincia = StringField(_("Estado/Provincia"))
    ciudad = StringField(_("Ciudad"))
    localidad = StringField(_("Localidad"))
    direccion = StringField(_("Dirección"))
    indicaciones = StringField(_("Indicaciones"))
    localizacion_geografica = _select(_("Localización geográfica"))
    telefono = StringField(_("Teléfono"))
    celular = StringField(_("Celular"))


class CodigoCorreoForm(FlaskForm):
    codigo = StringField(_("Código de verificación"))


class InvitacionesForm(FlaskForm):
    permitir = BooleanField(_("¿Permitir que me lleguen invitaciones de responsable técnico / director técnico?"))


class ProfesionForm(FlaskForm):
    profesion_id = _select(_("Profesión"))
    tarjeta_profesional = StringField(_("Tarjeta profesional"))


class ConfirmacionForm(FlaskForm):
    """Only the CSRF token, for the POST-only buttons (eliminar, cancelar, reenviar).

    CSRFProtect checks every POST globally before the view runs, so these buttons need no form object of their own.
    """


class CambioContrasenaForm(FlaskForm):
    actual = PasswordField(_("Contraseña actual"))
    nueva = PasswordField(_("Contraseña nueva"))
    confirmacion = PasswordField(_("Confirme contraseña"))


def _aplicar_errores(form: FlaskForm, errores: dict[str, list[str]]) -> None:
    for campo, mensajes in errores.items():
        if campo in form:
            form[campo].errors = list(form[campo].errors) + list(mensajes)
        else:
            for mensaje in mensajes:
                flash(mensaje, "danger")


def _valores_de(usuario) -> dict:
    def s(valor):
        return "" if valor is None else str(valor)

    return {
        "email": usuario.email,
        "correo_alternativo": s(usuario.correo_alternativo),
        "fecha_nacimiento": usuario.fecha_nacimiento.isoformat() if usuario.fecha_nacimiento else "",
        **{
            campo: s(getattr(usuario, campo))
            for campo in perfil.CAMPOS_EDITABLES
            if campo not in ("correo_alternativo", "fecha_nacimiento")
        },
    }


def _opciones(form: InformacionForm, usuario) -> None:
    s = db.session
    form.sexo_nacer_id.choices = listas.opciones_sexo(s)
    form.nivel_academico_id.choices = listas.opciones_nivel_academico(s)
    form.grupo_etnico_id.choices = listas.opciones_grupo_etnico(s)
    form.pais_residencia_id.choices = listas.opciones_pais(s)
    form.departamento_id.choices = listas.opciones_departamento(s)
    form.municipio_id.choices = listas.opciones_municipio(s, perfil._id(form.departamento_id.data or ""))
    form.estrato_id.choices = listas.opciones_estrato(s)
    localizaciones = [listas.VACIO] + [(v, v) for v in perfil.LOCALIZACIONES]
    if usuario.localizacion_geografica and usuario.localizacion_geografica not in perfil.LOCALIZACIONES:
        localizaciones.append((usuario.localizacion_geografica, usuario.localizacion_geografica))
    form.localizacion_geografica.choices = localizaciones


def _profesion_form(form: ProfesionForm | None = None) -> ProfesionForm:
    form = form or ProfesionForm()
    form.profesion_id.choices = [("", "Seleccione una profesión")] + listas.opciones_profesion(db.session)[1:]
    return form


class PerfilView(BaseView):
    route_base = "/perfil"
    default_view = "index"

    def _pagina(self, form=None, codigo_form=None, status: int = 200):
        usuario = g.user
        if form is None:
            form = InformacionForm(formdata=None, data=_valores_de(usuario))
            _opciones(form, usuario)
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
                id_colombia=listas.id_colombia(db.session),
                puede_recibir=perfil.puede_recibir_invitaciones_rt_dt(usuario),
            ),
            status,
        )

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit(_limite("LIMITE_REGISTRO"), methods=["POST"], error_message=MSG_LIMITE)
    def index(self):
        if request.method == "GET":
            return self._pagina()
        usuario = g.user
        form = InformacionForm()
        _opciones(form, usuario)
        if request.form.get("accion") == "municipios":
            # Without JavaScript, "Cargar municipios" re-renders the form with the new departamento's list.
            return self._pagina(form=form)
        if not form.validate_on_submit():
            return self._pagina(form=form, status=400)
        errores: dict[str, list[str]] = {}
        try:
            perfil.actualizar_informacion(
                db.session,
                usuario,
                request.form,
                edad_minima=current_app.config["EDAD_MINIMA_ANOS"],
                id_colombia=listas.id_colombia(db.session),
            )
        except ErroresValidacion as error:
            errores.update(error.errores)
        nuevo = normalizar_correo(form.email.data)
        cambia_correo = nuevo != normalizar_correo(usuario.email)
        if cambia_correo:
            try:
                perfil.validar_nuevo_correo(db.session, usuario, nuevo)
            except ErroresValidacion as error:
                errores.update(error.errores)
        if errores:
            db.session.rollback()
            _aplicar_errores(form, errores)
            flash("Revise los campos marcados; no se guardó ningún cambio.", "danger")
            return self._pagina(form=form, status=400)
        if cambia_correo:
            vigencia = timedelta(minutes=current_app.config["CAMBIO_CORREO_VIGENCIA_MINUTOS"])
            perfil.solicitar_cambio_correo(db.session, usuario, nuevo, vigencia)
        db.session.commit()
        flash(perfil.MSG_ACTUALIZADO, "success")
        if cambia_correo:
            flash(
                f"Enviamos un código de verificación a {nuevo}. Su correo electrónico cambiará cuando ingrese "
                "ese código; mientras tanto seguirá usando el actual.",
                "info",
            )
        return redirect(url_for("PerfilView.index"))

    @expose("/municipios/")
    @has_access
    def municipios(self):
        departamento_id = perfil._id(request.args.get("departamento", ""))
        opciones = listas.opciones_municipio(db.session, departamento_id)
        return jsonify([{"id": i, "nombre": n} for i, n in opciones])

    @expose("/correo/confirmar", methods=["POST"])
    @has_access
    @limiter.limit(_limite("LIMITE_PIN"), methods=["POST"], error_message=MSG_LIMITE)
    def confirmar_correo(self):
        codigo_form = CodigoCorreoForm()
        if not codigo_form.validate_on_submit():
            return self._pagina(codigo_form=codigo_form, status=400)
        try:
            nuevo = perfil.confirmar_cambio_correo(
                db.session, g.user, codigo_form.codigo.data, current_app.config["PIN_MAX_INTENTOS"]
            )
        except ErroresValidacion as error:
            db.session.commit()  # the failed attempt must count
            if perfil.cambio_correo_pendiente(db.session, g.user) is None:
                # The code box is gone (void, used or expired): the message goes above the page instead.
                _aplicar_errores(ConfirmacionForm(formdata=None), error.errores)
            else:
                _aplicar_errores(codigo_form, error.errores)
            return self._pagina(codigo_form=codigo_form, status=400)
        db.session.commit()
        flash(perfil.MSG_CORREO_CONFIRMADO.format(correo=nuevo), "success")
        return redirect(url_for("PerfilView.index"))

    @expose("/correo/reenviar", methods=["POST"])
    @has_access
    @limiter.limit(_limite("LIMITE_RECUPERACION"), methods=["POST"], error_message=MSG_LIMITE)
    def reenviar_codigo(self):
        pendiente = perfil.cambio_correo_pendiente(db.session, g.user)
        if pendiente is None:
            flash(perfil.MSG_SIN_CAMBIO_PENDIENTE, "warning")
            return redirect(url_for("PerfilView.index"))
        vigencia = timedelta(minutes=current_app.config["CAMBIO_CORREO_VIGENCIA_MINUTOS"])
        try:
            perfil.solicitar_cambio_correo(db.session, g.user, pendiente.dato, vigencia)
        except ErroresValidacion as error:
            db.session.rollback()
            perfil.cancelar_cambio_correo(db.session, g.user)
            db.session.commit()
            for mensajes in error.errores.values():
                for mensaje in mensajes:
                    flash(mensaje, "danger")
            return redirect(url_for("PerfilView.index"))
        db.session.commit()
        flash(f"Enviamos un nuevo código a {pendiente.dato}. El código anterior ya no es válido.", "info")
        return redirect(url_for("PerfilView.index"))

    @expose("/correo/cancelar", methods=["POST"])
    @has_access
    def cancelar_correo(self):
        if perfil.cancelar_cambio_correo(db.session, g.user):
            db.session.commit()
            flash("Se canceló el cambio de correo electrónico. Su cuenta conserva el correo actual.", "info")
        return redirect(url_for("PerfilView.index"))

    @expose("/invitaciones", methods=["POST"])
    @has_access
    def invitaciones(self):
        form = InvitacionesForm()
        if not form.validate_on_submit():
            return self._pagina(status=400)
        perfil.cambiar_invitaciones(g.user, form.permitir.data)
        db.session.commit()
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
            if form.validate_on_submit():
                try:
                    if fila is None:
                        perfil.agregar_profesion(
                            db.session, usuario, form.profesion_id.data, form.tarjeta_profesional.data
                        )
                    else:
                        perfil.editar_profesion(
                            db.session, usuario, fila.id, form.profesion_id.data, form.tarjeta_profesional.data
                        )
                except ErroresValidacion as error:
                    db.session.rollback()
                    _aplicar_errores(form, error.errores)
                except ErrorDominio as error:
                    db.session.rollback()
                    flash(error.mensaje, "danger")
                else:
                    db.session.commit()
                    flash("La profesión se guardó correctamente.", "success")
                    return redirect(url_for("PerfilView.index") + "#profesiones")
            status = 400
        titulo = "Agregar profesión" if fila is None else "Editar profesión"
        return self.render_template("perfil/profesion.html", title=titulo, form=form, fila=fila), status

    def _propia(self, fila_id: int):
        try:
            return perfil.profesion_propia(db.session, g.user, fila_id)
        except perfil.NoEncontrado:
            abort(404)

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
            perfil.eliminar_profesion(db.session, g.user, fila.id)
            db.session.commit()
            flash("La profesión se eliminó.", "success")
            return redirect(url_for("PerfilView.index") + "#profesiones")
        return self.render_template("perfil/eliminar_profesion.html", title="Eliminar profesión", form=form, fila=fila)


class CambioContrasenaView(BaseView):
    route_base = "/perfil/contrasena"
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit(_limite("LIMITE_PIN"), methods=["POST"], error_message=MSG_LIMITE)
    def index(self):
        form = CambioContrasenaForm()
        status = 200
        if request.method == "POST":
            if form.validate_on_submit():
                try:
                    perfil.cambiar_contrasena(
                        db.session, g.user, form.actual.data, form.nueva.data, form.confirmacion.data
                    )
                except ErroresValidacion as error:
                    db.session.rollback()
                    _aplicar_errores(form, error.errores)
                else:
                    db.session.commit()
                    flash("La contraseña se cambió correctamente. Úsela la próxima vez que inicie sesión.", "success")
                    return redirect(url_for("PerfilView.index"))
            status = 400
        return self.render_template(
            "perfil/contrasena.html", title="Cambiar contraseña", form=form, reglas=REGLAS
        ), status


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(PerfilView())
    appbuilder.add_view_no_menu(CambioContrasenaView())
