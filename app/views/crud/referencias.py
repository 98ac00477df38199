"""Reference lists (catálogos) for the platform administrator, under the "Administración" menu."""

from __future__ import annotations

from flask import abort, flash
from flask_appbuilder.exceptions import DatabaseException
from sqlalchemy import exists, select
from wtforms.validators import AnyOf, NumberRange

from app.models.referencias import (
    Departamento,
    Estrato,
    GrupoEtnico,
    Municipio,
    NivelAcademico,
    Pais,
    Profesion,
    SexoNacer,
    TipoIdentificacion,
)
from app.services.errores import ErrorDominio
from app.web.vistas_modelo import DatosModelo, VistaModelo

CATEGORIA = "Administración"
MENSAJE_EN_USO = "No se puede eliminar «{}»: hay registros que lo usan ({}). Puede marcarlo como inactivo."

ETIQUETAS = {
    "codigo": "Código",
    "nombre": "Nombre",
    "orden": "Orden",
    "activo": "Activo",
    "regla": "Regla del número",
    "longitud_maxima": "Longitud máxima",
    "departamento": "Departamento",
}


def tablas_que_lo_usan(session, item) -> list[str]:
    """Names of the tables whose foreign keys point at this row (one EXISTS per referencing column)."""
    tabla = item.__table__
    usadas = []
    for otra in tabla.metadata.sorted_tables:
        for fk in otra.foreign_keys:
            if fk.column.table is tabla and session.scalar(
                select(exists().where(fk.parent == getattr(item, fk.column.key)))
            ):
                usadas.append(otra.name)
    return usadas


class CatalogoModelView(VistaModelo):
    """Shared behaviour: Spanish labels, capped pages, and a clear message instead of an FK error on delete."""

    label_columns = ETIQUETAS

    def pre_delete(self, item):
        usos = tablas_que_lo_usan(self.datamodel.session, item)
        if usos:
            raise ErrorDominio(MENSAJE_EN_USO.format(item, ", ".join(sorted(set(usos)))))

    def _delete(self, pk):
        """FAB's delete, but every failure becomes a Spanish flash (never a 500 or an empty message)."""
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        try:
            self.pre_delete(item)
            self.datamodel.delete(item)
        except ErrorDominio as error:
            flash(error.mensaje, "danger")
        except DatabaseException:  # a reference added meanwhile: the FK still protects the row
            flash("No se pudo eliminar el registro porque está en uso.", "danger")
        else:
            self.post_delete(item)
            flash(self.delete_row_message, "success")
        self.update_redirect()


def _lista(modelo, nombre_singular: str, nombre_plural: str) -> type[CatalogoModelView]:
    """A ModelView for the simple lists that share the shape nombre / orden / activo."""
    return type(
        f"{modelo.__name__}ModelView",
        (CatalogoModelView,),
        {
            "datamodel": DatosModelo(modelo),
            "route_base": f"/administracion/{modelo.__tablename__.replace('_', '-')}",
            "list_title": nombre_plural,
            "show_title": nombre_singular,
            "add_title": f"Agregar: {nombre_singular.lower()}",
            "edit_title": f"Editar: {nombre_singular.lower()}",
            "list_columns": ["nombre", "orden", "activo"],
            "show_columns": ["nombre", "orden", "activo"],
            "add_columns": ["nombre", "orden", "activo"],
            "edit_columns": ["nombre", "orden", "activo"],
            "search_columns": ["nombre", "activo"],
            "order_columns": ["nombre", "orden"],
            "base_order": ("orden", "asc"),
            "validators_columns": {"orden": [NumberRange(min=0, max=10_000, message="Entre 0 y 10000.")]},
        },
    )


