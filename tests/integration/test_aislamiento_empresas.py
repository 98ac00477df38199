"""Tenant-isolation matrix (issue 4 §6): two companies, every company-scoped endpoint, tried across companies.

Companies A («Alfa») and B («Zeta») each have an Administrador (representante legal), a custom role assigned to a
member, a free custom role, members in every state (Aceptado, Pendiente, Inactivo), an RT link (accepted) and a DT
invitation (pending), a stored PDF, a radicado expediente and their audit rows. Logged in as A's Administrador acting as A, every row of
MATRIZ is tried with B's ids: forged ids answer 404 (or 403), bodies carry nothing of B, and the database rows of B
(and, for refused requests, of A too) are exactly the same afterwards. List pages, searches and the CSV export
show A's rows and none of B's.

A new endpoint under /empresa/ or /empresas/documentos/ without a row here fails
`test_toda_ruta_de_empresa_tiene_fila_en_la_matriz`. (The lead adds the REST API rows.)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models.catalogo import VERSION_PUBLICADA, Tramite, TramiteVersion
from app.models.empresas import CALIDAD_DIRECTOR_TECNICO, CALIDAD_RESPONSABLE_TECNICO, DocumentoEmpresa, RolEmpresa
from app.models.referencias import Profesion
from app.services import documentos
from app.services.cuentas import contrasenas, perfil
from app.services.empresas import invitaciones, membresias, tecnicos
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from app.services.expedientes import borradores
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.factories_expedientes import expediente_de_prueba
from tests.helpers import cliente_de, pdf, texto

PREFIJOS_DE_EMPRESA = ("/empresa/", "/empresas/documentos/", "/expedientes/")
RECHAZO = frozenset({403, 404})


# ---------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Fila:
    """One request. `plantilla` takes the ids of `mundo` ({rol_libre}, {m_aceptado}, …) of the company tried."""

    metodo: str
    plantilla: str
    datos: dict = field(default_factory=dict)
    esperado: frozenset = RECHAZO
    # Markers of the ACTING company that the page must show (proves a list really rendered, not an error).
    muestra: tuple[str, ...] = ()
    # Keys of the OTHER company's traces that this request itself carries (see `_rastros`).
    eco: tuple[str, ...] = ()
    # Whether the same request with one's own ids must be accepted (not for what needs another state or person).
    control: bool = True

    def url(self, ids: dict) -> str:
        return self.plantilla.format_map(ids)

    def formulario(self, ids: dict) -> dict:
        return {
            k: ([v.format_map(ids) for v in valor] if isinstance(valor, list) else valor.format_map(ids))
            for k, valor in self.datos.items()
        }


def _rol(nombre="Rol cruzado", permiso="usuarios.ver"):
    return {"nombre": nombre, "descripcion": "x", "estado": "activo", "permiso": [permiso]}


# A valid «1.1 Datos generales del titular».
DATOS_TITULAR = {
    "nombre": "Titular Cruzado",
    "direccion": "Calle 1 # 2-3",
    "domicilio": "Bogotá D.C.",
    "pais": "Colombia",
    "calidad": "representante_legal",
    "firmante_nombre": "Firmante Cruzado",
    "firmante_identificacion": "CC 1000000",
    "notificacion_direccion": "Calle 1 # 2-3",
    "notificacion_domicilio": "Bogotá D.C.",
    "correo": "cruzado@correo.test",
    "telefono": "6012425000",
}

# Valid «Datos de la empresa» values: the company is taken from the session, never from the form.
DATOS_EMPRESA = {
    "contacto_nombre": "Contacto Cruzado",
    "contacto_cargo": "Gerente",
    "contacto_correo": "cruzado@correo.test",
    "contacto_telefono": "6012425000",
    "tamano": "Micro",
    "sector": "Cosméticos",
    "correo": "cruzado@correo.test",
    # «Ingrese la dirección»: Calle 1 # 2 - 3
    "dir_rural": "no",
    "dir_principal": "Calle",
    "dir_numero_principal": "1",
    "dir_numero_secundario": "2",
    "dir_numero_final": "3",
}

# Forged ids: «{…}» are the OTHER company's ids. Every row must be refused and change nothing anywhere.
AJENOS = [
    # Roles: the generated ModelView (show, edit, delete).
    Fila("GET", "/empresa/roles/show/{rol_libre}"),
    Fila("GET", "/empresa/roles/show/{rol_asignado}"),
    Fila("GET", "/empresa/roles/show/{rol_administrador}"),
    Fila("GET", "/empresa/roles/edit/{rol_libre}"),
    Fila("POST", "/empresa/roles/edit/{rol_libre}", _rol("Tomado", "pagos.ver")),
    Fila("POST", "/empresa/roles/delete/{rol_libre}"),
    Fila("POST", "/empresa/roles/delete/{rol_administrador}"),
    Fila("POST", "/empresa/roles/inactivar/{rol_asignado}"),
    Fila("POST", "/empresa/roles/reactivar/{rol_libre}"),
    # Usuarios: the generated ModelView (show, edit = roles, delete, actions one by one and in bulk).
    Fila("GET", "/empresa/usuarios/show/{m_aceptado}"),
    Fila("GET", "/empresa/usuarios/show/{m_administrador}"),
    Fila("GET", "/empresa/usuarios/edit/{m_aceptado}"),
    Fila("POST", "/empresa/usuarios/edit/{m_aceptado}", {"roles": ["{rol_libre}"]}),
    Fila("POST", "/empresa/usuarios/edit/{m_inactivo}", {"roles": ["{propia.rol_libre}"]}),
    Fila("POST", "/empresa/usuarios/action/inactivar/{m_aceptado}"),
    Fila("POST", "/empresa/usuarios/action/inactivar/{m_administrador}"),
    Fila("POST", "/empresa/usuarios/action/reactivar/{m_inactivo}"),
    Fila("POST", "/empresa/usuarios/action_post", {"action": "inactivar", "rowid": ["{m_aceptado}"]}),
    Fila("POST", "/empresa/usuarios/action_post", {"action": "reactivar", "rowid": ["{m_inactivo}"]}),
    # One forged id among one's own: refused whole, the own row does not change either.
    Fila(
        "POST",
        "/empresa/usuarios/action_post",
        {"action": "inactivar", "rowid": ["{propia.m_aceptado}", "{m_aceptado}"]},
    ),
    Fila("POST", "/empresa/usuarios/delete/{m_aceptado}"),
    Fila("POST", "/empresa/usuarios/delete/{m_pendiente}"),
    Fila("POST", "/empresa/usuarios/{m_pendiente}/reenviar"),
    Fila("POST", "/empresa/usuarios/tecnicos/{v_aceptado}/eliminar"),
    Fila("POST", "/empresa/usuarios/tecnicos/{v_pendiente}/eliminar"),
    Fila("GET", "/empresas/documentos/{documento}/descargar"),
    # Someone else's invitations, answered from «Mis invitaciones».
    Fila("POST", "/invitaciones/{m_pendiente}/aceptar"),
    Fila("POST", "/invitaciones/{m_pendiente}/rechazar"),
    Fila("POST", "/invitaciones/tecnicas/{v_pendiente}/aceptar"),
    Fila("POST", "/invitaciones/tecnicas/{v_pendiente}/rechazar"),
    # Platform screens for Invima staff: a company administrator is not Invima.
    Fila("GET", "/administracion/empresas/show/{empresa}", esperado=frozenset({302, 403, 404})),
    Fila(
        "POST",
        "/administracion/empresas/{empresa}/estado",
        {"motivo": "Suspensión forzada"},
        esperado=frozenset({302, 403, 404}),
    ),
]

# Pages without an id of the other company: they work for the acting company and must not show or touch B.
# «{otra.*}» are the other company's values, «{propia.*}» the acting company's.
PROPIAS = [
    Fila("GET", "/empresa/roles/", esperado=frozenset({200}), muestra=("rol_asignado_nombre",)),
    Fila("GET", "/empresa/roles/?_flt_0_nombre={otra.rol_libre_nombre}", esperado=frozenset({200}), eco=("token",)),
    Fila("GET", "/empresa/roles/show/{propia.rol_libre}", esperado=frozenset({200}), muestra=("rol_libre_nombre",)),
    Fila("GET", "/empresa/roles/add", esperado=frozenset({200})),
    # Role names are unique per company: B's name is free in A (and nothing says it exists elsewhere).
    Fila("POST", "/empresa/roles/add", _rol("{otra.rol_libre_nombre}"), esperado=frozenset({302, 303}), eco=("token",)),
    Fila("POST", "/empresa/roles/add", _rol("{propia.rol_libre_nombre}"), esperado=frozenset({400})),
    # The generated list: FAB filters (_flt_0_<column>) with the other company's values, pages, its own rows.
    Fila("GET", "/empresa/usuarios/", esperado=frozenset({200}), muestra=("num_aceptado", "num_pendiente")),
    Fila(
        "GET",
        "/empresa/usuarios/?_flt_0_numero_identificacion={otra.num_aceptado}",
        esperado=frozenset({200}),
        eco=("num_aceptado",),
    ),
    Fila(
        "GET",
        "/empresa/usuarios/?_flt_0_usuario={otra.correo_aceptado}",
        esperado=frozenset({200}),
        eco=("correo_aceptado",),
    ),
    Fila("GET", "/empresa/usuarios/?_flt_0_usuario={otra.apellido}", esperado=frozenset({200})),
    Fila("GET", "/empresa/usuarios/?_flt_0_roles={otra.rol_asignado}", esperado=frozenset({200})),
    Fila("GET", "/empresa/usuarios/?_flt_0_estado=Inactivo", esperado=frozenset({200}), muestra=("num_inactivo",)),
    Fila("GET", "/empresa/usuarios/?page_UsuariosEmpresaModelView=1", esperado=frozenset({200})),
    Fila("GET", "/empresa/usuarios/show/{propia.m_aceptado}", esperado=frozenset({200}), muestra=("num_aceptado",)),
    Fila("GET", "/empresa/usuarios/edit/{propia.m_aceptado}", esperado=frozenset({200}), muestra=("rol_libre_nombre",)),
    Fila(
        "POST",
        "/empresa/usuarios/action_post",
        {"action": "inactivar", "rowid": ["{propia.m_aceptado}"]},
        esperado=frozenset({302}),
        muestra=("num_inactivo",),
    ),
    Fila("GET", "/empresa/usuarios/invitar", esperado=frozenset({200})),
    # Inviting with the other company's role id, or moving one's own member to it: refused, nothing assigned.
    Fila(
        "POST",
        "/empresa/usuarios/invitar",
        {"tipo_identificacion": "{tipo}", "numero_identificacion": "61234567", "roles": ["{otra.rol_libre}"]},
        esperado=frozenset({400}),
    ),
    Fila(
        "POST",
        "/empresa/usuarios/invitar",
        {
            "tipo_identificacion": "{tipo}",
            "numero_identificacion": "{otra.num_pendiente}",
            "roles": ["{propia.rol_libre}"],
        },
        esperado=frozenset({302, 303}),
        eco=("num_pendiente", "apellido_pendiente"),
    ),
    Fila(
        "POST",
        "/empresa/usuarios/edit/{propia.m_aceptado}",
        {"roles": ["{otra.rol_libre}"]},
        esperado=frozenset({400}),
    ),
    Fila("GET", "/empresa/usuarios/tecnicos/invitar", esperado=frozenset({200})),
    Fila(
        "POST",
        "/empresa/usuarios/tecnicos/invitar",
        {"tipo_identificacion": "{tipo}", "numero_identificacion": "{otra.num_tecnico}", "calidad": "Director técnico"},
        esperado=frozenset({302, 303}),
        eco=("num_tecnico", "apellido_tecnico", "tarjeta"),
    ),
    Fila("GET", "/empresa/auditoria/", esperado=frozenset({200}), muestra=("nombre_admin",)),
    Fila("GET", "/empresa/auditoria/?q={otra.num_aceptado}", esperado=frozenset({200}), eco=("num_aceptado",)),
    Fila("GET", "/empresa/auditoria/?q={otra.rol_libre}", esperado=frozenset({200})),
    Fila("GET", "/empresa/auditoria/?q=rol", esperado=frozenset({200}), muestra=("nombre_admin",)),
    Fila("GET", "/empresa/auditoria/exportar.csv", esperado=frozenset({200}), muestra=("nombre_admin",)),
    Fila("GET", "/empresa/auditoria/exportar.csv?q={otra.nombre_admin}", esperado=frozenset({200})),
    Fila("GET", "/invitaciones/", esperado=frozenset({200})),
    Fila("GET", "/empresa/datos/", esperado=frozenset({200})),
    # Datos de la empresa take the company from the session, never from the form: only A can change.
    Fila(
        "POST",
        "/empresa/datos/",
        DATOS_EMPRESA,
        esperado=frozenset({302}),
    ),
    # «Mis expedientes»: the company's own, searched with the other company's radicado or by state.
    Fila("GET", "/expedientes/mis/", esperado=frozenset({200}), muestra=("radicado",)),
    Fila("GET", "/expedientes/mis/?_flt_0_radicado={otra.radicado}", esperado=frozenset({200}), eco=("radicado",)),
    Fila("GET", "/expedientes/mis/?_flt_0_estado=Radicado", esperado=frozenset({200}), muestra=("radicado",)),
]


EXPEDIENTES_AJENOS = [
    Fila("GET", "/expedientes/{expediente}/"),
    Fila("GET", "/expedientes/{expediente}/secciones/titular"),
    Fila("POST", "/expedientes/{expediente}/secciones/titular", DATOS_TITULAR),
    Fila("POST", "/expedientes/{expediente}/anexos/memorial", {"adjunto": "no"}),
    Fila("GET", "/expedientes/{expediente}/anexos/{anexo}/pdf"),
    Fila("POST", "/expedientes/{expediente}/responsable", {"vinculo": "{v_aceptado}"}),
    Fila("POST", "/expedientes/{expediente}/radicar"),
    Fila("POST", "/expedientes/{expediente}/eliminar"),
    # A draft has no constancia yet, and only the responsable técnico it names may confirm it.
    Fila("GET", "/expedientes/{expediente}/constancia", control=False),
    Fila("POST", "/expedientes/confirmaciones/{expediente}", control=False),
    # Requerimientos and acts (issue 13): a draft has neither; the other company's ids are not found
    # (tests/integration/test_requerimientos_decisiones.py tries them with real acts and links).
    Fila("GET", "/expedientes/{expediente}/requerimiento", control=False),
    Fila("POST", "/expedientes/{expediente}/requerimiento/memorial", {"respuesta": "x"}, control=False),
    Fila("POST", "/expedientes/{expediente}/requerimiento/prorroga", control=False),
    Fila("POST", "/expedientes/{expediente}/requerimiento/responder", control=False),
    Fila("GET", "/expedientes/{expediente}/actos/1", control=False),
    Fila("GET", "/expedientes/{expediente}/actos/1/pdf", control=False),
    Fila("GET", "/expedientes/{expediente}/actos/1/constancia-notificacion", control=False),
    Fila("GET", "/expedientes/notificaciones/{token}", control=False),
    # Recursos (tests/integration/test_recursos.py tries them with real acts, recursos and pruebas).
    Fila("POST", "/expedientes/{expediente}/actos/1/recurso", {"motivos": "x" * 30}, control=False),
    Fila("POST", "/expedientes/{expediente}/actos/1/renuncia", control=False),
    Fila("POST", "/expedientes/{expediente}/actos/1/desistimiento", control=False),
    Fila("GET", "/expedientes/{expediente}/recursos/1/pruebas", control=False),
]
AJENOS += EXPEDIENTES_AJENOS
PROPIAS += [
    Fila("GET", "/expedientes/nuevo", esperado=frozenset({200})),
    Fila(
        "POST",
        "/expedientes/nuevo",
        {"tramite": "{propia.version}", "modalidad": "{propia.modalidad}"},
        esperado=frozenset({302}),
        muestra=("token",),
    ),
    Fila("GET", "/expedientes/confirmaciones/", esperado=frozenset({200})),
    # One's own draft naming the other company's RT link: refused, nothing changes.
    Fila(
        "POST",
        "/expedientes/{propia.expediente}/responsable",
        {"vinculo": "{otra.v_aceptado}"},
        esperado=frozenset({400}),
    ),
]


def _id_fila(fila: Fila) -> str:
    extra = "-" + "-".join(sorted(fila.datos)) if fila.datos else ""
    return f"{fila.metodo} {fila.plantilla}{extra}"


# ---------------------------------------------------------------- two companies


LETRAS_A = {"letra": "a", "token": "ALFAMARCA", "base": "6110", "nombre": "Alfonso", "apellido": "Alvarado"}
LETRAS_B = {"letra": "b", "token": "ZETAMARCA", "base": "8880", "nombre": "Zoraida", "apellido": "Zambrano"}


def _persona(base: str, n: int, datos: dict, **extra):
    return factories.crear_usuario(
        numero=f"{base}{n:04d}",
        nombres=datos["nombre"],
        apellidos=f"{datos['apellido']} {n}",
        email=f"{datos['letra']}.persona{n}@correo.test",
        **extra,
    )


def _crear_empresa(app, datos: dict, profesion_id: int) -> dict:
    """A company in every state the matrix needs; returns its ids and the strings that identify its data."""
    s = db.session
    base, token = datos["base"], datos["token"]
    admin = _persona(base, 1, datos)
    empresa = factories_empresas.crear_empresa(
        administrador=admin, razon_social=f"Laboratorios {token} S.A.S.", nit=f"9{base}1234"
    )
    eid = empresa.id
    roles = {r.nombre: r.id for r in s.scalars(select(RolEmpresa).where(RolEmpresa.empresa_id == eid))}
    asignado = roles_empresa.crear(
        s, eid, admin.id, DatosRol(f"Consulta {token}", "Solo ve usuarios", "activo", frozenset({"usuarios.ver"}))
    )
    libre = roles_empresa.crear(
        s, eid, admin.id, DatosRol(f"Libre {token}", "Sin usuarios", "activo", frozenset({"auditoria.ver"}))
    )

    aceptado = _persona(base, 2, datos)
    m_aceptado = membresias.invitar(
        s, eid, admin.id, aceptado.tipo_identificacion_id, aceptado.numero_identificacion, [asignado.id]
    )
    invitaciones.aceptar(s, aceptado, m_aceptado.id)

    inactivo = _persona(base, 3, datos)
    m_inactivo = membresias.invitar(
        s, eid, admin.id, inactivo.tipo_identificacion_id, inactivo.numero_identificacion, [asignado.id]
    )
    invitaciones.aceptar(s, inactivo, m_inactivo.id)
    membresias.inactivar(s, eid, m_inactivo.id, admin.id)

    pendiente = _persona(base, 4, datos)
    m_pendiente = membresias.invitar(
        s, eid, admin.id, pendiente.tipo_identificacion_id, pendiente.numero_identificacion, [libre.id]
    )

    tecnico = _persona(base, 5, datos, acepta_invitaciones_rt_dt=True)
    perfil.agregar_profesion(s, tecnico, str(profesion_id), f"TP{base}")
    s.flush()
    v_aceptado = tecnicos.invitar_tecnico(
        s, eid, admin.id, tecnico.tipo_identificacion_id, tecnico.numero_identificacion, CALIDAD_RESPONSABLE_TECNICO
    )
    invitaciones.aceptar_tecnico(s, tecnico, v_aceptado.id)
    v_pendiente = tecnicos.invitar_tecnico(
        s, eid, admin.id, tecnico.tipo_identificacion_id, tecnico.numero_identificacion, CALIDAD_DIRECTOR_TECNICO
    )

    guardado = documentos.guardar(app.config["DOCUMENTOS_DIR"], pdf(token), f"RUT {token}.pdf", 10**6)
    documento = DocumentoEmpresa(
        empresa_id=eid,
        tipo="NIT/RUT",
        nombre_archivo=guardado.nombre_archivo,
        sha256=guardado.sha256,
        tamano=guardado.tamano,
        creado_en=ahora(),
        subido_por_id=admin.id,
    )
    s.add(documento)
    version = s.scalar(
        select(TramiteVersion)
        .join(Tramite)
        .where(Tramite.codigo == "pld-registro", TramiteVersion.estado == VERSION_PUBLICADA)
    )
    expediente = borradores.crear(
        s, borradores.Titular(empresa_id=eid), admin.id, version.id, version.modalidades[0].id, None
    )
    expediente.nombre_producto = f"Producto {token}"
    memorial = documentos.guardar(
        app.config["DOCUMENTOS_DIR"], pdf(f"memorial {token}"), f"Memorial {token}.pdf", 10**6
    )
    anexo = borradores.guardar_anexo(s, expediente.id, "memorial", True, memorial, admin.id)
    radicado = f"2026-{base}01"
    expediente_de_prueba(s, empresa_id=eid, radicado=radicado, nombre_producto=f"Producto {token}", commit=False)
    s.commit()
    personas = {"admin": admin, "aceptado": aceptado, "inactivo": inactivo, "pendiente": pendiente, "tecnico": tecnico}
    return {
        "empresa": eid,
        "tipo": admin.tipo_identificacion_id,
        "rol_administrador": roles["Administrador"],
        "rol_asignado": asignado.id,
        "rol_libre": libre.id,
        "rol_asignado_nombre": asignado.nombre,
        "rol_libre_nombre": libre.nombre,
        "m_administrador": s.scalar(
            text("SELECT id FROM membresia WHERE empresa_id = :e AND es_representante_legal"), {"e": eid}
        ),
        "m_aceptado": m_aceptado.id,
        "m_inactivo": m_inactivo.id,
        "m_pendiente": m_pendiente.id,
        "v_aceptado": v_aceptado.id,
        "v_pendiente": v_pendiente.id,
        "documento": documento.id,
        "version": version.id,
        "modalidad": version.modalidades[0].id,
        "expediente": expediente.id,
        "anexo": anexo.id,
        "radicado": radicado,
        "num_admin": admin.numero_identificacion,
        "num_aceptado": aceptado.numero_identificacion,
        "num_inactivo": inactivo.numero_identificacion,
        "num_pendiente": pendiente.numero_identificacion,
        "num_tecnico": tecnico.numero_identificacion,
        "correo_aceptado": aceptado.email,
        "apellido": datos["apellido"],
        **{f"apellido_{clave}": u.last_name for clave, u in personas.items()},
        "nombre_admin": f"{admin.first_name}",
        "token": token,
        # What the login form needs, detached from the session (later commits would expire ORM objects).
        "usuarios": {
            clave: SimpleNamespace(
                tipo_identificacion_id=u.tipo_identificacion_id, numero_identificacion=u.numero_identificacion
            )
            for clave, u in personas.items()
        },
    }


def _rastros(d: dict, eco: tuple[str, ...] = ()) -> list[str]:
    """Strings that only the company's own data can put in a page (names are per company, numbers unique).

    `eco`: keys whose values the request itself carries (a search term, a person now invited by the acting
    company too), so seeing them is not a leak.
    """
    rastros = {
        "token": d["token"],
        "correo_aceptado": d["correo_aceptado"],
        "tarjeta": "TP" + d["num_admin"][:4],
        "radicado": d["radicado"],
    }
    for persona in ("admin", "aceptado", "inactivo", "pendiente", "tecnico"):
        rastros[f"num_{persona}"] = d[f"num_{persona}"]
        rastros[f"apellido_{persona}"] = d[f"apellido_{persona}"]
    return [valor for clave, valor in rastros.items() if clave not in eco]


@functools.cache
def _hash_de_prueba() -> str:
    return contrasenas.cifrar(factories.CONTRASENA)


@pytest.fixture
def mundo(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTOS_DIR", str(tmp_path / "documentos"))
    # Ten accounts per test: hash the (same) password once; logins still verify a real scrypt hash.
    monkeypatch.setattr(contrasenas, "cifrar", lambda _contrasena, _hash=_hash_de_prueba(): _hash)
    with app.app_context():
        profesion_id = db.session.scalar(select(Profesion.id).order_by(Profesion.id))
        a = _crear_empresa(app, LETRAS_A, profesion_id)
        b = _crear_empresa(app, LETRAS_B, profesion_id)
    return a, b


# conftest's per-company clients, for the companies of this `mundo`.
@pytest.fixture
def cliente_empresa_a(app, mundo):
    """A's Administrador, logged in and acting as A."""
    a, _ = mundo
    return cliente_de(app, a["usuarios"]["admin"], a["empresa"])


