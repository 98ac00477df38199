"""Reads the catalog of trámites in seed/data/catalogo (TOML: familias, modalidades, tramites_<familia>) and loads it
through app/services/catalogo.py. The format and the rulings taken where the seeds are unclear are in
seed/data/catalogo/LEEME.md."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from app.services import catalogo, funcionarios

CARPETA = Path(__file__).parent / "data" / "catalogo"
log = logging.getLogger(__name__)


def leer(carpeta: Path = CARPETA) -> tuple[list[dict], list[dict], list[dict]]:
    """(familias, modalidades, trámites) as the files list them; trámites in the order of their families."""
    if not (carpeta / "familias.toml").exists():
        log.warning("No existe %s; no se carga el catálogo de trámites", carpeta)
        return [], [], []
    familias = _toml(carpeta / "familias.toml").get("familia", [])
    modalidades = _toml(carpeta / "modalidades.toml").get("modalidad", [])
    orden = {f["codigo"]: i for i, f in enumerate(familias)}
    tramites = [t for ruta in sorted(carpeta.glob("tramites_*.toml")) for t in _toml(ruta).get("tramite", [])]
    tramites.sort(key=lambda t: orden.get(t["familia"], len(orden)))
    return familias, modalidades, tramites


def _toml(ruta: Path) -> dict:
    with ruta.open("rb") as archivo:
        return tomllib.load(archivo)


def leer_revision(carpeta: Path = CARPETA) -> tuple[list[dict], frozenset[str]]:
    """(grupos de revisión, requisito codes of the legal part) of revision.toml."""
    ruta = carpeta / "revision.toml"
    datos = _toml(ruta) if ruta.exists() else {}
    return datos.get("grupo", []), frozenset(datos.get("partes", {}).get("legales", []))


def cargar(session, carpeta: Path = CARPETA) -> catalogo.ResultadoCarga:
    grupos, legales = leer_revision(carpeta)
    resultado = catalogo.cargar_semilla(session, *leer(carpeta), partes_legales=legales)
    funcionarios.cargar_grupos(session, grupos)
    return resultado
