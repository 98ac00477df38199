"""Generated screens."""

from __future__ import annotations


def register(appbuilder) -> None:
    return None
