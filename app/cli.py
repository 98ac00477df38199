"""Command-line tasks: `flask seed`, `flask crear-admin`, `flask enviar-correos`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def register_cli(app) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(crear_admin_command)
    app.cli.add_command(enviar_correos_command)


def sincronizar_permisos_y_datos() -> dict:
    """Permissions of every registered view, platform roles, reference lists. Idempotent."""
    from app.extensions import appbuilder, db
    from app.security.roles import sync_roles
    from seed.loader import cargar

    sm = appbuilder.sm
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
    from app.services.administracion import crear_administrador
    from app.services.errores import ErrorDominio

    try:
        usuario = crear_administrador(
            db.session, current_app.appbuilder.sm, tipo, numero, nombres, apellidos, correo, contrasena
        )
    except ErrorDominio as error:
        db.session.rollback()
        raise click.ClickException(error.mensaje) from error
    db.session.commit()
    click.echo(f"Administrador listo: {usuario.username}")


@click.command("enviar-correos")
@click.option("--una-vez", is_flag=True, help="Envía lo pendiente y termina")
@with_appcontext
def enviar_correos_command(una_vez):
    """Envía los correos pendientes de la bandeja de salida."""
    from app.services.outbox import trabajar

    trabajar(current_app._get_current_object(), una_vez=una_vez)
