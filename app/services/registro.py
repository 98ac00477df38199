"""Crear cuenta (manual 4.3.2–4.3.5): the rules of each step of the signup wizard and the account creation.

Each step is checked by `validar_informacion_general` / `validar_ubicacion`, which return the cleaned values
(plain JSON types, small enough for the signed session cookie) or raise `ErroresValidacion` with one Spanish
message per broken rule. `registrar_cuenta` checks everything again, because the wizard's data travels
through the client between steps, and creates the inactive account with its activation PIN in the caller's
transaction.
"""

from __future__ import annotations

import re
from datetime import date

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.models.referencias import (
    Departamento,
    Estrato,
    GrupoEtnico,
    Municipio,
    NivelAcademico,
    Pais,
    SexoNacer,
    TipoIdentificacion,
)
from app.security.models import Usuario
from app.security.roles import ROL_USUARIO
from app.services import activacion
from app.services.errores import ErroresValidacion
from app.services.reloj import ahora
from app.services.texto import limpiar, normalizar_correo
from app.services.usuarios import asignar_identidad, correo_registrado, identificacion_registrada

EDAD_MAXIMA_ANOS = 120
MAX_NOMBRE = 64
MAX_CORREO = 254
MAX_OTRO_TIPO = 60
MAX_TEXTO = 120  # vereda, estado/provincia, ciudad, localidad
MAX_INDICACIONES = 200
MAX_DIRECCION_RURAL = 200
MAX_COMPLEMENTO = 60
CODIGO_OTRO = "OT"

MSG_IDENTIFICACION_REGISTRADA = (
    "El usuario ya existe: este tipo y número de identificación ya están registrados en InvimÁgil. "
    "Si no recuerda sus credenciales, use la opción «¿Olvidó su contraseña?»."
)
MSG_CORREO_REGISTRADO = (
    "Este correo electrónico ya está registrado en InvimÁgil. Use una dirección de correo diferente o "
    "recupere la cuenta creada previamente con la opción «¿Olvidó su contraseña?»."
)
MENSAJES_DUPLICADO = (MSG_IDENTIFICACION_REGISTRADA, MSG_CORREO_REGISTRADO)

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

_LETRAS = r"[^\W\d_]"  # any letter, accented ones included
_RE_NOMBRE = re.compile(rf"{_LETRAS}+(?:[ '’\-]+{_LETRAS}+)*['’]?")
_RE_CORREO = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_RE_NUMERO_OTRO = re.compile(r"[A-Za-z0-9ÑñÁÉÍÓÚáéíóú.\-/]+")
_RE_TEXTO = re.compile(r"[^\x00-\x1f\x7f<>]+")  # printable, no markup
_RE_NUMERO_VIA = re.compile(r"\d{1,3}")
_SUFIJOS_PALABRA = ("BIS", "SUR", "ESTE", "OESTE", "NORTE")
_RE_COMPLEMENTO = re.compile(r"[0-9A-Za-zÁÉÍÓÚÜÑáéíóúüñ .,#°º/\-]+")


# ---------------------------------------------------------------- helpers


def _texto(datos: dict, clave: str) -> str:
    valor = datos.get(clave)
    return limpiar(valor) if isinstance(valor, str) else ""


def _entero(valor) -> int | None:
    if isinstance(valor, bool):
        return None
    if isinstance(valor, int):
        return valor
    if isinstance(valor, str) and valor.strip().isdigit() and len(valor.strip()) <= 9:
        return int(valor.strip())
    return None


class _Errores(dict):
    def agregar(self, campo: str, mensaje: str) -> None:
        self.setdefault(campo, []).append(mensaje)


def _lista(session, modelo, valor, errores: _Errores, campo: str, mensaje: str) -> int | None:
    """Id of an active row of a reference list, or a message."""
    ident = _entero(valor)
    if ident is None or ident <= 0:
        errores.agregar(campo, mensaje)
        return None
    fila = session.get(modelo, ident)
    if fila is None or getattr(fila, "activo", True) is False:
        errores.agregar(campo, mensaje)
        return None
    return ident


