"""Registros sanitarios in their estado (issue 13 §4) through HTTP on the real database: what a cancelación and an
autorización de agotamiento do to the registro they cite, «Vencido» read against today, and the titular's and the
grupo's lists, each seeing only its own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from app.extensions import db
from app.models.actos import ActoAdministrativo
from app.models.catalogo import FamiliaProducto
from app.models.expedientes import Expediente
from app.models.registros import (
    CANCELADO,
    EN_AGOTAMIENTO,
    ESTADOS_REGISTRO,
    PENDIENTE_NOTIFICACION,
    VENCIDO,
    VIGENTE,
    CambioRegistro,
    RegistroSanitario,
)
from app.security.tenancy import todas_las_empresas
from app.services import registros
from app.services.fechas import hoy_en_bogota
from app.services.reloj import ahora
from tests.helpers import contar_sentencias, texto
from tests.helpers_expedientes import adjuntar_todo, crear_borrador, llenar_formulario
from tests.helpers_revision import (
    COSMETICOS,
    PLAGUICIDAS,
    abrir_ultima_notificacion,
    funcionario,
    radicado,
    texto_del_acto,
    verificar_todo,
)

MOTIVACION = "Revisada la documentación, la solicitud cumple los requisitos de la guía de trámites."
ANTERIOR = "PUD2016-0001234"  # a registro granted before the platform, as the applicant cites it


@pytest.fixture
def coordinador(app):
    return funcionario(app, "Coordinador", (PLAGUICIDAS,))


def _aprobar(coordinador, expediente_id: int):
    return coordinador.post(
        f"/revision/expedientes/{expediente_id}/aprobar",
        data={"csrf_token": coordinador.csrf, "motivacion": MOTIVACION},
    )


def _decidido(app, cliente, coordinador, codigo: str, producto: dict | None = None):
    expediente_id = radicado(app, cliente, codigo, producto=producto)
    verificar_todo(app, expediente_id)
    return expediente_id, _aprobar(coordinador, expediente_id)


def _registro(app, numero: str) -> RegistroSanitario:
    with app.app_context(), todas_las_empresas():
        registro = db.session.scalar(select(RegistroSanitario).where(RegistroSanitario.numero == numero))
        db.session.expunge(registro)
        return registro


def _resolucion_de(app, expediente_id: int) -> str:
    """The words of the expediente's (only) resolución, as its signed PDF prints them."""
    with app.app_context(), todas_las_empresas():
        acto_id = db.session.scalar(
            select(ActoAdministrativo.id).where(ActoAdministrativo.expediente_id == expediente_id)
        )
    return texto_del_acto(app, acto_id)


def _cita(numero: str, **mas) -> dict:
    return {"nombre_producto": "Matamoscas Rayo", "registro_numero": numero, "motivo": "Retiro del mercado.", **mas}


