"""The checklist verification of a radicated expediente and its VoBo Legal / VoBo Técnico (issue 13 §2; FM003's
VERIFICACIÓN column, seed 004).

- The lines are the checklist the expediente was filed under (`borradores.checklist`: its trámite version, modality
  and tarifa variant), plus the support of «autorización de uso de la tasa de un tercero» when the applicant attached
  it outside the checklist. Each line belongs to a parte (`Requisito.parte`): legal or técnica.
- `verificar` records *Cumple*, *No cumple* (observación required) or *No aplica* for one line, by a reviewer of
  its parte. The first verification moves Radicado / Asignado to «En verificación» (a public timeline event).
- `dar_vobo`: the VoBo of a parte, with the reviewer's código and Bogotá's date, only when every line of that parte
  is verified; which VoBos an expediente needs are the partes its checklist has lines of. While a VoBo is in force
  its parte's verifications do not change; only a coordinator withdraws it (`retirar_vobo`), with a motivo, and the
  withdrawn VoBo is kept.
- A decided expediente (Aprobado, Negado, Desistido) is read-only.

Observations are internal: nothing here is shown to the applicant. Every change is audited and, like every service,
written in the caller's unit of work: changes take the expediente's row lock first, so a verification and a VoBo of
the same expediente never interleave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from marshmallow import ValidationError, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.catalogo import PARTE_EN_FRASE, PARTE_LEGAL, PARTE_TECNICA, PARTES_REQUISITO, SATISFACE
from app.models.expedientes import (
    CLAVE_AUTORIZACION_TASA,
    ESTADO_ASIGNADO,
    ESTADO_EN_VERIFICACION,
    ESTADO_RADICADO,
    ESTADOS_CERRADOS,
    Expediente,
    ExpedienteAnexo,
)
from app.models.revision import NO_CUMPLE, RESULTADOS, VerificacionRequisito, Vobo
from app.services import auditoria
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.esquemas import Esquema, Regla, Texto, TextoConLineas, exigir
from app.services.expedientes import borradores
from app.services.expedientes import secciones as sec
from app.services.fechas import en_bogota, fecha_hora
from app.services.ids import como_id
from app.services.reloj import ahora
from app.services.revision import eventos, plazos
from app.services.texto import resumir

MAX_OBSERVACION = 2000
MAX_MOTIVO = 2000
NOMBRE_TASA_TERCERO = "Soporte de la autorización de uso de la tasa de un tercero al titular (1.2)"
# Who reviews each parte, as the messages name them.
REVISOR_DE = {PARTE_LEGAL: "el revisor legal", PARTE_TECNICA: "el revisor técnico"}

MSG_NO_ENCONTRADO = "El expediente no existe o no es de sus grupos de revisión."
MSG_RESULTADO = "Elija Cumple, No cumple o No aplica."
MSG_OBSERVACION = "Escriba la observación: es obligatoria cuando el requisito no cumple."
MSG_OBSERVACION_LARGA = f"La observación admite máximo {MAX_OBSERVACION} caracteres."
MSG_MOTIVO = "Escriba el motivo por el que retira el VoBo."
MSG_MOTIVO_LARGO = f"El motivo admite máximo {MAX_MOTIVO} caracteres."
MSG_REQUISITO = "Ese requisito no está en la lista de chequeo de este expediente."
MSG_VOBO_NO_ENCONTRADO = "Ese VoBo no existe en este expediente."
MSG_DECIDIDO = "El expediente está {estado}: su verificación ya no cambia (solo lectura)."
MSG_PARTE_AJENA = "Este requisito es de la parte {parte}: lo verifica {revisor}."
MSG_CON_VOBO = (
    "La parte {parte} ya tiene VoBo ({codigo}, {fecha}): para cambiar una de sus verificaciones, un coordinador "
    "debe retirar primero el VoBo."
)
MSG_VOBO_NO_REQUERIDO = "Este expediente no tiene requisitos de la parte {parte}: no lleva VoBo {nombre}."
MSG_VOBO_VIGENTE = "El expediente ya tiene VoBo {nombre} ({codigo}, {fecha})."
MSG_VOBO_INCOMPLETO = (
    "No se puede dar el VoBo {nombre}: falta verificar {cuantos} requisito(s) de la parte {parte}: {nombres}."
)
MSG_VOBO_RETIRADO = "Ese VoBo ya fue retirado."
# A VoBo the system withdraws (nobody's act: `retirado_por_id` stays empty) says so in its motive. Rows written before
# this wording began with «Respuesta al requerimiento n.º …».
MOTIVO_RETIRO_AUTOMATICO = (
    "Retirado automáticamente al responder el titular el requerimiento n.º {numero} ({fecha}): se verifica de nuevo "
    "lo respondido."
)
_RETIRO_AUTOMATICO = "Retirado automáticamente"
_RETIRO_AUTOMATICO_ANTES = "Respuesta al requerimiento n.º"
RETIRADO_POR = "Retirado por {quien}, {cuando}: {motivo}"
RETIRADO_SIN_AUTOR = "Retirado automáticamente, {cuando}: {motivo}"


class ParteAjena(ErrorDominio):
    """The reviewer's parte is not the line's: the view answers 403."""


@dataclass(frozen=True)
class Linea:
    """One line of the checklist as the reviewer sees it: the requisito, the applicant's answer, the verification."""

    clave: str
    nombre: str
    parte: str
    satisface: str
    obligatorio: bool
    nota: str | None
    anexo: ExpedienteAnexo | None
    verificacion: VerificacionRequisito | None

    @property
    def nombre_parte(self) -> str:
        return PARTES_REQUISITO[self.parte]

    @property
    def parte_en_frase(self) -> str:
        return PARTE_EN_FRASE[self.parte]

    @property
    def como_se_satisface(self) -> str:
        return SATISFACE[self.satisface]

    @property
    def autochequeo(self) -> bool | None:
        """The applicant's sí / no for a document or a declaration (None: not answered, or not theirs to answer)."""
        if self.satisface not in ("documento", "declaracion") or self.anexo is None:
            return None
        return self.anexo.adjunto

    @property
    def documento(self) -> ExpedienteAnexo | None:
        return self.anexo if self.anexo is not None and self.anexo.sha256 else None


