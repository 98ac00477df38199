"""Radicación benchmark (issue 12 §4): POST «Radicar» in-process with the Flask test client, logged in as the
company's Administrador — the rules, the gapless number, the frozen hash, the constancia drawn with its QR and
signed with pyHanko, stored, queued in the outbox with its attachment, audited and committed.

    .venv/bin/python -m bench.radicacion [--expedientes 60] [--documentos 25]

Uses database invima_bench_radicacion (migrated and seeded here; its expedientes are emptied first) and a temporary
DOCUMENTOS_DIR. The drafts are prepared at service level beforehand (every section, `--documentos` PDFs attached,
with progress on stderr); only the radicación requests are timed. Prints p50 / p95 / max in milliseconds, CPU
milliseconds and SQL statements per radicación. Target: p95 ≤ 250 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from bench.generar import ADMIN, crear_app, preparar
from bench.mesa_ayuda import _ingresar, referencia_cpu

BASE = "invima_bench_radicacion"
TRAMITE = "pld-registro"


def _empresa(app) -> tuple[int, int]:
    """The bench's company and its Administrador (the ADMIN account of bench.generar, created if missing)."""
    from sqlalchemy import delete, select, text

    from app.extensions import db
    from app.models.empresas import Empresa
    from app.models.personas import Usuario
    from app.security.tenancy import todas_las_empresas
    from app.services.cuentas import contrasenas
    from app.services.cuentas.identificacion import tipo_por_codigo
    from app.services.empresas import alta
    from app.services.reloj import ahora

    with app.app_context(), todas_las_empresas():
        db.session.execute(text("TRUNCATE expediente, contador_radicado CASCADE"))
        db.session.execute(delete(Empresa).where(Empresa.nit == "900999001"))
        tipo = tipo_por_codigo(db.session, ADMIN["tipo"])
        usuario = db.session.scalar(select(Usuario).where(Usuario.numero_identificacion == ADMIN["numero"]))
        if usuario is None:
            usuario = Usuario(
                username=f"CC-{ADMIN['numero']}",
                first_name="Admin",
                last_name="Bench",
                email=ADMIN["correo"],
                active=True,
                password=contrasenas.cifrar(ADMIN["contrasena"]),
                tipo_identificacion_id=tipo.id,
                numero_identificacion=ADMIN["numero"],
                activada_en=ahora(),
                terminos_aceptados_en=ahora(),
            )
            db.session.add(usuario)
            db.session.flush()
        empresa = Empresa(
            nit="900999001",
            digito_verificacion=alta.digito_verificacion("900999001"),
            razon_social="Fumigaciones Bench S.A.S.",
            correo="bench@empresa.invima",
            rl_tipo_identificacion_id=tipo.id,
            rl_numero_identificacion=ADMIN["numero"],
            rl_nombres="Admin",
            rl_apellidos="Bench",
            terminos_aceptados_en=ahora(),
            creado_en=ahora(),
        )
        db.session.add(empresa)
        db.session.flush()
        roles = alta.crear_roles_predefinidos(db.session, empresa)
        alta.agregar_miembro_aceptado(db.session, empresa, usuario, [roles["Administrador"]], True)
        db.session.commit()
        return empresa.id, usuario.id


def _borradores(app, empresa_id: int, usuario_id: int, cantidad: int, documentos: int) -> list[int]:
    """`cantidad` drafts ready to radicar, each with every section and `documentos` PDFs (progress on stderr)."""
    from app.extensions import db
    from app.security.tenancy import todas_las_empresas
    from app.services.expedientes.borradores import Titular
    from tests.helpers_expedientes import borrador_listo

    ids = []
    with app.app_context(), todas_las_empresas():
        for n in range(cantidad):
            print(f"\r  preparando borradores {n + 1}/{cantidad}", end="", file=sys.stderr, flush=True)
            titular = Titular(empresa_id=empresa_id)
            ids.append(
                borrador_listo(db.session, titular, usuario_id, TRAMITE, app.config["DOCUMENTOS_DIR"], documentos)
            )
            db.session.commit()
    print(file=sys.stderr)
    return ids


def medir(cantidad: int, documentos: int) -> dict:
    import re

    from sqlalchemy import event

    from app.extensions import db

    app = crear_app(BASE)
    app.config["DOCUMENTOS_DIR"] = tempfile.mkdtemp(prefix="bench-radicacion-")
    preparar(app)
    empresa_id, usuario_id = _empresa(app)
    ids = _borradores(app, empresa_id, usuario_id, cantidad + 5, documentos)
    cliente = _ingresar(app, ADMIN)
    with cliente.session_transaction() as sesion:
        sesion["empresa_id"] = empresa_id
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', cliente.get("/actuar/").get_data(as_text=True))[1]
    sentencias = [0]
    with app.app_context():
        motor = db.engine
    event.listen(motor, "before_cursor_execute", lambda *_a: sentencias.__setitem__(0, sentencias[0] + 1))
    tiempos, cpu, conteos = [], [], []
    for n, expediente_id in enumerate(ids):
        sentencias[0] = 0
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        r = cliente.post(f"/expedientes/{expediente_id}/radicar", data={"csrf_token": csrf})
        if r.status_code != 302:
            raise SystemExit(f"Radicar {expediente_id}: HTTP {r.status_code}\n{r.get_data(as_text=True)[:2000]}")
        if n >= 5:  # the first five warm up plans, caches, the signer and the connection pool
            tiempos.append((time.perf_counter() - inicio) * 1000)
            cpu.append((time.process_time() - inicio_cpu) * 1000)
            conteos.append(sentencias[0])
    tiempos.sort()
    return {
        "p50": statistics.median(tiempos),
        "p95": tiempos[int(len(tiempos) * 0.95) - 1],
        "max": tiempos[-1],
        "cpu_p50": statistics.median(cpu),
        "sentencias": (min(conteos), max(conteos)),
        "radicaciones": len(tiempos),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark de la radicación (constancia firmada incluida).")
    parser.add_argument("--expedientes", type=int, default=60, help="radicaciones medidas")
    parser.add_argument("--documentos", type=int, default=25, help="documentos adjuntos por expediente")
    args = parser.parse_args(argv)
    antes = referencia_cpu()
    r = medir(args.expedientes, args.documentos)
    print(f"\nRadicación de {TRAMITE} con hasta {args.documentos} documentos (base {BASE})")
    print(f"  referencia de CPU: {antes:.1f} ms al empezar, {referencia_cpu():.1f} ms al terminar")
    print(
        f"  p50 {r['p50']:.1f} ms · p95 {r['p95']:.1f} ms · máx {r['max']:.1f} ms · CPU p50 {r['cpu_p50']:.1f} ms · "
        f"SQL {r['sentencias'][0]}–{r['sentencias'][1]} · {r['radicaciones']} radicaciones"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
