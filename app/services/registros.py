"""Registros sanitarios and NSO (issue 13 §4): what an approval grants, a record of its own.

- A registro or an NSO (`TramiteVersion.tipo` «registro» / «notificacion») is granted with the family's number
  format (`FamiliaProducto.formato_registro`, numbered per format and year without gaps) and the vigencia the catalog
  gives (`vigencia_anios`: NSO seven years, plaguicidas de uso doméstico ten; none where the guide states none).
- A renovación extends the registro it cites (found among the titular's; one granted before this platform is
  recorded from the data the applicant cited) for another vigencia from its expiry.
- A cancelación leaves the registro it cites «Cancelado» (002 §1.5: the product cannot be sold from then on); an
  autorización de agotamiento leaves it «En agotamiento» for the family's months (`agotamiento_meses`: six for
  plaguicidas de uso doméstico; no end where the guide gives none), counted from the day of the approval or from the
  registro's expiry if that is later.
- Those three change the registro when their resolución is notified, like a grant: the approval records what will
  change (`CambioRegistro`, with the new vigencia or the end of the agotamiento the act prints) and `al_notificar`
  applies it. Until then the registro keeps its estado, and the expediente's page says the change is pending.
- Modifications, certificates and the rest only refer to the registro they cite (`Expediente.registro_id`).
- A registro or NSO granted is «Pendiente de notificación» until the approving resolución is notified (electronic
  access, personal or por aviso: `al_notificar`), then «Vigente»: an act has no legal effect before its
  notification (Ley 1437 de 2011, art. 72). Its vigencia still runs from the resolución's date. A notification por
  aviso surte at the end of the day after the aviso arrived (art. 69): the registro is «Vigente» from the next day
  (`efectos_desde`), and reads «Pendiente de notificación» until then.
- «Vencido» is never written: a vigente registro past its `vence_en`, or an agotamiento past its end, reads so
  (`estado_en` for one row, `en_estado` for a search over many). Where the family's guide lets an expired registro
  exhaust its stock without an authorisation (cosméticos, higiene: 12 months), its `situacion` says until when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import joinedload

from app.db import contadores
from app.models.expedientes import Expediente
from app.models.registros import (
    CANCELADO,
    EN_AGOTAMIENTO,
    PENDIENTE_NOTIFICACION,
    VENCIDO,
    VIGENTE,
    CambioRegistro,
    ContadorRegistro,
    RegistroSanitario,
)
from app.services.errores import ErrorDominio
from app.services.reloj import ahora

TIPOS_QUE_OTORGAN = frozenset({"registro", "notificacion"})
TIPO_RENOVACION = "renovacion"
TIPO_CANCELACION = "cancelacion"
TIPO_AGOTAMIENTO = "agotamiento"
# The trámites that act on the registro they cite, and so record one granted before this platform if it is not here.
TIPOS_SOBRE_EL_CITADO = frozenset({TIPO_RENOVACION, TIPO_CANCELACION, TIPO_AGOTAMIENTO})
CLASE_POR_DEFECTO = "Registro sanitario"
MSG_PENDIENTE = (
    "Otorgado el {fecha}, pendiente de notificación: produce efectos cuando se notifique la resolución que lo otorga"
)
MSG_PENDIENTE_AVISO = (
    "Otorgado el {fecha}, pendiente de notificación: la notificación por aviso se surte al finalizar el {surte}"
)
MSG_CANCELADO = "{clase} {numero} está cancelado desde el {fecha}: no admite más trámites."
MSG_NEGAR = "Niegue la solicitud."
PENDIENTE_DE_NOTIFICAR = {
    TIPO_RENOVACION: "renovación aprobada (vigente hasta el {vence}): rige cuando se notifique la resolución",
    TIPO_CANCELACION: "cancelación aprobada: rige cuando se notifique la resolución",
    TIPO_AGOTAMIENTO: "agotamiento de existencias autorizado {plazo}: rige cuando se notifique la resolución",
}
MSG_CITADO_VIGENCIA = "{clase} {numero} vence el {vence} según el Invima, no el {escrito}: corrija la vigencia en la sección del producto."


def estado_en(registro: RegistroSanitario, hoy: date) -> str:
    """Pendiente de notificación, Vigente, Vencido, Cancelado or En agotamiento on `hoy`."""
    if registro.estado in (CANCELADO, PENDIENTE_NOTIFICACION):
        return registro.estado
    if registro.efectos_desde is not None and registro.efectos_desde > hoy:
        return PENDIENTE_NOTIFICACION  # notified por aviso: it surte at the end of the day before efectos_desde
    if registro.estado == EN_AGOTAMIENTO:
        terminado = registro.agotamiento_hasta is not None and registro.agotamiento_hasta < hoy
        return VENCIDO if terminado else EN_AGOTAMIENTO
    return VENCIDO if registro.vence_en is not None and registro.vence_en < hoy else VIGENTE


def del_expediente(session, expediente: Expediente) -> RegistroSanitario | None:
    """The registro the expediente granted or acted on, if any (its page names it with its estado)."""
    return session.get(RegistroSanitario, expediente.registro_id) if expediente.registro_id else None


def situacion(registro: RegistroSanitario, hoy: date, pendiente: CambioRegistro | None = None) -> str:
    """The estado on `hoy` in a sentence, with the date that bounds it; and, given the change an approval made that is
    not notified yet (`cambio_pendiente`), that change."""
    texto = _situacion(registro, hoy)
    if pendiente is None:
        return texto
    plazo = f"hasta el {pendiente.agotamiento_hasta.isoformat()}" if pendiente.agotamiento_hasta else "sin plazo"
    vence = pendiente.vence_en.isoformat() if pendiente.vence_en else "—"
    return f"{texto}; {PENDIENTE_DE_NOTIFICAR[pendiente.tipo].format(vence=vence, plazo=plazo)}"


def _situacion(registro: RegistroSanitario, hoy: date) -> str:
    estado = estado_en(registro, hoy)
    if estado == PENDIENTE_NOTIFICACION and registro.efectos_desde is not None:
        surte = (registro.efectos_desde - timedelta(days=1)).isoformat()
        return MSG_PENDIENTE_AVISO.format(fecha=registro.otorgado_en.isoformat(), surte=surte)
    if estado == PENDIENTE_NOTIFICACION:
        return MSG_PENDIENTE.format(fecha=registro.otorgado_en.isoformat())
    if estado == CANCELADO:
        return f"Cancelado desde el {registro.cancelado_en.isoformat()}" if registro.cancelado_en else CANCELADO
    if estado == EN_AGOTAMIENTO:
        hasta = registro.agotamiento_hasta
        return (
            f"En agotamiento de existencias hasta el {hasta.isoformat()}" if hasta else "En agotamiento de existencias"
        )
    if registro.vence_en is None:
        return "Vigente, sin fecha de vencimiento"
    if estado != VENCIDO:
        return f"Vigente hasta el {registro.vence_en.isoformat()}"
    texto = f"Vencido el {(registro.agotamiento_hasta or registro.vence_en).isoformat()}"
    hasta = agotamiento_sin_autorizacion(registro)
    return (
        f"{texto}; la guía permite agotar existencias hasta el {hasta.isoformat()}" if hasta and hoy <= hasta else texto
    )


def agotamiento_sin_autorizacion(registro: RegistroSanitario) -> date | None:
    """Until when a registro that expired unrenewed may exhaust its stock without an authorisation, where its
    family's guide allows it (cosméticos and higiene doméstica: 12 months, `agotamiento_meses` with no
    `agotamiento_tramite`); None elsewhere (plaguicidas need the autorización de agotamiento)."""
    familia = registro.familia
    if registro.estado != VIGENTE or not registro.vence_en or not familia.agotamiento_meses:
        return None
    if familia.agotamiento_tramite:
        return None
    return registro.vence_en + relativedelta(months=familia.agotamiento_meses)


def en_estado(estado: str, hoy: date):
    """The registros whose `estado_en` on `hoy` is `estado`, as a WHERE clause over registro_sanitario (the lists'
    search by estado). Written per estado on the stored columns, not as a CASE over them, so that an index on
    (titular or grupo, estado, …) or (…, vence_en) answers it: the rare estados are not found by reading every row."""
    r = RegistroSanitario
    agotando = and_(r.estado == EN_AGOTAMIENTO, or_(r.agotamiento_hasta.is_(None), r.agotamiento_hasta >= hoy))
    surtiendo = and_(r.estado == VIGENTE, r.efectos_desde > hoy)  # notified por aviso, not surtida yet
    ni_cancelado_ni_agotando = and_(
        r.estado.not_in((CANCELADO, EN_AGOTAMIENTO, PENDIENTE_NOTIFICACION)),
        or_(r.efectos_desde.is_(None), r.efectos_desde <= hoy),
    )
    por_estado = {
        PENDIENTE_NOTIFICACION: or_(r.estado == PENDIENTE_NOTIFICACION, surtiendo),
        CANCELADO: r.estado == CANCELADO,
        EN_AGOTAMIENTO: agotando,
        VENCIDO: or_(
            and_(r.estado == EN_AGOTAMIENTO, r.agotamiento_hasta < hoy),
            and_(ni_cancelado_ni_agotando, r.vence_en < hoy),
        ),
        VIGENTE: and_(ni_cancelado_ni_agotando, or_(r.vence_en.is_(None), r.vence_en >= hoy)),
    }
    return por_estado.get(estado, false())


def citado(session, expediente: Expediente) -> RegistroSanitario | None:
    """The registro the expediente cites (its `producto` section), among the titular's, or None."""
    numero = _numero_citado(expediente)
    if not numero:
        return None
    consulta = select(RegistroSanitario).where(RegistroSanitario.numero == numero)
    if expediente.empresa_id is not None:
        consulta = consulta.where(RegistroSanitario.empresa_id == expediente.empresa_id)
    else:
        consulta = consulta.where(RegistroSanitario.persona_id == expediente.persona_id)
    return session.scalar(consulta)


