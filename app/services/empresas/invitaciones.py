"""The invitee's side: their pending company and RT/DT invitations, accepting or declining them, and the
invitations that waited for an account when it is activated."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.models.empresas import (
    MEMBRESIA_ACEPTADO,
    MEMBRESIA_PENDIENTE,
    Membresia,
    VinculoTecnico,
)
from app.models.personas import Usuario
from app.services import auditoria
from app.services.empresas.membresias import (
    ESTADO_VENCIDA,
    MSG_NO_ENCONTRADO,
    MSG_NO_PENDIENTE,
    MSG_VENCIDA,
    estado_visible,
    foto,
)
from app.services.empresas.tecnicos import foto_tecnico
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.reloj import ahora


def vincular_invitaciones_pendientes(session, usuario: Usuario) -> int:
    """Link the waiting invitations addressed to this account's identification (called when it is activated).

    Looks across companies on the person's own behalf. Returns how many were linked.
    """
    if not usuario.tipo_identificacion_id or not usuario.numero_identificacion:
        return 0
    filas = session.execute(
        update(Membresia)
        .where(
            Membresia.usuario_id.is_(None),
            Membresia.estado == MEMBRESIA_PENDIENTE,
            Membresia.tipo_identificacion_id == usuario.tipo_identificacion_id,
            Membresia.numero_identificacion == usuario.numero_identificacion,
        )
        .values(usuario_id=usuario.id)
        .returning(Membresia.id, Membresia.empresa_id)
        .execution_options(todas_las_empresas=True, synchronize_session=False)
    ).all()
    for membresia_id, empresa_id in filas:
        auditoria.registrar(
            session,
            "invitacion_vinculada",
            "membresia",
            membresia_id,
            usuario.id,
            despues={"usuario_id": usuario.id},
            empresa_id=empresa_id,
        )
    return len(filas)


def _mias(usuario: Usuario):
    return or_(
        Membresia.usuario_id == usuario.id,
        and_(
            Membresia.usuario_id.is_(None),
            Membresia.tipo_identificacion_id == usuario.tipo_identificacion_id,
            Membresia.numero_identificacion == usuario.numero_identificacion,
        ),
    )


def mis_invitaciones(session, usuario: Usuario) -> tuple[list[Membresia], list[VinculoTecnico]]:
    """The person's pending (not declined) company and RT/DT invitations, newest first; expired ones included
    (shown as Vencida)."""
    membresias = (
        session.scalars(
            select(Membresia)
            .where(_mias(usuario), Membresia.estado == MEMBRESIA_PENDIENTE, Membresia.rechazado_en.is_(None))
            .options(joinedload(Membresia.empresa), selectinload(Membresia.roles))
            .order_by(Membresia.creado_en.desc())
            .execution_options(todas_las_empresas=True)
        )
        .unique()
        .all()
    )
    vinculos = (
        session.scalars(
            select(VinculoTecnico)
            .where(
                VinculoTecnico.usuario_id == usuario.id,
                VinculoTecnico.estado == MEMBRESIA_PENDIENTE,
                VinculoTecnico.rechazado_en.is_(None),
            )
            .options(joinedload(VinculoTecnico.empresa))
            .order_by(VinculoTecnico.creado_en.desc())
            .execution_options(todas_las_empresas=True)
        )
        .unique()
        .all()
    )
    return list(membresias), list(vinculos)


def contar_mis_invitaciones(session, usuario: Usuario) -> int:
    """How many invitations the person can still answer (for the home page)."""
    momento = ahora()
    n = session.scalar(
        select(func.count())
        .select_from(Membresia)
        .where(
            _mias(usuario),
            Membresia.estado == MEMBRESIA_PENDIENTE,
            Membresia.rechazado_en.is_(None),
            Membresia.invitacion_expira_en > momento,
        )
        .execution_options(todas_las_empresas=True)
    )
    n += session.scalar(
        select(func.count())
        .select_from(VinculoTecnico)
        .where(
            VinculoTecnico.usuario_id == usuario.id,
            VinculoTecnico.estado == MEMBRESIA_PENDIENTE,
            VinculoTecnico.rechazado_en.is_(None),
            VinculoTecnico.invitacion_expira_en > momento,
        )
        .execution_options(todas_las_empresas=True)
    )
    return n


def _pendiente_propia(session, modelo, id_, condicion):
    """The invitation row `id_` of `modelo` addressed to the person (`condicion`), locked, still answerable."""
    fila = session.scalar(
        select(modelo)
        .where(modelo.id == id_, condicion)
        .with_for_update()
        .execution_options(todas_las_empresas=True, populate_existing=True)
    )
    if fila is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    if fila.estado != MEMBRESIA_PENDIENTE or fila.rechazado_en is not None:
        raise ErrorDominio(MSG_NO_PENDIENTE)
    if estado_visible(fila) == ESTADO_VENCIDA:
        raise ErrorDominio(MSG_VENCIDA)
    return fila


# How each invitation row is snapshotted and named in the audit trail.
_AUDITORIA = {Membresia: (foto, "membresia"), VinculoTecnico: (foto_tecnico, "vinculo_tecnico")}


def _responder(session, fila, accion: str, usuario: Usuario, ip, **cambios):
    """Apply the invitee's answer to an invitation row and audit it with its before/after snapshots."""
    foto_fila, objeto = _AUDITORIA[type(fila)]
    return auditoria.registrar_cambio(
        session, fila, foto_fila, accion, objeto, usuario.id, cambios, ip=ip, empresa_id=fila.empresa_id
    )


