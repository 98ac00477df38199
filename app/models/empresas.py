"""Empresas (personas jurídicas), their roles, memberships, RT/DT links and attached documents.

Circular externa 1000-011-2025 (seed 001) and the INM registration guide §4.1 (seed 003). Every model with
an `empresa_id` column and `__tenant__ = True` is filtered to the company the person acts as (see
app/security/tenancy.py), so FAB screens, actions, exports and the REST API cannot reach another company.
"""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.referencias import Departamento, Municipio, Pais, Profesion, TipoIdentificacion

ESTADO_EMPRESA_ACTIVA = "Activa"
ESTADO_EMPRESA_SUSPENDIDA = "Suspendida"

# Membership states as the circular names them.
MEMBRESIA_PENDIENTE = "Pendiente"
MEMBRESIA_ACEPTADO = "Aceptado"
MEMBRESIA_INACTIVO = "Inactivo"
ESTADOS_MEMBRESIA = (MEMBRESIA_PENDIENTE, MEMBRESIA_ACEPTADO, MEMBRESIA_INACTIVO)

ROL_ADMINISTRADOR = "Administrador"
ROL_FINANCIERO = "Financiero"

CALIDAD_RESPONSABLE_TECNICO = "Responsable técnico"
CALIDAD_DIRECTOR_TECNICO = "Director técnico"

DOC_NIT_RUT = "NIT/RUT"
DOC_CEDULA_REPRESENTANTE = "Cédula del representante legal"
DOC_CEDULA_CONTACTO = "Cédula del contacto"
DOC_OTRO = "Otro"
TIPOS_DOCUMENTO = (DOC_NIT_RUT, DOC_CEDULA_REPRESENTANTE, DOC_CEDULA_CONTACTO, DOC_OTRO)


class Empresa(Model):
    __tablename__ = "empresa"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nit: Mapped[str] = mapped_column(String(9), nullable=False, unique=True)
    digito_verificacion: Mapped[str] = mapped_column(String(1), nullable=False)
    razon_social: Mapped[str] = mapped_column(String(200), nullable=False)
    sigla: Mapped[str | None] = mapped_column(String(60))
    # Caracterización (tamaño y sector) as chosen from fixed lists in the registration form.
    tamano: Mapped[str | None] = mapped_column(String(30))
    sector: Mapped[str | None] = mapped_column(String(80))
    correo: Mapped[str] = mapped_column(String(320), nullable=False)
    telefono: Mapped[str | None] = mapped_column(String(20))
    celular: Mapped[str | None] = mapped_column(String(20))
    pais_id: Mapped[int | None] = mapped_column(ForeignKey("pais.id"))
    departamento_id: Mapped[int | None] = mapped_column(ForeignKey("departamento.id"))
    municipio_id: Mapped[int | None] = mapped_column(ForeignKey("municipio.id"))
    direccion: Mapped[str | None] = mapped_column(String(255))
    direccion_componentes: Mapped[dict | None] = mapped_column(JSONB)
    # Información de contacto: the person who manages the registration before Invima.
    contacto_nombre: Mapped[str | None] = mapped_column(String(150))
    contacto_cargo: Mapped[str | None] = mapped_column(String(100))
    contacto_correo: Mapped[str | None] = mapped_column(String(320))
    contacto_telefono: Mapped[str | None] = mapped_column(String(20))
    # Representante legal: identification and names as registered (an account may not exist yet).
    rl_tipo_identificacion_id: Mapped[int] = mapped_column(ForeignKey("tipo_identificacion.id"), nullable=False)
    rl_numero_identificacion: Mapped[str] = mapped_column(String(20), nullable=False)
    rl_nombres: Mapped[str] = mapped_column(String(64), nullable=False)
    rl_apellidos: Mapped[str] = mapped_column(String(64), nullable=False)
    estado: Mapped[str] = mapped_column(String(20), nullable=False, default=ESTADO_EMPRESA_ACTIVA)
    motivo_suspension: Mapped[str | None] = mapped_column(String(500))
    terminos_aceptados_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    creado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))

    pais: Mapped[Pais | None] = relationship()
    departamento: Mapped[Departamento | None] = relationship()
    municipio: Mapped[Municipio | None] = relationship()
    rl_tipo_identificacion: Mapped[TipoIdentificacion] = relationship()

    __table_args__ = (Index("ix_empresa_razon_social", "razon_social"),)

    @property
    def nit_completo(self) -> str:
        return f"{self.nit}-{self.digito_verificacion}"

    @property
    def suspendida(self) -> bool:
        return self.estado == ESTADO_EMPRESA_SUSPENDIDA

    def __repr__(self) -> str:
        return f"{self.razon_social} (NIT {self.nit_completo})"


