"""Back-office queue benchmark (Revisión → Cola de expedientes, issue 13 §6), in-process with the Flask test client,
logged in as a Revisor legal and as the Coordinador of «Cosméticos e higiene» (about half of the rows: at a million,
~490 000 expedientes of the grupo).

    .venv/bin/python -m bench.generar_revision --n 10000 && .venv/bin/python -m bench.generar_revision --n 1000000
    .venv/bin/python -m bench.cola_revision 10000 1000000 --peticiones 300 [--explicar]

One worker process per size (database invima_bench_revision_<n>), the cases run in blocks alternating between the
sizes, as bench/mis_expedientes.py does (its measuring loop and printout are reused). Cases, for each login: page 1
in the default order (legal due date first), «asignados a mí», and «término por vencer» (due within 3 días hábiles
or overdue). Prints p50 / p95 in milliseconds, the p50 of the process's CPU time, SQL statements per page, and the
ratios 1M / 10k.
"""

from __future__ import annotations

import sys

from bench import mis_expedientes

LISTA = "/revision/cola/"
URLS = {
    "pagina_1": LISTA,
    "asignados_a_mi": f"{LISTA}?_flt_0_asignado_a=mios",
    "por_vencer_3": f"{LISTA}?_flt_0_vence_en=3",
}
LOGINS = ("revisor", "coordinador")
CASOS = [f"{login}_{caso}" for login in LOGINS for caso in URLS]
FILA = '<td><a class="text-nowrap" href="/revision/expedientes/'
MODULO = "bench.cola_revision"


def trabajador(n: int) -> None:
    """The worker of the database of size `n`: the bench Revisor and Coordinador, every case."""
    from bench.generar import crear_app
    from bench.generar_revision import COORDINADOR, REVISOR, nombre_base
    from bench.mesa_ayuda import _ingresar

    app = crear_app(nombre_base(n))
    clientes = {"revisor": _ingresar(app, REVISOR), "coordinador": _ingresar(app, COORDINADOR)}
    casos = {f"{login}_{caso}": (clientes[login], url) for login in LOGINS for caso, url in URLS.items()}
    mis_expedientes.servir(app, casos, FILA)


def main(argv: list[str] | None = None) -> int:
    return mis_expedientes.principal(
        argv, "Benchmark de la cola de revisión (revisor y coordinador).", CASOS, MODULO, trabajador
    )


if __name__ == "__main__":
    sys.exit(main())
