"""«Mis expedientes» benchmark, in-process with the Flask test client, logged in as the big company's Administrador
acting as the company (the company with ~12 % of the rows: at a million, ~120 000 expedientes).

    .venv/bin/python -m bench.generar_expedientes --n 10000 && .venv/bin/python -m bench.generar_expedientes --n 1000000
    .venv/bin/python -m bench.mis_expedientes 10000 1000000 --peticiones 300 [--explicar] [--filtros]

One worker process per size (the app binds to one database, invima_bench_expedientes_<n>, made by
bench.generar_expedientes); the cases run in small blocks alternating between the sizes (10k, 1M, 1M, 10k, …), as
bench/comparar.py alternates trees, so the ratio 1M / 10k holds on a shared, noisy machine. Cases: page 1 in the
default order (newest first), page 1 sorted by «Creado» ascending, and page 2. Prints p50 / p95 in milliseconds, the
p50 of the process's CPU time, SQL statements per page, and the ratios. `--explicar` prints EXPLAIN (ANALYZE,
BUFFERS) of the count and page statements of each case, as the app sent them, at each size. `--filtros` adds the
search (radicado prefix, a year's radicados, a trámite, drafts, radicados, one month): repeated, these statements
run as prepared ones, so PostgreSQL may switch to a generic plan after five runs (bench/RESULTADOS.md, duodécima
medición).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

AQUI = Path(__file__).resolve()
VISTA = "MisExpedientesView"
CASOS = {
    "pagina_1": "/expedientes/mis/",
    "creado_asc": f"/expedientes/mis/?_oc_{VISTA}=creado_en&_od_{VISTA}=asc",
    "pagina_2": f"/expedientes/mis/?page_{VISTA}=1",
}
# With --filtros: the search, as the big company uses it (pages of fewer than 25 rows).
_hace = datetime.now(UTC) - timedelta(days=200)
FILTROS = {
    "radicado_prefijo": "/expedientes/mis/?_flt_0_radicado=2025-0001",
    "radicado_anio": "/expedientes/mis/?_flt_0_radicado=2025",
    "tramite": "/expedientes/mis/?_flt_0_version=pld-registro",
    "borradores": "/expedientes/mis/?_flt_0_estado=Borrador",
    "radicados": "/expedientes/mis/?_flt_0_estado=Radicado",
    "un_mes": f"/expedientes/mis/?_flt_0_creado_en={_hace:%Y-%m-%d}&_flt_1_creado_en={_hace + timedelta(days=30):%Y-%m-%d}",
}
TODOS = {**CASOS, **FILTROS}
FILAS_POR_PAGINA = 25
FILA = '<td><a class="text-nowrap" href="/expedientes/'  # the start of a row of the list


def _cliente(app):
    """The big company's Administrador, logged in through the form and acting as the company."""
    from sqlalchemy import text

    from app.extensions import db
    from bench.generar_expedientes import EMPRESA_GRANDE, NIT_GRANDE
    from bench.mesa_ayuda import _ingresar

    cliente = _ingresar(app, EMPRESA_GRANDE)
    with app.app_context():
        empresa_id = db.session.scalar(text("SELECT id FROM empresa WHERE nit = :nit"), {"nit": NIT_GRANDE})
    with cliente.session_transaction() as sesion:
        sesion["empresa_id"] = empresa_id
    return cliente


def _medir(cliente, url: str, veces: int, sentencias: list[int], marca: str = FILA) -> dict:
    """`veces` GETs of `url`: milliseconds, CPU milliseconds and SQL statements of each; each page must have between
    1 and FILAS_POR_PAGINA rows (`marca` counted in the HTML)."""
    tiempos, cpu, conteos = [], [], []
    for _ in range(veces):
        sentencias[0] = 0
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        r = cliente.get(url)
        tiempos.append((time.perf_counter() - inicio) * 1000)
        cpu.append((time.process_time() - inicio_cpu) * 1000)
        conteos.append(sentencias[0])
        filas = r.get_data(as_text=True).count(marca)
        if r.status_code != 200 or not 0 < filas <= FILAS_POR_PAGINA:
            raise SystemExit(f"{url}: HTTP {r.status_code}, {filas} filas")
    return {"tiempos": tiempos, "cpu": cpu, "sentencias": conteos}


