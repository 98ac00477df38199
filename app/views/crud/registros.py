"""Registros sanitarios and NSO (issue 13 §4) as generated FAB lists: the titular's (Trámites → Mis registros
sanitarios) and the back office's (Revisión → Registros sanitarios).

- Whose: the tenancy filter (`RegistroSanitario.__titular__`, app/security/tenancy.py) keeps the company's (or the
  person's) own for the titular — the leaf Expedientes → Ver, as «Mis expedientes» — and the funcionario's grupos'
  for the staff (`VistaDeFuncionario`). A registro of another titular or grupo is never in the count nor the page.
- What a row says: número, clase, producto, titular (staff), otorgado, vence and the estado on today
  (app/services/registros.py: «Vencido» is the vigencia past, never written), with the expediente that granted it.
- Order: newest first (ix_registro_empresa_otorgado / _persona_otorgado / _grupo_otorgado); the «Otorgado» and
  «Vence» headers sort (the next to expire first: «Vence» ascending). A page is a constant number of statements: the
  titular's name comes joined.
"""

from __future__ import annotations

from flask import g
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, Select2Widget
from flask_appbuilder.security.decorators import has_access
from markupsafe import Markup
from sqlalchemy.orm import joinedload, lazyload, load_only
from wtforms import SelectChoice, SelectField, StringField

from app.models.catalogo import FamiliaProducto
from app.models.empresas import Empresa
from app.models.personas import Usuario
from app.models.registros import (
    CANCELADO,
    EN_AGOTAMIENTO,
    ESTADOS_REGISTRO,
    PENDIENTE_NOTIFICACION,
    VENCIDO,
    RegistroSanitario,
)
from app.security.arbol_permisos import VISTAS
from app.security.autorizacion import VistaDeFuncionario, VistaDeTitular, registrar_hojas
from app.services import registros
from app.services.fechas import hoy_en_bogota
from app.views.crud.cola_revision import url_verificacion
from app.views.crud.empresa_comun import DatosDeEmpresa, convertidor_de, filtro_de_servicio
from app.views.crud.expedientes import url_expediente
from app.web.vistas_modelo import VistaModelo

MENU_TITULAR = "Trámites"
NOMBRE_MENU_TITULAR = "Mis registros sanitarios"
PERMISO_TITULAR = "MisRegistrosView"
MENU_REVISION = "Revisión"
NOMBRE_MENU_REVISION = "Registros sanitarios"
PERMISO_REVISION = "RegistrosRevisionView"

ETIQUETAS = {
    "numero": "Número",
    "clase": "Clase",
    "nombre_producto": "Producto",
    "titular": "Titular",
    "otorgado_en": "Otorgado",
    "vence_en": "Vence",
    "estado": "Estado",
    "expediente": "Expediente",
}


# ---------------------------------------------------------------- search (the URL says _flt_<n>_<column>=<value>)


def con_estado(valor: str):
    """The estado on today, as the list shows it (a registro past its vigencia is «Vencido»)."""
    return registros.en_estado(valor, hoy_en_bogota())


def con_numero(valor: str):
    """Numbers that start with what was typed (upper case, as they are written; a «%» is a «%»)."""
    return RegistroSanitario.numero.startswith((valor or "").strip().upper()[:40], autoescape=True)


FILTROS = {
    "estado": [filtro_de_servicio("Es", con_estado, valido=ESTADOS_REGISTRO.__contains__)],
    "numero": [filtro_de_servicio("Empieza por", con_numero)],
}

_SOLO_EL_NOMBRE = (load_only(Usuario.first_name, Usuario.last_name), lazyload(Usuario.tipo_identificacion))
COLUMNAS_DE_LA_LISTA = (
    load_only(
        RegistroSanitario.numero,
        RegistroSanitario.clase,
        RegistroSanitario.nombre_producto,
        RegistroSanitario.empresa_id,
        RegistroSanitario.persona_id,
        RegistroSanitario.expediente_id,
        RegistroSanitario.otorgado_en,
        RegistroSanitario.vence_en,
        RegistroSanitario.estado,
        RegistroSanitario.cancelado_en,
        RegistroSanitario.agotamiento_hasta,
        RegistroSanitario.efectos_desde,
    ),
    joinedload(RegistroSanitario.empresa).load_only(Empresa.razon_social),
    joinedload(RegistroSanitario.familia).load_only(
        FamiliaProducto.agotamiento_meses, FamiliaProducto.agotamiento_tramite
    ),
    joinedload(RegistroSanitario.persona).options(*_SOLO_EL_NOMBRE),
)


class DatosRegistros(DatosDeEmpresa):
    """RegistroSanitario: the rows the tenancy filter leaves, the titular's name joined."""

    filter_converter_class = convertidor_de(FILTROS)
    columnas_calculadas = {
        "numero": lambda r: r,
        "titular": lambda r: r.titular_nombre,
        "estado": lambda r: r,
        "vence_en": lambda r: r,
    }

    orden_por_columna = {"otorgado_en": RegistroSanitario.otorgado_en, "vence_en": RegistroSanitario.vence_en}

    def __init__(self):
        super().__init__(RegistroSanitario)

    def orden_por_defecto(self) -> tuple:
        return (RegistroSanitario.otorgado_en.desc(), RegistroSanitario.id.desc())

    def opciones_de_carga(self) -> tuple:
        return COLUMNAS_DE_LA_LISTA


