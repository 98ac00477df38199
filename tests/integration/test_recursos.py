"""Recurso de reposición and firmeza (Ley 1437 de 2011 arts. 74–87) through HTTP on the real database: the term of
ten días hábiles from the notification, filing with motives and pruebas, one per act and only by the titular with
Radicar, resolving it (confirma / repone) with a notified resolución, and when each decision is in firme."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, update

from app.extensions import db
from app.models.actos import ActoAdministrativo, Notificacion
from app.models.auditoria import Auditoria
from app.models.correo import MensajeCorreo
from app.models.expedientes import Expediente
from app.models.recursos import Recurso
from app.security.tenancy import todas_las_empresas
from app.services import documentos
from app.services.calendario import sumar_dias_habiles
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from tests.helpers import contar_sentencias, miembro_con_rol, pdf, texto
from tests.helpers_pdf import texto_pdf
from tests.helpers_revision import PLAGUICIDAS, funcionario, radicado, verificar_todo

MOTIVACION = "Revisada la documentación, el producto no cumple los requisitos de la guía de trámites."
MOTIVOS = "La ficha técnica sí se aportó en el folio 12; pido revisar de nuevo la solicitud.\nGracias."


def _hoy() -> date:
    return en_bogota(ahora()).date()


@pytest.fixture
def coordinador(app):
    return funcionario(app, "Coordinador", (PLAGUICIDAS,))


def _post(cliente, ruta: str, archivos=None, **datos):
    return cliente.post(ruta, data={"csrf_token": cliente.csrf, **datos, **(archivos or {})})


def _decidido(app, cliente, coordinador, decision="negar", autoriza=True) -> tuple[int, int]:
    """A radicated expediente of the client's company, decided by the coordinator: (expediente id, act id)."""
    expediente_id = radicado(app, cliente, autoriza_notificacion=autoriza)
    verificar_todo(app, expediente_id)
    r = _post(coordinador, f"/revision/expedientes/{expediente_id}/{decision}", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    with app.app_context(), todas_las_empresas():
        acto_id = db.session.scalar(
            select(ActoAdministrativo.id)
            .where(ActoAdministrativo.expediente_id == expediente_id)
            .order_by(ActoAdministrativo.id.desc())
        )
    return expediente_id, acto_id


def _notificado(cliente, expediente_id: int, acto_id: int) -> str:
    """The titular opens the act (the electronic notification is surtida): the page's text."""
    r = cliente.get(f"/expedientes/{expediente_id}/actos/{acto_id}")
    assert r.status_code == 200
    return texto(r)


def _recurrir(cliente, expediente_id: int, acto_id: int, motivos=MOTIVOS, pruebas: bytes | None = None):
    archivos = {"pruebas": (io.BytesIO(pruebas), "pruebas.pdf")} if pruebas else None
    return _post(cliente, f"/expedientes/{expediente_id}/actos/{acto_id}/recurso", archivos, motivos=motivos)


def _expediente(app, expediente_id: int) -> Expediente:
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        db.session.expunge(expediente)
        return expediente


def test_la_decision_dice_el_recurso_y_su_plazo_desde_la_notificacion(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    ruta = f"/expedientes/{expediente_id}/actos/{acto_id}"
    with app.app_context(), todas_las_empresas():
        acto = db.session.get(ActoAdministrativo, acto_id)
        impreso = texto_pdf(documentos.leer(app.config["DOCUMENTOS_DIR"], acto.sha256))
    assert "procede el recurso de reposición" in impreso and "diez (10) días hábiles" in impreso
    # Before the notification: no term yet, and no recurso.
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id)
    assert r.status_code == 400 and "una vez notificado" in texto(r)
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    plazo = sumar_dias_habiles(_hoy(), 10)
    assert f"Procede recurso de reposición hasta el {plazo.isoformat()}" in pagina
    assert "Interponer recurso de reposición" in pagina and f'action="{ruta}/recurso"' in pagina
    assert f"hasta el {plazo.isoformat()}" in texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))


