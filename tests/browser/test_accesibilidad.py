"""Accessibility (issue 11 §4): axe-core on every page a citizen or a company user reaches, in a 1280 px window and
on a 375 px phone: no «serious», «critical» or «moderate» violation (the issue asks for the first two; the pages
reached none of any kind, so a new moderate one fails too). `pytest -s` prints the count per page, width and impact.

axe-core is the copy vendored in the pinned axe-playwright-python (nothing fetched at run time); it goes into the
page through Playwright's evaluate (DevTools), which the Content-Security-Policy does not govern, so the `pagina`
fixture still checks that the policy blocked nothing the page itself needs.

axe-core runs with all its rules (none is turned off). Each page is loaded once and checked at both widths (the
window is resized in between: the server never knows the width, and the layout is CSS media queries), half the page
loads of a browser context per width. The states behind a click are checked too: the «Ingrese la dirección» dialog
and the «Mi empresa» menu, on the phone inside the unfolded «Menú»."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app.extensions import db
from app.models.empresas import ROL_FINANCIERO, Membresia, RolEmpresa
from app.models.expedientes import Expediente
from app.services import catalogo
from app.services.cuentas import recuperacion
from app.services.cuentas.identificacion import tipo_por_codigo
from app.services.empresas import membresias
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories, factories_empresas
from tests.factories_catalogo import catalogo_de_prueba
from tests.factories_expedientes import expediente_de_prueba
from tests.helpers import (
    CAPTCHA_PRUEBA,
    Buzon,
    cliente_de,
    encabezado,
    etiqueta,
    ingresar,
    llenar_registro_paso_1,
    llenar_registro_paso_2,
)
from tests.helpers_expedientes import adjuntar_todo, crear_borrador, llenar_formulario, version_de

ANCHOS = {"1280 px": {"width": 1280, "height": 900}, "375 px": {"width": 375, "height": 812}}
IMPACTOS = ("critical", "serious", "moderate", "minor")
GRAVES = ("critical", "serious", "moderate")
AXE = Axe()

RAZON_SOCIAL = "Droguería Los Andes S.A.S."
ADMINISTRADOR = "79111222"
NUEVA_CUENTA, CORREO_NUEVA_CUENTA = "1032456789", "laura.gomez@correo.test"


class Revision:
    """Runs axe-core on the page as it stands and keeps, per page and width, the violations counted by impact."""

    def __init__(self, pagina):
        self.pagina = pagina
        self.filas: list[tuple[str, str, Counter]] = []
        self.graves: list[str] = []

    def revisar(self, nombre: str, ruta: str | None = None, anchos=tuple(ANCHOS)) -> None:
        """Load `ruta` (if given), then check the page at each of `anchos`; the window is left at 1280 px."""
        if ruta is not None:
            respuesta = self.pagina.goto(ruta)
            assert respuesta is not None and respuesta.ok, f"{ruta} respondió {respuesta and respuesta.status}"
        for ancho in anchos:
            self.pagina.set_viewport_size(ANCHOS[ancho])
            self._anotar(nombre, ancho, self._violaciones())
        self.pagina.set_viewport_size(ANCHOS["1280 px"])

    def _violaciones(self) -> list[dict]:
        if not self.pagina.evaluate("() => typeof window.axe === 'object'"):
            self.pagina.evaluate(AXE.axe_script)  # once per document: the second width reuses it
        return self.pagina.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]

    def _anotar(self, nombre: str, ancho: str, violaciones: list[dict]) -> None:
        self.filas.append((nombre, ancho, Counter(v["impact"] for v in violaciones)))
        for v in violaciones:
            if v["impact"] in GRAVES:
                donde = "; ".join(", ".join(map(str, nodo["target"])) for nodo in v["nodes"][:5])
                self.graves.append(f"{nombre} ({ancho}): {v['id']} [{v['impact']}] {v['help']} → {donde}")

    def tabla(self) -> str:
        largo = max(len(nombre) for nombre, _, _ in self.filas)
        lineas = [f"{'página':<{largo}}  {'ancho':<7}" + "".join(f"{i:>10}" for i in IMPACTOS)]
        for nombre, ancho, cuenta in self.filas:
            lineas.append(f"{nombre:<{largo}}  {ancho:<7}" + "".join(f"{cuenta[i]:>10}" for i in IMPACTOS))
        return "\n".join(lineas)

    def comprobar(self, titulo: str) -> None:
        """Print the table (seen with `pytest -s`) and fail on any critical, serious or moderate violation."""
        tabla = self.tabla()
        print(f"\naxe-core {titulo}: violaciones por página, ancho e impacto\n{tabla}")
        graves = "\n".join(self.graves)
        assert not self.graves, f"Violaciones de accesibilidad graves o críticas:\n{graves}\n\n{tabla}"


def _enlace(smtp_sink, correo: str, asunto: str, ruta: str) -> str:
    """The path of the link to `ruta` in the mail to `correo` whose subject has `asunto`, as the person gets it."""
    texto = Buzon.texto(smtp_sink.esperar_asunto(correo, asunto, segundos=15))
    return urlparse(re.search(rf"(http\S+{ruta}\S+)", texto).group(1)).path


def _abrir_dialogo_direccion(pagina) -> None:
    pagina.locator("#abrir-direccion").click()
    # Bootstrap fades the dialog in: checked half-faded, its colours would be the wrong ones.
    pagina.wait_for_function(
        """() => {
            const d = document.querySelector('#dialogo-direccion'), f = document.querySelector('.modal-backdrop');
            return d.classList.contains('in') && getComputedStyle(d).opacity === '1'
                && f && getComputedStyle(f).opacity === '0.5';
        }"""
    )


def _abrir_menu_de_la_empresa(pagina, telefono: bool) -> None:
    if telefono:
        pagina.get_by_role("button", name="Menú").click()
        pagina.wait_for_function("() => document.querySelector('.navbar-collapse.collapse.in') !== null")
    encabezado(pagina).get_by_role("link", name="Mi empresa").click()
    encabezado(pagina).get_by_role("link", name="Usuarios").wait_for()


def test_paginas_sin_sesion_sin_violaciones_graves(app, pagina, smtp_sink):
    with app.app_context():
        persona = factories.crear_usuario(numero=ADMINISTRADOR)
        recuperacion.solicitar(db.session, persona.tipo_identificacion_id, ADMINISTRADOR, persona.email)
        catalogo.cargar_semilla(db.session, *catalogo_de_prueba("axe"))
        db.session.commit()
        correo = persona.email
    revision = Revision(pagina)

    revision.revisar("Iniciar sesión", "/login/")
    pagina.get_by_label(etiqueta("Identificación")).fill(ADMINISTRADOR)
    pagina.get_by_label(etiqueta("Contraseña")).fill("equivocada")
    pagina.get_by_role("button", name="Iniciar sesión").click()
    pagina.locator(".alert-danger, .has-error").first.wait_for()
    revision.revisar("Iniciar sesión (datos equivocados)")
    revision.revisar("Ayuda y canales de atención", "/ayuda/")
    revision.revisar("Consulta de autorizaciones", "/consulta/")
    revision.revisar("Oferta de servicios", "/oferta-de-servicios/?q=venta+libre")
    revision.revisar("¿Olvidó su contraseña?", "/cuenta/recuperar/")
    revision.revisar("Restablecer contraseña", _enlace(smtp_sink, correo, "Recuperación", "/cuenta/restablecer/"))
    revision.revisar("Activación (formulario general)", "/cuenta/activar/")
    pagina.goto("/cuenta/activar/enlace-que-no-existe")
    revision.revisar("Activación (enlace desconocido)")
    pagina.goto("/pagina-que-no-existe")
    revision.revisar("Página no encontrada (404)")

    # Crear cuenta: the three steps (the first also with its errors), the address dialog, the end.
    revision.revisar("Crear cuenta, paso 1", "/registro/paso/1")
    pagina.get_by_role("button", name="Siguiente").last.click()
    pagina.locator(".has-error").first.wait_for()
    revision.revisar("Crear cuenta, paso 1 (con errores)")
    llenar_registro_paso_1(pagina, NUEVA_CUENTA, CORREO_NUEVA_CUENTA)
    pagina.get_by_role("button", name="Siguiente").last.click()
    pagina.get_by_label(etiqueta("Departamento")).wait_for()
    revision.revisar("Crear cuenta, paso 2")
    _abrir_dialogo_direccion(pagina)
    revision.revisar("Crear cuenta, paso 2: Ingrese la dirección")
    pagina.keyboard.press("Escape")
    llenar_registro_paso_2(pagina)
    pagina.get_by_role("button", name="Siguiente").last.click()
    pagina.get_by_text("Ley 1581 de 2012").first.wait_for()
    revision.revisar("Crear cuenta, paso 3")
    pagina.get_by_label("He leído y acepto los términos y condiciones de uso.").check()
    pagina.get_by_label(etiqueta("Caracteres de verificación")).fill(CAPTCHA_PRUEBA)
    pagina.get_by_role("button", name="Crear cuenta").click()
    pagina.get_by_role("heading", name="Cuenta creada con éxito").wait_for()
    revision.revisar("Cuenta creada con éxito")
    enlace = _enlace(smtp_sink, CORREO_NUEVA_CUENTA, "Activación", "/cuenta/activar/")
    revision.revisar("Activación (enlace del correo)", enlace)

    revision.comprobar("sin sesión")


def test_paginas_de_la_persona_y_de_su_empresa_sin_violaciones_graves(app, pagina):
    """The person administers a company with a custom role and a pending invitation (so its record of actions has
    rows), and another company's invitation waits for them in «Mis invitaciones»."""
    with app.app_context():
        persona = factories.crear_usuario(numero=ADMINISTRADOR, nombres="Camilo", apellidos="Restrepo Uribe")
        empresa = factories_empresas.crear_empresa(administrador=persona, razon_social=RAZON_SOCIAL)
        cc = tipo_por_codigo(db.session, "CC").id
        rol = roles_empresa.crear(
            db.session,
            empresa.id,
            persona.id,
            DatosRol("Consulta de usuarios", "Consulta la lista de usuarios", "activo", frozenset({"usuarios.ver"})),
        )
        invitada = factories.crear_usuario(nombres="Luisa Fernanda", apellidos="Mejía Toro")
        pendiente = membresias.invitar(db.session, empresa.id, persona.id, cc, invitada.numero_identificacion, [rol.id])
        otra = factories_empresas.crear_empresa(razon_social="Cosméticos Zeta Ltda.")
        financiero = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == otra.id, RolEmpresa.nombre == ROL_FINANCIERO)
        )
        membresias.invitar(db.session, otra.id, otra.creado_por_id, cc, ADMINISTRADOR, [financiero])
        expediente_de_prueba(db.session, empresa_id=empresa.id, commit=False)
        expediente_de_prueba(db.session, empresa_id=empresa.id, radicado="2026-000001", commit=False)
        db.session.commit()
        propia = db.session.scalar(
            select(Membresia.id).where(Membresia.empresa_id == empresa.id, Membresia.usuario_id == persona.id)
        )
        rol_id, pendiente_id = rol.id, pendiente.id
    revision = Revision(pagina)

    ingresar(pagina, ADMINISTRADOR, "Persona natural")
    pagina.get_by_role("heading", name="Bienvenido(a), Camilo").wait_for()
    revision.revisar("Inicio (persona natural)")
    revision.revisar("Mi perfil", "/perfil/")
    revision.revisar("Agregar profesión", "/perfil/profesiones/nueva")
    revision.revisar("Cambiar contraseña", "/perfil/contrasena/")
    revision.revisar("Mis invitaciones", "/invitaciones/")
    revision.revisar("Mis expedientes (persona natural)", "/expedientes/mis/")
    revision.revisar("Registrar una empresa", "/empresas/registrar/")
    revision.revisar("Ingresar como", "/actuar/")

    pagina.get_by_label(re.compile(rf"Persona jurídica: {re.escape(RAZON_SOCIAL)}")).check()
    pagina.get_by_role("button", name="Continuar").click()
    pagina.get_by_text(f"Ahora actúa como {RAZON_SOCIAL.rstrip('.')}.").wait_for()
    revision.revisar("Inicio (empresa)")
    _abrir_menu_de_la_empresa(pagina, telefono=False)
    revision.revisar("Menú «Mi empresa» abierto", anchos=("1280 px",))
    pagina.set_viewport_size(ANCHOS["375 px"])
    pagina.reload()
    _abrir_menu_de_la_empresa(pagina, telefono=True)
    revision.revisar("Menú «Mi empresa» abierto", anchos=("375 px",))
    revision.revisar("Datos de la empresa", "/empresa/datos/")
    revision.revisar("Roles", "/empresa/roles/")
    revision.revisar("Crear rol", "/empresa/roles/add")
    revision.revisar("Ver rol", f"/empresa/roles/show/{rol_id}")
    revision.revisar("Editar rol", f"/empresa/roles/edit/{rol_id}")
    revision.revisar("Usuarios", "/empresa/usuarios/")
    revision.revisar("Invitar usuario", "/empresa/usuarios/invitar")
    revision.revisar("Invitar responsable técnico", "/empresa/usuarios/tecnicos/invitar")
    revision.revisar("Ver usuario", f"/empresa/usuarios/show/{propia}")
    revision.revisar("Cambiar roles", f"/empresa/usuarios/edit/{pendiente_id}")
    revision.revisar("Registro de acciones", "/empresa/auditoria/")
    revision.revisar("Mis expedientes", "/expedientes/mis/")

    revision.comprobar("con sesión")


