"""Datos de ubicación (manual 4.3.3 and 4.6.1): the one set of rules for the signup's step 2 and Mi perfil.

`revisar_ubicacion` checks the posted form (country decides the fields: departamento → municipio, vereda and
estrato in Colombia; estado/provincia, ciudad and localidad abroad) and the "Ingrese la dirección" dialog
(fields prefixed dir_), returning the cleaned values as plain JSON types. `atributos_de_usuario` turns those
values into the account's columns; `datos_de_usuario` turns an account back into form values, dialog included.
"""

from __future__ import annotations

import re
from collections import ChainMap

from marshmallow import ValidationError, validates
from marshmallow.validate import Length, OneOf

from app.models.referencias import Departamento, Estrato, Municipio, Pais
from app.services.errores import Errores, ErroresValidacion
from app.services.esquemas import Eleccion, Esquema, Regla, Texto, fila_elegida, revisar
from app.services.listas import id_colombia
from app.services.texto import limpiar

MAX_TEXTO = 120  # vereda, estado/provincia, ciudad, localidad
MAX_INDICACIONES = 200
MAX_DIRECCION_RURAL = 200
MAX_COMPLEMENTO = 60
MAX_DIRECCION = 255  # Usuario.direccion
MSG_DIRECCION_INCOMPLETA = "Ingrese la dirección completa: revise los campos de «Ingrese la dirección»."

# "Principal" of an urban Colombian address, as offered in the "Ingrese la dirección" dialog.
VIAS_PRINCIPALES = (
    "Calle",
    "Carrera",
    "Avenida",
    "Avenida Calle",
    "Avenida Carrera",
    "Diagonal",
    "Transversal",
    "Circular",
    "Circunvalar",
    "Autopista",
    "Kilómetro",
    "Vía",
    "Troncal",
    "Variante",
    "Carretera",
)
LOCALIZACIONES = ("Urbana", "Rural")

RE_TEXTO = re.compile(r"[^\x00-\x1f\x7f<>]+")  # printable, no markup
_RE_NUMERO_VIA = re.compile(r"\d{1,3}")
_SUFIJOS_PALABRA = ("BIS", "SUR", "ESTE", "OESTE", "NORTE")
_RE_COMPLEMENTO = re.compile(r"[0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ .,#°º/\-]+")


# ---------------------------------------------------------------- helpers shared with the signup's step 1


def texto_de(datos, clave: str) -> str:
    """The posted text of `clave`, trimmed and with inner blanks collapsed; "" when absent or not text."""
    valor = datos.get(clave)
    return limpiar(valor) if isinstance(valor, str) else ""