def test_la_cancelacion_aprobada_cancela_el_registro_al_notificarse_y_este_no_admite_mas_tramites(
    app, cliente_empresa_a, coordinador
):
    expediente_id, r = _decidido(app, cliente_empresa_a, coordinador, "pld-registro")
    assert r.status_code == 302, texto(r)[:2000]
    abrir_ultima_notificacion(app, cliente_empresa_a)  # the registro takes effect
    with app.app_context(), todas_las_empresas():
        numero = db.session.get(RegistroSanitario, db.session.get(Expediente, expediente_id).registro_id).numero

    # Filed while the registro was vigente: a cancelación and an autorización de agotamiento.
    vence = (hoy_en_bogota() - timedelta(days=3)).isoformat()
    agotamiento = _cita(numero, lote="L-1", cantidad="200 unidades de 400 ml", vencimiento=vence)
    agotamiento_id = radicado(app, cliente_empresa_a, "pld-autorizacion-agotamiento", producto=agotamiento)
    verificar_todo(app, agotamiento_id)
    cancelacion_id, r = _decidido(app, cliente_empresa_a, coordinador, "pld-cancelacion", _cita(numero))
    assert r.status_code == 302, texto(r)[:2000]
    # Approved, not notified: the cancellation has no effect yet (Ley 1437, art. 72), and the act says so.
    registro = _registro(app, numero)
    assert (registro.estado, registro.cancelado_en) == (VIGENTE, None)
    assert registros.estado_en(registro, hoy_en_bogota()) == VIGENTE
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, cancelacion_id)
        assert expediente.registro_id == registro.id and expediente.estado == "Aprobado"
        resuelve = _resolucion_de(app, cancelacion_id)
    assert "a partir de la notificación de esta resolución" in resuelve
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{cancelacion_id}/"))
    assert "cancelación aprobada: rige cuando se notifique la resolución" in pagina
    assert "Vigente" in texto(cliente_empresa_a.get(f"/consulta/registro?numero={numero}"))

    # Notified (the titular opens the link): cancelled from today.
    abrir_ultima_notificacion(app, cliente_empresa_a)
    registro = _registro(app, numero)
    assert (registro.estado, registro.cancelado_en) == (CANCELADO, hoy_en_bogota())
    pagina = texto(cliente_empresa_a.get(f"/expedientes/{cancelacion_id}/"))
    assert f"{numero}</strong> — Cancelado desde el {hoy_en_bogota().isoformat()}" in pagina
    assert "rige cuando se notifique" not in pagina
    with app.app_context(), todas_las_empresas():
        actos_antes = db.session.scalar(select(func.count()).select_from(ActoAdministrativo))

    r = _aprobar(coordinador, agotamiento_id)  # cancelled meanwhile: refused, nothing written
    assert r.status_code == 400 and f"{numero} está cancelado desde el {hoy_en_bogota().isoformat()}" in texto(r)
    with app.app_context(), todas_las_empresas():
        assert db.session.get(Expediente, agotamiento_id).estado == "Radicado"
        assert db.session.scalar(select(func.count()).select_from(ActoAdministrativo)) == actos_antes
    assert _registro(app, numero).estado == CANCELADO


def test_el_agotamiento_autorizado_dura_los_meses_de_la_familia_desde_el_vencimiento(
    app, cliente_empresa_a, coordinador
):
    vence = hoy_en_bogota() - timedelta(days=10)
    producto = _cita(ANTERIOR, lote="L-7", cantidad="1 000 unidades", vencimiento=vence.isoformat())
    expediente_id, r = _decidido(app, cliente_empresa_a, coordinador, "pld-autorizacion-agotamiento", producto)
    assert r.status_code == 302, texto(r)[:2000]
    registro = _registro(app, ANTERIOR)  # granted before the platform: recorded from what the applicant cited
    hoy = hoy_en_bogota()
    hasta = hoy + relativedelta(months=6)  # from today: the registro already expired
    assert (registro.estado, registro.vence_en, registro.agotamiento_hasta) == (VIGENTE, vence, None)
    assert registros.estado_en(registro, hoy) == VENCIDO  # until the resolución is notified
    assert f"agotamiento de existencias autorizado hasta el {hasta.isoformat()}: rige cuando se notifique" in texto(
        cliente_empresa_a.get(f"/expedientes/{expediente_id}/")
    )
    abrir_ultima_notificacion(app, cliente_empresa_a)
    registro = _registro(app, ANTERIOR)
    assert (registro.estado, registro.vence_en, registro.agotamiento_hasta) == (EN_AGOTAMIENTO, vence, hasta)
    assert registros.estado_en(registro, hoy) == EN_AGOTAMIENTO
    assert registros.estado_en(registro, registro.agotamiento_hasta + timedelta(days=1)) == VENCIDO
    pagina = texto(cliente_empresa_a.get("/registros/mis/"))
    assert ANTERIOR in pagina and f"hasta {registro.agotamiento_hasta.isoformat()}" in pagina