def test_paginas_de_un_tramite_sin_violaciones_graves(app, pagina):
    """Filing: «Nuevo trámite» with a trámite chosen, a draft, every section of its form (one with errors), the
    responsable técnico's page, a radicado expediente and the public verification with its result."""
    with app.app_context():
        persona = factories.crear_usuario(numero=ADMINISTRADOR, nombres="Camilo", apellidos="Restrepo Uribe")
        empresa_id = factories_empresas.crear_empresa(administrador=persona, razon_social=RAZON_SOCIAL).id
        version_id = version_de("pld-registro").id
    cliente = cliente_de(app, persona, empresa_id)
    borrador = crear_borrador(app, cliente, "pld-registro", modalidad="Fabricar y vender")
    radicado = crear_borrador(app, cliente, "pld-registro", modalidad="Fabricar y vender")
    llenar_formulario(cliente, radicado, "pld-registro")
    adjuntar_todo(cliente, radicado)
    assert cliente.post(f"/expedientes/{radicado}/radicar", data={"csrf_token": cliente.csrf}).status_code == 302
    with app.app_context():
        numero = db.session.get(Expediente, radicado).radicado
    revision = Revision(pagina)

    ingresar(pagina, ADMINISTRADOR, "Persona jurídica")
    pagina.get_by_text(f"Usted actúa como {RAZON_SOCIAL}").wait_for()
    revision.revisar("Nuevo trámite", f"/expedientes/nuevo?tramite={version_id}")
    revision.revisar("Borrador", f"/expedientes/{borrador}/")
    for seccion in ("titular", "pago", "producto", "notificacion", "declaracion"):
        revision.revisar(f"Sección {seccion}", f"/expedientes/{borrador}/secciones/{seccion}")
    pagina.get_by_role("button", name="Guardar sección").click()
    pagina.get_by_text("Revise los campos marcados.").wait_for()
    revision.revisar("Sección con errores")
    revision.revisar("Confirmar como responsable técnico", "/expedientes/confirmaciones/")
    revision.revisar("Expediente radicado", f"/expedientes/{radicado}/")
    pagina.goto(f"/consulta/?radicado={numero}&codigo=XXXX-XXXX")
    revision.revisar("Consulta sin coincidencia")
    revision.comprobar("de un trámite")
