"""The checklist verification of a radicated expediente (issue 13 §2) through HTTP on the real database: who sees
it (the expediente's grupo, acting as nobody), who verifies what (each reviewer their parte), the observación of a
«No cumple», the VoBo Legal / Técnico with código and date, its withdrawal by a coordinator only, the decided
expediente read-only, bad input, and a constant number of statements."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import Empresa, RolEmpresa
from app.models.expedientes import ESTADO_APROBADO, Expediente
from app.models.personas import Usuario
from app.models.revision import EventoExpediente, VerificacionRequisito, Vobo
from app.services.empresas import alta
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from app.services.revision import chequeo
from tests.helpers import actuar_como, contar_sentencias, texto
from tests.helpers_revision import COSMETICOS, PLAGUICIDAS, funcionario, radicado


def lineas(app, expediente_id: int) -> list[chequeo.Linea]:
    with app.app_context():
        expediente = db.session.get(Expediente, expediente_id)
        return chequeo.estado_del_expediente(db.session, expediente).lineas


def de_parte(app, expediente_id: int, parte: str) -> list[str]:
    return [x.clave for x in lineas(app, expediente_id) if x.parte == parte]


def url(expediente_id: int, resto: str = "") -> str:
    return f"/revision/expedientes/{expediente_id}/{resto}"


def verificar(cliente, expediente_id: int, parte: str, clave: str, resultado="Cumple", observacion="", **opciones):
    return cliente.post(
        url(expediente_id, f"{parte}/requisitos/{clave}"),
        data={"csrf_token": cliente.csrf, "resultado": resultado, "observacion": observacion},
        **opciones,
    )


def dar_vobo(cliente, expediente_id: int, parte: str):
    return cliente.post(url(expediente_id, f"{parte}/vobo"), data={"csrf_token": cliente.csrf})


def verificar_todo(cliente, expediente_id: int, parte: str, claves) -> None:
    for clave in claves:
        assert verificar(cliente, expediente_id, parte, clave).status_code == 302


@pytest.fixture
def expediente(app, cliente_empresa_a, documentos_en_tmp) -> int:
    return radicado(app, cliente_empresa_a)


@pytest.fixture
def legal(app):
    return funcionario(app, "Revisor legal", (PLAGUICIDAS,), codigo="L-101")


@pytest.fixture
def tecnico(app):
    return funcionario(app, "Revisor técnico", (PLAGUICIDAS,), codigo="T-202")


@pytest.fixture
def coordinador(app):
    return funcionario(app, "Coordinador", (PLAGUICIDAS,), codigo="C-303")


def _contar(app, modelo, **filtros) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(modelo).filter_by(**filtros))


# ---------------------------------------------------------------- who sees it


def test_la_pantalla_muestra_la_lista_de_chequeo_y_el_documento(app, expediente, legal):
    r = legal.get(url(expediente))
    pagina = texto(r)
    assert r.status_code == 200, pagina[:2000]
    with app.app_context():
        numero = db.session.get(Expediente, expediente).radicado
    assert f"Radicado {numero}" in pagina and "Solicitud del registro sanitario" in pagina
    assert "Empresa A" in pagina and "días hábiles" in pagina
    todas = lineas(app, expediente)
    assert all(f'id="requisito-{x.clave}"' in pagina for x in todas)
    assert "Legal" in pagina and "Técnico" in pagina
    marco = re.search(r'<iframe class="visor-pdf" src="([^"]+)"', pagina)
    assert marco, "la pantalla no muestra el documento elegido"
    pdf = legal.get(marco.group(1))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in pdf.headers["Content-Security-Policy"]
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_bajo_insistencia_arriba_con_su_porque(app, cliente_empresa_a, documentos_en_tmp, legal):
    motivo = "El concepto toxicológico está en trámite ante el INS."
    expediente_id = radicado(app, cliente_empresa_a, documentos=3, bajo_insistencia=motivo)
    pagina = texto(legal.get(url(expediente_id)))
    assert "BAJO INSISTENCIA" in pagina and motivo in pagina
    assert pagina.index("BAJO INSISTENCIA") < pagina.index("Lista de chequeo")


def test_revisor_de_otro_grupo_recibe_404(app, expediente):
    otro = funcionario(app, "Revisor legal", (COSMETICOS,))
    r = otro.get(url(expediente))
    # In the back office's words, not the titular's («no pertenece a quien usted representa»).
    assert r.status_code == 404 and "El expediente no existe o no es de sus grupos de revisión." in texto(r)
    with app.app_context():
        anexo_id = db.session.get(Expediente, expediente).anexos[0].id
    assert otro.get(url(expediente, f"documentos/{anexo_id}")).status_code == 404
    clave = de_parte(app, expediente, "legal")[0]
    assert verificar(otro, expediente, "legal", clave).status_code == 404
    assert _contar(app, VerificacionRequisito) == 0


def test_actuando_como_empresa_esta_cerrada(app, expediente, legal, cliente_empresa_a):
    """A funcionario who is also a member of a company, acting as it, finds the back office closed; the company's
    own people never had it."""
    with app.app_context():
        empresa = db.session.get(Empresa, cliente_empresa_a.empresa_id)
        rol = db.session.scalar(select(RolEmpresa).where(RolEmpresa.empresa_id == empresa.id))
        alta.agregar_miembro_aceptado(db.session, empresa, db.session.get(Usuario, legal.usuario.id), [rol])
        db.session.commit()
    actuar_como(legal, cliente_empresa_a.empresa_id)
    r = legal.get(url(expediente))
    assert r.status_code == 403 and "no actúan como empresa" in texto(r)
    assert cliente_empresa_a.get(url(expediente)).status_code == 403
    clave = de_parte(app, expediente, "legal")[0]
    assert verificar(legal, expediente, "legal", clave).status_code == 403
    assert verificar(cliente_empresa_a, expediente, "legal", clave).status_code == 403
    assert _contar(app, VerificacionRequisito) == 0


# ---------------------------------------------------------------- verifying


def test_verificacion_se_guarda_y_se_retoma(app, expediente, legal):
    clave = de_parte(app, expediente, "legal")[0]
    r = verificar(legal, expediente, "legal", clave, "Cumple", "Firmado por el representante legal.")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#requisito-{clave}")
    with app.app_context():
        fila = db.session.scalar(select(VerificacionRequisito).where(VerificacionRequisito.clave == clave))
        assert (fila.resultado, fila.parte, fila.por_id) == ("Cumple", "legal", legal.usuario.id)
        expediente_fila = db.session.get(Expediente, expediente)
        assert expediente_fila.estado == "En verificación"
        evento = db.session.scalar(select(EventoExpediente).where(EventoExpediente.tipo == "En verificación"))
        assert evento.publico is True
        assert db.session.scalar(select(Auditoria).where(Auditoria.accion == "verificacion_requisito")) is not None
    pagina = texto(legal.get(url(expediente)))  # resumed later: the page shows what was saved
    assert "Firmado por el representante legal." in pagina and "1 de" in pagina
    # Changing it is a new answer by the same row, audited with before and after.
    assert verificar(legal, expediente, "legal", clave, "No aplica").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(VerificacionRequisito.resultado)) == "No aplica"
        assert _contar(app, EventoExpediente, tipo="En verificación") == 1
        cambio = db.session.scalars(select(Auditoria).where(Auditoria.accion == "verificacion_requisito")).all()[-1]
        assert cambio.antes["resultado"] == "Cumple" and cambio.despues["resultado"] == "No aplica"


def test_verificacion_con_fetch_responde_json(app, expediente, tecnico):
    clave = de_parte(app, expediente, "tecnico")[0]
    r = verificar(tecnico, expediente, "tecnico", clave, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["resultado"] == "Cumple" and r.json["clave"] == clave
    r = verificar(tecnico, expediente, "tecnico", clave, "No cumple", headers={"Accept": "application/json"})
    assert r.status_code == 400 and "observación" in r.json["mensaje"]


def test_no_cumple_sin_observacion_400_y_nada_escrito(app, expediente, legal):
    clave = de_parte(app, expediente, "legal")[0]
    r = verificar(legal, expediente, "legal", clave, "No cumple", "   ")
    assert r.status_code == 400
    assert "Escriba la observación: es obligatoria cuando el requisito no cumple." in texto(r)
    assert _contar(app, VerificacionRequisito) == 0 and _contar(app, Auditoria, accion="verificacion_requisito") == 0
    with app.app_context():
        assert db.session.get(Expediente, expediente).estado == "Radicado"
    r = verificar(legal, expediente, "legal", clave, "No cumple", "El certificado tiene más de 90 días.")
    assert r.status_code == 302


def test_parte_ajena_403(app, expediente, legal, tecnico):
    clave_tecnica = de_parte(app, expediente, "tecnico")[0]
    clave_legal = de_parte(app, expediente, "legal")[0]
    assert verificar(legal, expediente, "tecnico", clave_tecnica).status_code == 403  # not their permission
    r = verificar(legal, expediente, "legal", clave_tecnica)  # their permission, another parte's line
    assert r.status_code == 403 and "Este requisito es de la parte técnica: lo verifica el revisor técnico" in texto(r)
    assert verificar(tecnico, expediente, "legal", clave_legal).status_code == 403
    assert dar_vobo(legal, expediente, "tecnico").status_code == 403
    coordinador = funcionario(app, "Coordinador", (PLAGUICIDAS,))
    assert verificar(coordinador, expediente, "legal", clave_legal).status_code == 403
    assert _contar(app, VerificacionRequisito) == 0


@pytest.mark.parametrize(
    "clave, resultado, observacion",
    [
        ("no-existe", "Cumple", ""),
        (None, "Aprobado", ""),
        (None, "", ""),
        (None, "Cumple", "x" * 2001),
        (None, "No cumple", "x" * 100_000),
    ],
)
def test_entrada_invalida_4xx(app, expediente, legal, clave, resultado, observacion):
    clave = clave or de_parte(app, expediente, "legal")[0]
    r = verificar(legal, expediente, "legal", clave, resultado, observacion)
    assert 400 <= r.status_code < 500
    assert _contar(app, VerificacionRequisito) == 0


def test_ids_de_otro_expediente_4xx(app, cliente_empresa_a, documentos_en_tmp, legal, coordinador):
    uno = radicado(app, cliente_empresa_a, documentos=2)
    otro = radicado(app, cliente_empresa_a, documentos=2)
    with app.app_context():
        anexo_del_otro = db.session.get(Expediente, otro).anexos[0].id
    assert legal.get(url(uno, f"documentos/{anexo_del_otro}")).status_code == 404
    assert legal.get(url(uno, "documentos/99999999999999999999")).status_code == 404
    assert legal.get(url(99999999, "")).status_code == 404
    claves = de_parte(app, otro, "legal")
    verificar_todo(legal, otro, "legal", claves)
    assert dar_vobo(legal, otro, "legal").status_code == 302
    with app.app_context():
        vobo_id = db.session.scalar(select(Vobo.id))
    r = coordinador.post(url(uno, f"vobos/{vobo_id}/retirar"), data={"csrf_token": coordinador.csrf, "motivo": "x"})
    assert r.status_code == 404
    with app.app_context():
        assert db.session.get(Vobo, vobo_id).retirado_en is None


# ---------------------------------------------------------------- VoBo


def test_vobo_rechazado_mientras_falta_verificar(app, expediente, legal):
    claves = de_parte(app, expediente, "legal")
    verificar_todo(legal, expediente, "legal", claves[:-1])
    r = dar_vobo(legal, expediente, "legal")
    assert r.status_code == 400
    assert "No se puede dar el VoBo Legal: falta verificar 1 requisito(s) de la parte legal" in texto(r)
    assert _contar(app, Vobo) == 0


def test_la_parte_tecnica_se_nombra_en_femenino(app, expediente, tecnico):
    r = dar_vobo(tecnico, expediente, "tecnico")
    assert r.status_code == 400
    assert "No se puede dar el VoBo Técnico: falta verificar" in texto(r)
    assert "de la parte técnica:" in texto(r) and "parte técnico" not in texto(r)
    assert "Usted verifica la parte técnica." in texto(tecnico.get(url(expediente)))


def test_vobo_con_codigo_y_fecha_y_cambio_posterior_rechazado(app, expediente, legal):
    claves = de_parte(app, expediente, "legal")
    verificar_todo(legal, expediente, "legal", claves)
    r = dar_vobo(legal, expediente, "legal")
    assert r.status_code == 302
    with app.app_context():
        vobo = db.session.scalar(select(Vobo))
        assert (vobo.parte, vobo.codigo, vobo.por_id) == ("legal", "L-101", legal.usuario.id)
        assert vobo.fecha == en_bogota(ahora()).date()
        evento = db.session.scalar(select(EventoExpediente).where(EventoExpediente.tipo == "VoBo"))
        assert evento.publico is False
        assert db.session.scalar(select(Auditoria).where(Auditoria.accion == "vobo_dado")) is not None
    pagina = texto(legal.get(url(expediente)))
    assert "L-101" in pagina and vobo.fecha.isoformat() in pagina
    r = verificar(legal, expediente, "legal", claves[0], "No aplica")
    assert r.status_code == 400 and "retirar primero el VoBo" in texto(r)
    assert dar_vobo(legal, expediente, "legal").status_code == 400  # one in force per parte
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(VerificacionRequisito.resultado == "No aplica")) == 0


def test_solo_el_coordinador_retira_el_vobo(app, expediente, legal, coordinador):
    verificar_todo(legal, expediente, "legal", de_parte(app, expediente, "legal"))
    assert dar_vobo(legal, expediente, "legal").status_code == 302
    with app.app_context():
        vobo_id = db.session.scalar(select(Vobo.id))
    retirar = url(expediente, f"vobos/{vobo_id}/retirar")
    r = legal.post(retirar, data={"csrf_token": legal.csrf, "motivo": "Me equivoqué"})
    assert r.status_code == 403
    r = coordinador.post(retirar, data={"csrf_token": coordinador.csrf, "motivo": "  "})
    assert r.status_code == 400 and "Escriba el motivo" in texto(r)
    motivo = "El certificado de existencia venció durante la revisión."
    r = coordinador.post(retirar, data={"csrf_token": coordinador.csrf, "motivo": motivo})
    assert r.status_code == 302
    with app.app_context():
        vobo = db.session.get(Vobo, vobo_id)
        assert vobo.retirado_en is not None and vobo.retirado_por_id == coordinador.usuario.id
        assert vobo.motivo_retiro == motivo
        auditoria = db.session.scalar(select(Auditoria).where(Auditoria.accion == "vobo_retirado"))
        assert auditoria.despues["motivo"] == motivo and auditoria.usuario_id == coordinador.usuario.id
        assert (
            db.session.scalar(select(EventoExpediente.publico).where(EventoExpediente.tipo == "VoBo retirado")) is False
        )
    pagina = texto(coordinador.get(url(expediente)))
    assert "Historial de VoBo" in pagina and motivo in pagina
    # Withdrawn, the parte may change again and be given its VoBo anew (the old one kept).
    clave = de_parte(app, expediente, "legal")[0]
    assert verificar(legal, expediente, "legal", clave, "No cumple", "Vencido.").status_code == 302
    assert dar_vobo(legal, expediente, "legal").status_code == 302
    assert _contar(app, Vobo) == 2


def test_pide_los_vobos_de_las_partes_de_su_lista(app, cliente_empresa_a, documentos_en_tmp, legal):
    """The VoBos an expediente needs are those of the partes its checklist has lines of."""
    expediente_id = radicado(app, cliente_empresa_a, "pld-desglose")
    pagina = texto(legal.get(url(expediente_id)))
    for parte, nombre in (("legal", "VoBo Legal"), ("tecnico", "VoBo Técnico")):
        assert (nombre in pagina) == bool(de_parte(app, expediente_id, parte))


# ---------------------------------------------------------------- decided, statements


def test_expediente_decidido_es_de_solo_lectura(app, expediente, legal):
    clave = de_parte(app, expediente, "legal")[0]
    assert verificar(legal, expediente, "legal", clave).status_code == 302
    with app.app_context():
        db.session.execute(
            text("UPDATE expediente SET estado = :e WHERE id = :i"), {"e": ESTADO_APROBADO, "i": expediente}
        )
        db.session.commit()
    pagina = texto(legal.get(url(expediente)))
    assert "solo lectura" in pagina and 'class="form-verificacion"' not in pagina
    r = verificar(legal, expediente, "legal", clave, "No aplica")
    assert r.status_code == 400 and "solo lectura" in texto(r)
    assert dar_vobo(legal, expediente, "legal").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(VerificacionRequisito.resultado)) == "Cumple"


def test_sentencias_constantes(app, cliente_empresa_a, documentos_en_tmp, legal):
    """The screen reads the same number of statements whatever the size of the checklist and how much of it is
    verified (bench: a 40-requisito expediente)."""
    pequeno = radicado(app, cliente_empresa_a, "pld-desglose")
    grande = radicado(app, cliente_empresa_a)
    assert len(lineas(app, pequeno)) < len(lineas(app, grande))
    verificar_todo(legal, grande, "legal", de_parte(app, grande, "legal"))
    cuentas = []
    for expediente_id in (pequeno, grande):
        legal.get(url(expediente_id))  # warm caches of the first request
        with contar_sentencias(app) as sentencias:
            assert legal.get(url(expediente_id)).status_code == 200
        cuentas.append(len(sentencias))
    assert cuentas[0] == cuentas[1], cuentas
    assert cuentas[1] <= 12, (
        cuentas
    )  # 11 today: session, funcionario, expediente and its catalog, verificaciones, VoBos
