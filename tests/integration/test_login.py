"""Login by identification (manual 4.3.1) and lock-out (issue: 5 failures → 15 minutes)."""

from __future__ import annotations

from tests import factories
from tests.conftest import csrf_de, iniciar_sesion


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
    from app.security.models import Usuario

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


def test_cuenta_sin_activar_recibe_instrucciones(app, client):
    with app.app_context():
        usuario = factories.crear_usuario(activado=False)
    r = iniciar_sesion(client, usuario, "Cualquier#1")
    assert r.status_code == 401
    assert "aún no ha sido activada" in r.get_data(as_text=True)
    assert "¿Olvidó su contraseña?" in r.get_data(as_text=True)


def test_cinco_fallos_bloquean_la_cuenta_quince_minutos(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    for _ in range(4):
        assert "incorrectos" in iniciar_sesion(client, usuario, "Mala#clave1").get_data(as_text=True)
    quinto = iniciar_sesion(client, usuario, "Mala#clave1").get_data(as_text=True)
    assert "bloqueada temporalmente" in quinto and "15 minutos" in quinto
    # Even the right password is refused while locked.
    correcto = iniciar_sesion(client, usuario)
    assert correcto.status_code == 401
    assert "bloqueada temporalmente" in correcto.get_data(as_text=True)


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
