"""Company registration (persona jurídica, guide §4.1 of seed 003) and Invima's administrative actions on a company.

`registrar_empresa` validates everything first, then writes the company, its predefined roles, the registering
person's Administrador membership, the representante legal (same person, or a Pendiente invitation by
identification), the attached documents' rows and the audit rows — all in the caller's transaction. Nothing is
committed here: an error leaves no row behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from marshmallow import ValidationError, fields, validates, validates_schema
from marshmallow.validate import OneOf
from sqlalchemy import select, text

from app.models.empresas import (
    DOC_CEDULA_CONTACTO,
    DOC_CEDULA_REPRESENTANTE,
    DOC_NIT_RUT,
    DOC_OTRO,
    ESTADO_EMPRESA_ACTIVA,
    ESTADO_EMPRESA_SUSPENDIDA,
    MEMBRESIA_INACTIVO,
    MEMBRESIA_PENDIENTE,
    ROL_ADMINISTRADOR,
    DocumentoEmpresa,
    Empresa,
    Membresia,
    RolEmpresa,
)
from app.models.personas import Usuario
from app.models.referencias import Departamento, Municipio, Pais, TipoIdentificacion
from app.services import auditoria, outbox, ubicacion
from app.services.cuentas.identificacion import mensajes_numero
from app.services.documentos import DocumentoGuardado
from app.services.empresas import alta
from app.services.empresas.membresias import cuenta_activada, nombre_de_cuenta
from app.services.errores import ErrorDominio, Errores, ErroresValidacion
from app.services.esquemas import Correo, Eleccion, Esquema, Regla, Texto, fila_elegida, revisar
from app.services.reloj import ahora
from app.services.texto import limpiar, mismo_nombre

TAMANOS = ("Micro", "Pequeña", "Mediana", "Grande")
SECTORES = (
    "Cosméticos",
    "Productos de higiene doméstica",
    "Absorbentes de higiene personal",
    "Plaguicidas",
    "Otro",
)
DOCUMENTOS_OBLIGATORIOS = (DOC_NIT_RUT, DOC_CEDULA_REPRESENTANTE, DOC_CEDULA_CONTACTO)
MAX_OTROS = 5

ACCION_REGISTRO = "registro_empresa"
ACCION_MEMBRESIA = "membresia_creada"
ACCION_INVITACION_RL = "invitacion_representante_legal"
ACCION_DOCUMENTO = "documento_empresa"
ACCION_CAMBIO_RL = "cambio_representante_legal"
ACCION_SUSPENSION = "suspension_empresa"
ACCION_REACTIVACION = "reactivacion_empresa"

MSG_DV = "El dígito de verificación no corresponde al NIT."
MSG_RL_NOMBRE = (
    "Los nombres y apellidos no coinciden con los de la cuenta de InvimÁgil registrada con esa identificación: "
    "escríbalos como figuran en el documento de identidad del representante legal."
)
MSG_NIT = "El NIT debe tener entre 6 y 9 dígitos, sin puntos, guiones ni dígito de verificación."
MSG_NIT_REGISTRADO = (
    "Ya existe una empresa registrada con este NIT. Si usted hace parte de ella, solicite al administrador de la "
    "empresa que lo invite."
)
MSG_YA_REGISTRADA_POR_USTED = (
    "Usted registró esta empresa hace un momento con otro representante legal; no se cambió nada. Vea sus datos en "
    "«Mi empresa → Datos de la empresa»; el representante legal lo cambia el INVIMA."
)
MSG_TERMINOS = "Debe aceptar los términos y condiciones y la política de tratamiento de datos para continuar."
MSG_DOCUMENTO_FALTA = "Adjunte el documento «{tipo}» en PDF."
MSG_DEMASIADOS_OTROS = f"Puede adjuntar hasta {MAX_OTROS} documentos adicionales."
MSG_MISMO_RL = "La persona indicada ya es el representante legal de la empresa."
MSG_MOTIVO = "Indique el motivo (entre 5 y 500 caracteres)."
MSG_YA_SUSPENDIDA = "La empresa ya está suspendida."
MSG_YA_ACTIVA = "La empresa ya está activa."
MSG_EMPRESA_NO_EXISTE = "La empresa no existe."

_LETRAS = r"[^\W\d_]"
_RE_NOMBRE = re.compile(rf"{_LETRAS}+(?:[ '’\-.]+{_LETRAS}+)*['’.]?")
_RE_TEXTO = re.compile(r"[^\x00-\x1f\x7f<>]+")  # printable, no markup
_SEPARADORES_TELEFONO = r"[\s\-().]"
ACEPTA = (True, "y", "on", "1", "true")  # what a checkbox posts when ticked (HTML form or JSON)
MSG_DV_FALTA = "Diligencie el dígito de verificación (un número del 0 al 9)."
MSG_MUNICIPIO = "Seleccione el municipio del departamento elegido."


class EmpresaYaRegistrada(ErrorDominio):
    """Another company already holds this NIT (the view answers 409)."""

    def __init__(self):
        super().__init__(MSG_NIT_REGISTRADO, campo="nit")


def _mayuscula(etiqueta: str) -> str:
    return etiqueta[0].upper() + etiqueta[1:]


def _libre(etiqueta: str, maximo: int, requerido: bool = True) -> Texto:
    return Texto(
        requerido=f"Diligencie {etiqueta}." if requerido else None,
        maximo=maximo,
        mensaje_maximo=f"{_mayuscula(etiqueta)} admite hasta {maximo} caracteres.",
        patron=_RE_TEXTO,
        invalido=f"{_mayuscula(etiqueta)} tiene caracteres no permitidos.",
        **({} if requerido else {"load_default": None}),
    )


def _nombre(etiqueta: str, maximo: int = 64) -> Texto:
    mensaje = f"{_mayuscula(etiqueta)}: solo letras y espacios, hasta {maximo} caracteres."
    return Texto(
        requerido=f"Diligencie {etiqueta}.", maximo=maximo, mensaje_maximo=mensaje, patron=_RE_NOMBRE, invalido=mensaje
    )


def _correo(etiqueta: str) -> Correo:
    return Correo(
        requerido=f"Diligencie {etiqueta}.",
        invalido=f"{_mayuscula(etiqueta)} no es válido (ejemplo: nombre@dominio.com).",
    )


def _telefono(requerido: bool = False, celular: bool = False) -> Texto:
    return Texto(
        requerido=("Diligencie el celular." if celular else "Diligencie el teléfono.") if requerido else None,
        quitar=_SEPARADORES_TELEFONO,
        patron=r"3[0-9]{9}" if celular else r"\+?[0-9]{7,15}",
        invalido=(
            "El celular debe tener 10 dígitos y empezar por 3."
            if celular
            else "El teléfono debe tener de 7 a 15 dígitos, con + opcional."
        ),
        **({} if requerido else {"load_default": None}),
    )


def _opcion(opciones: tuple[str, ...], mensaje: str) -> Texto:
    return Texto(requerido=mensaje, validate=OneOf(opciones, error=mensaje))


class DatosEditables(Esquema):
    """Información de contacto, Caracterización and the company's own contact data: the same rules at
    registration and when its administrator edits them later (the address comes from the dialog)."""

    contacto_nombre = _nombre("el nombre del contacto", 150)
    contacto_cargo = _libre("el cargo", 100)
    contacto_correo = _correo("el correo electrónico del contacto")
    contacto_telefono = _telefono(requerido=True)
    tamano = _opcion(TAMANOS, "Seleccione el tamaño de la empresa.")
    sector = _opcion(SECTORES, "Seleccione el sector o actividad.")
    sigla = _libre("la sigla", 60, requerido=False)
    correo = _correo("el correo electrónico de la empresa")
    telefono = _telefono()
    celular = _telefono(celular=True)


class RepresentanteLegal(Esquema):
    """The representante legal: identification (with the rules of its tipo) and name."""

    rl_tipo_identificacion = Eleccion(TipoIdentificacion, "Seleccione el tipo de identificación.")
    rl_numero_identificacion = Texto(requerido="Diligencie el número de identificación.", quitar=" ", mayusculas=True)
    rl_nombres = _nombre("los nombres del representante legal")
    rl_apellidos = _nombre("los apellidos del representante legal")

    @validates("rl_numero_identificacion")
    def _reglas_del_tipo(self, numero: str, **kwargs) -> None:
        tipo = fila_elegida(self.session, TipoIdentificacion, self.entrada.get("rl_tipo_identificacion"))
        if mensajes := mensajes_numero(tipo, numero):
            raise ValidationError(mensajes)

    @validates_schema
    def _como_en_su_cuenta(self, datos: dict, **kwargs) -> None:
        """A representante legal with an activated account is named as that account is (the company's data and
        its list of users never name one person two ways)."""
        cuenta = cuenta_activada(self.session, datos["rl_tipo_identificacion"], datos["rl_numero_identificacion"])
        if cuenta is None:
            return
        escrito = f"{datos['rl_nombres']} {datos['rl_apellidos']}"
        if not mismo_nombre(escrito, f"{cuenta.first_name} {cuenta.last_name}"):
            raise ValidationError(MSG_RL_NOMBRE, "rl_nombres")


class EmpresaNueva(DatosEditables, RepresentanteLegal):
    """The whole registration form but the address and the documents. Departamento and municipio are read only
    for a Colombian company (the caller excludes them otherwise)."""

    nit = Texto(requerido=MSG_NIT, quitar=r"[. ]", patron=r"[0-9]{6,9}", invalido=MSG_NIT)
    digito_verificacion = Texto(load_default="")
    razon_social = _libre("la razón social", 200)
    pais = Eleccion(Pais, "Seleccione el país.")
    departamento = Eleccion(Departamento, "Seleccione el departamento.")
    municipio = Eleccion(Municipio, MSG_MUNICIPIO)
    acepta_terminos = fields.Raw(
        required=True, error_messages={"required": MSG_TERMINOS}, validate=Regla(lambda v: v in ACEPTA, MSG_TERMINOS)
    )

    @validates_schema(skip_on_field_errors=False)
    def _digito_de_verificacion(self, datos: dict, **kwargs) -> None:
        if "nit" not in datos:
            return  # a wrong NIT has its own message
        dv = datos["digito_verificacion"]
        if not (len(dv) == 1 and dv.isdigit()):
            raise ValidationError(MSG_DV_FALTA, "digito_verificacion")
        if not alta.nit_valido(datos["nit"], dv):
            raise ValidationError(MSG_DV, "digito_verificacion")

    @validates("municipio")
    def _del_departamento(self, municipio_id: int, **kwargs) -> None:
        departamento = fila_elegida(self.session, Departamento, self.entrada.get("departamento"))
        if departamento is not None and self.session.get(Municipio, municipio_id).departamento_id != departamento.id:
            raise ValidationError(MSG_MUNICIPIO)


def _direccion(errores: Errores, limpio: dict, datos: dict, en_colombia: bool) -> None:
    """The address from the «Ingrese la dirección» dialog, with the signup's rules (app/services/ubicacion.py):
    the standard Colombian text («Calle 26 # 68C - 10») and its parts; abroad, the international free text.
    The company keeps no «Indicaciones», so the dialog's are not stored."""
    texto, componentes, errores_direccion = ubicacion.validar_direccion(datos, en_colombia)
    errores.sumar(errores_direccion)
    componentes.pop("indicaciones", None)
    limpio["direccion"] = texto or None
    limpio["direccion_componentes"] = componentes or None


def validar_datos(session, datos: dict) -> dict:
    """Check every field of the form (not the documents); return clean values or raise ErroresValidacion."""
    pais = fila_elegida(session, Pais, datos.get("pais"))
    colombiana = pais is None or pais.codigo == "CO"
    divipola = () if pais is not None and colombiana else ("departamento", "municipio")
    limpio, encontrados = revisar(EmpresaNueva(session, exclude=divipola), datos)
    errores = Errores(encontrados)
    _direccion(errores, limpio, datos, en_colombia=colombiana)
    errores.lanzar_si_hay()
    limpio.pop("acepta_terminos")
    limpio.setdefault("departamento", None)
    limpio.setdefault("municipio", None)
    return limpio


def revisar_documentos(documentos: dict[str, list[DocumentoGuardado]]) -> dict[str, list[str]]:
    """Messages for missing required documents (keyed by document type) and too many "Otros"."""
    errores: dict[str, list[str]] = {}
    for tipo in DOCUMENTOS_OBLIGATORIOS:
        if not documentos.get(tipo):
            errores[tipo] = [MSG_DOCUMENTO_FALTA.format(tipo=tipo)]
    if len(documentos.get(DOC_OTRO) or []) > MAX_OTROS:
        errores[DOC_OTRO] = [MSG_DEMASIADOS_OTROS]
    return errores


# Class of the transaction-scoped advisory lock that serializes one person's registration submits.
BLOQUEO_FORMULARIO = 0x454D50


def bloquear_formulario(session, usuario_id: int) -> None:
    """Hold, until the caller's transaction ends, a lock that makes one person's registration submits run one at a
    time: each submit replaces and drops that person's held attachments, and one must not drop the files another
    is about to record (two tabs, a double click)."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(:clase, :usuario)"), {"clase": BLOQUEO_FORMULARIO, "usuario": usuario_id}
    )


def nit_registrado(session, nit: str) -> bool:
    # Empresa is not a tenant model: this sees every company, as the one-NIT-one-company rule needs.
    return session.scalar(select(Empresa.id).where(Empresa.nit == nit).limit(1)) is not None


@dataclass(frozen=True)
class Invitacion:
    """Where to send the representante legal's invitation mail, if they have an activated account."""

    correo: str
    nombre: str


def _invitar_representante_legal(
    session, empresa: Empresa, rol_admin: RolEmpresa, invitado_por_id: int | None, vigencia_dias: int
) -> Membresia:
    """A Pendiente membership (the invitation) for the company's representante legal, with Administrador."""
    membresia = Membresia(
        empresa=empresa,
        usuario_id=None,
        tipo_identificacion_id=empresa.rl_tipo_identificacion_id,
        numero_identificacion=empresa.rl_numero_identificacion,
        estado=MEMBRESIA_PENDIENTE,
        es_representante_legal=True,
        invitacion_expira_en=ahora() + timedelta(days=vigencia_dias),
        invitado_por_id=invitado_por_id,
        creado_en=ahora(),
    )
    membresia.roles = [rol_admin]
    session.add(membresia)
    session.flush()
    return membresia


def _encolar_invitacion(session, empresa: Empresa, membresia: Membresia, enlace: str) -> bool:
    """Queue the invitation mail if the identification has an activated account, and link the invitation to that
    account (the company's list then names it, as any other invitation); True if queued."""
    cuenta = cuenta_activada(session, membresia.tipo_identificacion_id, membresia.numero_identificacion)
    if cuenta is None:
        return False
    membresia.usuario_id = cuenta.id
    outbox.encolar(
        session,
        cuenta.email,
        f"Invitación como representante legal de {empresa.razon_social} en InvimÁgil",
        "invitacion_representante_legal",
        nombre=f"{cuenta.first_name} {cuenta.last_name}",
        razon_social=empresa.razon_social,
        nit=empresa.nit_completo,
        vence=membresia.invitacion_expira_en,
        enlace=enlace,
    )
    return True


def _rol_administrador(session, empresa_id: int) -> RolEmpresa:
    return session.scalars(
        select(RolEmpresa)
        .where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == ROL_ADMINISTRADOR, RolEmpresa.predefinido)
        .execution_options(todas_las_empresas=True)
    ).one()