def test_la_renovacion_cambia_la_vigencia_al_notificarse(app, cliente_empresa_a, coordinador):
    vence = hoy_en_bogota() + relativedelta(months=8)  # filed at least 6 months before it expires
    producto = {"registro_numero": ANTERIOR, "nombre_producto": "Matamoscas Rayo", "vencimiento": vence.isoformat()}
    expediente_id, r = _decidido(app, cliente_empresa_a, coordinador, "pld-renovacion", producto)
    assert r.status_code == 302, texto(r)[:2000]
    nueva = vence + relativedelta(years=10)
    assert _registro(app, ANTERIOR).vence_en == vence
    assert f"vigente hasta el {nueva.isoformat()}): rige cuando" in texto(
        cliente_empresa_a.get(f"/expedientes/{expediente_id}/")
    )
    assert f"vigente hasta {nueva.isoformat()}" in _resolucion_de(app, expediente_id)  # the new vigencia
    abrir_ultima_notificacion(app, cliente_empresa_a)
    registro = _registro(app, ANTERIOR)
    assert (registro.estado, registro.vence_en) == (VIGENTE, nueva)
    with app.app_context(), todas_las_empresas():
        cambio = db.session.scalar(select(CambioRegistro).where(CambioRegistro.expediente_id == expediente_id))
        assert (cambio.tipo, cambio.aplicado_en, cambio.acto_id is not None) == ("renovacion", hoy_en_bogota(), True)


def _registro_de(app, expediente_id: int, numero: str, grupo: str, **campos) -> None:
    with app.app_context(), todas_las_empresas():
        expediente = db.session.get(Expediente, expediente_id)
        db.session.add(
            RegistroSanitario(
                numero=numero,
                clase="Registro sanitario",
                empresa_id=expediente.empresa_id,
                grupo_id=expediente.grupo_id if grupo == PLAGUICIDAS else None,
                expediente_id=expediente_id,
                nombre_producto=f"Producto {numero}",
                otorgado_en=date(2020, 1, 1),
                actualizado_en=ahora(),
                **{"estado": VIGENTE, "familia_id": expediente.familia_id, **campos},
            )
        )
        db.session.commit()


def test_estado_en_y_la_busqueda_por_estado_dicen_lo_mismo(app, cliente_empresa_a):
    expediente_id = radicado(app, cliente_empresa_a)
    hoy = hoy_en_bogota()
    casos = {
        "T-VIGENTE": ({"vence_en": hoy}, VIGENTE),  # its last day
        "T-SIN-VIGENCIA": ({}, VIGENTE),
        "T-VENCIDO": ({"vence_en": hoy - timedelta(days=1)}, VENCIDO),
        "T-CANCELADO": ({"estado": CANCELADO, "cancelado_en": hoy, "vence_en": hoy - timedelta(days=9)}, CANCELADO),
        "T-AGOTANDO": ({"estado": EN_AGOTAMIENTO, "agotamiento_hasta": hoy}, EN_AGOTAMIENTO),
        "T-AGOTANDO-SIN-PLAZO": ({"estado": EN_AGOTAMIENTO}, EN_AGOTAMIENTO),
        "T-AGOTADO": ({"estado": EN_AGOTAMIENTO, "agotamiento_hasta": hoy - timedelta(days=1)}, VENCIDO),
        "T-POR-NOTIFICAR": ({"estado": PENDIENTE_NOTIFICACION}, PENDIENTE_NOTIFICACION),
        # Notified por aviso: pending until the day after the one at whose end it surte, then vigente.
        "T-AVISO-EN-CURSO": ({"efectos_desde": hoy + timedelta(days=1)}, PENDIENTE_NOTIFICACION),
        "T-AVISO-SURTIDO": ({"efectos_desde": hoy}, VIGENTE),
    }
    for numero, (campos, _) in casos.items():
        _registro_de(app, expediente_id, numero, PLAGUICIDAS, **campos)
    with app.app_context(), todas_las_empresas():
        propios = select(RegistroSanitario).where(RegistroSanitario.numero.startswith("T-"))
        leidos = {r.numero: registros.estado_en(r, hoy) for r in db.session.scalars(propios)}
        buscados = {
            estado: set(
                db.session.scalars(
                    propios.with_only_columns(RegistroSanitario.numero).where(registros.en_estado(estado, hoy))
                )
            )
            for estado in ESTADOS_REGISTRO
        }
        assert not db.session.scalars(propios.where(registros.en_estado("Otro", hoy))).all()
    assert leidos == {numero: estado for numero, (_, estado) in casos.items()}
    assert buscados == {e: {n for n, (_, estado) in casos.items() if estado == e} for e in ESTADOS_REGISTRO}


