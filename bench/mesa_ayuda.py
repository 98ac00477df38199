"""Help-desk and users-list benchmark, in-process with the Flask test client, logged in.

    .venv/bin/python -m bench.generar 10000 && .venv/bin/python -m bench.generar 1000000
    .venv/bin/python -m bench.mesa_ayuda 10000 1000000 --peticiones 300
    make bench BENCH_ARGS="10000 1000000"

Each size runs in its own process against database invima_bench_<n> (made by bench.generar).
Prints p50 / p95 in milliseconds and SQL statements per request for: exact identification, exact
e-mail, name prefix (help desk, as the agent) and one page of the generated users list (as admin).
To compare two versions of the code in one run (before/after ratios on a noisy machine): bench/comparar.py.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time

from bench.generar import ADMIN, AGENTE, crear_app, nombre_base
from bench.medicion import medir as medir_urls

CASOS = ("identificacion", "correo", "nombre", "lista_usuarios")


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return m.group(1) if m else ""


def _ingresar(app, datos: dict):
    from app.extensions import db
    from app.services.cuentas.identificacion import tipo_por_codigo

    with app.app_context():
        tipo_id = tipo_por_codigo(db.session, datos["tipo"]).id
    cliente = app.test_client()
    pagina = cliente.get("/login/").get_data(as_text=True)
    r = cliente.post(
        "/login/",
        data={
            "csrf_token": _csrf(pagina),
            "ingresar_como": "natural",
            "tipo_identificacion": str(tipo_id),
            "identificacion": datos["numero"],
            "contrasena": datos["contrasena"],
        },
    )
    if r.status_code != 302:
        raise SystemExit(f"No se pudo ingresar como {datos['numero']}: ¿generó la base con bench.generar?")
    return cliente


def _muestras(app, cantidad: int, semilla: int) -> dict[str, list[str]]:
    from sqlalchemy import text

    from app.extensions import db

    azar = random.Random(semilla)
    with app.app_context():
        maximo = db.session.scalar(text("SELECT max(id) FROM ab_user"))
        ids = [azar.randint(1, maximo) for _ in range(cantidad * 2)]
        filas = db.session.execute(
            text(
                "SELECT numero_identificacion, email, first_name, last_name FROM ab_user"
                " WHERE id = ANY(:ids) AND numero_identificacion IS NOT NULL"
            ),
            {"ids": ids},
        ).all()
    azar.shuffle(filas)
    filas = filas[:cantidad]
    nombres = []
    for _numero, _correo, nombre, apellido in filas:
        # Alternate what agents type: start of a surname, or a first name plus the start of a surname.
        if azar.random() < 0.5:
            nombres.append(apellido.split()[0][:4])
        else:
            nombres.append(f"{nombre.split()[0]} {apellido[:3]}")
    return {
        "identificacion": [f[0] for f in filas],
        "correo": [f[1].upper() if azar.random() < 0.3 else f[1] for f in filas],
        "nombre": nombres,
        "lista_usuarios": [str(azar.randint(0, 40)) for _ in filas],
    }


def _url(caso: str, valor: str) -> str:
    from urllib.parse import urlencode

    if caso == "lista_usuarios":
        return f"/usuarios/list/?page_UsuarioModelView={valor}"
    return "/mesa-ayuda/?" + urlencode({"q": valor, "criterio": "auto"})


# Each statement walks one index of ab_user in full (and, through the primary key, every table page) via the
# buffer manager, as a server that has been answering for a while holds them. A sequential scan would not do:
# PostgreSQL reads big tables through a small ring of buffers. pg_prewarm is not part of the embedded server.
_CALENTAR = (
    "SELECT count(email) FROM ab_user WHERE id > 0",
    "SELECT count(*) FROM ab_user WHERE numero_identificacion > ''",
    "SELECT count(*) FROM ab_user WHERE lower(email) > ''",
    "SELECT count(*) FROM ab_user WHERE nombre_busqueda ~>=~ ''",
    "SELECT count(*) FROM ab_user WHERE apellido_busqueda ~>=~ ''",
)


def calentar(app) -> None:
    """Bring ab_user and its look-up indexes into PostgreSQL's shared buffers (steady state, not a cold start)."""
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        db.session.execute(text("SET enable_seqscan = off"))
        db.session.execute(text("SET enable_bitmapscan = off"))
        for i, sql in enumerate(_CALENTAR, 1):
            print(f"\r  calentando la caché de PostgreSQL {i}/{len(_CALENTAR)}", end="", file=sys.stderr, flush=True)
            db.session.execute(text(sql))
        db.session.rollback()
        print(file=sys.stderr)


