"""The rules an expediente must meet to be radicado (issue 12 §2, seeds 002 and 004), each refusal naming the rule.

- every section of its form complete, and the declaraciones of its checklist accepted;
- the tarifa of 1.2 is one of the trámite's (and of the chosen variant);
- «autorización de uso de la tasa de un tercero» = sí needs its support attached;
- a renovación only inside its window (`renovacion_desde_meses` .. `renovacion_hasta_meses` before expiry, catalog
  data: plaguicidas de uso doméstico between 12 and 6 months; NSO until the day it expires);
- no new registro for a product whose registro expired unrenewed until `espera_tras_vencimiento_meses` passed;
- an NSO filing names the company's responsable técnico, who has confirmed it.

Missing obligatory documents are not a refusal of their own: the applicant may radicar «bajo insistencia» by
writing why (`documentos_faltantes`).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from app.models.expedientes import CLAVE_AUTORIZACION_TASA, Expediente
from app.services.expedientes import secciones as sec
from app.services.expedientes.borradores import anexo_por_clave, checklist
from app.services.fechas import fecha

MSG_SECCION = "Falta completar la sección «{titulo}»."
MSG_DECLARACION = "Falta aceptar la declaración de la lista de chequeo: «{nombre}»."
MSG_TARIFA = "El código de tarifa {codigo} no corresponde a este trámite; sus tarifas son: {validas}."
MSG_TASA_TERCERO = (
    "Indicó «Autorización de uso de la tasa de un tercero al titular»: adjunte en Documentos el soporte de la cesión."
)
MSG_ANTES_DE_VENTANA = (
    "La renovación se radica entre los {desde} y los {hasta} meses antes del vencimiento del registro "
    "({vence}): podrá radicarla desde el {inicio}."
)
MSG_DESPUES_DE_VENTANA = (
    "La renovación debía radicarse a más tardar {hasta} meses antes del vencimiento del registro ({vence}), es "
    "decir, hasta el {fin}."
)
MSG_VENCIDO = "El registro venció el {vence}: ya no se puede renovar. Solicite un registro nuevo."
MSG_ESPERA = (
    "El registro anterior del producto ({numero}) venció el {vence} sin renovarse: no se puede solicitar un nuevo "
    "registro para el mismo producto hasta el {desde} ({meses} meses después del vencimiento)."
)
MSG_RT_FALTA = "Nombre al responsable técnico de la empresa que respalda esta solicitud."
MSG_RT_SIN_CONFIRMAR = "El responsable técnico aún no ha confirmado la solicitud."


def problemas(expediente: Expediente, hoy: date) -> list[str]:
    """Every rule the expediente breaks today (empty: it may be radicado, documents aside)."""
    version = expediente.version
    lista = [
        MSG_SECCION.format(titulo=s.titulo) for s in sec.secciones_de(version) if s.codigo not in expediente.secciones
    ]
    lista += [
        MSG_DECLARACION.format(nombre=linea.requisito.nombre)
        for linea in checklist(expediente)
        if linea.requisito.satisface == "declaracion" and linea.requisito.obligatorio and not linea.adjunto
    ]
    lista += _pago(expediente)
    lista += _ventana_de_renovacion(expediente, hoy)
    lista += _espera_tras_vencimiento(expediente, hoy)
    lista += _responsable_tecnico(expediente)
    return lista


def documentos_faltantes(expediente: Expediente) -> list[str]:
    """The obligatory documents of the checklist not attached: radicar needs them, or «bajo insistencia»."""
    return [
        linea.requisito.nombre
        for linea in checklist(expediente)
        if linea.requisito.satisface == "documento" and linea.requisito.obligatorio and not linea.adjunto
    ]


def _pago(expediente: Expediente) -> list[str]:
    pago = expediente.datos.get("pago")
    if not pago:
        return []
    validas = [
        t.codigo for t in expediente.version.tarifas if not expediente.variante or t.variante == expediente.variante
    ]
    lista = []
    if pago.get("tarifa") not in validas:
        lista.append(MSG_TARIFA.format(codigo=pago.get("tarifa"), validas=", ".join(validas)))
    if pago.get("tercero") == "si":
        soporte = anexo_por_clave(expediente, CLAVE_AUTORIZACION_TASA)
        if soporte is None or not soporte.adjunto:
            lista.append(MSG_TASA_TERCERO)
    return lista


def _fecha(texto) -> date | None:
    try:
        return date.fromisoformat(texto) if texto else None
    except (TypeError, ValueError):
        return None


def _ventana_de_renovacion(expediente: Expediente, hoy: date) -> list[str]:
    version = expediente.version
    desde, hasta = version.renovacion_desde_meses, version.renovacion_hasta_meses
    vence = _fecha((expediente.datos.get("producto") or {}).get("vencimiento"))
    if version.tipo != "renovacion" or vence is None or (desde is None and hasta is None):
        return []
    if desde is not None and hoy < vence - relativedelta(months=desde):
        inicio = vence - relativedelta(months=desde)
        return [MSG_ANTES_DE_VENTANA.format(desde=desde, hasta=hasta or 0, vence=fecha(vence), inicio=fecha(inicio))]
    if hasta is not None and hoy > vence - relativedelta(months=hasta):
        if hoy > vence:
            return [MSG_VENCIDO.format(vence=fecha(vence))]
        fin = vence - relativedelta(months=hasta)
        return [MSG_DESPUES_DE_VENTANA.format(hasta=hasta, vence=fecha(vence), fin=fecha(fin))]
    return []


def _espera_tras_vencimiento(expediente: Expediente, hoy: date) -> list[str]:
    meses = expediente.version.espera_tras_vencimiento_meses
    producto = expediente.datos.get("producto") or {}
    vence = _fecha(producto.get("registro_anterior_vencimiento"))
    if not meses or producto.get("existio_registro") != "si" or vence is None or vence >= hoy:
        return []
    desde = vence + relativedelta(months=meses)
    if hoy >= desde:
        return []
    numero = producto.get("registro_anterior") or ""
    return [MSG_ESPERA.format(numero=numero, vence=fecha(vence), desde=fecha(desde), meses=meses)]


def _responsable_tecnico(expediente: Expediente) -> list[str]:
    if not expediente.version.requiere_responsable_tecnico or expediente.empresa_id is None:
        return []
    if expediente.responsable_tecnico_id is None:
        return [MSG_RT_FALTA]
    return [] if expediente.rt_confirmado_en is not None else [MSG_RT_SIN_CONFIRMAR]
