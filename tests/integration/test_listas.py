"""Reference lists in the forms: Spanish alphabetical order, accents do not move a name."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.referencias import Departamento
from app.services import listas


def _nombres(opciones):
    return [nombre for _, nombre in opciones[1:]]


def test_municipios_en_orden_alfabetico_sin_que_las_tildes_los_muevan(app):
    with app.app_context():
        cundinamarca = db.session.scalar(select(Departamento.id).where(Departamento.nombre == "Cundinamarca"))
        nombres = _nombres(listas.opciones_municipio(db.session, cundinamarca))
    assert nombres.index("Cabrera") < nombres.index("Cáqueza") < nombres.index("Chaguaní")
    assert nombres.index("Chía") < nombres.index("Choachí")


def test_departamentos_y_paises_en_orden_alfabetico(app):
    with app.app_context():
        departamentos = _nombres(listas.opciones_departamento(db.session))
        paises = _nombres(listas.opciones_pais(db.session))
    assert departamentos.index("Bolívar") < departamentos.index("Boyacá") < departamentos.index("Caldas")
    assert paises.index("Irán") < paises.index("Irlanda") < paises.index("Islandia")
    assert paises.index("Camerún") < paises.index("Canadá")
