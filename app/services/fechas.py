"""Dates as the manual shows them (dd/mm/aaaa), in Bogotá time: for templates, lists, audit texts and mails.

The process runs in UTC (app.usar_reloj_utc), so naive values, such as FAB's ab_user dates, are read as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.services.reloj import ahora

BOGOTA = ZoneInfo("America/Bogota")


def hoy_en_bogota() -> date:
    """Today in Bogotá: the day terms are counted to and vigencias are read against."""
    return en_bogota(ahora()).date()


def en_bogota(valor: datetime) -> datetime:
    """The moment in Bogotá time; a naive value is read as UTC."""
    if valor.tzinfo is None:
        valor = valor.replace(tzinfo=UTC)
    return valor.astimezone(BOGOTA)


def fecha(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        valor = en_bogota(valor).date()
    if isinstance(valor, date):
        return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"  # strftime costs twice as much (long lists)
    return str(valor)


def momento_iso(valor: datetime) -> str:
    """AAAA-MM-DD HH:MM in Bogotá time: the signed PDFs and the moment a notification was surtida."""
    return en_bogota(valor).strftime("%Y-%m-%d %H:%M")


def fecha_hora(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        return en_bogota(valor).strftime("%d/%m/%Y %I:%M %p").replace("AM", "a. m.").replace("PM", "p. m.")
    return fecha(valor)
