"""What test modules share: constants, the SMTP sink's mailbox, logging in through the real form, clients acting as
a company, counting SQL statements, building PDFs, browser labels. Fixtures live in conftest.py; a test module
imports helpers from here and never from another test module (or from conftest)."""

from __future__ import annotations

import io
import os
import re
import socket
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
# With pytest-xdist (make test runs one worker per core) each worker has a database of its own on the one embedded
# server: invima_test_gw0, invima_test_gw1, ...
TEST_DB = os.environ.get("TEST_DB_NAME", "invima_test") + (
    f"_{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""
)
CAPTCHA_PRUEBA = "PRUEBA"
CONTRASENA = "Clave#2026x"

# Emptied after every test with every table that refers to them (reference data stays).
TABLAS_DE_DATOS = (
    "empresa",
    "ab_user",
    "verificacion",
    "mensaje_correo",
    "auditoria",
    "usuario_profesion",
    "expediente",
    "contador_radicado",
)

# The tables TRUNCATE … CASCADE of TABLAS_DE_DATOS would empty: those and, transitively, every table with a foreign
# key to one of them.
_TABLAS_ALCANZADAS = """
WITH RECURSIVE alcanzadas(oid) AS (
    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname = ANY(:raices)
    UNION
    SELECT con.conrelid FROM pg_constraint con JOIN alcanzadas a ON con.confrelid = a.oid WHERE con.contype = 'f'
)
SELECT c.relname,
       ARRAY(SELECT s.relname FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
             WHERE d.refobjid = c.oid AND d.deptype IN ('a', 'i') AND s.relkind = 'S')
FROM alcanzadas a JOIN pg_class c ON c.oid = a.oid ORDER BY c.relname
"""
_limpieza: list[str] = []


def limpiar_datos(session) -> None:
    """Empty the data tables and restart their ids, as TRUNCATE TABLAS_DE_DATOS RESTART IDENTITY CASCADE would,
    with DELETEs: a TRUNCATE of ~45 tables rewrote ~150 files and cost ~125 ms after each of ~2 000 tests; deleting
    the few rows a test wrote costs a few ms. Foreign keys and the audit log's immutability are triggers, which a
    replica session role does not fire: that needs a superuser (the embedded server's); with another user
    (TEST_DATABASE_URL) it falls back to the TRUNCATE. Commits."""
    from sqlalchemy import text

    if not _limpieza:
        superusuario = session.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
        if not superusuario:
            _limpieza.append(f"TRUNCATE {', '.join(TABLAS_DE_DATOS)} RESTART IDENTITY CASCADE")
        else:
            filas = session.execute(text(_TABLAS_ALCANZADAS), {"raices": list(TABLAS_DE_DATOS)}).all()
            secuencias = ", ".join(f"setval('\"{sec}\"', 1, false)" for _, lista in filas for sec in lista)
            _limpieza.append(
                "SET LOCAL session_replication_role = replica; "
                + " ".join(f'DELETE FROM "{tabla}";' for tabla, _ in filas)
                + (f" SELECT {secuencias}" if secuencias else "")
            )
    session.execute(text(_limpieza[0]))
    session.commit()


def puerto_libre() -> int:
    """A local TCP port nobody listens on (free when returned)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- mail


class Buzon:
    """Messages received by the local SMTP sink."""

    def __init__(self):
        self.mensajes = []

    def handle_DATA_factory(self):
        buzon = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
                buzon.mensajes.append({"para": list(envelope.rcpt_tos), "asunto": str(msg["subject"]), "mensaje": msg})
                return "250 OK"

        return Handler()

    def limpiar(self):
        self.mensajes.clear()

    def para(self, correo: str) -> list[dict]:
        return [m for m in self.mensajes if correo.lower() in [p.lower() for p in m["para"]]]

    @staticmethod
    def texto(m: dict) -> str:
        parte = m["mensaje"].get_body(preferencelist=("plain",))
        return parte.get_content() if parte else ""

    @staticmethod
    def html(m: dict) -> str:
        parte = m["mensaje"].get_body(preferencelist=("html",))
        return parte.get_content() if parte else ""

    def esperar(self, correo: str, cantidad: int = 1, segundos: float = 5.0) -> list[dict]:
        limite = time.time() + segundos
        while time.time() < limite:
            encontrados = self.para(correo)
            if len(encontrados) >= cantidad:
                return encontrados
            time.sleep(0.05)
        raise AssertionError(f"No llegaron {cantidad} correos para {correo}: {[m['para'] for m in self.mensajes]}")

    def esperar_asunto(self, correo: str, fragmento: str, segundos: float = 5.0) -> dict:
        """The first message for `correo` whose subject contains `fragmento`, waiting for it: the outbox worker of
        the browser tests may be the one sending it, a moment after enviar_pendientes returns."""
        limite = time.time() + segundos
        while time.time() < limite:
            for mensaje in self.para(correo):
                if fragmento in mensaje["asunto"]:
                    return mensaje
            time.sleep(0.05)
        raise AssertionError(
            f"No llegó a {correo} un correo con «{fragmento}»: {[m['asunto'] for m in self.para(correo)]}"
        )


def mensajes_de_correo(app) -> list:
    """Every row of the outbox (mensaje_correo), oldest first, detached from the session."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.correo import MensajeCorreo

    with app.app_context():
        filas = db.session.scalars(select(MensajeCorreo).order_by(MensajeCorreo.id)).all()
        db.session.expunge_all()
        return filas


