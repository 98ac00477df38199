"""Secrets never reach the logs: tokens of activation and recovery links are blanked."""

from __future__ import annotations

import logging

from app.web.registro_logs import FiltroSecretos, ocultar_secretos


def test_oculta_tokens_de_activacion_y_restablecimiento():
    linea = '127.0.0.1 - - "GET /cuenta/activar/AbC-123_xyzTOKENlargo HTTP/1.1" 200 -'
    assert "AbC-123_xyzTOKENlargo" not in ocultar_secretos(linea)
    assert "/cuenta/activar/[oculto]" in ocultar_secretos(linea)
    assert "/cuenta/restablecer/[oculto]?x=1" in ocultar_secretos("/cuenta/restablecer/QWERTYUIOPasdf?x=1")
    assert ocultar_secretos("/cuenta/activar/") == "/cuenta/activar/"


def test_el_filtro_reescribe_el_registro_del_servidor_web():
    registro = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"%s %s %s" %s',
        ("GET", "/cuenta/activar/SecretoMuyLargo123", "HTTP/1.1", 200),
        None,
    )
    assert FiltroSecretos().filter(registro)
    assert "SecretoMuyLargo123" not in registro.getMessage()


def test_el_servidor_de_pruebas_no_escribe_el_token_en_el_log(app, client, caplog):
    caplog.set_level(logging.INFO)
    from app.web.registro_logs import configurar_logs

    configurar_logs()
    logging.getLogger("werkzeug").info('"GET %s HTTP/1.1" 404 -', "/cuenta/restablecer/TokenSecretoDePrueba99")
    assert "TokenSecretoDePrueba99" not in caplog.text
