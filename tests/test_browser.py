"""End to end in a real Chromium: the app starts, the map draws, nothing leaves the machine.

Chromium comes from Debian (``/usr/bin/chromium``, or ``CHROMIUM_PATH``);
``scripts/test.sh`` installs it. Screenshots go to ``test-output/``.
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
from playwright.sync_api import Page, expect, sync_playwright

from dashboard import border, maps, queries, risk
from dashboard.domain import UnitLevel
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import t

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
TODAY = dt.date(2026, 11, 20)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


@contextlib.contextmanager
def running_app(db_url: str, workdir: Path):
    """A Streamlit server of the app on a free local port, stopped on exit."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": db_url,
        "HOTSPOT_TODAY": TODAY.strftime("%d/%m/%Y"),
        "HOTSPOT_TILES": "none",
    }
    log = workdir / "streamlit.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
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
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1300}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.requested = []
    pg.on("request", lambda request: pg.requested.append(request.url))
    yield pg
    context.close()


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
    raise AssertionError(f"map shows {seen} × {selector}, expected {expected}")


def chart_x(page: Page, title: str) -> list[str]:
    """x values of the first trace of the Plotly chart whose title is ``title``."""
    return page.evaluate(
        """(title) => {
            for (const el of document.querySelectorAll('.js-plotly-plot')) {
                if (el.layout && el.layout.title && el.layout.title.text === title) {
                    return el.data.flatMap(tr => Array.from(tr.x).map(String));
                }
            }
            return null;
        }""",
        title,
    )


def assert_all_local(urls: list[str]) -> None:
    outside = sorted(
        {
            u
            for u in urls
            if urlparse(u).hostname not in LOCAL_HOSTS and not u.startswith(("data:", "blob:", "about:"))
        }
    )
    assert not outside, f"requests left the machine: {outside}"


def snapshot(page: Page, name: str) -> None:
    page.wait_for_timeout(1500)  # let the map's zoom animation finish
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / name, full_page=True)


def choose(page: Page, label: str, option: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_overview_draws_offline_and_follows_filters(page, app_url, sample_dataset):
    now = queries.hotspot_view(sample_dataset, Filters.for_year(TODAY.year, TODAY))
    y2020 = queries.hotspot_view(sample_dataset, Filters.for_year(2020, TODAY))
    assert len(now) != len(y2020)

    page.goto(app_url)
    wait_map(page, "path.unit-district", 30)
    wait_map(page, "path.hotspot-marker", len(now))
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=TIMEOUT_MS
    )
    before = chart_x(page, t("chart.activities_by_month"))
    assert before and all(x.startswith(str(TODAY.year)) for x in before)
    snapshot(page, "overview.png")

    choose(page, t("filter.plan_year"), "2020")
    wait_map(page, "path.hotspot-marker", len(y2020))
    page.wait_for_function(
        """(title) => [...document.querySelectorAll('.js-plotly-plot')].some(el =>
            el.layout && el.layout.title && el.layout.title.text === title &&
            el.data.length && String(el.data[0].x[0]).startsWith('2020'))""",
        arg=t("chart.activities_by_month"),
        timeout=TIMEOUT_MS,
    )
    after = chart_x(page, t("chart.activities_by_month"))
    assert after and all(x.startswith("2020") for x in after)
    snapshot(page, "overview-2020.png")
    assert_all_local(page.requested)


def test_area_page_fits_to_the_chosen_unit(page, app_url):
    page.goto(app_url)
    page.get_by_role("link", name=t("page.area")).click()
    wait_map(page, "path.unit-focus", 1)
    wait_map(page, "path.unit-ward", 126)
    snapshot(page, "area.png")
    assert_all_local(page.requested)


def test_border_page_draws_zones_and_zooms_to_a_clicked_pair(page, app_url, sample_dataset):
    f = Filters.for_year(TODAY.year, TODAY)
    view = queries.hotspot_view(sample_dataset, f)
    acts = queries.activities_view(sample_dataset, f, view)
    report = border.border_report(UnitLevel.DISTRICT, view, acts, sample_dataset.activities, f.as_of)
    overlay = maps.border_overlay(report, unit_names(UnitLevel.DISTRICT))

    page.goto(f"{app_url}/border")  # a bookmarked page opens directly
    wait_map(page, "path.border-line", len(overlay.lines))
    wait_map(page, "path.border-zone", len(overlay.zones))
    assert page.get_by_text("Page not found").count() == 0
    snapshot(page, "border.png")

    first = overlay.lines.iloc[0]
    label = f"{first['name_a']} ↔ {first['name_b']}"
    frame = next(fr for fr in page.frames if "streamlit_folium" in fr.url)
    frame.locator("path.border-line").first.dispatch_event("click")
    picker = page.get_by_role("combobox", name=t("border.choose_pair"))
    expect(picker).to_have_value(label, timeout=TIMEOUT_MS)
    snapshot(page, "border-pair.png")
    assert_all_local(page.requested)


def test_risk_page_draws_the_risk_layer_and_charts(page, app_url, sample_dataset):
    f = Filters.for_year(TODAY.year, TODAY)
    view = queries.hotspot_view(sample_dataset, f)
    scores = risk.score(sample_dataset, f.as_of)
    shown = scores[scores["id"].isin(view["id"])]

    page.goto(app_url)
    page.get_by_role("link", name=t("page.risk")).click()
    wait_map(page, "path.risk-marker", len(shown))
    titles = [t("chart.risk_breakdown"), t("risk.survival"), t("chart.backtest")]
    page.wait_for_function(
        """(titles) => titles.every(title => [...document.querySelectorAll('.js-plotly-plot')].some(el =>
            el.layout && el.layout.title && el.layout.title.text === title))""",
        arg=titles,
        timeout=TIMEOUT_MS,
    )
    snapshot(page, "risk.png")
    assert_all_local(page.requested)


def test_a_bookmarked_page_opened_first_after_a_start_runs_through_the_app(browser, sample_db_url, tmp_path):
    # A fresh server: the first request is for a page's own URL, not the root.
    with running_app(sample_db_url, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{url}/risk")
        expect(page.get_by_role("heading", name=t("risk.heading"), level=1)).to_be_visible(timeout=TIMEOUT_MS)
        nav = page.get_by_test_id("stSidebarNav")
        # The app's navigation (Vietnamese titles), not the bare file names.
        expect(nav).to_contain_text(t("page.overview"), timeout=TIMEOUT_MS)
        expect(nav).not_to_contain_text("overview")
        context.close()
