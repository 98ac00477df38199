"""paginar: Flask-SQLAlchemy's paging with the page number kept in range (app/services/paginas.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models.referencias import Pais
from app.services.paginas import paginar


def test_paginas_en_rango_y_orden_estable(db_session):
    total = db_session.scalar(select(func.count()).select_from(Pais))
    consulta = select(Pais).order_by(Pais.id)
    primera = paginar(db_session, consulta, 1, 50)
    segunda = paginar(db_session, consulta, 2, 50)
    assert primera.total == total and primera.paginas == -(-total // 50)
    assert len(primera.filas) == 50 and primera.pagina == 1
    assert not {p.id for p in primera.filas} & {p.id for p in segunda.filas}
    assert max(p.id for p in primera.filas) < min(p.id for p in segunda.filas)


def test_una_pagina_fuera_de_rango_muestra_la_ultima_o_la_primera(db_session):
    consulta = select(Pais).order_by(Pais.id)
    ultima = paginar(db_session, consulta, 10_000, 50)
    assert ultima.pagina == ultima.paginas and ultima.filas
    assert paginar(db_session, consulta, 0, 50).pagina == 1
    assert paginar(db_session, consulta, 99_999_999_999_999_999_999, 50).pagina == ultima.paginas
    vacia = paginar(db_session, select(Pais).where(Pais.id < 0), 3, 50)
    assert (vacia.filas, vacia.total, vacia.pagina, vacia.paginas) == ([], 0, 1, 1)
