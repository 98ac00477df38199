"""The help-desk look-up writes its audit row in its own statement (a data-modifying CTE), same columns as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from app.models.auditoria import Auditoria
from app.services import auditoria, mesa_ayuda
from app.services.reloj import ahora
from tests import factories


def _filas(db_session):
    return db_session.scalars(select(Auditoria).order_by(Auditoria.id)).all()


def test_la_busqueda_y_su_auditoria_son_una_sola_sentencia(db_session):
    agente_id = factories.crear_usuario(roles=["Mesa de ayuda"]).id
    buscada_id = factories.crear_usuario(numero="888000222").id
    sentencias = []

    def contar(conn, cursor, statement, *_args):
        sentencias.append(statement)

    motor = db_session.get_bind()
    event.listen(motor, "before_cursor_execute", contar)
    try:
        antes = ahora()
        resultado = mesa_ayuda.buscar_cuentas(db_session, "888000222", agente_id=agente_id, ip="10.0.0.8")
    finally:
        event.remove(motor, "before_cursor_execute", contar)
    assert [c.id for c in resultado.cuentas] == [buscada_id]
    assert len(sentencias) == 1 and "INSERT INTO auditoria" in sentencias[0], sentencias
    # Already in the caller's transaction, without a flush; the caller commits it.
    (fila,) = _filas(db_session)
    assert (fila.accion, fila.objeto, fila.objeto_id, fila.usuario_id, fila.ip, fila.empresa_id, fila.antes) == (
        "busqueda_cuentas",
        "Usuario",
        str(buscada_id),
        agente_id,
        "10.0.0.8",
        None,
        None,
    )
    assert fila.despues == {"criterio": "identificacion", "texto": "888000222", "resultados": [buscada_id]}
    assert antes - timedelta(seconds=1) <= fila.creado_en <= ahora() + timedelta(seconds=1)


def test_audita_los_ids_mostrados_en_su_orden_y_objeto_id_solo_con_uno(db_session):
    zapatas = [factories.crear_usuario(nombres=n, apellidos="Zapata") for n in ("Diana", "Berta", "Carla", "Ana")]
    resultado = mesa_ayuda.buscar_cuentas(db_session, " zapata ", limite=3)
    mostrados = [c.id for c in resultado.cuentas]
    assert resultado.hay_mas and len(mostrados) == 3
    assert mostrados == [z.id for z in sorted(zapatas, key=lambda z: z.first_name)][:3]
    (fila,) = _filas(db_session)
    assert fila.objeto_id is None and fila.usuario_id is None
    assert fila.despues == {"criterio": "nombre", "texto": "zapata", "resultados": mostrados}


@pytest.mark.parametrize("texto", ["000000000", "nadie@correo.test", "Zyxw"])
def test_sin_resultados_no_se_escribe_fila(db_session, texto):
    factories.crear_usuario()
    assert mesa_ayuda.buscar_cuentas(db_session, texto, agente_id=None).cuentas == []
    assert _filas(db_session) == []


def test_la_ip_se_recorta_como_en_registrar(db_session):
    factories.crear_usuario(email="ip.larga@correo.test")
    ip = "f" * 60
    mesa_ayuda.buscar_cuentas(db_session, "ip.larga@correo.test", ip=ip)
    auditoria.registrar(db_session, "otra", "Usuario", 1, None, ip=ip)
    db_session.flush()
    assert [f.ip for f in _filas(db_session)] == [ip[:45], ip[:45]]


def test_las_filas_pendientes_del_orm_conservan_el_orden(db_session):
    factories.crear_usuario(numero="888000333")
    auditoria.registrar(db_session, "accion_previa", "Usuario", 1, None)
    mesa_ayuda.buscar_cuentas(db_session, "888000333")
    assert [f.accion for f in _filas(db_session)] == ["accion_previa", "busqueda_cuentas"]


def test_la_fila_de_la_busqueda_sigue_siendo_de_solo_insercion(db_session):
    factories.crear_usuario(numero="888000444")
    mesa_ayuda.buscar_cuentas(db_session, "888000444")
    db_session.commit()
    with pytest.raises(DBAPIError):
        db_session.execute(text("UPDATE auditoria SET ip = NULL"))
    db_session.rollback()
    with pytest.raises(DBAPIError):
        db_session.execute(text("DELETE FROM auditoria"))
    db_session.rollback()
    assert len(_filas(db_session)) == 1
