"""Reference lists (catálogos) for the platform administrator, under the "Administración" menu."""

from __future__ import annotations

from flask_appbuilder.exceptions import DatabaseException
from sqlalchemy import exists, select
from wtforms.validators import AnyOf, NumberRange

from app.models import referencias as ref
from app.services.errores import ErrorDominio
from app.web.vistas_modelo import DatosModelo, VistaModelo

CATEGORIA = "Administración"
MENSAJE_EN_USO = "No se puede eliminar «{}»: hay registros que lo usan ({}). Puede marcarlo como inactivo."
MENSAJE_EN_USO_AHORA = "No se pudo eliminar el registro porque está en uso."

ETIQUETAS = {
    "codigo": "Código",
    "nombre": "Nombre",
    "orden": "Orden",
    "activo": "Activo",
    "regla": "Regla del número",
    "longitud_maxima": "Longitud máxima",
    "departamento": "Departamento",
}


# What the administrator reads for each table that cites a reference list (its own name if it is not here).
QUIENES_LO_USAN = {
    "ab_user": "cuentas de usuario",
    "empresa": "empresas",
    "membresia": "usuarios de empresas",
    "municipio": "municipios",
    "usuario_profesion": "profesiones declaradas en «Mi perfil»",
    "vinculo_tecnico": "vínculos de responsable técnico o director técnico",
}


def tablas_que_lo_usan(session, item) -> list[str]:
    """What uses this row, in Spanish: the tables whose foreign keys point at it (one EXISTS per referencing
    column)."""
    tabla = item.__table__
    usadas = []
    for otra in tabla.metadata.sorted_tables:
        for fk in otra.foreign_keys:
            if fk.column.table is tabla and session.scalar(
                select(exists().where(fk.parent == getattr(item, fk.column.key)))
            ):
                usadas.append(QUIENES_LO_USAN.get(otra.name, otra.name))
    return usadas


class DatosCatalogo(DatosModelo):
    """A reference list's data: a row that gained a reference between the check and the DELETE stays (the FK
    protects it) and FAB shows this message instead of an empty one."""

    def delete(self, item, commit: bool = True) -> None:
        try:
            super().delete(item, commit)
        except DatabaseException as error:
            raise DatabaseException(MENSAJE_EN_USO_AHORA) from error


class CatalogoModelView(VistaModelo):
    """Shared behaviour: Spanish labels, capped pages, and a clear message instead of an FK error on delete."""

    label_columns = ETIQUETAS

    def pre_delete(self, item):
        # FAB shows what pre_delete raises as a "danger" flash and deletes nothing.
        usos = tablas_que_lo_usan(self.datamodel.session, item)
        if usos:
            raise ErrorDominio(MENSAJE_EN_USO.format(item, ", ".join(sorted(set(usos)))))


def _catalogo(modelo, singular: str, plural: str, ruta: str, columnas: list[str], **extra) -> type[CatalogoModelView]:
    """The ModelView of one reference list: its columns are listed, shown, added and edited alike."""
    atributos = {
        "datamodel": DatosCatalogo(modelo),
        "route_base": f"/administracion/{ruta}",
        "list_title": plural,
        "show_title": singular,
        "add_title": f"Agregar {singular.lower()}",
        "edit_title": f"Editar {singular.lower()}",
        "list_columns": columnas,
        "show_columns": columnas,
        "add_columns": columnas,
        "edit_columns": columnas,
        **extra,
    }
    return type(f"{modelo.__name__}ModelView", (CatalogoModelView,), atributos)


def _lista(modelo, singular: str, plural: str) -> type[CatalogoModelView]:
    """The simple lists that share the shape nombre / orden / activo."""
    return _catalogo(
        modelo,
        singular,
        plural,
        modelo.__tablename__.replace("_", "-"),
        ["nombre", "orden", "activo"],
        search_columns=["nombre", "activo"],
        order_columns=["nombre", "orden"],
        base_order=("orden", "asc"),
        validators_columns={"orden": [NumberRange(min=0, max=10_000, message="Entre 0 y 10000.")]},
    )


TipoIdentificacionModelView = _catalogo(
    ref.TipoIdentificacion,
    "Tipo de identificación",
    "Tipos de identificación",
    "tipos-identificacion",
    ["codigo", "nombre", "regla", "longitud_maxima", "orden", "activo"],
    search_columns=["codigo", "nombre", "activo"],
    order_columns=["codigo", "nombre", "orden"],
    base_order=("orden", "asc"),
    description_columns={
        "regla": "numerico (solo dígitos), alfanumerico (letras y dígitos) o libre.",
        "longitud_maxima": "Número máximo de caracteres del número de identificación.",
    },
    validators_columns={
        "regla": [AnyOf(["numerico", "alfanumerico", "libre"], message="Use numerico, alfanumerico o libre.")],
        "longitud_maxima": [NumberRange(min=1, max=20, message="Entre 1 y 20.")],
    },
)
PaisModelView = _catalogo(
    ref.Pais,
    "País",
    "Países",
    "paises",
    ["codigo", "nombre", "activo"],
    search_columns=["codigo", "nombre", "activo"],
    order_columns=["codigo", "nombre"],
    base_order=("nombre", "asc"),
    description_columns={"codigo": "Código ISO 3166-1 de dos letras, p. ej. CO."},
)
DepartamentoModelView = _catalogo(
    ref.Departamento,
    "Departamento",
    "Departamentos",
    "departamentos",
    ["codigo", "nombre"],
    search_columns=["codigo", "nombre"],
    order_columns=["codigo", "nombre"],
    base_order=("codigo", "asc"),
    description_columns={"codigo": "Código DIVIPOLA de dos dígitos."},
)
# The departamento filter and field list 33 rows: fine to load whole.
MunicipioModelView = _catalogo(
    ref.Municipio,
    "Municipio",
    "Municipios",
    "municipios",
    ["codigo", "nombre", "departamento"],
    search_columns=["nombre", "codigo", "departamento"],
    order_columns=["codigo", "nombre"],
    base_order=("codigo", "asc"),
    description_columns={"codigo": "Código DIVIPOLA de cinco dígitos."},
)
NivelAcademicoModelView = _lista(ref.NivelAcademico, "Nivel académico", "Niveles académicos")
GrupoEtnicoModelView = _lista(ref.GrupoEtnico, "Grupo étnico", "Grupos étnicos")
SexoNacerModelView = _lista(ref.SexoNacer, "Sexo al nacer", "Sexo al nacer")
EstratoModelView = _lista(ref.Estrato, "Estrato", "Estratos")
ProfesionModelView = _lista(ref.Profesion, "Profesión", "Profesiones")


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
