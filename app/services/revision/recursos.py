"""Recurso de reposición against a decision, and when a decision is in firme (Ley 1437 de 2011 arts. 74–87).

- **Term** (art. 76): the ten días hábiles after the notification. The FM003's terms and conditions count the terms
  «a partir del día siguiente en que el mensaje electrónico haya sido dispuesto en la bandeja de entrada»; there the
  mail carried the act as a PDF. Here the mail carries only the link and the act is put at the addressee's disposal
  when they open it (art. 56, issue 13): so, for every medio, the term counts from the day after the notification
  was surtida (access, personal, or the end of the aviso's next day).
- **Filing** (art. 77): the titular (Expedientes → Radicar, or the persona natural titular), in writing, with the
  motives and, if they want, a PDF of pruebas; one recurso per act, against the expediente's decision in force.
  The expediente goes «En recurso» with two months to resolve it (art. 86) on its clock; the queue orders by it.
- **Resolving** (art. 80): the coordinator issues a resolución that *confirma* the decision (the expediente goes back
  to its decided state) or *repone* it (the decision is revoked and the study resumes, with the trámite's decision
  term from that day). An approval that granted or changed a registro is not repuesta here: the registro changes
  through its own trámites (modificación, cancelación).
- **Desistimiento** (art. 81): until it is resolved, the titular may withdraw the recurso; the coordinator accepts
  it with a resolución (nothing else may be decided on it then) and the expediente goes back to its decided state.
- **Firmeza** (art. 87): the day after the term ran out without a recurso (or after an express renuncia), or the day
  after the notification of the resolución that resolved the recurso or accepted its desistimiento.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.models.actos import CLASE_APROBACION, CLASE_RECURSO, CLASES_RECURRIBLES, ActoAdministrativo, Notificacion
from app.models.expedientes import ESTADO_EN_RECURSO, ESTADO_EN_VERIFICACION, ESTADOS_DECIDIDOS, Expediente
from app.models.personas import Usuario
from app.models.recursos import CONFIRMA, DESISTE, REPONE, Recurso
from app.models.registros import RegistroSanitario
from app.services import auditoria, outbox, registros
from app.services.calendario import dias_habiles_entre, sumar_dias_habiles
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.esquemas import Esquema, Regla, TextoConLineas, exigir
from app.services.expedientes import borradores, radicacion
from app.services.fechas import en_bogota
from app.services.ids import como_id
from app.services.revision import actos, decisiones, eventos, notificaciones, plazos

DIAS_PARA_RECURRIR = 10
MESES_PARA_RESOLVER = 2
MIN_MOTIVOS, MAX_MOTIVOS = 20, 20000
MSG_MOTIVOS = f"Exprese los motivos de inconformidad con la decisión (entre {MIN_MOTIVOS} y {MAX_MOTIVOS} caracteres)."
MSG_NO_ENCONTRADO = "El acto no existe."
MSG_NO_RECURRIBLE = "Contra este acto ({acto}) no procede recurso (Ley 1437 de 2011, arts. 75 y 87)."
MSG_NO_VIGENTE = "Este acto ({acto}) ya no es la decisión vigente del expediente: no admite recurso."
MSG_SIN_NOTIFICAR = "El recurso se interpone una vez notificado el acto ({acto})."
MSG_FUERA_DE_TERMINO = (
    "El término para interponer el recurso de reposición venció el {fecha} (diez días hábiles siguientes a la "
    "notificación, Ley 1437 de 2011, art. 76)."
)
MSG_YA_INTERPUESTO = "Ya se interpuso un recurso de reposición contra este acto ({acto})."
MSG_RENUNCIO = "Se renunció al recurso contra este acto ({acto}) el {fecha}: la decisión está en firme."
MSG_SIN_PRUEBAS = "El recurso no existe o no trae pruebas adjuntas."
MSG_SIN_RECURSO = "El expediente no tiene un recurso de reposición por resolver."
MSG_DECISION = "Elija si confirma o repone la decisión recurrida."
MSG_ACEPTE = "El titular desistió del recurso el {fecha}: acepte el desistimiento (Ley 1437 de 2011, art. 81)."
MSG_NADA_QUE_DESISTIR = "Contra este acto ({acto}) no hay un recurso de reposición por resolver del cual desistir."
MSG_YA_DESISTIDO = "Ya desistió de este recurso el {fecha}: el Invima acepta el desistimiento con una resolución."
MSG_REGISTRO = (
    "La {acto} otorgó o cambió el registro {numero}: confírmela; el registro cambia con sus propios trámites "
    "(modificación o cancelación)."
)
ASUNTO_ACUSE = "Recibimos su recurso de reposición contra la {acto} (radicado {radicado})"
ASUNTO = "Por la cual se resuelve el recurso de reposición interpuesto contra la {acto}"
ASUNTO_DESISTE = "Por la cual se acepta el desistimiento del recurso de reposición interpuesto contra la {acto}"

INTERPUESTO = "Recurso de reposición interpuesto"
PUEDE_RECURRIR = "Procede recurso de reposición hasta el {fecha}"
ANTES_DE_NOTIFICAR = "Procede recurso de reposición dentro de los diez días hábiles siguientes a su notificación"
EN_FIRME = "En firme desde el {fecha}"
RENUNCIADO = "En firme desde el {fecha}, por renuncia al recurso del {renuncia}"
EN_RECURSO = "Recurso de reposición interpuesto el {fecha}; el Invima lo resuelve a más tardar el {hasta}"
DESISTIDO = (
    "Recurso de reposición interpuesto el {fecha}; el titular desistió de él el {desistido} y el Invima acepta el "
    "desistimiento a más tardar el {hasta}"
)
CONFIRMADA = "Confirmada por la {acto}"
DESISTIMIENTO_ACEPTADO = "Recurso desistido; desistimiento aceptado por la {acto}"
REPUESTA = "Repuesta (revocada) por la {acto}: el Invima estudia de nuevo la solicitud"


class EsquemaRecurso(Esquema):
    motivos = TextoConLineas(
        requerido=MSG_MOTIVOS,
        maximo=MAX_MOTIVOS,
        mensaje_maximo=MSG_MOTIVOS,
        validate=Regla(lambda v: len(v) >= MIN_MOTIVOS, MSG_MOTIVOS),
    )


def plazo_hasta(notificacion: Notificacion | None) -> date | None:
    """The last día hábil to file a recurso against the notified act, or None while it is not notified."""
    if notificacion is None or notificacion.surtida_en is None:
        return None
    return sumar_dias_habiles(en_bogota(notificacion.surtida_en).date(), DIAS_PARA_RECURRIR)


def firme_desde(notificacion: Notificacion | None) -> date | None:
    """The day an act without recurso (one that resolved a recurso) is in firme: the day after its notification."""
    if notificacion is None or notificacion.surtida_en is None:
        return None
    return en_bogota(notificacion.surtida_en).date() + timedelta(days=1)


@dataclass(frozen=True)
class Situacion:
    """How an act stands as to recursos and firmeza, in a sentence; whether the titular may file one today."""

    texto: str
    puede_recurrir: bool = False
    recurso: Recurso | None = None
    plazo: date | None = None  # the last day to file one, while the titular may


def situaciones(session, expediente_id: int, hoy: date) -> dict[int, Situacion]:
    """Per act id of the expediente, its Situacion (autos de trámite have none). Three statements."""
    lista = list(
        session.scalars(
            select(ActoAdministrativo)
            .where(ActoAdministrativo.expediente_id == expediente_id)
            .options(selectinload(ActoAdministrativo.notificacion))
            .order_by(ActoAdministrativo.id)
        )
    )
    recursos = {r.acto_id: r for r in session.scalars(select(Recurso).where(Recurso.expediente_id == expediente_id))}
    ultima = max((a.id for a in lista if a.clase in CLASES_RECURRIBLES), default=None)
    resultado = {}
    for acto in lista:
        if acto.clase == CLASE_RECURSO:
            firme = firme_desde(acto.notificacion)
            resultado[acto.id] = Situacion(EN_FIRME.format(fecha=firme.isoformat()) if firme else "")
        elif acto.clase in CLASES_RECURRIBLES:
            resultado[acto.id] = _situacion(acto, recursos.get(acto.id), acto.id == ultima, hoy)
    return resultado


def _situacion(acto: ActoAdministrativo, recurso: Recurso | None, vigente: bool, hoy: date) -> Situacion:
    if recurso is not None:
        return _con_recurso(recurso)
    notificacion = acto.notificacion
    if notificacion is not None and notificacion.renuncia_en is not None:
        dia = en_bogota(notificacion.renuncia_en).date()
        return Situacion(RENUNCIADO.format(fecha=(dia + timedelta(days=1)).isoformat(), renuncia=dia.isoformat()))
    plazo = plazo_hasta(notificacion)
    if plazo is None:
        return Situacion(ANTES_DE_NOTIFICAR)
    if hoy <= plazo and vigente:
        return Situacion(PUEDE_RECURRIR.format(fecha=plazo.isoformat()), puede_recurrir=True, plazo=plazo)
    return Situacion(EN_FIRME.format(fecha=(plazo + timedelta(days=1)).isoformat()))


def _con_recurso(recurso: Recurso) -> Situacion:
    resolucion = recurso.resuelto_por
    if resolucion is None:
        presentado, hasta = en_bogota(recurso.presentado_en).date().isoformat(), recurso.resolver_hasta.isoformat()
        if recurso.desistido_en is None:
            return Situacion(EN_RECURSO.format(fecha=presentado, hasta=hasta), False, recurso)
        desistido = en_bogota(recurso.desistido_en).date().isoformat()
        return Situacion(DESISTIDO.format(fecha=presentado, desistido=desistido, hasta=hasta), False, recurso)
    if recurso.decision == REPONE:
        return Situacion(REPUESTA.format(acto=resolucion.numero_texto), False, recurso)
    texto = (DESISTIMIENTO_ACEPTADO if recurso.decision == DESISTE else CONFIRMADA).format(acto=resolucion.numero_texto)
    firme = firme_desde(resolucion.notificacion)
    return Situacion(f"{texto}; {EN_FIRME.format(fecha=firme.isoformat()).lower()}" if firme else texto, False, recurso)


def _acto_recurrible(session, expediente: Expediente, acto_id: int, hoy: date) -> ActoAdministrativo:
    acto = session.scalar(
        select(ActoAdministrativo).where(
            ActoAdministrativo.id == como_id(acto_id), ActoAdministrativo.expediente_id == expediente.id
        )
    )
    if acto is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    if acto.clase not in CLASES_RECURRIBLES:
        raise ErrorDominio(MSG_NO_RECURRIBLE.format(acto=acto.numero_texto))
    posterior = select(ActoAdministrativo.id).where(
        ActoAdministrativo.expediente_id == expediente.id,
        ActoAdministrativo.clase.in_(CLASES_RECURRIBLES),
        ActoAdministrativo.id > acto.id,
    )
    if session.scalar(posterior.limit(1)) is not None:
        raise ErrorDominio(MSG_NO_VIGENTE.format(acto=acto.numero_texto))
    if session.scalar(select(Recurso.id).where(Recurso.acto_id == acto.id)) is not None:
        raise ErrorDominio(MSG_YA_INTERPUESTO.format(acto=acto.numero_texto))
    if expediente.estado not in ESTADOS_DECIDIDOS:  # a decision repuesta, not yet decided again
        raise ErrorDominio(MSG_NO_VIGENTE.format(acto=acto.numero_texto))
    renuncia = acto.notificacion.renuncia_en if acto.notificacion else None
    if renuncia is not None:
        raise ErrorDominio(MSG_RENUNCIO.format(acto=acto.numero_texto, fecha=en_bogota(renuncia).date().isoformat()))
    plazo = plazo_hasta(acto.notificacion)
    if plazo is None:
        raise ErrorDominio(MSG_SIN_NOTIFICAR.format(acto=acto.numero_texto))
    if hoy > plazo:
        raise ErrorDominio(MSG_FUERA_DE_TERMINO.format(fecha=plazo.isoformat()))
    return acto


def _radicado_del_titular(session, expediente_id) -> Expediente:
    """The titular's radicated expediente (the ORM tenancy hides anyone else's: NoEncontrado), locked."""
    expediente = borradores.obtener(session, expediente_id, bloquear=True)
    if expediente.radicado is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    return expediente


def _del_titular(session, expediente_id, acto_id, momento) -> tuple[Expediente, ActoAdministrativo]:
    """The titular's radicated expediente, locked, and its act that still admits a recurso today."""
    expediente = _radicado_del_titular(session, expediente_id)
    return expediente, _acto_recurrible(session, expediente, acto_id, en_bogota(momento).date())


