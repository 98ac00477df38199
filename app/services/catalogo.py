"""The catalog of trámites (issue 12 §1): loading it from the seed, versions, and the public «Oferta de servicios».

Rules:
- A published version never changes. The administrator works on a draft (`nueva_version` copies the published one),
  and `publicar` makes the draft the trámite's version (the previous one becomes «Reemplazada»); expedientes keep
  the version they were filed under.
- `cargar_semilla` is idempotent: a trámite whose seed entry did not change keeps its version; a changed entry
  becomes a new published version — unless the administrator published one since, which the seed never overrides.
The caller commits.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from app.db.filas import insertar_o_actualizar
from app.models.catalogo import (
    ORIGEN_ADMINISTRADOR,
    ORIGEN_SEMILLA,
    PARTE_LEGAL,
    PARTE_TECNICA,
    TERMINO_DECISION_DIAS,
    VERSION_BORRADOR,
    VERSION_PUBLICADA,
    VERSION_REEMPLAZADA,
    FamiliaProducto,
    Modalidad,
    Requisito,
    Tarifa,
    TipoModificacion,
    Tramite,
    TramiteVersion,
)
from app.services import auditoria
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.reloj import ahora
from app.services.texto import normalizar_busqueda

log = logging.getLogger(__name__)

MSG_NO_ENCONTRADA = "La versión del trámite no existe."
MSG_PUBLICADA_INMUTABLE = (
    "La versión {numero} de «{nombre}» ya está publicada y no se puede cambiar: cree una nueva versión (borrador), "
    "edítela y publíquela."
)
MSG_YA_PUBLICADA = "La versión {numero} de «{nombre}» ya está publicada: no hay nada más que publicar."
MSG_SOLO_BORRADOR = "Solo se publica un borrador; la versión {numero} de «{nombre}» está {estado}."
MSG_SIN_REQUISITOS = "El borrador de «{nombre}» no tiene requisitos: agregue al menos uno antes de publicarlo."
MSG_VARIANTE_AJENA = "«{variante}» no es una variante de la tarifa de este trámite ({validas})."
MSG_YA_HAY_BORRADOR = "«{nombre}» ya tiene un borrador (versión {numero}): edítelo o publíquelo."

CAMPOS_VERSION = (
    "nombre",
    "tipo",
    "seccion",
    "fuente",
    "descripcion",
    "vigencia_anios",
    "renovacion",
    "renueva",
    "renovacion_desde_meses",
    "renovacion_hasta_meses",
    "espera_tras_vencimiento_meses",
)


# ---------------------------------------------------------------- versions


def obtener_version(session, version_id, bloquear: bool = False) -> TramiteVersion:
    """The version; with `bloquear`, locked until the caller commits and read again from the database.

    The view has usually loaded the row already: without `populate_existing` the session would keep the state it
    read before waiting for the lock (a second «Publicar» would still see «Borrador» and publish again)."""
    q = select(TramiteVersion).where(TramiteVersion.id == version_id)
    if bloquear:
        q = q.with_for_update().execution_options(populate_existing=True)
    version = session.scalar(q)
    if version is None:
        raise NoEncontrado(MSG_NO_ENCONTRADA)
    return version


def exigir_borrador(version: TramiteVersion) -> None:
    """A published (or replaced) version is what expedientes were filed under: it never changes."""
    if version.estado != VERSION_BORRADOR:
        raise ErrorDominio(MSG_PUBLICADA_INMUTABLE.format(numero=version.numero, nombre=version.nombre))


def variante_ajena(version: TramiteVersion, variantes) -> str | None:
    """Why these variants cannot be a requisito's of `version` (MSG_VARIANTE_AJENA), or None: a requisito may belong
    only to variants its version's tarifas offer (e.g. «Certificado con observaciones»)."""
    validas = [t.variante for t in version.tarifas if t.variante]
    for variante in variantes or ():
        if variante not in validas:
            return MSG_VARIANTE_AJENA.format(variante=variante, validas=", ".join(validas) or "no tiene variantes")
    return None


def exigir_variantes_del_tramite(requisito: Requisito) -> None:
    mensaje = variante_ajena(requisito.version, requisito.variantes)
    if mensaje:
        raise ErrorDominio(mensaje)


