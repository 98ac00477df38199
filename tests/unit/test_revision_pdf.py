"""Uploaded PDFs are parsed with pypdf: polyglots, unreadable files and active content are refused with a reason."""

from __future__ import annotations

import zlib

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from app.services import revision_pdf
from app.services.errores import ErrorDominio
from tests.helpers import escribir_pdf, pdf, pdf_con


def _n(nombre: str) -> NameObject:
    return NameObject(nombre)


def _accion(tipo: str, **extra) -> DictionaryObject:
    accion = DictionaryObject({_n("/Type"): _n("/Action"), _n("/S"): _n(tipo)})
    accion.update({_n(f"/{k}"): v for k, v in extra.items()})
    return accion


def _anotacion(escritor: PdfWriter, subtipo: str, **extra) -> None:
    anotacion = DictionaryObject(
        {
            _n("/Type"): _n("/Annot"),
            _n("/Subtype"): _n(subtipo),
            _n("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)]),
        }
    )
    anotacion.update({_n(f"/{k}"): v for k, v in extra.items()})
    escritor.pages[0][_n("/Annots")] = ArrayObject([escritor._add_object(anotacion)])


def _rechazo(contenido: bytes) -> str:
    with pytest.raises(ErrorDominio) as error:
        revision_pdf.revisar(contenido)
    return error.value.mensaje


def _javascript_en_flujo_de_objetos() -> bytes:
    """JavaScript inside a compressed object stream (PDF 1.5 cross-reference stream): the bytes of the file never
    show /JavaScript; only parsing finds it."""
    cuerpo = b"5 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>"
    comprimido = zlib.compress(cuerpo)
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(comprimido), comprimido),
    ]
    datos = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    posiciones = []
    for numero, objeto in enumerate(objetos, start=1):
        posiciones.append(len(datos))
        datos += b"%d 0 obj\n%s\nendobj\n" % (numero, objeto)
    inicio_xref = len(datos)
    filas = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    filas += [bytes([1]) + p.to_bytes(4, "big") + (0).to_bytes(2, "big") for p in posiciones]
    filas.append(bytes([2]) + (4).to_bytes(4, "big") + (0).to_bytes(2, "big"))  # object 5: first in stream 4
    filas.append(bytes([1]) + inicio_xref.to_bytes(4, "big") + (0).to_bytes(2, "big"))  # object 6: this xref
    tabla = b"".join(filas)
    datos += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(tabla)
    datos += tabla + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % inicio_xref
    assert b"JavaScript" not in datos
    return bytes(datos)


def test_pdf_sencillo_se_acepta():
    revision_pdf.revisar(pdf())


def test_enlace_web_y_apertura_en_una_pagina_se_aceptan():
    def enlace_y_apertura(escritor):
        _anotacion(escritor, "/Link", A=_accion("/URI", URI=TextStringObject("https://www.invima.gov.co/")))
        escritor._root_object[_n("/OpenAction")] = ArrayObject([escritor.pages[0].indirect_reference, _n("/Fit")])

    revision_pdf.revisar(pdf_con(enlace_y_apertura))


def test_javascript_al_abrir_se_rechaza():
    contenido = pdf_con(lambda e: e.add_open_action(JavaScript("app.alert('hola');")))
    assert "contiene JavaScript" in _rechazo(contenido)


def test_arbol_de_nombres_javascript_se_rechaza():
    def arbol(escritor):
        nombres = DictionaryObject(
            {_n("/Names"): ArrayObject([TextStringObject("a"), escritor._add_object(_accion("/GoTo"))])}
        )
        escritor._root_object[_n("/Names")] = DictionaryObject({_n("/JavaScript"): escritor._add_object(nombres)})

    assert "contiene JavaScript" in _rechazo(pdf_con(arbol))


def test_javascript_en_acciones_adicionales_de_la_pagina_se_rechaza():
    def aa(escritor):
        escritor.pages[0][_n("/AA")] = DictionaryObject({_n("/O"): _accion("/JavaScript", JS=TextStringObject("1"))})

    assert "contiene JavaScript" in _rechazo(pdf_con(aa))


def test_javascript_escondido_en_un_flujo_de_objetos_comprimido_se_rechaza():
    assert "contiene JavaScript" in _rechazo(_javascript_en_flujo_de_objetos())


def test_accion_que_abre_un_programa_se_rechaza():
    def lanzar(escritor):
        escritor._root_object[_n("/OpenAction")] = _accion("/Launch", F=TextStringObject("calc.exe"))

    assert "acciones que abren programas" in _rechazo(pdf_con(lanzar))