def _correo_valido(correo: str) -> bool:
    if len(correo) > MAX_CORREO or not _RE_CORREO.fullmatch(correo):
        return False
    local, _, dominio = correo.rpartition("@")
    return len(local) <= 64 and ".." not in correo and not local.startswith(".") and not local.endswith(".")


def _anios_cumplidos(nacimiento: date, hoy: date) -> int:
    return hoy.year - nacimiento.year - ((hoy.month, hoy.day) < (nacimiento.month, nacimiento.day))


def leer_fecha(valor: str) -> date | None:
    """A date typed as aaaa-mm-dd (the date picker) or dd/mm/aaaa (as the manual shows dates); None if not real."""
    valor = (valor or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", valor)
    if m:
        anio, mes, dia = (int(x) for x in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", valor)
        if not m:
            return None
        dia, mes, anio = (int(x) for x in m.groups())
    try:
        return date(anio, mes, dia)
    except ValueError:
        return None


# ---------------------------------------------------------------- identification


def reglas_numero_identificacion(tipo: TipoIdentificacion, numero: str) -> list[str]:
    """Messages for each rule of the tipo (manual 4.3.2) that `numero` breaks; empty when it is valid."""
    nombre = tipo.nombre.lower()
    maximo = tipo.longitud_maxima
    mensajes: list[str] = []
    if tipo.regla == "numerico":
        if not numero.isdigit() or not numero.isascii():
            mensajes.append(f"El número de {nombre} debe ser numérico, sin letras ni caracteres especiales.")
        if len(numero) > maximo:
            mensajes.append(f"El número de {nombre} admite hasta {maximo} dígitos.")
    elif tipo.regla == "alfanumerico":
        if not (numero.isascii() and numero.isalnum()):
            mensajes.append(f"El número de {nombre} debe ser alfanumérico: solo letras y números.")
        if len(numero) > maximo:
            mensajes.append(f"El número de {nombre} admite hasta {maximo} caracteres.")
    else:
        if not _RE_NUMERO_OTRO.fullmatch(numero):
            mensajes.append(
                "El número de identificación solo admite letras, números, puntos, guiones y barras, sin espacios."
            )
        if len(numero) > maximo:
            mensajes.append(f"El número de identificación admite hasta {maximo} caracteres.")
    return mensajes


def tipo_otro(session) -> TipoIdentificacion | None:
    """The "Otro" tipo, whose choice makes "Otro tipo de identificación" required."""
    return session.scalar(select(TipoIdentificacion).where(TipoIdentificacion.codigo == CODIGO_OTRO))


# ---------------------------------------------------------------- step 1


def revisar_informacion_general(
    session, datos: dict, hoy: date | None = None, edad_minima: int = 18, verificar_duplicados: bool = True
) -> tuple[dict, dict[str, list[str]]]:
    """Step 1 "Información general": (values that passed their rules, {campo: [mensajes]}).

    The confirmations are checked but not returned: once valid they equal the values they confirm.
    """
    hoy = hoy or ahora().date()
    errores = _Errores()
    limpio: dict = {}

    nacionalidad = _lista(
        session, Pais, datos.get("nacionalidad"), errores, "nacionalidad", "Seleccione la nacionalidad."
    )
    if nacionalidad:
        limpio["nacionalidad"] = nacionalidad

    tipo = None
    tipo_id = _lista(
        session,
        TipoIdentificacion,
        datos.get("tipo_identificacion"),
        errores,
        "tipo_identificacion",
        "Seleccione el tipo de identificación.",
    )
    if tipo_id:
        tipo = session.get(TipoIdentificacion, tipo_id)
        limpio["tipo_identificacion"] = tipo_id

    if tipo is not None and tipo.codigo == CODIGO_OTRO:
        otro = _texto(datos, "otro_tipo_identificacion")
        if not otro:
            errores.agregar("otro_tipo_identificacion", "Ingrese el otro tipo de identificación.")
        elif len(otro) > MAX_OTRO_TIPO:
            errores.agregar("otro_tipo_identificacion", f"Máximo {MAX_OTRO_TIPO} caracteres.")
        elif not _RE_TEXTO.fullmatch(otro):
            errores.agregar("otro_tipo_identificacion", "El tipo de identificación contiene caracteres no permitidos.")
        else:
            limpio["otro_tipo_identificacion"] = otro

    numero = _texto(datos, "numero_identificacion").upper()
    confirmacion = _texto(datos, "confirmar_identificacion").upper()
    numero_valido = False
    if not numero:
        errores.agregar("numero_identificacion", "Ingrese el número de identificación.")
    elif len(numero) > 20 and tipo is None:
        errores.agregar("numero_identificacion", "El número de identificación admite hasta 20 caracteres.")
    elif tipo is not None:
        mensajes = reglas_numero_identificacion(tipo, numero)
        for mensaje in mensajes:
            errores.agregar("numero_identificacion", mensaje)
        numero_valido = not mensajes
    if numero and not confirmacion:
        errores.agregar("confirmar_identificacion", "Confirme el número de identificación.")
    elif numero and confirmacion != numero:
        errores.agregar("confirmar_identificacion", "La confirmación no coincide con el número de identificación.")
    if numero_valido and tipo is not None:
        if verificar_duplicados and identificacion_registrada(session, tipo.id, numero):
            errores.agregar("numero_identificacion", MSG_IDENTIFICACION_REGISTRADA)
        else:
            limpio["numero_identificacion"] = numero

    for campo, etiqueta in (("nombres", "los nombres"), ("apellidos", "los apellidos")):
        valor = _texto(datos, campo)
        if not valor:
            errores.agregar(campo, f"Ingrese {etiqueta}.")
            continue
        if len(valor) > MAX_NOMBRE:
            errores.agregar(campo, f"Máximo {MAX_NOMBRE} caracteres.")
        if not _RE_NOMBRE.fullmatch(valor):
            errores.agregar(campo, f"Escriba {etiqueta} solo con letras, espacios, tildes, apóstrofos o guiones.")
        if campo not in errores:
            limpio[campo] = valor

    correo = normalizar_correo(_texto(datos, "correo"))
    confirmar_correo = normalizar_correo(_texto(datos, "confirmar_correo"))
    if not correo:
        errores.agregar("correo", "Ingrese el correo electrónico.")
    elif not _correo_valido(correo):
        errores.agregar("correo", "Ingrese un correo electrónico válido, por ejemplo nombre@dominio.com.")
    elif verificar_duplicados and correo_registrado(session, correo):
        errores.agregar("correo", MSG_CORREO_REGISTRADO)
    else:
        limpio["correo"] = correo
    if correo and not confirmar_correo:
        errores.agregar("confirmar_correo", "Confirme el correo electrónico.")
    elif correo and confirmar_correo != correo:
        errores.agregar("confirmar_correo", "La confirmación no coincide con el correo electrónico.")

    alternativo = normalizar_correo(_texto(datos, "correo_alternativo"))
    if alternativo:
        if not _correo_valido(alternativo):
            errores.agregar("correo_alternativo", "Ingrese un correo electrónico alternativo válido.")
        elif alternativo == correo:
            errores.agregar("correo_alternativo", "El correo electrónico alternativo debe ser diferente del principal.")
        else:
            limpio["correo_alternativo"] = alternativo

    texto_fecha = _texto(datos, "fecha_nacimiento")
    if not texto_fecha:
        errores.agregar("fecha_nacimiento", "Seleccione la fecha de nacimiento.")
    else:
        nacimiento = leer_fecha(texto_fecha) if len(texto_fecha) <= 10 else None
        if nacimiento is None:
            errores.agregar("fecha_nacimiento", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa).")
        elif nacimiento >= hoy:
            errores.agregar("fecha_nacimiento", "La fecha de nacimiento debe ser anterior a la fecha de hoy.")
        elif _anios_cumplidos(nacimiento, hoy) < edad_minima:
            errores.agregar("fecha_nacimiento", f"Debe tener al menos {edad_minima} años para crear una cuenta.")
        elif _anios_cumplidos(nacimiento, hoy) >= EDAD_MAXIMA_ANOS:
            errores.agregar(
                "fecha_nacimiento", f"La fecha de nacimiento no puede ser de hace más de {EDAD_MAXIMA_ANOS} años."
            )
        else:
            limpio["fecha_nacimiento"] = nacimiento.isoformat()

    for campo, modelo, mensaje in (
        ("sexo_nacer", SexoNacer, "Seleccione el sexo al nacer."),
        ("nivel_academico", NivelAcademico, "Seleccione el nivel académico."),
        ("grupo_etnico", GrupoEtnico, "Seleccione el grupo étnico."),
    ):
        ident = _lista(session, modelo, datos.get(campo), errores, campo, mensaje)
        if ident:
            limpio[campo] = ident
    return limpio, dict(errores)


def datos_de_informacion_general(limpio: dict) -> dict:
    """Step-1 values as form fields again, confirmations included (a kept value was already confirmed)."""
    valores = dict(limpio)
    valores["confirmar_identificacion"] = limpio.get("numero_identificacion", "")
    valores["confirmar_correo"] = limpio.get("correo", "")
    return valores


def validar_informacion_general(session, datos: dict, hoy: date | None = None, edad_minima: int = 18) -> dict:
    """Cleaned step-1 values, or ErroresValidacion (duplicates included: manual 4.7)."""
    limpio, errores = revisar_informacion_general(session, datos, hoy, edad_minima)
    if errores:
        raise ErroresValidacion(errores)
    return limpio


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
    errores = _Errores()
    rural = (not en_colombia) or _texto(datos, "dir_rural") == "si"
    componentes: dict = {"rural": rural}
    indicaciones = _texto(datos, "dir_indicaciones")
    if indicaciones:
        if len(indicaciones) > MAX_INDICACIONES:
            errores.agregar("dir_indicaciones", f"Máximo {MAX_INDICACIONES} caracteres.")
        elif not _RE_TEXTO.fullmatch(indicaciones):
            errores.agregar("dir_indicaciones", "Las indicaciones contienen caracteres no permitidos.")
        else:
            componentes["indicaciones"] = indicaciones
    if rural:
        texto = _texto(datos, "dir_texto")
        if not texto:
            errores.agregar("dir_texto", "Digite su dirección.")
        elif len(texto) > MAX_DIRECCION_RURAL:
            errores.agregar("dir_texto", f"Máximo {MAX_DIRECCION_RURAL} caracteres.")
        elif not _RE_TEXTO.fullmatch(texto):
            errores.agregar("dir_texto", "La dirección contiene caracteres no permitidos.")
        else:
            componentes["texto"] = texto
        return componentes, dict(errores)

    principal = _texto(datos, "dir_principal")
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
        valor = _texto(datos, campo)
        if not valor:
            if obligatorio:
                errores.agregar(campo, f"Ingrese {etiqueta}.")
        elif not _RE_NUMERO_VIA.fullmatch(valor):
            errores.agregar(campo, f"Escriba {etiqueta} solo con números (hasta 3 dígitos).")
        else:
            componentes[clave] = valor
    for campo, clave in (("dir_sufijo", "sufijo"), ("dir_sufijo_secundario", "sufijo_secundario")):
        valor = _texto(datos, campo)
        if valor:
            if sufijo_valido(valor):
                componentes[clave] = valor
            else:
                errores.agregar(campo, "El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte.")
    complemento = _texto(datos, "dir_complemento")
    if complemento:
        if len(complemento) > MAX_COMPLEMENTO:
            errores.agregar("dir_complemento", f"Máximo {MAX_COMPLEMENTO} caracteres.")
        elif not _RE_COMPLEMENTO.fullmatch(complemento):
            errores.agregar("dir_complemento", "El complemento solo admite letras, números y los signos . , # - /.")
        else:
            componentes["complemento"] = complemento
    return componentes, dict(errores)


# ---------------------------------------------------------------- step 2


def _telefono(valor: str) -> str:
    return re.sub(r"[\s\-().]", "", valor)


def revisar_ubicacion(session, datos: dict) -> tuple[dict, dict[str, list[str]]]:
    """Step 2 "Datos de ubicación" (manual 4.3.3): Colombia or abroad decide the fields and rules."""
    errores = _Errores()
    limpio: dict = {}
    pais_id = _lista(
        session, Pais, datos.get("pais_residencia"), errores, "pais_residencia", "Seleccione el país de residencia."
    )
    if pais_id:
        limpio["pais_residencia"] = pais_id
    colombia = session.scalar(select(Pais.id).where(Pais.codigo == "CO"))
    en_colombia = pais_id is None or pais_id == colombia

    if en_colombia:
        departamento_id = _entero(datos.get("departamento"))
        departamento = session.get(Departamento, departamento_id) if departamento_id else None
        if departamento is None:
            errores.agregar("departamento", "Seleccione el departamento.")
        else:
            limpio["departamento"] = departamento.id
        municipio_id = _entero(datos.get("municipio"))
        municipio = session.get(Municipio, municipio_id) if municipio_id else None
        if municipio is None:
            errores.agregar("municipio", "Seleccione el municipio.")
        elif departamento is not None and municipio.departamento_id != departamento.id:
            errores.agregar("municipio", "El municipio seleccionado no pertenece al departamento.")
        elif departamento is not None:
            limpio["municipio"] = municipio.id
        vereda = _texto(datos, "vereda")
        if vereda:
            if len(vereda) > MAX_TEXTO:
                errores.agregar("vereda", f"Máximo {MAX_TEXTO} caracteres.")
            elif not _RE_TEXTO.fullmatch(vereda):
                errores.agregar("vereda", "La vereda contiene caracteres no permitidos.")
            else:
                limpio["vereda"] = vereda
        estrato = _lista(
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
            valor = _texto(datos, campo)
            if not valor:
                if obligatorio:
                    errores.agregar(campo, f"Ingrese {etiqueta}.")
            elif len(valor) > MAX_TEXTO:
                errores.agregar(campo, f"Máximo {MAX_TEXTO} caracteres.")
            elif not _RE_TEXTO.fullmatch(valor):
                errores.agregar(campo, "El texto contiene caracteres no permitidos.")
            else:
                limpio[campo] = valor

    componentes, errores_direccion = revisar_direccion(datos, en_colombia)
    for campo, mensajes in errores_direccion.items():
        for mensaje in mensajes:
            errores.agregar(campo, mensaje)
    if errores_direccion:
        errores.agregar("direccion", "Ingrese la dirección completa: revise los campos de «Ingrese la dirección».")
    else:
        limpio["direccion_componentes"] = componentes

    indicaciones = _texto(datos, "indicaciones") or componentes.get("indicaciones", "")
    if indicaciones:
        if len(indicaciones) > MAX_INDICACIONES:
            errores.agregar("indicaciones", f"Máximo {MAX_INDICACIONES} caracteres.")
        elif not _RE_TEXTO.fullmatch(indicaciones):
            errores.agregar("indicaciones", "Las indicaciones contienen caracteres no permitidos.")
        else:
            limpio["indicaciones"] = indicaciones

    localizacion = _texto(datos, "localizacion_geografica")
    if not localizacion:
        errores.agregar("localizacion_geografica", "Seleccione la localización geográfica.")
    elif localizacion not in LOCALIZACIONES:
        errores.agregar("localizacion_geografica", "Seleccione Urbana o Rural.")
    else:
        limpio["localizacion_geografica"] = localizacion

    telefono = _telefono(_texto(datos, "telefono"))
    celular = _telefono(_texto(datos, "celular"))
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
    """Cleaned step-2 values, or ErroresValidacion."""
    limpio, errores = revisar_ubicacion(session, datos)
    if errores:
        raise ErroresValidacion(errores)
    return limpio


def datos_de_ubicacion(limpio: dict) -> dict:
    """Step-2 values as form fields again (dialog parts prefixed dir_), to refill the form."""
    valores = {k: v for k, v in limpio.items() if k != "direccion_componentes"}
    componentes = limpio.get("direccion_componentes") or {}
    for clave, valor in componentes.items():
        if clave == "rural":
            valores["dir_rural"] = "si" if valor else "no"
        else:
            valores[f"dir_{clave}"] = valor
    return valores


# ---------------------------------------------------------------- final step

MSG_TERMINOS = "Debe aceptar los términos y condiciones de uso para crear la cuenta."


def registrar_cuenta(session, datos: dict, hoy: date | None = None, edad_minima: int = 18) -> Usuario:
    """Create the account from the wizard's data: {"general": …, "ubicacion": …, "acepta_terminos": bool}.

    Guarantees: every rule is checked again (duplicates included); the account is inactive, has no password
    (it is chosen at activation), role Usuario, e-mail in lower case; an activation PIN is issued and its mail
    queued in the same transaction. Flushes, never commits.
    """
    errores: dict[str, list[str]] = {}
    if datos.get("acepta_terminos") is not True:
        errores["acepta_terminos"] = [MSG_TERMINOS]
    general, errores_general = revisar_informacion_general(
        session, datos_de_informacion_general(datos.get("general") or {}), hoy, edad_minima
    )
    ubicacion_datos = datos_de_ubicacion(datos.get("ubicacion") or {})
    ubicacion, errores_ubicacion = revisar_ubicacion(session, ubicacion_datos)
    errores.update(errores_general)
    errores.update(errores_ubicacion)
    if errores:
        raise ErroresValidacion(errores)

    tipo = session.get(TipoIdentificacion, general["tipo_identificacion"])
    componentes = ubicacion["direccion_componentes"]
    usuario = Usuario(
        email=general["correo"],
        active=False,
        activada_en=None,
        password=None,
        otro_tipo_identificacion=general.get("otro_tipo_identificacion"),
        nacionalidad_id=general["nacionalidad"],
        correo_alternativo=general.get("correo_alternativo"),
        fecha_nacimiento=date.fromisoformat(general["fecha_nacimiento"]),
        sexo_nacer_id=general["sexo_nacer"],
        nivel_academico_id=general["nivel_academico"],
        grupo_etnico_id=general["grupo_etnico"],
        pais_residencia_id=ubicacion["pais_residencia"],
        departamento_id=ubicacion.get("departamento"),
        municipio_id=ubicacion.get("municipio"),
        vereda=ubicacion.get("vereda"),
        estrato_id=ubicacion.get("estrato"),
        estado_provincia=ubicacion.get("estado_provincia"),
        ciudad=ubicacion.get("ciudad"),
        localidad=ubicacion.get("localidad"),
        direccion=componer_direccion(componentes)[:255],
        direccion_componentes=componentes,
        indicaciones=ubicacion.get("indicaciones"),
        localizacion_geografica=ubicacion["localizacion_geografica"],
        telefono=ubicacion.get("telefono"),
        celular=ubicacion.get("celular"),
        terminos_aceptados_en=ahora(),
    )
    asignar_identidad(usuario, tipo, general["numero_identificacion"], general["nombres"], general["apellidos"])
    rol = session.scalar(select(Role).where(Role.name == ROL_USUARIO))
    if rol is not None:
        usuario.roles.append(rol)
    session.add(usuario)
    session.flush()
    activacion.emitir_pin_activacion(session, usuario)
    session.flush()
    return usuario


def enmascarar_correo(correo: str) -> str:
    """'maria.perez@correo.test' → 'ma***@correo.test', to confirm where the mail went without exposing it."""
    local, _, dominio = correo.partition("@")
    visible = local[:2] if len(local) > 2 else local[:1]
    return f"{visible}***@{dominio}"