@pytest.fixture
def cliente_empresa_b(app, mundo):
    """B's Administrador, logged in and acting as B."""
    _, b = mundo
    return cliente_de(app, b["usuarios"]["admin"], b["empresa"])


TABLAS = {
    "empresa": "SELECT e.* FROM empresa e WHERE e.id = :e",
    "rol_empresa": "SELECT r.* FROM rol_empresa r WHERE r.empresa_id = :e",
    "rol_empresa_permiso": "SELECT p.* FROM rol_empresa_permiso p JOIN rol_empresa r ON r.id = p.rol_id "
    "WHERE r.empresa_id = :e",
    "membresia": "SELECT m.* FROM membresia m WHERE m.empresa_id = :e",
    "membresia_rol": "SELECT x.* FROM membresia_rol x JOIN membresia m ON m.id = x.membresia_id "
    "WHERE m.empresa_id = :e",
    "vinculo_tecnico": "SELECT v.* FROM vinculo_tecnico v WHERE v.empresa_id = :e",
    "documento_empresa": "SELECT d.* FROM documento_empresa d WHERE d.empresa_id = :e",
    "auditoria": "SELECT a.* FROM auditoria a WHERE a.empresa_id = :e",
    "expediente": "SELECT x.* FROM expediente x WHERE x.empresa_id = :e",
    "expediente_anexo": "SELECT y.* FROM expediente_anexo y JOIN expediente x ON x.id = y.expediente_id "
    "WHERE x.empresa_id = :e",
}