@dataclass
class EstadoVerificacion:
    """An expediente's verification as it stands: its lines, its VoBos (in force and withdrawn, oldest first)."""

    expediente: Expediente
    lineas: list[Linea]
    vobos: list[Vobo] = field(default_factory=list)

    @property
    def decidido(self) -> bool:
        return self.expediente.estado in ESTADOS_CERRADOS

    @property
    def partes(self) -> tuple[str, ...]:
        """The partes whose VoBo the expediente needs: those with lines in its checklist, legal first."""
        presentes = {linea.parte for linea in self.lineas}
        return tuple(p for p in (PARTE_LEGAL, PARTE_TECNICA) if p in presentes)

    def linea(self, clave: str) -> Linea | None:
        return next((x for x in self.lineas if x.clave == clave), None)

    def de_la_parte(self, parte: str) -> list[Linea]:
        return [x for x in self.lineas if x.parte == parte]

    def pendientes(self, parte: str) -> list[Linea]:
        return [x for x in self.de_la_parte(parte) if x.verificacion is None]

    def vigente(self, parte: str) -> Vobo | None:
        return next((v for v in self.vobos if v.parte == parte and v.retirado_en is None), None)

    def verificadas(self) -> int:
        return sum(1 for x in self.lineas if x.verificacion is not None)

    def cuenta(self, resultado: str) -> int:
        return sum(1 for x in self.lineas if x.verificacion is not None and x.verificacion.resultado == resultado)


# ---------------------------------------------------------------- reading


def _lineas(expediente: Expediente, verificaciones: dict[str, VerificacionRequisito]) -> list[Linea]:
    lineas = [
        Linea(
            clave=x.requisito.codigo,
            nombre=x.requisito.nombre,
            parte=x.requisito.parte,
            satisface=x.requisito.satisface,
            obligatorio=x.requisito.obligatorio,
            nota=x.requisito.nota,
            anexo=x.anexo,
            verificacion=verificaciones.get(x.requisito.codigo),
        )
        for x in borradores.checklist(expediente)
    ]
    tasa = borradores.anexo_por_clave(expediente, CLAVE_AUTORIZACION_TASA)
    if tasa is not None and tasa.adjunto and not any(x.clave == CLAVE_AUTORIZACION_TASA for x in lineas):
        lineas.append(
            Linea(
                CLAVE_AUTORIZACION_TASA,
                NOMBRE_TASA_TERCERO,
                PARTE_LEGAL,
                "documento",
                True,
                None,
                tasa,
                verificaciones.get(CLAVE_AUTORIZACION_TASA),
            )
        )
    return lineas


