"""Time to make and sign a constancia de radicación (app/services/constancia.py), and to verify it.

.venv/bin/python -m bench.constancia [--documentos 25] [--corridas 50] [--calentamiento 5]

Uses a development certificate in a temporary folder (created once, outside the timing). Reports p50/p95/max in
milliseconds for the whole `generar`, its two halves (drawing with reportlab, signing with pyHanko) and `verificar`.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.services import constancia, firma_pdf


def datos(documentos: int) -> constancia.DatosConstancia:
    return constancia.DatosConstancia(
        radicado="2026-000123",
        radicado_en=datetime(2026, 3, 4, 20, 5, tzinfo=UTC),
        tramite="Registro sanitario de medicamentos de síntesis química",
        tramite_codigo="MED-RS-001",
        version=2,
        modalidad="Fabricar y vender",
        titular="Laboratorios Niño & Peña S.A.S.",
        titular_identificacion="NIT 900123456-7",
        solicitante="María José Núñez",
        solicitante_identificacion="CC 1020304050",
        tarifa="4002-12",
        referencia_pago="PSE-778812",
        valor="$ 12.345.678",
        bajo_insistencia=None,
        documentos=tuple(
            constancia.DocumentoConstancia(
                requisito=f"Requisito {n}: certificado de existencia y representación legal",
                nombre_archivo=f"documento_{n}_con_un_nombre_de_archivo_bastante_largo.pdf",
                folios=n,
                sha256=hashlib.sha256(str(n).encode()).hexdigest(),
            )
            for n in range(1, documentos + 1)
        ),
        codigo_verificacion="K7QX-2M9P",
        url_verificacion="https://invimagil.example/verificar/2026-000123?codigo=K7QX-2M9P",
    )


def _medir(funcion: Callable[[], object], corridas: int, calentamiento: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (CPU excludes waiting for a machine shared with others)."""
    for _ in range(calentamiento):
        funcion()
    tiempos, cpu = [], []
    for _ in range(corridas):
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        funcion()
        tiempos.append((time.perf_counter() - inicio) * 1000)
        cpu.append((time.process_time() - inicio_cpu) * 1000)
    return tiempos, cpu


def _resumen(nombre: str, tiempos: list[float], cpu: list[float]) -> str:
    p50 = statistics.median(tiempos)
    p95 = statistics.quantiles(tiempos, n=20)[-1]
    return (
        f"{nombre:<22} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   máx {max(tiempos):6.1f} ms   "
        f"CPU p50 {statistics.median(cpu):6.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tiempo de generar, firmar y verificar una constancia.")
    parser.add_argument("--documentos", type=int, default=25)
    parser.add_argument("--corridas", type=int, default=50)
    parser.add_argument("--calentamiento", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directorio:
        firmante = constancia.Firmante.de_desarrollo(directorio)
        ejemplo = datos(args.documentos)
        sin_firma = constancia._pdf(ejemplo)
        firmado = constancia.generar(ejemplo, firmante)
        casos = {
            "generar (total)": lambda: constancia.generar(ejemplo, firmante),
            "  dibujar (reportlab)": lambda: constancia._pdf(ejemplo),
            "  firmar (pyHanko)": lambda: firma_pdf.firmar(sin_firma, firmante, {"/InvimaRadicado": "2026-000123"}),
            "verificar": lambda: constancia.verificar(firmado, firmante),
        }
        print(f"{args.documentos} documentos, {args.corridas} corridas tras {args.calentamiento} de calentamiento")
        for nombre, funcion in casos.items():
            print(_resumen(nombre, *_medir(funcion, args.corridas, args.calentamiento)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
