"""The one password policy (manual 4.6.2): each broken rule has its own message."""

from __future__ import annotations

import pytest

from app.services.cuentas import contrasenas
from app.services.errores import ErroresValidacion


def test_contrasena_valida_no_tiene_incumplimientos():
    assert contrasenas.incumplimientos("Clave#2026x") == []


@pytest.mark.parametrize(
    ("clave", "mensaje"),
    [
        ("Ab#1", contrasenas.MSG_LONGITUD),
        ("12345678#", contrasenas.MSG_LETRAS),
        ("Clavesegura#", contrasenas.MSG_NUMERO),
        ("Clavesegura1", contrasenas.MSG_ESPECIAL),
        ("", contrasenas.MSG_REQUERIDA),
    ],
)
def test_cada_regla_rota_tiene_su_mensaje(clave, mensaje):
    assert mensaje in contrasenas.incumplimientos(clave)


def test_confirmacion_distinta():
    with pytest.raises(ErroresValidacion) as error:
        contrasenas.validar_nueva("Clave#2026x", "Clave#2026y")
    assert error.value.errores == {"confirmacion": [contrasenas.MSG_CONFIRMACION]}


def test_nueva_igual_a_la_actual():
    actual = contrasenas.cifrar("Clave#2026x")
    with pytest.raises(ErroresValidacion) as error:
        contrasenas.validar_nueva("Clave#2026x", "Clave#2026x", hash_actual=actual)
    assert contrasenas.MSG_IGUAL_ACTUAL in error.value.errores["contrasena"]


def test_guion_bajo_cuenta_como_especial():
    assert contrasenas.incumplimientos("Clave_2026") == []
