"""The names behind the ids a batch of a company's audit rows stores (app/services/auditoria_textos.py says which):
one statement per kind of row named, however many rows, so a page or a batch of the CSV costs a fixed number.

Only the company's own rows are read: every statement filters by its `empresa_id` (besides the ORM tenancy filter
on its models), so an id of another company's row reads as a row that no longer exists. Accounts and identification
types are not company rows: only those whose ids appear in the company's own audit rows are read.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.models.empresas import DocumentoEmpresa, Empresa, Membresia, RolEmpresa, VinculoTecnico
from app.models.personas import Usuario
from app.models.referencias import TipoIdentificacion
from app.services import auditoria_textos as textos


def _nombre_completo(nombres: str | None, apellidos: str | None) -> str:
    return " ".join(p for p in (nombres, apellidos) if p)


def _cuentas(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(
            Usuario.id, Usuario.first_name, Usuario.last_name, TipoIdentificacion.codigo, Usuario.numero_identificacion
        )
        .outerjoin(TipoIdentificacion, TipoIdentificacion.id == Usuario.tipo_identificacion_id)
        .where(Usuario.id.in_(ids))
    )
    return {
        textos.CUENTA: {
            id_: textos.persona(_nombre_completo(n, a), textos.identificacion(sigla, numero))
            for id_, n, a, sigla, numero in filas
        }
    }


def _tipos(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(TipoIdentificacion.id, TipoIdentificacion.nombre, TipoIdentificacion.codigo).where(
            TipoIdentificacion.id.in_(ids)
        )
    ).all()
    return {
        textos.TIPO_IDENTIFICACION: {id_: nombre for id_, nombre, _ in filas},
        textos.SIGLA_IDENTIFICACION: {id_: codigo for id_, _, codigo in filas},
    }


def _membresias(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(
            Membresia.id,
            Usuario.first_name,
            Usuario.last_name,
            TipoIdentificacion.codigo,
            Membresia.numero_identificacion,
        )
        .join(TipoIdentificacion, TipoIdentificacion.id == Membresia.tipo_identificacion_id)
        .outerjoin(Usuario, Usuario.id == Membresia.usuario_id)
        .where(Membresia.empresa_id == empresa_id, Membresia.id.in_(ids))
    )
    return {
        textos.MEMBRESIA: {
            id_: textos.persona(_nombre_completo(n, a), textos.identificacion(sigla, numero))
            for id_, n, a, sigla, numero in filas
        }
    }


def _vinculos(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(
            VinculoTecnico.id,
            VinculoTecnico.calidad,
            Usuario.first_name,
            Usuario.last_name,
            TipoIdentificacion.codigo,
            Usuario.numero_identificacion,
        )
        .join(Usuario, Usuario.id == VinculoTecnico.usuario_id)
        .outerjoin(TipoIdentificacion, TipoIdentificacion.id == Usuario.tipo_identificacion_id)
        .where(VinculoTecnico.empresa_id == empresa_id, VinculoTecnico.id.in_(ids))
    )
    return {
        textos.VINCULO_TECNICO: {
            id_: f"{textos.persona(_nombre_completo(n, a), textos.identificacion(sigla, numero))}, {calidad}"
            for id_, calidad, n, a, sigla, numero in filas
        }
    }


def _roles(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(RolEmpresa.id, RolEmpresa.nombre).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.id.in_(ids))
    )
    return {textos.ROL: dict(filas.all())}


def _documentos(session, empresa_id: int, ids) -> dict:
    filas = session.execute(
        select(DocumentoEmpresa.id, DocumentoEmpresa.tipo, DocumentoEmpresa.nombre_archivo).where(
            DocumentoEmpresa.empresa_id == empresa_id, DocumentoEmpresa.id.in_(ids)
        )
    )
    return {textos.DOCUMENTO: {id_: f"{tipo} ({archivo})" for id_, tipo, archivo in filas}}


def _empresa(session, empresa_id: int, ids) -> dict:
    # Empresa is not a tenant model: only the company one acts as is ever read.
    if empresa_id not in ids:
        return {}
    razon_social = session.scalar(select(Empresa.razon_social).where(Empresa.id == empresa_id))
    return {textos.EMPRESA: {empresa_id: razon_social}} if razon_social else {}


_CARGAR = {
    textos.CUENTA: _cuentas,
    textos.TIPO_IDENTIFICACION: _tipos,
    textos.MEMBRESIA: _membresias,
    textos.VINCULO_TECNICO: _vinculos,
    textos.ROL: _roles,
    textos.DOCUMENTO: _documentos,
    textos.EMPRESA: _empresa,
}


def cargar(session, empresa_id: int, filas: Iterable) -> textos.Nombres:
    """{kind: {id: name}} for what the company's audit `filas` name: at most one statement per kind (seven)."""
    nombres: dict[str, dict[int, str]] = {clase: {} for clase in (*_CARGAR, textos.SIGLA_IDENTIFICACION)}
    for clase, ids in textos.referencias(filas).items():
        nombres.update(_CARGAR[clase](session, empresa_id, sorted(ids)))
    return nombres
