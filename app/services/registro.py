"""Crear cuenta (manual 4.3.2–4.3.5): the rules of each step of the signup wizard and the account creation.

Each step is checked by `validar_informacion_general` / `ubicacion.validar_ubicacion`, which return the cleaned values
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

from app.models.referencias import GrupoEtnico, NivelAcademico, Pais, SexoNacer, TipoIdentificacion
from app.security.models import Usuario
from app.security.roles import ROL_USUARIO
from app.services import activacion
from app.services.errores import ErroresValidacion
from app.services.reloj import ahora
from app.services.texto import normalizar_correo
from app.services.ubicacion import (
    RE_TEXTO,
    Errores,
    atributos_de_usuario,
    datos_de_ubicacion,
    elegido,
    revisar_ubicacion,
    texto_de,
)
from app.services.usuarios import asignar_identidad, correo_registrado, identificacion_registrada

EDAD_MAXIMA_ANOS = 120
MAX_NOMBRE = 64
MAX_CORREO = 254
MAX_OTRO_TIPO = 60
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

_LETRAS = r"[^\W\d_]"  # any letter, accented ones included
_RE_NOMBRE = re.compile(rf"{_LETRAS}+(?:[ '’\-]+{_LETRAS}+)*['’]?")
_RE_CORREO = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_RE_NUMERO_OTRO = re.compile(r"[A-Za-z0-9ÑñÁÉÍÓÚáéíóú.\-/]+")


# ---------------------------------------------------------------- helpers


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
    errores = Errores()
    limpio: dict = {}

    nacionalidad = elegido(
        session, Pais, datos.get("nacionalidad"), errores, "nacionalidad", "Seleccione la nacionalidad."
    )
    if nacionalidad:
        limpio["nacionalidad"] = nacionalidad

    tipo = None
    tipo_id = elegido(
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
        otro = texto_de(datos, "otro_tipo_identificacion")
        if not otro:
            errores.agregar("otro_tipo_identificacion", "Ingrese el otro tipo de identificación.")
        elif len(otro) > MAX_OTRO_TIPO:
            errores.agregar("otro_tipo_identificacion", f"Máximo {MAX_OTRO_TIPO} caracteres.")
        elif not RE_TEXTO.fullmatch(otro):
            errores.agregar("otro_tipo_identificacion", "El tipo de identificación contiene caracteres no permitidos.")
        else:
            limpio["otro_tipo_identificacion"] = otro

    numero = texto_de(datos, "numero_identificacion").upper()
    confirmacion = texto_de(datos, "confirmar_identificacion").upper()
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
        valor = texto_de(datos, campo)
        if not valor:
            errores.agregar(campo, f"Ingrese {etiqueta}.")
            continue
        if len(valor) > MAX_NOMBRE:
            errores.agregar(campo, f"Máximo {MAX_NOMBRE} caracteres.")
        if not _RE_NOMBRE.fullmatch(valor):
            errores.agregar(campo, f"Escriba {etiqueta} solo con letras, espacios, tildes, apóstrofos o guiones.")
        if campo not in errores:
            limpio[campo] = valor

    correo = normalizar_correo(texto_de(datos, "correo"))
    confirmar_correo = normalizar_correo(texto_de(datos, "confirmar_correo"))
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

    alternativo = normalizar_correo(texto_de(datos, "correo_alternativo"))
    if alternativo:
        if not _correo_valido(alternativo):
            errores.agregar("correo_alternativo", "Ingrese un correo electrónico alternativo válido.")
        elif alternativo == correo:
            errores.agregar("correo_alternativo", "El correo electrónico alternativo debe ser diferente del principal.")
        else:
            limpio["correo_alternativo"] = alternativo

    texto_fecha = texto_de(datos, "fecha_nacimiento")
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
        ident = elegido(session, modelo, datos.get(campo), errores, campo, mensaje)
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
        **atributos_de_usuario(ubicacion),
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
