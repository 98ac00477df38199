"""The coordinators' dashboard (issue 13 §1): Revisión → Tablero de revisión.

A read-only page over app/services/revision/tablero.py: the numbers of the coordinator's grupos (the request's
scope, set by `@acceso_de_funcionario`), drawn as server-side SVG (app/web/graficas.py). Only the Coordinador role
holds it (app/security/roles.py); acting as a company closes it, as every back-office screen.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.models.expedientes import ESTADOS_ABIERTOS
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import acceso_de_funcionario
from app.services.fechas import hoy_en_bogota
from app.services.revision import cola, tablero
from app.web import graficas
from app.web.graficas import Barra

MENU = "Revisión"
NOMBRE_MENU = "Tablero de revisión"
# The queue (app/views/crud/cola_revision.py) and its FAB filter on estado.
RUTA_COLA = "/revision/cola/"
FILTRO_ESTADO = "_flt_0_estado"
TONOS_PLAZO = {
    tablero.VENCIDOS: "peligro",
    tablero.VENCE_HOY: "peligro",
    tablero.DE_1_A_3: "aviso",
    tablero.DE_4_A_10: "base",
    tablero.MAS_DE_10: "bien",
    tablero.SUSPENDIDOS: "neutro",
}
MESES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def enlace_cola(estado: str | None = None, **filtros: str) -> str:
    """The queue, filtered by `estado` when given and by other searches of its own (`asignado_a`, `vence_en`)."""
    consulta = {FILTRO_ESTADO: estado} if estado else {}
    consulta |= {f"_flt_0_{columna}": valor for columna, valor in filtros.items()}
    return f"{RUTA_COLA}?{urlencode(consulta)}" if consulta else RUTA_COLA


def _semana(conteo: tablero.Conteo) -> Barra:
    lunes = date.fromisoformat(conteo.clave)
    return Barra(conteo.etiqueta, conteo.valor, rotulo=f"{lunes.day}\n{MESES[lunes.month - 1]}")


def barras(datos: tablero.Tablero) -> dict[str, list[Barra]]:
    """The bars of each chart: estados link to the queue filtered by that estado."""
    return {
        "estado": [
            Barra(c.etiqueta, c.valor, enlace_cola(c.clave), "base" if c.clave in ESTADOS_ABIERTOS else "neutro")
            for c in datos.por_estado
        ],
        "tramite": [Barra(c.etiqueta, c.valor, tono="base" if c.clave else "neutro") for c in datos.por_tramite],
        "plazo": [Barra(c.etiqueta, c.valor, tono=TONOS_PLAZO[c.clave]) for c in datos.plazos],
        "semana": [_semana(c) for c in datos.decisiones_por_semana],
    }


class TableroRevisionView(BaseView):
    route_base = "/revision/tablero"
    default_view = "index"

    @expose("/")
    @acceso_de_funcionario
    def index(self):
        datos = tablero.calcular(db.session, hoy_en_bogota())
        return self.render_template(
            "revision/tablero.html",
            title=NOMBRE_MENU,
            tablero=datos,
            barras=barras(datos),
            graficas=graficas,
            enlace_cola=enlace_cola,
            abiertos=cola.ABIERTOS,
            top_tramites=tablero.TOP_TRAMITES,
            semanas=tablero.SEMANAS,
        )


def register(appbuilder) -> None:
    appbuilder.add_view(
        TableroRevisionView,
        NOMBRE_MENU,
        icon="fa-bar-chart",
        category=MENU,
        category_icon="fa-gavel",
    )
    VISTAS.registrar_de_funcionario("TableroRevisionView", NOMBRE_MENU, MENU)
