"""Radicar (issue 12 §2–§3) through HTTP on the real database: completeness, the filing rules as the seeds state them
(renewal window, a year after an unrenewed registro, the tarifa, the tasa of a third party, the responsable técnico),
«bajo insistencia», freezing, the gapless radicado under concurrent radicaciones, the constancia and its mail."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select, text

from app.extensions import db
from app.models.correo import MensajeCorreo
from app.models.empresas import CALIDAD_RESPONSABLE_TECNICO, MEMBRESIA_ACEPTADO, VinculoTecnico
from app.models.expedientes import Expediente
from app.security.tenancy import todas_las_empresas
from app.services import constancia
from app.services.auditoria import Auditoria
from app.services.expedientes import radicacion
from app.services.expedientes.borradores import Titular
from app.services.fechas import BOGOTA
from app.services.reloj import ahora
from tests import factories
from tests.helpers import cliente_de, pdf, texto
from tests.helpers_expedientes import (
    adjuntar_todo,
    borrador_listo,
    crear_borrador,
    datos_pago,
    datos_producto_nuevo,
    llenar_formulario,
    subir,
)


def _hoy() -> date:
    return ahora().astimezone(BOGOTA).date()


def _radicar(cliente, expediente_id: int, **datos):
    return cliente.post(f"/expedientes/{expediente_id}/radicar", data={"csrf_token": cliente.csrf, **datos})


def _listo(app, cliente, codigo="pld-registro", modalidad="Fabricar y vender", **por_seccion) -> int:
    expediente_id = crear_borrador(app, cliente, codigo, modalidad=modalidad)
    llenar_formulario(cliente, expediente_id, codigo, **por_seccion)
    adjuntar_todo(cliente, expediente_id)
    return expediente_id


def test_radicar_un_registro_de_plaguicida_completo(app, cliente_empresa_a):
    expediente_id = _listo(app, cliente_empresa_a)
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 302, texto(r)[:3000]
    anio = _hoy().year
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    assert f"Radicado {anio}-000001" in pagina and "Abrir la constancia" in pagina
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert (expediente.estado, expediente.radicado, expediente.radicado_numero) == ("Radicado", f"{anio}-000001", 1)
        assert expediente.huella == radicacion.huella_de(expediente) and expediente.bajo_insistencia is None
        assert expediente.constancia_sha256 and len(expediente.codigo_verificacion) == 64
        correos = db.session.scalars(select(MensajeCorreo).where(MensajeCorreo.plantilla == "radicacion")).all()
        assert {c.destinatario for c in correos} >= {"notificaciones@empresa-a.test"}
        assert all(c.adjunto_sha256 == expediente.constancia_sha256 for c in correos)
        assert all(f"{anio}-000001" in c.asunto for c in correos)
        assert db.session.scalar(select(Auditoria).where(Auditoria.accion == "expediente_radicado")) is not None
    constancia_pdf = cliente_empresa_a.get(f"/expedientes/{expediente_id}/constancia")
    assert constancia_pdf.status_code == 200 and constancia_pdf.data.startswith(b"%PDF")


def test_lo_radicado_no_cambia(app, cliente_empresa_a):
    expediente_id = _listo(app, cliente_empresa_a)
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 302 and "/expedientes/" in r.headers["Location"]
    assert "Radicado" in texto(cliente_empresa_a.get(r.headers["Location"]))
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/secciones/producto",
        data={**datos_producto_nuevo(), "csrf_token": cliente_empresa_a.csrf},
    )
    assert r.status_code == 400 and "ya está radicado" in texto(r)
    assert subir(cliente_empresa_a, expediente_id, "memorial", pdf("otro")).status_code == 400
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 400  # a double submit gets no second number
    r = cliente_empresa_a.post(f"/expedientes/{expediente_id}/eliminar", data={"csrf_token": cliente_empresa_a.csrf})
    assert r.status_code == 400 and "ya está radicado" in texto(r) and "Borrador eliminado" not in texto(r)
    with app.app_context():
        assert db.session.get(Expediente, expediente_id) is not None
        assert db.session.scalar(text("SELECT ultimo FROM contador_radicado")) == 1
        # The database refuses it too, whatever the code path.
        with pytest.raises(Exception, match="radicado"):
            db.session.execute(text("UPDATE expediente SET datos = '{}'::jsonb WHERE id = :i"), {"i": expediente_id})
        db.session.rollback()
        with pytest.raises(Exception, match="radicado"):
            db.session.execute(text("DELETE FROM expediente_anexo WHERE expediente_id = :i"), {"i": expediente_id})
        db.session.rollback()


def test_secciones_incompletas_impiden_radicar(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    r = _radicar(cliente_empresa_a, expediente_id)
    pagina = texto(r)
    assert r.status_code == 400
    assert "Falta completar la sección «1.2 Responsable de la transacción bancaria»." in pagina
    assert "Faltan documentos obligatorios" in pagina
    with app.app_context():
        assert db.session.get(Expediente, expediente_id).radicado is None


def test_bajo_insistencia_con_documentos_faltantes(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    llenar_formulario(cliente_empresa_a, expediente_id, "pld-registro")
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400 and "radique bajo insistencia escribiendo por qué" in texto(r)
    r = _radicar(cliente_empresa_a, expediente_id, bajo_insistencia="x" * 2001)
    assert r.status_code == 400 and "máximo 2000 caracteres" in texto(r)
    motivo = "El concepto toxicológico está en trámite ante el INS; lo allegamos en cuanto se expida."
    assert _radicar(cliente_empresa_a, expediente_id, bajo_insistencia=motivo).status_code == 302
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.bajo_insistencia == motivo and expediente.radicado


@pytest.mark.parametrize(
    ("meses", "mensaje"),
    [
        (14, "podrá radicarla desde el"),
        (3, "debía radicarse a más tardar 6 meses antes del vencimiento"),
        (-1, "ya no se puede renovar"),
        (9, None),
    ],
)
def test_la_renovacion_solo_dentro_de_su_ventana(app, cliente_empresa_a, meses, mensaje):
    vence = (_hoy() + relativedelta(months=meses)).isoformat()
    producto = {"registro_numero": "PUD2016-0001234", "vencimiento": vence, "nombre_producto": "Matamoscas Rayo"}
    expediente_id = _listo(app, cliente_empresa_a, "pld-renovacion", producto=producto)
    r = _radicar(cliente_empresa_a, expediente_id)
    if mensaje is None:
        assert r.status_code == 302, texto(r)[:3000]
    else:
        assert r.status_code == 400 and mensaje in texto(r)
        assert "entre los 12 y los 6 meses" in texto(r) or meses != 14


def test_un_registro_nuevo_espera_un_anio_tras_el_vencimiento_sin_renovar(app, cliente_empresa_a):
    hace_6_meses = (_hoy() - relativedelta(months=6)).isoformat()
    producto = datos_producto_nuevo(
        existio_registro="si", registro_anterior="PUD2010-0000999", registro_anterior_vencimiento=hace_6_meses
    )
    expediente_id = _listo(app, cliente_empresa_a, producto=producto)
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400
    assert "venció el" in texto(r) and "no se puede solicitar un nuevo registro para el mismo producto" in texto(r)
    hace_13_meses = (_hoy() - relativedelta(months=13)).isoformat()
    cambio = {**producto, "registro_anterior_vencimiento": hace_13_meses, "csrf_token": cliente_empresa_a.csrf}
    assert cliente_empresa_a.post(f"/expedientes/{expediente_id}/secciones/producto", data=cambio).status_code == 302
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 302


def test_la_tasa_de_un_tercero_exige_su_soporte(app, cliente_empresa_a):
    expediente_id = _listo(app, cliente_empresa_a, pago=datos_pago("3006", tercero="si"))
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400 and "adjunte en Documentos el soporte de la cesión" in texto(r)
    assert subir(cliente_empresa_a, expediente_id, "autorizacion_tasa_tercero", pdf("cesion")).status_code == 302
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 302


def _responsable_tecnico(app, empresa_id: int):
    with app.app_context():
        quimico = factories.crear_usuario(nombres="Carlos", apellidos="Químico")
        db.session.add(
            VinculoTecnico(
                empresa_id=empresa_id,
                usuario_id=quimico.id,
                calidad=CALIDAD_RESPONSABLE_TECNICO,
                estado=MEMBRESIA_ACEPTADO,
                tarjeta_profesional="QF-1234",
                creado_en=ahora(),
                aceptado_en=ahora(),
            )
        )
        db.session.commit()
        vinculo_id = db.session.scalar(select(VinculoTecnico.id).where(VinculoTecnico.usuario_id == quimico.id))
        db.session.refresh(quimico)
    return quimico, vinculo_id


def test_la_nso_necesita_la_confirmacion_de_su_responsable_tecnico(app, cliente_empresa_a, cliente_empresa_b):
    expediente_id = _listo(app, cliente_empresa_a, "cos-nso", modalidad="Fabricar y vender")
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400 and "Nombre al responsable técnico" in texto(r)
    quimico, vinculo_id = _responsable_tecnico(app, cliente_empresa_a.empresa_id)
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/responsable", data={"csrf_token": cliente_empresa_a.csrf, "vinculo": vinculo_id}
    )
    assert r.status_code == 302
    assert "El responsable técnico aún no ha confirmado" in texto(_radicar(cliente_empresa_a, expediente_id))
    rt = cliente_de(app, quimico)
    assert "Empresa A" in texto(rt.get("/expedientes/confirmaciones/"))
    # The RT sees it to confirm it, but not as its titular; another company cannot confirm for them.
    assert rt.get(f"/expedientes/{expediente_id}/").status_code == 404
    r = cliente_empresa_b.post(
        f"/expedientes/confirmaciones/{expediente_id}", data={"csrf_token": cliente_empresa_b.csrf}
    )
    assert r.status_code == 404
    assert rt.post(f"/expedientes/confirmaciones/{expediente_id}", data={"csrf_token": rt.csrf}).status_code == 302
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 302


def test_un_cambio_despues_de_confirmar_pide_confirmar_de_nuevo(app, cliente_empresa_a):
    expediente_id = _listo(app, cliente_empresa_a, "cos-nso", modalidad="Fabricar y vender")
    quimico, vinculo_id = _responsable_tecnico(app, cliente_empresa_a.empresa_id)
    cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/responsable", data={"csrf_token": cliente_empresa_a.csrf, "vinculo": vinculo_id}
    )
    rt = cliente_de(app, quimico)
    rt.post(f"/expedientes/confirmaciones/{expediente_id}", data={"csrf_token": rt.csrf})
    subir(cliente_empresa_a, expediente_id, "etiqueta", pdf("etiqueta nueva"))
    assert "El responsable técnico aún no ha confirmado" in texto(_radicar(cliente_empresa_a, expediente_id))


def test_una_persona_natural_radica(app, cliente_usuario):
    expediente_id = _listo(app, cliente_usuario, modalidad="Importar y vender")
    assert _radicar(cliente_usuario, expediente_id).status_code == 302
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.persona_id == cliente_usuario.usuario.id and expediente.radicado


def test_radicados_concurrentes_sin_huecos_ni_repetidos(app, cliente_empresa_a):
    """Eight radicaciones at once, each on its own connection: numbers 1..8, each once."""
    usuario_id = cliente_empresa_a.usuario.id
    titular = Titular(empresa_id=cliente_empresa_a.empresa_id)
    with app.app_context():
        ids = [
            borrador_listo(db.session, titular, usuario_id, "pld-registro", app.config["DOCUMENTOS_DIR"], 3)
            for _ in range(8)
        ]
        db.session.commit()
    barrera = threading.Barrier(len(ids))
    errores: list[BaseException] = []

    def radicar(expediente_id: int) -> None:
        try:
            with app.app_context(), todas_las_empresas():
                from app.models.personas import Usuario

                usuario = db.session.get(Usuario, usuario_id)
                barrera.wait(timeout=20)
                radicacion.radicar(
                    db.session,
                    expediente_id,
                    usuario,
                    "Los demás documentos se allegan con la respuesta al requerimiento.",  # three of them attached
                    firmante=constancia.firmante_de_app(app.config),
                    config=app.config,
                    url_verificacion=lambda radicado, codigo=None: f"http://127.0.0.1/consulta/radicado/{radicado}",
                )
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errores.append(error)

    hilos = [threading.Thread(target=radicar, args=(i,)) for i in ids]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert not errores, errores
    with app.app_context():
        numeros = sorted(db.session.scalars(select(Expediente.radicado_numero).where(Expediente.id.in_(ids))))
    assert numeros == list(range(1, 9))


def test_la_comunicacion_oec_del_inm_se_solicita_una_sola_vez(app, cliente_empresa_a, cliente_usuario):
    from tests.helpers_expedientes import version_de

    oec = {
        "codigo_acreditacion": "ONAC 12-LAC-045",
        "rl_nombre": "Ana Pérez",
        "rl_identificacion": "CC 1020304050",
        "sectores": ["7", "29"],
        "responsables-0-tipo_documento": "CC",
        "responsables-0-numero": "80111222",
        "responsables-0-nombres": "Luis",
        "responsables-0-apellidos": "Gómez",
    }
    expediente_id = crear_borrador(app, cliente_empresa_a, "inm-oec")
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/secciones/oec", data={**oec, "csrf_token": cliente_empresa_a.csrf}
    )
    assert r.status_code == 400 and "Registre al menos uno." in texto(r)  # no equipment rows
    oec["equipos-0-descripcion"] = "Termómetro patrón de resistencia de platino"
    llenar_formulario(cliente_empresa_a, expediente_id, "inm-oec", oec=oec)
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 302
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.datos["oec"]["sectores"] == ["7", "29"]
        assert expediente.datos["oec"]["equipos"] == [{"descripcion": "Termómetro patrón de resistencia de platino"}]
        version_id = version_de("inm-oec").id
    r = cliente_empresa_a.post("/expedientes/nuevo", data={"csrf_token": cliente_empresa_a.csrf, "tramite": version_id})
    assert r.status_code == 400 and f"ya tiene la solicitud {expediente.radicado}" in texto(r)
    # A laboratory is a company: a persona natural is not offered it.
    r = cliente_usuario.post("/expedientes/nuevo", data={"csrf_token": cliente_usuario.csrf, "tramite": version_id})
    assert r.status_code == 400 and "no lo puede solicitar una persona natural" in texto(r)


def test_radicar_y_ver_el_expediente_cuestan_sentencias_fijas(app, cliente_empresa_a):
    """Whatever the number of requisitos and documents: no statement per requisito, anexo or recipient."""
    from tests.helpers import contar_sentencias

    expediente_id = _listo(app, cliente_empresa_a)
    with contar_sentencias(app) as pagina_borrador:
        assert cliente_empresa_a.get(f"/expedientes/{expediente_id}/").status_code == 200
    with contar_sentencias(app) as radicar:
        assert _radicar(cliente_empresa_a, expediente_id).status_code == 302
    with contar_sentencias(app) as pagina_radicado:
        assert cliente_empresa_a.get(f"/expedientes/{expediente_id}/").status_code == 200
    assert len(radicar) <= 16, radicar
    assert len(pagina_borrador) <= 11 and len(pagina_radicado) <= 11, (pagina_borrador, pagina_radicado)
