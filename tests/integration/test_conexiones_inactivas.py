"""app/database.comprobar_conexiones_inactivas: only idle pooled connections are pinged, and a dead one is replaced."""

from __future__ import annotations

import time

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def _pid(db) -> int:
    return db.session.scalar(text("SELECT pg_backend_pid()"))


def _envejecer_conexiones(motor, segundos: float) -> None:
    for registro in list(motor.pool._pool.queue):
        registro.info["devuelta_en"] = time.monotonic() - segundos


def test_una_conexion_recien_devuelta_no_se_comprueba(app, monkeypatch):
    from app.extensions import db

    pings = []
    with app.app_context():
        original = db.engine.dialect.do_ping
        monkeypatch.setattr(db.engine.dialect, "do_ping", lambda c: pings.append(1) or original(c))
        _pid(db)
        db.session.remove()
        _pid(db)
        db.session.remove()
        assert pings == []
        _envejecer_conexiones(db.engine, app.config["DB_PING_TRAS_INACTIVIDAD"] + 1)
        _pid(db)
        db.session.remove()
    assert pings == [1]


def test_una_conexion_inactiva_que_el_servidor_cerro_se_reemplaza(app, cliente_mesa_ayuda):
    from app.extensions import db

    with app.app_context():
        muerta = _pid(db)
        db.session.remove()
        aparte = create_engine(db.engine.url, poolclass=NullPool)  # outside the pool, as a server restart would
        with aparte.connect() as otra:
            assert otra.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": muerta})
        aparte.dispose()
        _envejecer_conexiones(db.engine, app.config["DB_PING_TRAS_INACTIVIDAD"] + 1)
    # Whichever connection the request gets, it works: the dead one is pinged, discarded and reopened.
    for _ in range(3):
        r = cliente_mesa_ayuda.get("/mesa-ayuda/")
        assert r.status_code == 200
    with app.app_context():
        assert _pid(db) != muerta
        db.session.remove()
