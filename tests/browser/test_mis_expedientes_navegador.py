"""«Mis expedientes» in Chromium: the company's Administrador opens Trámites → Mis expedientes, finds the company's
expedientes newest first (not another company's), narrows the list with FAB's search (Estado → Radicado), sorts
by «Creado» and reaches «Nuevo trámite»."""

from __future__ import annotations

from datetime import datetime

from app.services.fechas import BOGOTA
from tests import factories, factories_empresas
from tests.factories_expedientes import expediente_de_prueba
from tests.helpers import buscar_en_lista, encabezado, enlaces_de_la_lista, ingresar

RAZON_SOCIAL = "Laboratorios Tayrona S.A.S."


def test_el_administrador_encuentra_los_expedientes_de_su_empresa(app, pagina):
    with app.app_context():
        admin = factories.crear_usuario(numero="79333444", nombres="Marta", apellidos="Lozano Díaz")
        empresa = factories_empresas.crear_empresa(administrador=admin, razon_social=RAZON_SOCIAL)
        otra = factories_empresas.crear_empresa(razon_social="Cosméticos Zeta Ltda.")
        ids = {}
        for dia, radicado in ((3, None), (2, "2026-000002"), (1, "2026-000001")):
            ids[dia] = expediente_de_prueba(
                empresa_id=empresa.id,
                radicado=radicado,
                creado_en=datetime(2026, 3, dia, 10, tzinfo=BOGOTA),
                nombre_producto=f"Crema Tayrona {dia}",
            ).id
        expediente_de_prueba(empresa_id=otra.id, radicado="2026-000009", nombre_producto="Jabón Zeta")
    borrador = f"Borrador n.º {ids[3]}"

    ingresar(pagina, "79333444", "Persona jurídica")
    pagina.get_by_text(f"Usted actúa como {RAZON_SOCIAL}").wait_for()
    encabezado(pagina).get_by_role("link", name="Trámites").click()
    encabezado(pagina).get_by_role("link", name="Mis expedientes").click()
    pagina.get_by_role("heading", name="Mis expedientes").wait_for()
    assert enlaces_de_la_lista(pagina) == [borrador, "2026-000002", "2026-000001"]
    assert pagina.get_by_text("Jabón Zeta").count() == 0

    # FAB's search: Buscar → Agregar filtro → Estado → «Radicado» → Buscar.
    buscar_en_lista(pagina, "estado", "Radicado")
    pagina.wait_for_url("**/expedientes/mis/?*_flt_0_estado=Radicado*")
    assert enlaces_de_la_lista(pagina) == ["2026-000002", "2026-000001"]

    # «Creado» sorts: oldest first.
    pagina.get_by_role("link", name="Creado").click()
    pagina.wait_for_url("**_od_MisExpedientesView=asc*")
    assert enlaces_de_la_lista(pagina) == ["2026-000001", "2026-000002"]

    enlace = pagina.get_by_role("link", name="Nuevo trámite")
    assert enlace.get_attribute("href") == "/expedientes/nuevo"
