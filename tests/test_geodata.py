"""The built boundary layers (geodata/*.geojson, ward_district.csv) and the
functions of geodata/build.py on tiny hand-made polygons."""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from dashboard.geo import DETAILS
from dashboard.i18n import t

GEODATA = Path(__file__).resolve().parent.parent / "geodata"
METRIC = "EPSG:3405"
#: Area of Hà Nội inside its official boundary, km².
CITY_KM2 = 3356
LAYERS = {"districts": 30, "wards": 126}


def _load_build():
    spec = importlib.util.spec_from_file_location("geodata_build", GEODATA / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()


@cache
def layer(name: str, detail: str = "") -> gpd.GeoDataFrame:
    """A built layer: ``detail`` is "" (full), "display" (30 m) or "city" (100 m)."""
    return gpd.read_file(GEODATA / f"{name}{'_' + detail if detail else ''}.geojson")


@cache
def overlap_table() -> pd.DataFrame:
    return pd.read_csv(GEODATA / "ward_district.csv", dtype={"ward_code": str, "district_code": str})


def vertices(gdf: gpd.GeoDataFrame) -> np.ndarray:
    return shapely.get_num_coordinates(gdf.geometry.values)


SIMPLIFIED = list(build.DISPLAY_TOLERANCES_M)
every_version = pytest.mark.parametrize("detail", ["", *SIMPLIFIED], ids=["full", *SIMPLIFIED])
simplified = pytest.mark.parametrize("detail", SIMPLIFIED)
both_layers = pytest.mark.parametrize("name", list(LAYERS))


# --------------------------------------------------------------------------
# Built layers


def test_the_app_reads_every_simplified_layer_the_build_writes():
    assert set(SIMPLIFIED) == set(DETAILS)
    for name in LAYERS:
        for detail in SIMPLIFIED:
            assert (GEODATA / f"{name}_{detail}.geojson").is_file()


@both_layers
@every_version
def test_layer_counts_codes_and_crs(name, detail):
    gdf = layer(name, detail)
    assert len(gdf) == LAYERS[name]
    assert gdf["code"].is_unique
    assert gdf["code"].str.len().eq(3 if name == "districts" else 5).all()
    assert gdf.crs.to_epsg() == 4326


@both_layers
@every_version
def test_layer_is_a_valid_coverage(name, detail):
    geoms = layer(name, detail).geometry.values
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon
    assert shapely.coverage_is_valid(geoms)


@both_layers
@simplified
def test_simplified_and_full_layers_hold_the_same_units(name, detail):
    cols = ["code", "name", "short_name", "unit_type"]
    pd.testing.assert_frame_equal(layer(name)[cols], layer(name, detail)[cols])


def test_simplified_layers_have_far_fewer_vertices():
    full = {name: vertices(layer(name)) for name in LAYERS}
    for detail in SIMPLIFIED:
        shown = {name: vertices(layer(name, detail)) for name in LAYERS}
        for name in LAYERS:
            assert (shown[name] <= full[name]).all(), (name, detail)
            assert shown[name].sum() < full[name].sum(), (name, detail)
        # The ward source is detailed, the district source already coarse.
        assert shown["wards"].sum() < 0.25 * full["wards"].sum(), detail
        assert sum(s.sum() for s in shown.values()) < 0.25 * sum(f.sum() for f in full.values())
    # The whole-city layers are coarser than the zoomed ones.
    for name in LAYERS:
        assert vertices(layer(name, "city")).sum() < vertices(layer(name, "display")).sum()


@both_layers
@pytest.mark.parametrize(("detail", "metres", "share"), [("display", 100, 0.01), ("city", 1000, 0.03)])
def test_simplified_layers_stay_close_to_the_full_ones(name, detail, metres, share):
    full = layer(name).to_crs(METRIC).geometry.values
    shown = layer(name, detail).to_crs(METRIC).geometry.values
    assert shapely.hausdorff_distance(full, shown).max() < metres
    changed = shapely.area(shapely.symmetric_difference(full, shown)) / shapely.area(full)
    assert changed.max() < share
    assert shapely.area(shown).sum() == pytest.approx(shapely.area(full).sum(), rel=0.001)


@both_layers
@simplified
def test_simplified_coordinates_are_rounded_to_5_decimals(name, detail):
    xy = shapely.get_coordinates(layer(name, detail).geometry.values)
    np.testing.assert_array_equal(xy, np.round(xy, 5))
    # ... while the full layers keep their detail.
    full = shapely.get_coordinates(layer(name).geometry.values)
    assert not np.array_equal(full, np.round(full, 5))


@both_layers
def test_areas_add_up_to_the_city(name):
    areas = layer(name).to_crs(METRIC).area / 1e6
    assert areas.sum() == pytest.approx(CITY_KM2, rel=0.002)
    np.testing.assert_allclose(layer(name)["area_km2"], areas, atol=0.001)


def test_district_and_ward_layers_cover_the_same_city():
    districts = layer("districts").to_crs(METRIC).area.sum()
    wards = layer("wards").to_crs(METRIC).area.sum()
    assert wards == pytest.approx(districts, rel=0.001)


@both_layers
def test_names_are_nfc_and_made_of_type_and_short_name(name):
    gdf = layer(name)
    for row in gdf.itertuples():
        for text in (row.name, row.short_name):
            assert unicodedata.is_normalized("NFC", text)
        assert row.name == f"{t(f'unit.{row.unit_type}')} {row.short_name}"


def test_district_names_include_the_old_centre():
    names = layer("districts").set_index("code")["name"]
    assert names["001"] == "Quận Ba Đình"
    assert names["002"] == "Quận Hoàn Kiếm"
    assert names["269"] == "Thị xã Sơn Tây"
    assert layer("districts")["unit_type"].value_counts().to_dict() == {"quan": 12, "huyen": 17, "thi_xa": 1}


def test_every_ward_has_its_main_district_among_its_districts():
    wards = layer("wards")
    districts = set(layer("districts")["code"])
    for row in wards.itertuples():
        listed = row.district_codes.split()
        assert row.district_code in listed
        assert set(listed) <= districts
        assert len(listed) == len(set(listed))


def test_ward_district_table_agrees_with_geometry():
    table = overlap_table()
    wards = layer("wards").set_index("code")
    assert set(table["ward_code"]) == set(wards.index)
    assert set(table["district_code"]) <= set(layer("districts")["code"])
    assert (table["share"] >= build.OVERLAP_MIN_SHARE).all()
    # Shares are rounded to 4 decimals: allow that much per row.
    sums = table.groupby("ward_code")["share"].sum()
    rows = table.groupby("ward_code").size()
    assert (sums <= 1 + 0.5e-4 * rows).all()
    assert (sums > 0.9).all()
    for code, rows_of_ward in table.groupby("ward_code"):
        main = wards.loc[code, "district_code"]
        best = rows_of_ward.loc[rows_of_ward["share"].idxmax(), "district_code"]
        assert main == best, code
        assert wards.loc[code, "district_codes"].split() == list(
            rows_of_ward.sort_values("share", ascending=False)["district_code"]
        )
    # area_km2 is the share of the ward's own area.
    ward_km2 = table["ward_code"].map(wards["area_km2"])
    np.testing.assert_allclose(table["area_km2"], table["share"] * ward_km2, rtol=0.01, atol=0.002)


# --------------------------------------------------------------------------
# geodata/build.py on hand-made polygons

HANOI_LON, HANOI_LAT = 105.80, 21.00


def _frame(codes, geoms, crs="EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": codes}, geometry=list(geoms), crs=crs)


