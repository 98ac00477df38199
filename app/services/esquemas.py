"""Building blocks of the declarative form rules: marshmallow fields that speak the portal's Spanish.

A schema (a subclass of `Esquema`) lists each field with its rules and messages; `revisar` loads posted data
(a dict, a request's form, a JSON body) through it and answers ({campo: valor} of the fields that passed, {campo:
[mensajes]}) — the contract of `ErroresValidacion`. Text is cleaned once, before any rule, the way every form of
the portal always did: trimmed, inner blanks collapsed, a value that is not text counts as absent, and so does an
empty one (so `requerido` catches both). Rules inside one field stop at the first broken one (length before
pattern), unless they are given as a `validate=[…]` list, where every broken rule has its own message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from email_validator import EmailNotValidError, validate_email
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load
from marshmallow.validate import Validator

from app.services.errores import ErroresValidacion
from app.services.ids import como_id
from app.services.texto import limpiar

_RE_FECHA_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_RE_FECHA_COLOMBIANA = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def leer_fecha(valor: str | date | None) -> date | None:
    """A date typed as aaaa-mm-dd (what <input type=date> posts) or dd/mm/aaaa (as the manual shows dates);
    None when it is not a real date."""
    if isinstance(valor, date):
        return valor
    valor = valor.strip() if isinstance(valor, str) else ""
    if m := _RE_FECHA_ISO.fullmatch(valor):
        anio, mes, dia = (int(x) for x in m.groups())
    elif m := _RE_FECHA_COLOMBIANA.fullmatch(valor):
        dia, mes, anio = (int(x) for x in m.groups())
    else:
        return None
    try:
        return date(anio, mes, dia)
    except ValueError:
        return None


def anios_cumplidos(nacimiento: date, hoy: date) -> int:
    return hoy.year - nacimiento.year - ((hoy.month, hoy.day) < (nacimiento.month, nacimiento.day))


def correo_valido(correo: str) -> bool:
    """A plain ASCII address a mail server takes (email-validator's syntax rules, no DNS look-up; RFC 5321's 64
    characters before the @, which email-validator lets through)."""
    if not correo.isascii() or len(correo.rpartition("@")[0]) > 64:
        return False
    try:
        validate_email(correo, check_deliverability=False, test_environment=True, allow_smtputf8=False)
    except EmailNotValidError:
        return False
    return True


def fila_elegida(session, modelo, valor):
    """The active row of a reference list that a posted id names, or None."""
    ident = como_id(valor)
    fila = session.get(modelo, ident) if ident is not None else None
    if fila is None or getattr(fila, "activo", True) is False:
        return None
    return fila


# ---------------------------------------------------------------- validators


class Patron(Validator):
    """The whole value matches `patron` (marshmallow's Regexp only anchors the start)."""

    def __init__(self, patron: str | re.Pattern, error: str):
        self.patron = re.compile(patron) if isinstance(patron, str) else patron
        self.error = error

    def __call__(self, valor: str) -> str:
        if not self.patron.fullmatch(valor):
            raise ValidationError(self.error)
        return valor


class Regla(Validator):
    """`cumple(valor)` is true, else `error`."""

    def __init__(self, cumple: Callable[[str], bool], error: str):
        self.cumple = cumple
        self.error = error

    def __call__(self, valor):
        if not self.cumple(valor):
            raise ValidationError(self.error)
        return valor


# ---------------------------------------------------------------- fields


class Texto(fields.String):
    """Free text: `requerido` is the message when it is absent; then at most `maximo` characters (message
    `mensaje_maximo`), then the whole text matches `patron` (message `invalido`).

    `quitar` (a pattern) is removed before anything else (separators of a phone number, dots of a NIT);
    `mayusculas` / `minusculas` change the case the value is checked and kept in.
    """

    def __init__(
        self,
        *,
        requerido: str | None = None,
        maximo: int | None = None,
        mensaje_maximo: str = "Máximo {maximo} caracteres.",
        patron: str | re.Pattern | None = None,
        invalido: str | None = None,
        quitar: str | None = None,
        mayusculas: bool = False,
        minusculas: bool = False,
        **kwargs,
    ):
        if requerido:
            kwargs["required"] = True
            kwargs.setdefault("error_messages", {})["required"] = requerido
        super().__init__(**kwargs)
        self.maximo = maximo
        self.mensaje_maximo = mensaje_maximo.format(maximo=maximo)
        self.patron = re.compile(patron) if isinstance(patron, str) else patron
        self.invalido = invalido
        self.quitar = re.compile(quitar) if quitar else None
        self.mayusculas = mayusculas
        self.minusculas = minusculas

    def normalizar(self, valor) -> str:
        """The posted value as this field reads it ("" when absent or not text)."""
        if not isinstance(valor, str):
            return ""
        valor = limpiar(valor)
        if self.quitar is not None:
            valor = self.quitar.sub("", valor)
        if self.mayusculas:
            valor = valor.upper()
        if self.minusculas:
            valor = valor.lower()
        return valor

    def _deserialize(self, valor, attr, data, **kwargs):
        valor = super()._deserialize(valor, attr, data, **kwargs)
        if self.maximo is not None and len(valor) > self.maximo:
            raise ValidationError(self.mensaje_maximo)
        if self.patron is not None and not self.patron.fullmatch(valor):
            raise ValidationError(self.invalido)
        return valor


class TextoConLineas(Texto):
    """Free text whose line breaks matter (an observación, a requerimiento): only trimmed, CRLF read as LF."""

    def normalizar(self, valor) -> str:
        return valor.replace("\r\n", "\n").strip() if isinstance(valor, str) else ""


class Correo(Texto):
    """An e-mail address, kept in lower case; `invalido` when email-validator refuses it."""

    def __init__(self, *, invalido: str, **kwargs):
        super().__init__(minusculas=True, invalido=invalido, **kwargs)

    def _deserialize(self, valor, attr, data, **kwargs):
        valor = super()._deserialize(valor, attr, data, **kwargs)
        if not correo_valido(valor):
            raise ValidationError(self.invalido)
        return valor


class Fecha(Texto):
    """A date typed as aaaa-mm-dd or dd/mm/aaaa (`leer_fecha`); `invalido` when it is not a real one."""

    def __init__(self, *, invalido: str, **kwargs):
        super().__init__(invalido=invalido, **kwargs)

    def _deserialize(self, valor, attr, data, **kwargs):
        fecha = leer_fecha(super()._deserialize(valor, attr, data, **kwargs))
        if fecha is None:
            raise ValidationError(self.invalido)
        return fecha


class Eleccion(fields.Field):
    """The id of an active row of the reference list `modelo` (the schema's session reads it).

    `invalido` when the id names no such row; `requerido` (default: `invalido`) when nothing was chosen.
    """

    def __init__(self, modelo, invalido: str, *, requerido: str | None = None, **kwargs):
        kwargs["required"] = True
        kwargs.setdefault("error_messages", {})["required"] = requerido or invalido
        super().__init__(**kwargs)
        self.modelo = modelo
        self.invalido = invalido

    def normalizar(self, valor):
        return valor.strip() if isinstance(valor, str) else valor

    def _deserialize(self, valor, attr, data, **kwargs):
        fila = fila_elegida(self.parent.session, self.modelo, valor)
        if fila is None:
            raise ValidationError(self.invalido)
        return fila.id


# ---------------------------------------------------------------- schemas


class Esquema(Schema):
    """A form's rules. `session` reads the reference lists; other keyword arguments (`hoy`, `usuario`, `tipo`…)
    become attributes the schema's own rules read. `entrada` keeps the cleaned input, for rules that compare
    raw values (a confirmation with the value it confirms, even when that one broke a rule)."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, session=None, *, only=None, exclude=(), **contexto):
        super().__init__(only=only, exclude=exclude)
        self.session = session
        self.entrada: dict = {}
        for nombre, valor in contexto.items():
            setattr(self, nombre, valor)

    @pre_load
    def _limpiar(self, datos: Mapping, **kwargs) -> dict:
        """Only the declared fields are read; text cleaned, absent and empty values dropped."""
        entrada = {}
        for nombre, campo in self.load_fields.items():
            clave = campo.data_key or nombre
            varios = getattr(campo, "varios", False) and hasattr(datos, "getlist")
            valor = datos.getlist(clave) if varios else datos.get(clave)
            normalizar = getattr(campo, "normalizar", None)
            if normalizar is not None:
                valor = normalizar(valor)
            if valor is not None and valor != "" and valor != []:
                entrada[clave] = valor
        self.entrada = entrada
        return entrada


def revisar(esquema: Esquema, datos: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """({campo: valor} of the fields that broke no rule, {campo: [mensajes]}) for `datos` under `esquema`."""
    try:
        return esquema.load(datos), {}
    except ValidationError as error:
        errores = {campo: list(mensajes) for campo, mensajes in error.messages.items()}
        validos = {campo: valor for campo, valor in (error.valid_data or {}).items() if campo not in errores}
        return validos, errores


def exigir(esquema: Esquema, datos: Mapping) -> dict:
    """`revisar`, for a form that is all or nothing: its values, or ErroresValidacion with every message."""
    validos, errores = revisar(esquema, datos)
    if errores:
        raise ErroresValidacion(errores)
    return validos


def exigir_como(esquema: Esquema, datos: Mapping, clave: str) -> dict:
    """`exigir`, with every message under `clave` (one row of a list of many: a requerimiento's point)."""
    try:
        return exigir(esquema, datos)
    except ErroresValidacion as error:
        raise ErroresValidacion({clave: [m for mensajes in error.errores.values() for m in mensajes]}) from None
