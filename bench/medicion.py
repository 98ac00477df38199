"""The measuring loop shared by bench.mesa_ayuda and bench.comparar (standalone: no imports from the app).

bench.comparar's workers import it from this folder even when they run another tree's app.
"""

from __future__ import annotations

import time


def medir(
    cliente,
    caso: str,
    urls: list[str],
    sentencias: list[int],
    cpu: list[float] | None = None,
    marca: str = "Ver detalle",
) -> tuple[list[float], list[int], int]:
    """GET each URL with the Flask test client: milliseconds, SQL statements and pages without results.

    `sentencias` is the one-item counter a before_cursor_execute listener increments. Any answer but 200 stops
    the benchmark (a measurement of error pages would be worthless). `cpu`, if given, gets each request's CPU
    milliseconds of this process (the app's Python work; waits for PostgreSQL and for a busy machine excluded).
    A page without `marca` (what each result row carries) counts as without results.
    """
    tiempos, conteos, vacias = [], [], 0
    for url in urls:
        sentencias[0] = 0
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        r = cliente.get(url)
        tiempos.append((time.perf_counter() - inicio) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - inicio_cpu) * 1000)
        conteos.append(sentencias[0])
        if r.status_code != 200:
            raise SystemExit(f"{caso} {url}: HTTP {r.status_code}")
        if caso != "lista_usuarios" and marca not in r.get_data(as_text=True):
            vacias += 1
    return tiempos, conteos, vacias
