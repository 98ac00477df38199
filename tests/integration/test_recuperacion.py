"""«¿Olvidó su contraseña?» (manual 4.5, 4.7): recovery link, new activation PIN, reset, through HTTP."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

from sqlalchemy import select, update

from app.extensions import db
from app.models.correo import MensajeCorreo
from app.models.personas import Usuario
from app.models.verificacion import PROPOSITO_ACTIVACION, PROPOSITO_RECUPERACION, Verificacion
from app.services import outbox
from app.services.cuentas import activacion, captcha, contrasenas
from app.services.reloj import ahora
from tests import factories
from tests.helpers import CAPTCHA_PRUEBA, CONTRASENA, Buzon, csrf_de, iniciar_sesion, mensajes_de_correo

NUEVA = "Renovada#2026q"
RESPUESTA = "Si los datos coinciden con una cuenta registrada, enviamos un correo con las instrucciones"


def _solicitar(client, usuario=None, correo=None, captcha_texto=CAPTCHA_PRUEBA, **extra):
    pagina = client.get("/cuenta/recuperar/")
    datos = {
        "csrf_token": csrf_de(pagina.get_data(as_text=True)),
        "tipo_identificacion": str(usuario.tipo_identificacion_id) if usuario else extra.pop("tipo", ""),
        "identificacion": usuario.numero_identificacion if usuario else extra.pop("numero", ""),
        "correo": correo if correo is not None else usuario.email,
        "captcha": captcha_texto,
    }
    datos.update(extra)
    return client.post("/cuenta/recuperar/", data=datos)


def _correos(app, smtp_sink, correo, cantidad=1):
    outbox.enviar_pendientes(app)
    return smtp_sink.esperar(correo, cantidad)


def _enlace_de(mensaje) -> str:
    texto = Buzon.texto(mensaje)
    return urlparse(re.search(r"(http\S+/cuenta/restablecer/\S+)", texto).group(1)).path


def _restablecer(client, ruta, contrasena=NUEVA, confirmacion=None):
    pagina = client.get(ruta)
    return client.post(
        ruta,
        data={
            "csrf_token": csrf_de(pagina.get_data(as_text=True)),
            "contrasena": contrasena,
            "confirmacion": contrasena if confirmacion is None else confirmacion,
        },
    )


def _activo(app, **datos):
    with app.app_context():
        return factories.crear_usuario(**datos)


def _sin_nonce(respuesta) -> str:
    """The page without its script nonce, which is new on every response (Content-Security-Policy)."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', respuesta.get_data(as_text=True))


def _sin_correos_en_cola(app) -> bool:
    with app.app_context():
        return db.session.scalar(select(MensajeCorreo.id).limit(1)) is None


def test_formulario_de_recuperacion_muestra_lo_del_manual(client):
    r = client.get("/cuenta/recuperar/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for texto in (
        "Recuperación de contraseña",
        "Por favor ingrese los datos solicitados para poder recuperar la contraseña.",
        "Tipo de identificación",
        "Identificación",
        "Correo electrónico",
        "Caracteres de verificación",
        "/captcha/recuperacion.png",
        "Nuevo código",
        "Cancelar",
        "Recuperar",
    ):
        assert texto in html
    assert 'name="csrf_token"' in html
    # the login page links here
    assert 'href="/cuenta/recuperar/"' in client.get("/login/").get_data(as_text=True)


