"""Bad input never gives a 500 (issue 9 §2): every case is a row, answered 400/404 with a Spanish message.

Groups of rows: a NUL byte or a lone surrogate anywhere in the request (app/web/entrada.py); ids above 2**31 − 1,
negative or not numbers in every kind of URL (the `<int:…>` converter and FAB's `<pk>`); FAB's list parameters with
junk on every generated screen; JSON bodies that are invalid, 5,000 levels deep or of the wrong content type on the
API. Rows also prove that valid list parameters keep working.

The rows only read or are refused before any change, so they share one world (`mundo`: an Invima administrator, a
person, a company and its Administrador, each with a logged-in client), built once for the module and emptied at
its end, instead of logging four people in for each of ~300 rows.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import DataError

from app.extensions import db
from app.views import errores
from app.web import entrada
from tests import factories, factories_empresas
from tests.helpers import actuar_como, csrf_de, iniciar_sesion, limpiar_datos
from tests.helpers_revision import crear_funcionario

GRANDE = 2**31  # one more than the largest PostgreSQL integer
NO_EXISTE = errores.MENSAJES[404]
NUL = "\x00"


@dataclass(frozen=True)
class Caso:
    """One request. `{csrf}` in form values is replaced by the client's CSRF token; writes carry it as a header."""

    quien: str  # anonimo, persona, admin, empresa
    metodo: str
    url: str
    datos: dict | None = None  # form fields
    cuerpo: bytes | str | None = None  # raw body, with `tipo` as its Content-Type
    tipo: str | None = None
    archivos: dict | None = None  # multipart: {campo: (bytes, nombre)}
    esperado: frozenset = frozenset({400})
    mensaje: str | None = entrada.MSG_CARACTERES  # Spanish text the answer must carry
    pagina_de_error: bool = True  # an HTML 4xx is the app's error page (not a form shown again)
    nombre: str = ""

    @property
    def id(self) -> str:
        return self.nombre or f"{self.quien} {self.metodo} {self.url}"[:120]


def _nul(quien, metodo, url, datos=None, nombre=""):
    return Caso(quien, metodo, url, datos=datos, nombre=nombre or f"NUL {metodo} {url} {sorted(datos or ())}")


def _no_existe(quien, metodo, url, nombre=""):
    return Caso(quien, metodo, url, esperado=frozenset({404}), mensaje=NO_EXISTE, nombre=nombre)


def _json(metodo, url, cuerpo, mensaje, tipo="application/json", quien="empresa", esperado=frozenset({400})):
    return Caso(quien, metodo, url, cuerpo=cuerpo, tipo=tipo, mensaje=mensaje, esperado=esperado)


LOGIN = {"ingresar_como": "natural", "tipo_identificacion": "1", "identificacion": "1032456789", "contrasena": "x"}
ROL = {"nombre": "Consulta", "descripcion": "x", "estado": "activo", "permiso": ["usuarios.ver"]}

# -------------------------------------------------------------- NUL bytes and lone surrogates

