"""Filing through HTTP in tests: create a draft, fill every section of its form with valid data, attach the
checklist's documents (issue 12 §2). Data is what a real applicant would type."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.models.catalogo import VERSION_PUBLICADA, Tramite, TramiteVersion
from app.models.expedientes import Expediente
from app.services.expedientes import borradores
from tests.helpers import pdf, texto


def version_de(codigo: str) -> TramiteVersion:
    """The published version of the seed catalog's trámite `codigo` (inside an app context)."""
    return db.session.scalar(
        select(TramiteVersion).join(Tramite).where(Tramite.codigo == codigo, TramiteVersion.estado == VERSION_PUBLICADA)
    )


def crear_borrador(app, cliente, codigo: str, modalidad: str | None = None, variante: str | None = None) -> int:
    """A new draft through «Nuevo trámite» (modality by name); its id."""
    with app.app_context():
        version = version_de(codigo)
        modalidad_id = next((m.id for m in version.modalidades if m.nombre == modalidad), "") if modalidad else ""
        version_id = version.id
    r = cliente.post(
        "/expedientes/nuevo",
        data={"csrf_token": cliente.csrf, "tramite": version_id, "modalidad": modalidad_id, "variante": variante or ""},
    )
    assert r.status_code == 302, texto(r)
    return int(re.search(r"/expedientes/(\d+)/", r.headers["Location"]).group(1))


def datos_titular(**cambios) -> dict:
    return {
        "nombre": "Empresa A",
        "direccion": "Calle 26 # 68D - 35",
        "domicilio": "Bogotá D.C.",
        "pais": "Colombia",
        "calidad": "representante_legal",
        "firmante_nombre": "Ana Pérez",
        "firmante_identificacion": "CC 1020304050",
        "tarjeta_profesional": "",
        "notificacion_direccion": "Calle 26 # 68D - 35",
        "notificacion_domicilio": "Bogotá D.C.",
        "correo": "notificaciones@empresa-a.test",
        "telefono": "6015550100",
        **cambios,
    }


def datos_pago(tarifa: str, **cambios) -> dict:
    return {
        "nombre": "Ana Pérez",
        "identificacion": "CC 1020304050",
        "direccion": "Calle 26 # 68D - 35",
        "telefono": "6015550100",
        "ciudad": "Bogotá D.C.",
        "consignacion": "REF-778899",
        "tarifa": tarifa,
        "valor": "1250000",
        "tercero": "no",
        **cambios,
    }


def datos_producto_nuevo(roles=None, **cambios) -> dict:
    roles = (
        [("Fabricante", "Químicos del Valle S.A.S.", "Calle 10 # 20-30", "Cali / Colombia")] if roles is None else roles
    )
    datos = {
        "nombre_producto": "Matamoscas Rayo",
        "marca": "Rayo",
        "tipo_producto": "Insecticida",
        "presentaciones": "Aerosol de 400 ml",
        "existio_registro": "no",
        **cambios,
    }
    for i, (rol, nombre, direccion, ciudad) in enumerate(roles):
        datos |= {f"roles-{i}-rol": rol, f"roles-{i}-nombre": nombre}
        datos |= {f"roles-{i}-direccion": direccion, f"roles-{i}-ciudad_pais": ciudad}
    return datos


DATOS_POR_TIPO = {
    "renovacion": lambda: {
        "registro_numero": "PUD2016-0001234",
        "vencimiento": "2027-09-01",
        "nombre_producto": "Matamoscas Rayo",
    },
    "modificacion": lambda: {"registro_numero": "PUD2016-0001234", "nombre_producto": "Matamoscas Rayo"},
    "certificado": lambda: {"registro_numero": "NSOC12345-22CO", "nombre_producto": "Crema Suave"},
    "desglose": lambda: {
        "registro_numero": "PUD2016-0001234",
        "nombre_producto": "Matamoscas Rayo",
        "radicado_origen": "2025-000123",
        "fecha_radicado": "2025-03-10",
        "folios": "1-40",
        "motivo": "Trámite desistido",
    },
}