def vigente(session, tramite_id: int) -> TramiteVersion | None:
    return session.scalar(
        select(TramiteVersion).where(
            TramiteVersion.tramite_id == tramite_id, TramiteVersion.estado == VERSION_PUBLICADA
        )
    )


def _siguiente_numero(session, tramite_id: int) -> int:
    return (
        session.scalar(select(func.max(TramiteVersion.numero)).where(TramiteVersion.tramite_id == tramite_id)) or 0
    ) + 1


def nueva_version(session, version_id: int, actor_id: int | None, ip: str | None = None) -> TramiteVersion:
    """A draft copy (nombre, tarifas, tipos de modificación, requisitos, modalidades) of a version."""
    origen = obtener_version(session, version_id)
    session.execute(select(Tramite.id).where(Tramite.id == origen.tramite_id).with_for_update())
    borrador = session.scalar(
        select(TramiteVersion).where(
            TramiteVersion.tramite_id == origen.tramite_id, TramiteVersion.estado == VERSION_BORRADOR
        )
    )
    if borrador is not None:
        raise ErrorDominio(MSG_YA_HAY_BORRADOR.format(nombre=borrador.nombre, numero=borrador.numero))
    copia = TramiteVersion(
        tramite_id=origen.tramite_id,
        numero=_siguiente_numero(session, origen.tramite_id),
        estado=VERSION_BORRADOR,
        persona_natural=origen.persona_natural,
        requiere_responsable_tecnico=origen.requiere_responsable_tecnico,
        una_vez_por_titular=origen.una_vez_por_titular,
        termino_decision_dias=origen.termino_decision_dias,
        origen=ORIGEN_ADMINISTRADOR,
        creada_en=ahora(),
        modalidades=list(origen.modalidades),
        tarifas=[Tarifa(codigo=t.codigo, variante=t.variante, orden=t.orden) for t in origen.tarifas],
        tipos_modificacion=[
            TipoModificacion(codigo=t.codigo, nombre=t.nombre, tarifa=t.tarifa, fuente=t.fuente, orden=t.orden)
            for t in origen.tipos_modificacion
        ],
        requisitos=[_copia_requisito(r) for r in origen.requisitos],
        **{campo: getattr(origen, campo) for campo in CAMPOS_VERSION},
    )
    session.add(copia)
    session.flush()
    auditoria.registrar(
        session, "version_tramite_creada", "tramite_version", copia.id, actor_id, despues=_foto(copia), ip=ip
    )
    return copia


def _copia_requisito(r: Requisito) -> Requisito:
    return Requisito(
        codigo=r.codigo,
        nombre=r.nombre,
        satisface=r.satisface,
        obligatorio=r.obligatorio,
        fuente=r.fuente,
        nota=r.nota,
        orden=r.orden,
        parte=r.parte,
        modalidades=list(r.modalidades),
        variantes=list(r.variantes),
    )


def publicar(session, version_id: int, actor_id: int | None, ip: str | None = None) -> TramiteVersion:
    """Make a draft the trámite's version; the one it replaces stays, «Reemplazada», for its expedientes."""
    version = obtener_version(session, version_id, bloquear=True)
    if version.estado == VERSION_PUBLICADA:  # e.g. a second click on «Publicar esta versión»
        raise ErrorDominio(MSG_YA_PUBLICADA.format(numero=version.numero, nombre=version.nombre))
    if version.estado != VERSION_BORRADOR:
        raise ErrorDominio(
            MSG_SOLO_BORRADOR.format(numero=version.numero, nombre=version.nombre, estado=version.estado.lower())
        )
    if not version.requisitos:
        raise ErrorDominio(MSG_SIN_REQUISITOS.format(nombre=version.nombre))
    _publicar(session, version)
    auditoria.registrar(
        session, "version_tramite_publicada", "tramite_version", version.id, actor_id, despues=_foto(version), ip=ip
    )
    return version


def _publicar(session, version: TramiteVersion) -> None:
    anterior = vigente(session, version.tramite_id)
    if anterior is not None and anterior.id != version.id:
        anterior.estado = VERSION_REEMPLAZADA
        session.flush()  # the partial unique index allows one «Publicada» per trámite
    version.estado = VERSION_PUBLICADA
    version.publicada_en = ahora()
    session.flush()


