"""Load N synthetic expedientes (with the accounts and companies that file them) into a separate database, for the
«Mis expedientes» benchmark (bench/mis_expedientes.py).

    .venv/bin/python -m bench.generar_expedientes --n 10000        # database invima_bench_expedientes_10000
    .venv/bin/python -m bench.generar_expedientes --n 1000000      # database invima_bench_expedientes_1000000
    .venv/bin/python -m bench.generar_expedientes --n 10000 --db otra

The database is created if missing, migrated and seeded like `make run`; what a previous run loaded is replaced.
With PostgreSQL COPY, a progress bar for each table:

- accounts: N / 10 (at least 200) persons, as bench.generar makes them (with its help-desk agent and administrator);
- companies: N / 1 000 (at least 20). The first, «Laboratorios Bench Grande S.A.S.», has a real Administrador who
  logs in (EMPRESA_GRANDE) and holds ~12 % of the expedientes; the others share ~58 % unevenly (a few large
  companies, many small ones); persons acting as themselves file the other ~30 %;
- expedientes: created over the last three years (ids grow with time, as in production), under the published
  trámites of the seeded catalog (a person only under those open to persona natural), ~85 % radicado a few hours
  to days after creation (fewer among the last month's: drafts still open), numbered per Bogotá year in the
  order they were radicados, with the yearly counters set to match.

Ends with VACUUM ANALYZE (the steady state autovacuum keeps: statistics and the visibility map).
Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bench import generar
from bench.generar import LOTE, Progreso, crear_app, crear_cuenta, preparar

EMPRESA_GRANDE = {
    "tipo": "CC",
    "numero": "9000000003",
    "correo": "empresa.grande@bench.invima",
    "contrasena": "Bench#2026x",
}
NIT_GRANDE = "800000001"
PARTE_GRANDE = 0.12  # of the expedientes: the big company's
PARTE_PERSONAS = 0.30  # filed by persons acting as themselves
RADICADOS = 0.85
ANIOS = 3
COLUMNAS = (
    "id",
    "empresa_id",
    "persona_id",
    "creado_por_id",
    "tramite_version_id",
    "modalidad_id",
    "estado",
    "datos",
    "secciones",
    "nombre_producto",
    "radicado",
    "radicado_anio",
    "radicado_numero",
    "radicado_en",
    "radicado_por_id",
    "creado_en",
    "actualizado_en",
)
PRODUCTOS = (
    "Crema hidratante",
    "Champú anticaspa",
    "Jabón líquido",
    "Desodorante en barra",
    "Protector solar FPS 50",
    "Toallas higiénicas",
    "Pañales desechables",
    "Limpiador multiusos",
    "Detergente en polvo",
    "Insecticida en aerosol",
    "Cebo para cucarachas",
    "Repelente de mosquitos",
    "Esmalte de uñas",
    "Tinte para el cabello",
    "Crema dental",
    "Enjuague bucal",
)
MARCAS = ("Andina", "Caribe", "Sierra", "Llanos", "Pacífico", "Amazonía", "Nevado", "Tayrona", "Magdalena", "Cauca")


def nombre_base(n: int) -> str:
    return f"invima_bench_expedientes_{n}"


def _bogota():
    from app.services.fechas import BOGOTA

    return BOGOTA


def _catalogo(session) -> tuple[list[tuple[int, int | None]], list[tuple[int, int | None]]]:
    """(version id, its first modality) of every published version, and of those open to persona natural."""
    from sqlalchemy import text

    filas = session.execute(
        text(
            "SELECT v.id, v.persona_natural, (SELECT min(m.modalidad_id) FROM tramite_version_modalidad m"
            " WHERE m.version_id = v.id) FROM tramite_version v WHERE v.estado = 'Publicada' ORDER BY v.id"
        )
    ).all()
    todas = [(v, m) for v, _, m in filas]
    return todas, [(v, m) for v, natural, m in filas if natural] or todas


def crear_empresa_grande(session, sm):
    """The big company, as a registration leaves it: predefined roles and its Administrador (EMPRESA_GRANDE)."""
    from app.models.empresas import ROL_ADMINISTRADOR, Empresa
    from app.services.cuentas.identificacion import tipo_por_codigo
    from app.services.empresas import alta
    from app.services.reloj import ahora

    admin = crear_cuenta(session, sm, EMPRESA_GRANDE, "Administradora", "Grande", "Usuario")
    empresa = Empresa(
        nit=NIT_GRANDE,
        digito_verificacion=alta.digito_verificacion(NIT_GRANDE),
        razon_social="Laboratorios Bench Grande S.A.S.",
        correo="contacto@grande.bench.invima",
        rl_tipo_identificacion_id=tipo_por_codigo(session, "CC").id,
        rl_numero_identificacion=EMPRESA_GRANDE["numero"],
        rl_nombres="Administradora",
        rl_apellidos="Grande",
        terminos_aceptados_en=ahora(),
        creado_en=ahora() - timedelta(days=365 * ANIOS + 30),
        creado_por_id=admin.id,
    )
    session.add(empresa)
    session.flush()
    roles = alta.crear_roles_predefinidos(session, empresa)
    alta.agregar_miembro_aceptado(session, empresa, admin, [roles[ROL_ADMINISTRADOR]], es_representante_legal=True)
    return empresa, admin


def _filas_empresas(desde: int, cantidad: int, tipo_cc: int, ahora: datetime, azar: random.Random):
    from app.services.empresas.alta import digito_verificacion

    for i in range(desde, desde + cantidad):
        nit = str(800_000_000 + i * 7)
        creado = ahora - timedelta(days=azar.randint(365 * ANIOS, 365 * ANIOS + 2000))
        yield (
            i,
            nit,
            digito_verificacion(nit),
            f"Laboratorios {azar.choice(MARCAS)} {i} S.A.S.",
            f"contacto{i}@empresa{i}.bench.invima",
            tipo_cc,
            str(70_000_000 + i),
            "Representante",
            f"Empresa {i}",
            "Activa",
            creado,
            creado,
        )


def _titulares(n: int, grande: int, otras: list[int], personas: int, azar: random.Random):
    """One (empresa_id, persona_id) per expediente: the big company's share, the others by uneven weights (a few
    large, many small), the persons' share spread over every person."""
    pesos = [1 / (rango**0.9) for rango in range(1, len(otras) + 1)]
    elegidas = iter(azar.choices(otras, weights=pesos, k=n))
    for _ in range(n):
        sorteo = azar.random()
        if sorteo < PARTE_GRANDE:
            yield grande, None
        elif sorteo < PARTE_GRANDE + PARTE_PERSONAS:
            yield None, azar.randint(1, personas)
        else:
            yield next(elegidas), None


