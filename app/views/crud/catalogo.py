"""The catalog of trámites for the platform administrator (issue 12 §1), under «Catálogo de trámites»: families,
modalities, and the versions of each trámite with their requisitos and tarifas — generated FAB screens.

A published version is what expedientes are filed under and never changes: its edit and delete are refused (the
service's message), and so are the requisitos and tarifas that belong to it. «Crear nueva versión» copies it into a
draft, which is edited here and then «Publicar» makes it the trámite's version (both POST, audited). The rules are
in app/services/catalogo.py; the database refuses the same changes (migration 0006's triggers).
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import NumberRange, Optional, StopValidation

from app.extensions import db
from app.models.catalogo import (
    ESTADOS_VERSION,
    PARTES_REQUISITO,
    SATISFACE,
    TIPOS_TRAMITE,
    VERSION_BORRADOR,
    FamiliaProducto,
    Modalidad,
    Requisito,
    Tarifa,
    TramiteVersion,
)
from app.services import catalogo
from app.services.errores import ErrorDominio
from app.services.fechas import fecha_hora
from app.services.ids import como_id
from app.web.transaccion import ejecutar
from app.web.vistas_modelo import DatosModelo, ListaLigera, VistaModelo, id_en_edicion

CATEGORIA = "Catálogo de trámites"
MSG_REQUISITO_REPETIDO = "Esta versión ya tiene un requisito con el código «{codigo}»."
MSG_TARIFA_REPETIDA = "Esta versión ya tiene la tarifa {codigo}{variante}."
MSG_BORRADOR_CREADO = "Borrador creado: versión {numero} de «{nombre}». Edítelo y publíquelo."
MSG_PUBLICADA = "Versión {numero} de «{nombre}» publicada: los nuevos expedientes se radican con ella."

ETIQUETAS = {
    "codigo": "Código",
    "nombre": "Nombre",
    "orden": "Orden",
    "fuente": "Fuente en la guía",
    "origen": "Origen",
    "agotamiento_meses": "Agotamiento de existencias (meses)",
    "agotamiento_prorrogas": "Prórrogas del agotamiento",
    "agotamiento_tramite": "Trámite que autoriza el agotamiento",
    "agotamiento_nota": "Agotamiento de existencias",
    "tramite": "Trámite",
    "numero": "Versión",
    "estado": "Estado",
    "tipo": "Tipo",
    "seccion": "Numeral",
    "descripcion": "Descripción",
    "vigencia_anios": "Vigencia (años)",
    "renovacion": "Renovación",
    "renueva": "Renueva el trámite",
    "persona_natural": "Persona natural puede ser titular",
    "modalidades": "Modalidades",
    "tarifas": "Tarifas",
    "publicada_en": "Publicada el",
    "version": "Versión del trámite",
    "satisface": "Cómo se cumple",
    "obligatorio": "Obligatorio",
    "nota": "Nota",
    "variante": "Variante",
    "parte": "Lo verifica",
    "termino_decision_dias": "Término de decisión (días hábiles)",
    "grupo": "Grupo de revisión",
}


def _si_no(valor) -> str:
    return "Sí" if valor else "No"


def _o_vacio(valor) -> str:
    return "—" if valor in (None, "") else str(valor)


class _SoloBorradores(VistaModelo):
    """Edit and delete of a published version (or of a row of one) go back to the version's detail with the
    service's message, instead of offering a form that would be refused (the database's triggers refuse it too)."""

    @staticmethod
    def version_de(item) -> TramiteVersion:
        return item.version

    def _si_no_es_borrador(self, pk):
        version = self.version_de(self.fila_o_404(pk))
        if not ejecutar(lambda: catalogo.exigir_borrador(version)):
            return redirect(url_for("TramiteVersionModelView.show", pk=version.id))
        return None

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        return self._si_no_es_borrador(pk) or super().edit(pk)

    @expose("/delete/<pk>", methods=["GET", "POST"])
    @has_access
    def delete(self, pk):
        return self._si_no_es_borrador(pk) or super().delete(pk)


def _version_del_formulario(form) -> TramiteVersion | None:
    """The version a requisito's or tarifa's form is for (also when the «+» of a version hid the field: FAB fills it
    from the list's filter before validating)."""
    return form.version.data if "version" in form else None


class UnicoEnLaVersion:
    """A value the version's other rows do not have (the table's unique constraint per version, which FAB's own
    uniqueness check cannot see): next to the field, with the form kept, not «Error de la base de datos» after a
    redirect. `tambien`: the other fields of the constraint (a tarifa's variante)."""

    def __init__(self, modelo, mensaje: str, tambien: tuple[str, ...] = ()):
        self.modelo, self.mensaje, self.tambien = modelo, mensaje, tambien

    def __call__(self, form, field) -> None:
        version = _version_del_formulario(form)
        if version is None or not field.data:
            return
        valores = {field.name: field.data, **{nombre: form[nombre].data or "" for nombre in self.tambien}}
        consulta = select(self.modelo.id).where(
            self.modelo.version_id == version.id, self.modelo.id != id_en_edicion(form)
        )
        for nombre, valor in valores.items():
            consulta = consulta.where(getattr(self.modelo, nombre) == valor)
        if db.session.scalar(consulta) is not None:
            textos = {
                nombre: f" «{valor}»" if nombre in self.tambien and valor else valor
                for nombre, valor in valores.items()
            }
            raise StopValidation(self.mensaje.format(**textos))


class VariantesDelTramite:
    """The variants typed for a requisito are its version's tarifa variants (the service's message, next to the
    field)."""

    def __call__(self, form, field) -> None:
        version = _version_del_formulario(form)
        mensaje = catalogo.variante_ajena(version, field.data) if version is not None else None
        if mensaje:
            raise StopValidation(mensaje)


class VersionEnBorrador:
    """The «Versión del trámite» of a requisito or tarifa must be a draft: the service's message next to the field,
    in place of FAB's «Not a valid choice» (the field offers drafts only, see `add_form_query_rel_fields`)."""

    def __call__(self, form, field) -> None:
        version = field.data if field.data is not None else self._enviada(field)
        if version is None:
            return
        try:
            catalogo.exigir_borrador(version)
        except ErrorDominio as error:
            field.errors[:] = []
            raise StopValidation(error.mensaje) from None

    @staticmethod
    def _enviada(field) -> TramiteVersion | None:
        """The version a form sent that the field's (drafts-only) query did not offer, so the field's data is None."""
        version_id = como_id((field.raw_data or [""])[0])
        return db.session.get(TramiteVersion, version_id) if version_id else None


class ListaDeHijos(ListaLigera):
    """The requisitos or tarifas below a version's detail (FAB calls the widget with the version's `pk`): on a
    published version no «+», «Editar» or «Eliminar» is offered, since the server would refuse them."""

    def __call__(self, **kwargs):
        version = db.session.get(TramiteVersion, kwargs["pk"]) if kwargs.get("pk") is not None else None
        kwargs["solo_lectura"] = version is not None and version.estado != VERSION_BORRADOR
        return super().__call__(**kwargs)


class _Hijo(_SoloBorradores):
    """A requisito or tarifa: it changes only while its version is a draft.

    The «+» of a version's requisitos or tarifas opens the add form with the version as the list's filter
    (`?_flt_0_version=<id>`), and FAB then hides the version's field — and its error with it. For a published
    version the add goes back to its detail with the service's message, as edit and delete do."""

    label_columns = ETIQUETAS
    list_widget = ListaDeHijos
    add_form_query_rel_fields = {"version": [["estado", FilterEqual, VERSION_BORRADOR]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    validators_columns = {"version": [VersionEnBorrador()]}

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        version_id = como_id(request.args.get("_flt_0_version"))
        version = db.session.get(TramiteVersion, version_id) if version_id else None
        if version is not None and not ejecutar(lambda: catalogo.exigir_borrador(version)):
            return redirect(url_for("TramiteVersionModelView.show", pk=version.id))
        return super().add()

    def pre_add(self, item):
        catalogo.exigir_borrador(item.version)

    def pre_update(self, item):
        # The route checked the version the row had; the form may only move it to a draft (query_rel_fields).
        catalogo.exigir_borrador(item.version)


class CampoVariantes(StringField):
    """The variants a requisito belongs to, typed as «Variante; otra variante» (empty: every variant)."""

    def _value(self) -> str:
        return "; ".join(self.data or [])

    def process_formdata(self, valuelist):
        texto = valuelist[0] if valuelist else ""
        self.data = [v.strip() for v in texto.split(";") if v.strip()]


class RequisitoModelView(_Hijo):
    datamodel = DatosModelo(Requisito)
    route_base = "/administracion/catalogo/requisitos"
    singular, plural = "Requisito", "Requisitos"
    list_columns = ["version", "codigo", "nombre", "satisface", "parte", "modalidades", "obligatorio"]
    show_columns = [
        "version",
        "codigo",
        "nombre",
        "satisface",
        "parte",
        "modalidades",
        "variantes",
        "obligatorio",
        "fuente",
        "nota",
        "orden",
    ]
    add_columns = edit_columns = show_columns
    search_columns = ["nombre", "codigo", "satisface", "version"]
    base_order = ("orden", "asc")
    formatters_columns = {
        "satisface": lambda v: SATISFACE.get(v, v),
        "parte": lambda v: f"Revisor {PARTES_REQUISITO.get(v, v).lower()}",
        "modalidades": lambda ms: "; ".join(m.nombre for m in ms) or "Todas",
        "variantes": lambda vs: "; ".join(vs) or "Todas",
        "obligatorio": _si_no,
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "satisface": SelectField("Cómo se cumple", choices=list(SATISFACE.items())),
        "parte": SelectField("Lo verifica", choices=[(k, f"Revisor {v.lower()}") for k, v in PARTES_REQUISITO.items()]),
        "variantes": CampoVariantes("Variantes", validators=[VariantesDelTramite()]),
    }
    validators_columns = {
        **_Hijo.validators_columns,
        "codigo": [UnicoEnLaVersion(Requisito, MSG_REQUISITO_REPETIDO)],
    }
    description_columns = {
        "modalidades": "Déjelo vacío si el requisito aplica a todas las modalidades del trámite.",
        "variantes": "Solo si el requisito es de una variante de la tarifa (sepárelas con «;»); vacío: todas.",
        "fuente": "Dónde lo dice la guía (numeral, página o ítem del formulario).",
        "parte": "Quién lo verifica en el Invima y da su VoBo: el revisor legal o el técnico.",
    }

    def pre_add(self, item):
        super().pre_add(item)
        catalogo.exigir_variantes_del_tramite(item)

    def pre_update(self, item):
        super().pre_update(item)
        catalogo.exigir_variantes_del_tramite(item)


class TarifaModelView(_Hijo):
    datamodel = DatosModelo(Tarifa)
    route_base = "/administracion/catalogo/tarifas"
    singular, plural = "Tarifa", "Tarifas"
    list_columns = ["version", "codigo", "variante"]
    show_columns = add_columns = edit_columns = ["version", "codigo", "variante", "orden"]
    search_columns = ["codigo", "version"]
    base_order = ("orden", "asc")
    validators_columns = {
        **_Hijo.validators_columns,
        "codigo": [UnicoEnLaVersion(Tarifa, MSG_TARIFA_REPETIDA, tambien=("variante",))],
        "orden": [NumberRange(min=0, max=1000, message="Entre 0 y 1000.")],
    }


class TramiteVersionModelView(_SoloBorradores):
    datamodel = DatosModelo(TramiteVersion)
    route_base = "/administracion/catalogo/tramites"
    singular, plural = "Versión del trámite", "Trámites y sus versiones"
    edit_title = "Editar borrador del trámite"
    show_template = "catalogo/version_ver.html"
    base_permissions = ["can_list", "can_show", "can_edit", "can_delete"]
    label_columns = ETIQUETAS
    list_columns = ["tramite", "nombre", "numero", "estado", "tarifas", "vigencia_anios"]
    show_columns = [
        "tramite",
        "numero",
        "estado",
        "nombre",
        "tipo",
        "seccion",
        "descripcion",
        "tarifas",
        "vigencia_anios",
        "renovacion",
        "renueva",
        "persona_natural",
        "termino_decision_dias",
        "modalidades",
        "fuente",
        "publicada_en",
    ]
    # A draft's own data; its identity, state and tarifas (edited as rows below) are not in the form.
    edit_columns = [c for c in show_columns if c not in ("tramite", "numero", "estado", "tarifas", "publicada_en")]
    search_columns = ["nombre", "estado", "tipo", "tramite"]
    order_columns = ["nombre", "numero", "estado"]
    base_order = ("tramite_id", "asc")
    related_views = [RequisitoModelView, TarifaModelView]
    formatters_columns = {
        "tarifas": lambda ts: "; ".join(str(t) for t in ts) or "—",
        "modalidades": lambda ms: "; ".join(str(m) for m in ms) or "No aplica",
        "persona_natural": _si_no,
        "vigencia_anios": lambda v: f"{v} años" if v else "Sin vigencia",
        "tipo": lambda t: TIPOS_TRAMITE.get(t, t),
        "publicada_en": fecha_hora,
        **dict.fromkeys(("descripcion", "renovacion", "renueva", "seccion"), _o_vacio),
    }
    edit_form_extra_fields = {"tipo": SelectField("Tipo", choices=list(TIPOS_TRAMITE.items()))}
    validators_columns = {
        "vigencia_anios": [Optional(), NumberRange(min=1, max=99, message="Entre 1 y 99 años, o vacío.")],
        "termino_decision_dias": [NumberRange(min=1, max=365, message="Entre 1 y 365 días hábiles.")],
    }
    search_form_extra_fields = {"estado": SelectField("Estado", choices=[(e, e) for e in ESTADOS_VERSION])}
    method_permission_name = {"nueva_version": "edit", "publicar": "edit"}
    # The detail page's buttons depend on the state (the row is already in the session: no extra statement).
    extra_args = {"version_por_id": lambda pk: db.session.get(TramiteVersion, pk)}

    @staticmethod
    def version_de(item) -> TramiteVersion:
        return item

    @expose("/nueva-version/<pk>", methods=["POST"])
    @has_access
    def nueva_version(self, pk):
        version = self.fila_o_404(pk)
        resultado = ejecutar(lambda: catalogo.nueva_version(db.session, version.id, g.user.id, request.remote_addr))
        if not resultado:
            return redirect(url_for(".show", pk=version.id))
        borrador = resultado.valor
        flash(MSG_BORRADOR_CREADO.format(numero=borrador.numero, nombre=borrador.nombre), "success")
        return redirect(url_for(".show", pk=borrador.id))

    @expose("/publicar/<pk>", methods=["POST"])
    @has_access
    def publicar(self, pk):
        version = self.fila_o_404(pk)
        if ejecutar(lambda: catalogo.publicar(db.session, version.id, g.user.id, request.remote_addr)):
            flash(MSG_PUBLICADA.format(numero=version.numero, nombre=version.nombre), "success")
        return redirect(url_for(".show", pk=version.id))


class _DeLaSemilla(VistaModelo):
    """Families and modalities come from the seed: listed, shown and edited, never added or deleted here."""

    base_permissions = ["can_list", "can_show", "can_edit"]
    label_columns = ETIQUETAS
    base_order = ("orden", "asc")


class FamiliaProductoModelView(_DeLaSemilla):
    datamodel = DatosModelo(FamiliaProducto)
    route_base = "/administracion/catalogo/familias"
    singular, plural = "Familia de productos", "Familias de productos"
    list_columns = ["codigo", "nombre", "grupo", "agotamiento_meses", "agotamiento_prorrogas"]
    show_columns = [
        "codigo",
        "nombre",
        "grupo",
        "orden",
        "agotamiento_meses",
        "agotamiento_prorrogas",
        "agotamiento_tramite",
        "agotamiento_nota",
        "fuente",
    ]
    edit_columns = show_columns[1:]
    validators_columns = {
        "agotamiento_meses": [Optional(), NumberRange(min=1, max=120, message="Entre 1 y 120 meses, o vacío.")],
        "agotamiento_prorrogas": [NumberRange(min=0, max=10, message="Entre 0 y 10.")],
    }


class ModalidadModelView(_DeLaSemilla):
    datamodel = DatosModelo(Modalidad)
    route_base = "/administracion/catalogo/modalidades"
    singular, plural = "Modalidad", "Modalidades"
    list_columns = ["codigo", "nombre", "origen"]
    show_columns = ["codigo", "nombre", "origen", "orden", "fuente"]
    edit_columns = ["nombre", "origen", "orden", "fuente"]
    edit_form_extra_fields = {
        "origen": SelectField("Origen", choices=[("Nacional", "Nacional"), ("Importado", "Importado")])
    }


def register(appbuilder) -> None:
    appbuilder.add_view(TramiteVersionModelView, "Trámites y versiones", icon="fa-list-alt", category=CATEGORIA)
    appbuilder.add_view(FamiliaProductoModelView, "Familias de productos", icon="fa-cubes", category=CATEGORIA)
    appbuilder.add_view(ModalidadModelView, "Modalidades", icon="fa-exchange", category=CATEGORIA)
    appbuilder.add_view(RequisitoModelView, "Requisitos", icon="fa-check-square-o", category=CATEGORIA)
    appbuilder.add_view_no_menu(TarifaModelView)
