"""Issue 9 §1: what an outside probe found open in authentication, each closed and kept closed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.personas import Usuario
from app.services.cuentas import captcha
from tests import factories
from tests.helpers import CAPTCHA_PRUEBA, CONTRASENA, csrf_de, iniciar_sesion

NUEVA = "Otra#Clave2027"


@pytest.mark.parametrize("ruta", ["/api/v1/security/login", "/api/v1/security/refresh"])
def test_el_login_con_tokens_de_fab_no_existe(app, client, ruta):
    with app.app_context():
        usuario = factories.crear_usuario()
    for cuerpo in ({"username": usuario.username, "password": CONTRASENA, "provider": "db"}, {}):
        assert client.post(ruta, json=cuerpo).status_code == 404
    assert "/api/v1/security/" not in client.get("/api/v1/_openapi").get_data(as_text=True)


def _fallar_en_paralelo(app, usuario, intentos: int) -> list[int]:
    clientes = [app.test_client() for _ in range(intentos)]
    paginas = [c.get("/login/").get_data(as_text=True) for c in clientes]
    salida = threading.Barrier(intentos)
    codigos: list[int] = []

    def intentar(cliente, pagina):
        datos = {
            "csrf_token": csrf_de(pagina),
            "ingresar_como": "natural",
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "contrasena": "Equivocada#1",
        }
        salida.wait()
        codigos.append(cliente.post("/login/", data=datos).status_code)

    hilos = [threading.Thread(target=intentar, args=par) for par in zip(clientes, paginas, strict=True)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)
    return codigos


def test_veinte_fallos_simultaneos_bloquean_la_cuenta(app, smtp_sink):
    """Counted with one UPDATE each: parallel failures cannot overwrite each other's count."""
    with app.app_context():
        usuario = factories.crear_usuario()
    codigos = _fallar_en_paralelo(app, usuario, 20)
    assert codigos == [401] * 20
    with app.app_context():
        cuenta = db.session.get(Usuario, usuario.id)
        assert cuenta.estado == "Bloqueada" and cuenta.fail_login_count == 0
        from app.models.correo import MensajeCorreo

        avisos = db.session.scalars(select(MensajeCorreo.asunto).where(MensajeCorreo.destinatario == usuario.email))
        assert list(avisos).count("Su cuenta de InvimÁgil fue bloqueada temporalmente") == 1
    assert iniciar_sesion(app.test_client(), usuario).status_code == 401


def test_repetir_la_cookie_de_un_captcha_resuelto_no_sirve(app, client, smtp_sink, monkeypatch):
    """The probe replayed one solved CAPTCHA's cookie five times; the server now remembers it was used."""
    monkeypatch.setitem(app.config, "CAPTCHA_TEST_CODE", None)
    with app.app_context():
        usuario = factories.crear_usuario()
    dibujados = []
    original = captcha.nuevo_reto
    monkeypatch.setattr(captcha, "nuevo_reto", lambda *a, **k: dibujados.append(original(*a, **k)) or dibujados[-1])
    pagina = client.get("/cuenta/recuperar/").get_data(as_text=True)
    client.get("/captcha/recuperacion.png")
    cookie = client.get_cookie("session").value
    datos = {
        "csrf_token": csrf_de(pagina),
        "tipo_identificacion": str(usuario.tipo_identificacion_id),
        "identificacion": usuario.numero_identificacion,
        "correo": usuario.email,
        "captcha": dibujados[-1],
    }
    assert client.post("/cuenta/recuperar/", data=datos).status_code == 200
    for _ in range(5):
        client.set_cookie("session", cookie)  # the cookie as it was before the answer
        r = client.post("/cuenta/recuperar/", data=datos)
        assert r.status_code == 400 and captcha.MSG_INCORRECTO in r.get_data(as_text=True)


def _copia_de_sesion(app, cliente):
    """Another browser holding a copy of `cliente`'s session cookie (what a stolen cookie is)."""
    otro = app.test_client()
    otro.set_cookie("session", cliente.get_cookie("session").value)
    return otro


def _abre_perfil(cliente) -> bool:
    return cliente.get("/perfil/").status_code == 200


