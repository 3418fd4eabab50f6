"""Shared by the browser tests: the app on a free local port, Chromium from
Debian, waiting for map elements, and the check that nothing left 127.0.0.1.

The ``browser`` and ``page`` fixtures built on these are in conftest.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
TODAY = dt.date(2026, 11, 20)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
TIMEOUT_MS = 90_000
#: Chromium switches: no sandbox (containers), and none of its own background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    db_url: str, workdir: Path, extra_args: tuple[str, ...] = (), *, own_group: bool = False
) -> tuple[subprocess.Popen, str, Path]:
    """``streamlit run app.py`` on a free port of 127.0.0.1 (today pinned, no basemap), its
    output in ``workdir/streamlit.log``; ``own_group``: in a process group of its own.
    Returns the process, its URL and the log's path."""
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": db_url,
        "HOTSPOT_TODAY": TODAY.strftime("%d/%m/%Y"),
        "HOTSPOT_TILES": "none",
    }
    log = workdir / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", *extra_args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=own_group,
        )  # fmt: skip
    return proc, f"http://127.0.0.1:{port}", log


@contextlib.contextmanager
def running_app(db_url: str, workdir: Path):
    """A Streamlit server of the app on a free local port, stopped on exit.

    The store gets the test administrator account; pages opened through the
    ``page`` fixture sign in with it (:func:`sign_in_if_asked`).
    """
    with serving(db_url, workdir) as (_proc, url):
        yield url


@contextlib.contextmanager
def serving(db_url: str, workdir: Path):
    """:func:`running_app`, yielding its server process too: ``(process, url)`` (a test that
    stops the server itself)."""
    from pagetest import ensure_account

    ensure_account(db_url)
    proc, url, log = start_app(db_url, workdir)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Streamlit did not start:\n{log.read_text()}")
            time.sleep(0.5)
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=20)


def wait_map(page: Page, selector: str, expected: int) -> None:
    """Wait until the map's frame holds ``expected`` elements matching ``selector``.

    Streamlit may replace the map's iframe on a rerun, so the frame is looked
    up again on every poll.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    seen = None
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url:
                continue
            try:
                seen = frame.locator(selector).count()
            except PlaywrightError:  # detached while we looked
                continue
            if seen == expected:
                return
        page.wait_for_timeout(250)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "failed-wait-map.png", full_page=True)
    raise AssertionError(f"map shows {seen} × {selector}, expected {expected}")


def assert_all_local(urls: list[str]) -> None:
    outside = sorted(
        {
            u
            for u in urls
            if urlparse(u).hostname not in LOCAL_HOSTS and not u.startswith(("data:", "blob:", "about:"))
        }
    )
    assert not outside, f"requests left the machine: {outside}"


def sign_in_if_asked(page: Page, username: str | None = None) -> None:
    """After a navigation, sign in: every page load is a new session (there is no
    cookie), so the app always asks; wait for the form, fill it, wait for the page."""
    from pagetest import ADMIN, TEST_PASSWORD

    form = page.locator("input[type='password']")
    form.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.get_by_label(t_label("auth.username")).fill(username or ADMIN)
    form.first.fill(TEST_PASSWORD)
    page.get_by_role("button", name=t_label("auth.submit")).click()
    page.wait_for_selector("input[type='password']", state="detached", timeout=TIMEOUT_MS)
    # ... and until the page's run has finished, the rest of the sign-in page gone with it (its
    # hidden chart would be taken for the page's first one).
    from dashboard.ui.components import WARM_UP_KEY

    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=TIMEOUT_MS)
    page.wait_for_selector(f".st-key-{WARM_UP_KEY}", state="detached", timeout=TIMEOUT_MS)


def t_label(key: str) -> str:
    from dashboard.i18n import t

    return t(key)