def test_clean_coverage_gives_an_overlap_to_the_first_code():
    # "b" is listed first but "a" comes first in code order.
    gdf = _frame(["b", "a"], [box(0, 0, 2, 2), box(1, 0, 3, 2)])
    out = build.clean_coverage(gdf).set_index("code")
    assert list(out.index) == ["a", "b"]
    assert out.geometry["a"].area == pytest.approx(4)
    assert out.geometry["b"].area == pytest.approx(2)
    assert out.geometry["b"].equals(box(0, 0, 1, 2))
    assert out.geometry["a"].intersection(out.geometry["b"]).area == pytest.approx(0)
    assert shapely.coverage_is_valid(out.geometry.values)
    assert set(out.geom_type) == {"MultiPolygon"}


def test_clean_coverage_repairs_an_invalid_ring():
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    out = build.clean_coverage(_frame(["x"], [bow_tie]))
    geom = out.geometry.iloc[0]
    assert not bow_tie.is_valid and geom.is_valid
    assert geom.area == pytest.approx(2)


def _meander(y_from: float, y_to: float, n: int) -> list[tuple[float, float]]:
    """A north-going line near Hà Nội that swings ±0.0006° (≈60 m) east and west."""
    ys = np.linspace(y_from, y_to, n + 1)
    xs = HANOI_LON + 0.01 + 0.0006 * np.sin((ys - HANOI_LAT) / 0.02 * np.pi * 5)
    return list(zip(xs, ys, strict=True))


