"""Registro sanitario «Pendiente de notificación»: granted by a resolución not yet notified, it has no legal effect
until then (Ley 1437 de 2011, art. 72); the notification makes it «Vigente» (app/services/registros.py
`al_notificar`). The estado grows to 30 characters; registros already granted by an approval that is not notified
yet take the new estado.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ANTES = "estado IN ('Vigente', 'Vencido', 'Cancelado', 'En agotamiento')"
DESPUES = "estado IN ('Pendiente de notificación', 'Vigente', 'Vencido', 'Cancelado', 'En agotamiento')"
POR_NOTIFICAR = """
UPDATE registro_sanitario AS r SET estado = 'Pendiente de notificación'
FROM expediente AS e JOIN tramite_version AS v ON v.id = e.tramite_version_id
WHERE e.id = r.expediente_id AND v.tipo IN ('registro', 'notificacion')
  AND r.estado = 'Vigente' AND r.acto_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM notificacion AS n WHERE n.acto_id = r.acto_id AND n.surtida_en IS NOT NULL)
"""


def upgrade() -> None:
    op.alter_column("registro_sanitario", "estado", type_=sa.String(30), existing_nullable=False)
    op.drop_constraint("ck_registro_estado", "registro_sanitario", type_="check")
    op.create_check_constraint("ck_registro_estado", "registro_sanitario", DESPUES)
    op.execute(POR_NOTIFICAR)


def downgrade() -> None:
    op.execute("UPDATE registro_sanitario SET estado = 'Vigente' WHERE estado = 'Pendiente de notificación'")
    op.drop_constraint("ck_registro_estado", "registro_sanitario", type_="check")
    op.create_check_constraint("ck_registro_estado", "registro_sanitario", ANTES)
    op.alter_column("registro_sanitario", "estado", type_=sa.String(20), existing_nullable=False)
