"""How an audit row reads for people: Spanish names for the action and object codes stored in `auditoria`, the
object it is about («Rol: Radicador») and the before/after values as "campo: valor" lines (accents as written, not
\\u escapes), with the ids they store shown as what a person recognises: names, identifications, the permission's
name in the tree.

The codes and ids stay in the database as they are (stable for searches and exports); only their display changes.
This module reads no database: `referencias` says which ids a batch of rows names, the caller loads their names
(app/services/empresas/auditoria_nombres.py) and passes them back as `Nombres`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.security import arbol_permisos
from app.services.fechas import fecha_hora
from app.services.texto import sin_tildes

_ISO_FECHA_HORA = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A membership's identification as its snapshot stores it: "<tipo_identificacion_id>-<número>".
_IDENTIFICACION = re.compile(r"^(\d+)-(.+)$")

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
    "rol_inactivado": "Rol inactivado",
    "rol_reactivado": "Rol reactivado",
    "consulta_cuenta": "Consulta de una cuenta (mesa de ayuda)",
    "busqueda_cuentas": "Búsqueda de cuentas (mesa de ayuda)",
    "reenvio_pin_activacion": "Reenvío del PIN de activación",
    "version_tramite_creada": "Nueva versión de un trámite (borrador)",
    "version_tramite_publicada": "Versión de un trámite publicada",
    "expediente_creado": "Borrador de trámite creado",
    "expediente_borrador_eliminado": "Borrador de trámite eliminado",
    "expediente_confirmado_rt": "Solicitud confirmada por el responsable técnico",
    "expediente_radicado": "Trámite radicado",
    "expediente_asignado": "Expediente asignado",
    "expediente_reasignado": "Expediente reasignado",
    "verificacion_requisito": "Requisito verificado",
    "vobo_dado": "VoBo dado",
    "vobo_retirado": "VoBo retirado",
    "requerimiento_redactado": "Requerimiento redactado",
    "requerimiento_descartado": "Borrador de requerimiento descartado",
    "requerimiento_enviado": "Requerimiento enviado",
    "requerimiento_plazo": "Plazo del requerimiento desde su notificación",
    "requerimiento_prorrogado": "Plazo del requerimiento prorrogado",
    "requerimiento_respondido": "Requerimiento respondido",
    "acto_requerimiento": "Auto de requerimiento emitido",
    "acto_aprobacion": "Resolución de aprobación emitida",
    "acto_negacion": "Resolución de negación emitida",
    "acto_desistimiento": "Resolución de desistimiento emitida",
    "acto_recurso": "Resolución que resuelve un recurso de reposición emitida",
    "acto_notificado": "Acto administrativo notificado",
    "recurso_interpuesto": "Recurso de reposición interpuesto",
    "recurso_renunciado": "Renuncia al recurso de reposición",
    "recurso_desistido": "Desistimiento del recurso de reposición",
    "cuenta_editada": "Cuenta editada por el administrador de la plataforma",
    "funcionario_registrado": "Funcionario registrado",
    "funcionario_editado": "Funcionario editado",
}

OBJETOS = {
    "empresa": "Empresa",
    "membresia": "Usuario de la empresa",
    "rol_empresa": "Rol",
    "documento_empresa": "Documento",
    "vinculo_tecnico": "Vínculo técnico",
    "usuario": "Cuenta",
    "tramite_version": "Versión de trámite",
    "expediente": "Expediente",
    "funcionario": "Funcionario",
}

# Field labels, in the order a snapshot's fields are shown (JSONB keeps no order of its own); others go last.
CAMPOS = {
    "nombre": "Nombre",
    "descripcion": "Descripción",
    "nit": "NIT",
    "razon_social": "Razón social",
    "sigla": "Sigla",
    "tamano": "Tamaño",
    "sector": "Sector o actividad",
    "identificacion": "Identificación",
    "tipo_identificacion_id": "Tipo de identificación",
    "numero_identificacion": "Número de identificación",
    "nombres": "Nombre(s)",
    "apellidos": "Apellido(s)",
    "usuario_id": "Cuenta",
    "calidad": "Calidad",
    "es_representante_legal": "Representante legal",
    "tipo": "Tipo de documento",
    "nombre_archivo": "Archivo",
    "sha256": "SHA-256",
    "correo": "Correo electrónico",
    "telefono": "Teléfono",
    "celular": "Celular",
    "direccion": "Dirección",
    "contacto_nombre": "Nombre del contacto",
    "contacto_cargo": "Cargo del contacto",
    "contacto_correo": "Correo electrónico del contacto",
    "contacto_telefono": "Teléfono del contacto",
    "estado": "Estado",
    "roles": "Roles",
    "rol_ids": "Roles",
    "permisos": "Permisos",
    "expira": "Vence",
    "rechazada": "Rechazada",
    "motivo_suspension": "Motivo de la suspensión",
    "motivo": "Motivo",
    "representante_legal": "Representante legal",
    "membresias_representante_legal": "Usuario representante legal",
    "membresia_estado": "Estado del usuario representante legal",
    "correo_enviado": "Invitación enviada por correo",
    "tramite": "Trámite",
    "radicado": "Radicado",
    "bajo_insistencia": "Bajo insistencia",
    "email": "Correo electrónico",
    "correo_alternativo": "Correo electrónico alternativo",
    "active": "Activa",
    "bloqueada_hasta": "Bloqueada hasta",
    "usuario": "Cuenta",
    "codigo": "Código",
    "grupos": "Grupos de revisión",
    "activo": "Activo",
}
_ORDEN = {clave: i for i, clave in enumerate(CAMPOS)}

# Values stored as codes, shown with the label the screens give them.
VALORES: dict[str, Mapping[str, str]] = {
    "estado": {"activo": "Activo", "inactivo": "Inactivo"},
    "permisos": arbol_permisos.NOMBRES,
}

# Stored but not shown as lines of their own: the address's parts repeat the «Dirección» composed from them; the
# linked account's name is shown as «Cuenta» (from the account while it exists, from this copy once deleted).
OCULTOS = frozenset({"direccion_componentes", "nombre_cuenta"})

# Kinds of rows an audit row names by id. `Nombres` maps each kind to {id: how a person knows that row}.
CUENTA = "cuenta"
TIPO_IDENTIFICACION = "tipo_identificacion"  # by name: «Cédula de ciudadanía»
SIGLA_IDENTIFICACION = "sigla_identificacion"  # by abbreviation, before a number: «CC 1020304050»
MEMBRESIA = "membresia"
ROL = "rol"
VINCULO_TECNICO = "vinculo_tecnico"
DOCUMENTO = "documento"
EMPRESA = "empresa"

Nombres = Mapping[str, Mapping[int, str]]

# The kind of the row an audit row is about (its `objeto`), and of the ids its snapshots store under these keys.
CLASE_DEL_OBJETO = {
    "empresa": EMPRESA,
    "membresia": MEMBRESIA,
    "rol_empresa": ROL,
    "documento_empresa": DOCUMENTO,
    "vinculo_tecnico": VINCULO_TECNICO,
    "usuario": CUENTA,
}
CLASE_DEL_CAMPO = {
    "usuario_id": CUENTA,
    "tipo_identificacion_id": TIPO_IDENTIFICACION,
    "membresias_representante_legal": MEMBRESIA,
    "rol_ids": ROL,
    "roles": ROL,  # role names since always; ids, if a snapshot ever stores them
}
# How a row that no longer exists (or was never this company's) reads: «Rol eliminado (n.º 4)».
SIN_NOMBRE = {
    CUENTA: "Cuenta eliminada",
    TIPO_IDENTIFICACION: "Tipo de identificación eliminado",
    MEMBRESIA: "Usuario de la empresa eliminado",
    ROL: "Rol eliminado",
    VINCULO_TECNICO: "Vínculo técnico eliminado",
    DOCUMENTO: "Documento eliminado",
    EMPRESA: "Empresa",
}
_OBJETO_DE_CLASE = {
    **{clase: OBJETOS[codigo] for codigo, clase in CLASE_DEL_OBJETO.items()},
    TIPO_IDENTIFICACION: "Tipo de identificación",
}


def _legible(codigo: str) -> str:
    texto = (codigo or "").replace("_", " ").strip()
    return texto[:1].upper() + texto[1:]


def accion(codigo: str) -> str:
    return ACCIONES.get(codigo, _legible(codigo))


def _que_dicen(nombres: Mapping[str, str], texto: str) -> list[str]:
    buscado = sin_tildes(texto or "").casefold().strip()
    if not buscado:
        return []
    return [codigo for codigo, nombre in nombres.items() if buscado in sin_tildes(nombre).casefold()]


def acciones_que_dicen(texto: str) -> list[str]:
    """Codes whose Spanish name contains `texto` (no accents, no case): searching «invitación aceptada» works."""
    return _que_dicen(ACCIONES, texto)


def objetos_que_dicen(texto: str) -> list[str]:
    """Object codes whose Spanish name contains `texto`: searching «usuario de la empresa» works."""
    return _que_dicen(OBJETOS, texto)


def objeto(codigo: str) -> str:
    return OBJETOS.get((codigo or "").lower(), _legible(codigo))


def identificacion(sigla: str | None, numero: str | None) -> str:
    """«CC 1020304050»."""
    return " ".join(p for p in (sigla, numero) if p)


def persona(nombre: str | None, identificacion: str | None) -> str:
    """«Ana Pérez (CC 1020304050)», or whichever of the two is known."""
    nombre = " ".join((nombre or "").split())
    if nombre and identificacion:
        return f"{nombre} ({identificacion})"
    return nombre or identificacion or ""


# ---------------------------------------------------------------- ids named by a batch of rows


def _entero(valor) -> int | None:
    if isinstance(valor, int) and not isinstance(valor, bool):
        return valor
    return None


def _id_del_objeto(fila) -> int | None:
    texto = str(fila.objeto_id or "")
    return int(texto) if texto.isdigit() and len(texto) < 10 else None


def _recoger(valor, ids: dict[str, set[int]], campo: str | None = None) -> None:
    if isinstance(valor, dict):
        for clave, dentro in valor.items():
            _recoger(dentro, ids, clave)
    elif isinstance(valor, list):
        for dentro in valor:
            _recoger(dentro, ids, campo)
    elif campo == "identificacion" and isinstance(valor, str) and (partes := _IDENTIFICACION.match(valor)):
        ids[TIPO_IDENTIFICACION].add(int(partes[1]))
    elif campo in CLASE_DEL_CAMPO and (n := _entero(valor)) is not None:
        ids[CLASE_DEL_CAMPO[campo]].add(n)


def referencias(filas: Iterable) -> dict[str, set[int]]:
    """The ids of each kind that these audit rows name: the row each is about and the ids in its snapshots."""
    ids: dict[str, set[int]] = defaultdict(set)
    for fila in filas:
        clase = CLASE_DEL_OBJETO.get((fila.objeto or "").lower())
        if clase is not None and (n := _id_del_objeto(fila)) is not None:
            ids[clase].add(n)
        _recoger(fila.antes, ids)
        _recoger(fila.despues, ids)
    return dict(ids)


# ---------------------------------------------------------------- the object a row is about


def nombre_de(nombres: Nombres | None, clase: str, id_: int) -> str:
    """How a person knows row `id_` of kind `clase`; «Rol eliminado (n.º 4)» when it is not among `nombres`."""
    if nombres is None:  # not looked up: say what it is, not that it is gone
        return f"{_OBJETO_DE_CLASE.get(clase, _legible(clase))} n.º {id_}"
    return nombres.get(clase, {}).get(id_) or f"{SIN_NOMBRE[clase]} (n.º {id_})"


def _sigla(nombres: Nombres | None, tipo_id) -> str | None:
    tipo_id = _entero(tipo_id)
    return None if tipo_id is None else (nombres or {}).get(SIGLA_IDENTIFICACION, {}).get(tipo_id)


def _identificacion(valor: str, nombres: Nombres | None) -> str:
    """A membership snapshot's "<tipo id>-<número>" as «CC 1020304050»."""
    partes = _IDENTIFICACION.match(valor)
    sigla = _sigla(nombres, int(partes[1])) if partes else None
    return identificacion(sigla, partes[2]) if sigla else valor


