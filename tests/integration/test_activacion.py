"""Activación de cuenta con PIN (manual 4.4 y 4.7), through HTTP on the real database and a real SMTP sink."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

from sqlalchemy import select, update

from app.extensions import db
from app.models.personas import Usuario
from app.models.verificacion import PROPOSITO_ACTIVACION, Verificacion
from app.services import outbox
from app.services.cuentas import activacion, contrasenas
from app.services.cuentas.identificacion import tipo_por_codigo
from app.services.reloj import ahora
from tests import factories
from tests.helpers import CAPTCHA_PRUEBA, Buzon, csrf_de, iniciar_sesion

NUEVA = "Activa#2026z"


def _emitir_pin(app, smtp_sink, usuario) -> tuple[str, str]:
    """Issue a PIN as signup does and read it from the mail that reaches the SMTP sink: (pin, link path)."""
    previos = len(smtp_sink.para(usuario.email))
    with app.app_context():
        activacion.emitir_pin_activacion(db.session, db.session.get(Usuario, usuario.id))
        db.session.commit()
    outbox.enviar_pendientes(app)
    mensaje = smtp_sink.esperar(usuario.email, previos + 1)[-1]
    texto = Buzon.texto(mensaje)
    pin = re.search(r"PIN de activación: (\d{6})", texto).group(1)
    enlace = re.search(r"Enlace de activación: (\S+)", texto).group(1)
    return pin, urlparse(enlace).path


def _enviar(client, ruta: str, **datos):
    pagina = client.get(ruta)
    datos.setdefault("csrf_token", csrf_de(pagina.get_data(as_text=True)))
    datos.setdefault("captcha", CAPTCHA_PRUEBA)  # the generic form asks for it; the link's form ignores it
    return client.post(ruta, data=datos)


def _activar(client, ruta, pin, contrasena=NUEVA, confirmacion=None):
    return _enviar(
        client,
        ruta,
        pin=pin,
        contrasena=contrasena,
        confirmacion=contrasena if confirmacion is None else confirmacion,
    )


def _usuario(app, usuario_id) -> Usuario:
    with app.app_context():
        u = db.session.get(Usuario, usuario_id)
        list(u.roles)  # loaded before leaving the session
        db.session.expunge(u)
        return u


def _verificacion(app, usuario_id) -> Verificacion:
    with app.app_context():
        v = db.session.scalar(
            select(Verificacion)
            .where(Verificacion.usuario_id == usuario_id, Verificacion.proposito == PROPOSITO_ACTIVACION)
            .order_by(Verificacion.id.desc())
        )
        db.session.expunge(v)
        return v


def _pendiente(app):
    with app.app_context():
        return factories.crear_usuario(activado=False)


def test_correo_de_activacion_trae_pin_enlace_y_vigencia_en_html_y_texto(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    mensaje = smtp_sink.para(usuario.email)[-1]
    html, texto = Buzon.html(mensaje), Buzon.texto(mensaje)
    for parte in (html, texto):
        assert pin in parte
        assert ruta in parte
        assert "24 horas" in parte
        assert "¿Olvidó su contraseña?" in parte
    assert ruta.startswith("/cuenta/activar/")
    # «Si el enlace no funciona…»: the generic activation form, as the manual shows it
    assert 'href="http://127.0.0.1:5000/cuenta/activar/"' in html
    assert "navegador: http://127.0.0.1:5000/cuenta/activar/ e ingrese" in texto


def test_enlace_del_correo_abre_el_formulario_de_activacion_con_las_reglas(app, client, smtp_sink):
    usuario = _pendiente(app)
    _, ruta = _emitir_pin(app, smtp_sink, usuario)
    r = client.get(ruta)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for texto in ("PIN de activación", "Contraseña", "Confirmar contraseña", "Reglas mínimas de seguridad"):
        assert texto in html
    for regla in contrasenas.REGLAS:
        assert regla in html
    assert 'name="csrf_token"' in html


def test_activacion_completa_y_luego_inicia_sesion(app, client, smtp_sink):
    usuario = _pendiente(app)
    r = iniciar_sesion(client, usuario, NUEVA)
    assert r.status_code == 401  # not yet activated

    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    r = _activar(client, ruta, pin)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Su cuenta fue activada con éxito." in html
    assert "Finalizar" in html and 'href="/login/"' in html

    activado = _usuario(app, usuario.id)
    assert activado.active is True
    assert activado.activada_en is not None
    assert activado.password and NUEVA not in activado.password
    assert [rol.name for rol in activado.roles] == ["Usuario"]
    assert _verificacion(app, usuario.id).usado_en is not None

    otro = app.test_client()
    assert iniciar_sesion(otro, usuario, NUEVA).status_code == 302
    assert "Bienvenido(a)" in otro.get("/", follow_redirects=True).get_data(as_text=True)


def test_enlace_ya_usado_dice_que_la_cuenta_ya_fue_activada(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    assert _activar(client, ruta, pin).status_code == 200

    r = client.get(ruta)
    assert r.status_code == 410
    assert "Su cuenta ya fue activada" in r.get_data(as_text=True)
    # a double submit of the form does not activate twice nor fail with a 500
    otra = client.post(ruta, data={"pin": pin, "contrasena": "Otra#2026zz", "confirmacion": "Otra#2026zz"})
    assert otra.status_code in (400, 410)
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_formulario_generico_activa_con_tipo_y_numero_de_identificacion(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, _ = _emitir_pin(app, smtp_sink, usuario)
    pagina = client.get("/cuenta/activar/")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    for texto in (
        "Tipo de identificación",
        "Identificación",
        "PIN de activación",
        "Confirmar contraseña",
        "Caracteres de verificación",
    ):
        assert texto in html
    r = client.post(
        "/cuenta/activar/",
        data={
            "csrf_token": csrf_de(html),
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "pin": pin,
            "contrasena": NUEVA,
            "confirmacion": NUEVA,
            "captcha": CAPTCHA_PRUEBA,
        },
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "Su cuenta fue activada con éxito." in r.get_data(as_text=True)
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_formulario_generico_con_identificacion_sin_pin_vigente_lo_dice(app, client):
    with app.app_context():
        tipo = tipo_por_codigo(db.session, "CC").id
    pagina = client.get("/cuenta/activar/").get_data(as_text=True)
    r = client.post(
        "/cuenta/activar/",
        data={
            "csrf_token": csrf_de(pagina),
            "tipo_identificacion": str(tipo),
            "identificacion": "99999999",
            "pin": "123456",
            "contrasena": NUEVA,
            "confirmacion": NUEVA,
            "captcha": CAPTCHA_PRUEBA,
        },
    )
    assert r.status_code == 400
    assert "no corresponden a una cuenta con un PIN de activación vigente" in r.get_data(as_text=True)


def test_pin_incorrecto_muestra_los_intentos_restantes_y_cuenta_el_intento(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    malo = "000000" if pin != "000000" else "111111"
    r = _activar(client, ruta, malo)
    assert r.status_code == 400
    assert "El PIN de activación no es correcto. Le quedan 4 intentos." in r.get_data(as_text=True)
    assert _verificacion(app, usuario.id).intentos == 1
    assert _usuario(app, usuario.id).activada_en is None

    r = _activar(client, ruta, malo)
    assert "Le quedan 3 intentos." in r.get_data(as_text=True)
    assert _verificacion(app, usuario.id).intentos == 2
    # the right PIN still works afterwards
    assert _activar(client, ruta, pin).status_code == 200


def test_cinco_pines_incorrectos_anulan_el_pin(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    malo = "000000" if pin != "000000" else "111111"
    for _ in range(4):
        assert _activar(client, ruta, malo).status_code == 400
    r = _activar(client, ruta, malo)
    assert r.status_code == 410
    html = r.get_data(as_text=True)
    assert "Superó el número de intentos permitidos" in html
    assert "¿Olvidó su contraseña?" in html and 'href="/cuenta/recuperar/"' in html
    assert _verificacion(app, usuario.id).anulado_en is not None

    # the right PIN no longer activates anything
    r = client.post(ruta, data={"pin": pin, "contrasena": NUEVA, "confirmacion": NUEVA})
    assert r.status_code in (400, 410)
    r = client.get(ruta)
    assert r.status_code == 410
    assert "Superó el número de intentos permitidos" in r.get_data(as_text=True)
    assert _usuario(app, usuario.id).activada_en is None


def test_pin_vencido_muestra_la_guia_del_manual(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    pagina = client.get(ruta).get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            update(Verificacion)
            .where(Verificacion.usuario_id == usuario.id)
            .values(expira_en=ahora() - timedelta(minutes=1))
        )
        db.session.commit()

    r = client.get(ruta)
    assert r.status_code == 410
    html = r.get_data(as_text=True)
    assert "Si el PIN no es utilizado dentro del tiempo establecido, el sistema no permitirá continuar" in html
    assert 'href="/cuenta/recuperar/"' in html

    r = client.post(ruta, data={"csrf_token": csrf_de(pagina), "pin": pin, "contrasena": NUEVA, "confirmacion": NUEVA})
    assert r.status_code == 410
    assert "El PIN de activación venció." in r.get_data(as_text=True)
    assert _usuario(app, usuario.id).activada_en is None


def test_pin_vencido_por_el_formulario_generico_tambien_da_la_guia(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, _ = _emitir_pin(app, smtp_sink, usuario)
    with app.app_context():
        db.session.execute(
            update(Verificacion)
            .where(Verificacion.usuario_id == usuario.id)
            .values(expira_en=ahora() - timedelta(hours=1))
        )
        db.session.commit()
    r = _enviar(
        client,
        "/cuenta/activar/",
        tipo_identificacion=str(usuario.tipo_identificacion_id),
        identificacion=usuario.numero_identificacion,
        pin=pin,
        contrasena=NUEVA,
        confirmacion=NUEVA,
    )
    assert r.status_code == 410
    assert "El PIN de activación venció." in r.get_data(as_text=True)


def test_pin_reemplazado_por_uno_nuevo_ya_no_sirve(app, client, smtp_sink):
    usuario = _pendiente(app)
    viejo, ruta_vieja = _emitir_pin(app, smtp_sink, usuario)
    nuevo, ruta_nueva = _emitir_pin(app, smtp_sink, usuario)
    r = client.get(ruta_vieja)
    assert r.status_code == 410
    assert "se generó uno nuevo" in r.get_data(as_text=True)
    assert _activar(client, ruta_nueva, nuevo).status_code == 200


def test_enlace_desconocido_es_404_en_espanol(client):
    r = client.get("/cuenta/activar/no-existe-este-enlace")
    assert r.status_code == 404
    assert "El enlace no es válido" in r.get_data(as_text=True)
    assert client.get("/cuenta/activar/" + "x" * 5000).status_code == 404


def test_contrasena_de_activacion_muestra_cada_regla_incumplida(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    casos = {
        "abc": [contrasenas.MSG_LONGITUD, contrasenas.MSG_NUMERO, contrasenas.MSG_ESPECIAL],
        "12345678#": [contrasenas.MSG_LETRAS],
        "abcdefgh#": [contrasenas.MSG_NUMERO],
        "abcdefgh1": [contrasenas.MSG_ESPECIAL],
    }
    for contrasena, esperados in casos.items():
        r = _activar(client, ruta, pin, contrasena)
        assert r.status_code == 400
        html = r.get_data(as_text=True)
        for mensaje in esperados:
            assert mensaje in html, (contrasena, mensaje)
        for mensaje in set(contrasenas.REGLAS) - set(esperados):
            # the rule list is always shown once; a rule not broken is not shown as an error
            assert html.count(mensaje) == 1, (contrasena, mensaje)
    r = _activar(client, ruta, pin, NUEVA, "Distinta#2026")
    assert r.status_code == 400
    assert contrasenas.MSG_CONFIRMACION in r.get_data(as_text=True)

    # a valid PIN with a bad password spends no attempt and keeps the account pending
    assert _verificacion(app, usuario.id).intentos == 0
    assert _usuario(app, usuario.id).activada_en is None
    assert _activar(client, ruta, pin).status_code == 200


def test_entradas_enormes_en_activacion_son_400(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    enorme = "9" * 20000
    r = _activar(client, ruta, enorme)
    assert r.status_code == 400
    r = _activar(client, ruta, pin, "Aa#1" * 5000)
    assert r.status_code == 400
    assert contrasenas.MSG_LARGA in r.get_data(as_text=True)
    r = _enviar(
        client,
        "/cuenta/activar/",
        tipo_identificacion="9" * 3000,
        identificacion=enorme,
        pin=pin,
        contrasena=NUEVA,
        confirmacion=NUEVA,
    )
    assert r.status_code == 400
    assert _verificacion(app, usuario.id).intentos == 0
    assert _usuario(app, usuario.id).activada_en is None


def test_activacion_sin_csrf_es_rechazada(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    r = client.post(ruta, data={"pin": pin, "contrasena": NUEVA, "confirmacion": NUEVA})
    assert r.status_code == 400
    assert _usuario(app, usuario.id).activada_en is None


def test_intentos_de_pin_limitados_por_ip(app, client, smtp_sink):
    usuario = _pendiente(app)
    pin, ruta = _emitir_pin(app, smtp_sink, usuario)
    anterior = app.config["LIMITE_PIN"]
    app.config["LIMITE_PIN"] = "3 per minute"
    try:
        pagina = client.get(ruta).get_data(as_text=True)
        datos = {"csrf_token": csrf_de(pagina), "pin": "x", "contrasena": "a", "confirmacion": "a"}
        codigos = [client.post(ruta, data=datos).status_code for _ in range(3)]
        assert 429 not in codigos
        r = client.post(ruta, data={**datos, "pin": pin, "contrasena": NUEVA, "confirmacion": NUEVA})
        assert r.status_code == 429
        assert "Demasiados intentos" in r.get_data(as_text=True)
        # the generic form shares the same budget
        assert client.post("/cuenta/activar/", data=datos).status_code == 429
    finally:
        app.config["LIMITE_PIN"] = anterior
    assert _usuario(app, usuario.id).activada_en is None
