"""Options of the reference lists for the forms, in the order the manual shows them."""

from __future__ import annotations

from sqlalchemy import select

from app.models import referencias as ref
from app.services.texto import sin_tildes

VACIO = ("", "Seleccione…")


def _alfabetico(filas) -> list[tuple[str, str]]:
    """(id, nombre) in Spanish alphabetical order: accents do not move a name (Cáqueza next to Cabrera).

    The database's collation may be "C" (byte order puts "Chía" after "Chocontá"), so sort here.
    """
    return sorted(((str(i), n) for i, n in filas), key=lambda fila: (sin_tildes(fila[1]).casefold(), fila[1]))


def _opciones(session, modelo, vacio=True) -> list[tuple[str, str]]:
    filas = session.execute(
        select(modelo.id, modelo.nombre).where(modelo.activo.is_(True)).order_by(modelo.orden, modelo.nombre)
    ).all()
    return ([VACIO] if vacio else []) + [(str(i), n) for i, n in filas]


def opciones_tipo_identificacion(session, vacio=True):
    return _opciones(session, ref.TipoIdentificacion, vacio)


def opciones_sexo(session):
    return _opciones(session, ref.SexoNacer)


def opciones_nivel_academico(session):
    return _opciones(session, ref.NivelAcademico)


def opciones_grupo_etnico(session):
    return _opciones(session, ref.GrupoEtnico)


def opciones_estrato(session):
    return _opciones(session, ref.Estrato)


def opciones_profesion(session):
    return _opciones(session, ref.Profesion)


def opciones_pais(session) -> list[tuple[str, str]]:
    filas = session.execute(select(ref.Pais.id, ref.Pais.nombre).where(ref.Pais.activo.is_(True))).all()
    return [VACIO] + _alfabetico(filas)


def id_colombia(session) -> int | None:
    return session.scalar(select(ref.Pais.id).where(ref.Pais.codigo == "CO"))


def opciones_departamento(session) -> list[tuple[str, str]]:
    filas = session.execute(select(ref.Departamento.id, ref.Departamento.nombre)).all()
    return [VACIO] + _alfabetico(filas)


def opciones_municipio(session, departamento_id: int | None) -> list[tuple[str, str]]:
    if not departamento_id:
        return [VACIO]
    filas = session.execute(
        select(ref.Municipio.id, ref.Municipio.nombre).where(ref.Municipio.departamento_id == departamento_id)
    ).all()
    return [VACIO] + _alfabetico(filas)
