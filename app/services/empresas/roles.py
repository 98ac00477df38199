"""Company roles (circular 1000-011-2025, "Gestión de Roles"): predefined Administrador and Financiero with fixed
permissions, and custom roles with nombre, descripción, estado and leaves of the permission tree.

Guarantees: predefined roles are never changed; a custom role is only viewed in detail, edited or deleted while
no Aceptado member holds it, but it can be set to Inactivo (and back) at any time — «cambiar un rol a Inactivo en
lugar de eliminarlo, si se requiere pausarlo» — and an inactive role grants nothing from its holders' next request
(app/security/contexto.py only counts active roles); names are unique per company ignoring case; every change writes
an audit row.
The caller passes the company it acts as (verified per request) and commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, false, func, select, text

from app.models.empresas import MEMBRESIA_ACEPTADO, Membresia, RolEmpresa, membresia_rol, rol_empresa_permiso
from app.security import arbol_permisos
from app.services import auditoria
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.reloj import ahora
from app.services.texto import limpiar

MSG_PREDEFINIDO = "El rol «{nombre}» es predefinido: sus permisos son fijos y no se puede editar ni eliminar."
MSG_UNICO_ROL = (
    "El rol «{nombre}» es el único rol de {n} invitación(es) pendiente(s) o usuario(s) inactivo(s): asígneles otro "
    "rol o retire esas invitaciones antes de eliminarlo."
)
MSG_ASIGNADO = (
    "El rol «{nombre}» está asignado a {n} usuario(s) activo(s); reasígnelos antes de editarlo o eliminarlo. "
    "Para pausarlo, inactívelo."
)
MSG_NOMBRE_REQUERIDO = "Ingrese el nombre del rol."
MSG_NOMBRE_LARGO = "El nombre del rol admite hasta 60 caracteres."
MSG_NOMBRE_DUPLICADO = "Ya existe un rol llamado «{nombre}» en la empresa. Use otro nombre."
MSG_DESCRIPCION_LARGA = "La descripción admite hasta 300 caracteres."
MSG_SIN_PERMISOS = "Seleccione al menos un permiso del árbol."
MSG_PERMISO_DESCONOCIDO = "Uno de los permisos seleccionados no existe."
MSG_ESTADO = "Seleccione el estado del rol (activo o inactivo)."
MSG_NO_ENCONTRADO = "El rol no existe."
MSG_PREDEFINIDO_ESTADO = "El rol «{nombre}» es predefinido: siempre está activo."
MSG_YA_EN_ESTADO = "El rol «{nombre}» ya está {estado}."


@dataclass(frozen=True)
class FilaRol:
    rol: RolEmpresa
    permisos: frozenset[str]
    usuarios_activos: int


@dataclass(frozen=True)
class DatosRol:
    nombre: str
    descripcion: str
    estado: str  # "activo" / "inactivo"
    permisos: frozenset[str]


def resolver_seleccion(enviados, ramas_previas) -> frozenset[str]:
    """Leaves chosen in the tree form, with or without JavaScript.

    `enviados`: the checked codes (branches and leaves). `ramas_previas`: the branches that were shown checked.
    A branch checked now but not before means "all its leaves"; a branch unchecked now that was checked before
    means "none of its leaves"; otherwise the leaves decide. So the tree works without JavaScript too.
    """
    enviados = set(enviados or ())
    previas = set(ramas_previas or ())
    hojas = {c for c in enviados if c in arbol_permisos.HOJAS}
    for rama in arbol_permisos.ARBOL:
        suyas = {h for h, _ in rama.hojas}
        if rama.codigo in enviados and rama.codigo not in previas:
            hojas |= suyas
        elif rama.codigo not in enviados and rama.codigo in previas:
            hojas -= suyas
    # Unknown codes are kept so that `validar` reports them instead of silently dropping them.
    return frozenset(hojas | set(arbol_permisos.desconocidos(enviados)))


def validar(session, empresa_id: int, nombre, descripcion, estado, seleccion, excepto_id: int | None = None):
    """Clean the form values; raise ErroresValidacion with one Spanish message per field."""
    errores: dict[str, list[str]] = {}
    nombre = limpiar(nombre or "")
    descripcion = limpiar(descripcion or "")
    if not nombre:
        errores["nombre"] = [MSG_NOMBRE_REQUERIDO]
    elif len(nombre) > 60:
        errores["nombre"] = [MSG_NOMBRE_LARGO]
    elif _nombre_tomado(session, empresa_id, nombre, excepto_id):
        errores["nombre"] = [MSG_NOMBRE_DUPLICADO.format(nombre=nombre)]
    if len(descripcion) > 300:
        errores["descripcion"] = [MSG_DESCRIPCION_LARGA]
    if estado not in ("activo", "inactivo"):
        errores["estado"] = [MSG_ESTADO]
    seleccion = list(seleccion or ())
    if arbol_permisos.desconocidos(seleccion):
        errores["permisos"] = [MSG_PERMISO_DESCONOCIDO]
    permisos = arbol_permisos.expandir(seleccion)
    if not permisos and "permisos" not in errores:
        errores["permisos"] = [MSG_SIN_PERMISOS]
    if errores:
        raise ErroresValidacion(errores)
    return DatosRol(nombre, descripcion, estado, permisos)


def _nombre_tomado(session, empresa_id: int, nombre: str, excepto_id: int | None) -> bool:
    q = select(RolEmpresa.id).where(
        RolEmpresa.empresa_id == empresa_id, func.lower(RolEmpresa.nombre) == nombre.lower()
    )
    if excepto_id is not None:
        q = q.where(RolEmpresa.id != excepto_id)
    return session.scalar(q.limit(1)) is not None


# Class of the transaction-scoped advisory lock that serializes the role names of one company.
BLOQUEO_NOMBRES = 0x524F4C


def _reservar_nombre(session, empresa_id: int, nombre: str, excepto_id: int | None = None) -> None:
    """Check the name again under a lock held until the caller's transaction ends: of two requests saving the same
    name at once (two tabs, a double click), the second waits for the first to commit, then sees its row and gets
    the field error. The unique constraint alone would answer it with a database error, and ignores case."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(:clase, :empresa)"), {"clase": BLOQUEO_NOMBRES, "empresa": empresa_id}
    )
    if _nombre_tomado(session, empresa_id, nombre, excepto_id):
        raise ErroresValidacion({"nombre": [MSG_NOMBRE_DUPLICADO.format(nombre=nombre)]})