TEXTO = [
    _nul("anonimo", "POST", "/login/", {**LOGIN, "identificacion": f"10324{NUL}56789"}),
    _nul("anonimo", "POST", "/login/", {**LOGIN, "contrasena": f"Clave{NUL}#2026x"}),
    _nul("anonimo", "GET", "/login/?next=%00"),
    _nul("anonimo", "GET", "/login/?%00=1", nombre="NUL en el nombre de un parámetro"),
    _nul(
        "anonimo",
        "POST",
        "/cuenta/recuperar/",
        {"tipo_identificacion": "1", "numero_identificacion": f"1{NUL}2", "correo": f"a{NUL}@b.co", "captcha": "X"},
    ),
    _nul(
        "anonimo",
        "POST",
        "/cuenta/activar/",
        {"tipo_identificacion": "1", "numero_identificacion": "1032456789", "pin": f"12{NUL}34", "contrasena": "x"},
    ),
    _nul("anonimo", "GET", "/cuenta/activar/%00abc", nombre="NUL en el enlace de activación"),
    _nul("anonimo", "GET", "/cuenta/restablecer/%00abc", nombre="NUL en el enlace de recuperación"),
    _nul("anonimo", "POST", "/registro/paso/1", {"nombres": f"Ana{NUL}", "apellidos": "Pérez"}),
    _nul("anonimo", "GET", "/registro/municipios?departamento=%00"),
    _nul("anonimo", "GET", "/consulta/?q=%00"),
    _nul("anonimo", "GET", "/consulta/?radicado=2026-%00&codigo=ABCD-EFGH"),
    _nul("anonimo", "GET", "/consulta/radicado/2026-000001?codigo=%00"),
    _nul("empresa", "POST", "/expedientes/nuevo", {"tramite": f"1{NUL}", "modalidad": "1"}),
    Caso(
        "anonimo",
        "POST",
        "/consulta/verificar-pdf",
        datos={"csrf_token": "{csrf}"},
        archivos={"constancia": (b"%PDF-1.4\n", f"c{NUL}.pdf")},
        nombre="NUL en el nombre de una constancia subida",
    ),
    _nul("persona", "POST", "/perfil/", {"email": f"a{NUL}@b.co", "fecha_nacimiento": "17/05/1990"}),
    _nul("persona", "POST", "/perfil/contrasena/", {"actual": f"x{NUL}", "nueva": "y", "confirmacion": "y"}),
    _nul("admin", "GET", "/mesa-ayuda/?q=%00"),
    _nul("admin", "GET", "/usuarios/list/?_flt_0_first_name=%00"),
    _nul("empresa", "POST", "/empresa/roles/add", {**ROL, "nombre": f"Rol{NUL}"}),
    _nul("empresa", "POST", "/empresa/usuarios/invitar", {"tipo_identificacion": "1", "numero_identificacion": NUL}),
    Caso(
        "persona",
        "POST",
        "/empresas/registrar/",
        datos={"razon_social": "Laboratorio"},
        archivos={"doc_nit": (b"%PDF-1.4\n", f"rut{NUL}.pdf")},
        nombre="NUL en el nombre de un archivo subido",
    ),
    # A browser cannot send a lone surrogate in a form: werkzeug turns invalid UTF-8 into U+FFFD. The login form
    # then answers as for any wrong identification.
    Caso(
        "anonimo",
        "POST",
        "/login/",
        cuerpo="csrf_token={csrf}&ingresar_como=natural&tipo_identificacion=1&identificacion=12%ED%A0%80&contrasena=x",
        tipo="application/x-www-form-urlencoded",
        esperado=frozenset({200, 400, 401}),
        mensaje="Iniciar sesión",
        pagina_de_error=False,
        nombre="UTF-8 inválido en un formulario",
    ),
    _json("POST", "/api/v1/empresa/roles/", '{"nombre": "\\ud800", "permisos": ["usuarios"]}', entrada.MSG_CARACTERES),
    _json(
        "POST", "/api/v1/empresa/roles/", '{"nombre": "a\\u0000b", "permisos": ["usuarios"]}', entrada.MSG_CARACTERES
    ),
    _json("POST", "/api/v1/empresa/roles/", '{"nombre\\u0000": "a", "permisos": ["usuarios"]}', entrada.MSG_CARACTERES),
    _json(
        "POST",
        "/api/v1/empresa/usuarios/",
        '{"tipo_identificacion_id": 1, "numero_identificacion": "\\udfff", "roles": [1]}',
        entrada.MSG_CARACTERES,
    ),
    _nul("empresa", "GET", "/api/v1/empresa/usuarios/?q=%00"),
]

# -------------------------------------------------------------- JSON bodies on the API