def _explicar(app, cliente, url: str, tabla: str = "expediente") -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the statements on `tabla` one request of `url` sends, with its parameters."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        motor = db.engine
    capturadas = []

    def registrar(conn, cursor, statement, parameters, context, executemany):
        if f"FROM {tabla}" in statement:
            capturadas.append((statement, parameters))

    event.listen(motor, "before_cursor_execute", registrar)
    try:
        cliente.get(url)
    finally:
        event.remove(motor, "before_cursor_execute", registrar)
    salida = []
    with app.app_context(), motor.connect() as conexion:
        for sentencia, parametros in capturadas:
            plan = conexion.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sentencia, parametros)
            salida.append("\n".join("    " + fila[0] for fila in plan))
    return "\n\n".join(salida)


def servir(app, casos: dict[str, tuple], marca: str = FILA, tabla: str = "expediente") -> None:
    """Serve measurement blocks on stdin/stdout (one JSON object per line) for `casos` (name → (client, URL)); a
    page counts its rows by `marca`, EXPLAIN shows the statements on `tabla`."""
    from sqlalchemy import event

    from app.extensions import db

    salida = sys.stdout
    sys.stdout = sys.stderr  # app logs must not mix with the protocol
    with app.app_context():
        motor = db.engine
    sentencias = [0]

    def contar(*_args):
        sentencias[0] += 1

    event.listen(motor, "before_cursor_execute", contar)
    salida.write(json.dumps({"listo": True}) + "\n")
    salida.flush()
    for linea in sys.stdin:
        orden = json.loads(linea)
        cliente, url = casos[orden["caso"]]
        if orden.get("explicar"):
            respuesta = {"plan": _explicar(app, cliente, url, tabla)}
        else:
            respuesta = _medir(cliente, url, orden["veces"], sentencias, marca)
        salida.write(json.dumps(respuesta) + "\n")
        salida.flush()


def trabajador(n: int) -> None:
    """The worker of the database of size `n`: the big company's Administrador, every case."""
    from bench.generar import crear_app
    from bench.generar_expedientes import nombre_base

    app = crear_app(nombre_base(n))
    cliente = _cliente(app)
    servir(app, {caso: (cliente, url) for caso, url in TODOS.items()})


