"""The coordinators' dashboard through HTTP (app/views/flows/tablero_revision.py): the numbers of a known set of
expedientes of the coordinator's grupo — another grupo's never counted —, who may open it, and a constant number of
statements whatever the rows."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models.expedientes import (
    ESTADO_APROBADO,
    ESTADO_ASIGNADO,
    ESTADO_DESISTIDO,
    ESTADO_EN_VERIFICACION,
    ESTADO_NEGADO,
    ESTADO_RADICADO,
    ESTADO_REQUERIMIENTO_ENVIADO,
    ESTADO_REQUERIMIENTO_RESPONDIDO,
    Expediente,
)
from app.models.personas import Usuario
from app.security.roles import ROL_COORDINADOR, ROL_REVISOR_LEGAL
from app.services.fechas import BOGOTA
from app.services.revision import tablero
from app.views.flows import tablero_revision
from tests import factories, factories_empresas
from tests.factories_expedientes import expediente_de_prueba, version_publicada
from tests.helpers import cliente_de, contar_sentencias, texto
from tests.helpers_revision import PLAGUICIDAS, crear_funcionario, funcionario

TABLERO = "/revision/tablero/"
SVG = "{http://www.w3.org/2000/svg}"
# A Wednesday. Días hábiles after it: 19, 20, 24 March (Monday 23 is San José, moved by Ley Emiliani), …; the tenth
# is 6 April (Thursday 2 and Friday 3 April 2026 are Semana Santa).
HOY = date(2026, 3, 18)


def _en_bogota(anio, mes, dia, hora=10, minuto=0) -> datetime:
    return datetime(anio, mes, dia, hora, minuto, tzinfo=BOGOTA)


@pytest.fixture(autouse=True)
def _hoy(monkeypatch):
    monkeypatch.setattr(tablero_revision, "hoy_en_bogota", lambda: HOY)


_numeros = iter(range(1, 10_000))
TITULAR = "1099000001"


def _titular() -> int:
    """The persona natural who filed every expediente of these tests (the titular does not matter here)."""
    usuario = db.session.scalar(select(Usuario).where(Usuario.numero_identificacion == TITULAR))
    return (usuario or factories.crear_usuario(numero=TITULAR)).id


def _expediente(tramite: str, estado: str, vence_en=None, asignado_a=None, decidido_en=None, suspendido=False):
    """A radicated expediente of `tramite` (its family gives the grupo) moved to `estado` with that clock."""
    e = expediente_de_prueba(
        persona_id=_titular(),
        radicado=f"2026-{next(_numeros):06d}",
        radicado_en=_en_bogota(2026, 2, 2),
        version=version_publicada(db.session, tramite),
    )
    cambios = {"estado": estado, "asignado_a_id": asignado_a, "decidido_en": decidido_en}
    if decidido_en is not None or suspendido:
        cambios |= {"reloj_desde": None, "vence_en": None}
    elif vence_en is not None:
        cambios["vence_en"] = vence_en
    db.session.execute(update(Expediente).where(Expediente.id == e.id).values(**cambios))
    db.session.commit()
    return e


def _conjunto_conocido(coordinador_id: int) -> None:
    """Ten expedientes of Cosméticos e higiene and three of Plaguicidas (another grupo)."""
    _expediente("cos-nso", ESTADO_RADICADO, vence_en=date(2026, 3, 17))  # vencido
    _expediente("cos-nso", ESTADO_RADICADO, vence_en=HOY)  # vence hoy
    _expediente("cos-nso", ESTADO_ASIGNADO, vence_en=date(2026, 3, 24), asignado_a=coordinador_id)  # 3 días hábiles
    _expediente("cos-cvl", ESTADO_EN_VERIFICACION, vence_en=date(2026, 3, 25), asignado_a=coordinador_id)  # 4
    _expediente("cos-cvl", ESTADO_EN_VERIFICACION, vence_en=date(2026, 4, 6), asignado_a=coordinador_id)  # 10
    _expediente("cos-cvl", ESTADO_REQUERIMIENTO_ENVIADO, asignado_a=coordinador_id, suspendido=True)
    _expediente(
        "cos-modificacion", ESTADO_REQUERIMIENTO_RESPONDIDO, vence_en=date(2026, 4, 7), asignado_a=coordinador_id
    )
    _expediente("cos-nso", ESTADO_APROBADO, decidido_en=_en_bogota(2026, 3, 16), asignado_a=coordinador_id)
    # Sunday night in Bogotá, Monday in UTC: a decision of the week of 9 March.
    _expediente("cos-nso", ESTADO_NEGADO, decidido_en=_en_bogota(2026, 3, 15, 23, 30), asignado_a=coordinador_id)
    _expediente("cos-cvl", ESTADO_DESISTIDO, decidido_en=_en_bogota(2025, 10, 1))  # before the 12 weeks
    # Plaguicidas: not the coordinator's grupo.
    _expediente("pld-registro", ESTADO_RADICADO, vence_en=date(2026, 3, 10))
    _expediente("pld-registro", ESTADO_REQUERIMIENTO_ENVIADO, suspendido=True)
    _expediente("pld-registro", ESTADO_APROBADO, decidido_en=_en_bogota(2026, 3, 17))


def _svg(html: str, id_base: str) -> ET.Element:
    fragmento = re.search(rf'<svg [^>]*aria-labelledby="{id_base}-titulo.*?</svg>', html, re.S).group(0)
    return ET.fromstring(fragmento)


def _datos(html: str, id_base: str) -> dict[str, int]:
    """label → number, as the chart's <desc> tells a screen reader («A: 1; B: 2.»)."""
    desc = _svg(html, id_base).find(f"{SVG}desc").text
    if desc == "Sin datos.":
        return {}
    pares = (p.rsplit(": ", 1) for p in desc.strip().rstrip(".").split("; "))
    return {etiqueta.strip(): int(valor.replace(".", "")) for etiqueta, valor in pares}