def _foto_membresia(m: Membresia) -> dict:
    return {
        "nombre_cuenta": nombre_de_cuenta(m),
        "tipo_identificacion_id": m.tipo_identificacion_id,
        "numero_identificacion": m.numero_identificacion,
        "usuario_id": m.usuario_id,
        "estado": m.estado,
        "es_representante_legal": m.es_representante_legal,
        "roles": [r.nombre for r in m.roles],
    }


def registrar_empresa(
    session,
    usuario: Usuario,
    datos: dict,
    documentos: dict[str, list[DocumentoGuardado]],
    vigencia_dias: int,
    enlace_invitacion: str,
    ip: str | None = None,
) -> Empresa:
    """Register the company for `usuario` (activated), who becomes its first Administrador.

    Raises ErroresValidacion (fields and documents) or EmpresaYaRegistrada. Adds everything to the caller's
    transaction; the caller commits and must treat an IntegrityError on commit as EmpresaYaRegistrada (race).
    """
    errores = Errores(revisar_documentos(documentos))
    try:
        limpio = validar_datos(session, datos)
    except ErroresValidacion as error:
        errores = Errores({**error.errores, **errores})
    errores.lanzar_si_hay()
    if nit_registrado(session, limpio["nit"]):
        raise EmpresaYaRegistrada()

    momento = ahora()
    empresa = Empresa(
        **{columna: limpio[clave] for columna, clave in _COLUMNAS_EMPRESA.items()},
        estado=ESTADO_EMPRESA_ACTIVA,
        terminos_aceptados_en=momento,
        creado_en=momento,
        creado_por_id=usuario.id,
    )
    session.add(empresa)
    session.flush()
    roles = alta.crear_roles_predefinidos(session, empresa)
    rol_admin = roles[ROL_ADMINISTRADOR]
    es_rl = (usuario.tipo_identificacion_id, usuario.numero_identificacion) == (
        empresa.rl_tipo_identificacion_id,
        empresa.rl_numero_identificacion,
    )
    propia = alta.agregar_miembro_aceptado(session, empresa, usuario, [rol_admin], es_representante_legal=es_rl)

    auditar = dict(usuario_id=usuario.id, ip=ip, empresa_id=empresa.id)
    auditoria.registrar(session, ACCION_REGISTRO, "empresa", empresa.id, despues=foto_empresa(empresa), **auditar)
    auditoria.registrar(session, ACCION_MEMBRESIA, "membresia", propia.id, despues=_foto_membresia(propia), **auditar)
    if not es_rl:
        invitacion = _invitar_representante_legal(session, empresa, rol_admin, usuario.id, vigencia_dias)
        correo = _encolar_invitacion(session, empresa, invitacion, enlace_invitacion)
        auditoria.registrar(
            session,
            ACCION_INVITACION_RL,
            "membresia",
            invitacion.id,
            despues={**_foto_membresia(invitacion), "correo_enviado": correo},
            **auditar,
        )
    _guardar_documentos(session, empresa, usuario, documentos, momento, auditar)
    return empresa


