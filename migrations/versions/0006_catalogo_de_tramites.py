"""Catálogo de trámites como datos

familia_producto, modalidad, tramite and its numbered tramite_version (one «Publicada» per trámite, by a partial
unique index), with tarifa, tipo_modificacion, requisito and the modality links of versions and requisitos
(seed 002 and 004; issue 12 §1). Loaded by `flask seed` from seed/data/catalogo.

A published version is what expedientes are filed under: triggers refuse any change to its content, to its
requisitos, tarifas, tipos de modificación and modalities, and its deletion; its state only moves forward
(Borrador → Publicada → Reemplazada). The application refuses the same first, with a message for people.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "familia_producto",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("codigo", sa.String(40), nullable=False, unique=True),
        sa.Column("nombre", sa.String(150), nullable=False),
        sa.Column("orden", sa.Integer, nullable=False),
        sa.Column("fuente", sa.Text, nullable=False),
        sa.Column("agotamiento_meses", sa.Integer),
        sa.Column("agotamiento_prorrogas", sa.Integer, nullable=False),
        sa.Column("agotamiento_tramite", sa.String(60)),
        sa.Column("agotamiento_nota", sa.Text),
    )
    op.create_table(
        "modalidad",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("codigo", sa.String(40), nullable=False, unique=True),
        sa.Column("nombre", sa.String(120), nullable=False),
        sa.Column("origen", sa.String(10), nullable=False),
        sa.Column("orden", sa.Integer, nullable=False),
        sa.Column("fuente", sa.Text, nullable=False),
        sa.CheckConstraint("origen IN ('Nacional', 'Importado')", name="ck_modalidad_origen"),
    )
    op.create_table(
        "tramite",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("codigo", sa.String(60), nullable=False, unique=True),
        sa.Column("familia_id", sa.Integer, sa.ForeignKey("familia_producto.id"), nullable=False),
        sa.Column("orden", sa.Integer, nullable=False),
    )
    op.create_index("ix_tramite_familia_id", "tramite", ["familia_id"])
    op.create_table(
        "tramite_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tramite_id", sa.Integer, sa.ForeignKey("tramite.id", ondelete="CASCADE"), nullable=False),
        sa.Column("numero", sa.Integer, nullable=False),
        sa.Column("estado", sa.String(12), nullable=False),
        sa.Column("nombre", sa.String(300), nullable=False),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.Column("seccion", sa.String(30)),
        sa.Column("fuente", sa.Text, nullable=False),
        sa.Column("descripcion", sa.Text),
        sa.Column("vigencia_anios", sa.Integer),
        sa.Column("renovacion", sa.Text),
        sa.Column("renueva", sa.String(60)),
        sa.Column("persona_natural", sa.Boolean, nullable=False),
        sa.Column("origen", sa.String(15), nullable=False),
        sa.Column("huella", sa.String(64)),
        sa.Column("creada_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("publicada_en", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("tramite_id", "numero", name="uq_tramite_version_numero"),
        sa.CheckConstraint("estado IN ('Borrador', 'Publicada', 'Reemplazada')", name="ck_tramite_version_estado"),
        sa.CheckConstraint("vigencia_anios IS NULL OR vigencia_anios > 0", name="ck_tramite_version_vigencia"),
    )
    op.create_index(
        "uq_tramite_version_publicada",
        "tramite_version",
        ["tramite_id"],
        unique=True,
        postgresql_where=sa.text("estado = 'Publicada'"),
    )
    op.create_table(
        "tramite_version_modalidad",
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("tramite_version.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("modalidad_id", sa.Integer, sa.ForeignKey("modalidad.id"), primary_key=True),
    )
    op.create_table(
        "tarifa",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("codigo", sa.String(10), nullable=False),
        sa.Column("variante", sa.String(150), nullable=False),
        sa.Column("orden", sa.Integer, nullable=False),
        sa.UniqueConstraint("version_id", "codigo", "variante", name="uq_tarifa_version_codigo"),
    )
    op.create_index("ix_tarifa_codigo", "tarifa", ["codigo"])
    op.create_table(
        "tipo_modificacion",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("codigo", sa.String(40), nullable=False),
        sa.Column("nombre", sa.String(200), nullable=False),
        sa.Column("tarifa", sa.String(10)),
        sa.Column("fuente", sa.Text, nullable=False),
        sa.Column("orden", sa.Integer, nullable=False),
        sa.UniqueConstraint("version_id", "codigo", name="uq_tipo_modificacion_version_codigo"),
    )
    op.create_table(
        "requisito",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "version_id", sa.Integer, sa.ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("codigo", sa.String(60), nullable=False),
        sa.Column("nombre", sa.Text, nullable=False),
        sa.Column("satisface", sa.String(12), nullable=False),
        sa.Column("obligatorio", sa.Boolean, nullable=False),
        sa.Column("fuente", sa.Text, nullable=False),
        sa.Column("nota", sa.Text),
        sa.Column("orden", sa.Integer, nullable=False),
        sa.UniqueConstraint("version_id", "codigo", name="uq_requisito_version_codigo"),
        sa.CheckConstraint(
            "satisface IN ('documento', 'dato', 'declaracion', 'interno')", name="ck_requisito_satisface"
        ),
    )
    op.create_index("ix_requisito_version_id", "requisito", ["version_id"])
    op.create_table(
        "requisito_modalidad",
        sa.Column("requisito_id", sa.Integer, sa.ForeignKey("requisito.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("modalidad_id", sa.Integer, sa.ForeignKey("modalidad.id"), primary_key=True),
    )
    op.execute(INMUTABLE_VERSION)
    op.execute(INMUTABLE_HIJOS)
    op.execute(
        "CREATE TRIGGER tramite_version_inmutable BEFORE UPDATE OR DELETE ON tramite_version "
        "FOR EACH ROW EXECUTE FUNCTION tramite_version_inmutable()"
    )
    for tabla in ("requisito", "tarifa", "tipo_modificacion", "tramite_version_modalidad", "requisito_modalidad"):
        op.execute(
            f"CREATE TRIGGER {tabla}_de_borrador BEFORE INSERT OR UPDATE OR DELETE ON {tabla} "
            "FOR EACH ROW EXECUTE FUNCTION catalogo_solo_borradores()"
        )


INMUTABLE_VERSION = """
CREATE FUNCTION tramite_version_inmutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.estado <> 'Borrador' THEN
            RAISE EXCEPTION 'La versión % del trámite está % y no se puede borrar.', OLD.numero, lower(OLD.estado);
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.estado <> 'Borrador' AND (
        ROW(NEW.tramite_id, NEW.numero, NEW.nombre, NEW.tipo, NEW.seccion, NEW.fuente, NEW.descripcion,
            NEW.vigencia_anios, NEW.renovacion, NEW.renueva, NEW.persona_natural, NEW.origen, NEW.huella,
            NEW.creada_en)
        IS DISTINCT FROM
        ROW(OLD.tramite_id, OLD.numero, OLD.nombre, OLD.tipo, OLD.seccion, OLD.fuente, OLD.descripcion,
            OLD.vigencia_anios, OLD.renovacion, OLD.renueva, OLD.persona_natural, OLD.origen, OLD.huella,
            OLD.creada_en)
        OR (OLD.estado = 'Publicada' AND NEW.estado NOT IN ('Publicada', 'Reemplazada'))
        OR (OLD.estado = 'Reemplazada' AND NEW.estado <> 'Reemplazada')
    ) THEN
        RAISE EXCEPTION 'La versión % del trámite está % y no se puede cambiar.', OLD.numero, lower(OLD.estado);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

