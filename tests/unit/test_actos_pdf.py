"""The administrative acts (auto, resolución) and the constancia de notificación as signed PDFs: what they say, their
QR, their signed metadata, and hostile or very long text. Real PDFs, real signatures; no database."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
import segno
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from app.services import actos_pdf, constancia, firma_pdf
from app.services.actos_pdf import DatosActo, DatosConstanciaNotificacion, VerificacionActo
from app.services.firma_pdf import Firmante
from tests.helpers_pdf import qr_dibujado, texto_pdf

URL = "https://invimagil.example/consulta/acto/Resolucion-2026-000012?codigo=K7QX-2M9P"
SHA_ACTO = "3f" * 32


@pytest.fixture
def _limpiar_datos():
    """Replaces conftest's per-test cleanup for this module: nothing here touches the database."""
    yield


def datos_resolucion(**cambios) -> DatosActo:
    valores = dict(
        tipo="Resolución",
        numero_texto="Resolución 2026-000012",
        emitido_en=datetime(2026, 3, 10, 21, 30, tzinfo=UTC),  # 16:30 in Bogotá
        asunto="Por la cual se aprueba la Notificación Sanitaria Obligatoria de un producto cosmético",
        radicado="2026-000123",
        tramite="Notificación Sanitaria Obligatoria (NSO) de productos cosméticos",
        titular="Laboratorios Niño & Peña S.A.S.",
        titular_identificacion="NIT 900123456-7",
        producto="Crema hidratante «Aloe» 50 ml",
        considerandos="Que el titular radicó la solicitud.\n\nQue la documentación cumple los requisitos legales.",
        resuelve=(
            "Conceder la Notificación Sanitaria Obligatoria NSOC12345-26CO al producto descrito.",
            "Notificar electrónicamente la presente resolución al titular.",
        ),
        firmante_nombre="Ana María Rodríguez Gómez",
        firmante_cargo="Directora de Cosméticos, Aseo, Plaguicidas y Productos de Higiene Doméstica",
        codigo_verificacion="K7QX-2M9P",
        url_verificacion=URL,
        registro_numero="NSOC12345-26CO",
        registro_clase="Notificación Sanitaria Obligatoria",
        vigencia_hasta=date(2033, 3, 10),
    )
    return DatosActo(**{**valores, **cambios})


def datos_auto(**cambios) -> DatosActo:
    valores = dict(
        tipo="Auto",
        numero_texto="Auto 2026-000007",
        asunto="Por el cual se requiere información al titular",
        resuelve=("Requerir al titular para que aporte la ficha técnica del producto.",),
        registro_numero=None,
        registro_clase=None,
        vigencia_hasta=None,
    )
    return datos_resolucion(**{**valores, **cambios})


def datos_notificacion(**cambios) -> DatosConstanciaNotificacion:
    valores = dict(
        acto_numero_texto="Resolución 2026-000012",
        radicado="2026-000123",
        acto_sha256=SHA_ACTO,
        medio="Electrónica",
        enviada_en=datetime(2026, 3, 10, 21, 35, tzinfo=UTC),
        surtida_en=datetime(2026, 3, 11, 14, 2, tzinfo=UTC),  # 09:02 in Bogotá
        notificado="María José Núñez",
        notificado_identificacion="CC 1020304050",
        correo="notificaciones@laboratorios-nino.test",
        ip="190.24.11.8",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0",
        codigo_verificacion="K7QX-2M9P",
        url_verificacion=URL,
    )
    return DatosConstanciaNotificacion(**{**valores, **cambios})


@pytest.fixture(scope="module")
def firmante(tmp_path_factory) -> Firmante:
    return Firmante.de_desarrollo(tmp_path_factory.mktemp("firma"))


@pytest.fixture(scope="module")
def resolucion_pdf(firmante) -> bytes:
    return actos_pdf.generar_acto(datos_resolucion(), firmante)


@pytest.fixture(scope="module")
def notificacion_pdf(firmante) -> bytes:
    return actos_pdf.generar_constancia_notificacion(datos_notificacion(), firmante)


def _plano(texto: str) -> str:
    """Extracted text without line breaks (reportlab wraps; pypdf gives one line per drawn line)."""
    return " ".join(texto.split())


# ------------------------------------------------------------------------------------------------------ the act


