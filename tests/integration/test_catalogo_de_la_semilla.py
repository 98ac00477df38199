"""The catalog shipped in seed/data/catalogo, as `flask seed` loads it (the test database is seeded the same way):
every trámite of the guide is offered with its seed's codes and vigencias, and loading again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models.catalogo import Tramite, TramiteVersion
from app.security.tenancy import todas_las_empresas
from seed import catalogo as semilla
from tests.helpers import texto


def _vigente(codigo: str) -> TramiteVersion:
    return db.session.scalar(
        select(TramiteVersion).join(Tramite).where(Tramite.codigo == codigo, TramiteVersion.estado == "Publicada")
    )


def test_la_semilla_esta_cargada_con_los_codigos_y_vigencias_de_la_guia(app):
    with app.app_context():
        familias, _modalidades, tramites = semilla.leer()
        assert len(tramites) >= 30 and len(familias) == 6
        publicadas = db.session.scalar(
            select(func.count())
            .select_from(TramiteVersion)
            .join(Tramite)
            .where(TramiteVersion.estado == "Publicada", Tramite.codigo.in_([t["codigo"] for t in tramites]))
        )
        assert publicadas == len(tramites)
        nso = _vigente("cos-nso")
        assert ([t.codigo for t in nso.tarifas], nso.vigencia_anios) == (["1027"], 7)
        assert [t.codigo for t in _vigente("cos-nso-renovacion").tarifas] == ["1029"]
        assert [t.codigo for t in _vigente("cos-importador-paralelo").tarifas] == ["1030"]
        assert [t.codigo for t in _vigente("hig-nso").tarifas] == ["3010"]
        registro = _vigente("pld-registro")
        assert registro.vigencia_anios == 10 and registro.tarifas[0].codigo == "3006"
        assert [t.codigo for t in _vigente("cos-cvl").tarifas] == ["4002-2", "4002-4"]
        assert [t.codigo for t in _vigente("plsp-cvl").tarifas] == ["4002-3"]
        assert _vigente("plsp-registro").vigencia_anios is None  # its section states none
        # Each requisito says where in the seed it comes from.
        assert all(r.fuente.strip() for r in registro.requisitos) and len(registro.requisitos) > 20


def test_cargar_otra_vez_no_crea_versiones(app):
    with app.app_context(), todas_las_empresas():
        resultado = semilla.cargar(db.session)
        assert resultado.versiones_nuevas == []
        db.session.rollback()


def test_la_oferta_publica_muestra_el_catalogo_de_la_guia(app):
    html = texto(app.test_client().get("/oferta-de-servicios/"))
    familias = semilla.leer()[0]  # the families are rows of familias.toml, not code
    assert all(f["nombre"] in html for f in familias), familias
    indice = html[html.index('aria-label="Familias de productos"') :]
    indice = indice[: indice.index("</nav>")]
    assert all(f'href="#familia-{f["codigo"]}"' in indice for f in familias)
    registro = html[html.index('id="tramite-pld-registro"') :]
    registro = registro[: registro.index("</article>")]
    assert "códigos 3006, 90093" in registro and "10 años" in registro
    cvl = html[html.index('id="tramite-cos-cvl"') :]
    cvl = cvl[: cvl.index("</article>")]
    fila = cvl[cvl.index("Oficio que indique qué observaciones") :]
    assert "solo Certificado con observaciones" in fila[: fila.index("</tr>")]
    html = texto(app.test_client().get("/oferta-de-servicios/", query_string={"q": "4002-5"}))
    assert 'id="tramite-pld-autorizacion-agotamiento"' in html and 'id="tramite-cos-nso"' not in html
