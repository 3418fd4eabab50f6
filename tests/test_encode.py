"""Output encoding (dashboard.encode), and every map builder fed hostile text
in every user-text field: nothing reaches the page raw, and what the browser
shows is exactly what was typed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from dashboard import border, encode, geo, maps, queries, risk
from dashboard.config import OSM_URL, Tiles
from dashboard.domain import UnitLevel
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.ui.components import plain

TODAY = dt.date(2026, 11, 20)

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "${alert(2)}",
    "`;alert(3);`",
    "\\`${alert(4)}\\`",
    "</script><script>alert(5)</script>",
    "[x](http://evil/)",
    "![x](http://evil/x.png)",
    "<http://evil/>",
    "javascript:alert(6)",
]
#: Characters that mean something to HTML or to a JavaScript literal.
SPECIAL = set("<>\"'`$\\")
#: What no rendered map may contain anywhere.
FORBIDDEN = ["<img src=x", "<svg onload", "onmouseover='", "${alert", "</script><script>", "`;alert"]


def rotated(offset: int, n: int) -> list[str]:
    """``n`` payloads starting at ``offset``: with n >= len(PAYLOADS), each field
    of a frame gets every payload on some row, in a different row per field."""
    return [PAYLOADS[(offset + i) % len(PAYLOADS)] for i in range(n)]


# --- The encode functions


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_leaves_no_markup_and_reads_back(payload):
    out = encode.html_text(payload)
    assert not set(out) & set("<>\"'")
    assert html.unescape(out) == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_map_text_is_inert_in_html_and_in_any_js_literal(payload):
    out = encode.map_text(payload)
    assert not set(out) & SPECIAL
    assert "</script" not in out.lower()
    assert html.unescape(out) == payload


def test_map_text_encodes_line_terminators_and_keeps_vietnamese():
    out = encode.map_text("Điểm A\nB\r\u2028C\u2029 ${x} `y` \\z")
    assert out == "Điểm A&#10;B&#13;&#8232;C&#8233; &#36;&#123;x&#125; &#96;y&#96; &#92;z"
    assert html.unescape(out) == "Điểm A\nB\r\u2028C\u2029 ${x} `y` \\z"


@pytest.mark.parametrize("char", ["$", "`", "\\", "\n", "\r", "\u2028", "\u2029"])
def test_map_text_encodes_each_script_character_on_its_own(char):
    # A text with just one of them is not taken for one that needs nothing.
    out = encode.map_text(f"Điểm {char} Hà Nội")
    assert char not in out and out.startswith("Điểm &#") and out.endswith("; Hà Nội")
    assert html.unescape(out) == f"Điểm {char} Hà Nội"


@pytest.mark.parametrize("fn", [encode.html_text, encode.map_text, encode.markdown_text])
def test_missing_values_are_blank(fn):
    for missing in (None, float("nan"), pd.NaT, pd.NA):
        assert fn(missing) == ""
    assert fn(12) == "12"
    assert encode.js_string(None) == '""'


def test_markdown_text_escapes_links_images_html_code_and_math():
    assert plain("<http://a> `b` [c](d)") == "\\<http://a\\> \\`b\\` \\[c\\](d)"
    assert encode.markdown_text("![x](http://evil/x.png)") == "!\\[x\\](http://evil/x.png)"
    assert encode.markdown_text("a\\b $x$ &lt;") == "a\\\\b \\$x\\$ \\&lt;"
    # Ordinary punctuation and Vietnamese stay as typed.
    assert encode.markdown_text("Điểm số 1, (cũ) - mới: 50% * 2") == "Điểm số 1, (cũ) - mới: 50% * 2"
    assert plain("x") == encode.markdown_text("x")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_reads_back_as_typed(payload):
    """Every escape is a backslash before ASCII punctuation, which markdown drops."""
    out = encode.markdown_text(payload)
    assert re.sub(r"\\(.)", r"\1", out) == payload
    assert not re.search(r"(?<!\\)[\[\]<>`]", out)


@pytest.mark.parametrize("payload", [*PAYLOADS, "a\u2028b\u2029c & d", "Điểm"])
def test_js_string_is_a_json_literal_safe_in_a_script(payload):
    out = encode.js_string(payload)
    assert out.startswith('"') and out.endswith('"')
    assert not set(out) & set("<>&'\u2028\u2029")
    assert json.loads(out) == payload


@pytest.mark.parametrize("payload", [*PAYLOADS, "a\u2028b\u2029c & d", "Điểm"])
def test_script_json_is_compact_utf8_and_safe_in_a_script(payload):
    data = {"name": payload, "rows": [[1, 2.5, None], [payload]]}
    out = encode.script_json(data)
    assert not set(out) & set("<>&'\u2028\u2029")
    assert ", " not in out.replace(payload, "") and "Điểm" in encode.script_json("Điểm")
    assert json.loads(out) == data


# --- Every map builder, every user-text field


def _json_strings(rendered: str, key: str) -> list[str]:
    """Every JSON string value of ``key`` in the rendered page (GeoJSON properties)."""
    return [json.loads(s) for s in re.findall(rf'"{key}":\s*("(?:[^"\\]|\\.)*")', rendered)]


def _tooltips(rendered: str) -> list[str]:
    """The HTML text of every ``folium.Tooltip`` (inside a JS template literal)."""
    return re.findall(r"\.bindTooltip\(\s*`<div[^>]*>\s*(.*?)\s*</div>`\s*,", rendered, re.S)


def _layer_names(rendered: str) -> list[str]:
    """The layer control's names (JSON strings the control inserts as HTML)."""
    found = re.findall(r'("(?:[^"\\]|\\.)*")\s*:\s*(?:geo_json|feature_group|tile_layer)_[0-9a-f]+', rendered)
    return [json.loads(s) for s in found]