MSG_API_JSON = "El cuerpo de la solicitud debe ser un objeto JSON."
JSON = [
    _json("POST", "/api/v1/empresa/roles/", "[" * 5000 + "]" * 5000, entrada.MSG_JSON_PROFUNDO),
    _json("POST", "/api/v1/empresa/usuarios/", '{"roles": ' + "[" * 40 + "]" * 40 + "}", entrada.MSG_JSON_PROFUNDO),
    _json("PUT", "/api/v1/empresa/roles/1", '{"nombre": "x", "permisos": ' + "[" * 5000 + "]" * 5000 + "}", None),
    _json("POST", "/api/v1/empresa/roles/", "{nope", entrada.MSG_JSON),
    # A number where the list of roles goes (schemathesis found it: it was a 500).
    _json(
        "POST",
        "/api/v1/empresa/usuarios/",
        '{"tipo_identificacion_id": 1, "numero_identificacion": "52000999", "roles": 0.5}',
        "Uno de los roles seleccionados no existe o está inactivo.",
    ),
    _json("POST", "/api/v1/empresa/roles/", '{"nombre": "x",}', entrada.MSG_JSON),
    _json("POST", "/api/v1/empresa/roles/", "1" * 5000, entrada.MSG_JSON),
    _json("POST", "/api/v1/empresa/roles/", "nombre=x", MSG_API_JSON, tipo="application/x-www-form-urlencoded"),
    _json("POST", "/api/v1/empresa/roles/", '{"nombre": "x"}', MSG_API_JSON, tipo="text/plain"),
    _json("POST", "/api/v1/empresa/roles/", "--x--", MSG_API_JSON, tipo="multipart/form-data; boundary=x"),
    _json("POST", "/api/v1/empresa/roles/", '["nombre"]', MSG_API_JSON),
    _json("POST", "/api/v1/empresa/roles/", '{"nombre": "Ok", "permisos": "usuarios"}', "permisos"),
    _json(
        "POST",
        "/api/v1/empresa/usuarios/",
        '{"tipo_identificacion_id": 1099511627776, "numero_identificacion": "52000001", "roles": [1099511627776]}',
        None,
    ),
    _json(
        "POST",
        "/api/v1/empresa/usuarios/",
        '{"tipo_identificacion_id": "x", "numero_identificacion": ["1"], "roles": "a"}',
        None,
    ),
    _json(
        "PUT", "/api/v1/empresa/usuarios/1/roles", '{"roles": [1099511627776]}', None, esperado=frozenset({400, 404})
    ),
    _json("POST", "/api/v1/security/login", "[" * 5000 + "]" * 5000, entrada.MSG_JSON_PROFUNDO, quien="anonimo"),
    Caso("empresa", "GET", "/api/v1/empresa/usuarios/?pagina=abc", mensaje="pagina"),
    # The API's `q` is a plain text search (not FAB's rison): junk is text that matches nobody.
    Caso("empresa", "GET", "/api/v1/empresa/usuarios/?q=(((!'%25_", esperado=frozenset({200}), mensaje='"count"'),
    Caso(
        "empresa",
        "GET",
        "/api/v1/empresa/usuarios/?pagina=99999999999999999999",
        esperado=frozenset({200}),
        mensaje=None,
    ),
    Caso("admin", "GET", "/api/v1/_openapi?q=(((", esperado=frozenset({200}), mensaje='"openapi"'),
]

# -------------------------------------------------------------- ids in URLs

