"""Responsable técnico / director técnico links of a company: invite, list, withdraw (the invitee answers in
invitaciones.py)."""

from __future__ import annotations

from marshmallow.validate import OneOf
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.empresas import (
    CALIDAD_DIRECTOR_TECNICO,
    CALIDAD_RESPONSABLE_TECNICO,
    MEMBRESIA_ACEPTADO,
    MEMBRESIA_PENDIENTE,
    Empresa,
    VinculoTecnico,
)
from app.models.personas import Usuario
from app.services import auditoria
from app.services.cuentas.perfil import puede_recibir_invitaciones_rt_dt
from app.services.empresas.membresias import (
    MSG_NO_ENCONTRADO,
    Invitacion,
    avisar_invitacion,
    bloquear_invitaciones,
    cuenta_activada,
    estado_visible,
    nombre_de_cuenta,
    revisar_identificacion,
    vigencia_invitacion,
)
from app.services.errores import ErroresValidacion, NoEncontrado
from app.services.esquemas import Texto
from app.services.reloj import ahora

CALIDADES = (CALIDAD_RESPONSABLE_TECNICO, CALIDAD_DIRECTOR_TECNICO)


MSG_RT_DT_SIN_CUENTA = (
    "No hay una cuenta activada en InvimÁgil con esa identificación: solo se puede invitar como responsable técnico "
    "o director técnico a una persona que ya activó su cuenta."
)
MSG_RT_DT_NO_PERMITE = (
    "La persona no permite invitaciones de responsable técnico / director técnico. Puede activarlas en Mi perfil."
)
MSG_RT_DT_SIN_PROFESION = (
    "La persona no tiene profesiones registradas. Debe registrar al menos una en Mi perfil para ser invitada como "
    "responsable técnico o director técnico."
)


def motivo_para_no_invitar(usuario: Usuario | None) -> str | None:
    """Why this account cannot be invited as RT/DT (manual 4.6.1.1), or None if it can."""
    if usuario is None:
        return MSG_RT_DT_SIN_CUENTA
    if not usuario.acepta_invitaciones_rt_dt:
        return MSG_RT_DT_NO_PERMITE
    if not puede_recibir_invitaciones_rt_dt(usuario):
        return MSG_RT_DT_SIN_PROFESION
    return None


MSG_CALIDAD = "Seleccione si invita como responsable técnico o director técnico."


MSG_TECNICO_PENDIENTE = "La persona ya tiene una invitación pendiente como {calidad} de la empresa."


MSG_TECNICO_VINCULADO = "La persona ya está vinculada como {calidad} de la empresa."


class InvitacionTecnica(Invitacion):
    """An RT/DT invitation also says in which quality the person is invited."""

    calidad = Texto(requerido=MSG_CALIDAD, validate=OneOf(CALIDADES, error=MSG_CALIDAD))


def foto_tecnico(v: VinculoTecnico) -> dict:
    return {
        "nombre_cuenta": nombre_de_cuenta(v),
        "usuario_id": v.usuario_id,
        "calidad": v.calidad,
        "estado": v.estado,
        "expira": v.invitacion_expira_en.isoformat() if v.invitacion_expira_en else None,
        "rechazada": v.rechazado_en is not None,
    }


def vinculos_tecnicos(session, empresa_id: int) -> list[VinculoTecnico]:
    """The company's RT/DT links and invitations (one statement)."""
    return list(
        session.scalars(
            select(VinculoTecnico)
            .where(VinculoTecnico.empresa_id == empresa_id)
            .options(joinedload(VinculoTecnico.usuario), joinedload(VinculoTecnico.profesion))
            .order_by(VinculoTecnico.creado_en.desc())
        ).unique()
    )


