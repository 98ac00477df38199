"""Radicar an expediente: check it, freeze it, number it, sign its constancia and mail it (issue 12 §3).

- The rules are reglas.py's; missing obligatory documents need «bajo insistencia» with the applicant's reason.
- The radicado is `AAAA-NNNNNN`, numbered per year (Bogotá time) from `contador_radicado`: the counter row is
  incremented by an `INSERT … ON CONFLICT DO UPDATE` inside the radicación's transaction, so concurrent radicaciones
  of a year queue on that row and a rollback gives the number back — no gap, no duplicate (the unique constraint
  on (radicado_anio, radicado_numero) stands behind it).
- Frozen: `huella` is the SHA-256 of what was filed (version, modality, variant, sections, every anexo's hash and
  folios, bajo insistencia); migration 0008's triggers refuse any later change to it.
- The constancia (app/services/constancia.py: reportlab, a QR to the public verification page, signed with
  pyHanko) is stored content-addressed with the documents and mailed through the outbox, attached.
- The verification code printed on the constancia is kept only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from app.db import contadores
from app.models.expedientes import ESTADO_RADICADO, ContadorRadicado, Expediente
from app.models.personas import Usuario
from app.services import auditoria, constancia, documentos, outbox, registros
from app.services.errores import ErroresValidacion
from app.services.expedientes import reglas
from app.services.expedientes.borradores import Titular, checklist, exigir_borrador
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from app.services.revision import eventos, plazos

MAX_INSISTENCIA = 2000
ALFABETO_CODIGO = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
MSG_INSISTENCIA = (
    "Faltan documentos obligatorios ({faltan}). Adjúntelos, o radique bajo insistencia escribiendo por qué."
)
MSG_INSISTENCIA_LARGA = f"El motivo de la insistencia admite máximo {MAX_INSISTENCIA} caracteres."
ASUNTO = "Radicado {radicado}: {tramite}"


@dataclass(frozen=True)
class Radicacion:
    """What the radicación did, in plain values (the ORM objects expire when the unit of work commits)."""

    expediente_id: int
    radicado: str
    codigo: str  # the verification code printed on the constancia (never stored in clear)
    destinatarios: tuple[str, ...]  # who the constancia was mailed to
    pdf: bytes


def siguiente_numero(session, anio: int) -> int:
    """The next radicado number of `anio`, taken inside the caller's transaction (gapless: app/db/contadores.py)."""
    return contadores.siguiente(session, ContadorRadicado, anio=anio)


def codigo_nuevo() -> str:
    crudo = "".join(secrets.choice(ALFABETO_CODIGO) for _ in range(8))
    return f"{crudo[:4]}-{crudo[4:]}"


