"""What `make run` tells the person who starts the app: how to get the first administrator."""

from __future__ import annotations

from sqlalchemy import select

from app.models.personas import Usuario
from app.security.roles import ROL_ADMIN


def hay_administrador(session) -> bool:
    from flask_appbuilder.security.sqla.models import Role

    return session.scalar(select(Usuario.id).join(Usuario.roles).where(Role.name == ROL_ADMIN).limit(1)) is not None


def mensaje_de_bienvenida(app) -> str:
    from app.extensions import db

    correo = (
        "Correo: enviado por SMTP a " + app.config["MAIL_SERVER"]
        if app.config.get("MAIL_SERVER")
        else ("Correo: sin MAIL_SERVER, los mensajes quedan en la aplicación (menú Administración → Correos enviados).")
    )
    if hay_administrador(db.session):
        admin = "Administrador: ya existe; ingrese con su tipo y número de identificación."
    else:
        admin = (
            "Aún no hay administrador. Créelo en otra terminal con:\n"
            "  .venv/bin/flask --app app:create_app crear-admin --numero 1000000001 --nombres Admin "
            "--apellidos Invima --correo admin@invima.local"
        )
    return f"{correo}\n{admin}"