def desistir(session, expediente_id: int, acto_id: int, usuario: Usuario, momento) -> Recurso:
    """The titular withdraws the recurso not yet resolved against the act (art. 81); the coordinator then accepts
    the desistimiento (`resolver` with DESISTE) and the decision is in firme after that is notified."""
    expediente = _radicado_del_titular(session, expediente_id)
    acto = session.scalar(
        select(ActoAdministrativo).where(
            ActoAdministrativo.id == como_id(acto_id), ActoAdministrativo.expediente_id == expediente.id
        )
    )
    if acto is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    recurso = pendiente(session, expediente.id)
    if recurso is None or recurso.acto_id != acto.id:
        raise ErrorDominio(MSG_NADA_QUE_DESISTIR.format(acto=acto.numero_texto))
    if recurso.desistido_en is not None:
        raise ErrorDominio(MSG_YA_DESISTIDO.format(fecha=en_bogota(recurso.desistido_en).date().isoformat()))
    recurso.desistido_en, recurso.desistido_por_id = momento, usuario.id
    detalle = f"Del recurso contra la {acto.numero_texto}"
    _del_titular_consta(session, expediente, acto, usuario, eventos.DESISTIMIENTO, detalle, "recurso_desistido")
    return recurso


def _del_titular_consta(session, expediente, acto, usuario, evento: str, detalle: str, accion: str) -> None:
    """What the titular did about the recurso against `acto`, in the expediente's timeline and in the audit log."""
    eventos.registrar(session, expediente.id, evento, detalle, usuario.id)
    auditoria.registrar(
        session,
        accion,
        "expediente",
        expediente.id,
        usuario.id,
        despues={"acto": acto.numero_texto},
        empresa_id=expediente.empresa_id,
    )
    session.flush()