def _vence(desde: date, anios: int | None) -> date | None:
    return desde + relativedelta(years=anios) if anios else None


def otorgar(session, expediente: Expediente, hoy: date) -> RegistroSanitario | None:
    """What approving `expediente` grants or extends (the registro, linked to it), or None for other trámites."""
    version = expediente.version
    familia = version.tramite.familia
    if version.tipo in TIPOS_QUE_OTORGAN and familia.formato_registro:
        n = contadores.siguiente(session, ContadorRegistro, serie=familia.formato_registro, anio=hoy.year)
        registro = _nuevo(expediente, familia.formato_registro.format(numero=n, anio=hoy.year, aa=f"{hoy:%y}"), hoy)
        registro.clase = familia.clase_registro or CLASE_POR_DEFECTO
        registro.vence_en = _vence(hoy, version.vigencia_anios)
        registro.estado = PENDIENTE_NOTIFICACION
        session.add(registro)
    elif version.tipo in TIPOS_SOBRE_EL_CITADO and _numero_citado(expediente):
        registro = citado(session, expediente) or _anterior(session, expediente, hoy)
        _proponer(session, registro, expediente, familia.agotamiento_meses, hoy)
    else:
        registro = citado(session, expediente)
    session.flush()
    if registro is not None:
        expediente.registro_id = registro.id
    return registro


