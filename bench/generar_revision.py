"""Load N radicated expedientes with their review state into a separate database, for the back-office queue benchmark
(bench/cola_revision.py).

    .venv/bin/python -m bench.generar_revision --n 10000        # database invima_bench_revision_10000
    .venv/bin/python -m bench.generar_revision --n 1000000      # database invima_bench_revision_1000000

The accounts, companies and expedientes are bench.generar_expedientes's (same titulares, trámites and dates, with
progress bars), but every expediente is radicado, and each one gets what radicación and the review give it:

- its family's grupo de revisión and the decision term of its trámite version (so the grupos share the rows as the
  catalog shares the trámites);
- funcionarios: in each grupo a coordinator and REVISORES_POR_GRUPO reviewers; in «Cosméticos e higiene» two of them
  log in (COORDINADOR, REVISOR);
- the review state by age: most expedientes radicated more than four months ago are decided (no due date); the
  others are open — a share of the last days' still unassigned (Radicado), the rest assigned to a reviewer of the
  grupo (Asignado, En verificación), the clock running from the radicación. Decided ones keep their assignee. None is suspended by a requerimiento:
  «Requerimiento enviado» does not fit expediente.estado (VARCHAR(20)); decided ones already end the queue with no
  due date.

Every approved expediente of a trámite that grants one (registros and NSO) gets its registro sanitario, as
approval leaves it (app/services/registros.py `otorgar`): number in a bench series, otorgado the day it was decided,
vence after the catalog's vigencia. For the lists' search by estado (bench/registros.py) some are not vigente: 3 %
cancelled a year after being granted, 2 % en agotamiento (half of them past their date, so «Vencido»), and a tenth
carried over with a 180-day vigencia (vencidos once that passed).

Ends with VACUUM ANALYZE. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta

from bench import generar_expedientes
from bench.generar import LOTE, Progreso, crear_app, crear_cuenta, preparar

GRUPO_BENCH = "cosmeticos_higiene"
COORDINADOR = {"tipo": "CC", "numero": "9000000010", "correo": "coordinador@bench.invima", "contrasena": "Bench#2026x"}
REVISOR = {"tipo": "CC", "numero": "9000000011", "correo": "revisor@bench.invima", "contrasena": "Bench#2026x"}
REVISORES_POR_GRUPO = 12
DIAS_HASTA_DECIDIR = 120  # older than this, most are decided
DECIDIDOS_VIEJOS = 0.92
SIN_ASIGNAR_RECIENTES = 0.6  # of the open ones radicated in the last 3 days
COLUMNAS = (
    "grupo_id",
    "familia_id",
    "asignado_a_id",
    "asignado_en",
    "termino_dias",
    "dias_usados",
    "reloj_desde",
    "vence_en",
    "decidido_en",
)
# Row positions of bench.generar_expedientes.COLUMNAS this generator reads or rewrites.
ESTADO = generar_expedientes.COLUMNAS.index("estado")
VERSION = generar_expedientes.COLUMNAS.index("tramite_version_id")
RADICADO_EN = generar_expedientes.COLUMNAS.index("radicado_en")
ACTUALIZADO_EN = generar_expedientes.COLUMNAS.index("actualizado_en")


def nombre_base(n: int) -> str:
    return f"invima_bench_revision_{n}"


def _funcionarios(session, sm) -> dict[int, list[int]]:
    """A coordinator and the reviewers of every grupo (the two bench accounts in GRUPO_BENCH): grupo id → the user
    ids the expedientes of that grupo are assigned to."""
    from sqlalchemy import select

    from app.models.funcionarios import Funcionario, GrupoRevision
    from app.security.roles import ROL_COORDINADOR, ROL_REVISOR_LEGAL, ROL_REVISOR_TECNICO
    from app.services.reloj import ahora

    revisores: dict[int, list[int]] = {}
    numero = 9_000_001_000
    for grupo in session.scalars(select(GrupoRevision).order_by(GrupoRevision.id)):
        cuentas = []
        for i in range(REVISORES_POR_GRUPO + 1):
            rol = ROL_COORDINADOR if i == 0 else (ROL_REVISOR_LEGAL if i % 2 else ROL_REVISOR_TECNICO)
            if grupo.codigo == GRUPO_BENCH and i < 2:
                datos = COORDINADOR if i == 0 else REVISOR
            else:
                numero += 1
                datos = {"tipo": "CC", "numero": str(numero), "correo": f"f{numero}@bench.invima", "contrasena": "x"}
            usuario = crear_cuenta(session, sm, datos, f"Funcionario {i}", grupo.nombre[:40], rol)
            session.add(Funcionario(usuario_id=usuario.id, codigo=f"B{usuario.id}", creado_en=ahora(), grupos=[grupo]))
            cuentas.append(usuario.id)
        revisores[grupo.id] = cuentas
    session.flush()
    return revisores


def _catalogo(session) -> dict[int, tuple[int, int, int]]:
    """version id → (familia id, grupo id, término de decisión) of every published version."""
    from sqlalchemy import text

    filas = session.execute(
        text(
            "SELECT v.id, f.id, f.grupo_id, v.termino_decision_dias FROM tramite_version v"
            " JOIN tramite t ON t.id = v.tramite_id JOIN familia_producto f ON f.id = t.familia_id"
            " WHERE v.estado = 'Publicada'"
        )
    ).all()
    return {v: (f, g, t) for v, f, g, t in filas}


def revision(session, filas: list[list], semilla: int = 2026) -> tuple[str, ...]:
    """bench.generar_expedientes's `ampliar`: the funcionarios, then the review columns of every row."""
    from app.extensions import appbuilder
    from app.services.calendario import sumar_dias_habiles
    from app.services.fechas import en_bogota

    azar = random.Random(semilla + 13)
    revisores = _funcionarios(session, appbuilder.sm)
    catalogo = _catalogo(session)
    hoy = en_bogota(datetime.now().astimezone()).date()
    vencimientos: dict[tuple[date, int], date] = {}
    progreso = Progreso(len(filas), "Revisión   ")
    for i, fila in enumerate(filas, start=1):
        if i % LOTE == 0:
            progreso.avanzar(LOTE)
        familia, grupo, termino = catalogo[fila[VERSION]]
        radicado_en: datetime = fila[RADICADO_EN]
        dia = en_bogota(radicado_en).date()
        edad = (hoy - dia).days
        asignado_a = asignado_en = reloj_desde = vence_en = decidido_en = None
        dias_usados = 0
        if edad > DIAS_HASTA_DECIDIR and azar.random() < DECIDIDOS_VIEJOS:
            estado = azar.choices(("Aprobado", "Negado", "Desistido"), weights=(80, 15, 5))[0]
            decidido_en = radicado_en + timedelta(days=azar.randint(15, DIAS_HASTA_DECIDIR))
            dias_usados = termino
        elif edad <= 3 and azar.random() < SIN_ASIGNAR_RECIENTES:
            estado = "Radicado"
        else:
            # Not «Requerimiento enviado / respondido»: expediente.estado is VARCHAR(20), shorter than those two.
            estado = azar.choice(("Asignado", "En verificación"))
        if estado != "Radicado":  # decided ones were assigned too: a reviewer's «asignados a mí» grows with the years
            asignado_a = azar.choice(revisores[grupo])
            asignado_en = radicado_en + timedelta(hours=azar.randint(2, 72))
        if decidido_en is None:
            reloj_desde = dia
            clave = (dia, termino)
            if clave not in vencimientos:
                vencimientos[clave] = sumar_dias_habiles(dia, termino)
            vence_en = vencimientos[clave]
        fila[ESTADO] = estado
        fila[ACTUALIZADO_EN] = decidido_en or asignado_en or radicado_en
        fila.extend((grupo, familia, asignado_a, asignado_en, termino, dias_usados, reloj_desde, vence_en, decidido_en))
    progreso.avanzar(len(filas) % LOTE)
    progreso.terminar()
    return COLUMNAS


