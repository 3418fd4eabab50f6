"""A user's text never runs as a template on the server.

folium (through branca) renders each element's template and then compiles what it
rendered as a Jinja template once more, so a ``{{ … }}`` or ``{% … %}`` inside a
hotspot's name, or inside a ward's name from an imported boundary layer, would be
evaluated while the map is made: ``{{ 1234*5678 }}`` would show as 7006652, and a
longer expression could reach the server's modules. Every map of the app is made
here from hotspots and boundary names holding such tags; none of them runs, and
each shows as typed (:mod:`dashboard.encode`).
"""

from __future__ import annotations

import dataclasses
import html
import json
import shutil

import folium
import pandas as pd
import pytest
from pagetest import TODAY

from dashboard import encode, geo, maps, register, risk, timemap, views
from dashboard.config import Tiles
from dashboard.domain import UnitLevel
from dashboard.filters import Filters

#: A tag whose result would show, one that would hide its text, one that would loop.
RUNS = "{{ 1234*5678 }}"
HIDES = "{# giữ lại #}"
LOOPS = "{% for x in range(3) %}lặp{% endfor %}"
SIGNS_OF_A_RUN = ("7006652", "lặplặp")
TILES = Tiles(None)


def hostile(text: str, i: int) -> str:
    return f"{text} {(RUNS, HIDES, LOOPS)[i % 3]} {i}"


@pytest.fixture(scope="module")
def hostile_boundaries(tmp_path_factory):
    """An imported boundary layer (``HOTSPOT_GEODATA_DIR``) whose every unit name holds a tag."""
    folder = tmp_path_factory.mktemp("geodata")
    for source in sorted(geo.GEODATA_DIR.glob("*.geojson")):
        layer = json.loads(source.read_text(encoding="utf-8"))
        for i, feature in enumerate(layer["features"]):
            if "name" in feature["properties"]:
                feature["properties"]["name"] = hostile(feature["properties"]["name"], i)
        (folder / source.name).write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    for other in geo.GEODATA_DIR.iterdir():
        if other.suffix != ".geojson" and other.is_file():
            shutil.copy(other, folder / other.name)
    mp = pytest.MonkeyPatch()
    mp.setenv("HOTSPOT_GEODATA_DIR", str(folder))
    geo.clear_caches()
    yield folder
    mp.undo()
    geo.clear_caches()


@pytest.fixture(scope="module")
def hostile_data(sample_dataset, hostile_boundaries):
    spots = sample_dataset.hotspots.copy()
    for column in ("name", "code", "responsible_unit", "notes"):
        spots[column] = [hostile(str(v), i) for i, v in enumerate(spots[column])]
    ds = dataclasses.replace(sample_dataset, hotspots=spots, version=())
    f = Filters.for_year(Filters.default_year(ds.years, TODAY), TODAY)
    scores = risk.score(ds, TODAY)
    return ds, f, scores


def all_maps(ds, f, scores) -> dict[str, folium.Map]:
    overview = views.overview(ds, f, scores=scores)
    level = UnitLevel.WARD
    ward = ds.hotspots["ward_code"].value_counts().index[0]
    area = views.overview(ds, dataclasses.replace(f, area_level=level, area_code=ward), scores=scores)
    names = geo.unit_names(level)
    report = views.border_view(ds, f, scores=scores).report
    selected = tuple(report.zones.iloc[0][["code_a", "code_b"]])
    rows = register.register_table(ds, scores, TODAY)
    spot = rows.iloc[[0]].assign(area_geojson=None)
    first = ds.hotspots.iloc[0]
    preview = ds.hotspots.head(5).assign(row=range(2, 7), state="ok", message=ds.hotspots["name"].head(5))
    area_border = maps.border_overlay(area.border, names)
    city_border = maps.border_overlay(report, geo.unit_names(report.level), selected=selected)
    here, there = (first["lat"], first["lon"]), (first["lat"] + 0.001, first["lon"])
    return {
        "city": maps.city_map(overview.hotspots, overview.border, TILES),
        "area": maps.build_map(
            area.hotspots, area.open_by_unit, TILES, focus=(level, ward), wards_on=True, border=area_border
        ),
        "border": maps.build_map(overview.hotspots, overview.open_by_unit, TILES, border=city_border),
        "risk": maps.build_map(overview.hotspots, overview.open_by_unit, TILES, risk=scores),
        "card": maps.card_map(spot, report, TILES),
        "move": maps.move_map(here, there, first["ward_code"], TILES),
        "import preview": maps.import_preview_map(preview, TILES),
        "timeline": timemap.timeline_map(ds, TODAY, TILES),
    }


def test_no_tag_in_a_users_text_runs_on_any_map(hostile_data):
    ds, f, scores = hostile_data
    assert any("{{" in n for n in geo.unit_names(UnitLevel.WARD).values())  # the imported layer is read
    for name, m in all_maps(ds, f, scores).items():
        page = maps.map_payload(m)
        for sign in SIGNS_OF_A_RUN:
            assert sign not in page, f"a tag ran on the {name} map"
        assert "giữ lại" in page, f"a comment tag was swallowed on the {name} map"


def test_each_tag_reaches_the_page_as_typed(hostile_data):
    ds, f, scores = hostile_data
    overview = views.overview(ds, f, scores=scores)
    features = maps.unpack(maps._hotspot_layer(overview.hotspots).packed())
    by_name = {html.unescape(p["properties"]["name"]) for p in features}
    assert set(overview.hotspots["name"]) == by_name
    assert any(RUNS in n for n in by_name) and any(LOOPS in n for n in by_name)


@pytest.mark.parametrize("text", [RUNS, HIDES, LOOPS, "{%", "{#", "{{", "a{", "}}"])
def test_no_encoder_leaves_a_tag_open(text):
    nested = {"k": text, "o": {}, "l": [{"a": {"b": text}}]}
    writers = (encode.html_text, encode.map_text, encode.js_string)
    for encoded in (*(write(text) for write in writers), encode.script_json(nested)):
        assert "{{" not in encoded and "{%" not in encoded and "{#" not in encoded
    assert html.unescape(encode.map_text(text)) == text
    assert json.loads(encode.js_string(text)) == text
    assert json.loads(encode.script_json(nested)) == nested


def test_a_folium_map_would_run_such_a_tag_unencoded():
    # The reason for the above: folium compiles what its elements rendered.
    m = folium.Map(tiles=None)
    folium.Marker([21.03, 105.85], tooltip=RUNS).add_to(m)
    assert "7006652" in m.get_root().render()
    m = folium.Map(tiles=None)
    folium.Marker([21.03, 105.85], tooltip=encode.map_text(RUNS)).add_to(m)
    assert "7006652" not in m.get_root().render()


def test_the_unit_names_of_the_imported_layer_are_kept_whole(hostile_boundaries):
    names = pd.Series(geo.unit_names(UnitLevel.WARD))
    assert names.str.contains("{{", regex=False).any()