def foto(app, empresa_id: int) -> dict[str, list[str]]:
    """Every row of the company, straight from PostgreSQL (no ORM, no tenant filter)."""
    with app.app_context(), db.engine.connect() as conexion:
        return {
            tabla: sorted(repr(tuple(f)) for f in conexion.execute(text(sql), {"e": empresa_id}))
            for tabla, sql in TABLAS.items()
        }


# ---------------------------------------------------------------- clients


class _Ids(dict):
    """format_map source: «{x}» from the target company, «{propia.x}» / «{otra.x}» explicit."""

    def __init__(self, objetivo: dict, propia: dict, otra: dict):
        super().__init__(objetivo)
        self["propia"] = _Punto(propia)
        self["otra"] = _Punto(otra)


class _Punto:
    def __init__(self, d):
        self._d = d

    def __getattr__(self, nombre):
        return self._d[nombre]


def _pedir(cliente, fila: Fila, ids: dict):
    url = fila.url(ids)
    if fila.metodo == "GET":
        return cliente.get(url)
    return cliente.post(url, data={"csrf_token": cliente.csrf, **fila.formulario(ids)})


# ---------------------------------------------------------------- the matrix, run


@pytest.mark.parametrize("fila", AJENOS, ids=_id_fila)
def test_administrador_de_a_con_ids_de_b_no_ve_ni_cambia_nada(app, mundo, cliente_empresa_a, fila):
    a, b = mundo
    cliente = cliente_empresa_a
    antes_a, antes_b = foto(app, a["empresa"]), foto(app, b["empresa"])

    respuesta = _pedir(cliente, fila, _Ids(b, a, b))

    assert respuesta.status_code in fila.esperado, texto(respuesta)[:2000]
    cuerpo = texto(respuesta)
    assert not [r for r in _rastros(b) if r in cuerpo], "la respuesta muestra datos de la empresa B"
    assert not respuesta.data.startswith(b"%PDF-")
    assert foto(app, b["empresa"]) == antes_b, "cambió algo de la empresa B"
    assert foto(app, a["empresa"]) == antes_a, "una petición rechazada cambió algo"

    # Control: the same request where the id IS one's own is accepted, so the refusal above came from the
    # isolation and not from a mistyped URL or a missing permission.
    if not fila.control:
        return
    if fila.plantilla.startswith(PREFIJOS_DE_EMPRESA):
        control = _pedir(cliente, fila, _Ids(a, a, b))
    elif fila.plantilla.startswith("/invitaciones/"):
        destinatario = "tecnico" if "/tecnicas/" in fila.plantilla else "pendiente"
        control = _pedir(cliente_de(app, b["usuarios"][destinatario]), fila, _Ids(b, b, a))
    else:
        return
    assert control.status_code not in RECHAZO, f"{_id_fila(fila)} tampoco funciona con ids propios"


