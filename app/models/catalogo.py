"""The catalog of trámites as data (seed 002, the guide of trámites; seed 004, form ASS-RSA-FM003 and its
checklists): product families, modalities, trámites and, for each trámite, numbered versions with their tarifas,
tipos de modificación and requisitos per modality.

A trámite is its stable identity (codigo, familia); what it asks and costs lives in a `TramiteVersion`. A published
version never changes: a change is a new version, and an expediente keeps the version it was filed under
(issue 12 §1). `flask seed` loads seed/data/catalogo (seed/catalogo.py); the platform administrator edits drafts
through the generated screens (app/views/crud/catalogo.py).
"""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

ORIGENES_MODALIDAD = ("Nacional", "Importado")
TIPOS_TRAMITE = {
    "registro": "Registro",
    "notificacion": "Notificación",
    "renovacion": "Renovación",
    "modificacion": "Modificación",
    "certificado": "Certificado",
    "autorizacion": "Autorización",
    "desglose": "Desglose",
    "cancelacion": "Cancelación",
    "comunicacion": "Comunicación",
    "agotamiento": "Agotamiento de existencias",
    "otro": "Otro",
}
# What satisfies a requisito (issue 12 §1): an uploaded document, data in the form, a declaration, or checked by
# the Invima itself (004 marks some «verificado internamente por el Invima»).
SATISFACE = {
    "documento": "Documento anexo",
    "dato": "Dato del formulario",
    "declaracion": "Declaración",
    "interno": "Verificado internamente por el Invima",
}

# Ley 1437 de 2011 art. 14 (Ley 1755 de 2015): a petition is decided within 15 días hábiles unless the law sets
# another term; the seeds set none (seed/data/catalogo/LEEME.md, «Término de decisión»).
TERMINO_DECISION_DIAS = 15
PARTE_LEGAL = "legal"
PARTE_TECNICA = "tecnico"
PARTES_REQUISITO = {PARTE_LEGAL: "Legal", PARTE_TECNICA: "Técnico"}  # as FM003 names the VoBo: «VoBo Técnico»
# In a sentence the noun is «la parte»: «la parte legal», «la parte técnica».
PARTE_EN_FRASE = {PARTE_LEGAL: "legal", PARTE_TECNICA: "técnica"}

VERSION_BORRADOR = "Borrador"
VERSION_PUBLICADA = "Publicada"
VERSION_REEMPLAZADA = "Reemplazada"
ESTADOS_VERSION = (VERSION_BORRADOR, VERSION_PUBLICADA, VERSION_REEMPLAZADA)

ORIGEN_SEMILLA = "semilla"
ORIGEN_ADMINISTRADOR = "administrador"


class FamiliaProducto(Model):
    __tablename__ = "familia_producto"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    nombre: Mapped[str] = mapped_column(String(150), nullable=False)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fuente: Mapped[str] = mapped_column(Text, nullable=False)
    # Agotamiento de existencias, as 002 states it per family (data, not code branches).
    agotamiento_meses: Mapped[int | None] = mapped_column(Integer)
    agotamiento_prorrogas: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    agotamiento_tramite: Mapped[str | None] = mapped_column(String(60))
    agotamiento_nota: Mapped[str | None] = mapped_column(Text)
    # The grupo de revisión whose staff review its expedientes (seed/data/catalogo/revision.toml; issue 13 §1).
    grupo_id: Mapped[int | None] = mapped_column(ForeignKey("grupo_revision.id"))
    # How the number of the registro / NSO its approvals grant is written (issue 13 §4; familias.toml).
    # e.g. "NSOC{numero:05d}-{aa}CO": {numero} per format and year, {anio} / {aa} the year in 4 / 2 digits.
    formato_registro: Mapped[str | None] = mapped_column(String(40))
    clase_registro: Mapped[str | None] = mapped_column(String(60))
    grupo: Mapped[GrupoRevision | None] = relationship(back_populates="familias")  # noqa: F821 (app/models/funcionarios.py)

    def __str__(self) -> str:
        return self.nombre


