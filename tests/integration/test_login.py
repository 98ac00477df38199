"""Login by identification (manual 4.3.1) and lock-out (issue: 5 failures → 15 minutes)."""

from __future__ import annotations

from pathlib import Path

import flask_appbuilder
import pytest

from tests import factories
from tests.helpers import csrf_de, iniciar_sesion


def test_login_muestra_los_campos_del_manual(client):
    html = client.get("/login/").get_data(as_text=True)
    for texto in (
        "Ingresar como",
        "Persona natural",
        "Tipo de identificación",
        "Identificación",
        "Contraseña",
        "¿Olvidó su contraseña?",
        "Crear cuenta",
        "Consulta de autorizaciones y certificados",
        "Iniciar sesión",
    ):
        assert texto in html
    # Tipos in the manual's order
    posiciones = [html.index(t) for t in ("Cédula de ciudadanía", "Cédula de extranjería", "Pasaporte", "Otro")]
    assert posiciones == sorted(posiciones)


def test_login_por_identificacion_entra_y_sale(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    respuesta = iniciar_sesion(client, usuario)
    assert respuesta.status_code == 302
    inicio = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Bienvenido(a), María José" in inicio
    assert "Persona natural" in inicio
    salir = client.post("/logout/", data={"csrf_token": csrf_de(inicio)})
    assert salir.status_code == 302
    assert client.get("/").headers["Location"].endswith("/login/")


def test_login_incorrecto_da_un_mensaje_generico(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    mal = iniciar_sesion(client, usuario, "Otra#clave1")
    assert mal.status_code == 401
    texto = mal.get_data(as_text=True)
    assert "Tipo de identificación, identificación o contraseña incorrectos." in texto
    from app.models.personas import Usuario

    class Fantasma:
        tipo_identificacion_id = usuario.tipo_identificacion_id
        numero_identificacion = "999999999"

    desconocido = iniciar_sesion(client, Fantasma, "Otra#clave1")
    assert desconocido.status_code == 401
    assert "Tipo de identificación, identificación o contraseña incorrectos." in desconocido.get_data(as_text=True)
    assert Usuario  # the same message whether or not the account exists


def test_login_sin_csrf_es_rechazado(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    r = client.post(
        "/login/",
        data={
            "ingresar_como": "natural",
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "contrasena": factories.CONTRASENA,
        },
    )
    assert r.status_code == 400
    assert "Recargue la página" in r.get_data(as_text=True)


def test_cuenta_sin_activar_recibe_la_respuesta_neutra_con_la_guia(app, client):
    """The page must not tell that the account exists and waits for activation; the message still guides."""
    with app.app_context():
        usuario = factories.crear_usuario(activado=False)
    r = iniciar_sesion(client, usuario, "Cualquier#1")
    assert r.status_code == 401
    texto = r.get_data(as_text=True)
    assert "incorrectos" in texto and "aún no está activada" in texto and "¿Olvidó su contraseña?" in texto
    assert "aún no ha sido activada" not in texto


def test_cinco_fallos_bloquean_la_cuenta_quince_minutos_y_se_avisa_por_correo(app, client, smtp_sink):
    from app.models.personas import Usuario
    from app.services import outbox
    from app.services.reloj import ahora

    with app.app_context():
        usuario = factories.crear_usuario()
    respuestas = [iniciar_sesion(client, usuario, "Mala#clave1").get_data(as_text=True) for _ in range(5)]
    assert all("incorrectos" in r and "bloqueada temporalmente" not in r for r in respuestas)
    with app.app_context():
        from app.extensions import db

        bloqueada_hasta = db.session.get(Usuario, usuario.id).bloqueada_hasta
        assert 14 * 60 < (bloqueada_hasta - ahora()).total_seconds() <= 15 * 60
        outbox.enviar_pendientes(app)
    aviso = smtp_sink.esperar_asunto(usuario.email, "bloqueada temporalmente")
    assert "15 minutos" in smtp_sink.texto(aviso)
    # Even the right password is refused while locked, with the same answer as a wrong one.
    correcto = iniciar_sesion(client, usuario)
    assert correcto.status_code == 401
    assert "incorrectos" in correcto.get_data(as_text=True)


def test_entrada_invalida_no_produce_500(client):
    pagina = client.get("/login/").get_data(as_text=True)
    r = client.post(
        "/login/",
        data={
            "csrf_token": csrf_de(pagina),
            "ingresar_como": "natural",
            "tipo_identificacion": "abc",
            "identificacion": "x" * 500,
            "contrasena": "y",
        },
    )
    assert r.status_code == 400


def test_limite_por_ip_en_login(app, client):
    from app.extensions import limiter

    app.config["LIMITE_LOGIN"] = "3 per minute"
    try:
        pagina = client.get("/login/").get_data(as_text=True)
        datos = {
            "csrf_token": csrf_de(pagina),
            "ingresar_como": "natural",
            "tipo_identificacion": "1",
            "identificacion": "1",
            "contrasena": "x",
        }
        codigos = [client.post("/login/", data=datos).status_code for _ in range(4)]
        assert codigos[-1] == 429
        assert "Demasiados intentos" in client.post("/login/", data=datos).get_data(as_text=True)
    finally:
        app.config["LIMITE_LOGIN"] = "1000 per minute"
        limiter.reset()


def test_las_paginas_declaran_el_idioma_espanol(client):
    assert '<html lang="es-CO">' in client.get("/login/").get_data(as_text=True)
    assert '<html lang="es-CO">' in client.get("/pagina-que-no-existe").get_data(as_text=True)


def test_la_plantilla_init_es_la_de_fab_salvo_el_idioma():
    """app/templates/appbuilder/init.html overrides FAB's only to add lang: after a FAB upgrade, copy it again."""
    de_fab = (Path(flask_appbuilder.__file__).parent / "templates/appbuilder/init.html").read_text()
    propia = (Path(__file__).parents[2] / "app/templates/appbuilder/init.html").read_text()
    sin_comentario = propia[propia.index("-#}") + 4 :]
    assert sin_comentario == de_fab.replace("\n<html>\n", '\n<html lang="es-CO">\n', 1)


def test_la_plantilla_navbar_es_la_de_fab_salvo_el_nombre_del_boton_del_menu():
    """app/templates/appbuilder/navbar.html overrides FAB's only to name the menu toggle: after a FAB upgrade, copy it."""
    de_fab = (Path(flask_appbuilder.__file__).parent / "templates/appbuilder/navbar.html").read_text()
    propia = (Path(__file__).parents[2] / "app/templates/appbuilder/navbar.html").read_text()
    sin_comentario = propia[propia.index("-#}") + 4 :]
    boton = 'data-target=".navbar-collapse">'
    assert sin_comentario == de_fab.replace(boton, boton[:-1] + ' aria-label="Menú">', 1)


def test_la_plantilla_baselayout_es_la_de_fab_salvo_el_encabezado_y_el_contenido_principal():
    """app/templates/appbuilder/baselayout.html overrides FAB's only for the landmarks (no role="header", content in
    <main>): after a FAB upgrade, copy it again."""
    de_fab = (Path(flask_appbuilder.__file__).parent / "templates/appbuilder/baselayout.html").read_text()
    propia = (Path(__file__).parents[2] / "app/templates/appbuilder/baselayout.html").read_text()
    sin_comentario = propia[propia.index("-#}") + 4 :]
    contenido = de_fab[de_fab.index('    <div class="container">') : de_fab.index("    {% block footer %}")]
    principal = contenido.replace('<div class="container">', '<main class="container">', 1)
    principal = principal[: principal.rindex("</div>")] + "</main>" + principal[principal.rindex("</div>") + 6 :]
    esperada = de_fab.replace(' role="header"', "", 1).replace(contenido, principal, 1)
    assert sin_comentario == esperada


@pytest.mark.parametrize("nombre", ["list.html", "add.html", "edit.html", "show.html"])
def test_las_paginas_generadas_son_las_de_fab_salvo_el_titulo_del_panel(nombre):
    """app/templates/appbuilder/general/model/*.html override FAB's only to draw the panel's title as the page's
    heading (appbuilder/general/_panel.html): after a FAB upgrade, copy them again."""
    de_fab = (Path(flask_appbuilder.__file__).parent / "templates/appbuilder/general/model" / nombre).read_text()
    propia = (Path(__file__).parents[2] / "app/templates/appbuilder/general/model" / nombre).read_text()
    importacion = "{% import 'appbuilder/general/lib.html' as lib %}\n"
    esperada = de_fab.replace("{{ lib.panel_begin(title", "{{ panel.inicio(title", 1).replace(
        importacion, importacion + "{% import 'appbuilder/general/_panel.html' as panel with context %}\n", 1
    )
    esperada = esperada.replace("{% call lib.accordion_tag(", "{% call panel.acordeon(", 1)  # list.html's «Buscar»
    assert propia[propia.index("-#}") + 4 :] == esperada


def test_las_paginas_tienen_encabezado_y_contenido_principal(client):
    html = client.get("/login/").get_data(as_text=True)
    assert '<header class="top">' in html and 'role="header"' not in html
    assert html.count("<main") == 1 and html.count("</main>") == 1


def test_un_ingreso_sin_next_no_registra_redireccion_invalida(app, client, caplog):
    with app.app_context():
        usuario = factories.crear_usuario()
    with caplog.at_level("WARNING"):
        respuesta = iniciar_sesion(client, usuario)
    assert respuesta.status_code == 302 and respuesta.headers["Location"] == "/"
    assert "Invalid redirect" not in caplog.text
    assert client.get("/login/?next=/perfil/").headers["Location"].endswith("/perfil/")