def nombres_de_requisitos(expediente: Expediente) -> dict[str, str]:
    """The requisito's name of each checklist line, by clave (the tasa support's too): how the requerimiento, its Auto
    and the actuaciones name a point, never by its internal clave."""
    return {linea.clave: linea.nombre for linea in _lineas(expediente, {})}


def estado_del_expediente(session, expediente: Expediente) -> EstadoVerificacion:
    verificaciones = session.scalars(
        select(VerificacionRequisito)
        .where(VerificacionRequisito.expediente_id == expediente.id)
        .options(joinedload(VerificacionRequisito.por))
    ).all()
    vobos = session.scalars(
        select(Vobo)
        .where(Vobo.expediente_id == expediente.id)
        .options(joinedload(Vobo.por), joinedload(Vobo.retirado_por))
        .order_by(Vobo.en, Vobo.id)
    ).all()
    return EstadoVerificacion(expediente, _lineas(expediente, {v.clave: v for v in verificaciones}), list(vobos))


def estado_de(session, expediente_id) -> EstadoVerificacion:
    """The verification of a radicated expediente the request may see (its grupos' only), else NoEncontrado (404).
    A constant number of statements whatever the size of its checklist."""
    ident = como_id(expediente_id)
    expediente = (
        session.scalar(
            select(Expediente)
            .where(Expediente.id == ident, Expediente.radicado.is_not(None))
            .options(
                *borradores.CARGA_DEL_EXPEDIENTE,
                joinedload(Expediente.empresa),
                joinedload(Expediente.persona),
                joinedload(Expediente.asignado_a),
            )
        )
        if ident
        else None
    )
    if expediente is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return estado_del_expediente(session, expediente)


def radicado_de_sus_grupos(session, expediente_id, bloquear: bool = False) -> Expediente:
    """A radicated expediente of the request's grupos (tenancy), else NoEncontrado in the back office's words."""
    try:
        expediente = borradores.obtener(session, expediente_id, bloquear=bloquear)
    except NoEncontrado:
        raise NoEncontrado(MSG_NO_ENCONTRADO) from None
    if expediente.radicado is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return expediente


def _para_cambiar(session, expediente_id) -> EstadoVerificacion:
    """The expediente locked for a change of its verification, if it is radicated and not decided."""
    expediente = radicado_de_sus_grupos(session, expediente_id, bloquear=True)
    if expediente.estado in ESTADOS_CERRADOS:
        raise ErrorDominio(MSG_DECIDIDO.format(estado=expediente.estado.lower()))
    return estado_del_expediente(session, expediente)


@dataclass(frozen=True)
class Termino:
    """The legal clock as the header shows it."""

    transcurridos: int
    termino: int | None
    vence_en: date | None
    suspendido: bool


def termino_de(expediente: Expediente, hoy: date) -> Termino:
    return Termino(
        transcurridos=plazos.transcurridos(expediente, hoy),
        termino=expediente.termino_dias,
        vence_en=expediente.vence_en,
        suspendido=expediente.reloj_desde is None and expediente.estado not in ESTADOS_CERRADOS,
    )


@dataclass(frozen=True)
class DatosSeccion:
    titulo: str
    valores: list[tuple[str, str]]


def datos_del_formulario(expediente: Expediente) -> list[DatosSeccion]:
    """What the applicant wrote in each section of the form, as label → text: what «dato» requisitos are checked
    against, and where the declaraciones were accepted."""
    resultado = []
    for seccion in sec.secciones_de(expediente.version):
        guardado = expediente.datos.get(seccion.codigo) or {}
        valores = []
        for campo in seccion.campos:
            texto = _como_texto(campo, guardado.get(campo.nombre))
            if texto:
                valores.append((campo.etiqueta, texto))
        resultado.append(DatosSeccion(seccion.titulo, valores))
    return resultado


def _como_texto(campo: sec.Campo, valor) -> str:
    if valor in (None, "", [], {}):
        return ""
    opciones = dict(campo.opciones)
    if campo.tipo == "filas" and isinstance(valor, list):
        filas = []
        for fila in valor:
            partes = [_como_texto(col, (fila or {}).get(col.nombre)) for col in campo.columnas]
            filas.append(" · ".join(p for p in partes if p))
        return "; ".join(f for f in filas if f)
    if isinstance(valor, list):
        return ", ".join(opciones.get(str(v), str(v)) for v in valor)
    if campo.tipo == "casilla":
        return "Sí" if valor in (True, "si", "on") else "No"
    return opciones.get(str(valor), str(valor))


