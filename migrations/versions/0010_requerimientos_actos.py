"""Requerimientos on the legal clock, administrative acts, registros sanitarios / NSO, electronic notification

- requerimiento (+ requerimiento_item): drafted from the *No cumple* observations, approved and sent by a
  coordinator (the clock stops), answered by the applicant within a month, extendable once (Ley 1437 art. 17 as
  amended by Ley 1755 de 2015); respuesta_anexo keeps each new document with its hash, the old ones stay.
- acto_administrativo: the numbered auto (requerimiento) or resolución (aprobación, negación, desistimiento), gapless
  per type and year (contador_acto, as contador_radicado), its signed PDF by SHA-256 and a verification code hash.
- registro_sanitario: the registro / NSO an approval grants (número, titular, producto, dates, estado), which later
  renewals, modifications and certificates refer to (expediente.registro_id); familia_producto.formato_registro
  and clase_registro say how its number is written and what it is called (numbered per format and year).
- notificacion: one per act; electronic (single-use token kept as its hash; the first access records when, who,
  from where and the act's hash), personal (recorded by staff) or pending «por aviso».

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _fk(tabla: str, ondelete: str | None = None):
    return sa.ForeignKey(f"{tabla}.id", ondelete=ondelete) if ondelete else sa.ForeignKey(f"{tabla}.id")


def _actos():
    op.create_table(
        "contador_acto",
        sa.Column("tipo", sa.String(12), primary_key=True),
        sa.Column("anio", sa.Integer, primary_key=True),
        sa.Column("ultimo", sa.Integer, nullable=False),
    )
    op.create_table(
        "acto_administrativo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("expediente_id", sa.Integer, _fk("expediente", "RESTRICT"), nullable=False, index=True),
        sa.Column("clase", sa.String(20), nullable=False),
        sa.Column("tipo", sa.String(12), nullable=False),
        sa.Column("anio", sa.Integer, nullable=False),
        sa.Column("numero", sa.Integer, nullable=False),
        sa.Column("motivacion", sa.Text, nullable=False),
        sa.Column("emitido_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("emitido_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("codigo_verificacion", sa.String(64), nullable=False),
        sa.UniqueConstraint("tipo", "anio", "numero", name="uq_acto_tipo_anio_numero"),
        sa.CheckConstraint(
            "clase IN ('requerimiento', 'aprobacion', 'negacion', 'desistimiento')", name="ck_acto_clase"
        ),
        sa.CheckConstraint("tipo IN ('Auto', 'Resolución')", name="ck_acto_tipo"),
    )


def _registros():
    op.add_column("familia_producto", sa.Column("formato_registro", sa.String(40)))
    op.add_column("familia_producto", sa.Column("clase_registro", sa.String(60)))
    op.create_table(
        "contador_registro",
        sa.Column("serie", sa.String(40), primary_key=True),
        sa.Column("anio", sa.Integer, primary_key=True),
        sa.Column("ultimo", sa.Integer, nullable=False),
    )
    op.create_table(
        "registro_sanitario",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("numero", sa.String(40), nullable=False, unique=True),
        sa.Column("clase", sa.String(60), nullable=False),
        sa.Column("empresa_id", sa.Integer, _fk("empresa", "RESTRICT"), index=True),
        sa.Column("persona_id", sa.Integer, _fk("ab_user", "RESTRICT"), index=True),
        sa.Column("grupo_id", sa.Integer, _fk("grupo_revision")),
        sa.Column("familia_id", sa.Integer, _fk("familia_producto"), nullable=False),
        sa.Column("expediente_id", sa.Integer, _fk("expediente", "RESTRICT"), nullable=False),
        sa.Column("acto_id", sa.Integer, _fk("acto_administrativo", "RESTRICT")),
        sa.Column("nombre_producto", sa.String(200)),
        sa.Column("otorgado_en", sa.Date, nullable=False),
        sa.Column("vence_en", sa.Date),
        sa.Column("estado", sa.String(20), nullable=False),
        sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(empresa_id IS NULL) <> (persona_id IS NULL)", name="ck_registro_un_titular"),
        sa.CheckConstraint(
            "estado IN ('Vigente', 'Vencido', 'Cancelado', 'En agotamiento')", name="ck_registro_estado"
        ),
    )
    op.add_column("expediente", sa.Column("registro_id", sa.Integer, _fk("registro_sanitario", "SET NULL")))
    op.create_index("ix_expediente_registro_id", "expediente", ["registro_id"])


def _requerimientos():
    op.create_table(
        "requerimiento",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("expediente_id", sa.Integer, _fk("expediente", "CASCADE"), nullable=False, index=True),
        sa.Column("numero", sa.Integer, nullable=False),
        sa.Column("estado", sa.String(12), nullable=False),
        sa.Column("texto", sa.Text, nullable=False),
        sa.Column("creado_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acto_id", sa.Integer, _fk("acto_administrativo", "RESTRICT")),
        sa.Column("enviado_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("enviado_en", sa.DateTime(timezone=True)),
        sa.Column("plazo_hasta", sa.Date),
        sa.Column("prorrogado_en", sa.DateTime(timezone=True)),
        sa.Column("respuesta", sa.Text),
        sa.Column("respondido_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("respondido_en", sa.DateTime(timezone=True)),
        sa.Column("huella_respuesta", sa.String(64)),
        sa.UniqueConstraint("expediente_id", "numero", name="uq_requerimiento_numero"),
        sa.CheckConstraint(
            "estado IN ('Borrador', 'Enviado', 'Respondido', 'Vencido')", name="ck_requerimiento_estado"
        ),
    )
    # One open requerimiento per expediente (a draft or one waiting for the answer).
    op.create_index(
        "uq_requerimiento_abierto",
        "requerimiento",
        ["expediente_id"],
        unique=True,
        postgresql_where=sa.text("estado IN ('Borrador', 'Enviado')"),
    )
    op.create_table(
        "requerimiento_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("requerimiento_id", sa.Integer, _fk("requerimiento", "CASCADE"), nullable=False),
        sa.Column("clave", sa.String(60), nullable=False),
        sa.Column("observacion", sa.Text, nullable=False),
        sa.Column("respuesta", sa.Text),
        sa.UniqueConstraint("requerimiento_id", "clave", name="uq_requerimiento_item_clave"),
    )
    op.create_table(
        "respuesta_anexo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("requerimiento_id", sa.Integer, _fk("requerimiento", "CASCADE"), nullable=False),
        sa.Column("clave", sa.String(60), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("nombre_archivo", sa.String(255), nullable=False),
        sa.Column("tamano", sa.BigInteger, nullable=False),
        sa.Column("folios", sa.Integer, nullable=False),
        sa.Column("subido_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("en", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("requerimiento_id", "clave", name="uq_respuesta_anexo_clave"),
    )


def _notificaciones():
    op.create_table(
        "notificacion",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("acto_id", sa.Integer, _fk("acto_administrativo", "RESTRICT"), nullable=False, unique=True),
        sa.Column("expediente_id", sa.Integer, _fk("expediente", "RESTRICT"), nullable=False, index=True),
        sa.Column("medio", sa.String(12), nullable=False),
        sa.Column("correo", sa.String(254)),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("enviada_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aviso_desde", sa.Date),
        sa.Column("surtida_en", sa.DateTime(timezone=True)),
        sa.Column("usuario_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("ip", sa.String(45)),
        sa.Column("user_agent", sa.String(500)),
        sa.Column("acto_sha256", sa.String(64), nullable=False),
        sa.Column("constancia_sha256", sa.String(64)),
        sa.Column("codigo_verificacion", sa.String(64)),
        sa.Column("registrada_por_id", sa.Integer, _fk("ab_user", "SET NULL")),
        sa.Column("notificado_nombre", sa.String(200)),
        sa.CheckConstraint("medio IN ('electronica', 'personal')", name="ck_notificacion_medio"),
        sa.CheckConstraint("medio <> 'electronica' OR token_hash IS NOT NULL", name="ck_notificacion_token"),
    )


def upgrade():
    _actos()
    _registros()
    _requerimientos()
    _notificaciones()


def downgrade():
    op.drop_table("notificacion")
    op.drop_table("respuesta_anexo")
    op.drop_table("requerimiento_item")
    op.drop_index("uq_requerimiento_abierto", table_name="requerimiento")
    op.drop_table("requerimiento")
    op.drop_index("ix_expediente_registro_id", table_name="expediente")
    op.drop_column("expediente", "registro_id")
    op.drop_table("registro_sanitario")
    op.drop_table("contador_registro")
    op.drop_column("familia_producto", "clase_registro")
    op.drop_column("familia_producto", "formato_registro")
    op.drop_table("acto_administrativo")
    op.drop_table("contador_acto")