def invitar_tecnico(session, empresa_id: int, actor_id: int, tipo_id, numero, calidad, ip=None) -> VinculoTecnico:
    """Invite as responsable técnico / director técnico only a person who allows it in Mi perfil and has a
    profession (manual 4.6.1.1). A declined, expired or inactive link may be invited again."""
    tipo, limpio, errores = revisar_identificacion(
        session, InvitacionTecnica(session), tipo_identificacion=tipo_id, numero_identificacion=numero, calidad=calidad
    )
    errores.lanzar_si_hay()
    calidad = limpio["calidad"]
    usuario = cuenta_activada(session, tipo.id, limpio["numero_identificacion"])
    if motivo := motivo_para_no_invitar(usuario):
        raise ErroresValidacion({"numero_identificacion": [motivo]})
    bloquear_invitaciones(session, empresa_id)
    momento = ahora()
    vinculo, antes = _vinculo_a_renovar(session, empresa_id, usuario, calidad, momento)
    profesion = usuario.profesiones[0]
    vinculo.profesion_id = profesion.profesion_id
    vinculo.tarjeta_profesional = profesion.tarjeta_profesional
    vinculo.estado = MEMBRESIA_PENDIENTE
    vinculo.invitacion_expira_en = momento + vigencia_invitacion()
    vinculo.invitado_por_id = actor_id
    vinculo.rechazado_en = None
    vinculo.aceptado_en = None
    vinculo.inactivado_en = None
    session.flush()
    _avisar_tecnico(session, vinculo, usuario, session.get(Empresa, empresa_id))
    auditoria.registrar(
        session,
        "invitacion_tecnica_enviada",
        "vinculo_tecnico",
        vinculo.id,
        actor_id,
        antes=antes,
        despues=foto_tecnico(vinculo),
        ip=ip,
        empresa_id=empresa_id,
    )
    return vinculo


def _vinculo_a_renovar(session, empresa_id: int, usuario: Usuario, calidad: str, momento) -> tuple:
    """The person's RT/DT link of this quality to invite again (declined, expired or inactive; locked) with its
    snapshot, or a new one and None. A link still Aceptado or pending is a field error."""
    vinculo = session.scalar(
        select(VinculoTecnico)
        .where(
            VinculoTecnico.empresa_id == empresa_id,
            VinculoTecnico.usuario_id == usuario.id,
            VinculoTecnico.calidad == calidad,
        )
        .with_for_update()
    )
    if vinculo is None:
        vinculo = VinculoTecnico(empresa_id=empresa_id, usuario_id=usuario.id, calidad=calidad, creado_en=momento)
        session.add(vinculo)
        return vinculo, None
    if vinculo.estado == MEMBRESIA_ACEPTADO:
        raise ErroresValidacion({"numero_identificacion": [MSG_TECNICO_VINCULADO.format(calidad=calidad.lower())]})
    if estado_visible(vinculo, momento) == MEMBRESIA_PENDIENTE:
        raise ErroresValidacion({"numero_identificacion": [MSG_TECNICO_PENDIENTE.format(calidad=calidad.lower())]})
    return vinculo, foto_tecnico(vinculo)


def _avisar_tecnico(session, vinculo: VinculoTecnico, usuario: Usuario, empresa: Empresa) -> None:
    asunto = f"Invitación como {vinculo.calidad.lower()} de {empresa.razon_social} en InvimÁgil"
    avisar_invitacion(session, vinculo, usuario, empresa, asunto, "invitacion_tecnico", calidad=vinculo.calidad)


def retirar_tecnico(session, empresa_id: int, vinculo_id: int, actor_id: int, ip=None) -> None:
    """Withdraw an RT/DT invitation or link of the company."""
    vinculo = session.scalar(
        select(VinculoTecnico)
        .where(VinculoTecnico.id == vinculo_id, VinculoTecnico.empresa_id == empresa_id)
        .with_for_update()
    )
    if vinculo is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    antes = foto_tecnico(vinculo)
    session.delete(vinculo)
    session.flush()
    auditoria.registrar(
        session,
        "vinculo_tecnico_eliminado",
        "vinculo_tecnico",
        vinculo_id,
        actor_id,
        antes=antes,
        ip=ip,
        empresa_id=empresa_id,
    )
