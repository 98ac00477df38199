"""Crear cuenta: the 3-step wizard (manual 4.3.2–4.3.5).

The values of finished steps live in the signed session cookie, already validated and small; nothing is written
to the database until the last step succeeds. The rules live in app/services/cuentas/registro.py.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, StringField

from app.extensions import db, limiter
from app.models.referencias import Departamento
from app.services import listas, ubicacion
from app.services.cuentas import captcha
from app.services.cuentas import registro as servicio
from app.services.errores import ErroresValidacion
from app.views.flows.publico import captcha_resuelto
from app.views.forms import UbicacionForm, campo_lista, limite, preparar_ubicacion
from app.web.transaccion import aplicar_errores, unidad_de_trabajo

CLAVE = "registro"
CLAVE_CREADA = "registro_creado"
CLAVE_CAPTCHA = "captcha_registro"
PASOS = ("Información general", "Datos de ubicación", "Términos e indicaciones")
MSG_CANCELADO = "Se canceló la creación de la cuenta. No se guardó ningún dato."
MSG_REVISE = "Revise los campos marcados; hay información por corregir."
MSG_YA_CREADA = (
    "Ya existe una cuenta con este tipo y número de identificación o con este correo electrónico. Si acaba de "
    "crearla, revise su correo electrónico (también la carpeta de correo no deseado) para activarla. Si no "
    "recuerda sus credenciales, use la opción «¿Olvidó su contraseña?»."
)


class InformacionGeneralForm(FlaskForm):
    nacionalidad = campo_lista(_("Nacionalidad"))
    tipo_identificacion = campo_lista(_("Tipo de identificación"))
    otro_tipo_identificacion = StringField(_("Otro tipo de identificación"))
    numero_identificacion = StringField(_("Número de identificación"))
    confirmar_identificacion = StringField(_("Confirmar identificación"))
    nombres = StringField(_("Nombre(s)"))
    apellidos = StringField(_("Apellido(s)"))
    correo = StringField(_("Correo electrónico"))
    confirmar_correo = StringField(_("Confirmar correo electrónico"))
    correo_alternativo = StringField(_("Correo electrónico alternativo"))
    fecha_nacimiento = StringField(_("Fecha de nacimiento"))
    sexo_nacer = campo_lista(_("Sexo al nacer"))
    nivel_academico = campo_lista(_("Nivel académico"))
    grupo_etnico = campo_lista(_("Grupo étnico"))


class TerminosForm(FlaskForm):
    acepta_terminos = BooleanField(_("He leído y acepto los términos y condiciones de uso."))
    captcha = StringField(_("Caracteres de verificación"))


def _estado() -> dict:
    estado = session.get(CLAVE)
    return estado if isinstance(estado, dict) else {}


def _guardar(**cambios) -> None:
    estado = dict(_estado())
    estado.update(cambios)
    session[CLAVE] = estado  # a new dict, so the signed cookie is rewritten


def _hay_duplicado(errores: dict[str, list[str]]) -> bool:
    return any(m in servicio.MENSAJES_DUPLICADO for mensajes in errores.values() for m in mensajes)


class RegistroView(BaseView):
    route_base = "/registro"
    default_view = "inicio"

    @expose("/")
    def inicio(self):
        return redirect(url_for("RegistroView.paso", numero=1))

    @expose("/paso/<int:numero>", methods=["GET", "POST"])
    @limiter.limit(
        limite("LIMITE_REGISTRO"),
        methods=["POST"],
        error_message="Demasiados intentos. Espere un momento e intente de nuevo.",
    )
    def paso(self, numero: int):
        if numero not in (1, 2, 3):
            abort(404)
        alcanzado = int(_estado().get("alcanzado", 1) or 1)
        if numero > alcanzado:
            return redirect(url_for("RegistroView.paso", numero=alcanzado))
        if request.method == "POST" and request.form.get("accion") == "cancelar":
            return self._cancelar()
        return (self._paso_uno, self._paso_dos, self._paso_tres)[numero - 1]()

    @expose("/cancelar", methods=["POST"])
    def cancelar(self):
        return self._cancelar()

    @expose("/municipios")
    def municipios(self):
        """Municipios of a departamento, for the dependent list: [{"id", "nombre"}]."""
        valor = request.args.get("departamento", "")
        if not valor.isdigit() or len(valor) > 9:
            return jsonify({"mensaje": "Indique un departamento válido."}), 400
        if db.session.get(Departamento, int(valor)) is None:
            return jsonify({"mensaje": "El departamento no existe."}), 404
        opciones = listas.opciones_municipio(db.session, int(valor))[1:]
        return jsonify({"municipios": [{"id": int(i), "nombre": n} for i, n in opciones]})

    @expose("/exito")
    def exito(self):
        correo = session.get(CLAVE_CREADA)
        if not correo:
            return redirect(url_for("LoginView.login"))
        return self.render_template("registro/exito.html", correo=correo, title="Cuenta creada con éxito")

    # ------------------------------------------------------------ steps

    def _cancelar(self):
        session.pop(CLAVE, None)
        session.pop(CLAVE_CAPTCHA, None)
        flash(MSG_CANCELADO, "info")
        return redirect(url_for("LoginView.login"))

    def _render(self, plantilla: str, numero: int, status: int = 200, **contexto):
        return (
            self.render_template(
                plantilla,
                pasos=PASOS,
                actual=numero,
                alcanzado=int(_estado().get("alcanzado", 1) or 1),
                title="Creación de cuenta",
                **contexto,
            ),
            status,
        )

    def _paso_uno(self):
        estado = _estado()
        if request.method == "POST":
            form = InformacionGeneralForm()
        else:
            valores = servicio.datos_de_informacion_general(estado.get("general") or {})
            valores.setdefault("nacionalidad", str(listas.id_colombia(db.session) or ""))
            form = InformacionGeneralForm(data={k: str(v) for k, v in valores.items()})
        self._opciones_uno(form)
        enlace_recuperar = False
        if request.method == "POST":
            if not form.validate_on_submit():
                abort(400)
            try:
                limpio = servicio.validar_informacion_general(
                    db.session, request.form.to_dict(), edad_minima=current_app.config["EDAD_MINIMA_ANOS"]
                )
            except ErroresValidacion as error:
                aplicar_errores(form, error.errores)
                enlace_recuperar = _hay_duplicado(error.errores)
                return self._render(
                    "registro/paso1.html", 1, 400, form=form, otro_id=self._otro_id(), enlace_recuperar=enlace_recuperar
                )
            _guardar(general=limpio, alcanzado=max(2, int(estado.get("alcanzado", 1) or 1)))
            return redirect(url_for("RegistroView.paso", numero=2))
        return self._render("registro/paso1.html", 1, form=form, otro_id=self._otro_id(), enlace_recuperar=False)

    def _otro_id(self) -> str:
        tipo = servicio.tipo_otro(db.session)
        return str(tipo.id) if tipo else ""

    def _opciones_uno(self, form: InformacionGeneralForm) -> None:
        s = db.session
        form.nacionalidad.choices = listas.opciones_pais(s)
        form.tipo_identificacion.choices = listas.opciones_tipo_identificacion(s)
        form.sexo_nacer.choices = listas.opciones_sexo(s)
        form.nivel_academico.choices = listas.opciones_nivel_academico(s)
        form.grupo_etnico.choices = listas.opciones_grupo_etnico(s)

    def _paso_dos(self):
        estado = _estado()
        colombia = listas.id_colombia(db.session)
        accion = request.form.get("accion", "siguiente") if request.method == "POST" else None
        if request.method == "POST":
            form = UbicacionForm()
            if not form.validate_on_submit():
                abort(400)
            datos = request.form.to_dict()
        else:
            datos = ubicacion.datos_de_ubicacion(estado.get("ubicacion") or {})
            datos.setdefault("pais_residencia", colombia)
            datos = {k: str(v) for k, v in datos.items()}
            form = UbicacionForm(data=datos)
        status = 200
        if accion in ("siguiente", "anterior"):
            limpio, errores = ubicacion.revisar_ubicacion(db.session, datos)
            if accion == "anterior":
                # Keep what is already valid so it is there on the way back; never unchecked values.
                _guardar(ubicacion=limpio, alcanzado=2 if errores else int(estado.get("alcanzado", 2)))
                return redirect(url_for("RegistroView.paso", numero=1))
            if not errores:
                _guardar(ubicacion=limpio, alcanzado=3)
                return redirect(url_for("RegistroView.paso", numero=3))
            aplicar_errores(form, errores)
            status = 400
        contexto = preparar_ubicacion(db.session, form, datos, con_errores=status == 400)
        return self._render("registro/paso2.html", 2, status, form=form, **contexto)

    def _paso_tres(self):
        estado = _estado()
        form = TerminosForm()
        if request.method == "GET":
            return self._render("registro/paso3.html", 3, form=form, version=secrets.token_hex(4))
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("accion") == "anterior":
            return redirect(url_for("RegistroView.paso", numero=2))
        errores: dict[str, list[str]] = {}
        if not form.acepta_terminos.data:
            errores["acepta_terminos"] = [servicio.MSG_TERMINOS]
        if not captcha_resuelto("registro", form.captcha.data):
            errores["captcha"] = [captcha.MSG_INCORRECTO]
        if errores:
            form.captcha.data = ""
            aplicar_errores(form, errores)
            return self._render("registro/paso3.html", 3, 400, form=form, version=secrets.token_hex(4))
        datos = {
            "general": estado.get("general") or {},
            "ubicacion": estado.get("ubicacion") or {},
            "acepta_terminos": True,
        }
        try:
            with unidad_de_trabajo():
                usuario = servicio.registrar_cuenta(
                    db.session, datos, edad_minima=current_app.config["EDAD_MINIMA_ANOS"]
                )
        except ErroresValidacion as error:
            if _hay_duplicado(error.errores):
                return self._ya_creada()
            # The lists changed or the data went stale since the earlier steps: send the person back to fix it.
            flash(MSG_REVISE + " " + " ".join(m for ms in error.errores.values() for m in ms), "danger")
            form.captcha.data = ""
            return self._render("registro/paso3.html", 3, 400, form=form, version=secrets.token_hex(4))
        except IntegrityError:
            # A simultaneous submit won the race for the unique identification or e-mail.
            return self._ya_creada()
        session.pop(CLAVE, None)
        session[CLAVE_CREADA] = servicio.enmascarar_correo(usuario.email)
        return redirect(url_for("RegistroView.exito"))

    def _ya_creada(self):
        session.pop(CLAVE, None)
        return self.render_template("registro/ya_existe.html", mensaje=MSG_YA_CREADA, title="Creación de cuenta"), 409


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(RegistroView())
