"""Reads the catalog of trámites in seed/data/catalogo (TOML: familias, modalidades, tramites_<familia>) and loads it
through app/services/catalogo.py. The format and the rulings taken where the seeds are unclear are in
seed/data/catalogo/LEEME.md."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from app.services import catalogo

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


def cargar(session, carpeta: Path = CARPETA) -> catalogo.ResultadoCarga:
    return catalogo.cargar_semilla(session, *leer(carpeta))
