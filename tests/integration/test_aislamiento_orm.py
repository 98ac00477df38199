"""Company isolation at the ORM layer: with g.empresa_id set, another company's rows do not exist."""

from __future__ import annotations

from flask import g
from sqlalchemy import select, update

from app.extensions import db
from app.models.empresas import Membresia, RolEmpresa
from tests import factories_empresas


def _dos_empresas(app):
    with app.app_context():
        a = factories_empresas.crear_empresa(razon_social="Empresa A")
        b = factories_empresas.crear_empresa(razon_social="Empresa B")
        return a.id, b.id


def test_actuando_como_a_solo_se_ven_las_filas_de_a(app):
    a, b = _dos_empresas(app)
    with app.test_request_context():
        g.empresa_id = a
        roles = db.session.scalars(select(RolEmpresa)).all()
        assert {r.empresa_id for r in roles} == {a}
        rol_b = (
            db.session.execute(
                select(RolEmpresa.id).execution_options(todas_las_empresas=True).where(RolEmpresa.empresa_id == b)
            )
            .scalars()
            .first()
        )
        assert db.session.get(RolEmpresa, rol_b) is None  # a forged id is simply not there
        db.session.rollback()


def test_un_update_orm_no_alcanza_otra_empresa(app):
    a, b = _dos_empresas(app)
    with app.test_request_context():
        g.empresa_id = a
        db.session.execute(update(RolEmpresa).values(descripcion="cambiada"))
        db.session.commit()
    with app.app_context():
        cambiadas = {
            r.empresa_id for r in db.session.scalars(select(RolEmpresa).where(RolEmpresa.descripcion == "cambiada"))
        }
        assert cambiadas == {a}


def test_sin_empresa_ni_alcance_global_no_se_ve_nada(app):
    _dos_empresas(app)
    with app.test_request_context():
        assert db.session.scalars(select(Membresia)).all() == []
        g.alcance_global = True
        assert len(db.session.scalars(select(Membresia)).all()) == 2
        db.session.rollback()


def test_fuera_de_una_peticion_no_se_ve_ninguna_empresa_sin_abrirlas_explicitamente(app):
    """The CLI, a worker or a script that forgets to open the scope reads no company's rows (fails closed)."""
    from app.security.tenancy import todas_las_empresas

    _dos_empresas(app)
    with app.app_context():
        with todas_las_empresas(False):
            assert db.session.scalars(select(RolEmpresa)).all() == []
            assert db.session.scalars(select(Membresia)).all() == []
            assert db.session.execute(update(RolEmpresa).values(descripcion="cambiada")).rowcount == 0
            db.session.rollback()
            with todas_las_empresas():
                assert len(db.session.scalars(select(Membresia)).all()) == 2
            assert db.session.scalars(select(Membresia).execution_options(todas_las_empresas=True)).all() != []
            db.session.rollback()


def test_las_relaciones_tambien_se_filtran(app):
    a, b = _dos_empresas(app)
    with app.test_request_context():
        g.empresa_id = a
        miembros = db.session.scalars(select(Membresia)).all()
        assert len(miembros) == 1
        assert all(r.empresa_id == a for m in miembros for r in m.roles)
        db.session.rollback()


def test_el_registro_de_acciones_tambien_se_aisla(app):
    from app.models.auditoria import Auditoria
    from app.services import auditoria

    a, b = _dos_empresas(app)
    with app.app_context():
        auditoria.registrar(db.session, "prueba_a", "empresa", a, None, empresa_id=a)
        auditoria.registrar(db.session, "prueba_b", "empresa", b, None, empresa_id=b)
        auditoria.registrar(db.session, "prueba_personal", "usuario", None, None)
        db.session.commit()
    with app.test_request_context():
        g.empresa_id = a
        assert {f.accion for f in db.session.scalars(select(Auditoria))} == {"prueba_a"}
        g.empresa_id = None
        assert db.session.scalars(select(Auditoria)).all() == []  # a persona natural reads nothing
        g.alcance_global = True  # Invima staff
        assert {"prueba_a", "prueba_b", "prueba_personal"} <= {f.accion for f in db.session.scalars(select(Auditoria))}
        db.session.rollback()