class Trabajador:
    def __init__(self, n: int, modulo: str = "bench.mis_expedientes"):
        comando = [sys.executable, "-m", modulo, "--trabajador", str(n)]
        self.proceso = subprocess.Popen(
            comando,
            cwd=AQUI.parent.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._leer()

    def _leer(self) -> dict:
        linea = self.proceso.stdout.readline()
        if not linea:
            raise SystemExit(
                "Un trabajador terminó antes de tiempo: ¿generó la base (bench.generar_expedientes/_revision)?"
            )
        return json.loads(linea)

    def pedir(self, **orden) -> dict:
        self.proceso.stdin.write(json.dumps(orden) + "\n")
        self.proceso.stdin.flush()
        return self._leer()

    def cerrar(self) -> None:
        self.proceso.stdin.close()
        self.proceso.wait(timeout=60)


def _resumen(datos: dict) -> dict:
    tiempos = sorted(datos["tiempos"])
    return {
        "p50": statistics.median(tiempos),
        "p95": tiempos[max(int(len(tiempos) * 0.95) - 1, 0)],
        "cpu": statistics.median(datos["cpu"]),
        "sql": (min(datos["sentencias"]), max(datos["sentencias"])),
        "peticiones": len(tiempos),
    }


def medir(
    tamanos: list[int], casos, peticiones: int, bloque: int, explicar: bool, modulo: str = "bench.mis_expedientes"
) -> dict:
    trabajadores = {n: Trabajador(n, modulo) for n in tamanos}
    resultados: dict[str, dict[int, dict]] = {}
    try:
        for caso in casos:
            for t in trabajadores.values():  # warm-up: plans, caches, the table and index pages, the pool
                t.pedir(caso=caso, veces=30)
            acumulado = {n: {"tiempos": [], "cpu": [], "sentencias": []} for n in tamanos}
            for i in range(0, peticiones, bloque):
                orden = tamanos if (i // bloque) % 2 == 0 else tamanos[::-1]
                for n in orden:
                    r = trabajadores[n].pedir(caso=caso, veces=min(bloque, peticiones - i))
                    for clave in acumulado[n]:
                        acumulado[n][clave] += r[clave]
            resultados[caso] = {n: _resumen(datos) for n, datos in acumulado.items()}
        if explicar:
            for caso in casos:
                for n, t in trabajadores.items():
                    print(
                        f"\n== EXPLAIN ANALYZE · {caso} · {n:,} expedientes\n{t.pedir(caso=caso, explicar=True)['plan']}"
                    )
    finally:
        for t in trabajadores.values():
            t.cerrar()
    return resultados


def _sql(rango) -> str:
    menor, mayor = rango
    return str(menor) if menor == mayor else f"{menor}-{mayor}"


def imprimir(resultados: dict, tamanos: list[int], carga: tuple[float, float]) -> None:
    print(f"\nCarga media (1 min) al empezar {carga[0]:.2f}, al terminar {carga[1]:.2f}")
    cabecera = f"  {'caso':<18}{'expedientes':>12}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms':>9}{'SQL/pág.':>10}{'pet.':>6}"
    print(cabecera + (f"{'razón p50':>11}{'razón CPU':>11}" if len(tamanos) > 1 else ""))
    for caso, por_tamano in resultados.items():
        base = por_tamano[tamanos[0]]
        for n in tamanos:
            r = por_tamano[n]
            linea = f"  {caso:<18}{n:>12,}{r['p50']:>9.2f}{r['p95']:>9.2f}{r['cpu']:>9.2f}{_sql(r['sql']):>10}"
            linea += f"{r['peticiones']:>6}"
            if len(tamanos) > 1:
                linea += f"{r['p50'] / base['p50']:>11.2f}{r['cpu'] / base['cpu']:>11.2f}"
            print(linea)
    sys.stdout.flush()


def principal(argv, descripcion: str, casos: list[str], modulo: str, trabajar) -> int:
    """The command line of a bench that measures `casos` per size in worker processes of `modulo` (each runs
    `trabajar(n)`): bench/cola_revision.py, bench/registros.py."""
    parser = argparse.ArgumentParser(description=descripcion)
    parser.add_argument("tamanos", nargs="*", type=int, default=[10_000], help="expedientes, p. ej. 10000 1000000")
    parser.add_argument("--peticiones", type=int, default=300, help="peticiones medidas por caso y por tamaño")
    parser.add_argument("--bloque", type=int, default=20, help="peticiones seguidas de un tamaño antes de alternar")
    parser.add_argument("--explicar", action="store_true", help="imprimir EXPLAIN ANALYZE de cada caso")
    parser.add_argument("--casos", nargs="*", choices=casos, help="solo estos casos")
    parser.add_argument("--trabajador", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trabajador:
        trabajar(args.trabajador)
        return 0
    inicio = os.getloadavg()[0]
    resultados = medir(args.tamanos, args.casos or casos, args.peticiones, args.bloque, args.explicar, modulo)
    imprimir(resultados, args.tamanos, (inicio, os.getloadavg()[0]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de «Mis expedientes» (empresa grande, por tamaño).")
    parser.add_argument(
        "tamanos", nargs="*", type=int, default=[10_000], help="expedientes por base, p. ej. 10000 1000000"
    )
    parser.add_argument("--peticiones", type=int, default=300, help="peticiones medidas por caso y por tamaño")
    parser.add_argument("--bloque", type=int, default=20, help="peticiones seguidas de un tamaño antes de alternar")
    parser.add_argument("--explicar", action="store_true", help="imprimir EXPLAIN ANALYZE de cada caso")
    parser.add_argument("--filtros", action="store_true", help="medir también la búsqueda (FILTROS)")
    parser.add_argument("--trabajador", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trabajador:
        trabajador(args.trabajador)
        return 0
    inicio = os.getloadavg()[0]
    casos = list(TODOS if args.filtros else CASOS)
    resultados = medir(args.tamanos, casos, args.peticiones, args.bloque, args.explicar)
    imprimir(resultados, args.tamanos, (inicio, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
