"""The folium map (dashboard.maps): layers, colours, offline assets, escaping."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import html
import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from folium.map import FitBounds
from shapely.geometry import LineString, Point, shape

from dashboard import maps, queries
from dashboard.config import OSM_URL, Tiles
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.encode import map_text
from dashboard.filters import Filters
from dashboard.geo import display_geojson
from dashboard.i18n import t

# Relative to the map's frame, which Streamlit serves at <base>/component/<name>/.
LEAFLET_JS = "../../app/static/vendor/leaflet/leaflet.js"
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def view(sample_dataset) -> pd.DataFrame:
    f = Filters.for_year(2020, dt.date(2026, 11, 20))
    return queries.hotspot_view(sample_dataset, f)


def counts(view: pd.DataFrame) -> dict[UnitLevel, pd.Series]:
    return {level: queries.open_counts(view, level) for level in UnitLevel}


def layers(m: folium.Map, kind=folium.GeoJson) -> dict[str, folium.GeoJson]:
    return {child.layer_name: child for child in m._children.values() if isinstance(child, kind)}


@pytest.fixture(scope="module")
def city_map(view) -> folium.Map:
    return maps.build_map(view, counts(view), Tiles(None))


@pytest.fixture(scope="module")
def payload(city_map) -> str:
    return maps.map_payload(city_map)


def test_map_has_both_boundary_layers(city_map):
    found = layers(city_map)
    districts, wards = found[t("map.districts")], found[t("map.wards")]
    assert len(districts.data["features"]) == 30
    assert len(wards.data["features"]) == 126
    assert len({f["properties"]["code"] for f in wards.data["features"]}) == 126
    assert districts.show and not wards.show


def _unit_geometries(m: folium.Map, level: UnitLevel) -> dict:
    layer = layers(m)[t("map.districts" if level == UnitLevel.DISTRICT else "map.wards")]
    return {f["properties"]["code"]: f["geometry"] for f in layer.data["features"]}


@pytest.mark.parametrize("level", list(UnitLevel))
def test_city_map_draws_coarse_boundaries_and_a_focused_map_fine_ones(city_map, view, level):
    def layer_of(detail):
        return {f["properties"]["code"]: f["geometry"] for f in display_geojson(level, detail)["features"]}

    assert _unit_geometries(city_map, level) == layer_of("city")
    focused = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.WARD, "00070"))
    assert _unit_geometries(focused, level) == layer_of("display")
    assert layer_of("city") != layer_of("display")


def test_map_has_one_marker_per_hotspot_in_its_status_colour(city_map, view):
    layer = layers(city_map)[t("map.hotspots")]
    features = layer.data["features"]
    assert len(features) == len(view)
    status = dict(zip(view["code"], view["status"], strict=True))
    assert sorted(f["properties"]["code"] for f in features) == sorted(status)
    for feature in features:
        expected = STATUS_COLOURS[Status(status[feature["properties"]["code"]])]
        assert layer.style_function(feature)["fillColor"] == expected
    # Markers sit where the hotspots are.
    where = {r.code: (r.lon, r.lat) for r in view.itertuples()}
    for feature in features:
        assert feature["geometry"]["coordinates"] == pytest.approx(where[feature["properties"]["code"]])
    assert len(set(view["status"])) >= 3  # the test covers several colours


def test_map_tooltips_show_labels_not_codes(city_map, view):
    features = layers(city_map)[t("map.hotspots")].data["features"]
    row = view.iloc[0]
    (feature,) = [f for f in features if f["properties"]["code"] == row["code"]]
    props = feature["properties"]
    assert props["status_label"] == html.escape(t(f"status.{row['status']}"))
    assert props["kind_label"] == html.escape(t(f"kind.{row['kind']}"))
    assert props["district"].startswith(("Quận", "Huyện", "Thị xã"))
    assert props["ward"].startswith(("Phường", "Xã"))
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}|" + re.escape(t("map.tooltip.none")), props["last_activity"])


def test_map_has_layer_control_legend_and_fit(city_map, payload):
    children = list(city_map._children.values())
    assert any(isinstance(c, folium.LayerControl) for c in children)
    assert any(isinstance(c, FitBounds) for c in children)
    legend = maps.legend_html()
    assert legend in payload
    for status in Status:
        assert html.escape(t(f"status.{status.value}")) in legend
        assert STATUS_COLOURS[status] in legend
    assert html.escape(t("map.legend")) in legend


def test_map_without_tiles_references_no_outside_host(city_map, payload):
    assert re.findall(r"https?://", payload) == []
    assert f'src="{LEAFLET_JS}"' in payload
    assert "/app/static/vendor/leaflet/leaflet.css" in payload
    assert not [c for c in city_map._children.values() if isinstance(c, folium.TileLayer)]
    # Every script and stylesheet comes from the app itself.
    for url in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', payload):
        assert url.startswith("../../app/static/vendor/"), url


def test_map_payload_is_small_enough_to_send(payload, view):
    # Full-resolution boundaries alone would be about 3.6 MB.
    assert len(payload.encode()) < 600_000
    focused = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.DISTRICT, "002"))
    assert len(maps.map_payload(focused).encode()) < 1_500_000


def test_map_with_osm_tiles(view):
    m = maps.build_map(view, counts(view), Tiles.parse("osm"))
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1 and tiles[0].tiles == OSM_URL
    assert "tile.openstreetmap.org" in maps.map_payload(m)


def test_map_with_an_internal_tile_server(view):
    url = "/tiles/{z}/{x}/{y}.png"
    payload = maps.map_payload(maps.build_map(view, counts(view), Tiles.parse(url, "Sở <TN&MT>")))
    assert url in payload
    # Leaflet shows the attribution as HTML: it arrives escaped.
    assert "Sở <TN&MT>" not in _unescape_json(payload)
    assert html.escape("Sở <TN&MT>") in _unescape_json(payload)
    assert re.findall(r"https?://", payload) == []


@pytest.mark.parametrize(
    ("count", "colour"),
    [
        (0, None),
        *((lo, fill) for lo, fill in maps.DENSITY_CLASSES),
        (4, maps.DENSITY_CLASSES[2][1]),
        (40, maps.DENSITY_CLASSES[-1][1]),
    ],
)
def test_density_colour_classes(count, colour):
    assert maps.density_colour(count) == colour


def test_density_classes_darken_with_count():
    lows = [lo for lo, _ in maps.DENSITY_CLASSES]
    assert lows == sorted(lows) and lows[0] == 1
    assert len({fill for _, fill in maps.DENSITY_CLASSES}) == len(lows)


def test_choropleth_fills_units_by_open_hotspots():
    open_by_unit = {
        UnitLevel.DISTRICT: pd.Series({"002": 3, "006": 1}),
        UnitLevel.WARD: pd.Series({"00070": 5}),
    }
    empty = pd.DataFrame(columns=["code", "name", "kind", "lat", "lon", "status", "area_geojson"])
    m = maps.build_map(empty, open_by_unit, Tiles(None))
    found = layers(m)
    for name, level in (("map.districts", UnitLevel.DISTRICT), ("map.wards", UnitLevel.WARD)):
        layer = found[t(name)]
        for feature in layer.data["features"]:
            code = feature["properties"]["code"]
            n = int(open_by_unit[level].get(code, 0))
            assert feature["properties"]["open"] == n
            style = layer.style_function(feature)
            if n:
                assert style["fillColor"] == maps.density_colour(n) and style["fillOpacity"] > 0
            else:
                assert style["fillOpacity"] == 0
    assert found[t("map.hotspots")].data["features"] == []


def test_focus_fits_the_map_to_one_district(view):
    m = maps.build_map(view, counts(view), Tiles(None), focus=(UnitLevel.DISTRICT, "002"))
    feature = next(
        f for f in display_geojson(UnitLevel.DISTRICT)["features"] if f["properties"]["code"] == "002"
    )
    west, south, east, north = shape(feature["geometry"]).bounds
    (fit,) = [c for c in m._children.values() if isinstance(c, FitBounds)]
    assert fit.bounds == [[south, west], [north, east]]
    lat, lon = m.location
    assert south < lat < north and west < lon < east
    outline = [
        c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "Quận Hoàn Kiếm"
    ]
    assert len(outline) == 1
    assert [f["properties"]["code"] for f in outline[0].data["features"]] == ["002"]


def test_city_map_fits_the_whole_city(city_map):
    (fit,) = [c for c in city_map._children.values() if isinstance(c, FitBounds)]
    (south, west), (north, east) = fit.bounds
    # Hà Nội spans about 20.56-21.39 N and 105.28-106.02 E.
    assert 20.5 < south < 20.6 and 21.35 < north < 21.45
    assert 105.25 < west < 105.32 and 105.98 < east < 106.05


def test_hotspot_areas_are_drawn_when_present(view):
    with_area = view.copy()
    lon, lat = float(with_area.loc[0, "lon"]), float(with_area.loc[0, "lat"])
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
    with_area["area_geojson"] = None
    with_area.loc[0, "area_geojson"] = json.dumps({"type": "Polygon", "coordinates": [ring]})
    layer = layers(maps.build_map(with_area, counts(view), Tiles(None)))[t("map.hotspot_areas")]
    (feature,) = layer.data["features"]
    assert layer.style_function(feature)["color"] == STATUS_COLOURS[Status(with_area.loc[0, "status"])]
    assert t("map.hotspot_areas") not in layers(maps.build_map(view, counts(view), Tiles(None)))


def _unescape_json(text: str) -> str:
    """Undo the \\uXXXX escapes of the JSON folium writes into scripts."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def test_hotspot_names_are_escaped(view):
    evil = view.copy()
    evil.loc[0, "name"] = EVIL
    evil.loc[1, "code"] = '"><script>alert(2)</script>'
    payload = maps.map_payload(maps.build_map(evil, counts(evil), Tiles(None)))
    assert EVIL not in payload
    assert "<script>alert(2)" not in payload
    # Once the JSON is read back, the text is still HTML-escaped, so a tooltip
    # that inserts it as HTML shows it as text.
    readable = _unescape_json(payload)
    assert EVIL not in readable
    assert html.escape(EVIL) in readable
    assert html.escape('"><script>alert(2)</script>') in readable


