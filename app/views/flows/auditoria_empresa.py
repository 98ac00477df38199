"""The company's record of actions, for members whose role grants Auditoría → Ver."""

from __future__ import annotations

from datetime import date

from flask import Response, g, request
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.security.autorizacion import acceso_de_empresa, registrar_hojas
from app.services.empresas import auditoria as auditoria_empresa
from app.services.esquemas import leer_fecha
from app.views.errores import SolicitudInvalida

MSG_FECHA = (
    "La fecha «{campo}» no es válida: escríbala como AAAA-MM-DD (por ejemplo, 2026-12-04) o elíjala en el calendario."
)
MSG_RANGO = "La fecha «Desde» ({desde}) es posterior a «Hasta» ({hasta}): corrija el rango."


def _fecha(nombre: str, campo: str) -> date | None:
    valor = (request.args.get(nombre) or "").strip()
    if not valor:
        return None
    fecha = leer_fecha(valor[:10])
    if fecha is None:
        raise SolicitudInvalida(MSG_FECHA.format(campo=campo))
    return fecha


def _filtro() -> auditoria_empresa.Filtro:
    desde, hasta = _fecha("desde", "Desde"), _fecha("hasta", "Hasta")
    if desde and hasta and desde > hasta:
        raise SolicitudInvalida(MSG_RANGO.format(desde=desde.isoformat(), hasta=hasta.isoformat()))
    return auditoria_empresa.Filtro(texto=(request.args.get("q") or "")[:80], desde=desde, hasta=hasta)


class AuditoriaEmpresaView(BaseView):
    """Visible only when acting as a company with Auditoría → Ver (a FAB permission mapped from the tree): platform
    staff hold every FAB permission, but this record belongs to the company one acts as."""

    route_base = "/empresa/auditoria"
    default_view = "index"
    plantilla_sin_empresa = "empresa_auditoria/elegir_empresa.html"
    titulo_sin_empresa = "Registro de acciones"

    @expose("/")
    @acceso_de_empresa
    def index(self):
        try:
            pagina = int(request.args.get("pagina", "1"))
        except ValueError:
            pagina = 1
        filtro = _filtro()
        resultado = auditoria_empresa.buscar(db.session, g.empresa_id, filtro, pagina)
        return self.render_template(
            "empresa_auditoria/lista.html", resultado=resultado, filtro=filtro, title="Registro de acciones"
        )

    @expose("/exportar.csv")
    @acceso_de_empresa
    def exportar(self):
        contenido = auditoria_empresa.exportar_csv(db.session, g.empresa_id, _filtro())
        return Response(
            contenido,
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="registro_de_acciones.csv"'},
        )


def register(appbuilder) -> None:
    appbuilder.add_view(
        AuditoriaEmpresaView,
        "Registro de acciones",
        href="/empresa/auditoria/",
        icon="fa-history",
        category="Mi empresa",
    )
    registrar_hojas(
        AuditoriaEmpresaView,
        ("auditoria.ver", "index"),
        ("auditoria.ver", "exportar"),
        menu=("Registro de acciones", "Mi empresa"),
    )
