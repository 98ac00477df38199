"""Two people, two companies, in two Chromium contexts (issue 4: "tried in the browser as two people of two
companies"): Ana administers «Laboratorios Alfa», Bruno administers «Cosméticos Zeta». Ana invites Bruno to Alfa with
a custom role; Bruno accepts and switches between his two companies from the header: in each one he sees only
that company's people and exactly the screens his role there allows, and Zeta's ids typed while acting as Alfa
answer 404."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.empresas import Membresia
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories, factories_empresas
from tests.helpers import encabezado, etiqueta, ingresar, mirar_en_dos_anchos

ALFA, ZETA = "Laboratorios Alfa S.A.S.", "Cosméticos Zeta Ltda."
ANA, BRUNO = "52111222", "80333444"
ROL = "Consulta"


def _enlaces_de_empresa(pagina) -> set[str]:
    hrefs = encabezado(pagina).locator("a").evaluate_all("enlaces => enlaces.map(a => a.getAttribute('href'))")
    return {h for h in hrefs if h and h.startswith("/empresa/")}


def _cambiar_a(pagina, razon_social: str) -> None:
    encabezado(pagina).get_by_role("link", name="Cambiar").click()
    pagina.get_by_label(re.compile(rf"Persona jurídica: {re.escape(razon_social)}")).check()
    pagina.get_by_role("button", name="Continuar").click()
    pagina.get_by_text(f"Ahora actúa como {razon_social.rstrip('.')}.").wait_for()


def test_una_persona_en_dos_empresas_ve_en_cada_una_solo_lo_suyo(app, navegador, servidor):
    with app.app_context():
        ana = factories.crear_usuario(numero=ANA, nombres="Ana María", apellidos="Alfonso Duarte")
        alfa = factories_empresas.crear_empresa(administrador=ana, razon_social=ALFA)
        rol_alfa = roles_empresa.crear(
            db.session,
            alfa.id,
            ana.id,
            DatosRol(ROL, "Solo lectura", "activo", frozenset({"usuarios.ver", "empresa.ver"})),
        )
        bruno = factories.crear_usuario(numero=BRUNO, nombres="Bruno", apellidos="Zapata León")
        zeta = factories_empresas.crear_empresa(administrador=bruno, razon_social=ZETA)
        factories.crear_usuario(numero="70707070", nombres="Zoila", apellidos="Zuleta")  # only ever in Zeta
        db.session.commit()
        membresia_zeta = db.session.scalar(
            select(Membresia.id).where(Membresia.empresa_id == zeta.id, Membresia.usuario_id == bruno.id)
        )
        rol_alfa_id = rol_alfa.id

    contextos = [
        navegador.new_context(base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900})
        for _ in range(2)
    ]
    try:
        for contexto in contextos:
            contexto.set_default_timeout(20_000)
        pagina_ana, pagina_bruno = (c.new_page() for c in contextos)

        ingresar(pagina_ana, ANA, "Persona jurídica")
        encabezado(pagina_ana).get_by_text(ALFA).wait_for()
        ingresar(pagina_bruno, BRUNO, "Persona jurídica")
        encabezado(pagina_bruno).get_by_text(ZETA).wait_for()

        # Bruno, as Zeta's Administrador, invites Zoila; Ana never sees her.
        pagina_bruno.goto("/empresa/usuarios/invitar")
        pagina_bruno.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
        pagina_bruno.get_by_label(etiqueta("Número de identificación")).fill("70707070")
        pagina_bruno.get_by_role("checkbox", name=re.compile("^Financiero")).check()
        pagina_bruno.get_by_role("button", name="Enviar invitación").click()
        pagina_bruno.get_by_text("Invitación enviada.").wait_for()

        # Ana invites Bruno to Alfa with the «Consulta» role.
        pagina_ana.goto("/empresa/usuarios/invitar")
        pagina_ana.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
        pagina_ana.get_by_label(etiqueta("Número de identificación")).fill(BRUNO)
        pagina_ana.get_by_role("checkbox", name=re.compile(rf"^{ROL} —")).check()
        pagina_ana.get_by_role("button", name="Enviar invitación").click()
        pagina_ana.get_by_text("Invitación enviada.").wait_for()
        assert pagina_ana.locator("tr", has_text="70707070").count() == 0

        # Bruno, still acting as Zeta, finds the invitation under «Mis invitaciones» and accepts it.
        encabezado(pagina_bruno).get_by_role("link", name="Mis invitaciones").click()
        pagina_bruno.get_by_role("button", name=f"Aceptar la invitación de {ALFA}").click()
        pagina_bruno.get_by_text("Invitación aceptada.").wait_for()

        # As Alfa: Alfa's people only, and only what «Consulta» grants.
        _cambiar_a(pagina_bruno, ALFA)
        assert _enlaces_de_empresa(pagina_bruno) == {"/empresa/usuarios/", "/empresa/datos/"}
        pagina_bruno.goto("/empresa/usuarios/")
        pagina_bruno.locator("tr", has_text=ANA).get_by_text("Representante legal").wait_for()
        assert pagina_bruno.locator("tr", has_text="70707070").count() == 0
        assert pagina_bruno.get_by_role("link", name="Invitar usuario").count() == 0
        assert pagina_bruno.goto("/empresa/roles/").status == 403
        pagina_bruno.goto("/empresa/datos/")  # Empresa → Ver without Editar: read-only
        assert pagina_bruno.locator("#razon_social, input[name=correo]").first.is_editable() is False
        assert pagina_bruno.get_by_role("button", name="Actualizar").count() == 0
        # Zeta's own membership id, typed while acting as Alfa: not found.
        assert pagina_bruno.goto(f"/empresa/usuarios/show/{membresia_zeta}").status == 404

        # Back to Zeta: Administrador again, Zeta's people, none of Alfa's.
        _cambiar_a(pagina_bruno, ZETA)
        assert {"/empresa/roles/", "/empresa/usuarios/", "/empresa/auditoria/"} <= _enlaces_de_empresa(pagina_bruno)
        pagina_bruno.goto("/empresa/usuarios/")
        pagina_bruno.locator("tr", has_text="70707070").get_by_text("Pendiente").wait_for()
        assert pagina_bruno.locator("tr", has_text=ANA).count() == 0
        pagina_bruno.goto("/empresa/roles/")
        assert pagina_bruno.get_by_text(ROL, exact=True).count() == 0  # Alfa's custom role is not Zeta's
        assert pagina_bruno.goto(f"/empresa/roles/show/{rol_alfa_id}").status == 404
        assert pagina_bruno.goto(f"/empresa/usuarios/show/{membresia_zeta}").status == 200

        # Ana's record shows her invitation and Bruno's acceptance; nothing of Zeta.
        pagina_ana.goto("/empresa/auditoria/")
        texto = pagina_ana.locator("main, .container").first.inner_text()
        assert "70707070" not in texto and ZETA not in texto
        assert encabezado(pagina_ana).get_by_text(ALFA).count() == 1
        assert mirar_en_dos_anchos(pagina_ana, "empresa_auditoria") == []  # the table scrolls inside, not the page
    finally:
        for contexto in contextos:
            contexto.close()
