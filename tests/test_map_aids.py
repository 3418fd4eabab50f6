"""Reading aids on every map (dashboard.maps): ward names from the zoom they fit at, a
metric scale bar, the "Về địa bàn của tôi" button, and a legend entry for every symbol drawn;
the bounds of a scope (dashboard.geo.scope_bounds); and the same in a real Chromium."""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import folium
import pandas as pd
import pytest
from browserkit import OUTPUT, TIMEOUT_MS, assert_all_local, running_app, wait_map
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from dashboard import geo, maps, queries, register, risk, views
from dashboard.config import Tiles
from dashboard.domain import Status, UnitLevel
from dashboard.encode import map_text, script_json
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.scope import Scope

EVIL = "<img src=x onerror=alert(1)>"
EVIL_JS = "`${alert(2)}`\\'\"</script><script>alert(3)</script>"
TODAY = dt.date(2026, 11, 20)
CARD_CODE = "TD-008"  # in the sample: in the border zone of Cửa Nam and Hai Bà Trưng
WARD = "00070"  # Phường Hoàn Kiếm


@pytest.fixture(scope="module")
def view(sample_dataset) -> pd.DataFrame:
    return queries.hotspot_view(sample_dataset, Filters.for_year(2020, TODAY))


def counts(view: pd.DataFrame) -> dict[UnitLevel, pd.Series]:
    return {level: queries.open_counts(view, level) for level in UnitLevel}


@pytest.fixture(scope="module")
def city(view) -> folium.Map:
    return maps.build_map(view, counts(view), Tiles(None))


@pytest.fixture(scope="module")
def scores(sample_dataset) -> pd.DataFrame:
    return risk.score(sample_dataset, TODAY)


@pytest.fixture(scope="module")
def report(sample_dataset, scores):
    return views.border_view(sample_dataset, Filters.for_year(TODAY.year, TODAY), scores=scores).report


@pytest.fixture(scope="module")
def card(sample_dataset, scores, report) -> folium.Map:
    table = register.register_table(sample_dataset, scores, TODAY)
    return maps.card_map(table[table["code"] == CARD_CODE], report, Tiles(None))


def near(bounds, abs: float = 1e-5):
    """``[[south, west], [north, east]]`` compared corner by corner (5 decimals are sent)."""
    return pytest.approx([v for corner in bounds for v in corner], abs=abs)


def flat(bounds) -> list[float]:
    return [v for corner in bounds for v in corner]


def children(m: folium.Map, kind) -> list:
    return [c for c in m._children.values() if isinstance(c, kind)]


# --- Scale bar: Leaflet's own, metres only.


def test_every_map_has_a_metric_only_scale_bar(city, card):
    small = maps.move_map((21.0287, 105.8524), None, WARD, Tiles(None))
    for m in (city, card, small):
        payload = maps.map_payload(m)
        (found,) = re.findall(r"L\.control\.scale\((\{.*?\})\)", payload)
        options = json.loads(found)
        assert options["metric"] is True and options["imperial"] is False
        assert "L.control.scale()" not in payload  # folium's control_scale: miles too
        assert not m.control_scale


def test_zoom_buttons_are_titled_in_vietnamese(city, card):
    for m in (city, card):
        (zoom,) = children(m, maps.ZoomTitles)
        assert zoom.titles_json() == script_json([t("mapaids.zoom_in"), t("mapaids.zoom_out")])
        assert zoom.titles_json() in maps.map_payload(m)


# --- Ward names.


def _labels(m: folium.Map) -> dict:
    (layer,) = children(m, maps.WardLabels)
    payload = maps.map_payload(m)
    assert layer.labels_json() in payload
    return json.loads(layer.labels_json())


