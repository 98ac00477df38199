"""The constancia de radicación: what it says, its QR, its PAdES signature, and how verification answers every kind
of tampered, foreign or garbage file. Real PDFs, real certificates, real signatures; no database."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import segno
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from app.services import constancia, firma_pdf
from app.services.constancia import DatosConstancia, DocumentoConstancia, Firmante
from tests.helpers import pdf
from tests.helpers_pdf import qr_dibujado

URL = "https://invimagil.example/verificar/2026-000123?codigo=K7QX-2M9P"
NOMBRE_LARGO = (
    "Certificado_de_existencia_y_representacion_legal_expedido_por_la_Camara_de_Comercio_de_Bogota_con_fecha_no_"
    "mayor_a_treinta_dias_calendario_version_definitiva_firmada_por_el_representante_legal_y_el_revisor_fiscal.pdf"
)


@pytest.fixture
def _limpiar_datos():
    """Replaces conftest's per-test cleanup for this module: nothing here touches the database."""
    yield


def _sha(texto: str) -> str:
    return hashlib.sha256(texto.encode()).hexdigest()


def datos_constancia(**cambios) -> DatosConstancia:
    valores = dict(
        radicado="2026-000123",
        radicado_en=datetime(2026, 3, 4, 20, 5, tzinfo=UTC),  # 15:05 in Bogotá
        tramite="Registro sanitario de plaguicidas de uso doméstico",
        tramite_codigo="PLA-RS-001",
        version=2,
        modalidad="Fabricar y vender",
        titular="Laboratorios Niño & Peña S.A.S.",
        titular_identificacion="NIT 900123456-7",
        solicitante="María José Núñez",
        solicitante_identificacion="CC 1020304050",
        tarifa="4002-12",
        referencia_pago="PSE-778812",
        valor="$ 1.234.567",
        bajo_insistencia="La ficha técnica está en traducción oficial; se aportará en 10 días.",
        documentos=(
            DocumentoConstancia("Certificado de existencia y representación legal", "camara.pdf", 3, _sha("a")),
            DocumentoConstancia("Ficha técnica del producto", NOMBRE_LARGO, 12, _sha("b")),
            DocumentoConstancia("Etiquetas y artes finales", "etiqueta<final>&más.pdf", 1, _sha("c")),
        ),
        codigo_verificacion="K7QX-2M9P",
        url_verificacion=URL,
    )
    return DatosConstancia(**{**valores, **cambios})


@pytest.fixture(scope="module")
def firmante(tmp_path_factory) -> Firmante:
    return Firmante.de_desarrollo(tmp_path_factory.mktemp("firma"))


@pytest.fixture(scope="module")
def constancia_pdf(firmante) -> bytes:
    return constancia.generar(datos_constancia(), firmante)


def _texto(contenido: bytes) -> str:
    return "\n".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(contenido)).pages)


# ------------------------------------------------------------------------------------------------------ content


def test_constancia_dice_radicado_titular_huellas_y_codigo(constancia_pdf):
    lector = PdfReader(io.BytesIO(constancia_pdf))
    assert len(lector.pages) >= 1
    texto = _texto(constancia_pdf)
    for esperado in (
        "Constancia de radicación",
        "Instituto Nacional de Vigilancia de Medicamentos y Alimentos - Invima",
        "2026-000123",
        "Laboratorios Niño & Peña S.A.S.",
        "NIT 900123456-7",
        "María José Núñez",
        "2026-03-04 15:05",
        "K7QX-2M9P",
        "La ficha técnica está en traducción oficial",
        "etiqueta<final>&más.pdf",
        *(documento.sha256 for documento in datos_constancia().documentos),
    ):
        assert esperado in texto, esperado
    assert f"Página 1 de {len(lector.pages)}" in texto
    assert "Verifique esta constancia en" in texto


def test_constancia_guarda_radicado_y_codigo_en_sus_metadatos(constancia_pdf):
    metadatos = PdfReader(io.BytesIO(constancia_pdf)).metadata
    assert metadatos["/InvimaRadicado"] == "2026-000123"
    assert metadatos["/InvimaCodigo"] == "K7QX-2M9P"
    assert metadatos.title == "Constancia de radicación 2026-000123"
    assert metadatos.author == constancia.ENTIDAD
    assert metadatos.creation_date == datetime(2026, 3, 4, 20, 5, tzinfo=UTC)


