"""Desistimiento del recurso de reposición (Ley 1437 de 2011, arts. 81 and 87 numeral 4): the titular withdraws a
recurso not yet resolved; the Invima accepts it with a resolución, and the decision is in firme from the day after
that resolución's notification

recurso.desistido_en / desistido_por_id: when and by whom; recurso.decision 'desiste': the resolución accepted it.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("recurso", sa.Column("desistido_en", sa.DateTime(timezone=True)))
    op.add_column(
        "recurso", sa.Column("desistido_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL"))
    )
    op.drop_constraint("ck_recurso_decision", "recurso", type_="check")
    op.create_check_constraint(
        "ck_recurso_decision",
        "recurso",
        "decision IS NULL OR decision IN ('confirma', 'repone') AND desistido_en IS NULL"
        " OR decision = 'desiste' AND desistido_en IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_constraint("ck_recurso_decision", "recurso", type_="check")
    op.execute("UPDATE recurso SET decision = 'confirma' WHERE decision = 'desiste'")
    op.create_check_constraint(
        "ck_recurso_decision", "recurso", "decision IS NULL OR decision IN ('confirma', 'repone')"
    )
    op.drop_column("recurso", "desistido_por_id")
    op.drop_column("recurso", "desistido_en")
