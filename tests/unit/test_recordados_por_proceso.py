"""What the app keeps per process to serve each request faster (URLs, the parsed language) never changes a result."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from werkzeug.routing import BuildError

from app.aplicacion import MAX_URLS, Aplicacion


def _apps():
    def construir(clase):
        app = clase(__name__)

        @app.route("/ficha/<int:ident>/")
        def ficha(ident):
            return str(ident)

        @app.route("/buscar/")
        def buscar():
            return ""

        return app

    return construir(Aplicacion), construir(Flask)


LLAMADAS = [
    ("buscar", {}),
    ("buscar", {"q": "Pérez & hijos", "criterio": "auto"}),
    ("buscar", {"criterio": "auto", "q": "Pérez & hijos"}),  # same values, other order: other query string
    ("buscar", {"q": True}),
    ("buscar", {"q": 1}),
    ("buscar", {"q": 1.5}),
    ("buscar", {"q": ["a", "b"]}),
    ("ficha", {"ident": 7}),
    ("ficha", {"ident": 7, "_anchor": "datos"}),
    ("ficha", {"ident": 7, "_external": True}),
    ("static", {"filename": "css/invima.css"}),
]


@pytest.mark.parametrize("raiz", ["", "/portal"])
def test_url_for_da_lo_mismo_que_flask_tambien_la_segunda_vez(raiz):
    nuestra, de_flask = _apps()
    for _ in range(2):
        for endpoint, valores in LLAMADAS:
            with nuestra.test_request_context("/", base_url=f"http://invima.test{raiz}"):
                obtenida = url_for(endpoint, **valores)
            with de_flask.test_request_context("/", base_url=f"http://invima.test{raiz}"):
                esperada = url_for(endpoint, **valores)
            assert obtenida == esperada, (endpoint, valores)
    recordadas = {clave[4:] for clave in nuestra._urls_construidas}
    assert ("ficha", (("ident", 7),)) in recordadas and ("buscar", (("q", 1.5),)) not in recordadas
    # True == 1 in Python: a remembered q=True would be returned for q=1 ("True" instead of "1").
    assert not any(type(v) is bool for _, valores in recordadas for _, v in valores)


def test_la_raiz_y_el_host_de_la_peticion_son_parte_de_la_clave():
    app, _ = _apps()
    with app.test_request_context("/", base_url="http://invima.test/"):
        assert url_for("ficha", ident=3) == "/ficha/3/"
    with app.test_request_context("/", base_url="http://invima.test/portal"):
        assert url_for("ficha", ident=3) == "/portal/ficha/3/"
    with app.test_request_context("/", base_url="http://otro.test/"):
        assert url_for("ficha", ident=3, _external=True) == "http://otro.test/ficha/3/"


def test_los_errores_no_se_recuerdan_y_la_memoria_tiene_tope():
    app, _ = _apps()
    with app.test_request_context("/"):
        with pytest.raises(BuildError):
            url_for("no_existe")
        assert app._urls_construidas == {}
        for i in range(MAX_URLS + 10):
            url_for("buscar", q=str(i))
        assert len(app._urls_construidas) <= MAX_URLS
        assert url_for("buscar", q="5") == "/buscar/?q=5"


def test_con_funciones_de_valores_por_defecto_no_recuerda():
    app, _ = _apps()

    @app.url_defaults
    def _idioma(endpoint, valores):
        valores.setdefault("lang", "es")

    with app.test_request_context("/"):
        assert url_for("buscar") == "/buscar/?lang=es"
    assert app._urls_construidas == {}


def test_el_idioma_elegido_se_entrega_ya_interpretado_y_el_mismo_en_cada_peticion():
    from flask_babel import Babel, get_locale

    from app.jinja import recordar_idiomas

    elegido = {"codigo": "es"}
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: elegido["codigo"])
    recordar_idiomas(app)
    with app.test_request_context("/"):
        primero = get_locale()
    with app.test_request_context("/"):
        assert get_locale() is primero and str(primero) == "es"
    elegido["codigo"] = "en"
    with app.test_request_context("/"):
        assert str(get_locale()) == "en"
    elegido["codigo"] = None
    with app.test_request_context("/"):
        assert get_locale() == app.extensions["babel"].instance.default_locale
