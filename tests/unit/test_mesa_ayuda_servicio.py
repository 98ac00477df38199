"""Mesa de ayuda service: look-ups by identification, e-mail and name; audit; PIN resend; no secrets."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from app.models.auditoria import Auditoria
from app.models.correo import MensajeCorreo
from app.models.personas import ESTADO_ACTIVA, ESTADO_PENDIENTE
from app.services import mesa_ayuda
from app.services.errores import ErrorDominio
from tests import factories


def test_detecta_el_criterio_por_lo_que_se_escribe():
    assert mesa_ayuda.detectar_criterio("persona@correo.test") == "correo"
    assert mesa_ayuda.detectar_criterio("1032456789") == "identificacion"
    assert mesa_ayuda.detectar_criterio("AB12345") == "identificacion"
    assert mesa_ayuda.detectar_criterio("Pérez") == "nombre"


def test_busca_por_identificacion_exacta(db_session):
    buscada = factories.crear_usuario(numero="1032456789")
    factories.crear_usuario(numero="10324567")
    resultado = mesa_ayuda.buscar_cuentas(db_session, " 1032456789 ")
    assert [c.id for c in resultado.cuentas] == [buscada.id]
    assert resultado.cuentas[0].estado == ESTADO_ACTIVA


def test_busca_por_correo_sin_distinguir_mayusculas(db_session):
    buscada = factories.crear_usuario(email="ana.rios@correo.test")
    resultado = mesa_ayuda.buscar_cuentas(db_session, "Ana.Rios@CORREO.test")
    assert [c.id for c in resultado.cuentas] == [buscada.id]


def test_busca_por_comienzo_de_nombre_o_apellido_sin_tildes(db_session):
    angela = factories.crear_usuario(nombres="Ángela", apellidos="Núñez Ríos")
    factories.crear_usuario(nombres="Pedro", apellidos="Gómez")
    assert [c.id for c in mesa_ayuda.buscar_cuentas(db_session, "ANGE").cuentas] == [angela.id]
    assert [c.id for c in mesa_ayuda.buscar_cuentas(db_session, "nuñez r").cuentas] == [angela.id]
    assert mesa_ayuda.buscar_cuentas(db_session, "rios").cuentas == []  # prefix, not substring


def test_la_busqueda_por_nombre_no_interpreta_comodines(db_session):
    factories.crear_usuario(nombres="Pedro", apellidos="Gómez")
    assert mesa_ayuda.buscar_cuentas(db_session, "p%", criterio="nombre").cuentas == []
    assert mesa_ayuda.buscar_cuentas(db_session, "__", criterio="nombre").cuentas == []


def test_la_busqueda_se_limita_y_avisa_que_hay_mas(db_session):
    for _ in range(4):
        factories.crear_usuario(apellidos="Zapata")
    resultado = mesa_ayuda.buscar_cuentas(db_session, "zapata", limite=3)
    assert len(resultado.cuentas) == 3 and resultado.hay_mas


@pytest.mark.parametrize(
    ("texto", "mensaje"),
    [("", "Escriba un número"), ("a", "al menos 2 letras"), ("x" * 121, "máximo 120")],
)
def test_la_busqueda_rechaza_textos_vacios_cortos_o_enormes(db_session, texto, mensaje):
    with pytest.raises(ErrorDominio, match=mensaje):
        mesa_ayuda.buscar_cuentas(db_session, texto)


def test_los_resultados_no_llevan_secretos(db_session):
    factories.crear_usuario(numero="777000111")
    cuenta = mesa_ayuda.buscar_cuentas(db_session, "777000111").cuentas[0]
    detalle = mesa_ayuda.consultar_cuenta(db_session, cuenta.id)
    for objeto in (cuenta, detalle):
        campos = {f.name for f in dataclasses.fields(objeto)}
        assert not campos & {"password", "contrasena", "pin", "token", "codigo_hash", "token_hash"}
        assert "scrypt" not in repr(objeto)


def test_cada_consulta_con_resultados_queda_auditada(db_session):
    agente = factories.crear_usuario(roles=["Mesa de ayuda"])
    buscada = factories.crear_usuario(numero="888000111")
    mesa_ayuda.buscar_cuentas(db_session, "888000111", agente_id=agente.id, ip="10.0.0.7")
    mesa_ayuda.buscar_cuentas(db_session, "000000000", agente_id=agente.id)  # no rows: nothing to audit
    mesa_ayuda.consultar_cuenta(db_session, buscada.id, agente_id=agente.id, ip="10.0.0.7")
    db_session.commit()
    filas = db_session.scalars(select(Auditoria).order_by(Auditoria.id)).all()
    assert [(f.accion, f.objeto_id, f.usuario_id, f.ip) for f in filas] == [
        ("busqueda_cuentas", str(buscada.id), agente.id, "10.0.0.7"),
        ("consulta_cuenta", str(buscada.id), agente.id, "10.0.0.7"),
    ]
    assert filas[0].despues["texto"] == "888000111"


def test_reenviar_pin_solo_para_cuentas_pendientes(app, db_session):
    pendiente = factories.crear_usuario(activado=False)
    activa = factories.crear_usuario()
    with app.test_request_context():
        assert mesa_ayuda.reenviar_pin_activacion(db_session, pendiente.id) == pendiente.email
        with pytest.raises(ErrorDominio, match="solo se reenvía el PIN a cuentas pendientes"):
            mesa_ayuda.reenviar_pin_activacion(db_session, activa.id)
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(MensajeCorreo)) == 1
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == "reenvio_pin_activacion"))
    assert fila.objeto_id == str(pendiente.id) and "pin" not in (fila.despues or {})
    assert mesa_ayuda.consultar_cuenta(db_session, pendiente.id).estado == ESTADO_PENDIENTE