def renunciar(session, expediente_id: int, acto_id: int, usuario: Usuario, momento) -> Notificacion:
    """The titular gives up the recurso against the notified act (art. 87 numeral 3): in firme from tomorrow."""
    expediente, acto = _del_titular(session, expediente_id, acto_id, momento)
    notificacion = acto.notificacion
    notificacion.renuncia_en, notificacion.renuncia_por_id = momento, usuario.id
    _del_titular_consta(session, expediente, acto, usuario, eventos.RENUNCIA, acto.numero_texto, "recurso_renunciado")
    return notificacion


def interponer(
    session, expediente_id: int, acto_id: int, motivos, pruebas, usuario: Usuario, momento, enlace: str
) -> Recurso:
    """The titular files a recurso de reposición against the act `acto_id` of their expediente (the ORM tenancy
    hides anyone else's: NoEncontrado). `pruebas`: the DocumentoGuardado of the PDF, or None. The acknowledgment
    goes by mail to the expediente's addresses and to who filed it, with `enlace` to the expediente."""
    expediente, acto = _del_titular(session, expediente_id, acto_id, momento)
    hoy = en_bogota(momento).date()
    datos = exigir(EsquemaRecurso(), {"motivos": motivos})
    recurso = Recurso(
        expediente_id=expediente.id,
        acto_id=acto.id,
        presentado_en=momento,
        presentado_por_id=usuario.id,
        motivos=datos["motivos"],
        pruebas_sha256=pruebas.sha256 if pruebas else None,
        pruebas_nombre=pruebas.nombre_archivo[:255] if pruebas else None,
        resolver_hasta=hoy + relativedelta(months=MESES_PARA_RESOLVER),
    )
    session.add(recurso)
    expediente.estado = ESTADO_EN_RECURSO
    expediente.termino_dias = dias_habiles_entre(hoy, recurso.resolver_hasta)
    expediente.dias_usados, expediente.reloj_desde, expediente.vence_en = 0, hoy, recurso.resolver_hasta
    eventos.registrar(session, expediente.id, eventos.RECURSO, f"Contra la {acto.numero_texto}", usuario.id)
    session.flush()
    auditoria.registrar(
        session,
        "recurso_interpuesto",
        "expediente",
        expediente.id,
        usuario.id,
        despues={"acto": acto.numero_texto, "pruebas_sha256": recurso.pruebas_sha256},
        empresa_id=expediente.empresa_id,
    )
    asunto = ASUNTO_ACUSE.format(acto=acto.numero_texto, radicado=expediente.radicado)[:255]
    for correo in radicacion.destinatarios(expediente, usuario):
        outbox.encolar(
            session, correo, asunto, "recurso", expediente=expediente, acto=acto, recurso=recurso, enlace=enlace
        )
    return recurso