def test_resolucion_dice_numero_asunto_hechos_considerandos_y_articulos(resolucion_pdf):
    texto = _plano(texto_pdf(resolucion_pdf))
    for esperado in (
        "RESOLUCIÓN 2026-000012",
        "(10 de marzo de 2026)",
        "Por la cual se aprueba la Notificación Sanitaria Obligatoria de un producto cosmético",
        "2026-000123",
        "Laboratorios Niño & Peña S.A.S. — NIT 900123456-7",
        "Crema hidratante «Aloe» 50 ml",
        "2026-03-10 16:30 (hora de Colombia)",
        "NSOC12345-26CO",
        "hasta el 10 de marzo de 2033",
        "CONSIDERANDO",
        "Que la documentación cumple los requisitos legales.",
        "RESUELVE",
        "ARTÍCULO PRIMERO.- Conceder la Notificación Sanitaria Obligatoria",
        "ARTÍCULO SEGUNDO.- Notificar electrónicamente",
        "NOTIFÍQUESE Y CÚMPLASE",
        "Dada en Bogotá D.C., el 10 de marzo de 2026.",
        "ANA MARÍA RODRÍGUEZ GÓMEZ",
        "Verifique esta resolución en",
        "K7QX-2M9P",
        "Instituto Nacional de Vigilancia de Medicamentos y Alimentos - Invima",
    ):
        assert esperado in texto, esperado
    assert "Página 1 de" in texto


def test_aprobacion_sin_vigencia_lo_dice(firmante):
    texto = _plano(texto_pdf(actos_pdf.generar_acto(datos_resolucion(vigencia_hasta=None), firmante)))
    assert "Vigencia sin vigencia" in texto and "hasta el" not in texto


def test_auto_es_dado_y_no_habla_de_registro(firmante):
    contenido = actos_pdf.generar_acto(datos_auto(), firmante)
    texto = _plano(texto_pdf(contenido))
    assert "AUTO 2026-000007" in texto and "Por el cual se requiere información" in texto
    assert "Dado en Bogotá D.C." in texto and "Verifique este auto en" in texto
    assert "Vigencia" not in texto and "ARTÍCULO SEGUNDO" not in texto


def test_acto_guarda_numero_y_codigo_en_sus_metadatos_firmados(resolucion_pdf, firmante):
    metadatos = PdfReader(io.BytesIO(resolucion_pdf)).metadata
    assert metadatos["/InvimaActo"] == "Resolución 2026-000012"
    assert metadatos["/InvimaCodigo"] == "K7QX-2M9P"
    assert metadatos.title == "Resolución 2026-000012"
    assert metadatos.creation_date == datetime(2026, 3, 10, 21, 30, tzinfo=UTC)
    assert actos_pdf.verificar_acto(resolucion_pdf, firmante) == VerificacionActo(
        True, firma_pdf.MSG_VALIDA, "Resolución 2026-000012", "K7QX-2M9P"
    )