# requisito, tarifa, tipo_modificacion and tramite_version_modalidad carry version_id; requisito_modalidad reaches
# its version through the requisito (gone already when a draft's requisito is deleted: nothing to protect then).
INMUTABLE_HIJOS = """
CREATE FUNCTION catalogo_solo_borradores() RETURNS trigger AS $$
DECLARE
    fila record;
    estado_version text;
BEGIN
    IF TG_OP = 'DELETE' THEN fila := OLD; ELSE fila := NEW; END IF;
    IF TG_TABLE_NAME = 'requisito_modalidad' THEN
        SELECT v.estado INTO estado_version FROM requisito r JOIN tramite_version v ON v.id = r.version_id
         WHERE r.id = fila.requisito_id;
    ELSE
        SELECT v.estado INTO estado_version FROM tramite_version v WHERE v.id = fila.version_id;
        IF TG_OP = 'UPDATE' AND estado_version = 'Borrador' THEN
            SELECT v.estado INTO estado_version FROM tramite_version v WHERE v.id = OLD.version_id;
        END IF;
    END IF;
    IF estado_version IS NOT NULL AND estado_version <> 'Borrador' THEN
        RAISE EXCEPTION 'La versión del trámite está % y no se puede cambiar (%).', lower(estado_version),
            TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS tramite_version_inmutable ON tramite_version")
    for tabla in ("requisito", "tarifa", "tipo_modificacion", "tramite_version_modalidad", "requisito_modalidad"):
        op.execute(f"DROP TRIGGER IF EXISTS {tabla}_de_borrador ON {tabla}")
    op.execute("DROP FUNCTION IF EXISTS catalogo_solo_borradores()")
    op.execute("DROP FUNCTION IF EXISTS tramite_version_inmutable()")
    for tabla in (
        "requisito_modalidad",
        "requisito",
        "tipo_modificacion",
        "tarifa",
        "tramite_version_modalidad",
        "tramite_version",
        "tramite",
        "modalidad",
        "familia_producto",
    ):
        op.drop_table(tabla)
