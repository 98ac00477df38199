"""Signing PDFs as the Invima (PAdES) and checking, offline, that a PDF is one we signed and nobody changed.

Design:
- **PAdES baseline B** (`ETSI.CAdES.detached`, SHA-256, RSA PKCS#1 v1.5) with pyHanko, in one incremental update
  over the PDF that reportlab wrote: any reader (Acrobat, pyHanko, a court's expert) checks it without our code, and
  the copy a citizen keeps can be checked offline. No timestamp authority (B-T) and no revocation data (B-LT): that
  needs the network and a TSA contract; the portal's verification page (the QR) vouches for the constancia online.
- **Where the key lives.** Production loads a PKCS#12 file (`CONSTANCIA_PKCS12`, password `CONSTANCIA_PKCS12_CLAVE`)
  issued for the Invima by a certification authority and kept outside the repository with the other secrets.
  Development and tests create, once, a self-signed RSA-2048 certificate in `FIRMA_DIR` (default `instance/firma`,
  git-ignored) so that nobody needs a real certificate to run the portal; its signatures prove nothing outside the
  machine that made them, which is why `verificar` only trusts the exact certificate it is given.
- **Speed.** Loading a PKCS#12 file costs tens of milliseconds, and pyHanko's `SimpleSigner` re-parses the private key
  on every signature (~45 ms for RSA-2048 on the reference machine). Firmantes are cached per file in the process
  and `_SignerConClave` keeps the parsed key, so a signature costs the RSA operation (< 1 ms) plus pyHanko's work.
- **Verification never raises.** Whatever the bytes (random, truncated, unsigned, signed by someone else, edited
  after signing), `examinar` answers with a Spanish reason; only a signature by exactly our certificate,
  cryptographically intact and covering every byte of the file (nothing appended, no incremental update) is valid.

Neither the password nor the key is ever logged; error messages name the file, never its contents.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from reportlab.pdfgen.canvas import Canvas

CAMPO_FIRMA = "FirmaInvima"
RAZON = "Constancia de radicación"
LUGAR = "Bogotá D.C."
ARCHIVO_DESARROLLO = "constancias-desarrollo.p12"
NOMBRE_DESARROLLO = "Invima - Constancias (desarrollo)"
VIGENCIA_DESARROLLO = timedelta(days=3652)  # 10 years

MSG_VALIDA = "La firma es válida y el documento no ha sido modificado."
MSG_NO_PDF = "El archivo no es un PDF."
MSG_DANADO = "El archivo PDF está dañado o incompleto."
MSG_SIN_FIRMA = "El documento no tiene firma."
MSG_OTRO_FIRMANTE = "La firma no corresponde al Invima."
MSG_MODIFICADO = "El documento fue modificado después de firmado."
MSG_CERTIFICADO = "El certificado con el que se firmó el documento no era válido en la fecha de la firma."

_log = logging.getLogger(__name__)


class ErrorFirma(RuntimeError):
    """The signing certificate cannot be created or loaded (configuration, not the user's input)."""


class _SignerConClave(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once instead of on every signature (see the module docstring)."""

    def __init__(self, base: signers.SimpleSigner, clave_privada):
        super().__init__(
            signing_cert=base.signing_cert,
            signing_key=base.signing_key,
            cert_registry=base.cert_registry,
            signature_mechanism=base.signature_mechanism,
        )
        self._clave_privada = clave_privada

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            mecanismo = None
        if mecanismo == "rsassa_pkcs1v15" and isinstance(self._clave_privada, rsa.RSAPrivateKey):
            return self._clave_privada.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)  # other mechanisms and key types: pyHanko's own path


@dataclass(frozen=True, eq=False)
class Firmante:
    """Who signs: a pyHanko signer and its certificate. Build it with `desde_pkcs12` or `de_desarrollo`."""

    signer: signers.SimpleSigner
    certificado: asn1_x509.Certificate = field(repr=False)
    reserva: int | None = None  # hex digits reserved for the signature; None: let pyHanko estimate each time

    @property
    def huella(self) -> str:
        """SHA-256 of the certificate (DER), in hex: how the certificate is compared."""
        return hashlib.sha256(self.certificado.dump()).hexdigest()

    @classmethod
    def desde_pkcs12(cls, ruta: str | os.PathLike, clave: bytes | None = None) -> Firmante:
        """Load (once per file and version of it in this process) the key and certificate of a PKCS#12 file."""
        return _cargar(Path(ruta), clave)

    @classmethod
    def de_desarrollo(cls, directorio: str | os.PathLike) -> Firmante:
        """The self-signed development certificate of `directorio`, created on first use (see module docstring)."""
        ruta = Path(directorio) / ARCHIVO_DESARROLLO
        if not ruta.is_file():
            _crear_pkcs12_desarrollo(ruta)
        return _cargar(ruta, None)


_cargados: dict[tuple[str, int, int], Firmante] = {}
_candado = threading.Lock()


def _cargar(ruta: Path, clave: bytes | None) -> Firmante:
    """The cached Firmante of `ruta`; a file replaced on disk (a renewed certificate) is loaded again."""
    try:
        datos = ruta.stat()
    except OSError as error:
        raise ErrorFirma(f"No se encuentra el certificado de firma {ruta}.") from error
    llave = (str(ruta.resolve()), datos.st_mtime_ns, datos.st_size)
    with _candado:
        if llave not in _cargados:
            for vieja in [k for k in _cargados if k[0] == llave[0]]:
                del _cargados[vieja]  # the previous version of a renewed file
            _cargados[llave] = _leer_pkcs12(ruta, clave)
        return _cargados[llave]


def _leer_pkcs12(ruta: Path, clave: bytes | None) -> Firmante:
    contenido = ruta.read_bytes()
    try:
        base = signers.SimpleSigner.load_pkcs12_data(contenido, other_certs=(), passphrase=clave)
        clave_privada, _certificado, _otros = pkcs12.load_key_and_certificates(contenido, clave)
    except ValueError as error:  # wrong password or not a PKCS#12 file; the message carries neither
        raise ErrorFirma(f"No se pudo abrir el certificado de firma {ruta} (¿contraseña equivocada?).") from error
    signer = _SignerConClave(base, clave_privada)
    return Firmante(signer=signer, certificado=base.signing_cert, reserva=_medir_reserva(signer))


def fuera_de_un_bucle(funcion, *args, **kwargs):
    """Call `funcion` here, or — if this thread already runs an asyncio event loop (an async server, Playwright's
    sync API) — in a worker thread: pyHanko's synchronous API calls `asyncio.run`, which a running loop refuses."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return funcion(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as hilo:
        return hilo.submit(funcion, *args, **kwargs).result()


def _medir_reserva(signer: signers.SimpleSigner) -> int:
    """The space pyHanko reserves for this certificate's signatures (a dummy signature plus its 50 % margin),
    measured once on a blank page so that each constancia does not pay for a dummy signature of its own."""
    lienzo_pdf = io.BytesIO()
    lienzo = Canvas(lienzo_pdf, invariant=True)
    lienzo.showPage()
    lienzo.save()
    firmado = fuera_de_un_bucle(_firmar, lienzo_pdf.getvalue(), signer)
    firma = PdfFileReader(io.BytesIO(firmado)).embedded_signatures[0]
    return 2 * len(firma.sig_object["/Contents"])


def _certificado_desarrollo(clave: rsa.RSAPrivateKey) -> x509.Certificate:
    nombre = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, NOMBRE_DESARROLLO),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Invima"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
        ]
    )
    ahora = datetime.now(UTC)
    uso = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(clave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - timedelta(minutes=5))
        .not_valid_after(ahora + VIGENCIA_DESARROLLO)
        .add_extension(uso, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(clave.public_key()), critical=False)
        .sign(clave, hashes.SHA256())
    )


def _crear_pkcs12_desarrollo(ruta: Path) -> None:
    """Write a new key and certificate to `ruta` unless it exists; the first writer wins.

    The file appears whole or not at all (temporary file, mode 0600, then a hard link, which fails if another
    process got there first; its file is then kept and ours discarded)."""
    ruta.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    contenido = pkcs12.serialize_key_and_certificates(
        NOMBRE_DESARROLLO.encode(), clave, _certificado_desarrollo(clave), None, serialization.NoEncryption()
    )
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=".firma-")  # mkstemp: mode 0600
    try:
        with os.fdopen(descriptor, "wb") as archivo:
            archivo.write(contenido)
            archivo.flush()
            os.fsync(archivo.fileno())
        os.link(temporal, ruta)
        _log.info("Certificado de firma de desarrollo creado en %s", ruta)
    except FileExistsError:
        pass
    finally:
        Path(temporal).unlink(missing_ok=True)


def firmante_de_config(config: Mapping) -> Firmante:
    """The PKCS#12 of CONSTANCIA_PKCS12 when configured, else the development certificate of FIRMA_DIR (never in
    production: a constancia signed with a certificate nobody issued would be worthless outside this server)."""
    ruta = config.get("CONSTANCIA_PKCS12")
    if ruta:
        clave = config.get("CONSTANCIA_PKCS12_CLAVE")
        return Firmante.desde_pkcs12(ruta, clave.encode() if isinstance(clave, str) else clave)
    if config.get("APP_ENV") == "production":
        raise ErrorFirma("APP_ENV=production exige CONSTANCIA_PKCS12 (el certificado de firma del Invima).")
    return Firmante.de_desarrollo(config.get("FIRMA_DIR") or Path(config.get("INSTANCE_DIR", "instance")) / "firma")


# ---------------------------------------------------------------------------------------------------------- signing


def firmar(
    contenido: bytes,
    firmante: Firmante,
    info: Mapping[str, str] | None = None,
    creado_en: datetime | None = None,
    razon: str = RAZON,
) -> bytes:
    """`contenido` (a PDF) signed by `firmante`, PAdES B-B, in one incremental update that also writes the `info`
    entries (e.g. {"/InvimaRadicado": "2026-000123"}) and the creation date into the document information
    dictionary: being in the signed revision, they are covered by the signature. `razon` is the signature's
    /Reason, what a PDF reader shows beside it."""
    return fuera_de_un_bucle(_firmar, contenido, firmante.signer, info, creado_en, firmante.reserva, razon)


def _firmar(
    contenido: bytes, signer: signers.Signer, info=None, creado_en=None, reserva=None, razon: str = RAZON
) -> bytes:
    escritor = IncrementalPdfFileWriter(io.BytesIO(contenido), strict=True)
    if info:
        _escribir_info(escritor, info)
    if creado_en is not None:
        escritor.document_meta.created = creado_en
    metadatos = signers.PdfSignatureMetadata(
        field_name=CAMPO_FIRMA,
        reason=razon,
        location=LUGAR,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    salida = io.BytesIO()
    signers.PdfSigner(metadatos, signer=signer).sign_pdf(escritor, bytes_reserved=reserva, output=salida)
    return salida.getvalue()


def _escribir_info(escritor: IncrementalPdfFileWriter, info: Mapping[str, str]) -> None:
    referencia = escritor.trailer.raw_get("/Info") if "/Info" in escritor.trailer else None
    diccionario = referencia.get_object() if referencia is not None else generic.DictionaryObject()
    for clave, valor in info.items():
        diccionario[generic.NameObject(clave)] = generic.TextStringObject(valor)
    if referencia is None:
        escritor.set_info(escritor.add_object(diccionario))
    else:
        escritor.update_container(diccionario)


# ----------------------------------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Examen:
    """What `examinar` found: whether the signature holds, why (Spanish), and the document information dictionary
    of the signed revision (empty when it cannot be read; only trustworthy when `valida`)."""

    valida: bool
    motivo: str
    info: Mapping[str, str] = field(default_factory=dict)


def examinar(contenido: bytes, firmante: Firmante) -> Examen:
    """Whether `contenido` is a PDF signed by exactly `firmante`'s certificate, intact, with the signature covering
    the whole file. Never raises: anything unreadable is an answer with its reason."""
    if not isinstance(contenido, bytes | bytearray) or not bytes(contenido[:5]) == b"%PDF-":
        return Examen(False, MSG_NO_PDF)
    try:
        lector = PdfFileReader(io.BytesIO(bytes(contenido)), strict=False)
        firmas = lector.embedded_signatures
    except Exception:  # noqa: BLE001 - garbage input: any parser error means the same to the user
        return Examen(False, MSG_DANADO)
    if not firmas:
        return Examen(False, MSG_SIN_FIRMA)
    try:
        return fuera_de_un_bucle(_examinar_firma, bytes(contenido), firmas[0], firmante)
    except Exception:  # noqa: BLE001 - a malformed signature object or CMS blob
        _log.warning("Firma ilegible en un PDF verificado", exc_info=True)
        return Examen(False, MSG_MODIFICADO)


def _examinar_firma(contenido: bytes, firma, firmante: Firmante) -> Examen:
    """Judge the first (oldest) signature: a second signature or any later update leaves it short of the file."""
    info = _info_firmada(contenido, firma)
    if firma.signer_cert.dump() != firmante.certificado.dump():
        return Examen(False, MSG_OTRO_FIRMANTE, info)
    contexto = ValidationContext(
        trust_roots=[firmante.certificado],
        allow_fetching=False,
        # The certificate must have been valid when the Invima signed (/M, inside the signed bytes); an expired
        # certificate must not void the constancias it signed while in force.
        moment=firma.self_reported_timestamp or datetime.now(UTC),
    )
    estado = validate_pdf_signature(
        firma,
        signer_validation_context=contexto,
        key_usage_settings=KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}),
    )
    if not (estado.intact and estado.valid):
        return Examen(False, MSG_MODIFICADO, info)
    if estado.coverage != SignatureCoverageLevel.ENTIRE_FILE or estado.modification_level != ModificationLevel.NONE:
        return Examen(False, MSG_MODIFICADO, info)
    if not estado.trusted:
        return Examen(False, MSG_CERTIFICADO, info)
    return Examen(True, MSG_VALIDA, info)


def _info_firmada(contenido: bytes, firma) -> dict[str, str]:
    """The text entries of the document information dictionary of the file as it was signed: the bytes up to the
    end of the signature's byte range, parsed on their own, so that no later update (even one that rewrites the
    signature object) can change what is reported."""
    try:
        _, _, inicio, largo = (int(n) for n in firma.byte_range)
        firmado = contenido[: inicio + largo]
        lector = firma.reader if len(firmado) == len(contenido) else PdfFileReader(io.BytesIO(firmado), strict=False)
        info = lector.trailer_view["/Info"]
        return {str(k): str(v) for k, v in info.items() if isinstance(v, generic.TextStringObject)}
    except Exception:  # noqa: BLE001 - no /Info, a strange byte range, unreadable bytes: nothing to report
        return {}
