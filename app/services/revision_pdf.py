"""What an uploaded PDF must be: a real PDF (parsed with pypdf), with pages, readable, and without active content.

Refused, each with its own Spanish message:
- bytes before the `%PDF-` header, or HTML tags in the first KB: a PDF/HTML polyglot, which a browser that sniffs
  the content could run as a web page;
- anything pypdf cannot parse, a PDF without pages, an encrypted PDF that cannot be opened without a password;
- active content, wherever it sits in the object graph: JavaScript (`/JS`, the `/JavaScript` name tree or action),
  actions that launch programs, open or import other files or send form data (`/Launch`, `/GoToR`, `/GoToE`,
  `/SubmitForm`, `/ImportData`), embedded files (`/EmbeddedFiles`, `/EmbeddedFile`, `/EF`, file attachment
  annotations), multimedia (`/RichMedia`, `/Screen`, `/Movie`, `/Sound`, `/3D`, `/Rendition`) and XFA forms.
  `/OpenAction` and `/AA` are judged by the actions they trigger: opening at a page or following a web link is fine,
  running a script is not.

Every indirect object listed in the cross-reference (including those inside object streams) is visited once,
without decoding content streams; pypdf caps decompression. Past MAX_OBJETOS objects in the cross-reference the file
is refused rather than spending seconds of a request on it: walking 20 000 objects takes 0.7–1 s on the reference
machine (reading a 10 MB table of 200 000 before refusing it, 1.2–1.4 s); a registration document has a few
hundred.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from app.services.errores import ErrorDominio

MAX_OBJETOS = 20_000

MSG_NO_PDF = "El archivo debe ser un documento PDF válido (se revisa su contenido, no solo la extensión)."
MSG_DANADO = "El archivo PDF está dañado o incompleto; genere el PDF de nuevo e intente otra vez."
MSG_CONTENIDO_PREVIO = (
    "El archivo tiene contenido antes del encabezado del PDF; no se aceptan archivos que mezclan el PDF con otro "
    "formato. Genere el PDF de nuevo e intente otra vez."
)
MSG_HTML = (
    "El archivo contiene código de página web (HTML) al comienzo; no se aceptan archivos que mezclan el PDF con "
    "otro formato. Genere el PDF de nuevo e intente otra vez."
)
MSG_SIN_PAGINAS = "El archivo PDF no tiene páginas."
MSG_CIFRADO = (
    "El archivo PDF está protegido con contraseña o cifrado y no se puede revisar; guárdelo sin protección e "
    "intente otra vez."
)
MSG_DEMASIADOS_OBJETOS = (
    "El archivo PDF es demasiado complejo para revisarlo; guárdelo de nuevo como PDF (por ejemplo con «Imprimir → "
    "Guardar como PDF») e intente otra vez."
)
MSG_ACTIVO = (
    "El archivo PDF contiene {que}, que no se acepta por seguridad. Guárdelo de nuevo como PDF sin scripts, "
    "adjuntos ni multimedia (por ejemplo con «Imprimir → Guardar como PDF») e intente otra vez."
)

JAVASCRIPT = "JavaScript"
ACCIONES_EXTERNAS = "acciones que abren programas u otros archivos o envían datos"
ADJUNTOS = "archivos adjuntos"
MULTIMEDIA = "contenido multimedia"
XFA = "un formulario XFA"

# Action types (the /S of an action dictionary) that run or fetch something.
ACCIONES_ACTIVAS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": ACCIONES_EXTERNAS,
    "/GoToR": ACCIONES_EXTERNAS,
    "/GoToE": ADJUNTOS,
    "/SubmitForm": ACCIONES_EXTERNAS,
    "/ImportData": ACCIONES_EXTERNAS,
    "/Rendition": MULTIMEDIA,
    "/RichMediaExecute": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
}
# Keys whose mere presence means active content (the /JavaScript and /EmbeddedFiles name trees, script code, the
# embedded file of a file specification, XFA forms, rich media settings).
CLAVES_ACTIVAS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,
    "/EmbeddedFiles": ADJUNTOS,
    "/EF": ADJUNTOS,
    "/XFA": XFA,
    "/RichMediaContent": MULTIMEDIA,
    "/RichMediaSettings": MULTIMEDIA,
}
# Object and annotation types (/Type or /Subtype).
TIPOS_ACTIVOS = {
    "/EmbeddedFile": ADJUNTOS,
    "/FileAttachment": ADJUNTOS,
    "/RichMedia": MULTIMEDIA,
    "/Screen": MULTIMEDIA,
    "/Movie": MULTIMEDIA,
    "/Sound": MULTIMEDIA,
    "/3D": MULTIMEDIA,
}

_RE_CABECERA = re.compile(rb"%PDF-[12]\.\d")
_RE_OBJETO = re.compile(rb"\d+\s+\d+\s+obj\b")
# Opening HTML tags a sniffing browser would act on. Single letters such as <a> or <b> are left out: they read as
# PDF hexadecimal strings.
_RE_HTML = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|img|image|meta|style|"
    rb"link|title|form|input|button|textarea|base|video|audio|math|template)[\s/>]",
    re.IGNORECASE,
)
PRIMEROS_BYTES = 1024

_log = logging.getLogger(__name__)


def revisar(contenido: bytes) -> int:
    """Raise ErrorDominio (with the reason in Spanish) unless `contenido` is a readable PDF without active content;
    its number of pages (the folios of a filing) otherwise."""
    _revisar_bytes(contenido)
    try:
        lector = PdfReader(io.BytesIO(contenido), strict=False)
        _abrir(lector)
        paginas = len(lector.pages)
        if paginas == 0:
            raise ErrorDominio(MSG_SIN_PAGINAS)
        activo = _contenido_activo(lector)
    except ErrorDominio:
        raise
    except Exception as error:  # noqa: BLE001 — pypdf raises many kinds on a malformed file; all mean "damaged"
        _log.info("PDF rechazado por ilegible: %s: %s", type(error).__name__, error)
        raise ErrorDominio(MSG_DANADO) from None
    if activo:
        raise ErrorDominio(MSG_ACTIVO.format(que=activo))
    return paginas


def _revisar_bytes(contenido: bytes) -> None:
    """The header at byte 0, no HTML up front, and the end of a complete file (stops truncated uploads)."""
    inicio = contenido[:PRIMEROS_BYTES]
    if not _RE_CABECERA.match(inicio):
        raise ErrorDominio(MSG_CONTENIDO_PREVIO if _RE_CABECERA.search(inicio) else MSG_NO_PDF)
    if _RE_HTML.search(inicio):
        raise ErrorDominio(MSG_HTML)
    cola = contenido[-2048:]
    if b"%%EOF" not in cola or b"startxref" not in cola or not _RE_OBJETO.search(contenido):
        raise ErrorDominio(MSG_DANADO)


def _abrir(lector: PdfReader) -> None:
    """An encrypted PDF is accepted only if it opens with an empty password (a permissions-only protection)."""
    if not lector.is_encrypted:
        return
    try:
        abierto = lector.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # noqa: BLE001 — e.g. AES without a crypto provider installed
        abierto = False
    if not abierto:
        raise ErrorDominio(MSG_CIFRADO)


def _referencias(lector: PdfReader) -> list[tuple[int, int]]:
    ids = {(numero, generacion) for generacion, tabla in lector.xref.items() for numero in tabla}
    ids.update((numero, 0) for numero in lector.xref_objStm)
    if len(ids) > MAX_OBJETOS:
        raise ErrorDominio(MSG_DEMASIADOS_OBJETOS)
    return sorted(ids)


def _contenido_activo(lector: PdfReader) -> str | None:
    """What kind of active content the file carries (for the message), or None. Walks each indirect object and the
    direct dictionaries and arrays nested in it; references are not followed (their targets are visited anyway)."""
    raiz = [lector.trailer]
    for numero, generacion in _referencias(lector):
        raiz.append(lector.get_object(IndirectObject(numero, generacion, lector)))
    pila = raiz
    while pila:
        objeto = pila.pop()
        if isinstance(objeto, DictionaryObject):  # also stream dictionaries
            encontrado = _activo_en(objeto)
            if encontrado:
                return encontrado
            pila.extend(v for v in objeto.values() if not isinstance(v, IndirectObject))
        elif isinstance(objeto, ArrayObject):
            pila.extend(v for v in objeto if not isinstance(v, IndirectObject))
    return None


def _activo_en(diccionario: DictionaryObject) -> str | None:
    for clave in diccionario:
        if clave in CLAVES_ACTIVAS:
            return CLAVES_ACTIVAS[clave]
    for clave, tabla in (("/S", ACCIONES_ACTIVAS), ("/Type", TIPOS_ACTIVOS), ("/Subtype", TIPOS_ACTIVOS)):
        valor = diccionario.get(clave)
        if isinstance(valor, str) and valor in tabla:
            return tabla[valor]
    return None