def _filas_expedientes(
    n: int, titulares, versiones, versiones_natural, admin_grande: int, grande: int, semilla: int, radicar: float
):
    """The COPY rows, in id order (= creation order); radicado numbers per Bogotá year, in radicación order.
    `radicar`: the share radicado (fewer among the last month's, unless every one is)."""
    azar = random.Random(semilla)
    bogota = _bogota()
    ahora = datetime.now(UTC)
    inicio = ahora - timedelta(days=365 * ANIOS)
    segundos = (ahora - inicio).total_seconds()
    creados = sorted(inicio + timedelta(seconds=azar.random() * segundos) for _ in range(n))
    radicados: list[tuple[datetime, int]] = []
    filas = []
    progreso = Progreso(n, "Sorteo     ")
    for i, (creado, (empresa_id, persona_id)) in enumerate(zip(creados, titulares, strict=True), start=1):
        if i % LOTE == 0:
            progreso.avanzar(LOTE)
        reciente = (ahora - creado).days < 30
        radicado_en = None
        if azar.random() < (0.5 if reciente and radicar < 1 else radicar):
            radicado_en = min(creado + timedelta(minutes=5 + azar.expovariate(1 / 2880)), ahora - timedelta(minutes=1))
            radicados.append((radicado_en, i))
        version, modalidad = azar.choice(versiones_natural if persona_id else versiones)
        autor = persona_id or (admin_grande if empresa_id == grande else None)
        producto = f"{azar.choice(PRODUCTOS)} {azar.choice(MARCAS)}"
        filas.append(
            [i, empresa_id, persona_id, autor, version, modalidad, "Borrador" if radicado_en is None else "Radicado",
             json.dumps({"producto": {"nombre": producto}}), "{}", producto, None, None, None, radicado_en,
             autor if radicado_en else None, creado, radicado_en or creado]
        )  # fmt: skip
    progreso.avanzar(n % LOTE)
    progreso.terminar()
    radicados.sort()
    contadores: dict[int, int] = {}
    for radicado_en, i in radicados:
        anio = radicado_en.astimezone(bogota).year
        contadores[anio] = numero = contadores.get(anio, 0) + 1
        fila = filas[i - 1]
        fila[10], fila[11], fila[12] = f"{anio}-{numero:06d}", anio, numero
    return filas, contadores


