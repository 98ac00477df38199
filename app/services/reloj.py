"""Current time in one place, timezone-aware (UTC), so tests can reason about expiry."""

from __future__ import annotations

from datetime import UTC, datetime


def ahora() -> datetime:
    return datetime.now(UTC)