IDS = [
    *(
        _no_existe("empresa", "POST", url)
        for url in (
            f"/invitaciones/{GRANDE}/aceptar",
            f"/invitaciones/{GRANDE}/rechazar",
            f"/invitaciones/tecnicas/{GRANDE}/aceptar",
            f"/invitaciones/tecnicas/{GRANDE}/rechazar",
            f"/invitaciones/{'9' * 5000}/aceptar",
            f"/empresa/usuarios/{GRANDE}/reenviar",
            f"/empresa/usuarios/tecnicos/{GRANDE}/eliminar",
            f"/empresa/roles/delete/{GRANDE}",
            f"/empresa/roles/edit/{GRANDE}",
            f"/empresa/usuarios/delete/{GRANDE}",
            f"/empresa/usuarios/edit/{GRANDE}",
            f"/empresa/usuarios/action/inactivar/{GRANDE}",
            f"/expedientes/{GRANDE}/secciones/titular",
            f"/expedientes/{GRANDE}/anexos/memorial",
            f"/expedientes/{GRANDE}/responsable",
            f"/expedientes/{GRANDE}/radicar",
            f"/expedientes/{GRANDE}/eliminar",
            f"/expedientes/confirmaciones/{GRANDE}",
        )
    ),
    *(
        _no_existe("empresa", "GET", url)
        for url in (
            f"/empresas/documentos/{GRANDE}/descargar",
            f"/empresa/roles/show/{GRANDE}",
            f"/empresa/roles/edit/{GRANDE}",
            f"/empresa/usuarios/show/{GRANDE}",
            f"/empresa/usuarios/edit/{GRANDE}",
            "/empresa/roles/show/-1",
            "/empresa/usuarios/show/abc",
            f"/expedientes/{GRANDE}/",
            f"/expedientes/{GRANDE}/secciones/titular",
            f"/expedientes/{GRANDE}/anexos/{GRANDE}/pdf",
            f"/expedientes/{GRANDE}/constancia",
            "/expedientes/-1/",
            f"/expedientes/{'9' * 5000}/",
        )
    ),
    *(
        _no_existe("admin", "GET", url)
        for url in (
            f"/mesa-ayuda/cuenta/{GRANDE}",
            "/usuarios/show/-1",
            "/usuarios/show/abc",
            "/usuarios/show/1e5",
            "/usuarios/show/0x10",
            f"/usuarios/show/{'9' * 30}",
            f"/usuarios/show/{'9' * 5000}",
            f"/administracion/empresas/{GRANDE}/representante",
        )
    ),
    _no_existe("admin", "POST", f"/mesa-ayuda/cuenta/{GRANDE}/reenviar-pin"),
    _no_existe("admin", "POST", f"/usuarios/delete/{GRANDE}"),
    _no_existe("admin", "POST", f"/administracion/empresas/{GRANDE}/estado"),
    _no_existe("persona", "GET", f"/perfil/profesiones/{GRANDE}/editar"),
    _no_existe("persona", "POST", f"/perfil/profesiones/{GRANDE}/eliminar"),
    _no_existe("anonimo", "GET", f"/registro/paso/{GRANDE}"),
    *(
        _no_existe("empresa", metodo, url)
        for metodo, url in (
            ("GET", f"/api/v1/empresa/roles/{GRANDE}"),
            ("PUT", f"/api/v1/empresa/roles/{GRANDE}"),
            ("DELETE", f"/api/v1/empresa/roles/{GRANDE}"),
            ("GET", "/api/v1/empresa/roles/-1"),
            ("POST", f"/api/v1/empresa/usuarios/{GRANDE}/inactivar"),
            ("POST", f"/api/v1/empresa/usuarios/{GRANDE}/reactivar"),
            ("PUT", f"/api/v1/empresa/usuarios/{GRANDE}/roles"),
            ("DELETE", f"/api/v1/empresa/usuarios/{GRANDE}"),
        )
    ),
]

# -------------------------------------------------------------- FAB's generated screens


@dataclass(frozen=True)
class Pantalla:
    quien: str
    lista: str  # URL of the list
    clase: str  # the ModelView's class name (FAB's parameters carry it)
    orden: str | None  # a column the list does sort by
    booleana: str | None = None  # a boolean search column (FAB's filter compares junk as text with it)
    relacion: str | None = None  # a relation search column (its filter value is the related row's id)
    entera: str | None = None  # an integer search column
    base: str = field(default="")

    @property
    def ruta(self) -> str:
        return self.base or self.lista.removesuffix("list/")


