"""«Mis expedientes» through HTTP (app/views/crud/expedientes.py): whose rows each person sees, who may come in,
the search, the order on the titular's index and a constant number of statements per page."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models.catalogo import Tramite
from app.services.empresas import invitaciones, membresias
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from app.services.fechas import BOGOTA
from app.views.crud.expedientes import MisExpedientesView
from app.web import vistas_modelo
from tests import factories
from tests.factories_expedientes import expediente_de_prueba, version_publicada
from tests.helpers import cliente_de, contar_sentencias, texto

LISTA = "/expedientes/mis/"
VISTA = "MisExpedientesView"


def _filas(html: str) -> list[str]:
    """The radicado (or «Borrador n.º …») of each row of the list, in order."""
    return re.findall(r'<a class="text-nowrap" href="/expedientes/\d+/">([^<]+)</a>', html)


def _en_bogota(anio, mes, dia, hora=10) -> datetime:
    return datetime(anio, mes, dia, hora, tzinfo=BOGOTA)


def _miembro_con_hojas(app, empresa_id: int, hojas: frozenset[str]):
    """A member of the company whose only role grants `hojas`, logged in and acting as the company."""
    with app.app_context():
        persona = factories.crear_usuario()
        rol = roles_empresa.crear(
            db.session, empresa_id, None, DatosRol("Solo " + ", ".join(sorted(hojas)), "", "activo", hojas)
        )
        m = membresias.invitar(
            db.session, empresa_id, None, persona.tipo_identificacion_id, persona.numero_identificacion, [rol.id]
        )
        invitaciones.aceptar(db.session, persona, m.id)
        db.session.commit()
        db.session.refresh(persona)
    return cliente_de(app, persona, empresa_id)


# ---------------------------------------------------------------- whose rows


def test_cada_empresa_ve_solo_sus_expedientes(app, cliente_empresa_a, cliente_empresa_b, cliente_usuario):
    with app.app_context():
        borrador_a = expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, nombre_producto="Crema Alfa").id
        expediente_de_prueba(
            empresa_id=cliente_empresa_a.empresa_id, radicado="2026-000001", nombre_producto="Gel Alfa"
        )
        expediente_de_prueba(
            empresa_id=cliente_empresa_b.empresa_id, radicado="2026-000002", nombre_producto="Jabón Beta"
        )
        expediente_de_prueba(persona_id=cliente_usuario.usuario.id, radicado="2026-000003", nombre_producto="Talco")

    html_a = texto(cliente_empresa_a.get(LISTA))
    assert sorted(_filas(html_a)) == ["2026-000001", f"Borrador n.º {borrador_a}"]
    assert "Crema Alfa" in html_a and "Gel Alfa" in html_a
    assert "Jabón Beta" not in html_a and "Talco" not in html_a and "2026-000002" not in html_a

    html_b = texto(cliente_empresa_b.get(LISTA))
    assert _filas(html_b) == ["2026-000002"] and "Alfa" not in html_b and "Talco" not in html_b


def test_una_pagina_despues_de_la_ultima_lo_dice_y_enlaza_la_primera(app, cliente_empresa_a):
    with app.app_context():
        expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, nombre_producto="Crema Alfa")
    assert "Esta página no tiene filas" not in texto(cliente_empresa_a.get(LISTA))
    html = texto(cliente_empresa_a.get(f"{LISTA}?page_MisExpedientesView=99"))
    assert "Esta página no tiene filas" in html and "page_MisExpedientesView=0" in html


def test_la_persona_natural_ve_solo_los_suyos(app, cliente_usuario, cliente_empresa_a):
    with app.app_context():
        otra = factories.crear_usuario()
        expediente_de_prueba(persona_id=cliente_usuario.usuario.id, radicado="2026-000010", nombre_producto="Talco")
        expediente_de_prueba(persona_id=otra.id, radicado="2026-000011", nombre_producto="Ajeno")
        expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, radicado="2026-000012", nombre_producto="Alfa")

    r = cliente_usuario.get(LISTA)
    assert r.status_code == 200
    assert _filas(texto(r)) == ["2026-000010"] and "Ajeno" not in texto(r) and "Alfa" not in texto(r)

    # The company's own administrator, acting as persona natural, does not see the company's expedientes.
    como_persona = cliente_de(app, cliente_empresa_a.usuario)
    r = como_persona.get(LISTA)
    assert r.status_code == 200 and _filas(texto(r)) == [] and "2026-000012" not in texto(r)


def test_un_miembro_sin_la_hoja_expedientes_ver_recibe_403(app, cliente_empresa_a):
    with app.app_context():
        expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, radicado="2026-000020")
    sin_hoja = _miembro_con_hojas(app, cliente_empresa_a.empresa_id, frozenset({"usuarios.ver"}))
    r = sin_hoja.get(LISTA)
    assert r.status_code == 403 and "(Expedientes → Ver)" in texto(r) and "2026-000020" not in texto(r)

    con_hoja = _miembro_con_hojas(app, cliente_empresa_a.empresa_id, frozenset({"expedientes.ver"}))
    r = con_hoja.get(LISTA)
    assert r.status_code == 200 and _filas(texto(r)) == ["2026-000020"]


def test_sin_sesion_va_al_ingreso_y_solo_existe_la_lista(app, cliente_empresa_a):
    r = app.test_client().get(LISTA)
    assert r.status_code == 302 and "/login/" in r.headers["Location"]
    assert cliente_empresa_a.get("/expedientes/mis/show/1").status_code == 404
    assert cliente_empresa_a.get("/expedientes/mis/edit/1").status_code == 404


# ---------------------------------------------------------------- the page


def test_la_pagina_enlaza_cada_expediente_y_ofrece_nuevo_tramite(app, cliente_empresa_a):
    with app.app_context():
        version = version_publicada(db.session)
        borrador = expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, creado_en=_en_bogota(2026, 3, 2)).id
        radicado = expediente_de_prueba(
            empresa_id=cliente_empresa_a.empresa_id,
            radicado="2026-000030",
            creado_en=_en_bogota(2026, 3, 1, 9),
            radicado_en=_en_bogota(2026, 3, 1, 15),
            nombre_producto=None,
        ).id
        nombre_tramite = version.nombre
    html = texto(cliente_empresa_a.get(LISTA))
    assert "<h1" in html and "Mis expedientes" in html
    assert f'<a class="text-nowrap" href="/expedientes/{borrador}/">Borrador n.º {borrador}</a>' in html
    assert f'<a class="text-nowrap" href="/expedientes/{radicado}/">2026-000030</a>' in html
    assert 'href="/expedientes/nuevo"' in html and "Nuevo trámite" in html
    assert nombre_tramite in html and "None" not in html
    assert "01/03/2026 09:00 a. m." in html and "01/03/2026 03:00 p. m." in html
    for encabezado in ("Radicado", "Trámite", "Producto", "Estado", "Creado", "Radicado en"):
        assert f">{encabezado}<" in html or f"{encabezado}\n" in html, encabezado
    # Only «Creado» sorts; no detail, edit or delete buttons.
    assert f"_oc_{VISTA}=creado_en" in html and f"_oc_{VISTA}=estado" not in html
    assert "/expedientes/mis/show/" not in html and "/expedientes/mis/edit/" not in html


def test_el_menu_tramites_lleva_a_mis_expedientes(app, cliente_usuario):
    html = texto(cliente_usuario.get("/perfil/"))
    assert "Trámites" in html and 'href="/expedientes/mis/"' in html


# ---------------------------------------------------------------- order


def test_por_defecto_los_mas_recientes_primero_y_creado_ordena_en_los_dos_sentidos(app, cliente_empresa_a):
    eid = cliente_empresa_a.empresa_id
    with app.app_context():
        mismo_momento = _en_bogota(2026, 2, 1)
        for numero, creado in (
            (1, _en_bogota(2025, 1, 5)),
            (2, _en_bogota(2026, 6, 1)),
            (3, mismo_momento),
            (4, mismo_momento),  # same moment: the id breaks the tie
            (5, _en_bogota(2024, 12, 31)),
        ):
            expediente_de_prueba(empresa_id=eid, radicado=f"2026-00004{numero}", creado_en=creado)
    recientes = ["2026-000042", "2026-000044", "2026-000043", "2026-000041", "2026-000045"]
    assert _filas(texto(cliente_empresa_a.get(LISTA))) == recientes
    desc = f"{LISTA}?_oc_{VISTA}=creado_en&_od_{VISTA}=desc"
    asc = f"{LISTA}?_oc_{VISTA}=creado_en&_od_{VISTA}=asc"
    assert _filas(texto(cliente_empresa_a.get(desc))) == recientes
    assert _filas(texto(cliente_empresa_a.get(asc))) == list(reversed(recientes))
    # Pages follow the same order.
    segunda = texto(cliente_empresa_a.get(f"{LISTA}?psize_{VISTA}=2&page_{VISTA}=1"))
    assert _filas(segunda) == recientes[2:4]


@contextmanager
def _sentencias_con_parametros(app):
    """As helpers.contar_sentencias, with each statement's parameters (to EXPLAIN it as it ran)."""
    with app.app_context():
        motor = db.engine
    capturadas: list[tuple[str, dict]] = []

    def registrar(conn, cursor, statement, parameters, context, executemany):
        capturadas.append((statement, parameters))

    event.listen(motor, "before_cursor_execute", registrar)
    try:
        yield capturadas
    finally:
        event.remove(motor, "before_cursor_execute", registrar)


