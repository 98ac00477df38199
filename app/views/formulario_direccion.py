"""The read-only «Dirección» with the "Ingrese la dirección" dialog for forms that have no other location field of
the signup: the company's registration and «Datos de la empresa».

The fields are the very ones of `UbicacionForm` (signup step 2, Mi perfil), so the templates draw them with the
same macros of app/templates/_direccion.html and app/static/js/ubicacion.js, and app/services/ubicacion.py checks
and composes them with the same rules.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

from app.services import ubicacion
from app.services.listas import VACIO
from app.views.forms import UbicacionForm


class DireccionForm(FlaskForm):
    direccion = UbicacionForm.direccion
    dir_rural = UbicacionForm.dir_rural
    dir_principal = UbicacionForm.dir_principal
    dir_numero_principal = UbicacionForm.dir_numero_principal
    dir_sufijo = UbicacionForm.dir_sufijo
    dir_numero_secundario = UbicacionForm.dir_numero_secundario
    dir_sufijo_secundario = UbicacionForm.dir_sufijo_secundario
    dir_numero_final = UbicacionForm.dir_numero_final
    dir_complemento = UbicacionForm.dir_complemento
    dir_texto = UbicacionForm.dir_texto
    dir_indicaciones = UbicacionForm.dir_indicaciones


def preparar_direccion(form: DireccionForm, datos, en_colombia: bool, errores: dict[str, list[str]]) -> bool:
    """Show `errores` of the address next to their fields, the «Principal» list and the address the dialog composes.

    Returns whether the dialog opens by itself: one of its own fields has an error.
    """
    for campo, mensajes in errores.items():
        if (campo == "direccion" or campo.startswith("dir_")) and campo in form:
            form[campo].errors = list(mensajes)
    componentes, errores_direccion = ubicacion.revisar_direccion(datos, en_colombia)
    form.direccion.data = "" if errores_direccion else ubicacion.componer_direccion(componentes)
    form.dir_principal.choices = [VACIO] + [(v, v) for v in ubicacion.VIAS_PRINCIPALES]
    if not form.dir_rural.data:
        form.dir_rural.data = "no"
    return any(campo.startswith("dir_") for campo in errores)
