"""Datos de ubicación (manual 4.3.3 and 4.6.1): the one set of rules for the signup's step 2 and Mi perfil.

`revisar_ubicacion` checks the posted form (country decides the fields: departamento → municipio, vereda and
estrato in Colombia; estado/provincia, ciudad and localidad abroad) and the "Ingrese la dirección" dialog
(fields prefixed dir_), returning the cleaned values as plain JSON types. `atributos_de_usuario` turns those
values into the account's columns; `datos_de_usuario` turns an account back into form values, dialog included.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models.referencias import Departamento, Estrato, Municipio, Pais
from app.services.errores import ErroresValidacion
from app.services.texto import limpiar

MAX_TEXTO = 120  # vereda, estado/provincia, ciudad, localidad
MAX_INDICACIONES = 200
MAX_DIRECCION_RURAL = 200
MAX_COMPLEMENTO = 60
MAX_DIRECCION = 255  # Usuario.direccion

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


class Errores(dict):
    """{campo: [mensajes]} collected while checking a form."""

    def agregar(self, campo: str, mensaje: str) -> None:
        self.setdefault(campo, []).append(mensaje)


def elegido(session, modelo, valor, errores: Errores, campo: str, mensaje: str) -> int | None:
    """Id of an active row of a reference list, or a message."""
    ident = entero(valor)
    if ident is None or ident <= 0:
        errores.agregar(campo, mensaje)
        return None
    fila = session.get(modelo, ident)
    if fila is None or getattr(fila, "activo", True) is False:
        errores.agregar(campo, mensaje)
        return None
    return ident


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


def revisar_direccion(datos: dict, en_colombia: bool) -> tuple[dict, dict[str, list[str]]]:
    """The "Ingrese la dirección" dialog (fields prefixed dir_): (componentes, {campo: [mensajes]})."""
    errores = Errores()
    rural = (not en_colombia) or texto_de(datos, "dir_rural") == "si"
    componentes: dict = {"rural": rural}
    indicaciones = _texto_acotado(
        errores,
        datos,
        "dir_indicaciones",
        MAX_INDICACIONES,
        RE_TEXTO,
        "Las indicaciones contienen caracteres no permitidos.",
    )
    if indicaciones:
        componentes["indicaciones"] = indicaciones
    if rural:
        texto = _texto_acotado(
            errores,
            datos,
            "dir_texto",
            MAX_DIRECCION_RURAL,
            RE_TEXTO,
            "La dirección contiene caracteres no permitidos.",
            falta="Digite su dirección.",
        )
        if texto:
            componentes["texto"] = texto
        return componentes, dict(errores)

    principal = texto_de(datos, "dir_principal")
    if not principal:
        errores.agregar("dir_principal", "Seleccione la vía principal.")
    elif principal not in VIAS_PRINCIPALES:
        errores.agregar("dir_principal", "Seleccione una vía principal de la lista.")
    else:
        componentes["principal"] = principal
    for campo, clave, etiqueta, obligatorio in (
        ("dir_numero_principal", "numero_principal", "el número principal", True),
        ("dir_numero_secundario", "numero_secundario", "el número secundario", True),
        ("dir_numero_final", "numero_final", "el número final", True),
    ):
        valor = texto_de(datos, campo)
        if not valor:
            if obligatorio:
                errores.agregar(campo, f"Ingrese {etiqueta}.")
        elif not _RE_NUMERO_VIA.fullmatch(valor):
            errores.agregar(campo, f"Escriba {etiqueta} solo con números (hasta 3 dígitos).")
        else:
            componentes[clave] = valor
    for campo, clave in (("dir_sufijo", "sufijo"), ("dir_sufijo_secundario", "sufijo_secundario")):
        valor = texto_de(datos, campo)
        if valor:
            if sufijo_valido(valor):
                componentes[clave] = valor
            else:
                errores.agregar(campo, "El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte.")
    complemento = _texto_acotado(
        errores,
        datos,
        "dir_complemento",
        MAX_COMPLEMENTO,
        _RE_COMPLEMENTO,
        "El complemento solo admite letras, números y los signos . , # - /.",
    )
    if complemento:
        componentes["complemento"] = complemento
    return componentes, dict(errores)


def _texto_acotado(errores, datos, campo: str, maximo: int, patron, invalido: str, falta: str | None = None):
    """The field's text if it fits `maximo` and `patron`; otherwise None and its message (`falta` if empty)."""
    valor = texto_de(datos, campo)
    if not valor:
        if falta:
            errores.agregar(campo, falta)
        return None
    if len(valor) > maximo:
        errores.agregar(campo, f"Máximo {maximo} caracteres.")
        return None
    if not patron.fullmatch(valor):
        errores.agregar(campo, invalido)
        return None
    return valor


# ---------------------------------------------------------------- datos de ubicación


def _telefono(valor: str) -> str:
    return re.sub(r"[\s\-().]", "", valor)


