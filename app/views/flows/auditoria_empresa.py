"""The company's record of actions, for members whose role grants Auditoría → Ver."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, g, request
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.security.autorizacion import acceso_de_empresa, registrar_hojas
from app.services.empresas import auditoria as auditoria_empresa


def _fecha(nombre: str) -> date | None:
    valor = (request.args.get(nombre) or "").strip()
    if not valor:
        return None
    try:
        return date.fromisoformat(valor[:10])
    except ValueError:
        abort(400)


def _filtro() -> auditoria_empresa.Filtro:
    return auditoria_empresa.Filtro(
        texto=(request.args.get("q") or "")[:80], desde=_fecha("desde"), hasta=_fecha("hasta")
    )


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
