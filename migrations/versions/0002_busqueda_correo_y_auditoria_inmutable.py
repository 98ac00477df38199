"""Índice por correo sin distinguir mayúsculas y auditoría de solo inserción

- ix_usuario_email_lower: the help desk and the duplicate check look accounts up by lower(email);
  without it that is a sequential scan over every account.
- auditoria is append-only: a trigger refuses UPDATE and DELETE. The only update allowed is the
  one PostgreSQL itself makes when the acting user is deleted (ON DELETE SET NULL on usuario_id).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX IF NOT EXISTS ix_usuario_email_lower ON ab_user (lower(email))")
    op.execute(
        """
        CREATE OR REPLACE FUNCTION auditoria_solo_insercion() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
               AND OLD.usuario_id IS NOT NULL AND NEW.usuario_id IS NULL
               AND ROW(NEW.id, NEW.creado_en, NEW.empresa_id, NEW.accion, NEW.objeto, NEW.objeto_id,
                       NEW.antes::text, NEW.despues::text, NEW.ip)
                   IS NOT DISTINCT FROM
                   ROW(OLD.id, OLD.creado_en, OLD.empresa_id, OLD.accion, OLD.objeto, OLD.objeto_id,
                       OLD.antes::text, OLD.despues::text, OLD.ip)
            THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'La auditoría no se puede modificar ni borrar (%).', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER tr_auditoria_solo_insercion
        BEFORE UPDATE OR DELETE ON auditoria
        FOR EACH ROW EXECUTE FUNCTION auditoria_solo_insercion()
        """
    )


def downgrade():
    op.execute("DROP TRIGGER IF EXISTS tr_auditoria_solo_insercion ON auditoria")
    op.execute("DROP FUNCTION IF EXISTS auditoria_solo_insercion()")
    op.execute("DROP INDEX IF EXISTS ix_usuario_email_lower")
