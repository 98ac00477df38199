"""Migrations and models agree, and every migration can be undone and redone (issue 10 §7)."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.helpers import ROOT, TEST_DB


def test_los_modelos_y_las_migraciones_coinciden(app):
    """What `flask db migrate` would generate now is empty: no model change is missing its migration."""
    from flask_appbuilder import Model

    from app.extensions import db

    with app.app_context(), db.engine.connect() as conexion:
        diferencias = compare_metadata(MigrationContext.configure(conexion), Model.metadata)
    assert diferencias == []


_IDA_Y_VUELTA = """
import sys
from flask_migrate import downgrade, upgrade
from app import create_app

app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1])
with app.app_context():
    upgrade()
    downgrade(revision="base")
    upgrade()
print("ida y vuelta")
"""


def test_las_migraciones_suben_bajan_y_vuelven_a_subir(database_url):
    """upgrade → downgrade to nothing → upgrade, on an empty database of its own."""
    from app.database import servidor_embebido, url_de

    nombre = f"{TEST_DB}_migraciones"
    servidor = servidor_embebido(str(ROOT / "instance"))
    servidor.psql(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE);')
    servidor.psql(f'CREATE DATABASE "{nombre}";')
    try:
        salida = subprocess.run(
            [sys.executable, "-c", _IDA_Y_VUELTA, url_de(servidor, nombre)],
            cwd=ROOT,
            env={**os.environ, "APP_ENV": "testing"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert salida.returncode == 0, salida.stderr[-3000:]
        assert "ida y vuelta" in salida.stdout
    finally:
        servidor.psql(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE);')
