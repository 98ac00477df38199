"""The one transaction boundary (app/web/transaccion.py): commit, roll back, keep counted failures, 404s."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from app.extensions import db
from app.models.personas import Usuario
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.web.transaccion import ejecutar, respuesta_de_error, unidad_de_trabajo
from tests.factories import crear_usuario


class _Form(FlaskForm):
    class Meta:
        csrf = False

    nombre = StringField("Nombre")


def _correo_de(usuario_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Usuario, usuario_id).correo_alternativo or ""


@pytest.fixture
def usuario_id(app):
    with app.app_context():
        return crear_usuario().id


def _escribir(usuario_id: int, valor: str, error: Exception | None = None):
    db.session.get(Usuario, usuario_id).correo_alternativo = valor
    db.session.flush()
    if error is not None:
        raise error
    return valor


def test_confirma_al_terminar_bien(app, usuario_id):
    with app.test_request_context():
        with unidad_de_trabajo():
            _escribir(usuario_id, "a@correo.test")
        db.session.rollback()  # nothing left to undo: it was committed
        assert _correo_de(usuario_id) == "a@correo.test"


@pytest.mark.parametrize("error", [ErrorDominio("No."), RuntimeError("fallo"), NoEncontrado()])
def test_deshace_ante_cualquier_error(app, usuario_id, error):
    with app.test_request_context():
        with pytest.raises(type(error)), unidad_de_trabajo():
            _escribir(usuario_id, "b@correo.test", error)
        assert _correo_de(usuario_id) == ""


def test_conservar_guarda_el_intento_fallido_pero_no_un_error_inesperado(app, usuario_id):
    with app.test_request_context():
        with pytest.raises(ErrorDominio), unidad_de_trabajo(conservar=True):
            _escribir(usuario_id, "intento@correo.test", ErrorDominio("PIN incorrecto."))
        assert _correo_de(usuario_id) == "intento@correo.test"
        with pytest.raises(RuntimeError), unidad_de_trabajo(conservar=True):
            _escribir(usuario_id, "otro@correo.test", RuntimeError("fallo"))
        assert _correo_de(usuario_id) == "intento@correo.test"


def test_ejecutar_pone_los_errores_en_el_formulario_y_el_resto_en_avisos(app, usuario_id):
    with app.test_request_context(method="POST"):
        form = _Form()
        errores = {"nombre": ["Escriba el nombre."], "otro": ["Un aviso general."]}
        resultado = ejecutar(lambda: _escribir(usuario_id, "c@correo.test", ErroresValidacion(errores)), form)
        assert not resultado
        assert form.nombre.errors == ["Escriba el nombre."]
        assert resultado.resto == ["Un aviso general."]
        from flask import get_flashed_messages

        assert get_flashed_messages(with_categories=True) == [("danger", "Un aviso general.")]
        assert _correo_de(usuario_id) == ""
        bien = ejecutar(lambda: _escribir(usuario_id, "d@correo.test"), form)
        assert bien and bien.valor == "d@correo.test"
        assert _correo_de(usuario_id) == "d@correo.test"


def test_ejecutar_deja_pasar_no_encontrado_al_manejador_404(app, usuario_id):
    with app.test_request_context(method="POST"):
        with pytest.raises(NoEncontrado):
            ejecutar(lambda: _escribir(usuario_id, "e@correo.test", NoEncontrado("El rol no existe.")))
        assert _correo_de(usuario_id) == ""


def test_respuesta_de_error_de_la_api():
    assert respuesta_de_error(NoEncontrado("El rol no existe.")) == (404, "El rol no existe.")
    assert respuesta_de_error(ErroresValidacion({"nombre": ["Falta."]})) == (400, {"nombre": ["Falta."]})
    assert respuesta_de_error(ErrorDominio("No se puede.")) == (400, "No se puede.")


def test_no_encontrado_sin_atrapar_es_una_pagina_404_con_su_mensaje(app, client):
    with app.app_context():
        usuario = crear_usuario()
    from tests.helpers import iniciar_sesion

    iniciar_sesion(client, usuario)
    respuesta = client.get("/perfil/profesiones/999999/editar")
    assert respuesta.status_code == 404
    assert "no existe" in respuesta.get_data(as_text=True)