def _foto(version: TramiteVersion) -> dict:
    return {
        "tramite": version.tramite.codigo if version.tramite else None,
        "numero": version.numero,
        "nombre": version.nombre,
        "estado": version.estado,
        "tarifas": [str(t) for t in version.tarifas],
        "requisitos": len(version.requisitos),
    }


# ---------------------------------------------------------------- loading the seed


@dataclass
class ResultadoCarga:
    familias: int = 0
    modalidades: int = 0
    tramites: int = 0
    versiones_nuevas: list[str] = field(default_factory=list)
    del_administrador: list[str] = field(default_factory=list)


def cargar_semilla(
    session,
    familias: list[dict],
    modalidades: list[dict],
    tramites: list[dict],
    partes_legales: frozenset[str] = frozenset(),
) -> ResultadoCarga:
    """Load the catalog files (already parsed); see the module's rules. Safe to run any number of times.

    `partes_legales`: the requisito codes the legal reviewer verifies (revision.toml); a requisito's own `parte`
    in the file wins."""
    resultado = ResultadoCarga(familias=len(familias), modalidades=len(modalidades), tramites=len(tramites))
    _cargar_por_codigo(session, FamiliaProducto, [_familia(f, i) for i, f in enumerate(familias, 1)])
    _cargar_por_codigo(session, Modalidad, [_modalidad(m, i) for i, m in enumerate(modalidades, 1)])
    ids_familia = dict(session.execute(select(FamiliaProducto.codigo, FamiliaProducto.id)).all())
    por_codigo = {m.codigo: m for m in session.scalars(select(Modalidad))}
    # What is there already, in two statements (not three per trámite on every start of `make run`).
    existentes = {t.codigo: t for t in session.scalars(select(Tramite))}
    vigentes = {
        v.tramite_id: v
        for v in session.scalars(select(TramiteVersion).where(TramiteVersion.estado == VERSION_PUBLICADA))
    }
    for orden, entrada in enumerate(tramites, 1):
        tramite = _tramite(session, existentes, entrada["codigo"], ids_familia[entrada["familia"]], orden)
        actual = vigentes.get(tramite.id)
        huella = huella_de(entrada)
        if actual is not None and (actual.huella == huella or actual.origen != ORIGEN_SEMILLA):
            if actual.huella != huella:
                resultado.del_administrador.append(entrada["codigo"])
            continue
        numero = _siguiente_numero(session, tramite.id)
        version = _version_desde(entrada, tramite, numero, huella, por_codigo, partes_legales)
        session.add(version)
        session.flush()
        _publicar(session, version)
        resultado.versiones_nuevas.append(entrada["codigo"])
    if resultado.del_administrador:
        log.info("Catálogo: versiones del administrador conservadas: %s", ", ".join(resultado.del_administrador))
    return resultado