def test_recuperacion_de_cuenta_activa_envia_enlace_y_permite_nueva_contrasena(app, client, smtp_sink):
    usuario = _activo(app)
    r = _solicitar(client, usuario)
    assert r.status_code == 200
    assert RESPUESTA in r.get_data(as_text=True)
    assert "Spam" in r.get_data(as_text=True)

    mensaje = _correos(app, smtp_sink, usuario.email)[-1]
    html, texto = Buzon.html(mensaje), Buzon.texto(mensaje)
    assert "Recuperación de contraseña" in mensaje["asunto"]
    ruta = _enlace_de(mensaje)
    assert ruta.startswith("/cuenta/restablecer/")
    for parte in (html, texto):
        assert ruta in parte
        assert "60 minutos" in parte
        assert CONTRASENA not in parte

    pagina = client.get(ruta)
    assert pagina.status_code == 200
    contenido = pagina.get_data(as_text=True)
    for texto_pagina in ("Contraseña nueva", "Confirme contraseña", *contrasenas.REGLAS):
        assert texto_pagina in contenido

    r = _restablecer(client, ruta)
    assert r.status_code == 200
    assert "La contraseña se restableció correctamente." in r.get_data(as_text=True)
    assert 'href="/login/"' in r.get_data(as_text=True)

    assert iniciar_sesion(app.test_client(), usuario, CONTRASENA).status_code == 401
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_restablecer_la_contrasena_avisa_al_correo_de_la_cuenta_sin_contrasena_ni_enlace(app, client, smtp_sink):
    """QA: a reset through the recovery link sent no notice that the password changed; now exactly one."""
    usuario = _activo(app)
    _solicitar(client, usuario)
    ruta = _enlace_de(_correos(app, smtp_sink, usuario.email)[-1])
    assert _restablecer(client, ruta, NUEVA, "Otra#2026qq").status_code == 400
    assert _restablecer(client, ruta).status_code == 200
    avisos = [m for m in mensajes_de_correo(app) if m.plantilla == "contrasena_cambiada"]
    assert len(avisos) == 1
    aviso = avisos[0]
    assert aviso.destinatario == usuario.email
    assert aviso.asunto == "Se cambió la contraseña de su cuenta de InvimÁgil"
    token = ruta.rsplit("/", 1)[-1]
    for cuerpo in (aviso.cuerpo_texto, aviso.cuerpo_html):
        assert "(hora de Colombia) con un enlace de recuperación de contraseña" in cuerpo
        assert "Si no fue usted" in cuerpo and "/cuenta/recuperar/" in cuerpo and "/ayuda/" in cuerpo
        assert (
            NUEVA not in cuerpo and CONTRASENA not in cuerpo and token not in cuerpo and "/restablecer/" not in cuerpo
        )


def test_recuperacion_acepta_el_correo_sin_importar_mayusculas(app, client, smtp_sink):
    usuario = _activo(app, email="Laura.Rios@Correo.test")
    r = _solicitar(client, usuario, correo="  LAURA.RIOS@correo.TEST ")
    assert r.status_code == 200
    assert len(_correos(app, smtp_sink, "laura.rios@correo.test")) == 1


