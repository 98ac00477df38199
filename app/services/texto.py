"""Small text normalisations shared by the services."""

from __future__ import annotations

import re
import unicodedata


def sin_tildes(valor: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", valor) if unicodedata.category(c) != "Mn")


def normalizar_busqueda(valor: str | None) -> str:
    """Lower-case, accent-free, single-spaced text used for prefix search."""
    if not valor:
        return ""
    return re.sub(r"\s+", " ", sin_tildes(valor).lower()).strip()


def mismo_nombre(uno: str | None, otro: str | None) -> bool:
    """The same name, whatever the case, accents, spaces and punctuation («S.A.S.» and «SAS» are one)."""

    def clave(nombre: str | None) -> str:
        return "".join(c for c in normalizar_busqueda(nombre) if c.isalnum())

    return clave(uno) == clave(otro)


def normalizar_correo(valor: str | None) -> str:
    return (valor or "").strip().lower()


def limpiar(valor: str | None) -> str:
    """Trim and collapse inner whitespace of a free-text value."""
    return re.sub(r"\s+", " ", (valor or "")).strip()


def resumir(valor: str, maximo: int = 80) -> str:
    """`valor` within `maximo` characters, cut at a word boundary with «…» («Certificado de…», never «Certifi…»)."""
    if len(valor) <= maximo:
        return valor
    corte = valor[: maximo - 1]
    espacio = corte.rfind(" ")
    if espacio > maximo // 2:
        corte = corte[:espacio]
    return corte.rstrip(" ,;:.-–") + "…"
