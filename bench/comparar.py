"""Before/after comparison of the help-desk benchmark (or the back-office queue's) in ONE run: two code trees,
requests interleaved.

    git worktree add /tmp/antes <commit>      # or: git archive <commit> | tar -x -C /tmp/antes
    .venv/bin/python -m bench.comparar --antes /tmp/antes 10000 1000000 --peticiones 600
    .venv/bin/python -m bench.comparar --banco cola --antes /tmp/antes 10000 1000000 --peticiones 200

For each size, one worker process per tree (each imports the app from its own tree, against the same
database invima_bench_<n> made by bench.generar, logged in as in bench.mesa_ayuda) measures the same
sample URLs in small alternating blocks (antes, después, después, antes, …). On a shared, noisy machine
both sides then see the same load, so the ratio después/antes is meaningful even when the absolute
milliseconds move from run to run. Prints p50 / p95, the p50 of the app process's CPU time (steadier than
the clock when other processes take the cores), SQL statements per request and the load average.
The workers only need bench/generar.py and bench/mesa_ayuda.py in their tree (this file runs from here); with
`--banco cola`, bench/generar_revision.py and bench/cola_revision.py too, against invima_bench_revision_<n>, every
case of bench.cola_revision (Revisor and Coordinador: page 1, «asignados a mí», «término por vencer»); with
`--banco mis`, bench/generar_expedientes.py and bench/mis_expedientes.py, against invima_bench_expedientes_<n>, the
cases of bench.mis_expedientes without the search (page 1, «Creado» ascending, page 2).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

AQUI = Path(__file__).resolve()
CASOS_MESA = ("identificacion", "correo", "nombre")


def _casos_mesa(n: int, peticiones: int, semilla: int):
    """The help-desk searches (a sample of accounts per case) and the company's user list: (app, case → (client,
    URLs))."""
    from bench import mesa_ayuda
    from bench.generar import ADMIN, AGENTE, crear_app, nombre_base
    from bench.mesa_ayuda import _ingresar, _muestras, _url

    app = crear_app(nombre_base(n))
    agente, admin = _ingresar(app, AGENTE), _ingresar(app, ADMIN)
    muestras = _muestras(app, peticiones, semilla)
    if hasattr(mesa_ayuda, "calentar"):  # the same server for both trees: warming it once serves both
        mesa_ayuda.calentar(app)
    casos = {
        caso: (admin if caso == "lista_usuarios" else agente, [_url(caso, v) for v in muestras[caso]])
        for caso in (*CASOS_MESA, "lista_usuarios")
    }
    return app, casos


def _casos_cola(n: int, peticiones: int, _semilla: int):
    """The queue's pages, the same URL each time, for the bench Revisor and Coordinador."""
    from bench import cola_revision
    from bench.generar import crear_app
    from bench.generar_revision import COORDINADOR, REVISOR, nombre_base
    from bench.mesa_ayuda import _ingresar

    app = crear_app(nombre_base(n))
    clientes = {"revisor": _ingresar(app, REVISOR), "coordinador": _ingresar(app, COORDINADOR)}
    casos = {
        f"{login}_{caso}": (clientes[login], [url] * peticiones)
        for login in cola_revision.LOGINS
        for caso, url in cola_revision.URLS.items()
    }
    return app, casos


def _casos_mis(n: int, peticiones: int, _semilla: int):
    """«Mis expedientes» of the big company (bench.mis_expedientes' cases without the search), the same URL each
    time."""
    from bench import mis_expedientes
    from bench.generar import crear_app
    from bench.generar_expedientes import nombre_base

    app = crear_app(nombre_base(n))
    cliente = mis_expedientes._cliente(app)
    return app, {caso: (cliente, [url] * peticiones) for caso, url in mis_expedientes.CASOS.items()}


BANCOS = {"mesa": _casos_mesa, "cola": _casos_cola, "mis": _casos_mis}
MARCAS = {"mesa": "Ver detalle", "cola": 'href="/revision/expedientes/', "mis": 'href="/expedientes/'}


def trabajador(arbol: str, banco: str, n: int, peticiones: int, semilla: int) -> None:
    """Serve measurement blocks on stdin/stdout (one JSON object per line) for the tree `arbol`."""
    sys.path.insert(0, arbol)
    os.chdir(arbol)
    from medicion import medir  # this folder's (on sys.path as the script's own), whatever the tree
    from sqlalchemy import event

    from app.extensions import db

    salida = sys.stdout
    sys.stdout = sys.stderr  # app logs must not mix with the protocol
    app, casos = BANCOS[banco](n, peticiones, semilla)
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
        caso = orden["caso"]
        cliente, urls = casos[caso]
        cpu: list[float] = []
        tramo = urls[orden["desde"] : orden["hasta"]]
        tiempos, conteos, vacias = medir(cliente, caso, tramo, sentencias, cpu, MARCAS[banco])
        salida.write(json.dumps({"tiempos": tiempos, "sentencias": conteos, "vacias": vacias, "cpu": cpu}) + "\n")
        salida.flush()


