"""Esquema inicial: usuarios FAB extendidos, listas, verificación, correo, auditoría

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 11:30:58.794440

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# FAB's models draw their ids from explicit sequences, which autogenerate does not emit.
FAB_SEQUENCES = ['ab_api_key_id_seq', 'ab_group_id_seq', 'ab_group_role_id_seq', 'ab_permission_id_seq', 'ab_permission_view_id_seq', 'ab_permission_view_role_id_seq', 'ab_register_user_id_seq', 'ab_role_id_seq', 'ab_user_group_id_seq', 'ab_user_id_seq', 'ab_user_role_id_seq', 'ab_view_menu_id_seq']


def upgrade():
    for name in FAB_SEQUENCES:
        op.execute(sa.schema.CreateSequence(sa.Sequence(name, start=1, increment=1, minvalue=1, cycle=False)))
    op.create_table('ab_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('label', sa.String(length=150), nullable=True),
    sa.Column('description', sa.String(length=512), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('ab_permission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('ab_register_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=64), nullable=False),
    sa.Column('last_name', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=128), nullable=False),
    sa.Column('password', sa.String(length=256), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('registration_date', sa.DateTime(), nullable=True),
    sa.Column('registration_hash', sa.String(length=256), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('username')
    )
    op.create_table('ab_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('ab_view_menu',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('departamento',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sa.String(length=2), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('codigo'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('estrato',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('grupo_etnico',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('mensaje_correo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('destinatario', sa.String(length=320), nullable=False),
    sa.Column('asunto', sa.String(length=255), nullable=False),
    sa.Column('cuerpo_texto', sa.Text(), nullable=False),
    sa.Column('cuerpo_html', sa.Text(), nullable=False),
    sa.Column('plantilla', sa.String(length=60), nullable=False),
    sa.Column('estado', sa.String(length=20), nullable=False),
    sa.Column('intentos', sa.Integer(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proximo_intento_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ultimo_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mensaje_correo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mensaje_correo_destinatario'), ['destinatario'], unique=False)
        batch_op.create_index('ix_mensaje_correo_pendientes', ['estado', 'proximo_intento_en'], unique=False)

    op.create_table('nivel_academico',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('pais',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sa.String(length=2), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('codigo'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('profesion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('sexo_nacer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('tipo_identificacion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sa.String(length=4), nullable=False),
    sa.Column('nombre', sa.String(length=80), nullable=False),
    sa.Column('orden', sa.Integer(), nullable=False),
    sa.Column('regla', sa.String(length=20), nullable=False),
    sa.Column('longitud_maxima', sa.Integer(), nullable=False),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('codigo'),
    sa.UniqueConstraint('nombre')
    )
    op.create_table('ab_group_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['ab_group.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'role_id')
    )
    with op.batch_alter_table('ab_group_role', schema=None) as batch_op:
        batch_op.create_index('idx_group_id', ['group_id'], unique=False)
        batch_op.create_index('idx_group_role_id', ['role_id'], unique=False)

    op.create_table('ab_permission_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permission_id', sa.Integer(), nullable=False),
    sa.Column('view_menu_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['permission_id'], ['ab_permission.id'], ),
    sa.ForeignKeyConstraint(['view_menu_id'], ['ab_view_menu.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('permission_id', 'view_menu_id')
    )
    with op.batch_alter_table('ab_permission_view', schema=None) as batch_op:
        batch_op.create_index('idx_permission_id', ['permission_id'], unique=False)
        batch_op.create_index('idx_view_menu_id', ['view_menu_id'], unique=False)

    op.create_table('municipio',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sa.String(length=5), nullable=False),
    sa.Column('nombre', sa.String(length=120), nullable=False),
    sa.Column('departamento_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['departamento_id'], ['departamento.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('codigo')
    )
    with op.batch_alter_table('municipio', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipio_departamento_id'), ['departamento_id'], unique=False)

    op.create_table('ab_permission_view_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permission_view_id', sa.Integer(), nullable=True),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['permission_view_id'], ['ab_permission_view.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('permission_view_id', 'role_id')
    )
    with op.batch_alter_table('ab_permission_view_role', schema=None) as batch_op:
        batch_op.create_index('idx_permission_view_id', ['permission_view_id'], unique=False)
        batch_op.create_index('idx_role_id', ['role_id'], unique=False)

    op.create_table('ab_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=64), nullable=False),
    sa.Column('last_name', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=128), nullable=False),
    sa.Column('password', sa.String(length=256), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('last_login', sa.DateTime(), nullable=True),
    sa.Column('login_count', sa.Integer(), nullable=True),
    sa.Column('fail_login_count', sa.Integer(), nullable=True),
    sa.Column('created_on', sa.DateTime(), nullable=True),
    sa.Column('changed_on', sa.DateTime(), nullable=True),
    sa.Column('created_by_fk', sa.Integer(), nullable=True),
    sa.Column('changed_by_fk', sa.Integer(), nullable=True),
    sa.Column('tipo_identificacion_id', sa.Integer(), nullable=True),
    sa.Column('otro_tipo_identificacion', sa.String(length=60), nullable=True),
    sa.Column('numero_identificacion', sa.String(length=20), nullable=True),
    sa.Column('nacionalidad_id', sa.Integer(), nullable=True),
    sa.Column('correo_alternativo', sa.String(length=320), nullable=True),
    sa.Column('fecha_nacimiento', sa.Date(), nullable=True),
    sa.Column('sexo_nacer_id', sa.Integer(), nullable=True),
    sa.Column('nivel_academico_id', sa.Integer(), nullable=True),
    sa.Column('grupo_etnico_id', sa.Integer(), nullable=True),
    sa.Column('pais_residencia_id', sa.Integer(), nullable=True),
    sa.Column('departamento_id', sa.Integer(), nullable=True),
    sa.Column('municipio_id', sa.Integer(), nullable=True),
    sa.Column('vereda', sa.String(length=120), nullable=True),
    sa.Column('estrato_id', sa.Integer(), nullable=True),
    sa.Column('estado_provincia', sa.String(length=120), nullable=True),
    sa.Column('ciudad', sa.String(length=120), nullable=True),
    sa.Column('localidad', sa.String(length=120), nullable=True),
    sa.Column('direccion', sa.String(length=255), nullable=True),
    sa.Column('direccion_componentes', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('indicaciones', sa.String(length=255), nullable=True),
    sa.Column('localizacion_geografica', sa.String(length=20), nullable=True),
    sa.Column('telefono', sa.String(length=20), nullable=True),
    sa.Column('celular', sa.String(length=20), nullable=True),
    sa.Column('acepta_invitaciones_rt_dt', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('terminos_aceptados_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('activada_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bloqueada_hasta', sa.DateTime(timezone=True), nullable=True),
    sa.Column('nombre_busqueda', sa.String(length=260), nullable=True),
    sa.Column('apellido_busqueda', sa.String(length=130), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['created_by_fk'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['departamento_id'], ['departamento.id'], ),
    sa.ForeignKeyConstraint(['estrato_id'], ['estrato.id'], ),
    sa.ForeignKeyConstraint(['grupo_etnico_id'], ['grupo_etnico.id'], ),
    sa.ForeignKeyConstraint(['municipio_id'], ['municipio.id'], ),
    sa.ForeignKeyConstraint(['nacionalidad_id'], ['pais.id'], ),
    sa.ForeignKeyConstraint(['nivel_academico_id'], ['nivel_academico.id'], ),
    sa.ForeignKeyConstraint(['pais_residencia_id'], ['pais.id'], ),
    sa.ForeignKeyConstraint(['sexo_nacer_id'], ['sexo_nacer.id'], ),
    sa.ForeignKeyConstraint(['tipo_identificacion_id'], ['tipo_identificacion.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('tipo_identificacion_id', 'numero_identificacion', name='uq_usuario_identificacion'),
    sa.UniqueConstraint('username')
    )
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.create_index('ix_usuario_apellido_busqueda', ['apellido_busqueda'], unique=False, postgresql_ops={'apellido_busqueda': 'text_pattern_ops'})
        batch_op.create_index('ix_usuario_nombre_busqueda', ['nombre_busqueda'], unique=False, postgresql_ops={'nombre_busqueda': 'text_pattern_ops'})
        batch_op.create_index('ix_usuario_numero_identificacion', ['numero_identificacion'], unique=False)

    op.create_table('ab_api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=False),
    sa.Column('key_hash', sa.String(length=256), nullable=False),
    sa.Column('lookup_hash', sa.String(length=256), nullable=True),
    sa.Column('key_prefix', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scopes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_on', sa.DateTime(), nullable=True),
    sa.Column('expires_on', sa.DateTime(), nullable=True),
    sa.Column('revoked_on', sa.DateTime(), nullable=True),
    sa.Column('last_used_on', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lookup_hash'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('ab_api_key', schema=None) as batch_op:
        batch_op.create_index('idx_api_key_lookup_hash', ['lookup_hash'], unique=True)
        batch_op.create_index('idx_api_key_prefix', ['key_prefix'], unique=False)
        batch_op.create_index('idx_api_key_user_id', ['user_id'], unique=False)

    op.create_table('ab_user_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['ab_group.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'group_id')
    )
    with op.batch_alter_table('ab_user_group', schema=None) as batch_op:
        batch_op.create_index('idx_user_group_id', ['group_id'], unique=False)
        batch_op.create_index('idx_user_id', ['user_id'], unique=False)

    op.create_table('ab_user_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['role_id'], ['ab_role.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'role_id')
    )
    op.create_table('auditoria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=True),
    sa.Column('empresa_id', sa.Integer(), nullable=True),
    sa.Column('accion', sa.String(length=60), nullable=False),
    sa.Column('objeto', sa.String(length=60), nullable=False),
    sa.Column('objeto_id', sa.String(length=60), nullable=True),
    sa.Column('antes', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('despues', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['usuario_id'], ['ab_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditoria_accion'), ['accion'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditoria_creado_en'), ['creado_en'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditoria_empresa_id'), ['empresa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditoria_objeto_id'), ['objeto_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditoria_usuario_id'), ['usuario_id'], unique=False)

    op.create_table('usuario_profesion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=False),
    sa.Column('profesion_id', sa.Integer(), nullable=False),
    sa.Column('tarjeta_profesional', sa.String(length=30), nullable=False),
    sa.ForeignKeyConstraint(['profesion_id'], ['profesion.id'], ),
    sa.ForeignKeyConstraint(['usuario_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tarjeta_profesional')
    )
    with op.batch_alter_table('usuario_profesion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usuario_profesion_usuario_id'), ['usuario_id'], unique=False)

    op.create_table('verificacion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('usuario_id', sa.Integer(), nullable=False),
    sa.Column('proposito', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('codigo_hash', sa.String(length=256), nullable=True),
    sa.Column('dato', sa.String(length=320), nullable=True),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expira_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('intentos', sa.Integer(), nullable=False),
    sa.Column('usado_en', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anulado_en', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['usuario_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('verificacion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verificacion_usuario_id'), ['usuario_id'], unique=False)
        batch_op.create_index('ix_verificacion_usuario_proposito', ['usuario_id', 'proposito'], unique=False)



def downgrade():
    with op.batch_alter_table('verificacion', schema=None) as batch_op:
        batch_op.drop_index('ix_verificacion_usuario_proposito')
        batch_op.drop_index(batch_op.f('ix_verificacion_usuario_id'))

    op.drop_table('verificacion')
    with op.batch_alter_table('usuario_profesion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usuario_profesion_usuario_id'))

    op.drop_table('usuario_profesion')
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditoria_usuario_id'))
        batch_op.drop_index(batch_op.f('ix_auditoria_objeto_id'))
        batch_op.drop_index(batch_op.f('ix_auditoria_empresa_id'))
        batch_op.drop_index(batch_op.f('ix_auditoria_creado_en'))
        batch_op.drop_index(batch_op.f('ix_auditoria_accion'))

    op.drop_table('auditoria')
    op.drop_table('ab_user_role')
    with op.batch_alter_table('ab_user_group', schema=None) as batch_op:
        batch_op.drop_index('idx_user_id')
        batch_op.drop_index('idx_user_group_id')

    op.drop_table('ab_user_group')
    with op.batch_alter_table('ab_api_key', schema=None) as batch_op:
        batch_op.drop_index('idx_api_key_user_id')
        batch_op.drop_index('idx_api_key_prefix')
        batch_op.drop_index('idx_api_key_lookup_hash')

    op.drop_table('ab_api_key')
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_index('ix_usuario_numero_identificacion')
        batch_op.drop_index('ix_usuario_nombre_busqueda', postgresql_ops={'nombre_busqueda': 'text_pattern_ops'})
        batch_op.drop_index('ix_usuario_apellido_busqueda', postgresql_ops={'apellido_busqueda': 'text_pattern_ops'})

    op.drop_table('ab_user')
    with op.batch_alter_table('ab_permission_view_role', schema=None) as batch_op:
        batch_op.drop_index('idx_role_id')
        batch_op.drop_index('idx_permission_view_id')

    op.drop_table('ab_permission_view_role')
    with op.batch_alter_table('municipio', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipio_departamento_id'))

    op.drop_table('municipio')
    with op.batch_alter_table('ab_permission_view', schema=None) as batch_op:
        batch_op.drop_index('idx_view_menu_id')
        batch_op.drop_index('idx_permission_id')

    op.drop_table('ab_permission_view')
    with op.batch_alter_table('ab_group_role', schema=None) as batch_op:
        batch_op.drop_index('idx_group_role_id')
        batch_op.drop_index('idx_group_id')

    op.drop_table('ab_group_role')
    op.drop_table('tipo_identificacion')
    op.drop_table('sexo_nacer')
    op.drop_table('profesion')
    op.drop_table('pais')
    op.drop_table('nivel_academico')
    with op.batch_alter_table('mensaje_correo', schema=None) as batch_op:
        batch_op.drop_index('ix_mensaje_correo_pendientes')
        batch_op.drop_index(batch_op.f('ix_mensaje_correo_destinatario'))

    op.drop_table('mensaje_correo')
    op.drop_table('grupo_etnico')
    op.drop_table('estrato')
    op.drop_table('departamento')
    op.drop_table('ab_view_menu')
    op.drop_table('ab_role')
    op.drop_table('ab_register_user')
    op.drop_table('ab_permission')
    op.drop_table('ab_group')
    for name in FAB_SEQUENCES:
        op.execute(sa.schema.DropSequence(sa.Sequence(name)))
