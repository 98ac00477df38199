"""Registro sanitario `efectos_desde`: the first day the granting resolución has effect. A notification por aviso
surte at the end of the day after the aviso arrived (Ley 1437 de 2011, art. 69), so the registro it makes «Vigente»
reads «Pendiente de notificación» until the next day (app/services/registros.py `estado_en`, `en_estado`). The
indexes the search by estado counts from hold the new column too (as 0017 did for the others). Registros already
notified take the day from their notification.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

DE_EMPRESA = "empresa_id IS NOT NULL"
INDICES = {  # name → (columns, partial WHERE)
    "ix_registro_grupo_estado": (["grupo_id", "estado", "otorgado_en", "id"], None),
    "ix_registro_empresa_estado": (["empresa_id", "estado", "otorgado_en", "id"], DE_EMPRESA),
}
NOTIFICADOS = """
UPDATE registro_sanitario AS r
SET efectos_desde = (n.surtida_en AT TIME ZONE 'America/Bogota')::date + CASE WHEN n.aviso_via IS NULL THEN 0 ELSE 1 END
FROM notificacion AS n
WHERE n.acto_id = r.acto_id AND n.surtida_en IS NOT NULL AND r.estado = 'Vigente'
"""


def _indices(leidas: list[str]) -> None:
    for nombre, (columnas, donde) in INDICES.items():
        op.drop_index(nombre, table_name="registro_sanitario")
        op.create_index(
            nombre, "registro_sanitario", columnas, postgresql_include=leidas, postgresql_where=donde and sa.text(donde)
        )


def upgrade() -> None:
    op.add_column("registro_sanitario", sa.Column("efectos_desde", sa.Date(), nullable=True))
    op.execute(NOTIFICADOS)
    _indices(["vence_en", "agotamiento_hasta", "efectos_desde"])


def downgrade() -> None:
    _indices(["vence_en", "agotamiento_hasta"])
    op.drop_column("registro_sanitario", "efectos_desde")
