"""Correos enviados: the outbox, read-only, for the platform administrator.

In development without MAIL_SERVER the messages stay here (estado buzon_local) so they can be read
in the app. The HTML body is shown in a sandboxed iframe (no scripts, no same-origin access).
"""

from __future__ import annotations

from markupsafe import Markup

from app.models.correo import MensajeCorreo
from app.services.fechas import fecha_hora
from app.web.vistas_modelo import DatosModelo, VistaDeConsulta

ESTADOS = {
    "pendiente": "Pendiente de envío",
    "enviando": "Enviándose",
    "enviado": "Enviado",
    "fallido": "Falló",
    "buzon_local": "En el buzón local (sin servidor de correo)",
}


def _cuerpo_html(valor: str) -> Markup:
    # Markup's % escapes the value, so the message HTML only lives inside the sandboxed srcdoc.
    return Markup(
        '<iframe class="correo-html" title="Contenido HTML del correo" sandbox="" referrerpolicy="no-referrer"'
        ' srcdoc="%s"></iframe>'
    ) % (valor or "")


def _cuerpo_texto(valor: str) -> Markup:
    return Markup('<pre class="correo-texto">%s</pre>') % (valor or "")


class MensajeCorreoModelView(VistaDeConsulta):
    datamodel = DatosModelo(MensajeCorreo)
    route_base = "/administracion/correos"
    singular, plural = "Correo", "Correos enviados"
    label_columns = {
        "creado_en": "Creado el",
        "destinatario": "Destinatario",
        "asunto": "Asunto",
        "plantilla": "Plantilla",
        "estado": "Estado",
        "intentos": "Intentos",
        "enviado_en": "Enviado el",
        "proximo_intento_en": "Próximo intento",
        "ultimo_error": "Último error",
        "cuerpo_html": "Contenido (HTML)",
        "cuerpo_texto": "Contenido (texto)",
    }
    list_columns = ["creado_en", "destinatario", "asunto", "estado", "intentos", "enviado_en"]
    show_fieldsets = [
        ("Mensaje", {"fields": ["creado_en", "destinatario", "asunto", "plantilla"]}),
        ("Entrega", {"fields": ["estado", "intentos", "enviado_en", "proximo_intento_en", "ultimo_error"]}),
        ("Contenido", {"fields": ["cuerpo_html", "cuerpo_texto"]}),
    ]
    search_columns = ["destinatario", "asunto", "estado", "plantilla", "creado_en"]
    order_columns = ["creado_en", "destinatario", "enviado_en"]
    base_order = ("id", "desc")
    formatters_columns = {
        "creado_en": fecha_hora,
        "enviado_en": fecha_hora,
        "proximo_intento_en": fecha_hora,
        "estado": lambda v: ESTADOS.get(v, v),
        "cuerpo_html": _cuerpo_html,
        "cuerpo_texto": _cuerpo_texto,
        "ultimo_error": lambda v: v or "—",
    }


def register(appbuilder) -> None:
    appbuilder.add_view(MensajeCorreoModelView, "Correos enviados", icon="fa-envelope", category="Administración")
