"""The one transaction boundary of views and API: the unit of work.

A view parses its form, calls a service inside `unidad_de_trabajo()` (or through `ejecutar`) and renders. The
boundary commits when the service returns and rolls back on any exception; a domain error (app/services/errores.py)
becomes field errors on the form or a flash; `NoEncontrado` propagates to the app's 404 handler
(app/views/errores.py), so another company's or person's id answers the same as an id that does not exist.

Some failures must still be saved: a wrong PIN counts as an attempt even though activation failed. Those callers
pass `conservar=True`: a domain error then commits what the service wrote before raising, and anything else
still rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import flash

from app.extensions import db
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado


@contextmanager
def unidad_de_trabajo(conservar: bool = False) -> Iterator[Any]:
    """Commit on success, roll back on any error; with `conservar` a domain error commits first (then re-raises)."""
    try:
        yield db.session
    except ErrorDominio as error:
        if conservar and not isinstance(error, NoEncontrado):
            db.session.commit()
        else:
            db.session.rollback()
        raise
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def errores_de(error: ErrorDominio) -> dict[str, list[str]]:
    """The `{campo: [mensajes]}` of any domain error (a plain one goes under its `campo`, or "" for none)."""
    if isinstance(error, ErroresValidacion):
        return error.errores
    return {error.campo or "": [error.mensaje]}


def aplicar_errores(form, errores: dict[str, list[str]], flashear: bool = True) -> list[str]:
    """Each message next to its field; the others are flashed (or returned, with `flashear=False`)."""
    resto: list[str] = []
    for campo, mensajes in errores.items():
        if form is not None and campo and campo in form:
            form[campo].errors = list(form[campo].errors) + list(mensajes)
        else:
            resto.extend(mensajes)
    if flashear:
        for mensaje in resto:
            flash(mensaje, "danger")
    return resto


@dataclass
class Resultado:
    """What `ejecutar` did: `ok` (committed) with the service's `valor`, or the domain `error` it showed."""

    ok: bool
    valor: Any = None
    error: ErrorDominio | None = None
    resto: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


def ejecutar(accion: Callable[[], Any], form=None, *, conservar: bool = False, flashear: bool = True) -> Resultado:
    """Run `accion` in a unit of work; a domain error goes onto `form` (or is flashed) and is returned.

    `NoEncontrado` is not caught: the 404 handler answers it. The caller decides what to render either way.
    """
    try:
        with unidad_de_trabajo(conservar=conservar):
            valor = accion()
    except NoEncontrado:
        raise
    except ErrorDominio as error:
        resto = aplicar_errores(form, errores_de(error), flashear=flashear)
        return Resultado(False, error=error, resto=resto)
    return Resultado(True, valor=valor)


def respuesta_de_error(error: ErrorDominio) -> tuple[int, Any]:
    """(status, message) for the API: 404 for NoEncontrado, 400 with `{campo: [..]}` or the message otherwise."""
    if isinstance(error, NoEncontrado):
        return 404, error.mensaje or "No encontrado."
    if isinstance(error, ErroresValidacion):
        return 400, error.errores
    return 400, error.mensaje