# Conditions for the roles list's search (app/views/crud/roles_empresa.py): «Nombre contiene», «Estado es».
ESTADOS = ("Activo", "Inactivo")


def con_nombre(texto: str):
    """The name contains `texto` (any case); «%» and «_» are text, not wildcards."""
    return func.lower(RolEmpresa.nombre).contains((texto or "").strip().lower(), autoescape=True)


def con_estado(estado: str):
    return RolEmpresa.activo.is_(estado == "Activo") if estado in ESTADOS else false()


def listar(session, empresa_id: int) -> list[FilaRol]:
    """The company's roles (predefined first, then by name) with their leaves and active holders: 3 statements."""
    roles = session.scalars(
        select(RolEmpresa)
        .where(RolEmpresa.empresa_id == empresa_id)
        .order_by(RolEmpresa.predefinido.desc(), func.lower(RolEmpresa.nombre))
    ).all()
    permisos, activos = resumen(session, [r.id for r in roles])
    return [FilaRol(r, permisos[r.id], activos[r.id]) for r in roles]


def resumen(session, ids) -> tuple[dict[int, frozenset[str]], dict[int, int]]:
    """Leaves and number of active holders (Aceptado members) of the given roles: two statements, however many."""
    ids = list(ids)
    permisos: dict[int, set[str]] = {i: set() for i in ids}
    activos: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for rol_id, permiso in session.execute(
            select(rol_empresa_permiso.c.rol_id, rol_empresa_permiso.c.permiso).where(
                rol_empresa_permiso.c.rol_id.in_(ids)
            )
        ):
            permisos[rol_id].add(permiso)
        activos.update(
            session.execute(
                select(membresia_rol.c.rol_id, func.count())
                .join(Membresia, Membresia.id == membresia_rol.c.membresia_id)
                .where(membresia_rol.c.rol_id.in_(ids), Membresia.estado == MEMBRESIA_ACEPTADO)
                .group_by(membresia_rol.c.rol_id)
            ).all()
        )
    return {i: frozenset(p) for i, p in permisos.items()}, activos