# Empresa column ← clean value of the registration form.
_COLUMNAS_EMPRESA = {
    "nit": "nit",
    "digito_verificacion": "digito_verificacion",
    "razon_social": "razon_social",
    "sigla": "sigla",
    "tamano": "tamano",
    "sector": "sector",
    "correo": "correo",
    "telefono": "telefono",
    "celular": "celular",
    "pais_id": "pais",
    "departamento_id": "departamento",
    "municipio_id": "municipio",
    "direccion": "direccion",
    "direccion_componentes": "direccion_componentes",
    "contacto_nombre": "contacto_nombre",
    "contacto_cargo": "contacto_cargo",
    "contacto_correo": "contacto_correo",
    "contacto_telefono": "contacto_telefono",
    "rl_tipo_identificacion_id": "rl_tipo_identificacion",
    "rl_numero_identificacion": "rl_numero_identificacion",
    "rl_nombres": "rl_nombres",
    "rl_apellidos": "rl_apellidos",
}


def _guardar_documentos(session, empresa: Empresa, usuario: Usuario, documentos, momento, auditar: dict) -> None:
    """A row (and an audit row) for each attached PDF; the files themselves are moved by the caller."""
    for tipo, guardados in documentos.items():
        for guardado in guardados:
            documento = DocumentoEmpresa(
                empresa_id=empresa.id,
                tipo=tipo,
                nombre_archivo=guardado.nombre_archivo,
                sha256=guardado.sha256,
                tamano=guardado.tamano,
                tipo_contenido="application/pdf",
                creado_en=momento,
                subido_por_id=usuario.id,
            )
            session.add(documento)
            session.flush()
            auditoria.registrar(
                session,
                ACCION_DOCUMENTO,
                "documento_empresa",
                documento.id,
                despues={"tipo": tipo, "nombre_archivo": guardado.nombre_archivo, "sha256": guardado.sha256},
                **auditar,
            )