def _markers(m: folium.Map) -> list[folium.CircleMarker]:
    found = []

    def walk(item):
        for child in item._children.values():
            if isinstance(child, folium.CircleMarker):
                found.append(child)
            walk(child)

    walk(m)
    return found


def test_import_preview_map_colours_rows_and_escapes_names():
    points = pd.DataFrame(
        [
            {"row": 2, "code": "TD-1", "name": "<script>alert(1)</script>", "lat": 21.0287, "lon": 105.8524,
             "state": "new", "message": ""},
            {"row": 3, "code": "TD-2", "name": "Điểm", "lat": 21.056, "lon": 105.819, "state": "update",
             "message": "Sẽ cập nhật"},
            {"row": 4, "code": "TD-3", "name": "Xa", "lat": 10.77, "lon": 106.70, "state": "rejected",
             "message": ""},
        ]
    )  # fmt: skip
    m = maps.import_preview_map(points, Tiles(None))
    markers = _markers(m)
    assert [mk.options["fillColor"] for mk in markers] == [
        maps.PREVIEW_COLOURS[s] for s in ("new", "update", "rejected")
    ]
    payload = _unescape_json(maps.map_payload(m))
    assert "<script>alert(1)</script>" not in payload
    assert html.escape("Dòng 2 · TD-1 · <script>alert(1)</script>") in payload
    # The map reaches the point far outside the city, so a wrong system shows.
    fit = next(c for c in m._children.values() if isinstance(c, FitBounds))
    assert fit.bounds[0][0] <= 10.77