# ---------------------------------------------------------------- formatters


def _numero_al_expediente(registro: RegistroSanitario) -> Markup:
    return Markup('<a class="text-nowrap" href="%s">%s</a>') % (url_expediente(registro.expediente_id), registro)


def _numero_a_la_verificacion(registro: RegistroSanitario) -> Markup:
    return Markup('<a class="text-nowrap" href="%s">%s</a>') % (url_verificacion(registro.expediente_id), registro)


_CLASE_DE_ESTADO = {VENCIDO: "danger", CANCELADO: "default", EN_AGOTAMIENTO: "warning", PENDIENTE_NOTIFICACION: "info"}


def _estado(registro: RegistroSanitario) -> Markup:
    """The estado on today, with what dates it: cancelled since, in agotamiento until; an expired one whose family's
    guide lets it exhaust its stock without an authorisation (cosméticos, higiene: 12 months), until when."""
    hoy = g.hoy_registros
    estado = registros.estado_en(registro, hoy)
    html = Markup('<span class="label label-%s">%s</span>') % (_CLASE_DE_ESTADO.get(estado, "success"), estado)
    if estado == CANCELADO and registro.cancelado_en:
        html += Markup(' <span class="text-nowrap text-muted">desde %s</span>') % registro.cancelado_en.isoformat()
    elif estado == EN_AGOTAMIENTO:
        hasta = registro.agotamiento_hasta
        texto = f"hasta {hasta.isoformat()}" if hasta else "sin plazo"
        html += Markup(' <span class="text-nowrap text-muted">%s</span>') % texto
    elif estado == VENCIDO:
        hasta = registros.agotamiento_sin_autorizacion(registro)
        if hasta and hoy <= hasta:
            html += Markup(' <span class="text-muted">puede agotar existencias hasta %s</span>') % hasta.isoformat()
    return html


def _vence(registro: RegistroSanitario) -> Markup:
    if registro.vence_en is None:
        return Markup('<span class="text-muted">Sin vigencia</span>')
    return Markup('<span class="text-nowrap">%s</span>') % registro.vence_en.isoformat()


def _fecha(valor) -> Markup:
    return Markup('<span class="text-nowrap">%s</span>') % (valor.isoformat() if valor else "")


def _o_vacio(valor) -> str:
    return "" if valor is None else str(valor)


class _ListaDeRegistros(VistaModelo):
    """What both lists share: columns, search, formatters, the list at the section's address."""

    base_permissions = ["can_list"]
    include_route_methods = {"list"}
    label_columns = ETIQUETAS
    # List only, but FAB builds its detail and forms at start-up: one plain column is enough.
    show_columns = add_columns = edit_columns = ["numero"]
    order_columns = ["otorgado_en", "vence_en"]
    search_columns = ["numero", "estado"]
    search_form_extra_fields = {
        "numero": StringField("Número", widget=BS3TextFieldWidget()),
        "estado": SelectField("Estado", choices=[SelectChoice(e) for e in ESTADOS_REGISTRO], widget=Select2Widget()),
    }
    formatters_columns = {
        "nombre_producto": _o_vacio,
        "otorgado_en": _fecha,
        "vence_en": _vence,
        "estado": _estado,
    }

    @expose("/")
    @has_access
    def list(self):
        """FAB's own list, at the section's address."""
        g.hoy_registros = hoy_en_bogota()
        return super().list()


class MisRegistrosView(VistaDeTitular, _ListaDeRegistros):
    datamodel = DatosRegistros()
    route_base = "/registros/mis"
    class_permission_name = PERMISO_TITULAR
    list_title = "Mis registros sanitarios"
    list_columns = ["numero", "clase", "nombre_producto", "otorgado_en", "vence_en", "estado"]
    formatters_columns = {**_ListaDeRegistros.formatters_columns, "numero": _numero_al_expediente}


class RegistrosRevisionView(VistaDeFuncionario, _ListaDeRegistros):
    datamodel = DatosRegistros()
    route_base = "/revision/registros"
    class_permission_name = PERMISO_REVISION
    list_title = "Registros sanitarios"
    list_columns = ["numero", "clase", "nombre_producto", "titular", "otorgado_en", "vence_en", "estado"]
    formatters_columns = {**_ListaDeRegistros.formatters_columns, "numero": _numero_a_la_verificacion}


def register(appbuilder) -> None:
    appbuilder.add_view(
        MisRegistrosView,
        NOMBRE_MENU_TITULAR,
        href=MisRegistrosView.route_base + "/",
        icon="fa-certificate",
        category=MENU_TITULAR,
    )
    registrar_hojas(MisRegistrosView, ("expedientes.ver", "list"), menu=(MENU_TITULAR, NOMBRE_MENU_TITULAR))
    VISTAS.registrar_de_titular(PERMISO_TITULAR, NOMBRE_MENU_TITULAR)
    appbuilder.add_view(
        RegistrosRevisionView,
        NOMBRE_MENU_REVISION,
        href=RegistrosRevisionView.route_base + "/",
        icon="fa-certificate",
        category=MENU_REVISION,
    )
    VISTAS.registrar_de_funcionario(PERMISO_REVISION, NOMBRE_MENU_REVISION, MENU_REVISION)
