"""The legal clock of an expediente (issue 13 §3): días hábiles with Colombia's holidays, suspended by a
requerimiento and resumed by its answer. Dates pinned across Semana Santa 2026 and the San José holiday moved to
Monday 23 March 2026 (Ley Emiliani)."""

from datetime import date

from app.models.expedientes import Expediente
from app.services.revision import plazos


def _radicado_el(dia: date, termino: int = 15) -> Expediente:
    expediente = Expediente(dias_usados=0)
    plazos.iniciar(expediente, dia, termino)
    return expediente


def test_el_termino_salta_el_lunes_festivo_y_la_semana_santa():
    expediente = _radicado_el(date(2026, 3, 18))
    # 19, 20, (23 San José trasladado), 24…27, 30, 31, 1 abr, (2 y 3 Jueves y Viernes Santo), 6…10, 13.
    assert expediente.vence_en == date(2026, 4, 13)
    assert plazos.transcurridos(expediente, date(2026, 3, 23)) == 2  # the moved holiday does not count
    assert plazos.transcurridos(expediente, date(2026, 4, 3)) == 9


def test_el_requerimiento_suspende_y_la_respuesta_reanuda_por_lo_que_queda():
    expediente = _radicado_el(date(2026, 3, 18))
    plazos.suspender(expediente, date(2026, 3, 26))  # 19, 20, 24, 25, 26: five used
    assert (expediente.dias_usados, expediente.vence_en, expediente.reloj_desde) == (5, None, None)
    assert plazos.transcurridos(expediente, date(2026, 4, 30)) == 5  # suspended: nothing runs
    plazos.reanudar(expediente, date(2026, 4, 6))
    # Ten left from Monday 6 April: 7, 8, 9, 10, 13, 14, 15, 16, 17, 20.
    assert expediente.vence_en == date(2026, 4, 20)
    assert plazos.transcurridos(expediente, date(2026, 4, 20)) == 15


def test_reanudar_con_el_termino_agotado_vence_el_mismo_dia_y_suspender_dos_veces_no_cuenta_doble():
    expediente = _radicado_el(date(2026, 3, 18), termino=3)
    plazos.suspender(expediente, date(2026, 3, 31))
    plazos.suspender(expediente, date(2026, 4, 30))
    assert expediente.dias_usados == 8  # 19, 20, 24…27, 30, 31 (more than the term: it ran out)
    plazos.reanudar(expediente, date(2026, 5, 4))
    assert expediente.vence_en == date(2026, 5, 4)


def test_decidir_detiene_el_reloj():
    expediente = _radicado_el(date(2026, 3, 18))
    plazos.detener(expediente, date(2026, 3, 20))
    assert (expediente.vence_en, expediente.reloj_desde, expediente.dias_usados) == (None, None, 2)
    plazos.reanudar(expediente, date(2026, 3, 24))  # a decided expediente's clock can be resumed only by code
    assert expediente.vence_en is not None