def assert_inert(rendered: str) -> None:
    for bad in FORBIDDEN:
        assert bad not in rendered, bad
    for payload in PAYLOADS:
        if set(payload) & SPECIAL:
            assert payload not in rendered, payload
    for text in _tooltips(rendered):
        assert not set(text) & SPECIAL - {'"'}, text  # no `, ${, \ or markup in a template literal
        assert '"' not in text


def assert_shown(values: list[str], expected: set[str]) -> None:
    """Each value is inert HTML, and the browser shows every expected text."""
    for value in values:
        assert not set(value) & SPECIAL, value
    assert expected <= {html.unescape(v) for v in values}


@pytest.fixture(scope="module")
def view(sample_dataset) -> pd.DataFrame:
    return queries.hotspot_view(sample_dataset, Filters.for_year(2020, TODAY))


@pytest.fixture(scope="module")
def evil_view(view) -> pd.DataFrame:
    """Every text column of the first hotspots holds every payload on some row,
    and the first hotspot has an outline (the area layer)."""
    n = len(PAYLOADS)
    assert len(view) >= n
    evil = view.head(n).copy()
    for offset, column in enumerate(["name", "code", "responsible_unit", "notes"]):
        evil[column] = rotated(offset, n)
    lon, lat = float(evil.iloc[0]["lon"]), float(evil.iloc[0]["lat"])
    d = 0.001
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon, lat + d], [lon - d, lat - d]]
    evil["area_geojson"] = None
    for i in range(n):
        evil.loc[i, "area_geojson"] = json.dumps({"type": "Polygon", "coordinates": [ring]})
    return evil


def _counts(view: pd.DataFrame) -> dict[UnitLevel, pd.Series]:
    return {level: queries.open_counts(view, level) for level in UnitLevel}


@pytest.fixture
def evil_units(monkeypatch) -> dict[UnitLevel, dict[str, str]]:
    """Unit names as an imported boundary layer could hold them: every payload
    on some district and ward (what the maps read through ``display_geojson``
    and ``unit_names``)."""
    real_geojson = geo.display_geojson
    names = {}
    for level in UnitLevel:
        codes = [f["properties"]["code"] for f in real_geojson(level)["features"]]
        names[level] = dict(zip(codes, rotated(0, len(codes)), strict=True))

    def display_geojson(level, detail="display"):
        real = real_geojson(level, detail)
        chosen = names[UnitLevel(level)]
        features = [{**f, "properties": {**f["properties"], "name": chosen[f["properties"]["code"]]}}
                    for f in real["features"]]  # fmt: skip
        return {**real, "features": features}

    monkeypatch.setattr(maps, "display_geojson", display_geojson)
    monkeypatch.setattr(maps, "unit_names", lambda level: dict(names[UnitLevel(level)]))
    return names


