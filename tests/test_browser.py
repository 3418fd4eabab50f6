"""End to end in a real Chromium: the app starts, the map draws, nothing leaves the machine.

Chromium comes from Debian (``/usr/bin/chromium``, or ``CHROMIUM_PATH``);
``scripts/test.sh`` installs it. Screenshots go to ``test-output/``.
"""

from __future__ import annotations

import pytest
from browserkit import (
    OUTPUT,
    TIMEOUT_MS,
    TODAY,
    assert_all_local,
    running_app,
    serving,
    sign_in_if_asked,
    wait_map,
)  # fmt: skip
from pagetest import ADMIN, TEST_PASSWORD
from playwright.sync_api import Page, expect

from dashboard import border, maps, queries, risk, store
from dashboard.domain import level_at
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import t

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


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
    level = level_at(f.as_of)  # the page opens on the level in force, like every other page
    report = border.border_report(level, view, acts, sample_dataset.activities, f.as_of)
    overlay = maps.border_overlay(report, unit_names(level))

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
        sign_in_if_asked(page)  # the sign-in shows on the bookmarked page, which then opens
        expect(page.get_by_role("heading", name=t("risk.heading"), level=1)).to_be_visible(timeout=TIMEOUT_MS)
        nav = page.get_by_test_id("stSidebarNav")
        # The app's navigation (Vietnamese titles), not the bare file names.
        expect(nav).to_contain_text(t("page.overview"), timeout=TIMEOUT_MS)
        expect(nav).not_to_contain_text("overview")
        context.close()


#: Per KPI card: its label, whether the label's or the comparison's text is cut ("…" or
#: hidden lines), and the top of its value on the page.
_METRIC_CARDS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => {
    const label = m.querySelector('[data-testid="stMetricLabel"]');
    const text = label.querySelector('.stMarkdownEllipsis') || label;
    const value = m.querySelector('[data-testid="stMetricValue"]');
    const delta = m.querySelector('[data-testid="stMetricDelta"]');
    const parts = [text, ...(delta ? delta.querySelectorAll('div, p') : [])];
    return {
        label: label.innerText.trim(),
        cut: parts.some(el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1),
        top: Math.round(value.getBoundingClientRect().top),
    };
})"""


@pytest.mark.parametrize("path", ["", "risk", "follow_up"])
def test_kpi_labels_are_shown_whole_and_the_values_of_a_row_line_up(page, app_url, path):
    page.set_viewport_size({"width": 1280, "height": 1000})  # a common office laptop
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)  # every card of the run drawn
    cards = page.evaluate(_METRIC_CARDS)
    assert len(cards) >= 4
    assert [c["label"] for c in cards if c["cut"]] == []
    rows: dict[int, list[int]] = {}
    for card in cards:  # cards whose values start within a label's height share a row
        row = next((r for r in rows if abs(r - card["top"]) < 30), card["top"])
        rows.setdefault(row, []).append(card["top"])
    assert all(max(tops) - min(tops) <= 1 for tops in rows.values()), rows


def test_the_file_picker_speaks_vietnamese(page, app_url):
    page.goto(f"{app_url}/data_import")
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    zone.wait_for(timeout=TIMEOUT_MS)
    shown = zone.evaluate(
        """(zone) => {
            const hint = '[data-testid="stFileUploaderDropzoneInstructions"] > div > span';
            const parts = [zone.querySelector('[data-testid="stBaseButton-secondary"] p'),
                           zone.querySelector(hint)];
            return parts.map(el => ({
                size: getComputedStyle(el).fontSize,
                after: getComputedStyle(el, '::after').content,
                afterSize: getComputedStyle(el, '::after').fontSize,
            }));
        }"""
    )
    # Streamlit's own English words take no room; the Vietnamese ones are drawn in their place.
    assert [p["size"] for p in shown] == ["0px", "0px"]
    assert [p["after"] for p in shown] == [f'"{t("upload.button")}"', f'"{t("upload.limit", mb="50")}"']
    assert all(p["afterSize"] != "0px" for p in shown)


def test_the_date_range_calendar_offers_no_english_choices(page, app_url):
    page.goto(app_url)
    field = page.locator("[data-testid='stSidebar'] [data-testid='stDateInput'] input").first
    field.wait_for(timeout=TIMEOUT_MS)
    field.focus()  # opens the calendar
    page.get_by_role("grid").first.wait_for(timeout=TIMEOUT_MS)
    quick = page.locator("[data-testid='stDateInputQuickSelect']")
    assert quick.count() >= 1  # Streamlit still draws it: the app's styles hide it
    assert not quick.first.is_visible()
    calendar = page.get_by_role("grid").first.inner_text()
    assert "T2" in calendar and "CN" in calendar  # weekdays in Vietnamese (the vi-VN browser)


#: Every name read out (``aria-label``) and every chart toolbar tip (``data-title``) on the page.
_NAMES = """() => [...document.querySelectorAll('[aria-label], [data-title]')]
    .map(e => e.getAttribute('aria-label') ?? e.getAttribute('data-title'))"""


def _open_column_menu(page: Page, grid) -> str:
    """Open a column's menu (its button is drawn on the table's canvas when the header is
    pointed at) and return the menu's text."""
    box = grid.bounding_box()
    menu = page.locator("[role='menu']").filter(has_text=t_words("Sort ascending"))
    for dx in range(300, 700, 10):
        page.mouse.move(box["x"] + dx - 60, box["y"] + 16)
        page.wait_for_timeout(100)
        page.mouse.click(box["x"] + dx, box["y"] + 16)
        page.wait_for_timeout(200)
        if menu.count():
            return menu.first.inner_text()
    raise AssertionError("no column menu opened")


