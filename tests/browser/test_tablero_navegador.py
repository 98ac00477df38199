"""The coordinators' dashboard in Chromium: the coordinator opens Revisión → Tablero de revisión, sees the four charts
drawn (SVG, no script), at 1280 px and on a 375 px phone without horizontal scrolling, and axe-core finds no
critical, serious or moderate violation. Screenshots of both widths go to test-artifacts/ to be looked at."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.models.expedientes import (
    ESTADO_APROBADO,
    ESTADO_ASIGNADO,
    ESTADO_EN_VERIFICACION,
    ESTADO_NEGADO,
    ESTADO_RADICADO,
    ESTADO_REQUERIMIENTO_ENVIADO,
    ESTADO_REQUERIMIENTO_RESPONDIDO,
    Expediente,
)
from app.security.roles import ROL_COORDINADOR
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from tests import factories
from tests.factories_expedientes import expediente_de_prueba, version_publicada
from tests.helpers import encabezado, ingresar, mirar_en_dos_anchos
from tests.helpers_revision import crear_funcionario

COORDINADOR = "79555666"
# (trámite, estado, días to the due date — None: suspended —, assigned, decided days ago)
EXPEDIENTES = (
    *(("cos-nso", ESTADO_RADICADO, d, False, None) for d in (-2, 0, 1, 5, 12, 20)),
    *(("cos-nso-renovacion", ESTADO_ASIGNADO, d, True, None) for d in (-1, 2, 8)),
    *(("cos-cvl", ESTADO_EN_VERIFICACION, d, True, None) for d in (3, 9, 15, 30)),
    *(("cos-modificacion", ESTADO_REQUERIMIENTO_ENVIADO, None, True, None) for _ in range(3)),
    ("cos-importador-paralelo", ESTADO_REQUERIMIENTO_RESPONDIDO, 6, True, None),
    *(("cos-nso", ESTADO_APROBADO, None, True, d) for d in (1, 3, 9, 10, 17, 30, 45, 60)),
    *(("cos-cvl", ESTADO_NEGADO, None, True, d) for d in (4, 25)),
)


def _arreglar(coordinador_id: int) -> None:
    titular = factories.crear_usuario().id
    hoy = en_bogota(ahora())
    for numero, (tramite, estado, dias, asignado, decidido) in enumerate(EXPEDIENTES, start=1):
        e = expediente_de_prueba(
            persona_id=titular,
            radicado=f"2026-{numero:06d}",
            radicado_en=ahora() - timedelta(days=40),
            version=version_publicada(db.session, tramite),
        )
        cambios = {"estado": estado, "asignado_a_id": coordinador_id if asignado else None}
        if decidido is not None:
            cambios |= {"decidido_en": hoy - timedelta(days=decidido), "reloj_desde": None, "vence_en": None}
        elif dias is None:
            cambios |= {"reloj_desde": None, "vence_en": None}
        else:
            cambios["vence_en"] = hoy.date() + timedelta(days=dias)
        db.session.execute(update(Expediente).where(Expediente.id == e.id).values(**cambios))
    db.session.commit()


def test_el_coordinador_ve_el_tablero_en_escritorio_y_en_telefono(app, pagina):
    with app.app_context():
        coordinador = crear_funcionario(ROL_COORDINADOR, numero=COORDINADOR, nombres="Claudia", apellidos="Rincón")
        _arreglar(coordinador.id)

    ingresar(pagina, COORDINADOR, "Persona natural")
    encabezado(pagina).get_by_role("link", name="Revisión").click()
    encabezado(pagina).get_by_role("link", name="Tablero de revisión").click()
    pagina.get_by_role("heading", name="Tablero de revisión", level=1).wait_for()
    for titulo in ("Expedientes por estado", "Término legal de los abiertos", "Abiertos por trámite"):
        assert pagina.get_by_role("heading", name=titulo).is_visible()
    assert pagina.locator("svg.grafica").count() == 4
    assert pagina.get_by_role("link", name="Requerimiento enviado: 3. Ver en la cola").count() == 1

    graves = mirar_en_dos_anchos(pagina, "tablero_revision")
    assert not graves, "\n".join(graves)
