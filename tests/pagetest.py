"""Helpers for the AppTest page tests (the ``app_env`` fixture is in conftest.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.i18n import t

ROOT = Path(__file__).resolve().parent.parent
#: "Today" for the pages under test (``HOTSPOT_TODAY``).
TODAY = dt.date(2026, 11, 20)


def run_page(page: str, timeout: int = 180) -> AppTest:
    """Run one page file and fail on any uncaught exception."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, key: str) -> str:
    """The value of the one metric labelled with catalogue text ``key``."""
    label = t(key)
    (value,) = [m.value for m in at.metric if m.label == label]
    return value
