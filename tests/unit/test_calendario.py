"""Días hábiles with Colombia's holidays (issue 13 §3), on dates whose answer is known from the calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.services.calendario import (
    dias_habiles_entre,
    es_habil,
    festivos,
    fin_de_termino_en_meses,
    sumar_dias_habiles,
)


@pytest.fixture
def _limpiar_datos():
    """No database here: replaces conftest's per-test cleanup."""
    yield


def test_festivos_de_2026_incluyen_semana_santa_y_los_lunes_de_la_ley_emiliani():
    dias = festivos(2026)
    assert date(2026, 4, 2) in dias and date(2026, 4, 3) in dias  # Jueves y Viernes Santo
    assert date(2026, 1, 12) in dias and date(2026, 1, 6) not in dias  # Reyes (6 de enero) pasa al lunes 12
    assert date(2026, 3, 23) in dias and date(2026, 3, 19) not in dias  # San José (19 de marzo) pasa al lunes 23
    assert date(2026, 7, 20) in dias and date(2026, 8, 7) in dias and date(2026, 12, 25) in dias  # fijos


def test_un_termino_que_cruza_semana_santa():
    # Radicado el viernes 27 de marzo de 2026: 10 días hábiles saltan los fines de semana y el Jueves y el Viernes
    # Santo (2 y 3 de abril): 30, 31 de marzo, 1, 6, 7, 8, 9, 10, 13 y 14 de abril.
    assert sumar_dias_habiles(date(2026, 3, 27), 10) == date(2026, 4, 14)
    assert dias_habiles_entre(date(2026, 3, 27), date(2026, 4, 14)) == 10
    assert dias_habiles_entre(date(2026, 3, 27), date(2026, 4, 5)) == 3


def test_un_termino_que_cruza_un_lunes_festivo_trasladado():
    # Viernes 20 de marzo de 2026 + 1 día hábil: el lunes 23 es San José trasladado, así que vence el martes 24.
    assert sumar_dias_habiles(date(2026, 3, 20), 1) == date(2026, 3, 24)
    assert not es_habil(date(2026, 3, 23)) and es_habil(date(2026, 3, 19))


def test_el_dia_del_acto_no_cuenta_y_cero_dias_es_el_mismo_dia():
    assert sumar_dias_habiles(date(2026, 12, 2), 0) == date(2026, 12, 2)
    assert sumar_dias_habiles(date(2026, 12, 2), 1) == date(2026, 12, 3)
    # Diciembre: el 8 (Inmaculada Concepción) y el 25 no cuentan, ni el cambio de año.
    assert sumar_dias_habiles(date(2026, 12, 7), 1) == date(2026, 12, 9)
    assert sumar_dias_habiles(date(2026, 12, 24), 2) == date(2026, 12, 29)
    # 1 de enero festivo, 2 y 3 fin de semana; Reyes de 2027 (miércoles 6) pasa al lunes 11: el 4 es hábil.
    assert dias_habiles_entre(date(2026, 12, 31), date(2027, 1, 4)) == 1
    assert not es_habil(date(2027, 1, 11)) and es_habil(date(2027, 1, 6))


@pytest.mark.parametrize("dias", [-1, 10_000])
def test_un_termino_absurdo_se_rechaza(dias):
    with pytest.raises(ValueError):
        sumar_dias_habiles(date(2026, 1, 1), dias)


def test_dias_habiles_entre_cuenta_lo_mismo_que_recorrer_dia_por_dia():
    """The arithmetic count against a day-by-day walk, over spans of every length and start across several years."""
    import random

    azar = random.Random(13)
    for _ in range(400):
        desde = date(2024, 1, 1) + timedelta(days=azar.randint(0, 3 * 365))
        hasta = desde + timedelta(days=azar.randint(-5, 900))
        recorrido = sum(es_habil(desde + timedelta(days=k)) for k in range(1, (hasta - desde).days + 1))
        assert dias_habiles_entre(desde, hasta) == recorrido, (desde, hasta)


def test_un_termino_en_meses_vence_el_mismo_numero_de_dia_si_es_habil():
    # Empieza a correr el martes 10 de marzo de 2026: vence el viernes 10 de abril.
    assert fin_de_termino_en_meses(date(2026, 3, 10), 1) == date(2026, 4, 10)
    assert fin_de_termino_en_meses(date(2026, 3, 10), 2) == date(2026, 5, 11)  # el 10 de mayo es domingo


def test_un_termino_en_meses_que_vence_en_domingo_se_extiende_al_dia_habil_siguiente():
    # Notificado el jueves 3 de diciembre de 2026, corre desde el viernes 4: el 4 de enero de 2027 es lunes hábil.
    assert fin_de_termino_en_meses(date(2026, 12, 4), 1) == date(2027, 1, 4)
    # Si empezara el 3 de diciembre, vencería el domingo 3 de enero de 2027: pasa al lunes 4.
    assert not es_habil(date(2027, 1, 3))
    assert fin_de_termino_en_meses(date(2026, 12, 3), 1) == date(2027, 1, 4)


def test_un_termino_en_meses_que_vence_en_festivo_se_extiende_al_dia_habil_siguiente():
    # Lunes 11 de enero de 2027: Reyes trasladado; vence el martes 12.
    assert fin_de_termino_en_meses(date(2026, 12, 11), 1) == date(2027, 1, 12)
    # Lunes 16 de noviembre de 2026: Independencia de Cartagena trasladada; vence el martes 17.
    assert fin_de_termino_en_meses(date(2026, 10, 16), 1) == date(2026, 11, 17)
    # Jueves y Viernes Santo de 2027 (25 y 26 de marzo) y el fin de semana: vence el lunes 29.
    assert fin_de_termino_en_meses(date(2027, 2, 25), 1) == date(2027, 3, 29)


def test_un_termino_en_meses_en_un_mes_mas_corto_vence_su_ultimo_dia_o_el_habil_siguiente():
    # 31 de enero de 2026 + 1 mes: el 28 de febrero (sábado), así que el lunes 2 de marzo.
    assert fin_de_termino_en_meses(date(2026, 1, 31), 1) == date(2026, 3, 2)
    # 31 de marzo de 2027 + 1 mes: el 30 de abril de 2027, viernes hábil.
    assert fin_de_termino_en_meses(date(2027, 3, 31), 1) == date(2027, 4, 30)


def test_un_termino_en_meses_fuera_de_rango_es_un_error():
    with pytest.raises(ValueError):
        fin_de_termino_en_meses(date(2026, 1, 1), 0)
