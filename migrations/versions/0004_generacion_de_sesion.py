"""Generación de sesión por cuenta

ab_user.generacion_sesion: every session remembers the generation it was opened in; logout, password
change and password reset increase it, so every other session of the account ends on its next request.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("ab_user", sa.Column("generacion_sesion", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("ab_user", "generacion_sesion")