def obtener(session, empresa_id: int, rol_id: int, bloquear: bool = False) -> RolEmpresa:
    q = select(RolEmpresa).where(RolEmpresa.id == rol_id, RolEmpresa.empresa_id == empresa_id)
    if bloquear:
        q = q.with_for_update()
    rol = session.scalar(q)
    if rol is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return rol


def usuarios_activos(session, rol_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(membresia_rol)
        .join(Membresia, Membresia.id == membresia_rol.c.membresia_id)
        .where(membresia_rol.c.rol_id == rol_id, Membresia.estado == MEMBRESIA_ACEPTADO)
    )


def exigir_libre(session, rol: RolEmpresa) -> None:
    """A custom role may be viewed in detail, edited or deleted only while no active member holds it."""
    if rol.predefinido:
        raise ErrorDominio(MSG_PREDEFINIDO.format(nombre=rol.nombre))
    n = usuarios_activos(session, rol.id)
    if n:
        raise ErrorDominio(MSG_ASIGNADO.format(nombre=rol.nombre, n=n))


def permisos_de(session, rol_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(select(rol_empresa_permiso.c.permiso).where(rol_empresa_permiso.c.rol_id == rol_id))
    )


def _estado(activo: bool) -> str:
    """The state as the form, the messages and the audit snapshots write it."""
    return "activo" if activo else "inactivo"


def _foto(rol: RolEmpresa, permisos) -> dict:
    return {
        "nombre": rol.nombre,
        "descripcion": rol.descripcion,
        "estado": _estado(rol.activo),
        "permisos": sorted(permisos),
    }


def _guardar_permisos(session, rol_id: int, permisos) -> None:
    session.execute(delete(rol_empresa_permiso).where(rol_empresa_permiso.c.rol_id == rol_id))
    session.execute(rol_empresa_permiso.insert(), [{"rol_id": rol_id, "permiso": p} for p in sorted(permisos)])


def crear(session, empresa_id: int, actor_id: int, datos: DatosRol, ip: str | None = None) -> RolEmpresa:
    """A new custom role of the company with the chosen leaves (its name still free when it commits)."""
    _reservar_nombre(session, empresa_id, datos.nombre)
    rol = RolEmpresa(
        empresa_id=empresa_id,
        nombre=datos.nombre,
        descripcion=datos.descripcion or None,
        activo=datos.estado == "activo",
        predefinido=False,
        creado_en=ahora(),
    )
    session.add(rol)
    session.flush()
    _guardar_permisos(session, rol.id, datos.permisos)
    auditoria.registrar(
        session,
        "rol_creado",
        "rol_empresa",
        rol.id,
        actor_id,
        despues=_foto(rol, datos.permisos),
        ip=ip,
        empresa_id=empresa_id,
    )
    return rol