@pytest.mark.parametrize("direccion", ["desc", "asc"])
@pytest.mark.parametrize("titular", ["empresa", "persona"])
def test_la_pagina_se_lee_del_indice_del_titular_sin_ordenar(
    app, cliente_empresa_a, cliente_usuario, direccion, titular
):
    """EXPLAIN of the page's own statement, with sorting made prohibitive: the index gives the order (no Sort node)."""
    cliente = cliente_empresa_a if titular == "empresa" else cliente_usuario
    with app.app_context():
        for dia in range(1, 4):
            expediente_de_prueba(
                empresa_id=cliente.empresa_id,
                persona_id=None if titular == "empresa" else cliente.usuario.id,
                creado_en=_en_bogota(2026, 1, dia),
            )
    with _sentencias_con_parametros(app) as capturadas:
        r = cliente.get(f"{LISTA}?_oc_{VISTA}=creado_en&_od_{VISTA}={direccion}")
    assert r.status_code == 200 and len(_filas(texto(r))) == 3
    pagina = [(s, p) for s, p in capturadas if "FROM expediente" in s and "LIMIT" in s and "count(" not in s]
    assert len(pagina) == 1
    sentencia, parametros = pagina[0]
    sentido = direccion.upper()
    assert f"ORDER BY expediente.creado_en {sentido}, expediente.id {sentido}" in sentencia
    with app.app_context(), db.engine.connect() as conexion:
        conexion.exec_driver_sql("SET enable_sort = off")
        conexion.exec_driver_sql("SET enable_seqscan = off")
        conexion.exec_driver_sql("SET enable_bitmapscan = off")
        plan = "\n".join(f[0] for f in conexion.exec_driver_sql("EXPLAIN " + sentencia, parametros))
    indice = f"ix_expediente_{titular}_creado"
    assert indice in plan and "Sort" not in plan, plan


