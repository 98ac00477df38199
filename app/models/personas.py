"""Usuario: FAB's User extended with the personal account of the InvimÁgil manual (module 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.referencias import (
    Departamento,
    Estrato,
    GrupoEtnico,
    Municipio,
    NivelAcademico,
    Pais,
    Profesion,
    SexoNacer,
    TipoIdentificacion,
)

ESTADO_PENDIENTE = "Pendiente de activación"
ESTADO_ACTIVA = "Activa"
ESTADO_BLOQUEADA = "Bloqueada"
ESTADO_INACTIVA = "Inactiva"


class Usuario(User):
    """A person. `first_name`/`last_name` hold nombre(s)/apellido(s); `username` is derived: CC-1032456789."""

    __tablename__ = "ab_user"

    tipo_identificacion_id: Mapped[int | None] = mapped_column(ForeignKey("tipo_identificacion.id"))
    otro_tipo_identificacion: Mapped[str | None] = mapped_column(String(60))
    numero_identificacion: Mapped[str | None] = mapped_column(String(20))
    nacionalidad_id: Mapped[int | None] = mapped_column(ForeignKey("pais.id"))
    correo_alternativo: Mapped[str | None] = mapped_column(String(320))
    fecha_nacimiento: Mapped[date | None] = mapped_column(Date)
    sexo_nacer_id: Mapped[int | None] = mapped_column(ForeignKey("sexo_nacer.id"))
    nivel_academico_id: Mapped[int | None] = mapped_column(ForeignKey("nivel_academico.id"))
    grupo_etnico_id: Mapped[int | None] = mapped_column(ForeignKey("grupo_etnico.id"))

    # Datos de ubicación
    pais_residencia_id: Mapped[int | None] = mapped_column(ForeignKey("pais.id"))
    departamento_id: Mapped[int | None] = mapped_column(ForeignKey("departamento.id"))
    municipio_id: Mapped[int | None] = mapped_column(ForeignKey("municipio.id"))
    vereda: Mapped[str | None] = mapped_column(String(120))
    estrato_id: Mapped[int | None] = mapped_column(ForeignKey("estrato.id"))
    estado_provincia: Mapped[str | None] = mapped_column(String(120))
    ciudad: Mapped[str | None] = mapped_column(String(120))
    localidad: Mapped[str | None] = mapped_column(String(120))
    direccion: Mapped[str | None] = mapped_column(String(255))
    # Components typed in the "Ingrese la dirección" dialog (principal, número, sufijos, rural…).
    direccion_componentes: Mapped[dict | None] = mapped_column(JSONB)
    indicaciones: Mapped[str | None] = mapped_column(String(255))
    localizacion_geografica: Mapped[str | None] = mapped_column(String(20))
    telefono: Mapped[str | None] = mapped_column(String(20))
    celular: Mapped[str | None] = mapped_column(String(20))

    acepta_invitaciones_rt_dt: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="false"
    )
    terminos_aceptados_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activada_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bloqueada_hasta: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Sessions carry the generation they were opened in; logout, password change and reset increase it, which
    # ends every other session of the account on its next request (manager.load_user).
    generacion_sesion: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    # Lower-case, accent-free "nombres apellidos" and "apellidos", for prefix search by the help desk.
    nombre_busqueda: Mapped[str | None] = mapped_column(String(260))
    apellido_busqueda: Mapped[str | None] = mapped_column(String(130))

    tipo_identificacion: Mapped[TipoIdentificacion | None] = relationship(lazy="joined")
    nacionalidad: Mapped[Pais | None] = relationship(foreign_keys=[nacionalidad_id])
    pais_residencia: Mapped[Pais | None] = relationship(foreign_keys=[pais_residencia_id])
    departamento: Mapped[Departamento | None] = relationship()
    municipio: Mapped[Municipio | None] = relationship()
    sexo_nacer: Mapped[SexoNacer | None] = relationship()
    nivel_academico: Mapped[NivelAcademico | None] = relationship()
    grupo_etnico: Mapped[GrupoEtnico | None] = relationship()
    estrato: Mapped[Estrato | None] = relationship()
    profesiones: Mapped[list[UsuarioProfesion]] = relationship(
        back_populates="usuario", cascade="all, delete-orphan", order_by="UsuarioProfesion.id"
    )

    __table_args__ = (
        UniqueConstraint("tipo_identificacion_id", "numero_identificacion", name="uq_usuario_identificacion"),
        Index("ix_usuario_numero_identificacion", "numero_identificacion"),
        # Case-insensitive e-mail look-ups (duplicates at signup, help desk); created by migration 0002.
        Index("ix_usuario_email_lower", text("lower(email)")),
        Index("ix_usuario_nombre_busqueda", "nombre_busqueda", postgresql_ops={"nombre_busqueda": "text_pattern_ops"}),
        Index(
            "ix_usuario_apellido_busqueda",
            "apellido_busqueda",
            postgresql_ops={"apellido_busqueda": "text_pattern_ops"},
        ),
        {"extend_existing": True},
    )

    @property
    def nombres(self) -> str:
        return self.first_name

    @property
    def apellidos(self) -> str:
        return self.last_name

    @property
    def identificacion(self) -> str:
        tipo = self.tipo_identificacion.nombre if self.tipo_identificacion else ""
        return f"{tipo} {self.numero_identificacion or ''}".strip()

    @property
    def estado(self) -> str:
        if self.activada_en is None:
            return ESTADO_PENDIENTE
        if self.bloqueada_hasta and self.bloqueada_hasta > datetime.now(UTC):
            return ESTADO_BLOQUEADA
        if not self.active:
            return ESTADO_INACTIVA
        return ESTADO_ACTIVA


@event.listens_for(Usuario.password, "set")
def _una_contrasena_nueva_termina_las_sesiones(usuario: Usuario, nueva, anterior, _iniciador) -> None:
    """Whoever sets a password (change, recovery, FAB's admin reset) ends the sessions opened before it.

    The increment is written as SQL (`generacion_sesion + 1`), so it adds to whatever logouts wrote meanwhile.
    """
    if inspect(usuario).persistent and nueva != anterior:
        usuario.generacion_sesion = Usuario.generacion_sesion + 1


class UsuarioProfesion(Model):
    """A profession declared in Mi perfil for RT/DT invitations; the tarjeta profesional is unique."""

    __tablename__ = "usuario_profesion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    profesion_id: Mapped[int] = mapped_column(ForeignKey("profesion.id"), nullable=False)
    tarjeta_profesional: Mapped[str] = mapped_column(String(30), nullable=False, unique=True)

    usuario: Mapped[Usuario] = relationship(back_populates="profesiones")
    profesion: Mapped[Profesion] = relationship(lazy="joined")
