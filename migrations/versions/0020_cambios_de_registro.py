"""cambio_registro: a renovación, cancelación or autorización de agotamiento approved for a registro, applied when
its resolución is notified (Ley 1437 de 2011, art. 72), not when it is signed (app/services/registros.py).

Changes approved before this migration were applied at approval: they are recorded as applied that day.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# What the approvals before this migration did, read from the expedientes that cite a registro (their trámite's
# tipo) and their approving resolución: applied on the day of the resolución, as they were.
YA_APLICADOS = """
INSERT INTO cambio_registro (registro_id, expediente_id, acto_id, tipo, vence_en, agotamiento_hasta, creado_en,
                             aplicado_en)
SELECT e.registro_id, e.id, a.id, v.tipo,
       CASE WHEN v.tipo = 'renovacion' THEN r.vence_en END,
       CASE WHEN v.tipo = 'agotamiento' THEN r.agotamiento_hasta END,
       a.emitido_en, (a.emitido_en AT TIME ZONE 'America/Bogota')::date
FROM expediente AS e
JOIN tramite_version AS v ON v.id = e.tramite_version_id
JOIN registro_sanitario AS r ON r.id = e.registro_id
JOIN acto_administrativo AS a ON a.expediente_id = e.id AND a.clase = 'aprobacion'
WHERE v.tipo IN ('renovacion', 'cancelacion', 'agotamiento') AND e.estado = 'Aprobado'
"""


def upgrade() -> None:
    op.create_table(
        "cambio_registro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registro_id", sa.Integer(), nullable=False),
        sa.Column("expediente_id", sa.Integer(), nullable=False),
        sa.Column("acto_id", sa.Integer(), nullable=True),
        sa.Column("tipo", sa.String(length=20), nullable=False),
        sa.Column("vence_en", sa.Date(), nullable=True),
        sa.Column("agotamiento_hasta", sa.Date(), nullable=True),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aplicado_en", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "tipo IN ('renovacion', 'cancelacion', 'agotamiento')", name="ck_cambio_registro_tipo"
        ),
        sa.ForeignKeyConstraint(["acto_id"], ["acto_administrativo.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["expediente_id"], ["expediente.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["registro_id"], ["registro_sanitario.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("acto_id"),
    )
    op.create_index("ix_cambio_registro_registro_id", "cambio_registro", ["registro_id"])
    op.execute(YA_APLICADOS)


def downgrade() -> None:
    op.drop_index("ix_cambio_registro_registro_id", table_name="cambio_registro")
    op.drop_table("cambio_registro")
