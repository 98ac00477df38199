"""Platform administration: generated screens in Spanish, reference lists, mailbox, audit, users."""

from __future__ import annotations

import re

import pytest
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.funcionarios import GrupoRevision
from app.models.personas import Usuario
from app.models.referencias import Departamento, TipoIdentificacion
from tests import factories
from tests.helpers import csrf_de


def test_la_lista_de_usuarios_habla_espanol(cliente_admin):
    html = cliente_admin.get("/usuarios/list/").get_data(as_text=True)
    for texto in ("Usuarios", "Buscar", "Registros", "Seguridad", "Administración", "Número de identificación"):
        assert texto in html
    for ingles in ("List Users", "Record Count", "List Roles", ">Security<", "Add Filter"):
        assert ingles not in html


def test_el_menu_de_seguridad_y_los_formularios_de_fab_en_espanol(cliente_admin):
    html = cliente_admin.get("/roles/list/").get_data(as_text=True)
    assert "Roles" in html and ">List Roles<" not in html
    assert "¿Está seguro de que desea eliminar este registro?" in cliente_admin.get(
        "/administracion/estrato/list/"
    ).get_data(as_text=True)


def test_la_ficha_de_usuario_muestra_datos_del_dominio_sin_contrasena(app, cliente_admin):
    with app.app_context():
        u = factories.crear_usuario(numero="70707070", nombres="Óscar", apellidos="Úsuga")
    html = cliente_admin.get(f"/usuarios/show/{u.id}").get_data(as_text=True)
    assert "70707070" in html and "Óscar" in html and "Estado de la cuenta" in html and "Activa" in html
    assert "scrypt" not in html and "Restablecer contraseña" not in html


def test_el_admin_edita_un_usuario_y_el_correo_queda_en_minusculas(app, cliente_admin):
    with app.app_context():
        u = factories.crear_usuario(numero="71717171")
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    assert 'name="first_name"' not in form  # nombres never change
    assert ">Public</option>" not in form  # the role of visitors without a session is no account's
    rol = re.search(r'<option selected value="(\d+)">Usuario</option>', form) or re.search(
        r'<option value="(\d+)"[^>]*>Usuario</option>', form
    )
    r = cliente_admin.post(
        f"/usuarios/edit/{u.id}",
        data={"csrf_token": csrf_de(form), "email": "Nuevo.Correo@Correo.TEST", "active": "y", "roles": rol.group(1)},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Registro modificado" in r.get_data(as_text=True)
    with app.app_context():
        from app.extensions import db
        from app.models.personas import Usuario

        assert db.session.get(Usuario, u.id).email == "nuevo.correo@correo.test"


def test_editar_un_usuario_sin_roles_es_un_error_del_formulario(app, cliente_admin):
    """FAB's own roles-or-groups validator read a "groups" field this form lacks: it answered 500."""
    with app.app_context():
        u = factories.crear_usuario(numero="71717172")
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    r = cliente_admin.post(
        f"/usuarios/edit/{u.id}", data={"csrf_token": csrf_de(form), "email": "otro@correo.test", "active": "y"}
    )
    assert r.status_code == 400 and "Seleccione al menos un rol." in r.get_data(as_text=True)  # the form, its errors
    with app.app_context():
        from app.extensions import db
        from app.models.personas import Usuario

        assert db.session.get(Usuario, u.id).email != "otro@correo.test"


def _rol_usuario(form: str) -> str:
    return (
        re.search(r'<option selected value="(\d+)">Usuario</option>', form)
        or re.search(r'<option value="(\d+)"[^>]*>Usuario</option>', form)
    ).group(1)


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("email", "   ", "Escriba un correo electrónico válido."),
        ("email", "no-es-correo", "Escriba un correo electrónico válido."),
        ("correo_alternativo", "xx", "Escriba un correo electrónico válido."),
        ("telefono", "abc<script>", "El teléfono solo admite números"),
        ("celular", "12", "El celular solo admite números"),
        ("bloqueada_hasta", "9999-12-31 23:59:59", "Bloquee la cuenta hasta una fecha del próximo año como máximo"),
        # Another account's, in other case: refused next to the field (it reached the unique index: «Error de la
        # base de datos» after a redirect).
        ("email", "Ocupado@Correo.TEST", "El correo electrónico ya está registrado en otra cuenta."),
    ],
)
def test_el_admin_no_guarda_datos_de_contacto_invalidos(app, cliente_admin, campo, valor, mensaje):
    """QA: Seguridad → Usuarios saved an e-mail of blanks, «no-es-correo», a phone «abc<script>», a lock until 9999."""
    with app.app_context():
        factories.crear_usuario(email="ocupado@correo.test")
        u = factories.crear_usuario(email="vigente@correo.test")
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    datos = {"csrf_token": csrf_de(form), "email": "vigente@correo.test", "active": "y", "roles": _rol_usuario(form)}
    r = cliente_admin.post(f"/usuarios/edit/{u.id}", data={**datos, campo: valor})
    assert r.status_code == 400 and mensaje in r.get_data(as_text=True)
    with app.app_context():
        usuario = db.session.get(Usuario, u.id)
        assert usuario.email == "vigente@correo.test" and usuario.telefono is None and usuario.bloqueada_hasta is None
        assert db.session.scalar(select(Auditoria.id).where(Auditoria.accion == "cuenta_editada")) is None


