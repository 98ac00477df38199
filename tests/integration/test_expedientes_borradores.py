"""Filing a trámite through HTTP on the real database (issue 12 §2): drafts for a company or a person, the FM003
sections with their rules and messages, the checklist with PDF uploads and folios, permissions and isolation."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.catalogo import VERSION_PUBLICADA, Tramite, TramiteVersion
from app.models.expedientes import Expediente
from tests import factories
from tests.helpers import cliente_de, miembro_con_rol, pdf, texto
from tests.helpers_expedientes import (
    crear_borrador,
    datos_pago,
    datos_producto_nuevo,
    datos_titular,
    llenar_formulario,
    subir,
    version_de,
)


def test_crear_borrador_de_registro_de_plaguicida(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    assert "Borrador n.º" in pagina and "Solicitud del registro sanitario" in pagina
    assert "1.1 Datos generales del titular" in pagina and "1.2 Responsable de la transacción bancaria" in pagina
    # The checklist of «Fabricar y vender»: the importer's certificate is only for import modalities.
    assert "Contrato de fabricación" in pagina
    assert "Certificado de existencia y representación legal de importador" not in pagina
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.empresa_id == cliente_empresa_a.empresa_id and expediente.persona_id is None
        assert expediente.datos["titular"]["nombre"] == "Empresa A"  # 1.1 prefilled from the company


def test_la_modalidad_y_la_variante_son_obligatorias(app, cliente_empresa_a):
    with app.app_context():
        registro, cvl = version_de("pld-registro"), version_de("pld-cvl")
    r = cliente_empresa_a.post(
        "/expedientes/nuevo", data={"csrf_token": cliente_empresa_a.csrf, "tramite": registro.id}
    )
    assert r.status_code == 400 and "Elija la modalidad en la que solicita el trámite." in texto(r)
    r = cliente_empresa_a.post("/expedientes/nuevo", data={"csrf_token": cliente_empresa_a.csrf, "tramite": cvl.id})
    assert r.status_code == 400 and "Elija la variante del trámite (la tarifa depende de ella)." in texto(r)
    r = cliente_empresa_a.post("/expedientes/nuevo", data={"csrf_token": cliente_empresa_a.csrf, "tramite": "99999999"})
    assert r.status_code == 400 and "Elija un trámite del catálogo." in texto(r)
    r = cliente_empresa_a.post(
        "/expedientes/nuevo", data={"csrf_token": cliente_empresa_a.csrf, "tramite": "x' OR 1=1"}
    )
    assert r.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Expediente)) == 0


def test_la_variante_elige_la_tarifa(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-cvl", variante="Certificado con observaciones")
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/secciones/pago"))
    assert "4002-2" in pagina and "4002-4" not in pagina
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/secciones/pago",
        data={**datos_pago("4002-4"), "csrf_token": cliente_empresa_a.csrf},
    )
    assert r.status_code == 400 and "Elija una de las opciones." in texto(r)


def test_cada_seccion_valida_con_mensajes_en_espanol(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    url = f"/expedientes/{expediente_id}/secciones/"
    csrf = cliente_empresa_a.csrf
    r = cliente_empresa_a.post(url + "titular", data={**datos_titular(calidad="apoderado"), "csrf_token": csrf})
    assert r.status_code == 400 and "El apoderado debe indicar su tarjeta profesional (T.P.)." in texto(r)
    r = cliente_empresa_a.post(url + "titular", data={**datos_titular(correo="no-es-correo"), "csrf_token": csrf})
    assert r.status_code == 400 and "Escriba un correo electrónico válido." in texto(r)
    r = cliente_empresa_a.post(url + "pago", data={**datos_pago("3006", valor="mil pesos"), "csrf_token": csrf})
    assert r.status_code == 400 and "Escriba el valor en pesos" in texto(r)
    r = cliente_empresa_a.post(url + "producto", data={**datos_producto_nuevo(roles=[]), "csrf_token": csrf})
    assert r.status_code == 400 and "Indique al menos el fabricante del producto." in texto(r)
    r = cliente_empresa_a.post(
        url + "producto", data={**datos_producto_nuevo(), "nombre_producto": "x" * 5000, "csrf_token": csrf}
    )
    assert r.status_code == 400 and "Máximo 200 caracteres." in texto(r)
    r = cliente_empresa_a.post(url + "declaracion", data={"csrf_token": csrf})
    assert r.status_code == 400 and "Debe aceptar la declaración para continuar." in texto(r)
    r = cliente_empresa_a.post(url + "inexistente", data={"csrf_token": csrf})
    assert r.status_code == 404
    with app.app_context():
        assert db.session.get(Expediente, expediente_id).secciones == []  # nothing half-saved


@pytest.mark.parametrize(
    ("escrito", "guardado"),
    [
        ("1250000", 1250000),
        ("1.250.000", 1250000),
        ("$ 1.250.000,00", 1250000),
        ("1250000,50", None),  # centavos: never read as 125000050
        ("12,5", None),
        ("1,250,000", None),
        ("1.25.000", None),
        ("١٢٣", None),  # digits of another script
        ("0", None),
        ("-5", None),
    ],
)
def test_el_valor_del_pago_se_lee_en_pesos_o_se_rechaza(app, cliente_empresa_a, escrito, guardado):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/secciones/pago",
        data={**datos_pago("3006", valor=escrito), "csrf_token": cliente_empresa_a.csrf},
    )
    with app.app_context():
        datos = db.session.get(Expediente, expediente_id).datos
    if guardado is None:
        assert r.status_code == 400 and "Escriba el valor en pesos, sin centavos" in texto(r)
        assert "pago" not in datos
    else:
        assert r.status_code == 302, texto(r)[:2000]
        assert datos["pago"]["valor"] == guardado


def test_un_dato_que_la_respuesta_no_pide_no_se_guarda_y_el_que_pide_es_obligatorio(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    url, csrf = f"/expedientes/{expediente_id}/secciones/", cliente_empresa_a.csrf
    anterior = {"registro_anterior": "PUD-VIEJO", "registro_anterior_vencimiento": "2025-12-31"}
    r = cliente_empresa_a.post(url + "producto", data={**datos_producto_nuevo(**anterior), "csrf_token": csrf})
    assert r.status_code == 302, texto(r)[:2000]  # «No»: the number and date written anyway are not kept
    r = cliente_empresa_a.post(
        url + "titular", data={**datos_titular(tarjeta_profesional="x" * 500), "csrf_token": csrf}
    )
    assert r.status_code == 302, texto(r)[:2000]  # a representante legal: the T.P. is not asked, not even checked
    with app.app_context():
        datos = db.session.get(Expediente, expediente_id).datos
        assert "registro_anterior" not in datos["producto"] and "registro_anterior_vencimiento" not in datos["producto"]
        assert "tarjeta_profesional" not in datos["titular"]
    r = cliente_empresa_a.post(
        url + "producto", data={**datos_producto_nuevo(existio_registro="si"), "csrf_token": csrf}
    )
    assert r.status_code == 400 and "escriba su número y su fecha de vencimiento" in texto(r)
    r = cliente_empresa_a.post(
        url + "producto", data={**datos_producto_nuevo(existio_registro="si", **anterior), "csrf_token": csrf}
    )
    assert r.status_code == 302
    with app.app_context():
        producto = db.session.get(Expediente, expediente_id).datos["producto"]
        assert (producto["registro_anterior"], producto["registro_anterior_vencimiento"]) == ("PUD-VIEJO", "2025-12-31")


def test_las_filas_se_leen_con_cualquier_numero_y_no_pasan_de_veinte(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    url, csrf = f"/expedientes/{expediente_id}/secciones/producto", cliente_empresa_a.csrf
    lejana = {
        "roles-25-rol": "Envasador",
        "roles-25-nombre": "Env lejano",
        "roles-25-direccion": "x",
        "roles-25-ciudad_pais": "y",
    }
    r = cliente_empresa_a.post(url, data={**datos_producto_nuevo(), **lejana, "csrf_token": csrf})
    assert r.status_code == 302, texto(r)[:2000]
    with app.app_context():
        roles = db.session.get(Expediente, expediente_id).datos["producto"]["roles"]
        assert [f["nombre"] for f in roles] == ["Químicos del Valle S.A.S.", "Env lejano"]
    fabricante = ("Fabricante", "Químicos del Valle S.A.S.", "Calle 10 # 20-30", "Cali / Colombia")
    datos = datos_producto_nuevo(roles=[fabricante] * 11)
    for i in range(30, 40):  # 11 + 10 rows, numbered with a gap
        datos |= {
            f"roles-{i}-{c}": v for c, v in zip(("rol", "nombre", "direccion", "ciudad_pais"), fabricante, strict=True)
        }
    r = cliente_empresa_a.post(url, data={**datos, "csrf_token": csrf})
    assert r.status_code == 400 and "Máximo 20 filas." in texto(r)


@pytest.mark.parametrize("vence", ["9999-12-31", "1899-01-01", "31/12/2100"])
def test_una_fecha_de_vencimiento_absurda_se_rechaza_con_su_rango(app, cliente_empresa_a, vence):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-renovacion", modalidad="Fabricar y vender")
    producto = {"registro_numero": "PUD2016-0001234", "vencimiento": vence, "nombre_producto": "Matamoscas Rayo"}
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/secciones/producto", data={**producto, "csrf_token": cliente_empresa_a.csrf}
    )
    assert r.status_code == 400 and "Escriba una fecha entre 1950-01-01 y " in texto(r)
    with app.app_context():
        assert "producto" not in db.session.get(Expediente, expediente_id).secciones


def test_las_secciones_se_guardan_y_se_retoman(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    llenar_formulario(cliente_empresa_a, expediente_id, "pld-registro")
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert set(expediente.secciones) == {"titular", "pago", "producto", "notificacion", "declaracion"}
        assert expediente.nombre_producto == "Matamoscas Rayo"
        assert expediente.datos["producto"]["roles"][0] == {
            "rol": "Fabricante",
            "nombre": "Químicos del Valle S.A.S.",
            "direccion": "Calle 10 # 20-30",
            "ciudad_pais": "Cali / Colombia",
        }
        assert expediente.datos["pago"]["valor"] == 1250000
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/secciones/producto"))
    assert 'value="Matamoscas Rayo"' in pagina and 'value="Químicos del Valle S.A.S."' in pagina


def test_subir_documentos_cuenta_folios_y_rechaza_lo_que_no_es_pdf(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    r = subir(cliente_empresa_a, expediente_id, "contrato_fabricacion", b"<html>no</html>", "contrato.pdf")
    assert r.status_code == 400 and "PDF" in texto(r)
    r = subir(cliente_empresa_a, expediente_id, "contrato_fabricacion", pdf("uno"), "contrato.pdf")
    assert r.status_code == 302
    assert "guardado (1 folio)." in texto(cliente_empresa_a.get(r.headers["Location"]))
    r = subir(cliente_empresa_a, expediente_id, "contrato_fabricacion", pdf("contrato", paginas=3), "contrato.pdf")
    assert r.status_code == 302
    assert "guardado (3 folios)." in texto(cliente_empresa_a.get(r.headers["Location"]))
    with app.app_context():
        anexo = db.session.get(Expediente, expediente_id).anexos[0]
        assert (anexo.clave, anexo.adjunto, anexo.folios, anexo.nombre_archivo) == (
            "contrato_fabricacion",
            True,
            3,
            "contrato.pdf",
        )
        anexo_id = anexo.id
    descarga = cliente_empresa_a.get(f"/expedientes/{expediente_id}/anexos/{anexo_id}/pdf?ver=1")
    assert descarga.status_code == 200 and descarga.data.startswith(b"%PDF")
    assert descarga.headers["Content-Type"] == "application/pdf"
    assert descarga.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in descarga.headers["Content-Security-Policy"]
    # «No se adjunta» clears it; a requisito that is not in this checklist does not exist.
    r = cliente_empresa_a.post(
        f"/expedientes/{expediente_id}/anexos/contrato_fabricacion",
        data={"csrf_token": cliente_empresa_a.csrf, "adjunto": "no"},
    )
    assert r.status_code == 302
    assert subir(cliente_empresa_a, expediente_id, "certificado_importador", pdf("x"), "x.pdf").status_code == 404


def test_otra_empresa_y_otra_persona_no_ven_el_expediente_ni_sus_documentos(app, cliente_empresa_a, cliente_empresa_b):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    subir(cliente_empresa_a, expediente_id, "contrato_fabricacion", pdf("secreto"), "secreto.pdf")
    with app.app_context():
        anexo_id = db.session.get(Expediente, expediente_id).anexos[0].id
    persona = cliente_de(app, factories_usuario(app))
    for cliente in (cliente_empresa_b, persona):
        assert cliente.get(f"/expedientes/{expediente_id}/").status_code == 404
        assert cliente.get(f"/expedientes/{expediente_id}/anexos/{anexo_id}/pdf").status_code == 404
        assert cliente.get(f"/expedientes/{expediente_id}/secciones/titular").status_code == 404
        r = cliente.post(
            f"/expedientes/{expediente_id}/secciones/titular", data={**datos_titular(), "csrf_token": cliente.csrf}
        )
        assert r.status_code == 404
        assert subir(cliente, expediente_id, "contrato_fabricacion", pdf("y"), "y.pdf").status_code == 404
        r = cliente.post(f"/expedientes/{expediente_id}/eliminar", data={"csrf_token": cliente.csrf})
        assert r.status_code == 404
    with app.app_context():
        assert db.session.get(Expediente, expediente_id) is not None


def factories_usuario(app):
    with app.app_context():
        return factories.crear_usuario()


def test_una_persona_natural_radica_a_su_nombre(app, cliente_usuario, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_usuario, "pld-registro", modalidad="Importar y vender")
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        assert expediente.persona_id == cliente_usuario.usuario.id and expediente.empresa_id is None
        assert expediente.datos["titular"]["firmante_identificacion"].startswith("CC ")
    assert cliente_empresa_a.get(f"/expedientes/{expediente_id}/").status_code == 404
    # The same person acting as a company does not see their persona natural drafts there.
    assert cliente_usuario.get(f"/expedientes/{expediente_id}/").status_code == 200


def test_sin_la_hoja_de_borradores_no_se_crea_ni_se_edita(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    cliente = miembro_con_rol(app, cliente_empresa_a.empresa_id)
    r = cliente.get("/expedientes/nuevo")
    assert r.status_code == 403 and "Expedientes → Crear y editar borradores" in texto(r)
    assert cliente.get(f"/expedientes/{expediente_id}/").status_code == 200  # Financiero: Expedientes → Ver
    r = cliente.post(
        f"/expedientes/{expediente_id}/secciones/titular", data={**datos_titular(), "csrf_token": cliente.csrf}
    )
    assert r.status_code == 403
    r = cliente.post(f"/expedientes/{expediente_id}/radicar", data={"csrf_token": cliente.csrf})
    assert r.status_code == 403 and "Expedientes → Radicar" in texto(r)


def test_sin_token_csrf_no_se_guarda(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    r = cliente_empresa_a.post(f"/expedientes/{expediente_id}/secciones/titular", data=datos_titular())
    assert r.status_code == 400
    with app.app_context():
        assert db.session.get(Expediente, expediente_id).secciones == []


def test_eliminar_un_borrador(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    r = cliente_empresa_a.post(f"/expedientes/{expediente_id}/eliminar", data={"csrf_token": cliente_empresa_a.csrf})
    assert r.status_code == 302
    assert cliente_empresa_a.get(f"/expedientes/{expediente_id}/").status_code == 404


@pytest.mark.parametrize("codigo", ["pld-renovacion", "pld-modificacion", "pld-desglose", "pld-cancelacion"])
def test_cada_tipo_de_tramite_tiene_su_seccion_propia(app, cliente_empresa_a, codigo):
    with app.app_context():
        version = version_de(codigo)
        modalidad = version.modalidades[0].nombre if version.modalidades else None
    expediente_id = crear_borrador(app, cliente_empresa_a, codigo, modalidad=modalidad)
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    titulos = {
        "pld-renovacion": "Registro que se renueva",
        "pld-modificacion": "Registro que se modifica",
        "pld-desglose": "Documentos a desglosar",
        "pld-cancelacion": "Registro que se cancela",
    }
    assert titulos[codigo] in pagina
    # 1.2 «No aplica para desgloses ni cancelaciones».
    assert ("1.2 Responsable de la transacción bancaria" in pagina) == (
        codigo in ("pld-renovacion", "pld-modificacion")
    )


def test_la_lista_de_tramites_de_una_persona_solo_ofrece_los_que_admiten_persona_natural(app, cliente_usuario):
    with app.app_context():
        total = len(db.session.scalars(select(TramiteVersion).where(TramiteVersion.estado == VERSION_PUBLICADA)).all())
        abiertos = db.session.scalar(
            select(db.func.count())
            .select_from(TramiteVersion)
            .join(Tramite)
            .where(TramiteVersion.estado == VERSION_PUBLICADA, TramiteVersion.persona_natural.is_(True))
        )
    pagina = texto(cliente_usuario.get("/expedientes/nuevo"))
    assert len(re.findall(r'<option value="\d+"', pagina)) == abiertos <= total


def test_el_menu_de_tramites_sigue_las_hojas_de_la_empresa(app, cliente_empresa_a, cliente_usuario):
    """Acting as a company, «Trámites → Nuevo trámite» and the home page link come from the company's leaves, not
    from the person's platform role (which opens them to a persona natural)."""
    financiero = miembro_con_rol(app, cliente_empresa_a.empresa_id)
    assert "/expedientes/nuevo" not in texto(financiero.get("/"))
    assert "/expedientes/nuevo" in texto(cliente_empresa_a.get("/"))
    assert "/expedientes/nuevo" in texto(cliente_usuario.get("/"))