MAX_NUMERO = 40
MSG_NO_HAY = (
    "No hay un registro sanitario ni una NSO con ese número en InvimÁgil. Revise el número tal como está impreso."
)


@dataclass(frozen=True)
class DatosPublicos:
    """What anyone may read of a registro (Consulta de autorizaciones y certificados): what the label of a product
    on sale carries and whether it stands today."""

    numero: str
    clase: str
    producto: str
    titular: str
    otorgado_en: date
    vence_en: date | None
    estado: str  # on today: Vigente, Vencido, Cancelado, En agotamiento
    situacion: str  # the estado in a sentence, with its date


def consulta_publica(session, numero: str, hoy: date) -> DatosPublicos | None:
    """The public facts of the registro or NSO numbered `numero` (any titular's: the number is printed on the
    product), or None."""
    numero = (numero or "").strip().upper()[:MAX_NUMERO]
    if not numero:
        return None
    registro = session.scalar(
        select(RegistroSanitario)
        .where(RegistroSanitario.numero == numero)
        .options(joinedload(RegistroSanitario.empresa), joinedload(RegistroSanitario.persona))
        .execution_options(todas_las_empresas=True)
    )
    if registro is None:
        return None
    return DatosPublicos(
        numero=registro.numero,
        clase=registro.clase,
        producto=registro.nombre_producto or "",
        titular=registro.titular_nombre,
        otorgado_en=registro.otorgado_en,
        vence_en=registro.vence_en,
        estado=estado_en(registro, hoy),
        situacion=situacion(registro, hoy),
    )