def test_ward_labels_name_every_ward_at_a_point_inside_it(city):
    labels = _labels(city)
    names = geo.unit_names(UnitLevel.WARD)
    assert set(labels) == set(names)
    wards = geo.load_units(UnitLevel.WARD)
    for code, (name, lat, lon, zoom) in labels.items():
        assert name == map_text(names[code])
        assert round(lat, 5) == lat and round(lon, 5) == lon  # 5 decimals: about 1 m
        assert wards.loc[code].geometry.buffer(1e-4).contains(geo.shapely.Point(lon, lat))
        assert maps.LABEL_MIN_ZOOM <= zoom <= maps.LABEL_MAX_ZOOM
        assert zoom * 4 == int(zoom * 4)  # Leaflet's zoom steps of 0.25
    # Small inner-city wards need a closer zoom than the big communes around the city.
    assert labels[WARD][3] > min(z for *_, z in labels.values())
    assert len(script_json(labels).encode()) < 15_000  # code -> name and a point: small


def test_a_label_shows_from_the_first_zoom_its_name_fits_across_its_ward():
    name, run_x, run_y, lat = "Phường Văn Miếu - Quốc Tử Giám", 0.012, 0.02, 21.03
    zoom = maps.label_zoom(name, run_x, run_y, lat)

    def across(z):  # pixels the ward spans at zoom z, against what the name needs
        return run_x * 256 * 2**z / 360 - (len(name) * maps.LABEL_CHAR_PX + maps.LABEL_PAD_PX)

    assert across(zoom) >= 0 and across(zoom - 0.25) < 0
    assert maps.label_zoom("Xã A", 0.5, 0.5, lat) == maps.LABEL_MIN_ZOOM  # never at city zoom
    assert maps.label_zoom(name, 1e-6, 0.02, lat) == maps.LABEL_MAX_ZOOM
    assert maps.label_zoom(name, 0.0, 0.0, lat) == maps.LABEL_MAX_ZOOM
    # A shorter name fits sooner.
    assert maps.label_zoom("Phường Ô", run_x, run_y, lat) < zoom
    assert math.isfinite(zoom)


def test_label_points_are_inside_their_wards_with_room_across():
    points = geo.ward_label_points()
    wards = geo.load_units(UnitLevel.WARD)
    assert set(points.index) == set(wards.index)
    for code, p in points.iterrows():
        assert wards.loc[code].geometry.covers(geo.shapely.Point(p.lon, p.lat)), code
        assert p.run_x > 0 and p.run_y > 0


def test_ward_labels_escape_a_hostile_name(view, monkeypatch):
    names = dict(geo.unit_names(UnitLevel.WARD)) | {WARD: EVIL, "00082": EVIL_JS}
    monkeypatch.setattr(
        maps, "unit_names", lambda level: names if level == UnitLevel.WARD else geo.unit_names(level)
    )
    m = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.WARD, WARD))
    payload = maps.map_payload(m)
    assert "<img" not in payload and EVIL not in payload
    assert "alert(3)</script>" not in payload and "${alert(2)}" not in payload
    labels = _labels(m)
    assert labels[WARD][0] == map_text(EVIL) == "&lt;img src=x onerror=alert(1)&gt;"
    assert labels["00082"][0] == map_text(EVIL_JS)
    assert "`" not in labels["00082"][0] and "${" not in labels["00082"][0]


def test_ward_labels_ignore_the_pointer_and_are_a_switchable_layer(city):
    payload = maps.map_payload(city)
    script = maps.WardLabels._template.module.script(next(iter(children(city, maps.WardLabels))), {})
    assert "interactive: false" in script and "keyboard: false" in script
    assert 'pane.style.pointerEvents = "none"' in script
    assert 'map.on("zoomend moveend", update)' in script
    assert "view.contains" in script and "zoom >= d[3]" in script  # only in view, only where they fit
    assert "pointer-events:none!important" in payload
    (control,) = children(city, folium.LayerControl)
    control.render()
    assert map_text(t("mapaids.labels")) in control.overlays


# --- Back to my area.


def _home(m: folium.Map) -> list[list[float]]:
    (home,) = children(m, maps.HomeControl)
    assert home.bounds_json() in maps.map_payload(m)
    return home.bounds


