"""Recurso de reposición against a resolución, and the expediente «En recurso» while the Invima resolves it

- recurso: one per act (acto_id unique): the titular's written motives (Ley 1437 de 2011 art. 77), an optional PDF
  of pruebas kept by SHA-256 in the document store, who filed it and when, the day the Invima must resolve it by
  (art. 86: two months), and, once resolved, the decision (confirma / repone) and the resolución that resolved it.
- acto_administrativo.clase gains 'recurso' (the resolución that resolves a recurso).
- expediente.estado gains 'En recurso'.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ESTADOS = (
    "'Borrador', 'Radicado', 'Asignado', 'En verificación', 'Requerimiento enviado', 'Requerimiento respondido', "
    "'Aprobado', 'Negado', 'Desistido'"
)
CLASES = "'requerimiento', 'aprobacion', 'negacion', 'desistimiento'"


def _restricciones(estados: str, clases: str) -> None:
    op.drop_constraint("ck_expediente_estado", "expediente", type_="check")
    op.create_check_constraint("ck_expediente_estado", "expediente", f"estado IN ({estados})")
    op.drop_constraint("ck_acto_clase", "acto_administrativo", type_="check")
    op.create_check_constraint("ck_acto_clase", "acto_administrativo", f"clase IN ({clases})")


def upgrade() -> None:
    _restricciones(f"{ESTADOS}, 'En recurso'", f"{CLASES}, 'recurso'")
    op.create_table(
        "recurso",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "expediente_id",
            sa.Integer,
            sa.ForeignKey("expediente.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "acto_id",
            sa.Integer,
            sa.ForeignKey("acto_administrativo.id", ondelete="RESTRICT"),
            nullable=False,
            unique=True,
        ),
        sa.Column("presentado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("presentado_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("motivos", sa.Text, nullable=False),
        sa.Column("pruebas_sha256", sa.String(64)),
        sa.Column("pruebas_nombre", sa.String(255)),
        sa.Column("resolver_hasta", sa.Date, nullable=False),
        sa.Column("decision", sa.String(12)),
        sa.Column(
            "resuelto_por_id",
            sa.Integer,
            sa.ForeignKey("acto_administrativo.id", ondelete="RESTRICT"),
            unique=True,
        ),
        sa.CheckConstraint("decision IS NULL OR decision IN ('confirma', 'repone')", name="ck_recurso_decision"),
    )


def downgrade() -> None:
    op.drop_table("recurso")
    _restricciones(ESTADOS, CLASES)
