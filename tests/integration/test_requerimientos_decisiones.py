"""Requerimientos, decisions and notification (issue 13 §3–§5) through HTTP on the real database: the clock suspended
and resumed with the right due date, what the answer changed, approval with its VoBos and the registro it grants,
desistimiento only after the term, and a notification surtida at the first access — not at the sending."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update

from app.extensions import db
from app.models.actos import ActoAdministrativo, Notificacion
from app.models.correo import MensajeCorreo
from app.models.expedientes import Expediente
from app.models.registros import RegistroSanitario
from app.models.requerimientos import Requerimiento
from app.models.revision import VerificacionRequisito, Vobo
from app.security.tenancy import todas_las_empresas
from app.services import registros
from app.services.calendario import sumar_dias_habiles
from app.services.expedientes import borradores
from app.services.fechas import BOGOTA, en_bogota
from app.services.reloj import ahora
from app.services.revision import notificaciones, requerimientos
from tests.helpers import pdf, texto
from tests.helpers_revision import COSMETICOS, PLAGUICIDAS, funcionario, radicado, texto_del_acto
from tests.helpers_revision import verificar_todo as _verificar

MOTIVACION = "Revisada la documentación, el producto cumple los requisitos de la guía de trámites."


def _hoy() -> date:
    return en_bogota(ahora()).date()


def _radicado(app, cliente, autoriza="si") -> int:
    return radicado(app, cliente, autoriza_notificacion=autoriza == "si")


@pytest.fixture
def coordinador(app):
    return funcionario(app, "Coordinador", (PLAGUICIDAS,))


@pytest.fixture
def revisor(app):
    return funcionario(app, "Revisor legal", (PLAGUICIDAS,))


def _post(cliente, ruta: str, **datos):
    return cliente.post(ruta, data={"csrf_token": cliente.csrf, **datos})


def _documento_pedido(app, expediente_id: int) -> str:
    with app.app_context(), todas_las_empresas():
        expediente = borradores.obtener(db.session, expediente_id)
        return next(a.clave for a in expediente.anexos if a.sha256 and a.requisito is not None)


def test_requerimiento_suspende_el_termino_y_la_respuesta_lo_reanuda(app, cliente_empresa_a, revisor, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    clave = _documento_pedido(app, expediente_id)
    _verificar(app, expediente_id, no_cumple=clave)
    base = f"/revision/expedientes/{expediente_id}"

    r = _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:")
    assert r.status_code == 302, texto(r)[:2000]
    assert "requerimiento" not in texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/")).lower()
    assert _post(revisor, f"{base}/requerimiento/enviar").status_code == 403  # only a coordinator sends

    r = _post(coordinador, f"{base}/requerimiento/enviar")
    assert r.status_code == 302, texto(r)[:2000]
    hoy = _hoy()
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        requerimiento = db.session.scalar(select(Requerimiento).where(Requerimiento.expediente_id == expediente_id))
        acto = db.session.get(ActoAdministrativo, requerimiento.acto_id)
        assert (expediente.estado, expediente.vence_en, expediente.reloj_desde) == ("Requerimiento enviado", None, None)
        assert requerimiento.plazo_hasta is None  # the month to answer runs from the notification, still pending
        assert acto.tipo == "Auto" and re.fullmatch(rf"Auto {hoy.year}-\d{{6}}", acto.numero_texto)
        usados = expediente.dias_usados
        termino = expediente.termino_dias
        correo = db.session.scalar(select(MensajeCorreo).where(MensajeCorreo.plantilla == "notificacion"))
        assert (
            correo.destinatario == "notificaciones@empresa-a.test"
            and "/expedientes/notificaciones/" in correo.cuerpo_texto
        )

    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/requerimiento"))
    assert "Falta la firma del representante legal." in pagina
    assert "empieza a correr el día siguiente a la notificación del auto" in pagina
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/requerimiento/{clave}",
        data={
            "csrf_token": cliente_empresa_a.csrf,
            "respuesta": "Adjunto el documento firmado.",
            "archivo": (io.BytesIO(pdf("firmado", paginas=2)), "firmado.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, texto(r)[:2000]
    r = _post(cliente_empresa_a, f"/expedientes/{expediente_id}/requerimiento/responder")
    assert r.status_code == 302, texto(r)[:2000]

    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.estado == "Requerimiento respondido"
        assert expediente.vence_en == sumar_dias_habiles(hoy, termino - usados)
        assert (
            db.session.scalar(
                select(VerificacionRequisito).where(
                    VerificacionRequisito.expediente_id == expediente_id, VerificacionRequisito.clave == clave
                )
            )
            is None
        )  # verified again
        retirado = db.session.scalar(select(Vobo).where(Vobo.expediente_id == expediente_id, Vobo.parte == "legal"))
        assert retirado.retirado_en is not None and retirado.retirado_por_id is None
        assert retirado.motivo_retiro.startswith(
            "Retirado automáticamente al responder el titular el requerimiento n.º 1"
        )
    verificacion = texto(coordinador.get(f"{base}/"))
    assert "Retirado automáticamente al responder el titular el requerimiento n.º 1" in verificacion
    assert "Retirado por un usuario retirado" not in verificacion  # the system withdrew it, not a person
    actuaciones = texto(coordinador.get(f"{base}/actuaciones"))
    assert "Nuevo:" in actuaciones and "firmado.pdf" in actuaciones


def test_aprobar_pide_los_vobo_y_otorga_el_registro_con_su_vigencia(app, cliente_empresa_a, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    _verificar(app, expediente_id, vobos=("legal",))
    base = f"/revision/expedientes/{expediente_id}"
    r = _post(coordinador, f"{base}/aprobar", motivacion=MOTIVACION)
    assert r.status_code == 400 and "Para aprobar falta el VoBo Técnico." in texto(r)
    _verificar(app, expediente_id, vobos=("tecnico",))
    assert _post(coordinador, f"{base}/aprobar", motivacion="corta").status_code == 400
    r = _post(coordinador, f"{base}/aprobar", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    hoy = _hoy()
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        registro = db.session.get(RegistroSanitario, expediente.registro_id)
        assert expediente.estado == "Aprobado" and expediente.vence_en is None and expediente.decidido_en
        assert re.fullmatch(rf"PUD{hoy.year}-\d{{6}}", registro.numero)
        # Granted, but without effect until the resolución is notified (Ley 1437, art. 72).
        assert registro.vence_en == hoy + relativedelta(years=10) and registro.estado == "Pendiente de notificación"
        acto = db.session.get(ActoAdministrativo, registro.acto_id)
        assert acto.tipo == "Resolución" and acto.clase == "aprobacion"
        numero = registro.numero
    assert _post(coordinador, f"{base}/negar", motivacion=MOTIVACION).status_code == 400  # already decided
    publica = texto(cliente_empresa_a.get(f"/consulta/registro?numero={numero}"))
    assert "Pendiente de notificación" in publica and "produce efectos cuando se notifique" in publica
    assert "Vigente hasta" not in publica


def test_no_se_aprueba_con_un_requisito_que_no_cumple_aunque_tenga_los_vobo(app, cliente_empresa_a, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    clave = _documento_pedido(app, expediente_id)
    _verificar(app, expediente_id, no_cumple=clave)  # both VoBos given, one requisito «No cumple»
    base = f"/revision/expedientes/{expediente_id}"
    assert "ningún requisito puede estar verificado como «No cumple» (hay 1)" in texto(
        coordinador.get(f"{base}/actuaciones")
    )
    r = _post(coordinador, f"{base}/aprobar", motivacion=MOTIVACION)
    assert r.status_code == 400 and "No se puede aprobar: 1 requisito(s) están verificados como «No cumple»" in texto(r)
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.estado != "Aprobado" and expediente.registro_id is None
        assert (
            db.session.scalar(select(ActoAdministrativo.id).where(ActoAdministrativo.expediente_id == expediente_id))
            is None
        )
    assert _post(coordinador, f"{base}/negar", motivacion=MOTIVACION).status_code == 302  # denying is still possible


def test_la_notificacion_se_surte_en_el_primer_acceso_no_al_enviarla(
    app, cliente_empresa_a, cliente_empresa_b, coordinador
):
    expediente_id = _radicado(app, cliente_empresa_a)
    _verificar(app, expediente_id)
    assert (
        _post(coordinador, f"/revision/expedientes/{expediente_id}/aprobar", motivacion=MOTIVACION).status_code == 302
    )
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.expediente_id == expediente_id))
        acto_id = notificacion.acto_id
        # Sent an hour ago: the notification is surtida when accessed, not when sent.
        db.session.execute(
            update(Notificacion)
            .where(Notificacion.id == notificacion.id)
            .values(enviada_en=ahora() - timedelta(hours=1))
        )
        db.session.commit()
        correo = db.session.scalar(select(MensajeCorreo).where(MensajeCorreo.plantilla == "notificacion"))
        enlace = re.search(r"/expedientes/notificaciones/[\w-]+", correo.cuerpo_texto).group(0)
    # Someone else with the link: told how to enter, nothing recorded.
    otro = cliente_empresa_b.get(enlace)
    assert otro.status_code == 403 and "ingrese como el titular" in texto(otro)
    acto_ajeno = f"/expedientes/{expediente_id}/actos/{acto_id}"
    assert cliente_empresa_b.get(acto_ajeno).status_code == 404
    assert cliente_empresa_b.get(f"{acto_ajeno}/pdf").status_code == 404
    antes = ahora()
    r = cliente_empresa_a.get(enlace, follow_redirects=True)
    assert r.status_code == 200 and "Quedó notificado" in texto(r)
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.expediente_id == expediente_id))
        assert notificacion.surtida_en >= antes > notificacion.enviada_en
        registro = db.session.scalar(select(RegistroSanitario).where(RegistroSanitario.acto_id == acto_id))
        assert registro.estado == "Vigente"  # the registro takes effect with the notification
        assert notificacion.usuario_id == cliente_empresa_a.usuario.id and notificacion.ip == "127.0.0.1"
        assert notificacion.acto_sha256 == notificacion.acto.sha256 and notificacion.constancia_sha256
        primera = notificacion.surtida_en
    cliente_empresa_a.get(enlace, follow_redirects=True)
    with app.app_context(), todas_las_empresas():
        assert (
            db.session.scalar(select(Notificacion.surtida_en).where(Notificacion.expediente_id == expediente_id))
            == primera
        )
    constancia = cliente_empresa_a.get(
        f"/expedientes/{expediente_id}/actos/{notificacion.acto_id}/constancia-notificacion"
    )
    assert constancia.status_code == 200 and constancia.data.startswith(b"%PDF")
    assert "Notificado el" in texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))


def test_desistimiento_solo_vencido_el_plazo(app, cliente_empresa_a, revisor, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    clave = _documento_pedido(app, expediente_id)
    _verificar(app, expediente_id, no_cumple=clave)
    base = f"/revision/expedientes/{expediente_id}"
    _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:")
    assert _post(coordinador, f"{base}/requerimiento/enviar").status_code == 302
    r = _post(coordinador, f"{base}/desistir", motivacion=MOTIVACION)
    assert r.status_code == 400 and "vencido el plazo" in texto(r)
    with app.app_context(), todas_las_empresas():
        db.session.execute(
            update(Requerimiento)
            .where(Requerimiento.expediente_id == expediente_id)
            .values(plazo_hasta=_hoy() - timedelta(days=1))
        )
        db.session.commit()
    r = _post(cliente_empresa_a, f"/expedientes/{expediente_id}/requerimiento/responder")
    assert r.status_code == 400  # the applicant can no longer answer
    r = _post(coordinador, f"{base}/desistir", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    with app.app_context(), todas_las_empresas():
        assert db.session.get(Expediente, expediente_id).estado == "Desistido"


def _enlace_de_notificacion(app) -> str:
    with app.app_context(), todas_las_empresas():
        correo = db.session.scalar(select(MensajeCorreo).where(MensajeCorreo.plantilla == "notificacion"))
        return re.search(r"/expedientes/notificaciones/[\w-]+", correo.cuerpo_texto).group(0)


def _plazo(app, expediente_id: int) -> date | None:
    with app.app_context(), todas_las_empresas():
        return db.session.scalar(select(Requerimiento.plazo_hasta).where(Requerimiento.expediente_id == expediente_id))


def test_prorroga_una_sola_vez(app, cliente_empresa_a, revisor, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    _verificar(app, expediente_id, no_cumple=_documento_pedido(app, expediente_id))
    base = f"/revision/expedientes/{expediente_id}"
    prorroga = f"/expedientes/{expediente_id}/requerimiento/prorroga"
    _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:")
    _post(coordinador, f"{base}/requerimiento/enviar")
    r = _post(cliente_empresa_a, prorroga)
    assert r.status_code == 400 and "aún no corre" in texto(r)  # before the notification there is no term to extend
    assert _plazo(app, expediente_id) is None
    # The titular opens the notification link: notified today, the month runs from tomorrow.
    assert "Quedó notificado" in texto(cliente_empresa_a.get(_enlace_de_notificacion(app), follow_redirects=True))
    plazo = requerimientos.plazo_para_responder(_hoy())
    assert _plazo(app, expediente_id) == plazo
    assert _post(cliente_empresa_a, prorroga).status_code == 302
    r = _post(cliente_empresa_a, prorroga)
    assert r.status_code == 400 and "una sola prórroga" in texto(r)
    assert _plazo(app, expediente_id) == requerimientos.plazo_prorrogado(plazo)


def test_el_plazo_del_requerimiento_corre_desde_la_notificacion_y_pasa_al_dia_habil_siguiente(
    app, cliente_empresa_a, revisor, coordinador
):
    expediente_id, _clave = _en_borrador(app, cliente_empresa_a)
    base = f"/revision/expedientes/{expediente_id}"
    _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:")
    assert _post(coordinador, f"{base}/requerimiento/enviar").status_code == 302
    assert "aún pendiente" in texto(coordinador.get(f"{base}/actuaciones"))
    assert "desde el día siguiente a la notificación" in texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    r = _post(coordinador, f"{base}/desistir", motivacion=MOTIVACION)
    assert r.status_code == 400 and "aún no corre" in texto(r)
    # Sent on 2026-10-01 and not opened: notified por aviso, delivered on Wednesday 2026-10-14, so surtida at the end
    # of the 15th; the month runs from Friday the 16th to Monday 2026-11-16, a holiday: due Tuesday the 17th.
    with app.app_context(), todas_las_empresas():
        notificacion_id = db.session.scalar(select(Notificacion.id).where(Notificacion.expediente_id == expediente_id))
        db.session.execute(
            update(Notificacion)
            .where(Notificacion.id == notificacion_id)
            .values(
                enviada_en=datetime(2026, 10, 1, 9, tzinfo=BOGOTA), aviso_desde=sumar_dias_habiles(date(2026, 10, 1), 5)
            )
        )
        db.session.commit()
    aviso = {"via": "direccion", "fecha": "2026-10-14", "destino": "Calle 10 # 5-20, Barranquilla"}
    r = _post(coordinador, f"{base}/notificaciones/{notificacion_id}/aviso", **aviso)
    assert r.status_code == 302, texto(r)[:2000]
    assert _plazo(app, expediente_id) == date(2026, 11, 17)
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        assert (expediente.vence_en, expediente.reloj_desde) == (None, None)  # the decision clock stays suspended
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/requerimiento"))
    assert "venció el <strong>2026-11-17</strong>" in pagina
    assert _post(coordinador, f"{base}/desistir", motivacion=MOTIVACION).status_code == 302


def test_el_registro_rige_desde_la_notificacion_personal_de_la_aprobacion(app, cliente_empresa_a, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a, autoriza="no")
    _verificar(app, expediente_id)
    assert (
        _post(coordinador, f"/revision/expedientes/{expediente_id}/aprobar", motivacion=MOTIVACION).status_code == 302
    )
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.expediente_id == expediente_id))
        registro_id = db.session.get(Expediente, expediente_id).registro_id
    lista = texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Pendiente de notificación"))
    assert "Pendiente de notificación" in lista and "PUD" in lista
    assert "PUD" not in texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Vigente"))
    ruta = f"/revision/expedientes/{expediente_id}/notificaciones/{notificacion.id}/personal"
    assert _post(coordinador, ruta, notificado="Ana Gómez, CC 52000123").status_code == 302
    with app.app_context(), todas_las_empresas():
        assert db.session.get(RegistroSanitario, registro_id).estado == "Vigente"
    assert "PUD" in texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Vigente"))


def test_el_registro_notificado_por_aviso_rige_desde_el_dia_siguiente_al_que_se_surte(
    app, cliente_empresa_a, coordinador
):
    expediente_id = _radicado(app, cliente_empresa_a)
    _verificar(app, expediente_id)
    base = f"/revision/expedientes/{expediente_id}"
    assert _post(coordinador, f"{base}/aprobar", motivacion=MOTIVACION).status_code == 302
    hoy = _hoy()
    with app.app_context(), todas_las_empresas():  # sent three weeks ago and not opened: the aviso proceeds
        notificacion_id = db.session.scalar(select(Notificacion.id).where(Notificacion.expediente_id == expediente_id))
        enviada = datetime.combine(hoy - timedelta(days=21), datetime.min.time(), tzinfo=BOGOTA)
        db.session.execute(
            update(Notificacion)
            .where(Notificacion.id == notificacion_id)
            .values(enviada_en=enviada, aviso_desde=hoy - timedelta(days=1))
        )
        db.session.commit()
    aviso = {"via": "direccion", "fecha": hoy.isoformat(), "destino": "Calle 10 # 5-20, Barranquilla"}
    r = _post(coordinador, f"{base}/notificaciones/{notificacion_id}/aviso", **aviso)
    assert r.status_code == 302, texto(r)[:2000]
    # Delivered today: surtida at the end of tomorrow, so the registro has effect from the day after.
    manana, pasado = hoy + timedelta(days=1), hoy + timedelta(days=2)
    with app.app_context(), todas_las_empresas():
        registro = db.session.get(RegistroSanitario, db.session.get(Expediente, expediente_id).registro_id)
        assert (registro.estado, registro.efectos_desde) == ("Vigente", pasado)
        assert [registros.estado_en(registro, dia) for dia in (hoy, manana, pasado)] == [
            "Pendiente de notificación",
            "Pendiente de notificación",
            "Vigente",
        ]
        numero = registro.numero
    assert numero in texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Pendiente de notificación"))
    assert numero not in texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Vigente"))
    publica = texto(cliente_empresa_a.get(f"/consulta/registro?numero={numero}"))
    assert f"la notificación por aviso se surte al finalizar el {manana.isoformat()}" in publica
    assert "Vigente hasta" not in publica


def test_sin_autorizacion_la_notificacion_es_personal(app, cliente_empresa_a, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a, autoriza="no")
    _verificar(app, expediente_id)
    _post(coordinador, f"/revision/expedientes/{expediente_id}/negar", motivacion=MOTIVACION)
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.expediente_id == expediente_id))
        assert notificacion.medio == "personal" and notificacion.token_hash is None
        assert notificaciones.estado(notificacion, _hoy()) == notificaciones.PENDIENTE_PERSONAL
    cliente_empresa_a.get(f"/expedientes/{expediente_id}/actos/{notificacion.acto_id}")  # reading is not notifying
    ruta = f"/revision/expedientes/{expediente_id}/notificaciones/{notificacion.id}/personal"
    for malo in ("x", "<b>x</b>", "Ana Gómez", "52000123"):  # a name and an identification number, both
        r = _post(coordinador, ruta, notificado=malo)
        assert r.status_code == 400 and "el número de identificación de quien se notifica" in texto(r), malo
    assert _post(coordinador, ruta, notificado="Ana Gómez, CC 52000123").status_code == 302
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.get(Notificacion, notificacion.id)
        assert notificacion.surtida_en and notificacion.notificado_nombre == "Ana Gómez, CC 52000123"


def test_otro_grupo_no_ve_las_actuaciones(app, cliente_empresa_a):
    expediente_id = _radicado(app, cliente_empresa_a)
    ajeno = funcionario(app, "Coordinador", (COSMETICOS,))
    assert ajeno.get(f"/revision/expedientes/{expediente_id}/actuaciones").status_code == 404
    assert _post(ajeno, f"/revision/expedientes/{expediente_id}/aprobar", motivacion=MOTIVACION).status_code == 404


def test_sin_acceso_en_cinco_dias_habiles_se_notifica_por_aviso(app, cliente_empresa_a, revisor, coordinador):
    expediente_id = _radicado(app, cliente_empresa_a)
    _verificar(app, expediente_id)
    assert _post(coordinador, f"/revision/expedientes/{expediente_id}/negar", motivacion=MOTIVACION).status_code == 302
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.expediente_id == expediente_id))
    ruta = f"/revision/expedientes/{expediente_id}/notificaciones/{notificacion.id}/aviso"
    hoy = _hoy()
    valido = {"via": "direccion", "fecha": hoy.isoformat(), "destino": "Calle 10 # 5-20, Barranquilla"}
    r = _post(coordinador, ruta, **valido)
    assert r.status_code == 400 and f"pasados cinco días hábiles (el {notificacion.aviso_desde.isoformat()})" in texto(
        r
    )
    assert "Registrar notificación por aviso" not in texto(
        coordinador.get(f"/revision/expedientes/{expediente_id}/actuaciones")
    )

    hace_ocho = hoy - timedelta(days=8)
    with app.app_context(), todas_las_empresas():
        enviada = datetime.combine(hace_ocho, datetime.min.time(), tzinfo=BOGOTA)
        aviso_desde = sumar_dias_habiles(hace_ocho, 5)
        db.session.execute(
            update(Notificacion)
            .where(Notificacion.id == notificacion.id)
            .values(enviada_en=enviada, aviso_desde=aviso_desde)
        )
        db.session.commit()
    if hoy <= aviso_desde:  # eight calendar days hold five días hábiles except around long holidays
        pytest.skip("la semana de la prueba tiene demasiados festivos")
    pagina = texto(coordinador.get(f"/revision/expedientes/{expediente_id}/actuaciones"))
    assert notificaciones.PENDIENTE_AVISO in pagina and "Registrar notificación por aviso" in pagina
    assert _post(revisor, ruta, **valido).status_code == 403  # the coordinator's
    ajeno = funcionario(app, "Coordinador", (COSMETICOS,))
    assert _post(ajeno, ruta, **valido).status_code == 404  # another grupo's expediente
    otro_id = _radicado(app, cliente_empresa_a)
    base = f"/revision/expedientes/{otro_id}/notificaciones"
    assert _post(coordinador, f"{base}/{notificacion.id}/aviso", **valido).status_code == 404  # not its notification
    assert _post(coordinador, f"{base}/{10**20}/aviso", **valido).status_code == 404
    assert _post(coordinador, f"/revision/expedientes/{10**20}/notificaciones/1/aviso", **valido).status_code == 404
    malos = (
        ({**valido, "via": "paloma"}, "Elija cómo se entregó el aviso."),
        ({**valido, "fecha": (hoy + timedelta(days=1)).isoformat()}, f"va del {hace_ocho.isoformat()} a hoy"),
        ({**valido, "fecha": "31/02/2026"}, "Escriba la fecha de entrega del aviso"),
        ({**valido, "destino": "x"}, "Escriba la dirección o el correo"),
        ({**valido, "destino": "y" * 201}, "Escriba la dirección o el correo"),
    )
    for datos, mensaje in malos:
        r = _post(coordinador, ruta, **datos)
        assert r.status_code == 400 and mensaje in texto(r), datos
    with app.app_context(), todas_las_empresas():
        assert db.session.get(Notificacion, notificacion.id).surtida_en is None  # nothing written

    entregado = hoy - timedelta(days=2)
    r = _post(coordinador, ruta, **{**valido, "fecha": entregado.isoformat()})
    assert r.status_code == 302, texto(r)[:2000]
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.get(Notificacion, notificacion.id)
        surtida = en_bogota(notificacion.surtida_en)
        assert (surtida.date(), surtida.hour, surtida.minute) == (entregado + timedelta(days=1), 23, 59)
        assert notificacion.aviso_via == "direccion" and notificacion.constancia_sha256
        assert notificaciones.estado(notificacion, hoy) == f"Notificado por aviso el {surtida.date().isoformat()}"
    assert f"Notificado por aviso el {surtida.date().isoformat()}" in texto(
        cliente_empresa_a.get(f"/expedientes/{expediente_id}/")
    )
    r = _post(coordinador, ruta, **valido)
    assert r.status_code == 400 and "ya se surtió" in texto(r)


def _en_borrador(app, cliente_empresa_a) -> tuple[int, str]:
    """A radicated expediente with one document verified as «No cumple»: (its id, that requisito's clave)."""
    expediente_id = _radicado(app, cliente_empresa_a)
    clave = _documento_pedido(app, expediente_id)
    _verificar(app, expediente_id, no_cumple=clave)
    return expediente_id, clave


def test_el_borrador_se_guarda_mas_de_una_vez_y_el_formulario_muestra_lo_guardado(
    app, cliente_empresa_a, revisor, coordinador
):
    expediente_id, clave = _en_borrador(app, cliente_empresa_a)
    base = f"/revision/expedientes/{expediente_id}"
    primera = {"texto": "Se requiere al titular para que allegue:", f"obs-{clave}": "Primera redacción del punto."}
    assert _post(revisor, f"{base}/requerimiento", **primera).status_code == 302
    segunda = {"texto": "Texto corregido del requerimiento:", f"obs-{clave}": "Segunda redacción del punto."}
    r = _post(revisor, f"{base}/requerimiento", **segunda)
    assert r.status_code == 302, texto(r)[:2000]
    assert "Requerimiento guardado en borrador" in texto(revisor.get(r.headers["Location"]))
    r = _post(revisor, f"{base}/requerimiento", **{**segunda, f"obs-{clave}": "Tercera redacción del punto."})
    assert r.status_code == 302, texto(r)[:2000]
    with app.app_context(), todas_las_empresas():
        requerimiento = db.session.scalar(select(Requerimiento).where(Requerimiento.expediente_id == expediente_id))
        assert requerimiento.texto == "Texto corregido del requerimiento:"
        assert [(i.clave, i.observacion) for i in requerimiento.items] == [(clave, "Tercera redacción del punto.")]
    # «Editar el borrador» opens with the draft as saved, not with the verification's observación.
    pagina = texto(revisor.get(f"{base}/actuaciones"))
    assert "Editar el borrador del requerimiento" in pagina
    formulario = re.search(r'<textarea id="obs-[^"]+"[^>]*>([^<]*)</textarea>', pagina).group(1)
    assert formulario == "Tercera redacción del punto."
    assert "Falta la firma del representante legal." not in pagina


def test_el_auto_nombra_cada_punto_por_su_requisito_y_el_tramite_se_lee_bien(
    app, cliente_empresa_a, revisor, coordinador
):
    expediente_id, clave = _en_borrador(app, cliente_empresa_a)
    base = f"/revision/expedientes/{expediente_id}"
    assert _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:").status_code == 302
    assert _post(coordinador, f"{base}/requerimiento/enviar").status_code == 302
    with app.app_context(), todas_las_empresas():
        expediente = borradores.obtener(db.session, expediente_id)
        nombre = next(a.requisito.nombre for a in expediente.anexos if a.clave == clave)
        tramite = expediente.version.nombre
        auto = db.session.scalar(select(Requerimiento.acto_id).where(Requerimiento.expediente_id == expediente_id))
    assert tramite.startswith("Solicitud")  # the case that read «la solicitud de Solicitud del…»
    impreso = texto_del_acto(app, auto)
    assert f"(1) {nombre}: Falta la firma del representante legal." in impreso
    assert f"{clave}:" not in impreso
    assert f"Por el cual se requiere información dentro del trámite «{tramite}»" in impreso
    assert "solicitud de Solicitud" not in impreso

    otro_id = _radicado(app, cliente_empresa_a)
    _verificar(app, otro_id)
    assert _post(coordinador, f"/revision/expedientes/{otro_id}/aprobar", motivacion=MOTIVACION).status_code == 302
    with app.app_context(), todas_las_empresas():
        resolucion = db.session.scalar(select(ActoAdministrativo.id).where(ActoAdministrativo.expediente_id == otro_id))
    impreso = texto_del_acto(app, resolucion)
    assert f"Por la cual se aprueba la solicitud del trámite «{tramite}»" in impreso
    assert f"Aprobar la solicitud del trámite «{tramite}» radicada con el n.º" in impreso
    assert "solicitud de Solicitud" not in impreso


def test_una_respuesta_vacia_no_se_guarda_y_la_prorroga_concedida_se_lee_en_la_pagina(
    app, cliente_empresa_a, revisor, coordinador
):
    expediente_id, clave = _en_borrador(app, cliente_empresa_a)
    base = f"/revision/expedientes/{expediente_id}"
    _post(revisor, f"{base}/requerimiento", texto="Se requiere al titular para que allegue:")
    assert _post(coordinador, f"{base}/requerimiento/enviar").status_code == 302
    punto = f"/expedientes/{expediente_id}/requerimiento/{clave}"
    for vacia in ({}, {"respuesta": ""}, {"respuesta": "   \r\n  "}):
        r = _post(cliente_empresa_a, punto, **vacia)
        assert r.status_code == 400 and requerimientos.MSG_PUNTO_VACIO in texto(r), vacia
        assert "Respuesta guardada" not in texto(r)
    with app.app_context(), todas_las_empresas():
        requerimiento = db.session.scalar(select(Requerimiento).where(Requerimiento.expediente_id == expediente_id))
        assert [i.respuesta for i in requerimiento.items] == [None] and requerimiento.anexos == []

    cliente_empresa_a.get(_enlace_de_notificacion(app), follow_redirects=True)
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/requerimiento"))
    assert "ni pide su prórroga antes de que venza" in pagina and "Pedir la prórroga" in pagina
    assert _post(cliente_empresa_a, f"/expedientes/{expediente_id}/requerimiento/prorroga").status_code == 302
    plazo = _plazo(app, expediente_id)
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/requerimiento"))
    assert f"ya prorrogado: hasta el <strong>{plazo.isoformat()}</strong>" in pagina
    assert "ni pide su prórroga" not in pagina and "Pedir la prórroga" not in pagina
    assert "una sola prórroga y ya se le concedió" in pagina
