"""Mesa de ayuda: find any account fast and see its state, never its secrets.

Look-ups are single indexed statements (exact identification number, lower(email), or a prefix of the
accent-free name keys), capped at LIMITE_RESULTADOS rows. Results are plain dataclasses with only the
fields an agent may see: no password hash, PIN, token or verification row ever leaves this module.
Every look-up that returns a person's record adds an audit row to the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import String, Text, bindparam, case, cast, func, null, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import joinedload, load_only, selectinload

from app.models.personas import ESTADO_PENDIENTE, Usuario
from app.models.referencias import TipoIdentificacion
from app.services import auditoria
from app.services.cuentas import activacion
from app.services.errores import ErrorDominio, NoEncontrado
from app.services.texto import normalizar_busqueda, normalizar_correo

LIMITE_RESULTADOS = 50
LONGITUD_MAXIMA = 120
MINIMO_NOMBRE = 2

CRITERIO_AUTOMATICO = "auto"
CRITERIO_IDENTIFICACION = "identificacion"
CRITERIO_CORREO = "correo"
CRITERIO_NOMBRE = "nombre"
CRITERIOS = {
    CRITERIO_AUTOMATICO: "Detectar automáticamente",
    CRITERIO_IDENTIFICACION: "Número de identificación",
    CRITERIO_CORREO: "Correo electrónico",
    CRITERIO_NOMBRE: "Nombre(s) o apellido(s)",
}

_COLUMNAS_RESUMEN = (
    Usuario.id,
    Usuario.tipo_identificacion_id,
    Usuario.numero_identificacion,
    Usuario.first_name,
    Usuario.last_name,
    Usuario.email,
    Usuario.active,
    Usuario.activada_en,
    Usuario.bloqueada_hasta,
    Usuario.created_on,
    Usuario.last_login,
)

_usuarios = Usuario.__table__
_tipos = TipoIdentificacion.__table__

# What a look-up shows of each account, besides its id and the name of its identification type.
_COLUMNAS_VISIBLES = (
    "numero_identificacion",
    "first_name",
    "last_name",
    "email",
    "active",
    "activada_en",
    "bloqueada_hasta",
    "created_on",
    "last_login",
)
# What a name search reads of each account (the name keys order the results).
_COLUMNAS_FILA = ("id", "tipo_identificacion_id", *_COLUMNAS_VISIBLES, "nombre_busqueda", "apellido_busqueda")
_LISTA = ", ".join(_COLUMNAS_FILA)

# The two prefix searches each walk their text_pattern_ops index in order and stop at the cap, so a
# short prefix that matches half the country costs the same as a rare one. They read the whole row on the
# way (UNION drops the person found by both), so no second look-up by id is needed.
_SQL_PREFIJO = text(
    f"(SELECT {_LISTA} FROM ab_user WHERE nombre_busqueda LIKE :patron"
    " ORDER BY nombre_busqueda USING ~<~ LIMIT :limite)"
    " UNION "
    f"(SELECT {_LISTA} FROM ab_user WHERE apellido_busqueda LIKE :patron"
    " ORDER BY apellido_busqueda USING ~<~ LIMIT :limite)"
).columns(*(_usuarios.c[nombre] for nombre in _COLUMNAS_FILA))


@lru_cache(maxsize=16)
def _consulta_busqueda(criterio: str, limite: int):
    """The look-up and its audit row in ONE statement, built once per (criterio, limite).

    A CTE `encontradas` reads the summary columns (Core rows, not ORM objects: a look-up only reads, and a
    statement built once lets SQLAlchemy reuse its compiled form) with their position; `limite` + 1 rows tell
    whether there are more. A second, data-modifying CTE inserts the "busqueda_cuentas" audit row of the first
    `limite` (criterio, texto, ids in the order shown; objeto_id when exactly one) only if there is any, in
    the caller's transaction. So a look-up costs one round trip and no unit of work, and can not return rows
    without writing its audit row.
    """
    if criterio == CRITERIO_NOMBRE:
        fuente = _SQL_PREFIJO.bindparams(limite=limite + 1).subquery("coincidencias")
        filtro = None
        orden = (fuente.c.apellido_busqueda, fuente.c.nombre_busqueda, fuente.c.id)
    else:
        fuente = _usuarios
        if criterio == CRITERIO_IDENTIFICACION:
            filtro = _usuarios.c.numero_identificacion == bindparam("valor")
        else:
            filtro = func.lower(_usuarios.c.email) == bindparam("valor")
        orden = (_usuarios.c.id,)
    encontradas = select(
        fuente.c.id,
        _tipos.c.nombre.label("tipo_identificacion"),
        *(fuente.c[nombre] for nombre in _COLUMNAS_VISIBLES),
        func.row_number().over(order_by=orden).label("posicion"),
    ).select_from(fuente.outerjoin(_tipos, _tipos.c.id == fuente.c.tipo_identificacion_id))
    if filtro is not None:
        encontradas = encontradas.where(filtro)
    encontradas = encontradas.order_by(*orden).limit(limite + 1).cte("encontradas")
    mostradas = encontradas.c.posicion <= limite
    auditoria_cte = auditoria.insercion_desde(
        auditoria.ACCION_BUSQUEDA_CUENTAS,
        "Usuario",
        objeto_id=case((func.count() == 1, cast(func.min(encontradas.c.id), String)), else_=null()),
        despues=func.jsonb_build_object(
            "criterio",
            cast(bindparam("criterio"), Text),
            "texto",
            cast(bindparam("texto"), Text),
            "resultados",
            func.jsonb_agg(aggregate_order_by(encontradas.c.id, encontradas.c.posicion)),
        ),
        donde=mostradas,
        having=func.count() > 0,
    ).cte("auditoria_busqueda")
    columnas = [c for c in encontradas.c if c.name != "posicion"]
    return select(*columnas).add_cte(auditoria_cte).order_by(encontradas.c.posicion)


@dataclass(frozen=True)
class CuentaResumen:
    id: int
    tipo_identificacion: str
    numero_identificacion: str
    nombres: str
    apellidos: str
    correo: str
    estado: str
    creada_en: datetime | None
    ultimo_ingreso: datetime | None

    @property
    def pendiente(self) -> bool:
        return self.estado == ESTADO_PENDIENTE


@dataclass(frozen=True)
class CuentaDetalle(CuentaResumen):
    otro_tipo_identificacion: str | None
    nacionalidad: str
    correo_alternativo: str | None
    telefono: str | None
    celular: str | None
    fecha_nacimiento: date | None
    pais_residencia: str
    departamento: str
    municipio: str
    activada_en: datetime | None
    bloqueada_hasta: datetime | None
    intentos_fallidos: int
    numero_ingresos: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ResultadoBusqueda:
    criterio: str
    texto: str
    cuentas: list[CuentaResumen]
    hay_mas: bool


def _nombre(objeto) -> str:
    return objeto.nombre if objeto is not None else ""


def _resumen(u: Usuario) -> CuentaResumen:
    return CuentaResumen(
        id=u.id,
        tipo_identificacion=_nombre(u.tipo_identificacion),
        numero_identificacion=u.numero_identificacion or "",
        nombres=u.first_name or "",
        apellidos=u.last_name or "",
        correo=u.email or "",
        estado=u.estado,
        creada_en=u.created_on,
        ultimo_ingreso=u.last_login,
    )


def _resumen_fila(fila) -> CuentaResumen:
    """CuentaResumen from a row of `_consulta_busqueda` (the state follows Usuario.estado's rule)."""
    return CuentaResumen(
        id=fila.id,
        tipo_identificacion=fila.tipo_identificacion or "",
        numero_identificacion=fila.numero_identificacion or "",
        nombres=fila.first_name or "",
        apellidos=fila.last_name or "",
        correo=fila.email or "",
        estado=Usuario.estado.fget(fila),
        creada_en=fila.created_on,
        ultimo_ingreso=fila.last_login,
    )


MSG_CUENTA_NO_EXISTE = "La cuenta no existe."
ESPERA_REENVIO_PIN = timedelta(minutes=2)
MSG_PIN_RECIEN_ENVIADO = (
    "Se envió un PIN de activación a esta cuenta hace menos de dos minutos: espere a que llegue. Otro envío anularía "
    "ese PIN."
)


def detectar_criterio(texto: str) -> str:
    """'@' means e-mail, any digit means identification number, otherwise a name."""
    if "@" in texto:
        return CRITERIO_CORREO
    if re.search(r"\d", texto):
        return CRITERIO_IDENTIFICACION
    return CRITERIO_NOMBRE


def _escapar_like(valor: str) -> str:
    return valor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def buscar_cuentas(
    session,
    texto: str,
    criterio: str = CRITERIO_AUTOMATICO,
    agente_id: int | None = None,
    ip: str | None = None,
    limite: int = LIMITE_RESULTADOS,
) -> ResultadoBusqueda:
    """Find accounts by exact identification number, exact e-mail (any case) or name prefix.

    One statement; at most `limite` accounts (`hay_mas` tells whether there were more). A search that
    returns accounts is audited as "busqueda_cuentas" by that same statement, in the caller's transaction.
    Raises ErrorDominio with a Spanish message for empty, too long or too short input.
    """
    texto = (texto or "").strip()
    if not texto:
        raise ErrorDominio("Escriba un número de identificación, un correo electrónico o un nombre.", campo="q")
    if len(texto) > LONGITUD_MAXIMA:
        raise ErrorDominio(f"La búsqueda admite máximo {LONGITUD_MAXIMA} caracteres.", campo="q")
    if criterio not in CRITERIOS:
        raise ErrorDominio("Seleccione un criterio de búsqueda válido.", campo="criterio")
    if criterio == CRITERIO_AUTOMATICO:
        criterio = detectar_criterio(texto)

    if criterio == CRITERIO_IDENTIFICACION:
        valor = re.sub(r"\s+", "", texto).upper()
    elif criterio == CRITERIO_CORREO:
        valor = normalizar_correo(texto)
    else:
        prefijo = normalizar_busqueda(texto)
        if len(prefijo) < MINIMO_NOMBRE:
            raise ErrorDominio(f"Escriba al menos {MINIMO_NOMBRE} letras del nombre o del apellido.", campo="q")
        valor = _escapar_like(prefijo) + "%"
    parametros = {"patron": valor} if criterio == CRITERIO_NOMBRE else {"valor": valor}
    parametros.update(criterio=criterio, texto=texto, **auditoria.parametros_insercion(agente_id, ip))
    # Pending ORM writes first, so audit rows keep the order of the calls (a no-op without them).
    session.flush()
    # Through the session's connection: the caller's transaction, without the ORM layer (ab_user holds no
    # company data, so app/security/tenancy.py has nothing to filter here).
    usuarios = session.connection().execute(_consulta_busqueda(criterio, limite), parametros).all()
    cuentas = [_resumen_fila(f) for f in usuarios[:limite]]
    return ResultadoBusqueda(criterio=criterio, texto=texto, cuentas=cuentas, hay_mas=len(usuarios) > limite)


def consultar_cuenta(session, usuario_id: int, agente_id: int | None = None, ip: str | None = None) -> CuentaDetalle:
    """The account's visible data and state; audited as "consulta_cuenta". ErrorDominio if it does not exist."""
    usuario = session.scalar(
        select(Usuario)
        .where(Usuario.id == usuario_id)
        .options(
            load_only(
                *_COLUMNAS_RESUMEN,
                Usuario.otro_tipo_identificacion,
                Usuario.correo_alternativo,
                Usuario.telefono,
                Usuario.celular,
                Usuario.fecha_nacimiento,
                Usuario.fail_login_count,
                Usuario.login_count,
            ),
            joinedload(Usuario.tipo_identificacion),
            joinedload(Usuario.nacionalidad),
            joinedload(Usuario.pais_residencia),
            joinedload(Usuario.departamento),
            joinedload(Usuario.municipio),
            selectinload(Usuario.roles),
        )
    )
    if usuario is None:
        raise NoEncontrado(MSG_CUENTA_NO_EXISTE)
    base = _resumen(usuario)
    detalle = CuentaDetalle(
        **base.__dict__,
        otro_tipo_identificacion=usuario.otro_tipo_identificacion,
        nacionalidad=_nombre(usuario.nacionalidad),
        correo_alternativo=usuario.correo_alternativo,
        telefono=usuario.telefono,
        celular=usuario.celular,
        fecha_nacimiento=usuario.fecha_nacimiento,
        pais_residencia=_nombre(usuario.pais_residencia),
        departamento=_nombre(usuario.departamento),
        municipio=_nombre(usuario.municipio),
        activada_en=usuario.activada_en,
        bloqueada_hasta=usuario.bloqueada_hasta,
        intentos_fallidos=usuario.fail_login_count or 0,
        numero_ingresos=usuario.login_count or 0,
        roles=tuple(sorted(r.name for r in usuario.roles)),
    )
    auditoria.registrar(session, auditoria.ACCION_CONSULTA_CUENTA, "Usuario", usuario.id, agente_id, ip=ip)
    return detalle


def reenviar_pin_activacion(session, usuario_id: int, agente_id: int | None = None, ip: str | None = None) -> str:
    """Issue a new activation PIN (voiding the old one) and queue the mail; only for pending accounts.

    Returns the address the mail goes to. Audited as "reenvio_pin_activacion" (without the PIN).
    """
    # Two clicks at once run one after the other: the second sees the first's PIN.
    session.execute(select(Usuario.id).where(Usuario.id == usuario_id).with_for_update())
    usuario = session.get(Usuario, usuario_id)
    if usuario is None:
        raise NoEncontrado(MSG_CUENTA_NO_EXISTE)
    if usuario.estado != ESTADO_PENDIENTE:
        raise ErrorDominio(
            f"La cuenta está en estado «{usuario.estado}»: solo se reenvía el PIN a cuentas pendientes de activación."
        )
    if activacion.emitido_hace_poco(session, usuario, ESPERA_REENVIO_PIN):
        raise ErrorDominio(MSG_PIN_RECIEN_ENVIADO)
    activacion.emitir_pin_activacion(session, usuario)
    auditoria.registrar(
        session,
        auditoria.ACCION_REENVIO_PIN,
        "Usuario",
        usuario.id,
        agente_id,
        despues={"correo": usuario.email},
        ip=ip,
    )
    return usuario.email
