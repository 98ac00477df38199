"""Platform administration tasks run from the command line."""

from __future__ import annotations

from sqlalchemy import select

from app.models.personas import Usuario
from app.security.roles import ROL_ADMIN, ROL_USUARIO
from app.services.cuentas import contrasenas
from app.services.cuentas.identificacion import asignar_identidad, correo_registrado, tipo_por_codigo
from app.services.errores import ErrorDominio
from app.services.listas import id_colombia
from app.services.reloj import ahora
from app.services.texto import normalizar_correo


def crear_administrador(session, sm, tipo_codigo, numero, nombres, apellidos, correo, contrasena) -> Usuario:
    """Create an activated platform administrator, or give Admin to the existing account with that identification."""
    tipo = tipo_por_codigo(session, tipo_codigo)
    if tipo is None:
        raise ErrorDominio(f"Tipo de identificación desconocido: {tipo_codigo}. Ejecute primero `flask seed`.")
    fallas = contrasenas.incumplimientos(contrasena)
    if fallas:
        raise ErrorDominio(" ".join(fallas))
    usuario = session.scalar(
        select(Usuario).where(
            Usuario.tipo_identificacion_id == tipo.id, Usuario.numero_identificacion == numero.strip().upper()
        )
    )
    if usuario is None:
        if correo_registrado(session, correo):
            raise ErrorDominio("Ya existe una cuenta con ese correo electrónico.")
        colombia = id_colombia(session)
        usuario = Usuario(
            email=normalizar_correo(correo),
            active=True,
            activada_en=ahora(),
            terminos_aceptados_en=ahora(),
            nacionalidad_id=colombia,
            pais_residencia_id=colombia,
        )
        asignar_identidad(usuario, tipo, numero, nombres, apellidos)
        session.add(usuario)
    if usuario.id is None or not contrasenas.es_la_actual(usuario, contrasena):
        if usuario.id is not None:  # an existing account's owner is told, as with any other change of password
            contrasenas.avisar_cambio(session, usuario, contrasenas.MEDIO_PLATAFORMA)
        usuario.password = contrasenas.cifrar(contrasena)
    usuario.active = True
    usuario.activada_en = usuario.activada_en or ahora()
    for nombre in (ROL_ADMIN, ROL_USUARIO):
        rol = sm.find_role(nombre)
        if rol and rol not in usuario.roles:
            usuario.roles.append(rol)
    session.flush()
    return usuario
