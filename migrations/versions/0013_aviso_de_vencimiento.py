"""When the titular was told that a registro's renewal window opened (app/services/vencimientos.py,
`avisar_vencimientos`, run daily by `flask avisar-vencimientos` and at the start of `make run`)

registro_sanitario.aviso_vencimiento_en: the moment the notice was queued; a renewal (a new vence_en) clears it, so
the next window is told again. The partial index holds only the vigente registros not yet told, by expiry: what
the daily run reads.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("registro_sanitario", sa.Column("aviso_vencimiento_en", sa.DateTime(timezone=True)))
    op.create_index(
        "ix_registro_por_avisar",
        "registro_sanitario",
        ["vence_en"],
        postgresql_where=sa.text("aviso_vencimiento_en IS NULL AND estado = 'Vigente' AND vence_en IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_registro_por_avisar", table_name="registro_sanitario")
    op.drop_column("registro_sanitario", "aviso_vencimiento_en")