# ---------------------------------------------------------------- verifying


class EsquemaVerificacion(Esquema):
    resultado = Texto(requerido=MSG_RESULTADO, validate=Regla(lambda v: v in RESULTADOS, MSG_RESULTADO))
    observacion = TextoConLineas(maximo=MAX_OBSERVACION, mensaje_maximo=MSG_OBSERVACION_LARGA)

    @validates_schema
    def _observacion_si_no_cumple(self, datos, **kwargs):
        if datos.get("resultado") == NO_CUMPLE and not datos.get("observacion"):
            raise ValidationError(MSG_OBSERVACION, "observacion")


class EsquemaRetiro(Esquema):
    motivo = TextoConLineas(requerido=MSG_MOTIVO, maximo=MAX_MOTIVO, mensaje_maximo=MSG_MOTIVO_LARGO)


def _revisado(esquema: Esquema, datos: dict) -> dict:
    return exigir(esquema, {k: v for k, v in datos.items() if v is not None})


def _exigir_sin_vobo(estado: EstadoVerificacion, parte: str) -> None:
    vobo = estado.vigente(parte)
    if vobo is not None:
        raise ErrorDominio(
            MSG_CON_VOBO.format(parte=PARTE_EN_FRASE[parte], codigo=vobo.codigo, fecha=vobo.fecha.isoformat())
        )


def verificar(
    session,
    expediente_id,
    clave: str,
    resultado: str | None,
    observacion: str | None,
    parte_del_revisor: str,
    actor_id: int,
    ip: str | None = None,
) -> VerificacionRequisito:
    """Record (or change) the VERIFICACIÓN of the line `clave`, by a reviewer of `parte_del_revisor`.

    Refused, with nothing written: bad input (ErroresValidacion, per field), a line not in the checklist
    (NoEncontrado), a line of another parte (ParteAjena), a parte with its VoBo in force, a decided expediente."""
    estado = _para_cambiar(session, expediente_id)
    linea = estado.linea(clave)
    if linea is None:
        raise NoEncontrado(MSG_REQUISITO)
    if linea.parte != parte_del_revisor:
        raise ParteAjena(MSG_PARTE_AJENA.format(parte=PARTE_EN_FRASE[linea.parte], revisor=REVISOR_DE[linea.parte]))
    _exigir_sin_vobo(estado, linea.parte)
    validos = _revisado(EsquemaVerificacion(), {"resultado": resultado, "observacion": observacion})
    nuevo = {"resultado": validos["resultado"], "observacion": validos.get("observacion") or None}
    momento = ahora()
    verificacion = linea.verificacion
    antes = None
    if verificacion is None:
        verificacion = VerificacionRequisito(expediente_id=estado.expediente.id, clave=clave, parte=linea.parte)
        session.add(verificacion)
    else:
        antes = {"resultado": verificacion.resultado, "observacion": verificacion.observacion}
        if antes == nuevo:
            return verificacion  # the same answer posted twice: nothing changes, nothing to audit
    verificacion.resultado, verificacion.observacion = nuevo["resultado"], nuevo["observacion"]
    verificacion.por_id, verificacion.en = actor_id, momento
    expediente = estado.expediente
    if expediente.estado in (ESTADO_RADICADO, ESTADO_ASIGNADO):
        expediente.estado = ESTADO_EN_VERIFICACION
        expediente.actualizado_en = momento
        eventos.registrar(session, expediente.id, eventos.EN_VERIFICACION, None, actor_id, publico=True)
    session.flush()
    auditoria.registrar(
        session,
        "verificacion_requisito",
        "expediente",
        expediente.id,
        actor_id,
        antes={"clave": clave, **antes} if antes else None,
        despues={"clave": clave, "parte": linea.parte, **nuevo},
        ip=ip,
    )
    return verificacion


# ---------------------------------------------------------------- VoBo


