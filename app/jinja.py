"""Template helpers: dates as the manual shows them (dd/mm/aaaa), in Bogotá time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")


def fecha(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        if valor.tzinfo is None:
            valor = valor.replace(tzinfo=UTC)
        valor = valor.astimezone(BOGOTA).date()
    if isinstance(valor, date):
        return f"{valor.day:02d}/{valor.month:02d}/{valor.year:04d}"  # strftime costs twice as much (long lists)
    return str(valor)


def fecha_hora(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        if valor.tzinfo is None:
            valor = valor.replace(tzinfo=UTC)
        return valor.astimezone(BOGOTA).strftime("%d/%m/%Y %I:%M %p").replace("AM", "a. m.").replace("PM", "p. m.")
    return fecha(valor)


MAX_MENUS = 256
_menus: dict[tuple, object] = {}
_nombres_menu: dict[int, list[str]] = {}


def menu_visible():
    """The navbar entries the logged-in person may see, as HTML (app/templates/appbuilder/navbar_menu.html).

    What a person sees is recomputed on every request (one get_user_menu_access over this request's permission
    set); only the HTML is kept, per (visible names, language, URL root), since the menu itself is fixed when the
    app starts. Rendering FAB's menu loop with its ~25 URLs and labels cost ~6 % of a help-desk lookup.
    """
    from flask import current_app, request
    from flask_babel import get_locale
    from markupsafe import Markup

    from app.extensions import appbuilder

    menu = appbuilder.menu
    nombres = _nombres_menu.get(id(menu))
    if nombres is None:
        entradas = [*menu.get_list(), *(hijo for item in menu.get_list() for hijo in item.childs if hijo)]
        nombres = _nombres_menu[id(menu)] = [e.name for e in entradas]
    visibles = frozenset(appbuilder.sm.get_user_menu_access(nombres))
    clave = (id(menu), visibles, str(get_locale()), request.script_root)
    html = _menus.get(clave)
    if html is None:
        plantilla = current_app.jinja_env.get_template("appbuilder/_entradas_menu.html")
        html = Markup(plantilla.render(menu=menu, visibles=visibles))
        if len(_menus) >= MAX_MENUS:
            _menus.clear()
        _menus[clave] = html
    return html


def recordar_idiomas(app) -> None:
    """Hand flask_babel a parsed Locale instead of a language code.

    flask_babel parses the code that FAB's locale selector returns (babel's Locale.parse: a file check and a
    data load) on every request that translates anything; a parsed Locale goes through as is. Unknown codes still
    raise as before, and at most 32 are kept.
    """
    from babel import Locale

    estado = app.extensions["babel"]
    elegir = estado.locale_selector
    if elegir is None:
        return
    recordados: dict[str, Locale] = {}

    def elegir_recordado():
        codigo = elegir()
        if codigo is None or isinstance(codigo, Locale):
            return codigo
        locale = recordados.get(codigo)
        if locale is None:
            locale = Locale.parse(codigo)
            if len(recordados) < 32:
                recordados[codigo] = locale
        return locale

    estado.locale_selector = elegir_recordado


def init_jinja(app) -> None:
    from app.extensions import appbuilder

    @app.context_processor
    def _appbuilder():
        # Plain render_template (error pages, mails) gets what FAB's base templates expect.
        return {"appbuilder": appbuilder, "base_template": appbuilder.base_template}

    @app.after_request
    def _idioma_espanol(respuesta):
        # FAB's init.html opens with a bare <html>; screen readers and date pickers need the page language.
        if respuesta.mimetype == "text/html" and not respuesta.direct_passthrough:
            cuerpo = respuesta.get_data()
            inicio = cuerpo.find(b"<html>", 0, 400)
            if inicio >= 0:
                respuesta.set_data(cuerpo[:inicio] + b'<html lang="es-CO">' + cuerpo[inicio + 6 :])
        return respuesta

    app.jinja_env.globals["menu_visible"] = menu_visible
    recordar_idiomas(app)
    app.jinja_env.filters["fecha"] = fecha
    app.jinja_env.filters["fecha_hora"] = fecha_hora
    from app.services import auditoria_textos

    app.jinja_env.filters["accion_auditoria"] = auditoria_textos.accion
    app.jinja_env.filters["objeto_auditoria"] = auditoria_textos.objeto
    app.jinja_env.filters["lineas_auditoria"] = auditoria_textos.lineas