def medir(n: int, peticiones: int, semilla: int) -> dict[str, dict]:
    from sqlalchemy import event

    from app.extensions import db

    app = crear_app(nombre_base(n))
    agente = _ingresar(app, AGENTE)
    admin = _ingresar(app, ADMIN)
    muestras = _muestras(app, peticiones, semilla)
    calentar(app)
    sentencias = [0]
    with app.app_context():
        motor = db.engine

    def contar(*_args):
        sentencias[0] += 1

    event.listen(motor, "before_cursor_execute", contar)
    resultados = {}
    for caso in CASOS:
        cliente = admin if caso == "lista_usuarios" else agente
        valores = muestras[caso]
        for valor in valores[:20]:  # warm-up: plans, caches, connection pool
            cliente.get(_url(caso, valor))
        tiempos, conteos, vacias = medir_urls(cliente, caso, [_url(caso, v) for v in valores], sentencias)
        tiempos.sort()
        resultados[caso] = {
            "p50": statistics.median(tiempos),
            "p95": tiempos[int(len(tiempos) * 0.95) - 1],
            "sentencias": max(conteos),
            "min_sentencias": min(conteos),
            "sin_resultados": vacias,
            "peticiones": len(tiempos),
        }
    event.remove(motor, "before_cursor_execute", contar)
    return resultados


def referencia_cpu() -> float:
    """Milliseconds of a fixed pure-Python loop (median of 5): how fast this shared machine is right now.

    Runs of the same code differ up to ×2 here; this figure, printed before and after the cases, tells a slow
    moment from a slow change.
    """
    tiempos = []
    for _ in range(5):
        inicio = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i
        tiempos.append((time.perf_counter() - inicio) * 1000)
    return statistics.median(tiempos)


def imprimir(n: int, resultados: dict[str, dict], cpu: tuple[float, float] | None = None) -> None:
    print(f"\n{n:,} cuentas (base {nombre_base(n)})")
    if cpu:
        print(f"  referencia de CPU (vuelta fija de Python): {cpu[0]:.1f} ms al empezar, {cpu[1]:.1f} ms al terminar")
    print(f"  {'caso':<16}{'p50 ms':>9}{'p95 ms':>9}{'SQL/pet.':>10}{'peticiones':>12}{'vacías':>8}")
    for caso, r in resultados.items():
        sql = (
            str(r["sentencias"])
            if r["sentencias"] == r["min_sentencias"]
            else f"{r['min_sentencias']}-{r['sentencias']}"
        )
        print(f"  {caso:<16}{r['p50']:>9.2f}{r['p95']:>9.2f}{sql:>10}{r['peticiones']:>12}{r['sin_resultados']:>8}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de la Mesa de ayuda y de la lista de usuarios.")
    parser.add_argument("tamanos", nargs="*", type=int, default=[10_000], help="cuentas por base, p. ej. 10000 1000000")
    parser.add_argument("--peticiones", type=int, default=300, help="peticiones medidas por caso")
    parser.add_argument("--semilla", type=int, default=7)
    parser.add_argument("--solo", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.solo:
        (n,) = args.tamanos
        antes = referencia_cpu()
        resultados = medir(n, args.peticiones, args.semilla)
        imprimir(n, resultados, (antes, referencia_cpu()))
        return 0
    # One process per size: the app (and FAB's global AppBuilder) binds to one database.
    codigo = 0
    for n in args.tamanos:
        comando = [sys.executable, "-m", "bench.mesa_ayuda", str(n), "--solo", "--peticiones", str(args.peticiones)]
        codigo |= subprocess.call(comando + ["--semilla", str(args.semilla)])
    return codigo


if __name__ == "__main__":
    sys.exit(main())