def problemas_del_citado(session, expediente: Expediente) -> list[str]:
    """What the registro the expediente cites says against radicarlo, when it is one of the titular's on this
    platform (one granted elsewhere is taken as the applicant cites it): a cancelled registro admits no trámite,
    and a renovación states the expiry the Invima recorded."""
    registro = citado(session, expediente)
    if registro is None:
        return []
    if registro.estado == CANCELADO:
        return [_cancelado(registro)]
    escrito = (expediente.datos.get("producto") or {}).get("vencimiento")
    if expediente.version.tipo == TIPO_RENOVACION and registro.vence_en and escrito != registro.vence_en.isoformat():
        vence = registro.vence_en.isoformat()
        return [MSG_CITADO_VIGENCIA.format(clase=registro.clase, numero=registro.numero, vence=vence, escrito=escrito)]
    return []


def _proponer(session, registro: RegistroSanitario, expediente: Expediente, meses: int | None, hoy: date) -> None:
    """What approving a renovación, a cancelación or an autorización de agotamiento will do to the registro it cites
    (applied by `al_notificar`); a cancelled one admits none of them."""
    if registro.estado == CANCELADO:
        raise ErrorDominio(f"{_cancelado(registro)} {MSG_NEGAR}")
    tipo = expediente.version.tipo
    cambio = CambioRegistro(registro=registro, expediente_id=expediente.id, tipo=tipo, creado_en=ahora())
    desde = max(registro.vence_en or hoy, hoy)
    if tipo == TIPO_RENOVACION:
        cambio.vence_en = _vence(desde, expediente.version.vigencia_anios)
    elif tipo == TIPO_AGOTAMIENTO:
        cambio.agotamiento_hasta = desde + relativedelta(months=meses) if meses else None
    session.add(cambio)


def cambio_pendiente(session, expediente_id: int) -> CambioRegistro | None:
    """The change the expediente's approval made to the registro it cites, while its resolución is not notified."""
    return session.scalar(
        select(CambioRegistro)
        .where(CambioRegistro.expediente_id == expediente_id, CambioRegistro.aplicado_en.is_(None))
        .execution_options(todas_las_empresas=True)
    )


def aplicar(cambio: CambioRegistro, dia: date) -> None:
    """The notified change takes effect on `dia`. One notified after the registro was cancelled (by another
    resolución notified first) finds nothing to act on: it is only recorded as notified."""
    registro, cambio.aplicado_en = cambio.registro, dia
    if registro.estado == CANCELADO:
        return
    if cambio.tipo == TIPO_RENOVACION:
        registro.vence_en = cambio.vence_en
        registro.estado, registro.agotamiento_hasta, registro.cancelado_en = VIGENTE, None, None
        registro.aviso_vencimiento_en = None  # the new vigencia's window is told again
    elif cambio.tipo == TIPO_CANCELACION:
        registro.estado, registro.cancelado_en = CANCELADO, dia
    else:
        registro.estado, registro.agotamiento_hasta = EN_AGOTAMIENTO, cambio.agotamiento_hasta
    registro.actualizado_en = ahora()