def test_scope_bounds_of_one_ward_a_district_and_the_city():
    assert geo.scope_bounds(Scope.city()) == geo.city_bounds()
    one = geo.scope_bounds(Scope(ward_codes=frozenset({WARD})))
    assert one == geo.unit_bounds(UnitLevel.WARD, WARD)
    district = geo.unit_bounds(UnitLevel.DISTRICT, "017")
    both = geo.scope_bounds(Scope(district_codes=frozenset({"017"}), ward_codes=frozenset({WARD})))
    ward = geo.unit_bounds(UnitLevel.WARD, WARD)
    assert flat(both) == near(
        [[min(ward[0][0], district[0][0]), min(ward[0][1], district[0][1])],
         [max(ward[1][0], district[1][0]), max(ward[1][1], district[1][1])]]
    )  # fmt: skip
    # A scope naming no unit of the layers in use falls back to the city.
    assert geo.scope_bounds(Scope(ward_codes=frozenset({"99999"}))) == geo.city_bounds()


def test_home_button_fits_to_the_given_scope_or_the_initial_bounds(view, city):
    scope = Scope(ward_codes=frozenset({WARD}))
    m = maps.build_map(view, counts(view), Tiles(None), home=geo.scope_bounds(scope))
    expected = geo.unit_bounds(UnitLevel.WARD, WARD)
    assert flat(_home(m)) == near(expected)
    assert flat(_home(city)) == near(geo.city_bounds())  # by default: where it starts
    focused = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.DISTRICT, "002"))
    assert flat(_home(focused)) == near(geo.unit_bounds(UnitLevel.DISTRICT, "002"))
    payload = maps.map_payload(m)
    assert '"Về địa bàn của tôi"' in payload
    script = maps.HomeControl._template.module.script(children(m, maps.HomeControl)[0], {})
    assert 'L.DomUtil.create("button"' in script and 'button.type = "button"' in script
    assert 'setAttribute("aria-label", label)' in script and 'position: "topleft"' in script
    assert "map.fitBounds(home)" in script
    assert re.findall(r"https?://", payload) == []  # the icon is inline, no namespace URL


def test_city_map_and_card_map_take_a_home(view, report, card):
    home = geo.scope_bounds(Scope(district_codes=frozenset({"002"})))
    assert flat(_home(maps.city_map(view, report, Tiles(None), home=home))) == near(home)
    assert _home(card)  # the card map's own bounds by default
    row = view[view["code"] == CARD_CODE]
    assert flat(_home(maps.card_map(row, None, Tiles(None), home=home))) == near(home)


# --- The legend lists every symbol the map draws, and only those.


def _legend(m: folium.Map) -> str:
    (legend,) = re.findall(
        r'<details(?: open)? class="hotspot-legend".*?</details>', maps.map_payload(m), re.S
    )
    return legend


def drawn(m: folium.Map) -> set[str]:
    """The symbols a map draws: the class names of its layers, and the ward names."""
    payload = maps.map_payload(m)
    found = set(re.findall(r'"className": ?"([a-z-]+)"', payload)) - {"ward-label", "foliumtooltip"}
    if children(m, maps.WardLabels):
        found.add("ward-label")
    return found


def listed(legend: str) -> set[str]:
    return set(re.findall(r'data-symbol="([a-z-]+)"', legend))


def _with_area(view: pd.DataFrame) -> pd.DataFrame:
    out = view.copy()
    lon, lat = float(out.loc[0, "lon"]), float(out.loc[0, "lat"])
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
    out["area_geojson"] = None
    out.loc[0, "area_geojson"] = json.dumps({"type": "Polygon", "coordinates": [ring]})
    return out