def test_nombre_muy_largo_se_parte_sin_perderse(constancia_pdf):
    texto = "".join(_texto(constancia_pdf).split())
    assert "".join(NOMBRE_LARGO.split()) in texto.replace("\n", "")


def test_sin_insistencia_ni_pago_no_imprime_esas_filas(firmante):
    datos = datos_constancia(bajo_insistencia=None, tarifa=None, referencia_pago=None, valor=None, modalidad=None)
    texto = _texto(constancia.generar(datos, firmante))
    assert "bajo insistencia" not in texto
    assert "Referencia de pago" not in texto
    assert "Modalidad" not in texto


def test_caracteres_fuera_de_las_fuentes_no_rompen_la_constancia(firmante):
    datos = datos_constancia(titular="Café ☕ Ωmega Ltda.", solicitante="Zoë Ñandú")
    contenido = constancia.generar(datos, firmante)
    texto = _texto(contenido)
    assert "Café" in texto and "Ltda." in texto and "Zoë Ñandú" in texto
    assert constancia.verificar(contenido, firmante).valida


def test_veinticinco_documentos_ocupan_varias_paginas_numeradas(firmante):
    documentos = tuple(DocumentoConstancia(f"Requisito {n}", f"doc{n}.pdf", n, _sha(str(n))) for n in range(25))
    contenido = constancia.generar(datos_constancia(documentos=documentos), firmante)
    paginas = PdfReader(io.BytesIO(contenido)).pages
    assert len(paginas) >= 2
    assert f"Página {len(paginas)} de {len(paginas)}" in paginas[-1].extract_text()
    assert all(d.sha256 in _texto(contenido) for d in documentos)


def test_fecha_sin_zona_horaria_se_rechaza():
    with pytest.raises(ValueError):
        datos_constancia(radicado_en=datetime(2026, 3, 4, 15, 5))


def test_mismos_datos_dan_el_mismo_pdf_antes_de_firmar(firmante):
    """reportlab in invariant mode: only the signing revision (time, signature) differs between two runs."""
    primero = constancia.generar(datos_constancia(), firmante)
    segundo = constancia.generar(datos_constancia(), firmante)
    fin = primero.index(b"%%EOF") + 5
    assert primero[:fin] == segundo[:fin]


# ----------------------------------------------------------------------------------------------------------- QR


def test_qr_dibujado_es_exactamente_el_de_la_url(constancia_pdf):
    esperado = [list(fila) for fila in segno.make(URL, error="m", micro=False).matrix]
    assert qr_dibujado(constancia_pdf) == esperado
    assert constancia.qr(URL).matrix == segno.make(URL, error="m", micro=False).matrix


def test_qr_se_lee_en_la_pagina_renderizada(constancia_pdf, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) no está instalado")
    (tmp_path / "c.pdf").write_bytes(constancia_pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "c.pdf"), str(tmp_path / "p")], check=True)
    paginas = sorted(tmp_path.glob("p*.png"))
    assert paginas and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paginas)
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) no está instalado: el QR no se decodifica")
    leido = subprocess.run(["zbarimg", "-q", "--raw", *map(str, paginas)], capture_output=True, text=True)
    assert leido.stdout.strip() == URL


# ----------------------------------------------------------------------------------------------- the signature


def _certificado_del_archivo(directorio) -> asn1_x509.Certificate:
    """Our certificate read straight from the PKCS#12 file, without going through Firmante."""
    contenido = (directorio / firma_pdf.ARCHIVO_DESARROLLO).read_bytes()
    _, certificado, _ = pkcs12.load_key_and_certificates(contenido, None)
    return asn1_x509.Certificate.load(certificado.public_bytes(serialization.Encoding.DER))