def resuelve(registro: RegistroSanitario, tipo: str, cambio: CambioRegistro | None = None) -> tuple[str, str | None]:
    """What the approving resolución says of the registro (its RESUELVE line) and, for a registro it does not grant
    or renew, its new estado as the act prints it (None: the act prints the vigencia). `cambio`: what a renovación,
    cancelación or agotamiento will change (`cambio_pendiente`)."""
    nombre = f"{registro.clase} {registro.numero}"
    if tipo == TIPO_CANCELACION:
        return (
            f"Cancelar {nombre} a partir de la notificación de esta resolución: el producto no podrá seguir "
            "comercializándose.",
            "Cancelado desde la notificación de esta resolución",
        )
    if tipo == TIPO_AGOTAMIENTO:
        hasta = cambio.agotamiento_hasta if cambio else registro.agotamiento_hasta
        plazo = f"hasta el {hasta.isoformat()}" if hasta else "sin plazo fijado por la guía"
        return f"Autorizar el agotamiento de existencias de {nombre}, por única vez, {plazo}.", (
            f"En agotamiento de existencias {plazo}"
        )
    vence = cambio.vence_en if cambio else registro.vence_en
    vigencia = vence.isoformat() if vence else "sin vigencia (la guía no fija una)"
    return f"{registro.clase}: {registro.numero}, vigente hasta {vigencia}.", None


def _cancelado(registro: RegistroSanitario) -> str:
    """Why a cancelled registro admits nothing more (filing refuses it; approving adds MSG_NEGAR)."""
    fecha = registro.cancelado_en.isoformat() if registro.cancelado_en else "—"
    return MSG_CANCELADO.format(clase=registro.clase, numero=registro.numero, fecha=fecha)


def _numero_citado(expediente: Expediente) -> str:
    return ((expediente.datos.get("producto") or {}).get("registro_numero") or "").strip().upper()


def _nuevo(expediente: Expediente, numero: str, hoy: date) -> RegistroSanitario:
    familia = expediente.version.tramite.familia
    return RegistroSanitario(
        numero=numero,
        clase=familia.clase_registro or CLASE_POR_DEFECTO,
        empresa_id=expediente.empresa_id,
        persona_id=expediente.persona_id,
        grupo_id=expediente.grupo_id,
        familia_id=familia.id,
        expediente_id=expediente.id,
        nombre_producto=expediente.nombre_producto,
        otorgado_en=hoy,
        estado=VIGENTE,
        actualizado_en=ahora(),
    )


def _anterior(session, expediente: Expediente, hoy: date) -> RegistroSanitario:
    """A registro granted before this platform, recorded from what the renovación cites."""
    producto = expediente.datos.get("producto") or {}
    registro = _nuevo(expediente, _numero_citado(expediente), hoy)
    vencimiento = producto.get("vencimiento")
    registro.vence_en = date.fromisoformat(vencimiento) if vencimiento else None
    anios = expediente.version.vigencia_anios
    if registro.vence_en and anios:
        registro.otorgado_en = registro.vence_en - relativedelta(years=anios)  # as granted, not as recorded
    session.add(registro)
    return registro


def al_notificar(session, acto_id: int, efectos_desde: date) -> None:
    """The resolución `acto_id` was notified: the registro it granted is «Vigente» from `efectos_desde` (the day of
    the notification; por aviso, the day after the one at whose end it surte); the renovación, cancelación or
    agotamiento it approved changes the registro it cites from that day."""
    registro = session.scalar(
        select(RegistroSanitario)
        .where(RegistroSanitario.acto_id == acto_id, RegistroSanitario.estado == PENDIENTE_NOTIFICACION)
        .execution_options(todas_las_empresas=True)
        .with_for_update()
    )
    if registro is not None:
        registro.estado = VIGENTE
        registro.efectos_desde = efectos_desde
        registro.actualizado_en = ahora()
    cambio = session.scalar(
        select(CambioRegistro)
        .where(CambioRegistro.acto_id == acto_id, CambioRegistro.aplicado_en.is_(None))
        .options(joinedload(CambioRegistro.registro, innerjoin=True))  # both rows locked, in one statement
        .execution_options(todas_las_empresas=True, populate_existing=True)
        .with_for_update()
    )
    if cambio is not None:
        aplicar(cambio, efectos_desde)