def test_interponer_con_pruebas_deja_el_expediente_en_recurso(app, cliente_empresa_a, cliente_empresa_b, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id, motivos="No.")
    assert r.status_code == 400 and "Exprese los motivos de inconformidad" in texto(r)
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id, pruebas=b"no es un pdf")
    assert r.status_code == 400
    assert _expediente(app, expediente_id).estado == "Negado"  # nothing written
    assert _recurrir(cliente_empresa_b, expediente_id, acto_id).status_code == 404
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id, pruebas=pdf("folio 12"))
    assert r.status_code == 302, texto(r)[:2000]
    expediente = _expediente(app, expediente_id)
    hasta = _hoy() + relativedelta(months=2)
    assert expediente.estado == "En recurso" and expediente.vence_en == hasta
    with app.app_context(), todas_las_empresas():
        recurso = db.session.scalar(select(Recurso).where(Recurso.expediente_id == expediente_id))
        assert recurso.motivos == MOTIVOS and recurso.pruebas_sha256 and recurso.resolver_hasta == hasta
        assert recurso.presentado_por_id == cliente_empresa_a.usuario.id
        accion = db.session.scalar(select(Auditoria.accion).where(Auditoria.accion == "recurso_interpuesto"))
        assert accion == "recurso_interpuesto"
        acuses = db.session.scalars(select(MensajeCorreo).where(MensajeCorreo.plantilla == "recurso")).all()
        assert "notificaciones@empresa-a.test" in {m.destinatario for m in acuses}
        assert all(f"a más tardar el {hasta.isoformat()}" in m.cuerpo_texto for m in acuses)
        assert all(recurso.pruebas_sha256 in m.cuerpo_texto and MOTIVOS not in m.cuerpo_texto for m in acuses)
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id)
    assert r.status_code == 400 and "Ya se interpuso un recurso" in texto(r)
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert "Recurso de reposición interpuesto el" in pagina and f"a más tardar el {hasta.isoformat()}" in pagina
    pruebas = cliente_empresa_a.get(f"/expedientes/{expediente_id}/recursos/{recurso.id}/pruebas")
    assert pruebas.status_code == 200 and pruebas.data.startswith(b"%PDF")
    assert cliente_empresa_b.get(f"/expedientes/{expediente_id}/recursos/{recurso.id}/pruebas").status_code == 404
    # The coordinator sees it in the actuaciones, with its pruebas, and the queue shows the new state.
    actuaciones = texto(coordinador.get(f"/revision/expedientes/{expediente_id}/actuaciones"))
    assert "Motivos de inconformidad" in actuaciones and "folio 12" in actuaciones
    assert "Resolver el recurso" in actuaciones and "Aprobar" not in actuaciones
    r = _post(coordinador, f"/revision/expedientes/{expediente_id}/aprobar", motivacion=MOTIVACION)
    assert r.status_code == 400 and "está en recurso de reposición" in texto(r)
    staff = coordinador.get(f"/revision/expedientes/{expediente_id}/recursos/{recurso.id}/pruebas")
    assert staff.status_code == 200 and staff.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_confirmar_el_recurso_deja_la_decision_en_firme_al_notificarse(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert _recurrir(cliente_empresa_a, expediente_id, acto_id).status_code == 302
    ruta = f"/revision/expedientes/{expediente_id}/recurso"
    r = _post(coordinador, ruta, decision="otra", motivacion=MOTIVACION)
    assert r.status_code == 400 and "Elija si confirma o repone" in texto(r)
    assert _post(coordinador, ruta, decision="confirma", motivacion="corta").status_code == 400
    assert _expediente(app, expediente_id).estado == "En recurso"
    r = _post(coordinador, ruta, decision="confirma", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    expediente = _expediente(app, expediente_id)
    assert expediente.estado == "Negado" and expediente.vence_en is None
    with app.app_context(), todas_las_empresas():
        resolucion = db.session.scalar(select(ActoAdministrativo).where(ActoAdministrativo.clase == "recurso"))
        impreso = texto_pdf(documentos.leer(app.config["DOCUMENTOS_DIR"], resolucion.sha256))
        assert db.session.scalar(select(Notificacion).where(Notificacion.acto_id == resolucion.id)) is not None
    assert "Confirmar en todas sus partes" in impreso and "no procede recurso alguno" in impreso
    assert _post(coordinador, ruta, decision="confirma", motivacion=MOTIVACION).status_code == 400  # resolved
    # Until its resolución is notified the decision is not in firme; then from the next day.
    assert "en firme" not in _notificado(cliente_empresa_a, expediente_id, acto_id)
    _notificado(cliente_empresa_a, expediente_id, resolucion.id)
    manana = (_hoy() + timedelta(days=1)).isoformat()
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert f"Confirmada por la {resolucion.numero_texto}; en firme desde el {manana}" in pagina
    r = _recurrir(cliente_empresa_a, expediente_id, resolucion.id)
    assert r.status_code == 400 and "no procede recurso" in texto(r)
    # Anyone who verifies the signed act (uploading it to /consulta/) reads whether it is in firme.
    anonimo = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', texto(anonimo.get("/consulta/"))).group(1)
    with app.app_context(), todas_las_empresas():
        original = documentos.leer(app.config["DOCUMENTOS_DIR"], db.session.get(ActoAdministrativo, acto_id).sha256)
    r = anonimo.post(
        "/consulta/verificar-pdf",
        data={"csrf_token": csrf, "constancia": (io.BytesIO(original), "acto.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and f"Confirmada por la {resolucion.numero_texto}; en firme desde el {manana}" in texto(
        r
    )


def test_reponer_devuelve_el_expediente_a_revision_y_se_decide_de_nuevo(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert _recurrir(cliente_empresa_a, expediente_id, acto_id).status_code == 302
    r = _post(coordinador, f"/revision/expedientes/{expediente_id}/recurso", decision="repone", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    expediente = _expediente(app, expediente_id)
    assert expediente.estado == "En verificación" and expediente.decidido_en is None
    assert expediente.vence_en == sumar_dias_habiles(_hoy(), expediente.termino_dias)
    assert "Repuesta (revocada)" in _notificado(cliente_empresa_a, expediente_id, acto_id)
    # The study resumes: with the VoBos in force the coordinator approves, and the new decision has its own term.
    r = _post(coordinador, f"/revision/expedientes/{expediente_id}/aprobar", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    assert _expediente(app, expediente_id).estado == "Aprobado"
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id)  # the revoked act admits no more
    assert r.status_code == 400 and "ya no es la decisión vigente" in texto(r)


def test_una_aprobacion_que_otorgo_un_registro_solo_se_confirma(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador, decision="aprobar")
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert _recurrir(cliente_empresa_a, expediente_id, acto_id).status_code == 302
    ruta = f"/revision/expedientes/{expediente_id}/recurso"
    r = _post(coordinador, ruta, decision="repone", motivacion=MOTIVACION)
    assert r.status_code == 400 and "otorgó o cambió el registro" in texto(r)
    assert _expediente(app, expediente_id).estado == "En recurso"
    assert _post(coordinador, ruta, decision="confirma", motivacion=MOTIVACION).status_code == 302
    assert _expediente(app, expediente_id).estado == "Aprobado"


def test_vencido_el_termino_no_se_recurre_y_la_decision_queda_en_firme(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    with app.app_context(), todas_las_empresas():
        db.session.execute(
            update(Notificacion).where(Notificacion.acto_id == acto_id).values(surtida_en=ahora() - timedelta(days=30))
        )
        db.session.commit()
        surtida = en_bogota(db.session.scalar(select(Notificacion.surtida_en))).date()
    plazo = sumar_dias_habiles(surtida, 10)
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id)
    assert r.status_code == 400 and f"venció el {plazo.isoformat()}" in texto(r)
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert f"En firme desde el {(plazo + timedelta(days=1)).isoformat()}" in pagina
    assert "Interponer recurso de reposición" not in pagina


def test_sin_radicar_ni_con_ids_ajenos_no_se_recurre(app, cliente_empresa_a, coordinador):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    financiero = miembro_con_rol(app, cliente_empresa_a.empresa_id, "Financiero")  # Expedientes → Ver, no Radicar
    assert "Interponer recurso de reposición" not in _notificado(financiero, expediente_id, acto_id)
    assert _recurrir(financiero, expediente_id, acto_id).status_code == 403
    assert _recurrir(cliente_empresa_a, expediente_id, 2**40).status_code == 404
    assert _recurrir(cliente_empresa_a, 2**40, acto_id).status_code == 404
    assert _expediente(app, expediente_id).estado == "Negado"


def _sentencias(app, cliente, ruta: str) -> int:
    cliente.get(ruta)  # warm: the first request of a client loads what later ones reuse
    with contar_sentencias(app) as sentencias:
        assert cliente.get(ruta).status_code == 200
    return len(sentencias)


def test_las_paginas_hacen_las_mismas_sentencias_con_uno_o_tres_actos(app, cliente_empresa_a, coordinador):
    """The act page, the expediente and the actuaciones read recursos and notifications in a fixed number of
    statements: one act, or three (the decision, the recurso's resolución and the new decision)."""
    uno, acto_uno = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, uno, acto_uno)
    tres, acto_tres = _decidido(app, cliente_empresa_a, coordinador)
    _notificado(cliente_empresa_a, tres, acto_tres)
    assert _recurrir(cliente_empresa_a, tres, acto_tres).status_code == 302
    r = _post(coordinador, f"/revision/expedientes/{tres}/recurso", decision="repone", motivacion=MOTIVACION)
    assert r.status_code == 302
    assert _post(coordinador, f"/revision/expedientes/{tres}/negar", motivacion=MOTIVACION).status_code == 302
    with app.app_context(), todas_las_empresas():
        assert db.session.scalar(select(func.count()).where(ActoAdministrativo.expediente_id == tres)) == 3
    for ruta in ("/expedientes/{id}/", "/expedientes/{id}/actos/{acto}"):
        assert _sentencias(app, cliente_empresa_a, ruta.format(id=uno, acto=acto_uno)) == _sentencias(
            app, cliente_empresa_a, ruta.format(id=tres, acto=acto_tres)
        ), ruta
    actuaciones = "/revision/expedientes/{}/actuaciones"
    assert _sentencias(app, coordinador, actuaciones.format(uno)) == _sentencias(
        app, coordinador, actuaciones.format(tres)
    )


def test_renunciar_al_recurso_deja_la_decision_en_firme_desde_manana(
    app, cliente_empresa_a, cliente_empresa_b, coordinador
):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador, decision="aprobar")
    ruta = f"/expedientes/{expediente_id}/actos/{acto_id}/renuncia"
    r = _post(cliente_empresa_a, ruta)
    assert r.status_code == 400 and "una vez notificado" in texto(r)  # nothing to give up before the notification
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert "Renunciar al recurso" in pagina and "data-confirmar=" in pagina
    assert _post(cliente_empresa_b, ruta).status_code == 404
    assert _post(cliente_empresa_a, ruta).status_code == 302
    hoy = _hoy()
    manana = (hoy + timedelta(days=1)).isoformat()
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert f"En firme desde el {manana}, por renuncia al recurso del {hoy.isoformat()}" in pagina
    assert "Interponer recurso de reposición" not in pagina
    r = _recurrir(cliente_empresa_a, expediente_id, acto_id)
    assert r.status_code == 400 and "Se renunció al recurso" in texto(r)
    assert _post(cliente_empresa_a, ruta).status_code == 400
    with app.app_context(), todas_las_empresas():
        notificacion = db.session.scalar(select(Notificacion).where(Notificacion.acto_id == acto_id))
        assert notificacion.renuncia_por_id == cliente_empresa_a.usuario.id
        assert db.session.scalar(select(func.count()).select_from(Recurso)) == 0
    assert _expediente(app, expediente_id).estado == "Aprobado"


def test_desistir_del_recurso_y_el_invima_acepta_el_desistimiento(
    app, cliente_empresa_a, cliente_empresa_b, coordinador
):
    expediente_id, acto_id = _decidido(app, cliente_empresa_a, coordinador)
    ruta = f"/expedientes/{expediente_id}/actos/{acto_id}/desistimiento"
    _notificado(cliente_empresa_a, expediente_id, acto_id)
    r = _post(cliente_empresa_a, ruta)
    assert r.status_code == 400 and "no hay un recurso de reposición por resolver" in texto(r)  # none filed yet
    assert _recurrir(cliente_empresa_a, expediente_id, acto_id).status_code == 302
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert "Desistir del recurso" in pagina and "data-confirmar=" in pagina
    assert _post(cliente_empresa_b, ruta).status_code == 404  # another company's expediente does not exist
    assert (
        _post(cliente_empresa_a, f"/expedientes/{expediente_id}/actos/{acto_id + 999}/desistimiento").status_code == 404
    )
    assert _post(cliente_empresa_a, ruta).status_code == 302
    hoy = _hoy().isoformat()
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert f"el titular desistió de él el {hoy}" in pagina and "Desistir del recurso" not in pagina
    r = _post(cliente_empresa_a, ruta)
    assert r.status_code == 400 and f"Ya desistió de este recurso el {hoy}" in texto(r)
    assert _expediente(app, expediente_id).estado == "En recurso"  # until the Invima accepts it
    # The coordinator sees it and may only accept it.
    ruta_coordinador = f"/revision/expedientes/{expediente_id}/recurso"
    pagina = texto(coordinador.get(f"/revision/expedientes/{expediente_id}/actuaciones"))
    assert "El titular desistió del recurso" in pagina and "Aceptar el desistimiento del recurso" in pagina
    assert "Confirmar la decisión" not in pagina
    r = _post(coordinador, ruta_coordinador, decision="confirma", motivacion=MOTIVACION)
    assert r.status_code == 400 and "acepte el desistimiento" in texto(r)
    assert _expediente(app, expediente_id).estado == "En recurso"
    r = _post(coordinador, ruta_coordinador, decision="desiste", motivacion=MOTIVACION)
    assert r.status_code == 302, texto(r)[:2000]
    assert _expediente(app, expediente_id).estado == "Negado"
    with app.app_context(), todas_las_empresas():
        resolucion = db.session.scalar(select(ActoAdministrativo).where(ActoAdministrativo.clase == "recurso"))
        impreso = texto_pdf(documentos.leer(app.config["DOCUMENTOS_DIR"], resolucion.sha256))
        recurso = db.session.scalar(select(Recurso).where(Recurso.acto_id == acto_id))
        assert recurso.decision == "desiste" and recurso.desistido_por_id == cliente_empresa_a.usuario.id
        acciones = set(db.session.scalars(select(Auditoria.accion).where(Auditoria.objeto_id == str(expediente_id))))
    assert "recurso_desistido" in acciones
    assert "Aceptar el desistimiento" in impreso and "numeral 4" in impreso
    _notificado(cliente_empresa_a, expediente_id, resolucion.id)
    manana = (_hoy() + timedelta(days=1)).isoformat()
    pagina = _notificado(cliente_empresa_a, expediente_id, acto_id)
    assert f"desistimiento aceptado por la {resolucion.numero_texto}; en firme desde el {manana}" in pagina
    assert _post(cliente_empresa_a, ruta).status_code == 400  # resolved: nothing left to withdraw
