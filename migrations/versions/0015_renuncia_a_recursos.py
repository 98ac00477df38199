"""Renuncia expresa al recurso (Ley 1437 de 2011, art. 87 numeral 3): the titular gives up the term to file a recurso
de reposición against a notified decision, which is then in firme from the next day

notificacion.renuncia_en / renuncia_por_id: when and by whom (the act's notification is where the term starts).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notificacion", sa.Column("renuncia_en", sa.DateTime(timezone=True)))
    op.add_column(
        "notificacion",
        sa.Column("renuncia_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
    )


def downgrade() -> None:
    op.drop_column("notificacion", "renuncia_por_id")
    op.drop_column("notificacion", "renuncia_en")
