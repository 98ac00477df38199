"""The back-office queue (issue 13 §1): its search conditions, the choices its search offers, and the assignment of
expedientes to a funcionario (app/views/crud/cola_revision.py).

Whose rows: the tenancy filter (app/security/tenancy.py) keeps a funcionario to their grupos' expedientes in every
statement here, as in the list; an id of another grupo is not found (404), the same as an id that does not exist.

Assignment: a coordinator gives one or many radicated, undecided expedientes to an active funcionario of their grupo
who holds a review role (Coordinador, Revisor legal, Revisor técnico). The first assignment moves the expediente
from Radicado to Asignado; a reassignment needs a motivo. Each change is audited (who, when, from where, before and
after, the motivo) and goes on the expediente's timeline: «Asignado» is public, a reassignment and its motivo are
internal. Everything is validated before anything is written, so a refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_appbuilder.security.sqla.models import Role, assoc_user_role
from sqlalchemy import ColumnElement, and_, false, func, or_, select, true

from app.models.catalogo import VERSION_PUBLICADA, FamiliaProducto, Tramite, TramiteVersion
from app.models.expedientes import (
    ESTADO_ASIGNADO,
    ESTADO_BORRADOR,
    ESTADO_RADICADO,
    ESTADOS,
    ESTADOS_ABIERTOS,
    ESTADOS_CERRADOS,
    Expediente,
)
from app.models.funcionarios import Funcionario, funcionario_grupo
from app.models.personas import Usuario
from app.security.roles import ROLES_DE_REVISION
from app.services import auditoria
from app.services import busqueda_expedientes as busqueda
from app.services.calendario import sumar_dias_habiles
from app.services.errores import ErrorDominio, Errores, NoEncontrado
from app.services.fechas import hoy_en_bogota
from app.services.ids import ID_MAXIMO
from app.services.reloj import ahora
from app.services.revision import eventos

MAX_EXPEDIENTES = 100  # a bulk assignment: at most one full page of the queue
LARGO_MOTIVO = 1000
ACCION_ASIGNACION = "expediente_asignado"
ACCION_REASIGNACION = "expediente_reasignado"

MSG_SIN_EXPEDIENTES = "Elija al menos un expediente de la cola."
MSG_IDS_INVALIDOS = "Los expedientes elegidos no son válidos. Vuelva a la cola y elíjalos de nuevo."
MSG_DEMASIADOS = f"Puede asignar hasta {MAX_EXPEDIENTES} expedientes a la vez."
MSG_DECIDIDOS = "No se puede asignar un expediente ya decidido o en recurso: {radicados}."
MSG_FUNCIONARIO = "Elija un funcionario activo del grupo del expediente con rol de revisión o coordinación."
MSG_MOTIVO = "Escriba el motivo de la reasignación."
MSG_MOTIVO_LARGO = f"El motivo admite hasta {LARGO_MOTIVO} caracteres."
MSG_SIN_CAMBIO = "Los expedientes elegidos ya están asignados a ese funcionario."

# The «asignado a» search, the «bajo insistencia» one and the «término por vencer» one: value → label.
ASIGNACION = {"mios": "Asignados a mí", "sin_asignar": "Sin asignar"}
INSISTENCIA = {"si": "Sí", "no": "No"}
VENCIMIENTO = {
    "vencidos": "Vencidos",
    "1": "Vencidos o vencen en 1 día hábil",
    "3": "Vencidos o vencen en 3 días hábiles",
    "5": "Vencidos o vencen en 5 días hábiles",
    "10": "Vencidos o vencen en 10 días hábiles",
}
MAX_DIAS_POR_VENCER = 60
ESTADOS_DE_LA_COLA = tuple(e for e in ESTADOS if e != ESTADO_BORRADOR)


def hoy() -> date:
    """Today in Bogotá: the day terms are counted to."""
    return hoy_en_bogota()


# ---------------------------------------------------------------- search conditions (one per typed value)


def radicados(_valor=None) -> ColumnElement[bool]:
    """The queue's base condition: only radicated expedientes (a draft is the applicant's alone)."""
    return Expediente.radicado.is_not(None)


ABIERTOS = "abiertos"  # the search by estado's «every open one» (what the dashboard counts as «Abiertos»)
ETIQUETA_ABIERTOS = "Abiertos (sin decidir)"


def vencimiento_de_busqueda(valor: str) -> bool:
    """A value the «término por vencer» search reads: «vencidos» or a number of días hábiles up to 60."""
    valor = (valor or "").strip()
    return valor == "vencidos" or (valor.isdigit() and len(valor) <= 2 and int(valor) <= MAX_DIAS_POR_VENCER)


def estado_de_busqueda(estado: str) -> bool:
    """A value the search by estado offers: «abiertos» or one of the queue's estados."""
    return estado == ABIERTOS or estado in ESTADOS_DE_LA_COLA


