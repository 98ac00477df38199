"""Datos de la empresa: seen with Empresa → Ver, changed with Empresa → Editar (issue 4 §2 tree)."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_wtf import FlaskForm

from app.extensions import db
from app.models.empresas import Empresa
from app.security import contexto
from app.security.arbol_permisos import VISTAS
from app.services import registro_empresa
from app.services.errores import ErroresValidacion
from app.views.flows.empresa_admin import requiere

VISTAS.registrar(
    "empresa.ver",
    ("can_empresa_ver", "DatosEmpresaView"),
    ("menu_access", "Datos de la empresa"),
    ("menu_access", "Mi empresa"),
)
VISTAS.registrar("empresa.editar", ("can_empresa_editar", "DatosEmpresaView"))


class DatosEmpresaView(BaseView):
    route_base = "/empresa/datos"
    default_view = "index"

    def _pagina(self, empresa, valores, errores, status=200):
        return (
            self.render_template(
                "empresa_datos/index.html",
                empresa=empresa,
                valores=valores,
                errores=errores,
                form=FlaskForm(),
                puede_editar=contexto.tiene_permiso("empresa.editar"),
                tamanos=registro_empresa.TAMANOS,
                sectores=registro_empresa.SECTORES,
                title="Datos de la empresa",
            ),
            status,
        )

    @expose("/")
    @requiere("empresa.ver")
    def index(self):
        empresa = db.session.get(Empresa, g.empresa_id)
        valores = {c: getattr(empresa, c) or "" for c in registro_empresa.CAMPOS_EDITABLES}
        return self._pagina(empresa, valores, {})

    @expose("/", methods=["POST"])
    @requiere("empresa.editar")
    def actualizar(self):
        empresa = db.session.get(Empresa, g.empresa_id)
        form = FlaskForm()
        valores = {c: (request.form.get(c) or "")[:300] for c in registro_empresa.CAMPOS_EDITABLES}
        if not form.validate_on_submit():
            flash("La sesión del formulario expiró. Intente de nuevo.", "danger")
            return self._pagina(empresa, valores, {}, 400)
        try:
            limpio = registro_empresa.validar_edicion(valores)
        except ErroresValidacion as error:
            db.session.rollback()
            return self._pagina(empresa, valores, error.errores, 400)
        registro_empresa.actualizar_datos(db.session, g.empresa_id, g.user.id, limpio, ip=request.remote_addr)
        db.session.commit()
        flash("Los datos de la empresa se actualizaron correctamente.", "success")
        return redirect(url_for("DatosEmpresaView.index"))


def register(appbuilder) -> None:
    appbuilder.add_view(
        DatosEmpresaView, "Datos de la empresa", href="/empresa/datos/", icon="fa-building", category="Mi empresa"
    )
