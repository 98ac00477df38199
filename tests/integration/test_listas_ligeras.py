"""The generated lists' lighter rows (app/web/vistas_modelo.py `ListaLigera`, listas/filas.html) and the filter
converter that converts each column once (`ConvertidorRecordado`): same HTML and same filters as FAB's own."""

from __future__ import annotations

import re

from flask_appbuilder.models.sqla.filters import SQLAFilterConverter
from flask_appbuilder.widgets import ListWidget

from app.security.views import UsuarioDatos, UsuarioModelView
from app.views.crud.empresas import EmpresaModelView
from app.web.vistas_modelo import ConvertidorRecordado, ListaLigera
from tests import factories, factories_empresas
from tests.helpers import texto


def _filas(html: str) -> str:
    """The rows of the generated table, whitespace folded."""
    inicio = html.index("</thead>", html.index("table-bordered"))
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html[inicio : html.index("</table>", inicio)]))


def test_las_filas_ligeras_son_el_mismo_html_que_las_de_fab(app, cliente_admin, monkeypatch):
    with app.app_context():
        for n in range(3):
            factories.crear_usuario(nombres=f"Fila {n}")
        factories_empresas.crear_empresa(razon_social="Lista Ligera S.A.S.")
    filas = {}
    for vista, url in ((UsuarioModelView, "/usuarios/list/"), (EmpresaModelView, "/administracion/empresas/list/")):
        assert vista.list_widget is ListaLigera
        filas[url] = _filas(texto(cliente_admin.get(url)))
        monkeypatch.setattr(vista, "list_widget", ListWidget)
        assert filas[url] == _filas(texto(cliente_admin.get(url))), url
        monkeypatch.undo()
    usuarios = filas["/usuarios/list/"]
    assert usuarios.count('href="/usuarios/show/') >= 4 and usuarios.count('href="/usuarios/edit/') >= 4
    assert "Lista Ligera S.A.S." in filas["/administracion/empresas/list/"]
    assert 'href="/administracion/empresas/show/' in filas["/administracion/empresas/list/"]


def test_cada_columna_se_convierte_una_vez_y_cada_busqueda_tiene_sus_filtros(app):
    with app.app_context():
        datos = UsuarioDatos(UsuarioModelView.datamodel.obj)
        llamadas = []
        original = SQLAFilterConverter.convert

        def contar(self, col_name):
            llamadas.append(col_name)
            return original(self, col_name)

        SQLAFilterConverter.convert = contar
        try:
            una = datos.get_filters(["email", "first_name"])
            otra = datos.get_filters(["email", "first_name"])
        finally:
            SQLAFilterConverter.convert = original
        assert datos.filter_converter_class is ConvertidorRecordado
        assert len(llamadas) == len(set(llamadas))  # the second Filters converted nothing
        # Same filter classes as FAB's, but separate lists: one search never changes another's.
        de_fab = SQLAFilterConverter(datos).convert("email")
        assert [type(f) for f in una.get_search_filters()["email"]] == [type(f) for f in de_fab]
        una.get_search_filters()["email"].append("otro")
        assert "otro" not in otra.get_search_filters()["email"]
        una.add_filter("email", type(de_fab[0]), "a@b.co")
        assert otra.filters == [] and otra.values == []