def test_cada_lista_muestra_solo_los_suyos_y_busca_por_estado(app, cliente_empresa_a, cliente_empresa_b, coordinador):
    propio = radicado(app, cliente_empresa_a)
    ajeno = radicado(app, cliente_empresa_b)
    hoy = hoy_en_bogota()
    _registro_de(app, propio, "PUD-A-VIGENTE", PLAGUICIDAS, vence_en=hoy + timedelta(days=400))
    _registro_de(app, propio, "PUD-A-VENCIDO", PLAGUICIDAS, vence_en=hoy - timedelta(days=1))
    _registro_de(app, propio, "PUD-A-SIN-GRUPO", COSMETICOS)
    _registro_de(app, ajeno, "PUD-B-VIGENTE", PLAGUICIDAS, vence_en=hoy + timedelta(days=30))

    pagina = texto(cliente_empresa_a.get("/registros/mis/"))
    assert "PUD-A-VIGENTE" in pagina and "PUD-A-VENCIDO" in pagina and "PUD-B-VIGENTE" not in pagina
    pagina = texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Vencido"))
    assert "PUD-A-VENCIDO" in pagina and "PUD-A-VIGENTE" not in pagina
    pagina = texto(cliente_empresa_a.get("/registros/mis/?_flt_0_numero=pud-a-v%25"))
    assert "PUD-A-VIGENTE" not in pagina and "PUD-A-VENCIDO" not in pagina  # «%» is a character, not a wildcard

    pagina = texto(coordinador.get("/revision/registros/"))
    assert "PUD-B-VIGENTE" in pagina and "PUD-A-VENCIDO" in pagina and "PUD-A-SIN-GRUPO" not in pagina
    v = "RegistrosRevisionView"
    pagina = texto(coordinador.get(f"/revision/registros/?_oc_{v}=vence_en&_od_{v}=asc"))
    assert pagina.index("PUD-A-VENCIDO") < pagina.index("PUD-B-VIGENTE") < pagina.index("PUD-A-VIGENTE")
    otro = funcionario(app, "Coordinador", (COSMETICOS,))
    assert "PUD-A-VIGENTE" not in texto(otro.get("/revision/registros/"))
    assert cliente_empresa_a.get("/revision/registros/").status_code in (302, 403, 404)
    assert coordinador.get("/registros/mis/").status_code in (302, 403, 404)


def test_la_lista_cuesta_las_mismas_sentencias_con_uno_o_con_muchos(app, cliente_empresa_a, coordinador):
    expediente_id = radicado(app, cliente_empresa_a)
    _registro_de(app, expediente_id, "PUD-N-0", PLAGUICIDAS)
    cuentas = []
    for n in (1, 20):
        for i in range(1, n):
            _registro_de(app, expediente_id, f"PUD-N-{n}-{i}", PLAGUICIDAS)
        for cliente, ruta in ((cliente_empresa_a, "/registros/mis/"), (coordinador, "/revision/registros/")):
            with contar_sentencias(app) as sentencias:
                assert cliente.get(ruta).status_code == 200
            cuentas.append(len(sentencias))
    assert cuentas[:2] == cuentas[2:], cuentas


def _listo(app, cliente, codigo: str, producto: dict) -> int:
    expediente_id = crear_borrador(app, cliente, codigo, modalidad="Fabricar y vender")
    llenar_formulario(cliente, expediente_id, codigo, producto=producto)
    adjuntar_todo(cliente, expediente_id)
    return expediente_id


def _radicar(cliente, expediente_id: int):
    return cliente.post(f"/expedientes/{expediente_id}/radicar", data={"csrf_token": cliente.csrf})