def con_pruebas(session, expediente_id, recurso_id) -> Recurso:
    """The recurso `recurso_id` of the expediente, if the request may see the expediente (the ORM tenancy: the
    titular's, the grupo's) and the recurso brought pruebas; else NoEncontrado."""
    recurso = session.scalar(
        select(Recurso)
        .join(Expediente, Expediente.id == Recurso.expediente_id)
        .where(Recurso.id == como_id(recurso_id), Expediente.id == como_id(expediente_id))
    )
    if recurso is None or not recurso.pruebas_sha256:
        raise NoEncontrado(MSG_SIN_PRUEBAS)
    return recurso


def pendiente(session, expediente_id: int) -> Recurso | None:
    """The expediente's recurso not yet resolved, with the act it is against, or None."""
    return session.scalar(
        select(Recurso).where(Recurso.expediente_id == expediente_id, Recurso.resuelto_por_id.is_(None))
    )


def resolver(session, expediente_id: int, decision, motivacion, entorno: decisiones.Entorno) -> ActoAdministrativo:
    """The coordinator resolves the pending recurso with a resolución of its own, notified as any act."""
    consulta = select(Expediente).where(Expediente.id == como_id(expediente_id), Expediente.radicado.is_not(None))
    expediente = session.scalar(consulta.with_for_update(of=Expediente))
    if expediente is None:
        raise NoEncontrado(MSG_NO_ENCONTRADO)
    recurso = pendiente(session, expediente.id)
    if expediente.estado != ESTADO_EN_RECURSO or recurso is None:
        raise ErrorDominio(MSG_SIN_RECURSO)
    if decision not in recurso.decisiones:
        desistido = recurso.desistido_en and en_bogota(recurso.desistido_en).date().isoformat()
        raise ErroresValidacion({"decision": [MSG_ACEPTE.format(fecha=desistido) if desistido else MSG_DECISION]})
    motivacion = decisiones.validar_motivacion(motivacion)
    recurrido = recurso.acto
    if decision == REPONE and recurrido.clase == CLASE_APROBACION:
        _sin_registro_cambiado(session, expediente, recurrido)
    acto = decisiones.emitir_acto(
        session,
        expediente,
        CLASE_RECURSO,
        motivacion,
        _resuelve(expediente, recurso, decision),
        entorno,
        asunto=(ASUNTO_DESISTE if decision == DESISTE else ASUNTO).format(acto=recurrido.numero_texto),
    )
    recurso.decision, recurso.resuelto_por_id = decision, acto.id
    _despues(expediente, recurrido, decision, en_bogota(entorno.momento).date())
    detalle = f"{recurso.decisiones[decision]} ({recurrido.numero_texto}): {acto.numero_texto}"
    eventos.registrar(session, expediente.id, eventos.DECISION, detalle, entorno.actor.id)
    notificaciones.notificar(session, expediente, acto, entorno.momento, entorno.url_notificacion)
    return acto


