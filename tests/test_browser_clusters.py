"""A city of hundreds of hotspots in a real Chromium: the city map draws them in clusters
(a number in a ring of status shares), a cluster names its statuses when pointed at, and
zoomed in every hotspot is drawn by itself and opens its card when clicked."""

from __future__ import annotations

import json
import sys

import pytest
from browserkit import OUTPUT, ROOT, TIMEOUT_MS, TODAY, assert_all_local, running_app
from playwright.sync_api import Page

from dashboard import maps, queries, snapshots, store
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.scope import Scope

sys.path.insert(0, str(ROOT / "bench"))
import scale_data

pytestmark = pytest.mark.browser

HOTSPOTS = maps.CLUSTER_FROM + 40  # clustered, and still SVG markers (below CANVAS_FROM)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A server on a store of HOTSPOTS generated hotspots; (its URL, the overview's hotspots)."""
    folder = tmp_path_factory.mktemp("crowded")
    url = f"sqlite:///{folder / 'crowded.sqlite'}"
    engine = store.open_store(url)
    scale_data.load(engine, HOTSPOTS, 2_000)
    ds = snapshots.dataset(engine, Scope.city())
    view = queries.hotspot_view(ds, Filters.for_year(Filters.default_year(ds.years, TODAY), TODAY))
    engine.dispose()
    assert maps.CLUSTER_FROM <= len(view) < maps.CANVAS_FROM
    with running_app(url, folder) as app:
        yield app, view


def map_frame(page: Page):
    page.wait_for_function(
        """() => [...document.querySelectorAll('iframe')].some(f => f.contentDocument &&
            f.contentDocument.querySelector('.point-cluster'))""",
        timeout=TIMEOUT_MS,
    )
    return next(fr for fr in page.frames if "streamlit_folium" in fr.url)


def drawn(frame, marker: str = "hotspot-marker") -> tuple[int, int]:
    """(hotspots the clusters count, markers of class ``marker`` drawn by themselves)."""
    numbers = frame.locator(".point-cluster span").all_inner_texts()
    return sum(int(n.replace(".", "")) for n in numbers), frame.locator(f"path.{marker}").count()


def test_a_crowded_city_map_draws_clusters_that_open_into_hotspots(page, crowded):
    url, view = crowded
    page.goto(url)
    frame = map_frame(page)
    clustered, alone = drawn(frame)
    assert clustered + alone == len(view) and clustered > alone
    assert frame.locator(".hotspot-legend [data-symbol='point-cluster']").count() == 1
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "clusters.png", full_page=True)

    # Pointed at, a cluster names how many of its hotspots are in each status.
    biggest = max(frame.locator(".point-cluster").all(), key=lambda c: int(c.inner_text().replace(".", "")))
    n = biggest.inner_text()
    biggest.hover()
    tip = frame.locator(".leaflet-tooltip").filter(has_text=f"{n} {t('map.cluster_noun')}")
    tip.wait_for(timeout=TIMEOUT_MS)
    text = tip.inner_text()
    assert any(t(f"status.{s}") in text for s in view["status"].unique())
    assert t("map.cluster_hint") in text

    # Zoomed in on one hotspot, every hotspot there is drawn by itself; a click opens its card.
    spot = view.iloc[len(view) // 2]
    frame.evaluate(
        "([lat, lon, zoom]) => window.map.setView([lat, lon], zoom, {animate: false})",
        [float(spot["lat"]), float(spot["lon"]), maps.CLUSTER_UNTIL_ZOOM + 1],
    )
    frame.wait_for_function(
        """(until) => window.map.getZoom() > until && !document.querySelector('.point-cluster') &&
            [...document.querySelectorAll('path.hotspot-marker')].some(p => p.getAttribute('d') != 'M0 0')""",
        arg=maps.CLUSTER_UNTIL_ZOOM,
        timeout=TIMEOUT_MS,
    )
    frame.frame_element().scroll_into_view_if_needed()
    where = [float(spot["lat"]), float(spot["lon"])]
    point = frame.evaluate("([lat, lon]) => window.map.latLngToContainerPoint([lat, lon])", where)
    box = frame.frame_element().bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(f"**/card?ma={spot['code']}", timeout=TIMEOUT_MS)
    page.get_by_text(str(spot["name"])).first.wait_for(timeout=TIMEOUT_MS)
    assert_all_local(page.requested)


def test_the_map_over_time_clusters_a_crowded_city_and_follows_every_step(page, crowded):
    url, _view = crowded
    page.goto(f"{url}/timeline")
    frame = map_frame(page)
    control = frame.locator(".timeline-control")
    clustered, alone = drawn(frame, "timeline-marker")
    assert clustered + alone == int(control.get_attribute("data-known")) and clustered > alone
    assert frame.locator(".timeline-legend [data-symbol='point-cluster']").count() == 1
    # An early month knows fewer hotspots: the clusters count exactly those, in their statuses then.
    frame.evaluate("() => window.map.timeline.go(3)")
    known = int(control.get_attribute("data-known"))
    clustered, alone = drawn(frame, "timeline-marker")
    assert clustered + alone == known < HOTSPOTS
    counts = json.loads(control.get_attribute("data-counts"))
    shown = frame.evaluate(
        """() => {
            const found = {};
            window.map.timeline.markers.forEach(m => {
                const s = m.feature.properties.status;  // what the rings count
                if (m.hotspot.status !== null) found[s] = (found[s] || 0) + 1;
            });
            return found;
        }"""
    )
    assert shown == {k: v for k, v in counts.items() if v}
    page.screenshot(path=OUTPUT / "clusters-timeline.png", full_page=True)