def evil_overlay(view: pd.DataFrame) -> maps.BorderOverlay:
    """Border pairs named with every payload, and every hotspot labelled with one."""
    n = len(PAYLOADS)
    lon, lat = float(view.iloc[0]["lon"]), float(view.iloc[0]["lat"])
    rows = [{"code_a": f"{i:03d}", "code_b": f"{i + 1:03d}", "name_a": a, "name_b": b, "length_m": 100.0 * i}
            for i, (a, b) in enumerate(zip(rotated(0, n), rotated(3, n), strict=True))]  # fmt: skip
    lines = gpd.GeoDataFrame(rows, geometry=[LineString([(lon, lat - 0.01), (lon + 0.001 * i, lat + 0.01)])
                                             for i in range(n)], crs=4326)  # fmt: skip
    zones = gpd.GeoDataFrame(rows, geometry=[Point(lon, lat).buffer(0.01 + 0.001 * i) for i in range(n)],
                             crs=4326)  # fmt: skip
    labels = dict(zip(view["id"].astype(int), rotated(5, len(view)), strict=True))
    return maps.BorderOverlay(lines=lines, zones=zones, width_m=300.0, labels=labels)


def evil_scores(view: pd.DataFrame) -> pd.DataFrame:
    scores = view[["id", "code", "name", "lat", "lon"]].copy()
    scores["score"] = [10.0 * i for i in range(len(scores))]
    scores["level"] = [("low", "medium", "high")[i % 3] for i in range(len(scores))]
    scores["score_type"] = ["risk", "persistence"] * (len(scores) // 2) + ["risk"] * (len(scores) % 2)
    return scores


def test_build_map_with_every_layer_encodes_every_text(evil_view, evil_units):
    payloads = set(PAYLOADS)
    ward = evil_view.iloc[0]["ward_code"]
    m = maps.build_map(
        evil_view,
        _counts(evil_view),
        Tiles(OSM_URL, PAYLOADS[0]),
        focus=(UnitLevel.WARD, ward),
        wards_on=True,
        border=evil_overlay(evil_view),
        risk=evil_scores(evil_view),
    )
    rendered = m.get_root().render()
    assert_inert(rendered)
    # Hotspot, area and risk tooltips; ward and district names of the unit layers.
    assert_shown(_json_strings(rendered, "name"), payloads)
    assert_shown(_json_strings(rendered, "code"), payloads)
    for level, column in ((UnitLevel.WARD, "ward"), (UnitLevel.DISTRICT, "district")):
        shown = set(evil_view[f"{column}_code"].map(evil_units[level]))
        assert len(shown) > 1
        assert_shown(_json_strings(rendered, column), shown)
    # The border pairs and the border labels of the hotspots.
    pairs = {f"{a} ↔ {b}" for a, b in zip(rotated(0, len(PAYLOADS)), rotated(3, len(PAYLOADS)), strict=True)}
    assert_shown(_json_strings(rendered, "pair"), pairs)
    assert_shown(_json_strings(rendered, "border"), payloads)
    # The focused ward's layer name, shown as HTML by the layer control.
    assert_shown(_layer_names(rendered), {evil_units[UnitLevel.WARD][ward]})
    # The tile attribution (HTML in Leaflet's attribution control).
    assert_shown(_json_strings(rendered, "attribution"), {PAYLOADS[0]})
    # Texts that are not drawn (responsible unit, notes) do not reach the page raw either.
    for column in ("responsible_unit", "notes"):
        assert not any(v in rendered for v in evil_view[column] if set(v) & SPECIAL)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if set(p) & SPECIAL])
def test_a_focused_unit_name_is_inert_in_the_layer_control(view, evil_units, payload):
    ward = next(code for code, name in evil_units[UnitLevel.WARD].items() if name == payload)
    m = maps.build_map(view, _counts(view), Tiles(None), focus=(UnitLevel.WARD, ward))
    rendered = m.get_root().render()
    assert_inert(rendered)
    assert_shown(_layer_names(rendered), {payload})


