"""Mi perfil (manual 4.6): personal data, e-mail change confirmed by code, RT/DT professions, password change.

Every function validates first and only then touches the account; none commits (the view does). Errors are
ErroresValidacion {campo: [mensajes]} keyed by the form field names of the profile forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from marshmallow import ValidationError, validates
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from app.models.personas import Usuario, UsuarioProfesion
from app.models.referencias import GrupoEtnico, NivelAcademico, Profesion, SexoNacer
from app.models.verificacion import PROPOSITO_CAMBIO_CORREO, PROPOSITO_RECUPERACION, Verificacion
from app.services import outbox, ubicacion
from app.services.cuentas import contrasenas, verificaciones
from app.services.cuentas.identificacion import MSG_NACIMIENTO_INVALIDA, correo_registrado, problema_de_nacimiento
from app.services.errores import ErrorDominio, Errores, ErroresValidacion, NoEncontrado
from app.services.esquemas import Correo, Eleccion, Esquema, Fecha, correo_valido, revisar
from app.services.ids import como_id
from app.services.reloj import ahora
from app.services.texto import normalizar_correo

MSG_ACTUALIZADO = "La información se actualizó correctamente."
MSG_REQUERIDO = "Este campo es obligatorio."
MSG_OPCION_INVALIDA = "Seleccione una opción válida de la lista."
MSG_MAXIMO = "Máximo {n} caracteres."
MSG_CORREO_INVALIDO = "Ingrese un correo electrónico válido (por ejemplo, nombre@dominio.com)."
MSG_CORREO_EN_USO = "El correo electrónico ya está registrado en otra cuenta. Use una dirección diferente."
MSG_CORREO_ALTERNATIVO_IGUAL = "El correo electrónico alternativo debe ser diferente del correo electrónico principal."
MSG_SIN_CAMBIO_PENDIENTE = "No hay un cambio de correo electrónico pendiente. Solicítelo de nuevo desde Mi perfil."
MSG_CORREO_CONFIRMADO = "Su correo electrónico se actualizó a {correo}."
MSG_TARJETA_INVALIDA = "La tarjeta profesional solo admite letras, números y guiones (entre 3 y 30 caracteres)."
MSG_TARJETA_EN_USO = "El número de tarjeta profesional ya está registrado en la plataforma. Verifique el número."
MSG_PROFESION_REPETIDA = "Esta profesión ya está registrada en su perfil."
MSG_PROFESION_NO_EXISTE = "La profesión no existe o no pertenece a su perfil."
MSG_INVITACIONES_APAGADAS = (
    "Active la opción «¿Permitir que me lleguen invitaciones de responsable técnico / director técnico?» "
    "para registrar profesiones."
)


# Fields of "Información general" the profile form may change; the location ones are those of
# app/services/ubicacion.py, checked by the same rules as in the signup. Nacionalidad, tipo/número de
# identificación, nombres and apellidos are deliberately absent: whatever is posted for them is never read.
CAMPOS_GENERALES = ("correo_alternativo", "fecha_nacimiento", "sexo_nacer_id", "nivel_academico_id", "grupo_etnico_id")

_TARJETA = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,29}$")


# ---------------------------------------------------------------------------------------------------------
# Información general


def _lista(modelo) -> Eleccion:
    return Eleccion(modelo, MSG_OPCION_INVALIDA, requerido=MSG_REQUERIDO)


class InformacionPerfil(Esquema):
    """The editable «Información general» of Mi perfil. Context: `usuario`, `hoy`, `edad_minima`."""

    correo_alternativo = Correo(invalido=MSG_CORREO_INVALIDO)
    fecha_nacimiento = Fecha(requerido=MSG_REQUERIDO, invalido=MSG_NACIMIENTO_INVALIDA)
    sexo_nacer_id = _lista(SexoNacer)
    nivel_academico_id = _lista(NivelAcademico)
    grupo_etnico_id = _lista(GrupoEtnico)

    @validates("correo_alternativo")
    def _distinto_del_principal(self, alternativo: str, **kwargs) -> None:
        if alternativo == normalizar_correo(self.usuario.email):
            raise ValidationError(MSG_CORREO_ALTERNATIVO_IGUAL)

    @validates("fecha_nacimiento")
    def _edad(self, nacimiento: date, **kwargs) -> None:
        if problema := problema_de_nacimiento(nacimiento, self.hoy, self.edad_minima):
            raise ValidationError(problema)


def actualizar_informacion(
    session,
    usuario: Usuario,
    datos: Mapping[str, str],
    edad_minima: int,
    hoy: date | None = None,
) -> bool:
    """Validate every editable field of Mi perfil and, only if all are valid, write them to the account.

    "Datos de ubicación" follow the signup's rules (`ubicacion.revisar_ubicacion`): the address is composed
    from the "Ingrese la dirección" dialog and stored with its components. Read-only fields (nacionalidad,
    identificación, nombres, apellidos) are never read from `datos`. Returns True if anything changed.
    Raises ErroresValidacion with one entry per wrong field; then nothing on the account is modified.
    """
    esquema = InformacionPerfil(session, usuario=usuario, hoy=hoy or ahora().date(), edad_minima=edad_minima)
    valores, encontrados = revisar(esquema, datos)
    lugar, errores_ubicacion = ubicacion.revisar_ubicacion(session, datos)
    errores = Errores(encontrados)
    errores.sumar(errores_ubicacion)
    errores.lanzar_si_hay()

    nuevos: dict[str, object] = {campo: valores.get(campo) for campo in CAMPOS_GENERALES}
    nuevos.update(ubicacion.atributos_de_usuario(lugar))
    cambio = False
    for campo, valor in nuevos.items():
        if getattr(usuario, campo) != valor:
            setattr(usuario, campo, valor)
            cambio = True
    session.flush()
    return cambio


# ---------------------------------------------------------------------------------------------------------
# Cambio de correo electrónico (the old address stays until the new one is confirmed)


def _enmascarar(correo: str) -> str:
    local, _, dominio = correo.partition("@")
    return f"{local[:2]}{'*' * max(1, len(local) - 2)}@{dominio}"


def validar_nuevo_correo(session, usuario: Usuario, nuevo: str) -> str:
    """Normalised new address, or ErroresValidacion on field `email`. None of this touches the account."""
    nuevo = normalizar_correo(nuevo)
    if not nuevo:
        raise ErroresValidacion({"email": [MSG_REQUERIDO]})
    if not correo_valido(nuevo):
        raise ErroresValidacion({"email": [MSG_CORREO_INVALIDO]})
    if correo_registrado(session, nuevo, excepto_id=usuario.id):
        raise ErroresValidacion({"email": [MSG_CORREO_EN_USO]})
    return nuevo


def solicitar_cambio_correo(session, usuario: Usuario, nuevo: str, vigencia: timedelta) -> verificaciones.Emitida:
    """Start an e-mail change: a 6-digit code goes to the NEW address, a notice (no code) to the current one.

    The account keeps its current e-mail until `confirmar_cambio_correo` succeeds. A new request voids the
    previous code. Raises ErroresValidacion (field `email`) if the address is invalid or taken.
    """
    nuevo = validar_nuevo_correo(session, usuario, nuevo)
    if nuevo == normalizar_correo(usuario.email):
        raise ErroresValidacion({"email": ["El correo electrónico nuevo es igual al actual."]})
    emitida = verificaciones.emitir(session, usuario.id, PROPOSITO_CAMBIO_CORREO, vigencia, con_codigo=True, dato=nuevo)
    minutos = int(vigencia.total_seconds() // 60)
    outbox.encolar(
        session,
        nuevo,
        "Código para confirmar su nuevo correo en InvimÁgil",
        "cambio_correo",
        tipo="codigo",
        nombre=usuario.first_name,
        codigo=emitida.codigo,
        minutos=minutos,
        nuevo=nuevo,
    )
    outbox.encolar(
        session,
        usuario.email,
        "Solicitud de cambio de correo en InvimÁgil",
        "cambio_correo",
        tipo="aviso",
        nombre=usuario.first_name,
        nuevo=_enmascarar(nuevo),
        minutos=minutos,
    )
    return emitida


def cambio_correo_pendiente(session, usuario: Usuario) -> Verificacion | None:
    """The pending, still valid e-mail change of this person (None if there is none or it expired)."""
    verificacion = verificaciones.vigente(session, usuario.id, PROPOSITO_CAMBIO_CORREO)
    return verificacion if verificaciones.estado(verificacion) == "valida" else None


def confirmar_cambio_correo(session, usuario: Usuario, codigo: str, max_intentos: int) -> str:
    """Check the code sent to the new address and, if right, make that address the account's e-mail.

    Wrong codes are counted (the code is void after `max_intentos`); the caller must commit even when this
    raises. The address is checked again for uniqueness, since another account may have taken it meanwhile.
    Returns the new address.
    """
    verificacion = verificaciones.vigente(session, usuario.id, PROPOSITO_CAMBIO_CORREO, bloquear=True)
    if verificacion is None:
        raise ErroresValidacion({"codigo": [MSG_SIN_CAMBIO_PENDIENTE]})
    codigo = (codigo or "").strip()
    if not codigo:
        raise ErroresValidacion({"codigo": ["Ingrese el código de 6 dígitos que enviamos a su nuevo correo."]})
    try:
        verificaciones.comprobar_codigo(verificacion, codigo, max_intentos)
    except ErrorDominio as error:
        mensaje = error.mensaje
        if mensaje == verificaciones.MSG_VENCIDO:
            mensaje = "El código venció. Solicite de nuevo el cambio de correo electrónico desde Mi perfil."
        raise ErroresValidacion({"codigo": [mensaje]}) from error
    nuevo = verificacion.dato or ""
    if correo_registrado(session, nuevo, excepto_id=usuario.id):
        verificacion.anulado_en = ahora()
        raise ErroresValidacion({"codigo": [MSG_CORREO_EN_USO]})
    anterior = usuario.email
    usuario.email = nuevo
    verificaciones.marcar_usada(verificacion)
    if normalizar_correo(usuario.correo_alternativo) == nuevo:
        usuario.correo_alternativo = None
    outbox.encolar(
        session,
        anterior,
        "Su correo en InvimÁgil fue cambiado",
        "cambio_correo",
        tipo="confirmado",
        nombre=usuario.first_name,
        nuevo=_enmascarar(nuevo),
    )
    session.flush()
    return nuevo


def cancelar_cambio_correo(session, usuario: Usuario) -> bool:
    """Void the pending e-mail change, if any. Returns True if there was one."""
    return bool(verificaciones.anular(session, usuario.id, PROPOSITO_CAMBIO_CORREO))


# ---------------------------------------------------------------------------------------------------------
# Invitaciones RT/DT y profesiones (manual 4.6.1.1)


def cambiar_invitaciones(usuario: Usuario, permitir: bool) -> None:
    """Turn the RT/DT switch on or off. Turning it off keeps the professions, which come back when on again."""
    usuario.acepta_invitaciones_rt_dt = bool(permitir)


def puede_recibir_invitaciones_rt_dt(usuario: Usuario) -> bool:
    """True when the person allows RT/DT invitations AND has declared at least one profession."""
    return bool(usuario.acepta_invitaciones_rt_dt) and len(usuario.profesiones) > 0


def normalizar_tarjeta(valor: str) -> str:
    return re.sub(r"\s+", "", (valor or "")).upper()


def profesion_propia(session, usuario: Usuario, fila_id: int) -> UsuarioProfesion:
    """The profession row `fila_id` if it belongs to `usuario`; NoEncontrado otherwise (same answer either way)."""
    fila = session.get(UsuarioProfesion, fila_id) if como_id(fila_id) is not None else None
    if fila is None or fila.usuario_id != usuario.id:
        raise NoEncontrado(MSG_PROFESION_NO_EXISTE)
    return fila


def _validar_profesion(
    session, usuario: Usuario, profesion_id: str, tarjeta: str, fila: UsuarioProfesion | None
) -> tuple[int, str]:
    e = Errores()
    if not usuario.acepta_invitaciones_rt_dt:
        raise ErrorDominio(MSG_INVITACIONES_APAGADAS)
    ident = como_id(profesion_id)
    profesion = session.get(Profesion, ident) if ident is not None else None
    if not (profesion_id or "").strip():
        e.agregar("profesion_id", "Seleccione una profesión.")
    elif profesion is None or not profesion.activo:
        e.agregar("profesion_id", MSG_OPCION_INVALIDA)
    elif any(p.profesion_id == profesion.id and p is not fila for p in usuario.profesiones):
        e.agregar("profesion_id", MSG_PROFESION_REPETIDA)
    tarjeta = normalizar_tarjeta(tarjeta)
    if not tarjeta:
        e.agregar("tarjeta_profesional", "Ingrese el número de tarjeta profesional.")
    elif not _TARJETA.match(tarjeta):
        e.agregar("tarjeta_profesional", MSG_TARJETA_INVALIDA)
    else:
        q = select(UsuarioProfesion.id).where(func.upper(UsuarioProfesion.tarjeta_profesional) == tarjeta)
        if fila is not None:
            q = q.where(UsuarioProfesion.id != fila.id)
        if session.scalar(q.limit(1)) is not None:
            e.agregar("tarjeta_profesional", MSG_TARJETA_EN_USO)
    e.lanzar_si_hay()
    return profesion.id, tarjeta


def _guardar_unica(session, cambio) -> None:
    """Apply `cambio` inside a savepoint so a concurrent duplicate tarjeta becomes a field error, not a 500."""
    try:
        with session.begin_nested():
            cambio()
            session.flush()
    except IntegrityError as error:
        raise ErroresValidacion({"tarjeta_profesional": [MSG_TARJETA_EN_USO]}) from error


def agregar_profesion(session, usuario: Usuario, profesion_id: str, tarjeta: str) -> UsuarioProfesion:
    """Add a profession with its tarjeta profesional (unique across ALL accounts)."""
    pid, tarjeta = _validar_profesion(session, usuario, profesion_id, tarjeta, None)
    fila = UsuarioProfesion(usuario_id=usuario.id, profesion_id=pid, tarjeta_profesional=tarjeta)

    def cambio():
        session.add(fila)

    _guardar_unica(session, cambio)
    session.refresh(usuario, ["profesiones"])
    return fila


def editar_profesion(session, usuario: Usuario, fila_id: int, profesion_id: str, tarjeta: str) -> UsuarioProfesion:
    """Change one of the person's own profession rows (NoEncontrado for anyone else's)."""
    fila = profesion_propia(session, usuario, fila_id)
    pid, tarjeta = _validar_profesion(session, usuario, profesion_id, tarjeta, fila)

    def cambio():
        fila.profesion_id = pid
        fila.tarjeta_profesional = tarjeta

    _guardar_unica(session, cambio)
    session.refresh(fila)
    return fila


def eliminar_profesion(session, usuario: Usuario, fila_id: int) -> None:
    """Delete one of the person's own profession rows (NoEncontrado for anyone else's)."""
    fila = profesion_propia(session, usuario, fila_id)
    session.delete(fila)
    session.flush()
    session.refresh(usuario, ["profesiones"])


# ---------------------------------------------------------------------------------------------------------
# Cambiar contraseña (manual 4.6.2)


def cambiar_contrasena(session, usuario: Usuario, actual: str, nueva: str, confirmacion: str) -> None:
    """Check the current password and the one policy, then set the new password.

    Errors (ErroresValidacion) on fields `actual`, `nueva`, `confirmacion`; every broken rule has its own
    message. On success, outstanding password-recovery links stop working and the account's e-mail is told of the
    change (contrasenas.avisar_cambio).
    """
    errores: dict[str, list[str]] = {}
    actual_ok = bool(actual) and bool(usuario.password) and check_password_hash(usuario.password, actual)
    if not actual:
        errores["actual"] = ["Ingrese su contraseña actual."]
    elif not actual_ok:
        errores["actual"] = [contrasenas.MSG_ACTUAL_INCORRECTA]
    try:
        contrasenas.validar_nueva(
            nueva,
            confirmacion,
            hash_actual=usuario.password if actual_ok else None,
            campo="nueva",
            campo_confirmacion="confirmacion",
        )
    except ErroresValidacion as error:
        for campo, mensajes in error.errores.items():
            errores.setdefault(campo, []).extend(mensajes)
    if actual_ok and nueva and nueva == actual and contrasenas.MSG_IGUAL_ACTUAL not in errores.get("nueva", []):
        errores.setdefault("nueva", []).append(contrasenas.MSG_IGUAL_ACTUAL)
    if errores:
        raise ErroresValidacion(errores)
    usuario.password = contrasenas.cifrar(nueva)
    usuario.fail_login_count = 0
    verificaciones.anular(session, usuario.id, PROPOSITO_RECUPERACION)
    contrasenas.avisar_cambio(session, usuario, contrasenas.MEDIO_PERFIL)
    session.flush()


def guardar_informacion(
    session, usuario: Usuario, datos: Mapping[str, str], edad_minima: int, correo_nuevo: str, vigencia: timedelta
) -> bool:
    """Mi perfil's "Guardar": the general information and, if the e-mail changed, the start of that change.

    Every error of both parts comes back at once (ErroresValidacion); nothing is saved then. Returns True when the
    e-mail change was started (a code went to the new address).
    """
    errores: dict[str, list[str]] = {}
    try:
        actualizar_informacion(session, usuario, datos, edad_minima=edad_minima)
    except ErroresValidacion as error:
        errores.update(error.errores)
    cambia_correo = normalizar_correo(correo_nuevo) != normalizar_correo(usuario.email)
    if cambia_correo:
        try:
            validar_nuevo_correo(session, usuario, correo_nuevo)
        except ErroresValidacion as error:
            errores.update(error.errores)
    if errores:
        raise ErroresValidacion(errores)
    if cambia_correo:
        solicitar_cambio_correo(session, usuario, correo_nuevo, vigencia)
    return cambia_correo
