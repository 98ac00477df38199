"""REST API for company roles and members: documented in OpenAPI, same permissions and isolation as the screens."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.empresas import Membresia, RolEmpresa
from app.services.empresas import invitaciones
from tests import factories
from tests.helpers import actuar_como, cliente_de


def _json(cliente, metodo, url, cuerpo=None):
    return cliente.open(url, method=metodo, json=cuerpo, headers={"X-CSRFToken": cliente.csrf})


def test_la_api_esta_documentada_en_openapi(cliente_admin):
    spec = cliente_admin.get("/api/v1/_openapi").get_json()
    rutas = spec["paths"]
    assert "/api/v1/empresa/roles/" in rutas and "/api/v1/empresa/roles/{pk}" in rutas
    assert "/api/v1/empresa/usuarios/" in rutas and "/api/v1/empresa/usuarios/{pk}/inactivar" in rutas
    assert rutas["/api/v1/empresa/roles/"]["post"]["summary"] == "Crear un rol personalizado"


def test_crear_listar_editar_y_eliminar_un_rol(app, cliente_empresa_a):
    c = cliente_empresa_a
    r = _json(
        c,
        "POST",
        "/api/v1/empresa/roles/",
        {"nombre": "Consulta", "descripcion": "Solo ver", "permisos": ["usuarios.ver", "expedientes"]},
    )
    assert r.status_code == 201, r.get_json()
    rol_id = r.get_json()["id"]
    lista = _json(c, "GET", "/api/v1/empresa/roles/").get_json()["result"]
    consulta = next(x for x in lista if x["id"] == rol_id)
    assert consulta["permisos"] == sorted(
        [
            "usuarios.ver",
            "expedientes.ver",
            "expedientes.borradores",
            "expedientes.radicar",
            "expedientes.requerimientos",
        ]
    )
    assert (
        _json(
            c, "PUT", f"/api/v1/empresa/roles/{rol_id}", {"nombre": "Consulta", "permisos": ["auditoria.ver"]}
        ).status_code
        == 200
    )
    assert _json(c, "GET", f"/api/v1/empresa/roles/{rol_id}").get_json()["result"]["permisos"] == ["auditoria.ver"]
    assert _json(c, "DELETE", f"/api/v1/empresa/roles/{rol_id}").status_code == 200
    assert _json(c, "GET", f"/api/v1/empresa/roles/{rol_id}").status_code == 404


def test_los_roles_predefinidos_no_se_editan_por_api(app, cliente_empresa_a):
    c, a = cliente_empresa_a, cliente_empresa_a.empresa_id
    with app.app_context():
        admin_rol = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == a, RolEmpresa.nombre == "Administrador")
        )
    r = _json(c, "PUT", f"/api/v1/empresa/roles/{admin_rol}", {"nombre": "Jefe", "permisos": []})
    assert r.status_code == 400
    assert "predefinido" in str(r.get_json()["message"]).lower()
    assert _json(c, "DELETE", f"/api/v1/empresa/roles/{admin_rol}").status_code == 400


def test_inactivar_y_reactivar_un_rol_asignado_por_api(app, cliente_empresa_a):
    c = cliente_empresa_a
    rol_id = _json(c, "POST", "/api/v1/empresa/roles/", {"nombre": "Pausable", "permisos": ["pagos"]}).get_json()["id"]
    with app.app_context():
        persona = factories.crear_usuario()
    r = _json(
        c,
        "POST",
        "/api/v1/empresa/usuarios/",
        {
            "tipo_identificacion_id": persona.tipo_identificacion_id,
            "numero_identificacion": persona.numero_identificacion,
            "roles": [rol_id],
        },
    )
    assert r.status_code == 201, r.get_json()
    with app.app_context():
        invitaciones.aceptar(db.session, persona, r.get_json()["id"])
        db.session.commit()
    assert _json(c, "DELETE", f"/api/v1/empresa/roles/{rol_id}").status_code == 400  # assigned: not deleted
    assert _json(c, "POST", f"/api/v1/empresa/roles/{rol_id}/inactivar").status_code == 200
    assert _json(c, "GET", f"/api/v1/empresa/roles/{rol_id}").get_json()["result"]["activo"] is False
    r = _json(c, "POST", f"/api/v1/empresa/roles/{rol_id}/inactivar")
    assert r.status_code == 400 and r.get_json()["message"] == "El rol «Pausable» ya está inactivo."
    assert _json(c, "POST", f"/api/v1/empresa/roles/{rol_id}/reactivar").status_code == 200
    assert _json(c, "GET", f"/api/v1/empresa/roles/{rol_id}").get_json()["result"]["activo"] is True
    with app.app_context():
        financiero = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == c.empresa_id, RolEmpresa.nombre == "Financiero")
        )
    r = _json(c, "POST", f"/api/v1/empresa/roles/{financiero}/inactivar")
    assert r.status_code == 400 and "predefinido" in r.get_json()["message"]
    assert _json(c, "POST", "/api/v1/empresa/roles/99999999/reactivar").status_code == 404


def test_nombre_duplicado_y_permisos_desconocidos_son_400(app, cliente_empresa_a):
    c = cliente_empresa_a
    assert _json(c, "POST", "/api/v1/empresa/roles/", {"nombre": "administrador", "permisos": []}).status_code == 400
    r = _json(c, "POST", "/api/v1/empresa/roles/", {"nombre": "Raro", "permisos": ["todo.todo"]})
    assert r.status_code == 400
    assert _json(c, "POST", "/api/v1/empresa/roles/", ["no", "es", "objeto"]).status_code == 400


@pytest.mark.parametrize(
    ("cuerpo", "campo", "mensaje"),
    [
        ({"nombre": ["x"], "permisos": ["usuarios.ver"]}, "nombre", "«nombre» debe ser un texto."),
        ({"nombre": {"a": 1}, "permisos": ["usuarios.ver"]}, "nombre", "«nombre» debe ser un texto."),
        ({"nombre": 12345, "permisos": ["usuarios.ver"]}, "nombre", "«nombre» debe ser un texto."),
        ({"nombre": "API5", "permisos": ["usuarios"], "descripcion": ["a"]}, "descripcion", "«descripcion» debe ser"),
        (
            {"nombre": "API4", "permisos": ["usuarios.ver"], "activo": "true"},
            "activo",
            "«activo» debe ser true o false",
        ),
        ({"nombre": "API6", "permisos": ["usuarios.ver"], "activo": None}, "activo", "«activo» debe ser true o false"),
        ({"nombre": "API7", "permisos": "usuarios.ver"}, "permisos", "Los permisos deben ser una lista"),
        ({"nombre": "API8", "permisos": [1, 2]}, "permisos", "Los permisos deben ser una lista"),
    ],
)
def test_un_tipo_equivocado_en_el_cuerpo_es_400_y_no_crea_nada(app, cliente_empresa_a, cuerpo, campo, mensaje):
    """QA: ["x"] was stored as the role name «['x']», and "activo": "true" made an inactive role."""
    r = _json(cliente_empresa_a, "POST", "/api/v1/empresa/roles/", cuerpo)
    assert r.status_code == 400, r.get_json()
    assert any(mensaje in m for m in r.get_json()["message"][campo]), r.get_json()
    with app.app_context():
        assert not db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.nombre.in_(["['x']", "{'a': 1}", "12345", "API4", "API5", "API6"]))
        )


# Every API route with an id, tried with another company's id. A new route must get a row (see the check below).
RUTAS_CON_ID = [
    ("GET", "/api/v1/empresa/roles/{rol}", None),
    ("PUT", "/api/v1/empresa/roles/{rol}", {"nombre": "Tomado", "permisos": ["roles.ver"]}),
    ("DELETE", "/api/v1/empresa/roles/{rol}", None),
    ("POST", "/api/v1/empresa/roles/{rol}/inactivar", None),
    ("POST", "/api/v1/empresa/roles/{rol}/reactivar", None),
    ("PUT", "/api/v1/empresa/usuarios/{usuario}/roles", {"roles": []}),
    ("POST", "/api/v1/empresa/usuarios/{usuario}/inactivar", None),
    ("POST", "/api/v1/empresa/usuarios/{usuario}/reactivar", None),
    ("DELETE", "/api/v1/empresa/usuarios/{usuario}", None),
]


def test_toda_ruta_de_la_api_de_empresa_con_id_esta_en_la_matriz(app):
    declaradas = {(m, p.replace("{rol}", "<int:pk>").replace("{usuario}", "<int:pk>")) for m, p, _ in RUTAS_CON_ID}
    for regla in app.url_map.iter_rules():
        if regla.endpoint == "api_empresa_miembros.direccion_antigua":
            continue  # the old address only redirects to the new one (test_la_direccion_antigua_...)
        if regla.rule.startswith("/api/v1/empresa/") and "<" in regla.rule:
            for metodo in regla.methods - {"HEAD", "OPTIONS"}:
                assert (metodo, regla.rule) in declaradas, f"{metodo} {regla.rule} no tiene fila de aislamiento"


def test_cada_ruta_con_id_de_otra_empresa_responde_404_sin_cambios(app, cliente_empresa_a, cliente_empresa_b):
    b = cliente_empresa_b.empresa_id
    with app.app_context():
        ids = {
            "rol": db.session.scalar(
                select(RolEmpresa.id).where(RolEmpresa.empresa_id == b, RolEmpresa.nombre == "Financiero")
            ),
            "usuario": db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == b)),
        }

        def foto():
            roles = db.session.execute(
                select(RolEmpresa.id, RolEmpresa.nombre, RolEmpresa.activo)
                .where(RolEmpresa.empresa_id == b)
                .order_by(RolEmpresa.id)
            ).all()
            miembros = db.session.execute(
                select(Membresia.id, Membresia.estado).where(Membresia.empresa_id == b).order_by(Membresia.id)
            ).all()
            return roles, miembros

        antes = foto()
    c = cliente_empresa_a
    for metodo, plantilla, cuerpo in RUTAS_CON_ID:
        r = _json(c, metodo, plantilla.format(**ids), cuerpo)
        assert r.status_code == 404, (metodo, plantilla, r.status_code, r.get_json())
        assert "Empresa B" not in r.get_data(as_text=True)
    with app.app_context():
        assert foto() == antes


def test_los_ids_de_otra_empresa_son_404_y_nada_cambia(app, cliente_empresa_a, cliente_empresa_b):
    b = cliente_empresa_b.empresa_id
    with app.app_context():
        rol_b = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == b, RolEmpresa.nombre == "Financiero")
        )
        usuario_b = db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == b))
    c = cliente_empresa_a
    assert _json(c, "GET", f"/api/v1/empresa/roles/{rol_b}").status_code == 404
    assert _json(c, "DELETE", f"/api/v1/empresa/roles/{rol_b}").status_code == 404
    assert _json(c, "POST", f"/api/v1/empresa/usuarios/{usuario_b}/inactivar").status_code == 404
    assert _json(c, "DELETE", f"/api/v1/empresa/usuarios/{usuario_b}").status_code == 404
    nombres = [m["nombres"] for m in _json(c, "GET", "/api/v1/empresa/usuarios/").get_json()["result"]]
    assert nombres == ["Admin Empresa A"]
    with app.app_context():
        assert db.session.get(RolEmpresa, rol_b) is not None
        assert db.session.get(Membresia, usuario_b).estado == "Aceptado"


def test_sin_el_permiso_del_arbol_la_api_responde_403(app, cliente_empresa_a):
    a = cliente_empresa_a.empresa_id
    with app.app_context():
        financiero = factories.crear_usuario(nombres="Fabio")
        rol = db.session.scalar(select(RolEmpresa).where(RolEmpresa.empresa_id == a, RolEmpresa.nombre == "Financiero"))
        from app.services.empresas.alta import agregar_miembro_aceptado

        agregar_miembro_aceptado(db.session, rol.empresa, financiero, [rol])
        db.session.commit()
        db.session.refresh(financiero)
    c = cliente_de(app, financiero, a)
    assert _json(c, "GET", "/api/v1/empresa/roles/").status_code == 403
    assert _json(c, "POST", "/api/v1/empresa/roles/", {"nombre": "X", "permisos": []}).status_code == 403


def test_sin_actuar_como_empresa_la_api_no_entrega_nada(cliente_empresa_a):
    c = cliente_empresa_a
    actuar_como(c, None)
    assert _json(c, "GET", "/api/v1/empresa/roles/").status_code == 403


def test_escrituras_sin_token_csrf_son_rechazadas(app, cliente_empresa_a):
    c = cliente_empresa_a
    r = c.post("/api/v1/empresa/roles/", json={"nombre": "Sin CSRF", "permisos": []})
    assert r.status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                select(RolEmpresa).where(RolEmpresa.nombre == "Sin CSRF").execution_options(todas_las_empresas=True)
            )
            is None
        )


def test_invitar_y_no_inactivar_al_ultimo_administrador(app, cliente_empresa_a):
    c, a = cliente_empresa_a, cliente_empresa_a.empresa_id
    with app.app_context():
        invitada = factories.crear_usuario(nombres="Invitada")
        tipo, numero = invitada.tipo_identificacion_id, invitada.numero_identificacion
        fin = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == a, RolEmpresa.nombre == "Financiero")
        )
        propia = db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == a))
    r = _json(
        c,
        "POST",
        "/api/v1/empresa/usuarios/",
        {"tipo_identificacion_id": tipo, "numero_identificacion": numero, "roles": [fin]},
    )
    assert r.status_code == 201, r.get_json()
    lista = _json(c, "GET", "/api/v1/empresa/usuarios/?estado=Pendiente").get_json()
    assert [m["estado"] for m in lista["result"]] == ["Pendiente"]
    r = _json(c, "POST", f"/api/v1/empresa/usuarios/{propia}/inactivar")
    assert r.status_code == 400


def test_un_comodin_escrito_en_la_busqueda_se_busca_tal_cual(app, cliente_empresa_a):
    """«%» and «_» typed by a person are text, not LIKE wildcards that match every member."""
    c = cliente_empresa_a
    todos = _json(c, "GET", "/api/v1/empresa/usuarios/").get_json()["count"]
    assert todos >= 1
    for comodin in ("%", "_", "\\"):
        r = _json(c, "GET", "/api/v1/empresa/usuarios/?" + urlencode({"q": comodin}))
        assert r.status_code == 200 and r.get_json()["count"] == 0, comodin


def test_la_direccion_antigua_de_miembros_redirige_a_usuarios(cliente_empresa_a):
    """/api/v1/empresa/miembros/ was the users' API: old links keep working (301; 308 keeps a write's method)."""
    c = cliente_empresa_a
    r = _json(c, "GET", "/api/v1/empresa/miembros/?estado=Aceptado")
    assert r.status_code == 301 and r.headers["Location"].endswith("/api/v1/empresa/usuarios/?estado=Aceptado")
    r = _json(c, "POST", "/api/v1/empresa/miembros/7/inactivar")
    assert r.status_code == 308 and r.headers["Location"].endswith("/api/v1/empresa/usuarios/7/inactivar")
    seguida = c.get("/api/v1/empresa/miembros/", follow_redirects=True)
    assert seguida.status_code == 200 and seguida.get_json()["count"] == 1


def test_las_respuestas_se_describen_con_esquemas_en_openapi(cliente_admin):
    spec = cliente_admin.get("/api/v1/_openapi").get_json()
    esquemas = spec["components"]["schemas"]
    assert {"id", "nombre", "permisos", "usuarios_activos"} <= set(esquemas["RolEmpresaSchema"]["properties"])
    assert {"numero_identificacion", "estado", "roles"} <= set(esquemas["UsuarioEmpresaSchema"]["properties"])
    lista = spec["paths"]["/api/v1/empresa/usuarios/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert lista["schema"]["properties"]["result"]["items"] == {"$ref": "#/components/schemas/UsuarioEmpresaSchema"}


def test_una_invitacion_sin_cuenta_trae_nombres_y_correo_nulos(app, cliente_empresa_a):
    c, admin, a = cliente_empresa_a, cliente_empresa_a.usuario, cliente_empresa_a.empresa_id
    with app.app_context():
        rol = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == a, RolEmpresa.nombre == "Financiero")
        )
    cuerpo = {
        "tipo_identificacion_id": admin.tipo_identificacion_id,
        "numero_identificacion": "88777666",
        "roles": [rol],
    }
    assert _json(c, "POST", "/api/v1/empresa/usuarios/", cuerpo).status_code == 201
    pendiente = _json(c, "GET", "/api/v1/empresa/usuarios/?estado=Pendiente").get_json()["result"][0]
    assert pendiente["numero_identificacion"] == "88777666" and pendiente["estado"] == "Pendiente"
    assert pendiente["nombres"] is None and pendiente["apellidos"] is None and pendiente["correo"] is None
    assert pendiente["tipo_identificacion"] == "Cédula de ciudadanía" and [r["id"] for r in pendiente["roles"]] == [rol]