def test_city_map_encodes_hotspots_units_and_border_pairs(sample_dataset, evil_view, evil_units):
    f = Filters.for_year(TODAY.year, TODAY)
    acts = queries.activities_view(sample_dataset, f, evil_view)
    report = border.border_report(
        UnitLevel.WARD, evil_view, acts, sample_dataset.activities, TODAY, 3000.0, 90, None
    )
    pairs = report.adjacency.pairs.copy()
    assert not pairs.empty
    pairs["name_a"] = rotated(0, len(pairs))
    pairs["name_b"] = rotated(1, len(pairs))
    report = dataclasses.replace(report, adjacency=dataclasses.replace(report.adjacency, pairs=pairs))
    rendered = maps.city_map(evil_view, report, Tiles(None)).get_root().render()
    assert_inert(rendered)
    assert_shown(_json_strings(rendered, "name"), set(PAYLOADS))
    assert_shown(_json_strings(rendered, "ward"), set(evil_view["ward_code"].map(evil_units[UnitLevel.WARD])))
    assert_shown(_json_strings(rendered, "pair"), set())
    assert_shown(_json_strings(rendered, "border"), set())


def test_import_preview_map_encodes_every_file_value(evil_units):
    n = len(PAYLOADS)
    points = pd.DataFrame(
        {
            "row": range(2, n + 2),
            "code": rotated(0, n),
            "name": rotated(4, n),
            "lat": [21.0 + 0.01 * i for i in range(n)],
            "lon": [105.8 + 0.01 * i for i in range(n)],
            "state": ["new", "update", "rejected"] * (n // 3) + ["new"] * (n % 3),
            "message": rotated(8, n),
        }
    )
    rendered = maps.import_preview_map(points, Tiles(None)).get_root().render()
    assert_inert(rendered)
    expected = [f"{t('import.row')} {p.row} · {p.code} · {p.name} — {p.message}" for p in points.itertuples()]
    assert sorted(html.unescape(text) for text in _tooltips(rendered)) == sorted(expected)
    assert_shown(_json_strings(rendered, "name"), set(PAYLOADS))  # district names


def test_import_preview_map_row_without_message_or_name():
    points = pd.DataFrame([{"row": 2, "code": "${x}", "name": None, "lat": 21.0, "lon": 105.8, "state": "new",
                            "message": None}])  # fmt: skip
    (text,) = _tooltips(maps.import_preview_map(points, Tiles(None)).get_root().render())
    assert html.unescape(text) == f"{t('import.row')} 2 · ${{x}} ·"  # the name is blank


def test_move_map_encodes_ward_names(view, evil_units):
    here = (float(view.iloc[0]["lat"]), float(view.iloc[0]["lon"]))
    rendered = maps.move_map(here, (here[0] + 0.001, here[1]), view.iloc[0]["ward_code"], Tiles(None))
    rendered = rendered.get_root().render()
    assert_inert(rendered)
    assert [html.unescape(s) for s in _tooltips(rendered)] == [t("edit.move_current"), t("edit.move_chosen")]
    assert_shown(_json_strings(rendered, "name"), set(PAYLOADS))


def test_the_real_risk_layer_of_evil_hotspots_is_inert(sample_dataset, evil_view):
    scores = risk.score(sample_dataset, TODAY)
    scores = scores[scores["id"].isin(evil_view["id"])].drop(columns=["name", "code"])
    scores = scores.merge(evil_view[["id", "name", "code"]], on="id")
    assert not scores.empty
    rendered = maps.build_map(evil_view, _counts(evil_view), Tiles(None), risk=scores).get_root().render()
    assert_inert(rendered)
    assert set(scores["name"]) <= {html.unescape(v) for v in _json_strings(rendered, "name")}


def test_no_tooltip_or_popup_text_escapes_the_encoding(evil_view, evil_units):
    """Every folium element that carries text in a template literal: the maps
    build Tooltips only from encoded text (no Popup is used)."""
    m = maps.build_map(evil_view, _counts(evil_view), Tiles(None), border=evil_overlay(evil_view))
    found = []

    def walk(item):
        for child in item._children.values():
            if isinstance(child, (folium.Tooltip, folium.Popup)):
                found.append(child)
            walk(child)

    walk(m)
    for element in found:
        assert not set(getattr(element, "text", "")) & SPECIAL
