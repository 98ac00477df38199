"""The rules of the checklist verification that need no database (app/services/revision/chequeo.py)."""

from __future__ import annotations

from types import SimpleNamespace

from app.services.errores import ErroresValidacion
from app.services.revision import chequeo


def _linea(clave: str, parte: str, resultado: str | None = None) -> chequeo.Linea:
    verificacion = SimpleNamespace(resultado=resultado) if resultado else None
    return chequeo.Linea(clave, clave.title(), parte, "documento", True, None, None, verificacion)


def _estado(*lineas, vobos=()) -> chequeo.EstadoVerificacion:
    return chequeo.EstadoVerificacion(SimpleNamespace(estado="En verificación"), list(lineas), list(vobos))


def test_las_partes_son_las_de_sus_lineas_legal_primero():
    assert _estado(_linea("a", "tecnico"), _linea("b", "legal")).partes == ("legal", "tecnico")
    assert _estado(_linea("a", "legal")).partes == ("legal",)
    assert _estado().partes == ()


def test_pendientes_y_vobo_vigente_por_parte():
    retirado = SimpleNamespace(parte="legal", retirado_en="ayer")
    vigente = SimpleNamespace(parte="legal", retirado_en=None)
    estado = _estado(
        _linea("a", "legal", "Cumple"), _linea("b", "legal"), _linea("c", "tecnico"), vobos=[retirado, vigente]
    )
    assert [x.clave for x in estado.pendientes("legal")] == ["b"]
    assert estado.vigente("legal") is vigente and estado.vigente("tecnico") is None
    assert estado.verificadas() == 1 and estado.cuenta("Cumple") == 1


def _errores(resultado, observacion):
    try:
        chequeo._revisado(chequeo.EsquemaVerificacion(), {"resultado": resultado, "observacion": observacion})
    except ErroresValidacion as error:
        return error.errores
    return {}


def test_no_cumple_exige_observacion():
    assert _errores("No cumple", "  \n ") == {"observacion": [chequeo.MSG_OBSERVACION]}
    assert _errores("No cumple", "Vencido") == {}
    assert _errores("Cumple", None) == {}


def test_resultado_y_largo_de_la_observacion():
    assert _errores("Aprobado", None) == {"resultado": [chequeo.MSG_RESULTADO]}
    assert _errores(None, None) == {"resultado": [chequeo.MSG_RESULTADO]}
    assert _errores("Cumple", "x" * 2001) == {"observacion": [chequeo.MSG_OBSERVACION_LARGA]}


def test_la_observacion_conserva_sus_lineas():
    validos = chequeo._revisado(chequeo.EsquemaVerificacion(), {"resultado": "No cumple", "observacion": "uno\r\ndos "})
    assert validos["observacion"] == "uno\ndos"