def con_estado(estado: str) -> ColumnElement[bool]:
    if estado == ABIERTOS:
        return Expediente.estado.in_(ESTADOS_ABIERTOS)
    return Expediente.estado == estado if estado in ESTADOS_DE_LA_COLA else false()


def con_familia(codigo: str) -> ColumnElement[bool]:
    """Of the product family whose código is `codigo`."""
    familias = select(FamiliaProducto.id).where(FamiliaProducto.codigo == (codigo or "")[:60])
    return Expediente.familia_id.in_(familias)


con_tramite = busqueda.con_tramite


def radicado_desde(texto: str) -> ColumnElement[bool]:
    """Radicated on that Bogotá day or later."""
    return busqueda.desde_el_dia(Expediente.radicado_en, texto)


def radicado_hasta(texto: str) -> ColumnElement[bool]:
    """Radicated on that Bogotá day or earlier."""
    return busqueda.hasta_el_dia(Expediente.radicado_en, texto)


def con_asignacion(valor: str, usuario_id: int) -> ColumnElement[bool]:
    """«mios»: assigned to `usuario_id`; «sin_asignar»: to nobody; anything else matches nothing."""
    if valor == "mios":
        return Expediente.asignado_a_id == usuario_id
    if valor == "sin_asignar":
        return Expediente.asignado_a_id.is_(None)
    return false()


def con_insistencia(valor: str) -> ColumnElement[bool]:
    """Filed bajo insistencia (FM003's «¿Por qué?» answered) or not."""
    insiste = and_(Expediente.bajo_insistencia.is_not(None), func.btrim(Expediente.bajo_insistencia) != "")
    if valor == "si":
        return insiste
    if valor == "no":
        return or_(Expediente.bajo_insistencia.is_(None), func.btrim(Expediente.bajo_insistencia) == "")
    return false()


def por_vencer(valor: str, dia: date | None = None) -> ColumnElement[bool]:
    """«vencidos»: the due date has passed; n: due within n días hábiles from today, overdue ones included. A
    suspended or decided term (no due date) is neither. Read on the due-date index, in its order."""
    dia = dia or hoy()
    valor = (valor or "").strip()
    if valor == "vencidos":
        return Expediente.vence_en < dia
    if vencimiento_de_busqueda(valor):
        return Expediente.vence_en <= sumar_dias_habiles(dia, int(valor))
    return false()


def sin_condicion(_valor=None) -> ColumnElement[bool]:
    return true()


# ---------------------------------------------------------------- what the search offers


@dataclass(frozen=True)
class Opciones:
    """The choices of the queue's search: families (código, nombre) and trámites (familia, código, nombre)."""

    familias: list[tuple[str, str]]
    tramites: list[tuple[str, str, str]]


def opciones_de_busqueda(session, grupos: tuple[int, ...]) -> Opciones:
    """The families of `grupos` and their trámites with a published version, in the catalog's order. One
    statement."""
    filas = session.execute(
        select(FamiliaProducto.codigo, FamiliaProducto.nombre, Tramite.codigo, TramiteVersion.nombre)
        .join(TramiteVersion.tramite)
        .join(Tramite.familia)
        .where(TramiteVersion.estado == VERSION_PUBLICADA, FamiliaProducto.grupo_id.in_(grupos))
        .order_by(FamiliaProducto.orden, FamiliaProducto.id, Tramite.orden, Tramite.codigo)
        .execution_options(todas_las_empresas=True)  # the catalog is nobody's
    ).all()
    familias = list(dict.fromkeys((codigo, nombre) for codigo, nombre, _, _ in filas))
    return Opciones(familias, [(familia, codigo, nombre) for _, familia, codigo, nombre in filas])


# ---------------------------------------------------------------- assignment


@dataclass(frozen=True)
class Elegible:
    usuario_id: int
    nombre: str
    codigo: str

    def __str__(self) -> str:
        return f"{self.nombre} ({self.codigo})"