def editar(session, empresa_id: int, rol_id: int, actor_id: int, datos: DatosRol, ip: str | None = None):
    """Change a free custom role (locked while it is checked and changed)."""
    rol = obtener(session, empresa_id, rol_id, bloquear=True)
    exigir_libre(session, rol)
    _reservar_nombre(session, empresa_id, datos.nombre, excepto_id=rol.id)
    antes = _foto(rol, permisos_de(session, rol.id))
    rol.nombre = datos.nombre
    rol.descripcion = datos.descripcion or None
    rol.activo = datos.estado == "activo"
    _guardar_permisos(session, rol.id, datos.permisos)
    session.flush()
    auditoria.registrar(
        session,
        "rol_editado",
        "rol_empresa",
        rol.id,
        actor_id,
        antes=antes,
        despues=_foto(rol, datos.permisos),
        ip=ip,
        empresa_id=empresa_id,
    )
    return rol


def _unico_rol_de(session, rol_id: int) -> int:
    """How many memberships (pending invitations, inactive users) hold `rol_id` as their only role."""
    otra = membresia_rol.alias("otra")
    con_otro = select(otra.c.membresia_id).where(otra.c.membresia_id == membresia_rol.c.membresia_id)
    return session.scalar(
        select(func.count())
        .select_from(membresia_rol)
        .where(membresia_rol.c.rol_id == rol_id, ~con_otro.where(otra.c.rol_id != rol_id).exists())
    )


def eliminar(session, empresa_id: int, rol_id: int, actor_id: int, ip: str | None = None) -> None:
    """Delete a free custom role; pending or inactive memberships that listed it with others simply lose it, and
    one that has no other role keeps the role from being deleted (a member or invitation always has a role)."""
    rol = obtener(session, empresa_id, rol_id, bloquear=True)
    exigir_libre(session, rol)
    n = _unico_rol_de(session, rol.id)
    if n:
        raise ErrorDominio(MSG_UNICO_ROL.format(nombre=rol.nombre, n=n))
    antes = _foto(rol, permisos_de(session, rol.id))
    session.execute(delete(membresia_rol).where(membresia_rol.c.rol_id == rol.id))
    session.delete(rol)
    session.flush()
    auditoria.registrar(
        session, "rol_eliminado", "rol_empresa", rol_id, actor_id, antes=antes, ip=ip, empresa_id=empresa_id
    )


def cambiar_estado(session, empresa_id: int, rol_id: int, actor_id: int, activo: bool, ip: str | None = None):
    """Set a custom role to Activo or Inactivo, even while users hold it (they keep it, and get its permissions
    back when it is reactivated). Audited as rol_inactivado / rol_reactivado."""
    rol = obtener(session, empresa_id, rol_id, bloquear=True)
    if rol.predefinido:
        raise ErrorDominio(MSG_PREDEFINIDO_ESTADO.format(nombre=rol.nombre))
    if rol.activo == activo:
        raise ErrorDominio(MSG_YA_EN_ESTADO.format(nombre=rol.nombre, estado=_estado(activo)))
    antes = {"nombre": rol.nombre, "estado": _estado(rol.activo)}
    rol.activo = activo
    session.flush()
    auditoria.registrar(
        session,
        "rol_reactivado" if activo else "rol_inactivado",
        "rol_empresa",
        rol.id,
        actor_id,
        antes=antes,
        despues={"nombre": rol.nombre, "estado": _estado(activo)},
        ip=ip,
        empresa_id=empresa_id,
    )
    return rol


def inactivar(session, empresa_id: int, rol_id: int, actor_id: int, ip: str | None = None) -> RolEmpresa:
    return cambiar_estado(session, empresa_id, rol_id, actor_id, False, ip)


def reactivar(session, empresa_id: int, rol_id: int, actor_id: int, ip: str | None = None) -> RolEmpresa:
    return cambiar_estado(session, empresa_id, rol_id, actor_id, True, ip)


def roles_asignables(session, empresa_id: int) -> list[RolEmpresa]:
    """Active roles of the company that can be given to a member."""
    return list(
        session.scalars(
            select(RolEmpresa)
            .where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.activo.is_(True))
            .order_by(RolEmpresa.predefinido.desc(), func.lower(RolEmpresa.nombre))
        )
    )