def _persona_en_foto(foto: dict, nombres: Nombres | None) -> str:
    """The person a membership or RT/DT snapshot is about: its stored name and identification, or its account's."""
    if isinstance(foto.get("identificacion"), str):
        documento = _identificacion(foto["identificacion"], nombres)
    else:
        documento = identificacion(
            _sigla(nombres, foto.get("tipo_identificacion_id")), foto.get("numero_identificacion")
        )
    cuenta = _entero(foto.get("usuario_id"))
    if cuenta is not None and cuenta in (nombres or {}).get(CUENTA, {}):
        return nombres[CUENTA][cuenta]
    return persona(foto.get("nombre_cuenta"), documento)


def _nombre_en_foto(clase: str, foto: dict, nombres: Nombres | None) -> str:
    """The name the row's own snapshots give the object (what was stored when it happened)."""
    if clase == ROL:
        return str(foto.get("nombre") or "")
    if clase == MEMBRESIA:
        return _persona_en_foto(foto, nombres)
    if clase == VINCULO_TECNICO:
        return ", ".join(p for p in (_persona_en_foto(foto, nombres), foto.get("calidad")) if p)
    if clase == DOCUMENTO:
        return " ".join(
            p for p in (foto.get("tipo"), foto.get("nombre_archivo") and f"({foto['nombre_archivo']})") if p
        )
    if clase == EMPRESA:
        return str(foto.get("razon_social") or "")
    return ""