def test_pyhanko_valida_la_firma_contra_nuestro_certificado(tmp_path):
    firmante = Firmante.de_desarrollo(tmp_path)
    contenido = constancia.generar(datos_constancia(), firmante)
    firmas = PdfFileReader(io.BytesIO(contenido)).embedded_signatures
    assert len(firmas) == 1
    firma = firmas[0]
    assert firma.field_name == "FirmaInvima"
    assert firma.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert firma.sig_object["/Reason"] == "Constancia de radicación"
    assert firma.sig_object["/Location"] == "Bogotá D.C."
    contexto = ValidationContext(trust_roots=[_certificado_del_archivo(tmp_path)], allow_fetching=False)
    estado = firma_pdf.fuera_de_un_bucle(validate_pdf_signature, firma, contexto)
    assert estado.intact and estado.valid and estado.trusted
    assert estado.bottom_line
    assert estado.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_verificar_acepta_la_constancia_original(constancia_pdf, firmante):
    resultado = constancia.verificar(constancia_pdf, firmante)
    assert resultado == constancia.Verificacion(
        valida=True,
        motivo="La firma es válida y el documento no ha sido modificado.",
        radicado="2026-000123",
        codigo="K7QX-2M9P",
    )


def test_byte_cambiado_dentro_de_lo_firmado_se_detecta(constancia_pdf, firmante):
    posicion = constancia_pdf.index(b"2026-000123")  # the /Title of the first revision
    alterado = constancia_pdf[:posicion] + b"2026-000124" + constancia_pdf[posicion + 11 :]
    resultado = constancia.verificar(alterado, firmante)
    assert not resultado.valida
    assert resultado.motivo == firma_pdf.MSG_MODIFICADO


def test_bit_cambiado_a_mitad_del_archivo_se_detecta(constancia_pdf, firmante):
    mitad = len(constancia_pdf) // 3
    alterado = constancia_pdf[:mitad] + bytes([constancia_pdf[mitad] ^ 0x01]) + constancia_pdf[mitad + 1 :]
    assert not constancia.verificar(alterado, firmante).valida


@pytest.mark.parametrize(
    ("cola", "motivo"),
    [
        (b"\n", firma_pdf.MSG_MODIFICADO),
        (b"\n1 0 obj\n<<>>\nendobj\n", firma_pdf.MSG_MODIFICADO),
        # A second end-of-file marker without its cross-reference: the file no longer parses at all.
        (b"%%EOF\n", firma_pdf.MSG_DANADO),
    ],
    ids=["salto-de-linea", "objeto", "fin-de-archivo"],
)
def test_bytes_agregados_al_final_se_detectan(constancia_pdf, firmante, cola, motivo):
    resultado = constancia.verificar(constancia_pdf + cola, firmante)
    assert not resultado.valida
    assert resultado.motivo == motivo


def test_actualizacion_incremental_con_pyhanko_se_detecta(constancia_pdf, firmante):
    escritor = IncrementalPdfFileWriter(io.BytesIO(constancia_pdf))
    info = escritor.trailer["/Info"]
    info[generic.NameObject("/InvimaRadicado")] = generic.TextStringObject("2026-999999")
    escritor.update_container(info)
    salida = io.BytesIO()
    escritor.write(salida)
    resultado = constancia.verificar(salida.getvalue(), firmante)
    assert not resultado.valida
    assert resultado.motivo == firma_pdf.MSG_MODIFICADO
    assert resultado.radicado == "2026-000123"  # what was signed, not what was added


def test_actualizacion_incremental_con_pypdf_se_detecta(constancia_pdf, firmante):
    escritor = PdfWriter(io.BytesIO(constancia_pdf), incremental=True)
    escritor.add_metadata({"/InvimaRadicado": "2026-999999", "/Title": "Otra cosa"})
    salida = io.BytesIO()
    escritor.write(salida)
    assert PdfReader(io.BytesIO(salida.getvalue())).metadata["/InvimaRadicado"] == "2026-999999"
    resultado = constancia.verificar(salida.getvalue(), firmante)
    assert not resultado.valida
    assert resultado.motivo == firma_pdf.MSG_MODIFICADO
    assert resultado.radicado == "2026-000123"


