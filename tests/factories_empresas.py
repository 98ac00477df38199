"""Factories for companies: an Empresa with its predefined roles and an accepted Administrador; the data of a valid
registration form."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.extensions import db
from app.models.empresas import ROL_ADMINISTRADOR, Empresa
from app.models.referencias import Departamento, Municipio
from app.services.cuentas.identificacion import tipo_por_codigo
from app.services.empresas import alta
from app.services.listas import id_colombia
from app.services.reloj import ahora
from tests import factories

_secuencia = itertools.count(1)

NIT = "900373115"
# «Ingrese la dirección»: Calle 26 # 68D - 35, as the dialog posts it.
DIRECCION_URBANA = {
    "dir_rural": "no",
    "dir_principal": "Calle",
    "dir_numero_principal": "26",
    "dir_numero_secundario": "68",
    "dir_sufijo_secundario": "d",
    "dir_numero_final": "35",
}


def crear_empresa(administrador=None, razon_social: str | None = None, nit: str | None = None, **extra) -> Empresa:
    """A company whose Administrador (and representante legal) is `administrador` (created if None). Commits."""
    n = next(_secuencia)
    administrador = administrador or factories.crear_usuario()
    nit = nit or str(900100000 + n)
    empresa = Empresa(
        nit=nit,
        digito_verificacion=alta.digito_verificacion(nit),
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
    roles = alta.crear_roles_predefinidos(db.session, empresa)
    alta.agregar_miembro_aceptado(
        db.session, empresa, administrador, [roles[ROL_ADMINISTRADOR]], es_representante_legal=True
    )
    db.session.commit()
    db.session.refresh(administrador)  # callers keep using it after the app context ends
    db.session.refresh(empresa)
    return empresa


def datos_validos(session, rl=None, **cambios) -> dict:
    """What «Registrar una empresa» accepts (NIT, an urban address, `rl` or a made-up representante legal)."""
    municipio = session.scalar(select(Municipio).join(Departamento).order_by(Municipio.id).limit(1))
    cc = tipo_por_codigo(session, "CC")
    datos = {
        "contacto_nombre": "María José Pérez",
        "contacto_cargo": "Directora de asuntos regulatorios",
        "contacto_correo": "regulatorios@andinos.test",
        "contacto_telefono": "6012345678",
        "tamano": "Pequeña",
        "sector": "Cosméticos",
        "nit": NIT,
        "digito_verificacion": alta.digito_verificacion(NIT),
        "razon_social": "Cosméticos Andinos S.A.S.",
        "sigla": "CASAS",
        "correo": "contacto@andinos.test",
        "telefono": "6017654321",
        "celular": "3001234567",
        "pais": str(id_colombia(session)),
        "departamento": str(municipio.departamento_id),
        "municipio": str(municipio.id),
        **DIRECCION_URBANA,
        "rl_tipo_identificacion": str(rl.tipo_identificacion_id if rl else cc.id),
        "rl_numero_identificacion": rl.numero_identificacion if rl else "79123456",
        "rl_nombres": rl.first_name if rl else "Jorge",
        "rl_apellidos": rl.last_name if rl else "Rodríguez",
        "acepta_terminos": True,
    }
    datos.update(cambios)
    return datos
