"""Domain errors carry the Spanish message shown to the user; views turn them into flashes or field errors."""

from __future__ import annotations


class ErrorDominio(Exception):
    """A rule was broken. `campo` names the form field the message belongs to, if any."""

    def __init__(self, mensaje: str, campo: str | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.campo = campo


class NoEncontrado(ErrorDominio):
    """The id does not name a row the caller may see (not theirs, another company's, or none): 404.

    The message, when given, is what the page or the API says; the same answer whether the row exists or not.
    """

    def __init__(self, mensaje: str = ""):
        super().__init__(mensaje)


class ErroresValidacion(ErrorDominio):
    """Several field errors at once: {campo: [mensajes]}."""

    def __init__(self, errores: dict[str, list[str]]):
        primero = next(iter(errores.values()))[0] if errores else ""
        super().__init__(primero)
        self.errores = errores


class Errores(dict[str, list[str]]):
    """{campo: [mensajes]} collected while checking a form: the one accumulator of the services."""

    def agregar(self, campo: str, mensaje: str) -> None:
        self.setdefault(campo, []).append(mensaje)

    def sumar(self, otros: dict[str, list[str]]) -> None:
        """Add every message of another {campo: [mensajes]} (a schema's, a sub-form's)."""
        for campo, mensajes in otros.items():
            for mensaje in mensajes:
                self.agregar(campo, mensaje)

    def lanzar_si_hay(self) -> None:
        """Raise ErroresValidacion with everything collected, if anything was."""
        if self:
            raise ErroresValidacion(dict(self))
