"""Company users through HTTP: the generated list (FAB filters, pagination, constant statements), detail, change
roles (edit), inactivar / reactivar (FAB actions, one row or several), eliminar (delete); invitations and RT/DT
(custom views); protections, isolation and who may come in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import Membresia, RolEmpresa
from app.services.empresas import invitaciones, membresias, tecnicos
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from app.services.reloj import ahora
from tests import factories
from tests.helpers import (
    actuar_como,
    administrador_y_empresa,
    contar_sentencias,
    csrf_de,
    iniciar_sesion,
    miembro_con_rol,
    texto,
)

LISTA = "/empresa/usuarios/"
VISTA = "UsuariosEmpresaModelView"


def _rol_id(empresa_id, nombre):
    return db.session.scalar(
        select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre)
    )


def _token(cliente):
    return csrf_de(cliente.get("/empresa/usuarios/invitar").get_data(as_text=True))


def _invitar(cliente, app, empresa_id, numero, rol="Financiero", tipo="1"):
    with app.app_context():
        rol_id = _rol_id(empresa_id, rol)
    return cliente.post(
        "/empresa/usuarios/invitar",
        data={
            "csrf_token": _token(cliente),
            "tipo_identificacion": tipo,
            "numero_identificacion": numero,
            "roles": [str(rol_id)],
        },
    )


def _usuario_aceptado(empresa_id, rol="Financiero", **datos) -> int:
    persona = factories.crear_usuario(**datos)
    m = membresias.invitar(
        db.session,
        empresa_id,
        None,
        persona.tipo_identificacion_id,
        persona.numero_identificacion,
        [_rol_id(empresa_id, rol)],
    )
    invitaciones.aceptar(db.session, persona, m.id)
    db.session.commit()
    return m.id


def _representante(empresa_id) -> int:
    return db.session.scalar(
        select(Membresia.id).where(Membresia.empresa_id == empresa_id, Membresia.es_representante_legal)
    )


# ---------------------------------------------------------------- invitations (custom views)


def test_invitar_persona_con_cuenta_envia_correo_smtp(app, smtp_sink):
    from app.services.outbox import enviar_pendientes

    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        factories.crear_usuario(numero="79555111", email="colega@correo.test")
    r = _invitar(cliente, app, empresa_id, "79555111")
    assert r.status_code == 303 and r.headers["Location"].endswith(LISTA)
    html = texto(cliente.get(LISTA))
    assert "Invitación enviada." in html and "79555111" in html and "Pendiente" in html
    enviar_pendientes(app)
    correo = smtp_sink.esperar("colega@correo.test")[0]
    assert "Financiero" in smtp_sink.texto(correo) and "/invitaciones/" in smtp_sink.texto(correo)


def test_invitar_sin_cuenta_queda_pendiente_y_formulario_invalido_da_400(app):
    cliente, empresa_id = administrador_y_empresa(app)
    r = _invitar(cliente, app, empresa_id, "79555222")
    assert r.status_code == 303
    assert "la invitación queda pendiente" in texto(cliente.get(LISTA))
    r = cliente.post(
        "/empresa/usuarios/invitar",
        data={"csrf_token": _token(cliente), "tipo_identificacion": "x", "numero_identificacion": "9" * 500},
    )
    html = texto(r)
    assert r.status_code == 400 and membresias.MSG_TIPO in html and membresias.MSG_SIN_ROLES in html
    r = _invitar(cliente, app, empresa_id, "79555222")
    assert r.status_code == 400 and "ya tiene una invitación pendiente" in texto(r)


def test_reenviar_desde_la_lista_renueva_la_invitacion_vencida(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        m = membresias.invitar(db.session, empresa_id, None, 1, "79555333", [_rol_id(empresa_id, "Financiero")])
        m.invitacion_expira_en = ahora() - timedelta(days=1)
        db.session.commit()
        mid = m.id
    html = texto(cliente.get(LISTA))
    assert "Vencida" in html and f'action="/empresa/usuarios/{mid}/reenviar"' in html
    r = cliente.post(f"/empresa/usuarios/{mid}/reenviar", data={"csrf_token": csrf_de(html)})
    assert r.status_code == 303 and r.headers["Location"].endswith(LISTA)
    with app.app_context():
        assert membresias.estado_visible(db.session.get(Membresia, mid)) == "Pendiente"


# ---------------------------------------------------------------- the generated list


def test_buscar_por_identificacion_nombre_correo_rol_y_estado(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        ana = factories.crear_usuario(numero="70000001", nombres="Ana", apellidos="Quiroga", email="ana@correo.test")
        membresias.invitar(
            db.session, empresa_id, None, ana.tipo_identificacion_id, "70000001", [_rol_id(empresa_id, "Financiero")]
        )
        vencida = membresias.invitar(
            db.session, empresa_id, None, 1, "70000002", [_rol_id(empresa_id, "Administrador")]
        )
        vencida.invitacion_expira_en = ahora() - timedelta(minutes=1)
        financiero = _rol_id(empresa_id, "Financiero")
        db.session.commit()
        # An account of nobody in the company: never offered in the search (ab_user is not per company).
        factories.crear_usuario(numero="70000999", nombres="Zacarías", apellidos="Externo", email="zext@correo.test")

    def filas(columna, valor):
        r = cliente.get(LISTA, query_string={f"_flt_0_{columna}": valor})
        assert r.status_code == 200
        return texto(r)

    assert "70000001" in filas("numero_identificacion", "7000000")
    assert "70000002" in filas("numero_identificacion", "7000000")
    assert "70000001" not in filas("numero_identificacion", "70000002")
    assert "70000002" not in filas("usuario", "quiroga") and "70000001" in filas("usuario", "QUIRÓGA")
    assert "70000001" in filas("usuario", "ANA@correo") and "70000002" not in filas("usuario", "ana@correo")
    assert "70000001" in filas("roles", str(financiero)) and "70000002" not in filas("roles", str(financiero))
    assert "70000001" not in filas("estado", "Aceptado") and "70000001" in filas("estado", "Pendiente")
    assert "70000002" not in filas("estado", "Pendiente") and "70000002" in filas("estado", "Vencida")
    # Filters are typed text or the company's own roles and states: no list of accounts in the page.
    html = texto(cliente.get(LISTA))
    assert "Agregar filtro" in html and "Zacarías" not in html and "zext@correo.test" not in html
    assert "Nombre o correo" in html and "Vencida" in html


def test_lista_pagina_de_20_con_sentencias_constantes(app):
    """Few rows with one role each, then many rows with many roles each: the same number of statements."""
    cliente, empresa_id = administrador_y_empresa(app)

    def crear(n, desde, rol_ids):
        with app.app_context():
            for i in range(n):
                membresias.invitar(db.session, empresa_id, None, 1, str(71000000 + desde + i), rol_ids)
            db.session.commit()

    def medir(**q):
        with contar_sentencias(app) as sentencias:
            r = cliente.get(LISTA, query_string=q)
        assert r.status_code == 200
        return list(sentencias), texto(r)

    with app.app_context():
        financiero = _rol_id(empresa_id, "Financiero")
    crear(2, 0, [financiero])
    pocas, _ = medir()
    with app.app_context():
        propios = [
            roles_empresa.crear(
                db.session, empresa_id, None, DatosRol(f"Rol {i}", "", "activo", frozenset({"pagos.ver"}))
            ).id
            for i in range(6)
        ]
        db.session.commit()
    crear(40, 100, [financiero, *propios])
    muchas, html = medir()
    assert len(pocas) == len(muchas), (pocas, muchas)
    assert len(muchas) <= 10, muchas
    assert "Registros" in html and "43" in html
    assert html.count('name="rowid"') == 20 and html.count("Reenviar invitación") == 19  # + the representante legal
    assert "Rol 5" in html  # the roles column really was filled
    ultima, html = medir(**{f"page_{VISTA}": 2})
    assert len(ultima) == len(muchas) and html.count('name="rowid"') == 3
    # The same with a filter and an order.
    filtrada, html = medir(**{"_flt_0_estado": "Pendiente", f"_oc_{VISTA}": "identificacion", f"_od_{VISTA}": "desc"})
    assert len(filtrada) == len(muchas) and html.index("71000139") < html.index("71000138")


def test_detalle_muestra_al_usuario_y_sus_botones(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        mid = _usuario_aceptado(empresa_id, numero="74000001", nombres="Rosa", apellidos="Tamayo")
    html = texto(cliente.get(f"/empresa/usuarios/show/{mid}"))
    assert "74000001" in html and "Rosa Tamayo" in html and "Aceptado" in html and "Financiero" in html
    assert f'action="/empresa/usuarios/action/inactivar/{mid}"' in html
    assert f'action="/empresa/usuarios/delete/{mid}"' in html and "data-confirmar" in html


# ---------------------------------------------------------------- rules kept by the service


def test_representante_legal_no_se_edita_inactiva_ni_elimina(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        rl = _representante(empresa_id)
    token = _token(cliente)
    for url in (f"/empresa/usuarios/action/inactivar/{rl}", f"/empresa/usuarios/delete/{rl}"):
        r = cliente.post(url, data={"csrf_token": token}, follow_redirects=True)
        assert membresias.MSG_REPRESENTANTE in texto(r)
    r = cliente.get(f"/empresa/usuarios/edit/{rl}", follow_redirects=True)
    assert membresias.MSG_REPRESENTANTE in texto(r)
    with app.app_context():
        assert db.session.get(Membresia, rl).estado == "Aceptado"
    assert "Siempre activo" in texto(cliente.get(LISTA))


def test_nadie_inactiva_elimina_ni_quita_el_rol_al_ultimo_administrador(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        db.session.execute(
            update(Membresia).where(Membresia.empresa_id == empresa_id).values(es_representante_legal=False)
        )
        permisos = frozenset({"usuarios.ver", "usuarios.cambiar_roles", "usuarios.inactivar", "usuarios.eliminar"})
        roles_empresa.crear(db.session, empresa_id, None, DatosRol("Gestor de usuarios", "", "activo", permisos))
        db.session.commit()
        admin = db.session.scalar(select(Membresia.id).where(Membresia.empresa_id == empresa_id))
        financiero = _rol_id(empresa_id, "Financiero")
    gestor = miembro_con_rol(app, empresa_id, "Gestor de usuarios")
    token = _token(gestor)
    for url in (f"/empresa/usuarios/action/inactivar/{admin}", f"/empresa/usuarios/delete/{admin}"):
        r = gestor.post(url, data={"csrf_token": token}, follow_redirects=True)
        assert membresias.MSG_ULTIMO_ADMIN in texto(r)
    r = gestor.post(f"/empresa/usuarios/edit/{admin}", data={"csrf_token": token, "roles": [str(financiero)]})
    assert r.status_code == 400 and membresias.MSG_ULTIMO_ADMIN in texto(r)
    with app.app_context():
        fila = db.session.get(Membresia, admin)
        assert fila.estado == "Aceptado" and [r.nombre for r in fila.roles] == ["Administrador"]
    assert "Mi empresa" in texto(cliente.get(LISTA))


def test_administrador_no_se_inactiva_ni_se_elimina_a_si_mismo(app):
    """QA: an administrator who is not the representante legal could inactivate or delete their own membership
    (screen, actions in bulk and API), locking themselves out mid-session."""
    _, empresa_id = administrador_y_empresa(app)
    otro_admin = miembro_con_rol(app, empresa_id, "Administrador")
    with app.app_context():
        yo = db.session.scalar(
            select(Membresia.id).where(
                Membresia.empresa_id == empresa_id, Membresia.usuario_id == otro_admin.usuario.id
            )
        )
        colega = _usuario_aceptado(empresa_id)
    token = _token(otro_admin)
    for url in (f"/empresa/usuarios/action/inactivar/{yo}", f"/empresa/usuarios/delete/{yo}"):
        r = otro_admin.post(url, data={"csrf_token": token})
        assert r.status_code == 302
        assert membresias.MSG_A_SI_MISMO in texto(otro_admin.get(r.headers["Location"]))
    r = otro_admin.post(
        "/empresa/usuarios/action_post",
        data={"csrf_token": token, "action": "inactivar", "rowid": [str(colega), str(yo)]},
        follow_redirects=True,
    )
    assert membresias.MSG_A_SI_MISMO in texto(r) and "No se aplicó ningún cambio." in texto(r)
    api = {"X-CSRFToken": otro_admin.csrf}
    r = otro_admin.post(f"/api/v1/empresa/usuarios/{yo}/inactivar", headers=api)
    assert r.status_code == 400 and r.get_json()["message"] == membresias.MSG_A_SI_MISMO
    r = otro_admin.delete(f"/api/v1/empresa/usuarios/{yo}", headers=api)
    assert r.status_code == 400 and r.get_json()["message"] == membresias.MSG_A_SI_MISMO
    with app.app_context():
        assert db.session.get(Membresia, yo).estado == "Aceptado"
        assert db.session.get(Membresia, colega).estado == "Aceptado"
        assert db.session.scalar(select(Auditoria.id).where(Auditoria.accion == "usuario_inactivado")) is None
    assert "Mi empresa" in texto(otro_admin.get("/empresa/usuarios/"))  # still has access


def test_retirar_una_invitacion_pendiente_dice_que_se_retiro(app):
    cliente, empresa_id = administrador_y_empresa(app)
    assert _invitar(cliente, app, empresa_id, "79333444").status_code == 303
    with app.app_context():
        mid = db.session.scalar(select(Membresia.id).where(Membresia.numero_identificacion == "79333444"))
    r = cliente.post(f"/empresa/usuarios/delete/{mid}", data={"csrf_token": _token(cliente)}, follow_redirects=True)
    assert "Invitación retirada: la persona ya no podrá aceptarla." in texto(r) and "Usuario eliminado" not in texto(r)


def test_una_pagina_despues_de_la_ultima_lo_dice_y_enlaza_la_primera(app):
    """QA: ?page_…=99 showed the count over an empty table, without a word."""
    cliente, _ = administrador_y_empresa(app)
    for url, vista in (
        ("/empresa/usuarios/", "UsuariosEmpresaModelView"),
        ("/empresa/roles/", "RolesEmpresaModelView"),
    ):
        assert "Esta página no tiene filas" not in texto(cliente.get(url)), url
        html = texto(cliente.get(f"{url}?page_{vista}=99"))
        assert "Esta página no tiene filas" in html and f"page_{vista}=0" in html, url


def test_nadie_cambia_sus_propios_roles_ni_otorga_permisos_que_no_tiene(app):
    """QA: a member whose only role could «Usuarios → Ver + Cambiar roles» gave themselves Administrador (screen and
    API), and one who may invite could invite someone as Administrador."""
    _, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        permisos = frozenset({"usuarios.ver", "usuarios.invitar", "usuarios.cambiar_roles"})
        roles_empresa.crear(db.session, empresa_id, None, DatosRol("Gestor de usuarios", "", "activo", permisos))
        db.session.commit()
        admin_rol, gestor_rol = _rol_id(empresa_id, "Administrador"), _rol_id(empresa_id, "Gestor de usuarios")
        colega = _usuario_aceptado(empresa_id)
    gestor = miembro_con_rol(app, empresa_id, "Gestor de usuarios")
    with app.app_context():
        yo = db.session.scalar(
            select(Membresia.id).where(Membresia.empresa_id == empresa_id, Membresia.usuario_id == gestor.usuario.id)
        )
    token = _token(gestor)
    r = gestor.get(f"/empresa/usuarios/edit/{yo}", follow_redirects=True)
    assert membresias.MSG_ROLES_PROPIOS in texto(r), texto(r)[-3000:]
    r = gestor.post(f"/empresa/usuarios/edit/{yo}", data={"csrf_token": token, "roles": [str(admin_rol)]})
    assert r.status_code == 302
    api = {"X-CSRFToken": gestor.csrf}
    r = gestor.put(f"/api/v1/empresa/usuarios/{yo}/roles", json={"roles": [admin_rol]}, headers=api)
    assert r.status_code == 400 and r.get_json()["message"] == membresias.MSG_ROLES_PROPIOS
    # Administrador (or Financiero: «Pagos») holds permissions the gestor lacks: not for a colleague, not by invitation.
    r = gestor.post(f"/empresa/usuarios/edit/{colega}", data={"csrf_token": token, "roles": [str(admin_rol)]})
    assert r.status_code == 400 and "No puede asignar un rol con permisos que usted no tiene (" in texto(r)
    assert "Auditoría → Ver" in texto(r)
    r = _invitar(gestor, app, empresa_id, "79111222", rol="Administrador")
    assert r.status_code == 400 and "No puede asignar un rol con permisos que usted no tiene" in texto(r)
    with app.app_context():
        assert [r.nombre for r in db.session.get(Membresia, yo).roles] == ["Gestor de usuarios"]
        assert [r.nombre for r in db.session.get(Membresia, colega).roles] == ["Financiero"]
        assert db.session.scalar(select(Membresia.id).where(Membresia.numero_identificacion == "79111222")) is None
    # What the gestor holds, the gestor may give.
    r = gestor.post(f"/empresa/usuarios/edit/{colega}", data={"csrf_token": token, "roles": [str(gestor_rol)]})
    assert r.status_code == 302
    with app.app_context():
        assert [r.nombre for r in db.session.get(Membresia, colega).roles] == ["Gestor de usuarios"]


def test_cambiar_roles_inactivar_reactivar_y_eliminar_se_auditan_con_ip(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        mid = _usuario_aceptado(empresa_id)
        admin_rol = _rol_id(empresa_id, "Administrador")
    html = texto(cliente.get(f"/empresa/usuarios/edit/{mid}"))
    assert 'type="checkbox"' in html and f'value="{admin_rol}"' in html
    r = cliente.post(f"/empresa/usuarios/edit/{mid}", data={"csrf_token": csrf_de(html), "roles": [str(admin_rol)]})
    assert r.status_code == 302
    r = cliente.post(f"/empresa/usuarios/edit/{mid}", data={"csrf_token": csrf_de(html)})
    assert r.status_code == 400 and membresias.MSG_SIN_ROLES in texto(r)
    token = _token(cliente)
    for url, mensaje in (
        (f"/empresa/usuarios/action/inactivar/{mid}", "Usuario inactivado"),
        (f"/empresa/usuarios/action/reactivar/{mid}", "Usuario reactivado."),
        (f"/empresa/usuarios/delete/{mid}", "Usuario eliminado de la empresa."),
    ):
        r = cliente.post(url, data={"csrf_token": token})
        assert r.status_code == 302
        assert mensaje in texto(cliente.get(r.headers["Location"]))
    with app.app_context():
        assert db.session.get(Membresia, mid) is None
        filas = db.session.execute(
            select(Auditoria.accion, Auditoria.ip)
            .where(Auditoria.objeto_id == str(mid), Auditoria.empresa_id == empresa_id)
            .order_by(Auditoria.id)
        ).all()
    assert [f.accion for f in filas] == [
        "invitacion_enviada",
        "invitacion_aceptada",
        "roles_cambiados",
        "usuario_inactivado",
        "usuario_reactivado",
        "usuario_eliminado",
    ]
    assert {str(f.ip) for f in filas[2:]} == {"127.0.0.1"}


def test_la_edicion_ofrece_solo_roles_activos_de_la_empresa(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _, otra_id = administrador_y_empresa(app)
    with app.app_context():
        mid = _usuario_aceptado(empresa_id)
        inactivo = roles_empresa.crear(
            db.session, empresa_id, None, DatosRol("Rol pausado", "", "inactivo", frozenset({"pagos.ver"}))
        ).id
        ajeno = _rol_id(otra_id, "Financiero")
        db.session.commit()
    html = texto(cliente.get(f"/empresa/usuarios/edit/{mid}"))
    assert "Rol pausado" not in html and f'value="{ajeno}"' not in html and "Financiero" in html
    for forjado in (ajeno, inactivo, "x"):
        r = cliente.post(f"/empresa/usuarios/edit/{mid}", data={"csrf_token": csrf_de(html), "roles": [str(forjado)]})
        assert r.status_code == 400 and membresias.MSG_ROL_INVALIDO in texto(r)
    with app.app_context():
        assert [r.nombre for r in db.session.get(Membresia, mid).roles] == ["Financiero"]


def test_acciones_en_lote_cambian_todo_o_nada(app):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        uno, dos = _usuario_aceptado(empresa_id), _usuario_aceptado(empresa_id)
        rl = _representante(empresa_id)
    token = csrf_de(texto(cliente.get(LISTA)))

    def lote(accion, ids):
        return cliente.post(
            "/empresa/usuarios/action_post",
            data={"csrf_token": token, "action": accion, "rowid": [str(i) for i in ids]},
            follow_redirects=True,
        )

    html = texto(lote("inactivar", [uno, rl, dos]))
    assert membresias.MSG_REPRESENTANTE in html and "No se aplicó ningún cambio." in html
    with app.app_context():
        assert {db.session.get(Membresia, i).estado for i in (uno, dos, rl)} == {"Aceptado"}
        auditadas = db.session.scalar(select(Auditoria.id).where(Auditoria.accion == "usuario_inactivado"))
    assert auditadas is None
    assert "2 usuarios inactivados" in texto(lote("inactivar", [uno, dos]))
    assert "2 usuarios reactivados." in texto(lote("reactivar", [uno, dos]))
    assert "Seleccione al menos un usuario" in texto(lote("reactivar", []))
    with app.app_context():
        assert {db.session.get(Membresia, i).estado for i in (uno, dos)} == {"Aceptado"}


def test_usuarios_de_otra_empresa_responden_404(app):
    cliente, empresa_id = administrador_y_empresa(app)
    _, otra_id = administrador_y_empresa(app)
    with app.app_context():
        ajena = membresias.invitar(db.session, otra_id, None, 1, "72000001", [_rol_id(otra_id, "Financiero")]).id
        propia = _usuario_aceptado(empresa_id)
        db.session.commit()
    html = texto(cliente.get(LISTA, query_string={"_flt_0_numero_identificacion": "72000001"}))
    assert 'name="rowid"' not in html and "No se encontraron registros" in html
    assert cliente.get(f"/empresa/usuarios/show/{ajena}").status_code == 404
    assert cliente.get(f"/empresa/usuarios/edit/{ajena}").status_code == 404
    token = _token(cliente)
    for url in (
        f"/empresa/usuarios/edit/{ajena}",
        f"/empresa/usuarios/delete/{ajena}",
        f"/empresa/usuarios/action/inactivar/{ajena}",
        f"/empresa/usuarios/action/reactivar/{ajena}",
        f"/empresa/usuarios/{ajena}/reenviar",
    ):
        assert cliente.post(url, data={"csrf_token": token, "roles": ["1"]}).status_code == 404, url
    # One forged id among one's own: nothing at all changes.
    r = cliente.post(
        "/empresa/usuarios/action_post",
        data={"csrf_token": token, "action": "inactivar", "rowid": [str(propia), str(ajena)]},
    )
    assert r.status_code == 404
    with app.app_context():
        assert db.session.get(Membresia, ajena).estado == "Pendiente"
        assert db.session.get(Membresia, propia).estado == "Aceptado"


def test_entradas_invalidas_responden_4xx_nunca_500(app):
    cliente, _ = administrador_y_empresa(app)
    token = _token(cliente)
    assert cliente.get("/empresa/usuarios/show/abc").status_code == 404
    assert cliente.get("/empresa/usuarios/edit/99999999999999999999").status_code == 404
    assert (
        cliente.post("/empresa/usuarios/99999999999999999999/reenviar", data={"csrf_token": token}).status_code == 404
    )
    assert cliente.post("/empresa/usuarios/action/borrar_todo/1", data={"csrf_token": token}).status_code == 404
    assert cliente.post("/empresa/usuarios/action_post", data={"csrf_token": token}).status_code == 404
    assert cliente.post("/empresa/usuarios/delete/1").status_code == 400  # no CSRF token
    assert cliente.get("/empresa/usuarios/delete/1").status_code == 405  # never a change on GET
    for consulta in (
        {"_flt_0_roles": "abc"},
        {"_flt_0_estado": "Cualquiera"},
        {"_flt_0_usuario": "%_\\"},
    ):
        assert cliente.get(LISTA, query_string=consulta).status_code == 200, consulta
    # Junk list parameters: 400 with the reason, as on every generated screen (app/web/entrada.py).
    for consulta in (
        {f"_oc_{VISTA}": "password", f"_od_{VISTA}": "asc"},
        {"_flt_9_usuario": "x"},
        {f"page_{VISTA}": "-3"},
        {f"page_{VISTA}": str(10**30), f"psize_{VISTA}": "-5"},
        {f"psize_{VISTA}": "abc"},
        {f"page_{VISTA}": "dos"},
    ):
        r = cliente.get(LISTA, query_string=consulta)
        assert r.status_code == 400 and "Error 400" in texto(r), consulta


# ---------------------------------------------------------------- who may come in


def test_persona_natural_y_administrador_de_la_plataforma_eligen_empresa(app, cliente_admin):
    cliente, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        mid = _representante(empresa_id)
    actuar_como(cliente, None)
    for otro in (cliente, cliente_admin):
        for url in (LISTA, f"/empresa/usuarios/show/{mid}", f"/empresa/usuarios/edit/{mid}"):
            r = otro.get(url)
            assert r.status_code == 403 and "elija la empresa con la que desea ingresar" in texto(r), url
        r = otro.post("/empresa/usuarios/action_post", data={"csrf_token": _token(otro), "action": "inactivar"})
        assert r.status_code == 403
    assert app.test_client().get(LISTA).status_code == 302  # not logged in: to the login page


def test_usuario_con_solo_ver_usa_la_lista_sin_botones_de_cambio(app):
    cliente_admin, empresa_id = administrador_y_empresa(app)
    with app.app_context():
        persona = factories.crear_usuario(numero="75000001")
        solo_ver = roles_empresa.crear(
            db.session, empresa_id, None, DatosRol("Consulta", "", "activo", frozenset({"usuarios.ver"}))
        )
        m = membresias.invitar(db.session, empresa_id, None, persona.tipo_identificacion_id, "75000001", [solo_ver.id])
        invitaciones.aceptar(db.session, persona, m.id)
        db.session.commit()
        mid = m.id
        db.session.refresh(persona)
        db.session.expunge(persona)
    cliente = app.test_client()
    assert iniciar_sesion(cliente, persona).status_code == 302
    actuar_como(cliente, empresa_id)
    html = texto(cliente.get(LISTA))
    assert "75000001" in html and ">Ver</a>" in html
    for boton in ("Inactivar", "Eliminar", "Editar roles", "Invitar usuario", "Reenviar invitación", 'name="rowid"'):
        assert boton not in html, boton
    assert cliente.get(f"/empresa/usuarios/show/{mid}").status_code == 200
    r = cliente.get(f"/empresa/usuarios/edit/{mid}")
    assert r.status_code == 403 and "Usuarios → Cambiar roles" in texto(r)


def test_invitar_rt_dt_exige_permiso_en_mi_perfil(app):
    cliente, _ = administrador_y_empresa(app)
    with app.app_context():
        persona = factories.crear_usuario(numero="73000001")
    html = texto(cliente.get("/empresa/usuarios/tecnicos/invitar"))
    r = cliente.post(
        "/empresa/usuarios/tecnicos/invitar",
        data={
            "csrf_token": csrf_de(html),
            "tipo_identificacion": str(persona.tipo_identificacion_id),
            "numero_identificacion": "73000001",
            "calidad": "Responsable técnico",
        },
    )
    assert r.status_code == 400 and tecnicos.MSG_RT_DT_NO_PERMITE in texto(r)
