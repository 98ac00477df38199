"""Company users and invitations (circular 1000-011-2025, "Gestión de Usuarios"; manual 4.6.1.1 for RT/DT).

A Pendiente membership IS the invitation, addressed to a tipo + número de identificación. If an activated account
has that identification it is linked at once and mailed; otherwise the invitation waits and is linked when such an
account is activated (`invitaciones.vincular_invitaciones_pendientes`; the invitee's side is invitaciones.py,
the RT/DT links tecnicos.py). The invitee accepts (→ Aceptado) or declines (the row
stays Pendiente with `rechazado_en`, shown as "Rechazada", so the administrator sees the answer and may resend or
delete it). Invitations expire after INVITACION_VIGENCIA_DIAS ("Vencida") and can be resent.

Guarantees: the representante legal is never changed, inactivated or deleted; nobody inactivates or deletes their
own membership (another administrator must do it); the company always keeps at least one Aceptado member holding the predefined Administrador role — checked under row locks on all the company's
memberships, so two concurrent changes cannot both remove the last one; every change writes an audit row.
Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from marshmallow import ValidationError, validates
from sqlalchemy import and_, exists, false, func, or_, select, text
from sqlalchemy.orm import joinedload, object_session, selectinload

from app.models.empresas import (
    ESTADOS_MEMBRESIA,
    MEMBRESIA_ACEPTADO,
    MEMBRESIA_INACTIVO,
    MEMBRESIA_PENDIENTE,
    ROL_ADMINISTRADOR,
    Empresa,
    Membresia,
    RolEmpresa,
    membresia_rol,
    rol_empresa_permiso,
)
from app.models.personas import Usuario
from app.models.referencias import TipoIdentificacion
from app.security import arbol_permisos
from app.services import auditoria, outbox
from app.services.cuentas.identificacion import mensajes_numero
from app.services.errores import ErrorDominio, Errores, ErroresValidacion, NoEncontrado
from app.services.esquemas import Eleccion, Esquema, Texto, fila_elegida, revisar
from app.services.ids import como_id
from app.services.paginas import Pagina, paginar
from app.services.reloj import ahora
from app.services.texto import normalizar_busqueda

POR_PAGINA = 20

ESTADO_VENCIDA = "Vencida"
ESTADO_RECHAZADA = "Rechazada"

MSG_NO_ENCONTRADO = "El usuario o la invitación no existe."
MSG_REPRESENTANTE = (
    "El representante legal siempre permanece activo con el rol Administrador: no se puede editar, inactivar ni "
    "eliminar."
)
MSG_ULTIMO_ADMIN = "La empresa debe conservar al menos un administrador activo."
MSG_A_SI_MISMO = "No puede inactivarse ni eliminarse a sí mismo: pida a otro administrador de la empresa que lo haga."
MSG_ROLES_PROPIOS = "No puede cambiar sus propios roles: pida a otro administrador de la empresa que lo haga."
MSG_SIN_ESOS_PERMISOS = (
    "No puede asignar un rol con permisos que usted no tiene ({permisos}): pida a un administrador de la empresa que "
    "lo haga."
)
MSG_TIPO = "Seleccione el tipo de identificación."
MSG_NUMERO = "Ingrese el número de identificación."
MSG_SIN_ROLES = "Seleccione al menos un rol."
MSG_ROL_INVALIDO = "Uno de los roles seleccionados no existe o está inactivo."
MSG_YA_MIEMBRO = "La persona con esa identificación ya es usuario de la empresa (estado {estado})."
MSG_YA_INVITADA = (
    "La persona con esa identificación ya tiene una invitación pendiente. Puede reenviarla desde la lista."
)
MSG_YA_RECHAZO = (
    "La persona con esa identificación rechazó la invitación de la empresa. Si quiere invitarla de nuevo, reenvíela "
    "desde la lista."
)
MSG_YA_VENCIDA = (
    "La invitación a la persona con esa identificación venció sin respuesta. Puede reenviarla desde la lista."
)
MSG_VENCIDA = "La invitación venció. Pida al administrador de la empresa que se la reenvíe."
MSG_NO_PENDIENTE = "La invitación ya no está pendiente."
MSG_REENVIO_NO_PENDIENTE = "Solo se pueden reenviar invitaciones pendientes."
MSG_NO_INACTIVO = "Solo se pueden reactivar usuarios inactivos."
MSG_NO_ACEPTADO = "Solo se pueden inactivar usuarios en estado Aceptado."


@dataclass(frozen=True)
class Filtro:
    texto: str = ""
    estado: str = ""
    rol_id: int | None = None


def estado_visible(fila, momento=None) -> str:
    """Pendiente / Aceptado / Inactivo, or Rechazada / Vencida for an invitation that was declined / expired."""
    if fila.estado != MEMBRESIA_PENDIENTE:
        return fila.estado
    if fila.rechazado_en is not None:
        return ESTADO_RECHAZADA
    if fila.invitacion_expira_en is not None and fila.invitacion_expira_en <= (momento or ahora()):
        return ESTADO_VENCIDA
    return MEMBRESIA_PENDIENTE


def vigencia_invitacion() -> timedelta:
    return timedelta(days=int(current_app.config.get("INVITACION_VIGENCIA_DIAS", 15)))


def enlace_invitaciones() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/invitaciones/"


def nombre_de_cuenta(fila) -> str | None:
    """The name of the account a membership or RT/DT row is linked to, for its audit snapshots: the record keeps
    reading as that person even if the account is deleted later."""
    session = object_session(fila)
    if fila.usuario_id is None or session is None:
        return None
    usuario = session.get(Usuario, fila.usuario_id)
    return usuario.get_full_name() if usuario is not None else None


def foto(m: Membresia) -> dict:
    return {
        "nombre_cuenta": nombre_de_cuenta(m),
        "identificacion": f"{m.tipo_identificacion_id}-{m.numero_identificacion}",
        "usuario_id": m.usuario_id,
        "estado": m.estado,
        "roles": [r.nombre for r in m.roles],
        "expira": m.invitacion_expira_en.isoformat() if m.invitacion_expira_en else None,
        "rechazada": m.rechazado_en is not None,
    }


# ------------------------------------------------------------------ list and search


def buscar(session, empresa_id: int, filtro: Filtro, pagina: int = 1) -> Pagina:
    """One page (20) of the company's members and invitations: 3 statements whatever the rows (count, page with
    account and identification type, roles)."""
    q = select(Membresia).where(Membresia.empresa_id == empresa_id)
    texto = (filtro.texto or "").strip()[:80]
    if texto:
        nombre = normalizar_busqueda(texto)
        q = q.outerjoin(Usuario, Usuario.id == Membresia.usuario_id).where(
            or_(
                Membresia.numero_identificacion.startswith(texto.upper(), autoescape=True),
                Usuario.nombre_busqueda.contains(nombre, autoescape=True),
                func.lower(Usuario.email).contains(texto.lower(), autoescape=True),
                exists(
                    select(1)
                    .select_from(membresia_rol)
                    .join(RolEmpresa, RolEmpresa.id == membresia_rol.c.rol_id)
                    .where(
                        membresia_rol.c.membresia_id == Membresia.id,
                        func.lower(RolEmpresa.nombre).contains(texto.lower(), autoescape=True),
                    )
                ),
            )
        )
    if filtro.estado in ESTADOS_MEMBRESIA:
        q = q.where(Membresia.estado == filtro.estado)
    if filtro.rol_id:
        q = q.where(
            exists(
                select(1).where(membresia_rol.c.membresia_id == Membresia.id, membresia_rol.c.rol_id == filtro.rol_id)
            )
        )
    consulta = q.options(
        joinedload(Membresia.usuario), joinedload(Membresia.tipo_identificacion), selectinload(Membresia.roles)
    ).order_by(Membresia.es_representante_legal.desc(), Membresia.creado_en, Membresia.id)
    return paginar(session, consulta, pagina, POR_PAGINA)


# Conditions for the generated members list (app/views/crud/miembros_empresa.py): each one is a WHERE clause on
# Membresia that touches the account (ab_user) only inside EXISTS, so no list or dropdown of accounts is needed.

ESTADOS_VISIBLES = (MEMBRESIA_PENDIENTE, ESTADO_VENCIDA, ESTADO_RECHAZADA, MEMBRESIA_ACEPTADO, MEMBRESIA_INACTIVO)


def con_identificacion(texto: str):
    """The identification number starts with `texto` (case-insensitive)."""
    return Membresia.numero_identificacion.startswith((texto or "").strip().upper()[:80], autoescape=True)


def con_nombre_o_correo(texto: str):
    """The linked account's name (accents and case ignored) or e-mail contains `texto`."""
    texto = (texto or "").strip()[:80]
    return Membresia.usuario.has(
        or_(
            Usuario.nombre_busqueda.contains(normalizar_busqueda(texto), autoescape=True),
            func.lower(Usuario.email).contains(texto.lower(), autoescape=True),
        )
    )


