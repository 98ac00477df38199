"""Notices of expiry (app/services/vencimientos.py) on the real database: a registro is told once, when its
family's renewal window opens (12 months before for plaguicidas de uso doméstico, 3 for an NSO whose window has no
start), through the outbox; cancelled, expired or already told ones are not; a renewal tells the next vigencia
again; `flask avisar-vencimientos` does it all and says how many."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.cli import avisar_vencimientos_de_hoy
from app.extensions import db
from app.models.catalogo import FamiliaProducto
from app.models.correo import MensajeCorreo
from app.models.expedientes import Expediente
from app.models.registros import CANCELADO, VIGENTE, RegistroSanitario
from app.security.tenancy import todas_las_empresas
from app.services import registros, vencimientos
from app.services.fechas import hoy_en_bogota
from app.services.reloj import ahora
from tests.helpers_revision import radicado

URL = "http://127.0.0.1:5000/registros/mis/"


def _registro(app, expediente_id: int, numero: str, familia: str, vence: date | None, **campos) -> None:
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        familia_id = db.session.scalar(select(FamiliaProducto.id).where(FamiliaProducto.codigo == familia))
        db.session.add(
            RegistroSanitario(
                numero=numero,
                clase="Notificación Sanitaria Obligatoria" if familia == "cosmeticos" else "Registro sanitario",
                empresa_id=expediente.empresa_id,
                grupo_id=expediente.grupo_id,
                familia_id=familia_id,
                expediente_id=expediente_id,
                nombre_producto=f"Producto {numero}",
                otorgado_en=date(2020, 1, 1),
                vence_en=vence,
                actualizado_en=ahora(),
                **{"estado": VIGENTE, **campos},
            )
        )
        db.session.commit()


def _avisos(app) -> dict[str, str]:
    """Subject → recipient of the notices queued."""
    with app.app_context():
        filas = db.session.scalars(select(MensajeCorreo).where(MensajeCorreo.plantilla == "vencimiento")).all()
        return {m.asunto: m.destinatario for m in filas}


def test_cada_registro_se_avisa_una_vez_al_abrirse_su_ventana(app, cliente_empresa_a):
    expediente_id = radicado(app, cliente_empresa_a)
    hoy = hoy_en_bogota()
    en = {meses: hoy + relativedelta(months=meses) for meses in (2, 4, 11, 13)}
    _registro(app, expediente_id, "PUD-11M", "plaguicidas_domesticos", en[11])  # window 12–6 months: open
    _registro(app, expediente_id, "PUD-13M", "plaguicidas_domesticos", en[13])  # not yet
    _registro(app, expediente_id, "NSOC-2M", "cosmeticos", en[2])  # NSO: told 3 months before
    _registro(app, expediente_id, "NSOC-4M", "cosmeticos", en[4])
    _registro(app, expediente_id, "PUD-CANCELADO", "plaguicidas_domesticos", en[11], estado=CANCELADO)
    _registro(app, expediente_id, "PUD-VENCIDO", "plaguicidas_domesticos", hoy - timedelta(days=1))
    _registro(app, expediente_id, "PUD-SIN-VIGENCIA", "plaguicidas_salud_publica", None)

    with app.app_context(), todas_las_empresas():
        assert vencimientos.avisar_vencimientos(db.session, hoy, URL) == 2
        db.session.commit()
    avisos = _avisos(app)
    assert avisos == {
        f"Registro sanitario PUD-11M: vence el {en[11].isoformat()}; puede radicar la renovación": (
            "notificaciones@empresa-a.test"
        ),
        f"Notificación Sanitaria Obligatoria NSOC-2M: vence el {en[2].isoformat()}; puede radicar la renovación": (
            "notificaciones@empresa-a.test"
        ),
    }
    with app.app_context():
        texto = db.session.scalar(select(MensajeCorreo.cuerpo_texto).where(MensajeCorreo.asunto.contains("PUD-11M")))
    hasta = (en[11] - relativedelta(months=6)).isoformat()
    assert f"hasta el {hasta}" in texto and URL in texto and "Empresa A" in texto
    with app.app_context(), todas_las_empresas():
        assert vencimientos.avisar_vencimientos(db.session, hoy, URL) == 0  # told once
        assert vencimientos.avisar_vencimientos(db.session, en[13] - relativedelta(months=12), URL) == 2  # later
        db.session.rollback()


def test_la_renovacion_vuelve_a_avisar_la_vigencia_siguiente(app, cliente_empresa_a):
    hoy = hoy_en_bogota()
    vence = hoy + relativedelta(months=9)
    origen = radicado(app, cliente_empresa_a)
    _registro(app, origen, "PUD2017-000555", "plaguicidas_domesticos", vence)
    with app.app_context():
        assert avisar_vencimientos_de_hoy() == 1
    producto = {"registro_numero": "PUD2017-000555", "nombre_producto": "Matamoscas", "vencimiento": vence.isoformat()}
    renovacion = radicado(app, cliente_empresa_a, "pld-renovacion", producto=producto)
    with app.app_context(), todas_las_empresas():
        registro = registros.otorgar(db.session, db.session.get(Expediente, renovacion), hoy)
        assert registro.vence_en == vence  # nothing changes before the resolución is notified
        cambio = registros.cambio_pendiente(db.session, renovacion)
        registros.aplicar(cambio, hoy)  # what al_notificar does then
        assert registro.vence_en == vence + relativedelta(years=10) and registro.aviso_vencimiento_en is None
        db.session.commit()
        despues = registro.vence_en - relativedelta(months=12)
        assert vencimientos.avisar_vencimientos(db.session, despues, URL) == 1
        db.session.rollback()


def test_el_comando_diario_avisa_y_dice_cuantos(app, cliente_empresa_a):
    _registro(app, radicado(app, cliente_empresa_a), "NSOC-1M", "cosmeticos", hoy_en_bogota() + timedelta(days=30))
    resultado = app.test_cli_runner().invoke(args=["avisar-vencimientos"])
    assert resultado.exit_code == 0 and "Registros avisados de su vencimiento: 1" in resultado.output
    resultado = app.test_cli_runner().invoke(args=["avisar-vencimientos"])
    assert "Registros avisados de su vencimiento: 0" in resultado.output
