"""The catalog of trámites as data (issue 12 §1): loading the seed idempotently, versions that never change once
published, drafts, and the search of the public «Oferta de servicios»."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from app.models.catalogo import Tramite, TramiteVersion
from app.services import catalogo
from app.services.errores import ErrorDominio
from tests.factories_catalogo import CVL, FAMILIAS, MODALIDADES, NSO


def _cargar(sesion, *tramites):
    return catalogo.cargar_semilla(sesion, FAMILIAS, MODALIDADES, list(tramites or (NSO, CVL)))


def _versiones(sesion, codigo):
    return sesion.scalars(
        select(TramiteVersion).join(Tramite).where(Tramite.codigo == codigo).order_by(TramiteVersion.numero)
    ).all()


def test_la_semilla_crea_una_version_publicada_y_cargarla_otra_vez_no_cambia_nada(db_session):
    resultado = _cargar(db_session)
    assert resultado.versiones_nuevas == ["prueba-nso", "prueba-cvl"]
    (nso,) = _versiones(db_session, "prueba-nso")
    assert (nso.numero, nso.estado, nso.vigencia_anios, nso.persona_natural) == (1, "Publicada", 7, True)
    assert [str(t) for t in nso.tarifas] == ["1027"]
    assert [m.codigo for m in nso.modalidades] == ["prueba_fab", "prueba_imp"]
    cle = next(r for r in nso.requisitos if r.codigo == "cle")
    fabricar, importar = nso.modalidades
    assert cle.aplica_a(importar) and not cle.aplica_a(fabricar)
    assert all(r.aplica_a(fabricar) for r in nso.requisitos if r.codigo != "cle")
    assert nso.tramite.familia.agotamiento_meses == 12
    assert _cargar(db_session).versiones_nuevas == []
    assert len(_versiones(db_session, "prueba-nso")) == 1


def test_un_cambio_en_la_semilla_es_una_version_nueva_y_la_anterior_queda_intacta(db_session):
    _cargar(db_session)
    cambiado = copy.deepcopy(NSO)
    cambiado["tarifa"] = [{"codigo": "1029", "variante": ""}]
    cambiado["requisito"] = cambiado["requisito"][:1]
    assert _cargar(db_session, cambiado, CVL).versiones_nuevas == ["prueba-nso"]
    v1, v2 = _versiones(db_session, "prueba-nso")
    assert (v1.estado, v2.estado) == ("Reemplazada", "Publicada")
    assert [str(t) for t in v1.tarifas] == ["1027"] and len(v1.requisitos) == 3  # what was filed under v1 stays
    assert [str(t) for t in v2.tarifas] == ["1029"] and len(v2.requisitos) == 1


def test_el_administrador_trabaja_en_un_borrador_y_la_semilla_no_pisa_lo_que_publico(db_session):
    _cargar(db_session)
    (v1,) = _versiones(db_session, "prueba-nso")
    with pytest.raises(ErrorDominio, match="ya está publicada y no se puede cambiar"):
        catalogo.exigir_borrador(v1)
    borrador = catalogo.nueva_version(db_session, v1.id, None)
    assert (borrador.numero, borrador.estado, borrador.origen) == (2, "Borrador", "administrador")
    assert [r.codigo for r in borrador.requisitos] == ["formulario", "cle", "rues"]
    assert [m.codigo for m in borrador.requisitos[1].modalidades] == ["prueba_imp"]
    assert {r.id for r in borrador.requisitos}.isdisjoint({r.id for r in v1.requisitos})
    catalogo.exigir_borrador(borrador)  # a draft may change
    with pytest.raises(ErrorDominio, match="ya tiene un borrador"):
        catalogo.nueva_version(db_session, v1.id, None)
    with pytest.raises(ErrorDominio, match="ya está publicada: no hay nada más que publicar"):
        catalogo.publicar(db_session, v1.id, None)
    borrador.vigencia_anios = 5
    catalogo.publicar(db_session, borrador.id, None)
    assert [(v.numero, v.estado) for v in _versiones(db_session, "prueba-nso")] == [
        (1, "Reemplazada"),
        (2, "Publicada"),
    ]
    cambiado = copy.deepcopy(NSO) | {"vigencia_anios": 10}
    resultado = _cargar(db_session, cambiado, CVL)
    assert resultado.versiones_nuevas == [] and resultado.del_administrador == ["prueba-nso"]
    assert catalogo.vigente(db_session, v1.tramite_id).vigencia_anios == 5


def test_un_borrador_sin_requisitos_no_se_publica(db_session):
    _cargar(db_session)
    (v1,) = _versiones(db_session, "prueba-cvl")
    borrador = catalogo.nueva_version(db_session, v1.id, None)
    borrador.requisitos.clear()
    db_session.flush()
    with pytest.raises(ErrorDominio, match="no tiene requisitos"):
        catalogo.publicar(db_session, borrador.id, None)
    assert catalogo.vigente(db_session, v1.tramite_id).id == v1.id


@pytest.mark.parametrize(
    ("texto", "esperados"),
    [
        ("", ["prueba-nso", "prueba-cvl"]),
        ("1027", ["prueba-nso"]),
        ("NOTIFICACION sanitaria", ["prueba-nso"]),  # no accents, any case
        ("firma digital", ["prueba-cvl"]),  # a tarifa's variant
        ("venta libre", ["prueba-nso", "prueba-cvl"]),  # a requisito, and a name
        ("%", []),  # text, not a wildcard
    ],
)
def test_la_oferta_de_servicios_busca_por_nombre_tarifa_y_requisito(db_session, texto, esperados):
    _cargar(db_session)
    familias = catalogo.oferta(db_session, texto)
    encontrados = [v.tramite.codigo for f in familias for v in f.versiones if v.tramite.codigo.startswith("prueba")]
    assert encontrados == esperados
    if esperados:
        assert [f.familia.codigo for f in familias if f.familia.codigo.startswith("prueba")] == sorted(
            {"prueba-nso": "prueba_cos", "prueba-cvl": "prueba_pla"}[c] for c in esperados
        )


def test_la_base_de_datos_rechaza_cambiar_una_version_publicada_o_sus_requisitos(db_session):
    """Even a change that bypasses the service (SQL, a future bug) cannot alter what expedientes were filed under."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    _cargar(db_session)
    (v1,) = _versiones(db_session, "prueba-nso")
    ids = {"v": v1.id, "r": v1.requisitos[0].id}
    for sql in (
        "UPDATE tramite_version SET vigencia_anios = 3 WHERE id = :v",
        "UPDATE tramite_version SET estado = 'Borrador' WHERE id = :v",
        "DELETE FROM tramite_version WHERE id = :v",
        "UPDATE requisito SET nombre = 'Otro' WHERE id = :r",
        "DELETE FROM requisito WHERE id = :r",
        "DELETE FROM requisito_modalidad WHERE requisito_id IN (SELECT id FROM requisito WHERE version_id = :v)",
        "INSERT INTO tarifa (version_id, codigo, variante, orden) VALUES (:v, '9999', '', 9)",
        "DELETE FROM tramite_version_modalidad WHERE version_id = :v",
    ):
        punto = db_session.begin_nested()
        with pytest.raises(DBAPIError, match="no se puede"):
            db_session.execute(text(sql), ids)
        punto.rollback()
    # A draft changes freely; publishing it moves the old one to «Reemplazada», never back.
    borrador = catalogo.nueva_version(db_session, v1.id, None)
    db_session.execute(text("UPDATE requisito SET nombre = 'Cambiado' WHERE version_id = :b"), {"b": borrador.id})
    catalogo.publicar(db_session, borrador.id, None)
    punto = db_session.begin_nested()
    with pytest.raises(DBAPIError, match="no se puede cambiar"):
        db_session.execute(text("UPDATE tramite_version SET estado = 'Publicada' WHERE id = :v"), ids)
    punto.rollback()


def test_un_requisito_de_una_sola_variante_de_la_tarifa(db_session):
    _cargar(db_session)
    (cvl,) = _versiones(db_session, "prueba-cvl")
    pago, oficio = cvl.requisitos
    assert oficio.variantes == ["Certificado con observaciones"] and pago.variantes == []
    assert oficio.aplica_a(None, "Certificado con observaciones") and not oficio.aplica_a(
        None, "CVL automático con firma digital"
    )
    assert pago.aplica_a(None, "CVL automático con firma digital")
    borrador = catalogo.nueva_version(db_session, cvl.id, None)
    copia = next(r for r in borrador.requisitos if r.codigo == "oficio")
    assert copia.variantes == ["Certificado con observaciones"]
    catalogo.exigir_variantes_del_tramite(copia)
    copia.variantes = ["Certificado exprés"]
    with pytest.raises(ErrorDominio, match="«Certificado exprés» no es una variante de la tarifa de este trámite"):
        catalogo.exigir_variantes_del_tramite(copia)
