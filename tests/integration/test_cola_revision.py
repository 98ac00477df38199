"""Revisión → Cola de expedientes through HTTP (app/views/crud/cola_revision.py, app/services/revision/cola.py): each
funcionario sees only their grupos' radicated expedientes, by legal due date, with the search of issue 13 §1; only a
coordinator assigns and reassigns (one row or many), audited and on the timeline; bad input writes nothing; a page
costs a constant number of statements."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.catalogo import VERSION_PUBLICADA, FamiliaProducto, Tramite, TramiteVersion
from app.models.expedientes import ESTADO_APROBADO, ESTADO_ASIGNADO, ESTADO_RADICADO, Expediente
from app.models.funcionarios import GrupoRevision
from app.models.revision import EventoExpediente
from app.security.autorizacion import MSG_FUNCIONARIO_COMO_EMPRESA, MSG_SIN_GRUPO
from app.services.calendario import sumar_dias_habiles
from app.services.fechas import BOGOTA
from app.services.revision import cola, eventos
from tests import factories, factories_empresas
from tests.factories_expedientes import expediente_de_prueba
from tests.helpers import actuar_como, cliente_de, contar_sentencias, texto
from tests.helpers_revision import COSMETICOS, PLAGUICIDAS, crear_funcionario, funcionario

LISTA = "/revision/cola/"
ASIGNAR = "/revision/cola/asignar/"
VISTA = "ColaRevisionView"


def _filas(html: str) -> list[str]:
    """The radicado of each row of the list, in order."""
    return re.findall(r'<a class="text-nowrap" href="/revision/expedientes/\d+/">([^<]+)</a>', html)


def _version_de(grupo: str, otra: bool = False) -> TramiteVersion:
    """A published version of a trámite whose family the grupo reviews (`otra`: of another trámite than the first)."""
    versiones = db.session.scalars(
        select(TramiteVersion)
        .join(Tramite, TramiteVersion.tramite_id == Tramite.id)
        .join(FamiliaProducto, Tramite.familia_id == FamiliaProducto.id)
        .join(GrupoRevision, FamiliaProducto.grupo_id == GrupoRevision.id)
        .where(GrupoRevision.codigo == grupo, TramiteVersion.estado == VERSION_PUBLICADA)
        .order_by(Tramite.codigo)
    ).all()
    if otra:
        return next(v for v in versiones if v.tramite.familia_id != versiones[0].tramite.familia_id)
    return versiones[0]


def _radicado(numero: int, grupo: str = COSMETICOS, dias: int = 1, otra: bool = False, **datos) -> Expediente:
    """A radicated expediente of company-less person titular, radicated `dias` days ago, reviewed by `grupo`."""
    persona = factories.crear_usuario()
    return expediente_de_prueba(
        persona_id=persona.id,
        radicado=f"2026-{numero:06d}",
        radicado_en=datetime.now(BOGOTA) - timedelta(days=dias),
        version=_version_de(grupo, otra),
        **datos,
    )


def _cambiar(expediente_id: int, **valores) -> None:
    expediente = db.session.get(Expediente, expediente_id)
    for campo, valor in valores.items():
        setattr(expediente, campo, valor)
    db.session.commit()


def _post(cliente, url: str, **datos):
    return cliente.post(url, data={"csrf_token": cliente.csrf, **datos})


def _estado(expediente_id: int) -> tuple:
    db.session.expire_all()
    e = db.session.get(Expediente, expediente_id)
    return e.estado, e.asignado_a_id


def _auditoria(expediente_id: int) -> list[Auditoria]:
    return db.session.scalars(
        select(Auditoria).where(Auditoria.objeto == "expediente", Auditoria.objeto_id == str(expediente_id))
    ).all()


def _eventos(expediente_id: int) -> list[EventoExpediente]:
    return db.session.scalars(
        select(EventoExpediente).where(EventoExpediente.expediente_id == expediente_id).order_by(EventoExpediente.id)
    ).all()


# ---------------------------------------------------------------- who sees what


def test_cada_funcionario_ve_solo_los_expedientes_de_sus_grupos(app):
    with app.app_context():
        cosmetico = _radicado(1, COSMETICOS).id
        plaguicida = _radicado(2, PLAGUICIDAS).id
        expediente_de_prueba(persona_id=factories.crear_usuario().id)  # a draft is nobody's in the queue
    revisor = funcionario(app, "Revisor legal", (COSMETICOS,))
    assert _filas(texto(revisor.get(LISTA))) == ["2026-000001"]
    coordinador_plaguicidas = funcionario(app, "Coordinador", (PLAGUICIDAS,))
    assert _filas(texto(coordinador_plaguicidas.get(LISTA))) == ["2026-000002"]
    ambos = funcionario(app, "Revisor técnico", (COSMETICOS, PLAGUICIDAS))
    assert sorted(_filas(texto(ambos.get(LISTA)))) == ["2026-000001", "2026-000002"]

    # Another grupo's expediente is not found, for the form as for the assignment itself.
    assert coordinador_plaguicidas.get(f"{ASIGNAR}?id={cosmetico}").status_code == 404
    r = _post(coordinador_plaguicidas, ASIGNAR, id=str(cosmetico), funcionario=str(coordinador_plaguicidas.usuario.id))
    assert r.status_code == 404
    assert coordinador_plaguicidas.get(f"{ASIGNAR}?id={plaguicida}").status_code == 200
    with app.app_context():
        assert _estado(cosmetico) == (ESTADO_RADICADO, None)


def test_actuando_como_empresa_la_cola_esta_cerrada(app):
    with app.app_context():
        _radicado(1)
        usuario = crear_funcionario("Coordinador", (COSMETICOS,))
        empresa_id = factories_empresas.crear_empresa(administrador=usuario).id
    cliente = cliente_de(app, usuario)
    assert cliente.get(LISTA).status_code == 200
    actuar_como(cliente, empresa_id)
    r = cliente.get(LISTA)
    assert r.status_code == 403 and MSG_FUNCIONARIO_COMO_EMPRESA in texto(r) and "2026-000001" not in texto(r)
    assert 'href="/revision/cola/"' not in texto(cliente.get("/perfil/"))
    assert cliente.get(f"{ASIGNAR}?id=1").status_code == 403


def test_con_el_rol_pero_sin_ser_funcionario_recibe_403_con_el_mensaje(app):
    with app.app_context():
        _radicado(1)
        usuario = factories.crear_usuario(roles=["Revisor legal"])
    r = cliente_de(app, usuario).get(LISTA)
    assert r.status_code == 403 and MSG_SIN_GRUPO in texto(r) and "2026-000001" not in texto(r)


def test_sin_sesion_va_al_ingreso_y_una_persona_sin_rol_no_entra(app, cliente_usuario):
    r = app.test_client().get(LISTA)
    assert r.status_code == 302 and "/login/" in r.headers["Location"]
    assert cliente_usuario.get(LISTA).status_code == 403


# ---------------------------------------------------------------- the page


def test_la_pagina_muestra_las_columnas_y_enlaza_la_verificacion(app):
    with app.app_context():
        empresa = factories_empresas.crear_empresa(razon_social="Laboratorios Cola S.A.S.")
        con_empresa = expediente_de_prueba(
            empresa_id=empresa.id,
            radicado="2026-000001",
            version=_version_de(COSMETICOS),
            bajo_insistencia="Porque el producto ya se vende en la CAN",
        )
        persona = factories.crear_usuario(nombres="Ana", apellidos="Titular Natural")
        de_persona = expediente_de_prueba(
            persona_id=persona.id,
            radicado="2026-000002",
            radicado_en=datetime(2026, 3, 2, 9, tzinfo=BOGOTA),
            version=_version_de(COSMETICOS),
        )
        _cambiar(de_persona.id, reloj_desde=None, vence_en=None, dias_usados=4)  # suspended by a requerimiento
        termino = con_empresa.termino_dias
        nombre_tramite = con_empresa.version.nombre
    html = texto(funcionario(app, "Revisor legal").get(LISTA))
    assert f'href="/revision/expedientes/{con_empresa.id}/">2026-000001</a>' in html
    for encabezado in (
        "Radicado",
        "Fecha de radicación",
        "Trámite",
        "Titular",
        "Estado",
        "Asignado a",
        "Días hábiles transcurridos / término",
        "Bajo insistencia",
    ):
        assert encabezado in html, encabezado
    assert "Laboratorios Cola S.A.S." in html and "Ana Titular Natural" in html and nombre_tramite in html
    assert f"0 / {termino}" in html and "suspendido" in html and "Sin asignar" in html
    assert "02/03/2026 09:00 a. m." in html
    assert re.search(r"<td>Sí</td>", html) and re.search(r"<td>No</td>", html)
    # A reviewer neither selects rows for an action nor gets an «Asignar» link.
    assert 'name="rowid"' not in html and ASIGNAR not in html
    assert "None" not in html


def test_el_menu_revision_lleva_a_la_cola(app):
    html = texto(funcionario(app, "Revisor técnico").get("/perfil/"))
    assert "Revisión" in html and 'href="/revision/cola/"' in html and "Cola de expedientes" in html


def test_por_defecto_primero_el_que_vence_antes_y_los_suspendidos_al_final(app):
    with app.app_context():
        hace_10 = _radicado(1, dias=10).id
        _radicado(2, dias=2)
        suspendido = _radicado(3, dias=30).id
        _radicado(4, dias=20)
        _cambiar(suspendido, reloj_desde=None, vence_en=None, dias_usados=5)
        mismo_dia = _radicado(5, dias=10).id  # same due date as n.º 1: the id breaks the tie
    assert mismo_dia > hace_10
    orden = ["2026-000004", "2026-000001", "2026-000005", "2026-000002", "2026-000003"]
    revisor = funcionario(app, "Revisor legal")
    assert _filas(texto(revisor.get(LISTA))) == orden
    assert _filas(texto(revisor.get(f"{LISTA}?psize_{VISTA}=2&page_{VISTA}=1"))) == orden[2:4]
    # No header sorts (QA: they were sort links that changed nothing), and an order written in the URL is refused.
    html = texto(revisor.get(LISTA))
    assert f"_oc_{VISTA}=" not in html
    r = revisor.get(f"{LISTA}?_oc_{VISTA}=radicado_en&_od_{VISTA}=desc")
    assert r.status_code == 400 and "La lista no se puede ordenar por esa columna." in texto(r)


# ---------------------------------------------------------------- search


@pytest.fixture
def cola_de_prueba(app):
    """Six cosmetic expedientes: states, families, dates, assignees, insistence and due dates to search by."""
    with app.app_context():
        coordinador = crear_funcionario("Coordinador", (COSMETICOS,))
        otro = crear_funcionario("Revisor legal", (COSMETICOS,))
        hoy = cola.hoy()
        ids = {}
        ids["vencido"] = _radicado(1, dias=60).id
        ids["en_dos"] = _radicado(2, dias=5, otra=True).id
        ids["lejano"] = _radicado(3, dias=1).id
        ids["mio"] = _radicado(4, dias=3).id
        ids["de_otro"] = _radicado(5, dias=4).id
        ids["insiste"] = _radicado(6, dias=200, bajo_insistencia="Ya se comercializa").id
        _cambiar(ids["vencido"], vence_en=hoy - timedelta(days=1))
        _cambiar(ids["en_dos"], vence_en=sumar_dias_habiles(hoy, 2))
        _cambiar(ids["lejano"], vence_en=sumar_dias_habiles(hoy, 40))
        _cambiar(ids["mio"], asignado_a_id=coordinador.id, estado=ESTADO_ASIGNADO, vence_en=sumar_dias_habiles(hoy, 20))
        _cambiar(ids["de_otro"], asignado_a_id=otro.id, estado=ESTADO_ASIGNADO, vence_en=sumar_dias_habiles(hoy, 21))
        _cambiar(ids["insiste"], estado=ESTADO_APROBADO, vence_en=None)
        familia_otra = db.session.get(Expediente, ids["en_dos"]).familia.codigo
        tramite_otro = db.session.get(Expediente, ids["en_dos"]).version.tramite.codigo
        db.session.refresh(coordinador)
    cliente = cliente_de(app, coordinador)
    return cliente, familia_otra, tramite_otro


def _buscar(cliente, **filtros) -> list[str]:
    consulta = "&".join(f"_flt_{clave}={valor}" for clave, valor in filtros.items())
    r = cliente.get(f"{LISTA}?{consulta}")
    assert r.status_code == 200, texto(r)[:1000]
    return sorted(_filas(texto(r)))


def test_busqueda_por_estado(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    assert _buscar(cliente, **{"0_estado": "Asignado"}) == ["2026-000004", "2026-000005"]
    assert _buscar(cliente, **{"0_estado": "Aprobado"}) == ["2026-000006"]
    assert _buscar(cliente, **{"0_estado": "Radicado"}) == ["2026-000001", "2026-000002", "2026-000003"]
    abiertos = ["2026-000001", "2026-000002", "2026-000003", "2026-000004", "2026-000005"]
    assert _buscar(cliente, **{"0_estado": "abiertos"}) == abiertos  # every undecided one (the dashboard's link)
    # A value the search does not offer (a draft, a made-up one) is refused with a message, not an empty list.
    for columna, valor in (("estado", "Borrador"), ("estado", "x"), ("asignado_a", "xyz"), ("vence_en", "zz")):
        r = cliente.get(LISTA, query_string={f"_flt_0_{columna}": valor})
        assert r.status_code == 400 and "Uno de los filtros de búsqueda no es válido." in texto(r), (columna, valor)


def test_busqueda_por_tramite_y_por_familia(cola_de_prueba):
    cliente, familia_otra, tramite_otro = cola_de_prueba
    assert _buscar(cliente, **{"0_version": tramite_otro}) == ["2026-000002"]
    assert _buscar(cliente, **{"0_familia": familia_otra}) == ["2026-000002"]
    assert _buscar(cliente, **{"0_familia": "no-existe"}) == [] and _buscar(cliente, **{"0_version": "no"}) == []
    html = texto(cliente.get(LISTA))
    assert f'value="{familia_otra}"' in html or f'value=\\"{familia_otra}\\"' in html


def test_busqueda_por_fecha_de_radicacion(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    hoy = datetime.now(BOGOTA).date()
    desde = (hoy - timedelta(days=4)).isoformat()
    hasta = (hoy - timedelta(days=5)).isoformat()
    assert _buscar(cliente, **{"0_radicado_en": desde}) == ["2026-000003", "2026-000004", "2026-000005"]
    assert _buscar(cliente, **{"1_radicado_en": hasta}) == ["2026-000001", "2026-000002", "2026-000006"]
    assert _buscar(cliente, **{"0_radicado_en": hasta, "1_radicado_en": hasta}) == ["2026-000002"]
    r = cliente.get(f"{LISTA}?_flt_0_radicado_en=no es fecha")  # said, not an empty list
    assert r.status_code == 400 and "La fecha de un filtro de búsqueda no es válida" in texto(r)


def test_busqueda_asignados_a_mi_y_sin_asignar(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    assert _buscar(cliente, **{"0_asignado_a": "mios"}) == ["2026-000004"]
    assert _buscar(cliente, **{"0_asignado_a": "sin_asignar"}) == [
        "2026-000001",
        "2026-000002",
        "2026-000003",
        "2026-000006",
    ]
    assert cliente.get(f"{LISTA}?_flt_0_asignado_a=otro").status_code == 400


def test_busqueda_bajo_insistencia(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    assert _buscar(cliente, **{"0_bajo_insistencia": "si"}) == ["2026-000006"]
    assert len(_buscar(cliente, **{"0_bajo_insistencia": "no"})) == 5


def test_busqueda_termino_por_vencer(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    assert _buscar(cliente, **{"0_vence_en": "vencidos"}) == ["2026-000001"]
    assert _buscar(cliente, **{"0_vence_en": "1"}) == ["2026-000001"]
    assert _buscar(cliente, **{"0_vence_en": "3"}) == ["2026-000001", "2026-000002"]
    for malo in ("999", "-1", "zz"):
        assert cliente.get(f"{LISTA}?_flt_0_vence_en={malo}").status_code == 400, malo


def test_filtros_combinados(cola_de_prueba):
    cliente, _, _ = cola_de_prueba
    assert _buscar(cliente, **{"0_estado": "Asignado", "0_asignado_a": "mios", "0_vence_en": "30"}) == ["2026-000004"]
    assert _buscar(cliente, **{"0_estado": "Radicado", "0_vence_en": "vencidos"}) == ["2026-000001"]


# ---------------------------------------------------------------- assignment


def test_el_coordinador_asigna_un_expediente(app):
    with app.app_context():
        expediente_id = _radicado(1).id
        revisor = crear_funcionario("Revisor legal", (COSMETICOS,), nombres="Rita", apellidos="Revisora")
        crear_funcionario("Revisor técnico", (PLAGUICIDAS,), nombres="Otro", apellidos="Grupo")
        revisor_id = revisor.id
    coordinador = funcionario(app, "Coordinador")
    lista = texto(coordinador.get(LISTA))
    assert f'href="{ASIGNAR}?id={expediente_id}"' in lista and 'name="rowid"' in lista
    formulario = texto(coordinador.get(f"{ASIGNAR}?id={expediente_id}"))
    assert "Rita Revisora" in formulario and "Otro Grupo" not in formulario and "Motivo" not in formulario
    assert 'name="csrf_token"' in formulario

    r = _post(coordinador, ASIGNAR, id=str(expediente_id), funcionario=str(revisor_id))
    assert r.status_code == 302 and r.headers["Location"].endswith(LISTA)
    assert "asignado(s) a Rita Revisora" in texto(coordinador.get(LISTA))
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_ASIGNADO, revisor_id)
        (fila,) = _auditoria(expediente_id)
        assert fila.accion == cola.ACCION_ASIGNACION and fila.usuario_id == coordinador.usuario.id
        assert fila.antes == {"asignado_a_id": None, "estado": ESTADO_RADICADO} and fila.ip
        assert fila.despues["asignado_a_id"] == revisor_id and fila.despues["estado"] == ESTADO_ASIGNADO
        (evento,) = _eventos(expediente_id)
        assert (evento.tipo, evento.publico, evento.por_id) == (eventos.ASIGNADO, True, coordinador.usuario.id)


def test_reasignar_exige_motivo_que_queda_auditado_e_interno(app):
    with app.app_context():
        expediente_id = _radicado(1).id
        primero = crear_funcionario("Revisor legal", (COSMETICOS,)).id
        segundo = crear_funcionario("Revisor técnico", (COSMETICOS,), nombres="Sergio", apellidos="Segundo").id
    coordinador = funcionario(app, "Coordinador")
    assert _post(coordinador, ASIGNAR, id=str(expediente_id), funcionario=str(primero)).status_code == 302
    assert "Motivo de la reasignación" in texto(coordinador.get(f"{ASIGNAR}?id={expediente_id}"))

    r = _post(coordinador, ASIGNAR, id=str(expediente_id), funcionario=str(segundo), motivo="   ")
    assert r.status_code == 400 and cola.MSG_MOTIVO in texto(r)
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_ASIGNADO, primero) and len(_auditoria(expediente_id)) == 1

    r = _post(coordinador, ASIGNAR, id=str(expediente_id), funcionario=str(segundo), motivo="Vacaciones de Rita")
    assert r.status_code == 302
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_ASIGNADO, segundo)
        ultima = _auditoria(expediente_id)[-1]
        assert ultima.accion == cola.ACCION_REASIGNACION and ultima.despues["motivo"] == "Vacaciones de Rita"
        assert ultima.antes["asignado_a_id"] == primero
        reasignado = _eventos(expediente_id)[-1]
        assert reasignado.tipo == eventos.REASIGNADO and not reasignado.publico
        assert "Vacaciones de Rita" in reasignado.detalle
    # The same funcionario again: nothing changes, said in Spanish.
    r = _post(coordinador, ASIGNAR, id=str(expediente_id), funcionario=str(segundo), motivo="otra vez")
    assert r.status_code == 400 and cola.MSG_SIN_CAMBIO in texto(r)


def test_asignacion_masiva_desde_la_accion_de_la_lista(app):
    with app.app_context():
        ids = [_radicado(n).id for n in (1, 2, 3)]
        revisor = crear_funcionario("Revisor legal", (COSMETICOS,)).id
    coordinador = funcionario(app, "Coordinador")
    r = coordinador.post(
        "/revision/cola/action_post",
        data={"csrf_token": coordinador.csrf, "action": "asignar_seleccionados", "rowid": [str(i) for i in ids[:2]]},
    )
    assert r.status_code == 302 and ASIGNAR in r.headers["Location"]
    formulario = texto(coordinador.get(r.headers["Location"]))
    assert "2026-000001" in formulario and "2026-000002" in formulario and "2026-000003" not in formulario
    r = coordinador.post(
        ASIGNAR, data={"csrf_token": coordinador.csrf, "id": [str(i) for i in ids[:2]], "funcionario": str(revisor)}
    )
    assert r.status_code == 302
    with app.app_context():
        assert [_estado(i) for i in ids] == [(ESTADO_ASIGNADO, revisor)] * 2 + [(ESTADO_RADICADO, None)]
        assert [len(_auditoria(i)) for i in ids] == [1, 1, 0]
        assert [len(_eventos(i)) for i in ids] == [1, 1, 0]


def test_un_revisor_no_asigna(app):
    with app.app_context():
        expediente_id = _radicado(1).id
    revisor = funcionario(app, "Revisor legal")
    assert revisor.get(f"{ASIGNAR}?id={expediente_id}").status_code == 403
    r = _post(revisor, ASIGNAR, id=str(expediente_id), funcionario=str(revisor.usuario.id))
    assert r.status_code == 403
    r = _post(revisor, "/revision/cola/action_post", action="asignar_seleccionados", rowid=str(expediente_id))
    assert r.status_code == 403
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_RADICADO, None) and _auditoria(expediente_id) == []


def test_sin_token_csrf_no_se_asigna(app):
    with app.app_context():
        expediente_id = _radicado(1).id
    coordinador = funcionario(app, "Coordinador")
    r = coordinador.post(ASIGNAR, data={"id": str(expediente_id), "funcionario": str(coordinador.usuario.id)})
    assert r.status_code == 400
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_RADICADO, None)


@pytest.mark.parametrize(
    "ids",
    [["abc"], ["-1"], ["0"], ["99999999999999999999"], ["1e3"], ["١"], []],
    ids=["letras", "negativo", "cero", "enorme", "exponente", "digito_arabe", "ninguno"],
)
def test_ids_invalidos_responden_400_sin_escribir(app, ids):
    with app.app_context():
        expediente_id = _radicado(1).id
    coordinador = funcionario(app, "Coordinador")
    consulta = "&".join(f"id={i}" for i in ids)
    r = coordinador.get(f"{ASIGNAR}?{consulta}")
    assert r.status_code == 400 and "expediente" in texto(r).lower()
    r = coordinador.post(
        ASIGNAR, data={"csrf_token": coordinador.csrf, "id": [str(expediente_id), *ids], "funcionario": "1"}
    )
    assert r.status_code == 400
    with app.app_context():
        assert _estado(expediente_id) == (ESTADO_RADICADO, None)


def test_funcionario_desconocido_o_de_otro_grupo_se_rechaza_sin_escribir(app):
    with app.app_context():
        ids = [_radicado(1).id, _radicado(2).id]
        de_otro_grupo = crear_funcionario("Revisor legal", (PLAGUICIDAS,)).id
        sin_rol = factories.crear_usuario().id
        inactivo = crear_funcionario("Revisor legal", (COSMETICOS,))
        from app.models.funcionarios import Funcionario

        db.session.scalar(select(Funcionario).where(Funcionario.usuario_id == inactivo.id)).activo = False
        db.session.commit()
        inactivo_id = inactivo.id
    coordinador = funcionario(app, "Coordinador")
    for elegido in (str(de_otro_grupo), str(sin_rol), str(inactivo_id), "999999", "x", ""):
        r = coordinador.post(
            ASIGNAR, data={"csrf_token": coordinador.csrf, "id": [str(i) for i in ids], "funcionario": elegido}
        )
        assert r.status_code == 400 and cola.MSG_FUNCIONARIO in texto(r), elegido
    with app.app_context():
        assert [_estado(i) for i in ids] == [(ESTADO_RADICADO, None)] * 2
        assert [_auditoria(i) for i in ids] == [[], []] and [_eventos(i) for i in ids] == [[], []]


def test_un_expediente_decidido_no_se_asigna_ni_en_lote(app):
    with app.app_context():
        abierto = _radicado(1).id
        decidido = _radicado(2).id
        _cambiar(decidido, estado=ESTADO_APROBADO, vence_en=None)
        revisor = crear_funcionario("Revisor legal", (COSMETICOS,)).id
    coordinador = funcionario(app, "Coordinador")
    r = coordinador.get(f"{ASIGNAR}?id={decidido}")
    assert r.status_code == 400 and "ya decidido o en recurso: 2026-000002" in texto(r)
    r = coordinador.post(
        ASIGNAR, data={"csrf_token": coordinador.csrf, "id": [str(abierto), str(decidido)], "funcionario": str(revisor)}
    )
    assert r.status_code == 400 and "ya decidido" in texto(r)
    with app.app_context():
        assert _estado(abierto) == (ESTADO_RADICADO, None) and _auditoria(abierto) == []
    # The list offers no «Asignar» for it.
    assert f"{ASIGNAR}?id={decidido}" not in texto(coordinador.get(LISTA))


def test_una_accion_que_no_existe_es_404(app):
    coordinador = funcionario(app, "Coordinador")
    assert _post(coordinador, "/revision/cola/action_post", action="borrar_todo", rowid="1").status_code == 404


# ---------------------------------------------------------------- cost


def test_una_pagina_cuesta_las_mismas_sentencias_con_5_o_30_filas(app):
    with app.app_context():
        coordinador = crear_funcionario("Coordinador", (COSMETICOS,))
        for n in range(5):
            _radicado(n + 1)
        db.session.refresh(coordinador)
    cliente = cliente_de(app, coordinador)
    with contar_sentencias(app) as pocas:
        assert len(_filas(texto(cliente.get(LISTA)))) == 5
    with app.app_context():
        revisor = crear_funcionario("Revisor legal", (COSMETICOS,))
        empresa = factories_empresas.crear_empresa()
        for n in range(5, 30):
            e = (
                _radicado(n + 1)
                if n % 2
                else expediente_de_prueba(
                    empresa_id=empresa.id, radicado=f"2026-{n + 1:06d}", version=_version_de(COSMETICOS)
                )
            )
            if n % 3 == 0:
                _cambiar(e.id, asignado_a_id=revisor.id, estado=ESTADO_ASIGNADO)
    with contar_sentencias(app) as muchas:
        assert len(_filas(texto(cliente.get(f"{LISTA}?psize_{VISTA}=30")))) == 30
    with contar_sentencias(app) as filtrada:
        assert len(_filas(texto(cliente.get(f"{LISTA}?_flt_0_estado=Asignado&_flt_0_vence_en=30")))) > 0
    assert len(pocas) == len(muchas) == len(filtrada) <= 6, muchas
    conteos = [s for s in muchas if "count(*)" in s.lower()]
    assert len(conteos) == 1 and "LIMIT" in conteos[0]
    (pagina,) = [s for s in muchas if "FROM expediente" in s and "LIMIT" in s and "count(" not in s.lower()]
    assert "ORDER BY expediente.vence_en ASC NULLS LAST, expediente.id ASC" in pagina
    # The partial indexes' condition, in the page and the count, and no identification type joined.
    assert "expediente.radicado IS NOT NULL" in pagina and "expediente.radicado IS NOT NULL" in conteos[0]
    assert "tipo_identificacion" not in pagina
