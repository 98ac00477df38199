"""Registros sanitarios and NSO (issue 13 §4): what an approval grants, a record of its own.

- A registro or an NSO (`TramiteVersion.tipo` «registro» / «notificacion») is granted with the family's number
  format (`FamiliaProducto.formato_registro`, numbered per format and year without gaps) and the vigencia the catalog
  gives (`vigencia_anios`: NSO seven years, plaguicidas de uso doméstico ten; none where the guide states none).
- A renovación extends the registro it cites (found among the titular's; one granted before this platform is
  recorded from the data the applicant cited) for another vigencia from its expiry.
- Modifications, certificates and the rest only refer to the registro they cite (`Expediente.registro_id`).
"""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.db import contadores
from app.models.expedientes import Expediente
from app.models.registros import VIGENTE, ContadorRegistro, RegistroSanitario
from app.services.reloj import ahora

TIPOS_QUE_OTORGAN = frozenset({"registro", "notificacion"})
CLASE_POR_DEFECTO = "Registro sanitario"


def citado(session, expediente: Expediente) -> RegistroSanitario | None:
    """The registro the expediente cites (its `producto` section), among the titular's, or None."""
    numero = ((expediente.datos.get("producto") or {}).get("registro_numero") or "").strip().upper()
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
        session.add(registro)
    elif version.tipo == "renovacion":
        registro = citado(session, expediente) or _anterior(session, expediente, hoy)
        desde = max(registro.vence_en or hoy, hoy)
        registro.vence_en = _vence(desde, version.vigencia_anios)
        registro.estado, registro.actualizado_en = VIGENTE, ahora()
    else:
        registro = citado(session, expediente)
    session.flush()
    if registro is not None:
        expediente.registro_id = registro.id
    return registro


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
    registro = _nuevo(expediente, (producto.get("registro_numero") or "").strip().upper(), hoy)
    vencimiento = producto.get("vencimiento")
    registro.vence_en = date.fromisoformat(vencimiento) if vencimiento else None
    anios = expediente.version.vigencia_anios
    if registro.vence_en and anios:
        registro.otorgado_en = registro.vence_en - relativedelta(years=anios)  # as granted, not as recorded
    session.add(registro)
    return registro