def entero(valor) -> int | None:
    """A small non-negative integer from form text (ids), or None for anything else."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, int):
        return valor
    if isinstance(valor, str) and valor.strip().isdigit() and len(valor.strip()) <= 9:
        return int(valor.strip())
    return None


# ---------------------------------------------------------------- address


def _sufijo(valor: str) -> str:
    """'c' → 'C', 'bis' → ' Bis', 'a bis' → 'A Bis': letters stick to the number, words go after a space."""
    partes = valor.split()
    salida = ""
    for i, parte in enumerate(partes):
        if len(parte) <= 2:
            salida += ("" if i == 0 else " ") + parte.upper()
        else:
            salida += " " + parte.capitalize()
    return salida


def sufijo_valido(valor: str) -> bool:
    partes = valor.split()
    if not partes or len(partes) > 3 or len(valor) > 12:
        return False
    return all(
        (p.isalpha() and p.isascii() and len(p) <= 2) or p.upper() in _SUFIJOS_PALABRA or p.upper() == "Ñ"
        for p in partes
    )


def componer_direccion(componentes: dict) -> str:
    """The standard Colombian address text from the dialog's parts: "Calle 26 # 68C - 10 Interior 2".

    Rural and international addresses are the text typed in "Digite su dirección". Missing parts are left out.
    """
    if componentes.get("rural"):
        return limpiar(componentes.get("texto"))
    principal = limpiar(componentes.get("principal"))
    numero = limpiar(componentes.get("numero_principal"))
    sufijo = limpiar(componentes.get("sufijo"))
    secundario = limpiar(componentes.get("numero_secundario"))
    sufijo_secundario = limpiar(componentes.get("sufijo_secundario"))
    final = limpiar(componentes.get("numero_final"))
    complemento = limpiar(componentes.get("complemento"))
    texto = f"{principal} {numero}{_sufijo(sufijo) if sufijo else ''}".strip()
    if secundario:
        texto += f" # {secundario}{_sufijo(sufijo_secundario) if sufijo_secundario else ''}"
    if final:
        texto += f" - {final}"
    if complemento:
        texto += f" {complemento}"
    return texto


MSG_INDICACIONES_INVALIDAS = "Las indicaciones contienen caracteres no permitidos."
MSG_SUFIJO = "El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte."


def _indicaciones(data_key: str | None = None) -> Texto:
    return Texto(maximo=MAX_INDICACIONES, patron=RE_TEXTO, invalido=MSG_INDICACIONES_INVALIDAS, data_key=data_key)


def _numero_via(etiqueta: str) -> Texto:
    return Texto(
        requerido=f"Ingrese {etiqueta}.",
        patron=_RE_NUMERO_VIA,
        invalido=f"Escriba {etiqueta} solo con números (hasta 3 dígitos).",
    )


class DireccionRural(Esquema):
    """The dialog's free text: rural Colombian addresses and every address abroad."""

    dir_indicaciones = _indicaciones()
    dir_texto = Texto(
        requerido="Digite su dirección.",
        maximo=MAX_DIRECCION_RURAL,
        patron=RE_TEXTO,
        invalido="La dirección contiene caracteres no permitidos.",
    )


class DireccionUrbana(Esquema):
    """The dialog's parts of an urban Colombian address: «Calle 26 # 68C - 10 Interior 2»."""

    dir_indicaciones = _indicaciones()
    dir_principal = Texto(
        requerido="Seleccione la vía principal.",
        validate=OneOf(VIAS_PRINCIPALES, error="Seleccione una vía principal de la lista."),
    )
    dir_numero_principal = _numero_via("el número principal")
    dir_numero_secundario = _numero_via("el número secundario")
    dir_numero_final = _numero_via("el número final")
    dir_sufijo = Texto(validate=Regla(lambda v: sufijo_valido(v), MSG_SUFIJO))
    dir_sufijo_secundario = Texto(validate=Regla(lambda v: sufijo_valido(v), MSG_SUFIJO))
    dir_complemento = Texto(
        maximo=MAX_COMPLEMENTO,
        patron=_RE_COMPLEMENTO,
        invalido="El complemento solo admite letras, números y los signos . , # - /.",
    )


def revisar_direccion(datos: dict, en_colombia: bool) -> tuple[dict, dict[str, list[str]]]:
    """The "Ingrese la dirección" dialog (fields prefixed dir_): (componentes, {campo: [mensajes]})."""
    rural = (not en_colombia) or texto_de(datos, "dir_rural") == "si"
    valores, errores = revisar(DireccionRural() if rural else DireccionUrbana(), datos)
    componentes = {"rural": rural, **{campo.removeprefix("dir_"): valor for campo, valor in valores.items()}}
    return componentes, errores


# ---------------------------------------------------------------- datos de ubicación


_SEPARADORES_TELEFONO = r"[\s\-().]"


class _Ubicacion(Esquema):
    """What every residence has, in Colombia or abroad."""

    pais_residencia = Eleccion(Pais, "Seleccione el país de residencia.")
    indicaciones = _indicaciones()
    localizacion_geografica = Texto(
        requerido="Seleccione la localización geográfica.",
        validate=OneOf(LOCALIZACIONES, error="Seleccione Urbana o Rural."),
    )