def _foto(fila) -> dict:
    antes = fila.antes if isinstance(fila.antes, dict) else {}
    despues = fila.despues if isinstance(fila.despues, dict) else {}
    return {**antes, **despues}


@dataclass(frozen=True)
class ObjetoNombrado:
    """What a row is about: its kind («Rol») and which one («Radicador»), or only a text saying it is gone."""

    tipo: str
    nombre: str = ""
    solo_nombre: bool = False  # «Rol eliminado (n.º 4)» says its kind itself

    def __str__(self) -> str:
        if self.solo_nombre or not self.nombre:
            return self.nombre or self.tipo
        return f"{self.tipo}: {self.nombre}"


def objeto_nombrado(fila, nombres: Nombres | None) -> ObjetoNombrado:
    """What the row is about, as a person knows it: «Rol: Radicador», «Usuario de la empresa: Ana Pérez (CC 1…)».

    The row as it is now if it exists; otherwise the name its snapshots stored, marked «(ya no existe)»; otherwise
    «Rol eliminado (n.º 4)». An object kind this module does not know shows its stored id.
    """
    tipo = objeto(fila.objeto)
    clase = CLASE_DEL_OBJETO.get((fila.objeto or "").lower())
    id_ = _id_del_objeto(fila)
    if clase is None or id_ is None:
        return ObjetoNombrado(tipo, f"n.º {fila.objeto_id}" if fila.objeto_id else "")
    if nombre := (nombres or {}).get(clase, {}).get(id_):
        return ObjetoNombrado(tipo, nombre)
    if nombre := _nombre_en_foto(clase, _foto(fila), nombres):
        return ObjetoNombrado(tipo, f"{nombre} (ya no existe)" if nombres is not None else nombre)
    return ObjetoNombrado(tipo, nombre_de(nombres, clase, id_), solo_nombre=True)


