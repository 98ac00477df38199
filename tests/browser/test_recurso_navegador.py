"""A recurso de reposición in Chromium: the company's Administrador opens the resolución that denied their solicitud
(and so is notified), reads until when the recurso proceeds, files it with its motives and a PDF of pruebas (and may then withdraw it); the
coordinator of the grupo finds the expediente «En recurso», reads the motives and confirms the decision; the
titular then sees the confirmation. Each person has their own browser context; the act page and the actuaciones at
1280 and 375 px without horizontal scrolling, and axe-core finds no critical, serious or moderate violation
(screenshots in test-artifacts/recurso_*.png)."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from app.extensions import db
from app.models.actos import ActoAdministrativo
from app.models.personas import Usuario
from app.security.tenancy import todas_las_empresas
from app.services.calendario import sumar_dias_habiles
from app.services.fechas import hoy_en_bogota
from app.services.reloj import ahora
from app.services.revision import decisiones
from tests import factories, factories_empresas
from tests.helpers import mirar_en_dos_anchos, pdf, persona_en_navegador
from tests.helpers_revision import PLAGUICIDAS, crear_funcionario, radicado, verificar_todo

TITULAR, COORDINADOR = "79666111", "80666111"
MOTIVACION = "Revisada la documentación técnica, la ficha de seguridad no corresponde al producto."
MOTIVOS = "La ficha de seguridad aportada en el folio 40 es la del producto; adjunto la certificación del fabricante."


def _negado(app) -> tuple[int, int]:
    """A radicated registro de plaguicida of the titular's company, denied by the coordinator: (expediente, act)."""
    with app.app_context():
        administrador = factories.crear_usuario(numero=TITULAR, nombres="Julián", apellidos="Rincón")
        empresa = factories_empresas.crear_empresa(administrador, razon_social="Fumigaciones del Llano S.A.S.")
        titular = SimpleNamespace(usuario=SimpleNamespace(id=administrador.id), empresa_id=empresa.id)
        coordinador_id = crear_funcionario("Coordinador", (PLAGUICIDAS,), numero=COORDINADOR, nombres="Inés").id
    expediente_id = radicado(app, titular)
    verificar_todo(app, expediente_id)
    with app.app_context(), todas_las_empresas():
        entorno = decisiones.Entorno(
            db.session.get(Usuario, coordinador_id),
            ahora(),
            app.config,
            lambda numero, codigo: f"http://127.0.0.1/consulta/{numero}",
            lambda token: f"http://127.0.0.1/expedientes/notificaciones/{token}",
        )
        acto = decisiones.negar(db.session, expediente_id, MOTIVACION, entorno)
        db.session.commit()
        return expediente_id, acto.id


def test_el_titular_recurre_y_el_coordinador_confirma(app, navegador, servidor, documentos_en_tmp, tmp_path):
    expediente_id, acto_id = _negado(app)
    pruebas = tmp_path / "certificacion-fabricante.pdf"
    pruebas.write_bytes(pdf("Certificación del fabricante"))
    plazo = sumar_dias_habiles(hoy_en_bogota(), 10).isoformat()
    contextos = []
    try:
        contexto, titular = persona_en_navegador(navegador, servidor, TITULAR, "Persona jurídica")
        contextos.append(contexto)
        titular.goto(f"/expedientes/{expediente_id}/actos/{acto_id}")
        titular.get_by_text("Quedó notificado").wait_for()
        titular.get_by_text(f"Procede recurso de reposición hasta el {plazo}").wait_for()
        graves = mirar_en_dos_anchos(titular, "recurso_titular")
        titular.get_by_label("Motivos de inconformidad").fill(MOTIVOS)
        titular.get_by_label("Pruebas (un PDF, opcional)").set_input_files(str(pruebas))
        titular.get_by_role("button", name="Interponer recurso de reposición").click()
        titular.get_by_text("Recurso de reposición interpuesto contra la").wait_for()
        assert titular.get_by_text("certificacion-fabricante.pdf").count() == 1
        assert titular.get_by_role("button", name="Interponer recurso de reposición").count() == 0
        titular.get_by_role("button", name="Desistir del recurso").wait_for()  # while the Invima has not resolved it
        graves += mirar_en_dos_anchos(titular, "recurso_titular_interpuesto")

        contexto, coordinador = persona_en_navegador(navegador, servidor, COORDINADOR, "Persona natural")
        contextos.append(contexto)
        coordinador.goto("/revision/cola/")
        coordinador.locator("tbody span.label", has_text="En recurso").first.wait_for()
        coordinador.goto(f"/revision/expedientes/{expediente_id}/actuaciones")
        coordinador.get_by_text("folio 40 es la del producto").wait_for()
        graves += mirar_en_dos_anchos(coordinador, "recurso_coordinador")
        coordinador.get_by_label("Confirmar la decisión").check()
        coordinador.get_by_label("Motivación (considerandos de la resolución)").fill(MOTIVACION)
        coordinador.get_by_role("button", name="Resolver el recurso").click()
        coordinador.get_by_text("recurso de reposición resuelto").wait_for()
        with app.app_context(), todas_las_empresas():
            resolucion = db.session.scalar(select(ActoAdministrativo).where(ActoAdministrativo.clase == "recurso"))
            numero, resolucion_id = resolucion.numero_texto, resolucion.id

        titular.goto(f"/expedientes/{expediente_id}/actos/{resolucion_id}")  # notified of the confirmation
        titular.get_by_text("Quedó notificado").wait_for()
        titular.goto(f"/expedientes/{expediente_id}/actos/{acto_id}")
        titular.get_by_text(f"Confirmada por la {numero}; en firme desde el").wait_for()
        assert graves == []
    finally:
        for contexto in contextos:
            contexto.close()
