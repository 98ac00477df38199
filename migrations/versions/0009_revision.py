"""Invima back office: grupos de revisión, funcionarios, the queue's columns, checklist verification, VoBo, timeline

- grupo_revision owns families of the catalog (familia_producto.grupo_id); a funcionario (a platform user with a
  staff role: Coordinador, Revisor legal, Revisor técnico) has a código (the «Código» next to each VoBo of FM003)
  and belongs to one or more grupos.
- tramite_version.termino_decision_dias: the decision term in días hábiles (catalog data; seed/data/catalogo/LEEME.md
  records the ruling). requisito.parte: whether the legal or the technical reviewer verifies it (legal requisitos
  backfilled here from the same list seed/data/catalogo/revision.toml ships; the catalog's immutability triggers are
  disabled for that one statement).
- expediente: at radicación it takes the grupo and family that review it and the legal clock (term, días used,
  running since, due date); a coordinator assigns it; its estado follows the review (the column widened to 30
  characters for «Requerimiento respondido»).
- verificacion_requisito: the VERIFICACIÓN of each requisito (Cumple / No cumple / No aplica, observación);
  vobo: VoBo Legal / Técnico with código and fecha, withdrawn only by a coordinator (kept, not deleted);
  evento_expediente: the timeline (what the applicant sees is marked `publico`).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Frozen copy of seed/data/catalogo/revision.toml's [partes].legales at the time of this migration.
_LEGALES = (
    "formulario",
    "representacion_legal",
    "representante_legal",
    "poder",
    "memorial",
    "memorial_plaguicidas",
    "solicitud_firmada",
    "oficio_solicitud",
    "oficio_observaciones",
    "datos_titular",
    "datos_transaccion",
    "comprobante_pago",
    "recibo_pago",
    "autorizacion_tasa_tercero",
    "factura",
    "certificado_contador",
    "existencia_titular",
    "existencia_fabricante",
    "existencia_importador",
    "relacion_roles",
    "contrato_fabricacion",
    "certificado_sic_marca",
    "certificado_oficial_marca",
    "apostilla",
    "traduccion_oficial",
    "notificacion_electronica",
    "declaracion_veracidad",
    "declaracion_jurada",
    "declaracion_comercializacion",
    "aceptacion_terminos",
    "causa",
    "motivo",
    "tramite_desistido",
    "documentos_a_desglosar",
    "datos_registro",
    "datos_producto",
)
ESTADOS = (
    "'Borrador', 'Radicado', 'Asignado', 'En verificación', 'Requerimiento enviado', 'Requerimiento respondido', "
    "'Aprobado', 'Negado', 'Desistido'"
)


def _staff():
    op.create_table(
        "grupo_revision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("codigo", sa.String(40), nullable=False, unique=True),
        sa.Column("nombre", sa.String(150), nullable=False),
        sa.Column("descripcion", sa.Text),
    )
    op.add_column("familia_producto", sa.Column("grupo_id", sa.Integer, sa.ForeignKey("grupo_revision.id")))
    op.create_table(
        "funcionario",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("codigo", sa.String(20), nullable=False),
        sa.Column("activo", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("usuario_id", name="uq_funcionario_usuario"),
        sa.UniqueConstraint("codigo", name="uq_funcionario_codigo"),
    )
    op.create_table(
        "funcionario_grupo",
        sa.Column("funcionario_id", sa.Integer, sa.ForeignKey("funcionario.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("grupo_id", sa.Integer, sa.ForeignKey("grupo_revision.id", ondelete="CASCADE"), primary_key=True),
    )


def _catalogo():
    op.add_column(
        "tramite_version",
        sa.Column("termino_decision_dias", sa.Integer, nullable=False, server_default=sa.text("15")),
    )
    op.create_check_constraint(
        "ck_tramite_version_termino", "tramite_version", "termino_decision_dias BETWEEN 1 AND 365"
    )
    op.add_column("requisito", sa.Column("parte", sa.String(8), nullable=False, server_default="tecnico"))
    op.create_check_constraint("ck_requisito_parte", "requisito", "parte IN ('legal', 'tecnico')")
    op.execute("ALTER TABLE requisito DISABLE TRIGGER USER")
    op.execute(
        sa.text("UPDATE requisito SET parte = 'legal' WHERE codigo = ANY(:legales)").bindparams(legales=list(_LEGALES))
    )
    op.execute("ALTER TABLE requisito ENABLE TRIGGER USER")


def _expediente():
    op.add_column("expediente", sa.Column("grupo_id", sa.Integer, sa.ForeignKey("grupo_revision.id")))
    op.add_column("expediente", sa.Column("familia_id", sa.Integer, sa.ForeignKey("familia_producto.id")))
    op.add_column(
        "expediente", sa.Column("asignado_a_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL"))
    )
    op.add_column("expediente", sa.Column("asignado_en", sa.DateTime(timezone=True)))
    op.add_column("expediente", sa.Column("termino_dias", sa.Integer))
    op.add_column("expediente", sa.Column("dias_usados", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.add_column("expediente", sa.Column("reloj_desde", sa.Date))
    op.add_column("expediente", sa.Column("vence_en", sa.Date))
    op.add_column("expediente", sa.Column("decidido_en", sa.DateTime(timezone=True)))
    # «Requerimiento respondido» has 24 characters: the estado column of 0008 (20) is widened.
    op.alter_column("expediente", "estado", type_=sa.String(30), existing_type=sa.String(20), existing_nullable=False)
    op.drop_constraint("ck_expediente_estado", "expediente")
    op.create_check_constraint("ck_expediente_estado", "expediente", f"estado IN ({ESTADOS})")
    # The queue: radicated expedientes by legal due date (NULL — suspended or decided — last), per grupo, per
    # assignee, and for whoever sees several grupos.
    donde = sa.text("radicado IS NOT NULL")
    op.create_index("ix_expediente_cola", "expediente", ["vence_en", "id"], postgresql_where=donde)
    op.create_index("ix_expediente_cola_grupo", "expediente", ["grupo_id", "vence_en", "id"], postgresql_where=donde)
    # The grupo in the leaf: «asignados a mí» is scoped to the funcionario's grupos and counted from the index alone.
    op.create_index(
        "ix_expediente_cola_asignado",
        "expediente",
        ["asignado_a_id", "vence_en", "id"],
        postgresql_include=["grupo_id"],
        postgresql_where=donde,
    )


def _revision():
    op.create_table(
        "verificacion_requisito",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("expediente_id", sa.Integer, sa.ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False),
        sa.Column("clave", sa.String(60), nullable=False),
        sa.Column("parte", sa.String(8), nullable=False),
        sa.Column("resultado", sa.String(12), nullable=False),
        sa.Column("observacion", sa.Text),
        sa.Column("por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("en", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("expediente_id", "clave", name="uq_verificacion_requisito_clave"),
        sa.CheckConstraint("resultado IN ('Cumple', 'No cumple', 'No aplica')", name="ck_verificacion_resultado"),
        sa.CheckConstraint(
            "resultado <> 'No cumple' OR length(btrim(coalesce(observacion, ''))) > 0",
            name="ck_verificacion_observacion",
        ),
        sa.CheckConstraint("parte IN ('legal', 'tecnico')", name="ck_verificacion_parte"),
    )
    op.create_table(
        "vobo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("expediente_id", sa.Integer, sa.ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parte", sa.String(8), nullable=False),
        sa.Column("por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("codigo", sa.String(20), nullable=False),
        sa.Column("fecha", sa.Date, nullable=False),
        sa.Column("en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retirado_en", sa.DateTime(timezone=True)),
        sa.Column("retirado_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("motivo_retiro", sa.Text),
        sa.CheckConstraint("parte IN ('legal', 'tecnico')", name="ck_vobo_parte"),
        sa.CheckConstraint("(retirado_en IS NULL) = (motivo_retiro IS NULL)", name="ck_vobo_retiro"),
    )
    op.create_index(
        "uq_vobo_vigente",
        "vobo",
        ["expediente_id", "parte"],
        unique=True,
        postgresql_where=sa.text("retirado_en IS NULL"),
    )
    op.create_table(
        "evento_expediente",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("expediente_id", sa.Integer, sa.ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False),
        sa.Column("en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tipo", sa.String(40), nullable=False),
        sa.Column("detalle", sa.Text),
        sa.Column("por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("publico", sa.Boolean, nullable=False),
    )
    op.create_index("ix_evento_expediente", "evento_expediente", ["expediente_id", "en", "id"])


def upgrade():
    _staff()
    _catalogo()
    _expediente()
    _revision()


def downgrade():
    op.drop_table("evento_expediente")
    op.drop_index("uq_vobo_vigente", table_name="vobo")
    op.drop_table("vobo")
    op.drop_table("verificacion_requisito")
    for indice in ("ix_expediente_cola_asignado", "ix_expediente_cola_grupo", "ix_expediente_cola"):
        op.drop_index(indice, table_name="expediente")
    op.drop_constraint("ck_expediente_estado", "expediente")
    op.create_check_constraint("ck_expediente_estado", "expediente", "estado IN ('Borrador', 'Radicado')")
    op.alter_column("expediente", "estado", type_=sa.String(20), existing_type=sa.String(30), existing_nullable=False)
    for columna in (
        "decidido_en",
        "vence_en",
        "reloj_desde",
        "dias_usados",
        "termino_dias",
        "asignado_en",
        "asignado_a_id",
        "familia_id",
        "grupo_id",
    ):
        op.drop_column("expediente", columna)
    op.drop_constraint("ck_requisito_parte", "requisito")
    op.drop_column("requisito", "parte")
    op.drop_constraint("ck_tramite_version_termino", "tramite_version")
    op.drop_column("tramite_version", "termino_decision_dias")
    op.drop_table("funcionario_grupo")
    op.drop_table("funcionario")
    op.drop_column("familia_producto", "grupo_id")
    op.drop_table("grupo_revision")