def t_words(english: str) -> str:
    from dashboard.texts.frontend import PLOTLY_WORDS, STREAMLIT_WORDS

    return STREAMLIT_WORDS.get(english) or PLOTLY_WORDS[english]


def test_streamlit_s_own_words_read_in_vietnamese(page, app_url):
    from dashboard.texts.frontend import PLOTLY_WORDS, STREAMLIT_WORDS

    english = STREAMLIT_WORDS.keys() | PLOTLY_WORDS.keys()
    page.goto(f"{app_url}/register")
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.hover()
    buttons = page.locator("[data-testid='stElementToolbar'] button")
    expect(buttons.first).to_have_attribute("aria-label", t_words("Show/hide columns"))
    assert [b.get_attribute("aria-label") for b in buttons.all()][:4] == [
        t_words(w) for w in ("Show/hide columns", "Download as CSV", "Search", "Fullscreen")
    ]
    buttons.nth(1).hover()  # the tip drawn over a toolbar button
    expect(page.locator("[role='tooltip']").first).to_have_text(t_words("Download as CSV"))
    menu = _open_column_menu(page, grid)
    assert {t_words(w) for w in ("Sort descending", "Pin column", "Hide column")} <= set(menu.split("\n"))
    assert not english & set(menu.split("\n"))
    page.get_by_role("menuitem").filter(has_text=t_words("Statistics")).first.click()
    panel = page.locator("[data-testid='stDataFrameStatisticsMenu']").first
    expect(panel).to_contain_text(t_words("Distinct"))
    assert not english & set(panel.inner_text().split("\n"))
    page.keyboard.press("Escape")
    names = page.evaluate(_NAMES)
    assert t_words("Collapse sidebar") in names
    assert f"Trợ giúp: {t('register.search')}" in names  # the "?" beside the search field
    assert not english & set(names) and not [n for n in names if n.startswith(("Help for", "Remove "))]
    # The app's own content is never reworded, even a text that reads like Streamlit's.
    page.evaluate("""() => { const p = document.createElement('p');
        p.id = 'own-text'; p.textContent = 'Search';
        document.querySelector('[data-testid="stMainBlockContainer"]').appendChild(p); }""")
    page.wait_for_timeout(300)
    assert page.locator("#own-text").inner_text() == "Search"
    # The script's own element takes no room on the page.
    assert page.locator(".st-key-app_frontend_words").evaluate("e => getComputedStyle(e).display") == "none"

    page.goto(f"{app_url}/risk")  # a chart's toolbar: Plotly's own buttons and Streamlit's
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    tips = page.locator("[data-testid='stPlotlyChart'] .modebar-btn")
    expect(tips.first).to_have_attribute("data-title", t_words("Download plot as a PNG"))
    titles = [b.get_attribute("data-title") for b in tips.all()]
    assert t_words("Reset axes") in titles and t_words("Fullscreen") in titles
    assert not english & set(titles)


#: The parts of the hint under the focused field: for each, its own text's size, and the
#: text drawn after it by the app's styles.
_INPUT_HINT = """(field) => {
    const box = field.closest('[data-testid="stTextInput"], [data-testid="stTextArea"]');
    const hint = box && box.querySelector('[data-testid="InputInstructions"]');
    if (!hint) return null;
    return [...hint.children].map(el => ({
        text: el.innerText,
        size: getComputedStyle(el).fontSize,
        after: getComputedStyle(el, '::after').content,
    }));
}"""