# ---------------------------------------------------------------- HTTP clients


def texto(respuesta) -> str:
    return respuesta.get_data(as_text=True)


def csrf_de(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert m, "la página no tiene token CSRF"
    return m.group(1)


def iniciar_sesion(client, usuario, contrasena: str = CONTRASENA, como: str = "natural", **opciones):
    """Log in through the real login form (Ingresar como + tipo + número + contraseña)."""
    pagina = client.get("/login/")
    return client.post(
        "/login/",
        data={
            "csrf_token": csrf_de(pagina.get_data(as_text=True)),
            "ingresar_como": como,
            "tipo_identificacion": str(usuario.tipo_identificacion_id),
            "identificacion": usuario.numero_identificacion,
            "contrasena": contrasena,
        },
        **opciones,
    )


def actuar_como(cliente, empresa_id: int | None) -> None:
    """Make the client act as a company (as the "Ingresar como" choice does); None → persona natural."""
    with cliente.session_transaction() as sesion:
        if empresa_id is None:
            sesion.pop("empresa_id", None)
        else:
            sesion["empresa_id"] = int(empresa_id)


class ClientePrueba(FlaskClient):
    """A test client that remembers who it is (`usuario`, `empresa_id`) and reads its CSRF token on first use."""

    usuario = None
    empresa_id: int | None = None
    _csrf: str | None = None

    @property
    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = csrf_de(self.get("/actuar/").get_data(as_text=True))
        return self._csrf

    @csrf.setter
    def csrf(self, valor: str) -> None:
        self._csrf = valor


def cliente_de(app, usuario, empresa_id: int | None = None) -> ClientePrueba:
    """A client logged in as `usuario` through the login form, acting as company `empresa_id` (None: persona
    natural). `usuario` needs only tipo_identificacion_id and numero_identificacion."""
    cliente = ClientePrueba(app, app.response_class, use_cookies=True)
    respuesta = iniciar_sesion(cliente, usuario)
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)
    if empresa_id is not None:
        actuar_como(cliente, empresa_id)
    cliente.usuario, cliente.empresa_id = usuario, empresa_id
    return cliente


def cliente_nuevo(app, **datos) -> ClientePrueba:
    """A new account (factories.crear_usuario(**datos)) logged in as persona natural."""
    from tests import factories

    with app.app_context():
        usuario = factories.crear_usuario(**datos)
    return cliente_de(app, usuario)


def administrador_de_empresa(app, razon_social: str | None = None, **empresa) -> ClientePrueba:
    """A new company with its Administrador (factories_empresas.crear_empresa), logged in and acting as it."""
    from tests import factories, factories_empresas

    with app.app_context():
        administrador = factories.crear_usuario(**({"nombres": f"Admin {razon_social}"} if razon_social else {}))
        empresa_id = factories_empresas.crear_empresa(
            administrador=administrador, razon_social=razon_social, **empresa
        ).id
    return cliente_de(app, administrador, empresa_id)