def huella_de(entrada: dict) -> str:
    return hashlib.sha256(json.dumps(entrada, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _cargar_por_codigo(session, modelo, filas: list[dict]) -> None:
    """Families and modalities by their code: every column follows the seed."""
    if filas:
        insertar_o_actualizar(session, modelo, filas, "codigo", [c for c in filas[0] if c != "codigo"])


def _familia(f: dict, orden: int) -> dict:
    return {
        "codigo": f["codigo"],
        "nombre": f["nombre"],
        "orden": orden,
        "fuente": f["fuente"],
        "agotamiento_meses": f.get("agotamiento_meses"),
        "agotamiento_prorrogas": f.get("agotamiento_prorrogas", 0),
        "agotamiento_tramite": f.get("agotamiento_tramite") or None,
        "agotamiento_nota": f.get("agotamiento_nota") or None,
        "formato_registro": f.get("formato_registro") or None,
        "clase_registro": f.get("clase_registro") or None,
    }


def _modalidad(m: dict, orden: int) -> dict:
    return {"codigo": m["codigo"], "nombre": m["nombre"], "origen": m["origen"], "orden": orden, "fuente": m["fuente"]}


def _tramite(session, existentes: dict[str, Tramite], codigo: str, familia_id: int, orden: int) -> Tramite:
    tramite = existentes.get(codigo)
    if tramite is None:
        tramite = Tramite(codigo=codigo, familia_id=familia_id, orden=orden)
        session.add(tramite)
        session.flush()  # its id numbers its first version
    else:
        tramite.familia_id, tramite.orden = familia_id, orden
    return tramite


def _parte(requisito: dict, partes_legales: frozenset[str]) -> str:
    return requisito.get("parte") or (PARTE_LEGAL if requisito["codigo"] in partes_legales else PARTE_TECNICA)


def _version_desde(
    entrada: dict, tramite: Tramite, numero: int, huella: str, modalidades: dict, partes_legales: frozenset[str]
) -> TramiteVersion:
    return TramiteVersion(
        tramite=tramite,
        numero=numero,
        estado=VERSION_BORRADOR,
        persona_natural=bool(entrada.get("persona_natural", False)),
        requiere_responsable_tecnico=bool(entrada.get("requiere_responsable_tecnico", False)),
        una_vez_por_titular=bool(entrada.get("una_vez_por_titular", False)),
        termino_decision_dias=entrada.get("termino_decision_dias", TERMINO_DECISION_DIAS),
        origen=ORIGEN_SEMILLA,
        huella=huella,
        creada_en=ahora(),
        modalidades=[modalidades[c] for c in entrada.get("modalidades", [])],
        tarifas=[
            Tarifa(codigo=t["codigo"], variante=t.get("variante", ""), orden=i)
            for i, t in enumerate(entrada.get("tarifa", []), 1)
        ],
        tipos_modificacion=[
            TipoModificacion(
                codigo=t["codigo"], nombre=t["nombre"], tarifa=t.get("tarifa"), fuente=t["fuente"], orden=i
            )
            for i, t in enumerate(entrada.get("tipo_modificacion", []), 1)
        ],
        requisitos=[
            Requisito(
                codigo=r["codigo"],
                nombre=r["nombre"],
                satisface=r["satisface"],
                obligatorio=r.get("obligatorio", True),
                fuente=r["fuente"],
                nota=r.get("nota") or None,
                orden=i,
                parte=_parte(r, partes_legales),
                modalidades=[modalidades[c] for c in r.get("modalidades", [])],
                variantes=list(r.get("variantes", [])),
            )
            for i, r in enumerate(entrada.get("requisito", []), 1)
        ],
        **{campo: entrada.get(campo) for campo in CAMPOS_VERSION},
    )


# ---------------------------------------------------------------- the public «Oferta de servicios»


@dataclass(frozen=True)
class FamiliaOfertada:
    familia: FamiliaProducto
    versiones: list[TramiteVersion]


def oferta(session, texto: str = "") -> list[FamiliaOfertada]:
    """The published version of every trámite, by family, whose name, description, section, tarifa code, tipo de
    modificación or requisito contains `texto` (no accents, any case). Seven statements, whatever the catalog."""
    versiones = session.scalars(
        select(TramiteVersion)
        .join(Tramite)
        .where(TramiteVersion.estado == VERSION_PUBLICADA)
        .order_by(Tramite.orden, Tramite.id)
        .options(
            contains_eager(TramiteVersion.tramite),
            selectinload(TramiteVersion.modalidades),
            selectinload(TramiteVersion.tarifas),
            selectinload(TramiteVersion.tipos_modificacion),
            selectinload(TramiteVersion.requisitos).selectinload(Requisito.modalidades),
        )
    ).all()
    buscado = normalizar_busqueda(texto)[:100]
    if buscado:
        versiones = [v for v in versiones if buscado in _texto_de(v)]
    familias = session.scalars(select(FamiliaProducto).order_by(FamiliaProducto.orden)).all()
    return [
        FamiliaOfertada(f, suyas) for f in familias if (suyas := [v for v in versiones if v.tramite.familia_id == f.id])
    ]


def _texto_de(version: TramiteVersion) -> str:
    partes = [version.nombre, version.descripcion or "", version.seccion or "", version.tramite.codigo]
    partes += [f"{t.codigo} {t.variante}" for t in version.tarifas]
    partes += [f"{t.nombre} {t.tarifa or ''}" for t in version.tipos_modificacion]
    partes += [r.nombre for r in version.requisitos]
    return normalizar_busqueda(" | ".join(partes))
