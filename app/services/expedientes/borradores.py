"""Drafts of expedientes: create one for a trámite and modality, save it section by section, keep its checklist.

The titular is the company the person acts as, or the person (when the trámite version allows a persona natural).
Every read goes through the ORM, so the tenancy filter (`__titular__`) answers «not found» for anybody else's
expediente; every change first checks the expediente is still a draft (`exigir_borrador`, under a row lock, so
a save racing a radicación loses cleanly).

Sections are declared in secciones.py; what a section saved lives in `expediente.datos[<codigo>]` (dates as
AAAA-MM-DD text) and its code in `expediente.secciones` once it passed its rules. The checklist is the version's
requisitos that apply to the modality and tarifa variant (`Requisito.aplica_a`): documentos are attached (a PDF
checked by parsing it, its pages counted as folios, stored by SHA-256 when the transaction commits),
declaraciones accepted, datos come from the sections, and «interno» ones the Invima verifies itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import joinedload, selectinload

from app.models.catalogo import VERSION_PUBLICADA, Requisito, Tramite, TramiteVersion
from app.models.empresas import CALIDAD_RESPONSABLE_TECNICO, MEMBRESIA_ACEPTADO, Empresa, VinculoTecnico
from app.models.expedientes import (
    CLAVE_AUTORIZACION_TASA,
    CLAVE_NOTIFICACION,
    CLAVE_VERACIDAD,
    ESTADO_BORRADOR,
    Expediente,
    ExpedienteAnexo,
)
from app.models.personas import Usuario
from app.services import auditoria
from app.services.documentos import DocumentoGuardado
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.expedientes import secciones as sec
from app.services.ids import como_id
from app.services.reloj import ahora
from app.services.texto import mismo_nombre

SECCIONES_QUE_DECLARAN = {CLAVE_NOTIFICACION: "Notificación electrónica", CLAVE_VERACIDAD: "Declaración"}

MSG_NO_ENCONTRADO = "El expediente no existe o no pertenece a quien usted representa."
MSG_RADICADO = "El expediente {radicado} ya está radicado: lo radicado no cambia."
MSG_TRAMITE = "Elija un trámite del catálogo."
MSG_MODALIDAD = "Elija la modalidad en la que solicita el trámite."
MSG_VARIANTE = "Elija la variante del trámite (la tarifa depende de ella)."
MSG_PERSONA_NATURAL = (
    "Este trámite no lo puede solicitar una persona natural: ingrese como la empresa titular (Ingresar como)."
)
MSG_SECCION = "Esa sección no existe en este trámite."
MSG_OTRO_TITULAR = (
    "El titular de este expediente es «{nombre}»: escriba su nombre o razón social como consta en InvimÁgil."
)
MSG_UNA_VEZ = "Este trámite solo se puede solicitar una vez y ya tiene la solicitud {expediente} (Mis expedientes)."
MSG_REQUISITO = "Ese documento no está en la lista de chequeo de este trámite."
MSG_SIN_ARCHIVO = "Adjunte el archivo PDF del documento o márquelo como no adjunto."
MSG_RT = "Elija un responsable técnico vinculado a la empresa."
MSG_RT_PERSONA = "El responsable técnico se nombra cuando el titular es una empresa."


@dataclass(frozen=True)
class Titular:
    """Who files: a company (acting as it) or a person (acting as themself)."""

    empresa_id: int | None = None
    persona_id: int | None = None


@dataclass(frozen=True)
class LineaChecklist:
    requisito: Requisito
    anexo: ExpedienteAnexo | None

    @property
    def adjunto(self) -> bool:
        return self.anexo is not None and self.anexo.adjunto


# ---------------------------------------------------------------- reading


# What every page and rule reads of an expediente, in one statement per collection (the checklist reads each
# requisito's modalities: lazily, one statement per requisito).
CARGA_DEL_EXPEDIENTE = (
    selectinload(Expediente.anexos),
    joinedload(Expediente.modalidad),
    selectinload(Expediente.version).options(
        joinedload(TramiteVersion.tramite).joinedload(Tramite.familia),
        selectinload(TramiteVersion.tarifas),
        selectinload(TramiteVersion.tipos_modificacion),
        selectinload(TramiteVersion.requisitos).selectinload(Requisito.modalidades),
    ),
)


def obtener(session, expediente_id, bloquear: bool = False) -> Expediente:
    """The expediente as the request may see it (its titular's only), else NoEncontrado (404)."""
    ident = como_id(expediente_id)
    consulta = select(Expediente).where(Expediente.id == ident).options(*CARGA_DEL_EXPEDIENTE)
    expediente = session.scalar(consulta.with_for_update(of=Expediente) if bloquear else consulta) if ident else None
    if expediente is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return expediente


def exigir_borrador(session, expediente_id) -> Expediente:
    """The expediente locked for a change, if it is still a draft."""
    expediente = obtener(session, expediente_id, bloquear=True)
    if expediente.estado != ESTADO_BORRADOR:
        raise ErrorDominio(MSG_RADICADO.format(radicado=expediente.radicado))
    return expediente


def checklist(expediente: Expediente) -> list[LineaChecklist]:
    """The requisitos of the filed version that apply to its modality and variant, with what was attached."""
    anexos = {a.clave: a for a in expediente.anexos}
    return [
        LineaChecklist(r, anexos.get(r.codigo))
        for r in expediente.version.requisitos
        if r.aplica_a(expediente.modalidad, expediente.variante)
    ]


def tramites_disponibles(session, persona_natural: bool) -> list[TramiteVersion]:
    """Published versions a new draft may be filed under (a person: only those open to a persona natural)."""
    consulta = (
        select(TramiteVersion)
        .join(Tramite)
        .where(TramiteVersion.estado == VERSION_PUBLICADA)
        .options(selectinload(TramiteVersion.modalidades), selectinload(TramiteVersion.tarifas))
        .order_by(Tramite.orden, Tramite.id)
    )
    if persona_natural:
        consulta = consulta.where(TramiteVersion.persona_natural.is_(True))
    return list(session.scalars(consulta))


# ---------------------------------------------------------------- creating


def crear(session, titular: Titular, usuario_id: int, version_id, modalidad_id, variante: str | None) -> Expediente:
    """A new draft for the published version `version_id`, in `modalidad_id` (if the trámite has modalities) and
    `variante` (if its tarifa has several); 1.1 comes prefilled from the titular's data."""
    version = _version_publicada(session, version_id)
    errores: dict[str, list[str]] = {}
    modalidad = next((m for m in version.modalidades if m.id == como_id(modalidad_id)), None)
    if version.modalidades and modalidad is None:
        errores["modalidad"] = [MSG_MODALIDAD]
    variantes = [v for v, _ in version.tarifas_por_variante()]
    variante = (variante or "").strip() or None
    if len(variantes) > 1 and variante not in variantes:
        errores["variante"] = [MSG_VARIANTE]
    if titular.persona_id is not None and not version.persona_natural:
        errores["tramite"] = [MSG_PERSONA_NATURAL]
    elif version.una_vez_por_titular and (previa := _solicitud_previa(session, version, titular)) is not None:
        errores["tramite"] = [MSG_UNA_VEZ.format(expediente=previa.radicado_o_borrador)]
    if errores:
        raise ErroresValidacion(errores)
    momento = ahora()
    expediente = Expediente(
        empresa_id=titular.empresa_id,
        persona_id=titular.persona_id,
        creado_por_id=usuario_id,
        version=version,
        modalidad=modalidad,
        variante=variante if len(variantes) > 1 else (variantes[0] if variantes else None) or None,
        estado=ESTADO_BORRADOR,
        datos={"titular": datos_del_titular(session, titular)},
        secciones=[],
        creado_en=momento,
        actualizado_en=momento,
    )
    session.add(expediente)
    session.flush()
    _auditar(session, usuario_id, titular, "expediente_creado", expediente, {"tramite": version.nombre})
    return expediente


def _solicitud_previa(session, version: TramiteVersion, titular: Titular) -> Expediente | None:
    """The titular's expediente (draft or radicado) of this trámite, under any version. A transaction-scoped advisory
    lock on (trámite, titular) makes two simultaneous «Crear borrador» wait for each other, so only one gets in."""
    clave = f"una_vez:{version.tramite_id}:{titular.empresa_id or 0}:{titular.persona_id or 0}"
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:clave))"), {"clave": clave})
    del_titular = (
        Expediente.empresa_id == titular.empresa_id
        if titular.empresa_id is not None
        else Expediente.persona_id == titular.persona_id
    )
    return session.scalar(
        select(Expediente)
        .join(TramiteVersion, TramiteVersion.id == Expediente.tramite_version_id)
        .where(TramiteVersion.tramite_id == version.tramite_id, del_titular)
        .limit(1)
    )


