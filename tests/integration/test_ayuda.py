"""«Ayuda»: the channels of seeds 000 and 001, reachable from the footer of every page, logged in or not."""

from __future__ import annotations

from tests.helpers import texto

CANALES = (
    "https://mesagil.invima.gov.co/mesa-de-ayuda",
    "su propia cuenta",
    "capturas de pantalla",
    "InviBot",
    "https://mesagil.invima.gov.co/",
    "videos tutoriales",
    "Oficina Virtual de atención al ciudadano",
    "(+57) (601) 242 50 00",
    "Línea anticorrupción",
    "(601) 242 5040",
    "01-8000-522-522",
)


def test_la_ayuda_se_ve_sin_sesion_con_todos_los_canales(client):
    respuesta = client.get("/ayuda/")
    assert respuesta.status_code == 200
    html = texto(respuesta)
    for canal in CANALES:
        assert canal in html, canal


def test_el_pie_de_cada_pagina_lleva_a_la_ayuda(client, cliente_usuario, cliente_empresa_a):
    for cliente, url in (
        (client, "/login/"),
        (client, "/cuenta/recuperar/"),
        (cliente_usuario, "/perfil/"),
        (cliente_empresa_a, "/empresa/usuarios/"),
    ):
        html = texto(cliente.get(url))
        assert 'href="/ayuda/"' in html, url