class UbicacionColombia(_Ubicacion):
    departamento = Eleccion(Departamento, "Seleccione el departamento.")
    municipio = Eleccion(Municipio, "Seleccione el municipio.")
    vereda = Texto(maximo=MAX_TEXTO, patron=RE_TEXTO, invalido="La vereda contiene caracteres no permitidos.")
    estrato = Eleccion(Estrato, "Seleccione el estrato socioeconómico.")
    telefono = Texto(
        quitar=_SEPARADORES_TELEFONO,
        patron=r"[0-9]+",
        invalido="El teléfono solo admite números.",
        validate=Length(7, 10, error="El teléfono debe tener entre 7 y 10 dígitos."),
    )
    celular = Texto(
        requerido="Ingrese el número de celular.",
        quitar=_SEPARADORES_TELEFONO,
        patron=r"3[0-9]{9}",
        invalido="El celular debe tener 10 dígitos y empezar por 3, por ejemplo 3001234567.",
    )

    @validates("municipio")
    def _del_departamento(self, municipio_id: int, **kwargs) -> None:
        departamento = fila_elegida(self.session, Departamento, self.entrada.get("departamento"))
        if departamento is not None and self.session.get(Municipio, municipio_id).departamento_id != departamento.id:
            raise ValidationError("El municipio seleccionado no pertenece al departamento.")


def _telefono_exterior(etiqueta: str) -> Texto:
    return Texto(
        quitar=_SEPARADORES_TELEFONO,
        patron=r"\+?[0-9]+",
        invalido=f"{etiqueta} solo admite números, con el signo + opcional al inicio.",
        validate=Regla(lambda v: 7 <= len(v.lstrip("+")) <= 15, f"{etiqueta} debe tener entre 7 y 15 dígitos."),
    )


def _texto_exterior(requerido: str | None = None) -> Texto:
    return Texto(
        requerido=requerido,
        maximo=MAX_TEXTO,
        patron=RE_TEXTO,
        invalido="El texto contiene caracteres no permitidos.",
    )


class UbicacionExterior(_Ubicacion):
    estado_provincia = _texto_exterior("Ingrese el estado o provincia.")
    ciudad = _texto_exterior("Ingrese la ciudad.")
    localidad = _texto_exterior()
    telefono = _telefono_exterior("El teléfono")
    celular = _telefono_exterior("El celular")


def revisar_ubicacion(session, datos: dict) -> tuple[dict, dict[str, list[str]]]:
    """ "Datos de ubicación" (manual 4.3.3, also Mi perfil): (values that passed, {campo: [mensajes]}).

    Colombia or abroad decide the fields and rules; the address comes from the dialog's dir_ fields, and
    «Indicaciones» from the dialog when the form has none of its own.
    """
    pais = fila_elegida(session, Pais, datos.get("pais_residencia"))
    en_colombia = pais is None or pais.id == id_colombia(session)
    componentes, errores_direccion = revisar_direccion(datos, en_colombia)
    entrada = ChainMap({"indicaciones": texto_de(datos, "indicaciones") or componentes.get("indicaciones", "")}, datos)
    esquema = UbicacionColombia(session) if en_colombia else UbicacionExterior(session)
    limpio, encontrados = revisar(esquema, entrada)
    errores = Errores(encontrados)
    if "departamento" not in limpio:
        limpio.pop("municipio", None)  # a municipio is only kept with the departamento it belongs to
    errores.sumar(errores_direccion)
    if errores_direccion:
        errores.agregar("direccion", MSG_DIRECCION_INCOMPLETA)
    else:
        limpio["direccion_componentes"] = componentes
    return limpio, dict(errores)


def validar_ubicacion(session, datos: dict) -> dict:
    """Cleaned location values, or ErroresValidacion."""
    limpio, errores = revisar_ubicacion(session, datos)
    if errores:
        raise ErroresValidacion(errores)
    return limpio


