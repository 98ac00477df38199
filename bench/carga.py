"""Load through a real HTTP server: gunicorn (several workers) next to the development server of `make run`.

    .venv/bin/python -m bench.carga --peticiones 400 --clientes 8 --rondas 2

Prepares database invima_carga in the embedded PostgreSQL (migrated, seeded, one company with its
administrator and MIEMBROS more members; idempotent), then, in the same run, starts each server on a free
port of 127.0.0.1 with the same production settings (`gunicorn -c gunicorn.conf.py wsgi:app`, then
`python run.py`), logs in (as persona natural, and acting as the company), and sends from `--clientes`
threads `--peticiones` GETs of each page: /login/ (anonymous), /perfil/ (logged in) and /empresa/usuarios/
(Mi empresa → Usuarios, 20 of the company's members), after a warm-up that is not counted. Prints
requests/s, p50, p95 and errors (any answer but 200, or no answer) per round, server and page, and the
median of the rounds; the servers alternate their order from one round to the next. Bounded: 127.0.0.1
only, a fixed number of requests, servers stopped at the end. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.generar import crear_app, crear_cuenta, preparar

RAIZ = Path(__file__).resolve().parent.parent
BASE = "invima_carga"
ADMIN_EMPRESA = {
    "tipo": "CC",
    "numero": "9100000001",
    "correo": "admin.empresa@carga.invima",
    "contrasena": "Carga#2026x",
}
MIEMBROS = 60
NIT = "900555001"
PAGINAS = {"login": "/login/", "perfil": "/perfil/", "usuarios de la empresa": "/empresa/usuarios/"}


def preparar_base() -> tuple[str, int]:
    """Database invima_carga with the company; returns (DATABASE_URL, tipo_identificacion id of CC)."""
    from sqlalchemy import select

    app = crear_app(BASE)
    preparar(app)
    from app.extensions import appbuilder, db
    from app.models.empresas import ROL_ADMINISTRADOR, Empresa
    from app.models.personas import Usuario
    from app.services.cuentas.identificacion import tipo_por_codigo
    from app.services.empresas import alta
    from app.services.reloj import ahora

    with app.app_context():
        tipo_cc = tipo_por_codigo(db.session, "CC").id
        if db.session.scalar(select(Empresa.id).where(Empresa.nit == NIT)) is None:
            sm = appbuilder.sm
            admin = crear_cuenta(db.session, sm, ADMIN_EMPRESA, "Administradora", "Carga", "Usuario")
            empresa = Empresa(
                nit=NIT,
                digito_verificacion=alta.digito_verificacion(NIT),
                razon_social="Laboratorios Carga S.A.S.",
                correo="empresa@carga.invima",
                rl_tipo_identificacion_id=tipo_cc,
                rl_numero_identificacion=ADMIN_EMPRESA["numero"],
                rl_nombres="Administradora",
                rl_apellidos="Carga",
                terminos_aceptados_en=ahora(),
                creado_en=ahora(),
                creado_por_id=admin.id,
            )
            db.session.add(empresa)
            db.session.flush()
            roles = alta.crear_roles_predefinidos(db.session, empresa)
            alta.agregar_miembro_aceptado(
                db.session, empresa, admin, [roles[ROL_ADMINISTRADOR]], es_representante_legal=True
            )
            for i in range(MIEMBROS):
                datos = {**ADMIN_EMPRESA, "numero": str(9100001000 + i), "correo": f"miembro{i}@carga.invima"}
                miembro = crear_cuenta(db.session, sm, datos, f"Miembro {i}", "Carga", "Usuario")
                alta.agregar_miembro_aceptado(db.session, empresa, miembro, [roles[ROL_ADMINISTRADOR]])
            db.session.commit()
        assert db.session.scalar(select(Usuario.id).where(Usuario.numero_identificacion == ADMIN_EMPRESA["numero"]))
        return app.config["SQLALCHEMY_DATABASE_URI"], tipo_cc


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pedir(puerto: int, metodo: str, ruta: str, cookie: str = "", cuerpo: dict | None = None):
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    encabezados = {"Cookie": f"session={cookie}"} if cookie else {}
    datos = None
    if cuerpo is not None:
        datos = urlencode(cuerpo)
        encabezados["Content-Type"] = "application/x-www-form-urlencoded"
    conexion.request(metodo, ruta, body=datos, headers=encabezados)
    respuesta = conexion.getresponse()
    texto = respuesta.read().decode("utf-8", "replace")
    conexion.close()
    nueva = re.search(r"session=([^;]+)", respuesta.getheader("Set-Cookie") or "")
    return respuesta.status, texto, (nueva.group(1) if nueva else cookie), respuesta.getheader("Location") or ""


def ingresar(puerto: int, tipo_cc: int, como: str) -> str:
    """Log in through the form (as `natural` or `juridica`: the only company is chosen); the session cookie."""
    _, pagina, cookie, _ = _pedir(puerto, "GET", "/login/")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', pagina).group(1)
    formulario = {
        "csrf_token": token,
        "ingresar_como": como,
        "tipo_identificacion": str(tipo_cc),
        "identificacion": ADMIN_EMPRESA["numero"],
        "contrasena": ADMIN_EMPRESA["contrasena"],
    }
    estado, _, cookie, destino = _pedir(puerto, "POST", "/login/", cookie, formulario)
    if estado != 302:
        raise SystemExit(f"No se pudo ingresar ({como}): HTTP {estado}")
    if como == "juridica":
        estado, _, cookie, _ = _pedir(puerto, "GET", destino.removeprefix(f"http://127.0.0.1:{puerto}"), cookie)
        if estado != 302:
            raise SystemExit(f"No se pudo actuar como la empresa: HTTP {estado}")
    return cookie


def _cliente(puerto: int, ruta: str, cookie: str, cantidad: int, tiempos: list, errores: list) -> None:
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    encabezados = {"Cookie": f"session={cookie}"} if cookie else {}
    for _ in range(cantidad):
        inicio = time.perf_counter()
        try:
            conexion.request("GET", ruta, headers=encabezados)
            respuesta = conexion.getresponse()
            respuesta.read()
            estado = respuesta.status
        except (OSError, http.client.HTTPException) as error:
            estado = type(error).__name__
            conexion.close()
        tiempos.append((time.perf_counter() - inicio) * 1000)
        if estado != 200:
            errores.append(estado)
    conexion.close()


def cargar(puerto: int, ruta: str, cookie: str, peticiones: int, clientes: int) -> dict:
    """`peticiones` GETs of `ruta` from `clientes` threads at once: requests/s, p50, p95 (ms) and errors."""
    tiempos: list[float] = []
    errores: list = []
    por_cliente = [peticiones // clientes + (i < peticiones % clientes) for i in range(clientes)]
    hilos = [threading.Thread(target=_cliente, args=(puerto, ruta, cookie, n, tiempos, errores)) for n in por_cliente]
    inicio = time.perf_counter()
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    total = time.perf_counter() - inicio
    cuantiles = statistics.quantiles(tiempos, n=100)
    return {
        "rps": len(tiempos) / total,
        "p50": cuantiles[49],
        "p95": cuantiles[94],
        "errores": len(errores),
        "carga": os.getloadavg()[0],  # the machine's 1-minute load average: other work skews the figures
    }


def _esperar(puerto: int, proceso: subprocess.Popen, segundos: float = 120) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            raise SystemExit(f"El servidor terminó con código {proceso.returncode}")
        try:
            if _pedir(puerto, "GET", "/static/css/invima.css")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("El servidor no respondió")


def servidor(nombre: str, url_base: str, trabajadores: int | None, registro) -> tuple[subprocess.Popen, int]:
    puerto = _puerto_libre()
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "CAPTCHA_", "GUNICORN_"))}
    entorno.update(APP_ENV="production", DATABASE_URL=url_base, SECRET_KEY=secrets.token_urlsafe(48))
    entorno.update(PORT=str(puerto), GUNICORN_BIND=f"127.0.0.1:{puerto}", GUNICORN_ACCESS_LOG="/dev/null")
    if trabajadores:
        entorno["WEB_CONCURRENCY"] = str(trabajadores)
    orden = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    if nombre == "desarrollo":
        orden = [sys.executable, "run.py"]
    proceso = subprocess.Popen(
        orden, cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT, start_new_session=True
    )
    _esperar(puerto, proceso)
    return proceso, puerto


def medir_servidor(nombre, url_base, tipo_cc, args, registro) -> dict[str, dict]:
    proceso, puerto = servidor(nombre, url_base, args.trabajadores, registro)
    try:
        cookies = {"login": "", "perfil": ingresar(puerto, tipo_cc, "natural")}
        cookies["usuarios de la empresa"] = ingresar(puerto, tipo_cc, "juridica")
        resultados = {}
        for pagina, ruta in PAGINAS.items():
            cargar(puerto, ruta, cookies[pagina], args.clientes * 20, args.clientes)  # warm-up, not counted
            resultados[pagina] = cargar(puerto, ruta, cookies[pagina], args.peticiones, args.clientes)
        return resultados
    finally:
        os.killpg(proceso.pid, signal.SIGTERM)
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Carga HTTP: gunicorn frente al servidor de desarrollo.")
    parser.add_argument("--peticiones", type=int, default=400, help="peticiones medidas por página y servidor")
    parser.add_argument("--clientes", type=int, default=8, help="clientes concurrentes")
    parser.add_argument("--trabajadores", type=int, help="procesos de gunicorn (por omisión, gunicorn.conf.py)")
    parser.add_argument("--rondas", type=int, default=2, help="rondas alternando el orden de los servidores")
    args = parser.parse_args(argv)
    url_base, tipo_cc = preparar_base()
    print(f"CPU: {os.cpu_count()} núcleos; carga media antes: {os.getloadavg()[0]:.1f}")
    print(f"{'ronda':<6} {'servidor':<12} {'página':<24} {'pet/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errores':>8} carga")
    medidas: dict[tuple[str, str], list[dict]] = {}
    with tempfile.NamedTemporaryFile("w+", prefix="carga-", suffix=".log", delete=False) as registro:
        for ronda in range(1, args.rondas + 1):
            # A machine's load drifts: alternating the order keeps the drift from favouring one server.
            for nombre in ("gunicorn", "desarrollo")[:: 1 if ronda % 2 else -1]:
                for pagina, r in medir_servidor(nombre, url_base, tipo_cc, args, registro).items():
                    medidas.setdefault((nombre, pagina), []).append(r)
                    print(f"{ronda:<6} {nombre:<12} {pagina:<24} {_fila(r)} {r['carga']:5.1f}", flush=True)
    print("Mediana de las rondas:")
    for (nombre, pagina), filas in sorted(medidas.items()):
        mediana = {k: statistics.median(f[k] for f in filas) for k in ("rps", "p50", "p95")}
        mediana["errores"] = sum(f["errores"] for f in filas)
        print(f"{'':<6} {nombre:<12} {pagina:<24} {_fila(mediana)}")
    print(f"Carga media después: {os.getloadavg()[0]:.1f}; registro de los servidores: {registro.name}")
    return 1 if any(f["errores"] for filas in medidas.values() for f in filas) else 0


def _fila(r: dict) -> str:
    return f"{r['rps']:7.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['errores']:8d}"


if __name__ == "__main__":
    sys.exit(main())
