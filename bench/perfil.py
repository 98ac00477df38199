"""cProfile of help-desk requests, to see where the per-request time goes.

.venv/bin/python -m bench.perfil 10000 --caso identificacion --peticiones 300 [--orden tottime]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys

from bench.generar import ADMIN, AGENTE, crear_app, nombre_base
from bench.mesa_ayuda import CASOS, _ingresar, _muestras, _url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Perfil (cProfile) de peticiones de la Mesa de ayuda.")
    parser.add_argument("tamano", nargs="?", type=int, default=10_000)
    parser.add_argument("--caso", choices=CASOS, default="identificacion")
    parser.add_argument("--peticiones", type=int, default=300)
    parser.add_argument("--orden", default="cumulative")
    parser.add_argument("--lineas", type=int, default=45)
    parser.add_argument("--url", help="perfilar esta URL en vez de un caso")
    args = parser.parse_args(argv)

    app = crear_app(nombre_base(args.tamano))
    cliente = _ingresar(app, ADMIN if args.caso == "lista_usuarios" else AGENTE)
    valores = _muestras(app, args.peticiones, 7)[args.caso]
    urls = [args.url] * len(valores) if args.url else [_url(args.caso, v) for v in valores]
    for url in urls[:20]:
        cliente.get(url)
    perfil = cProfile.Profile()
    perfil.enable()
    for url in urls:
        cliente.get(url)
    perfil.disable()
    estadisticas = pstats.Stats(perfil).sort_stats(args.orden)
    estadisticas.print_stats(args.lineas)
    return 0


if __name__ == "__main__":
    sys.exit(main())