def datos_de_ubicacion(limpio: dict) -> dict:
    """Cleaned values as form fields again (dialog parts prefixed dir_), to refill the form."""
    valores = {k: v for k, v in limpio.items() if k != "direccion_componentes"}
    componentes = limpio.get("direccion_componentes") or {}
    for clave, valor in componentes.items():
        if clave == "rural":
            valores["dir_rural"] = "si" if valor else "no"
        else:
            valores[f"dir_{clave}"] = valor
    return valores


def atributos_de_usuario(limpio: dict) -> dict:
    """The account columns for cleaned location values: every location column, the other country's ones None.

    `direccion` is the composed text and `direccion_componentes` the dialog's parts, so both always agree.
    """
    componentes = limpio["direccion_componentes"]
    return {
        "pais_residencia_id": limpio["pais_residencia"],
        "departamento_id": limpio.get("departamento"),
        "municipio_id": limpio.get("municipio"),
        "vereda": limpio.get("vereda"),
        "estrato_id": limpio.get("estrato"),
        "estado_provincia": limpio.get("estado_provincia"),
        "ciudad": limpio.get("ciudad"),
        "localidad": limpio.get("localidad"),
        "direccion": componer_direccion(componentes)[:MAX_DIRECCION],
        "direccion_componentes": componentes,
        "indicaciones": limpio.get("indicaciones"),
        "localizacion_geografica": limpio["localizacion_geografica"],
        "telefono": limpio.get("telefono"),
        "celular": limpio.get("celular"),
    }


def datos_de_usuario(usuario) -> dict[str, str]:
    """An account's location as form values, the "Ingrese la dirección" dialog prefilled from its components.

    An address stored without components (typed before the dialog existed) comes back as the dialog's free
    text, so saving the form unchanged keeps it exactly as it was.
    """
    limpio = {
        "pais_residencia": usuario.pais_residencia_id,
        "departamento": usuario.departamento_id,
        "municipio": usuario.municipio_id,
        "vereda": usuario.vereda,
        "estrato": usuario.estrato_id,
        "estado_provincia": usuario.estado_provincia,
        "ciudad": usuario.ciudad,
        "localidad": usuario.localidad,
        "indicaciones": usuario.indicaciones,
        "localizacion_geografica": usuario.localizacion_geografica,
        "telefono": usuario.telefono,
        "celular": usuario.celular,
    }
    componentes = usuario.direccion_componentes
    if not isinstance(componentes, dict) or not componentes:
        componentes = {"rural": True, "texto": usuario.direccion} if usuario.direccion else {}
    limpio["direccion_componentes"] = componentes
    return {clave: str(valor) for clave, valor in datos_de_ubicacion(limpio).items() if valor is not None}


# ---------------------------------------------------------------- the dialog alone (company address)


def validar_direccion(datos: dict, en_colombia: bool) -> tuple[str, dict, dict[str, list[str]]]:
    """The "Ingrese la dirección" dialog checked and composed at once, for a form whose only location rule is the
    address (the company's): (texto, componentes, {campo: [mensajes]}).

    With errors the text is "" and the read-only «Dirección» field gets a message too, as in `revisar_ubicacion`.
    Outside Colombia the address is the rural/international free text.
    """
    componentes, errores = revisar_direccion(datos, en_colombia)
    if errores:
        return "", {}, {**errores, "direccion": [MSG_DIRECCION_INCOMPLETA]}
    return componer_direccion(componentes)[:MAX_DIRECCION], componentes, {}


def datos_de_direccion(direccion: str | None, componentes) -> dict[str, str]:
    """A stored address as the dialog's form values (dir_ fields), to open it prefilled.

    An address stored without components (typed before the dialog existed) comes back as the dialog's free text,
    so saving it unchanged keeps it exactly as it was.
    """
    if not isinstance(componentes, dict) or not componentes:
        componentes = {"rural": True, "texto": direccion} if direccion else {}
    valores = datos_de_ubicacion({"direccion_componentes": componentes})
    return {clave: str(valor) for clave, valor in valores.items() if valor is not None}
