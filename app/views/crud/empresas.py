"""Empresas for Invima's platform administrator: generated list/search/show, plus two audited actions that a
generated edit form cannot express safely — change the representante legal, suspend or reactivate.

Only the Admin platform role holds these permissions (app/security/roles.py gives Admin every view). Empresa is
not a tenant model; the members and documents shown come from tenant models read with platform scope.
"""

from __future__ import annotations

import functools

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from app.extensions import db
from app.models.empresas import Empresa
from app.services import listas
from app.services.empresas import registro as servicio
from app.services.fechas import fecha_hora
from app.views.forms import RepresentanteLegalForm
from app.web.transaccion import ejecutar
from app.web.vistas_modelo import DatosModelo, VistaDeConsulta


def _o_vacio(valor) -> str:
    return "" if valor is None else str(valor)


class EmpresaModelView(VistaDeConsulta):
    datamodel = DatosModelo(Empresa)
    route_base = "/administracion/empresas"
    singular, plural = "Empresa", "Empresas"
    show_template = "empresa_registro/admin_show.html"
    label_columns = {
        "nit": "NIT",
        "digito_verificacion": "DV",
        "nit_completo": "NIT",
        "razon_social": "Razón social",
        "sigla": "Sigla",
        "tamano": "Tamaño",
        "sector": "Sector",
        "correo": "Correo electrónico",
        "telefono": "Teléfono",
        "celular": "Celular",
        "pais": "País",
        "departamento": "Departamento",
        "municipio": "Municipio",
        "direccion": "Dirección",
        "contacto_nombre": "Contacto",
        "contacto_cargo": "Cargo del contacto",
        "contacto_correo": "Correo del contacto",
        "contacto_telefono": "Teléfono del contacto",
        "rl_tipo_identificacion": "Tipo de identificación del representante legal",
        "rl_numero_identificacion": "Identificación del representante legal",
        "rl_nombres": "Nombres del representante legal",
        "rl_apellidos": "Apellidos del representante legal",
        "estado": "Estado",
        "motivo_suspension": "Motivo de la suspensión",
        "creado_en": "Registrada el",
    }
    list_columns = ["nit_completo", "razon_social", "sigla", "sector", "estado", "creado_en"]
    show_columns = [
        "nit_completo",
        "razon_social",
        "sigla",
        "tamano",
        "sector",
        "correo",
        "telefono",
        "celular",
        "pais",
        "departamento",
        "municipio",
        "direccion",
        "contacto_nombre",
        "contacto_cargo",
        "contacto_correo",
        "contacto_telefono",
        "rl_tipo_identificacion",
        "rl_numero_identificacion",
        "rl_nombres",
        "rl_apellidos",
        "estado",
        "motivo_suspension",
        "creado_en",
    ]
    search_columns = ["nit", "razon_social", "estado"]
    order_columns = ["razon_social", "estado", "creado_en"]
    base_order = ("razon_social", "asc")
    # Optional values left empty show as nothing, not "None".
    formatters_columns = {
        "creado_en": fecha_hora,
        **{c: _o_vacio for c in ("sigla", "telefono", "celular", "motivo_suspension", "sector", "tamano", "direccion")},
        **{c: _o_vacio for c in ("contacto_nombre", "contacto_cargo", "contacto_correo", "contacto_telefono")},
        **{c: _o_vacio for c in ("pais", "departamento", "municipio")},
    }

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """FAB's detail, with the company's users and documents and the links to the two audited actions."""
        empresa = self.fila_o_404(pk)
        self.update_redirect()
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=self.widgets_ficha(empresa),
            related_views=self.get_init_inner_views(),
            empresa=empresa,
            membresias=servicio.membresias(db.session, empresa.id),
            documentos=servicio.documentos_de(db.session, empresa.id),
        )


class EstadoEmpresaForm(FlaskForm):
    motivo = TextAreaField(_("Motivo"))


class EmpresaAdminView(BaseView):
    """The administrator's two actions on a company; each writes an audit row with before/after."""

    route_base = "/administracion/empresas"
    default_view = "representante_legal"

    def _empresa(self, empresa_id: int) -> Empresa:
        empresa = db.session.get(Empresa, empresa_id)
        if empresa is None:
            abort(404)
        return empresa

    def _volver(self, empresa_id: int):
        return redirect(url_for("EmpresaModelView.show", pk=empresa_id))

    @expose("/<int:empresa_id>/representante-legal", methods=["GET", "POST"])
    @has_access
    def representante_legal(self, empresa_id: int):
        empresa = self._empresa(empresa_id)
        form = RepresentanteLegalForm()
        form.rl_tipo_identificacion.choices = listas.opciones_tipo_identificacion(db.session)
        status = 200
        if request.method == "POST":
            if not form.validate_on_submit():
                abort(400)
            cambio = functools.partial(
                servicio.cambiar_representante_legal,
                db.session,
                empresa.id,
                request.form.to_dict(),
                actor_id=g.user.id,
                vigencia_dias=current_app.config["INVITACION_VIGENCIA_DIAS"],
                enlace_invitacion=current_app.config["PUBLIC_URL"] + url_for("LoginView.login"),
                ip=request.remote_addr,
            )
            if ejecutar(cambio, form):
                flash("Se cambió el representante legal de la empresa.", "success")
                return self._volver(empresa_id)
            status = 400
        return (
            self.render_template(
                "empresa_registro/admin_representante.html",
                form=form,
                empresa=self._empresa(empresa_id),
                title="Cambiar representante legal",
            ),
            status,
        )

    @expose("/<int:empresa_id>/estado", methods=["GET", "POST"])
    @has_access
    def estado(self, empresa_id: int):
        empresa = self._empresa(empresa_id)
        form = EstadoEmpresaForm()
        status = 200
        if request.method == "POST":
            if not form.validate_on_submit():
                abort(400)
            suspender = not empresa.suspendida
            cambio = functools.partial(
                servicio.cambiar_estado,
                db.session,
                empresa.id,
                suspender,
                form.motivo.data or "",
                g.user.id,
                ip=request.remote_addr,
            )
            if ejecutar(cambio, form):
                flash("La empresa quedó suspendida." if suspender else "La empresa quedó activa de nuevo.", "success")
                return self._volver(empresa_id)
            status = 400
        empresa = self._empresa(empresa_id)
        return (
            self.render_template(
                "empresa_registro/admin_estado.html",
                form=form,
                empresa=empresa,
                title=("Reactivar" if empresa.suspendida else "Suspender") + " empresa",
            ),
            status,
        )


def register(appbuilder) -> None:
    appbuilder.add_view(EmpresaModelView, "Empresas", icon="fa-building", category="Administración")
    appbuilder.add_view_no_menu(EmpresaAdminView())
