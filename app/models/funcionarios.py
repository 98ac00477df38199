"""Invima's back-office staff (issue 13 §1): grupos de revisión that own families of the catalog, and funcionarios.

A funcionario is a platform user holding a staff role (Coordinador, Revisor legal, Revisor técnico:
app/security/roles.py) with the «Código» FM003 prints next to each VoBo, and one or more grupos. Staff never act
as a company; in the back-office screens they see only the expedientes of their grupos (app/security/tenancy.py).
"""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalogo import FamiliaProducto
from app.models.personas import Usuario

funcionario_grupo = Table(
    "funcionario_grupo",
    Model.metadata,
    Column("funcionario_id", ForeignKey("funcionario.id", ondelete="CASCADE"), primary_key=True),
    Column("grupo_id", ForeignKey("grupo_revision.id", ondelete="CASCADE"), primary_key=True),
)


class GrupoRevision(Model):
    __tablename__ = "grupo_revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    nombre: Mapped[str] = mapped_column(String(150), nullable=False)
    descripcion: Mapped[str | None] = mapped_column(Text)
    familias: Mapped[list[FamiliaProducto]] = relationship(back_populates="grupo", order_by=FamiliaProducto.orden)

    def __str__(self) -> str:
        return self.nombre


class Funcionario(Model):
    __tablename__ = "funcionario"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    usuario_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, unique=True)
    codigo: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    usuario: Mapped[Usuario] = relationship()
    grupos: Mapped[list[GrupoRevision]] = relationship(secondary=funcionario_grupo, order_by=GrupoRevision.nombre)

    def __str__(self) -> str:
        return f"{self.usuario.first_name} {self.usuario.last_name} ({self.codigo})" if self.usuario else self.codigo
