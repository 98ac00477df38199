"""Expedientes for list tests, written straight with the ORM (no wizard): a titular, a published trámite of the seeded
catalog, a state, dates. A radicado one carries its number, year and date together (ck_expediente_radicado_completo)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models.catalogo import VERSION_PUBLICADA, Tramite, TramiteVersion
from app.models.expedientes import ESTADO_BORRADOR, ESTADO_RADICADO, Expediente
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from app.services.revision import plazos


def version_publicada(session, codigo: str | None = None) -> TramiteVersion:
    """The published version of the trámite `codigo`, or of the first trámite of the catalog."""
    consulta = select(TramiteVersion).join(Tramite).where(TramiteVersion.estado == VERSION_PUBLICADA)
    consulta = consulta.where(Tramite.codigo == codigo) if codigo else consulta.order_by(Tramite.codigo)
    return session.scalars(consulta.limit(1)).one()


def expediente_de_prueba(
    session=None,
    empresa_id: int | None = None,
    persona_id: int | None = None,
    radicado: str | None = None,
    creado_en: datetime | None = None,
    radicado_en: datetime | None = None,
    version: TramiteVersion | None = None,
    nombre_producto: str | None = "Producto de prueba",
    bajo_insistencia: str | None = None,
    commit: bool = True,
) -> Expediente:
    """An expediente of the company `empresa_id` or of the person `persona_id`; radicado if `radicado` is given
    («2026-000001»: year and number are read from it; `radicado_en` defaults to `creado_en`; `bajo_insistencia`: the
    «¿Por qué?» filed with it). Commits unless told otherwise."""
    session = session or db.session
    version = version or version_publicada(session)
    creado_en = creado_en or ahora()
    expediente = Expediente(
        empresa_id=empresa_id,
        persona_id=persona_id,
        tramite_version_id=version.id,
        modalidad_id=version.modalidades[0].id if version.modalidades else None,
        estado=ESTADO_BORRADOR,
        datos={},
        secciones=[],
        nombre_producto=nombre_producto,
        bajo_insistencia=bajo_insistencia,
        creado_en=creado_en,
        actualizado_en=creado_en,
    )
    if radicado is not None:
        anio, numero = radicado.split("-")
        expediente.estado = ESTADO_RADICADO
        expediente.radicado, expediente.radicado_anio, expediente.radicado_numero = radicado, int(anio), int(numero)
        expediente.radicado_en = radicado_en or creado_en
        # Handed to the Invima as the radicación does: its family's grupo and the decision term running.
        familia = version.tramite.familia
        expediente.familia_id, expediente.grupo_id = familia.id, familia.grupo_id
        plazos.iniciar(expediente, en_bogota(expediente.radicado_en).date(), version.termino_decision_dias)
    session.add(expediente)
    if commit:
        session.commit()
        session.refresh(expediente)
    else:
        session.flush()
    return expediente