def con_rol(rol_id):
    """The membership holds the role (another company's role id matches nothing)."""
    rol_id = como_id(rol_id)
    if rol_id is None:
        return false()
    return Membresia.roles.any(RolEmpresa.id == rol_id)


def con_estado_visible(estado: str, momento=None):
    """The same states `estado_visible` shows: Pendiente, Vencida and Rechazada split the pending invitations."""
    momento = momento or ahora()
    pendiente = and_(Membresia.estado == MEMBRESIA_PENDIENTE, Membresia.rechazado_en.is_(None))
    vencida = and_(Membresia.invitacion_expira_en.is_not(None), Membresia.invitacion_expira_en <= momento)
    if estado == MEMBRESIA_PENDIENTE:
        return and_(pendiente, ~vencida)
    if estado == ESTADO_VENCIDA:
        return and_(pendiente, vencida)
    if estado == ESTADO_RECHAZADA:
        return and_(Membresia.estado == MEMBRESIA_PENDIENTE, Membresia.rechazado_en.is_not(None))
    if estado in (MEMBRESIA_ACEPTADO, MEMBRESIA_INACTIVO):
        return Membresia.estado == estado
    return false()


def obtener(session, empresa_id: int, membresia_id: int, bloquear: bool = False) -> Membresia:
    q = select(Membresia).where(Membresia.id == membresia_id, Membresia.empresa_id == empresa_id)
    if bloquear:
        q = q.with_for_update().execution_options(populate_existing=True)
    membresia = session.scalar(q)
    if membresia is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return membresia