# ---------------------------------------------------------------- before/after values


def _texto(valor, campo: str | None, nombres: Nombres | None) -> str:
    """A single stored value: a referenced row's name, an option's label, a date, or the value as written."""
    if campo in CLASE_DEL_CAMPO and (n := _entero(valor)) is not None:
        return nombre_de(nombres, CLASE_DEL_CAMPO[campo], n)
    if campo == "identificacion" and isinstance(valor, str):
        return _identificacion(valor, nombres)
    if campo in VALORES and isinstance(valor, str):
        return VALORES[campo].get(valor, valor)
    if isinstance(valor, str) and _ISO_FECHA_HORA.match(valor):
        try:
            return fecha_hora(datetime.fromisoformat(valor))
        except ValueError:
            return valor
    return str(valor)


def _valor(valor, campo: str | None = None, nombres: Nombres | None = None) -> str:
    if valor is None:
        return "—"
    if valor is True:
        return "Sí"
    if valor is False:
        return "No"
    if isinstance(valor, list):
        return ", ".join(_valor(v, campo, nombres) for v in valor) or "—"
    if isinstance(valor, dict):
        return "; ".join(f"{c}: {v}" for c, v in _pares(valor, nombres)) or "—"
    return _texto(valor, campo, nombres)


def _valor_en(datos: dict, clave: str, nombres: Nombres | None) -> str:
    """The value of `clave` in a snapshot; a deleted account reads with the name the snapshot kept of it."""
    cuenta = _entero(datos[clave]) if clave == "usuario_id" else None
    guardado = datos.get("nombre_cuenta")
    if cuenta is not None and guardado and nombres is not None and cuenta not in nombres.get(CUENTA, {}):
        return f"{guardado} (cuenta eliminada)"
    return _valor(datos[clave], clave, nombres)


def _pares(datos: dict, nombres: Nombres | None) -> list[tuple[str, str]]:
    claves = sorted((c for c in datos if c not in OCULTOS), key=lambda c: _ORDEN.get(c, len(_ORDEN)))
    return [(CAMPOS.get(clave, _legible(clave)), _valor_en(datos, clave, nombres)) for clave in claves]


def lineas(datos: dict | None, nombres: Nombres | None = None) -> list[tuple[str, str]]:
    """The values of a before/after snapshot as (campo, valor) pairs, in Spanish, ids shown by `nombres`."""
    if not isinstance(datos, dict):
        return [] if datos is None else [("", _valor(datos, None, nombres))]
    return _pares(datos, nombres)


def en_texto(pares: list[tuple[str, str]]) -> str:
    """`lineas` as one «campo: valor» line each, for the CSV export."""
    return "\n".join(f"{campo}: {valor}" if campo else valor for campo, valor in pares)


def como_texto(datos: dict | None, nombres: Nombres | None = None) -> str:
    return en_texto(lineas(datos, nombres))
