"""The lighter results page of the Mesa de ayuda: same links, form markup and audit as the generic helpers gave."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

from flask import url_for
from sqlalchemy import select

from app.models.auditoria import Auditoria
from tests import factories


def _enlaces(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)">Ver detalle</a>', html)]


def test_cada_ver_detalle_es_la_url_de_url_for(app, cliente_mesa_ayuda):
    with app.app_context():
        ids = [factories.crear_usuario(nombres="Ñusta", apellidos=f"Quiñones {sufijo}").id for sufijo in "ABC"]
        correo = factories.crear_usuario(email="ana+mesa@correo.test").id
    casos = [("quiñon", "auto", ids), ("Ñusta qui", "nombre", ids), ("ANA+mesa@correo.test", "correo", [correo])]
    for texto, criterio, esperados in casos:
        html = cliente_mesa_ayuda.get("/mesa-ayuda/?" + urlencode({"q": texto, "criterio": criterio})).get_data(
            as_text=True
        )
        with app.test_request_context():
            urls = [url_for("MesaAyudaView.detalle", usuario_id=i, q=texto, criterio=criterio) for i in esperados]
        assert _enlaces(html) == urls
        assert cliente_mesa_ayuda.get(urls[0]).status_code == 200


def test_el_formulario_marca_el_error_y_conserva_lo_escrito(cliente_mesa_ayuda):
    escrito = 'a"<' + "x" * 118  # one character too many
    r = cliente_mesa_ayuda.get("/mesa-ayuda/?" + urlencode({"q": escrito, "criterio": "nombre"}))
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'class="form-group has-error " id="grupo-q"' in html
    assert 'aria-describedby="error-q" aria-invalid="true" aria-required="true"' in html
    assert f'value="a&#34;&lt;{"x" * 118}"' in html and "Máximo 120 caracteres." in html
    assert '<div class="help-block mensaje-error" id="error-q">' in html
    assert '<option selected value="nombre">Nombre(s) o apellido(s)</option>' in html
    assert 'id="grupo-criterio"' in html and 'id="error-criterio"' not in html


def test_un_criterio_invalido_se_marca_en_su_campo(cliente_mesa_ayuda):
    r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=abc&criterio=otro")
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'class="form-group has-error " id="grupo-criterio"' in html
    assert '<select aria-describedby="error-criterio" aria-invalid="true" class="form-control"' in html
    assert "selected" not in html.split('id="criterio"')[1].split("</select>")[0]


def test_la_pagina_vacia_propone_detectar_el_criterio(cliente_mesa_ayuda):
    html = cliente_mesa_ayuda.get("/mesa-ayuda/").get_data(as_text=True)
    assert '<option selected value="auto">Detectar automáticamente</option>' in html
    assert 'maxlength="120" name="q"' in html and 'value=""' in html and "has-error" not in html


def test_cada_busqueda_con_resultados_queda_auditada_con_el_agente(app, cliente_mesa_ayuda):
    with app.app_context():
        buscada = factories.crear_usuario(numero="1032000111", activado=False)
    for _ in range(2):
        assert "Pendiente de activación" in cliente_mesa_ayuda.get("/mesa-ayuda/?q=1032000111").get_data(as_text=True)
    cliente_mesa_ayuda.get("/mesa-ayuda/?q=9999999999")
    with app.app_context():
        from app.extensions import db

        filas = db.session.scalars(select(Auditoria).order_by(Auditoria.id)).all()
    assert [(f.accion, f.objeto_id, f.usuario_id, f.ip) for f in filas] == [
        ("busqueda_cuentas", str(buscada.id), cliente_mesa_ayuda.usuario.id, "127.0.0.1")
    ] * 2