def _permisos_propios(session, empresa_id: int, usuario_id: int) -> frozenset[str]:
    """The permission codes `usuario_id` holds in the company now (its accepted membership's active roles; an
    Administrador holds the whole tree)."""
    filas = session.execute(
        select(RolEmpresa.predefinido, RolEmpresa.nombre, rol_empresa_permiso.c.permiso)
        .join(membresia_rol, membresia_rol.c.rol_id == RolEmpresa.id)
        .join(Membresia, Membresia.id == membresia_rol.c.membresia_id)
        .outerjoin(rol_empresa_permiso, rol_empresa_permiso.c.rol_id == RolEmpresa.id)
        .where(
            Membresia.empresa_id == empresa_id,
            Membresia.usuario_id == usuario_id,
            Membresia.estado == MEMBRESIA_ACEPTADO,
            RolEmpresa.activo.is_(True),
        )
    ).all()
    if any(predefinido and nombre == ROL_ADMINISTRADOR for predefinido, nombre, _ in filas):
        return arbol_permisos.HOJAS
    return frozenset(permiso for _, _, permiso in filas if permiso)


def _exigir_que_los_tenga(session, empresa_id: int, actor_id: int | None, roles: list[RolEmpresa]) -> None:
    """Nobody grants what they do not hold: a member who may invite or change roles, but is no administrator, cannot
    hand out (to others or by invitation) a role with a permission of their own roles' tree left out."""
    if actor_id is None:
        return
    pedidos = session.scalars(
        select(rol_empresa_permiso.c.permiso).where(rol_empresa_permiso.c.rol_id.in_([r.id for r in roles]))
    ).all()
    faltan = set(pedidos) - _permisos_propios(session, empresa_id, actor_id)
    if faltan:
        nombres = ", ".join(arbol_permisos.NOMBRES.get(p, p) for p in sorted(faltan))
        raise ErroresValidacion({"roles": [MSG_SIN_ESOS_PERMISOS.format(permisos=nombres)]})