def _version_publicada(session, version_id) -> TramiteVersion:
    ident = como_id(version_id)
    version = session.get(TramiteVersion, ident) if ident else None
    if version is None or version.estado != VERSION_PUBLICADA:
        raise ErroresValidacion({"tramite": [MSG_TRAMITE]})
    return version


def datos_del_titular(session, titular: Titular) -> dict:
    """1.1 prefilled from the company (or the person) — the applicant reviews and saves it."""
    if titular.empresa_id is not None:
        empresa = session.get(Empresa, titular.empresa_id)
        return {
            "nombre": empresa.razon_social,
            "direccion": empresa.direccion or "",
            "domicilio": empresa.municipio.nombre if empresa.municipio else "",
            "pais": empresa.pais.nombre if empresa.pais else "Colombia",
            "calidad": "representante_legal",
            "firmante_nombre": f"{empresa.rl_nombres} {empresa.rl_apellidos}",
            "firmante_identificacion": f"{empresa.rl_tipo_identificacion.codigo} {empresa.rl_numero_identificacion}",
            "notificacion_direccion": empresa.direccion or "",
            "notificacion_domicilio": empresa.municipio.nombre if empresa.municipio else "",
            "correo": empresa.correo,
            "telefono": empresa.telefono or empresa.celular or "",
        }
    persona = session.get(Usuario, titular.persona_id)
    nombre = f"{persona.first_name} {persona.last_name}"
    identificacion = f"{persona.tipo_identificacion.codigo} {persona.numero_identificacion}" if persona else ""
    ciudad = persona.municipio.nombre if persona.municipio else (persona.ciudad or "")
    return {
        "nombre": nombre,
        "direccion": persona.direccion or "",
        "domicilio": ciudad,
        "pais": persona.pais_residencia.nombre if persona.pais_residencia else "Colombia",
        "calidad": "representante_legal",
        "firmante_nombre": nombre,
        "firmante_identificacion": identificacion,
        "notificacion_direccion": persona.direccion or "",
        "notificacion_domicilio": ciudad,
        "correo": persona.email,
        "telefono": persona.celular or persona.telefono or "",
    }


