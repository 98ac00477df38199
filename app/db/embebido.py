"""Embedded PostgreSQL (pgserver) used when DATABASE_URL is not set."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SERVERS: dict[str, object] = {}


def servidor_embebido(instance_dir: str):
    """Start (or reuse) the embedded server whose data lives under instance/pgdata."""
    import pgserver

    data = Path(instance_dir) / "pgdata"
    data.parent.mkdir(parents=True, exist_ok=True)
    key = str(data)
    if key not in _SERVERS:
        # cleanup_mode=None: the server keeps running for the next command (migrate, seed, serve, tests).
        server = pgserver.get_server(data, cleanup_mode=None)
        _ajustar_memoria(server, os.environ.get("EMBEDDED_PG_SHARED_BUFFERS") or MEMORIA_COMPARTIDA)
        _SERVERS[key] = server
    return _SERVERS[key]


# PostgreSQL's own default (128MB) is meant for tiny machines: with 1,000,000 accounts the help desk's look-ups
# then read most table pages from the operating system, and a name search costs twice as much (bench/RESULTADOS.md).
MEMORIA_COMPARTIDA = "1GB"


def _ajustar_memoria(server, tamano: str) -> None:
    """Give the embedded server `tamano` of shared buffers: set once (ALTER SYSTEM), then one restart applies it.

    Memory is only taken as pages are used. The restart happens on the first start of a new instance/pgdata (or
    when EMBEDDED_PG_SHARED_BUFFERS changes), before anything else is connected.
    """
    if not re.fullmatch(r"\d{1,6}(kB|MB|GB)", tamano):
        raise RuntimeError(f"EMBEDDED_PG_SHARED_BUFFERS debe ser un tamaño como 512MB o 1GB (se recibió {tamano!r}).")
    consulta = "SELECT setting::bigint * 8192 = pg_size_bytes('{t}') FROM pg_settings WHERE name = 'shared_buffers';"
    if re.search(r"^\s*t\s*$", server.psql(consulta.format(t=tamano)), re.MULTILINE):
        return
    from pgserver._commands import pg_ctl

    server.psql(f"ALTER SYSTEM SET shared_buffers = '{tamano}';")
    # pg_ctl restart reuses the options of the last start (socket directory, no TCP) from postmaster.opts.
    pg_ctl(["-w", "-m", "fast", "-l", str(server.log), "restart"], pgdata=server.pgdata, user=server.system_user)


def url_de(server, database: str) -> str:
    """SQLAlchemy URL of `database` on the embedded server.

    The socket directory comes from the server itself: pgserver moves it out of instance/pgdata when that
    path is too long for a Unix socket (deep checkouts in CI).
    """
    uri = urlsplit(server.get_uri())
    return urlunsplit(("postgresql+psycopg", uri.netloc, f"/{database}", uri.query, ""))


def url_embebida(instance_dir: str, database: str | None = None) -> str:
    database = database or os.environ.get("EMBEDDED_DB_NAME", "invima")
    server = servidor_embebido(instance_dir)
    _crear_base_si_falta(server, database)
    return url_de(server, database)


def _crear_base_si_falta(server, database: str) -> None:
    existe = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in existe:
        server.psql(f'CREATE DATABASE "{database}";')
