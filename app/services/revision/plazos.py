"""The legal clock of an expediente (issue 13 §3), in días hábiles (app/services/calendario.py).

The decision term (`termino_dias`, the catalog's `termino_decision_dias` at radicación) runs from the radicación.
A requerimiento suspends it: the días hábiles used so far are kept (`dias_usados`) and the due date is cleared;
the answer resumes it for what is left. A decision stops it. `vence_en` is the due date while it runs, NULL
otherwise — the queue orders by it.
"""

from __future__ import annotations

from datetime import date

from app.models.expedientes import Expediente
from app.services.calendario import dias_habiles_entre, sumar_dias_habiles


def iniciar(expediente: Expediente, dia: date, termino: int) -> None:
    expediente.termino_dias = termino
    expediente.dias_usados = 0
    expediente.reloj_desde = dia
    expediente.vence_en = sumar_dias_habiles(dia, termino)


def transcurridos(expediente: Expediente, hoy: date) -> int:
    """Días hábiles of the term used up to `hoy` (suspensions excluded)."""
    corriendo = dias_habiles_entre(expediente.reloj_desde, hoy) if expediente.reloj_desde else 0
    return expediente.dias_usados + corriendo


def suspender(expediente: Expediente, dia: date) -> None:
    if expediente.reloj_desde is None:
        return
    expediente.dias_usados = transcurridos(expediente, dia)
    expediente.reloj_desde = None
    expediente.vence_en = None


def reanudar(expediente: Expediente, dia: date) -> None:
    if expediente.reloj_desde is not None or expediente.termino_dias is None:
        return
    expediente.reloj_desde = dia
    expediente.vence_en = sumar_dias_habiles(dia, max(expediente.termino_dias - expediente.dias_usados, 0))


def detener(expediente: Expediente, dia: date) -> None:
    suspender(expediente, dia)
