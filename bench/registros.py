"""Registros sanitarios lists benchmark (issue 13 §4 lists, measured as issue 10 §8 asks of every generated list),
in-process with the Flask test client, on bench.generar_revision's databases (a registro for every approved
expediente that grants one: ~7.5 % of the expedientes).

    .venv/bin/python -m bench.generar_revision --n 10000 && .venv/bin/python -m bench.generar_revision --n 1000000
    .venv/bin/python -m bench.registros 10000 1000000 --peticiones 100 [--explicar]

Two logins: the Coordinador of «Cosméticos e higiene» (Revisión → Registros sanitarios: the registros of the grupo)
and the big company's Administrador acting as the company (Trámites → Mis registros sanitarios: ~12 % of the
titulares' registros). Cases for each: page 1 (newest first), «Vence» ascending (next to expire first), and the
search by estado today (Vigente: most rows; Cancelado: 3 %; Vencido: read against today). One worker process per
size; cases in blocks alternating between the sizes; the measuring loop and the printout are
bench/mis_expedientes.py's.
"""

from __future__ import annotations

import sys

from bench import mis_expedientes

LISTAS = {"coordinador": "/revision/registros/", "titular": "/registros/mis/"}
VISTAS = {"coordinador": "RegistrosRevisionView", "titular": "MisRegistrosView"}
CONSULTAS = {
    "pagina_1": "",
    "vence_asc": "?_oc_{vista}=vence_en&_od_{vista}=asc",
    "vigentes": "?_flt_0_estado=Vigente",
    "cancelados": "?_flt_0_estado=Cancelado",
    "vencidos": "?_flt_0_estado=Vencido",
}
CASOS = [f"{login}_{caso}" for login in LISTAS for caso in CONSULTAS]
FILA = '<td><a class="text-nowrap" href="/'  # the número, first cell of every row (to the expediente)
MODULO = "bench.registros"


def url(login: str, caso: str) -> str:
    return LISTAS[login] + CONSULTAS[caso].format(vista=VISTAS[login])


def trabajador(n: int) -> None:
    """The worker of the database of size `n`: the bench Coordinador and the big company, every case."""
    from bench.generar import crear_app
    from bench.generar_revision import COORDINADOR, nombre_base
    from bench.mesa_ayuda import _ingresar

    app = crear_app(nombre_base(n))
    clientes = {"coordinador": _ingresar(app, COORDINADOR), "titular": mis_expedientes._cliente(app)}
    casos = {f"{login}_{caso}": (clientes[login], url(login, caso)) for login in LISTAS for caso in CONSULTAS}
    mis_expedientes.servir(app, casos, FILA, tabla="registro_sanitario")


def main(argv: list[str] | None = None) -> int:
    return mis_expedientes.principal(
        argv, "Benchmark de las listas de registros sanitarios.", CASOS, MODULO, trabajador
    )


if __name__ == "__main__":
    sys.exit(main())