@pytest.mark.parametrize("fila", PROPIAS, ids=_id_fila)
def test_paginas_propias_de_a_no_muestran_ni_tocan_b(app, mundo, cliente_empresa_a, fila):
    a, b = mundo
    cliente = cliente_empresa_a
    antes_b = foto(app, b["empresa"])

    respuesta = _pedir(cliente, fila, _Ids(a, a, b))

    assert respuesta.status_code in fila.esperado, texto(respuesta)[:2000]
    cuerpo = texto(respuesta)
    rastros_b = _rastros(b, fila.eco)
    fugas = [r for r in rastros_b if r in cuerpo]
    if fila.metodo == "POST" and respuesta.status_code in (302, 303):
        # Follow to the page the person lands on (flash messages included).
        cuerpo = texto(cliente.get(respuesta.headers["Location"]))
        fugas += [r for r in rastros_b if r in cuerpo]
    assert not fugas, f"la respuesta muestra datos de la empresa B: {fugas}"
    for clave in fila.muestra:
        assert str(a[clave]) in cuerpo, f"la página no muestra {clave} de la empresa A (¿está vacía?)"
    assert foto(app, b["empresa"]) == antes_b, "cambió algo de la empresa B"


def test_el_mismo_recorrido_en_sentido_contrario(app, mundo, cliente_empresa_b):
    """B's administrator against A: the matrix is symmetric (ids of A are not special)."""
    a, b = mundo
    cliente = cliente_empresa_b
    antes = foto(app, a["empresa"])
    for fila in AJENOS:
        respuesta = _pedir(cliente, fila, _Ids(a, b, a))
        assert respuesta.status_code in fila.esperado, _id_fila(fila)
        assert not [r for r in _rastros(a) if r in texto(respuesta)], _id_fila(fila)
    assert foto(app, a["empresa"]) == antes