def _roles_elegidos(session, empresa_id: int, rol_ids) -> list[RolEmpresa]:
    if rol_ids and not isinstance(rol_ids, list | tuple | set | frozenset):
        raise ErroresValidacion({"roles": [MSG_ROL_INVALIDO]})  # a number or a text where a list goes (the API)
    ids = set()
    for valor in rol_ids or ():
        rol_id = como_id(valor)
        if rol_id is None:
            raise ErroresValidacion({"roles": [MSG_ROL_INVALIDO]})
        ids.add(rol_id)
    if not ids:
        raise ErroresValidacion({"roles": [MSG_SIN_ROLES]})
    roles = session.scalars(
        select(RolEmpresa).where(
            RolEmpresa.id.in_(ids), RolEmpresa.empresa_id == empresa_id, RolEmpresa.activo.is_(True)
        )
    ).all()
    if len(roles) != len(ids):
        raise ErroresValidacion({"roles": [MSG_ROL_INVALIDO]})
    return sorted(roles, key=lambda r: r.nombre.lower())


class Invitacion(Esquema):
    """Whom to invite: tipo + número de identificación, with the rules of the tipo."""

    tipo_identificacion = Eleccion(TipoIdentificacion, MSG_TIPO)
    numero_identificacion = Texto(requerido=MSG_NUMERO, mayusculas=True)

    @validates("numero_identificacion")
    def _reglas_del_tipo(self, numero: str, **kwargs) -> None:
        tipo = fila_elegida(self.session, TipoIdentificacion, self.entrada.get("tipo_identificacion"))
        if mensajes := mensajes_numero(tipo, numero):
            raise ValidationError(mensajes)


def revisar_identificacion(session, esquema: Invitacion, **datos) -> tuple[TipoIdentificacion | None, dict, Errores]:
    """(the chosen tipo, clean values, errors) of an invitation's data under `esquema`."""
    limpio, errores = revisar(esquema, datos)
    tipo = session.get(TipoIdentificacion, limpio["tipo_identificacion"]) if "tipo_identificacion" in limpio else None
    return tipo, limpio, Errores(errores)


def cuenta_activada(session, tipo_id: int, numero: str) -> Usuario | None:
    return session.scalar(
        select(Usuario).where(
            Usuario.tipo_identificacion_id == tipo_id,
            Usuario.numero_identificacion == numero,
            Usuario.active.is_(True),
            Usuario.activada_en.is_not(None),
        )
    )


def avisar_invitacion(session, fila, usuario: Usuario, empresa: Empresa, asunto: str, plantilla: str, **datos) -> None:
    """Queue the mail of a company or RT/DT invitation (`fila`) to the invited account."""
    outbox.encolar(
        session,
        usuario.email,
        asunto,
        plantilla,
        nombre=usuario.first_name,
        empresa=empresa.razon_social,
        nit=empresa.nit_completo,
        expira=fila.invitacion_expira_en,
        enlace=enlace_invitaciones(),
        **datos,
    )


def _avisar(session, membresia: Membresia, usuario: Usuario, empresa: Empresa) -> None:
    asunto = f"Invitación para ser usuario de {empresa.razon_social} en InvimÁgil"
    roles = [r.nombre for r in membresia.roles]
    avisar_invitacion(session, membresia, usuario, empresa, asunto, "invitacion", roles=roles)


def _cambiar(session, membresia: Membresia, accion: str, actor_id: int, ip, **cambios) -> Membresia:
    """Apply `cambios` to the membership and audit it (snapshots before and after)."""
    return auditoria.registrar_cambio(
        session, membresia, foto, accion, "membresia", actor_id, cambios, ip=ip, empresa_id=membresia.empresa_id
    )


# ------------------------------------------------------------------ administrator's actions


# Class of the transaction-scoped advisory lock that serializes the invitations of one company.
BLOQUEO_INVITACIONES = 0x494E56


