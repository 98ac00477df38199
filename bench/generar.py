"""Load N synthetic accounts into a separate database with PostgreSQL COPY, for the benchmarks.

    .venv/bin/python -m bench.generar 1000000            # database invima_bench_1000000
    .venv/bin/python -m bench.generar 10000 --db otra     # any database name

The database is created if missing, migrated and seeded like `make run`; existing accounts in it are
replaced. Accounts get realistic Spanish names, unique identifications and e-mails, a share of pending,
locked and inactive states, and the role "Usuario". A help-desk agent (AGENTE) and an
administrator (ADMIN) are created last.
Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

from bench import nombres

AGENTE = {"tipo": "CC", "numero": "9000000001", "correo": "agente.mesa@bench.invima", "contrasena": "Bench#2026x"}
ADMIN = {"tipo": "CC", "numero": "9000000002", "correo": "admin@bench.invima", "contrasena": "Bench#2026x"}
LOTE = 20_000
COLUMNAS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "password",
    "active",
    "created_on",
    "changed_on",
    "last_login",
    "login_count",
    "fail_login_count",
    "tipo_identificacion_id",
    "numero_identificacion",
    "nacionalidad_id",
    "fecha_nacimiento",
    "acepta_invitaciones_rt_dt",
    "terminos_aceptados_en",
    "activada_en",
    "bloqueada_hasta",
    "nombre_busqueda",
    "apellido_busqueda",
)


class Progreso:
    """A one-line progress bar on stderr: bar, percentage, rows per second and time left."""

    def __init__(self, total: int, etiqueta: str, ancho: int = 40):
        self.total, self.etiqueta, self.ancho = max(total, 1), etiqueta, ancho
        self.inicio = time.monotonic()
        self.hecho = 0
        self._ultimo = 0.0

    def avanzar(self, n: int) -> None:
        self.hecho += n
        ahora = time.monotonic()
        if ahora - self._ultimo < 0.2 and self.hecho < self.total:
            return
        self._ultimo = ahora
        fraccion = self.hecho / self.total
        lleno = int(self.ancho * fraccion)
        transcurrido = ahora - self.inicio
        ritmo = self.hecho / transcurrido if transcurrido else 0
        resta = (self.total - self.hecho) / ritmo if ritmo else 0
        sys.stderr.write(
            f"\r{self.etiqueta} [{'#' * lleno}{'.' * (self.ancho - lleno)}] {fraccion:6.1%} "
            f"{self.hecho:>9,}/{self.total:,}  {ritmo:,.0f} filas/s  faltan {resta:4.0f} s "
        )
        sys.stderr.flush()

    def terminar(self) -> None:
        sys.stderr.write(f"\n{self.etiqueta}: {self.hecho:,} filas en {time.monotonic() - self.inicio:.1f} s\n")


def nombre_base(n: int) -> str:
    return f"invima_bench_{n}"


def crear_app(base: str):
    os.environ["EMBEDDED_DB_NAME"] = base
    os.environ.setdefault("APP_ENV", "development")
    from app import create_app

    return create_app("development", RATELIMIT_ENABLED=False)


def preparar(app) -> None:
    from flask_migrate import upgrade

    from app.cli import sincronizar_permisos_y_datos

    with app.app_context():
        upgrade()
        sincronizar_permisos_y_datos()


def _filas(n: int, tipos: dict[str, int], pais_co: int | None, hash_clave: str, semilla: int):
    """Yield the COPY rows. Identifications are a permutation of a 10-digit range, so they look random."""
    azar = random.Random(semilla)
    ahora = datetime.now(UTC)
    primos = (1_000_003, 7_919)
    for i in range(1, n + 1):
        genero = azar.random() < 0.5
        lista = nombres.NOMBRES_F if genero else nombres.NOMBRES_M
        primer = azar.choice(lista)
        nombres_ = primer if azar.random() < 0.45 else f"{primer} {azar.choice(lista)}"
        apellidos_ = f"{azar.choice(nombres.APELLIDOS)} {azar.choice(nombres.APELLIDOS)}"
        sorteo = azar.random()
        if sorteo < 0.90:
            codigo, numero = "CC", str(1_000_000_000 + (i * primos[0]) % 8_999_999_999)
        elif sorteo < 0.97 and i < 8_000_000:
            codigo, numero = "CE", str(1_000_000 + i)
        else:
            codigo, numero = "PA", f"P{i:09d}"
        usuario = f"{nombres.ascii_(primer)}.{nombres.ascii_(apellidos_.split()[0])}{i}"
        correo = f"{usuario}@{azar.choice(nombres.DOMINIOS)}"
        creado = ahora - timedelta(days=azar.randint(0, 2000), seconds=azar.randint(0, 86_400))
        estado = azar.random()
        pendiente = estado < 0.08
        bloqueada = 0.08 <= estado < 0.10
        inactiva = 0.10 <= estado < 0.11
        activada = None if pendiente else creado + timedelta(minutes=azar.randint(2, 3000))
        ultimo = None if pendiente or azar.random() < 0.15 else activada + timedelta(days=azar.randint(0, 400))
        if ultimo and ultimo > ahora:
            ultimo = ahora - timedelta(hours=azar.randint(1, 500))
        nb = nombres.normalizar(f"{nombres_} {apellidos_}")
        yield (
            i,
            f"{codigo}-{numero}",
            nombres_,
            apellidos_,
            correo,
            None if pendiente else hash_clave,
            not (pendiente or inactiva),
            creado.replace(tzinfo=None),
            creado.replace(tzinfo=None),
            ultimo.replace(tzinfo=None) if ultimo else None,
            0 if ultimo is None else azar.randint(1, 200),
            5 if bloqueada else 0,
            tipos[codigo],
            numero,
            pais_co,
            date(1940, 1, 1) + timedelta(days=azar.randint(0, 23_000)),
            azar.random() < 0.05,
            creado,
            activada,
            ahora + timedelta(minutes=azar.randint(1, 15)) if bloqueada else None,
            nb[:260],
            nombres.normalizar(apellidos_)[:130],
        )


def cargar(app, n: int, semilla: int = 2026) -> None:
    from sqlalchemy import select

    from app.extensions import appbuilder, db
    from app.models.referencias import Pais, TipoIdentificacion
    from app.services.cuentas import contrasenas

    with app.app_context():
        tipos = {t.codigo: t.id for t in db.session.scalars(select(TipoIdentificacion))}
        pais_co = db.session.scalar(select(Pais.id).where(Pais.codigo == "CO"))
        rol_usuario = appbuilder.sm.find_role("Usuario").id
        hash_clave = contrasenas.cifrar("Generada#2026x")
        db.session.commit()
        conexion = db.engine.raw_connection()
        try:
            pg = conexion.driver_connection
            with pg.cursor() as cur:
                cur.execute("TRUNCATE ab_user, ab_user_role, auditoria, verificacion, usuario_profesion CASCADE")
                progreso = Progreso(n, "Cuentas")
                with cur.copy(f"COPY ab_user ({', '.join(COLUMNAS)}) FROM STDIN") as copia:
                    lote = 0
                    for fila in _filas(n, tipos, pais_co, hash_clave, semilla):
                        copia.write_row(fila)
                        lote += 1
                        if lote == LOTE:
                            progreso.avanzar(lote)
                            lote = 0
                    progreso.avanzar(lote)
                progreso.terminar()
                progreso = Progreso(n, "Roles  ")
                with cur.copy("COPY ab_user_role (id, user_id, role_id) FROM STDIN") as copia:
                    for i in range(1, n + 1):
                        copia.write_row((i, i, rol_usuario))
                        if i % LOTE == 0:
                            progreso.avanzar(LOTE)
                    progreso.avanzar(n % LOTE)
                progreso.terminar()
                cur.execute("SELECT setval('ab_user_id_seq', %s)", (n,))
                cur.execute("SELECT setval('ab_user_role_id_seq', %s)", (n,))
            pg.commit()
            sys.stderr.write("ANALYZE…\n")
            pg.autocommit = True
            with pg.cursor() as cur:
                cur.execute("ANALYZE ab_user")
                cur.execute("ANALYZE ab_user_role")
            pg.autocommit = False
        finally:
            conexion.close()
        crear_cuenta(db.session, appbuilder.sm, AGENTE, "Agente", "Mesa Bench", "Mesa de ayuda")
        crear_cuenta(db.session, appbuilder.sm, ADMIN, "Administrador", "Bench", "Admin")
        db.session.commit()


def crear_cuenta(session, sm, datos: dict, nombres_: str, apellidos: str, rol: str):
    """An activated account the benchmark logs in as (the help-desk agent, the administrator)."""
    from app.models.personas import Usuario
    from app.services.cuentas import contrasenas
    from app.services.cuentas.identificacion import asignar_identidad, tipo_por_codigo
    from app.services.reloj import ahora

    usuario = Usuario(
        email=datos["correo"],
        active=True,
        activada_en=ahora(),
        terminos_aceptados_en=ahora(),
        password=contrasenas.cifrar(datos["contrasena"]),
    )
    asignar_identidad(usuario, tipo_por_codigo(session, datos["tipo"]), datos["numero"], nombres_, apellidos)
    usuario.roles.append(sm.find_role(rol))
    session.add(usuario)
    session.flush()
    return usuario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Genera cuentas sintéticas para los benchmarks (COPY).")
    parser.add_argument("n", type=int, help="número de cuentas, p. ej. 10000 o 1000000")
    parser.add_argument("--db", help="nombre de la base de datos (por defecto invima_bench_<n>)")
    parser.add_argument("--semilla", type=int, default=2026)
    args = parser.parse_args(argv)
    base = args.db or nombre_base(args.n)
    inicio = time.monotonic()
    app = crear_app(base)
    preparar(app)
    cargar(app, args.n, args.semilla)
    print(f"Base {base}: {args.n:,} cuentas cargadas en {time.monotonic() - inicio:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