# ---------------------------------------------------------------- other people


def _filas_con_ids_propios():
    """Every row of the matrix aimed at the company's OWN ids (for people who are not allowed there). A persona
    natural files their own trámites: the expediente pages that are not the company's are theirs too."""
    return [f for f in AJENOS if f.plantilla.startswith(PREFIJOS_DE_EMPRESA)] + [
        f
        for f in PROPIAS
        if f.plantilla.startswith(PREFIJOS_DE_EMPRESA) and not f.plantilla.startswith("/expedientes/")
    ]


@pytest.mark.parametrize("fila", _filas_con_ids_propios(), ids=_id_fila)
def test_persona_natural_no_obtiene_nada_de_su_propia_empresa(app, mundo, fila):
    """A's own Administrador, logged in but acting as persona natural: no company page, no company data."""
    a, b = mundo
    cliente = cliente_de(app, a["usuarios"]["admin"])
    antes = foto(app, a["empresa"])

    respuesta = _pedir(cliente, fila, _Ids(a, a, b))

    assert respuesta.status_code in {302, 403, 404}, texto(respuesta)[:2000]
    cuerpo = texto(respuesta)
    # The person's own name and number (header) and the company name (the «choose a company» link) may show.
    privados = [r for r in _rastros(a, eco=("token", "apellido_admin", "num_admin")) if r in cuerpo]
    assert not privados, f"la persona natural ve datos de la empresa: {privados}"
    assert a["rol_asignado_nombre"] not in cuerpo and not respuesta.data.startswith(b"%PDF-")
    assert foto(app, a["empresa"]) == antes