def revisar_ubicacion(session, datos: dict) -> tuple[dict, dict[str, list[str]]]:
    """ "Datos de ubicación" (manual 4.3.3, also Mi perfil): (values that passed, {campo: [mensajes]}).

    Colombia or abroad decide the fields and rules; the address comes from the dialog's dir_ fields.
    """
    errores = Errores()
    limpio: dict = {}
    pais_id = elegido(
        session, Pais, datos.get("pais_residencia"), errores, "pais_residencia", "Seleccione el país de residencia."
    )
    if pais_id:
        limpio["pais_residencia"] = pais_id
    colombia = session.scalar(select(Pais.id).where(Pais.codigo == "CO"))
    en_colombia = pais_id is None or pais_id == colombia

    if en_colombia:
        departamento_id = entero(datos.get("departamento"))
        departamento = session.get(Departamento, departamento_id) if departamento_id else None
        if departamento is None:
            errores.agregar("departamento", "Seleccione el departamento.")
        else:
            limpio["departamento"] = departamento.id
        municipio_id = entero(datos.get("municipio"))
        municipio = session.get(Municipio, municipio_id) if municipio_id else None
        if municipio is None:
            errores.agregar("municipio", "Seleccione el municipio.")
        elif departamento is not None and municipio.departamento_id != departamento.id:
            errores.agregar("municipio", "El municipio seleccionado no pertenece al departamento.")
        elif departamento is not None:
            limpio["municipio"] = municipio.id
        vereda = _texto_acotado(
            errores, datos, "vereda", MAX_TEXTO, RE_TEXTO, "La vereda contiene caracteres no permitidos."
        )
        if vereda:
            limpio["vereda"] = vereda
        estrato = elegido(
            session, Estrato, datos.get("estrato"), errores, "estrato", "Seleccione el estrato socioeconómico."
        )
        if estrato:
            limpio["estrato"] = estrato
    else:
        for campo, etiqueta, obligatorio in (
            ("estado_provincia", "el estado o provincia", True),
            ("ciudad", "la ciudad", True),
            ("localidad", "la localidad", False),
        ):
            valor = _texto_acotado(
                errores,
                datos,
                campo,
                MAX_TEXTO,
                RE_TEXTO,
                "El texto contiene caracteres no permitidos.",
                falta=f"Ingrese {etiqueta}." if obligatorio else None,
            )
            if valor:
                limpio[campo] = valor

    componentes, errores_direccion = revisar_direccion(datos, en_colombia)
    for campo, mensajes in errores_direccion.items():
        for mensaje in mensajes:
            errores.agregar(campo, mensaje)
    if errores_direccion:
        errores.agregar("direccion", "Ingrese la dirección completa: revise los campos de «Ingrese la dirección».")
    else:
        limpio["direccion_componentes"] = componentes

    indicaciones = texto_de(datos, "indicaciones") or componentes.get("indicaciones", "")
    if indicaciones:
        if len(indicaciones) > MAX_INDICACIONES:
            errores.agregar("indicaciones", f"Máximo {MAX_INDICACIONES} caracteres.")
        elif not RE_TEXTO.fullmatch(indicaciones):
            errores.agregar("indicaciones", "Las indicaciones contienen caracteres no permitidos.")
        else:
            limpio["indicaciones"] = indicaciones

    localizacion = texto_de(datos, "localizacion_geografica")
    if not localizacion:
        errores.agregar("localizacion_geografica", "Seleccione la localización geográfica.")
    elif localizacion not in LOCALIZACIONES:
        errores.agregar("localizacion_geografica", "Seleccione Urbana o Rural.")
    else:
        limpio["localizacion_geografica"] = localizacion

    telefono = _telefono(texto_de(datos, "telefono"))
    celular = _telefono(texto_de(datos, "celular"))
    if en_colombia:
        if telefono:
            if not telefono.isdigit() or not telefono.isascii():
                errores.agregar("telefono", "El teléfono solo admite números.")
            elif not 7 <= len(telefono) <= 10:
                errores.agregar("telefono", "El teléfono debe tener entre 7 y 10 dígitos.")
            else:
                limpio["telefono"] = telefono
        if not celular:
            errores.agregar("celular", "Ingrese el número de celular.")
        elif not re.fullmatch(r"3\d{9}", celular):
            errores.agregar("celular", "El celular debe tener 10 dígitos y empezar por 3, por ejemplo 3001234567.")
        else:
            limpio["celular"] = celular
    else:
        for campo, valor, etiqueta in (("telefono", telefono, "El teléfono"), ("celular", celular, "El celular")):
            if not valor:
                continue
            if not re.fullmatch(r"\+?\d+", valor):
                errores.agregar(campo, f"{etiqueta} solo admite números, con el signo + opcional al inicio.")
            elif not 7 <= len(valor.lstrip("+")) <= 15:
                errores.agregar(campo, f"{etiqueta} debe tener entre 7 y 15 dígitos.")
            else:
                limpio[campo] = valor
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

MSG_DIRECCION_INCOMPLETA = "Ingrese la dirección completa: revise los campos de «Ingrese la dirección»."


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
