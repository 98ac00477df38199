"""Services of activation with PIN and password recovery, without HTTP (real database, real SMTP sink)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models.correo import MensajeCorreo
from app.models.personas import Usuario
from app.models.verificacion import PROPOSITO_ACTIVACION, PROPOSITO_RECUPERACION, Verificacion
from app.services import outbox
from app.services.cuentas import activacion, contrasenas, recuperacion
from app.services.errores import ErroresValidacion
from app.services.reloj import ahora
from tests import factories
from tests.helpers import CONTRASENA, Buzon

NUEVA = "Servicio#2026k"
MAX = 5


def _ultimo_correo(app, smtp_sink, correo: str) -> str:
    previos = len(smtp_sink.para(correo))
    outbox.enviar_pendientes(app)
    return Buzon.texto(smtp_sink.esperar(correo, previos + 1)[-1])


def _pendiente_con_pin(app, smtp_sink) -> tuple[int, str, str]:
    """A pending account and its PIN and link token, as the mail delivers them: (id, pin, token)."""
    with app.app_context():
        usuario = factories.crear_usuario(activado=False)
        usuario_id, correo = usuario.id, usuario.email
        activacion.emitir_pin_activacion(db.session, usuario)
        db.session.commit()
    texto = _ultimo_correo(app, smtp_sink, correo)
    pin = re.search(r"PIN de activación: (\d{6})", texto).group(1)
    token = re.search(r"/cuenta/activar/(\S+)", texto).group(1)
    return usuario_id, pin, token


def _malo(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def test_emitir_pin_guarda_solo_el_hash_y_encola_el_correo(app, smtp_sink):
    usuario_id, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        verificacion = activacion.por_enlace(db.session, token)
        assert verificacion.usuario_id == usuario_id
        assert pin not in (verificacion.codigo_hash or "") and token not in verificacion.token_hash
        assert check_password_hash(verificacion.codigo_hash, pin)
        vigencia = verificacion.expira_en - verificacion.creado_en
        assert vigencia == timedelta(hours=app.config["PIN_VIGENCIA_HORAS"])


def test_activar_con_el_pin_correcto_activa_la_cuenta(app, smtp_sink):
    usuario_id, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        usuario = activacion.activar_con_enlace(db.session, token, pin, NUEVA, NUEVA, MAX)
        db.session.commit()
        usuario = db.session.get(Usuario, usuario_id)
        assert usuario.active and usuario.activada_en is not None
        assert check_password_hash(usuario.password, NUEVA)
        assert [r.name for r in usuario.roles] == ["Usuario"]
        assert activacion.por_enlace(db.session, token).usado_en is not None


def test_pin_incorrecto_cuenta_el_intento_y_dice_cuantos_quedan(app, smtp_sink):
    usuario_id, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        with pytest.raises(ErroresValidacion) as error:
            activacion.activar_con_enlace(db.session, token, _malo(pin), NUEVA, NUEVA, MAX)
        assert error.value.errores["pin"] == ["El PIN de activación no es correcto. Le quedan 4 intentos."]
        db.session.commit()
        assert activacion.por_enlace(db.session, token).intentos == 1
        assert db.session.get(Usuario, usuario_id).activada_en is None


def test_el_ultimo_intento_se_anuncia_en_singular_y_el_quinto_anula_el_pin(app, smtp_sink):
    _, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        mensajes = []
        for _ in range(MAX - 1):
            with pytest.raises(ErroresValidacion) as error:
                activacion.activar_con_enlace(db.session, token, _malo(pin), NUEVA, NUEVA, MAX)
            db.session.commit()
            mensajes.append(error.value.errores["pin"][0])
        assert mensajes[-1] == "El PIN de activación no es correcto. Le queda 1 intento."
        with pytest.raises(activacion.PinNoVigente) as anulado:
            activacion.activar_con_enlace(db.session, token, _malo(pin), NUEVA, NUEVA, MAX)
        db.session.commit()
        assert anulado.value.motivo == "agotado"
        assert "¿Olvidó su contraseña?" in anulado.value.mensaje
        with pytest.raises(activacion.PinNoVigente):
            activacion.activar_con_enlace(db.session, token, pin, NUEVA, NUEVA, MAX)


def test_pin_vencido_no_permite_continuar_con_la_activacion(app, smtp_sink):
    _, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        activacion.por_enlace(db.session, token).expira_en = ahora() - timedelta(seconds=1)
        db.session.commit()
        with pytest.raises(activacion.PinNoVigente) as error:
            activacion.activar_con_enlace(db.session, token, pin, NUEVA, NUEVA, MAX)
        assert error.value.motivo == "vencido"
        assert "el sistema no permitirá continuar con la activación" in error.value.mensaje
        assert activacion.por_enlace(db.session, token).intentos == 0


def test_contrasena_invalida_con_pin_correcto_no_gasta_intentos(app, smtp_sink):
    usuario_id, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        with pytest.raises(ErroresValidacion) as error:
            activacion.activar_con_enlace(db.session, token, pin, "corta", "otra", MAX)
        assert "pin" not in error.value.errores
        assert contrasenas.MSG_LONGITUD in error.value.errores["contrasena"]
        assert error.value.errores["confirmacion"] == [contrasenas.MSG_CONFIRMACION]
        db.session.commit()
        verificacion = activacion.por_enlace(db.session, token)
        assert verificacion.intentos == 0 and verificacion.usado_en is None
        assert db.session.get(Usuario, usuario_id).activada_en is None


def test_pin_incorrecto_y_contrasena_invalida_se_informan_juntos(app, smtp_sink):
    _, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        with pytest.raises(ErroresValidacion) as error:
            activacion.activar_con_enlace(db.session, token, _malo(pin), "abcdefgh", "abcdefgh", MAX)
        assert set(error.value.errores) == {"pin", "contrasena"}
        assert error.value.errores["contrasena"] == [contrasenas.MSG_NUMERO, contrasenas.MSG_ESPECIAL]


def test_activar_por_identificacion_y_cuenta_ya_activada(app, smtp_sink):
    usuario_id, pin, _ = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        usuario = db.session.get(Usuario, usuario_id)
        tipo, numero = usuario.tipo_identificacion_id, usuario.numero_identificacion
        activacion.activar_con_identificacion(db.session, tipo, f" {numero} ", pin, NUEVA, NUEVA, MAX)
        db.session.commit()
        with pytest.raises(activacion.PinNoVigente) as error:
            activacion.activar_con_identificacion(db.session, tipo, numero, pin, NUEVA, NUEVA, MAX)
        assert error.value.motivo == "activada"
        with pytest.raises(activacion.PinNoVigente) as desconocido:
            activacion.activar_con_identificacion(db.session, tipo, "123", pin, NUEVA, NUEVA, MAX)
        assert desconocido.value.motivo == "sin_pin"


def test_un_pin_nuevo_reemplaza_al_anterior(app, smtp_sink):
    usuario_id, pin_viejo, token_viejo = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        activacion.emitir_pin_activacion(db.session, db.session.get(Usuario, usuario_id))
        db.session.commit()
        with pytest.raises(activacion.PinNoVigente) as error:
            activacion.activar_con_enlace(db.session, token_viejo, pin_viejo, NUEVA, NUEVA, MAX)
        assert error.value.motivo == "reemplazado"
        vigentes = db.session.scalar(
            select(func.count())
            .select_from(Verificacion)
            .where(
                Verificacion.usuario_id == usuario_id,
                Verificacion.proposito == PROPOSITO_ACTIVACION,
                Verificacion.anulado_en.is_(None),
            )
        )
        assert vigentes == 1


# --- «¿Olvidó su contraseña?» -------------------------------------------------------------------


def _activo(app, **datos) -> tuple[int, int, str, str]:
    with app.app_context():
        u = factories.crear_usuario(**datos)
        return u.id, u.tipo_identificacion_id, u.numero_identificacion, u.email


def test_solicitar_para_cuenta_activa_encola_enlace_de_un_solo_uso(app, smtp_sink):
    usuario_id, tipo, numero, correo = _activo(app)
    with app.app_context():
        assert recuperacion.solicitar(db.session, tipo, numero, correo.upper()) == recuperacion.ENVIADO_ENLACE
        db.session.commit()
        verificacion = db.session.scalar(select(Verificacion).where(Verificacion.usuario_id == usuario_id))
        assert verificacion.proposito == PROPOSITO_RECUPERACION and verificacion.codigo_hash is None
        minutos = app.config["RECUPERACION_VIGENCIA_MINUTOS"]
        assert verificacion.expira_en - verificacion.creado_en == timedelta(minutes=minutos)
    texto = _ultimo_correo(app, smtp_sink, correo)
    assert "/cuenta/restablecer/" in texto and f"{minutos} minutos" in texto
    assert CONTRASENA not in texto


def test_solicitar_para_cuenta_pendiente_emite_un_nuevo_pin(app, smtp_sink):
    usuario_id, pin, token = _pendiente_con_pin(app, smtp_sink)
    with app.app_context():
        u = db.session.get(Usuario, usuario_id)
        resultado = recuperacion.solicitar(db.session, u.tipo_identificacion_id, u.numero_identificacion, u.email)
        db.session.commit()
        assert resultado == recuperacion.ENVIADO_PIN
        assert activacion.por_enlace(db.session, token).anulado_en is not None


def test_solicitar_con_datos_que_no_coinciden_no_encola_nada(app):
    _, tipo, numero, correo = _activo(app)
    with app.app_context():
        assert recuperacion.solicitar(db.session, tipo, numero, "otro@correo.test") == recuperacion.SIN_ENVIO
        assert recuperacion.solicitar(db.session, tipo, "1", correo) == recuperacion.SIN_ENVIO
        assert recuperacion.solicitar(db.session, None, numero, correo) == recuperacion.SIN_ENVIO
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(MensajeCorreo)) == 0
        assert db.session.scalar(select(func.count()).select_from(Verificacion)) == 0


def _enlace_recuperacion(app, smtp_sink, tipo, numero, correo) -> str:
    with app.app_context():
        recuperacion.solicitar(db.session, tipo, numero, correo)
        db.session.commit()
    return re.search(r"/cuenta/restablecer/(\S+)", _ultimo_correo(app, smtp_sink, correo)).group(1)


def test_restablecer_cambia_la_contrasena_desbloquea_y_usa_el_enlace(app, smtp_sink):
    usuario_id, tipo, numero, correo = _activo(app, bloqueada_hasta=ahora() + timedelta(minutes=10))
    token = _enlace_recuperacion(app, smtp_sink, tipo, numero, correo)
    with app.app_context():
        db.session.get(Usuario, usuario_id).fail_login_count = 3
        recuperacion.restablecer(db.session, recuperacion.por_enlace(db.session, token), NUEVA, NUEVA)
        db.session.commit()
        usuario = db.session.get(Usuario, usuario_id)
        assert check_password_hash(usuario.password, NUEVA)
        assert usuario.bloqueada_hasta is None and usuario.fail_login_count == 0
        with pytest.raises(recuperacion.EnlaceNoVigente) as error:
            recuperacion.restablecer(db.session, recuperacion.por_enlace(db.session, token), "Otra#2026k", "Otra#2026k")
        assert error.value.motivo == "usado"


def test_restablecer_rechaza_la_contrasena_actual(app, smtp_sink):
    _, tipo, numero, correo = _activo(app)
    token = _enlace_recuperacion(app, smtp_sink, tipo, numero, correo)
    with app.app_context():
        with pytest.raises(ErroresValidacion) as error:
            recuperacion.restablecer(db.session, recuperacion.por_enlace(db.session, token), CONTRASENA, CONTRASENA)
        assert error.value.errores["contrasena"] == [contrasenas.MSG_IGUAL_ACTUAL]
        assert recuperacion.por_enlace(db.session, token).usado_en is None


def test_enlace_de_recuperacion_vencido_o_reemplazado(app, smtp_sink):
    _, tipo, numero, correo = _activo(app)
    viejo = _enlace_recuperacion(app, smtp_sink, tipo, numero, correo)
    nuevo = _enlace_recuperacion(app, smtp_sink, tipo, numero, correo)
    with app.app_context():
        with pytest.raises(recuperacion.EnlaceNoVigente) as reemplazado:
            recuperacion.exigir_vigente(db.session, recuperacion.por_enlace(db.session, viejo))
        assert reemplazado.value.motivo == "reemplazado"
        recuperacion.por_enlace(db.session, nuevo).expira_en = ahora() - timedelta(seconds=1)
        db.session.commit()
        with pytest.raises(recuperacion.EnlaceNoVigente) as vencido:
            recuperacion.exigir_vigente(db.session, recuperacion.por_enlace(db.session, nuevo))
        assert vencido.value.motivo == "vencido"
        assert recuperacion.por_enlace(db.session, "desconocido") is None
