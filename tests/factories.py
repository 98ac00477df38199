"""Test data factories: build accounts the way the services do, never hand-built rows in each test."""

from __future__ import annotations

import functools
import itertools
from datetime import date

from app.extensions import appbuilder, db
from app.models.personas import Usuario
from app.services.cuentas import contrasenas
from app.services.cuentas.identificacion import asignar_identidad, tipo_por_codigo
from app.services.reloj import ahora
from tests import helpers

_secuencia = itertools.count(1)
CONTRASENA = helpers.CONTRASENA


@functools.lru_cache(maxsize=8)
def _cifrada(contrasena: str) -> str:
    """The real scrypt hash, computed once per password: every test account shares CONTRASENA, and hashing it anew
    for each of the suite's ~2 000 accounts cost ~0.14 s each (minutes of the suite)."""
    return contrasenas.cifrar(contrasena)


def crear_usuario(
    numero: str | None = None,
    tipo: str = "CC",
    nombres: str = "María José",
    apellidos: str = "Pérez Gómez",
    email: str | None = None,
    contrasena: str | None = CONTRASENA,
    activado: bool = True,
    roles: list[str] | None = None,
    **extra,
) -> Usuario:
    """An account; activated with CONTRASENA and role Usuario unless told otherwise. Commits."""
    n = next(_secuencia)
    numero = numero or str(52000000 + n)
    usuario = Usuario(
        email=(email or f"persona{n}@correo.test").lower(),
        active=activado,
        fecha_nacimiento=date(1990, 5, 17),
        terminos_aceptados_en=ahora(),
        activada_en=ahora() if activado else None,
        password=_cifrada(contrasena) if (activado and contrasena) else None,
        **extra,
    )
    asignar_identidad(usuario, tipo_por_codigo(db.session, tipo), numero, nombres, apellidos)
    db.session.add(usuario)
    for nombre in roles or (["Usuario"] if activado else []):
        usuario.roles.append(appbuilder.sm.find_role(nombre))
    db.session.commit()
    db.session.refresh(usuario)
    return usuario