def test_los_cambios_de_una_cuenta_y_el_registro_de_un_funcionario_quedan_en_la_auditoria(app, cliente_admin):
    """QA: giving a platform role, changing an e-mail or registering a funcionario left no audit row."""
    with app.app_context():
        u = factories.crear_usuario(email="antes@correo.test")
        revisor = db.session.scalar(select(Role.id).where(Role.name == "Revisor legal"))
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    datos = {"csrf_token": csrf_de(form), "active": "y", "roles": [_rol_usuario(form), str(revisor)]}
    r = cliente_admin.post(f"/usuarios/edit/{u.id}", data={**datos, "email": "despues@correo.test"})
    assert r.status_code == 302
    with app.app_context():
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "cuenta_editada"))
        assert fila.objeto == "usuario" and fila.objeto_id == str(u.id) and str(fila.ip) == "127.0.0.1"
        assert fila.antes == {"email": "antes@correo.test", "roles": ["Usuario"]}
        assert fila.despues == {"email": "despues@correo.test", "roles": ["Revisor legal", "Usuario"]}
        grupo = db.session.scalar(select(GrupoRevision.id).order_by(GrupoRevision.id).limit(1))
    r = _enviar_funcionario(
        cliente_admin, f"{FUNCIONARIOS}/add", usuario=str(u.id), codigo=" rev-77 ", grupos=[str(grupo)]
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    with app.app_context():
        fila = db.session.scalar(select(Auditoria).where(Auditoria.accion == "funcionario_registrado"))
        assert fila.objeto == "funcionario" and fila.despues["codigo"] == "REV-77" and fila.antes["codigo"] is None
    # Saving the form unchanged writes no row.
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    cliente_admin.post(
        f"/usuarios/edit/{u.id}", data={**datos, "csrf_token": csrf_de(form), "email": "despues@correo.test"}
    )
    with app.app_context():
        assert len(db.session.scalars(select(Auditoria).where(Auditoria.accion == "cuenta_editada")).all()) == 1


FUNCIONARIOS = "/administracion/revision/funcionarios"


def _enviar_funcionario(cliente, url: str, **datos):
    """The funcionario's add or edit form, sent with its CSRF token and «Activo» ticked."""
    html = cliente.get(url).get_data(as_text=True)
    return cliente.post(url, data={"csrf_token": csrf_de(html), "activo": "y", **datos})


def test_un_funcionario_sin_grupos_o_sin_rol_de_revision_no_se_registra(app, cliente_admin):
    """A funcionario sees only the expedientes of their grupos: none would be a back office with nothing in it, and an
    account without a review role could not open it (the form offers only accounts with one; one sent by hand is no
    choice). Both refused next to the field, the form kept, nothing written."""
    from app.models.funcionarios import Funcionario
    from app.services.funcionarios import MSG_SIN_GRUPOS

    with app.app_context():
        con_rol = factories.crear_usuario(roles=["Revisor técnico"]).id
        sin_rol = factories.crear_usuario().id
        grupo = db.session.scalar(select(GrupoRevision.id).order_by(GrupoRevision.id).limit(1))
    casos = [
        ({"usuario": str(con_rol), "codigo": "REV-80"}, MSG_SIN_GRUPOS),
        ({"usuario": str(sin_rol), "codigo": "REV-81", "grupos": [str(grupo)]}, "Elija el usuario."),
    ]
    for datos, mensaje in casos:
        r = _enviar_funcionario(cliente_admin, f"{FUNCIONARIOS}/add", **datos)
        cuerpo = r.get_data(as_text=True)
        assert r.status_code == 400 and mensaje in cuerpo, cuerpo[cuerpo.find("alert-danger") :][:400]
    with app.app_context():
        assert db.session.scalar(select(Funcionario.id).where(Funcionario.codigo.in_(["REV-80", "REV-81"]))) is None


def test_el_codigo_de_un_funcionario_no_se_repite_aunque_se_escriba_en_minusculas(app, cliente_admin):
    """The código is kept in upper case: «rev-90» beside «REV-90» is refused next to the field (400, the form kept),
    not flashed after a redirect; a funcionario saved again keeps its own código."""
    from app.models.funcionarios import Funcionario
    from app.services.funcionarios import MSG_CODIGO_REPETIDO

    with app.app_context():
        primero, segundo = (factories.crear_usuario(roles=["Revisor técnico"]).id for _ in range(2))
        grupo = str(db.session.scalar(select(GrupoRevision.id).order_by(GrupoRevision.id).limit(1)))
    respuestas = [
        _enviar_funcionario(cliente_admin, f"{FUNCIONARIOS}/add", usuario=str(usuario), codigo=codigo, grupos=[grupo])
        for usuario, codigo in ((primero, "REV-90"), (segundo, " rev-90 "))
    ]
    assert respuestas[0].status_code == 302
    cuerpo = respuestas[1].get_data(as_text=True)
    assert respuestas[1].status_code == 400 and MSG_CODIGO_REPETIDO.format(codigo="REV-90") in cuerpo
    assert f'<option selected value="{segundo}">' in cuerpo  # what was chosen is still there
    with app.app_context():
        filas = db.session.execute(select(Funcionario.id, Funcionario.usuario_id)).all()
        assert [u for _, u in filas] == [primero]
    editar = f"{FUNCIONARIOS}/edit/{filas[0][0]}"
    assert _enviar_funcionario(cliente_admin, editar, codigo="rev-90", grupos=[grupo]).status_code == 302


def test_un_usuario_comun_no_entra_a_la_administracion(cliente_usuario):
    for url in ("/usuarios/list/", "/administracion/paises/list/", "/administracion/correos/list/"):
        assert cliente_usuario.get(url).status_code in (302, 403)


def test_el_admin_agrega_y_busca_en_una_lista_de_referencia(app, cliente_admin):
    form = cliente_admin.get("/administracion/profesion/add").get_data(as_text=True)
    r = cliente_admin.post(
        "/administracion/profesion/add",
        data={"csrf_token": csrf_de(form), "nombre": "Químico farmacéutico de prueba", "orden": "99", "activo": "y"},
        follow_redirects=True,
    )
    assert "Registro agregado" in r.get_data(as_text=True)
    html = cliente_admin.get("/administracion/municipios/list/?_flt_2_nombre=Medell").get_data(as_text=True)
    assert "Medellín" in html and "Antioquia" in html


def test_borrar_un_departamento_en_uso_da_mensaje_claro_y_no_borra(app, cliente_admin):
    with app.app_context():
        from app.extensions import db

        antioquia = db.session.scalar(select(Departamento).where(Departamento.codigo == "05"))
        pk = antioquia.id
    lista = cliente_admin.get("/administracion/departamentos/list/").get_data(as_text=True)
    r = cliente_admin.post(
        f"/administracion/departamentos/delete/{pk}", data={"csrf_token": csrf_de(lista)}, follow_redirects=True
    )
    assert r.status_code == 200
    assert "No se puede eliminar «Antioquia»: hay registros que lo usan (municipios)" in r.get_data(as_text=True)
    with app.app_context():
        from app.extensions import db

        assert db.session.get(Departamento, pk) is not None


def test_borrar_un_tipo_de_identificacion_usado_por_cuentas_no_da_500(app, cliente_admin):
    with app.app_context():
        from app.extensions import db

        pk = db.session.scalar(select(TipoIdentificacion.id).where(TipoIdentificacion.codigo == "CC"))
    lista = cliente_admin.get("/administracion/tipos-identificacion/list/").get_data(as_text=True)
    r = cliente_admin.post(
        f"/administracion/tipos-identificacion/delete/{pk}", data={"csrf_token": csrf_de(lista)}, follow_redirects=True
    )
    assert r.status_code == 200 and "No se puede eliminar «Cédula de ciudadanía»" in r.get_data(as_text=True)


def test_correos_enviados_se_leen_en_la_app_con_html_aislado(app, cliente_admin):
    from app.services import outbox

    with app.app_context():
        from app.extensions import db

        m = outbox.encolar(
            db.session,
            "x@correo.test",
            "Prueba <b>",
            "activacion",
            nombre="<script>alert(1)</script>",
            pin="123456",
            enlace="http://e",
            enlace_generico="http://g",
            horas=24,
            recuperar="http://r",
        )
        db.session.commit()
        pk = m.id
    html = cliente_admin.get(f"/administracion/correos/show/{pk}").get_data(as_text=True)
    assert 'sandbox=""' in html and "srcdoc=" in html
    assert "<script>alert(1)</script>" not in html
    assert cliente_admin.get(f"/administracion/correos/edit/{pk}").status_code in (403, 404)
    assert cliente_admin.get("/administracion/correos/add").status_code in (403, 404)


def test_la_auditoria_muestra_antes_y_despues_en_espanol_no_en_json(app, cliente_admin):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.auditoria import Auditoria
    from app.services import auditoria

    with app.app_context():
        fila = auditoria.registrar(
            db.session,
            "rol_editado",
            "rol_empresa",
            4,
            None,
            antes={"nombre": "Radicador", "estado": "activo", "permisos": ["empresa.ver"]},
            despues={"nombre": "Radicador", "estado": "inactivo", "permisos": ["empresa.ver", "pagos.ver"]},
        )
        db.session.commit()
        fila_id = db.session.scalar(select(Auditoria.id).where(Auditoria.id == fila.id))
    html = cliente_admin.get(f"/administracion/auditoria/show/{fila_id}").get_data(as_text=True)
    assert "<dt>Estado</dt><dd>Inactivo</dd>" in html and "Empresa → Ver, Pagos → Ver" in html
    assert "Rol editado" in html and '"permisos"' not in html and "{" not in html.split("auditoria-valores")[1][:200]


def test_la_auditoria_es_de_solo_lectura_en_pantalla_y_en_la_base(app, cliente_admin, cliente_mesa_ayuda):
    import pytest
    from sqlalchemy.exc import DBAPIError

    cliente_mesa_ayuda.get(f"/mesa-ayuda/cuenta/{cliente_admin.usuario.id}")
    html = cliente_admin.get("/administracion/auditoria/list/").get_data(as_text=True)
    assert "Consulta de una cuenta (mesa de ayuda)" in html and "Auditoría" in html
    for url in ("/administracion/auditoria/add", "/administracion/auditoria/edit/1"):
        assert cliente_admin.get(url).status_code in (403, 404)
    borrar = cliente_admin.post("/administracion/auditoria/delete/1", data={"csrf_token": csrf_de(html)})
    assert borrar.status_code in (403, 404, 405)
    with app.app_context():
        from app.extensions import db

        with pytest.raises(DBAPIError, match="no se puede modificar"):
            db.session.execute(db.text("UPDATE auditoria SET accion = 'x'"))
        db.session.rollback()
        with pytest.raises(DBAPIError, match="no se puede modificar"):
            db.session.execute(db.text("DELETE FROM auditoria"))
        db.session.rollback()


def test_la_auditoria_dice_la_empresa_por_su_nombre_y_la_ip_de_la_peticion(app, cliente_admin, cliente_empresa_a):
    """A service that audits inside a request records the request's address without being told; the detail names
    the company (not «1») and shows nothing, not «None», where a value is missing."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.auditoria import Auditoria
    from app.services import auditoria

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        con_ip = auditoria.registrar(
            db.session, "rol_editado", "rol_empresa", 4, None, empresa_id=cliente_empresa_a.empresa_id
        )
        db.session.commit()
        con_ip_id = con_ip.id
    with app.app_context():
        sin_ip = auditoria.registrar(db.session, "rol_editado", "rol_empresa", None, None, empresa_id=999999)
        db.session.commit()
        sin_ip_id = sin_ip.id
        assert db.session.scalar(select(Auditoria.ip).where(Auditoria.id == con_ip_id)) == "203.0.113.9"
    html = cliente_admin.get(f"/administracion/auditoria/show/{con_ip_id}").get_data(as_text=True)
    assert "Empresa A" in html and "(NIT " in html and "203.0.113.9" in html
    html = cliente_admin.get(f"/administracion/auditoria/show/{sin_ip_id}").get_data(as_text=True)
    assert "Empresa n.º 999999 (ya no existe)" in html and "None" not in html
    assert "None" not in cliente_admin.get("/administracion/auditoria/list/").get_data(as_text=True)


def test_el_rol_public_no_se_asigna_a_una_cuenta(app, cliente_admin):
    with app.app_context():
        from app.extensions import db
        from app.models.personas import Usuario

        u = factories.crear_usuario(numero="71717173")
        publico = app.appbuilder.sm.find_role("Public").id
    form = cliente_admin.get(f"/usuarios/edit/{u.id}").get_data(as_text=True)
    r = cliente_admin.post(
        f"/usuarios/edit/{u.id}",
        data={"csrf_token": csrf_de(form), "email": "otro3@correo.test", "active": "y", "roles": str(publico)},
    )
    assert r.status_code in (200, 400) and "Registro modificado" not in r.get_data(as_text=True)
    with app.app_context():
        assert "Public" not in {rol.name for rol in db.session.get(Usuario, u.id).roles}


def test_borrar_una_profesion_que_cita_un_vinculo_tecnico_dice_quien_la_usa(app, cliente_admin, cliente_empresa_a):
    """QA: a profession cited by an RT/DT link (and declared in Mi perfil) is kept, with what uses it in Spanish."""
    from app.extensions import db
    from app.models.empresas import VinculoTecnico
    from app.models.personas import UsuarioProfesion
    from app.models.referencias import Profesion
    from app.services.reloj import ahora

    with app.app_context():
        profesion = Profesion(nombre="Químico de prueba", orden=99, activo=True)
        db.session.add(profesion)
        db.session.flush()
        quimico = factories.crear_usuario(numero="72727272")
        db.session.add(UsuarioProfesion(usuario_id=quimico.id, profesion_id=profesion.id, tarjeta_profesional="QP-1"))
        db.session.add(
            VinculoTecnico(
                empresa_id=cliente_empresa_a.empresa_id,
                usuario_id=quimico.id,
                calidad="Responsable técnico",
                estado="Aceptado",
                profesion_id=profesion.id,
                tarjeta_profesional="QP-1",
                creado_en=ahora(),
            )
        )
        db.session.commit()
        pk = profesion.id
    lista = cliente_admin.get("/administracion/profesion/list/").get_data(as_text=True)
    r = cliente_admin.post(f"/administracion/profesion/delete/{pk}", data={"csrf_token": csrf_de(lista)})
    pagina = cliente_admin.get(r.headers["Location"]).get_data(as_text=True) if r.status_code == 302 else ""
    assert (
        "No se puede eliminar «Químico de prueba»: hay registros que lo usan (profesiones declaradas en «Mi perfil», "
        "vínculos de responsable técnico o director técnico)"
    ) in pagina.replace("&#34;", '"').replace("&laquo;", "«").replace("&raquo;", "»")
    with app.app_context():
        assert db.session.get(Profesion, pk) is not None