def _auditar_empresa(session, accion: str, empresa: Empresa, actor_id: int, antes: dict, despues: dict, ip) -> None:
    """The audit row of a change an administrator or Invima made to the company's own record."""
    auditoria.registrar(
        session, accion, "empresa", empresa.id, actor_id, antes=antes, despues=despues, ip=ip, empresa_id=empresa.id
    )


def foto_empresa(empresa: Empresa) -> dict:
    """The company's registered data for audit rows (no secrets here)."""
    return {
        "nit": empresa.nit_completo,
        "razon_social": empresa.razon_social,
        "sigla": empresa.sigla,
        "tamano": empresa.tamano,
        "sector": empresa.sector,
        "correo": empresa.correo,
        "estado": empresa.estado,
        "motivo_suspension": empresa.motivo_suspension,
        "representante_legal": {
            "tipo_identificacion_id": empresa.rl_tipo_identificacion_id,
            "numero_identificacion": empresa.rl_numero_identificacion,
            "nombres": empresa.rl_nombres,
            "apellidos": empresa.rl_apellidos,
        },
    }


# ---------------------------------------------------------------- what the person and Invima see afterwards


def membresias(session, empresa_id: int) -> list[Membresia]:
    """Every membership of the company (for its creator's confirmation page and Invima's screens)."""
    return list(
        session.scalars(
            select(Membresia)
            .where(Membresia.empresa_id == empresa_id)
            .order_by(Membresia.es_representante_legal.desc(), Membresia.id)
            .execution_options(todas_las_empresas=True)
        )
    )


