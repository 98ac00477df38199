"""Factories for companies: an Empresa with its predefined roles and an accepted Administrador."""

from __future__ import annotations

import itertools

from app.extensions import db
from app.models.empresas import ROL_ADMINISTRADOR, Empresa
from app.services import empresas
from app.services.reloj import ahora
from tests import factories

_secuencia = itertools.count(1)


def crear_empresa(administrador=None, razon_social: str | None = None, nit: str | None = None, **extra) -> Empresa:
    """A company whose Administrador (and representante legal) is `administrador` (created if None). Commits."""
    n = next(_secuencia)
    administrador = administrador or factories.crear_usuario()
    nit = nit or str(900100000 + n)
    empresa = Empresa(
        nit=nit,
        digito_verificacion=empresas.digito_verificacion(nit),
        razon_social=razon_social or f"Laboratorios Prueba {n} S.A.S.",
        correo=f"empresa{n}@correo.test",
        rl_tipo_identificacion_id=administrador.tipo_identificacion_id,
        rl_numero_identificacion=administrador.numero_identificacion,
        rl_nombres=administrador.first_name,
        rl_apellidos=administrador.last_name,
        terminos_aceptados_en=ahora(),
        creado_en=ahora(),
        creado_por_id=administrador.id,
        **extra,
    )
    db.session.add(empresa)
    db.session.flush()
    roles = empresas.crear_roles_predefinidos(db.session, empresa)
    empresas.agregar_miembro_aceptado(
        db.session, empresa, administrador, [roles[ROL_ADMINISTRADOR]], es_representante_legal=True
    )
    db.session.commit()
    db.session.refresh(administrador)  # callers keep using it after the app context ends
    db.session.refresh(empresa)
    return empresa
