"""Notification of administrative acts (issue 13 §5; FM003's «Formulario de notificación electrónica», seed 004).

- **Electronic**, when the applicant authorised it when filing (FM003's box and its «Correo electrónico de
  notificación»): an e-mail through the outbox with a single-use, unguessable link (the token is kept only as its
  SHA-256, as the account links are). Per Ley 1437 de 2011 art. 56 the notification is *surtida* at the date and
  time the addressee **accesses the act**: the first access, logged in as the titular, records that moment, the
  account, IP, user agent and the act's SHA-256, and issues a signed constancia de notificación. The link is not
  the act: the mail carries no PDF, so the access is provable. Later uses of the link change nothing.
- Not accessed within five días hábiles: *pendiente de notificación por aviso* (`aviso_desde`).
- Without the authorisation: *notificación personal*, recorded by staff when it happens.
- Neither within five días hábiles (art. 69): staff record the **aviso** — delivered at the notification address,
  sent to the notification e-mail, or, the addressee unknown, published on the web page and the notice board for
  five días — with the day it arrived (or the publication was withdrawn); the notification is surtida at the end
  of the next day, and its constancia says so.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

from marshmallow import ValidationError, validates_schema
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models.actos import (
    CLASE_APROBACION,
    CLASE_REQUERIMIENTO,
    MEDIO_ELECTRONICO,
    MEDIO_PERSONAL,
    ActoAdministrativo,
    Notificacion,
)
from app.models.expedientes import Expediente
from app.models.personas import Usuario
from app.services import actos_pdf, auditoria, constancia, documentos, outbox, registros
from app.services.calendario import sumar_dias_habiles
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.esquemas import Esquema, Fecha, Regla, Texto, exigir
from app.services.expedientes.radicacion import codigo_nuevo, huella_codigo, identificacion, titular_identificacion
from app.services.fechas import BOGOTA, en_bogota, momento_iso
from app.services.revision import eventos, requerimientos

DIAS_PARA_AVISO = 5
ASUNTO = "Notificación electrónica: {acto} (radicado {radicado})"
MSG_ENLACE = "El enlace de notificación no es válido. Use el enlace completo del correo que recibió."
MSG_YA_SURTIDA = "Esta notificación ya se surtió el {fecha}."
MSG_NOTIFICADO = (
    "Escriba el nombre y el número de identificación de quien se notifica, por ejemplo «Ana Gómez, CC 52000123» "
    "(entre 5 y 200 caracteres: letras, números, espacios y . , - / #)."
)
MSG_NO_PERSONAL = "La notificación de este acto es electrónica: se surte cuando el titular accede al acto."

VIAS_AVISO = {
    "direccion": "Entregado en la dirección de notificación",
    "correo": "Enviado al correo electrónico de notificación",
    "publicacion": "Publicado en la página electrónica y en la cartelera del Invima por cinco días",
}
MSG_AVISO_ANTES = (
    "La notificación por aviso procede cuando pasados cinco días hábiles (el {fecha}) el acto no se ha notificado."
)
MSG_AVISO_VIA = "Elija cómo se entregó el aviso."
MSG_AVISO_FECHA = "Escriba la fecha de entrega del aviso o de retiro de la publicación (AAAA-MM-DD)."
MSG_AVISO_FECHA_RANGO = "La fecha de entrega del aviso o de retiro de la publicación va del {desde} a hoy."
MSG_AVISO_DESTINO = (
    "Escriba la dirección o el correo al que se entregó el aviso, o dónde se publicó (de 5 a 200 caracteres)."
)

PENDIENTE_ACCESO = "Enviada por correo electrónico, pendiente de acceso"
PENDIENTE_AVISO = "Pendiente de notificación por aviso"
PENDIENTE_PERSONAL = "Pendiente de notificación personal"
NOTIFICADO = "Notificado el {fecha}"
AVISO_EN_CURSO = "Aviso entregado el {entregado}: queda notificado al finalizar el {fecha}"
NOTIFICADO_POR_AVISO = "Notificado por aviso el {fecha}"


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
    nombre = exigir(EsquemaPersonal(), {"notificado": notificado})["notificado"]
    notificacion.registrada_por_id = actor.id
    notificacion.notificado_nombre = nombre
    _surtir(session, notificacion, expediente, actor, momento, None, None, config, url_verificacion)


def _de_5_a_200(mensaje: str) -> Texto:
    """A required text of 5 to 200 characters (after trimming and collapsing blanks), one message for all."""
    return Texto(requerido=mensaje, maximo=200, mensaje_maximo=mensaje, validate=Regla(lambda v: len(v) >= 5, mensaje))


# A name and an identification number: letters, and somewhere 5 or more digits, dots between them allowed
# (CC 52000123, CC 52.000.123, NIT 900123456-8).
RE_NOTIFICADO = re.compile(r"(?=.*[^\W\d_])(?=.*\d(?:\.?\d){4,})[\w .,'°º#/-]+")


class EsquemaPersonal(Esquema):
    """Who was notified in person, as staff write it: a name and the number of an identification document."""

    notificado = Texto(
        requerido=MSG_NOTIFICADO,
        maximo=200,
        mensaje_maximo=MSG_NOTIFICADO,
        patron=RE_NOTIFICADO,
        invalido=MSG_NOTIFICADO,
        validate=Regla(lambda v: len(v) >= 5, MSG_NOTIFICADO),
    )


class EsquemaAviso(Esquema):
    """The aviso as staff record it; `desde` (the first day it could go) and `hoy` bound its date."""

    via = Texto(requerido=MSG_AVISO_VIA, validate=Regla(lambda v: v in VIAS_AVISO, MSG_AVISO_VIA))
    fecha = Fecha(requerido=MSG_AVISO_FECHA, invalido=MSG_AVISO_FECHA, maximo=10, mensaje_maximo=MSG_AVISO_FECHA)
    destino = _de_5_a_200(MSG_AVISO_DESTINO)

    @validates_schema
    def _fecha_posible(self, datos, **kwargs):
        if "fecha" in datos and not self.desde <= datos["fecha"] <= self.hoy:
            raise ValidationError(MSG_AVISO_FECHA_RANGO.format(desde=self.desde.isoformat()), "fecha")


def aviso_procede_desde(notificacion: Notificacion) -> date:
    """The last of the five días hábiles the addressee had; the aviso goes from the next day."""
    enviada = en_bogota(notificacion.enviada_en).date()
    return notificacion.aviso_desde or sumar_dias_habiles(enviada, DIAS_PARA_AVISO)


def aviso_procede(notificacion: Notificacion, hoy: date) -> bool:
    """Not surtida and past its five días hábiles: pending por aviso, and staff may record the aviso."""
    return notificacion.surtida_en is None and hoy > aviso_procede_desde(notificacion)


def registrar_aviso(
    session,
    notificacion: Notificacion,
    expediente: Expediente,
    actor: Usuario,
    datos: Mapping,
    momento: datetime,
    config,
    url_verificacion,
) -> None:
    """Staff record the notificación por aviso of an act not notified within five días hábiles (Ley 1437 art. 69):
    surtida at the end of the day after the aviso arrived (or after the publication was withdrawn)."""
    if notificacion.surtida_en is not None:
        raise ErrorDominio(MSG_YA_SURTIDA.format(fecha=momento_iso(notificacion.surtida_en)))
    hoy, limite = en_bogota(momento).date(), aviso_procede_desde(notificacion)
    if hoy <= limite:
        raise ErrorDominio(MSG_AVISO_ANTES.format(fecha=limite.isoformat()))
    enviada = en_bogota(notificacion.enviada_en).date()
    aviso = exigir(EsquemaAviso(desde=enviada, hoy=hoy), datos)
    notificacion.aviso_via, notificacion.aviso_entregado_el = aviso["via"], aviso["fecha"]
    notificacion.aviso_destino = aviso["destino"]
    notificacion.registrada_por_id = actor.id
    notificacion.notificado_nombre = expediente.titular_nombre[:200]  # the addressee: the titular, not staff
    surtida = datetime.combine(aviso["fecha"] + timedelta(days=1), time(23, 59, 59), BOGOTA)
    _surtir(session, notificacion, expediente, actor, surtida, None, None, config, url_verificacion)


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
        medio=_medio_impreso(notificacion),
        aviso=_aviso_impreso(notificacion),
        enviada_en=notificacion.enviada_en,
        surtida_en=momento,
        notificado=notificacion.notificado_nombre or f"{usuario.first_name} {usuario.last_name}",
        notificado_identificacion=_identificacion_notificado(notificacion, expediente, usuario),
        correo=notificacion.correo,
        ip=notificacion.ip,
        user_agent=notificacion.user_agent,
        codigo_verificacion=codigo,
        url_verificacion=url_verificacion(acto.numero_texto, codigo),
    )
    pdf = actos_pdf.generar_constancia_notificacion(datos, constancia.firmante_de_app(config))
    notificacion.constancia_sha256 = documentos.guardar_generado(config["DOCUMENTOS_DIR"], pdf)
    if acto.clase == CLASE_REQUERIMIENTO:  # the month to answer runs from the day after the notification
        requerimientos.plazo_al_notificar(session, acto.id, en_bogota(momento).date())
    elif acto.clase == CLASE_APROBACION:  # the registro it granted takes effect
        dia = en_bogota(momento).date()  # an aviso surte at the end of its day: effects from the next one
        registros.al_notificar(session, acto.id, dia + timedelta(days=1) if notificacion.aviso_via else dia)
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


def _identificacion_notificado(notificacion: Notificacion, expediente: Expediente, usuario: Usuario) -> str:
    """The aviso's addressee is the titular (NIT or CC); staff write a personal one's in its name; the electronic
    one's is the account that opened the act."""
    if notificacion.aviso_via:
        return titular_identificacion(expediente)
    return "" if notificacion.notificado_nombre else identificacion(usuario)


