"""Embedded PostgreSQL (pgserver) used when DATABASE_URL is not set."""

from __future__ import annotations

import os
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
        _SERVERS[key] = pgserver.get_server(data, cleanup_mode=None)
    return _SERVERS[key]


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
