"""Empresas: empresa, roles de empresa con permisos del árbol, membresías (invitaciones), vínculos RT/DT, documentos

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:26:20.062804

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('empresa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nit', sa.String(length=9), nullable=False),
    sa.Column('digito_verificacion', sa.String(length=1), nullable=False),
    sa.Column('razon_social', sa.String(length=200), nullable=False),
    sa.Column('sigla', sa.String(length=60), nullable=True),
    sa.Column('tamano', sa.String(length=30), nullable=True),
    sa.Column('sector', sa.String(length=80), nullable=True),
    sa.Column('correo', sa.String(length=320), nullable=False),
    sa.Column('telefono', sa.String(length=20), nullable=True),
    sa.Column('celular', sa.String(length=20), nullable=True),
    sa.Column('pais_id', sa.Integer(), nullable=True),
    sa.Column('departamento_id', sa.Integer(), nullable=True),
    sa.Column('municipio_id', sa.Integer(), nullable=True),
    sa.Column('direccion', sa.String(length=255), nullable=True),
    sa.Column('direccion_componentes', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('contacto_nombre', sa.String(length=150), nullable=True),
    sa.Column('contacto_cargo', sa.String(length=100), nullable=True),
    sa.Column('contacto_correo', sa.String(length=320), nullable=True),
    sa.Column('contacto_telefono', sa.String(length=20), nullable=True),
    sa.Column('rl_tipo_identificacion_id', sa.Integer(), nullable=False),
    sa.Column('rl_numero_identificacion', sa.String(length=20), nullable=False),
    sa.Column('rl_nombres', sa.String(length=64), nullable=False),
    sa.Column('rl_apellidos', sa.String(length=64), nullable=False),
    sa.Column('estado', sa.String(length=20), nullable=False),
    sa.Column('motivo_suspension', sa.String(length=500), nullable=True),
    sa.Column('terminos_aceptados_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('creado_por_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['creado_por_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['departamento_id'], ['departamento.id'], ),
    sa.ForeignKeyConstraint(['municipio_id'], ['municipio.id'], ),
    sa.ForeignKeyConstraint(['pais_id'], ['pais.id'], ),
    sa.ForeignKeyConstraint(['rl_tipo_identificacion_id'], ['tipo_identificacion.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nit')
    )
    with op.batch_alter_table('empresa', schema=None) as batch_op:
        batch_op.create_index('ix_empresa_razon_social', ['razon_social'], unique=False)

    op.create_table('documento_empresa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('empresa_id', sa.Integer(), nullable=False),
    sa.Column('tipo', sa.String(length=40), nullable=False),
    sa.Column('nombre_archivo', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('tamano', sa.BigInteger(), nullable=False),
    sa.Column('tipo_contenido', sa.String(length=100), nullable=False),
    sa.Column('descripcion', sa.Text(), nullable=True),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('subido_por_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['empresa_id'], ['empresa.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subido_por_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documento_empresa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documento_empresa_empresa_id'), ['empresa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documento_empresa_sha256'), ['sha256'], unique=False)

    op.create_table('membresia',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('empresa_id', sa.Integer(), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=True),
    sa.Column('tipo_identificacion_id', sa.Integer(), nullable=False),
    sa.Column('numero_identificacion', sa.String(length=20), nullable=False),
    sa.Column('estado', sa.String(length=20), nullable=False),
    sa.Column('es_representante_legal', sa.Boolean(), nullable=False),
    sa.Column('invitacion_expira_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invitado_por_id', sa.Integer(), nullable=True),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('aceptado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rechazado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inactivado_en', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['empresa_id'], ['empresa.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitado_por_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tipo_identificacion_id'], ['tipo_identificacion.id'], ),
    sa.ForeignKeyConstraint(['usuario_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('empresa_id', 'tipo_identificacion_id', 'numero_identificacion', name='uq_membresia_identificacion')
    )
    with op.batch_alter_table('membresia', schema=None) as batch_op:
        batch_op.create_index('ix_membresia_empresa_estado', ['empresa_id', 'estado'], unique=False)
        batch_op.create_index(batch_op.f('ix_membresia_empresa_id'), ['empresa_id'], unique=False)
        batch_op.create_index('ix_membresia_identificacion', ['tipo_identificacion_id', 'numero_identificacion'], unique=False)
        batch_op.create_index(batch_op.f('ix_membresia_usuario_id'), ['usuario_id'], unique=False)

    op.create_table('rol_empresa',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('empresa_id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=60), nullable=False),
    sa.Column('descripcion', sa.String(length=300), nullable=True),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.Column('predefinido', sa.Boolean(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['empresa_id'], ['empresa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('empresa_id', 'nombre', name='uq_rol_empresa_nombre')
    )
    with op.batch_alter_table('rol_empresa', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rol_empresa_empresa_id'), ['empresa_id'], unique=False)

    op.create_table('vinculo_tecnico',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('empresa_id', sa.Integer(), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=False),
    sa.Column('calidad', sa.String(length=30), nullable=False),
    sa.Column('profesion_id', sa.Integer(), nullable=True),
    sa.Column('tarjeta_profesional', sa.String(length=30), nullable=True),
    sa.Column('estado', sa.String(length=20), nullable=False),
    sa.Column('invitacion_expira_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invitado_por_id', sa.Integer(), nullable=True),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('aceptado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rechazado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inactivado_en', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['empresa_id'], ['empresa.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitado_por_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profesion_id'], ['profesion.id'], ),
    sa.ForeignKeyConstraint(['usuario_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('empresa_id', 'usuario_id', 'calidad', name='uq_vinculo_tecnico')
    )
    with op.batch_alter_table('vinculo_tecnico', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vinculo_tecnico_empresa_id'), ['empresa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vinculo_tecnico_usuario_id'), ['usuario_id'], unique=False)

    op.create_table('membresia_rol',
    sa.Column('membresia_id', sa.Integer(), nullable=False),
    sa.Column('rol_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['membresia_id'], ['membresia.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rol_id'], ['rol_empresa.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('membresia_id', 'rol_id')
    )
    with op.batch_alter_table('membresia_rol', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membresia_rol_rol_id'), ['rol_id'], unique=False)

    op.create_table('rol_empresa_permiso',
    sa.Column('rol_id', sa.Integer(), nullable=False),
    sa.Column('permiso', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['rol_id'], ['rol_empresa.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rol_id', 'permiso')
    )


def downgrade():
    op.drop_table('rol_empresa_permiso')
    with op.batch_alter_table('membresia_rol', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membresia_rol_rol_id'))

    op.drop_table('membresia_rol')
    with op.batch_alter_table('vinculo_tecnico', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vinculo_tecnico_usuario_id'))
        batch_op.drop_index(batch_op.f('ix_vinculo_tecnico_empresa_id'))

    op.drop_table('vinculo_tecnico')
    with op.batch_alter_table('rol_empresa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rol_empresa_empresa_id'))

    op.drop_table('rol_empresa')
    with op.batch_alter_table('membresia', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membresia_usuario_id'))
        batch_op.drop_index('ix_membresia_identificacion')
        batch_op.drop_index(batch_op.f('ix_membresia_empresa_id'))
        batch_op.drop_index('ix_membresia_empresa_estado')

    op.drop_table('membresia')
    with op.batch_alter_table('documento_empresa', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documento_empresa_sha256'))
        batch_op.drop_index(batch_op.f('ix_documento_empresa_empresa_id'))

    op.drop_table('documento_empresa')
    with op.batch_alter_table('empresa', schema=None) as batch_op:
        batch_op.drop_index('ix_empresa_razon_social')

    op.drop_table('empresa')