def bloquear_invitaciones(session, empresa_id: int) -> None:
    """Hold, until the caller's transaction ends, the lock under which a company's invitations are checked and
    written: of two requests inviting the same person at once (two tabs, a double click), the second waits for the
    first to commit, then finds its invitation and gets the field error instead of a unique-constraint error."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(:clase, :empresa)"), {"clase": BLOQUEO_INVITACIONES, "empresa": empresa_id}
    )


def invitar(session, empresa_id: int, actor_id: int, tipo_id, numero, rol_ids, ip: str | None = None) -> Membresia:
    """A Pendiente membership for the identification with the chosen active roles of the company; mailed at once
    when an activated account has that identification, otherwise waiting for it."""
    tipo, limpio, errores = revisar_identificacion(
        session, Invitacion(session), tipo_identificacion=tipo_id, numero_identificacion=numero
    )
    try:
        roles = _roles_elegidos(session, empresa_id, rol_ids)
        _exigir_que_los_tenga(session, empresa_id, actor_id, roles)
    except ErroresValidacion as error:
        errores.sumar(error.errores)
    errores.lanzar_si_hay()
    numero = limpio["numero_identificacion"]
    bloquear_invitaciones(session, empresa_id)
    existente = session.scalar(
        select(Membresia).where(
            Membresia.empresa_id == empresa_id,
            Membresia.tipo_identificacion_id == tipo.id,
            Membresia.numero_identificacion == numero,
        )
    )
    if existente is not None:
        if existente.estado == MEMBRESIA_PENDIENTE:
            mensaje = {ESTADO_RECHAZADA: MSG_YA_RECHAZO, ESTADO_VENCIDA: MSG_YA_VENCIDA}.get(
                estado_visible(existente), MSG_YA_INVITADA
            )
            raise ErroresValidacion({"numero_identificacion": [mensaje]})
        raise ErroresValidacion({"numero_identificacion": [MSG_YA_MIEMBRO.format(estado=existente.estado)]})
    usuario = cuenta_activada(session, tipo.id, numero)
    momento = ahora()
    membresia = Membresia(
        empresa_id=empresa_id,
        usuario_id=usuario.id if usuario else None,
        tipo_identificacion_id=tipo.id,
        numero_identificacion=numero,
        estado=MEMBRESIA_PENDIENTE,
        es_representante_legal=False,
        invitacion_expira_en=momento + vigencia_invitacion(),
        invitado_por_id=actor_id,
        creado_en=momento,
    )
    membresia.roles = roles
    session.add(membresia)
    session.flush()
    if usuario is not None:
        _avisar(session, membresia, usuario, session.get(Empresa, empresa_id))
    auditoria.registrar(
        session,
        "invitacion_enviada",
        "membresia",
        membresia.id,
        actor_id,
        despues=foto(membresia),
        ip=ip,
        empresa_id=empresa_id,
    )
    return membresia


def reenviar(session, empresa_id: int, membresia_id: int, actor_id: int, ip: str | None = None) -> Membresia:
    """A pending (also expired or declined) invitation gets a new expiry and, if it has an account, a new mail."""
    membresia = obtener(session, empresa_id, membresia_id, bloquear=True)
    if membresia.estado != MEMBRESIA_PENDIENTE:
        raise ErrorDominio(MSG_REENVIO_NO_PENDIENTE)
    cambios = {"invitacion_expira_en": ahora() + vigencia_invitacion(), "rechazado_en": None}
    if membresia.usuario_id is None:
        usuario = cuenta_activada(session, membresia.tipo_identificacion_id, membresia.numero_identificacion)
        cambios["usuario_id"] = usuario.id if usuario else None
    _cambiar(session, membresia, "invitacion_reenviada", actor_id, ip, invitado_por_id=actor_id, **cambios)
    if membresia.usuario_id is not None:
        _avisar(session, membresia, session.get(Usuario, membresia.usuario_id), session.get(Empresa, empresa_id))
    return membresia


def _es_administrador_activo(m: Membresia) -> bool:
    return m.estado == MEMBRESIA_ACEPTADO and any(r.predefinido and r.nombre == ROL_ADMINISTRADOR for r in m.roles)


def _bloquear_y_obtener(session, empresa_id: int, membresia_id: int) -> Membresia:
    """Lock every membership of the company (SELECT … FOR UPDATE), then read the target fresh.

    Every change that could remove an administrator takes these locks first, so two concurrent ones run one
    after the other and the second sees the first's result.
    """
    session.execute(
        select(Membresia.id).where(Membresia.empresa_id == empresa_id).order_by(Membresia.id).with_for_update()
    ).all()
    return obtener(session, empresa_id, membresia_id, bloquear=True)


def _exigir_otro_administrador(session, empresa_id: int, excepto_id: int) -> None:
    otros = session.scalar(
        select(func.count(func.distinct(Membresia.id)))
        .join(membresia_rol, membresia_rol.c.membresia_id == Membresia.id)
        .join(RolEmpresa, RolEmpresa.id == membresia_rol.c.rol_id)
        .where(
            Membresia.empresa_id == empresa_id,
            Membresia.id != excepto_id,
            Membresia.estado == MEMBRESIA_ACEPTADO,
            RolEmpresa.predefinido.is_(True),
            RolEmpresa.nombre == ROL_ADMINISTRADOR,
        )
    )
    if not otros:
        raise ErrorDominio(MSG_ULTIMO_ADMIN)


def _bloquear_modificable(session, empresa_id: int, membresia_id: int) -> Membresia:
    """The membership an administrator changes, under the company's membership locks; never the representante
    legal's."""
    membresia = _bloquear_y_obtener(session, empresa_id, membresia_id)
    if membresia.es_representante_legal:
        raise ErrorDominio(MSG_REPRESENTANTE)
    return membresia


