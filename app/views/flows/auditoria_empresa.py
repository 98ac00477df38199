"""The company's record of actions, for members whose role grants Auditoría → Ver."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, g, render_template, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access

from app.extensions import db
from app.security.arbol_permisos import VISTAS
from app.services import auditoria_empresa

VISTAS.registrar(
    "auditoria.ver",
    ("can_index", "AuditoriaEmpresaView"),
    ("can_exportar", "AuditoriaEmpresaView"),
    ("menu_access", "Registro de acciones"),
    ("menu_access", "Mi empresa"),
)


def _requiere_empresa():
    """Platform staff hold every FAB permission, but this record belongs to the company one acts as."""
    if g.get("empresa_id") is None:
        return render_template("empresa_auditoria/elegir_empresa.html", title="Registro de acciones"), 403
    return None


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
    """Visible only when acting as a company with Auditoría → Ver (a FAB permission mapped from the tree)."""

    route_base = "/empresa/auditoria"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        if (sin_empresa := _requiere_empresa()) is not None:
            return sin_empresa
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
    @has_access
    def exportar(self):
        if (sin_empresa := _requiere_empresa()) is not None:
            return sin_empresa
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
