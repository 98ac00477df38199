"""app/db/embebido.py: the embedded PostgreSQL gets its shared buffers on the first start of a new instance."""

from __future__ import annotations

import pytest

from app.db import embebido as database


class _SinServidor:
    def psql(self, consulta):  # pragma: no cover - must never be reached with a bad size
        raise AssertionError(consulta)


def test_un_tamano_mal_escrito_se_rechaza_con_un_mensaje_claro():
    for malo in ("mucho", "1 GB", "1GB; DROP DATABASE invima", "", "10TB"):
        with pytest.raises(RuntimeError, match="EMBEDDED_PG_SHARED_BUFFERS"):
            database._ajustar_memoria(_SinServidor(), malo)


def test_una_instancia_nueva_arranca_con_la_memoria_pedida(tmp_path, monkeypatch):
    from pgserver._commands import pg_ctl

    monkeypatch.setenv("EMBEDDED_PG_SHARED_BUFFERS", "48MB")
    servidor = database.servidor_embebido(str(tmp_path))
    try:
        assert "48MB" in servidor.psql("SHOW shared_buffers;")
        # A second start of the same instance finds the setting in place: no restart.
        pid = servidor.psql("SELECT pg_backend_pid() > 0, pg_postmaster_start_time();")
        database._SERVERS.pop(str(tmp_path / "pgdata"))
        assert (
            database.servidor_embebido(str(tmp_path))
            .psql("SELECT pg_backend_pid() > 0, pg_postmaster_start_time();")
            .splitlines()[2]
            == pid.splitlines()[2]
        )
    finally:
        database._SERVERS.pop(str(tmp_path / "pgdata"), None)
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=servidor.pgdata, user=servidor.system_user)
