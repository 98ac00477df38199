"""Registros sanitarios in their estado: cancelled and en agotamiento as the decisions leave them, and read per titular

- registro_sanitario.cancelado_en: the day the approval of a cancelación left it «Cancelado».
- registro_sanitario.agotamiento_hasta: the end of an authorised agotamiento de existencias (the approval of an
  «agotamiento» trámite; the family's months, `familia_producto.agotamiento_meses`; NULL where the guide gives none).
- «Vencido» is not stored: it is the vigencia (or the agotamiento) past, read against today (app/services/registros.py).
- The lists' order: newest first, a titular's or a grupo's (Trámites → Mis registros sanitarios, Revisión →
  Registros sanitarios); either sorts by expiry on request.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("registro_sanitario", sa.Column("cancelado_en", sa.Date))
    op.add_column("registro_sanitario", sa.Column("agotamiento_hasta", sa.Date))
    op.create_index(
        "ix_registro_empresa_otorgado",
        "registro_sanitario",
        ["empresa_id", "otorgado_en", "id"],
        postgresql_where=sa.text("empresa_id IS NOT NULL"),
    )
    op.create_index(
        "ix_registro_persona_otorgado",
        "registro_sanitario",
        ["persona_id", "otorgado_en", "id"],
        postgresql_where=sa.text("persona_id IS NOT NULL"),
    )
    op.create_index("ix_registro_grupo_otorgado", "registro_sanitario", ["grupo_id", "otorgado_en", "id"])


def downgrade() -> None:
    op.drop_index("ix_registro_grupo_otorgado", table_name="registro_sanitario")
    op.drop_index("ix_registro_persona_otorgado", table_name="registro_sanitario")
    op.drop_index("ix_registro_empresa_otorgado", table_name="registro_sanitario")
    op.drop_column("registro_sanitario", "agotamiento_hasta")
    op.drop_column("registro_sanitario", "cancelado_en")