CATALOGOS = (
    ("tipos-identificacion", "TipoIdentificacionModelView", "codigo", "activo"),
    ("paises", "PaisModelView", "codigo", "activo"),
    ("departamentos", "DepartamentoModelView", "codigo", None),
    ("municipios", "MunicipioModelView", "codigo", None),
    ("nivel-academico", "NivelAcademicoModelView", "nombre", "activo"),
    ("grupo-etnico", "GrupoEtnicoModelView", "nombre", "activo"),
    ("sexo-nacer", "SexoNacerModelView", "nombre", "activo"),
    ("estrato", "EstratoModelView", "nombre", "activo"),
    ("profesion", "ProfesionModelView", "nombre", "activo"),
)
MIS_EXPEDIENTES = Pantalla("empresa", "/expedientes/mis/", "MisExpedientesView", "creado_en", base="/expedientes/mis/")
COLA = Pantalla("coordinador", "/revision/cola/", "ColaRevisionView", None, base="/revision/cola/")
MIS_REGISTROS = Pantalla("empresa", "/registros/mis/", "MisRegistrosView", None, base="/registros/mis/")
REGISTROS = Pantalla("coordinador", "/revision/registros/", "RegistrosRevisionView", None, base="/revision/registros/")
AUDITORIA = Pantalla("admin", "/administracion/auditoria/list/", "AuditoriaModelView", "accion", entera="empresa_id")
PANTALLAS = [
    Pantalla("admin", "/usuarios/list/", "UsuarioModelView", "email", booleana="active"),
    *(
        Pantalla(
            "admin",
            f"/administracion/{ruta}/list/",
            clase,
            orden,
            booleana=booleana,
            relacion="departamento" if ruta == "municipios" else None,
        )
        for ruta, clase, orden, booleana in CATALOGOS
    ),
    Pantalla("admin", "/administracion/correos/list/", "MensajeCorreoModelView", "destinatario"),
    AUDITORIA,
    Pantalla("admin", "/administracion/empresas/list/", "EmpresaModelView", "razon_social"),
    Pantalla(
        "admin", "/administracion/catalogo/tramites/list/", "TramiteVersionModelView", "nombre", relacion="tramite"
    ),
    Pantalla("admin", "/administracion/catalogo/requisitos/list/", "RequisitoModelView", "codigo", relacion="version"),
    Pantalla("admin", "/administracion/catalogo/tarifas/list/", "TarifaModelView", "codigo", relacion="version"),
    Pantalla("admin", "/administracion/catalogo/familias/list/", "FamiliaProductoModelView", "codigo"),
    Pantalla("admin", "/administracion/catalogo/modalidades/list/", "ModalidadModelView", "codigo"),
    Pantalla("admin", "/administracion/revision/grupos/list/", "GrupoRevisionModelView", "nombre"),
    Pantalla(
        "admin",
        "/administracion/revision/funcionarios/list/",
        "FuncionarioModelView",
        "codigo",
        booleana="activo",
        relacion="grupos",
    ),
    Pantalla("admin", "/roles/list/", "RoleModelView", "name", relacion="permissions"),
    Pantalla("admin", "/groups/list/", "UserGroupModelView", "name", relacion="roles"),
    Pantalla("admin", "/permissions/list/", "PermissionModelView", "name"),
    Pantalla("admin", "/viewmenus/list/", "ViewMenuModelView", "name"),
    Pantalla("admin", "/permissionviews/list/", "PermissionViewModelView", None, relacion="role"),
    MIS_EXPEDIENTES,
    COLA,
    MIS_REGISTROS,
    REGISTROS,
    Pantalla("empresa", "/empresa/roles/", "RolesEmpresaModelView", "rol", base="/empresa/roles/"),
    Pantalla("empresa", "/empresa/usuarios/", "UsuariosEmpresaModelView", "identificacion", base="/empresa/usuarios/"),
]


def _lista(p: Pantalla, consulta: str, mensaje: str | None, esperado=frozenset({400})) -> Caso:
    return Caso(
        p.quien, "GET", f"{p.lista}?{consulta}", esperado=esperado, mensaje=mensaje, nombre=f"{p.clase} ?{consulta}"
    )