# ---------------------------------------------------------------- saving a section


def opciones_de(expediente: Expediente) -> dict[str, tuple[str, ...]]:
    """The valid values of the choices the catalog fills: the tarifa codes of the variant, the tipos de
    modificación of the version."""
    version = expediente.version
    tarifas = tuple(t.codigo for t in version.tarifas if not expediente.variante or t.variante == expediente.variante)
    return {"tarifa": tarifas, "tipos": tuple(t.codigo for t in version.tipos_modificacion)}


def guardar_seccion(session, expediente_id, codigo: str, posteado, usuario_id: int) -> Expediente:
    """Check the posted section; on success keep it and mark it complete. On errors nothing is saved."""
    expediente = exigir_borrador(session, expediente_id)
    seccion = sec.seccion(expediente.version, codigo)
    if seccion is None:
        raise NoEncontrado(MSG_SECCION)
    validos, errores = sec.revisar_seccion(seccion, posteado, opciones_de(expediente))
    if codigo == "declaracion":
        errores.update(_declaraciones_posteadas(expediente, posteado, usuario_id))
    if codigo == "titular" and "nombre" in validos and not mismo_nombre(validos["nombre"], expediente.titular_nombre):
        errores["nombre"] = [MSG_OTRO_TITULAR.format(nombre=expediente.titular_nombre)]
    if errores:
        raise ErroresValidacion(errores)  # the unit of work rolls back the declaraciones marked above
    if codigo == "notificacion":
        _declarado_por_seccion(expediente, CLAVE_NOTIFICACION, validos.get("autoriza") == "si", usuario_id)
    if codigo == "declaracion":
        _declarado_por_seccion(expediente, CLAVE_VERACIDAD, True, usuario_id)
    expediente.datos = {**expediente.datos, codigo: _a_json(validos)}
    expediente.rt_confirmado_en = None  # the responsable técnico confirms what will be filed
    expediente.secciones = sorted({*expediente.secciones, codigo})
    if codigo == "producto":
        expediente.nombre_producto = (validos.get("nombre_producto") or "")[:200] or None
    expediente.actualizado_en = ahora()
    return expediente


