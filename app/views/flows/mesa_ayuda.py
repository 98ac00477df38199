"""Mesa de ayuda: account look-up for help-desk agents."""

from __future__ import annotations


def register(appbuilder) -> None:
    return None
