"""Mesa de ayuda through HTTP: who may use it, what the agent sees, audit, PIN resend."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.models.auditoria import Auditoria
from app.models.verificacion import Verificacion
from app.services.reloj import ahora
from tests import factories
from tests.helpers import csrf_de


def test_un_usuario_comun_no_puede_usar_la_mesa_de_ayuda(app, cliente_usuario):
    with app.app_context():
        factories.crear_usuario(numero="123123123")
    r = cliente_usuario.get("/mesa-ayuda/?q=123123123")
    assert r.status_code in (302, 403)
    assert "123123123" not in r.get_data(as_text=True)
    assert cliente_usuario.get("/mesa-ayuda/cuenta/1").status_code in (302, 403)


def test_sin_sesion_la_mesa_de_ayuda_pide_ingresar(client):
    r = client.get("/mesa-ayuda/")
    assert r.status_code == 302 and "/login/" in r.headers["Location"]


def test_el_agente_encuentra_una_cuenta_por_identificacion_y_ve_su_estado(app, cliente_mesa_ayuda):
    with app.app_context():
        factories.crear_usuario(numero="1032456789", nombres="Ana María", apellidos="Ríos Peña", activado=False)
    html = cliente_mesa_ayuda.get("/mesa-ayuda/?q=1032456789&criterio=auto").get_data(as_text=True)
    for texto in ("Cédula de ciudadanía 1032456789", "Ana María", "Ríos Peña", "Pendiente de activación", "Nunca"):
        assert texto in html


def test_el_agente_busca_por_correo_y_por_nombre(app, cliente_mesa_ayuda):
    with app.app_context():
        factories.crear_usuario(email="luz.parra@correo.test", nombres="Luz Ángela", apellidos="Parra Niño")
    assert "Parra Niño" in cliente_mesa_ayuda.get("/mesa-ayuda/?q=LUZ.PARRA@correo.test").get_data(as_text=True)
    assert "luz.parra@correo.test" in cliente_mesa_ayuda.get("/mesa-ayuda/?q=parra+ni").get_data(as_text=True)
    assert "luz.parra@correo.test" in cliente_mesa_ayuda.get("/mesa-ayuda/?q=luz+ange").get_data(as_text=True)


def test_busqueda_invalida_responde_400_con_mensaje(cliente_mesa_ayuda):
    r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=a")
    assert r.status_code == 400
    assert "Escriba al menos 2 letras" in r.get_data(as_text=True)
    r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=" + "x" * 500)
    assert r.status_code == 400 and "Máximo 120 caracteres" in r.get_data(as_text=True)
    assert cliente_mesa_ayuda.get("/mesa-ayuda/?q=1&criterio=otro").status_code == 400


def test_sin_resultados_lo_dice(cliente_mesa_ayuda):
    html = cliente_mesa_ayuda.get("/mesa-ayuda/?q=999999999").get_data(as_text=True)
    assert "No se encontraron cuentas" in html


def test_el_detalle_no_muestra_secretos_y_queda_auditado(app, cliente_mesa_ayuda):
    with app.app_context():
        from app.extensions import db
        from app.services.cuentas.activacion import emitir_pin_activacion

        cuenta = factories.crear_usuario(numero="44556677", activado=False)
        emitir_pin_activacion(db.session, cuenta)
        db.session.commit()
        cuenta_id = cuenta.id
        hash_clave = factories.crear_usuario(numero="44556679").password
    r = cliente_mesa_ayuda.get(f"/mesa-ayuda/cuenta/{cuenta_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "44556677" in html and "Reenviar PIN de activación" in html
    assert "scrypt" not in html and hash_clave not in html and "PIN de activación:" not in html
    with app.app_context():
        from app.extensions import db

        filas = db.session.scalars(select(Auditoria).where(Auditoria.accion == "consulta_cuenta")).all()
        assert [(f.objeto_id, f.usuario_id) for f in filas] == [(str(cuenta_id), cliente_mesa_ayuda.usuario.id)]
        assert filas[0].ip


def test_cuenta_inexistente_da_404(cliente_mesa_ayuda):
    assert cliente_mesa_ayuda.get("/mesa-ayuda/cuenta/987654").status_code == 404


def test_reenviar_pin_a_cuenta_pendiente_envia_correo_y_anula_el_anterior(app, cliente_mesa_ayuda, smtp_sink):
    from app.services.outbox import enviar_pendientes

    with app.app_context():
        cuenta = factories.crear_usuario(numero="66554433", activado=False, email="pendiente@correo.test")
    detalle = cliente_mesa_ayuda.get(f"/mesa-ayuda/cuenta/{cuenta.id}").get_data(as_text=True)
    r = cliente_mesa_ayuda.post(
        f"/mesa-ayuda/cuenta/{cuenta.id}/reenviar-pin", data={"csrf_token": csrf_de(detalle)}, follow_redirects=True
    )
    assert "Se envió un nuevo PIN de activación al correo pendiente@correo.test" in r.get_data(as_text=True)
    # A second click right away would void the PIN on its way (QA: three clicks, three mails): refused, said why.
    r = cliente_mesa_ayuda.post(
        f"/mesa-ayuda/cuenta/{cuenta.id}/reenviar-pin", data={"csrf_token": csrf_de(detalle)}, follow_redirects=True
    )
    assert "hace menos de dos minutos: espere a que llegue" in r.get_data(as_text=True)
    with app.app_context():
        from app.extensions import db

        hace_rato = ahora() - timedelta(minutes=3)
        db.session.execute(update(Verificacion).where(Verificacion.usuario_id == cuenta.id).values(creado_en=hace_rato))
        db.session.commit()
    cliente_mesa_ayuda.post(f"/mesa-ayuda/cuenta/{cuenta.id}/reenviar-pin", data={"csrf_token": csrf_de(detalle)})
    enviar_pendientes(app)
    assert len(smtp_sink.esperar("pendiente@correo.test", 2)) == 2
    with app.app_context():
        from app.extensions import db

        pines = db.session.scalars(select(Verificacion).where(Verificacion.usuario_id == cuenta.id)).all()
        assert len(pines) == 2 and sum(1 for p in pines if p.anulado_en is None) == 1


def test_reenviar_pin_exige_csrf_y_cuenta_pendiente(app, cliente_mesa_ayuda):
    with app.app_context():
        activa = factories.crear_usuario(numero="11223344")
    assert cliente_mesa_ayuda.post(f"/mesa-ayuda/cuenta/{activa.id}/reenviar-pin").status_code == 400
    detalle = cliente_mesa_ayuda.get(f"/mesa-ayuda/cuenta/{activa.id}").get_data(as_text=True)
    assert "Reenviar PIN de activación" not in detalle
    r = cliente_mesa_ayuda.post(
        f"/mesa-ayuda/cuenta/{activa.id}/reenviar-pin",
        data={"csrf_token": csrf_de(detalle)},
        follow_redirects=True,
    )
    assert "solo se reenvía el PIN a cuentas pendientes de activación" in r.get_data(as_text=True)


def test_el_admin_tambien_usa_la_mesa_de_ayuda(app, cliente_admin):
    with app.app_context():
        factories.crear_usuario(numero="31313131")
    assert "31313131" in cliente_admin.get("/mesa-ayuda/?q=31313131").get_data(as_text=True)
