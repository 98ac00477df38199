"""The coordinators' dashboard (issue 13 §1): the grupo's expedientes counted by estado, by trámite, against the legal
term, the open requerimientos and the decisions per week.

Every number is a SQL aggregate (FILTER, GROUP BY, LIMIT) over `expediente`; no expediente row is loaded. The
statements go through the ORM session, so the request's scope (app/security/tenancy.py: the funcionario's grupos)
applies to each of them — a Core `text()` query would bypass it. Four statements, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from app.models.catalogo import Tramite, TramiteVersion
from app.models.expedientes import (
    ESTADO_REQUERIMIENTO_ENVIADO,
    ESTADOS_ABIERTOS,
    ESTADOS_RADICADOS,
    Expediente,
)
from app.services.calendario import sumar_dias_habiles
from app.services.fechas import BOGOTA

TOP_TRAMITES = 10
SEMANAS = 12
OTROS = "Otros trámites"

# The aging buckets, in order: (clave, etiqueta).
VENCIDOS = "vencidos"
VENCE_HOY = "hoy"
DE_1_A_3 = "1_3"
DE_4_A_10 = "4_10"
MAS_DE_10 = "mas_10"
SUSPENDIDOS = "suspendidos"
PLAZOS = (
    (VENCIDOS, "Vencidos"),
    (VENCE_HOY, "Vence hoy"),
    (DE_1_A_3, "Vence en 1 a 3 días hábiles"),
    (DE_4_A_10, "Vence en 4 a 10 días hábiles"),
    (MAS_DE_10, "Vence en más de 10 días hábiles"),
    (SUSPENDIDOS, "Término suspendido"),
)


@dataclass(frozen=True)
class Conteo:
    """One bar: what is counted (`clave`: the estado, the trámite's código, the bucket, the week's Monday in ISO
    format; None for «otros»), its Spanish label and the number."""

    clave: str | None
    etiqueta: str
    valor: int


@dataclass(frozen=True)
class Tablero:
    hoy: date
    abiertos: int
    sin_asignar: int
    vencidos: int
    requerimientos_abiertos: int
    por_estado: list[Conteo]
    por_tramite: list[Conteo]
    plazos: list[Conteo]
    decisiones_por_semana: list[Conteo]


def _radicados():
    return select().select_from(Expediente).where(Expediente.radicado.is_not(None))


def _conteos_generales(session: Session, hoy: date) -> dict[str, int]:
    """One row of FILTERed counts: per estado, sin asignar and the aging buckets of the open expedientes."""
    abierto = Expediente.estado.in_(ESTADOS_ABIERTOS)
    corriendo = and_(abierto, Expediente.reloj_desde.is_not(None))
    en_3, en_10 = sumar_dias_habiles(hoy, 3), sumar_dias_habiles(hoy, 10)
    vence = Expediente.vence_en
    filtros = {estado: Expediente.estado == estado for estado in ESTADOS_RADICADOS}
    filtros |= {
        "sin_asignar": and_(abierto, Expediente.asignado_a_id.is_(None)),
        VENCIDOS: and_(corriendo, vence < hoy),
        VENCE_HOY: and_(corriendo, vence == hoy),
        DE_1_A_3: and_(corriendo, vence > hoy, vence <= en_3),
        DE_4_A_10: and_(corriendo, vence > en_3, vence <= en_10),
        MAS_DE_10: and_(corriendo, vence > en_10),
        SUSPENDIDOS: and_(abierto, Expediente.reloj_desde.is_(None)),
    }
    consulta = _radicados().add_columns(
        *(func.count().filter(condicion).label(f"c{i}") for i, condicion in enumerate(filtros.values()))
    )
    fila = session.execute(consulta).one()
    return dict(zip(filtros, fila, strict=True))


def _por_tramite(session: Session, abiertos: int, limite: int) -> list[Conteo]:
    """The `limite` trámites with most open expedientes (named as their newest version the grupo has), then
    «otros» with the rest of `abiertos` when there is a rest."""
    nombre = func.array_agg(aggregate_order_by(TramiteVersion.nombre, TramiteVersion.numero.desc()))[1]
    cuantos = func.count()
    consulta = (
        _radicados()
        .join(TramiteVersion, TramiteVersion.id == Expediente.tramite_version_id)
        .join(Tramite, Tramite.id == TramiteVersion.tramite_id)
        .where(Expediente.estado.in_(ESTADOS_ABIERTOS))
        .group_by(Tramite.id)
        .add_columns(Tramite.codigo, nombre, cuantos)
        .order_by(cuantos.desc(), Tramite.codigo)
        .limit(limite)
    )
    conteos = [Conteo(codigo, etiqueta, valor) for codigo, etiqueta, valor in session.execute(consulta)]
    resto = abiertos - sum(c.valor for c in conteos)
    if resto > 0:
        conteos.append(Conteo(None, OTROS, resto))
    return conteos


def contar_requerimientos_abiertos(session: Session) -> int:
    """Requerimientos sent and not yet answered. Until the requerimiento table exists (issue 13 §3), the expedientes
    in «Requerimiento enviado»: this is the one function to change then."""
    consulta = _radicados().add_columns(func.count()).where(Expediente.estado == ESTADO_REQUERIMIENTO_ENVIADO)
    return session.execute(consulta).scalar_one()


def lunes_de(dia: date) -> date:
    return dia - timedelta(days=dia.weekday())


def _decisiones_por_semana(session: Session, hoy: date, semanas: int) -> list[Conteo]:
    """Decisions per week (Monday to Sunday, Bogotá time) of the last `semanas` weeks, this one included; a week
    without decisions counts 0."""
    primera = lunes_de(hoy) - timedelta(weeks=semanas - 1)
    semana = func.date_trunc("week", func.timezone(BOGOTA.key, Expediente.decidido_en)).label("semana")
    consulta = (
        _radicados()
        .add_columns(semana, func.count())
        .where(Expediente.decidido_en >= datetime.combine(primera, time(), tzinfo=BOGOTA))
        .group_by(semana)
    )
    por_lunes = {inicio.date(): valor for inicio, valor in session.execute(consulta)}
    lunes = [primera + timedelta(weeks=i) for i in range(semanas)]
    return [Conteo(d.isoformat(), f"Semana del {d:%d/%m/%Y}", por_lunes.get(d, 0)) for d in lunes]


def calcular(session: Session, hoy: date, top_tramites: int = TOP_TRAMITES, semanas: int = SEMANAS) -> Tablero:
    """The dashboard of what the session's scope sees, as of `hoy` (a date in Bogotá), in four statements.

    Guarantees: the open estados add up to `abiertos`, and so do the aging buckets and the trámite bars; decided
    expedientes count under their estado but in no other chart but the weekly decisions."""
    conteos = _conteos_generales(session, hoy)
    abiertos = sum(conteos[e] for e in ESTADOS_ABIERTOS)
    return Tablero(
        hoy=hoy,
        abiertos=abiertos,
        sin_asignar=conteos["sin_asignar"],
        vencidos=conteos[VENCIDOS],
        requerimientos_abiertos=contar_requerimientos_abiertos(session),
        por_estado=[Conteo(e, e, conteos[e]) for e in ESTADOS_RADICADOS],
        por_tramite=_por_tramite(session, abiertos, top_tramites),
        plazos=[Conteo(clave, etiqueta, conteos[clave]) for clave, etiqueta in PLAZOS],
        decisiones_por_semana=_decisiones_por_semana(session, hoy, semanas),
    )