def _copiar(cur, tabla: str, columnas, filas, total: int, etiqueta: str) -> None:
    progreso = Progreso(total, etiqueta)
    with cur.copy(f"COPY {tabla} ({', '.join(columnas)}) FROM STDIN") as copia:
        lote = 0
        for fila in filas:
            copia.write_row(fila)
            lote += 1
            if lote == LOTE:
                progreso.avanzar(lote)
                lote = 0
        progreso.avanzar(lote)
    progreso.terminar()


def cargar(app, n: int, semilla: int = 2026, radicar: float = RADICADOS, ampliar=None) -> None:
    """Accounts, companies and `n` expedientes (a share `radicar` radicado). `ampliar(session, filas)`, if given,
    runs before the COPY inside the app context: it may add rows of its own (flushed, committed with the load) and
    appends values to each expediente row, returning the names of the columns it appended."""
    from sqlalchemy import text

    from app.extensions import appbuilder, db
    from app.services.cuentas.identificacion import tipo_por_codigo
    from app.services.reloj import ahora

    personas = max(200, n // 10)
    empresas = max(20, n // 1000)
    generar.cargar(app, personas, semilla)  # persons 1..personas (replaces accounts, companies and expedientes)
    azar = random.Random(semilla)
    with app.app_context():
        grande, admin = crear_empresa_grande(db.session, appbuilder.sm)
        grande_id, admin_id, tipo_cc = grande.id, admin.id, tipo_por_codigo(db.session, "CC").id
        versiones, versiones_natural = _catalogo(db.session)
        db.session.commit()
        otras = list(range(grande_id + 1, grande_id + empresas))
        titulares = _titulares(n, grande_id, otras, personas, azar)
        filas, contadores = _filas_expedientes(
            n, titulares, versiones, versiones_natural, admin_id, grande_id, semilla, radicar
        )
        columnas = COLUMNAS + tuple(ampliar(db.session, filas) if ampliar else ())
        db.session.commit()
        conexion = db.engine.raw_connection()
        try:
            pg = conexion.driver_connection
            with pg.cursor() as cur:
                columnas_empresa = (
                    "id, nit, digito_verificacion, razon_social, correo, rl_tipo_identificacion_id, "
                    "rl_numero_identificacion, rl_nombres, rl_apellidos, estado, terminos_aceptados_en, creado_en"
                ).split(", ")
                empresas_filas = _filas_empresas(otras[0], len(otras), tipo_cc, ahora(), azar)
                _copiar(cur, "empresa", columnas_empresa, empresas_filas, len(otras), "Empresas   ")
                _copiar(cur, "expediente", columnas, filas, n, "Expedientes")
                cur.execute("SELECT setval('empresa_id_seq', %s)", (otras[-1],))
                cur.execute("SELECT setval('expediente_id_seq', %s)", (n,))
                cur.execute("DELETE FROM contador_radicado")
                for anio, ultimo in sorted(contadores.items()):
                    cur.execute("INSERT INTO contador_radicado (anio, ultimo) VALUES (%s, %s)", (anio, ultimo))
            pg.commit()
            sys.stderr.write("VACUUM ANALYZE…\n")
            pg.autocommit = True
            with pg.cursor() as cur:
                for tabla in ("empresa", "expediente", "membresia", "rol_empresa"):
                    cur.execute(f"VACUUM ANALYZE {tabla}")
            pg.autocommit = False
        finally:
            conexion.close()
        de_la_grande = db.session.scalar(
            text("SELECT count(*) FROM expediente WHERE empresa_id = :e"), {"e": grande_id}
        )
        db.session.rollback()
    print(f"La empresa grande (NIT {NIT_GRANDE}) tiene {de_la_grande:,} expedientes ({de_la_grande / n:.1%}).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Genera expedientes sintéticos para el benchmark (COPY).")
    parser.add_argument("--n", type=int, required=True, help="número de expedientes, p. ej. 10000 o 1000000")
    parser.add_argument("--db", help="nombre de la base de datos (por defecto invima_bench_expedientes_<n>)")
    parser.add_argument("--semilla", type=int, default=2026)
    args = parser.parse_args(argv)
    base = args.db or nombre_base(args.n)
    inicio = time.monotonic()
    app = crear_app(base)
    preparar(app)
    cargar(app, args.n, args.semilla)
    print(f"Base {base}: {args.n:,} expedientes cargados en {time.monotonic() - inicio:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