ACCIONES_DE_ADMINISTRADOR = [
    Fila("GET", "/empresa/roles/"),
    Fila("GET", "/empresa/roles/add"),
    Fila("POST", "/empresa/roles/add", _rol("Propio")),
    Fila("GET", "/empresa/roles/show/{rol_libre}"),
    Fila("GET", "/empresa/roles/edit/{rol_libre}"),
    Fila("POST", "/empresa/roles/edit/{rol_libre}", _rol("Tomado", "pagos.ver")),
    Fila("POST", "/empresa/roles/delete/{rol_libre}"),
    Fila("GET", "/empresa/usuarios/invitar"),
    Fila(
        "POST",
        "/empresa/usuarios/invitar",
        {"tipo_identificacion": "{tipo}", "numero_identificacion": "61234567", "roles": ["{rol_libre}"]},
    ),
    Fila("POST", "/empresa/usuarios/{m_pendiente}/reenviar"),
    Fila("GET", "/empresa/usuarios/edit/{m_inactivo}"),
    Fila("POST", "/empresa/usuarios/edit/{m_inactivo}", {"roles": ["{rol_administrador}"]}),
    Fila("POST", "/empresa/usuarios/action/inactivar/{m_administrador}"),
    Fila("POST", "/empresa/usuarios/action/reactivar/{m_inactivo}"),
    Fila("POST", "/empresa/usuarios/action_post", {"action": "reactivar", "rowid": ["{m_inactivo}"]}),
    Fila("POST", "/empresa/usuarios/delete/{m_pendiente}"),
    Fila("GET", "/empresa/usuarios/tecnicos/invitar"),
    Fila("POST", "/empresa/usuarios/tecnicos/{v_aceptado}/eliminar"),
    Fila("GET", "/empresa/auditoria/", esperado=frozenset({403})),
    Fila("GET", "/empresa/auditoria/exportar.csv", esperado=frozenset({403})),
    Fila("GET", "/empresas/documentos/{documento}/descargar", esperado=frozenset({403, 404})),
    Fila("GET", "/empresa/datos/", esperado=frozenset({403})),
    Fila("POST", "/empresa/datos/", DATOS_EMPRESA, esperado=frozenset({403})),
    Fila("GET", "/expedientes/mis/", esperado=frozenset({403})),
]


