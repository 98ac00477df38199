"""Idempotent loader of the reference data in seed/data (run by `flask seed` and `make run`)."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

from sqlalchemy import select

from app.db.filas import insertar_o_actualizar
from app.models.referencias import (
    Departamento,
    Estrato,
    GrupoEtnico,
    Municipio,
    NivelAcademico,
    Pais,
    Profesion,
    SexoNacer,
    TipoIdentificacion,
)
from seed import catalogo

DATA = Path(__file__).parent / "data"
log = logging.getLogger(__name__)


def _csv(nombre: str) -> list[dict]:
    ruta = DATA / nombre
    if not ruta.exists():
        log.warning("No existe %s; se omite", ruta)
        return []
    with ruta.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _lista_simple(session, modelo, nombres: list[str]) -> None:
    insertar_o_actualizar(
        session,
        modelo,
        [{"nombre": n, "orden": i, "activo": True} for i, n in enumerate(nombres, 1)],
        "nombre",
        ["orden"],
    )


def cargar(session) -> dict[str, int]:
    """Load every list. Safe to run any number of times; returns the number of rows per list."""
    listas = json.loads((DATA / "listas.json").read_text(encoding="utf-8"))
    conteo: dict[str, int] = {}
    conteo["tipos_identificacion"] = insertar_o_actualizar(
        session,
        TipoIdentificacion,
        [dict(t, orden=i, activo=True) for i, t in enumerate(listas["tipos_identificacion"], 1)],
        "codigo",
        ["nombre", "orden", "regla", "longitud_maxima"],
    )
    _lista_simple(session, SexoNacer, listas["sexo_nacer"])
    _lista_simple(session, NivelAcademico, listas["niveles_academicos"])
    _lista_simple(session, GrupoEtnico, listas["grupos_etnicos"])
    _lista_simple(session, Estrato, listas["estratos"])
    profesiones = [f["nombre"] for f in _csv("profesiones.csv")]
    _lista_simple(session, Profesion, profesiones)
    conteo["profesiones"] = len(profesiones)

    paises = [{"codigo": f["codigo"], "nombre": f["nombre"], "activo": True} for f in _csv("paises.csv")]
    conteo["paises"] = insertar_o_actualizar(session, Pais, paises, "codigo", ["nombre"])

    departamentos = [{"codigo": f["codigo"], "nombre": f["nombre"]} for f in _csv("departamentos.csv")]
    conteo["departamentos"] = insertar_o_actualizar(session, Departamento, departamentos, "codigo", ["nombre"])
    ids = dict(session.execute(select(Departamento.codigo, Departamento.id)).all())
    municipios = [
        {"codigo": f["codigo"], "nombre": f["nombre"], "departamento_id": ids[f["departamento_codigo"]]}
        for f in _csv("municipios.csv")
    ]
    for i in range(0, len(municipios), 500):
        insertar_o_actualizar(session, Municipio, municipios[i : i + 500], "codigo", ["nombre", "departamento_id"])
    conteo["municipios"] = len(municipios)
    session.flush()
    resultado = catalogo.cargar(session)  # after the reference lists; the catalog has its own module and files
    conteo["tramites"] = resultado.tramites
    conteo["versiones_nuevas"] = len(resultado.versiones_nuevas)
    return conteo