def test_cerrar_sesion_termina_tambien_las_otras_sesiones(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    assert iniciar_sesion(client, usuario).status_code == 302
    otro_equipo = app.test_client()
    assert iniciar_sesion(otro_equipo, usuario).status_code == 302
    copia = _copia_de_sesion(app, client)
    assert _abre_perfil(copia) and _abre_perfil(otro_equipo)
    inicio = client.get("/").get_data(as_text=True)
    assert client.post("/logout/", data={"csrf_token": csrf_de(inicio)}).status_code == 302
    assert not _abre_perfil(copia) and not _abre_perfil(otro_equipo) and not _abre_perfil(client)
    assert iniciar_sesion(client, usuario).status_code == 302 and _abre_perfil(client)


def test_cambiar_la_contrasena_termina_las_otras_sesiones_pero_no_la_propia(app, client):
    with app.app_context():
        usuario = factories.crear_usuario()
    iniciar_sesion(client, usuario)
    otro_equipo = app.test_client()
    iniciar_sesion(otro_equipo, usuario)
    copia = _copia_de_sesion(app, client)
    pagina = client.get("/perfil/contrasena/").get_data(as_text=True)
    r = client.post(
        "/perfil/contrasena/",
        data={"csrf_token": csrf_de(pagina), "actual": CONTRASENA, "nueva": NUEVA, "confirmacion": NUEVA},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    assert _abre_perfil(client)
    assert not _abre_perfil(otro_equipo) and not _abre_perfil(copia)


def test_restablecer_la_contrasena_termina_todas_las_sesiones(app, client, smtp_sink):
    from app.services.cuentas import recuperacion

    with app.app_context():
        usuario = factories.crear_usuario()
    iniciar_sesion(client, usuario)
    assert _abre_perfil(client)
    with app.app_context():
        recuperacion.restablecer(
            db.session, _verificacion_de_recuperacion(usuario), NUEVA, NUEVA
        )  # what the mailed link's form does
        db.session.commit()
    assert not _abre_perfil(client)


def _verificacion_de_recuperacion(usuario):
    from datetime import timedelta

    from app.models.verificacion import PROPOSITO_RECUPERACION
    from app.services.cuentas import verificaciones

    emitida = verificaciones.emitir(
        db.session, usuario.id, PROPOSITO_RECUPERACION, timedelta(minutes=60), con_codigo=False
    )
    return verificaciones.por_token(db.session, emitida.token, PROPOSITO_RECUPERACION)


def test_el_restablecimiento_del_administrador_tambien_termina_las_sesiones(app, client):
    """FAB's own «reset password» (Seguridad → Usuarios) sets the password through the same model attribute."""
    with app.app_context():
        usuario = factories.crear_usuario()
    iniciar_sesion(client, usuario)
    with app.app_context():
        app.appbuilder.sm.reset_password(usuario.id, NUEVA)
    assert not _abre_perfil(client)


def _activar_generico(client, identificacion: tuple[int, str], captcha_texto):
    pagina = client.get("/cuenta/activar/").get_data(as_text=True)
    return client.post(
        "/cuenta/activar/",
        data={
            "csrf_token": csrf_de(pagina),
            "tipo_identificacion": str(identificacion[0]),
            "identificacion": identificacion[1],
            "pin": "123456",
            "contrasena": NUEVA,
            "confirmacion": NUEVA,
            "captcha": captcha_texto,
        },
    )


def test_el_formulario_generico_de_activacion_pide_captcha(app, client):
    """Its answers tell an account's state, so without the CAPTCHA it says nothing about the account."""
    with app.app_context():
        tipo = factories.crear_usuario(numero="52000001").tipo_identificacion_id
        factories.crear_usuario(numero="52000002", activado=False)
    activa, pendiente = (tipo, "52000001"), (tipo, "52000002")
    assert "/captcha/activacion.png" in client.get("/cuenta/activar/").get_data(as_text=True)
    respuestas = [_activar_generico(client, u, "ZZZZZ") for u in (activa, pendiente)]
    assert [r.status_code for r in respuestas] == [400, 400]
    textos = [r.get_data(as_text=True) for r in respuestas]
    assert all(captcha.MSG_INCORRECTO in t for t in textos)
    assert not any("ya fue activada" in t or "PIN de activación vigente" in t for t in textos)
    assert "ya fue activada" in _activar_generico(client, activa, CAPTCHA_PRUEBA).get_data(as_text=True)


def test_el_formulario_generico_de_activacion_tiene_el_limite_de_la_recuperacion(app, client):
    from app.extensions import limiter

    with app.app_context():
        usuario = factories.crear_usuario(activado=False)
        identificacion = (usuario.tipo_identificacion_id, usuario.numero_identificacion)
    app.config["LIMITE_RECUPERACION"] = "3 per minute"
    try:
        codigos = [_activar_generico(client, identificacion, "ZZZZZ").status_code for _ in range(4)]
        assert codigos[-1] == 429
    finally:
        app.config["LIMITE_RECUPERACION"] = "1000 per minute"
        limiter.reset()