REGISTROS = """
INSERT INTO registro_sanitario (numero, clase, empresa_id, persona_id, grupo_id, familia_id, expediente_id,
    nombre_producto, otorgado_en, vence_en, estado, cancelado_en, agotamiento_hasta, actualizado_en)
SELECT 'BENCH-' || e.id, coalesce(f.clase_registro, 'Registro sanitario'), e.empresa_id, e.persona_id, e.grupo_id,
    f.id, e.id, e.nombre_producto, d.otorgado,
    CASE WHEN e.id % 10 = 9 THEN d.otorgado + 180
         WHEN v.vigencia_anios IS NOT NULL THEN (d.otorgado + make_interval(years => v.vigencia_anios))::date END,
    CASE WHEN e.id % 100 < 3 THEN 'Cancelado' WHEN e.id % 100 < 5 THEN 'En agotamiento' ELSE 'Vigente' END,
    CASE WHEN e.id % 100 < 3 THEN d.otorgado + 365 END,
    CASE WHEN e.id % 100 = 3 THEN d.otorgado + 60 WHEN e.id % 100 = 4 THEN current_date + 120 END,
    e.decidido_en
FROM expediente e
JOIN tramite_version v ON v.id = e.tramite_version_id
JOIN tramite t ON t.id = v.tramite_id
JOIN familia_producto f ON f.id = t.familia_id
CROSS JOIN LATERAL (SELECT (e.decidido_en AT TIME ZONE 'America/Bogota')::date AS otorgado) d
WHERE e.estado = 'Aprobado' AND v.tipo IN ('registro', 'notificacion') AND f.formato_registro IS NOT NULL
"""


