"""Command-line tasks: `flask seed` is idempotent; `flask crear-admin` gives the first administrator."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.personas import Usuario
from app.models.referencias import Departamento, GrupoEtnico, Municipio, Pais, TipoIdentificacion
from tests.helpers import cliente_de


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
