"""The public version: displaced points, codes for names, small counts hidden."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer

from dashboard import public
from dashboard.domain import DomainError, Status, UnitLevel
from dashboard.geo import METRIC_CRS, assign, load_units
from dashboard.i18n import t
from dashboard.public import HIDDEN

ROOT = Path(__file__).resolve().parent.parent
KEY = "khoa-thu-nghiem"
GEOD = Geod(ellps="WGS84")


def ground_m(a_lon, a_lat, b_lon, b_lat) -> np.ndarray:
    return np.asarray(GEOD.inv(a_lon, a_lat, b_lon, b_lat)[2])


@pytest.fixture(scope="module")
def hotspots(sample_dataset) -> pd.DataFrame:
    return sample_dataset.hotspots


@pytest.fixture(scope="module")
def shown(hotspots) -> pd.DataFrame:
    return public.displace(hotspots, key=KEY)


# --------------------------------------------------------------------------
# Displacement on the sample


def test_every_offset_is_300_to_500_m_on_the_ground(hotspots, shown):
    measured = ground_m(hotspots["lon"], hotspots["lat"], shown["lon"], shown["lat"])
    assert len(measured) == len(hotspots) > 0
    assert measured.min() >= public.MIN_OFFSET_M
    assert measured.max() <= public.MAX_OFFSET_M
    np.testing.assert_allclose(shown["displaced_m"], measured, atol=1e-6)
    assert set(shown["displaced_how"]) == {"draw"}  # every sample ward is large enough


def test_every_point_stays_inside_its_own_ward_with_a_margin(hotspots, shown):
    assert list(assign(shown["lat"], shown["lon"])["ward_code"]) == list(hotspots["ward_code"])
    wards = load_units(UnitLevel.WARD).to_crs(METRIC_CRS)
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    xs, ys = to_metric.transform(shown["lon"].to_numpy(), shown["lat"].to_numpy())
    for x, y, ward in zip(xs, ys, shown["ward_code"], strict=True):
        boundary = wards.loc[ward].geometry.boundary
        assert wards.loc[ward].geometry.contains(shapely.Point(x, y))
        assert boundary.distance(shapely.Point(x, y)) >= public.WARD_MARGIN_M - 0.01


def test_same_code_gives_the_same_point_on_every_call(hotspots, shown):
    again = public.displace(hotspots, key=KEY)
    pd.testing.assert_frame_equal(again, shown)
    reordered = public.displace(hotspots.iloc[::-1], key=KEY).sort_index()
    pd.testing.assert_frame_equal(reordered, shown)


def test_same_code_gives_the_same_point_in_a_fresh_process(hotspots, shown):
    rows = hotspots[["code", "lat", "lon", "ward_code"]].head(5)
    script = (
        "import json, sys\n"
        "import pandas as pd\n"
        "from dashboard.public import displace\n"
        "rows = pd.DataFrame(json.loads(sys.argv[1]))\n"
        "out = displace(rows)\n"
        "print(json.dumps([out['lat'].tolist(), out['lon'].tolist()]))\n"
    )
    env = {**os.environ, "HOTSPOT_PUBLIC_KEY": KEY, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script, rows.to_json(orient="records")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    lats, lons = json.loads(result.stdout)
    np.testing.assert_allclose(lats, shown["lat"].head(5), rtol=0, atol=1e-12)
    np.testing.assert_allclose(lons, shown["lon"].head(5), rtol=0, atol=1e-12)


def test_different_codes_get_different_offsets(hotspots):
    one = hotspots.iloc[[0] * 4].reset_index(drop=True)
    one["code"] = ["TD-001", "TD-002", "TD-003", "TD-004"]
    out = public.displace(one, key=KEY)
    assert out[["lat", "lon"]].drop_duplicates().shape[0] == 4
    assert out["displaced_m"].nunique() == 4


def test_the_key_decides_the_offsets(hotspots, shown, monkeypatch):
    other = public.displace(hotspots, key="mot-khoa-khac")
    assert (ground_m(shown["lon"], shown["lat"], other["lon"], other["lat"]) > 1).all()
    monkeypatch.setenv(public.KEY_ENV, KEY)
    pd.testing.assert_frame_equal(public.displace(hotspots), shown)


def test_the_key_file_is_made_once_and_kept(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "public.key"
    monkeypatch.delenv(public.KEY_ENV, raising=False)
    monkeypatch.setenv(public.KEY_FILE_ENV, str(path))
    first = public.public_key()
    assert path.is_file() and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public.public_key() == first
    path.write_text("  \n")
    with pytest.raises(DomainError, match="khóa"):
        public.public_key()


def test_identifying_fields_are_blanked(hotspots, shown):
    assert list(shown["name"]) == list(hotspots["code"])
    assert (shown["notes"] == "").all() and (shown["responsible_unit"] == "").all()
    assert "area_geojson" not in shown.columns
    assert set(public.INTERNAL_COLUMNS) <= set(shown.columns)
    assert hotspots["name"].ne(hotspots["code"]).all()  # the input is left alone
    assert "area_geojson" in hotspots.columns
    kept = ["id", "code", "kind", "ward_code", "district_code", "status"]
    pd.testing.assert_frame_equal(shown[kept], hotspots[kept])


def test_public_names_replaces_names_with_codes():
    frame = pd.DataFrame({"code": ["TD-001", "TD-002"], "name": ["Quán A", "Nhà nghỉ B"], "n": [1, 2]})
    out = public.public_names(frame)
    assert list(out["name"]) == ["TD-001", "TD-002"]
    assert list(frame["name"]) == ["Quán A", "Nhà nghỉ B"]
    assert list(out["n"]) == [1, 2]


def test_an_unknown_ward_or_a_missing_code_is_refused(hotspots):
    bad = hotspots.head(1).assign(ward_code="99999")
    with pytest.raises(DomainError, match="99999"):
        public.displace(bad, key=KEY)
    with pytest.raises(DomainError, match="mã"):
        public.displace(hotspots.head(1).assign(code=""), key=KEY)
    with pytest.raises(DomainError, match="ward_code"):
        public.displace(hotspots.drop(columns=["ward_code"]), key=KEY)


# --------------------------------------------------------------------------
# Fallbacks, on hand-made wards around one real point

LON, LAT = 105.83, 21.03


def _ward(*shapes) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """A ward "W" made of metric ``(dx, dy, half_size)`` squares around (LON, LAT)."""
    x, y = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform(LON, LAT)
    geom = shapely.union_all([shapely.box(x + dx - h, y + dy - h, x + dx + h, y + dy + h)
                              for dx, dy, h in shapes])  # fmt: skip
    gdf = gpd.GeoDataFrame({"code": ["W"]}, geometry=[geom], crs=METRIC_CRS).to_crs("EPSG:4326")
    return gdf.set_index("code", drop=False), geom


def _one(codes) -> pd.DataFrame:
    return pd.DataFrame({"code": codes, "lat": LAT, "lon": LON, "ward_code": "W"})


def _metric(frame: pd.DataFrame) -> list[shapely.Point]:
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    xs, ys = to_metric.transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return list(shapely.points(xs, ys))


def test_a_narrow_ward_gets_a_point_from_its_part_300_to_500_m_away():
    wards, geom = _ward((0, 0, 30), (400, 0, 35))  # a patch 400 m east, 10 m wide inside the margin
    out = public.displace(_one([f"TD-{i:03d}" for i in range(1, 9)]), key=KEY, wards=wards)
    assert "ring" in set(out["displaced_how"]) <= {"draw", "ring"}
    assert out["displaced_m"].between(300, 500).all()
    for point in _metric(out):
        assert geom.contains(point) and geom.boundary.distance(point) >= public.WARD_MARGIN_M - 0.01


def test_a_ward_with_nothing_300_to_500_m_away_uses_its_far_part():
    wards, geom = _ward((0, 0, 30), (800, 0, 50))
    out = public.displace(_one(["TD-001"]), key=KEY, wards=wards)
    assert list(out["displaced_how"]) == ["far"]
    assert out["displaced_m"].iloc[0] >= 300  # and here more than 500 m
    assert geom.contains(_metric(out)[0])


def test_a_ward_smaller_than_the_offset_keeps_the_distance_not_the_ward():
    wards, geom = _ward((0, 0, 100))
    out = public.displace(_one(["TD-001", "TD-002"]), key=KEY, wards=wards)
    assert list(out["displaced_how"]) == ["outside", "outside"]
    assert out["displaced_m"].between(300, 500).all()
    assert not any(geom.contains(p) for p in _metric(out))


def test_the_smallest_bundled_ward_is_far_larger_than_the_outside_case():
    # "outside" needs a whole ward within 300 m of a point: under pi * 0.3² = 0.28 km².
    areas = load_units(UnitLevel.WARD).to_crs(METRIC_CRS).area
    assert areas.min() > 4 * np.pi * 300**2


# --------------------------------------------------------------------------
# Small counts


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (1, None), (2, None), (3, 3), (17, 17)])
def test_suppress(value, expected):
    assert public.suppress(value) == expected


def test_suppress_threshold_and_negative():
    assert public.suppress(4, threshold=5) is None
    assert public.suppress(5, threshold=5) == 5
    assert public.SMALL_COUNT == 3
    with pytest.raises(DomainError):
        public.suppress(-1)


def test_suppressed_text():
    assert public.suppressed_text(None) == "<3"
    assert public.suppressed_text(public.suppress(2)) == "<3"
    assert public.suppressed_text(HIDDEN) == "x"
    assert public.suppressed_text(1234) == "1.234"
    assert public.suppressed_text(0) == "0"
    assert "300–500 m" in t("public.caption") and "nhỏ hơn 3" in t("public.caption")


def test_suppress_table_hides_a_second_cell_so_totals_give_nothing_away():
    frame = pd.DataFrame({"unit": ["A", "B", "C"], "p": [5, 0, 4], "q": [1, 2, 8], "r": [7, 0, 6]})
    out = public.suppress_table(frame, ["p", "q", "r"])
    # A: 1 is small, so 5 (the row's smallest other non-zero) is hidden; column p then had one hidden
    # cell, so C's 4 went; row C then had one, so its 6; column r then had one, so A's 7.
    assert out.to_dict("list") == {
        "unit": ["A", "B", "C"],
        "p": [HIDDEN, 0, HIDDEN],
        "q": [None, None, 8],
        "r": [HIDDEN, 0, HIDDEN],
    }
    assert frame["p"].tolist() == [5, 0, 4]  # the input is left alone
    _check_no_line_has_one_hidden_cell(frame[["p", "q", "r"]].to_numpy(), out[["p", "q", "r"]].to_numpy())


def test_suppress_table_one_row_and_a_row_of_zeros():
    out = public.suppress_table(pd.DataFrame({"a": [5], "b": [1], "c": [7]}), ["a", "b", "c"])
    assert out.iloc[0].tolist() == [HIDDEN, None, 7]
    # Nothing else to hide: the row total is the hidden count, so writers print no such total.
    alone = public.suppress_table(pd.DataFrame({"a": [0], "b": [2]}), ["a", "b"])
    assert alone.iloc[0].tolist() == [0, None]
    untouched = public.suppress_table(pd.DataFrame({"a": [3, 0], "b": [4, 9]}), ["a", "b"])
    assert untouched.to_dict("list") == {"a": [3, 0], "b": [4, 9]}


def _check_no_line_has_one_hidden_cell(values: np.ndarray, cells: np.ndarray) -> None:
    hidden = np.vectorize(lambda c: c is None or c == HIDDEN, otypes=[bool])(cells)
    for i, j in zip(*np.nonzero(~hidden), strict=True):
        assert cells[i, j] == values[i, j]  # what is shown is true
    for i, j in zip(*np.nonzero(hidden), strict=True):
        assert (1 <= values[i, j] <= 2) if cells[i, j] is None else values[i, j] >= 3
    for lines, vals in ((hidden, values), (hidden.T, values.T)):
        for line, val in zip(lines, vals, strict=True):
            # One hidden cell only where the rest of the line is zeros.
            assert line.sum() != 1 or (val[~line] == 0).all()


def test_aggregate_to_wards_matches_the_true_counts(hotspots):
    table = public.aggregate_to_wards(hotspots)
    statuses = [s.value for s in Status]
    assert list(table.columns) == ["ward_code", *statuses]
    assert list(table["ward_code"]) == sorted(hotspots["ward_code"].unique())
    true = pd.crosstab(hotspots["ward_code"], hotspots["status"]).reindex(
        index=table["ward_code"], columns=statuses, fill_value=0
    )
    _check_no_line_has_one_hidden_cell(true.to_numpy(), table[statuses].to_numpy())
    for status in statuses:
        visible = table[status].map(lambda c: isinstance(c, int))
        shown_total = sum(table.loc[visible, status])
        assert shown_total == true.loc[visible.to_numpy(), status].sum()
        assert shown_total <= (hotspots["status"] == status).sum()
    assert table[statuses].map(public.suppressed_text).isin(["<3", "x"]).to_numpy().any()


def test_aggregate_to_wards_by_hand():
    rows = [("00001", "active")] * 5 + [("00001", "cleared")] + [("00002", "active")] * 4
    rows += [("00002", "handed_over")] * 3
    frame = pd.DataFrame(rows, columns=["ward_code", "status"])
    table = public.aggregate_to_wards(frame).set_index("ward_code")
    assert table.loc["00001"].tolist() == [HIDDEN, 0, None, 0, 0]
    # Column "active" had one hidden cell (00001's 5), so 00002's 4 went; then its 3.
    assert table.loc["00002"].tolist() == [HIDDEN, 0, 0, HIDDEN, 0]
    with pytest.raises(DomainError, match="closed"):
        public.aggregate_to_wards(frame.assign(status="closed"))
