"""One page of a service's list: Flask-SQLAlchemy's paging over any SELECT, with the page number kept in range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import SelectPagination

# A page number typed into the URL beyond this is read as this (then as the last page): the OFFSET stays an integer.
PAGINA_MAXIMA = 1_000_000


@dataclass(frozen=True)
class Pagina:
    """What the list templates show: the rows of `pagina` (1-based) of `paginas`, and how many rows match."""

    filas: list[Any]
    total: int
    pagina: int
    paginas: int


def paginar(session, consulta, pagina: int, por_pagina: int) -> Pagina:
    """`consulta` (ordered, with its loader options) a page at a time: two statements, the page and the count.

    A page past the end shows the last one (a list that shrank while the person was on its last page), never a 404.
    """
    resultado = _pagina(session, consulta, min(max(1, pagina), PAGINA_MAXIMA), por_pagina)
    if not resultado.items and resultado.page > 1 and resultado.pages:
        resultado = _pagina(session, consulta, resultado.pages, por_pagina)
    paginas = max(1, resultado.pages)
    return Pagina(list(resultado.items), resultado.total or 0, min(resultado.page, paginas), paginas)


def _pagina(session, consulta, pagina: int, por_pagina: int) -> SelectPagination:
    return SelectPagination(
        select=consulta, session=session, page=pagina, per_page=por_pagina, max_per_page=None, error_out=False
    )
