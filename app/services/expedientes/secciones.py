"""The sections of the filing form (ASS-RSA-FM003, seed 004), declared once: each field's label, kind and rules.

A `Seccion` lists its `Campo`s; `esquema(seccion)` builds the marshmallow schema (app/services/esquemas.py) that
checks what was posted, and the page (expedientes/seccion.html) draws the same fields. Which sections a filing has
depends on its trámite version (`secciones_de`): 1.2 (transacción bancaria) not for desgloses, cancelaciones or
trámites without tarifa; the trámite's own data by its tipo (a renovación cites the registro and its vigencia, a
registro names the product and its fabricante, envasador, importador, acondicionador as repeatable rows, …).

1.3 (clase) and 1.4 (tipo de trámite) are the trámite chosen from the catalog: one of each by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from marshmallow import ValidationError, fields

from app.models.catalogo import TramiteVersion
from app.services.esquemas import Correo, Esquema, Fecha, Texto, revisar
from app.services.fechas import hoy_en_bogota

SI_NO = (("si", "Sí"), ("no", "No"))
CALIDADES = (("representante_legal", "Representante legal"), ("apoderado", "Apoderado"))
ROLES_PRODUCTO = (
    ("Fabricante", "Fabricante"),
    ("Envasador", "Envasador"),
    ("Importador", "Importador"),
    ("Acondicionador", "Acondicionador"),
)
MAX_FILAS = 20

MSG_REQUERIDO = "Este campo es obligatorio."
MSG_ELECCION = "Elija una de las opciones."
MSG_FECHA = "Escriba una fecha válida (AAAA-MM-DD)."
MSG_FECHA_FUERA = "Escriba una fecha entre {desde} y {hasta} (AAAA-MM-DD)."
# The form's dates (a registro's vencimiento, a radicado's fecha) fall in the life of today's registros: none was
# granted before 1950 and none runs for more than ten years (plaguicidas); 9999-12-31 is a typing slip.
FECHA_MINIMA = date(1950, 1, 1)
ANIOS_HACIA_ADELANTE = 20
MSG_CORREO = "Escriba un correo electrónico válido."
MSG_VALOR = "Escriba el valor en pesos, sin centavos: solo números, con o sin puntos de miles (por ejemplo 1250000 o 1.250.000)."
MSG_TP = "El apoderado debe indicar su tarjeta profesional (T.P.)."
MSG_CORREO_NOTIFICACION = "Para autorizar la notificación electrónica escriba el correo de notificación."
MSG_FABRICANTE = "Indique al menos el fabricante del producto."
MSG_FILAS = f"Máximo {MAX_FILAS} filas."
MSG_REGISTRO_ANTERIOR = "Si el producto tuvo un registro sanitario, escriba su número y su fecha de vencimiento."
MSG_DECLARACION = "Debe aceptar la declaración para continuar."
MSG_TELEFONO = "Escriba un teléfono: dígitos, espacios, guiones, paréntesis y un «+» inicial (de 7 a 30 caracteres)."
MSG_DOCUMENTO = "Escriba el documento con letras, dígitos, espacios, puntos y guiones (de 3 a 30 caracteres)."
PATRON_TELEFONO = r"\+?[0-9][0-9 ()\-]{5,28}[0-9]"
PATRON_DOCUMENTO = r"[0-9A-Za-z][0-9A-Za-z .\-]{1,28}[0-9A-Za-z]"


@dataclass(frozen=True)
class Campo:
    nombre: str
    etiqueta: str
    tipo: str = "texto"  # texto, area, fecha, correo, valor, telefono, documento, eleccion, casilla, filas, varias
    requerido: bool = True
    maximo: int = 200
    opciones: tuple[tuple[str, str], ...] = ()
    ayuda: str = ""
    columnas: tuple[Campo, ...] = ()  # the columns of a `filas` field
    # (campo, valor, mensaje): only asked when that other field of the section has that answer; then it is required
    # (`mensaje` when missing), otherwise whatever was written in it is dropped, never kept beside a contrary answer.
    solo_si: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Seccion:
    codigo: str
    titulo: str
    campos: tuple[Campo, ...]
    ayuda: str = ""
    reglas: tuple = field(default=())  # callables (datos) -> {campo: [mensajes]}


# ---------------------------------------------------------------- 1.1, 1.2, notificación, declaración

TITULAR = Seccion(
    "titular",
    "1.1 Datos generales del titular",
    (
        Campo("nombre", "Nombre o razón social"),
        Campo("direccion", "Dirección"),
        Campo("domicilio", "Domicilio (ciudad)", maximo=120),
        Campo("pais", "País", maximo=80),
        Campo("calidad", "Firma como", "eleccion", opciones=CALIDADES),
        Campo("firmante_nombre", "Nombre del representante legal o apoderado", maximo=150),
        Campo("firmante_identificacion", "C.C. / C.E. / NIT / PEP", "documento", maximo=30),
        Campo(
            "tarjeta_profesional",
            "T.P. No. (solo apoderados)",
            requerido=False,
            maximo=30,
            solo_si=("calidad", "apoderado", MSG_TP),
        ),
        Campo("notificacion_direccion", "Dirección de notificación"),
        Campo("notificacion_domicilio", "Domicilio de notificación (ciudad)", maximo=120),
        Campo("correo", "Correo electrónico", "correo", maximo=320),
        Campo("telefono", "Teléfono", "telefono", maximo=30),
    ),
    ayuda="Como consta en el certificado de existencia y representación legal o en el registro mercantil.",
)

PAGO = Seccion(
    "pago",
    "1.2 Responsable de la transacción bancaria",
    (
        Campo("nombre", "Nombre", maximo=150),
        Campo("identificacion", "C.C. / C.E. / NIT / PEP", "documento", maximo=30),
        Campo("direccion", "Dirección"),
        Campo("telefono", "Teléfono", "telefono", maximo=30),
        Campo("ciudad", "Ciudad", maximo=120),
        Campo("consignacion", "No. consignación (referencia)", maximo=60),
        Campo("tarifa", "Código de la tarifa", "eleccion"),
        Campo("valor", "Valor (pesos)", "valor", maximo=20),
        Campo(
            "tercero",
            "Autorización de uso de la tasa de un tercero al titular",
            "eleccion",
            opciones=SI_NO,
            ayuda="Si la tasa no figura a nombre del titular, adjunte en Documentos el soporte de la cesión.",
        ),
    ),
)

NOTIFICACION = Seccion(
    "notificacion",
    "Notificación electrónica",
    (
        Campo(
            "autoriza",
            "Autorizo al Invima a realizar la notificación de manera electrónica de acuerdo con los artículos 54 y 56 "
            "de la Ley 1437 de 2011 al correo electrónico suministrado en este formulario",
            "eleccion",
            opciones=SI_NO,
        ),
        Campo(
            "correo",
            "Correo electrónico de notificación",
            "correo",
            requerido=False,
            maximo=320,
            solo_si=("autoriza", "si", MSG_CORREO_NOTIFICACION),
        ),
    ),
    ayuda=(
        "La notificación quedará surtida a partir de la fecha y hora en que acceda al acto administrativo. Los "
        "términos de recursos y ejecutoria se cuentan desde el día siguiente a aquel en que el mensaje quede en su "
        "bandeja de entrada; revise su correo continuamente e informe al Invima si lo cambia."
    ),
)

DECLARACION = Seccion(
    "declaracion",
    "Declaración",
    (
        Campo(
            "acepta",
            "Declaro que la información presentada en esta solicitud es veraz y comprobable en cualquier momento, que "
            "conozco y acato la normatividad sanitaria vigente, y que este formulario lo suscribe el representante "
            "legal o el apoderado declarado en el numeral 1.1.",
            "casilla",
        ),
    ),
)


# ---------------------------------------------------------------- the trámite's own data, by tipo

_REGISTRO_NUMERO = Campo("registro_numero", "Número de registro sanitario o código NSO", maximo=40)
_EXPEDIENTE = Campo("expediente_numero", "Expediente", requerido=False, maximo=40)
_NOMBRE = Campo("nombre_producto", "Nombre del producto")
_MOTIVO = Campo("motivo", "Motivo de la solicitud", "area", maximo=2000)
_FILAS_ROLES = Campo(
    "roles",
    "Fabricante, envasador, importador y acondicionador",
    "filas",
    columnas=(
        Campo("rol", "Rol", "eleccion", opciones=ROLES_PRODUCTO),
        Campo("nombre", "Nombre o razón social", maximo=200),
        Campo("direccion", "Dirección", maximo=200),
        Campo("ciudad_pais", "Ciudad / país", maximo=120),
    ),
)


def _con_fabricante(datos: dict) -> dict:
    if not any(f.get("rol") == "Fabricante" for f in datos.get("roles") or ()):
        return {"roles": [MSG_FABRICANTE]}
    return {}


_SI_EXISTIO = ("existio_registro", "si", MSG_REGISTRO_ANTERIOR)

PRODUCTO_NUEVO = Seccion(
    "producto",
    "Datos del producto",
    (
        _NOMBRE,
        Campo("marca", "Marca", requerido=False),
        Campo("tipo_producto", "Tipo de producto (p. ej. insecticida, champú, detergente)", maximo=120),
        Campo("presentaciones", "Presentaciones comerciales", "area", maximo=2000),
        Campo(
            "existio_registro",
            "¿Para el producto existe o existió algún registro sanitario?",
            "eleccion",
            opciones=SI_NO,
        ),
        Campo("registro_anterior", "Número de ese registro", requerido=False, maximo=40, solo_si=_SI_EXISTIO),
        Campo(
            "registro_anterior_vencimiento",
            "Fecha de vencimiento de ese registro",
            "fecha",
            requerido=False,
            solo_si=_SI_EXISTIO,
        ),
        _FILAS_ROLES,
    ),
    reglas=(_con_fabricante,),
)

RENOVACION = Seccion(
    "producto",
    "Registro que se renueva",
    (
        _REGISTRO_NUMERO,
        _EXPEDIENTE,
        Campo("vencimiento", "Vigencia: fecha de vencimiento del registro o NSO", "fecha"),
        _NOMBRE,
        Campo("marca", "Marca", requerido=False),
    ),
)

MODIFICACION = Seccion(
    "producto",
    "Registro que se modifica",
    (
        _REGISTRO_NUMERO,
        _EXPEDIENTE,
        _NOMBRE,
        Campo("tipos", "Modificaciones que va a realizar", "varias"),
        Campo("descripcion", "Descripción de los cambios", "area", maximo=4000),
    ),
)

CERTIFICADO = Seccion(
    "producto",
    "Producto a certificar",
    (
        Campo("registro_numero", "Número de registro sanitario o código NSO (si lo tiene)", requerido=False, maximo=40),
        _EXPEDIENTE,
        _NOMBRE,
        Campo("observaciones", "Observaciones", "area", requerido=False, maximo=2000),
        Campo("pais_destino", "País de destino (opcional)", requerido=False, maximo=80),
    ),
)

AGOTAMIENTO = Seccion(
    "producto",
    "Producto a agotar",
    (
        _REGISTRO_NUMERO,
        _NOMBRE,
        Campo("lote", "Número de lote", maximo=60),
        Campo("cantidad", "Cantidad a agotar y presentación comercial", maximo=200),
        Campo("vencimiento", "Fecha de vencimiento del registro", "fecha"),
        _MOTIVO,
    ),
)

DESGLOSE = Seccion(
    "producto",
    "Documentos a desglosar",
    (
        _REGISTRO_NUMERO,
        _EXPEDIENTE,
        _NOMBRE,
        Campo("radicado_origen", "Radicado bajo el cual ingresaron al Instituto", maximo=40),
        Campo("fecha_radicado", "Fecha de ese radicado", "fecha"),
        Campo("folios", "Folios", maximo=60),
        _MOTIVO,
    ),
)

CANCELACION = Seccion(
    "producto",
    "Registro que se cancela",
    (Campo("nombre_producto", "Nombre y marca del producto"), _REGISTRO_NUMERO, _EXPEDIENTE, _MOTIVO),
)

# 003 §5.1.1: the sectors of article 3 of Decreto 636 de 2020 a communication may cover, numbered as the decree.
SECTORES_OEC = (
    (
        "7",
        "7. Cadena de medicamentos, productos farmacéuticos, insumos, productos de limpieza, desinfección y aseo "
        "personal, equipos y dispositivos de tecnologías en salud, y los establecimientos que los comercializan",
    ),
    ("10", "10. Cadena de insumos y bienes de primera necesidad, reactivos de laboratorio y productos para mascotas"),
    (
        "11",
        "11. Cadena agrícola, pesquera, acuícola, pecuaria y de agroquímicos (fertilizantes, plaguicidas, "
        "fungicidas, herbicidas) y alimentos para animales",
    ),
    ("18", "18. Obras de infraestructura de transporte y obra pública, y su cadena de suministros"),
    ("19", "19. Obras de construcción de edificaciones y el suministro de sus materiales e insumos"),
    ("23", "23. Operación aérea y aeroportuaria y su mantenimiento"),
    (
        "26",
        "26. Infraestructura crítica: computadores, sistemas computacionales, redes de comunicaciones, datos e "
        "información",
    ),
    ("29", "29. Servicios públicos, cadena de hidrocarburos, combustibles, gas y minerales, internet y telefonía"),
    (
        "34",
        "34. Operación y mantenimiento indispensable de empresas, plantas industriales o minas de operación "
        "ininterrumpida",
    ),
    (
        "37",
        "37. Manufacturas textiles, de vestir, cuero y calzado, madera, papel y cartón, químicos, metales, "
        "eléctricos, maquinaria y equipos",
    ),
    (
        "38",
        "38. Manufacturas de vehículos automotores, remolques y semirremolques, motocicletas, muebles, colchones "
        "y somieres",
    ),
)
TIPOS_DOCUMENTO = (
    ("CC", "Cédula de ciudadanía"),
    ("CE", "Cédula de extranjería"),
    ("PA", "Pasaporte"),
    ("PEP", "Permiso especial de permanencia"),
    ("PPT", "Permiso por protección temporal"),
)
MSG_AL_MENOS_UNO = "Registre al menos uno."


def _al_menos_una_fila(*campos: str):
    def regla(datos: dict) -> dict:
        return {c: [MSG_AL_MENOS_UNO] for c in campos if not datos.get(c)}

    return regla


OEC = Seccion(
    "oec",
    "Solicitud de comunicación OEC",
    (
        Campo("codigo_acreditacion", "Código de acreditación por un organismo que forme parte de ILAC", maximo=60),
        Campo("rl_nombre", "Representante legal: nombres y apellidos", maximo=150),
        Campo("rl_identificacion", "Representante legal: tipo y número de documento", "documento", maximo=30),
        Campo("sectores", "Sector económico asociado a la prestación del servicio", "varias", opciones=SECTORES_OEC),
        Campo(
            "responsables",
            "Responsables del servicio y que requieren desplazamiento",
            "filas",
            columnas=(
                Campo("tipo_documento", "Tipo de documento", "eleccion", opciones=TIPOS_DOCUMENTO),
                Campo("numero", "Número de documento", maximo=20),
                Campo("nombres", "Nombres", maximo=100),
                Campo("apellidos", "Apellidos", maximo=100),
            ),
        ),
        Campo(
            "equipos",
            "Equipos, instrumentos, muestras y materiales de referencia que requieren desplazamiento",
            "filas",
            columnas=(Campo("descripcion", "Descripción del elemento", maximo=300),),
        ),
    ),
    ayuda="Esta comunicación solo se podrá solicitar una vez: registre con cuidado las personas y los elementos.",
    reglas=(_al_menos_una_fila("responsables", "equipos"),),
)

POR_TIPO = {
    "registro": PRODUCTO_NUEVO,
    "notificacion": PRODUCTO_NUEVO,
    "otro": PRODUCTO_NUEVO,
    "renovacion": RENOVACION,
    "modificacion": MODIFICACION,
    "certificado": CERTIFICADO,
    "autorizacion": AGOTAMIENTO,
    "agotamiento": AGOTAMIENTO,
    "desglose": DESGLOSE,
    "cancelacion": CANCELACION,
    "comunicacion": OEC,
}
SIN_PAGO = frozenset({"desglose", "cancelacion"})


def secciones_de(version: TramiteVersion) -> tuple[Seccion, ...]:
    """The sections this trámite version's form has, in FM003's order."""
    propias = [TITULAR]
    if version.tipo not in SIN_PAGO and version.tarifas:
        propias.append(PAGO)
    propias.append(POR_TIPO[version.tipo])
    if version.tipo != "comunicacion":  # the INM's communication has no Invima notification (003 §5.1)
        propias.append(NOTIFICACION)
    propias.append(DECLARACION)
    return tuple(propias)


def seccion(version: TramiteVersion, codigo: str) -> Seccion | None:
    return next((s for s in secciones_de(version) if s.codigo == codigo), None)


# ---------------------------------------------------------------- checking what was posted


class _Casilla(fields.Field):
    def _deserialize(self, valor, attr, data, **kwargs):
        if valor not in ("si", "on", "1", "true", True):
            raise ValidationError(MSG_DECLARACION)
        return True


class _Eleccion(Texto):
    def __init__(self, opciones: tuple[str, ...], **kwargs):
        super().__init__(**kwargs)
        self.opciones = opciones

    def _deserialize(self, valor, attr, data, **kwargs):
        valor = super()._deserialize(valor, attr, data, **kwargs)
        if valor not in self.opciones:
            raise ValidationError(MSG_ELECCION)
        return valor


# Whole pesos as Colombians write them: 1250000 or 1.250.000 (dots group thousands), «$» and spaces allowed; a
# decimal comma only with zero centavos (1.250.000,00). Anything else (1250000,50; 1,250,000) is refused, never read
# as another amount.
_PESOS = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,00?)?")


class _Valor(Texto):
    def _deserialize(self, valor, attr, data, **kwargs):
        valor = super()._deserialize(valor, attr, data, **kwargs).replace("$", "").replace(" ", "")
        if not _PESOS.fullmatch(valor):
            raise ValidationError(MSG_VALOR)
        pesos = int(valor.split(",")[0].replace(".", ""))
        if not 0 < pesos < 10**12:
            raise ValidationError(MSG_VALOR)
        return pesos


class _Varias(fields.Field):
    varios = True  # read every posted value (a form's getlist), not the first

    def __init__(self, opciones: tuple[str, ...], **kwargs):
        super().__init__(required=True, error_messages={"required": MSG_ELECCION}, **kwargs)
        self.opciones = opciones

    def _deserialize(self, valor, attr, data, **kwargs):
        elegidas = [v for v in (valor if isinstance(valor, list) else [valor]) if isinstance(v, str)]
        if not elegidas or any(v not in self.opciones for v in elegidas):
            raise ValidationError(MSG_ELECCION)
        return list(dict.fromkeys(elegidas))


class _FechaDelFormulario(Fecha):
    """A date of the form, within FECHA_MINIMA and ANIOS_HACIA_ADELANTE years from today."""

    def _deserialize(self, valor, attr, data, **kwargs):
        fecha = super()._deserialize(valor, attr, data, **kwargs)
        hasta = hoy_en_bogota() + relativedelta(years=ANIOS_HACIA_ADELANTE)
        if not FECHA_MINIMA <= fecha <= hasta:
            raise ValidationError(MSG_FECHA_FUERA.format(desde=FECHA_MINIMA.isoformat(), hasta=hasta.isoformat()))
        return fecha


def _campo_marshmallow(campo: Campo, opciones: dict[str, tuple[str, ...]]):
    requerido = MSG_REQUERIDO if campo.requerido else None
    if campo.tipo == "casilla":
        return _Casilla(required=True, error_messages={"required": MSG_DECLARACION})
    if campo.tipo == "varias":
        return _Varias(opciones.get(campo.nombre) or tuple(v for v, _ in campo.opciones))
    if campo.tipo == "eleccion":
        validas = opciones.get(campo.nombre) or tuple(v for v, _ in campo.opciones)
        return _Eleccion(validas, requerido=MSG_ELECCION if campo.requerido else None)
    if campo.tipo == "fecha":
        return _FechaDelFormulario(requerido=requerido, invalido=MSG_FECHA)
    if campo.tipo == "correo":
        return Correo(requerido=requerido, invalido=MSG_CORREO, maximo=campo.maximo)
    if campo.tipo == "valor":
        return _Valor(requerido=requerido, maximo=campo.maximo, mensaje_maximo=MSG_VALOR)
    if campo.tipo in PATRONES:
        patron, invalido = PATRONES[campo.tipo]
        return Texto(requerido=requerido, maximo=campo.maximo, patron=patron, invalido=invalido)
    return Texto(requerido=requerido, maximo=campo.maximo)


PATRONES = {"telefono": (PATRON_TELEFONO, MSG_TELEFONO), "documento": (PATRON_DOCUMENTO, MSG_DOCUMENTO)}


def esquema(campos: tuple[Campo, ...], opciones: dict[str, tuple[str, ...]] | None = None) -> Esquema:
    """The marshmallow schema of these fields (`opciones`: the valid values of choices the catalog fills)."""
    opciones = opciones or {}
    declarados = {c.nombre: _campo_marshmallow(c, opciones) for c in campos if c.tipo != "filas"}
    return Esquema.from_dict(declarados, name="EsquemaSeccion")()


def filas_posteadas(datos, campo: Campo) -> list[dict]:
    """The rows of a `filas` field as posted (`<campo>-<i>-<columna>`), in the order of `i`, empty rows dropped.
    Every posted index counts, whatever its number (a crafted form's row 25 is read, and counted, not lost)."""
    columnas = {c.nombre for c in campo.columnas}
    indices = {}
    for clave in datos.keys():
        prefijo, _, columna = clave.rpartition("-")
        nombre, _, indice = prefijo.partition("-")
        if nombre == campo.nombre and columna in columnas and indice.isascii() and indice.isdigit():
            indices[int(indice)] = indice
    filas = []
    for _, i in sorted(indices.items()):
        fila = {c.nombre: datos.get(f"{campo.nombre}-{i}-{c.nombre}", "") for c in campo.columnas}
        if any(isinstance(v, str) and v.strip() for v in fila.values()):
            filas.append(fila)
    return filas


def _condicionados(sec: Seccion, validos: dict, errores: dict) -> None:
    """Apply the fields' `solo_si`: required under their answer, dropped under any other."""
    for campo in (c for c in sec.campos if c.solo_si):
        otro, valor, mensaje = campo.solo_si
        if validos.get(otro) != valor:  # not asked: neither kept nor complained about
            validos.pop(campo.nombre, None)
            errores.pop(campo.nombre, None)
        elif not validos.get(campo.nombre) and campo.nombre not in errores:
            errores[campo.nombre] = [mensaje]


def revisar_seccion(sec: Seccion, datos, opciones: dict | None = None) -> tuple[dict, dict[str, list[str]]]:
    """({campo: valor}, {campo: [mensajes]}) of a posted section: its fields, its rows, then its own rules."""
    validos, errores = revisar(esquema(sec.campos, opciones), datos)
    for campo in (c for c in sec.campos if c.tipo == "filas"):
        filas = filas_posteadas(datos, campo)
        if len(filas) > MAX_FILAS:
            errores[campo.nombre] = [MSG_FILAS]
            continue
        limpias = []
        for i, fila in enumerate(filas, 1):
            valor, malos = revisar(esquema(campo.columnas), fila)
            etiquetas = {c.nombre: c.etiqueta for c in campo.columnas}
            for columna, mensajes in malos.items():
                errores.setdefault(campo.nombre, []).extend(f"Fila {i}, {etiquetas[columna]}: {m}" for m in mensajes)
            limpias.append(valor)
        validos[campo.nombre] = limpias
    _condicionados(sec, validos, errores)
    if not errores:
        for regla in sec.reglas:
            for campo, mensajes in regla(validos).items():
                errores.setdefault(campo, []).extend(mensajes)
    return validos, errores
