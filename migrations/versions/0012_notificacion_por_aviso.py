"""Notificación por aviso (Ley 1437 de 2011, art. 69): how and when the aviso reached the addressee

When neither the electronic access nor the personal notification happened within five días hábiles, staff record
the aviso: where it was delivered (the notification address, the notification e-mail, or — the addressee unknown —
its publication on the Invima's web page and notice board for five días), the day it was delivered (or the
publication withdrawn) and to what address. The notification is surtida at the end of the next day
(`notificacion.surtida_en`), with its signed constancia as the other media.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notificacion", sa.Column("aviso_via", sa.String(20)))
    op.add_column("notificacion", sa.Column("aviso_entregado_el", sa.Date))
    op.add_column("notificacion", sa.Column("aviso_destino", sa.String(200)))


def downgrade() -> None:
    op.drop_column("notificacion", "aviso_destino")
    op.drop_column("notificacion", "aviso_entregado_el")
    op.drop_column("notificacion", "aviso_via")