def test_move_map_shows_the_chosen_point_only_when_it_differs():
    here = (21.0287, 105.8524)
    same = _markers(maps.move_map(here, here, "00070", Tiles(None)))
    assert [mk.options["fillColor"] for mk in same] == ["#999999"]
    moved = _markers(maps.move_map(here, (21.03, 105.85), "00070", Tiles(None)))
    assert [mk.location for mk in moved] == [list(here), [21.03, 105.85]]


# --- The legend lists every symbol the map draws, and folds away.


def tiny_overlay(view: pd.DataFrame, width_m: float = 1500.0) -> maps.BorderOverlay:
    """A one-pair border overlay near the first hotspot, with that hotspot in the zone."""
    lon, lat = float(view.iloc[0]["lon"]), float(view.iloc[0]["lat"])
    props = {
        "code_a": "001",
        "code_b": "002",
        "name_a": "Ba <Đình>",
        "name_b": "Hoàn Kiếm",
        "length_m": 1200.0,
    }
    lines = gpd.GeoDataFrame([props], geometry=[LineString([(lon, lat - 0.01), (lon, lat + 0.01)])], crs=4326)
    zones = gpd.GeoDataFrame([props], geometry=[Point(lon, lat).buffer(0.01)], crs=4326)
    return maps.BorderOverlay(
        lines=lines, zones=zones, width_m=width_m, labels={int(view.iloc[0]["id"]): "A ↔ B"}
    )


