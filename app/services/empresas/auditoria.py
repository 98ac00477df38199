"""A company's own audit record: search, pagination and CSV export (issue 4 §5), as a person reads it (issue 11 §3):
the ids the rows store are shown as the names behind them (auditoria_nombres, one statement per kind and page or
batch), the same texts on the screen and in the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, and_, cast, exists, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased, joinedload

from app.models.auditoria import Auditoria
from app.models.empresas import Membresia, RolEmpresa, VinculoTecnico
from app.models.personas import Usuario
from app.services import auditoria_textos
from app.services.empresas import auditoria_nombres
from app.services.fechas import fecha_hora
from app.services.paginas import Pagina, paginar
from app.services.texto import normalizar_busqueda

POR_PAGINA = 25
MAX_EXPORTAR = 50_000
LOTE_EXPORTAR = 1_000
BOGOTA_OFFSET = timedelta(hours=-5)

# Every string value of the before/after snapshots (nested too), for the search box.
_TEXTOS_DE_LAS_FOTOS = literal_column("""'strict $.** ? (@.type() == "string")'""")
_CON_TILDE, _SIN_TILDE = "áéíóúüñÁÉÍÓÚÜÑ", "aeiouunaeiouun"


@dataclass(frozen=True)
class Filtro:
    texto: str = ""
    desde: date | None = None
    hasta: date | None = None


@dataclass(frozen=True)
class FilaLegible:
    """An audit row as the screen and the CSV show it: names, not ids or codes."""

    creado_en: datetime
    usuario: str
    identificacion: str
    accion: str
    objeto: auditoria_textos.ObjetoNombrado  # str(): «Rol: Radicador»; .tipo «Rol», .nombre «Radicador»
    antes: list[tuple[str, str]]
    despues: list[tuple[str, str]]
    ip: str


def _como_busqueda(expresion):
    """The SQL value lower-case and without accents, as normalizar_busqueda leaves what was typed."""
    return func.translate(func.lower(expresion), _CON_TILDE, _SIN_TILDE)


def _en_las_fotos(texto: str):
    """A string stored in the row's before or after snapshot contains `texto` (no case, no accents)."""
    valor = func.jsonb_path_query(
        func.jsonb_build_array(Auditoria.antes, Auditoria.despues), _TEXTOS_DE_LAS_FOTOS, type_=JSONB
    ).column_valued("valor")
    texto_del_valor = valor.op("#>>", return_type=String)(literal_column("'{}'"))
    return exists(select(valor).where(_como_busqueda(texto_del_valor).contains(texto, autoescape=True)))


def _sobre_quien(empresa_id: int, texto: str):
    """The row is about a member, RT/DT link or role of the company whose person or name matches `texto` now."""
    persona = aliased(Usuario)
    nombre, numero = normalizar_busqueda(texto), texto.upper()
    es_ella = or_(persona.numero_identificacion == numero, persona.nombre_busqueda.contains(nombre, autoescape=True))
    miembros = (
        select(cast(Membresia.id, String))
        .outerjoin(persona, persona.id == Membresia.usuario_id)
        .where(Membresia.empresa_id == empresa_id, or_(Membresia.numero_identificacion == numero, es_ella))
    )
    vinculos = (
        select(cast(VinculoTecnico.id, String))
        .join(persona, persona.id == VinculoTecnico.usuario_id)
        .where(VinculoTecnico.empresa_id == empresa_id, es_ella)
    )
    roles = select(cast(RolEmpresa.id, String)).where(
        RolEmpresa.empresa_id == empresa_id, _como_busqueda(RolEmpresa.nombre).contains(nombre, autoescape=True)
    )
    return or_(
        and_(Auditoria.objeto == "membresia", Auditoria.objeto_id.in_(miembros)),
        and_(Auditoria.objeto == "vinculo_tecnico", Auditoria.objeto_id.in_(vinculos)),
        and_(Auditoria.objeto == "rol_empresa", Auditoria.objeto_id.in_(roles)),
    )


def _coincide(empresa_id: int, texto: str):
    """What the search box finds: the action or object (code or Spanish name), who did it (identification or name),
    the person or role the row is about, or a value its snapshots stored (a role's name then, a file, a number)."""
    minusculas, nombre = texto.lower(), normalizar_busqueda(texto)
    return or_(
        func.lower(Auditoria.accion).contains(minusculas, autoescape=True),
        Auditoria.accion.in_(auditoria_textos.acciones_que_dicen(texto)),
        func.lower(Auditoria.objeto).contains(minusculas, autoescape=True),
        func.lower(Auditoria.objeto).in_(auditoria_textos.objetos_que_dicen(texto)),
        Usuario.numero_identificacion == texto.upper(),
        Usuario.nombre_busqueda.contains(nombre, autoescape=True),
        _sobre_quien(empresa_id, texto),
        _en_las_fotos(nombre),
    )