def test_the_hint_under_a_field_being_typed_in_is_in_vietnamese(page, app_url):
    page.goto(f"{app_url}/register")
    search = page.get_by_role("textbox", name=t("register.search"))
    search.fill("hang")
    search.focus()
    page.wait_for_function(f"(f) => ({_INPUT_HINT})(f) !== null", arg=search.element_handle())
    hint = search.evaluate(_INPUT_HINT)
    assert hint[0]["size"] == "0px" and hint[0]["after"] == f'"{t("input.enter_apply")}"'

    page.goto(f"{app_url}/notes")  # text areas with a length limit, in a form
    area = page.get_by_role("textbox", name=t(f"notes.{store.NOTE_TEXTS[0]}"))
    area.fill("Khó khăn về phối hợp")
    area.focus()
    page.wait_for_function(f"(f) => ({_INPUT_HINT})(f) !== null", arg=area.element_handle())
    hint = area.evaluate(_INPUT_HINT)
    assert hint[0]["size"] == "0px" and hint[0]["after"] == f'"{t("input.ctrl_enter_submit")}"'
    # The length counter stays as drawn.
    assert hint[1]["text"] == f"{len('Khó khăn về phối hợp')}/{store.NOTE_MAX_CHARS}"
    assert hint[1]["size"] != "0px"


#: Installed in the page before it loads: on every change of the page while Streamlit's
#: running indicator shows its button (the same button may stay from one run to the next),
#: note the button's own text size and the text drawn after it.
_WATCH_STOP = """() => {
    window.__stopSeen = [];
    new MutationObserver(() => {
        const button = document.querySelector('[data-testid="stStatusWidget"] button');
        if (!button || window.__stopSeen.length >= 20) return;
        window.__stopSeen.push({
            text: button.innerText.trim(),
            size: getComputedStyle(button).fontSize,
            after: getComputedStyle(button, '::after').content,
        });
    }).observe(document, {subtree: true, childList: true});
}"""


def test_the_running_indicator_offers_to_stop_in_vietnamese(browser, sample_db_url, tmp_path, monkeypatch):
    # A fresh server with nothing computed ahead: the overview's first run lasts well over the
    # half second after which Streamlit shows its "Stop" button.
    monkeypatch.setenv("HOTSPOT_WARM_UP", "0")
    with running_app(sample_db_url, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.add_init_script(f"({_WATCH_STOP})()")
        page.goto(url)
        form = page.locator("input[type='password']")
        form.first.wait_for(state="visible")
        page.get_by_label(t("auth.username")).fill(ADMIN)
        form.first.fill(TEST_PASSWORD)
        # (The server's very first run shows the button before the app's styles have come.)
        page.evaluate("() => { window.__stopSeen = []; }")
        page.get_by_role("button", name=t("auth.submit")).click()
        heading = page.get_by_role("heading", name=t("overview.heading"), level=1)
        expect(heading).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__stopSeen.length > 0", timeout=TIMEOUT_MS)
        seen = page.evaluate("() => window.__stopSeen")
        assert all(s["size"] == "0px" and s["after"] == f'"{t("status.stop")}"' for s in seen), seen
        context.close()


def test_a_lost_server_is_told_in_vietnamese_and_no_english_menu_or_link(browser, sample_db_url, tmp_path):
    with serving(sample_db_url, tmp_path) as (proc, url):
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.locator("input[type='password']").first.wait_for()
        page.keyboard.press("Tab")  # the first thing the Tab key reaches, shown while focused
        skip = page.evaluate(
            """() => { const a = document.activeElement;
                return [a.dataset.testid, getComputedStyle(a).fontSize,
                        getComputedStyle(a, '::after').content]; }"""
        )
        assert skip == ["stSkipToContent", "0px", f'"{t("a11y.skip")}"']
        sign_in_if_asked(page)
        heading = page.get_by_role("heading", name=t("overview.heading"), level=1)
        expect(heading).to_be_visible(timeout=TIMEOUT_MS)
        menu = page.get_by_test_id("stMainMenu")
        assert menu.count() == 1 and not menu.is_visible()  # Print, Record screen: English only
        proc.terminate()
        proc.wait(timeout=20)
        dialog = page.locator("[data-testid='stDialog'] section[role='dialog']")
        dialog.wait_for(timeout=TIMEOUT_MS)
        drawn = dialog.evaluate(
            """(box) => [box.querySelector('h2'), box.querySelector('h2 + div > div'),
                         document.querySelector('[data-testid="stConnectionStatus"] label')]
                .map(el => el && [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content])"""
        )
        shown = [f'"{t(key)}"' for key in ("connection.title", "connection.body", "connection.status")]
        assert [d[0] if d else None for d in drawn[:2]] == ["0px", "0px"]
        assert [d[1] if d else None for d in drawn[:2]] == shown[:2]
        if drawn[2]:  # the status beside the menu, while Streamlit still tries to reconnect
            assert drawn[2] == ["0px", shown[2]]
        context.close()