def _legend_of(m: folium.Map) -> str:
    (legend,) = re.findall(r'<details open class="hotspot-legend".*?</details>', maps.map_payload(m), re.S)
    return legend


BORDER_ENTRIES = ("map.border_lines", "map.legend_border_hotspot", "map.legend_border")


def test_legend_of_a_map_with_a_border_overlay_lists_zone_line_and_ring(view):
    legend = _legend_of(maps.build_map(view, counts(view), Tiles(None), border=tiny_overlay(view)))
    for key in BORDER_ENTRIES:
        assert html.escape(t(key)) in legend, key
    # The zone band names its width in Vietnamese digits.
    assert html.escape(t("map.border_zones", width="1.500")) in legend
    assert maps.BORDER_COLOUR in legend
    assert "border:3.5px solid #000" in legend  # the thick ring of _hotspot_style
    for status in Status:
        assert STATUS_COLOURS[status] in legend


def test_legend_of_a_map_without_a_border_overlay_has_no_border_entries(city_map):
    legend = _legend_of(city_map)
    for key in BORDER_ENTRIES:
        assert html.escape(t(key)) not in legend, key
    assert "Vùng giáp ranh" not in legend
    assert maps.BORDER_COLOUR not in legend
    assert html.escape(t("map.legend_area")) not in legend
    assert html.escape(t("map.legend_risk_size")) not in legend


def test_legend_without_zones_leaves_the_zone_band_out(view):
    overlay = dataclasses.replace(tiny_overlay(view), zones=None)
    legend = _legend_of(maps.build_map(view, counts(view), Tiles(None), border=overlay))
    assert html.escape(t("map.border_lines")) in legend
    assert "Vùng giáp ranh" not in legend


def test_legend_lists_hotspot_areas_only_when_drawn(view):
    with_area = view.copy()
    lon, lat = float(with_area.loc[0, "lon"]), float(with_area.loc[0, "lat"])
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
    with_area["area_geojson"] = None
    with_area.loc[0, "area_geojson"] = json.dumps({"type": "Polygon", "coordinates": [ring]})
    legend = _legend_of(maps.build_map(with_area, counts(view), Tiles(None)))
    assert html.escape(t("map.legend_area")) in legend


def test_legend_flags_add_risk_sizes_and_escape_every_text():
    legend = maps.legend_html(
        risk=True, zone_width_m=200, border_lines=True, border_hotspots=True, areas=True
    )
    for key in (
        *BORDER_ENTRIES,
        "map.legend_area",
        "map.legend_risk",
        "map.legend_risk_size",
        "map.legend_title",
    ):
        assert html.escape(t(key)) in legend, key
    # Foldable without JavaScript, and scrolls rather than covering a small map.
    assert legend.startswith("<details open") and "<summary" in legend and "overflow:auto" in legend
    assert "<script" not in legend


def test_legend_escapes_catalogue_text(monkeypatch):
    real = maps.t
    monkeypatch.setattr(maps, "t", lambda key, **kw: EVIL if key == "map.border_lines" else real(key, **kw))
    legend = maps.legend_html(border_lines=True)
    assert EVIL not in legend and html.escape(EVIL) in legend