def _a_json(valor):
    if isinstance(valor, date):
        return valor.isoformat()
    if isinstance(valor, dict):
        return {k: _a_json(v) for k, v in valor.items()}
    if isinstance(valor, list):
        return [_a_json(v) for v in valor]
    return valor


# ---------------------------------------------------------------- the checklist


def guardar_anexo(
    session, expediente_id, clave: str, adjunto: bool, documento: DocumentoGuardado | None, usuario_id: int
) -> ExpedienteAnexo:
    """The autochequeo of one line: attached (with its PDF, new or already there) or not attached."""
    expediente = exigir_borrador(session, expediente_id)
    requisito = _requisito_del_checklist(expediente, clave)
    previo = anexo_por_clave(expediente, clave)
    if adjunto and documento is None and (previo is None or previo.sha256 is None):
        raise ErrorDominio(MSG_SIN_ARCHIVO, campo="archivo")
    anexo = _marcar(expediente, clave, requisito, adjunto, usuario_id)
    if not adjunto:
        anexo.sha256 = anexo.nombre_archivo = anexo.tamano = anexo.folios = None
    elif documento is not None:
        anexo.sha256, anexo.nombre_archivo = documento.sha256, documento.nombre_archivo
        anexo.tamano, anexo.folios = documento.tamano, documento.folios
    expediente.actualizado_en = anexo.actualizado_en
    expediente.rt_confirmado_en = None
    session.flush()
    return anexo


def anexo_por_clave(expediente: Expediente, clave: str) -> ExpedienteAnexo | None:
    """The checklist line `clave` as the applicant answered it, if they did."""
    return next((a for a in expediente.anexos if a.clave == clave), None)


def _linea(expediente: Expediente, clave: str) -> LineaChecklist | None:
    return next((x for x in checklist(expediente) if x.requisito.codigo == clave), None)


def _requisito_del_checklist(expediente: Expediente, clave: str) -> Requisito | None:
    """The document requisito `clave` of the checklist (the tasa support may have no requisito), else not found."""
    linea = _linea(expediente, clave)
    if linea is None and clave == CLAVE_AUTORIZACION_TASA:
        return None
    if linea is None or linea.requisito.satisface != "documento":
        raise NoEncontrado(MSG_REQUISITO)
    return linea.requisito


def declaraciones(expediente: Expediente) -> list[LineaChecklist]:
    """The declaraciones of the checklist the «Declaración» section asks one by one (the notification one is
    answered by its own section, the veracidad one by the section's own box)."""
    return [
        linea
        for linea in checklist(expediente)
        if linea.requisito.satisface == "declaracion" and linea.requisito.codigo not in SECCIONES_QUE_DECLARAN
    ]


def _marcar(
    expediente: Expediente, clave: str, requisito: Requisito | None, adjunto: bool, usuario_id: int
) -> ExpedienteAnexo:
    """The line `clave` answered «adjunto» or not (created on its first answer), by whom and when."""
    anexo = anexo_por_clave(expediente, clave)
    if anexo is None:
        anexo = ExpedienteAnexo(clave=clave, requisito_id=requisito.id if requisito else None, adjunto=adjunto)
        expediente.anexos.append(anexo)
    anexo.adjunto, anexo.subido_por_id, anexo.actualizado_en = adjunto, usuario_id, ahora()
    return anexo


def _declaraciones_posteadas(expediente: Expediente, posteado, usuario_id: int) -> dict[str, list[str]]:
    """Each declaración of the checklist as checked in the section (`decl-<codigo>`); the obligatory ones must be."""
    errores: dict[str, list[str]] = {}
    for linea in declaraciones(expediente):
        marcada = posteado.get(f"decl-{linea.requisito.codigo}") == "si"
        if linea.requisito.obligatorio and not marcada:
            errores[f"decl-{linea.requisito.codigo}"] = [sec.MSG_DECLARACION]
        _marcar(expediente, linea.requisito.codigo, linea.requisito, marcada, usuario_id)
    return errores