def llenar_formulario(cliente, expediente_id: int, codigo: str, declaraciones: dict | None = None, **por_seccion):
    """Post every section of the draft's form with valid data (`por_seccion`: a section's data to use instead)."""
    with cliente.application.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        version = expediente.version
        tarifa = borradores.opciones_de(expediente)["tarifa"]
        decl = {f"decl-{x.requisito.codigo}": "si" for x in borradores.declaraciones(expediente)}
        tipos = [t.codigo for t in version.tipos_modificacion][:1]
        tipo, codigos = version.tipo, [s.codigo for s in borradores.sec.secciones_de(version)]
        titular = expediente.titular_nombre
    producto = (DATOS_POR_TIPO.get(tipo) or datos_producto_nuevo)()
    if tipo == "modificacion":
        producto |= {"tipos": tipos, "descripcion": "Cambio de etiquetas"}
    datos = {
        "titular": datos_titular(nombre=titular),
        "pago": datos_pago(tarifa[0]) if tarifa else {},
        "producto": producto,
        "notificacion": {"autoriza": "si", "correo": "notificaciones@empresa-a.test"},
        "oec": {},
        "declaracion": {"acepta": "si", **(decl if declaraciones is None else declaraciones)},
        **por_seccion,
    }
    for seccion in codigos:
        r = cliente.post(
            f"/expedientes/{expediente_id}/secciones/{seccion}", data={**datos[seccion], "csrf_token": cliente.csrf}
        )
        assert r.status_code == 302, (seccion, texto(r)[:3000])


def subir(cliente, expediente_id: int, clave: str, contenido: bytes, nombre: str = "documento.pdf"):
    return cliente.post(
        f"/expedientes/{expediente_id}/anexos/{clave}",
        data={"csrf_token": cliente.csrf, "adjunto": "si", "archivo": (io.BytesIO(contenido), nombre)},
        content_type="multipart/form-data",
    )


def adjuntar_todo(cliente, expediente_id: int) -> int:
    """Attach a PDF to every obligatory document of the checklist; how many."""
    with cliente.application.app_context():
        claves = [
            x.requisito.codigo
            for x in borradores.checklist(db.session.get(Expediente, expediente_id))
            if x.requisito.satisface == "documento" and x.requisito.obligatorio
        ]
    for i, clave in enumerate(claves):
        r = subir(cliente, expediente_id, clave, pdf(f"{clave}-{i}", paginas=1 + i % 3), f"{clave}.pdf")
        assert r.status_code == 302, texto(r)[:2000]
    return len(claves)


def borrador_listo(
    session, titular, usuario_id: int, codigo: str, directorio: str, documentos: int = 100, producto: dict | None = None
) -> int:
    """A draft of trámite `codigo` ready to radicar, made at service level (no HTTP): every section with the data
    above (`producto`: the trámite's own section instead) and up to `documentos` of its checklist's PDFs stored in
    `directorio`. Its id; the caller commits."""
    from werkzeug.datastructures import MultiDict

    from app.services import documentos as almacen

    version = version_de(codigo)
    modalidad = version.modalidades[0].id if version.modalidades else None
    expediente = borradores.crear(session, titular, usuario_id, version.id, modalidad, None)
    decl = {f"decl-{x.requisito.codigo}": "si" for x in borradores.declaraciones(expediente)}
    tarifas = borradores.opciones_de(expediente)["tarifa"]
    secciones = {
        "titular": datos_titular(nombre=expediente.titular_nombre),
        "pago": datos_pago(tarifas[0]) if tarifas else {},
        "producto": producto or (DATOS_POR_TIPO.get(version.tipo) or datos_producto_nuevo)(),
        "notificacion": {"autoriza": "si", "correo": "notificaciones@empresa-a.test"},
        "declaracion": {"acepta": "si", **decl},
    }
    for seccion in borradores.sec.secciones_de(version):
        borradores.guardar_seccion(
            session, expediente.id, seccion.codigo, MultiDict(secciones[seccion.codigo]), usuario_id
        )
    lineas = [x for x in borradores.checklist(expediente) if x.requisito.satisface == "documento"]
    for i, linea in enumerate(lineas[:documentos]):
        guardado = almacen.guardar(
            directorio, pdf(f"{expediente.id}-{i}", paginas=1 + i % 4), f"{linea.requisito.codigo}.pdf", 10**7
        )
        borradores.guardar_anexo(session, expediente.id, linea.requisito.codigo, True, guardado, usuario_id)
    return expediente.id