def documentos_de(session, empresa_id: int) -> list[DocumentoEmpresa]:
    return list(
        session.scalars(
            select(DocumentoEmpresa)
            .where(DocumentoEmpresa.empresa_id == empresa_id)
            .order_by(DocumentoEmpresa.id)
            .execution_options(todas_las_empresas=True)
        )
    )


# ---------------------------------------------------------------- Invima's platform administrator


def _empresa(session, empresa_id: int) -> Empresa:
    empresa = session.get(Empresa, empresa_id, with_for_update=True)
    if empresa is None:
        raise ErrorDominio(MSG_EMPRESA_NO_EXISTE)
    return empresa


def cambiar_representante_legal(
    session,
    empresa_id: int,
    datos: dict,
    actor_id: int,
    vigencia_dias: int,
    enlace_invitacion: str,
    ip: str | None = None,
) -> Membresia:
    """Make another person the company's representante legal (Invima's administrator).

    The previous representante legal's membership loses the mark (and keeps its roles). The new one keeps or
    gets a membership with Administrador: an existing Pendiente or Aceptado one is marked; an Inactivo one, or
    none, becomes a fresh Pendiente invitation (mailed when the identification has an activated account).
    """
    limpio, errores = revisar(RepresentanteLegal(session), datos)
    if errores:
        raise ErroresValidacion(errores)
    empresa = _empresa(session, empresa_id)
    tipo_id, numero = limpio["rl_tipo_identificacion"], limpio["rl_numero_identificacion"]
    if (empresa.rl_tipo_identificacion_id, empresa.rl_numero_identificacion) == (tipo_id, numero):
        raise ErroresValidacion({"rl_numero_identificacion": [MSG_MISMO_RL]})

    antes = foto_empresa(empresa)
    miembros = membresias(session, empresa.id)
    antes["membresias_representante_legal"] = [m.id for m in miembros if m.es_representante_legal]
    for m in miembros:
        m.es_representante_legal = False
    empresa.rl_tipo_identificacion_id = tipo_id
    empresa.rl_numero_identificacion = numero
    empresa.rl_nombres = limpio["rl_nombres"]
    empresa.rl_apellidos = limpio["rl_apellidos"]
    session.flush()

    anterior = next(
        (m for m in miembros if (m.tipo_identificacion_id, m.numero_identificacion) == (tipo_id, numero)), None
    )
    nueva, correo = _marcar_representante(session, empresa, anterior, actor_id, vigencia_dias, enlace_invitacion)
    despues = foto_empresa(empresa)
    despues["membresias_representante_legal"] = [nueva.id]
    despues["membresia_estado"] = nueva.estado
    despues["correo_enviado"] = correo
    _auditar_empresa(session, ACCION_CAMBIO_RL, empresa, actor_id, antes, despues, ip)
    return nueva


