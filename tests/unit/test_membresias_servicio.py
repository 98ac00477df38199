"""Company users and invitations (circular 1000-011-2025, Gestión de Usuarios; manual 4.6.1.1) at the service level."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.auditoria import Auditoria
from app.models.correo import MensajeCorreo
from app.models.empresas import MEMBRESIA_ACEPTADO, MEMBRESIA_INACTIVO, Membresia, RolEmpresa, VinculoTecnico
from app.models.referencias import Profesion
from app.services.cuentas import perfil
from app.services.empresas import invitaciones, membresias, tecnicos
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.reloj import ahora
from tests import factories, factories_empresas


def _rol(s, empresa_id, nombre):
    return s.scalar(select(RolEmpresa).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre))


def _miembro(s, empresa, persona, rol="Financiero"):
    m = membresias.invitar(
        s,
        empresa.id,
        None,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol(s, empresa.id, rol).id],
    )
    return invitaciones.aceptar(s, persona, m.id)


def test_invitar_a_persona_con_cuenta_envia_correo_y_la_vincula(db_session):
    empresa = factories_empresas.crear_empresa(razon_social="Alimentos del Valle S.A.S.")
    persona = factories.crear_usuario(email="invitada@correo.test")
    m = membresias.invitar(
        db_session,
        empresa.id,
        empresa.creado_por_id,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol(db_session, empresa.id, "Financiero").id],
        ip="10.1.1.1",
    )
    assert m.usuario_id == persona.id and m.estado == "Pendiente"
    assert ahora() + timedelta(days=14) < m.invitacion_expira_en <= ahora() + timedelta(days=15)
    correo = db_session.scalar(select(MensajeCorreo).where(MensajeCorreo.destinatario == "invitada@correo.test"))
    assert "Alimentos del Valle S.A.S." in correo.cuerpo_texto and "Financiero" in correo.cuerpo_texto
    assert [i.id for i in invitaciones.mis_invitaciones(db_session, persona)[0]] == [m.id]
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == "invitacion_enviada"))
    assert fila.empresa_id == empresa.id and fila.despues["roles"] == ["Financiero"] and fila.ip == "10.1.1.1"


def test_invitacion_sin_cuenta_espera_hasta_la_activacion(db_session):
    empresa = factories_empresas.crear_empresa()
    m = membresias.invitar(db_session, empresa.id, None, 1, "80111222", [_rol(db_session, empresa.id, "Financiero").id])
    assert m.usuario_id is None
    assert db_session.scalar(select(MensajeCorreo)) is None
    persona = factories.crear_usuario(numero="80111222")
    assert invitaciones.vincular_invitaciones_pendientes(db_session, persona) == 1
    db_session.expire_all()
    assert db_session.get(Membresia, m.id).usuario_id == persona.id


def test_identificacion_invalida_o_sin_roles_se_rechaza(db_session):
    empresa = factories_empresas.crear_empresa()
    with pytest.raises(ErroresValidacion) as error:
        membresias.invitar(db_session, empresa.id, None, 1, "12AB", [])
    assert "numero_identificacion" in error.value.errores and error.value.errores["roles"] == [membresias.MSG_SIN_ROLES]
    otra = factories_empresas.crear_empresa()
    with pytest.raises(ErroresValidacion) as error:
        membresias.invitar(db_session, empresa.id, None, 1, "80111222", [_rol(db_session, otra.id, "Financiero").id])
    assert error.value.errores["roles"] == [membresias.MSG_ROL_INVALIDO]


def test_no_se_invita_dos_veces_a_la_misma_identificacion(db_session):
    empresa = factories_empresas.crear_empresa()
    rol = _rol(db_session, empresa.id, "Financiero").id
    membresias.invitar(db_session, empresa.id, None, 1, "80111222", [rol])
    with pytest.raises(ErroresValidacion, match="ya tiene una invitación pendiente"):
        membresias.invitar(db_session, empresa.id, None, 1, "80111222", [rol])


def test_invitacion_vencida_no_se_acepta_y_se_puede_reenviar(db_session):
    empresa = factories_empresas.crear_empresa()
    persona = factories.crear_usuario()
    m = membresias.invitar(
        db_session,
        empresa.id,
        None,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol(db_session, empresa.id, "Financiero").id],
    )
    m.invitacion_expira_en = ahora() - timedelta(minutes=1)
    db_session.flush()
    assert membresias.estado_visible(m) == "Vencida"
    with pytest.raises(ErrorDominio, match="La invitación venció"):
        invitaciones.aceptar(db_session, persona, m.id)
    membresias.reenviar(db_session, empresa.id, m.id, empresa.creado_por_id)
    assert membresias.estado_visible(m) == "Pendiente"
    assert len(db_session.scalars(select(MensajeCorreo)).all()) == 2
    assert invitaciones.aceptar(db_session, persona, m.id).estado == MEMBRESIA_ACEPTADO


def test_rechazar_deja_la_invitacion_como_rechazada(db_session):
    empresa = factories_empresas.crear_empresa()
    persona = factories.crear_usuario()
    m = membresias.invitar(
        db_session,
        empresa.id,
        None,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol(db_session, empresa.id, "Financiero").id],
    )
    invitaciones.rechazar(db_session, persona, m.id)
    assert membresias.estado_visible(m) == "Rechazada"
    assert invitaciones.mis_invitaciones(db_session, persona) == ([], [])
    with pytest.raises(ErrorDominio, match="ya no está pendiente"):
        invitaciones.aceptar(db_session, persona, m.id)


def test_otra_persona_no_responde_una_invitacion_ajena(db_session):
    empresa = factories_empresas.crear_empresa()
    persona = factories.crear_usuario()
    intrusa = factories.crear_usuario()
    m = membresias.invitar(
        db_session,
        empresa.id,
        None,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol(db_session, empresa.id, "Financiero").id],
    )
    with pytest.raises(membresias.NoEncontrado):
        invitaciones.aceptar(db_session, intrusa, m.id)


def test_representante_legal_no_se_edita_inactiva_ni_elimina(db_session):
    empresa = factories_empresas.crear_empresa()
    rl = db_session.scalar(select(Membresia).where(Membresia.empresa_id == empresa.id))
    for accion in (membresias.inactivar, membresias.eliminar):
        with pytest.raises(ErrorDominio, match="El representante legal siempre permanece activo"):
            accion(db_session, empresa.id, rl.id, None)
    with pytest.raises(ErrorDominio, match="El representante legal"):
        membresias.cambiar_roles(db_session, empresa.id, rl.id, None, [_rol(db_session, empresa.id, "Financiero").id])


def _empresa_con_admin_no_representante(s):
    """The registering person is the only accepted Administrador; the representante legal has not accepted yet."""
    empresa = factories_empresas.crear_empresa()
    s.execute(update(Membresia).where(Membresia.empresa_id == empresa.id).values(es_representante_legal=False))
    s.flush()
    return empresa, s.scalar(select(Membresia).where(Membresia.empresa_id == empresa.id))


def test_la_empresa_conserva_al_menos_un_administrador_activo(db_session):
    empresa, admin = _empresa_con_admin_no_representante(db_session)
    financiero = _rol(db_session, empresa.id, "Financiero").id
    for llamada in (
        lambda: membresias.inactivar(db_session, empresa.id, admin.id, None),
        lambda: membresias.eliminar(db_session, empresa.id, admin.id, None),
        lambda: membresias.cambiar_roles(db_session, empresa.id, admin.id, None, [financiero]),
    ):
        with pytest.raises(ErrorDominio, match="La empresa debe conservar al menos un administrador activo."):
            llamada()
    otra = factories.crear_usuario()
    _miembro(db_session, empresa, otra, "Administrador")
    assert membresias.inactivar(db_session, empresa.id, admin.id, None).estado == MEMBRESIA_INACTIVO
    assert membresias.reactivar(db_session, empresa.id, admin.id, None).estado == MEMBRESIA_ACEPTADO


def test_nadie_se_inactiva_ni_se_elimina_a_si_mismo(db_session):
    empresa, admin = _empresa_con_admin_no_representante(db_session)
    otra = factories.crear_usuario()
    segundo = _miembro(db_session, empresa, otra, "Administrador")
    for accion in (membresias.inactivar, membresias.eliminar):
        with pytest.raises(ErrorDominio, match="No puede inactivarse ni eliminarse a sí mismo"):
            accion(db_session, empresa.id, segundo.id, otra.id)
    assert segundo.estado == MEMBRESIA_ACEPTADO
    assert membresias.inactivar(db_session, empresa.id, segundo.id, admin.usuario_id).estado == MEMBRESIA_INACTIVO


def test_dos_inactivaciones_concurrentes_no_dejan_la_empresa_sin_administrador(app, db_session):
    from app.extensions import db
    from app.security.tenancy import todas_las_empresas

    empresa, admin = _empresa_con_admin_no_representante(db_session)
    segundo = _miembro(db_session, empresa, factories.crear_usuario(), "Administrador")
    db_session.commit()
    ids = (empresa.id, admin.id, segundo.id)
    primera = Session(db.engine)
    membresias.inactivar(primera, ids[0], ids[1], None)  # holds the locks until commit
    resultado = {}

    def segunda():
        # A new thread starts with no context: it opens every company's scope itself, as a worker does.
        with app.app_context(), todas_las_empresas(), Session(db.engine) as otra:
            try:
                membresias.inactivar(otra, ids[0], ids[2], None)
                otra.commit()
                resultado["ok"] = True
            except ErrorDominio as error:
                resultado["error"] = error.mensaje

    hilo = threading.Thread(target=segunda)
    hilo.start()
    time.sleep(0.5)
    assert hilo.is_alive(), "la segunda inactivación debió esperar el bloqueo"
    primera.commit()
    primera.close()
    hilo.join(10)
    assert resultado == {"error": membresias.MSG_ULTIMO_ADMIN}
    db_session.expire_all()
    estados = db_session.scalars(select(Membresia.estado).where(Membresia.empresa_id == ids[0])).all()
    assert sorted(estados) == ["Aceptado", "Inactivo"]


def _con_profesion(s, persona):
    perfil.cambiar_invitaciones(persona, True)
    perfil.agregar_profesion(s, persona, str(s.scalar(select(Profesion.id).limit(1))), "TP-998")
    s.flush()


def test_rt_dt_solo_para_quien_lo_permite_y_tiene_profesion(db_session):
    empresa = factories_empresas.crear_empresa()
    persona = factories.crear_usuario()

    def rechazo(numero: str, calidad: str = "Director técnico") -> list[str]:
        with pytest.raises(ErroresValidacion) as error:
            tecnicos.invitar_tecnico(db_session, empresa.id, None, persona.tipo_identificacion_id, numero, calidad)
        return error.value.errores["numero_identificacion"]

    assert rechazo(persona.numero_identificacion, "Responsable técnico") == [tecnicos.MSG_RT_DT_NO_PERMITE]
    perfil.cambiar_invitaciones(persona, True)
    db_session.flush()
    assert rechazo(persona.numero_identificacion) == [tecnicos.MSG_RT_DT_SIN_PROFESION]
    assert rechazo("99999999") == [tecnicos.MSG_RT_DT_SIN_CUENTA]
    _con_profesion(db_session, persona)
    v = tecnicos.invitar_tecnico(
        db_session, empresa.id, None, persona.tipo_identificacion_id, persona.numero_identificacion, "Director técnico"
    )
    assert v.estado == "Pendiente" and v.tarjeta_profesional == persona.profesiones[0].tarjeta_profesional
    assert db_session.scalar(select(MensajeCorreo).where(MensajeCorreo.plantilla == "invitacion_tecnico"))
    assert invitaciones.mis_invitaciones(db_session, persona)[1] == [v]
    invitaciones.aceptar_tecnico(db_session, persona, v.id)
    assert db_session.get(VinculoTecnico, v.id).estado == MEMBRESIA_ACEPTADO
    with pytest.raises(ErroresValidacion, match="ya está vinculada"):
        tecnicos.invitar_tecnico(
            db_session,
            empresa.id,
            None,
            persona.tipo_identificacion_id,
            persona.numero_identificacion,
            "Director técnico",
        )


def test_rt_dt_rechazado_se_puede_invitar_de_nuevo(db_session):
    empresa = factories_empresas.crear_empresa()
    persona = factories.crear_usuario()
    _con_profesion(db_session, persona)
    args = (db_session, empresa.id, None, persona.tipo_identificacion_id, persona.numero_identificacion)
    v = tecnicos.invitar_tecnico(*args, "Responsable técnico")
    invitaciones.rechazar_tecnico(db_session, persona, v.id)
    assert membresias.estado_visible(v) == "Rechazada"
    assert tecnicos.invitar_tecnico(*args, "Responsable técnico").id == v.id
    assert membresias.estado_visible(v) == "Pendiente"