def _exigir_que_no_sea_el_mismo(membresia: Membresia, actor_id: int | None, mensaje: str = MSG_A_SI_MISMO) -> None:
    """Refuse changing one's own membership: inactivating or deleting it would lock the person out of the company
    in the middle of their own session, and their roles are someone else's to give."""
    if actor_id is not None and membresia.usuario_id == actor_id:
        raise ErrorDominio(mensaje)


def _conservar_administrador(session, membresia: Membresia) -> None:
    """Refuse a change that would take away the company's last active administrador (`membresia`, if it is one)."""
    if _es_administrador_activo(membresia):
        _exigir_otro_administrador(session, membresia.empresa_id, membresia.id)


def cambiar_roles(session, empresa_id: int, membresia_id: int, actor_id: int, rol_ids, ip=None) -> Membresia:
    """Replace a member's roles (not the representante legal's, not one's own, none with a permission the actor
    lacks); the last active administrador keeps the role."""
    membresia = _bloquear_modificable(session, empresa_id, membresia_id)
    _exigir_que_no_sea_el_mismo(membresia, actor_id, MSG_ROLES_PROPIOS)
    roles = _roles_elegidos(session, empresa_id, rol_ids)
    if not any(r.predefinido and r.nombre == ROL_ADMINISTRADOR for r in roles):
        _conservar_administrador(session, membresia)
    _exigir_que_los_tenga(session, empresa_id, actor_id, roles)
    return _cambiar(session, membresia, "roles_cambiados", actor_id, ip, roles=roles)


def inactivar(session, empresa_id: int, membresia_id: int, actor_id: int, ip=None) -> Membresia:
    """Aceptado → Inactivo (never oneself): the person loses access at their very next request (contexto re-checks
    it)."""
    membresia = _bloquear_modificable(session, empresa_id, membresia_id)
    _exigir_que_no_sea_el_mismo(membresia, actor_id)
    if membresia.estado != MEMBRESIA_ACEPTADO:
        raise ErrorDominio(MSG_NO_ACEPTADO)
    _conservar_administrador(session, membresia)
    return _cambiar(
        session, membresia, "usuario_inactivado", actor_id, ip, estado=MEMBRESIA_INACTIVO, inactivado_en=ahora()
    )


def reactivar(session, empresa_id: int, membresia_id: int, actor_id: int, ip=None) -> Membresia:
    """Inactivo → Aceptado with the roles the member had."""
    membresia = obtener(session, empresa_id, membresia_id, bloquear=True)
    if membresia.estado != MEMBRESIA_INACTIVO:
        raise ErrorDominio(MSG_NO_INACTIVO)
    return _cambiar(
        session, membresia, "usuario_reactivado", actor_id, ip, estado=MEMBRESIA_ACEPTADO, inactivado_en=None
    )


def eliminar(session, empresa_id: int, membresia_id: int, actor_id: int, ip=None) -> None:
    """Remove a member or withdraw an invitation (never the representante legal, never oneself, never the last
    administrador)."""
    membresia = _bloquear_modificable(session, empresa_id, membresia_id)
    _exigir_que_no_sea_el_mismo(membresia, actor_id)
    _conservar_administrador(session, membresia)
    antes = foto(membresia)
    session.delete(membresia)
    session.flush()
    auditoria.registrar(
        session, "usuario_eliminado", "membresia", membresia_id, actor_id, antes=antes, ip=ip, empresa_id=empresa_id
    )
