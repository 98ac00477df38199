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
from marshmallow import ValidationError, validates, validates_schema
from marshmallow.validate import Length
from sqlalchemy import select

from app.models.personas import Usuario
from app.models.referencias import GrupoEtnico, NivelAcademico, Pais, SexoNacer, TipoIdentificacion
from app.security.roles import ROL_USUARIO
from app.services.cuentas import activacion
from app.services.cuentas.identificacion import (
    MSG_NACIMIENTO_INVALIDA,
    asignar_identidad,
    correo_registrado,
    identificacion_registrada,
    mensajes_numero,
    problema_de_nacimiento,
)
from app.services.errores import ErroresValidacion
from app.services.esquemas import (
    Correo,
    Eleccion,
    Esquema,
    Fecha,
    Patron,
    Texto,
    fila_elegida,
    revisar,
)
from app.services.reloj import ahora
from app.services.ubicacion import RE_TEXTO, atributos_de_usuario, datos_de_ubicacion, revisar_ubicacion

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


def tipo_otro(session) -> TipoIdentificacion | None:
    """The "Otro" tipo, whose choice makes "Otro tipo de identificación" required."""
    return session.scalar(select(TipoIdentificacion).where(TipoIdentificacion.codigo == CODIGO_OTRO))


# ---------------------------------------------------------------- step 1


def _nombre(etiqueta: str) -> Texto:
    return Texto(
        requerido=f"Ingrese {etiqueta}.",
        validate=[
            Length(max=MAX_NOMBRE, error="Máximo {max} caracteres."),
            Patron(_RE_NOMBRE, f"Escriba {etiqueta} solo con letras, espacios, tildes, apóstrofos o guiones."),
        ],
    )


# (field, its confirmation, message when the confirmation is missing, message when it differs)
_CONFIRMACIONES = (
    (
        "numero_identificacion",
        "confirmar_identificacion",
        "Confirme el número de identificación.",
        "La confirmación no coincide con el número de identificación.",
    ),
    (
        "correo",
        "confirmar_correo",
        "Confirme el correo electrónico.",
        "La confirmación no coincide con el correo electrónico.",
    ),
)


class InformacionGeneral(Esquema):
    """Step 1 "Información general". Context: `tipo` (the chosen TipoIdentificacion or None), `hoy`,
    `edad_minima`, `verificar_duplicados`."""

    nacionalidad = Eleccion(Pais, "Seleccione la nacionalidad.")
    tipo_identificacion = Eleccion(TipoIdentificacion, "Seleccione el tipo de identificación.")
    numero_identificacion = Texto(requerido="Ingrese el número de identificación.", mayusculas=True)
    confirmar_identificacion = Texto(mayusculas=True)
    nombres = _nombre("los nombres")
    apellidos = _nombre("los apellidos")
    correo = Correo(
        requerido="Ingrese el correo electrónico.",
        invalido="Ingrese un correo electrónico válido, por ejemplo nombre@dominio.com.",
    )
    confirmar_correo = Texto(minusculas=True)
    correo_alternativo = Correo(invalido="Ingrese un correo electrónico alternativo válido.")
    fecha_nacimiento = Fecha(requerido="Seleccione la fecha de nacimiento.", invalido=MSG_NACIMIENTO_INVALIDA)
    sexo_nacer = Eleccion(SexoNacer, "Seleccione el sexo al nacer.")
    nivel_academico = Eleccion(NivelAcademico, "Seleccione el nivel académico.")
    grupo_etnico = Eleccion(GrupoEtnico, "Seleccione el grupo étnico.")

    @validates("numero_identificacion")
    def _numero(self, numero: str, **kwargs) -> None:
        if mensajes := mensajes_numero(self.tipo, numero):
            raise ValidationError(mensajes)
        if (
            self.tipo is not None
            and self.verificar_duplicados
            and identificacion_registrada(self.session, self.tipo.id, numero)
        ):
            raise ValidationError(MSG_IDENTIFICACION_REGISTRADA)

    @validates("correo")
    def _correo_libre(self, correo: str, **kwargs) -> None:
        if self.verificar_duplicados and correo_registrado(self.session, correo):
            raise ValidationError(MSG_CORREO_REGISTRADO)

    @validates("correo_alternativo")
    def _alternativo_distinto(self, alternativo: str, **kwargs) -> None:
        if alternativo == self.entrada.get("correo"):
            raise ValidationError("El correo electrónico alternativo debe ser diferente del principal.")

    @validates("fecha_nacimiento")
    def _edad(self, nacimiento: date, **kwargs) -> None:
        if problema := problema_de_nacimiento(nacimiento, self.hoy, self.edad_minima):
            raise ValidationError(problema)

    @validates_schema(skip_on_field_errors=False)
    def _confirmaciones(self, datos: dict, **kwargs) -> None:
        errores = {}
        for campo, confirmacion, falta, distinta in _CONFIRMACIONES:
            valor, confirmado = self.entrada.get(campo), self.entrada.get(confirmacion)
            if valor and not confirmado:
                errores[confirmacion] = [falta]
            elif valor and confirmado != valor:
                errores[confirmacion] = [distinta]
        if errores:
            raise ValidationError(errores)


class InformacionGeneralOtroTipo(InformacionGeneral):
    """With tipo "Otro", «Otro tipo de identificación» is required (otherwise it is not even read)."""

    otro_tipo_identificacion = Texto(
        requerido="Ingrese el otro tipo de identificación.",
        maximo=MAX_OTRO_TIPO,
        patron=RE_TEXTO,
        invalido="El tipo de identificación contiene caracteres no permitidos.",
    )


def revisar_informacion_general(
    session, datos: dict, hoy: date | None = None, edad_minima: int = 18, verificar_duplicados: bool = True
) -> tuple[dict, dict[str, list[str]]]:
    """Step 1 "Información general": (values that passed their rules, {campo: [mensajes]}).

    The confirmations are checked but not returned: once valid they equal the values they confirm.
    """
    tipo = fila_elegida(session, TipoIdentificacion, datos.get("tipo_identificacion"))
    clase = InformacionGeneralOtroTipo if tipo is not None and tipo.codigo == CODIGO_OTRO else InformacionGeneral
    esquema = clase(
        session,
        tipo=tipo,
        hoy=hoy or ahora().date(),
        edad_minima=edad_minima,
        verificar_duplicados=verificar_duplicados,
    )
    limpio, errores = revisar(esquema, datos)
    limpio.pop("confirmar_identificacion", None)
    limpio.pop("confirmar_correo", None)
    if "fecha_nacimiento" in limpio:
        limpio["fecha_nacimiento"] = limpio["fecha_nacimiento"].isoformat()
    return limpio, errores


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