def elegibles(session, grupos) -> list[Elegible]:
    """Active funcionarios (active accounts) who belong to every grupo of `grupos` and hold a review role, by name.
    One statement."""
    grupos = sorted(set(grupos))
    if not grupos or None in grupos:
        return []
    con_rol = (
        select(assoc_user_role.c.user_id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .where(assoc_user_role.c.user_id == Usuario.id, Role.name.in_(ROLES_DE_REVISION))
        .exists()
    )
    filas = session.execute(
        select(Usuario.id, Usuario.first_name, Usuario.last_name, Funcionario.codigo)
        .join(Funcionario, Funcionario.usuario_id == Usuario.id)
        .join(funcionario_grupo, funcionario_grupo.c.funcionario_id == Funcionario.id)
        .where(
            Funcionario.activo.is_(True),
            Usuario.active.is_(True),
            funcionario_grupo.c.grupo_id.in_(grupos),
            con_rol,
        )
        .group_by(Usuario.id, Funcionario.codigo)
        .having(func.count(funcionario_grupo.c.grupo_id) == len(grupos))
        .order_by(Usuario.last_name, Usuario.first_name, Usuario.id)
        .execution_options(todas_las_empresas=True)
    ).all()
    return [Elegible(i, f"{nombres} {apellidos}".strip(), codigo) for i, nombres, apellidos, codigo in filas]


def leer_ids(valores) -> list[int]:
    """The expediente ids a form or an address carries, deduplicated in order. ErrorDominio (400) when there are
    none, too many, or one is not an id — before any of them is read."""
    ids: list[int] = []
    for valor in valores:
        texto = str(valor).strip()
        if not (texto.isascii() and texto.isdigit() and len(texto) <= 10) or not 0 < int(texto) <= ID_MAXIMO:
            raise ErrorDominio(MSG_IDS_INVALIDOS)
        ids.append(int(texto))
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ErrorDominio(MSG_SIN_EXPEDIENTES)
    if len(ids) > MAX_EXPEDIENTES:
        raise ErrorDominio(MSG_DEMASIADOS)
    return ids


def expedientes_para_asignar(session, valores, bloquear: bool = False) -> list[Expediente]:
    """The radicated expedientes of these ids that the caller may see, in id order, the assignee loaded. NoEncontrado
    if any is not (another grupo's, a draft, none); ErrorDominio if any is decided. `bloquear`: FOR UPDATE, so two
    coordinators assigning the same expediente at once take turns."""
    ids = leer_ids(valores)
    consulta = select(Expediente).where(Expediente.id.in_(ids), radicados()).order_by(Expediente.id)
    if bloquear:
        consulta = consulta.with_for_update(of=Expediente)
    expedientes = list(session.scalars(consulta))
    if len(expedientes) != len(ids):
        raise NoEncontrado()
    decididos = [e.radicado for e in expedientes if e.estado in ESTADOS_CERRADOS]
    if decididos:
        raise ErrorDominio(MSG_DECIDIDOS.format(radicados=", ".join(decididos)))
    return expedientes


def _foto(expediente: Expediente) -> dict:
    return {"asignado_a_id": expediente.asignado_a_id, "estado": expediente.estado}


def asignar(
    session, ids, funcionario_usuario_id, motivo: str | None, actor_id: int, ip: str | None = None
) -> list[Expediente]:
    """Assign the expedientes `ids` to the funcionario whose user id is `funcionario_usuario_id`.

    Guarantees: every id is a radicated, undecided expediente the caller sees (else 404 / ErrorDominio); the
    funcionario is eligible for every one's grupo; a motivo is given if any of them changes hands. Only then, for
    each expediente not already assigned to them: the assignee and the moment, Radicado → Asignado, an audit row and
    a timeline event. Returns the expedientes that changed. Nothing is written on a refusal; the caller commits.
    """
    expedientes = expedientes_para_asignar(session, ids, bloquear=True)
    motivo = (motivo or "").strip()
    errores = Errores()
    texto_id = str(funcionario_usuario_id or "").strip()
    usuario_id = int(texto_id) if texto_id.isascii() and texto_id.isdigit() and len(texto_id) <= 10 else None
    elegido = next(
        (f for f in elegibles(session, {e.grupo_id for e in expedientes}) if f.usuario_id == usuario_id), None
    )
    if elegido is None:
        errores.agregar("funcionario", MSG_FUNCIONARIO)
    cambian = [e for e in expedientes if e.asignado_a_id != usuario_id]
    if any(e.asignado_a_id is not None for e in cambian) and not motivo:
        errores.agregar("motivo", MSG_MOTIVO)
    if len(motivo) > LARGO_MOTIVO:
        errores.agregar("motivo", MSG_MOTIVO_LARGO)
    errores.lanzar_si_hay()
    if not cambian:
        raise ErrorDominio(MSG_SIN_CAMBIO, campo="funcionario")

    momento = ahora()
    for expediente in cambian:
        antes = _foto(expediente)
        reasignacion = expediente.asignado_a_id is not None
        expediente.asignado_a_id = elegido.usuario_id
        expediente.asignado_en = momento
        if expediente.estado == ESTADO_RADICADO:
            expediente.estado = ESTADO_ASIGNADO
        expediente.actualizado_en = momento
        despues = {**_foto(expediente), "funcionario": elegido.codigo}
        if reasignacion:
            despues["motivo"] = motivo
        accion = ACCION_REASIGNACION if reasignacion else ACCION_ASIGNACION
        auditoria.registrar(session, accion, "expediente", expediente.id, actor_id, antes=antes, despues=despues, ip=ip)
        if reasignacion:
            detalle = f"Reasignado a {elegido}. Motivo: {motivo}"
            eventos.registrar(session, expediente.id, eventos.REASIGNADO, detalle, actor_id, publico=False)
        else:
            eventos.registrar(session, expediente.id, eventos.ASIGNADO, None, actor_id, publico=True)
    session.flush()
    return cambian
