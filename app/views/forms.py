"""Form pieces shared by the signup wizard and Mi perfil: the "Datos de ubicación" fields with the
"Ingrese la dirección" dialog and a select whose choice the service checks. Errors go onto these forms with
app/web/transaccion.aplicar_errores.

The templates draw these fields with app/templates/_direccion.html and app/static/js/ubicacion.js.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from app.services import listas, ubicacion
from app.services.listas import VACIO


def campo_lista(etiqueta) -> SelectField:
    """A select whose choice the service checks against the list (with a Spanish message), not WTForms."""
    return SelectField(etiqueta, coerce=str, validate_choice=False)


def limite(nombre: str):
    """The rate limit named `nombre` in the config, read at request time (tests change it)."""
    return lambda: current_app.config[nombre]


class UbicacionForm(FlaskForm):
    """ "Datos de ubicación" (manual 4.3.3), with the names app/services/ubicacion.py reads."""

    pais_residencia = campo_lista(_("País de residencia"))
    departamento = campo_lista(_("Departamento"))
    municipio = campo_lista(_("Municipio"))
    vereda = StringField(_("Vereda"))
    estrato = campo_lista(_("Estrato socioeconómico"))
    estado_provincia = StringField(_("Estado/Provincia"))
    ciudad = StringField(_("Ciudad"))
    localidad = StringField(_("Localidad"))
    direccion = StringField(_("Dirección"))
    indicaciones = StringField(_("Indicaciones"))
    localizacion_geografica = campo_lista(_("Localización geográfica"))
    telefono = StringField(_("Teléfono"))
    celular = StringField(_("Celular"))
    # The "Ingrese la dirección" dialog: real fields of this form, so it also works without JavaScript.
    dir_rural = RadioField(_("¿Su dirección es rural?"), choices=[("si", "Sí"), ("no", "No")], validate_choice=False)
    dir_principal = campo_lista(_("Principal"))
    dir_numero_principal = StringField(_("Número principal"))
    dir_sufijo = StringField(_("Sufijo"))
    dir_numero_secundario = StringField(_("Número secundario"))
    dir_sufijo_secundario = StringField(_("Sufijo secundario"))
    dir_numero_final = StringField(_("Número final"))
    dir_complemento = StringField(_("Complemento"))
    dir_texto = StringField(_("Digite su dirección"))
    dir_indicaciones = StringField(_("Indicaciones"))


class RepresentanteLegalForm(FlaskForm):
    """The representante legal of a company (registration, and Invima's change), with the names the service reads."""

    rl_tipo_identificacion = campo_lista(_("Tipo de identificación"))
    rl_numero_identificacion = StringField(_("Número de identificación"))
    rl_nombres = StringField(_("Nombre(s)"))
    rl_apellidos = StringField(_("Apellido(s)"))


def en_colombia(datos, colombia: int | None) -> bool:
    pais = str(datos.get("pais_residencia") or "")
    return not pais or pais == str(colombia)


def preparar_ubicacion(session, form: UbicacionForm, datos, con_errores: bool = False) -> dict:
    """Fill the lists, show the address the dialog composes, and return what the templates need.

    The returned dict goes to the template: `en_colombia`, `colombia_id` and `abrir_direccion` (the dialog
    opens by itself when one of its fields has an error).
    """
    colombia = listas.id_colombia(session)
    reside_en_colombia = en_colombia(datos, colombia)
    componentes, errores_direccion = ubicacion.revisar_direccion(datos, reside_en_colombia)
    form.direccion.data = "" if errores_direccion else ubicacion.componer_direccion(componentes)
    form.pais_residencia.choices = listas.opciones_pais(session)
    form.departamento.choices = listas.opciones_departamento(session)
    departamento = ubicacion.entero(str(datos.get("departamento") or ""))
    form.municipio.choices = listas.opciones_municipio(session, departamento)
    form.estrato.choices = listas.opciones_estrato(session)
    form.localizacion_geografica.choices = [VACIO] + [(v, v) for v in ubicacion.LOCALIZACIONES]
    form.dir_principal.choices = [VACIO] + [(v, v) for v in ubicacion.VIAS_PRINCIPALES]
    if not form.dir_rural.data:
        form.dir_rural.data = "no"
    return {
        "en_colombia": reside_en_colombia,
        "colombia_id": str(colombia or ""),
        "abrir_direccion": con_errores and any(campo.startswith("dir_") for campo in form.errors),
    }
