"""Entry used by `make run`: embedded DB if needed, migrations, seed data, today's notices of expiry, mail worker,
server."""

from __future__ import annotations

import os
import sys


def main() -> int:
    from flask_migrate import upgrade

    from app import create_app
    from app.cli import sincronizar_permisos_y_datos
    from app.services.outbox import iniciar_en_segundo_plano
    from config import ConfigurationError

    try:
        app = create_app()
    except ConfigurationError as error:
        print(f"Error de configuración: {error}", file=sys.stderr)
        return 2
    with app.app_context():
        upgrade()
        conteo = sincronizar_permisos_y_datos()
        from app.services.arranque import mensaje_de_bienvenida

        bienvenida = mensaje_de_bienvenida(app)
        from app.cli import avisar_vencimientos_de_hoy

        avisados = avisar_vencimientos_de_hoy()
    print("Datos de referencia listos: " + ", ".join(f"{k}={v}" for k, v in conteo.items()))
    print(f"Registros avisados de su vencimiento: {avisados}")
    iniciar_en_segundo_plano(app)
    port = app.config["PORT"]
    print(bienvenida)
    print(f"\n  InvimÁgil está en http://127.0.0.1:{port}/  (Ctrl+C para detener)\n", flush=True)
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", port, app, use_reloader=False, threaded=True, request_handler=manejador_sin_version())
    return 0


def manejador_sin_version():
    """Werkzeug's request handler answering `Server: InvimAgil`, not `Werkzeug/x.y Python/x.y`: no versions to
    look up vulnerabilities by (gunicorn, in production, already says only `gunicorn`)."""
    from werkzeug.serving import WSGIRequestHandler

    class ManejadorSinVersion(WSGIRequestHandler):
        def version_string(self) -> str:
            return "InvimAgil"

    return ManejadorSinVersion


if __name__ == "__main__":
    os.environ.setdefault("APP_ENV", "development")
    sys.exit(main())