rol_empresa_permiso = Table(
    "rol_empresa_permiso",
    Model.metadata,
    Column("rol_id", Integer, ForeignKey("rol_empresa.id", ondelete="CASCADE"), primary_key=True),
    # A leaf of the permission tree, e.g. "usuarios.invitar" (app/security/arbol_permisos.py).
    Column("permiso", String(60), primary_key=True),
)

membresia_rol = Table(
    "membresia_rol",
    Model.metadata,
    Column("membresia_id", Integer, ForeignKey("membresia.id", ondelete="CASCADE"), primary_key=True),
    Column("rol_id", Integer, ForeignKey("rol_empresa.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class DeTitular:
    """A row whose titular is a company (`empresa`) or a person (`persona`): its name as the lists print it."""

    @property
    def titular_nombre(self) -> str:
        if self.empresa is not None:
            return self.empresa.razon_social
        return f"{self.persona.first_name} {self.persona.last_name}" if self.persona else ""


class _DeEmpresa:
    """A row that belongs to one company: filtered to the company the person acts as (app/security/tenancy.py)."""

    __tenant__ = True
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    empresa_id: Mapped[int] = mapped_column(ForeignKey("empresa.id", ondelete="CASCADE"), nullable=False, index=True)


class _Invitado(_DeEmpresa):
    """A company's place for a person that starts as an invitation: Pendiente until it expires, is accepted
    (Aceptado) or declined (`rechazado_en`); later it may be inactivated."""

    estado: Mapped[str] = mapped_column(String(20), nullable=False, default=MEMBRESIA_PENDIENTE)
    invitacion_expira_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invitado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    aceptado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rechazado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    inactivado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RolEmpresa(_DeEmpresa, Model):
    """A company role: the predefined Administrador and Financiero (immutable) or a custom one."""

    __tablename__ = "rol_empresa"
    nombre: Mapped[str] = mapped_column(String(60), nullable=False)
    descripcion: Mapped[str | None] = mapped_column(String(300))
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    predefinido: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    empresa: Mapped[Empresa] = relationship()

    __table_args__ = (UniqueConstraint("empresa_id", "nombre", name="uq_rol_empresa_nombre"),)

    def __repr__(self) -> str:
        return self.nombre


class Membresia(_Invitado, Model):
    """A person's place in a company. While Pendiente it is an invitation by identification: `usuario_id`
    stays empty until an account with that identification exists and accepts."""

    __tablename__ = "membresia"
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), index=True)
    tipo_identificacion_id: Mapped[int] = mapped_column(ForeignKey("tipo_identificacion.id"), nullable=False)
    numero_identificacion: Mapped[str] = mapped_column(String(20), nullable=False)
    es_representante_legal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    empresa: Mapped[Empresa] = relationship()
    usuario = relationship("Usuario", foreign_keys=[usuario_id])
    invitado_por = relationship("Usuario", foreign_keys="Membresia.invitado_por_id")
    tipo_identificacion: Mapped[TipoIdentificacion] = relationship()
    roles: Mapped[list[RolEmpresa]] = relationship(secondary=membresia_rol, order_by="RolEmpresa.nombre")

    __table_args__ = (
        UniqueConstraint(
            "empresa_id", "tipo_identificacion_id", "numero_identificacion", name="uq_membresia_identificacion"
        ),
        Index("ix_membresia_identificacion", "tipo_identificacion_id", "numero_identificacion"),
        Index("ix_membresia_empresa_estado", "empresa_id", "estado"),
    )


class VinculoTecnico(_Invitado, Model):
    """A person linked to a company as responsable técnico or director técnico (manual 4.6.1.1), kept for
    the NSO filings. Invited, then accepted or declined like a membership."""

    __tablename__ = "vinculo_tecnico"
    usuario_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    calidad: Mapped[str] = mapped_column(String(30), nullable=False)
    profesion_id: Mapped[int | None] = mapped_column(ForeignKey("profesion.id"))
    tarjeta_profesional: Mapped[str | None] = mapped_column(String(30))

    empresa: Mapped[Empresa] = relationship()
    usuario = relationship("Usuario", foreign_keys=[usuario_id])
    profesion: Mapped[Profesion | None] = relationship()

    __table_args__ = (UniqueConstraint("empresa_id", "usuario_id", "calidad", name="uq_vinculo_tecnico"),)


class DocumentoEmpresa(_DeEmpresa, Model):
    """A PDF attached at registration; the file lives content-addressed under instance/documentos/."""

    __tablename__ = "documento_empresa"
    tipo: Mapped[str] = mapped_column(String(40), nullable=False)
    nombre_archivo: Mapped[str] = mapped_column(String(255), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    tamano: Mapped[int] = mapped_column(BigInteger, nullable=False)
    tipo_contenido: Mapped[str] = mapped_column(String(100), nullable=False, default="application/pdf")
    descripcion: Mapped[str | None] = mapped_column(Text)
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    subido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