def _sin_registro_cambiado(session, expediente: Expediente, recurrido: ActoAdministrativo) -> None:
    tipo = expediente.version.tipo
    if expediente.registro_id is None or tipo not in registros.TIPOS_QUE_OTORGAN | registros.TIPOS_SOBRE_EL_CITADO:
        return
    numero = session.scalar(select(RegistroSanitario.numero).where(RegistroSanitario.id == expediente.registro_id))
    raise ErrorDominio(MSG_REGISTRO.format(acto=recurrido.numero_texto, numero=numero))


def _resuelve(expediente: Expediente, recurso: Recurso, decision: str) -> tuple[str, ...]:
    recurrido = recurso.acto
    if decision == DESISTE:
        desistido = en_bogota(recurso.desistido_en).date().isoformat()
        return (
            f"Aceptar el desistimiento del recurso de reposición interpuesto contra la {recurrido.numero_texto}, "
            f"presentado por el titular el {desistido} (Ley 1437 de 2011, art. 81).",
            f"En consecuencia, la {recurrido.numero_texto} queda en firme desde el día siguiente al de la notificación "
            "de la presente resolución (Ley 1437 de 2011, art. 87, numeral 4).",
            actos.SIN_RECURSO_RESUELTO,
        )
    if decision == CONFIRMA:
        primero = f"Confirmar en todas sus partes la {recurrido.numero_texto}, recurrida por el titular."
        return primero, actos.SIN_RECURSO_RESUELTO
    return (
        f"Reponer la {recurrido.numero_texto} y, en consecuencia, revocarla.",
        f"Continuar el estudio de la solicitud radicada con el n.º {expediente.radicado}, que se decidirá de nuevo.",
        actos.SIN_RECURSO_RESUELTO,
    )


def _despues(expediente: Expediente, recurrido: ActoAdministrativo, decision: str, hoy: date) -> None:
    """Confirmed (or the desistimiento accepted): the expediente is decided as before, its clock stopped. Repuesta: the study resumes, with the
    trámite's decision term from today."""
    if decision in (CONFIRMA, DESISTE):
        expediente.estado = decisiones.ESTADO_DE[recurrido.clase]
        expediente.reloj_desde, expediente.vence_en = None, None
        return
    expediente.estado = ESTADO_EN_VERIFICACION
    expediente.decidido_en = None
    plazos.iniciar(expediente, hoy, expediente.version.termino_decision_dias)