def test_segunda_firma_agregada_despues_se_detecta(constancia_pdf, firmante, tmp_path):
    otro = Firmante.de_desarrollo(tmp_path)
    escritor = IncrementalPdfFileWriter(io.BytesIO(constancia_pdf))
    doble = firma_pdf.fuera_de_un_bucle(
        signers.sign_pdf, escritor, signers.PdfSignatureMetadata(field_name="Visto bueno"), signer=otro.signer
    )
    assert len(PdfFileReader(doble).embedded_signatures) == 2
    resultado = constancia.verificar(doble.getvalue(), firmante)
    assert not resultado.valida
    assert resultado.motivo == firma_pdf.MSG_MODIFICADO


@pytest.mark.parametrize(
    ("contenido", "motivo"),
    [
        (b"", firma_pdf.MSG_NO_PDF),
        (os.urandom(4096), firma_pdf.MSG_NO_PDF),
        (b"<html><body>%PDF-1.7</body></html>", firma_pdf.MSG_NO_PDF),
        (b"%PDF-1.7\n" + os.urandom(4096), firma_pdf.MSG_DANADO),
        (b"%PDF-", firma_pdf.MSG_DANADO),
    ],
    ids=["vacio", "al-azar", "html", "encabezado-y-basura", "solo-encabezado"],
)
def test_basura_no_es_una_constancia(firmante, contenido, motivo):
    assert constancia.verificar(contenido, firmante) == constancia.Verificacion(valida=False, motivo=motivo)


@pytest.mark.parametrize("fraccion", [0.1, 0.5, 0.9, 0.999])
def test_constancia_truncada_no_es_valida(constancia_pdf, firmante, fraccion):
    resultado = constancia.verificar(constancia_pdf[: int(len(constancia_pdf) * fraccion)], firmante)
    assert not resultado.valida
    assert resultado.motivo in {firma_pdf.MSG_DANADO, firma_pdf.MSG_SIN_FIRMA, firma_pdf.MSG_MODIFICADO}


def test_pdf_sin_firma(firmante):
    assert constancia.verificar(pdf(), firmante) == constancia.Verificacion(False, firma_pdf.MSG_SIN_FIRMA)


def test_firmada_por_otro_certificado_autofirmado(firmante, tmp_path):
    impostor = Firmante.de_desarrollo(tmp_path)
    assert impostor.huella != firmante.huella
    falsa = constancia.generar(datos_constancia(), impostor)
    assert constancia.verificar(falsa, impostor).valida  # a perfectly good signature…
    resultado = constancia.verificar(falsa, firmante)  # …but not the Invima's
    assert not resultado.valida
    assert resultado.motivo == "La firma no corresponde al Invima."


# ---------------------------------------------------------------------------------------------- the certificate


def test_certificado_de_desarrollo_se_crea_una_vez_con_permisos_0600(tmp_path):
    directorio = tmp_path / "firma"
    primero = Firmante.de_desarrollo(directorio)
    archivo = directorio / firma_pdf.ARCHIVO_DESARROLLO
    assert stat.S_IMODE(archivo.stat().st_mode) == 0o600
    creado = archivo.stat().st_mtime_ns
    firma_pdf._cargados.clear()  # a new process: read from disk again
    segundo = Firmante.de_desarrollo(directorio)
    assert segundo is not primero
    assert segundo.huella == primero.huella
    assert archivo.stat().st_mtime_ns == creado
    assert [p.name for p in directorio.iterdir()] == [firma_pdf.ARCHIVO_DESARROLLO]


def test_certificado_de_desarrollo_dice_quien_es(tmp_path):
    Firmante.de_desarrollo(tmp_path)
    contenido = (tmp_path / firma_pdf.ARCHIVO_DESARROLLO).read_bytes()
    clave, certificado, _ = pkcs12.load_key_and_certificates(contenido, None)
    assert clave.key_size == 2048
    assert certificado.subject.rfc4514_string() == "C=CO,O=Invima,CN=Invima - Constancias (desarrollo)"
    assert certificado.issuer == certificado.subject
    uso = certificado.extensions.get_extension_for_class(x509.KeyUsage)
    assert uso.critical and uso.value.digital_signature and uso.value.content_commitment
    vigencia = certificado.not_valid_after_utc - certificado.not_valid_before_utc
    assert timedelta(days=3650) <= vigencia <= timedelta(days=3654)


