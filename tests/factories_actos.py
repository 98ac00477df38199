"""Administrative acts and their notification for tests, written straight with the ORM and signed for real: the PDF
is what app/services/actos_pdf.py draws, its SHA-256 and the hash of its code are stored as the issuing code keeps
them (ActoAdministrativo.sha256 / codigo_verificacion, Notificacion.constancia_sha256). Call inside an app context
(the QR link is built with url_for); commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from app.extensions import db
from app.models.actos import (
    CLASE_APROBACION,
    MEDIO_ELECTRONICO,
    TIPO_DE_CLASE,
    ActoAdministrativo,
    Notificacion,
)
from app.models.expedientes import Expediente
from app.services import actos_pdf, constancia
from app.services.enlaces import url_verificacion_acto
from app.services.expedientes.radicacion import codigo_nuevo, huella_codigo
from app.services.reloj import ahora


@dataclass(frozen=True)
class ActoDePrueba:
    acto_id: int
    numero_texto: str
    codigo: str  # in clear, as printed on the PDF
    url: str  # what its QR carries
    pdf: bytes


def acto_de_prueba(
    app, expediente: Expediente, numero: int = 12, clase: str = CLASE_APROBACION, codigo: str | None = None
) -> ActoDePrueba:
    """A signed act of `expediente` («Resolución 2026-000012» for an approval), stored with its hash and code."""
    codigo = codigo or codigo_nuevo()
    emitido_en = ahora()
    acto = ActoAdministrativo(
        expediente_id=expediente.id,
        clase=clase,
        tipo=TIPO_DE_CLASE[clase],
        anio=emitido_en.year,
        numero=numero,
        motivacion="Que la solicitud cumple los requisitos legales y técnicos.",
        emitido_en=emitido_en,
        sha256="",
        codigo_verificacion=huella_codigo(codigo),
    )
    with app.test_request_context():
        url = url_verificacion_acto(acto.numero_texto, codigo)
    datos = actos_pdf.DatosActo(
        tipo=acto.tipo,
        numero_texto=acto.numero_texto,
        emitido_en=emitido_en,
        asunto="Por la cual se resuelve una solicitud",
        radicado=expediente.radicado,
        tramite="Trámite de prueba",
        titular=expediente.titular_nombre,
        titular_identificacion="NIT 900000000-0",
        considerandos=acto.motivacion,
        resuelve=("Resolver la solicitud.",),
        firmante_nombre="Funcionaria de prueba",
        firmante_cargo="Directora de prueba",
        codigo_verificacion=codigo,
        url_verificacion=url,
    )
    pdf = actos_pdf.generar_acto(datos, constancia.firmante_de_app(app))
    acto.sha256 = hashlib.sha256(pdf).hexdigest()
    db.session.add(acto)
    db.session.commit()
    return ActoDePrueba(acto.id, acto.numero_texto, codigo, url, pdf)


def notificacion_de_prueba(
    app, acto: ActoDePrueba, expediente: Expediente, correo: str = "notificado@test.test"
) -> bytes:
    """The electronic notification of `acto`, surtida now, with its signed constancia de notificación (returned)."""
    surtida_en = ahora()
    datos = actos_pdf.DatosConstanciaNotificacion(
        acto_numero_texto=acto.numero_texto,
        radicado=expediente.radicado,
        acto_sha256=hashlib.sha256(acto.pdf).hexdigest(),
        medio=MEDIO_ELECTRONICO,
        enviada_en=surtida_en - timedelta(hours=2),
        surtida_en=surtida_en,
        notificado="Persona Notificada",
        notificado_identificacion="CC 1020304050",
        correo=correo,
        ip="190.24.11.8",
        user_agent="Mozilla/5.0 (prueba)",
        codigo_verificacion=acto.codigo,
        url_verificacion=acto.url,
    )
    pdf = actos_pdf.generar_constancia_notificacion(datos, constancia.firmante_de_app(app))
    db.session.add(
        Notificacion(
            acto_id=acto.acto_id,
            expediente_id=expediente.id,
            medio=MEDIO_ELECTRONICO,
            correo=correo,
            token_hash=hashlib.sha256(codigo_nuevo().encode()).hexdigest(),
            enviada_en=datos.enviada_en,
            surtida_en=surtida_en,
            ip=datos.ip,
            user_agent=datos.user_agent,
            acto_sha256=datos.acto_sha256,
            constancia_sha256=hashlib.sha256(pdf).hexdigest(),
        )
    )
    db.session.commit()
    return pdf