def test_envio_de_formulario_a_otro_sitio_se_rechaza():
    def enviar(escritor):
        _anotacion(escritor, "/Link", A=_accion("/SubmitForm", F=TextStringObject("https://otro.example/")))

    assert "envían datos" in _rechazo(pdf_con(enviar))


def test_archivo_adjunto_se_rechaza():
    contenido = pdf_con(lambda e: e.add_attachment("programa.exe", b"MZ\x90\x00 programa"))
    assert "archivos adjuntos" in _rechazo(contenido)


def test_anotacion_de_archivo_adjunto_se_rechaza():
    assert "archivos adjuntos" in _rechazo(pdf_con(lambda e: _anotacion(e, "/FileAttachment")))


def test_contenido_multimedia_se_rechaza():
    assert "contenido multimedia" in _rechazo(pdf_con(lambda e: _anotacion(e, "/RichMedia")))


def test_formulario_xfa_se_rechaza():
    def xfa(escritor):
        escritor._root_object[_n("/AcroForm")] = DictionaryObject(
            {_n("/Fields"): ArrayObject(), _n("/XFA"): TextStringObject("<xdp:xdp/>")}
        )

    assert "formulario XFA" in _rechazo(pdf_con(xfa))


def test_nombre_escrito_con_escapes_hexadecimales_tambien_se_reconoce():
    # /J#61vaScript is /JavaScript for every PDF reader; the check sees parsed names, not bytes.
    contenido = pdf_con(lambda e: e.add_open_action(JavaScript("app.alert(1)")))
    disfrazado = contenido.replace(b"/S /JavaScript", b"/S /J#61vaScr#69pt")
    assert disfrazado != contenido
    assert "contiene JavaScript" in _rechazo(disfrazado)


def test_pagina_web_antes_del_encabezado_pdf_se_rechaza():
    poliglota = b"<html><body><script>alert(document.cookie)</script></body></html>\n" + pdf()
    assert "contenido antes del encabezado" in _rechazo(poliglota)


def test_html_al_comienzo_del_pdf_se_rechaza():
    contenido = pdf()
    poliglota = contenido.replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1)
    assert poliglota.startswith(b"%PDF-")
    assert "código de página web (HTML)" in _rechazo(poliglota)


def test_titulo_del_pdf_no_se_confunde_con_html():
    revision_pdf.revisar(pdf_con(lambda e: e.add_metadata({"/Title": "Registro único tributario"})))


def test_archivo_que_no_se_puede_leer_se_rechaza():
    roto = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nendobj\n<<<<\ntrailer\n<< >>\nstartxref\n3\n%%EOF\n"
    assert "dañado o incompleto" in _rechazo(roto)


def test_pdf_sin_paginas_se_rechaza():
    assert "no tiene páginas" in _rechazo(escribir_pdf(PdfWriter()))


def test_pdf_con_contrasena_de_apertura_se_rechaza():
    def cifrar(escritor):
        escritor.encrypt(user_password="secreta", owner_password="duena", algorithm="RC4-128")

    assert "protegido con contraseña" in _rechazo(pdf_con(cifrar))


def test_pdf_con_solo_restricciones_de_permisos_se_acepta():
    def restringir(escritor):
        escritor.encrypt(user_password="", owner_password="duena", algorithm="RC4-128", permissions_flag=0)

    revision_pdf.revisar(pdf_con(restringir))


def test_pdf_con_demasiados_objetos_se_rechaza(monkeypatch):
    monkeypatch.setattr(revision_pdf, "MAX_OBJETOS", 3)
    assert "demasiado complejo" in _rechazo(pdf())


def test_pdf_de_varias_paginas_con_fuentes_se_acepta():
    escritor = PdfWriter()
    for _ in range(3):
        escritor.add_blank_page(612, 792)
    fuente = DictionaryObject(
        {_n("/Type"): _n("/Font"), _n("/Subtype"): _n("/Type1"), _n("/BaseFont"): _n("/Helvetica")}
    )
    escritor.pages[0][_n("/Resources")] = DictionaryObject(
        {_n("/Font"): DictionaryObject({_n("/F1"): escritor._add_object(fuente)})}
    )
    escritor.pages[0][_n("/Rotate")] = NumberObject(90)
    revision_pdf.revisar(escribir_pdf(escritor))
