"""A pooled connection the server closed (restart, firewall) is replaced before a request uses it (pool_pre_ping)."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def _pid(db) -> int:
    return db.session.scalar(text("SELECT pg_backend_pid()"))


def test_una_conexion_que_el_servidor_cerro_se_reemplaza(app, cliente_mesa_ayuda):
    from app.extensions import db

    with app.app_context():
        muerta = _pid(db)
        db.session.remove()
        aparte = create_engine(db.engine.url, poolclass=NullPool)  # outside the pool, as a server restart would
        with aparte.connect() as otra:
            assert otra.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": muerta})
        aparte.dispose()
    # Whichever connection the request gets, it works: the dead one is pinged, discarded and reopened.
    for _ in range(3):
        r = cliente_mesa_ayuda.get("/mesa-ayuda/")
        assert r.status_code == 200
    with app.app_context():
        assert _pid(db) != muerta
        db.session.remove()
