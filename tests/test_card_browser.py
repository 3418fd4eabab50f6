"""The hotspot card in a real Chromium: a bookmarked card address survives the sign-in,
a hotspot clicked on the city map opens its card, and so does a row of the register."""

from __future__ import annotations

import re

import pytest
from browserkit import OUTPUT, TIMEOUT_MS, assert_all_local, running_app, wait_map
from playwright.sync_api import Page, expect

from dashboard.i18n import t

CODE = "TD-008"


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(1500)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / name, full_page=True)


def name_of(sample_dataset, code: str) -> str:
    return sample_dataset.hotspots.set_index("code").loc[code, "name"]


def test_a_bookmarked_card_opens_after_the_sign_in(page, app_url, sample_dataset):
    page.goto(f"{app_url}/card?ma={CODE}")  # the page fixture signs in when asked
    expect(page.get_by_text(f"{CODE} · {name_of(sample_dataset, CODE)}", exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    assert page.url.endswith(f"/card?ma={CODE}")
    wait_map(page, "path.hotspot-marker", 1)
    wait_map(page, "path.border-zone", 1)
    shot(page, "card.png")
    assert_all_local(page.requested)


def test_a_hotspot_clicked_on_the_city_map_opens_its_card(page, app_url, sample_dataset):
    page.goto(app_url)
    wait_map(page, "path.hotspot-marker", len(sample_dataset.hotspots))
    frame = next(fr for fr in page.frames if "streamlit_folium" in fr.url)
    code = frame.evaluate(
        """() => { const l = Object.values(window.map._layers).find(
                     x => x.feature && x.feature.properties && x.feature.properties.code === "TD-008");
                   return l.feature.properties.code; }"""
    )
    assert code == CODE
    # A DOM click on the marker, as Leaflet receives it (headless mouse clicks do not reach
    # Leaflet's vector layers reliably; tests/test_browser.py clicks border lines the same way).
    frame.locator("path.hotspot-marker").nth(
        sorted(sample_dataset.hotspots["code"]).index(CODE)
    ).dispatch_event("click")
    expect(page).to_have_url(re.compile(rf"/card\?ma={CODE}$"), timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"{CODE} · {name_of(sample_dataset, CODE)}", exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )


def test_a_register_row_opens_its_card(page, app_url, sample_dataset):
    page.goto(f"{app_url}/register")
    search = page.locator(".st-key-register_search input")
    search.fill(name_of(sample_dataset, CODE).lower())
    search.press("Enter")
    grid = page.get_by_test_id("stDataFrame")
    expect(
        page.get_by_text(t("register.count", n="1", total=str(len(sample_dataset.hotspots))))
    ).to_be_visible(timeout=TIMEOUT_MS)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection box
    expect(page).to_have_url(re.compile(rf"/card\?ma={CODE}$"), timeout=TIMEOUT_MS)
    shot(page, "register-to-card.png")
