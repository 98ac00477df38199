"""The user, their roles and permissions are read from the database on every request (one statement with
the user): a change made by an administrator applies on the very next request, and nobody gets another
person's permissions."""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Group, assoc_user_group

from app.extensions import db
from app.models.personas import Usuario
from tests.helpers import cliente_nuevo


def test_quitar_el_rol_mesa_de_ayuda_aplica_en_la_siguiente_peticion(app):
    cliente = cliente_nuevo(app, roles=["Usuario", "Mesa de ayuda"])
    usuario_id = cliente.usuario.id
    assert cliente.get("/mesa-ayuda/").status_code == 200
    with app.app_context():
        usuario = db.session.get(Usuario, usuario_id)
        usuario.roles = [r for r in usuario.roles if r.name != "Mesa de ayuda"]
        db.session.commit()
    r = cliente.get("/mesa-ayuda/")
    assert r.status_code == 403 and "Buscar cuentas" not in r.get_data(as_text=True)


def test_desactivar_la_cuenta_cierra_la_sesion_en_la_siguiente_peticion(app):
    cliente = cliente_nuevo(app, roles=["Mesa de ayuda"])
    usuario_id = cliente.usuario.id
    assert cliente.get("/mesa-ayuda/").status_code == 200
    with app.app_context():
        db.session.get(Usuario, usuario_id).active = False
        db.session.commit()
    r = cliente.get("/mesa-ayuda/")
    assert r.status_code == 302 and "/login/" in r.headers["Location"]


def test_un_rol_recibido_por_grupo_da_sus_permisos(app):
    cliente = cliente_nuevo(app, roles=["Usuario"])
    usuario_id = cliente.usuario.id
    assert cliente.get("/mesa-ayuda/").status_code == 403
    with app.app_context():
        grupo = Group(name="agentes", label="Agentes", roles=[app.appbuilder.sm.find_role("Mesa de ayuda")])
        db.session.add(grupo)
        db.session.flush()
        # FAB's Group.users targets its own User class, so the membership row goes in directly.
        db.session.execute(assoc_user_group.insert().values(user_id=usuario_id, group_id=grupo.id))
        db.session.commit()
    assert cliente.get("/mesa-ayuda/").status_code == 200


def test_los_permisos_de_un_agente_no_pasan_a_otro_usuario(app, cliente_mesa_ayuda, cliente_usuario):
    assert cliente_mesa_ayuda.get("/mesa-ayuda/").status_code == 200
    assert cliente_usuario.get("/mesa-ayuda/").status_code == 403
    assert "Mesa de ayuda" not in cliente_usuario.get("/").get_data(as_text=True)
