"""The hotspot card in a real Chromium: a bookmarked card address survives the sign-in,
a hotspot clicked on the city map opens its card, an activity recorded there shows on the
card, and a row of the register opens its card too."""

from __future__ import annotations

import re

import pytest
from browserkit import OUTPUT, TIMEOUT_MS, TODAY, assert_all_local, running_app, wait_map
from playwright.sync_api import Page, expect

from dashboard import store
from dashboard.i18n import fmt_number, t
from dashboard.scope import Scope

CODE = "TD-008"


@pytest.fixture(scope="module")
def app_store(store_copies) -> str:
    """A writable copy of the sample store: the card's test records an activity."""
    return store_copies()


@pytest.fixture(scope="module")
def app_url(app_store, tmp_path_factory):
    with running_app(app_store, tmp_path_factory.mktemp("server")) as url:
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


def test_a_hotspot_clicked_on_the_city_map_opens_its_card(page, app_url, app_store, sample_dataset):
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
    record_an_activity_on_the_card(page, app_store)


def activities_shown(page: Page) -> int:
    label = page.locator('[data-testid="stMetric"]', has_text=t("card.metric.activities"))
    return int(label.locator('[data-testid="stMetricValue"]').inner_text().replace(".", ""))


MONTH_PATROLS = """([title, month, name]) => {
    const plot = [...document.querySelectorAll(".js-plotly-plot")].find(
        p => p.layout && p.layout.title && String(p.layout.title.text || p.layout.title).includes(title));
    if (!plot) { return null; }
    // _fullData: the traces as drawn (in .data, numbers may still be packed binary).
    const trace = plot._fullData.find(d => d.type === "bar" && d.name === name);
    if (!trace) { return 0; }
    const xs = Array.from(trace.x, String), ys = Array.from(trace.y);
    const i = xs.findIndex(x => x.startsWith(month));
    return i < 0 ? 0 : Number(ys[i]);
}"""


def patrol_args() -> list[str]:
    return [t("card.chart_title"), TODAY.strftime("%Y-%m"), t("activity.patrol")]


def month_patrols(page: Page) -> int | None:
    """Patrols of today's month in the card's chart over time, as the page drew it."""
    return page.evaluate(MONTH_PATROLS, patrol_args())


def record_an_activity_on_the_card(page: Page, url: str) -> None:
    """On the open card: record a patrol that found 2 violations in the "Cập nhật" tab;
    the card then counts one more activity, none of its days is without activity any more, its
    chart over time has one more patrol in this month, and the store holds the new row."""
    engine = store.open_store(url)
    spot_id = int(store.read_hotspots(engine, Scope.city()).set_index("code").loc[CODE, "id"])
    mine = store.read_activities(engine, Scope.city())
    before = int((mine["hotspot_id"] == spot_id).sum())
    assert activities_shown(page) == before
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=TIMEOUT_MS)
    patrols = month_patrols(page)
    assert patrols is not None
    page.get_by_role("tab", name=t("card.tab.actions")).click()
    form = (
        page.locator(".st-key-card_edit_activity, [data-testid='stForm']")
        .filter(has_text=t("edit.activity_form"))
        .first
    )
    # The kind offered first is a patrol.
    expect(form.get_by_role("combobox", name=t("edit.activity_kind"))).to_have_value(t("activity.patrol"))
    found = form.locator(".st-key-card_act_violations_found input")
    found.fill("2")
    found.press("Tab")
    form.get_by_role("button", name=t("edit.save_activity")).click()
    expect(page.get_by_text(t("edit.saved", what=t("activity.patrol")))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="stMetric"]', has_text=t("card.metric.activities"))).to_contain_text(
        fmt_number(before + 1), timeout=TIMEOUT_MS
    )
    # Dated today: the card's days without activity falls to 0.
    days = page.locator('[data-testid="stMetric"]', has_text=t("card.metric.days"))
    expect(days.locator('[data-testid="stMetricValue"]')).to_have_text("0", timeout=TIMEOUT_MS)
    # The card's chart over time has the new patrol in today's month.
    page.wait_for_function(
        f"([args, want]) => ({MONTH_PATROLS})(args) === want",
        arg=[patrol_args(), patrols + 1],
        timeout=TIMEOUT_MS,
    )
    saved = store.read_activities(engine, Scope.city())
    saved = saved[saved["hotspot_id"] == spot_id]
    assert len(saved) == before + 1
    newest = saved.sort_values("id").iloc[-1]
    assert (newest["kind"], int(newest["violations_found"]), newest["date"].date()) == ("patrol", 2, TODAY)
    engine.dispose()
    shot(page, "card-activity.png")
    assert page.url.endswith(f"/card?ma={CODE}")
    wait_map(page, "path.hotspot-marker", 1)
    wait_map(page, "path.border-zone", 1)
    shot(page, "card.png")
    assert_all_local(page.requested)


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