def map_kinds(view, report, scores, card) -> dict[str, folium.Map]:
    overlay = maps.border_overlay(report, geo.unit_names(report.level))
    c = counts(view)
    return {
        "city": maps.city_map(view, report, Tiles(None)),
        "area": maps.build_map(
            view, c, Tiles(None), focus=(UnitLevel.WARD, WARD), wards_on=True, border=overlay
        ),
        "border": maps.build_map(view, c, Tiles(None), border=overlay),
        "risk": maps.build_map(view, c, Tiles(None), risk=scores),
        "areas": maps.build_map(_with_area(view), c, Tiles(None)),
        "card": card,
    }


def test_the_legend_lists_every_symbol_each_map_draws(view, report, scores, card):
    for kind, m in map_kinds(view, report, scores, card).items():
        legend = _legend(m)
        assert drawn(m) == listed(legend), kind
        if "unit-focus" in drawn(m):
            assert "px solid #000" in legend
        assert "<script" not in legend


def test_focused_maps_list_the_thick_outline_and_every_map_the_ward_names(view):
    area = _legend(maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.DISTRICT, "002")))
    assert 'data-symbol="unit-focus"' in area and "border:4px solid #000" in area
    assert t("mapaids.legend_focus").split(" (")[0] in area
    assert t("mapaids.legend_labels_sample") in area and t("mapaids.legend_labels").split(" (")[0] in area
    assert 'data-symbol="unit-district"' in area and 'data-symbol="unit-ward"' in area


def test_the_card_map_legend_shows_its_hotspot_ward_and_zone(card, sample_dataset):
    legend = _legend(card)
    assert legend.startswith('<details class="hotspot-legend"')  # folded on the small map: it would cover it
    status = sample_dataset.hotspots.set_index("code").loc[CARD_CODE, "status"]
    for s in Status:
        assert (t(f"status.{s.value}") in legend) == (s.value == status), s
    assert t("mapaids.legend_card_ward").split(" (")[0] in legend and "border:3px solid #000" in legend
    assert 'data-symbol="border-zone"' in legend and t("map.legend_border_hotspot").split(" (")[0] in legend
    assert t("map.legend_density") not in legend and 'data-symbol="unit-district"' not in legend
    assert 'data-symbol="ward-label"' in legend


def test_reading_aids_keep_the_map_payload_small(view):
    # tests/test_maps.py holds the full limits; the aids add labels (~11 kB) and a few lines.
    city = maps.map_payload(maps.build_map(view, counts(view), Tiles(None)))
    assert len(city.encode()) < 600_000
    assert len(maps.WardLabels().labels_json().encode()) < 15_000


# --- In a real Chromium.


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


def map_frame(page: Page, holding: str = ".hotspot-legend"):
    """The frame of the map holding ``holding`` once Streamlit has stopped redrawing it: a
    rerun draws a new map (new element ids), back at its first view, which would undo a
    zoom made before it."""
    for _ in range(40):
        try:
            frames = [fr for fr in page.frames if "streamlit_folium" in fr.url]
            frames = [fr for fr in frames if fr.locator(holding).count()]
            if frames and frames[0].evaluate("() => !!window.map && (window.map._aidsProbe = true)"):
                page.wait_for_timeout(2500)
                if frames[0].evaluate("() => window.map._aidsProbe === true"):
                    return frames[0]
        except PlaywrightError:  # detached while we looked
            pass
        page.wait_for_timeout(500)
    raise AssertionError("the map kept being redrawn")


def shot(page: Page, frame, name: str) -> None:
    page.wait_for_timeout(800)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"{name}.png", full_page=True)
    frame.locator(".leaflet-container").first.screenshot(path=OUTPUT / f"{name}-map.png")


def wait_zoom(frame, check: str) -> None:
    frame.wait_for_function(f"() => window.map && ({check})", timeout=TIMEOUT_MS)


LABELS_UNDER_POINTER = """() => Array.from(document.querySelectorAll('.ward-label span')).filter(s => {
    const r = s.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.width > 0 && hit && hit.closest('.ward-label');
}).length"""


