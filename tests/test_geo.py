"""Point-in-polygon assignment and unit look-ups (dashboard.geo)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from handmade import PLACES
from shapely.geometry import shape

from dashboard import geo
from dashboard.domain import DomainError, UnitLevel

WARD_NAMES = {
    "00070": "Phường Hoàn Kiếm",
    "00082": "Phường Cửa Nam",
    "00226": "Phường Văn Miếu - Quốc Tử Giám",
    "00004": "Phường Ba Đình",
    "00103": "Phường Tây Hồ",
}
DISTRICT_NAMES = {
    "002": "Quận Hoàn Kiếm",
    "006": "Quận Đống Đa",
    "001": "Quận Ba Đình",
    "003": "Quận Tây Hồ",
}
HAI_PHONG = (20.8449, 106.6881)
HA_LONG_BAY = (20.9101, 107.1839)


@pytest.mark.parametrize("place", list(PLACES))
def test_locate_known_places(place):
    (lat, lon), ward, district = PLACES[place]
    found = geo.locate(lat, lon)
    assert list(found.columns) == ["ward_code", "district_code"]
    assert found.iloc[0].tolist() == [ward, district]
    assert geo.unit_names(UnitLevel.WARD)[ward] == WARD_NAMES[ward]
    assert geo.unit_names(UnitLevel.DISTRICT)[district] == DISTRICT_NAMES[district]


def test_locate_my_dinh_stadium_is_in_nam_tu_liem():
    assert geo.unit_names(UnitLevel.DISTRICT)[geo.locate(21.0205, 105.7637)["district_code"][0]] == (
        "Quận Nam Từ Liêm"
    )


def test_locate_arrays_keeps_point_order():
    names = ["west_lake", "hoan_kiem_lake", "van_mieu", "hoa_lo"]
    lat = np.array([PLACES[n][0][0] for n in names])
    lon = [PLACES[n][0][1] for n in names]
    found = geo.locate(lat, lon)
    assert found["ward_code"].tolist() == [PLACES[n][1] for n in names]
    assert found["district_code"].tolist() == [PLACES[n][2] for n in names]
    assert list(found.index) == [0, 1, 2, 3]


def test_locate_outside_the_city_names_the_point():
    with pytest.raises(DomainError) as info:
        geo.locate(*HAI_PHONG)
    message = str(info.value)
    assert "20.844900" in message and "106.688100" in message
    assert "ngoài địa giới thành phố Hà Nội" in message


def test_locate_reports_the_first_point_outside():
    (lat, lon), _, _ = PLACES["hoan_kiem_lake"]
    with pytest.raises(DomainError, match=r"20\.910100, 107\.183900"):
        geo.locate([lat, HA_LONG_BAY[0], HAI_PHONG[0]], [lon, HA_LONG_BAY[1], HAI_PHONG[1]])


def test_locate_a_point_on_a_shared_border_goes_to_the_lower_code():
    districts = geo.load_units(UnitLevel.DISTRICT)
    shared = set(map(tuple, shapely.get_coordinates(districts.geometry["001"]))) & set(
        map(tuple, shapely.get_coordinates(districts.geometry["002"]))
    )
    assert shared, "Ba Đình and Hoàn Kiếm share a border"
    lon, lat = sorted(shared)[len(shared) // 2]
    point = shapely.Point(lon, lat)
    assert districts.geometry["001"].intersects(point) and districts.geometry["002"].intersects(point)
    assert geo.locate(lat, lon)["district_code"][0] == "001"


@pytest.mark.parametrize("level", list(UnitLevel))
def test_unit_bounds_match_the_display_geometry(level):
    code = {UnitLevel.DISTRICT: "002", UnitLevel.WARD: "00070"}[level]
    feature = next(f for f in geo.display_geojson(level)["features"] if f["properties"]["code"] == code)
    minx, miny, maxx, maxy = shape(feature["geometry"]).bounds
    assert geo.unit_bounds(level, code) == [[miny, minx], [maxy, maxx]]
    (lat, lon), _, _ = PLACES["hoan_kiem_lake"]
    assert miny < lat < maxy and minx < lon < maxx


@pytest.mark.parametrize(("level", "code"), [(UnitLevel.DISTRICT, "999"), (UnitLevel.WARD, "002")])
def test_unit_bounds_unknown_code_raises(level, code):
    with pytest.raises(DomainError, match=f"«{code}»"):
        geo.unit_bounds(level, code)


def test_city_bounds_hold_every_unit():
    (south, west), (north, east) = geo.city_bounds()
    for level in UnitLevel:
        for code in geo.unit_names(level):
            (s, w), (n, e) = geo.unit_bounds(level, code)
            assert south <= s and west <= w and n <= north and e <= east
    assert 20.5 < south < 21.0 < 21.3 < north < 21.5
    assert 105.2 < west < 105.5 < 106.0 < east < 106.1


def test_display_geojson_details():
    for level, n in ((UnitLevel.DISTRICT, 30), (UnitLevel.WARD, 126)):
        for detail in geo.DETAILS:
            assert len(geo.display_geojson(level, detail)["features"]) == n
    with pytest.raises(ValueError, match="full"):
        geo.display_geojson(UnitLevel.WARD, "full")


def test_load_units_returns_a_copy():
    first = geo.load_units(UnitLevel.WARD)
    first["name"] = "changed"
    assert (geo.load_units(UnitLevel.WARD)["name"] != "changed").all()
    assert len(geo.load_units(UnitLevel.DISTRICT, display=True)) == 30


def test_points_where_the_two_layers_disagree_still_get_both_units():
    """The ward and former-district layers come from different surveys; along
    the city's edge a point may lie in one only. It is still in Hà Nội."""
    wards = geo.load_units(UnitLevel.WARD)
    districts = geo.load_units(UnitLevel.DISTRICT)
    only_ward = shapely.difference(wards.union_all(), districts.union_all())
    only_district = shapely.difference(districts.union_all(), wards.union_all())
    for strip in (only_ward, only_district):
        part = max(shapely.get_parts(strip), key=lambda g: g.area)
        point = part.representative_point()
        found = geo.assign(point.y, point.x).iloc[0]
        assert found.ward_code in wards.index and found.district_code in districts.index
        # and the ward is the one that holds or is nearest to the point
        nearest = wards.index[np.argmin(shapely.distance(wards.geometry.values, point))]
        assert found.ward_code == nearest


def test_clear_caches_forgets_everything_derived_from_the_layers():
    """One registry owns the boundary-derived caches: clearing it empties each,
    and geo imports none of the modules that hold them."""
    import ast
    from pathlib import Path

    from dashboard import border, caches, spacetime
    from dashboard.intake import units

    registered = caches.boundary_caches()
    for cached in (border._adjacency, border._zones, spacetime.ward_weights, units._tables, units._resolve):
        assert cached in registered
    geo.load_units(UnitLevel.WARD)
    spacetime.ward_weights()
    assert any(c.cache_info().currsize for c in registered)
    geo.clear_caches()
    assert [c.cache_info().currsize for c in registered] == [0] * len(registered)
    source = ast.parse(Path(geo.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(source)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    holders = {"dashboard.border", "dashboard.spacetime", "dashboard.intake", "dashboard.intake.units"}
    assert not holders & imported
