"""Invima's staff for tests: a user with a staff role (Coordinador, Revisor legal, Revisor técnico) who is a
funcionario of some grupos de revisión, logged in."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.extensions import db
from app.models.funcionarios import Funcionario, GrupoRevision
from app.services.reloj import ahora
from tests.helpers import ClientePrueba, cliente_de

_codigos = itertools.count(1)
COSMETICOS = "cosmeticos_higiene"
PLAGUICIDAS = "plaguicidas"


def crear_funcionario(rol: str, grupos=(COSMETICOS,), codigo: str | None = None, **datos):
    """A user with the platform role `rol` and a funcionario of the grupos (by código). Call inside an app context;
    commits. The Usuario."""
    from tests import factories

    usuario = factories.crear_usuario(roles=[rol], **datos)
    funcionario = Funcionario(
        usuario_id=usuario.id,
        codigo=codigo or f"F{next(_codigos):04d}",
        creado_en=ahora(),
        grupos=list(db.session.scalars(select(GrupoRevision).where(GrupoRevision.codigo.in_(grupos)))),
    )
    db.session.add(funcionario)
    db.session.commit()
    db.session.refresh(usuario)
    return usuario


def funcionario(app, rol: str, grupos=(COSMETICOS,), codigo: str | None = None, **datos) -> ClientePrueba:
    """crear_funcionario, logged in (as persona natural: staff act as nobody)."""
    with app.app_context():
        usuario = crear_funcionario(rol, grupos, codigo, **datos)
    return cliente_de(app, usuario)
