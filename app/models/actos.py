"""Administrative acts and their notification (issue 13 §4–§5).

- `ActoAdministrativo`: an *Auto* (the requerimiento) or a *Resolución* (aprobación, negación, desistimiento),
  numbered per type and year without gaps (`ContadorActo`, incremented inside the act's transaction as the radicado's
  counter is), signed like the constancia and kept by SHA-256 in the document store; its verification code only as
  a hash.
- `Notificacion`: how the act reached the applicant. Electronic (they authorised it when filing, FM003): a
  single-use link whose token is kept only as its hash; per Ley 1437 art. 56 it is *surtida* when the addressee
  first accesses the act — that moment, the account, IP, user agent and the act's hash are recorded and a signed
  constancia de notificación issued. Not accessed within five días hábiles: pending «por aviso» from `aviso_desde`.
  Without the authorisation: personal, recorded by staff.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.personas import Usuario

AUTO = "Auto"
RESOLUCION = "Resolución"
CLASE_REQUERIMIENTO = "requerimiento"
CLASE_APROBACION = "aprobacion"
CLASE_NEGACION = "negacion"
CLASE_DESISTIMIENTO = "desistimiento"
CLASE_RECURSO = "recurso"  # the resolución that resolves a recurso de reposición (migration 0014)
CLASES = {
    CLASE_REQUERIMIENTO: "Requerimiento",
    CLASE_APROBACION: "Aprobación",
    CLASE_NEGACION: "Negación",
    CLASE_DESISTIMIENTO: "Desistimiento",
    CLASE_RECURSO: "Recurso de reposición",
}
TIPO_DE_CLASE = {
    CLASE_REQUERIMIENTO: AUTO,
    CLASE_APROBACION: RESOLUCION,
    CLASE_NEGACION: RESOLUCION,
    CLASE_DESISTIMIENTO: RESOLUCION,
    CLASE_RECURSO: RESOLUCION,
}
# The decisions a recurso de reposición may be filed against (Ley 1437 de 2011 arts. 74–76); an auto de trámite
# (the requerimiento) has none (art. 75), nor has the resolución that resolves a recurso (art. 87).
CLASES_RECURRIBLES = (CLASE_APROBACION, CLASE_NEGACION, CLASE_DESISTIMIENTO)

MEDIO_ELECTRONICO = "electronica"
MEDIO_PERSONAL = "personal"


class ContadorActo(Model):
    __tablename__ = "contador_acto"
    tipo: Mapped[str] = mapped_column(String(12), primary_key=True)
    anio: Mapped[int] = mapped_column(Integer, primary_key=True)
    ultimo: Mapped[int] = mapped_column(Integer, nullable=False)


class ActoAdministrativo(Model):
    __tablename__ = "acto_administrativo"
    __table_args__ = (UniqueConstraint("tipo", "anio", "numero", name="uq_acto_tipo_anio_numero"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expediente_id: Mapped[int] = mapped_column(
        ForeignKey("expediente.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    clase: Mapped[str] = mapped_column(String(20), nullable=False)
    tipo: Mapped[str] = mapped_column(String(12), nullable=False)
    anio: Mapped[int] = mapped_column(Integer, nullable=False)
    numero: Mapped[int] = mapped_column(Integer, nullable=False)
    motivacion: Mapped[str] = mapped_column(Text, nullable=False)
    emitido_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    emitido_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    codigo_verificacion: Mapped[str] = mapped_column(String(64), nullable=False)
    emitido_por: Mapped[Usuario | None] = relationship()
    notificacion: Mapped[Notificacion | None] = relationship(back_populates="acto", uselist=False)

    @property
    def numero_texto(self) -> str:
        return f"{self.tipo} {self.anio}-{self.numero:06d}"

    def __str__(self) -> str:
        return self.numero_texto


class Notificacion(Model):
    __tablename__ = "notificacion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    acto_id: Mapped[int] = mapped_column(
        ForeignKey("acto_administrativo.id", ondelete="RESTRICT"), nullable=False, unique=True
    )
    expediente_id: Mapped[int] = mapped_column(
        ForeignKey("expediente.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    medio: Mapped[str] = mapped_column(String(12), nullable=False)
    correo: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enviada_en: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    aviso_desde: Mapped[date | None] = mapped_column(Date)
    surtida_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    acto_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    constancia_sha256: Mapped[str | None] = mapped_column(String(64))
    # The code printed on the constancia de notificación (its own: the act's is kept only as a hash), as SHA-256.
    codigo_verificacion: Mapped[str | None] = mapped_column(String(64))
    registrada_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    # Personal notification: who was notified (name and identification), as staff wrote it.
    notificado_nombre: Mapped[str | None] = mapped_column(String(200))
    # Notificación por aviso (migration 0012): how the aviso went, the day it arrived (or the publication was
    # withdrawn) and where; surtida_en is the end of the next day.
    aviso_via: Mapped[str | None] = mapped_column(String(20))
    aviso_entregado_el: Mapped[date | None] = mapped_column(Date)
    aviso_destino: Mapped[str | None] = mapped_column(String(200))
    # Renuncia expresa al recurso (migration 0015, Ley 1437 art. 87 numeral 3): the decision is in firme from the
    # next day.
    renuncia_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    renuncia_por_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    acto: Mapped[ActoAdministrativo] = relationship(back_populates="notificacion")
    usuario: Mapped[Usuario | None] = relationship(foreign_keys=[usuario_id])
    registrada_por: Mapped[Usuario | None] = relationship(foreign_keys=[registrada_por_id])
    renuncia_por: Mapped[Usuario | None] = relationship(foreign_keys=[renuncia_por_id])