def test_la_firma_del_acto_es_la_del_invima_y_dice_el_acto(resolucion_pdf, firmante):
    examen = firma_pdf.examinar(resolucion_pdf, firmante)
    assert examen.valida and examen.motivo == firma_pdf.MSG_VALIDA
    firma = PdfFileReader(io.BytesIO(resolucion_pdf)).embedded_signatures[0]
    assert firma.sig_object["/Reason"] == "Resolución 2026-000012"
    assert firma.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_acto_alterado_o_de_otro_firmante_no_es_valido(resolucion_pdf, firmante, tmp_path):
    alterado = bytearray(resolucion_pdf)
    alterado[len(alterado) // 3] ^= 0x01
    assert not actos_pdf.verificar_acto(bytes(alterado), firmante).valida
    impostor = Firmante.de_desarrollo(tmp_path)
    falso = actos_pdf.generar_acto(datos_resolucion(), impostor)
    resultado = actos_pdf.verificar_acto(falso, firmante)
    assert not resultado.valida and resultado.motivo == firma_pdf.MSG_OTRO_FIRMANTE
    assert actos_pdf.verificar_acto(b"basura", firmante) == VerificacionActo(False, firma_pdf.MSG_NO_PDF)


def test_otros_documentos_del_invima_no_pasan_por_actos(notificacion_pdf, firmante):
    assert actos_pdf.verificar_acto(notificacion_pdf, firmante) == VerificacionActo(False, actos_pdf.MSG_NO_ES_ACTO)
    radicacion = constancia.generar(
        constancia.DatosConstancia(
            radicado="2026-000123",
            radicado_en=datetime(2026, 3, 4, 20, 5, tzinfo=UTC),
            tramite="Trámite",
            tramite_codigo="T-1",
            version=1,
            modalidad=None,
            titular="Titular",
            titular_identificacion="NIT 1",
            solicitante="Solicitante",
            solicitante_identificacion="CC 1",
            tarifa=None,
            referencia_pago=None,
            valor=None,
            bajo_insistencia=None,
            documentos=(),
            codigo_verificacion="AAAA-BBBB",
            url_verificacion=URL,
        ),
        firmante,
    )
    assert not actos_pdf.verificar_acto(radicacion, firmante).valida
    assert not actos_pdf.verificar_constancia_notificacion(radicacion, firmante).valida


def test_qr_del_acto_es_exactamente_el_de_la_url(resolucion_pdf):
    assert qr_dibujado(resolucion_pdf) == [list(fila) for fila in segno.make(URL, error="m", micro=False).matrix]


def test_considerandos_largos_ocupan_varias_paginas_numeradas(firmante):
    parrafos = "\n\n".join(
        f"Que el considerando número {n} expone la motivación del acto con detalle. " * 6 for n in range(60)
    )
    contenido = actos_pdf.generar_acto(datos_resolucion(considerandos=parrafos), firmante)
    paginas = PdfReader(io.BytesIO(contenido)).pages
    assert len(paginas) >= 3
    for numero, pagina in enumerate(paginas, start=1):
        assert f"Página {numero} de {len(paginas)}" in pagina.extract_text()
    texto = _plano(texto_pdf(contenido))
    assert "considerando número 59" in texto and "ARTÍCULO PRIMERO.-" in texto
    assert actos_pdf.verificar_acto(contenido, firmante).valida


def test_doce_articulos_se_numeran_en_palabras(firmante):
    articulos = tuple(f"Disposición {n}." for n in range(1, 13))
    texto = _plano(texto_pdf(actos_pdf.generar_acto(datos_resolucion(resuelve=articulos), firmante)))
    assert "ARTÍCULO DÉCIMO.- Disposición 10." in texto
    assert "ARTÍCULO DÉCIMO SEGUNDO.- Disposición 12." in texto


@pytest.mark.parametrize(
    ("numero", "palabras"),
    [
        (1, "PRIMERO"),
        (7, "SÉPTIMO"),
        (10, "DÉCIMO"),
        (11, "DÉCIMO PRIMERO"),
        (20, "VIGÉSIMO"),
        (39, "TRIGÉSIMO NOVENO"),
        (40, "40"),
    ],
)
def test_ordinal_de_los_articulos(numero, palabras):
    assert actos_pdf.ordinal(numero) == palabras


def test_texto_hostil_se_dibuja_como_texto(firmante):
    datos = datos_resolucion(
        titular="<b>Falsa</b> & <script>alert(1)</script> Ωmega ☕",
        asunto='Por la cual <font size="40">se aprueba</font>',
        considerandos="Que <para>rompe</para> el marcado.\x00\x07\n" + "x" * 3000,
        resuelve=("Conceder <br/> todo & más.", "]]> <!-- -->"),
        producto="Producto \u202eolleh\u202c",
        firmante_nombre="Zoë <i>Ñandú</i>",
    )
    contenido = actos_pdf.generar_acto(datos, firmante)
    texto = _plano(texto_pdf(contenido))
    for literal in (
        "<b>Falsa</b> & <script>alert(1)</script> ?mega ?",
        'Por la cual <font size="40">se aprueba</font>',
        "Que <para>rompe</para> el marcado.",
        "Conceder <br/> todo & más.",
        "]]> <!-- -->",
        "ZOË <I>ÑANDÚ</I>",
    ):
        assert literal in texto, literal
    assert "Ωmega" not in texto and "\u202e" not in texto
    assert actos_pdf.verificar_acto(contenido, firmante).valida


def test_datos_del_acto_invalidos_se_rechazan():
    with pytest.raises(ValueError):
        datos_resolucion(emitido_en=datetime(2026, 3, 10, 16, 30))
    with pytest.raises(ValueError):
        datos_resolucion(tipo="Decreto")
    with pytest.raises(ValueError):
        datos_resolucion(resuelve=())


def test_mismos_datos_dan_el_mismo_acto_antes_de_firmar(firmante):
    primero = actos_pdf.generar_acto(datos_resolucion(), firmante)
    segundo = actos_pdf.generar_acto(datos_resolucion(), firmante)
    fin = primero.index(b"%%EOF") + 5
    assert primero[:fin] == segundo[:fin]


# ------------------------------------------------------------------------------------ the constancia de notificación


def test_constancia_de_notificacion_dice_el_momento_de_acceso_y_la_huella(notificacion_pdf):
    texto = _plano(texto_pdf(notificacion_pdf))
    for esperado in (
        "Constancia de notificación",
        "Resolución 2026-000012",
        "2026-000123",
        "De conformidad con el artículo 56 de la Ley 1437 de 2011, la notificación electrónica",
        "quedó surtida el 2026-03-11 09:02 (hora de Colombia), fecha y hora en que María José Núñez accedió al acto",
        "notificaciones@laboratorios-nino.test",
        "190.24.11.8",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0",
        SHA_ACTO,
        "2026-03-10 16:35",
        "CC 1020304050",
        "Verifique el acto notificado en",
        "Página 1 de 1",
    ):
        assert esperado in texto, esperado


def test_constancia_de_notificacion_se_lee_de_vuelta_firmada(notificacion_pdf, firmante):
    metadatos = PdfReader(io.BytesIO(notificacion_pdf)).metadata
    assert metadatos["/InvimaNotificacion"] == "Resolución 2026-000012"
    assert metadatos["/InvimaActoSha256"] == SHA_ACTO
    assert metadatos.creation_date == datetime(2026, 3, 11, 14, 2, tzinfo=UTC)
    assert actos_pdf.verificar_constancia_notificacion(notificacion_pdf, firmante) == VerificacionActo(
        True, firma_pdf.MSG_VALIDA, "Resolución 2026-000012", "K7QX-2M9P", SHA_ACTO
    )
    assert qr_dibujado(notificacion_pdf) == [list(fila) for fila in segno.make(URL, error="m", micro=False).matrix]
    firma = PdfFileReader(io.BytesIO(notificacion_pdf)).embedded_signatures[0]
    assert firma.sig_object["/Reason"] == "Constancia de notificación"


def test_un_acto_no_pasa_por_constancia_de_notificacion(resolucion_pdf, firmante):
    resultado = actos_pdf.verificar_constancia_notificacion(resolucion_pdf, firmante)
    assert resultado == VerificacionActo(False, actos_pdf.MSG_NO_ES_NOTIFICACION)


def test_notificacion_personal_cita_el_articulo_67_sin_ip(firmante):
    datos = datos_notificacion(medio="personal", correo=None, ip=None, user_agent=None)
    assert datos.medio == "Personal"
    texto = _plano(texto_pdf(actos_pdf.generar_constancia_notificacion(datos, firmante)))
    assert "artículo 67 de la Ley 1437 de 2011, la notificación personal" in texto
    assert "Dirección IP" not in texto and "Cuenta de correo" not in texto


def test_notificacion_por_aviso_cita_el_articulo_69_y_la_entrega(firmante, tmp_path):
    aviso = "Entregado en la dirección de notificación (Calle 10 # 5-20, Barranquilla) el 2026-03-19"
    datos = datos_notificacion(
        medio=actos_pdf.AVISO,
        correo=None,
        ip=None,
        user_agent=None,
        aviso=aviso,
        surtida_en=datetime(2026, 3, 21, 4, 59, 59, tzinfo=UTC),  # 23:59:59 of the 20th in Bogotá
    )
    contenido = actos_pdf.generar_constancia_notificacion(datos, firmante)
    texto = _plano(texto_pdf(contenido))
    assert "artículo 69 de la Ley 1437 de 2011, la notificación por aviso" in texto
    assert "al finalizar el día siguiente al de la entrega del aviso" in texto and aviso in texto
    assert "20 de marzo de 2026" in texto or "2026-03-20" in texto
    assert actos_pdf.verificar_constancia_notificacion(contenido, firmante).valida
    (tmp_path / "aviso.pdf").write_bytes(contenido)
    with pytest.raises(ValueError):
        datos_notificacion(medio=actos_pdf.AVISO)  # an aviso says how it was delivered
    with pytest.raises(ValueError):
        datos_notificacion(aviso=aviso)  # and only an aviso does


def test_notificacion_con_texto_hostil(firmante):
    datos = datos_notificacion(user_agent='"><script>alert(1)</script> ☃', notificado="<b>Yo</b>")
    contenido = actos_pdf.generar_constancia_notificacion(datos, firmante)
    texto = _plano(texto_pdf(contenido))
    assert '"><script>alert(1)</script> ?' in texto and "<b>Yo</b>" in texto
    assert actos_pdf.verificar_constancia_notificacion(contenido, firmante).valida


def test_datos_de_notificacion_invalidos_se_rechazan():
    with pytest.raises(ValueError):
        datos_notificacion(medio="Paloma mensajera")
    with pytest.raises(ValueError):
        datos_notificacion(surtida_en=datetime(2026, 3, 11, 9, 2))
    with pytest.raises(ValueError):
        datos_notificacion(acto_sha256="no-es-una-huella")


def test_muestras_se_ven_en_png(resolucion_pdf, notificacion_pdf, tmp_path):
    """The PDFs render (poppler), and the QR of the act decodes to its URL when zbar is installed."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) no está instalado")
    for nombre, contenido in (("acto", resolucion_pdf), ("notificacion", notificacion_pdf)):
        (tmp_path / f"{nombre}.pdf").write_bytes(contenido)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", str(tmp_path / f"{nombre}.pdf"), str(tmp_path / nombre)], check=True
        )
    paginas = sorted(tmp_path.glob("acto*.png"))
    assert paginas and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paginas)
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) no está instalado: el QR no se decodifica")
    leido = subprocess.run(["zbarimg", "-q", "--raw", *map(str, paginas)], capture_output=True, text=True)
    assert leido.stdout.strip() == URL


def test_datos_acto_es_inmutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        datos_resolucion().radicado = "otro"  # type: ignore[misc]