def registros(app) -> int:
    """The registros of the approved expedientes (REGISTROS), then VACUUM ANALYZE; how many."""
    from app.extensions import db

    sys.stderr.write("Registros sanitarios de los aprobados…\n")
    with app.app_context():
        conexion = db.engine.raw_connection()
        try:
            pg = conexion.driver_connection
            with pg.cursor() as cur:
                cur.execute("DELETE FROM registro_sanitario")
                cur.execute(REGISTROS)
                total = cur.rowcount
            pg.commit()
            pg.autocommit = True
            with pg.cursor() as cur:
                cur.execute("VACUUM ANALYZE registro_sanitario")
        finally:
            conexion.close()
    return total


def resumen(app) -> None:
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        filas = db.session.execute(
            text(
                "SELECT g.nombre, count(*), count(e.vence_en), count(e.asignado_a_id) FROM expediente e"
                " JOIN grupo_revision g ON g.id = e.grupo_id GROUP BY g.nombre ORDER BY count(*) DESC"
            )
        ).all()
        del_revisor = db.session.scalar(
            text(
                "SELECT count(*) FROM expediente e JOIN ab_user u ON u.id = e.asignado_a_id"
                " WHERE u.numero_identificacion = :n"
            ),
            {"n": REVISOR["numero"]},
        )
        db.session.rollback()
    for nombre, total, corriendo, asignados in filas:
        print(
            f"  {nombre[:40]:<42}{total:>10,} expedientes, {corriendo:>9,} con término corriendo, {asignados:>9,} asignados"
        )
    print(f"  Asignados al revisor de bench ({REVISOR['numero']}): {del_revisor:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Genera expedientes radicados en revisión para el benchmark (COPY).")
    parser.add_argument("--n", type=int, required=True, help="número de expedientes, p. ej. 10000 o 1000000")
    parser.add_argument("--db", help="nombre de la base de datos (por defecto invima_bench_revision_<n>)")
    parser.add_argument("--semilla", type=int, default=2026)
    args = parser.parse_args(argv)
    base = args.db or nombre_base(args.n)
    inicio = time.monotonic()
    app = crear_app(base)
    preparar(app)
    generar_expedientes.cargar(
        app, args.n, args.semilla, radicar=1.0, ampliar=lambda session, filas: revision(session, filas, args.semilla)
    )
    print(f"  Registros sanitarios: {registros(app):,}")
    resumen(app)
    print(f"Base {base}: {args.n:,} expedientes radicados cargados en {time.monotonic() - inicio:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
