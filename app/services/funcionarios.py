"""Invima's staff and their grupos de revisión (issue 13 §1).

The grupos and the families each one reviews are data (seed/data/catalogo/revision.toml, loaded by `flask seed`);
the platform administrator edits them and the funcionarios through generated screens (app/views/crud/revision.py).
A funcionario sees, in the back-office screens, only the expedientes of their grupos (app/security/tenancy.py).
"""

from __future__ import annotations

from sqlalchemy import select, update

from app.db.filas import insertar_o_actualizar
from app.models.catalogo import FamiliaProducto
from app.models.funcionarios import Funcionario, GrupoRevision, funcionario_grupo
from app.services.errores import ErrorDominio


def cargar_grupos(session, grupos: list[dict]) -> int:
    """Upsert the grupos by código and point each listed family at its grupo. Idempotent; never deletes."""
    filas = [{"codigo": g["codigo"], "nombre": g["nombre"], "descripcion": g.get("descripcion")} for g in grupos]
    insertar_o_actualizar(session, GrupoRevision, filas, "codigo", ["nombre", "descripcion"])
    ids = dict(session.execute(select(GrupoRevision.codigo, GrupoRevision.id)).all())
    for grupo in grupos:
        session.execute(
            update(FamiliaProducto)
            .where(FamiliaProducto.codigo.in_(grupo.get("familias", [])))
            .values(grupo_id=ids[grupo["codigo"]])
        )
    return len(filas)


def del_usuario(session, usuario_id: int) -> tuple[str, tuple[int, ...]] | None:
    """(código, ids of the grupos) of the active funcionario that is this user, or None. One statement."""
    filas = session.execute(
        select(Funcionario.codigo, funcionario_grupo.c.grupo_id)
        .outerjoin(funcionario_grupo, funcionario_grupo.c.funcionario_id == Funcionario.id)
        .where(Funcionario.usuario_id == usuario_id, Funcionario.activo.is_(True))
        .order_by(funcionario_grupo.c.grupo_id)
    ).all()
    if not filas:
        return None
    return filas[0][0], tuple(g for _, g in filas if g is not None)


MSG_SIN_ROL = (
    "{nombre} no tiene un rol de revisión (Coordinador, Revisor legal o Revisor técnico): asígneselo en "
    "Seguridad → Usuarios antes de registrarlo como funcionario."
)
MSG_SIN_GRUPOS = "Elija al menos un grupo de revisión: el funcionario solo ve los expedientes de sus grupos."
MSG_CODIGO_REPETIDO = "El código {codigo} ya es de otro funcionario."
MSG_YA_ES_FUNCIONARIO = "{nombre} ya está registrado como funcionario."


def exigir_valido(session, funcionario: Funcionario, roles_de_revision) -> None:
    """The rules of a funcionario the administrator adds or edits (ErrorDominio with the first one broken)."""
    usuario = funcionario.usuario
    nombre = f"{usuario.first_name} {usuario.last_name}" if usuario else "El usuario"
    if usuario is None or not any(r.name in roles_de_revision for r in usuario.roles):
        raise ErrorDominio(MSG_SIN_ROL.format(nombre=nombre))
    if not funcionario.grupos:
        raise ErrorDominio(MSG_SIN_GRUPOS)
    otros = select(Funcionario).where(Funcionario.id != funcionario.id) if funcionario.id else select(Funcionario)
    with session.no_autoflush:
        if session.scalar(otros.where(Funcionario.codigo == funcionario.codigo)) is not None:
            raise ErrorDominio(MSG_CODIGO_REPETIDO.format(codigo=funcionario.codigo))
        if session.scalar(otros.where(Funcionario.usuario_id == usuario.id)) is not None:
            raise ErrorDominio(MSG_YA_ES_FUNCIONARIO.format(nombre=nombre))
