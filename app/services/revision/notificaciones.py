"""Notification of administrative acts (issue 13 §5; FM003's «Formulario de notificación electrónica», seed 004).

- **Electronic**, when the applicant authorised it when filing (FM003's box and its «Correo electrónico de
  notificación»): an e-mail through the outbox with a single-use, unguessable link (the token is kept only as its
  SHA-256, as the account links are). Per Ley 1437 de 2011 art. 56 the notification is *surtida* at the date and
  time the addressee **accesses the act**: the first access, logged in as the titular, records that moment, the
  account, IP, user agent and the act's SHA-256, and issues a signed constancia de notificación. The link is not
  the act: the mail carries no PDF, so the access is provable. Later uses of the link change nothing.
- Not accessed within five días hábiles: *pendiente de notificación por aviso* (`aviso_desde`).
- Without the authorisation: *notificación personal*, recorded by staff when it happens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.actos import MEDIO_ELECTRONICO, MEDIO_PERSONAL, ActoAdministrativo, Notificacion
from app.models.expedientes import Expediente
from app.models.personas import Usuario
from app.services import actos_pdf, auditoria, constancia, documentos, outbox
from app.services.calendario import sumar_dias_habiles
from app.services.errores import ErrorDominio, ErroresValidacion, NoEncontrado
from app.services.expedientes.radicacion import codigo_nuevo, huella_codigo, identificacion
from app.services.fechas import en_bogota, momento_iso
from app.services.revision import eventos

DIAS_PARA_AVISO = 5
ASUNTO = "Notificación electrónica: {acto} (radicado {radicado})"
MSG_ENLACE = "El enlace de notificación no es válido. Use el enlace completo del correo que recibió."
MSG_YA_SURTIDA = "Esta notificación ya se surtió el {fecha}."
MSG_NOTIFICADO = "Escriba el nombre y la identificación de quien se notifica (entre 5 y 200 caracteres)."
MSG_NO_PERSONAL = "La notificación de este acto es electrónica: se surte cuando el titular accede al acto."

PENDIENTE_ACCESO = "Enviada por correo electrónico, pendiente de acceso"
PENDIENTE_AVISO = "Pendiente de notificación por aviso"
PENDIENTE_PERSONAL = "Pendiente de notificación personal"
NOTIFICADO = "Notificado el {fecha}"


def huella_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def autorizada(expediente: Expediente) -> str | None:
    """The notification e-mail the applicant authorised when filing (FM003), or None."""
    datos = expediente.datos.get("notificacion") or {}
    if datos.get("autoriza") != "si":
        return None
    return (datos.get("correo") or "").strip().lower() or None


def notificar(
    session,
    expediente: Expediente,
    acto: ActoAdministrativo,
    momento: datetime,
    url_notificacion: Callable[[str], str],
) -> Notificacion:
    """Start the notification of `acto`: the e-mail with its link when authorised, else pending in person."""
    correo = autorizada(expediente)
    notificacion = Notificacion(
        acto_id=acto.id,
        expediente_id=expediente.id,
        medio=MEDIO_ELECTRONICO if correo else MEDIO_PERSONAL,
        correo=correo,
        enviada_en=momento,
        acto_sha256=acto.sha256,
    )
    if correo:
        token = secrets.token_urlsafe(32)
        notificacion.token_hash = huella_token(token)
        notificacion.aviso_desde = sumar_dias_habiles(en_bogota(momento).date(), DIAS_PARA_AVISO)
        outbox.encolar(
            session,
            correo,
            ASUNTO.format(acto=acto.numero_texto, radicado=expediente.radicado)[:255],
            "notificacion",
            expediente=expediente,
            acto=acto,
            enlace=url_notificacion(token),
            dias=DIAS_PARA_AVISO,
        )
    session.add(notificacion)
    session.flush()
    return notificacion


def por_token(session, token: str) -> Notificacion:
    """The notification of this link (the act loaded), or NoEncontrado."""
    notificacion = session.scalar(select(Notificacion).where(Notificacion.token_hash == huella_token(token)))
    if not token or notificacion is None:
        raise NoEncontrado(MSG_ENLACE)
    return notificacion


def acceder(
    session,
    notificacion: Notificacion,
    expediente: Expediente,
    usuario: Usuario,
    ip: str | None,
    user_agent: str | None,
    momento: datetime,
    config,
    url_verificacion: Callable[[str, str], str],
) -> bool:
    """The titular opened the act: the first time, an electronic notification is surtida now (a personal one waits
    for staff to record it). Whether this access notified."""
    if notificacion.medio != MEDIO_ELECTRONICO or notificacion.surtida_en is not None:
        return False
    bloqueada = session.scalar(select(Notificacion).where(Notificacion.id == notificacion.id).with_for_update())
    if bloqueada.surtida_en is not None:
        return False  # a double click: the other request recorded the first access
    _surtir(session, bloqueada, expediente, usuario, momento, ip, user_agent, config, url_verificacion)
    return True


def registrar_personal(
    session,
    notificacion: Notificacion,
    expediente: Expediente,
    actor: Usuario,
    notificado: str | None,
    momento,
    config,
    url_verificacion,
) -> None:
    """Staff record the personal notification of an act whose applicant did not authorise the electronic one:
    `notificado`, the name and identification of who was notified, as they wrote it."""
    if notificacion.medio != MEDIO_PERSONAL:
        raise ErrorDominio(MSG_NO_PERSONAL)
    if notificacion.surtida_en is not None:
        raise ErrorDominio(MSG_YA_SURTIDA.format(fecha=momento_iso(notificacion.surtida_en)))
    nombre = " ".join((notificado or "").split())
    if not 5 <= len(nombre) <= 200:
        raise ErroresValidacion({"notificado": [MSG_NOTIFICADO]})
    notificacion.registrada_por_id = actor.id
    notificacion.notificado_nombre = nombre
    _surtir(session, notificacion, expediente, actor, momento, None, None, config, url_verificacion)


def _surtir(session, notificacion, expediente, usuario, momento, ip, user_agent, config, url_verificacion) -> None:
    notificacion.surtida_en = momento
    notificacion.usuario_id = usuario.id
    notificacion.ip = (ip or "")[:45] or None
    notificacion.user_agent = (user_agent or "")[:500] or None
    codigo = codigo_nuevo()
    notificacion.codigo_verificacion = huella_codigo(codigo)
    acto = notificacion.acto
    datos = actos_pdf.DatosConstanciaNotificacion(
        acto_numero_texto=acto.numero_texto,
        radicado=expediente.radicado,
        acto_sha256=notificacion.acto_sha256,
        medio="Electrónica" if notificacion.medio == MEDIO_ELECTRONICO else "Personal",
        enviada_en=notificacion.enviada_en,
        surtida_en=momento,
        notificado=notificacion.notificado_nombre or f"{usuario.first_name} {usuario.last_name}",
        notificado_identificacion="" if notificacion.notificado_nombre else identificacion(usuario),
        correo=notificacion.correo,
        ip=notificacion.ip,
        user_agent=notificacion.user_agent,
        codigo_verificacion=codigo,
        url_verificacion=url_verificacion(acto.numero_texto, codigo),
    )
    pdf = actos_pdf.generar_constancia_notificacion(datos, constancia.firmante_de_app(config))
    notificacion.constancia_sha256 = documentos.guardar_generado(config["DOCUMENTOS_DIR"], pdf)
    eventos.registrar(session, expediente.id, eventos.NOTIFICADO, acto.numero_texto, usuario.id)
    auditoria.registrar(
        session,
        "acto_notificado",
        "expediente",
        expediente.id,
        usuario.id,
        despues={"acto": acto.numero_texto, "medio": notificacion.medio, "acto_sha256": notificacion.acto_sha256},
        ip=ip,
        empresa_id=expediente.empresa_id,
    )
    session.flush()


def estado(notificacion: Notificacion, hoy: date) -> str:
    """How the notification stands, in the words of the expediente's timeline."""
    if notificacion.surtida_en is not None:
        return NOTIFICADO.format(fecha=momento_iso(notificacion.surtida_en))
    if notificacion.medio == MEDIO_PERSONAL:
        return PENDIENTE_PERSONAL
    return PENDIENTE_AVISO if notificacion.aviso_desde and hoy > notificacion.aviso_desde else PENDIENTE_ACCESO


def de_expediente(session, expediente_id: int) -> list[Notificacion]:
    """The expediente's notifications with their acts, oldest first (one statement)."""
    return list(
        session.scalars(
            select(Notificacion)
            .where(Notificacion.expediente_id == expediente_id)
            .options(joinedload(Notificacion.acto))
            .order_by(Notificacion.id)
        )
    )
