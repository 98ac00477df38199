"""Revisión → Grupos de revisión and → Funcionarios, for the platform administrator (issue 13 §1): generated FAB
screens over app/models/funcionarios.py.

- A grupo is seed data (seed/data/catalogo/revision.toml): listed, shown and renamed here; which families it reviews
  is edited on each family (Catálogo de trámites → Familias de productos → Grupo de revisión).
- A funcionario is a user who already holds a staff role (Seguridad → Usuarios), with their código — the «Código»
  FM003 prints next to each VoBo — and their grupos. Inactivating one closes the back office to them on their next
  request (app/security/autorizacion.py reads it on every back-office request).
"""

from __future__ import annotations

from flask import g, request
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.fieldwidgets import Select2Widget
from sqlalchemy import select
from wtforms.validators import DataRequired, Length, Regexp, StopValidation

from app.extensions import appbuilder, db
from app.models.funcionarios import Funcionario, GrupoRevision
from app.models.personas import Usuario
from app.security.arbol_permisos import VISTAS
from app.security.roles import ROLES_DE_REVISION
from app.services import auditoria, funcionarios
from app.services.fechas import fecha_hora
from app.services.reloj import ahora
from app.web.vistas_modelo import DatosModelo, VistaModelo, id_en_edicion

CATEGORIA = "Revisión"
ETIQUETAS = {
    "codigo": "Código",
    "nombre": "Nombre",
    "descripcion": "Descripción",
    "familias": "Familias que revisa",
    "usuario": "Usuario",
    "grupos": "Grupos de revisión",
    "activo": "Activo",
    "creado_en": "Registrado el",
}


def _usuarios_de_revision():
    """The users holding a staff role who are not funcionarios yet (a handful: not the whole ab_user table)."""
    sm = appbuilder.sm
    return db.session.scalars(
        select(Usuario)
        .join(Usuario.roles)
        .where(sm.role_model.name.in_(ROLES_DE_REVISION))
        .where(~select(Funcionario.id).where(Funcionario.usuario_id == Usuario.id).exists())
        .order_by(Usuario.first_name, Usuario.last_name, Usuario.id)
        .distinct()
    )


class CodigoLibre:
    """The código as it is kept (trimmed, upper case) and nobody else's, next to the field: FAB's own uniqueness check
    compares what was typed, so «rev-7» passed it beside «REV-7» and failed later, where FAB can only flash and
    redirect (the form lost)."""

    def __call__(self, form, field) -> None:
        field.data = (field.data or "").strip().upper()
        otro = select(Funcionario.id).where(Funcionario.codigo == field.data, Funcionario.id != id_en_edicion(form))
        if db.session.scalar(otro) is not None:
            raise StopValidation(funcionarios.MSG_CODIGO_REPETIDO.format(codigo=field.data))


def _nombre(usuario: Usuario) -> str:
    return f"{usuario.first_name} {usuario.last_name} — {usuario.email}"


class GrupoRevisionModelView(VistaModelo):
    datamodel = DatosModelo(GrupoRevision)
    route_base = "/administracion/revision/grupos"
    singular, plural = "Grupo de revisión", "Grupos de revisión"
    base_permissions = ["can_list", "can_show", "can_edit"]
    label_columns = ETIQUETAS
    list_columns = ["nombre", "codigo", "familias"]
    show_columns = ["codigo", "nombre", "descripcion", "familias"]
    edit_columns = ["nombre", "descripcion"]
    base_order = ("nombre", "asc")
    formatters_columns = {"familias": lambda fs: "; ".join(f.nombre for f in fs) or "Ninguna"}
    validators_columns = {"nombre": [DataRequired(), Length(max=150)]}


class FuncionarioModelView(VistaModelo):
    datamodel = DatosModelo(Funcionario)
    route_base = "/administracion/revision/funcionarios"
    singular, plural = "Funcionario", "Funcionarios del Invima"
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    label_columns = ETIQUETAS
    list_columns = ["usuario", "codigo", "grupos", "activo"]
    show_columns = ["usuario", "codigo", "grupos", "activo", "creado_en"]
    add_columns = ["usuario", "codigo", "grupos", "activo"]
    edit_columns = ["codigo", "grupos", "activo"]
    search_columns = ["codigo", "grupos", "activo"]
    base_order = ("codigo", "asc")
    add_form_extra_fields = {
        "usuario": QuerySelectField(
            "Usuario",
            query_func=_usuarios_de_revision,
            get_pk_func=lambda u: u.id,
            get_label=_nombre,
            widget=Select2Widget(),
            validators=[DataRequired("Elija el usuario.")],
        )
    }
    validators_columns = {
        "codigo": [
            DataRequired("Escriba el código del funcionario."),
            Regexp(r"^[A-Za-z0-9-]{2,20}$", message="El código tiene de 2 a 20 letras, números o guiones."),
            CodigoLibre(),
        ],
        # Next to the field, with the form kept (400): the same rule in `exigir_valido` would come too late, from
        # pre_add, where FAB can only flash it and redirect.
        "grupos": [DataRequired(message=funcionarios.MSG_SIN_GRUPOS)],
    }
    description_columns = {
        "usuario": "Solo aparecen los usuarios con un rol de revisión que aún no son funcionarios.",
        "codigo": "El código que acompaña su VoBo en la lista de chequeo (formato ASS-RSA-FM003).",
        "grupos": "Solo verá los expedientes de las familias de estos grupos.",
    }
    formatters_columns = {
        "usuario": _nombre,
        "grupos": lambda gs: "; ".join(g.nombre for g in gs) or "Ninguno",
        "activo": lambda v: "Sí" if v else "No",
        "creado_en": fecha_hora,
    }

    def pre_add(self, item):
        item.codigo = (item.codigo or "").strip().upper()
        item.creado_en = ahora()
        funcionarios.exigir_valido(db.session, item, ROLES_DE_REVISION)
        self._auditar(item, "funcionario_registrado")

    def pre_update(self, item):
        item.codigo = (item.codigo or "").strip().upper()
        funcionarios.exigir_valido(db.session, item, ROLES_DE_REVISION)
        self._auditar(item, "funcionario_editado")

    def _auditar(self, item, accion: str) -> None:
        campos = ("usuario", "codigo", "grupos", "activo")
        auditoria.registrar_edicion(db.session, item, campos, accion, "funcionario", g.user.id, request.remote_addr)


def register(appbuilder) -> None:
    appbuilder.add_view(GrupoRevisionModelView, "Grupos de revisión", icon="fa-users", category=CATEGORIA)
    appbuilder.add_view(FuncionarioModelView, "Funcionarios", icon="fa-id-badge", category=CATEGORIA)
    VISTAS.registrar_de_funcionario(
        "GrupoRevisionModelView", "FuncionarioModelView", "Grupos de revisión", "Funcionarios", CATEGORIA
    )