def _declarado_por_seccion(expediente: Expediente, clave: str, valor: bool, usuario_id: int) -> None:
    """The checklist's line `clave` (if the trámite lists it) takes the answer its section gave."""
    linea = _linea(expediente, clave)
    if linea is not None:
        _marcar(expediente, clave, linea.requisito, valor, usuario_id)


def anexo_de(expediente: Expediente, anexo_id) -> ExpedienteAnexo:
    """An attached document of this expediente (the expediente was already read through the tenancy filter)."""
    ident = como_id(anexo_id)
    anexo = next((a for a in expediente.anexos if a.id == ident and a.sha256), None)
    if anexo is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return anexo


# ---------------------------------------------------------------- responsable técnico, deleting


def responsables_disponibles(session, expediente: Expediente) -> list[VinculoTecnico]:
    """The company's accepted responsables técnicos (RT/DT invitations answered «Aceptado»)."""
    if expediente.empresa_id is None:
        return []
    return list(
        session.scalars(
            select(VinculoTecnico)
            .where(
                VinculoTecnico.empresa_id == expediente.empresa_id,
                VinculoTecnico.estado == MEMBRESIA_ACEPTADO,
                VinculoTecnico.calidad == CALIDAD_RESPONSABLE_TECNICO,
            )
            .options(selectinload(VinculoTecnico.usuario))
            .order_by(VinculoTecnico.id)
        )
    )


def nombrar_responsable(session, expediente_id, vinculo_id, usuario_id: int) -> Expediente:
    expediente = exigir_borrador(session, expediente_id)
    if expediente.empresa_id is None:
        raise ErrorDominio(MSG_RT_PERSONA, campo="responsable")
    vinculo = next((v for v in responsables_disponibles(session, expediente) if v.id == como_id(vinculo_id)), None)
    if vinculo is None:
        raise ErroresValidacion({"responsable": [MSG_RT]})
    if expediente.responsable_tecnico_id != vinculo.id:
        expediente.responsable_tecnico_id = vinculo.id
        expediente.rt_confirmado_en = None  # a new responsable confirms again
    expediente.actualizado_en = ahora()
    return expediente


def _del_responsable(usuario_id: int):
    """Drafts of any company that name this person as their responsable técnico. They are not the titular: the
    statement looks across titulares, on the terms of the accepted RT link."""
    return (
        select(Expediente)
        .join(VinculoTecnico, Expediente.responsable_tecnico_id == VinculoTecnico.id)
        .where(
            VinculoTecnico.usuario_id == usuario_id,
            VinculoTecnico.estado == MEMBRESIA_ACEPTADO,
            Expediente.estado == ESTADO_BORRADOR,
        )
        .execution_options(todas_las_empresas=True)
    )


def pendientes_de_confirmar(session, usuario_id: int) -> list[Expediente]:
    consulta = _del_responsable(usuario_id).options(selectinload(Expediente.empresa), selectinload(Expediente.version))
    return list(session.scalars(consulta.order_by(Expediente.actualizado_en.desc(), Expediente.id.desc())))


def confirmar_como_responsable(session, expediente_id, usuario_id: int) -> Expediente:
    """The responsable técnico named in the draft confirms it (anyone else: not found)."""
    ident = como_id(expediente_id)
    expediente = (
        session.scalar(_del_responsable(usuario_id).where(Expediente.id == ident).with_for_update(of=Expediente))
        if ident
        else None
    )
    if expediente is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    expediente.rt_confirmado_en = ahora()
    auditoria.registrar(
        session, "expediente_confirmado_rt", "expediente", expediente.id, usuario_id, empresa_id=expediente.empresa_id
    )
    return expediente


def eliminar(session, expediente_id, usuario_id: int, titular: Titular) -> None:
    expediente = exigir_borrador(session, expediente_id)
    _auditar(session, usuario_id, titular, "expediente_borrador_eliminado", expediente, {})
    session.delete(expediente)


def _auditar(session, usuario_id: int, titular: Titular, accion: str, expediente: Expediente, despues: dict) -> None:
    auditoria.registrar(
        session, accion, "expediente", expediente.id, usuario_id, despues=despues or None, empresa_id=titular.empresa_id
    )
