"""«Oferta de servicios» (issue 12 §1): the public page of the catalog, with its search, for anyone."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.services import catalogo
from tests.factories_catalogo import catalogo_de_prueba
from tests.helpers import contar_sentencias, texto

URL = "/oferta-de-servicios/"


@pytest.fixture(scope="module")
def catalogo_publicado(app):
    with app.app_context():
        catalogo.cargar_semilla(db.session, *catalogo_de_prueba("oferta"))
        db.session.commit()


def test_sin_sesion_se_ven_tarifa_vigencia_y_requisitos_por_modalidad(app, catalogo_publicado):
    r = app.test_client().get(URL)
    assert r.status_code == 200
    html = texto(r)
    assert "<h1" in html and "Oferta de servicios" in html and "Cosméticos de prueba" in html
    nso = html[html.index('id="tramite-oferta-nso"') :]
    nso = nso[: nso.index("</article>")]
    assert "Notificación Sanitaria Obligatoria (NSO)" in nso and "código 1027" in nso and "7 años" in nso
    assert "Persona natural o jurídica" in nso and "Fabricar y vender (Nacional)" in nso
    assert "Certificado de venta libre del país de origen" in nso
    fila = nso[nso.index("Certificado de venta libre") :]
    assert fila.index("Importar y vender") < fila.index("</tr>")  # applies to the import modality only
    assert "Verificado internamente por el Invima" in nso  # the RUES check
    cvl = html[html.index('id="tramite-oferta-cvl"') :]
    cvl = cvl[: cvl.index("</article>")]
    assert "código 4002-2 (Certificado con observaciones); código 4002-4 (CVL automático con firma digital)" in cvl
    assert "Sin vigencia: no vence ni se renueva" in cvl and "Persona jurídica" in cvl


def test_la_busqueda_filtra_y_dice_cuando_no_hay_nada(app, catalogo_publicado):
    cliente = app.test_client()
    html = texto(cliente.get(URL, query_string={"q": "firma digital"}))
    assert 'id="tramite-oferta-cvl"' in html and 'id="tramite-oferta-nso"' not in html
    assert "coinciden con «firma digital»" in html
    html = texto(cliente.get(URL, query_string={"q": "<script>zzz"}))
    assert "No hay trámites que coincidan con «&lt;script&gt;zzz»." in html and "<script>zzz" not in html
    r = cliente.get(URL, query_string={"q": "x" * 5000})
    assert r.status_code == 200 and "x" * 101 not in texto(r)


def test_la_pagina_lee_el_catalogo_en_un_numero_fijo_de_sentencias(app, catalogo_publicado):
    cliente = app.test_client()
    cliente.get(URL)
    with contar_sentencias(app) as sentencias:
        assert cliente.get(URL).status_code == 200
    antes = len(sentencias)
    with app.app_context():
        catalogo.cargar_semilla(db.session, *catalogo_de_prueba("oferta2"))
        db.session.commit()
    with contar_sentencias(app) as sentencias:
        assert cliente.get(URL).status_code == 200
    assert len(sentencias) == antes <= 9  # the catalog's 7 and the public role's 2


def test_el_pie_de_cada_pagina_enlaza_la_oferta(app):
    assert f'href="{URL}"' in texto(app.test_client().get("/login/"))