def _cifras(html: str) -> dict[str, int]:
    encontradas = re.findall(
        r'<span class="cifra-valor">([\d.]+)</span>\s*<span class="cifra-nombre">([^<]+)</span>', html
    )
    return {nombre: int(valor.replace(".", "")) for valor, nombre in encontradas}


def _coordinador(app):
    cliente = funcionario(app, ROL_COORDINADOR)
    return cliente, cliente.usuario.id


def test_el_tablero_cuenta_solo_los_expedientes_del_grupo_del_coordinador(app):
    cliente, coordinador_id = _coordinador(app)
    with app.app_context():
        _conjunto_conocido(coordinador_id)
        nombres = {c: version_publicada(db.session, c).nombre for c in ("cos-nso", "cos-cvl", "cos-modificacion")}

    r = cliente.get(TABLERO)
    assert r.status_code == 200
    html = texto(r)
    assert "<h1" in html and "Tablero de revisión" in html and "18/03/2026" in html

    assert _cifras(html) == {"Abiertos": 7, "Sin asignar": 2, "Vencidos": 1, "Requerimientos abiertos": 1}
    assert _datos(html, "grafica-estado") == {
        "Radicado": 2,
        "Asignado": 1,
        "En verificación": 2,
        "Requerimiento enviado": 1,
        "Requerimiento respondido": 1,
        "Aprobado": 1,
        "Negado": 1,
        "Desistido": 1,
        "En recurso": 0,
    }
    assert _datos(html, "grafica-plazo") == {
        "Vencidos": 1,
        "Vence hoy": 1,
        "Vence en 1 a 3 días hábiles": 1,
        "Vence en 4 a 10 días hábiles": 2,
        "Vence en más de 10 días hábiles": 1,
        "Término suspendido": 1,
    }
    assert list(_datos(html, "grafica-tramite").items()) == [
        (nombres["cos-cvl"], 3),
        (nombres["cos-nso"], 3),
        (nombres["cos-modificacion"], 1),
    ]
    # «Abiertos» and «Sin asignar» open the queue filtered to what they count (QA: «Abiertos» opened it whole).
    for nombre, filtro in (("Abiertos", "_flt_0_estado=abiertos"), ("Sin asignar", "_flt_0_asignado_a=sin_asignar")):
        enlace = re.search(rf'href="([^"]*{filtro}[^"]*)"', html)
        assert enlace, nombre
        cola_html = texto(cliente.get(enlace.group(1).replace("&amp;", "&")))
        assert f"<strong>Registros:</strong> {_cifras(html)[nombre]}" in cola_html, nombre
    assert 'href="/revision/cola/?_flt_0_vence_en=vencidos"' in html
    semanas = _datos(html, "grafica-semana")
    assert len(semanas) == 12 and sum(semanas.values()) == 2
    assert next(iter(semanas)) == "Semana del 29/12/2025"
    assert semanas["Semana del 16/03/2026"] == 1 and semanas["Semana del 09/03/2026"] == 1


def test_cada_estado_enlaza_a_la_cola_filtrada(app):
    cliente, coordinador_id = _coordinador(app)
    with app.app_context():
        _expediente("cos-nso", ESTADO_REQUERIMIENTO_ENVIADO, asignado_a=coordinador_id, suspendido=True)
    html = texto(cliente.get(TABLERO))
    enlaces = {a.get("aria-label"): a.get("href") for a in _svg(html, "grafica-estado").iter(f"{SVG}a")}
    assert enlaces["Requerimiento enviado: 1. Ver en la cola"] == (
        "/revision/cola/?_flt_0_estado=Requerimiento+enviado"
    )
    assert enlaces["En verificación: 0. Ver en la cola"] == "/revision/cola/?_flt_0_estado=En+verificaci%C3%B3n"
    assert 'href="/revision/cola/?_flt_0_estado=Requerimiento+enviado"' in html  # the headline number too


