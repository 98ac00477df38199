"""Días hábiles in Colombia: the calendar legal terms are counted in (Ley 1437 de 2011; issue 13 §3).

A día hábil is a weekday that is not a national holiday. Holidays come from the `holidays` package (Colombia,
with Ley 51 de 1983 «Ley Emiliani» moving most of them to the next Monday, and Easter-based ones computed per
year), never from a hand-kept list. A term of n días hábiles from a date starts counting the next día hábil, as
terms in Colombian administrative procedure do: the day of the act itself does not count.

Terms in months (the month to answer a requerimiento, Ley 1437 de 2011 art. 17) run by the calendar: a term that
starts running on a day ends on the day with the same number in the month it ends in, or on that month's last day
if it has no such day (Código Civil art. 67; Código General del Proceso art. 118); when that day is not hábil, the
term extends to the next día hábil (Ley 4 de 1913 art. 62; CGP art. 118).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

MAX_DIAS = 3650  # a term longer than ~14 years is a mistake, not a term


@lru_cache(maxsize=64)
def festivos(anio: int) -> frozenset[date]:
    """Colombia's national holidays of `anio`, as observed (moved to Monday where the law moves them)."""
    return frozenset(holidays.country_holidays("CO", years=anio))


@lru_cache(maxsize=64)
def _festivos_entre_semana(anio: int) -> tuple[date, ...]:
    """The holidays of `anio` that fall on a weekday, in order (the ones a count of weekdays must take away)."""
    return tuple(sorted(dia for dia in festivos(anio) if dia.weekday() < 5))


def es_habil(dia: date) -> bool:
    return dia.weekday() < 5 and dia not in festivos(dia.year)


def siguiente_habil(dia: date) -> date:
    """`dia` if it is a día hábil, else the first día hábil after it."""
    while not es_habil(dia):
        dia += timedelta(days=1)
    return dia


def fin_de_termino_en_meses(inicio: date, meses: int) -> date:
    """The last day of a term of `meses` months whose first day is `inicio` (for a term counted from a
    notification, the day after it): `inicio`'s day number `meses` months later (that month's last day if it is
    shorter), moved to the next día hábil when it is not one. 2026-12-04 + 1 month → 2027-01-04 (a Monday);
    2026-01-31 + 1 month → 2026-02-28, a Saturday → 2026-03-02."""
    if not 0 < meses <= MAX_DIAS // 28:
        raise ValueError(f"término fuera de rango: {meses} meses")
    return siguiente_habil(inicio + relativedelta(months=meses))


def sumar_dias_habiles(desde: date, dias: int) -> date:
    """The date on which a term of `dias` días hábiles counted from `desde` ends (desde itself does not count)."""
    if not 0 <= dias <= MAX_DIAS:
        raise ValueError(f"término fuera de rango: {dias}")
    dia, faltan = desde, dias
    while faltan:
        dia += timedelta(days=1)
        if es_habil(dia):
            faltan -= 1
    return dia


def dias_habiles_entre(desde: date, hasta: date) -> int:
    """How many días hábiles after `desde` up to and including `hasta` (0 when `hasta` is not after `desde`).

    Counted, not walked: the weekdays of the span by arithmetic, less the weekday holidays inside it (found by
    bisection in each year's ordered list). The queue (app/views/crud/cola_revision.py) asks this for every row of a
    page, and a day-by-day walk of an expediente radicated years ago was most of the page's time."""
    if hasta <= desde:
        return 0
    semanas, resto = divmod((hasta - desde).days, 7)
    inicio = desde.weekday()
    cuenta = semanas * 5 + sum((inicio + k) % 7 < 5 for k in range(1, resto + 1))
    for anio in range(desde.year, hasta.year + 1):
        dias = _festivos_entre_semana(anio)
        cuenta -= bisect_right(dias, hasta) - bisect_right(dias, desde)
    return cuenta