def _aceptada() -> dict:
    return {"estado": MEMBRESIA_ACEPTADO, "aceptado_en": ahora(), "invitacion_expira_en": None}


def _mi_invitacion(session, usuario: Usuario, membresia_id: int) -> Membresia:
    return _pendiente_propia(session, Membresia, membresia_id, _mias(usuario))


def aceptar(session, usuario: Usuario, membresia_id: int, ip=None) -> Membresia:
    """The invitee accepts: Aceptado, and the company appears in "Ingresar como"."""
    membresia = _mi_invitacion(session, usuario, membresia_id)
    return _responder(session, membresia, "invitacion_aceptada", usuario, ip, usuario_id=usuario.id, **_aceptada())


def rechazar(session, usuario: Usuario, membresia_id: int, ip=None) -> Membresia:
    """The invitee declines: the row keeps Pendiente with rechazado_en ("Rechazada" for the administrator)."""
    membresia = _mi_invitacion(session, usuario, membresia_id)
    return _responder(
        session, membresia, "invitacion_rechazada", usuario, ip, usuario_id=usuario.id, rechazado_en=ahora()
    )


def _mi_vinculo(session, usuario: Usuario, vinculo_id: int) -> VinculoTecnico:
    return _pendiente_propia(session, VinculoTecnico, vinculo_id, VinculoTecnico.usuario_id == usuario.id)


def aceptar_tecnico(session, usuario: Usuario, vinculo_id: int, ip=None) -> VinculoTecnico:
    vinculo = _mi_vinculo(session, usuario, vinculo_id)
    return _responder(session, vinculo, "invitacion_tecnica_aceptada", usuario, ip, **_aceptada())


def rechazar_tecnico(session, usuario: Usuario, vinculo_id: int, ip=None) -> VinculoTecnico:
    vinculo = _mi_vinculo(session, usuario, vinculo_id)
    return _responder(session, vinculo, "invitacion_tecnica_rechazada", usuario, ip, rechazado_en=ahora())


def al_activar_cuenta(session, usuario: Usuario) -> None:
    """Listener of activacion.cuenta_activada: link the invitations that waited for this account."""
    vincular_invitaciones_pendientes(session, usuario)
