"""Datos de la empresa: seen with Empresa → Ver, changed with Empresa → Editar (issue 4 §2 tree).

The address is changed in the signup's "Ingrese la dirección" dialog (DireccionForm), with the same rules as the
company's registration; the country is not edited, so it decides whether the dialog takes a Colombian address.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.models.empresas import Empresa
from app.security import contexto
from app.security.autorizacion import acceso_de_empresa, registrar_hojas
from app.services import listas
from app.services.empresas import registro as registro_empresa
from app.services.errores import ErroresValidacion
from app.views.formulario_direccion import DireccionForm, preparar_direccion
from app.web.transaccion import unidad_de_trabajo

# Fields shown as plain inputs; the address has its own (DireccionForm).
CAMPOS_TEXTO = tuple(c for c in registro_empresa.CAMPOS_EDITABLES if not c.startswith("direccion"))


class DatosEmpresaView(BaseView):
    route_base = "/empresa/datos"
    default_view = "index"
    method_permission_name = {"index": "empresa_ver", "actualizar": "empresa_editar"}

    def _pagina(self, empresa, form, valores, errores, status=200):
        en_colombia = registro_empresa.en_colombia(empresa)
        datos = request.form if request.method == "POST" else valores
        abrir = preparar_direccion(form, datos, en_colombia, errores) and status == 400
        return (
            self.render_template(
                "empresa_datos/index.html",
                empresa=empresa,
                valores=valores,
                errores=errores,
                form=form,
                puede_editar=contexto.tiene_permiso("empresa.editar"),
                tamanos=registro_empresa.TAMANOS,
                sectores=registro_empresa.SECTORES,
                en_colombia=en_colombia,
                colombia_id=str(listas.id_colombia(db.session) or ""),
                abrir_direccion=abrir,
                documentos=registro_empresa.documentos_de(db.session, empresa.id),
                title="Datos de la empresa",
            ),
            status,
        )

    @expose("/")
    @acceso_de_empresa
    def index(self):
        empresa = db.session.get(Empresa, g.empresa_id)
        valores = registro_empresa.valores_de_edicion(empresa)
        return self._pagina(empresa, DireccionForm(formdata=None, data=valores), valores, {})

    @expose("/", methods=["POST"])
    @acceso_de_empresa
    def actualizar(self):
        empresa = db.session.get(Empresa, g.empresa_id)
        form = DireccionForm()
        valores = {c: (request.form.get(c) or "")[:300] for c in CAMPOS_TEXTO}
        if not form.validate_on_submit():
            flash("La sesión del formulario expiró. Intente de nuevo.", "danger")
            return self._pagina(empresa, form, valores, {}, 400)
        if request.form.get("accion") == "direccion":
            # Without JavaScript the dialog's "Aceptar" shows the composed address; nothing is saved yet.
            return self._pagina(empresa, form, valores, {})
        try:
            with unidad_de_trabajo():
                limpio = registro_empresa.validar_edicion(request.form, registro_empresa.en_colombia(empresa))
                registro_empresa.actualizar_datos(db.session, g.empresa_id, g.user.id, limpio, ip=request.remote_addr)
        except ErroresValidacion as error:
            return self._pagina(empresa, form, valores, error.errores, 400)
        flash("Los datos de la empresa se actualizaron correctamente.", "success")
        return redirect(url_for("DatosEmpresaView.index"))


def register(appbuilder) -> None:
    appbuilder.add_view(
        DatosEmpresaView, "Datos de la empresa", href="/empresa/datos/", icon="fa-building", category="Mi empresa"
    )
    registrar_hojas(DatosEmpresaView, ("empresa.ver", "empresa_ver"), menu=("Datos de la empresa", "Mi empresa"))
    registrar_hojas(DatosEmpresaView, ("empresa.editar", "empresa_editar"))