class Modalidad(Model):
    __tablename__ = "modalidad"
    __table_args__ = (CheckConstraint("origen IN ('Nacional', 'Importado')", name="ck_modalidad_origen"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    nombre: Mapped[str] = mapped_column(String(120), nullable=False)
    origen: Mapped[str] = mapped_column(String(10), nullable=False)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fuente: Mapped[str] = mapped_column(Text, nullable=False)

    def __str__(self) -> str:
        return f"{self.nombre} ({self.origen})"


class Tramite(Model):
    """A trámite's identity. Its content is in its versions; the current one is the single `Publicada`."""

    __tablename__ = "tramite"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    codigo: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    familia_id: Mapped[int] = mapped_column(ForeignKey("familia_producto.id"), nullable=False, index=True)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    familia: Mapped[FamiliaProducto] = relationship()
    versiones: Mapped[list[TramiteVersion]] = relationship(
        back_populates="tramite", order_by="TramiteVersion.numero", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.codigo


tramite_version_modalidad = Table(
    "tramite_version_modalidad",
    Model.metadata,
    Column("version_id", ForeignKey("tramite_version.id", ondelete="CASCADE"), primary_key=True),
    Column("modalidad_id", ForeignKey("modalidad.id"), primary_key=True),
)

requisito_modalidad = Table(
    "requisito_modalidad",
    Model.metadata,
    Column("requisito_id", ForeignKey("requisito.id", ondelete="CASCADE"), primary_key=True),
    Column("modalidad_id", ForeignKey("modalidad.id"), primary_key=True),
)


class TramiteVersion(Model):
    __tablename__ = "tramite_version"
    __table_args__ = (
        UniqueConstraint("tramite_id", "numero", name="uq_tramite_version_numero"),
        CheckConstraint("estado IN ('Borrador', 'Publicada', 'Reemplazada')", name="ck_tramite_version_estado"),
        CheckConstraint("vigencia_anios IS NULL OR vigencia_anios > 0", name="ck_tramite_version_vigencia"),
        # One published version per trámite: the one new expedientes are filed under.
        Index(
            "uq_tramite_version_publicada",
            "tramite_id",
            unique=True,
            postgresql_where=text("estado = 'Publicada'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tramite_id: Mapped[int] = mapped_column(ForeignKey("tramite.id", ondelete="CASCADE"), nullable=False)
    numero: Mapped[int] = mapped_column(Integer, nullable=False)
    estado: Mapped[str] = mapped_column(String(12), nullable=False, default=VERSION_BORRADOR)
    nombre: Mapped[str] = mapped_column(String(300), nullable=False)
    tipo: Mapped[str] = mapped_column(String(20), nullable=False)
    seccion: Mapped[str | None] = mapped_column(String(30))
    fuente: Mapped[str] = mapped_column(Text, nullable=False)
    descripcion: Mapped[str | None] = mapped_column(Text)
    vigencia_anios: Mapped[int | None] = mapped_column(Integer)
    renovacion: Mapped[str | None] = mapped_column(Text)
    renueva: Mapped[str | None] = mapped_column(String(60))  # codigo of the trámite whose registro it renews
    persona_natural: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Filing rules as data (issue 12 §2): a renovación is filed between `renovacion_desde_meses` and
    # `renovacion_hasta_meses` months before the registro expires (NULL: no bound on that side); a new registro for
    # a product whose registro expired unrenewed waits `espera_tras_vencimiento_meses`; NSO filings name a
    # responsable técnico who confirms them.
    renovacion_desde_meses: Mapped[int | None] = mapped_column(Integer)
    renovacion_hasta_meses: Mapped[int | None] = mapped_column(Integer)
    espera_tras_vencimiento_meses: Mapped[int | None] = mapped_column(Integer)
    requiere_responsable_tecnico: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    una_vez_por_titular: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    # The decision term in días hábiles (issue 13 §3; the ruling is in seed/data/catalogo/LEEME.md).
    termino_decision_dias: Mapped[int] = mapped_column(
        Integer, nullable=False, default=TERMINO_DECISION_DIAS, server_default=text(str(TERMINO_DECISION_DIAS))
    )
    origen: Mapped[str] = mapped_column(String(15), nullable=False, default=ORIGEN_ADMINISTRADOR)
    huella: Mapped[str | None] = mapped_column(String(64))  # sha256 of the seed entry it was loaded from
    creada_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    publicada_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tramite: Mapped[Tramite] = relationship(back_populates="versiones")
    modalidades: Mapped[list[Modalidad]] = relationship(secondary=tramite_version_modalidad, order_by=Modalidad.orden)
    tarifas: Mapped[list[Tarifa]] = relationship(
        back_populates="version", order_by="Tarifa.orden", cascade="all, delete-orphan"
    )
    tipos_modificacion: Mapped[list[TipoModificacion]] = relationship(
        back_populates="version", order_by="TipoModificacion.orden", cascade="all, delete-orphan"
    )
    requisitos: Mapped[list[Requisito]] = relationship(
        back_populates="version", order_by="Requisito.orden", cascade="all, delete-orphan"
    )

    @property
    def publicada(self) -> bool:
        return self.estado != VERSION_BORRADOR

    def tarifas_por_variante(self) -> list[tuple[str, list[str]]]:
        """[(variante, [códigos])] in the catalog's order: the eight codes of a registro de plaguicida «según el
        tamaño de la empresa» read as one line, the two CVL variants as two."""
        grupos: dict[str, list[str]] = {}
        for tarifa in self.tarifas:
            grupos.setdefault(tarifa.variante, []).append(tarifa.codigo)
        return list(grupos.items())

    def __str__(self) -> str:
        return f"{self.nombre} (versión {self.numero})"


class Tarifa(Model):
    __tablename__ = "tarifa"
    __table_args__ = (UniqueConstraint("version_id", "codigo", "variante", name="uq_tarifa_version_codigo"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False)
    codigo: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    variante: Mapped[str] = mapped_column(String(150), nullable=False, default="")
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    version: Mapped[TramiteVersion] = relationship(back_populates="tarifas")

    def __str__(self) -> str:
        return f"{self.codigo} ({self.variante})" if self.variante else self.codigo


class TipoModificacion(Model):
    __tablename__ = "tipo_modificacion"
    __table_args__ = (UniqueConstraint("version_id", "codigo", name="uq_tipo_modificacion_version_codigo"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False)
    codigo: Mapped[str] = mapped_column(String(40), nullable=False)
    nombre: Mapped[str] = mapped_column(String(200), nullable=False)
    tarifa: Mapped[str | None] = mapped_column(String(10))
    fuente: Mapped[str] = mapped_column(Text, nullable=False)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    version: Mapped[TramiteVersion] = relationship(back_populates="tipos_modificacion")

    def __str__(self) -> str:
        return self.nombre


class Requisito(Model):
    __tablename__ = "requisito"
    __table_args__ = (
        UniqueConstraint("version_id", "codigo", name="uq_requisito_version_codigo"),
        CheckConstraint("satisface IN ('documento', 'dato', 'declaracion', 'interno')", name="ck_requisito_satisface"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("tramite_version.id", ondelete="CASCADE"), nullable=False, index=True
    )
    codigo: Mapped[str] = mapped_column(String(60), nullable=False)
    nombre: Mapped[str] = mapped_column(Text, nullable=False)
    satisface: Mapped[str] = mapped_column(String(12), nullable=False)
    obligatorio: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    fuente: Mapped[str] = mapped_column(Text, nullable=False)
    nota: Mapped[str | None] = mapped_column(Text)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Who verifies it at the Invima: the legal or the technical reviewer (seed/data/catalogo/revision.toml).
    parte: Mapped[str] = mapped_column(String(8), nullable=False, default=PARTE_TECNICA, server_default=PARTE_TECNICA)
    # The tarifa variants it belongs to (e.g. only «Certificado con observaciones»); empty: every variant.
    variantes: Mapped[list[str]] = mapped_column(
        ARRAY(String(150)), nullable=False, default=list, server_default=text("'{}'")
    )
    version: Mapped[TramiteVersion] = relationship(back_populates="requisitos")
    # Empty: every modality of the trámite.
    modalidades: Mapped[list[Modalidad]] = relationship(secondary=requisito_modalidad, order_by=Modalidad.orden)

    def __str__(self) -> str:
        return self.nombre

    def aplica_a(self, modalidad: Modalidad | None, variante: str | None = None) -> bool:
        """Whether the checklist of `modalidad` (and of the tarifa `variante`, when chosen) includes it."""
        de_la_modalidad = not self.modalidades or modalidad is None or modalidad in self.modalidades
        return de_la_modalidad and (not self.variantes or variante is None or variante in self.variantes)