# ---------------------------------------------------------------- search


@pytest.fixture
def expedientes_de_a(app, cliente_empresa_a):
    eid = cliente_empresa_a.empresa_id
    with app.app_context():
        otro_tramite = db.session.scalars(select(Tramite.codigo).order_by(Tramite.codigo.desc()).limit(1)).one()
        version = version_publicada(db.session, otro_tramite)
        expediente_de_prueba(empresa_id=eid, creado_en=_en_bogota(2026, 1, 10), nombre_producto="Borrador enero")
        expediente_de_prueba(
            empresa_id=eid, radicado="2025-000100", creado_en=_en_bogota(2025, 11, 3), nombre_producto="Noviembre"
        )
        expediente_de_prueba(
            empresa_id=eid, radicado="2026-000101", creado_en=_en_bogota(2026, 2, 14, 23), nombre_producto="Febrero"
        )
        expediente_de_prueba(
            empresa_id=eid,
            radicado="2026-000200",
            creado_en=_en_bogota(2026, 2, 15, 0),
            nombre_producto="Otro trámite",
            version=version,
        )
    return otro_tramite


def _buscar(cliente, **filtros) -> list[str]:
    consulta = "&".join(f"_flt_{clave}={valor}" for clave, valor in filtros.items())
    r = cliente.get(f"{LISTA}?{consulta}")
    assert r.status_code == 200, texto(r)[:1000]
    return sorted(_filas(texto(r)))


