"""Expedientes: drafts filed per FM003, their checklist (anexos) and the yearly radicado counter

- expediente: the titular is a company (empresa_id) or a person (persona_id), never both; it keeps the trámite
  version, modality and tarifa variant it is filed under, the sections of the form (datos, JSONB), the responsable
  técnico who must confirm an NSO filing, «bajo insistencia», and once radicado its number (per year, gapless:
  contador_radicado), the hash of what was frozen and the constancia.
- expediente_anexo: one row per requisito of the checklist (autochequeo sí / no, the PDF by SHA-256 and its folios),
  plus the support of «autorización de uso de la tasa de un tercero».
- mensaje_correo: an attachment from the document store (the constancia travels with its mail).
- tramite_version: the filing rules as data — the renewal window (months before expiry), the wait before a new
  registro after an unrenewed one expired, whether the filing needs a responsable técnico, and whether a titular may
  file it only once (the INM's OEC communication, seed 003 §5.1).

A radicado expediente is frozen: triggers refuse changing what was filed (data, version, modality, number, hash)
and changing or deleting its anexos. Its state may still move (the Invima review, next issue).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _tramite_version():
    # ADD COLUMN with a constant default rewrites no row: the catalog's immutability triggers do not fire.
    op.add_column("tramite_version", sa.Column("renovacion_desde_meses", sa.Integer))
    op.add_column("tramite_version", sa.Column("renovacion_hasta_meses", sa.Integer))
    op.add_column("tramite_version", sa.Column("espera_tras_vencimiento_meses", sa.Integer))
    op.add_column(
        "tramite_version",
        sa.Column("requiere_responsable_tecnico", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "tramite_version",
        sa.Column("una_vez_por_titular", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_check_constraint(
        "ck_tramite_version_ventana",
        "tramite_version",
        "renovacion_hasta_meses IS NULL OR renovacion_desde_meses IS NULL "
        "OR renovacion_desde_meses >= renovacion_hasta_meses",
    )


def _expediente():
    op.create_table(
        "expediente",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("empresa_id", sa.Integer, sa.ForeignKey("empresa.id", ondelete="RESTRICT")),
        sa.Column("persona_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="RESTRICT")),
        sa.Column("creado_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("tramite_version_id", sa.Integer, sa.ForeignKey("tramite_version.id"), nullable=False),
        sa.Column("modalidad_id", sa.Integer, sa.ForeignKey("modalidad.id")),
        sa.Column("variante", sa.String(150)),
        sa.Column("estado", sa.String(20), nullable=False),
        sa.Column("datos", postgresql.JSONB, nullable=False),
        sa.Column("secciones", postgresql.ARRAY(sa.String(30)), nullable=False),
        sa.Column("nombre_producto", sa.String(200)),
        sa.Column("bajo_insistencia", sa.Text),
        sa.Column("responsable_tecnico_id", sa.Integer, sa.ForeignKey("vinculo_tecnico.id", ondelete="SET NULL")),
        sa.Column("rt_confirmado_en", sa.DateTime(timezone=True)),
        sa.Column("radicado", sa.String(20), unique=True),
        sa.Column("radicado_anio", sa.Integer),
        sa.Column("radicado_numero", sa.Integer),
        sa.Column("radicado_en", sa.DateTime(timezone=True)),
        sa.Column("radicado_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("huella", sa.String(64)),
        sa.Column("codigo_verificacion", sa.String(64)),
        sa.Column("constancia_sha256", sa.String(64)),
        sa.Column("creado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(empresa_id IS NULL) <> (persona_id IS NULL)", name="ck_expediente_un_titular"),
        sa.CheckConstraint("estado IN ('Borrador', 'Radicado')", name="ck_expediente_estado"),
        sa.CheckConstraint(
            "(radicado IS NULL) = (radicado_numero IS NULL) AND (radicado IS NULL) = (radicado_en IS NULL)",
            name="ck_expediente_radicado_completo",
        ),
        sa.UniqueConstraint("radicado_anio", "radicado_numero", name="uq_expediente_radicado_anio_numero"),
    )
    # «Mis expedientes»: one titular's rows newest first, at a million rows (issue 12 §4); the columns its search
    # filters on ride along (INCLUDE), so a search by state, trámite or radicado inside a big company reads the index
    # only (bench/RESULTADOS.md, duodécima medición, proposal C).
    for titular in ("empresa_id", "persona_id"):
        op.create_index(
            f"ix_expediente_{titular.removesuffix('_id')}_creado",
            "expediente",
            [titular, sa.text("creado_en DESC"), sa.text("id DESC")],
            postgresql_include=["estado", "tramite_version_id", "radicado"],
            postgresql_where=sa.text(f"{titular} IS NOT NULL"),
        )
    op.create_index(
        "ix_expediente_empresa_version",
        "expediente",
        ["empresa_id", "tramite_version_id"],
        postgresql_where=sa.text("empresa_id IS NOT NULL"),
    )
    # «Radicado empieza por»: a LIKE 'prefix%' on a text_pattern_ops index (the unique one is for equality).
    op.create_index(
        "ix_expediente_radicado_patron",
        "expediente",
        ["radicado"],
        postgresql_ops={"radicado": "text_pattern_ops"},
        postgresql_where=sa.text("radicado IS NOT NULL"),
    )
    op.create_index("ix_expediente_tramite_version_id", "expediente", ["tramite_version_id"])
    op.create_index("ix_expediente_responsable_tecnico_id", "expediente", ["responsable_tecnico_id"])
    op.create_table(
        "expediente_anexo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("expediente_id", sa.Integer, sa.ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False),
        sa.Column("clave", sa.String(60), nullable=False),
        sa.Column("requisito_id", sa.Integer, sa.ForeignKey("requisito.id")),
        sa.Column("adjunto", sa.Boolean, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("nombre_archivo", sa.String(255)),
        sa.Column("tamano", sa.BigInteger),
        sa.Column("folios", sa.Integer),
        sa.Column("subido_por_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="SET NULL")),
        sa.Column("actualizado_en", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("expediente_id", "clave", name="uq_expediente_anexo_clave"),
        sa.CheckConstraint(
            "(sha256 IS NULL) = (folios IS NULL) AND (folios IS NULL OR folios > 0)", name="ck_expediente_anexo_pdf"
        ),
    )
    op.create_index("ix_expediente_anexo_sha256", "expediente_anexo", ["sha256"])
    op.create_table(
        "contador_radicado",
        sa.Column("anio", sa.Integer, primary_key=True),
        sa.Column("ultimo", sa.Integer, nullable=False),
    )


_TRIGGERS = """
CREATE FUNCTION expediente_radicado_inmutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.radicado IS NOT NULL THEN
            RAISE EXCEPTION 'El expediente % está radicado: no se puede eliminar.', OLD.radicado;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.radicado IS NOT NULL AND (
        NEW.datos IS DISTINCT FROM OLD.datos OR NEW.tramite_version_id IS DISTINCT FROM OLD.tramite_version_id
        OR NEW.modalidad_id IS DISTINCT FROM OLD.modalidad_id OR NEW.variante IS DISTINCT FROM OLD.variante
        OR NEW.radicado IS DISTINCT FROM OLD.radicado OR NEW.radicado_numero IS DISTINCT FROM OLD.radicado_numero
        OR NEW.radicado_en IS DISTINCT FROM OLD.radicado_en OR NEW.huella IS DISTINCT FROM OLD.huella
        OR NEW.empresa_id IS DISTINCT FROM OLD.empresa_id OR NEW.persona_id IS DISTINCT FROM OLD.persona_id
        OR NEW.bajo_insistencia IS DISTINCT FROM OLD.bajo_insistencia
    ) THEN
        RAISE EXCEPTION 'El expediente % está radicado: lo radicado no cambia.', OLD.radicado;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER expediente_radicado_inmutable BEFORE UPDATE OR DELETE ON expediente
    FOR EACH ROW EXECUTE FUNCTION expediente_radicado_inmutable();