def test_sin_expedientes_el_tablero_muestra_ceros(app):
    cliente, _ = _coordinador(app)
    html = texto(cliente.get(TABLERO))
    assert _cifras(html) == {"Abiertos": 0, "Sin asignar": 0, "Vencidos": 0, "Requerimientos abiertos": 0}
    assert set(_datos(html, "grafica-estado").values()) == {0}
    assert _datos(html, "grafica-tramite") == {}  # «Sin datos»
    assert set(_datos(html, "grafica-semana").values()) == {0}


def test_los_tramites_fuera_de_los_primeros_van_a_otros(app):
    with app.app_context():
        coordinador = crear_funcionario(ROL_COORDINADOR)
        _expediente("cos-nso", ESTADO_RADICADO, vence_en=HOY)
        _expediente("cos-nso", ESTADO_RADICADO, vence_en=HOY)
        _expediente("cos-cvl", ESTADO_RADICADO, vence_en=HOY)
        _expediente("cos-modificacion", ESTADO_RADICADO, vence_en=HOY)
        _expediente("cos-cancelacion", ESTADO_ASIGNADO, vence_en=HOY, asignado_a=coordinador.id)
        datos = tablero.calcular(db.session, HOY, top_tramites=2)
    assert [(c.clave, c.valor) for c in datos.por_tramite] == [("cos-nso", 2), ("cos-cancelacion", 1), (None, 2)]
    assert datos.por_tramite[-1].etiqueta == "Otros trámites"


# ---------------------------------------------------------------- who


def test_un_revisor_no_coordinador_recibe_403(app):
    revisor = funcionario(app, ROL_REVISOR_LEGAL)
    r = revisor.get(TABLERO)
    assert r.status_code == 403 and "cifra-valor" not in texto(r)
    assert 'href="/revision/tablero/"' not in texto(revisor.get("/perfil/"))


def test_el_menu_del_coordinador_lleva_al_tablero(app):
    cliente, _ = _coordinador(app)
    html = texto(cliente.get("/perfil/"))
    assert "Revisión" in html and 'href="/revision/tablero/"' in html and "Tablero de revisión" in html


def test_actuando_como_empresa_el_tablero_se_cierra(app):
    with app.app_context():
        coordinador = crear_funcionario(ROL_COORDINADOR)
        empresa_id = factories_empresas.crear_empresa(administrador=coordinador).id
    como_empresa = cliente_de(app, coordinador, empresa_id)
    r = como_empresa.get(TABLERO)
    assert r.status_code == 403 and "no actúan como empresa" in texto(r)
    assert 'href="/revision/tablero/"' not in texto(como_empresa.get("/"))


def test_sin_sesion_va_al_ingreso(app):
    r = app.test_client().get(TABLERO)
    assert r.status_code == 302 and "/login/" in r.headers["Location"]


def test_un_coordinador_sin_grupo_recibe_403(app):
    cliente = funcionario(app, ROL_COORDINADOR, grupos=())
    r = cliente.get(TABLERO)
    assert r.status_code == 403 and "no es un funcionario activo de un grupo" in texto(r)


def test_un_coordinador_de_otro_grupo_no_ve_los_de_cosmeticos(app):
    cliente = funcionario(app, ROL_COORDINADOR, grupos=(PLAGUICIDAS,))
    with app.app_context():
        _expediente("cos-nso", ESTADO_RADICADO, vence_en=date(2026, 3, 17))
        _expediente("pld-registro", ESTADO_RADICADO, vence_en=HOY)
    assert _cifras(texto(cliente.get(TABLERO)))["Abiertos"] == 1
    assert _cifras(texto(cliente.get(TABLERO)))["Vencidos"] == 0


# ---------------------------------------------------------------- statements


def test_el_tablero_hace_las_mismas_sentencias_con_o_sin_expedientes(app):
    cliente, coordinador_id = _coordinador(app)
    cliente.get(TABLERO)  # caches of the first request (permissions, menu)
    with contar_sentencias(app) as vacio:
        assert cliente.get(TABLERO).status_code == 200
    with app.app_context():
        _conjunto_conocido(coordinador_id)
        for _ in range(3):
            _expediente("cos-cancelacion", ESTADO_ASIGNADO, vence_en=HOY, asignado_a=coordinador_id)
    with contar_sentencias(app) as lleno:
        assert cliente.get(TABLERO).status_code == 200
    assert len(lleno) == len(vacio), "\n".join(lleno)
    sobre_expediente = [s for s in lleno if "FROM expediente" in s]
    assert len(sobre_expediente) == 4, sobre_expediente
    # The user with permissions, the funcionario's grupos, and the dashboard's four aggregates.
    assert len(lleno) <= 6, "\n".join(lleno)
