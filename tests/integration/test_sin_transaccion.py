"""app/db/sin_transaccion.py: the help desk's search runs in autocommit (no BEGIN/COMMIT); every other view does not."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from tests import factories
from tests.helpers import contar_sentencias


def modos_de_las_sentencias(app):
    """(autocommit?, statement) for every statement this thread runs."""
    return contar_sentencias(app, lambda conn, statement: (conn.connection.dbapi_connection.autocommit, statement))


def test_la_busqueda_va_sin_transaccion_y_su_auditoria_queda_escrita(app, cliente_mesa_ayuda):
    with app.app_context():
        buscada = factories.crear_usuario(numero="1032456780")
        buscada_id = buscada.id
    with modos_de_las_sentencias(app) as vistos:
        r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=1032456780")
    assert r.status_code == 200 and "1032456780" in r.get_data(as_text=True)
    assert len(vistos) == 2 and all(autocommit for autocommit, _ in vistos), vistos
    with app.app_context():
        fila = db.session.scalars(select(Auditoria).where(Auditoria.accion == "busqueda_cuentas")).one()
        assert fila.objeto_id == str(buscada_id)


def test_las_demas_vistas_siguen_en_una_transaccion_tambien_en_la_misma_conexion(app, cliente_mesa_ayuda):
    with app.app_context():
        buscada_id = factories.crear_usuario(numero="1032456781").id
    for _ in range(2):  # the pooled connection the search used comes back in its usual mode
        with modos_de_las_sentencias(app) as en_busqueda:
            assert cliente_mesa_ayuda.get("/mesa-ayuda/?q=1032456781").status_code == 200
        with modos_de_las_sentencias(app) as en_detalle:
            assert cliente_mesa_ayuda.get(f"/mesa-ayuda/cuenta/{buscada_id}").status_code == 200
        with modos_de_las_sentencias(app) as en_inicio:
            assert cliente_mesa_ayuda.get("/").status_code == 200
        assert en_busqueda and all(autocommit for autocommit, _ in en_busqueda)
        assert en_detalle and not any(autocommit for autocommit, _ in en_detalle), en_detalle
        assert en_inicio and not any(autocommit for autocommit, _ in en_inicio)


def test_una_busqueda_rechazada_tampoco_deja_nada_a_medias(app, cliente_mesa_ayuda):
    r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=a&criterio=nombre")
    assert r.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Auditoria).where(Auditoria.accion == "busqueda_cuentas")).all() == []