CREATE FUNCTION expediente_anexo_radicado_inmutable() RETURNS trigger AS $$
DECLARE
    numero text;
BEGIN
    SELECT radicado INTO numero FROM expediente
     WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.expediente_id ELSE OLD.expediente_id END;
    IF numero IS NOT NULL THEN
        RAISE EXCEPTION 'El expediente % está radicado: sus documentos no cambian.', numero;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER expediente_anexo_radicado_inmutable BEFORE INSERT OR UPDATE OR DELETE ON expediente_anexo
    FOR EACH ROW EXECUTE FUNCTION expediente_anexo_radicado_inmutable();
"""


def upgrade():
    _tramite_version()
    _expediente()
    # The constancia travels attached to its mail (a PDF of the document store, by SHA-256).
    op.add_column("mensaje_correo", sa.Column("adjunto_sha256", sa.String(64)))
    op.add_column("mensaje_correo", sa.Column("adjunto_nombre", sa.String(255)))
    op.execute(_TRIGGERS)


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS expediente_anexo_radicado_inmutable ON expediente_anexo")
    op.execute("DROP FUNCTION IF EXISTS expediente_anexo_radicado_inmutable()")
    op.execute("DROP TRIGGER IF EXISTS expediente_radicado_inmutable ON expediente")
    op.execute("DROP FUNCTION IF EXISTS expediente_radicado_inmutable()")
    op.drop_column("mensaje_correo", "adjunto_nombre")
    op.drop_column("mensaje_correo", "adjunto_sha256")
    op.drop_table("contador_radicado")
    op.drop_table("expediente_anexo")
    op.drop_table("expediente")
    op.drop_constraint("ck_tramite_version_ventana", "tramite_version")
    for columna in (
        "una_vez_por_titular",
        "requiere_responsable_tecnico",
        "espera_tras_vencimiento_meses",
        "renovacion_hasta_meses",
        "renovacion_desde_meses",
    ):
        op.drop_column("tramite_version", columna)