def test_no_se_radica_sobre_un_registro_cancelado_ni_con_otra_vigencia(app, cliente_empresa_a):
    origen = radicado(app, cliente_empresa_a)
    hoy = hoy_en_bogota()
    vence = hoy + relativedelta(months=9)  # inside the 12-to-6-months renewal window
    _registro_de(app, origen, "PUD2017-000555", PLAGUICIDAS, vence_en=vence)
    _registro_de(app, origen, "PUD2018-000666", PLAGUICIDAS, estado=CANCELADO, cancelado_en=hoy)

    renovacion = {"registro_numero": "pud2017-000555", "nombre_producto": "Matamoscas Rayo"}
    expediente_id = _listo(
        app, cliente_empresa_a, "pld-renovacion", {**renovacion, "vencimiento": (vence + timedelta(days=1)).isoformat()}
    )
    esperado = f"PUD2017-000555 vence el {vence.isoformat()} según el Invima"
    assert esperado in texto(cliente_empresa_a.get(f"/expedientes/{expediente_id}/"))
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400 and esperado in texto(r)
    expediente_id = _listo(app, cliente_empresa_a, "pld-renovacion", {**renovacion, "vencimiento": vence.isoformat()})
    assert _radicar(cliente_empresa_a, expediente_id).status_code == 302

    cancelacion = _cita("PUD2018-000666")
    expediente_id = _listo(app, cliente_empresa_a, "pld-cancelacion", cancelacion)
    r = _radicar(cliente_empresa_a, expediente_id)
    assert r.status_code == 400 and f"PUD2018-000666 está cancelado desde el {hoy.isoformat()}" in texto(r)
    with app.app_context(), todas_las_empresas():
        assert db.session.get(Expediente, expediente_id).radicado is None


def test_cualquiera_consulta_un_registro_por_su_numero_sin_sesion(app, cliente_empresa_a, client):
    origen = radicado(app, cliente_empresa_a)
    hoy = hoy_en_bogota()
    _registro_de(app, origen, "PUD2019-000777", PLAGUICIDAS, vence_en=hoy - timedelta(days=1))
    r = client.get("/consulta/registro?numero=%20pud2019-000777%20")
    pagina = texto(r)
    assert r.status_code == 200 and "Empresa A" in pagina and "Producto PUD2019-000777" in pagina
    assert f"<strong>Vencido</strong> — Vencido el {(hoy - timedelta(days=1)).isoformat()}" in pagina
    # An NSO de cosméticos that expired unrenewed may exhaust its stock for 12 months without an authorisation.
    with app.app_context():
        cosmeticos = db.session.scalar(select(FamiliaProducto.id).where(FamiliaProducto.codigo == "cosmeticos"))
    vencio = hoy - timedelta(days=10)
    _registro_de(app, origen, "NSOC00077-19CO", PLAGUICIDAS, vence_en=vencio, familia_id=cosmeticos)
    hasta = (vencio + relativedelta(months=12)).isoformat()
    pagina = texto(client.get("/consulta/registro?numero=NSOC00077-19CO"))
    assert f"Vencido el {vencio.isoformat()}; la guía permite agotar existencias hasta el {hasta}" in pagina
    assert "la guía permite agotar" not in texto(client.get("/consulta/registro?numero=PUD2019-000777"))
    # The titular's list says it too, next to the label, and only for the family whose guide allows it.
    lista = texto(cliente_empresa_a.get("/registros/mis/?_flt_0_estado=Vencido"))
    assert lista.count("puede agotar existencias hasta") == 1 and f"puede agotar existencias hasta {hasta}" in lista
    for numero in ("PUD2019-000778", "%25", "x" * 500):
        r = client.get(f"/consulta/registro?numero={numero}")
        assert r.status_code == 404 and registros.MSG_NO_HAY in texto(r)
    r = client.get("/consulta/registro")
    assert r.status_code == 200 and "Consultar el registro" in texto(r)
    r = client.get("/consulta/registro?numero=+++")
    assert r.status_code == 400 and "Escriba el número del registro sanitario o de la NSO." in texto(r)