def test_recuperacion_de_cuenta_pendiente_envia_un_nuevo_pin_y_anula_el_anterior(app, client, smtp_sink):
    with app.app_context():
        usuario = factories.crear_usuario(activado=False)
    with app.app_context():
        activacion.emitir_pin_activacion(db.session, db.session.get(Usuario, usuario.id))
        db.session.commit()
    primero = _correos(app, smtp_sink, usuario.email)[-1]
    pin_viejo = re.search(r"PIN de activación: (\d{6})", Buzon.texto(primero)).group(1)
    ruta_vieja = urlparse(re.search(r"Enlace de activación: (\S+)", Buzon.texto(primero)).group(1)).path

    r = _solicitar(client, usuario)
    assert r.status_code == 200
    assert RESPUESTA in r.get_data(as_text=True)
    segundo = _correos(app, smtp_sink, usuario.email, 2)[-1]
    assert segundo["asunto"] == "Activación de su cuenta en InvimÁgil"
    assert "/cuenta/restablecer/" not in Buzon.texto(segundo)
    pin_nuevo = re.search(r"PIN de activación: (\d{6})", Buzon.texto(segundo)).group(1)
    ruta_nueva = urlparse(re.search(r"Enlace de activación: (\S+)", Buzon.texto(segundo)).group(1)).path

    # the old PIN no longer activates anything, even typed in the new link's form
    vieja = client.get(ruta_vieja)
    assert vieja.status_code == 410
    if pin_viejo != pin_nuevo:
        pagina = client.get(ruta_nueva).get_data(as_text=True)
        r = client.post(
            ruta_nueva,
            data={"csrf_token": csrf_de(pagina), "pin": pin_viejo, "contrasena": NUEVA, "confirmacion": NUEVA},
        )
        assert r.status_code == 400
        assert "El PIN de activación no es correcto." in r.get_data(as_text=True)

    pagina = client.get(ruta_nueva).get_data(as_text=True)
    r = client.post(
        ruta_nueva, data={"csrf_token": csrf_de(pagina), "pin": pin_nuevo, "contrasena": NUEVA, "confirmacion": NUEVA}
    )
    assert r.status_code == 200
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_recuperacion_con_datos_desconocidos_da_la_misma_respuesta_sin_correo(app, client, smtp_sink):
    usuario = _activo(app)
    conocido = _solicitar(app.test_client(), usuario)
    _correos(app, smtp_sink, usuario.email)
    smtp_sink.limpiar()
    with app.app_context():
        db.session.execute(db.text("TRUNCATE mensaje_correo"))
        db.session.commit()

    correo_ajeno = _solicitar(app.test_client(), usuario, correo="otra.persona@correo.test")
    numero_ajeno = _solicitar(
        app.test_client(), tipo=str(usuario.tipo_identificacion_id), numero="11111111", correo=usuario.email
    )
    assert conocido.status_code == correo_ajeno.status_code == numero_ajeno.status_code == 200
    assert _sin_nonce(conocido) == _sin_nonce(correo_ajeno) == _sin_nonce(numero_ajeno)
    outbox.enviar_pendientes(app)
    assert smtp_sink.mensajes == []
    assert _sin_correos_en_cola(app)


def test_captcha_incorrecto_no_envia_nada_y_muestra_un_nuevo_codigo(app, client, smtp_sink):
    usuario = _activo(app)
    r = _solicitar(client, usuario, captcha_texto="ZZZZZ")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert captcha.MSG_INCORRECTO in html
    assert "/captcha/recuperacion.png?v=" in html
    assert 'value="ZZZZZ"' not in html
    # the other data typed survive
    assert f'value="{usuario.numero_identificacion}"' in html
    outbox.enviar_pendientes(app)
    assert smtp_sink.mensajes == []
    assert _sin_correos_en_cola(app)


def test_captcha_resuelto_con_la_imagen_real_funciona(app, client, smtp_sink, monkeypatch):
    """Without the test code: the answer drawn in the image (kept server-side as an HMAC) is accepted once."""
    usuario = _activo(app)
    monkeypatch.setitem(app.config, "CAPTCHA_TEST_CODE", None)
    dibujados = []
    original = captcha.nuevo_reto

    def espiar(*args, **kwargs):
        dibujados.append(original(*args, **kwargs))
        return dibujados[-1]

    monkeypatch.setattr(captcha, "nuevo_reto", espiar)
    pagina = client.get("/cuenta/recuperar/").get_data(as_text=True)
    imagen = client.get("/captcha/recuperacion.png")
    assert imagen.status_code == 200 and imagen.mimetype == "image/png"
    assert dibujados[-1] not in client.get("/cuenta/recuperar/").get_data(as_text=True)
    datos = {
        "csrf_token": csrf_de(pagina),
        "tipo_identificacion": str(usuario.tipo_identificacion_id),
        "identificacion": usuario.numero_identificacion,
        "correo": usuario.email,
        "captcha": dibujados[-1].lower(),
    }
    assert client.post("/cuenta/recuperar/", data=datos).status_code == 200
    # the challenge was consumed: the same answer does not work twice
    assert client.post("/cuenta/recuperar/", data=datos).status_code == 400
    assert len(_correos(app, smtp_sink, usuario.email)) == 1


