"""Registros sanitarios in Chromium: the company's Administrador opens Trámites → Mis registros sanitarios and finds
the company's registros with their estado today (vigente, vencido, cancelado, en agotamiento), not another
company's, and narrows them to the expired ones; the grupo's coordinator opens Revisión → Registros sanitarios and
sorts them by expiry; anyone, without an account, looks a registro up by its number. At 1280 and 375 px without horizontal scrolling, and axe-core finds no critical, serious or
moderate violation; screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.models.registros import CANCELADO, EN_AGOTAMIENTO, VIGENTE, RegistroSanitario
from app.security.roles import ROL_COORDINADOR
from app.services.fechas import hoy_en_bogota
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.factories_expedientes import expediente_de_prueba, version_publicada
from tests.helpers import buscar_en_lista, encabezado, enlaces_de_la_lista, ingresar, mirar_en_dos_anchos
from tests.helpers_revision import PLAGUICIDAS, crear_funcionario

RAZON_SOCIAL = "Insecticidas del Caribe S.A.S."


def _registros(empresa_id: int, otra_id: int) -> None:
    hoy = hoy_en_bogota()
    version = version_publicada(db.session, "pld-registro")
    filas = (
        (empresa_id, "PUD2024-000101", "Matamoscas Rayo", {"vence_en": hoy + timedelta(days=3000)}),
        (empresa_id, "PUD2016-000044", "Cebo Hormiguicida", {"vence_en": hoy - timedelta(days=20)}),
        (empresa_id, "PUD2019-000310", "Espiral Nocturna", {"estado": CANCELADO, "cancelado_en": hoy}),
        (
            empresa_id,
            "PUD2015-000027",
            "Aerosol Brisa",
            {"estado": EN_AGOTAMIENTO, "vence_en": hoy - timedelta(days=5), "agotamiento_hasta": hoy + timedelta(180)},
        ),
        (otra_id, "PUD2025-000999", "Repelente Zeta", {"vence_en": hoy + timedelta(days=30)}),
    )
    for i, (titular, numero, producto, campos) in enumerate(filas):
        expediente = expediente_de_prueba(empresa_id=titular, radicado=f"2026-{900 + i:06d}", version=version)
        db.session.add(
            RegistroSanitario(
                numero=numero,
                clase="Registro sanitario",
                empresa_id=titular,
                grupo_id=expediente.grupo_id,
                familia_id=expediente.familia_id,
                expediente_id=expediente.id,
                nombre_producto=producto,
                otorgado_en=date(2015 + i, 6, 1),
                actualizado_en=ahora(),
                **{"estado": VIGENTE, **campos},
            )
        )
    db.session.commit()


def test_el_titular_y_el_coordinador_ven_los_registros_con_su_estado(app, pagina):
    with app.app_context():
        admin = factories.crear_usuario(numero="79444555", nombres="Rafael", apellidos="Ortiz Mejía")
        empresa = factories_empresas.crear_empresa(administrador=admin, razon_social=RAZON_SOCIAL)
        otra = factories_empresas.crear_empresa(razon_social="Químicos Zeta Ltda.")
        _registros(empresa.id, otra.id)
        crear_funcionario(ROL_COORDINADOR, (PLAGUICIDAS,), numero="79444666", nombres="Lucía", apellidos="Pardo")

    ingresar(pagina, "79444555", "Persona jurídica")
    pagina.get_by_text(f"Usted actúa como {RAZON_SOCIAL}").wait_for()
    encabezado(pagina).get_by_role("link", name="Trámites").click()
    encabezado(pagina).get_by_role("link", name="Mis registros sanitarios").click()
    pagina.get_by_role("heading", name="Mis registros sanitarios").wait_for()
    assert enlaces_de_la_lista(pagina) == ["PUD2015-000027", "PUD2019-000310", "PUD2016-000044", "PUD2024-000101"]
    for estado in ("Vigente", "Vencido", "Cancelado", "En agotamiento"):
        assert pagina.locator("tbody span.label", has_text=estado).count() == 1, estado
    assert pagina.get_by_text("Repelente Zeta").count() == 0
    graves = mirar_en_dos_anchos(pagina, "mis_registros")

    buscar_en_lista(pagina, "estado", "Vencido")
    pagina.wait_for_url("**/registros/mis/?*_flt_0_estado=Vencido*")
    assert enlaces_de_la_lista(pagina) == ["PUD2016-000044"]

    pagina.context.clear_cookies()
    ingresar(pagina, "79444666", "Persona natural")
    encabezado(pagina).get_by_role("link", name="Revisión").click()
    encabezado(pagina).get_by_role("link", name="Registros sanitarios").click()
    pagina.get_by_role("heading", name="Registros sanitarios").wait_for()
    assert enlaces_de_la_lista(pagina)[:2] == ["PUD2025-000999", "PUD2015-000027"]  # newest first
    pagina.get_by_role("link", name="Vence").click()
    pagina.wait_for_url("**_od_RegistrosRevisionView=asc*")
    assert enlaces_de_la_lista(pagina)[:3] == ["PUD2016-000044", "PUD2015-000027", "PUD2025-000999"]
    assert pagina.get_by_text(RAZON_SOCIAL).count() == 4
    graves += mirar_en_dos_anchos(pagina, "registros_revision")

    # Anyone, without an account: the number on the label says whether the product may be on sale.
    pagina.context.clear_cookies()
    pagina.goto("/consulta/")
    pagina.get_by_label("Número del registro o de la notificación sanitaria").fill("pud2015-000027")
    pagina.get_by_role("button", name="Consultar el registro").click()
    resultado = pagina.locator("#datos-registro")
    resultado.wait_for()
    assert "En agotamiento" in resultado.inner_text() and RAZON_SOCIAL in resultado.inner_text()
    graves += mirar_en_dos_anchos(pagina, "consulta_registro")
    assert not graves, "\n".join(graves)
