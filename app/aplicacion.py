"""The Flask class of the app: Flask whose url_for remembers the URLs it has already built.

Every FAB page builds the same ~25 URLs (stylesheets, scripts, menu entries, "Mi perfil", "Cerrar sesión"), and
werkzeug's URL building costs ~10 µs each: about 5 % of a help-desk lookup (bench/RESULTADOS.md). A built URL
only depends on the endpoint, its values and the request's URL adapter (script name, host, subdomain, scheme),
so those form the key. Anything else goes the normal way: external URLs, anchors, methods, schemes, endpoints
relative to a blueprint, values that are not plain str/int, and any app with URL default functions (which may
add values per request). Build errors are never remembered. The memory is bounded (MAX_URLS, then emptied).
"""

from __future__ import annotations

from flask import Flask
from flask.globals import _cv_request

MAX_URLS = 2048


class Aplicacion(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls_construidas: dict[tuple, str] = {}

    def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        clave = self._clave_url(endpoint, _anchor, _method, _scheme, _external, values)
        if clave is None:
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        url = self._urls_construidas.get(clave)
        if url is None:
            url = super().url_for(endpoint, **values)
            if len(self._urls_construidas) >= MAX_URLS:
                self._urls_construidas.clear()
            self._urls_construidas[clave] = url
        return url

    def _clave_url(self, endpoint, anchor, method, scheme, external, values) -> tuple | None:
        if anchor is not None or method is not None or scheme is not None or external:
            return None
        if endpoint[:1] == "." or self.url_default_functions:
            return None
        contexto = _cv_request.get(None)
        adaptador = contexto.url_adapter if contexto is not None else None
        if adaptador is None:
            return None
        for valor in values.values():
            if type(valor) is not str and type(valor) is not int:  # bool, float, lists… build differently
                return None
        # Items in call order: werkzeug keeps that order in the query string.
        return (
            adaptador.script_name,
            adaptador.server_name,
            adaptador.subdomain,
            adaptador.url_scheme,
            endpoint,
            tuple(values.items()),
        )
