"""Retos de CAPTCHA de un solo uso

reto_captcha: the nonce of every challenge drawn. Checking an answer deletes its row (DELETE … RETURNING),
so the same challenge (a replayed session cookie) is never accepted twice. Old rows are purged by age.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reto_captcha",
        sa.Column("nonce", sa.String(32), primary_key=True),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reto_captcha_creado_en", "reto_captcha", ["creado_en"])


def downgrade():
    op.drop_table("reto_captcha")
