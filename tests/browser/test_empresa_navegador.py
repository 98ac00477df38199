"""Delegated administration in Chromium, two people in two browser contexts (issue 4 §6):

the company's Administrador (Ingresar como → Persona jurídica) creates a custom role with Usuarios → Ver only by
clicking the tree → invites a second person by identification with that role → that person accepts in «Mis
invitaciones», switches to the company from the header «Cambiar» and can do exactly what the role allows → the
Administrador pauses the role (Inactivar / Reactivar) while she holds it, searches the generated list, changes their
roles and inactivates them → their very next request no
longer acts as the company and is refused."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories, factories_empresas
from tests.helpers import encabezado, etiqueta, ingresar

RAZON_SOCIAL = "Droguería Los Andes S.A.S."
ROL = "Consulta de usuarios"
NUMERO_INVITADA = "1020304050"


def test_administrador_crea_rol_invita_y_la_invitada_trabaja_con_ese_rol_hasta_ser_inactivada(app, navegador, servidor):
    with app.app_context():
        admin = factories.crear_usuario(numero="79111222", nombres="Camilo", apellidos="Restrepo Uribe")
        factories_empresas.crear_empresa(administrador=admin, razon_social=RAZON_SOCIAL)
        factories.crear_usuario(numero=NUMERO_INVITADA, nombres="Luisa Fernanda", apellidos="Mejía Toro")

    contexto_admin = navegador.new_context(base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900})
    contexto_invitada = navegador.new_context(
        base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900}
    )
    try:
        for contexto in (contexto_admin, contexto_invitada):
            contexto.set_default_timeout(20_000)
        administrador = contexto_admin.new_page()
        invitada = contexto_invitada.new_page()

        # The Administrador logs in as the company (one company: chosen at once).
        ingresar(administrador, "79111222", "Persona jurídica")
        administrador.get_by_text(f"Usted actúa como {RAZON_SOCIAL}").wait_for()
        encabezado(administrador).get_by_text(RAZON_SOCIAL).wait_for()

        # Roles (generated list) → Crear rol (generated add form with the tree): the «Usuarios» branch checks all
        # its leaves; unchecking all but «Ver» leaves it mixed.
        administrador.goto("/empresa/roles/")
        administrador.locator("tr", has_text="Financiero").get_by_text("Predefinido").wait_for()
        administrador.get_by_role("link", name="Crear rol").click()
        administrador.get_by_role("heading", name="Crear rol").wait_for()
        administrador.get_by_label(etiqueta("Nombre del rol")).fill(ROL)
        administrador.get_by_label(etiqueta("Descripción")).fill("Consulta la lista de usuarios de la empresa")
        administrador.get_by_label("Todos los permisos de Usuarios").check()
        hojas = {h: administrador.locator(f"#hoja-usuarios-{h}") for h in ("ver", "invitar", "cambiar_roles")}
        for hoja in ("ver", "invitar", "cambiar_roles", "inactivar", "eliminar"):
            assert administrador.locator(f"#hoja-usuarios-{hoja}").is_checked()
        for hoja in ("invitar", "cambiar_roles", "inactivar", "eliminar"):
            administrador.locator(f"#hoja-usuarios-{hoja}").uncheck()
        assert hojas["ver"].is_checked() and not hojas["invitar"].is_checked()
        assert administrador.locator("#rama-usuarios").evaluate("caja => caja.indeterminate")
        assert not administrador.locator("#hoja-roles-ver").is_checked()
        administrador.get_by_role("button", name="Guardar").click()
        administrador.get_by_text(f"Rol «{ROL}» creado.").wait_for()
        fila_rol = administrador.locator("tr", has_text=ROL)
        fila_rol.get_by_text("Usuarios: ver").wait_for()
        assert "invitar" not in fila_rol.inner_text().lower() and "Roles:" not in fila_rol.inner_text()
        # Its detail (generated «show»): the tree, read-only, with exactly the chosen leaf.
        fila_rol.get_by_role("link", name=f"Ver el rol {ROL}").click()
        administrador.get_by_role("heading", name=f"Rol «{ROL}»").wait_for()
        assert administrador.locator("#hoja-usuarios-ver").is_checked()
        assert administrador.locator("#hoja-usuarios-ver").is_disabled()
        assert not administrador.locator("#hoja-usuarios-invitar").is_checked()

        # Usuarios → Invitar usuario, by tipo + número, with the new role.
        administrador.goto("/empresa/usuarios/")
        administrador.get_by_role("link", name="Invitar usuario").click()
        administrador.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
        administrador.get_by_label(etiqueta("Número de identificación")).fill(NUMERO_INVITADA)
        administrador.get_by_label(ROL).check()
        administrador.get_by_role("button", name="Enviar invitación").click()
        administrador.get_by_text("Invitación enviada.").wait_for()
        administrador.locator("tr", has_text=NUMERO_INVITADA).get_by_text("Pendiente").wait_for()

        # The generated list's search (FAB filters): Buscar → Agregar filtro → Identificación → Buscar.
        administrador.get_by_role("link", name="Buscar").click()
        administrador.get_by_role("button", name="Agregar filtro").click()
        administrador.locator("#filter_form a.filter[name=numero_identificacion]").click()
        filtro = administrador.locator("#filter_form input[name^=_flt_][name$=numero_identificacion]")
        filtro.fill(NUMERO_INVITADA[:6])
        expect(filtro).to_have_value(NUMERO_INVITADA[:6])
        # The search is a GET of the list with the filter in the URL: wait for that page, not just for the click.
        with administrador.expect_navigation(url=re.compile(r"_flt_\d+_numero_identificacion=")):
            administrador.locator("#filter_form").get_by_role("button", name="Buscar").click()
        administrador.get_by_role("link", name="Quitar los filtros").wait_for()
        assert administrador.locator("tr", has_text=NUMERO_INVITADA).count() == 1
        assert administrador.locator("tr", has_text="79111222").count() == 0

        # The second person logs in as persona natural, sees the invitation and accepts it.
        ingresar(invitada, NUMERO_INVITADA, "Persona natural")
        invitada.get_by_text("Tiene 1 invitación(es) pendiente(s).").wait_for()
        invitada.get_by_role("link", name="Ver mis invitaciones").click()
        invitada.get_by_role("heading", name=re.compile(re.escape(RAZON_SOCIAL))).wait_for()
        invitada.get_by_text(ROL).wait_for()
        invitada.get_by_role("button", name=f"Aceptar la invitación de {RAZON_SOCIAL}").click()
        invitada.get_by_text("Invitación aceptada.").wait_for()
        assert "Persona natural" in encabezado(invitada).inner_text()

        # Header «Cambiar» → the company.
        encabezado(invitada).get_by_role("link", name="Cambiar").click()
        invitada.get_by_label(re.compile(rf"Persona jurídica: {re.escape(RAZON_SOCIAL)}")).check()
        invitada.get_by_role("button", name="Continuar").click()
        invitada.get_by_text(f"Ahora actúa como {RAZON_SOCIAL.rstrip('.')}.").wait_for()
        encabezado(invitada).get_by_text(RAZON_SOCIAL).wait_for()

        # Exactly what the role allows: the menu offers Usuarios only; the list opens, read-only.
        menu = encabezado(invitada)
        assert menu.locator("a[href='/empresa/usuarios/']").count() == 1
        assert menu.locator("a[href='/empresa/roles/']").count() == 0
        assert menu.locator("a[href='/empresa/auditoria/']").count() == 0
        menu.get_by_role("link", name="Mi empresa").click()
        menu.get_by_role("link", name="Usuarios").click()
        invitada.get_by_role("heading", level=1, name=re.compile("Usuarios")).wait_for()
        invitada.locator("tr", has_text="79111222").get_by_text("Representante legal").wait_for()
        invitada.locator("tr", has_text=NUMERO_INVITADA).get_by_text("Aceptado").wait_for()
        assert invitada.get_by_role("link", name="Invitar usuario").count() == 0
        assert invitada.get_by_role("button", name="Inactivar").count() == 0
        assert invitada.get_by_role("link", name="Editar roles").count() == 0
        # Her detail page (generated «show»): read-only for her.
        invitada.locator("tr", has_text=NUMERO_INVITADA).get_by_role("link", name="Ver").click()
        invitada.get_by_role("heading", name="Usuario de la empresa").wait_for()
        assert invitada.get_by_role("button", name="Eliminar").count() == 0

        respuesta = invitada.goto("/empresa/roles/")
        assert respuesta.status == 403
        invitada.get_by_text("Error 403").wait_for()
        invitada.get_by_text(f"Su rol en {RAZON_SOCIAL} no le permite esta acción (Roles → Ver).").wait_for()

        # Her role is now held by an active user: the Administrador may no longer edit it, and is told why.
        administrador.goto("/empresa/roles/")
        administrador.locator("tr", has_text=ROL).get_by_role("link", name=f"Editar el rol {ROL}").click()
        administrador.get_by_text(f"El rol «{ROL}» está asignado a 1 usuario(s) activo(s)").wait_for()
        assert administrador.url.endswith("/empresa/roles/")

        # …but may pause it (asked first): her very next request no longer has «Usuarios → Ver»; reactivated, it has.
        administrador.once("dialog", lambda dialogo: dialogo.accept())
        administrador.locator("tr", has_text=ROL).get_by_role("button", name=f"Inactivar el rol {ROL}").click()
        administrador.get_by_text(f"Rol «{ROL}» inactivado").wait_for()
        administrador.locator("tr", has_text=ROL).get_by_text("Inactivo").wait_for()
        assert invitada.goto("/empresa/usuarios/").status == 403
        administrador.locator("tr", has_text=ROL).get_by_role("button", name=f"Reactivar el rol {ROL}").click()
        administrador.get_by_text(f"Rol «{ROL}» reactivado").wait_for()
        assert invitada.goto("/empresa/usuarios/").status == 200

        # The Administrador changes her roles (generated edit form), then inactivates her.
        administrador.goto("/empresa/usuarios/")
        administrador.locator("tr", has_text=NUMERO_INVITADA).get_by_role("link", name="Editar roles").click()
        administrador.get_by_role("heading", name="Cambiar roles").wait_for()
        assert administrador.get_by_label(ROL).is_checked()
        administrador.get_by_label("Financiero").check()
        administrador.get_by_role("button", name="Guardar").click()
        administrador.get_by_text("Roles actualizados.").wait_for()
        administrador.locator("tr", has_text=NUMERO_INVITADA).get_by_text(f"{ROL}, Financiero").wait_for()
        fila = administrador.locator("tr", has_text=NUMERO_INVITADA)
        fila.get_by_text("Aceptado").wait_for()
        administrador.wait_for_load_state("load")  # confirmar.js bound to the buttons
        # The page asks before an irreversible action; the administrator accepts.
        preguntas = []
        administrador.once("dialog", lambda dialogo: (preguntas.append(dialogo.message), dialogo.accept()))
        fila.get_by_role("button", name="Inactivar").click()
        administrador.get_by_text("Usuario inactivado").wait_for()
        assert preguntas == ["¿Inactivar a este usuario? Perderá el acceso a la empresa de inmediato."]
        administrador.locator("tr", has_text=NUMERO_INVITADA).get_by_text("Inactivo").wait_for()

        # Her very next request: no longer the company, the members list refused.
        respuesta = invitada.goto("/empresa/usuarios/")
        assert respuesta.status == 403
        invitada.get_by_text("Ya no tiene acceso a la empresa seleccionada").wait_for()
        assert "Persona natural" in encabezado(invitada).inner_text()
        assert RAZON_SOCIAL not in encabezado(invitada).inner_text()
        assert invitada.locator("tr", has_text="79111222").count() == 0
        # And the company is no longer offered under «Cambiar».
        encabezado(invitada).get_by_role("link", name="Cambiar").click()
        invitada.get_by_role("heading", name="Ingresar como").wait_for()
        assert invitada.get_by_text(RAZON_SOCIAL).count() == 0
    finally:
        contexto_admin.close()
        contexto_invitada.close()
