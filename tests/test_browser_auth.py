"""In a real browser: signed out, no page shows a map, a figure or a hotspot name; an area
officer signs in and sees only their area."""

from __future__ import annotations

import pytest
from browserkit import OUTPUT, TIMEOUT_MS, TODAY, assert_all_local, running_app, sign_in_if_asked, wait_map
from pagetest import ensure_account

from dashboard import queries
from dashboard.accounts import Role
from dashboard.filters import Filters
from dashboard.scope import Scope
from dashboard.ui.components import WARM_UP_KEY
from dashboard.views import restrict

pytestmark = pytest.mark.browser

OFFICER = "kiem-thu-hoankiem"
DISTRICT = "002"


@pytest.fixture(scope="module")
def app_url(store_copies, tmp_path_factory):
    """The app on a copy of the sample store holding an area officer of former district 002."""
    workdir = tmp_path_factory.mktemp("server")
    url = store_copies()
    ensure_account(url, OFFICER, Role.AREA_OFFICER, "Phòng LĐTBXH Quận Hoàn Kiếm", districts=(DISTRICT,))
    with running_app(url, workdir) as served:
        yield served


@pytest.fixture
def raw_page(browser):
    """A page that does not sign in by itself."""
    context = browser.new_context(viewport={"width": 1500, "height": 1300}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.requested = []
    pg.on("request", lambda request: pg.requested.append(request.url))
    yield pg
    context.close()


@pytest.mark.parametrize("path", ["", "/area", "/border", "/risk", "/reports", "/present"])
def test_signed_out_nothing_shows(raw_page, app_url, sample_dataset, path):
    raw_page.goto(f"{app_url}{path}")
    raw_page.wait_for_selector("input[type='password']", timeout=TIMEOUT_MS)
    raw_page.wait_for_timeout(1500)  # anything else would have had time to draw
    assert raw_page.locator("iframe[title*='streamlit_folium']").count() == 0
    drawn = ".js-plotly-plot, [data-testid='stMetric'], [data-testid='stDataFrame']"
    # Only the empty chart that starts Plotly while the officer types: drawn, with no
    # data, and not shown.
    warm_up = raw_page.locator(f".st-key-{WARM_UP_KEY} .js-plotly-plot")
    warm_up.wait_for(state="attached")
    assert raw_page.locator(drawn).count() == warm_up.count() == 1
    assert warm_up.locator(".main-svg").count() > 0 and warm_up.locator(".trace").count() == 0
    assert not warm_up.is_visible() and raw_page.locator(f".st-key-{WARM_UP_KEY}").bounding_box() is None
    text = raw_page.inner_text("body")
    assert not [name for name in sample_dataset.hotspots["name"] if name in text]
    assert raw_page.locator("[data-testid='stSidebarNavLink']").count() == 0  # no menu either
    assert_all_local(raw_page.requested)


def test_an_area_officer_signs_in_and_sees_only_their_area(raw_page, app_url, sample_dataset):
    mine = restrict(sample_dataset, Scope(district_codes=frozenset({DISTRICT})))
    f = Filters.for_year(TODAY.year, TODAY)
    shown = queries.hotspot_view(mine, f)
    every = queries.hotspot_view(sample_dataset, f)
    assert 0 < len(shown) < len(every)

    raw_page.goto(app_url)
    sign_in_if_asked(raw_page, OFFICER)
    wait_map(raw_page, "path.hotspot-marker", len(shown))
    frame = next(fr for fr in raw_page.frames if "streamlit_folium" in fr.url)
    others = set(every["name"]) - set(shown["name"])
    assert not [name for name in others if name in frame.content()]
    OUTPUT.mkdir(exist_ok=True)
    raw_page.screenshot(path=OUTPUT / "area-officer-overview.png", full_page=True)
    assert_all_local(raw_page.requested)