def _medio_impreso(notificacion: Notificacion) -> str:
    if notificacion.aviso_via:
        return actos_pdf.AVISO
    return actos_pdf.ELECTRONICA if notificacion.medio == MEDIO_ELECTRONICO else actos_pdf.PERSONAL


def _aviso_impreso(notificacion: Notificacion) -> str | None:
    """«Entregado en la dirección de notificación (Calle 10 # 5-20) el 2026-12-01»."""
    if not notificacion.aviso_via:
        return None
    via, destino = VIAS_AVISO[notificacion.aviso_via], notificacion.aviso_destino
    return f"{via} ({destino}) el {notificacion.aviso_entregado_el.isoformat()}"


def estado(notificacion: Notificacion, hoy: date) -> str:
    """How the notification stands, in the words of the expediente's timeline."""
    if notificacion.aviso_via and notificacion.surtida_en is not None:
        dia = en_bogota(notificacion.surtida_en).date()
        if dia >= hoy:
            entregado = notificacion.aviso_entregado_el.isoformat()
            return AVISO_EN_CURSO.format(entregado=entregado, fecha=dia.isoformat())
        return NOTIFICADO_POR_AVISO.format(fecha=dia.isoformat())
    if notificacion.surtida_en is not None:
        return NOTIFICADO.format(fecha=momento_iso(notificacion.surtida_en))
    if aviso_procede(notificacion, hoy):
        return PENDIENTE_AVISO
    return PENDIENTE_PERSONAL if notificacion.medio == MEDIO_PERSONAL else PENDIENTE_ACCESO


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