class Trabajador:
    def __init__(self, arbol: Path, banco: str, n: int, peticiones: int, semilla: int):
        comando = [sys.executable, str(AQUI), "--trabajador", str(arbol), "--banco", banco, str(n)]
        comando += ["--peticiones", str(peticiones), "--semilla", str(semilla)]
        self.proceso = subprocess.Popen(
            comando, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self._leer()

    def _leer(self) -> dict:
        linea = self.proceso.stdout.readline()
        if not linea:
            raise SystemExit("Un trabajador terminó antes de tiempo: ¿generó la base con bench.generar?")
        return json.loads(linea)

    def bloque(self, caso: str, desde: int, hasta: int) -> dict:
        self.proceso.stdin.write(json.dumps({"caso": caso, "desde": desde, "hasta": hasta}) + "\n")
        self.proceso.stdin.flush()
        return self._leer()

    def cerrar(self) -> None:
        self.proceso.stdin.close()
        self.proceso.wait(timeout=60)


def comparar(antes: Path, despues: Path, banco: str, n: int, casos, peticiones: int, bloque: int, semilla: int) -> dict:
    lados = {
        nombre: Trabajador(arbol, banco, n, peticiones, semilla)
        for nombre, arbol in (("antes", antes), ("despues", despues))
    }
    resultados = {}
    try:
        for caso in casos:
            for lado in lados.values():  # warm-up: plans, prepared statements, caches, connection pool
                lado.bloque(caso, 0, min(20, peticiones))
            acumulado = {nombre: {"tiempos": [], "sentencias": [], "cpu": [], "vacias": 0} for nombre in lados}
            for i, desde in enumerate(range(0, peticiones, bloque)):
                orden = ("antes", "despues") if i % 2 == 0 else ("despues", "antes")
                for nombre in orden:
                    r = lados[nombre].bloque(caso, desde, min(desde + bloque, peticiones))
                    for clave in ("tiempos", "sentencias", "cpu"):
                        acumulado[nombre][clave] += r[clave]
                    acumulado[nombre]["vacias"] += r["vacias"]
            resultados[caso] = {nombre: _resumen(datos) for nombre, datos in acumulado.items()}
    finally:
        for lado in lados.values():
            lado.cerrar()
    return resultados


def _resumen(datos: dict) -> dict:
    tiempos = sorted(datos["tiempos"])
    return {
        "p50": statistics.median(tiempos),
        "p95": tiempos[max(int(len(tiempos) * 0.95) - 1, 0)],
        "cpu": statistics.median(datos["cpu"]),
        "sql": (min(datos["sentencias"]), max(datos["sentencias"])),
        "vacias": datos["vacias"],
        "peticiones": len(tiempos),
    }


def _sql(rango) -> str:
    menor, mayor = rango
    return str(menor) if menor == mayor else f"{menor}-{mayor}"


def imprimir(n: int, resultados: dict, carga: tuple[float, float], unidad: str = "cuentas") -> None:
    print(f"\n{n:,} {unidad} · carga media (1 min) al empezar {carga[0]:.2f}, al terminar {carga[1]:.2f}")
    cabecera = f"  {'caso':<28}{'p50 antes':>10}{'p50 desp.':>10}{'razón':>7}{'p95 antes':>10}{'p95 desp.':>10}"
    print(cabecera + f"{'CPU antes':>10}{'CPU desp.':>10}{'razón':>7}{'SQL antes→desp.':>17}{'pet.':>6}")
    for caso, r in resultados.items():
        a, d = r["antes"], r["despues"]
        sql = f"{_sql(a['sql'])} → {_sql(d['sql'])}"
        print(
            f"  {caso:<28}{a['p50']:>10.2f}{d['p50']:>10.2f}{d['p50'] / a['p50']:>7.2f}"
            f"{a['p95']:>10.2f}{d['p95']:>10.2f}{a['cpu']:>10.2f}{d['cpu']:>10.2f}{d['cpu'] / a['cpu']:>7.2f}"
            f"{sql:>17}{d['peticiones']:>6}"
        )
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Antes/después de un benchmark (Mesa de ayuda o cola) en una corrida.")
    parser.add_argument("tamanos", nargs="*", type=int, default=[10_000])
    parser.add_argument(
        "--banco",
        choices=sorted(BANCOS),
        default="mesa",
        help="mesa: Mesa de ayuda; cola: revisión; mis: Mis expedientes",
    )
    parser.add_argument("--antes", help="árbol con el código de antes (git worktree o git archive)")
    parser.add_argument("--despues", default=str(AQUI.parent.parent), help="árbol con el código de después")
    parser.add_argument("--peticiones", type=int, default=600, help="peticiones medidas por caso y por lado")
    parser.add_argument("--bloque", type=int, default=20, help="peticiones seguidas de un lado antes de alternar")
    parser.add_argument("--semilla", type=int, default=7)
    parser.add_argument("--lista", action="store_true", help="medir también la lista de usuarios")
    parser.add_argument("--trabajador", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trabajador:
        (n,) = args.tamanos
        trabajador(args.trabajador, args.banco, n, args.peticiones, args.semilla)
        return 0
    if not args.antes:
        parser.error("falta --antes")
    casos = CASOS_MESA + (("lista_usuarios",) if args.lista else ())
    if args.banco == "cola":
        from bench.cola_revision import CASOS as casos
    elif args.banco == "mis":
        from bench.mis_expedientes import CASOS as casos_mis

        casos = tuple(casos_mis)
    for n in args.tamanos:
        inicio = os.getloadavg()[0]
        resultados = comparar(
            Path(args.antes), Path(args.despues), args.banco, n, casos, args.peticiones, args.bloque, args.semilla
        )
        unidad = "cuentas" if args.banco == "mesa" else "expedientes"
        imprimir(n, resultados, (inicio, os.getloadavg()[0]), unidad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
