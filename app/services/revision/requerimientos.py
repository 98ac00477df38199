"""Requerimientos (issue 13 §3): the Invima asks the applicant for information, on the legal clock.

- **Drafted** by a reviewer of the expediente's grupo from the *No cumple* verifications: one item per requisito,
  with its observación (editable in the draft); an introductory text. A draft is internal.
- **Sent** by a coordinator: it becomes an Auto (app/services/revision/actos.py), notified to the applicant
  (notificaciones.py); the decision term is **suspended** (plazos.py) from the sending. The applicant has **one
  month** (Ley 1437 de 2011 art. 17, as amended by Ley 1755 de 2015) counted from the notification of the Auto:
  `plazo_hasta` stays empty until the notification is surtida (electronic access, personal or aviso), and then
  the month runs from the next day to the same day number a month later, extended to the next día hábil if that
  day is not one (app/services/calendario.fin_de_termino_en_meses). Extendable **once**, on the applicant's
  request before it ends, for an equal term that runs from the day after the original due date, by the same rule.
- **Answered** by the applicant (Expedientes → Responder requerimientos): a text per item and, for document
  requisitos, a new PDF (kept with its SHA-256 beside the one filed, which does not change). Submitting the answer
  resumes the clock for the días hábiles left; the requisitos asked about must be verified again (their
  verifications are cleared and the VoBo of their parte withdrawn, recorded as such).
- Unanswered when the term ends: the expediente may be closed by *desistimiento tácito* (decisiones.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from marshmallow import ValidationError, validates_schema
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.models.expedientes import (
    ESTADO_EN_RECURSO,
    ESTADO_REQUERIMIENTO_ENVIADO,
    ESTADO_REQUERIMIENTO_RESPONDIDO,
    ESTADOS_DECIDIDOS,
    Expediente,
    ExpedienteAnexo,
)
from app.models.requerimientos import (
    BORRADOR,
    ENVIADO,
    RESPONDIDO,
    Requerimiento,
    RequerimientoItem,
    RespuestaAnexo,
)
from app.models.revision import NO_CUMPLE, VerificacionRequisito, Vobo
from app.services import auditoria
from app.services.calendario import fin_de_termino_en_meses
from app.services.documentos import DocumentoGuardado
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.esquemas import Esquema, TextoConLineas, exigir, exigir_como
from app.services.fechas import fecha
from app.services.reloj import ahora
from app.services.revision import chequeo, eventos, plazos

MAX_TEXTO = 8000
MESES_PARA_RESPONDER = 1  # Ley 1437 de 2011 art. 17; the prórroga is for an equal term
MSG_NO_ENCONTRADO = chequeo.MSG_NO_ENCONTRADO
MSG_DECIDIDO = "El expediente ya fue decidido ({estado}): no admite más actuaciones de revisión."
MSG_EN_RECURSO = "El expediente está en recurso de reposición: resuelva primero el recurso."
MSG_SIN_NO_CUMPLE = (
    "Para redactar un requerimiento, verifique como «No cumple» (con su observación) al menos un requisito."
)
MSG_HAY_ABIERTO = "El expediente ya tiene un requerimiento {estado}: {accion}."
MSG_SIN_BORRADOR = "El expediente no tiene un requerimiento en borrador."
MSG_SIN_ENVIADO = "El expediente no tiene un requerimiento pendiente de respuesta."
MSG_TEXTO = "Escriba el texto del requerimiento (máximo {maximo} caracteres)."
MSG_OBSERVACION = "Cada punto del requerimiento lleva su observación (máximo {maximo} caracteres)."
MSG_VENCIDO = "El plazo para responder venció el {fecha}."
MSG_YA_PRORROGADO = "El plazo ya se prorrogó una vez; la ley permite una sola prórroga."
MSG_PRORROGA_SIN_NOTIFICAR = (
    "El plazo para responder aún no corre: empieza el día siguiente a la notificación del auto. La prórroga se pide "
    "después de notificado, antes de que venza."
)
MSG_RESPUESTA_VACIA = "Responda cada punto del requerimiento o adjunte el documento que se pide."
MSG_PUNTO_VACIO = "Escriba su respuesta a este punto o, si pide un documento, adjúntelo en PDF."
MSG_RESPUESTA_LARGA = f"Cada respuesta admite máximo {MAX_TEXTO} caracteres."
MSG_CLAVE = "Ese punto no está en el requerimiento."


@dataclass(frozen=True)
class Cambio:
    """What an answer changed for one requisito: the document before (filed or previous answer) and now."""

    clave: str
    observacion: str
    respuesta: str | None
    antes: ExpedienteAnexo | RespuestaAnexo | None
    ahora: RespuestaAnexo | None


def en_revision(session, expediente_id, bloquear: bool = True) -> Expediente:
    """The radicated, undecided expediente (locked for the change), or NoEncontrado / ErrorDominio."""
    consulta = select(Expediente).where(Expediente.id == expediente_id, Expediente.radicado.is_not(None))
    expediente = session.scalar(consulta.with_for_update(of=Expediente) if bloquear else consulta)
    if expediente is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    if expediente.estado == ESTADO_EN_RECURSO:
        raise ErrorDominio(MSG_EN_RECURSO)
    if expediente.estado in ESTADOS_DECIDIDOS:
        raise ErrorDominio(MSG_DECIDIDO.format(estado=expediente.estado.lower()))
    return expediente


def abierto(session, expediente_id: int) -> Requerimiento | None:
    """The draft or sent requerimiento of the expediente, with its items and answer documents, or None."""
    return session.scalar(
        select(Requerimiento)
        .where(Requerimiento.expediente_id == expediente_id, Requerimiento.estado.in_((BORRADOR, ENVIADO)))
        .options(selectinload(Requerimiento.items), selectinload(Requerimiento.anexos))
    )


def de_expediente(session, expediente_id: int) -> list[Requerimiento]:
    """Every requerimiento of the expediente, newest first (two statements)."""
    return list(
        session.scalars(
            select(Requerimiento)
            .where(Requerimiento.expediente_id == expediente_id)
            .order_by(Requerimiento.numero.desc())
            .options(selectinload(Requerimiento.items), selectinload(Requerimiento.anexos))
        )
    )


class EsquemaRequerimiento(Esquema):
    texto = TextoConLineas(
        requerido=MSG_TEXTO.format(maximo=MAX_TEXTO),
        maximo=MAX_TEXTO,
        mensaje_maximo=MSG_TEXTO.format(maximo=MAX_TEXTO),
    )


class EsquemaPunto(Esquema):
    """One point of the requerimiento: the observación the applicant will read."""

    observacion = TextoConLineas(
        requerido=MSG_OBSERVACION.format(maximo=MAX_TEXTO),
        maximo=MAX_TEXTO,
        mensaje_maximo=MSG_OBSERVACION.format(maximo=MAX_TEXTO),
    )


class EsquemaRespuesta(Esquema):
    """The applicant's answer to a point, or the answer's covering text: optional, bounded."""

    respuesta = TextoConLineas(maximo=MAX_TEXTO, mensaje_maximo=MSG_RESPUESTA_LARGA)


class EsquemaRespuestaPunto(EsquemaRespuesta):
    """The answer to one point: a text, unless a document comes with it (`con_documento`: attached now or before)."""

    @validates_schema
    def _respuesta_o_documento(self, datos, **kwargs):
        if not datos.get("respuesta") and not self.con_documento:
            raise ValidationError(MSG_PUNTO_VACIO, "respuesta")


def redactar(session, expediente_id: int, texto: str, actor_id: int, observaciones: dict | None = None):
    """Create or refresh the draft: its text and one item per *No cumple* verification (`observaciones` may
    reword an item's observación by clave). The Requerimiento."""
    expediente = en_revision(session, expediente_id)
    texto = exigir(EsquemaRequerimiento(), {"texto": texto})["texto"]
    no_cumple = session.scalars(
        select(VerificacionRequisito)
        .where(VerificacionRequisito.expediente_id == expediente.id, VerificacionRequisito.resultado == NO_CUMPLE)
        .order_by(VerificacionRequisito.id)
    ).all()
    if not no_cumple:
        raise ErrorDominio(MSG_SIN_NO_CUMPLE)
    requerimiento = abierto(session, expediente.id)
    if requerimiento is not None and requerimiento.estado != BORRADOR:
        raise ErrorDominio(MSG_HAY_ABIERTO.format(estado="enviado", accion="espere la respuesta"))
    if requerimiento is None:
        requerimiento = Requerimiento(
            expediente_id=expediente.id,
            numero=_siguiente(session, expediente.id),
            estado=BORRADOR,
            texto=texto,
            creado_por_id=actor_id,
            creado_en=ahora(),
        )
        session.add(requerimiento)
    requerimiento.texto = texto
    requerimiento.items = _puntos(requerimiento, no_cumple, observaciones or {})
    session.flush()
    auditoria.registrar(
        session,
        "requerimiento_redactado",
        "expediente",
        expediente.id,
        actor_id,
        despues={"numero": requerimiento.numero, "items": [i.clave for i in requerimiento.items]},
    )
    return requerimiento


def _puntos(requerimiento: Requerimiento, no_cumple, observaciones: dict) -> list[RequerimientoItem]:
    """The draft's items, one per *No cumple*: a point already in the draft is updated in place (its row keeps its
    id, so saving again never inserts a second row for the same clave); the others are new; the draft's points whose
    requisito no longer fails are dropped."""
    actuales = {i.clave: i for i in requerimiento.items}
    puntos = []
    for verificacion in no_cumple:
        item = actuales.get(verificacion.clave) or RequerimientoItem(clave=verificacion.clave)
        item.observacion = _observacion(verificacion, observaciones)
        puntos.append(item)
    return puntos


def puntos_a_redactar(no_cumple, borrador: Requerimiento | None) -> list[tuple[VerificacionRequisito, str]]:
    """What the draft's form shows for each *No cumple*: the draft's text of that point as saved, or, for a point
    not yet in a draft, the verification's observación."""
    guardados = {i.clave: i.observacion for i in borrador.items} if borrador and borrador.estado == BORRADOR else {}
    return [(v, guardados.get(v.clave) or v.observacion or "") for v in no_cumple]


def _observacion(verificacion: VerificacionRequisito, cambios: dict) -> str:
    texto = cambios.get(verificacion.clave) or verificacion.observacion
    return exigir_como(EsquemaPunto(), {"observacion": texto}, verificacion.clave)["observacion"]


def _siguiente(session, expediente_id: int) -> int:
    ultimo = session.scalar(select(func.max(Requerimiento.numero)).where(Requerimiento.expediente_id == expediente_id))
    return (ultimo or 0) + 1


def descartar(session, expediente_id: int, actor_id: int) -> None:
    """Delete the draft (it was never sent)."""
    expediente = en_revision(session, expediente_id)
    requerimiento = abierto(session, expediente.id)
    if requerimiento is None or requerimiento.estado != BORRADOR:
        raise ErrorDominio(MSG_SIN_BORRADOR)
    session.delete(requerimiento)
    auditoria.registrar(
        session,
        "requerimiento_descartado",
        "expediente",
        expediente.id,
        actor_id,
        antes={"numero": requerimiento.numero},
    )


def marcar_enviado(session, expediente: Expediente, requerimiento: Requerimiento, acto_id: int, actor_id, hoy: date):
    """The coordinator sent the draft as the Auto `acto_id`: the clock stops, the month to answer starts."""
    requerimiento.estado = ENVIADO
    requerimiento.acto_id = acto_id
    requerimiento.enviado_por_id = actor_id
    requerimiento.enviado_en = ahora()
    requerimiento.plazo_hasta = None  # the month to answer runs from the notification (plazo_al_notificar)
    plazos.suspender(expediente, hoy)
    expediente.estado = ESTADO_REQUERIMIENTO_ENVIADO
    eventos.registrar(session, expediente.id, eventos.REQUERIMIENTO_ENVIADO, f"n.º {requerimiento.numero}", actor_id)
    auditoria.registrar(
        session,
        "requerimiento_enviado",
        "expediente",
        expediente.id,
        actor_id,
        despues={"numero": requerimiento.numero, "acto_id": acto_id},
    )


def plazo_para_responder(notificado_el: date) -> date:
    """The last day to answer a requerimiento whose Auto was notified on `notificado_el`: one month from the next
    day, moved to the next día hábil if it ends on another day."""
    return fin_de_termino_en_meses(notificado_el + timedelta(days=1), MESES_PARA_RESPONDER)


def plazo_prorrogado(plazo_hasta: date) -> date:
    """The last day after the one extension: an equal term running from the day after the original due date."""
    return fin_de_termino_en_meses(plazo_hasta + timedelta(days=1), MESES_PARA_RESPONDER)


def plazo_al_notificar(session, acto_id: int, notificado_el: date) -> Requerimiento | None:
    """The Auto `acto_id` was notified (surtida) on `notificado_el`: if it is a requerimiento still waiting for the
    answer, its month to answer starts the next day. Called by every way of notifying (notificaciones._surtir)."""
    requerimiento = session.scalar(select(Requerimiento).where(Requerimiento.acto_id == acto_id))
    if requerimiento is None or requerimiento.estado != ENVIADO or requerimiento.plazo_hasta is not None:
        return None
    requerimiento.plazo_hasta = plazo_para_responder(notificado_el)
    auditoria.registrar(
        session,
        "requerimiento_plazo",
        "expediente",
        requerimiento.expediente_id,
        None,
        despues={"numero": requerimiento.numero, "plazo_hasta": requerimiento.plazo_hasta.isoformat()},
    )
    return requerimiento


def _enviado(session, expediente_id: int, hoy: date) -> tuple[Expediente, Requerimiento]:
    expediente = en_revision(session, expediente_id)
    requerimiento = abierto(session, expediente.id)
    if requerimiento is None or requerimiento.estado != ENVIADO:
        raise ErrorDominio(MSG_SIN_ENVIADO)
    if requerimiento.plazo_hasta is not None and hoy > requerimiento.plazo_hasta:
        raise ErrorDominio(MSG_VENCIDO.format(fecha=requerimiento.plazo_hasta.isoformat()))
    return expediente, requerimiento


def prorrogar(session, expediente_id: int, actor_id: int, hoy: date) -> Requerimiento:
    """The applicant's one extension, asked before the term ends, for an equal term (one more month)."""
    expediente, requerimiento = _enviado(session, expediente_id, hoy)
    if requerimiento.prorrogado_en is not None:
        raise ErrorDominio(MSG_YA_PRORROGADO)
    if requerimiento.plazo_hasta is None:
        raise ErrorDominio(MSG_PRORROGA_SIN_NOTIFICAR)
    requerimiento.prorrogado_en = ahora()
    requerimiento.plazo_hasta = plazo_prorrogado(requerimiento.plazo_hasta)
    eventos.registrar(session, expediente.id, eventos.PRORROGA, requerimiento.plazo_hasta.isoformat(), actor_id)
    auditoria.registrar(
        session,
        "requerimiento_prorrogado",
        "expediente",
        expediente.id,
        actor_id,
        despues={"plazo_hasta": requerimiento.plazo_hasta.isoformat()},
        empresa_id=expediente.empresa_id,
    )
    return requerimiento


def guardar_respuesta(
    session,
    expediente_id: int,
    clave: str,
    respuesta: str | None,
    documento: DocumentoGuardado | None,
    actor_id: int,
    hoy: date,
) -> RequerimientoItem:
    """The applicant's answer to one point (text and/or a new PDF), saved until the whole answer is submitted. An
    empty one (no text, no document now or before) is refused with nothing written."""
    _, requerimiento = _enviado(session, expediente_id, hoy)
    item = next((i for i in requerimiento.items if i.clave == clave), None)
    if item is None:
        raise NoEncontrado(MSG_CLAVE)
    anexo = next((a for a in requerimiento.anexos if a.clave == clave), None)
    esquema = EsquemaRespuestaPunto(con_documento=documento is not None or anexo is not None)
    item.respuesta = exigir_como(esquema, {"respuesta": respuesta}, clave).get("respuesta")
    if documento is not None:
        if anexo is None:
            anexo = RespuestaAnexo(clave=clave)
            requerimiento.anexos.append(anexo)
        anexo.sha256, anexo.nombre_archivo = documento.sha256, documento.nombre_archivo
        anexo.tamano, anexo.folios = documento.tamano, documento.folios
        anexo.subido_por_id, anexo.en = actor_id, ahora()
    session.flush()
    return item


def responder(session, expediente_id: int, respuesta: str | None, actor_id: int, hoy: date) -> Requerimiento:
    """Submit the answer: every point answered (text or document); the clock resumes; what was asked is verified
    again."""
    expediente, requerimiento = _enviado(session, expediente_id, hoy)
    con_documento = {a.clave for a in requerimiento.anexos}
    pendientes = [i.clave for i in requerimiento.items if not i.respuesta and i.clave not in con_documento]
    if pendientes:
        raise ErroresValidacion({clave: [MSG_RESPUESTA_VACIA] for clave in pendientes})
    requerimiento.respuesta = exigir(EsquemaRespuesta(), {"respuesta": respuesta}).get("respuesta")
    requerimiento.estado = RESPONDIDO
    requerimiento.respondido_por_id, requerimiento.respondido_en = actor_id, ahora()
    requerimiento.huella_respuesta = huella_respuesta(requerimiento)
    _reabrir_verificacion(session, expediente, requerimiento, hoy)
    plazos.reanudar(expediente, hoy)
    expediente.estado = ESTADO_REQUERIMIENTO_RESPONDIDO
    eventos.registrar(session, expediente.id, eventos.REQUERIMIENTO_RESPONDIDO, f"n.º {requerimiento.numero}", actor_id)
    auditoria.registrar(
        session,
        "requerimiento_respondido",
        "expediente",
        expediente.id,
        actor_id,
        despues={"numero": requerimiento.numero, "huella": requerimiento.huella_respuesta},
        empresa_id=expediente.empresa_id,
    )
    return requerimiento


def huella_respuesta(requerimiento: Requerimiento) -> str:
    """SHA-256 of the answer (canonical JSON of its texts and documents' hashes)."""
    contenido = {
        "respuesta": requerimiento.respuesta,
        "items": {i.clave: i.respuesta for i in requerimiento.items},
        "anexos": {a.clave: [a.sha256, a.folios] for a in requerimiento.anexos},
    }
    return hashlib.sha256(json.dumps(contenido, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _reabrir_verificacion(session, expediente: Expediente, requerimiento: Requerimiento, hoy: date) -> None:
    """The requisitos asked about go back to unverified; the VoBo of their parte is withdrawn automatically (kept,
    with why; by nobody: `retirado_por_id` stays empty)."""
    claves = [i.clave for i in requerimiento.items]
    partes = set(
        session.scalars(
            select(VerificacionRequisito.parte).where(
                VerificacionRequisito.expediente_id == expediente.id, VerificacionRequisito.clave.in_(claves)
            )
        )
    )
    session.execute(
        delete(VerificacionRequisito).where(
            VerificacionRequisito.expediente_id == expediente.id, VerificacionRequisito.clave.in_(claves)
        )
    )
    for vobo in session.scalars(
        select(Vobo).where(Vobo.expediente_id == expediente.id, Vobo.retirado_en.is_(None), Vobo.parte.in_(partes))
    ):
        vobo.retirado_en = ahora()
        vobo.motivo_retiro = chequeo.MOTIVO_RETIRO_AUTOMATICO.format(numero=requerimiento.numero, fecha=fecha(hoy))


def cambios(expediente: Expediente, requerimientos: list[Requerimiento]) -> dict[int, list[Cambio]]:
    """For each answered requerimiento (id → changes): per point, the document before and the one answered.

    `requerimientos` newest first (de_expediente); the expediente's anexos loaded."""
    previo: dict[str, ExpedienteAnexo | RespuestaAnexo] = {a.clave: a for a in expediente.anexos if a.sha256}
    resultado: dict[int, list[Cambio]] = {}
    for requerimiento in sorted(requerimientos, key=lambda r: r.numero):
        nuevos = {a.clave: a for a in requerimiento.anexos}
        resultado[requerimiento.id] = [
            Cambio(i.clave, i.observacion, i.respuesta, previo.get(i.clave), nuevos.get(i.clave))
            for i in requerimiento.items
        ]
        if requerimiento.estado == RESPONDIDO:
            previo.update(nuevos)
    return resultado