def _casos_de_pantalla(p: Pantalla) -> list[Caso]:
    v = p.clase
    orden = f"&_oc_{v}={p.orden}&_od_{v}=desc" if p.orden else ""
    casos = [
        _lista(p, f"page_{v}=1&psize_{v}=25{orden}", None, frozenset({200})),
        _lista(p, f"page_{v}=abc", entrada.MSG_PAGINA),
        _lista(p, f"page_{v}=-1", entrada.MSG_PAGINA),
        _lista(p, f"page_{v}=99999999999999999999", entrada.MSG_PAGINA),
        _lista(p, f"psize_{v}=abc", entrada.MSG_TAMANO_PAGINA),
        _lista(p, f"psize_{v}=-5", entrada.MSG_TAMANO_PAGINA),
        _lista(p, f"psize_{v}=100000000", entrada.MSG_TAMANO_PAGINA),
        _lista(p, f"_oc_{v}=no_existe&_od_{v}=asc", entrada.MSG_ORDEN),
        _lista(p, f"_oc_{v}=id;drop%20table%20ab_user&_od_{v}=desc", entrada.MSG_ORDEN),
        _lista(p, f"_oc_{v}=no_existe&_od_{v}=de_lado", None, frozenset({200})),  # FAB ignores the order
        _no_existe(p.quien, "GET", f"{p.ruta}show/{GRANDE}", nombre=f"{v} show/{GRANDE}"),
        _no_existe(p.quien, "GET", f"{p.ruta}edit/{GRANDE}", nombre=f"{v} edit/{GRANDE}"),
        _no_existe(p.quien, "GET", f"{p.ruta}show/-1", nombre=f"{v} show/-1"),
    ]
    if p.quien == "admin":  # FAB's own routes of every ModelView: actions by name, file downloads
        casos += [
            _no_existe("admin", "POST", f"{p.ruta}action/no_existe/1", nombre=f"{v} action/no_existe/1"),
            _no_existe("anonimo", "POST", f"{p.ruta}action/no_existe/1", nombre=f"{v} action/no_existe/1 anónimo"),
            Caso(
                "admin",
                "POST",
                f"{p.ruta}action_post",
                datos={"action": "no_existe", "rowid": ["1"]},
                esperado=frozenset({404}),
                mensaje=NO_EXISTE,
                nombre=f"{v} action_post no_existe",
            ),
            _no_existe("admin", "GET", f"{p.ruta}download/x.pdf", nombre=f"{v} download/x.pdf"),
        ]
    if p.booleana:
        casos += [
            _lista(p, f"_flt_0_{p.booleana}=y", None, frozenset({200})),
            _lista(p, f"_flt_0_{p.booleana}=zzz", entrada.MSG_FILTRO),
            _lista(p, f"_flt_9_{p.booleana}=y", entrada.MSG_FILTRO),
        ]
    if p.relacion:
        casos += [
            _lista(p, f"_flt_0_{p.relacion}=abc", entrada.MSG_FILTRO),
            _lista(p, f"_flt_0_{p.relacion}={GRANDE}", entrada.MSG_FILTRO),
        ]
    if p.entera:
        casos += [
            _lista(p, f"_flt_0_{p.entera}=12", None, frozenset({200})),
            _lista(p, f"_flt_0_{p.entera}={GRANDE}", entrada.MSG_FILTRO),
        ]
    return casos


