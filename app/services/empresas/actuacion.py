"""Which companies a person can act for ("Ingresar como" Persona jurídica)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models.empresas import ESTADO_EMPRESA_ACTIVA, MEMBRESIA_ACEPTADO, Empresa, Membresia


@dataclass(frozen=True)
class EmpresaDisponible:
    id: int
    razon_social: str
    nit: str


def empresas_disponibles(session, usuario_id: int) -> list[EmpresaDisponible]:
    """Active companies where the person's membership is Aceptado, by razón social."""
    filas = session.execute(
        select(Empresa.id, Empresa.razon_social, Empresa.nit, Empresa.digito_verificacion)
        .join(Membresia, Membresia.empresa_id == Empresa.id)
        .where(
            Membresia.usuario_id == usuario_id,
            Membresia.estado == MEMBRESIA_ACEPTADO,
            Empresa.estado == ESTADO_EMPRESA_ACTIVA,
        )
        .order_by(Empresa.razon_social)
        .execution_options(todas_las_empresas=True)
    ).all()
    return [EmpresaDisponible(i, r, f"{n}-{d}") for i, r, n, d in filas]
