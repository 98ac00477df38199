"""Migrations and models agree, and every migration can be undone and redone (issue 10 §7).

FAB's own tables (ab_*) are compared too: migration 0001 creates them (nothing calls create_all), so they are
part of the schema the migrations own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.helpers import ROOT, TEST_DB

# As strict as autogenerate can be: column types and server defaults count as differences.
OPCIONES_DE_COMPARACION = {"compare_type": True, "compare_server_default": True}


def test_los_modelos_y_las_migraciones_coinciden(app):
    """What `flask db migrate` would generate now is empty: no model change is missing its migration."""
    from flask_appbuilder import Model

    from app.extensions import db

    with app.app_context(), db.engine.connect() as conexion:
        tablas = set(db.inspect(conexion).get_table_names())
        diferencias = compare_metadata(
            MigrationContext.configure(conexion, opts=OPCIONES_DE_COMPARACION), Model.metadata
        )
    assert diferencias == []
    assert {"ab_user", "ab_role", "ab_permission_view", "empresa", "auditoria"} <= tablas  # FAB's and the app's


_IDA_Y_VUELTA = """
import json, sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db

# Everything a migration can create in the public schema, in a form that compares across two creations.
ESQUEMA = {
    "columnas": "SELECT table_name, column_name, data_type, is_nullable, column_default "
    "FROM information_schema.columns WHERE table_schema = 'public'",
    "restricciones": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
    "indices": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "secuencias": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'",
    "funciones": "SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
    "disparadores": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE NOT tgisinternal",
    "tipos": "SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')",
}


def esquema():
    with db.engine.connect() as conexion:
        return {
            clave: sorted([str(v) for v in fila] for fila in conexion.execute(db.text(sql)))
            for clave, sql in ESQUEMA.items()
        }


app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1])
with app.app_context():
    upgrade()
    primera = esquema()
    downgrade(revision="base")
    vacio = esquema()
    upgrade()
    segunda = esquema()
    with db.engine.connect() as conexion:
        opciones = {"compare_type": True, "compare_server_default": True}
        diferencias = compare_metadata(MigrationContext.configure(conexion, opts=opciones), Model.metadata)
print(json.dumps({"primera": primera, "vacio": vacio, "segunda": segunda, "diferencias": [str(d) for d in diferencias]}))
"""


def test_las_migraciones_suben_bajan_y_vuelven_a_subir(database_url):
    """upgrade → downgrade to nothing → upgrade, on an empty database of its own: the downgrade leaves nothing
    behind (tables, sequences, functions, triggers, types) and the second upgrade builds the very same schema,
    which matches the models."""
    from app.db.embebido import servidor_embebido, url_de

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
        resultado = json.loads(salida.stdout.strip().splitlines()[-1])
    finally:
        servidor.psql(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE);')

    vacio = resultado["vacio"]
    assert {tabla for tabla, *_ in vacio["columnas"]} == {"alembic_version"}, vacio["columnas"]
    for clave in ("secuencias", "funciones", "disparadores", "tipos"):
        assert vacio[clave] == [], f"la bajada a base dejó {clave}: {vacio[clave]}"
    assert [i for i in vacio["indices"] if i[0] != "alembic_version"] == []

    primera, segunda = resultado["primera"], resultado["segunda"]
    assert primera["funciones"] and primera["disparadores"]  # the audit trigger really was compared
    for clave in primera:
        assert segunda[clave] == primera[clave], f"{clave} cambió tras bajar y volver a subir"
    assert resultado["diferencias"] == []