LISTAS = [caso for p in PANTALLAS for caso in _casos_de_pantalla(p)]
LISTAS += [
    # The company's own list filters (app/views/crud/usuarios_empresa.py) take any value: junk matches nobody.
    _lista(PANTALLAS[-1], "_flt_0_roles=99999999999", None, frozenset({200})),
    _lista(PANTALLAS[-1], "_flt_9_estado=x", entrada.MSG_FILTRO),
    Caso(
        "empresa",
        "POST",
        "/empresa/usuarios/action_post",
        datos={"action": "inactivar", "rowid": [str(GRANDE)]},
        mensaje=entrada.MSG_FILAS,
    ),
    # «Mis expedientes» (app/views/crud/expedientes.py): junk in its free-text filters matches nothing, an estado or a
    # filter it does not have is refused, a date out of PostgreSQL's range is no date, a date it cannot read is refused by name.
    _lista(MIS_EXPEDIENTES, "_flt_0_creado_en=zzz", entrada.MSG_FILTRO_FECHA),
    _lista(MIS_EXPEDIENTES, "_flt_1_creado_en=31/02/2026", entrada.MSG_FILTRO_FECHA),
    *(
        _lista(MIS_EXPEDIENTES, consulta, None, frozenset({200}))
        for consulta in (
            "_flt_0_creado_en=",
            "_flt_0_creado_en=04/12/2026",
            "_flt_1_creado_en=9999-12-31",
            "_flt_0_creado_en=0001-01-01",
            "_flt_0_version=x" + "y" * 500,
            "_flt_0_radicado=" + "9" * 500,
        )
    ),
    _lista(MIS_EXPEDIENTES, "_flt_0_estado=Otro", entrada.MSG_FILTRO),  # an estado the search does not offer
    _lista(MIS_EXPEDIENTES, "_flt_1_estado=Radicado", entrada.MSG_FILTRO),
    # FAB's own date filters (Auditoría, Correos) read the date with dateutil: what it cannot read is refused.
    _lista(AUDITORIA, "_flt_1_creado_en=2026-12-04", None, frozenset({200})),
    _lista(AUDITORIA, "_flt_1_creado_en=31/02/2026", entrada.MSG_FILTRO_FECHA),
    _lista(AUDITORIA, "_flt_0_creado_en=ayer", entrada.MSG_FILTRO_FECHA),
    # The back-office queue (app/views/crud/cola_revision.py): the same rules for its own filters.
    _lista(COLA, "_flt_0_radicado_en=zzz", entrada.MSG_FILTRO_FECHA),
    *(
        _lista(COLA, consulta, None, frozenset({200}))
        for consulta in (
            "_flt_1_radicado_en=9999-12-31",
            "_flt_0_version=x" + "y" * 500,
        )
    ),
    *(
        _lista(COLA, consulta, entrada.MSG_FILTRO)  # values its searches do not offer
        for consulta in ("_flt_0_estado=Otro", "_flt_0_asignado_a=" + "9" * 500, "_flt_0_vence_en=999")
    ),
    # Registros sanitarios (app/views/crud/registros.py): an unknown estado is refused, a huge number is cut.
    *(
        _lista(pantalla, consulta, None, frozenset({200}))
        for pantalla in (MIS_REGISTROS, REGISTROS)
        for consulta in ("_flt_0_numero=" + "%9" * 500, "_flt_0_numero=")
    ),
    *(_lista(pantalla, "_flt_0_estado=Otro", entrada.MSG_FILTRO) for pantalla in (MIS_REGISTROS, REGISTROS)),
    _lista(MIS_EXPEDIENTES, "_flt_2_creado_en=2026-01-01", entrada.MSG_FILTRO),
    Caso("admin", "GET", "/userstatschartview/chart/0", esperado=frozenset({200}), mensaje=None),
    _no_existe("admin", "GET", "/userstatschartview/chart/no_existe"),
    _no_existe("admin", "GET", "/userstatschartview/chart/99"),
    Caso(
        "admin",
        "GET",
        f"/userstatschartview/chart/?_flt_0_login_count={GRANDE}",
        mensaje=entrada.MSG_FILTRO,
    ),
]

LISTAS += [
    # «Ingresar como» without a session: to the login page (flask_login's redirect pointed at a missing endpoint).
    Caso("anonimo", "GET", "/actuar/", esperado=frozenset({302}), mensaje="/login/", nombre="anónimo en /actuar/"),
]

CASOS = TEXTO + JSON + IDS + LISTAS


# -------------------------------------------------------------- the shared world


@pytest.fixture
def _limpiar_datos():
    """Replaces conftest's per-test cleanup for this module: the rows share `mundo`, emptied when the module ends."""
    yield