def test_procesos_simultaneos_comparten_el_mismo_certificado(tmp_path):
    with ThreadPoolExecutor(max_workers=4) as hilos:
        creados = list(
            hilos.map(lambda _: firma_pdf._crear_pkcs12_desarrollo(tmp_path / firma_pdf.ARCHIVO_DESARROLLO), range(4))
        )
    assert creados == [None] * 4
    assert [p.name for p in tmp_path.iterdir()] == [firma_pdf.ARCHIVO_DESARROLLO]  # no temporary files left
    assert Firmante.de_desarrollo(tmp_path).huella == _huella(_certificado_del_archivo(tmp_path))


def _huella(certificado: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificado.dump()).hexdigest()


def test_firmante_se_carga_una_vez_por_proceso(tmp_path):
    assert Firmante.de_desarrollo(tmp_path) is Firmante.de_desarrollo(tmp_path)


def _pkcs12_con_clave(ruta, clave: bytes) -> None:
    Firmante.de_desarrollo(ruta.parent / "origen")
    llave, certificado, _ = pkcs12.load_key_and_certificates(
        (ruta.parent / "origen" / firma_pdf.ARCHIVO_DESARROLLO).read_bytes(), None
    )
    cifrado = serialization.BestAvailableEncryption(clave)
    ruta.write_bytes(pkcs12.serialize_key_and_certificates(b"invima", llave, certificado, None, cifrado))


def test_firmante_de_app_usa_el_pkcs12_configurado(tmp_path):
    ruta = tmp_path / "invima.p12"
    _pkcs12_con_clave(ruta, b"S3creta#2026")
    config = {"CONSTANCIA_PKCS12": str(ruta), "CONSTANCIA_PKCS12_CLAVE": "S3creta#2026", "FIRMA_DIR": str(tmp_path)}
    firmante = constancia.firmante_de_app(config)
    assert firmante.huella == Firmante.de_desarrollo(tmp_path / "origen").huella
    assert not (tmp_path / firma_pdf.ARCHIVO_DESARROLLO).exists()
    assert constancia.verificar(constancia.generar(datos_constancia(), firmante), firmante).valida


def test_clave_equivocada_no_aparece_en_el_error(tmp_path):
    ruta = tmp_path / "invima.p12"
    _pkcs12_con_clave(ruta, b"S3creta#2026")
    with pytest.raises(constancia.ErrorFirma) as error:
        constancia.firmante_de_app({"CONSTANCIA_PKCS12": str(ruta), "CONSTANCIA_PKCS12_CLAVE": "Otra#Clave1"})
    assert "Otra#Clave1" not in str(error.value)
    assert "S3creta" not in str(error.value)


def test_firmante_de_app_sin_pkcs12_usa_el_de_desarrollo(tmp_path):
    class App:  # anything with a .config mapping, as a Flask app
        config = {"CONSTANCIA_PKCS12": None, "FIRMA_DIR": str(tmp_path / "firma"), "APP_ENV": "development"}

    firmante = constancia.firmante_de_app(App())
    assert (tmp_path / "firma" / firma_pdf.ARCHIVO_DESARROLLO).is_file()
    assert firmante is Firmante.de_desarrollo(tmp_path / "firma")


def test_produccion_no_firma_con_el_certificado_de_desarrollo(tmp_path):
    with pytest.raises(constancia.ErrorFirma):
        constancia.firmante_de_app({"APP_ENV": "production", "FIRMA_DIR": str(tmp_path)})
    assert not any(tmp_path.iterdir())


def test_firma_y_verifica_dentro_de_un_bucle_asyncio(firmante):
    """pyHanko's synchronous API calls asyncio.run: under a running loop (an async server, Playwright's sync API)
    the work moves to a worker thread instead of failing."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def generar_y_verificar():
        pdf = constancia.generar(datos_constancia(), firmante)
        return pdf, constancia.verificar(pdf, firmante)

    # In a thread of its own: the browser tests' Playwright keeps a loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as hilo:
        pdf, verificacion = hilo.submit(asyncio.run, generar_y_verificar()).result()
    assert verificacion.valida and constancia.verificar(pdf, firmante).valida