class TipoIdentificacionModelView(CatalogoModelView):
    datamodel = DatosModelo(TipoIdentificacion)
    route_base = "/administracion/tipos-identificacion"
    list_title = "Tipos de identificación"
    show_title = "Tipo de identificación"
    add_title = "Agregar tipo de identificación"
    edit_title = "Editar tipo de identificación"
    list_columns = ["codigo", "nombre", "regla", "longitud_maxima", "orden", "activo"]
    show_columns = add_columns = edit_columns = list_columns
    search_columns = ["codigo", "nombre", "activo"]
    order_columns = ["codigo", "nombre", "orden"]
    base_order = ("orden", "asc")
    description_columns = {
        "regla": "numerico (solo dígitos), alfanumerico (letras y dígitos) o libre.",
        "longitud_maxima": "Número máximo de caracteres del número de identificación.",
    }
    validators_columns = {
        "regla": [AnyOf(["numerico", "alfanumerico", "libre"], message="Use numerico, alfanumerico o libre.")],
        "longitud_maxima": [NumberRange(min=1, max=20, message="Entre 1 y 20.")],
    }


class PaisModelView(CatalogoModelView):
    datamodel = DatosModelo(Pais)
    route_base = "/administracion/paises"
    list_title = "Países"
    show_title = "País"
    add_title = "Agregar país"
    edit_title = "Editar país"
    list_columns = ["codigo", "nombre", "activo"]
    show_columns = add_columns = edit_columns = list_columns
    search_columns = ["codigo", "nombre", "activo"]
    order_columns = ["codigo", "nombre"]
    base_order = ("nombre", "asc")
    description_columns = {"codigo": "Código ISO 3166-1 de dos letras, p. ej. CO."}


class DepartamentoModelView(CatalogoModelView):
    datamodel = DatosModelo(Departamento)
    route_base = "/administracion/departamentos"
    list_title = "Departamentos"
    show_title = "Departamento"
    add_title = "Agregar departamento"
    edit_title = "Editar departamento"
    list_columns = ["codigo", "nombre"]
    show_columns = add_columns = edit_columns = list_columns
    search_columns = ["codigo", "nombre"]
    order_columns = ["codigo", "nombre"]
    base_order = ("codigo", "asc")
    description_columns = {"codigo": "Código DIVIPOLA de dos dígitos."}


class MunicipioModelView(CatalogoModelView):
    datamodel = DatosModelo(Municipio)
    route_base = "/administracion/municipios"
    list_title = "Municipios"
    show_title = "Municipio"
    add_title = "Agregar municipio"
    edit_title = "Editar municipio"
    list_columns = ["codigo", "nombre", "departamento"]
    show_columns = add_columns = edit_columns = list_columns
    # The departamento filter and field list 33 rows: fine to load whole.
    search_columns = ["nombre", "codigo", "departamento"]
    order_columns = ["codigo", "nombre"]
    base_order = ("codigo", "asc")
    description_columns = {"codigo": "Código DIVIPOLA de cinco dígitos."}


NivelAcademicoModelView = _lista(NivelAcademico, "Nivel académico", "Niveles académicos")
GrupoEtnicoModelView = _lista(GrupoEtnico, "Grupo étnico", "Grupos étnicos")
SexoNacerModelView = _lista(SexoNacer, "Sexo al nacer", "Sexo al nacer")
EstratoModelView = _lista(Estrato, "Estrato", "Estratos")
ProfesionModelView = _lista(Profesion, "Profesión", "Profesiones")


def register(appbuilder) -> None:
    for vista, nombre, icono in (
        (TipoIdentificacionModelView, "Tipos de identificación", "fa-id-card"),
        (PaisModelView, "Países", "fa-globe"),
        (DepartamentoModelView, "Departamentos", "fa-map"),
        (MunicipioModelView, "Municipios", "fa-map-marker"),
        (NivelAcademicoModelView, "Niveles académicos", "fa-graduation-cap"),
        (GrupoEtnicoModelView, "Grupos étnicos", "fa-users"),
        (SexoNacerModelView, "Sexo al nacer", "fa-venus-mars"),
        (EstratoModelView, "Estratos", "fa-home"),
        (ProfesionModelView, "Profesiones", "fa-briefcase"),
    ):
        appbuilder.add_view(vista, nombre, icon=icono, category=CATEGORIA, category_icon="fa-cogs")
