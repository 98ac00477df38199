"""Expedientes: what a company or a person files (issue 12 §2–§3; form ASS-RSA-FM003 of seed 004).

The titular is the company the person acts as (`empresa_id`) or the person themself (`persona_id`), never both.
`__titular__` models are filtered at the ORM layer to the titular of the request (app/security/tenancy.py), as
company rows are: another company's or person's expediente is not found.

An expediente keeps the trámite version, modality and tarifa variant it is filed under; the sections of the form
live in `datos` (JSONB, one key per section, validated by app/services/expedientes/secciones.py), the checklist in
`anexos` (one row per requisito: autochequeo sí / no, the PDF by SHA-256 and its folios). Radicado, it is frozen
(migration 0008's triggers): the review of the next issue hangs from it without changing what was filed.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalogo import FamiliaProducto, Modalidad, Requisito, TramiteVersion
from app.models.empresas import DeTitular, Empresa, VinculoTecnico
from app.models.funcionarios import GrupoRevision
from app.models.personas import Usuario

ESTADO_BORRADOR = "Borrador"
ESTADO_RADICADO = "Radicado"
# The Invima review (issue 13): assigned by a coordinator, verified requisito by requisito, then decided.
ESTADO_ASIGNADO = "Asignado"
ESTADO_EN_VERIFICACION = "En verificación"
ESTADO_REQUERIMIENTO_ENVIADO = "Requerimiento enviado"
ESTADO_REQUERIMIENTO_RESPONDIDO = "Requerimiento respondido"
ESTADO_APROBADO = "Aprobado"
ESTADO_NEGADO = "Negado"
ESTADO_DESISTIDO = "Desistido"
ESTADOS_ABIERTOS = (
    ESTADO_RADICADO,
    ESTADO_ASIGNADO,
    ESTADO_EN_VERIFICACION,
    ESTADO_REQUERIMIENTO_ENVIADO,
    ESTADO_REQUERIMIENTO_RESPONDIDO,
)
ESTADOS_DECIDIDOS = (ESTADO_APROBADO, ESTADO_NEGADO, ESTADO_DESISTIDO)
# A recurso de reposición against the decision (migration 0014): the coordinator resolves it; the checklist and the
# decisions stay closed meanwhile (ESTADOS_CERRADOS), and reponer the decision opens them again.
ESTADO_EN_RECURSO = "En recurso"
ESTADOS_CERRADOS = (*ESTADOS_DECIDIDOS, ESTADO_EN_RECURSO)
ESTADOS_RADICADOS = (*ESTADOS_ABIERTOS, *ESTADOS_DECIDIDOS, ESTADO_EN_RECURSO)
ESTADOS = (ESTADO_BORRADOR, *ESTADOS_RADICADOS)

# The support of «autorización de uso de la tasa de un tercero al titular» (FM003 §1.2): the catalog's requisito of
# that code where the trámite lists it, else an anexo of its own with the same key.
CLAVE_AUTORIZACION_TASA = "autorizacion_tasa_tercero"
# The declaración the «Notificación electrónica» section answers (FM003's first box), where the checklist lists it.
CLAVE_NOTIFICACION = "notificacion_electronica"
# The declaración de veracidad, answered by the «Declaración» section's own box.
CLAVE_VERACIDAD = "declaracion_veracidad"


class Expediente(DeTitular, Model):
    __tablename__ = "expediente"
    __titular__ = True
    __table_args__ = (
        UniqueConstraint("radicado_anio", "radicado_numero", name="uq_expediente_radicado_anio_numero"),
        # «Mis expedientes»: one titular's rows, newest first, read from the index at a million rows, with the
        # columns its search filters on (migration 0008).
        Index(
            "ix_expediente_empresa_creado",
            "empresa_id",
            text("creado_en DESC"),
            text("id DESC"),
            postgresql_include=["estado", "tramite_version_id", "radicado"],
            postgresql_where=text("empresa_id IS NOT NULL"),
        ),
        Index(
            "ix_expediente_persona_creado",
            "persona_id",
            text("creado_en DESC"),
            text("id DESC"),
            postgresql_include=["estado", "tramite_version_id", "radicado"],
            postgresql_where=text("persona_id IS NOT NULL"),
        ),
        Index(
            "ix_expediente_empresa_version",
            "empresa_id",
            "tramite_version_id",
            postgresql_where=text("empresa_id IS NOT NULL"),
        ),
        # The back-office queue (migration 0009): by legal due date — NULL (suspended or decided) last — for whoever
        # sees several grupos, per grupo, and per assignee.
        Index("ix_expediente_cola", "vence_en", "id", postgresql_where=text("radicado IS NOT NULL")),
        Index("ix_expediente_cola_grupo", "grupo_id", "vence_en", "id", postgresql_where=text("radicado IS NOT NULL")),
        Index(
            "ix_expediente_cola_asignado",
            "asignado_a_id",
            "vence_en",
            "id",
            postgresql_include=["grupo_id"],
            postgresql_where=text("radicado IS NOT NULL"),
        ),
        Index(
            "ix_expediente_radicado_patron",
            "radicado",
            postgresql_ops={"radicado": "text_pattern_ops"},
            postgresql_where=text("radicado IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    empresa_id: Mapped[int | None] = mapped_column(ForeignKey("empresa.id", ondelete="RESTRICT"))
    persona_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="RESTRICT"))
    creado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    tramite_version_id: Mapped[int] = mapped_column(ForeignKey("tramite_version.id"), nullable=False, index=True)
    modalidad_id: Mapped[int | None] = mapped_column(ForeignKey("modalidad.id"))
    variante: Mapped[str | None] = mapped_column(String(150))
    estado: Mapped[str] = mapped_column(String(30), nullable=False, default=ESTADO_BORRADOR)
    datos: Mapped[dict] = mapped_column(JSONB, nullable=False, default=dict)
    secciones: Mapped[list[str]] = mapped_column(ARRAY(String(30)), nullable=False, default=list)
    nombre_producto: Mapped[str | None] = mapped_column(String(200))
    bajo_insistencia: Mapped[str | None] = mapped_column(Text)
    responsable_tecnico_id: Mapped[int | None] = mapped_column(
        ForeignKey("vinculo_tecnico.id", ondelete="SET NULL"), index=True
    )
    rt_confirmado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    radicado: Mapped[str | None] = mapped_column(String(20), unique=True)
    radicado_anio: Mapped[int | None] = mapped_column(Integer)
    radicado_numero: Mapped[int | None] = mapped_column(Integer)
    radicado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    radicado_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    huella: Mapped[str | None] = mapped_column(String(64))  # sha256 of what was frozen at radicación
    codigo_verificacion: Mapped[str | None] = mapped_column(String(64))  # sha256 of the code on the constancia
    constancia_sha256: Mapped[str | None] = mapped_column(String(64))
    creado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actualizado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # The review (issue 13), set at radicación: the grupo and family that review it, and the legal clock — the
    # decision term in días hábiles, the días used before the current suspension, the day it runs from (NULL while
    # suspended or decided) and the due date it gives (NULL likewise).
    grupo_id: Mapped[int | None] = mapped_column(ForeignKey("grupo_revision.id"))
    familia_id: Mapped[int | None] = mapped_column(ForeignKey("familia_producto.id"))
    asignado_a_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    asignado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    termino_dias: Mapped[int | None] = mapped_column(Integer)
    dias_usados: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    reloj_desde: Mapped[date | None] = mapped_column(Date)
    vence_en: Mapped[date | None] = mapped_column(Date)
    decidido_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The registro / NSO it refers to (a renovación, modificación or certificado) or that its approval granted.
    # use_alter: expediente → registro_sanitario → acto_administrativo → expediente is a cycle; this key is the one
    # SQLAlchemy leaves out when it sorts the tables (its name is PostgreSQL's, as migration 0010 created it).
    registro_id: Mapped[int | None] = mapped_column(
        ForeignKey("registro_sanitario.id", ondelete="SET NULL", use_alter=True, name="expediente_registro_id_fkey"),
        index=True,
    )

    empresa: Mapped[Empresa | None] = relationship()
    persona: Mapped[Usuario | None] = relationship(foreign_keys=[persona_id])
    creado_por: Mapped[Usuario | None] = relationship(foreign_keys=[creado_por_id])
    radicado_por: Mapped[Usuario | None] = relationship(foreign_keys=[radicado_por_id])
    asignado_a: Mapped[Usuario | None] = relationship(foreign_keys=[asignado_a_id])
    grupo: Mapped[GrupoRevision | None] = relationship()
    familia: Mapped[FamiliaProducto | None] = relationship()
    version: Mapped[TramiteVersion] = relationship()
    modalidad: Mapped[Modalidad | None] = relationship()
    responsable_tecnico: Mapped[VinculoTecnico | None] = relationship()
    anexos: Mapped[list[ExpedienteAnexo]] = relationship(
        back_populates="expediente", cascade="all, delete-orphan", order_by="ExpedienteAnexo.id"
    )

    @property
    def radicado_o_borrador(self) -> str:
        return self.radicado or f"Borrador n.º {self.id}"

    def __str__(self) -> str:
        return self.radicado_o_borrador


class ExpedienteAnexo(Model):
    """One line of the checklist: the applicant's autochequeo (`adjunto`) and, when attached, the PDF."""

    __tablename__ = "expediente_anexo"
    __table_args__ = (UniqueConstraint("expediente_id", "clave", name="uq_expediente_anexo_clave"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(ForeignKey("expediente.id", ondelete="CASCADE"), nullable=False)
    clave: Mapped[str] = mapped_column(String(60), nullable=False)  # the requisito's codigo, or CLAVE_AUTORIZACION_TASA
    requisito_id: Mapped[int | None] = mapped_column(ForeignKey("requisito.id"))
    adjunto: Mapped[bool] = mapped_column(Boolean, nullable=False)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    nombre_archivo: Mapped[str | None] = mapped_column(String(255))
    tamano: Mapped[int | None] = mapped_column(BigInteger)
    folios: Mapped[int | None] = mapped_column(Integer)
    subido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    actualizado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    expediente: Mapped[Expediente] = relationship(back_populates="anexos")
    requisito: Mapped[Requisito | None] = relationship()


class ContadorRadicado(Model):
    """The last radicado number of each year. Incremented inside the radicación's transaction (its row lock
    serialises concurrent radicaciones of a year and a rollback gives the number back): no gap, no duplicate."""

    __tablename__ = "contador_radicado"
    anio: Mapped[int] = mapped_column(Integer, primary_key=True)
    ultimo: Mapped[int] = mapped_column(Integer, nullable=False)