def test_busqueda_por_estado(cliente_empresa_a, expedientes_de_a):
    assert _buscar(cliente_empresa_a, **{"0_estado": "Radicado"}) == ["2025-000100", "2026-000101", "2026-000200"]
    borradores = _buscar(cliente_empresa_a, **{"0_estado": "Borrador"})
    assert len(borradores) == 1 and borradores[0].startswith("Borrador n.º ")
    assert cliente_empresa_a.get(f"{LISTA}?_flt_0_estado=Cualquiera").status_code == 400  # not an estado it offers


def test_busqueda_por_radicado_empieza_por(cliente_empresa_a, expedientes_de_a):
    assert _buscar(cliente_empresa_a, **{"0_radicado": "2026-0001"}) == ["2026-000101"]
    assert _buscar(cliente_empresa_a, **{"0_radicado": "2026"}) == ["2026-000101", "2026-000200"]
    assert _buscar(cliente_empresa_a, **{"0_radicado": " 2025-000100 "}) == ["2025-000100"]


@pytest.mark.parametrize("comodin", ["%25", "2026-%25", "_", "2026_", "____-000101", "%25000101"])
def test_un_comodin_en_el_radicado_es_literal(cliente_empresa_a, expedientes_de_a, comodin):
    assert _buscar(cliente_empresa_a, **{"0_radicado": comodin}) == []


def test_busqueda_por_fecha_de_creacion_en_dias_de_bogota(cliente_empresa_a, expedientes_de_a):
    desde = {"0_creado_en": "2026-02-15"}
    assert _buscar(cliente_empresa_a, **desde) == ["2026-000200"]
    hasta = _buscar(cliente_empresa_a, **{"1_creado_en": "2026-02-14"})
    assert hasta[:2] == ["2025-000100", "2026-000101"] and hasta[2].startswith("Borrador")  # and January's draft
    # Both ends of one day; the list's own format (dd/mm/aaaa) works too.
    assert _buscar(cliente_empresa_a, **{"0_creado_en": "2026-02-14", "1_creado_en": "14/02/2026"}) == ["2026-000101"]
    r = cliente_empresa_a.get("/expedientes/mis/?_flt_0_creado_en=no es fecha")  # said, not an empty list
    assert r.status_code == 400 and "escríbala como AAAA-MM-DD" in texto(r)


def test_busqueda_por_tramite(app, cliente_empresa_a, expedientes_de_a):
    otro_tramite = expedientes_de_a
    assert _buscar(cliente_empresa_a, **{"0_version": otro_tramite}) == ["2026-000200"]
    assert _buscar(cliente_empresa_a, **{"0_version": "no-existe"}) == []
    # The search offers the published trámites, not a table of versions.
    html = texto(cliente_empresa_a.get(LISTA))
    assert f'value=\\"{otro_tramite}\\"' in html or f'value="{otro_tramite}"' in html


def test_filtros_combinados_y_otra_empresa_con_el_mismo_radicado_no_aparece(
    app, cliente_empresa_a, cliente_empresa_b, expedientes_de_a
):
    with app.app_context():
        expediente_de_prueba(empresa_id=cliente_empresa_b.empresa_id, radicado="2026-000102")
    filtros = {"0_estado": "Radicado", "0_radicado": "2026-0001", "0_creado_en": "2026-01-01"}
    assert _buscar(cliente_empresa_a, **filtros) == ["2026-000101"]
    assert _buscar(cliente_empresa_b, **filtros) == ["2026-000102"]


# ---------------------------------------------------------------- cost