def huella_codigo(codigo: str) -> str:
    normal = "".join(c for c in (codigo or "").upper() if c.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def huella_de(expediente: Expediente) -> str:
    """SHA-256 of what is filed (canonical JSON)."""
    contenido = {
        "version": expediente.tramite_version_id,
        "modalidad": expediente.modalidad_id,
        "variante": expediente.variante,
        "datos": expediente.datos,
        "anexos": sorted((a.clave, a.adjunto, a.sha256, a.folios) for a in expediente.anexos),
        "bajo_insistencia": expediente.bajo_insistencia,
    }
    return hashlib.sha256(json.dumps(contenido, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def radicar(
    session, expediente_id, usuario: Usuario, bajo_insistencia: str | None, *, firmante, config, url_verificacion
) -> Radicacion:
    """Radicar the draft, or ErroresValidacion naming every rule it breaks. `url_verificacion(radicado, codigo)` is
    the public page the QR points to (without the code: the page that asks for it, in the mail); `config` gives
    DOCUMENTOS_DIR."""
    expediente = exigir_borrador(session, expediente_id)
    momento = ahora()
    _revisar(session, expediente, bajo_insistencia, momento)
    anio = en_bogota(momento).year
    numero = siguiente_numero(session, anio)
    codigo = codigo_nuevo()
    expediente.radicado, expediente.radicado_anio, expediente.radicado_numero = f"{anio}-{numero:06d}", anio, numero
    expediente.radicado_en, expediente.radicado_por_id = momento, usuario.id
    expediente.huella = huella_de(expediente)
    expediente.codigo_verificacion = huella_codigo(codigo)
    pdf = constancia.generar(_datos_constancia(expediente, usuario, codigo, url_verificacion), firmante)
    expediente.constancia_sha256 = documentos.guardar_generado(config["DOCUMENTOS_DIR"], pdf)
    expediente.estado = ESTADO_RADICADO
    expediente.actualizado_en = momento
    _a_revision(expediente, en_bogota(momento).date())
    session.flush()
    eventos.registrar(session, expediente.id, eventos.RADICADO, expediente.radicado, usuario.id)
    correos = _avisar(session, expediente, usuario, url_verificacion)
    titular = Titular(expediente.empresa_id, expediente.persona_id)
    auditoria.registrar(
        session,
        "expediente_radicado",
        "expediente",
        expediente.id,
        usuario.id,
        despues={"radicado": expediente.radicado, "bajo_insistencia": bool(expediente.bajo_insistencia)},
        empresa_id=titular.empresa_id,
    )
    return Radicacion(expediente.id, expediente.radicado, codigo, tuple(correos), pdf)


def _a_revision(expediente: Expediente, dia) -> None:
    """Hand it to the Invima: the grupo that reviews its family, and the decision term running from today."""
    familia = expediente.version.tramite.familia
    expediente.familia_id, expediente.grupo_id = familia.id, familia.grupo_id
    plazos.iniciar(expediente, dia, expediente.version.termino_decision_dias)


def problemas(session, expediente: Expediente, hoy) -> list[str]:
    """Every rule the draft breaks today: the form's (app/services/expedientes/reglas.py) and the cited registro's
    (app/services/registros.py)."""
    return reglas.problemas(expediente, hoy) + registros.problemas_del_citado(session, expediente)


def _revisar(session, expediente: Expediente, bajo_insistencia: str | None, momento: datetime) -> None:
    errores = problemas(session, expediente, en_bogota(momento).date())
    faltan = reglas.documentos_faltantes(expediente)
    motivo = " ".join((bajo_insistencia or "").split())
    if len(motivo) > MAX_INSISTENCIA:
        raise ErroresValidacion({"bajo_insistencia": [MSG_INSISTENCIA_LARGA]})
    if faltan and not motivo:
        errores.append(MSG_INSISTENCIA.format(faltan="; ".join(faltan)))
    if errores:
        raise ErroresValidacion({"": errores})
    expediente.bajo_insistencia = motivo if faltan else None


def identificacion(usuario: Usuario | None) -> str:
    """«CC 52000001»: a person's identification as the signed documents print it."""
    if usuario is None or usuario.tipo_identificacion is None:
        return ""
    return f"{usuario.tipo_identificacion.codigo} {usuario.numero_identificacion}"


def titular_identificacion(expediente: Expediente) -> str:
    if expediente.empresa is not None:
        return f"NIT {expediente.empresa.nit}-{expediente.empresa.digito_verificacion}"
    return identificacion(expediente.persona)


def _datos_constancia(expediente: Expediente, usuario: Usuario, codigo: str, url_verificacion):
    version = expediente.version
    pago = expediente.datos.get("pago") or {}
    lineas = {linea.requisito.codigo: linea.requisito.nombre for linea in checklist(expediente)}
    lineas["autorizacion_tasa"] = "Autorización de uso de la tasa de un tercero al titular"
    return constancia.DatosConstancia(
        radicado=expediente.radicado,
        radicado_en=expediente.radicado_en,
        tramite=version.nombre,
        tramite_codigo=version.tramite.codigo,
        version=version.numero,
        modalidad=str(expediente.modalidad) if expediente.modalidad else None,
        titular=expediente.titular_nombre,
        titular_identificacion=titular_identificacion(expediente),
        solicitante=f"{usuario.first_name} {usuario.last_name}",
        solicitante_identificacion=identificacion(usuario),
        tarifa=pago.get("tarifa"),
        referencia_pago=pago.get("consignacion"),
        valor=f"$ {pago['valor']:,}".replace(",", ".") if pago.get("valor") else None,
        bajo_insistencia=expediente.bajo_insistencia,
        documentos=tuple(
            constancia.DocumentoConstancia(lineas.get(a.clave, a.clave), a.nombre_archivo, a.folios, a.sha256)
            for a in expediente.anexos
            if a.adjunto and a.sha256
        ),
        codigo_verificacion=codigo,
        url_verificacion=url_verificacion(expediente.radicado, codigo),
    )


def destinatarios(expediente: Expediente, usuario: Usuario | None) -> list[str]:
    """Who receives the constancia (and later notices of the expediente): the notification e-mail (if authorised),
    the titular's e-mail of 1.1 and the person who radicó (`usuario`, if given), without repeats."""
    notificacion = expediente.datos.get("notificacion") or {}
    correos = [notificacion.get("correo") if notificacion.get("autoriza") == "si" else None]
    correos += [(expediente.datos.get("titular") or {}).get("correo"), usuario.email if usuario else None]
    return list(dict.fromkeys(c.lower() for c in correos if c))


def _avisar(session, expediente: Expediente, usuario: Usuario, url_verificacion) -> list[str]:
    """Queue the constancia, attached, for each recipient; who they are."""
    asunto = ASUNTO.format(radicado=expediente.radicado, tramite=expediente.version.nombre)[:255]
    correos = destinatarios(expediente, usuario)
    for correo in correos:
        mensaje = outbox.encolar(
            session,
            correo,
            asunto,
            "radicacion",
            expediente=expediente,
            url_verificacion=url_verificacion(expediente.radicado),
        )
        mensaje.adjunto_sha256 = expediente.constancia_sha256
        mensaje.adjunto_nombre = f"constancia-{expediente.radicado}.pdf"
    return correos
