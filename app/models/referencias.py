"""Reference lists (catálogos) used by the account forms; editable by the platform administrator."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship


class _Catalogo:
    """Every reference list: an id, and the row shows as its name."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    def __repr__(self) -> str:
        return self.nombre


class _Elegible(_Catalogo):
    """A list the forms offer: in `orden`, only the rows still `activo`."""

    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class _Lista(_Elegible):
    """Shared shape of the simple lists: a name, an order and an active flag."""

    nombre: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)


class TipoIdentificacion(_Elegible, Model):
    """Cédula de ciudadanía, Cédula de extranjería, Pasaporte, Otro (manual 4.3.2, in that order)."""

    __tablename__ = "tipo_identificacion"
    codigo: Mapped[str] = mapped_column(String(4), unique=True, nullable=False)
    nombre: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    # Validation rule of the number: "numerico", "alfanumerico" or "libre"; and its maximum length.
    regla: Mapped[str] = mapped_column(String(20), nullable=False, default="libre")
    longitud_maxima: Mapped[int] = mapped_column(Integer, nullable=False, default=20)


class Pais(_Catalogo, Model):
    __tablename__ = "pais"
    codigo: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)
    nombre: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Departamento(_Catalogo, Model):
    __tablename__ = "departamento"
    codigo: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)
    nombre: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)


class Municipio(_Catalogo, Model):
    __tablename__ = "municipio"
    codigo: Mapped[str] = mapped_column(String(5), unique=True, nullable=False)
    nombre: Mapped[str] = mapped_column(String(120), nullable=False)
    departamento_id: Mapped[int] = mapped_column(ForeignKey("departamento.id"), nullable=False, index=True)
    departamento: Mapped[Departamento] = relationship(lazy="joined")


class NivelAcademico(_Lista, Model):
    __tablename__ = "nivel_academico"


class GrupoEtnico(_Lista, Model):
    __tablename__ = "grupo_etnico"


class SexoNacer(_Lista, Model):
    __tablename__ = "sexo_nacer"


class Estrato(_Lista, Model):
    __tablename__ = "estrato"


class Profesion(_Lista, Model):
    __tablename__ = "profesion"