@pytest.mark.parametrize("fila", ACCIONES_DE_ADMINISTRADOR, ids=_id_fila)
def test_usuario_sin_la_hoja_recibe_403_en_acciones_de_administrador(app, mundo, fila):
    """A's member whose role grants only Usuarios → Ver: every other action of A is refused; nothing changes."""
    a, b = mundo
    cliente = cliente_de(app, a["usuarios"]["aceptado"], a["empresa"])
    antes = foto(app, a["empresa"])

    respuesta = _pedir(cliente, fila, _Ids(a, a, b))

    esperado = fila.esperado if fila.esperado != RECHAZO else frozenset({403})
    assert respuesta.status_code in esperado, texto(respuesta)[:2000]
    assert not respuesta.data.startswith(b"%PDF-")
    assert foto(app, a["empresa"]) == antes


def test_usuario_sin_la_hoja_si_ve_la_lista_de_usuarios_de_su_empresa(app, mundo):
    """Control for the row above: the leaf it does hold works, and only for its own company."""
    a, b = mundo
    cliente = cliente_de(app, a["usuarios"]["aceptado"], a["empresa"])
    cuerpo = texto(cliente.get("/empresa/usuarios/"))
    assert a["num_pendiente"] in cuerpo and not [r for r in _rastros(b) if r in cuerpo]


