"""A company's own audit record: search, pagination and CSV export (issue 4 §5)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.models.auditoria import Auditoria
from app.models.personas import Usuario
from app.services import auditoria_textos
from app.services.fechas import fecha_hora
from app.services.paginas import Pagina, paginar

POR_PAGINA = 25
MAX_EXPORTAR = 50_000
BOGOTA_OFFSET = timedelta(hours=-5)


@dataclass(frozen=True)
class Filtro:
    texto: str = ""
    desde: date | None = None
    hasta: date | None = None


def _consulta(empresa_id: int, filtro: Filtro):
    q = select(Auditoria).where(Auditoria.empresa_id == empresa_id)
    texto = (filtro.texto or "").strip()[:80]
    if texto:
        q = q.outerjoin(Usuario, Usuario.id == Auditoria.usuario_id).where(
            or_(
                func.lower(Auditoria.accion).contains(texto.lower(), autoescape=True),
                Auditoria.accion.in_(auditoria_textos.acciones_que_dicen(texto)),
                func.lower(Auditoria.objeto).contains(texto.lower(), autoescape=True),
                Auditoria.objeto_id == texto,
                Usuario.numero_identificacion == texto.upper(),
                Usuario.nombre_busqueda.startswith(texto.lower(), autoescape=True),
            )
        )
    # Dates are Bogotá days.
    if filtro.desde:
        q = q.where(Auditoria.creado_en >= datetime.combine(filtro.desde, time.min) - BOGOTA_OFFSET)
    if filtro.hasta:
        q = q.where(Auditoria.creado_en < datetime.combine(filtro.hasta + timedelta(days=1), time.min) - BOGOTA_OFFSET)
    return q


def buscar(session, empresa_id: int, filtro: Filtro, pagina: int = 1) -> Pagina:
    """One page of the company's audit rows, newest first (2 statements: count + page with the actors)."""
    consulta = _consulta(empresa_id, filtro).options(joinedload(Auditoria.usuario)).order_by(Auditoria.id.desc())
    return paginar(session, consulta, pagina, POR_PAGINA)


def exportar_csv(session, empresa_id: int, filtro: Filtro) -> str:
    """CSV (UTF-8 with BOM, so spreadsheets read the accents) of the filtered record."""
    salida = io.StringIO()
    salida.write("\ufeff")
    escritor = csv.writer(salida)
    escritor.writerow(
        [
            "Fecha y hora",
            "Usuario",
            "Identificación",
            "Acción",
            "Objeto",
            "Id del objeto",
            "Antes",
            "Después",
            "Dirección IP",
        ]
    )
    filas = session.scalars(
        _consulta(empresa_id, filtro)
        .options(joinedload(Auditoria.usuario))
        .order_by(Auditoria.id.desc())
        .limit(MAX_EXPORTAR)
    ).unique()
    for fila in filas:
        usuario = fila.usuario
        escritor.writerow(
            [
                fecha_hora(fila.creado_en),
                usuario.get_full_name() if usuario else "",
                usuario.numero_identificacion if usuario else "",
                auditoria_textos.accion(fila.accion),
                auditoria_textos.objeto(fila.objeto),
                fila.objeto_id or "",
                auditoria_textos.como_texto(fila.antes),
                auditoria_textos.como_texto(fila.despues),
                fila.ip or "",
            ]
        )
    return salida.getvalue()
