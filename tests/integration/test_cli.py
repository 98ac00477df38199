"""Command-line tasks: `flask seed` is idempotent; `flask crear-admin` gives the first administrator."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.correo import MensajeCorreo
from app.models.personas import Usuario
from app.models.referencias import Departamento, GrupoEtnico, Municipio, Pais, TipoIdentificacion
from tests import factories
from tests.helpers import CONTRASENA, cliente_de


def _conteos():
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Pais, Departamento, Municipio, GrupoEtnico)
    }


def test_seed_dos_veces_no_duplica_nada(app):
    runner = app.test_cli_runner()
    with app.app_context():
        antes = _conteos()
    resultado = runner.invoke(args=["seed"])
    assert resultado.exit_code == 0, resultado.output
    assert "municipios=1121" in resultado.output
    with app.app_context():
        assert _conteos() == antes
        assert antes == {"Pais": 250, "Departamento": 33, "Municipio": 1121, "GrupoEtnico": 4}
        tipos = db.session.scalars(select(TipoIdentificacion.nombre).order_by(TipoIdentificacion.orden)).all()
        assert tipos == ["Cédula de ciudadanía", "Cédula de extranjería", "Pasaporte", "Otro"]


def test_crear_admin_crea_una_cuenta_activada_que_entra(app):
    runner = app.test_cli_runner()
    args = [
        "crear-admin",
        "--numero",
        "79000111",
        "--nombres",
        "Ana",
        "--apellidos",
        "Suárez",
        "--correo",
        "Ana@Invima.local",
    ]
    resultado = runner.invoke(args=[*args, "--contrasena", "Clave#2026x"])
    assert resultado.exit_code == 0, resultado.output
    assert "CC-79000111" in resultado.output
    with app.app_context():
        usuario = db.session.scalar(select(Usuario).where(Usuario.numero_identificacion == "79000111"))
        assert usuario.email == "ana@invima.local"
        assert {r.name for r in usuario.roles} == {"Admin", "Usuario"}
        assert usuario.nacionalidad.codigo == "CO"
    cliente = cliente_de(app, usuario)
    assert cliente.get("/usuarios/list/").status_code == 200


def test_crear_admin_rechaza_una_contrasena_debil(app):
    runner = app.test_cli_runner()
    resultado = runner.invoke(
        args=[
            "crear-admin",
            "--numero",
            "79000112",
            "--nombres",
            "A",
            "--apellidos",
            "B",
            "--correo",
            "b@x.local",
            "--contrasena",
            "corta",
        ]
    )
    assert resultado.exit_code != 0
    assert "Debe contener mínimo 8 caracteres." in resultado.output
    with app.app_context():
        assert db.session.scalar(select(Usuario).where(Usuario.numero_identificacion == "79000112")) is None


def _avisos(correo: str) -> list[MensajeCorreo]:
    return db.session.scalars(
        select(MensajeCorreo).where(
            MensajeCorreo.destinatario == correo, MensajeCorreo.plantilla == "contrasena_cambiada"
        )
    ).all()


def test_crear_admin_sobre_una_cuenta_existente_avisa_el_cambio_de_contrasena(app):
    with app.app_context():
        usuario = factories.crear_usuario(numero="79000113", email="dueno@correo.test")
        generacion = usuario.generacion_sesion
    args = ["crear-admin", "--numero", "79000113", "--nombres", "A", "--apellidos", "B", "--correo", "x@x.local"]
    runner = app.test_cli_runner()

    # Its own password again: nothing changes for the owner (no notice, the sessions stay open), only the role.
    assert runner.invoke(args=[*args, "--contrasena", CONTRASENA]).exit_code == 0
    with app.app_context():
        usuario = db.session.get(Usuario, usuario.id)
        assert "Admin" in {r.name for r in usuario.roles} and usuario.generacion_sesion == generacion
        assert _avisos("dueno@correo.test") == []

    # A new one: the owner is told how, without the password, and the other sessions end.
    resultado = runner.invoke(args=[*args, "--contrasena", "Otra#Clave2026"])
    assert resultado.exit_code == 0, resultado.output
    with app.app_context():
        (aviso,) = _avisos("dueno@correo.test")
        assert "por el equipo técnico de InvimÁgil" in aviso.cuerpo_texto
        assert "Otra#Clave2026" not in aviso.cuerpo_texto + aviso.cuerpo_html
        assert db.session.get(Usuario, usuario.id).generacion_sesion > generacion

    # A new account, made by the command with the password its owner is given, has nothing to be told.
    nueva = ["crear-admin", "--numero", "79000114", "--nombres", "C", "--apellidos", "D", "--correo", "nueva@x.local"]
    assert runner.invoke(args=[*nueva, "--contrasena", "Otra#Clave2026"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(Usuario.id).where(Usuario.email == "nueva@x.local"))
        assert _avisos("nueva@x.local") == []