def _river_neighbours(n: int = 400) -> tuple[shapely.Polygon, shapely.Polygon]:
    """Two units along a meandering border: the west one ends halfway up the
    border, the east one runs on along it, so the two rings have different
    corners and simplifying them one by one leaves gaps and overlaps."""
    x0, y0 = HANOI_LON, HANOI_LAT
    line = _meander(y0, y0 + 0.02, 2 * n)
    west = shapely.Polygon([(x0, y0), *line[: n + 1], (x0, y0 + 0.01)])
    east = shapely.Polygon([*line, (x0 + 0.02, y0 + 0.02), (x0 + 0.02, y0)])
    return west, east


def test_display_version_keeps_neighbours_touching():
    west, east = _river_neighbours()
    gdf = _frame(["w", "e"], [west, east])
    assert shapely.coverage_is_valid(gdf.geometry.values)
    # Simplifying each unit on its own (what display_version must not do) breaks the coverage.
    alone = gdf.to_crs(METRIC).geometry.simplify(build.DISPLAY_TOLERANCES_M["display"]).values
    assert not shapely.coverage_is_valid(alone)

    out = build.display_version(gdf).geometry.values
    a, b = out
    assert a.is_valid and b.is_valid
    assert shapely.coverage_is_valid(out)
    # No overlap, no gap: one polygon without holes, of the original area.
    assert a.intersection(b).area == pytest.approx(0, abs=1e-12)
    union = shapely.union(a, b)
    assert union.geom_type == "Polygon" and not union.interiors
    assert union.area == pytest.approx(a.area + b.area, rel=1e-9)
    assert union.area == pytest.approx(west.area + east.area, rel=0.01)
    # The shared border is still a line at least as long as its straight span.
    assert shapely.length(shapely.intersection(a.boundary, b.boundary)) >= 0.01
    # Far fewer vertices, all on the 5-decimal grid.
    assert shapely.get_num_coordinates(out).sum() < 0.2 * shapely.get_num_coordinates([west, east]).sum()
    xy = shapely.get_coordinates(out)
    np.testing.assert_array_equal(xy, np.round(xy, build.DISPLAY_DECIMALS))


@pytest.mark.parametrize(
    ("name", "prefixes", "expected"),
    [
        ("Quận Hoàn Kiếm", build.DISTRICT_TYPES, "Hoàn Kiếm"),
        ("Thị xã Sơn Tây", build.DISTRICT_TYPES, "Sơn Tây"),
        ("Huyện Ba Vì", build.DISTRICT_TYPES, "Ba Vì"),
        ("Phường Cửa Nam", build.WARD_TYPES, "Cửa Nam"),
        # The longest prefix wins.
        ("Thị xã Sơn Tây", ["Thị", "Thị xã"], "Sơn Tây"),
        # A prefix is a whole word followed by a space.
        ("Quậnh Xyz", build.DISTRICT_TYPES, "Quậnh Xyz"),
        ("Quận", build.DISTRICT_TYPES, "Quận"),
        ("Ba Đình", build.DISTRICT_TYPES, "Ba Đình"),
    ],
)
def test_strip_prefix(name, prefixes, expected):
    assert build._strip_prefix(name, prefixes) == expected