def test_quien_solo_ve_no_recibe_botones_que_no_puede_usar(app, cliente_empresa_a):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    pagina = texto(miembro_con_rol(app, cliente_empresa_a.empresa_id).get(f"/expedientes/{expediente_id}/"))
    assert "Borrador n.º" in pagina and "Lista de chequeo" in pagina
    assert "form-radicar" not in pagina and "/anexos/" not in pagina and "/eliminar" not in pagina
    assert "no permite radicar" in pagina
    propia = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    assert "form-radicar" in propia and "/eliminar" in propia and "/secciones/titular" in propia


def test_el_solicitante_no_ve_las_notas_internas_del_catalogo(app, cliente_empresa_a):
    """The catalog's `nota` says where the guide states each requisito and why it was read so: it is the
    administrator's and the reviewers' (the verification screen), not text for the applicant's form."""
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    with app.app_context():
        notas = [r.nota for r in version_de("pld-registro").requisitos if r.nota]
    assert notas
    for ruta in ("", "secciones/declaracion"):
        pagina = texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/{ruta}"))
        assert not [n for n in notas if n in pagina], ruta


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("nombre", "Empresa Falsa Distinta S.A.", "El titular de este expediente es «Empresa A»"),
        ("telefono", "abc-def ☎", "Escriba un teléfono"),
        ("firmante_identificacion", "%_'\"<b>", "Escriba el documento con letras, dígitos"),
    ],
)
def test_los_datos_del_titular_son_los_del_titular_y_tienen_forma(app, cliente_empresa_a, campo, valor, mensaje):
    expediente_id = crear_borrador(app, cliente_empresa_a, "pld-registro", modalidad="Fabricar y vender")
    ruta = f"/expedientes/{expediente_id}/secciones/titular"
    r = cliente_empresa_a.post(ruta, data={**datos_titular(**{campo: valor}), "csrf_token": cliente_empresa_a.csrf})
    assert r.status_code == 400 and mensaje in texto(r)
    with app.app_context():
        assert db.session.get(Expediente, expediente_id).secciones == []
    # The same name however it is written: case, accents, spaces and the dots of «S.A.S.».
    datos = datos_titular(nombre="  EMPRESA   a ", telefono="+57 (601) 555-0100", firmante_identificacion="C.E. 12.345")
    r = cliente_empresa_a.post(ruta, data={**datos, "csrf_token": cliente_empresa_a.csrf})
    assert r.status_code == 302, texto(r)[:2000]
