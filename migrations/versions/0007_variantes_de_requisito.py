"""Requisitos de una sola variante del trámite

requisito.variantes: the tarifa variants («Certificado con observaciones», …) a requisito belongs to; empty = every
variant. 002 asks the «oficio que indique qué observaciones…» only of the CVL with observations: data, not a note.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "requisito",
        sa.Column("variantes", postgresql.ARRAY(sa.String(150)), nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade():
    op.drop_column("requisito", "variantes")