def dar_vobo(
    session, expediente_id, parte: str, codigo: str, actor_id: int, ip: str | None = None, hoy: date | None = None
) -> Vobo:
    """The VoBo of `parte` by a reviewer of that parte, with their `codigo` and today's date in Bogotá (`hoy`).

    Refused when the expediente has no lines of that parte, already has that VoBo in force, is decided, or any line
    of the parte lacks its verification (the message names them)."""
    if parte not in PARTES_REQUISITO:
        raise NoEncontrado(MSG_VOBO_NO_ENCONTRADO)
    estado = _para_cambiar(session, expediente_id)
    nombre = PARTES_REQUISITO[parte]
    if parte not in estado.partes:
        raise ErrorDominio(MSG_VOBO_NO_REQUERIDO.format(parte=PARTE_EN_FRASE[parte], nombre=nombre))
    vigente = estado.vigente(parte)
    if vigente is not None:
        raise ErrorDominio(MSG_VOBO_VIGENTE.format(nombre=nombre, codigo=vigente.codigo, fecha=vigente.fecha))
    pendientes = estado.pendientes(parte)
    if pendientes:
        nombres = "; ".join(f"«{resumir(x.nombre)}»" for x in pendientes[:5]) + ("; …" if len(pendientes) > 5 else "")
        raise ErrorDominio(
            MSG_VOBO_INCOMPLETO.format(
                nombre=nombre, cuantos=len(pendientes), parte=PARTE_EN_FRASE[parte], nombres=nombres
            )
        )
    momento = ahora()
    vobo = Vobo(
        expediente_id=estado.expediente.id,
        parte=parte,
        por_id=actor_id,
        codigo=codigo,
        fecha=hoy or en_bogota(momento).date(),
        en=momento,
    )
    session.add(vobo)
    session.flush()
    detalle = f"VoBo {nombre} ({codigo}, {vobo.fecha.isoformat()})"
    eventos.registrar(session, estado.expediente.id, eventos.VOBO, detalle, actor_id, publico=False)
    auditoria.registrar(
        session,
        "vobo_dado",
        "expediente",
        estado.expediente.id,
        actor_id,
        despues={"vobo_id": vobo.id, "parte": parte, "codigo": codigo, "fecha": vobo.fecha.isoformat()},
        ip=ip,
    )
    return vobo


def retirar_vobo(session, expediente_id, vobo_id, motivo: str | None, actor_id: int, ip: str | None = None) -> Vobo:
    """Withdraw a VoBo in force (a coordinator's act: the view checks the permission), with its `motivo`. The VoBo is
    kept, marked withdrawn by whom, when and why."""
    validos = _revisado(EsquemaRetiro(), {"motivo": motivo})
    estado = _para_cambiar(session, expediente_id)
    ident = como_id(vobo_id)
    vobo = next((v for v in estado.vobos if v.id == ident), None)
    if vobo is None:
        raise NoEncontrado(MSG_VOBO_NO_ENCONTRADO)
    if vobo.retirado_en is not None:
        raise ErrorDominio(MSG_VOBO_RETIRADO)
    vobo.retirado_en, vobo.retirado_por_id, vobo.motivo_retiro = ahora(), actor_id, validos["motivo"]
    session.flush()
    nombre = PARTES_REQUISITO[vobo.parte]
    detalle = f"VoBo {nombre} ({vobo.codigo}, {vobo.fecha.isoformat()}) retirado: {validos['motivo']}"
    eventos.registrar(session, estado.expediente.id, eventos.VOBO_RETIRADO, detalle[:2000], actor_id, publico=False)
    auditoria.registrar(
        session,
        "vobo_retirado",
        "expediente",
        estado.expediente.id,
        actor_id,
        antes={"vobo_id": vobo.id, "parte": vobo.parte, "codigo": vobo.codigo, "fecha": vobo.fecha.isoformat()},
        despues={"vobo_id": vobo.id, "motivo": validos["motivo"]},
        ip=ip,
    )
    return vobo


def texto_retiro(vobo: Vobo) -> str:
    """How the VoBo history reads a withdrawal: by whom, when and why; one the system made (when the titular answered
    a requerimiento) by its own motive, never as the act of «un usuario retirado»."""
    if vobo.retirado_en is None:
        return ""
    motivo = vobo.motivo_retiro or ""
    if vobo.retirado_por_id is None and motivo.startswith(_RETIRO_AUTOMATICO):
        return motivo
    if vobo.retirado_por_id is None and motivo.startswith(_RETIRO_AUTOMATICO_ANTES):
        return RETIRADO_SIN_AUTOR.format(cuando=fecha_hora(vobo.retirado_en), motivo=motivo)
    usuario = vobo.retirado_por
    quien = f"{usuario.first_name} {usuario.last_name}" if usuario else "un usuario retirado"
    return RETIRADO_POR.format(quien=quien, cuando=fecha_hora(vobo.retirado_en), motivo=motivo)
