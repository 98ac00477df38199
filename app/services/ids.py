"""Row ids as they come from forms, URLs and JSON bodies: every id of the app is a PostgreSQL integer."""

from __future__ import annotations

ID_MAXIMO = 2**31 - 1


def como_id(valor) -> int | None:
    """`valor` (an int, or a string of ASCII digits) as a row id; None when it cannot name a row.

    A number above ID_MAXIMO names no row, and PostgreSQL would refuse it in a query ("integer out of range").
    """
    if isinstance(valor, str):
        valor = valor.strip()
        if not (valor.isascii() and valor.isdigit() and len(valor) <= 10):
            return None
        valor = int(valor)
    if type(valor) is not int or not 0 < valor <= ID_MAXIMO:  # bool is not an id either
        return None
    return valor