def _marcar_representante(
    session, empresa: Empresa, membresia: Membresia | None, actor_id: int, vigencia_dias: int, enlace: str
) -> tuple[Membresia, bool]:
    """The new representante legal's membership, with Administrador: `membresia` (theirs, if any) marked, renewed
    as a Pendiente invitation when Inactivo or expired, or a fresh invitation. Also: whether a mail was queued."""
    rol_admin = _rol_administrador(session, empresa.id)
    if membresia is None:
        nueva = _invitar_representante_legal(session, empresa, rol_admin, actor_id, vigencia_dias)
        return nueva, _encolar_invitacion(session, empresa, nueva, enlace)
    correo = False
    membresia.es_representante_legal = True
    if rol_admin not in membresia.roles:
        membresia.roles = [*membresia.roles, rol_admin]
    if membresia.estado == MEMBRESIA_INACTIVO or (
        membresia.estado == MEMBRESIA_PENDIENTE
        and (membresia.invitacion_expira_en is None or membresia.invitacion_expira_en <= ahora())
    ):
        membresia.estado = MEMBRESIA_PENDIENTE
        membresia.usuario_id = None
        membresia.inactivado_en = None
        membresia.rechazado_en = None
        membresia.invitacion_expira_en = ahora() + timedelta(days=vigencia_dias)
        membresia.invitado_por_id = actor_id
        correo = _encolar_invitacion(session, empresa, membresia, enlace)
    session.flush()
    return membresia, correo