def test_scale_bar_ward_names_and_the_home_button_in_chromium(page, app_url, sample_dataset):
    page.goto(app_url)
    wait_map(page, "path.hotspot-marker", len(sample_dataset.hotspots))
    frame = map_frame(page)
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)  # metres only: one line, no miles
    expect(scale).to_be_visible()
    assert re.fullmatch(r"\d+ k?m", scale.inner_text().strip())
    start = frame.evaluate("() => window.map.getZoom()")
    assert start < maps.LABEL_MIN_ZOOM
    expect(frame.locator(".ward-label")).to_have_count(0)  # the whole city: no names yet

    frame.evaluate("() => window.map.setView([21.0285, 105.8542], 14, {animate: false})")
    wait_zoom(frame, "window.map.getZoom() === 14")
    labels = frame.locator(".ward-label span")  # the marker itself has no size: its name is centred on it
    expect(labels.first).to_be_visible()
    expect(frame.get_by_text("Phường Hoàn Kiếm", exact=True)).to_be_visible()
    assert labels.count() < len(geo.unit_names(UnitLevel.WARD))  # only the wards in view
    assert frame.evaluate(LABELS_UNDER_POINTER) == 0  # clicks go through to the hotspots below

    expect(frame.get_by_role("button", name=t("mapaids.zoom_in"))).to_have_attribute(
        "title", t("mapaids.zoom_in")
    )
    home = frame.get_by_role("button", name=t("mapaids.home"))
    expect(home).to_be_visible()
    assert home.get_attribute("title") == t("mapaids.home")
    home.click()
    wait_zoom(frame, f"Math.abs(window.map.getZoom() - {start}) < 1e-9")
    expect(frame.locator(".ward-label")).to_have_count(0)

    # From the keyboard too.
    frame.evaluate("() => window.map.setView([21.0285, 105.8542], 15, {animate: false})")
    wait_zoom(frame, "window.map.getZoom() === 15")
    home.focus()
    page.keyboard.press("Enter")
    wait_zoom(frame, f"Math.abs(window.map.getZoom() - {start}) < 1e-9")
    assert_all_local(page.requested)


def test_screenshots_of_the_area_and_card_maps(page, app_url):
    page.goto(f"{app_url}/area")
    wait_map(page, ".leaflet-control-scale-line", 1)
    frame = map_frame(page)
    frame.evaluate("() => window.map.setZoom(Math.max(window.map.getZoom(), 14), {animate: false})")
    frame.wait_for_selector(".ward-label span", timeout=TIMEOUT_MS)
    shot(page, frame, "map-aids-area")

    page.goto(f"{app_url}/card?ma={CARD_CODE}")
    wait_map(page, "path.hotspot-marker", 1)
    frame = map_frame(page)
    expect(frame.locator(".leaflet-control-scale-line")).to_be_visible()
    expect(frame.get_by_role("button", name=t("mapaids.home"))).to_be_visible()
    legend = frame.locator(".hotspot-legend")
    expect(legend).to_be_visible()
    expect(legend).not_to_have_attribute("open", "")
    expect(frame.locator(".ward-label span").first).to_be_visible()
    shot(page, frame, "map-aids-card")
    legend.locator("summary").click()
    expect(legend.get_by_text(t("mapaids.legend_card_ward"))).to_be_visible()
    shot(page, frame, "map-aids-card-legend")
    assert_all_local(page.requested)


