"""FAB's naive timestamps (datetime.now) are UTC whatever the server's time zone (app.usar_reloj_utc)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from app import usar_reloj_utc


@pytest.mark.skipif(not os.path.exists("/usr/share/zoneinfo/America/Bogota"), reason="sin tzdata en esta máquina")
def test_el_proceso_usa_utc_aunque_el_servidor_este_en_bogota():
    anterior = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "America/Bogota"
        time.tzset()
        assert abs((datetime.now() - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) > 3600
        usar_reloj_utc()
        assert abs((datetime.now() - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) < 5
    finally:
        os.environ["TZ"] = anterior or "UTC"
        time.tzset()
