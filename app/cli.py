"""Command-line tasks: `flask seed`, `flask crear-admin`, `flask enviar-correos`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def register_cli(app) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(crear_admin_command)
    app.cli.add_command(enviar_correos_command)
    app.cli.add_command(avisar_vencimientos_command)


def sincronizar_permisos_y_datos() -> dict:
    """Permissions of every registered view, platform roles, reference lists. Idempotent.

    Seeding runs outside any request, over every company: it opens that scope explicitly (tenancy fails closed)."""
    from app.extensions import appbuilder, db
    from app.security.roles import sync_roles
    from app.security.tenancy import todas_las_empresas
    from seed.loader import cargar

    sm = appbuilder.sm
    with todas_las_empresas():
        for nombre in ("Admin", "Public"):
            if not sm.find_role(nombre):
                sm.add_role(nombre)
        appbuilder.add_permissions(update_perms=True)
        sync_roles(sm)
        conteo = cargar(db.session)
        db.session.commit()
    return conteo


@click.command("seed")
@with_appcontext
def seed_command():
    """Carga los datos de referencia y sincroniza roles y permisos (idempotente)."""
    conteo = sincronizar_permisos_y_datos()
    click.echo("Datos de referencia: " + ", ".join(f"{k}={v}" for k, v in conteo.items()))


@click.command("crear-admin")
@click.option("--tipo", default="CC", show_default=True, help="Código del tipo de identificación")
@click.option("--numero", required=True, help="Número de identificación")
@click.option("--nombres", required=True)
@click.option("--apellidos", required=True)
@click.option("--correo", required=True)
@click.password_option("--contrasena", prompt="Contraseña", confirmation_prompt="Confirme la contraseña")
@with_appcontext
def crear_admin_command(tipo, numero, nombres, apellidos, correo, contrasena):
    """Crea (o promueve) un administrador de la plataforma, ya activado."""
    from app.extensions import db
    from app.security.tenancy import todas_las_empresas
    from app.services.cuentas.administracion import crear_administrador
    from app.services.errores import ErrorDominio

    try:
        with todas_las_empresas():
            usuario = crear_administrador(
                db.session, current_app.appbuilder.sm, tipo, numero, nombres, apellidos, correo, contrasena
            )
    except ErrorDominio as error:
        db.session.rollback()
        raise click.ClickException(error.mensaje) from error
    db.session.commit()
    click.echo(f"Administrador listo: {usuario.username}")


@click.command("enviar-correos")
@click.option("--una-vez", is_flag=True, help="Envía lo pendiente y termina (para cron o una prueba)")
@with_appcontext
def enviar_correos_command(una_vez):
    """Trabajador de la bandeja de salida: envía los correos pendientes cada OUTBOX_INTERVALO_SEGUNDOS.

    Es un proceso propio en producción; pueden correr varios a la vez. SIGTERM o Ctrl+C lo detienen limpiamente:
    termina el envío en curso (acotado por MAIL_TIMEOUT) y sale.
    """
    import signal
    import threading

    from app.services.outbox import trabajar

    app = current_app._get_current_object()
    parar = threading.Event()

    def detener(_senal, _marco):
        parar.set()

    anteriores = {senal: signal.signal(senal, detener) for senal in (signal.SIGTERM, signal.SIGINT)}
    try:
        if not una_vez:
            click.echo(f"Enviando correos cada {app.config['OUTBOX_INTERVALO_SEGUNDOS']} s (SIGTERM o Ctrl+C detiene).")
        trabajar(app, una_vez=una_vez, parar=parar)
    finally:
        for senal, anterior in anteriores.items():
            signal.signal(senal, anterior)
    if not una_vez:
        click.echo("Trabajador de correo detenido.")


def avisar_vencimientos_de_hoy() -> int:
    """Every notice due today, in batches of vencimientos.LOTE, each committed. How many registros were told."""
    from app.extensions import db
    from app.security.tenancy import todas_las_empresas
    from app.services import vencimientos
    from app.services.enlaces import url_publica
    from app.services.fechas import hoy_en_bogota

    total = 0
    with todas_las_empresas():
        while True:
            avisados = vencimientos.avisar_vencimientos(db.session, hoy_en_bogota(), url_publica("/registros/mis/"))
            db.session.commit()
            total += avisados
            if avisados < vencimientos.LOTE:
                return total


@click.command("avisar-vencimientos")
@with_appcontext
def avisar_vencimientos_command():
    """Avisa por correo a los titulares cuyos registros sanitarios o NSO entran en su ventana de renovación.

    Correr una vez al día (cron); `make run` lo corre al arrancar. Cada registro se avisa una vez por vigencia.
    """
    click.echo(f"Registros avisados de su vencimiento: {avisar_vencimientos_de_hoy()}")