# --- Thousands of hotspots: a compact payload, drawn on a canvas.


def many_hotspots(view: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` hotspots with the columns of ``queries.hotspot_view``: the sample's rows
    drawn again with their own id, code and name, a little apart."""
    rng = np.random.default_rng(7)
    rows = view.sample(n, replace=True, random_state=7).reset_index(drop=True)
    ids = np.arange(1, n + 1)
    return rows.assign(
        id=ids,
        code=[f"TD-{i:05d}" for i in ids],
        name=[f"{name} {i}" for name, i in zip(rows["name"], ids, strict=True)],
        lat=rows["lat"] + rng.normal(0, 0.002, n),
        lon=rows["lon"] + rng.normal(0, 0.002, n),
    )


def border_every_fourth(view: pd.DataFrame) -> maps.BorderOverlay:
    """One shared boundary, and a pair label (with its distance) on every fourth hotspot."""
    lines = gpd.GeoDataFrame(
        [{"code_a": "001", "code_b": "002", "name_a": "Ba Đình", "name_b": "Hoàn Kiếm", "length_m": 1200.0}],
        geometry=[LineString([(105.83, 21.02), (105.84, 21.03)])],
        crs=4326,
    )
    labels = {int(i): f"Phường Điện Biên ↔ Phường Hàng Bột ({i % 300} m)" for i in view["id"] if i % 4 == 0}
    return maps.BorderOverlay(lines=lines, zones=None, width_m=300.0, labels=labels)


def many_map(view: pd.DataFrame, n: int) -> folium.Map:
    hotspots = many_hotspots(view, n)
    return maps.build_map(hotspots, counts(hotspots), Tiles(None), border=border_every_fourth(hotspots))


@pytest.fixture(scope="module")
def map_5000(view) -> folium.Map:
    return many_map(view, 5000)


@pytest.fixture(scope="module")
def payload_5000(map_5000) -> str:
    return maps.map_payload(map_5000)


def test_payload_per_hotspot_stays_small(view, payload_5000):
    # Measured at about 99 bytes a hotspot (folium's own GeoJSON and style switch: about 557).
    per_hotspot = (len(payload_5000.encode()) - len(maps.map_payload(many_map(view, 500)).encode())) / 4500
    assert per_hotspot < 130
    # The whole city map with 5,000 hotspots (about 0.84 MB here, 1.08 MB on the scale store).
    assert len(payload_5000.encode()) < 2_000_000
    # No per-hotspot style switch: each code is on the page once.
    assert payload_5000.count('"TD-04321"') == 1


def test_the_page_rebuilds_every_hotspot_as_python_drew_it(map_5000, payload_5000):
    layer = layers(map_5000, maps.PointLayer)[t("map.hotspots")]
    assert layer.packed_json() in payload_5000
    rebuilt = maps.unpack(layer.packed())
    assert len(rebuilt) == len(layer.data["features"]) == 5000
    for mine, theirs in zip(rebuilt, layer.data["features"], strict=True):
        assert mine["properties"] == theirs["properties"]
        assert mine["geometry"] == theirs["geometry"]
        assert mine["style"] == layer.style_function(theirs)
    # Few distinct styles (status x border zone), each sent once.
    assert len(layer.packed()["styles"]) <= 2 * len(Status)
    in_zone = [f for f in rebuilt if f["properties"]["in_zone"]]
    assert in_zone and all(f["style"]["radius"] == 10 for f in in_zone)


def test_coordinates_are_sent_to_five_decimals(map_5000):
    packed = layers(map_5000, maps.PointLayer)[t("map.hotspots")].packed()
    assert all(round(v, 5) == v for v in packed["x"] + packed["y"])


def test_many_hotspots_draw_on_a_canvas_and_few_as_svg(map_5000, payload_5000, city_map):
    assert map_5000.options["prefer_canvas"] is True
    assert '"preferCanvas": true' in payload_5000
    # Below CANVAS_FROM every marker is an SVG path with its class (the browser tests find them so).
    assert city_map.options["prefer_canvas"] is False
    assert len(layers(city_map)[t("map.hotspots")].data["features"]) < maps.CANVAS_FROM


HOSTILE = [EVIL, "${alert(3)}", "`+alert(4)+`", "</script><script>alert(5)</script>", "a\\'b\"c", "x\u2028y"]


def test_tooltips_of_thousands_of_hotspots_stay_escaped(view):
    hotspots = many_hotspots(view, 5000)
    for i, text in enumerate(HOSTILE):
        hotspots.loc[i, "name"] = text
        hotspots.loc[100 + i, "code"] = text
    m = maps.build_map(hotspots, counts(hotspots), Tiles(None), border=border_every_fourth(hotspots))
    payload = maps.map_payload(m)
    for text in HOSTILE:
        assert text not in payload, text
    assert "</script><script>" not in payload and "alert(5)</script>" not in payload
    layer = layers(m, maps.PointLayer)[t("map.hotspots")]
    assert layer.packed_json() in payload
    rebuilt = maps.unpack(json.loads(layer.packed_json()))  # what the page's script reads
    for i, text in enumerate(HOSTILE):
        assert rebuilt[i]["properties"]["name"] == map_text(text)
        assert rebuilt[100 + i]["properties"]["code"] == map_text(text)
        # Each text is still a JSON string beside its property's name, where a scan finds it.
        assert f'"name":{json.dumps(map_text(text), ensure_ascii=False)}' in _unescape_json(payload)
    # Every text the tooltip inserts as HTML (each property it shows) is escaped: no markup, no ${.
    (tooltip,) = [c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip)]
    for feature in rebuilt:
        for field in tooltip.fields:
            value = feature["properties"][field]
            assert not set(value) & set("<>`$\\"), (field, value)


CODED_CASES = [
    ["a", "a"], ["a", "b", "a"], [1, True, 1, True], ["một giá trị dài", "x"] * 3, [None, None, "—"],
    [0.5] * 9, ["ab", "cd"],
]  # fmt: skip


@pytest.mark.parametrize("values", CODED_CASES)
def test_a_property_is_coded_exactly_when_that_is_shorter(values):
    written_out = sum(len(maps.script_json({"k": v})) for v in values)  # value by value
    counts = collections.Counter((type(v), v) for v in values)
    order = [found for found, _ in counts.most_common()]
    table = [{"k": v} for _, v in order]
    index = [order.index((type(v), v)) for v in values]
    shorter = len(counts) < len(values) and (
        len(maps.script_json(table)) + len(maps.script_json(index)) < written_out
    )
    found = maps._coded("k", values)
    assert (found is not None) == shorter
    if found is not None:
        assert found == (table, index)
        assert [type(found[0][i]["k"]) for i in found[1]] == [type(v) for v in values]


def test_point_layer_sends_columns_compactly():
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [105.0 + i / 1000, 21.0]},
         "properties": {"kind": "a" if i % 3 else "b", "n": i, "flag": i % 2 == 0}}
        for i in range(30)
    ]  # fmt: skip
    layer = maps.PointLayer(
        {"type": "FeatureCollection", "features": features},
        marker=folium.CircleMarker(radius=5),
        style_function=lambda f: {"fillColor": "#000000" if f["properties"]["flag"] else "#ffffff"},
    )
    packed = layer.packed()
    coded = {key: (table, index) for key, table, index in packed["coded"]}
    assert coded["kind"][0] == [{"kind": "a"}, {"kind": "b"}]  # the commonest value first: index 0
    assert coded["kind"][1][:4] == [1, 0, 0, 1]
    assert "flag" in coded
    assert [row["n"] for row in packed["rows"]] == list(range(30))  # every value differs: written out
    assert len(packed["styles"]) == 2
    rebuilt = maps.unpack(packed)
    assert [f["properties"] for f in rebuilt] == [f["properties"] for f in features]
    assert [f["style"] for f in rebuilt] == [layer.style_function(f) for f in features]
    with pytest.raises(ValueError, match="highlight"):
        maps.PointLayer({"type": "FeatureCollection", "features": features}, marker=folium.CircleMarker(),
                        highlight_function=lambda _f: {})  # fmt: skip