def test_formulario_de_recuperacion_incompleto_es_400(app, client):
    r = _solicitar(client, tipo="", numero="", correo="no-es-correo")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Seleccione el tipo de identificación." in html
    assert "Ingrese su número de identificación." in html
    assert "Ingrese un correo electrónico válido." in html


def test_entradas_enormes_en_recuperacion_son_400(app, client, smtp_sink):
    usuario = _activo(app)
    r = _solicitar(client, usuario, correo="a" * 5000 + "@correo.test")
    assert r.status_code == 400
    r = _solicitar(client, tipo=str(usuario.tipo_identificacion_id), numero="1" * 10000, correo=usuario.email)
    assert r.status_code == 400
    r = _solicitar(client, usuario, captcha_texto="P" * 10000)
    assert r.status_code == 400
    r = _solicitar(client, usuario, tipo_identificacion="9" * 4000)
    assert r.status_code == 400
    assert _sin_correos_en_cola(app)


def test_enlace_de_restablecimiento_es_de_un_solo_uso(app, client, smtp_sink):
    usuario = _activo(app)
    _solicitar(client, usuario)
    ruta = _enlace_de(_correos(app, smtp_sink, usuario.email)[-1])
    pagina = client.get(ruta).get_data(as_text=True)
    assert _restablecer(client, ruta).status_code == 200

    r = client.get(ruta)
    assert r.status_code == 410
    assert "Este enlace de recuperación ya fue utilizado." in r.get_data(as_text=True)
    r = client.post(
        ruta, data={"csrf_token": csrf_de(pagina), "contrasena": "Tercera#2026", "confirmacion": "Tercera#2026"}
    )
    assert r.status_code == 410
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_enlace_de_restablecimiento_vencido_pide_uno_nuevo(app, client, smtp_sink):
    usuario = _activo(app)
    _solicitar(client, usuario)
    ruta = _enlace_de(_correos(app, smtp_sink, usuario.email)[-1])
    with app.app_context():
        db.session.execute(
            update(Verificacion)
            .where(Verificacion.usuario_id == usuario.id, Verificacion.proposito == PROPOSITO_RECUPERACION)
            .values(expira_en=ahora() - timedelta(seconds=1))
        )
        db.session.commit()
    r = client.get(ruta)
    assert r.status_code == 410
    html = r.get_data(as_text=True)
    assert "El enlace de recuperación venció." in html
    assert "Solicitar un nuevo enlace" in html and 'href="/cuenta/recuperar/"' in html
    pagina = client.get("/cuenta/recuperar/").get_data(as_text=True)
    r = client.post(ruta, data={"csrf_token": csrf_de(pagina), "contrasena": NUEVA, "confirmacion": NUEVA})
    assert r.status_code == 410
    assert iniciar_sesion(app.test_client(), usuario, CONTRASENA).status_code == 302


def test_un_nuevo_enlace_anula_el_anterior(app, client, smtp_sink):
    usuario = _activo(app)
    _solicitar(client, usuario)
    viejo = _enlace_de(_correos(app, smtp_sink, usuario.email)[-1])
    _solicitar(client, usuario)
    nuevo = _enlace_de(_correos(app, smtp_sink, usuario.email, 2)[-1])
    assert viejo != nuevo
    r = client.get(viejo)
    assert r.status_code == 410
    assert "se solicitó uno más reciente" in r.get_data(as_text=True)
    assert _restablecer(client, nuevo).status_code == 200


def test_enlace_de_restablecimiento_desconocido_es_404(client):
    r = client.get("/cuenta/restablecer/no-existe")
    assert r.status_code == 404
    assert "El enlace no es válido" in r.get_data(as_text=True)
    assert client.post("/cuenta/restablecer/" + "y" * 3000, data={}).status_code in (400, 404)


