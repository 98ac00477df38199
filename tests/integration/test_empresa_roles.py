"""Company roles through HTTP: the generated list (constant statements), detail, add and edit with the permission
tree, delete; immutable predefined roles, the active-users rule, isolation, bad input and who may come in."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import RolEmpresa
from app.services.empresas import invitaciones, membresias
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories
from tests.helpers import (
    actuar_como,
    administrador_y_empresa,
    cliente_de,
    contar_sentencias,
    csrf_de,
    iniciar_sesion,
    texto,
)

LISTA = "/empresa/roles/"
NUEVO = "/empresa/roles/add"
VISTA = "RolesEmpresaModelView"


def _rol_id(app, empresa_id, nombre):
    with app.app_context():
        return db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre)
        )


def _token(cliente) -> str:
    return csrf_de(texto(cliente.get(NUEVO)))


def _crear(cliente, **datos):
    base = {"csrf_token": _token(cliente), "nombre": "Radicador", "descripcion": "Radica", "estado": "activo"}
    return cliente.post(NUEVO, data={**base, **datos})


def _asignar(app, empresa_id, rol_id) -> None:
    """An active (Aceptado) member holding the role."""
    with app.app_context():
        otra = factories.crear_usuario()
        m = membresias.invitar(
            db.session, empresa_id, None, otra.tipo_identificacion_id, otra.numero_identificacion, [rol_id]
        )
        invitaciones.aceptar(db.session, otra, m.id)
        db.session.commit()


# ---------------------------------------------------------------- the generated list


def test_lista_muestra_predefinidos_permisos_por_rama_y_usuarios_activos(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos", "roles.ver"], descripcion="Paga las tarifas")
    html = texto(cliente.get(LISTA))
    assert "Roles de la empresa" in html and "Crear rol" in html and "Rol «Radicador» creado." in html
    html = html[html.index("<tbody>") :]
    assert html.index("Administrador") < html.index("Financiero") < html.index("Radicador")  # predefined first
    assert html.count('<span class="label label-default">Predefinido</span>') == 2
    assert "<strong>Pagos:</strong> todos" in html and "<strong>Roles:</strong> ver" in html
    assert "Paga las tarifas" in html and "Activo" in html
    fila_admin = html[html.index("<strong>Administrador</strong>") : html.index("<strong>Financiero</strong>")]
    assert "<td>1</td>" in fila_admin and "Permisos fijos" in fila_admin  # the administrator holds it
    rol_id = _rol_id(app, empresa_id, "Radicador")
    assert f'href="/empresa/roles/edit/{rol_id}"' in html and f'action="/empresa/roles/delete/{rol_id}"' in html
    assert "data-confirmar" in html and "/empresa/roles/edit/" + str(_rol_id(app, empresa_id, "Financiero")) not in html


def test_lista_con_sentencias_constantes_pocos_o_muchos_roles(app):
    """Two roles with one member, then 25 roles with many leaves and members: the same number of statements."""
    cliente, empresa_id = administrador_y_empresa(app)

    def medir(**q):
        with contar_sentencias(app) as sentencias:
            r = cliente.get(LISTA, query_string=q)
        assert r.status_code == 200
        return list(sentencias), texto(r)

    pocas, _ = medir()
    with app.app_context():
        ids = [
            roles_empresa.crear(
                db.session, empresa_id, None, DatosRol(f"Rol {i:02d}", "", "activo", arbol_permisos_todas())
            ).id
            for i in range(25)
        ]
        db.session.commit()
    for rol_id in ids[:5]:
        _asignar(app, empresa_id, rol_id)
    muchas, html = medir()
    assert len(pocas) == len(muchas), (pocas, muchas)
    assert len(muchas) <= 10, muchas
    assert html.count('class="acciones-rol"') == 20 and "27" in html  # a page of 20 out of 27
    assert "<strong>Expedientes:</strong> todos" in html
    ultima, html = medir(**{f"page_{VISTA}": 1})
    assert len(ultima) == len(muchas) and html.count('class="acciones-rol"') == 7
    ordenada, html = medir(**{f"_oc_{VISTA}": "rol", f"_od_{VISTA}": "desc"})
    assert len(ordenada) == len(muchas) and html.index("Rol 24") < html.index("Rol 23")


def arbol_permisos_todas():
    from app.security.arbol_permisos import HOJAS

    return HOJAS


# ---------------------------------------------------------------- add and edit with the tree


def test_formulario_de_rol_muestra_el_arbol_con_casillas_etiquetadas(app):
    cliente, _ = administrador_y_empresa(app)
    html = texto(cliente.get(NUEVO))
    assert "Crear rol" in html and 'id="model_form"' in html
    assert "<legend>Expedientes</legend>" in html and "<legend>Auditoría</legend>" in html
    assert 'id="rama-usuarios" name="permiso" value="usuarios"' in html
    assert '<label for="hoja-usuarios-invitar">' in html and "js/arbol_permisos.js" in html
    assert '<label class="control-label" for="nombre"><span class="obligatorio" aria-hidden="true">*</span>' in html
    assert 'aria-labelledby="etiqueta-permiso"' in html and '<option selected value="activo">Activo</option>' in html


def test_crear_rol_marcando_una_rama_sin_javascript(app):
    cliente, empresa_id = administrador_y_empresa(app)
    r = _crear(cliente, permiso=["pagos", "roles.ver"])
    assert r.status_code == 302 and r.headers["Location"].endswith(LISTA)
    assert "Rol «Radicador» creado." in texto(cliente.get(LISTA))
    rol_id = _rol_id(app, empresa_id, "Radicador")
    with app.app_context():
        assert roles_empresa.permisos_de(db.session, rol_id) == {"pagos.ver", "pagos.registrar", "roles.ver"}
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "rol_creado"))
        assert fila.empresa_id == empresa_id and fila.usuario_id == cliente.usuario.id and str(fila.ip) == "127.0.0.1"


def test_editar_rol_desmarcando_una_hoja_de_una_rama_completa(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    html = texto(cliente.get(f"/empresa/roles/edit/{rol_id}"))
    assert "Editar rol «Radicador»" in html and 'value="Radicador"' in html
    assert '<input type="hidden" name="rama_previa" value="pagos">' in html
    r = cliente.post(
        f"/empresa/roles/edit/{rol_id}",
        data={
            "csrf_token": csrf_de(html),
            "nombre": "Pagador",
            "estado": "inactivo",
            "permiso": ["pagos", "pagos.ver"],
            "rama_previa": "pagos",
        },
    )
    assert r.status_code == 302
    assert "Rol «Pagador» actualizado." in texto(cliente.get(r.headers["Location"]))
    with app.app_context():
        assert roles_empresa.permisos_de(db.session, rol_id) == {"pagos.ver"}
        rol = db.session.get(RolEmpresa, rol_id)
        assert rol.nombre == "Pagador" and rol.activo is False
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "rol_editado"))
        assert fila.antes["nombre"] == "Radicador" and fila.despues["nombre"] == "Pagador" and fila.ip


def test_nombre_duplicado_y_sin_permisos_responden_400_con_mensaje(app):
    cliente, empresa_id = administrador_y_empresa(app)
    r = _crear(cliente, nombre="FINANCIERO")
    html = texto(r)
    assert r.status_code == 400
    assert "Ya existe un rol llamado «FINANCIERO» en la empresa." in html
    assert roles_empresa.MSG_SIN_PERMISOS in html and 'value="FINANCIERO"' in html
    r = _crear(cliente, nombre="x" * 500, descripcion="y" * 5000, permiso=["no.existe"], estado="otro")
    html = texto(r)
    assert r.status_code == 400 and roles_empresa.MSG_PERMISO_DESCONOCIDO in html
    assert roles_empresa.MSG_NOMBRE_LARGO in html and roles_empresa.MSG_DESCRIPCION_LARGA in html
    assert roles_empresa.MSG_ESTADO in html
    # Double submit: the second one finds the name taken.
    assert _crear(cliente, nombre="Doble", permiso=["pagos"]).status_code == 302
    assert _crear(cliente, nombre="Doble", permiso=["pagos"]).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(RolEmpresa.id).where(RolEmpresa.nombre == "x" * 60)) is None
    assert _rol_id(app, empresa_id, "Doble") is not None


# ---------------------------------------------------------------- rules kept by the service


def test_roles_predefinidos_se_ven_pero_no_se_editan_ni_eliminan(app):
    cliente, empresa_id = administrador_y_empresa(app)
    rol_id = _rol_id(app, empresa_id, "Administrador")
    for metodo, url in (("get", f"/empresa/roles/edit/{rol_id}"), ("post", f"/empresa/roles/edit/{rol_id}")):
        r = getattr(cliente, metodo)(url, data={"csrf_token": _token(cliente), "nombre": "Jefe", "permiso": "pagos"})
        assert r.status_code == 302
        assert "El rol «Administrador» es predefinido" in texto(cliente.get(r.headers["Location"]))
    r = cliente.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": _token(cliente)}, follow_redirects=True)
    assert "no se puede editar ni eliminar" in texto(r)
    html = texto(cliente.get(f"/empresa/roles/show/{rol_id}"))
    assert "Predefinido" in html and "Los roles predefinidos tienen permisos fijos" in html
    assert 'id="hoja-usuarios-invitar" name="permiso" value="usuarios.invitar" data-hoja-de="usuarios"' in html
    assert "disabled" in html and "/empresa/roles/edit/" not in html
    with app.app_context():
        rol = db.session.get(RolEmpresa, rol_id)
        assert rol.nombre == "Administrador" and len(roles_empresa.permisos_de(db.session, rol_id)) > 10


def test_rol_asignado_a_usuario_activo_explica_por_que_no_se_ve_edita_ni_elimina(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    _asignar(app, empresa_id, rol_id)
    esperado = (
        "El rol «Radicador» está asignado a 1 usuario(s) activo(s); reasígnelos antes de editarlo o eliminarlo. "
        "Para pausarlo, inactívelo."
    )
    token = _token(cliente)
    for metodo, url in (
        ("get", f"/empresa/roles/show/{rol_id}"),
        ("get", f"/empresa/roles/edit/{rol_id}"),
        ("post", f"/empresa/roles/edit/{rol_id}"),
        ("post", f"/empresa/roles/delete/{rol_id}"),
    ):
        datos = {"csrf_token": token, "nombre": "Otro", "estado": "activo", "permiso": "empresa"}
        r = getattr(cliente, metodo)(url, data=datos)
        assert r.status_code == 302 and r.headers["Location"].endswith(LISTA), url
        assert esperado in texto(cliente.get(LISTA)), url
    with app.app_context():
        assert db.session.get(RolEmpresa, rol_id).nombre == "Radicador"
        assert roles_empresa.permisos_de(db.session, rol_id) == {"pagos.ver", "pagos.registrar"}


def test_ver_y_eliminar_rol_libre_se_audita(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    html = texto(cliente.get(f"/empresa/roles/show/{rol_id}"))
    assert "Rol «Radicador»" in html and "Radica" in html and "Volver a los roles" in html
    assert 'id="hoja-pagos-ver" name="permiso" value="pagos.ver" data-hoja-de="pagos"\n            checked' in html
    assert f'action="/empresa/roles/delete/{rol_id}"' in html and f'href="/empresa/roles/edit/{rol_id}"' in html
    r = cliente.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": csrf_de(html)}, follow_redirects=True)
    assert "Rol «Radicador» eliminado." in texto(r)
    assert _rol_id(app, empresa_id, "Radicador") is None
    # Double submit: already gone.
    assert cliente.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": csrf_de(html)}).status_code == 404
    with app.app_context():
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "rol_eliminado"))
        assert fila.objeto_id == str(rol_id) and str(fila.ip) == "127.0.0.1" and fila.empresa_id == empresa_id


def test_no_se_elimina_el_unico_rol_de_una_invitacion_pendiente(app):
    """QA: deleting a role left the pending invitation that had only it with no role; once accepted, the member
    was «Aceptado» with nothing. One that has another role just loses it."""
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    with app.app_context():
        persona = factories.crear_usuario()
        solo = membresias.invitar(
            db.session, empresa_id, None, persona.tipo_identificacion_id, persona.numero_identificacion, [rol_id]
        )
        db.session.commit()
        solo_id = solo.id
    token = _token(cliente)
    r = cliente.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": token}, follow_redirects=True)
    assert "es el único rol de 1 invitación(es) pendiente(s) o usuario(s) inactivo(s)" in texto(r)
    assert _rol_id(app, empresa_id, "Radicador") == rol_id
    financiero = _rol_id(app, empresa_id, "Financiero")
    with app.app_context():
        membresias.cambiar_roles(db.session, empresa_id, solo_id, None, [rol_id, financiero])
        db.session.commit()
    r = cliente.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": token}, follow_redirects=True)
    assert "Rol «Radicador» eliminado." in texto(r)
    with app.app_context():
        assert [r.nombre for r in db.session.get(membresias.Membresia, solo_id).roles] == ["Financiero"]


# ---------------------------------------------------------------- isolation and bad input


def test_roles_de_otra_empresa_responden_404(app):
    cliente, _ = administrador_y_empresa(app)
    otro, otra_id = administrador_y_empresa(app)
    _crear(otro, permiso=["pagos"], nombre="Secreto")
    ajeno = _rol_id(app, otra_id, "Secreto")
    assert "Secreto" not in texto(cliente.get(LISTA))
    assert cliente.get(f"/empresa/roles/show/{ajeno}").status_code == 404
    assert cliente.get(f"/empresa/roles/edit/{ajeno}").status_code == 404
    token = _token(cliente)
    datos = {"csrf_token": token, "nombre": "Tomado", "estado": "activo", "permiso": "pagos"}
    assert cliente.post(f"/empresa/roles/edit/{ajeno}", data=datos).status_code == 404
    assert cliente.post(f"/empresa/roles/delete/{ajeno}", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(RolEmpresa, ajeno).nombre == "Secreto"


def test_entradas_invalidas_responden_4xx_nunca_500(app):
    cliente, _ = administrador_y_empresa(app)
    token = _token(cliente)
    for url in ("/empresa/roles/show/abc", "/empresa/roles/show/-1", "/empresa/roles/edit/99999999999999999999"):
        r = cliente.get(url)
        assert r.status_code == 404 and "Error 404" in texto(r), url
    assert cliente.post("/empresa/roles/delete/0", data={"csrf_token": token}).status_code == 404
    assert cliente.post("/empresa/roles/delete/1").status_code == 400  # no CSRF token
    assert cliente.post(NUEVO, data={"nombre": "Sin token", "permiso": "pagos"}).status_code == 400
    assert cliente.get("/empresa/roles/delete/1").status_code == 405  # never a change on GET
    assert cliente.get("/empresa/roles/list/").status_code == 404
    assert cliente.get(LISTA, query_string={"_flt_0_nombre": "x"}).status_code == 200
    # Junk list parameters: 400 with the reason, as on every generated screen (app/web/entrada.py).
    for consulta in (
        {f"_oc_{VISTA}": "password", f"_od_{VISTA}": "asc"},
        {"_flt_9_nombre": "1"},  # a search column, but no such filter
        {f"page_{VISTA}": "-3"},
        {f"page_{VISTA}": str(10**30), f"psize_{VISTA}": "-5"},
        {f"psize_{VISTA}": "abc"},
        {f"page_{VISTA}": "1e9"},
    ):
        r = cliente.get(LISTA, query_string=consulta)
        assert r.status_code == 400 and "Error 400" in texto(r), consulta
    assert cliente.get(NUEVO, query_string={"_flt_0_empresa": "1"}).status_code == 200


# ---------------------------------------------------------------- who may come in


def test_persona_natural_y_administrador_de_la_plataforma_eligen_empresa(app, cliente_admin):
    cliente, empresa_id = administrador_y_empresa(app)
    rol_id = _rol_id(app, empresa_id, "Financiero")
    token = _token(cliente)
    actuar_como(cliente, None)
    for otro in (cliente, cliente_admin):
        for url in (LISTA, NUEVO, f"/empresa/roles/show/{rol_id}", f"/empresa/roles/edit/{rol_id}"):
            r = otro.get(url)
            assert r.status_code == 403 and "elija la empresa con la que desea ingresar" in texto(r), url
        r = otro.post(f"/empresa/roles/delete/{rol_id}", data={"csrf_token": token})
        assert r.status_code in (400, 403)
    assert app.test_client().get(LISTA).status_code == 302  # not logged in: to the login page
    assert _rol_id(app, empresa_id, "Financiero") == rol_id


def test_usuario_sin_la_hoja_recibe_403_en_espanol(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        otra = factories.crear_usuario()
        solo_ver = roles_empresa.crear(
            db.session, empresa_id, None, DatosRol("Consulta", "", "activo", frozenset({"roles.ver"}))
        )
        m = membresias.invitar(
            db.session, empresa_id, None, otra.tipo_identificacion_id, otra.numero_identificacion, [solo_ver.id]
        )
        invitaciones.aceptar(db.session, otra, m.id)
        db.session.commit()
        db.session.refresh(otra)
    financiero = _rol_id(app, empresa_id, "Financiero")
    cliente_ver = app.test_client()
    iniciar_sesion(cliente_ver, otra)
    actuar_como(cliente_ver, empresa_id)
    html = texto(cliente_ver.get(LISTA))
    assert "Financiero" in html and ">Ver</a>" in html
    for boton in ("Crear rol", ">Editar</a>", ">Eliminar</button>"):
        assert boton not in html, boton
    assert cliente_ver.get(f"/empresa/roles/show/{financiero}").status_code == 200
    for url, permiso in ((NUEVO, "Roles → Crear"), (f"/empresa/roles/edit/{financiero}", "Roles → Editar")):
        r = cliente_ver.get(url)
        assert r.status_code == 403 and f"no le permite esta acción ({permiso})" in texto(r)
    token = csrf_de(html)
    r = cliente_ver.post(f"/empresa/roles/delete/{financiero}", data={"csrf_token": token})
    assert r.status_code == 403 and "Roles → Eliminar" in texto(r)
    assert cliente_ver.get("/empresa/usuarios/").status_code == 403


def test_roles_y_usuarios_muestran_el_aviso_de_la_circular(app):
    """Seed 001, «Consideraciones finales»: the Invima does not answer for the roles and permissions holders grant."""
    cliente, _empresa_id = administrador_y_empresa(app)
    for url in (LISTA, "/empresa/usuarios/"):
        html = " ".join(texto(cliente.get(url)).split())
        assert "no tiene injerencia ni asume responsabilidad sobre las acciones, roles o permisos otorgados" in html, (
            url
        )


def test_la_lista_de_roles_se_busca_por_nombre_y_por_estado(app):
    cliente, _empresa_id = administrador_y_empresa(app)
    _crear(cliente, nombre="Radicador Uno", permiso=["pagos"])
    _crear(cliente, nombre="Consulta", estado="inactivo", permiso=["pagos"])

    def filas(consulta: str) -> str:
        html = texto(cliente.get(LISTA + consulta))
        return html[html.index("<tbody>") :]

    inicio = texto(cliente.get(LISTA))
    assert 'name="nombre" class="filter"' in inicio and 'name="activo" class="filter"' in inicio  # «Agregar filtro»
    por_nombre = filas("?_flt_0_nombre=radic")
    assert "Radicador Uno" in por_nombre and "Consulta" not in por_nombre and "Financiero" not in por_nombre
    assert "Radicador" not in filas("?_flt_0_nombre=%25")  # «%» is text, not a wildcard that matches every role
    inactivos = filas("?_flt_0_activo=Inactivo")
    assert "Consulta" in inactivos and "Radicador" not in inactivos and "Administrador" not in inactivos
    activos = filas("?_flt_0_activo=Activo")
    assert "Administrador" in activos and "Radicador Uno" in activos and "Consulta" not in activos
    assert cliente.get(LISTA + "?_flt_7_nombre=x").status_code == 400  # no such filter: 400, never 500


# ---------------------------------------------------------------- pause a role (Inactivar / Reactivar)


def _titular(app, empresa_id, permisos) -> tuple:
    """A role «Consulta» with `permisos` held by an active user, logged in and acting as the company."""
    with app.app_context():
        persona = factories.crear_usuario()
        rol = roles_empresa.crear(db.session, empresa_id, None, DatosRol("Consulta", "", "activo", frozenset(permisos)))
        m = membresias.invitar(
            db.session, empresa_id, None, persona.tipo_identificacion_id, persona.numero_identificacion, [rol.id]
        )
        invitaciones.aceptar(db.session, persona, m.id)
        db.session.commit()
        db.session.refresh(persona)
        rol_id = rol.id
    return cliente_de(app, persona, empresa_id), rol_id


def test_un_rol_asignado_se_inactiva_y_deja_de_otorgar_permisos_desde_la_siguiente_peticion(app):
    """Seed 001: «Cambiar un rol a Inactivo en lugar de eliminarlo, si se requiere pausarlo»."""
    cliente, empresa_id = administrador_y_empresa(app)
    titular, rol_id = _titular(app, empresa_id, {"roles.ver"})
    assert titular.get(LISTA).status_code == 200
    html = texto(cliente.get(LISTA))
    assert f'action="/empresa/roles/inactivar/{rol_id}"' in html and "¿Inactivar el rol «Consulta»?" in html
    r = cliente.post(f"/empresa/roles/inactivar/{rol_id}", data={"csrf_token": csrf_de(html)}, follow_redirects=True)
    html = texto(r)
    assert "Rol «Consulta» inactivado: quienes lo tienen dejan de recibir sus permisos." in html
    assert f'action="/empresa/roles/reactivar/{rol_id}"' in html
    r = titular.get(LISTA)
    assert r.status_code == 403 and "Roles → Ver" in texto(r)
    # The holder keeps the role (shown as inactive) and gets its permissions back when it is reactivated.
    assert "Consulta (inactivo)" in texto(cliente.get("/empresa/usuarios/"))
    r = cliente.post(f"/empresa/roles/reactivar/{rol_id}", data={"csrf_token": csrf_de(html)}, follow_redirects=True)
    assert "Rol «Consulta» reactivado: quienes lo tienen vuelven a recibir sus permisos." in texto(r)
    assert titular.get(LISTA).status_code == 200
    with app.app_context():
        filas = db.session.scalars(
            select(Auditoria)
            .where(Auditoria.empresa_id == empresa_id, Auditoria.accion.in_(("rol_inactivado", "rol_reactivado")))
            .order_by(Auditoria.id)
        ).all()
        assert [(f.accion, f.objeto, f.objeto_id) for f in filas] == [
            ("rol_inactivado", "rol_empresa", str(rol_id)),
            ("rol_reactivado", "rol_empresa", str(rol_id)),
        ]
        assert filas[0].antes["estado"] == "activo" and filas[0].despues["estado"] == "inactivo"
        assert str(filas[0].ip) == "127.0.0.1"


def test_inactivar_dos_veces_un_predefinido_otra_empresa_o_sin_token_no_cambia_nada(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _crear(cliente, permiso=["pagos"])
    rol_id = _rol_id(app, empresa_id, "Radicador")
    token = _token(cliente)
    assert cliente.post(f"/empresa/roles/inactivar/{rol_id}", data={"csrf_token": token}).status_code == 302
    r = cliente.post(f"/empresa/roles/inactivar/{rol_id}", data={"csrf_token": token}, follow_redirects=True)
    assert "El rol «Radicador» ya está inactivo." in texto(r)  # a double submit says so, changes nothing
    administrador = _rol_id(app, empresa_id, "Administrador")
    r = cliente.post(f"/empresa/roles/inactivar/{administrador}", data={"csrf_token": token}, follow_redirects=True)
    assert "El rol «Administrador» es predefinido: siempre está activo." in texto(r)
    otro, otra_id = administrador_y_empresa(app)
    _crear(otro, permiso=["pagos"], nombre="Ajeno")
    ajeno = _rol_id(app, otra_id, "Ajeno")
    assert cliente.post(f"/empresa/roles/inactivar/{ajeno}", data={"csrf_token": token}).status_code == 404
    assert cliente.post("/empresa/roles/reactivar/abc", data={"csrf_token": token}).status_code == 404
    assert cliente.post(f"/empresa/roles/reactivar/{rol_id}").status_code == 400  # no CSRF token
    assert cliente.get(f"/empresa/roles/inactivar/{rol_id}").status_code == 405
    with app.app_context():
        assert db.session.get(RolEmpresa, administrador).activo is True
        assert db.session.get(RolEmpresa, ajeno).activo is True
        assert db.session.get(RolEmpresa, rol_id).activo is False
        assert db.session.scalar(select(func.count()).where(Auditoria.accion == "rol_inactivado")) == 1


def test_inactivar_un_rol_requiere_la_hoja_roles_editar(app):
    _cliente, empresa_id = administrador_y_empresa(app)
    titular, rol_id = _titular(app, empresa_id, {"roles.ver"})
    html = texto(titular.get(LISTA))
    assert ">Inactivar</button>" not in html
    r = titular.post(f"/empresa/roles/inactivar/{rol_id}", data={"csrf_token": csrf_de(html)})
    assert r.status_code == 403 and "Roles → Editar" in texto(r)
    with app.app_context():
        assert db.session.get(RolEmpresa, rol_id).activo is True