# --------------------------------------------------------------------------
# Clusters (the browser side: tests/test_browser_clusters.py)


MARKERCLUSTER_JS = "../../app/static/vendor/leaflet.markercluster/leaflet.markercluster.js"
MARKERCLUSTER_CSS = "../../app/static/vendor/leaflet.markercluster/MarkerCluster.css"


def test_a_city_of_thousands_of_hotspots_is_drawn_in_clusters_and_a_few_dozen_one_by_one(
    map_5000, payload_5000, city_map, payload
):
    layer = layers(map_5000, maps.PointLayer)[t("map.hotspots")]
    cluster = layer.packed()["cluster"]
    assert cluster["by"] == "status" and cluster["order"] == [s.value for s in Status]
    assert cluster["colours"] == {s.value: STATUS_COLOURS[s] for s in Status}
    assert cluster["labels"] == {s.value: html.escape(t(f"status.{s.value}")) for s in Status}
    assert cluster["zone"] == "in_zone" and cluster["until_zoom"] == maps.CLUSTER_UNTIL_ZOOM
    # Every hotspot is still sent (the clusters are made in the browser) and rebuilt as drawn.
    assert len(maps.unpack(layer.packed())) == 5000
    # The library comes from the app itself, after Leaflet; the map has a last zoom for it.
    assert f'src="{MARKERCLUSTER_JS}"' in payload_5000 and MARKERCLUSTER_CSS in payload_5000
    assert payload_5000.index(LEAFLET_JS) < payload_5000.index(MARKERCLUSTER_JS)
    assert re.findall(r"https?://", payload_5000) == []
    assert map_5000.options["max_zoom"] == 18 and '"maxZoom": 18' in payload_5000
    legend = maps.legend_html(clusters="status", border_lines=True, border_hotspots=True)
    assert legend in payload_5000 and 'data-symbol="point-cluster"' in legend
    assert html.escape(t("map.legend_cluster_status")) in legend
    # The sample city (39 hotspots): every marker drawn by itself, no cluster script or legend entry.
    assert len(layers(city_map)[t("map.hotspots")].data["features"]) < maps.CLUSTER_FROM
    assert "cluster" not in layers(city_map)[t("map.hotspots")].packed()
    assert "markercluster" not in payload and 'data-symbol="point-cluster"' not in payload


