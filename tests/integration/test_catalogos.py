"""Reference lists (Administración): a row referenced between the check and the DELETE stays, with a clear message."""

from __future__ import annotations

import pytest
from flask_appbuilder.exceptions import DatabaseException
from sqlalchemy import select

from app.extensions import db
from app.models.referencias import Departamento
from app.views.crud.referencias import MENSAJE_EN_USO_AHORA, DatosCatalogo


def test_la_llave_foranea_protege_la_fila_y_el_mensaje_es_claro(app):
    with app.test_request_context():
        antioquia = db.session.scalar(select(Departamento).where(Departamento.codigo == "05"))
        datos = DatosCatalogo(Departamento)
        with pytest.raises(DatabaseException) as error:
            datos.delete(antioquia)  # pre_delete skipped: as if a municipio arrived meanwhile
        assert str(error.value) == MENSAJE_EN_USO_AHORA
        assert db.session.scalar(select(Departamento).where(Departamento.codigo == "05")) is not None
