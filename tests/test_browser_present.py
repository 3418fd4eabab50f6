"""Trình chiếu in a real Chromium at projector size: arrow keys move slides, the map is drawn."""

from __future__ import annotations

import pytest
from browserkit import OUTPUT, TIMEOUT_MS, assert_all_local, running_app, sign_in_if_asked
from playwright.sync_api import Page

from dashboard.reports import deck

pytestmark = pytest.mark.browser

MAP_SLIDE = deck.SLIDES.index("map") + 1
TOTAL = len(deck.SLIDES)


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.requested = []
    pg.on("request", lambda request: pg.requested.append(request.url))
    yield pg
    context.close()


def wait_counter(page: Page, n: int) -> None:
    """Wait until the counter reads ``n/8`` and the page is idle again (the listener is installed)."""
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('.present-counter')]"
        ".some(e => e.textContent.trim() === text)",
        arg=f"{n}/{TOTAL}",
        timeout=TIMEOUT_MS,
    )


def test_arrow_keys_move_slides_and_the_map_draws(projector, app_url):
    page = projector
    page.goto(f"{app_url}/present")
    sign_in_if_asked(page)  # the presentation signs in first, like every page
    wait_counter(page, 1)
    page.wait_for_function("() => typeof window.__presentKeys === 'function'", timeout=TIMEOUT_MS)
    for n in range(2, MAP_SLIDE + 1):
        page.keyboard.press("ArrowRight" if n % 2 else "PageDown")
        wait_counter(page, n)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stImage"] img')]
                 .some(img => img.complete && img.naturalWidth > 0)""",
        timeout=TIMEOUT_MS,
    )
    width = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stImage"] img')]
                 .map(img => img.naturalWidth))"""
    )
    assert width >= 1400  # Streamlit serves images at most 1460 px wide
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "present-map.png")

    page.keyboard.press("ArrowLeft")
    wait_counter(page, MAP_SLIDE - 1)
    page.keyboard.press("PageUp")
    wait_counter(page, MAP_SLIDE - 2)
    # one listener only: one press moves one slide
    page.keyboard.press("ArrowRight")
    wait_counter(page, MAP_SLIDE - 1)
    page.wait_for_timeout(1500)
    assert page.locator(".present-counter").first.text_content().strip() == f"{MAP_SLIDE - 1}/{TOTAL}"
    assert_all_local(page.requested)