def test_clusters_start_exactly_at_cluster_from(view):
    below = many_map(view, maps.CLUSTER_FROM - 1)
    at = many_map(view, maps.CLUSTER_FROM)
    assert "cluster" not in layers(below, maps.PointLayer)[t("map.hotspots")].packed()
    assert "cluster" in layers(at, maps.PointLayer)[t("map.hotspots")].packed()
    assert "markercluster" not in maps.map_payload(below) and "markercluster" in maps.map_payload(at)


def test_risk_clusters_are_ringed_by_risk_level():
    options = maps.risk_clusters().script_options()
    assert options["by"] == "level" and options["order"] == ["high", "medium", "low"]
    assert options["zone"] is None
    legend = maps.legend_html(risk=True, clusters="risk")
    assert html.escape(t("map.legend_cluster_risk")) in legend
    for colour in maps.RISK_COLOURS.values():
        assert colour in legend


def test_cluster_texts_reach_the_page_escaped():
    hostile = maps.Clusters(
        by="status", order=("active",), colours={"active": "#D55E00"}, labels={"active": EVIL},
        noun="</script><b>x</b>", zone="in_zone", zone_label="${alert(2)}<i>",
    )  # fmt: skip
    options = hostile.script_options()
    assert options["labels"]["active"] == html.escape(EVIL)
    assert "<b>" not in options["noun"] and "<i>" not in options["zone_label"]
    assert "</script" not in maps.script_json(options)


def test_the_vendored_markercluster_is_there_with_its_licence():
    vendor = maps_static() / "leaflet.markercluster"
    assert (vendor / "VERSION").read_text().strip() == "1.5.3"
    assert "Permission is hereby granted" in (vendor / "LICENSE").read_text()
    script = (vendor / "leaflet.markercluster.js").read_text()
    assert "MarkerClusterGroup" in script and "http://" not in script.split("sourceMappingURL")[0][-200:]


def maps_static():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "static" / "vendor"