@pytest.fixture(scope="module")
def mundo(app, smtp_sink):
    from app.extensions import limiter

    with app.app_context():
        personas = {
            "admin": factories.crear_usuario(roles=["Admin"], numero="1000000001", email="admin@invima.local"),
            "persona": factories.crear_usuario(),
            "empresa": factories.crear_usuario(nombres="Admin Empresa"),
            "coordinador": crear_funcionario("Coordinador"),
        }
        empresa_id = factories_empresas.crear_empresa(administrador=personas["empresa"]).id
        # What the login form needs, detached from the session (later commits expire ORM objects).
        personas = {
            quien: SimpleNamespace(
                tipo_identificacion_id=u.tipo_identificacion_id, numero_identificacion=u.numero_identificacion
            )
            for quien, u in personas.items()
        }
    clientes = {"anonimo": app.test_client()}
    for quien, usuario in personas.items():
        cliente = clientes[quien] = app.test_client()
        assert iniciar_sesion(cliente, usuario).status_code == 302
    actuar_como(clientes["empresa"], empresa_id)
    for quien, cliente in clientes.items():
        cliente.csrf = csrf_de(cliente.get("/login/" if quien == "anonimo" else "/actuar/").get_data(as_text=True))
    yield clientes
    with app.app_context():
        db.session.remove()
        limpiar_datos(db.session)
    limiter.reset()
    smtp_sink.limpiar()


def _enviar(cliente, caso: Caso):
    encabezados = {"X-CSRFToken": cliente.csrf}
    if caso.archivos is not None:
        datos = {**(caso.datos or {}), "csrf_token": cliente.csrf}
        datos.update({campo: (io.BytesIO(c), nombre) for campo, (c, nombre) in caso.archivos.items()})
        return cliente.open(caso.url, method=caso.metodo, data=datos, content_type="multipart/form-data")
    if caso.cuerpo is not None:
        cuerpo = caso.cuerpo.replace("{csrf}", cliente.csrf) if isinstance(caso.cuerpo, str) else caso.cuerpo
        return cliente.open(caso.url, method=caso.metodo, data=cuerpo, content_type=caso.tipo, headers=encabezados)
    datos = {**caso.datos, "csrf_token": cliente.csrf} if caso.datos is not None else None
    if datos is None and caso.metodo != "GET":
        datos = {"csrf_token": cliente.csrf}
    return cliente.open(caso.url, method=caso.metodo, data=datos, headers=encabezados)


@pytest.mark.parametrize("caso", CASOS, ids=[c.id for c in CASOS])
def test_entrada_invalida_recibe_4xx_en_espanol(mundo, caso: Caso):
    respuesta = _enviar(mundo[caso.quien], caso)
    cuerpo = respuesta.get_data(as_text=True)
    assert respuesta.status_code in caso.esperado, cuerpo[:500]
    if respuesta.is_json:
        cuerpo = json.dumps(respuesta.get_json(), ensure_ascii=False)
    if caso.mensaje:
        assert caso.mensaje in cuerpo, cuerpo[:500]
    if respuesta.status_code >= 400 and caso.url.startswith("/api/"):
        assert respuesta.is_json and respuesta.get_json()["message"], cuerpo[:300]
    elif respuesta.status_code >= 400 and caso.pagina_de_error:
        assert f"Error {respuesta.status_code}" in cuerpo and "Traceback" not in cuerpo


def test_cada_pantalla_generada_tiene_sus_filas(app):
    """A new generated screen (FAB ModelView with a list) without rows in PANTALLAS fails here."""
    from flask_appbuilder.baseviews import BaseModelView

    from app.extensions import appbuilder

    con_lista = {
        type(v).__name__
        for v in appbuilder.baseviews
        if isinstance(v, BaseModelView) and getattr(v, "order_columns", None) is not None
    }
    sin_filas = con_lista - {p.clase for p in PANTALLAS}
    assert not sin_filas, sin_filas


def test_un_dato_que_postgresql_rechaza_y_llega_a_flask_es_400(app):
    """The last net (app/views/errores.py): a DataError no check caught answers 400 and leaves the session usable."""
    with app.test_request_context("/perfil/"):
        try:
            db.session.execute(db.text("SELECT CAST(:n AS integer)"), {"n": str(GRANDE)})
        except DataError as error:
            respuesta = app.make_response(app.handle_user_exception(error))
        else:
            raise AssertionError("PostgreSQL aceptó un entero fuera de rango")
        assert db.session.execute(db.text("SELECT 1")).scalar() == 1
    assert respuesta.status_code == 400
    assert errores.MSG_DATO in respuesta.get_data(as_text=True)