def test_una_pagina_cuesta_las_mismas_sentencias_con_5_o_30_filas(app, cliente_empresa_a, cliente_usuario):
    for cliente in (cliente_empresa_a, cliente_usuario):
        titular = {"empresa_id": cliente.empresa_id} if cliente.empresa_id else {"persona_id": cliente.usuario.id}
        with app.app_context():
            for n in range(5):
                expediente_de_prueba(**titular, radicado=f"2026-{cliente.usuario.id:02d}{n:04d}")
        with contar_sentencias(app) as pocas:
            assert len(_filas(texto(cliente.get(LISTA)))) == 5
        with app.app_context():
            for n in range(5, 30):
                expediente_de_prueba(**titular, radicado=f"2026-{cliente.usuario.id:02d}{n:04d}")
        with contar_sentencias(app) as muchas:
            assert len(_filas(texto(cliente.get(f"{LISTA}?psize_{VISTA}=30")))) == 30
        with contar_sentencias(app) as segunda:
            assert len(_filas(texto(cliente.get(f"{LISTA}?page_{VISTA}=1")))) == 5
        assert len(pocas) == len(muchas) == len(segunda) <= 6, muchas
        conteos = [s for s in muchas if "count(*)" in s.lower()]
        assert len(conteos) == 1 and "LIMIT" in conteos[0]


def test_un_modelo_por_titular_siempre_se_cuenta(app):
    """The planner's estimate of the whole table says nothing of one titular's rows: the capped count runs."""
    from app.models.expedientes import Expediente

    with app.app_context():
        datos = vistas_modelo.DatosModelo(Expediente)
        assert not datos._sin_condiciones(datos.session.query(Expediente))
        assert type(MisExpedientesView.datamodel)._sin_condiciones is vistas_modelo.DatosModelo._sin_condiciones


def test_pasado_el_tope_dice_mas_de(app, cliente_empresa_a, monkeypatch):
    with app.app_context():
        for n in range(6):
            expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, commit=n == 5)
    monkeypatch.setattr(vistas_modelo, "TOPE_CONTEO", 4)
    html = texto(cliente_empresa_a.get(f"{LISTA}?psize_{VISTA}=2"))
    assert "más de 4" in html and len(_filas(html)) == 2


def test_la_fecha_de_hoy_y_ayer_en_bogota(app, cliente_empresa_a):
    """A row created at 23:30 Bogotá (04:30 UTC the next day) belongs to its Bogotá day."""
    noche = _en_bogota(2026, 4, 9, 23) + timedelta(minutes=30)
    with app.app_context():
        expediente_de_prueba(empresa_id=cliente_empresa_a.empresa_id, radicado="2026-000300", creado_en=noche)
    assert _buscar(cliente_empresa_a, **{"0_creado_en": "2026-04-09", "1_creado_en": "2026-04-09"}) == ["2026-000300"]
    assert _buscar(cliente_empresa_a, **{"0_creado_en": "2026-04-10"}) == []


def test_el_boton_nuevo_tramite_solo_para_quien_crea_borradores(app, cliente_empresa_a):
    from tests.helpers import miembro_con_rol

    assert "/expedientes/nuevo" in cliente_empresa_a.get("/expedientes/mis/").get_data(as_text=True)
    pagina = miembro_con_rol(app, cliente_empresa_a.empresa_id).get("/expedientes/mis/")
    assert pagina.status_code == 200 and "/expedientes/nuevo" not in pagina.get_data(as_text=True)


def test_el_filtro_de_tramite_dice_la_familia_de_los_nombres_repetidos(app, cliente_empresa_a):
    # FAB writes the search form's fields as JSON strings in the page (\u003c is «<»): read them back.
    pagina = cliente_empresa_a.get("/expedientes/mis/").get_data(as_text=True).replace("\\u003c", "<")
    pagina = pagina.replace("\\u003e", ">").replace("\\u00e9", "é").replace("\\u00fa", "ú").replace('\\"', '"')
    assert '<optgroup label="Plaguicidas de uso doméstico">' in pagina
    assert ">Desglose (Plaguicidas de uso doméstico)</option>" in pagina
    assert ">Desglose (Plaguicidas de uso en salud pública)</option>" in pagina
    assert ">Desglose</option>" not in pagina