# ---------------------------------------------------------------- the matrix covers every route


def _reglas_cubiertas(app) -> set[tuple[str, str]]:
    adaptador = app.url_map.bind("localhost")
    cubiertas = set()
    ids_falsos = _IdsFalsos()
    for fila in AJENOS + PROPIAS + ACCIONES_DE_ADMINISTRADOR:
        ruta = fila.url(ids_falsos).split("?", 1)[0]
        regla, _ = adaptador.match(ruta, method=fila.metodo, return_rule=True)
        cubiertas.add((regla.rule, fila.metodo))
    return cubiertas


class _IdsFalsos(dict):
    """Any id is 1: enough to match a URL against the routing table."""

    def __getitem__(self, clave):
        return _Punto(self) if clave in ("propia", "otra") else 1


def test_toda_ruta_de_empresa_tiene_fila_en_la_matriz(app):
    requeridas = {
        (regla.rule, metodo)
        for regla in app.url_map.iter_rules()
        if regla.rule.startswith(PREFIJOS_DE_EMPRESA)
        for metodo in regla.methods - {"HEAD", "OPTIONS"}
    }
    assert len(requeridas) >= 20, requeridas  # the routes really were found
    faltan = sorted(requeridas - _reglas_cubiertas(app))
    assert not faltan, f"rutas de empresa sin fila de aislamiento en la matriz: {faltan}"
