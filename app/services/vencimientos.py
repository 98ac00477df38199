"""Telling titulares that a registro or NSO is about to expire (issue 13 §4; seed 002 on renewals): once per
vigencia, when its renewal window opens, a mail through the outbox to the titular's and the notification addresses
of the expediente that granted it.

- The window is catalog data: the published renovación of the registro's family says from how many months before
  the expiry it is filed (`renovacion_desde_meses`: 12 for plaguicidas de uso doméstico) and until how many months
  before (`renovacion_hasta_meses`: 6; 0 for an NSO, until the day it expires). Where the catalog gives no start,
  the notice goes AVISO_SIN_VENTANA_MESES before the expiry; a family without a renovación (or a registro without
  expiry) is not told.
- Run daily (`flask avisar-vencimientos`; `make run` runs it once at start). Idempotent: the registro keeps when it
  was told (`aviso_vencimiento_en`) and a renewal clears it (app/services/registros.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from app.models.catalogo import VERSION_PUBLICADA, Tramite, TramiteVersion
from app.models.registros import VIGENTE, RegistroSanitario
from app.services import outbox
from app.services.expedientes.radicacion import destinatarios
from app.services.reloj import ahora

AVISO_SIN_VENTANA_MESES = 3
LOTE = 500
ASUNTO = "{clase} {numero}: vence el {vence}; puede radicar la renovación"


@dataclass(frozen=True)
class Ventana:
    desde: date  # the first day the renewal may be filed (the notice goes then)
    hasta: date  # the last day


def _meses_de_aviso(desde_meses: int | None) -> int:
    return AVISO_SIN_VENTANA_MESES if desde_meses is None else desde_meses


def ventana(vence: date, desde_meses: int | None, hasta_meses: int | None) -> Ventana:
    desde = vence - relativedelta(months=_meses_de_aviso(desde_meses))
    return Ventana(desde, vence - relativedelta(months=hasta_meses or 0))


def _ventanas(session) -> dict[int, tuple[int | None, int | None]]:
    """familia_id → (desde, hasta) months of its published renovación: one statement."""
    filas = session.execute(
        select(Tramite.familia_id, TramiteVersion.renovacion_desde_meses, TramiteVersion.renovacion_hasta_meses)
        .join(TramiteVersion, TramiteVersion.tramite_id == Tramite.id)
        .where(TramiteVersion.tipo == "renovacion", TramiteVersion.estado == VERSION_PUBLICADA)
    ).all()
    return {familia_id: (desde, hasta) for familia_id, desde, hasta in filas}


def avisar_vencimientos(session, hoy: date, url_registros: str) -> int:
    """Queue the notice of every vigente registro whose renewal window opened by `hoy` and was not told yet (at
    most LOTE per call, those expiring first; the caller commits and calls again while it returns LOTE). How many
    were told."""
    ventanas = _ventanas(session)
    abiertas = [  # per family: expiring before its window's start is past (one condition each, ~6 families)
        and_(
            RegistroSanitario.familia_id == familia_id,
            RegistroSanitario.vence_en <= hoy + relativedelta(months=_meses_de_aviso(desde)),
        )
        for familia_id, (desde, _) in ventanas.items()
    ]
    if not abiertas:
        return 0
    por_avisar = session.scalars(
        select(RegistroSanitario)
        .where(
            RegistroSanitario.aviso_vencimiento_en.is_(None),
            RegistroSanitario.estado == VIGENTE,
            RegistroSanitario.vence_en.is_not(None),
            RegistroSanitario.vence_en >= hoy,
            or_(*abiertas),
        )
        .order_by(RegistroSanitario.vence_en, RegistroSanitario.id)
        .options(
            joinedload(RegistroSanitario.expediente),
            joinedload(RegistroSanitario.empresa),
            joinedload(RegistroSanitario.persona),  # the mail names the titular, a company or a person
        )
        .limit(LOTE)
    ).all()
    for registro in por_avisar:
        _avisar(session, registro, ventana(registro.vence_en, *ventanas[registro.familia_id]), url_registros)
    session.flush()
    return len(por_avisar)


def _avisar(session, registro: RegistroSanitario, plazo: Ventana, url_registros: str) -> None:
    asunto = ASUNTO.format(clase=registro.clase, numero=registro.numero, vence=registro.vence_en.isoformat())
    for correo in destinatarios(registro.expediente, None):
        outbox.encolar(
            session, correo, asunto[:255], "vencimiento", registro=registro, ventana=plazo, enlace=url_registros
        )
    registro.aviso_vencimiento_en = ahora()
