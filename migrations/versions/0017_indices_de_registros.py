"""Registros sanitarios lists that stay flat at a million expedientes (bench/registros.py, RESULTADOS.md 16th
measurement): «Vence» sorts by an index, and the search by estado (app/services/registros.py `en_estado`) counts and
pages from an index that holds the columns the estado is read from

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

DE_EMPRESA = "empresa_id IS NOT NULL"
LEIDAS = ["vence_en", "agotamiento_hasta"]


def upgrade() -> None:
    op.create_index("ix_registro_grupo_vence", "registro_sanitario", ["grupo_id", "vence_en"])
    op.create_index(
        "ix_registro_empresa_vence", "registro_sanitario", ["empresa_id", "vence_en"], postgresql_where=DE_EMPRESA
    )
    op.create_index(
        "ix_registro_grupo_estado",
        "registro_sanitario",
        ["grupo_id", "estado", "otorgado_en", "id"],
        postgresql_include=LEIDAS,
    )
    op.create_index(
        "ix_registro_empresa_estado",
        "registro_sanitario",
        ["empresa_id", "estado", "otorgado_en", "id"],
        postgresql_include=LEIDAS,
        postgresql_where=DE_EMPRESA,
    )


def downgrade() -> None:
    for nombre in ("ix_registro_empresa_estado", "ix_registro_grupo_estado", "ix_registro_empresa_vence"):
        op.drop_index(nombre, table_name="registro_sanitario")
    op.drop_index("ix_registro_grupo_vence", table_name="registro_sanitario")
