"""Read-only requests end with COMMIT (prepared statements survive); anything that wrote keeps the rollback."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select, text

from app.extensions import db
from app.models.referencias import Pais
from tests import factories
from tests.helpers import cliente_de


@contextmanager
def _finales(app):
    """How this thread's transactions end: a list of "commit" / "rollback"."""
    with app.app_context():
        motor = db.engine
    vistos: list[str] = []

    def commit(conn):
        vistos.append("commit")

    def rollback(conn):
        vistos.append("rollback")

    event.listen(motor, "commit", commit)
    event.listen(motor, "rollback", rollback)
    try:
        yield vistos
    finally:
        event.remove(motor, "commit", commit)
        event.remove(motor, "rollback", rollback)


def test_una_peticion_que_solo_lee_termina_con_commit(app):
    with _finales(app) as finales, app.test_request_context("/"):
        assert db.session.scalar(select(Pais.nombre).where(Pais.codigo == "CO")) == "Colombia"
    assert finales == ["commit"]


def test_una_escritura_sin_confirmar_se_revierte_aunque_no_haya_error(app):
    with _finales(app) as finales, app.test_request_context("/", method="POST"):
        db.session.execute(text("UPDATE pais SET nombre = 'Kolombia' WHERE codigo = 'CO'"))
    assert finales == ["rollback"]
    with app.app_context():
        assert db.session.scalar(select(Pais.nombre).where(Pais.codigo == "CO")) == "Colombia"


def test_un_cambio_pendiente_del_orm_se_revierte(app):
    with _finales(app) as finales, app.test_request_context("/"):
        pais = db.session.scalar(select(Pais).where(Pais.codigo == "CO"))
        pais.nombre = "Kolombia"  # dirty, never flushed
    assert finales == ["rollback"]
    with app.app_context():
        assert db.session.scalar(select(Pais.nombre).where(Pais.codigo == "CO")) == "Colombia"


def test_un_error_deja_el_rollback(app):
    with _finales(app) as finales:
        try:
            with app.test_request_context("/"):
                db.session.scalar(select(Pais.nombre))
                raise RuntimeError("falla")
        except RuntimeError:
            pass
    assert finales == ["rollback"]


def test_las_sentencias_preparadas_sobreviven_entre_peticiones(app):
    """psycopg prepares the user-loading statement after a few requests and PostgreSQL keeps it."""
    with app.app_context():
        usuario = factories.crear_usuario()
        db.engine.dispose()  # one connection from here on: the requests and the check below share it
    cliente = cliente_de(app, usuario)
    for _ in range(8):
        assert cliente.get("/perfil/").status_code == 200
    with app.test_request_context("/"):
        preparadas = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM ab_user" in s and "permisos" in s for s in preparadas), preparadas