def test_a_hostile_ward_name_shows_as_text_in_chromium(browser, view, monkeypatch, tmp_path):
    """The map document alone, as the map's frame gets it (Leaflet from the app's folder):
    a ward named like markup shows its name as typed and runs nothing."""
    names = dict(geo.unit_names(UnitLevel.WARD)) | {WARD: EVIL, "00082": EVIL_JS}
    real = geo.unit_names
    monkeypatch.setattr(maps, "unit_names", lambda level: names if level == UnitLevel.WARD else real(level))
    m = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.WARD, WARD))
    labels = _labels(m)
    frame_dir = tmp_path / "component" / "streamlit_folium.st_folium"
    frame_dir.mkdir(parents=True)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "static").symlink_to(OUTPUT.parent / "static")
    (frame_dir / "map.html").write_text(maps.map_payload(m), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"file://{frame_dir / 'map.html'}")
    name = m.get_name()
    page.wait_for_function(f"() => window.{name} && window.{name}.getZoom() > 0")
    for code, text in ((WARD, EVIL), ("00082", EVIL_JS)):
        _, lat, lon, zoom = labels[code]
        page.evaluate(f"() => window.{name}.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    assert page.locator(".ward-label img, .ward-label script").count() == 0
    page.wait_for_timeout(500)
    context.close()
    assert dialogs == []


#: Until the map has stopped moving (its first fit to the city animates).
SETTLED = """() => new Promise(done => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    let last = "";
    const check = () => {
        const now = JSON.stringify([map.getZoom(), map.getCenter()]);
        if (now === last && !map._animatingZoom) done(); else { last = now; setTimeout(check, 300); }
    };
    check();
})"""

#: Open each hotspot's tooltip through Leaflet (as a pointer's mouseover) and measure it: how much
#: of it lies outside the map, and under a legend or control still drawn above it; then close it.
TOOLTIP_ROOM = """() => {
    const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
        * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const map = Object.values(window).find(v => v instanceof L.Map);
    const area = map.getContainer().getBoundingClientRect();
    const found = [];
    map.eachLayer(layer => {
        const p = layer.feature && layer.feature.properties;
        if (!p || !p.code || !layer.getLatLng) return;
        layer.fire("mouseover", {latlng: layer.getLatLng()}, true);
        const tip = document.querySelector(".leaflet-tooltip");
        if (!tip) { found.push({code: p.code, open: false}); return; }
        const r = tip.getBoundingClientRect();
        const above = Array.from(document.querySelectorAll(".leaflet-top, .leaflet-bottom, .hotspot-legend"))
            .filter(c => c.getClientRects().length > 0 && !c.classList.contains("under-tooltip"));
        const controls = Array.from(document.querySelectorAll(".leaflet-control, .hotspot-legend"))
            .filter(c => c.closest(".under-tooltip") === null);
        found.push({
            code: p.code, open: true,
            outside: Math.round((r.right - r.left) * (r.bottom - r.top) - overlap(r, area)),
            covered: Math.round(controls.reduce((s, c) => s + overlap(r, c.getBoundingClientRect()), 0)),
        });
        layer.fire("mouseout", {latlng: layer.getLatLng()}, true);
        found[found.length - 1].left_lowered = document.querySelectorAll(".under-tooltip").length;
    });
    return found;
}"""


@pytest.mark.parametrize("width", [940, 420])
def test_every_hotspot_tooltip_opens_whole_and_above_the_legend_in_chromium(browser, view, report, tmp_path, width):  # noqa: E501
    """The city map as its frame gets it, wide and as narrow as the card's: from a hotspot in the
    middle (under the legend, by Leaflet's choice) to one at the top (cut off) or by the layer
    list, each tooltip shows whole, nothing of the map drawn over it, and once closed every
    control is back above the map."""
    m = maps.city_map(view, report, Tiles(None))
    frame_dir = tmp_path / "component" / "streamlit_folium.st_folium"
    frame_dir.mkdir(parents=True)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "static").symlink_to(OUTPUT.parent / "static")
    (frame_dir / "map.html").write_text(maps.map_payload(m), encoding="utf-8")
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    page.goto(f"file://{frame_dir / 'map.html'}")
    page.wait_for_function(f"() => window.{m.get_name()} && window.{m.get_name()}.getZoom() > 0")
    page.evaluate(SETTLED)
    found = page.evaluate(TOOLTIP_ROOM)
    context.close()
    assert len(found) == len(view)
    hidden = [f for f in found if not f["open"] or f["outside"] > 1 or f["covered"] > 1 or f["left_lowered"]]
    assert hidden == [], [sorted(f.items()) for f in hidden[:6]]
