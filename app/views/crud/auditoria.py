"""Auditoría: the append-only record, read-only for everyone (the database refuses changes too)."""

from __future__ import annotations

from markupsafe import Markup

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.empresas import Empresa
from app.services import auditoria_textos
from app.services.fechas import fecha_hora
from app.web.vistas_modelo import DatosModelo, VistaDeConsulta


def _valores(valor) -> Markup:
    """A before/after snapshot as «campo: valor» lines in Spanish (auditoria_textos, as the company's own record
    reads it; ids that record resolves to names per company show here as «Rol n.º 4»)."""
    filas = Markup("").join(
        Markup("<dt>%s</dt><dd>%s</dd>") % (campo, valor) for campo, valor in auditoria_textos.lineas(valor)
    )
    return Markup('<dl class="auditoria-valores">%s</dl>') % filas if filas else Markup("")


def _empresa(empresa_id) -> str:
    """The company of the action by its name and NIT (the record keeps only the id: the company may be gone)."""
    if empresa_id is None:
        return ""
    empresa = db.session.get(Empresa, empresa_id)
    if empresa is None:
        return f"Empresa n.º {empresa_id} (ya no existe)"
    return f"{empresa.razon_social} (NIT {empresa.nit}-{empresa.digito_verificacion})"


def _o_vacio(valor) -> str:
    return "" if valor is None else str(valor)


class AuditoriaModelView(VistaDeConsulta):
    datamodel = DatosModelo(Auditoria)
    route_base = "/administracion/auditoria"
    singular, plural = "Registro de auditoría", "Auditoría"
    label_columns = {
        "creado_en": "Fecha y hora",
        "usuario": "Usuario",
        "empresa_id": "Empresa",
        "accion": "Acción",
        "objeto": "Objeto",
        "objeto_id": "Id del objeto",
        "antes": "Antes",
        "despues": "Después",
        "ip": "Dirección IP",
    }
    list_columns = ["creado_en", "usuario", "accion", "objeto", "objeto_id", "ip"]
    show_columns = ["creado_en", "usuario", "empresa_id", "accion", "objeto", "objeto_id", "ip", "antes", "despues"]
    # No filter on `usuario`: its dropdown would load every account.
    search_columns = ["accion", "objeto", "objeto_id", "ip", "creado_en", "empresa_id"]
    order_columns = ["creado_en", "accion"]
    base_order = ("id", "desc")
    formatters_columns = {
        "creado_en": fecha_hora,
        "empresa_id": _empresa,
        "ip": _o_vacio,
        "usuario": _o_vacio,
        "objeto_id": _o_vacio,
        "accion": auditoria_textos.accion,
        "objeto": auditoria_textos.objeto,
        "antes": _valores,
        "despues": _valores,
    }


def register(appbuilder) -> None:
    appbuilder.add_view(AuditoriaModelView, "Auditoría", icon="fa-history", category="Administración")