def test_restablecer_aplica_cada_regla_de_la_politica(app, client, smtp_sink):
    usuario = _activo(app)
    _solicitar(client, usuario)
    ruta = _enlace_de(_correos(app, smtp_sink, usuario.email)[-1])
    casos = {
        "corta1#": [contrasenas.MSG_LONGITUD],
        "123456789#": [contrasenas.MSG_LETRAS],
        "sinnumero#": [contrasenas.MSG_NUMERO],
        "sinespecial1": [contrasenas.MSG_ESPECIAL],
        CONTRASENA: [contrasenas.MSG_IGUAL_ACTUAL],
    }
    for contrasena, esperados in casos.items():
        r = _restablecer(client, ruta, contrasena)
        assert r.status_code == 400, contrasena
        html = r.get_data(as_text=True)
        for mensaje in esperados:
            assert mensaje in html, (contrasena, mensaje)
    r = _restablecer(client, ruta, NUEVA, "Otra#2026qq")
    assert r.status_code == 400
    assert contrasenas.MSG_CONFIRMACION in r.get_data(as_text=True)
    r = _restablecer(client, ruta, "x" * 5000)
    assert r.status_code == 400
    assert contrasenas.MSG_LARGA in r.get_data(as_text=True)
    # none of the rejected attempts used the link or changed the password
    assert iniciar_sesion(app.test_client(), usuario, CONTRASENA).status_code == 302
    assert _restablecer(client, ruta).status_code == 200


def test_restablecer_desbloquea_la_cuenta(app, client, smtp_sink):
    usuario = _activo(app)
    for _ in range(app.config["LOGIN_MAX_INTENTOS"]):
        iniciar_sesion(app.test_client(), usuario, "Equivocada#1")
    assert iniciar_sesion(app.test_client(), usuario).status_code == 401  # locked: even the right password

    _solicitar(client, usuario)
    _restablecer(client, _enlace_de(_correos(app, smtp_sink, usuario.email)[-1]))
    with app.app_context():
        desbloqueado = db.session.get(Usuario, usuario.id)
        assert desbloqueado.bloqueada_hasta is None
        assert desbloqueado.fail_login_count == 0
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_cuenta_inactivada_por_el_administrador_no_recibe_enlace(app, client, smtp_sink):
    usuario = _activo(app)
    with app.app_context():
        db.session.get(Usuario, usuario.id).active = False
        db.session.commit()
    r = _solicitar(client, usuario)
    assert r.status_code == 200 and RESPUESTA in r.get_data(as_text=True)
    assert _sin_correos_en_cola(app)


def test_recuperacion_sin_csrf_es_rechazada(app, client):
    usuario = _activo(app)
    r = client.post(
        "/cuenta/recuperar/",
        data={
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "correo": usuario.email,
            "captcha": CAPTCHA_PRUEBA,
        },
    )
    assert r.status_code == 400
    assert _sin_correos_en_cola(app)


def test_recuperacion_limitada_por_ip(app, client):
    usuario = _activo(app)
    anterior = app.config["LIMITE_RECUPERACION"]
    app.config["LIMITE_RECUPERACION"] = "2 per minute"
    try:
        assert _solicitar(client, usuario).status_code == 200
        assert _solicitar(client, usuario).status_code == 200
        r = _solicitar(client, usuario)
        assert r.status_code == 429
        assert "Demasiados intentos" in r.get_data(as_text=True)
    finally:
        app.config["LIMITE_RECUPERACION"] = anterior
    with app.app_context():
        assert db.session.query(MensajeCorreo).count() == 2


def test_recuperacion_no_toca_el_pin_de_una_cuenta_activa(app, client, smtp_sink):
    usuario = _activo(app)
    _solicitar(client, usuario)
    with app.app_context():
        propositos = db.session.scalars(
            select(Verificacion.proposito).where(Verificacion.usuario_id == usuario.id)
        ).all()
    assert propositos == [PROPOSITO_RECUPERACION]
    assert PROPOSITO_ACTIVACION not in propositos