def miembro_con_rol(app, empresa_id: int, rol: str = "Financiero") -> ClientePrueba:
    """A new account added to the company with its predefined or custom role `rol`, logged in and acting as it."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.empresas import Empresa, RolEmpresa
    from app.services.empresas import alta
    from tests import factories

    with app.app_context():
        persona = factories.crear_usuario()
        empresa = db.session.get(Empresa, empresa_id)
        del_rol = db.session.scalar(
            select(RolEmpresa).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == rol)
        )
        alta.agregar_miembro_aceptado(db.session, empresa, persona, [del_rol])
        db.session.commit()
        db.session.refresh(persona)
    return cliente_de(app, persona, empresa_id)


def administrador_y_empresa(app, razon_social: str | None = None, **empresa) -> tuple[ClientePrueba, int]:
    """administrador_de_empresa, unpacked as (client, company id)."""
    cliente = administrador_de_empresa(app, razon_social, **empresa)
    return cliente, cliente.empresa_id


# ---------------------------------------------------------------- SQL statements


@contextmanager
def contar_sentencias(app, anotar=lambda conn, statement: statement):
    """The statements this thread runs, as `anotar(connection, statement)` gives them (the SQL text by default)."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        motor = db.engine
    sentencias: list = []
    # Only this thread's statements: the browser tests leave a live server and the outbox worker polling.
    hilo = threading.get_ident()

    def registrar(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == hilo:
            sentencias.append(anotar(conn, statement))

    event.listen(motor, "before_cursor_execute", registrar)
    try:
        yield sentencias
    finally:
        event.remove(motor, "before_cursor_execute", registrar)


# ---------------------------------------------------------------- PDFs


def escribir_pdf(escritor) -> bytes:
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def pdf(texto: str = "uno", relleno: int = 0, paginas: int = 1) -> bytes:
    """A real PDF (written by pypdf) of `paginas` pages whose bytes depend on `texto`; `relleno` bytes of blank page
    content make it larger at no parsing cost."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    escritor = PdfWriter()
    pagina = escritor.add_blank_page(72, 72)
    for _ in range(paginas - 1):
        escritor.add_blank_page(72, 72)
    escritor.add_metadata({"/Subject": texto})
    if relleno:
        contenido = StreamObject()
        contenido.set_data(b" " * relleno)
        pagina[NameObject("/Contents")] = escritor._add_object(contenido)
    return escribir_pdf(escritor)


def pdf_con(modificar) -> bytes:
    """A one-page PDF changed by `modificar(escritor)` before writing."""
    from pypdf import PdfWriter

    escritor = PdfWriter()
    escritor.add_blank_page(72, 72)
    modificar(escritor)
    return escribir_pdf(escritor)


# ---------------------------------------------------------------- browser (Playwright pages)


def etiqueta(texto: str) -> re.Pattern:
    """A label as shown, with or without the required-field asterisk."""
    return re.compile(rf"^\*?\s*{re.escape(texto)}$")


def ingresar(pagina, numero: str, como: str) -> None:
    """Log in with a cédula de ciudadanía through the login page, as «Persona natural» or «Persona jurídica»."""
    pagina.goto("/login/")
    pagina.get_by_label(etiqueta("Ingresar como")).select_option(label=como)
    pagina.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Identificación")).fill(numero)
    pagina.get_by_label(etiqueta("Contraseña")).fill(CONTRASENA)
    pagina.get_by_role("button", name="Iniciar sesión").click()


def persona_en_navegador(navegador, servidor: str, numero: str, como: str = "Persona natural"):
    """A browser context of its own for the person `numero`, logged in `como`: (context, page). Close the context."""
    contexto = navegador.new_context(base_url=servidor, locale="es-CO", viewport={"width": 1280, "height": 900})
    contexto.set_default_timeout(20_000)  # as tests/browser/conftest.py's pagina
    pagina = contexto.new_page()
    ingresar(pagina, numero, como)
    pagina.wait_for_load_state()
    return contexto, pagina


def encabezado(pagina):
    return pagina.locator(".navbar")


ANCHOS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 812}}
IMPACTOS_GRAVES = ("critical", "serious", "moderate")


def mirar_en_dos_anchos(pagina, nombre: str) -> list[str]:
    """The page as it stands at 1280 and 375 px: a screenshot of each in test-artifacts/<nombre>_<ancho>.png, no
    horizontal scrolling (asserted), and axe-core's critical, serious and moderate violations (returned, to assert
    once). Leaves the window at 1280 px."""
    from axe_playwright_python.sync_playwright import Axe

    destino = ROOT / "test-artifacts"
    destino.mkdir(exist_ok=True)
    axe, graves = Axe(), []
    for ancho, tamano in ANCHOS.items():
        pagina.set_viewport_size(tamano)
        pagina.screenshot(path=str(destino / f"{nombre}_{ancho}.png"), full_page=True)
        assert pagina.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), ancho
        if not pagina.evaluate("() => typeof window.axe === 'object'"):
            pagina.evaluate(axe.axe_script)
        violaciones = pagina.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
        graves += [
            f"{ancho}: {v['id']} {v['help']} {v['nodes'][0]['target']}"
            for v in violaciones
            if v["impact"] in IMPACTOS_GRAVES
        ]
    pagina.set_viewport_size(ANCHOS["1280"])
    return graves


def enlaces_de_la_lista(pagina) -> list[str]:
    """The links of the first column of a generated list (a radicado, a registro's number), top to bottom."""
    return pagina.locator("table.table-bordered tbody tr td:first-child a").all_inner_texts()


def buscar_en_lista(pagina, columna: str, valor: str) -> None:
    """FAB's search of a generated list: Buscar → Agregar filtro → `columna` → `valor` (a select) → Buscar."""
    pagina.get_by_role("link", name="Buscar").click()
    pagina.get_by_role("button", name="Agregar filtro").click()
    pagina.locator(f"#filter_form a.filter[name={columna}]").click()
    pagina.locator(f"#filter_form select[name^=_flt_][name$={columna}]").select_option(valor, force=True)
    pagina.locator("#filter_form").get_by_role("button", name="Buscar").click()


def llenar_registro_paso_1(pagina, numero: str, correo: str) -> None:
    """Crear cuenta, paso 1 «Información general»: Laura Valentina Gómez Ríos, cédula de ciudadanía `numero` (the
    confirmation of the mail typed in capitals). Leaves pressing «Siguiente» to the caller."""
    pagina.get_by_label(etiqueta("Tipo de identificación")).select_option(label="Cédula de ciudadanía")
    pagina.get_by_label(etiqueta("Número de identificación")).fill(numero)
    pagina.get_by_label(etiqueta("Confirmar identificación")).fill(numero)
    pagina.get_by_label(etiqueta("Nombre(s)")).fill("Laura Valentina")
    pagina.get_by_label(etiqueta("Apellido(s)")).fill("Gómez Ríos")
    pagina.get_by_label(etiqueta("Correo electrónico")).fill(correo)
    pagina.get_by_label(etiqueta("Confirmar correo electrónico")).fill(correo.upper())
    pagina.get_by_label(etiqueta("Fecha de nacimiento")).fill("1991-03-14")
    pagina.get_by_label(etiqueta("Sexo al nacer")).select_option(label="Femenino")
    pagina.get_by_label(etiqueta("Nivel académico")).select_option(label="Pregrado")
    pagina.get_by_label(etiqueta("Grupo étnico")).select_option(label="Afrocolombiano")


def llenar_registro_paso_2(pagina) -> None:
    """Crear cuenta, paso 2 «Datos de ubicación»: Medellín, Calle 26 # 68C - 10 written in the «Ingrese la
    dirección» dialog. Leaves pressing «Siguiente» to the caller."""
    pagina.get_by_label(etiqueta("Departamento")).select_option(label="Antioquia")
    pagina.get_by_label(etiqueta("Municipio")).locator("option", has_text="Medellín").wait_for(state="attached")
    pagina.get_by_label(etiqueta("Municipio")).select_option(label="Medellín")
    pagina.get_by_label(etiqueta("Estrato socioeconómico")).select_option(label="3")
    pagina.locator("#abrir-direccion").click()
    dialogo = pagina.locator("#dialogo-direccion")
    dialogo.get_by_text("Ingrese la dirección").wait_for()
    dialogo.get_by_label("No").check()
    dialogo.get_by_label(etiqueta("Principal")).select_option(label="Calle")
    dialogo.get_by_label(etiqueta("Número principal")).fill("26")
    dialogo.get_by_label(etiqueta("Número secundario")).fill("68")
    dialogo.get_by_label(etiqueta("Sufijo secundario")).fill("C")
    dialogo.get_by_label(etiqueta("Número final")).fill("10")
    dialogo.get_by_role("button", name="Aceptar").click()
    pagina.wait_for_function("() => document.querySelector('#direccion').value.startsWith('Calle 26 # 68C - 10')")
    pagina.get_by_label(etiqueta("Localización geográfica")).select_option(label="Urbana")
    pagina.get_by_label(etiqueta("Celular")).fill("3001234567")