def cambiar_estado(session, empresa_id: int, suspender: bool, motivo: str, actor_id: int, ip: str | None = None):
    """Suspend (members can no longer act as it, from their next request) or reactivate the company. Audited."""
    motivo = limpiar(motivo)
    if not (5 <= len(motivo) <= 500) or not _RE_TEXTO.fullmatch(motivo):
        raise ErroresValidacion({"motivo": [MSG_MOTIVO]})
    empresa = _empresa(session, empresa_id)
    if suspender and empresa.estado == ESTADO_EMPRESA_SUSPENDIDA:
        raise ErrorDominio(MSG_YA_SUSPENDIDA)
    if not suspender and empresa.estado == ESTADO_EMPRESA_ACTIVA:
        raise ErrorDominio(MSG_YA_ACTIVA)
    antes = {"estado": empresa.estado, "motivo_suspension": empresa.motivo_suspension}
    empresa.estado = ESTADO_EMPRESA_SUSPENDIDA if suspender else ESTADO_EMPRESA_ACTIVA
    empresa.motivo_suspension = motivo if suspender else None
    session.flush()
    _auditar_empresa(
        session,
        ACCION_SUSPENSION if suspender else ACCION_REACTIVACION,
        empresa,
        actor_id,
        antes,
        {"estado": empresa.estado, "motivo": motivo},
        ip,
    )
    return empresa


CAMPOS_EDITABLES = (
    "contacto_nombre",
    "contacto_cargo",
    "contacto_correo",
    "contacto_telefono",
    "tamano",
    "sector",
    "sigla",
    "correo",
    "telefono",
    "celular",
    "direccion",
    "direccion_componentes",
)
ACCION_EDICION = "edicion_empresa"


def validar_edicion(datos: dict, en_colombia: bool = True) -> dict:
    """The company data an administrator may change later (NIT, razón social and representante legal are not
    among them: the NIT never changes and the representante legal is changed by Invima). Same rules as the
    registration form; the country is not edited, `en_colombia` says which address the dialog takes."""
    limpio, encontrados = revisar(DatosEditables(), datos)
    errores = Errores(encontrados)
    _direccion(errores, limpio, datos, en_colombia)
    errores.lanzar_si_hay()
    return limpio


def en_colombia(empresa: Empresa) -> bool:
    """Whether the company's address is a Colombian one (a company registered without country counts as one)."""
    return empresa.pais is None or empresa.pais.codigo == "CO"


def valores_de_edicion(empresa: Empresa) -> dict[str, str]:
    """The editable data as form values, the «Ingrese la dirección» dialog prefilled from the stored parts
    (an address typed before the dialog existed opens as its free text)."""
    valores = {c: getattr(empresa, c) or "" for c in CAMPOS_EDITABLES if c != "direccion_componentes"}
    valores.update(ubicacion.datos_de_direccion(empresa.direccion, empresa.direccion_componentes))
    return valores


def actualizar_datos(session, empresa_id: int, actor_id: int, limpio: dict, ip: str | None = None) -> Empresa:
    """Apply validated changes to the company one acts as, with an audit row of what changed (before/after)."""
    empresa = session.scalar(select(Empresa).where(Empresa.id == empresa_id).with_for_update())
    if empresa is None:
        raise ErrorDominio(MSG_EMPRESA_NO_EXISTE)
    antes, despues = {}, {}
    for campo in CAMPOS_EDITABLES:
        nuevo = limpio.get(campo)
        if getattr(empresa, campo) != nuevo:
            antes[campo], despues[campo] = getattr(empresa, campo), nuevo
            setattr(empresa, campo, nuevo)
    if despues:
        _auditar_empresa(session, ACCION_EDICION, empresa, actor_id, antes, despues, ip)
    return empresa
