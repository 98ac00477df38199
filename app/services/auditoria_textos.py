"""How an audit row reads for people: Spanish names for the action and object codes stored in `auditoria`,
and the before/after values as "campo: valor" lines (accents as written, not \\u escapes).

The codes stay in the database as they are (stable for searches and exports); only their display changes.
"""

from __future__ import annotations

import re
from datetime import datetime

from app.services.fechas import fecha_hora
from app.services.texto import sin_tildes

_ISO_FECHA_HORA = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

ACCIONES = {
    "registro_empresa": "Registro de la empresa",
    "edicion_empresa": "Datos de la empresa actualizados",
    "suspension_empresa": "Empresa suspendida",
    "reactivacion_empresa": "Empresa reactivada",
    "cambio_representante_legal": "Cambio de representante legal",
    "documento_empresa": "Documento anexado",
    "membresia_creada": "Usuario agregado a la empresa",
    "invitacion_representante_legal": "Invitación al representante legal",
    "invitacion_enviada": "Invitación enviada",
    "invitacion_reenviada": "Invitación reenviada",
    "invitacion_vinculada": "Invitación vinculada a la cuenta",
    "invitacion_aceptada": "Invitación aceptada",
    "invitacion_rechazada": "Invitación rechazada",
    "invitacion_tecnica_enviada": "Invitación como responsable o director técnico enviada",
    "invitacion_tecnica_aceptada": "Invitación como responsable o director técnico aceptada",
    "invitacion_tecnica_rechazada": "Invitación como responsable o director técnico rechazada",
    "vinculo_tecnico_eliminado": "Vínculo técnico retirado",
    "roles_cambiados": "Roles cambiados",
    "usuario_inactivado": "Usuario inactivado",
    "usuario_reactivado": "Usuario reactivado",
    "usuario_eliminado": "Usuario eliminado de la empresa",
    "rol_creado": "Rol creado",
    "rol_editado": "Rol editado",
    "rol_eliminado": "Rol eliminado",
    "consulta_cuenta": "Consulta de una cuenta (mesa de ayuda)",
    "busqueda_cuentas": "Búsqueda de cuentas (mesa de ayuda)",
    "reenvio_pin_activacion": "Reenvío del PIN de activación",
}

OBJETOS = {
    "empresa": "Empresa",
    "membresia": "Usuario de la empresa",
    "rol_empresa": "Rol",
    "documento_empresa": "Documento",
    "vinculo_tecnico": "Vínculo técnico",
    "usuario": "Cuenta",
}

CAMPOS = {
    "es_representante_legal": "Representante legal",
    "numero_identificacion": "Número de identificación",
    "tipo_identificacion_id": "Tipo de identificación",
    "usuario_id": "Cuenta",
    "razon_social": "Razón social",
    "nit": "NIT",
    "descripcion": "Descripción",
    "direccion": "Dirección",
    "direccion_componentes": "Dirección (partes)",
    "tamano": "Tamaño",
    "identificacion": "Identificación",
    "expira": "Vence",
    "motivo_suspension": "Motivo de la suspensión",
    "nombre_archivo": "Archivo",
    "nombres": "Nombre(s)",
    "apellidos": "Apellido(s)",
    "sha256": "SHA-256",
    "correo": "Correo electrónico",
    "telefono": "Teléfono",
}


def _legible(codigo: str) -> str:
    texto = (codigo or "").replace("_", " ").strip()
    return texto[:1].upper() + texto[1:]


def accion(codigo: str) -> str:
    return ACCIONES.get(codigo, _legible(codigo))


def acciones_que_dicen(texto: str) -> list[str]:
    """Codes whose Spanish name contains `texto` (no accents, no case): searching «invitación aceptada» works."""
    buscado = sin_tildes(texto or "").casefold().strip()
    if not buscado:
        return []
    return [codigo for codigo, nombre in ACCIONES.items() if buscado in sin_tildes(nombre).casefold()]


def objeto(codigo: str) -> str:
    return OBJETOS.get((codigo or "").lower(), _legible(codigo))


def _valor(valor) -> str:
    if valor is None:
        return "—"
    if valor is True:
        return "Sí"
    if valor is False:
        return "No"
    if isinstance(valor, list):
        return ", ".join(_valor(v) for v in valor) or "—"
    if isinstance(valor, dict):
        return "; ".join(f"{CAMPOS.get(k, _legible(k))}: {_valor(v)}" for k, v in valor.items()) or "—"
    if isinstance(valor, str) and _ISO_FECHA_HORA.match(valor):
        try:
            return fecha_hora(datetime.fromisoformat(valor))
        except ValueError:
            return valor
    return str(valor)


def lineas(datos: dict | None) -> list[tuple[str, str]]:
    """The values of a before/after snapshot as (campo, valor) pairs, in Spanish."""
    if not isinstance(datos, dict):
        return [] if datos is None else [("", _valor(datos))]
    return [(CAMPOS.get(clave, _legible(clave)), _valor(valor)) for clave, valor in datos.items()]


def como_texto(datos: dict | None) -> str:
    """One line per field, for the CSV export."""
    return "\n".join(f"{campo}: {valor}" if campo else valor for campo, valor in lineas(datos))
