"""Pieces of a person's account shared by signup, administration, company registration, invitations and the
benchmark generator: identity fields, search keys and the identification number rules."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from app.models.personas import Usuario
from app.models.referencias import TipoIdentificacion
from app.services.esquemas import anios_cumplidos
from app.services.texto import limpiar, normalizar_busqueda, normalizar_correo

EDAD_MAXIMA_ANOS = 120
MSG_NACIMIENTO_INVALIDA = "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."
MSG_NACIMIENTO_FUTURA = "La fecha de nacimiento debe ser anterior a la fecha de hoy."
MSG_NACIMIENTO_EDAD_MINIMA = "Debe tener al menos {anos} años para tener una cuenta en InvimÁgil."
MSG_NACIMIENTO_ANTIGUA = f"La fecha de nacimiento no puede ser de hace más de {EDAD_MAXIMA_ANOS} años."


def nombre_de_usuario(tipo: TipoIdentificacion, numero: str) -> str:
    """FAB's unique username, derived from the identification: CC-1032456789."""
    return f"{tipo.codigo}-{numero}"


def asignar_identidad(usuario: Usuario, tipo: TipoIdentificacion, numero: str, nombres: str, apellidos: str) -> None:
    """Set the fields that can never change afterwards, plus their search keys."""
    numero = numero.strip().upper()
    usuario.tipo_identificacion = tipo
    usuario.tipo_identificacion_id = tipo.id
    usuario.numero_identificacion = numero
    usuario.username = nombre_de_usuario(tipo, numero)
    usuario.first_name = limpiar(nombres)
    usuario.last_name = limpiar(apellidos)
    actualizar_busqueda(usuario)


def actualizar_busqueda(usuario: Usuario) -> None:
    usuario.nombre_busqueda = normalizar_busqueda(f"{usuario.first_name} {usuario.last_name}")[:260]
    usuario.apellido_busqueda = normalizar_busqueda(usuario.last_name)[:130]


def correo_registrado(session, correo: str, excepto_id: int | None = None) -> bool:
    """True if any account already uses this e-mail (case-insensitive)."""
    q = select(Usuario.id).where(func.lower(Usuario.email) == normalizar_correo(correo))
    if excepto_id:
        q = q.where(Usuario.id != excepto_id)
    return session.scalar(q.limit(1)) is not None


def identificacion_registrada(session, tipo_id: int, numero: str) -> bool:
    return (
        session.scalar(
            select(Usuario.id)
            .where(Usuario.tipo_identificacion_id == tipo_id, Usuario.numero_identificacion == numero.strip().upper())
            .limit(1)
        )
        is not None
    )


def tipo_por_codigo(session, codigo: str) -> TipoIdentificacion | None:
    return session.scalar(select(TipoIdentificacion).where(TipoIdentificacion.codigo == codigo.upper()))


# Identification number rules (manual 4.3.2), shared by signup, company registration and invitations.
_RE_NUMERO_OTRO = re.compile(r"[A-Za-z0-9ÑñÁÉÍÓÚáéíóú.\-/]+")


def reglas_numero_identificacion(tipo: TipoIdentificacion, numero: str) -> list[str]:
    """The first rule of the tipo (manual 4.3.2) that `numero` breaks, as a one-message list; empty when it is valid.
    A number with spaces or dots breaks the format; its length is not counted on top («1 032 456 789»)."""
    nombre = tipo.nombre.lower()
    maximo = tipo.longitud_maxima
    mensajes: list[str] = []
    if tipo.regla == "numerico":
        if not numero.isdigit() or not numero.isascii():
            mensajes.append(f"El número de {nombre} debe ser numérico, sin letras ni caracteres especiales.")
        elif len(numero) > maximo:
            mensajes.append(f"El número de {nombre} admite hasta {maximo} dígitos.")
    elif tipo.regla == "alfanumerico":
        if not (numero.isascii() and numero.isalnum()):
            mensajes.append(f"El número de {nombre} debe ser alfanumérico: solo letras y números.")
        elif len(numero) > maximo:
            mensajes.append(f"El número de {nombre} admite hasta {maximo} caracteres.")
    else:
        if not _RE_NUMERO_OTRO.fullmatch(numero):
            mensajes.append(
                "El número de identificación solo admite letras, números, puntos, guiones y barras, sin espacios."
            )
        elif len(numero) > maximo:
            mensajes.append(f"El número de identificación admite hasta {maximo} caracteres.")
    return mensajes


def mensajes_numero(tipo: TipoIdentificacion | None, numero: str) -> list[str]:
    """`reglas_numero_identificacion`, or only the general length limit while no tipo is chosen."""
    if tipo is None:
        return ["El número de identificación admite hasta 20 caracteres."] if len(numero) > 20 else []
    return reglas_numero_identificacion(tipo, numero)


def problema_de_nacimiento(nacimiento: date, hoy: date, edad_minima: int) -> str | None:
    """What is wrong with a birth date, the same words at signup and in «Mi perfil»; None if nothing."""
    if nacimiento >= hoy:
        return MSG_NACIMIENTO_FUTURA
    edad = anios_cumplidos(nacimiento, hoy)
    if edad < edad_minima:
        return MSG_NACIMIENTO_EDAD_MINIMA.format(anos=edad_minima)
    if edad >= EDAD_MAXIMA_ANOS:
        return MSG_NACIMIENTO_ANTIGUA
    return None