def _consulta(empresa_id: int, filtro: Filtro):
    q = select(Auditoria).where(Auditoria.empresa_id == empresa_id)
    texto = (filtro.texto or "").strip()[:80]
    if texto:
        q = q.outerjoin(Usuario, Usuario.id == Auditoria.usuario_id).where(_coincide(empresa_id, texto))
    # Dates are Bogotá days.
    if filtro.desde:
        q = q.where(Auditoria.creado_en >= datetime.combine(filtro.desde, time.min) - BOGOTA_OFFSET)
    if filtro.hasta:
        q = q.where(Auditoria.creado_en < datetime.combine(filtro.hasta + timedelta(days=1), time.min) - BOGOTA_OFFSET)
    return q


# Who acted: only what the record shows of them (name and identification, the type joined by the model).
_CON_QUIEN = joinedload(Auditoria.usuario).load_only(
    Usuario.first_name, Usuario.last_name, Usuario.tipo_identificacion_id, Usuario.numero_identificacion
)


def _legibles(session, empresa_id: int, filas) -> list[FilaLegible]:
    """The rows with the names behind their ids, loaded for all of them at once (auditoria_nombres.cargar)."""
    nombres = auditoria_nombres.cargar(session, empresa_id, filas)
    return [_legible(fila, nombres) for fila in filas]


def _legible(fila: Auditoria, nombres: auditoria_textos.Nombres) -> FilaLegible:
    usuario = fila.usuario
    return FilaLegible(
        creado_en=fila.creado_en,
        usuario=usuario.get_full_name() if usuario else "",
        identificacion=auditoria_textos.identificacion(
            usuario.tipo_identificacion.codigo if usuario and usuario.tipo_identificacion else None,
            usuario.numero_identificacion if usuario else None,
        ),
        accion=auditoria_textos.accion(fila.accion),
        objeto=auditoria_textos.objeto_nombrado(fila, nombres),
        antes=auditoria_textos.lineas(fila.antes, nombres),
        despues=auditoria_textos.lineas(fila.despues, nombres),
        ip=fila.ip or "",
    )


def buscar(session, empresa_id: int, filtro: Filtro, pagina: int = 1) -> Pagina:
    """One page of the company's audit rows, newest first, as people read them: the count, the page with the
    actors, and at most one statement per kind of row the page names (auditoria_nombres)."""
    consulta = _consulta(empresa_id, filtro).options(_CON_QUIEN).order_by(Auditoria.id.desc())
    resultado = paginar(session, consulta, pagina, POR_PAGINA)
    return Pagina(_legibles(session, empresa_id, resultado.filas), resultado.total, resultado.pagina, resultado.paginas)


COLUMNAS_CSV = (
    "Fecha y hora",
    "Usuario",
    "Identificación",
    "Acción",
    "Objeto",
    "Nombre del objeto",
    "Antes",
    "Después",
    "Dirección IP",
)


# A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first: CSV injection) is written
# with a leading apostrophe, which spreadsheets show as text; role names, descriptions and the like are anyone's.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def celda(valor) -> str:
    texto = "" if valor is None else str(valor)
    return "'" + texto if texto.startswith(_FORMULA) else texto


def exportar_csv(session, empresa_id: int, filtro: Filtro) -> str:
    """CSV (UTF-8 with BOM, so spreadsheets read the accents) of the filtered record, up to MAX_EXPORTAR rows, with
    the same texts as the screen: the rows are read in batches of LOTE_EXPORTAR and each batch's names at once."""
    salida = io.StringIO()
    salida.write("\ufeff")
    escritor = csv.writer(salida)
    escritor.writerow(COLUMNAS_CSV)
    consulta = (
        _consulta(empresa_id, filtro)
        .options(_CON_QUIEN)
        .order_by(Auditoria.id.desc())
        .limit(MAX_EXPORTAR)
        .execution_options(yield_per=LOTE_EXPORTAR)
    )
    for lote in session.scalars(consulta).partitions():
        for f in _legibles(session, empresa_id, lote):
            valores = (
                fecha_hora(f.creado_en),
                f.usuario,
                f.identificacion,
                f.accion,
                f.objeto.tipo,
                f.objeto.nombre,
                auditoria_textos.en_texto(f.antes),
                auditoria_textos.en_texto(f.despues),
                f.ip,
            )
            escritor.writerow([celda(v) for v in valores])
    return salida.getvalue()
