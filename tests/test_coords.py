"""Tests of :mod:`dashboard.coords`.

The VN-2000 -> WGS84 results are checked against an independent computation
written here: the transverse Mercator inverse of pyproj's plain ``tmerc``
(no datum), then geodetic -> ECEF on the WGS84 ellipsoid, the 7-parameter
Helmert transformation of Circular 973/2001/TT-TCĐC (coordinate-frame
rotations) by hand, and ECEF -> geodetic by iteration.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Geod, Proj, Transformer

from dashboard import coords
from dashboard.coords import CoordError

GEOD = Geod(ellps="WGS84")

# WGS84 ellipsoid (also VN-2000's).
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
ARCSEC = math.pi / (180 * 3600)

# Circular 973/2001/TT-TCĐC, VN-2000 -> WGS84: metres, arc-seconds, ppm.
TX, TY, TZ = -191.90441429, -39.30318279, -111.45032835
RX, RY, RZ = -0.00928836, 0.01975479, -0.00427372
SCALE_PPM = 0.252906278

TM3_105 = "+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
UTM_48 = "+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84"

SWAPPED_DEGREES = "Vĩ độ và kinh độ bị đảo chỗ; đã đổi lại."
SWAPPED_METRES = "X và Y bị đảo (X là hướng bắc, Y là hướng đông); đã đổi lại."

HOAN_KIEM = (21.0287, 105.8524)


# ---------------------------------------------------------------------------
# The independent computation


def to_ecef(lat: float, lon: float, h: float = 0.0) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    n = A / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return (
        (n + h) * math.cos(phi) * math.cos(lam),
        (n + h) * math.cos(phi) * math.sin(lam),
        (n * (1 - E2) + h) * math.sin(phi),
    )


def from_ecef(x: float, y: float, z: float) -> tuple[float, float]:
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1 - E2))
    for _ in range(20):
        n = A / math.sqrt(1 - E2 * math.sin(lat) ** 2)
        h = p / math.cos(lat) - n
        lat = math.atan2(z, p * (1 - E2 * n / (n + h)))
    return math.degrees(lat), math.degrees(lon)


def helmert(x: float, y: float, z: float, sign: float = 1.0) -> tuple[float, float, float]:
    """Coordinate-frame rotation (EPSG method 9607); ``sign=-1`` flips the
    rotations, i.e. reads the same numbers with the position-vector convention."""
    rx, ry, rz = (sign * r * ARCSEC for r in (RX, RY, RZ))
    m = 1 + SCALE_PPM * 1e-6
    return (
        TX + m * (x + rz * y - ry * z),
        TY + m * (-rz * x + y + rx * z),
        TZ + m * (ry * x - rx * y + z),
    )


def vn2000_geodetic_to_wgs84(lat: float, lon: float, sign: float = 1.0) -> tuple[float, float]:
    return from_ecef(*helmert(*to_ecef(lat, lon), sign=sign))


def by_hand(x_north: float, y_east: float, projection: str, sign: float = 1.0) -> tuple[float, float]:
    """VN-2000 projected (X northing, Y easting) -> WGS84 (lat, lon)."""
    lon, lat = Proj(projection)(y_east, x_north, inverse=True)
    return vn2000_geodetic_to_wgs84(lat, lon, sign)


def metres_between(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Ground distance between two (lat, lon) points."""
    return GEOD.inv(p[1], p[0], q[1], q[0])[2]


# ---------------------------------------------------------------------------
# Systems and the official parameters


def test_choices_and_default():
    assert coords.CRS_CHOICES == {
        "wgs84": "WGS84 (vĩ độ, kinh độ)",
        "vn2000_hanoi": "VN-2000 TM-3 kinh tuyến trục 105°00' (Hà Nội)",
        "vn2000_utm48": "VN-2000 UTM múi 48N (EPSG:3405)",
    }
    assert coords.DEFAULT_PROJECTED == "vn2000_hanoi"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("wgs84", "wgs84"),
        ("4326", "wgs84"),
        ("EPSG:4326", "wgs84"),
        ("epsg:4326", "wgs84"),
        (" WGS84 ", "wgs84"),
        ("vn2000_hanoi", "vn2000_hanoi"),
        ("vn2000", "vn2000_hanoi"),
        ("VN-2000", "vn2000_hanoi"),
        ("hanoi", "vn2000_hanoi"),
        ("105", "vn2000_hanoi"),
        ("vn2000_utm48", "vn2000_utm48"),
        ("3405", "vn2000_utm48"),
        ("EPSG:3405", "vn2000_utm48"),
    ],
)
def test_crs_key_accepts(value, key):
    assert coords.crs_key(value) == key


@pytest.mark.parametrize("value", ["", "EPSG:3857", "utm", "105.5", "hà nội 2"])
def test_crs_key_refuses_with_the_accepted_values(value):
    with pytest.raises(CoordError) as info:
        coords.crs_key(value)
    message = str(info.value)
    assert message.startswith(f"Hệ toạ độ «{value}» không được hỗ trợ.")
    for accepted in ("wgs84", "4326", "EPSG:4326", "vn2000_hanoi", "vn2000", "hanoi", "105", "3405"):
        assert accepted in message
    assert info.value.column is None


@pytest.mark.parametrize("key", ["vn2000_hanoi", "vn2000_utm48", "vn2000", "3405"])
def test_transformer_uses_the_official_parameters(key):
    definition = coords.transformer(key).definition
    for part in (
        "x=-191.90441429",
        "y=-39.30318279",
        "z=-111.45032835",
        "rx=-0.00928836",
        "ry=0.01975479",
        "rz=-0.00427372",
        "s=0.252906278",
        "convention=coordinate_frame",
    ):
        assert part in definition


def test_transformer_projection_parameters():
    hanoi = coords.transformer("vn2000_hanoi").definition
    for part in ("proj=tmerc", "lon_0=105 ", "k=0.9999 ", "x_0=500000", "y_0=0", "ellps=WGS84"):
        assert part in hanoi
    utm = coords.transformer("vn2000_utm48").definition
    assert "proj=utm" in utm and "zone=48" in utm
    assert coords.transformer("hanoi") is coords.transformer("vn2000_hanoi")  # cached


def test_unknown_key_for_transformer():
    with pytest.raises(CoordError):
        coords.transformer("EPSG:9999")


# ---------------------------------------------------------------------------
# Known points, computed independently

POINTS = [(2_325_000.0, 585_000.0), (2_280_000.0, 540_000.0), (2_365_000.0, 610_000.0)]


@pytest.mark.parametrize(("x_north", "y_east"), POINTS)
@pytest.mark.parametrize(("key", "projection"), [("vn2000_hanoi", TM3_105), ("vn2000_utm48", UTM_48)])
def test_matches_hand_computation(key, projection, x_north, y_east):
    lat, lon, note = coords.to_wgs84(x_north, y_east, key)
    assert note is None
    assert metres_between((lat, lon), by_hand(x_north, y_east, projection)) < 0.01
    assert lat == pytest.approx(by_hand(x_north, y_east, projection)[0], abs=1e-7)
    assert lon == pytest.approx(by_hand(x_north, y_east, projection)[1], abs=1e-7)


def test_tolerance_tells_the_rotation_conventions_apart():
    """The 1 cm tolerance above is tight enough: the same numbers read as
    position-vector rotations land more than 10 cm away."""
    official = by_hand(2_325_000, 585_000, TM3_105)
    flipped = by_hand(2_325_000, 585_000, TM3_105, sign=-1.0)
    assert metres_between(official, flipped) > 0.1


def test_datum_shift_at_hanoi():
    """The same projected numbers read in the WGS84 datum and in VN-2000 are
    the horizontal part of the ~230 m translation apart (measured: ~224 m)."""
    x_north, y_east = 2_325_000, 585_000
    lon_plain, lat_plain = Proj(TM3_105)(y_east, x_north, inverse=True)
    lat, lon, _ = coords.to_wgs84(x_north, y_east, "vn2000_hanoi")
    shift = metres_between((lat_plain, lon_plain), (lat, lon))
    assert 0.1 < shift < 500
    phi, lam = math.radians(lat_plain), math.radians(lon_plain)
    east = -math.sin(lam) * TX + math.cos(lam) * TY
    north = -math.sin(phi) * math.cos(lam) * TX - math.sin(phi) * math.sin(lam) * TY + math.cos(phi) * TZ
    # Rotations (~0.02") and scale add well under a metre horizontally.
    assert shift == pytest.approx(math.hypot(east, north), abs=1.0)
    azimuth = GEOD.inv(lon_plain, lat_plain, lon, lat)[0]
    assert azimuth == pytest.approx(math.degrees(math.atan2(east, north)), abs=0.5)


def test_tm3_and_utm_differ_by_hundreds_of_metres():
    hanoi = coords.to_wgs84(2_325_000, 585_000, "vn2000_hanoi")
    utm = coords.to_wgs84(2_325_000, 585_000, "vn2000_utm48")
    assert 100 < metres_between(hanoi[:2], utm[:2]) < 2000


# ---------------------------------------------------------------------------
# Round trips

GRID = [(lat, lon) for lat in (20.56, 20.9, 21.0287, 21.37) for lon in (105.3, 105.8524, 106.0)]


@pytest.mark.parametrize("key", ["wgs84", "vn2000_hanoi", "vn2000_utm48"])
def test_round_trip_under_a_millimetre(key):
    for lat, lon in GRID:
        first, second = coords.from_wgs84(lat, lon, key)
        back = coords.to_wgs84(first, second, key)
        assert back[2] is None
        assert metres_between((lat, lon), back[:2]) < 1e-3
        again = coords.from_wgs84(back[0], back[1], key)
        if key != "wgs84":
            assert math.hypot(again[0] - first, again[1] - second) < 1e-3


@pytest.mark.parametrize("key", ["vn2000_hanoi", "vn2000_utm48"])
def test_from_wgs84_is_the_exact_inverse(key):
    """PROJ's own inverse is off by up to ~1 mm (2D Helmert); the corrected one is not."""
    lat, lon = 21.37, 105.3
    x_north, y_east = coords.from_wgs84(lat, lon, key)
    assert metres_between((lat, lon), coords.to_wgs84(x_north, y_east, key)[:2]) < 1e-6


def test_from_wgs84_agrees_with_hand_computation():
    x_north, y_east = coords.from_wgs84(*HOAN_KIEM, "vn2000_hanoi")
    assert metres_between(by_hand(x_north, y_east, TM3_105), HOAN_KIEM) < 0.01
    assert 2_200_000 < x_north < 2_400_000 and 500_000 < y_east < 700_000


def test_from_wgs84_on_arrays():
    lats = np.array([20.6, 21.0, 21.3])
    lons = np.array([105.4, 105.8, 105.9])
    x_north, y_east = coords.from_wgs84(lats, lons, "vn2000_utm48")
    assert x_north.shape == (3,)
    for i in range(3):
        assert (x_north[i], y_east[i]) == pytest.approx(coords.from_wgs84(lats[i], lons[i], "vn2000_utm48"))


# ---------------------------------------------------------------------------
# Swapped values and wrong units


def test_wgs84_in_order():
    assert coords.to_wgs84(*HOAN_KIEM, "wgs84") == (*HOAN_KIEM, None)


def test_wgs84_swapped():
    assert coords.to_wgs84(HOAN_KIEM[1], HOAN_KIEM[0], "wgs84") == (*HOAN_KIEM, SWAPPED_DEGREES)


def test_wgs84_far_away_is_not_swapped():
    # Hồ Chí Minh City: valid, not Hà Nội, left as given (the caller checks the area).
    assert coords.to_wgs84(10.7769, 106.7009, "wgs84") == (10.7769, 106.7009, None)


@pytest.mark.parametrize("key", ["vn2000_hanoi", "vn2000_utm48"])
def test_vn2000_swapped(key):
    straight = coords.to_wgs84(2_325_000, 585_000, key)
    swapped = coords.to_wgs84(585_000, 2_325_000, key)
    assert straight[2] is None
    assert swapped == (straight[0], straight[1], SWAPPED_METRES)


def test_metres_given_as_wgs84():
    with pytest.raises(CoordError) as info:
        coords.to_wgs84(2_325_000, 585_000.5, "wgs84")
    assert str(info.value) == (
        "Toạ độ «2325000, 585000.5» là mét (VN-2000?), không phải độ: chọn hệ toạ độ VN-2000."
    )


@pytest.mark.parametrize("key", ["vn2000_hanoi", "vn2000_utm48"])
def test_degrees_given_as_vn2000(key):
    with pytest.raises(CoordError) as info:
        coords.to_wgs84(21.0287, 105.8524, key)
    assert str(info.value) == "Toạ độ «21.0287, 105.8524» là độ, không phải mét: chọn hệ WGS84."


@pytest.mark.parametrize(("lat", "lon"), [(91, 105), (-95.5, 20), (21, 181), (45, -200)])
def test_wgs84_out_of_range(lat, lon):
    with pytest.raises(CoordError) as info:
        coords.to_wgs84(lat, lon, "wgs84")
    assert str(info.value) == f"Vĩ độ/kinh độ ngoài phạm vi: «{lat}, {lon}»."


@pytest.mark.parametrize(("x_north", "y_east"), [(2_325_000, -5), (20_000_000, 585_000), (-3000, 585_000)])
def test_vn2000_out_of_range(x_north, y_east):
    with pytest.raises(CoordError) as info:
        coords.to_wgs84(x_north, y_east, "vn2000_hanoi")
    assert str(info.value).startswith(f"Toạ độ VN-2000 ngoài phạm vi: «{x_north}, {y_east}»")


@pytest.mark.parametrize("key", ["wgs84", "vn2000_hanoi"])
def test_missing_coordinate(key):
    with pytest.raises(CoordError, match=r"^Thiếu toạ độ\.$"):
        coords.to_wgs84(float("nan"), 105.8, key)


def test_near_hanoi():
    assert coords.near_hanoi(*HOAN_KIEM)
    assert coords.near_hanoi(20.53 - 0.04, 105.5)
    assert not coords.near_hanoi(20.53 - 0.06, 105.5)
    assert coords.near_hanoi(21.0, 106.02 + 0.04)
    assert not coords.near_hanoi(21.0, 106.02 + 0.06)
    assert not coords.near_hanoi(10.7769, 106.7009)
    assert not coords.near_hanoi(HOAN_KIEM[1], HOAN_KIEM[0])


# ---------------------------------------------------------------------------
# Reading numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.0285", 21.0285),
        ("21,0285", 21.0285),
        ("  105,8542\u00a0", 105.8542),
        ("-21,5", -21.5),
        ("2 325 123,45", 2325123.45),
        ("2\u00a0325\u00a0123,45", 2325123.45),
        ("2.325.123,45", 2325123.45),
        ("2,325,123.45", 2325123.45),
        ("2.325.123", 2325123.0),
        ("2,325,123", 2325123.0),
        ("585000", 585000.0),
        ("1,234", 1.234),
        ("21°01'42.6\"N", 21 + 1 / 60 + 42.6 / 3600),
        ("105°51'15\"E", 105 + 51 / 60 + 15 / 3600),
        ("21 01 42.6", 21 + 1 / 60 + 42.6 / 3600),
        ("21 01 42,6", 21 + 1 / 60 + 42.6 / 3600),
        ("105° 51′ 15″ E", 105 + 51 / 60 + 15 / 3600),
        ("21º01'42.6''", 21 + 1 / 60 + 42.6 / 3600),
        ("33°51'54\"S", -(33 + 51 / 60 + 54 / 3600)),
        ("W 74°00'21\"", -(74 + 21 / 3600)),
        ("21°01.71'", 21 + 1.71 / 60),
        ("21.0285°", 21.0285),
    ],
)
def test_parse_number_text(text, expected):
    assert coords.parse_number(text, "Vĩ độ") == pytest.approx(expected, rel=0, abs=1e-12)


@pytest.mark.parametrize(("value", "expected"), [(21, 21.0), (105.8542, 105.8542), (np.float64(2.5), 2.5)])
def test_parse_number_numbers(value, expected):
    result = coords.parse_number(value, "X")
    assert result == expected and type(result) is float


@pytest.mark.parametrize(
    "value",
    ["abc", "21.02.85", "1,23,4", "2 32 123", "21 61 00", "21 01 61", "1e5", "21.5 30", "200°", True,
     float("inf"), "N21°S", "--5"],
)  # fmt: skip
def test_parse_number_refuses(value):
    with pytest.raises(CoordError) as info:
        coords.parse_number(value, "Kinh độ")
    shown = value.strip() if isinstance(value, str) else value
    assert str(info.value) == f"Giá trị «{shown}» ở cột Kinh độ không phải là số."
    assert info.value.column == "Kinh độ"


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0", float("nan")])
def test_parse_number_missing(value):
    with pytest.raises(CoordError) as info:
        coords.parse_number(value, "Y (VN-2000)")
    assert str(info.value) == "Thiếu giá trị ở cột Y (VN-2000)."
    assert info.value.column == "Y (VN-2000)"


# ---------------------------------------------------------------------------
# Properties

LATS = st.floats(min_value=20.55, max_value=21.38)
LONS = st.floats(min_value=105.3, max_value=106.0)


@settings(deadline=None, max_examples=200)
@given(LATS, LONS)
def test_property_wgs84_unchanged(lat, lon):
    assert coords.to_wgs84(lat, lon, "wgs84") == (lat, lon, None)


@settings(deadline=None, max_examples=200)
@given(LATS, LONS)
def test_property_wgs84_swapped(lat, lon):
    assert coords.to_wgs84(lon, lat, "wgs84") == (lat, lon, SWAPPED_DEGREES)


@settings(deadline=None, max_examples=200)
@given(LATS, LONS)
def test_property_vn2000_round_trip_and_swap(lat, lon):
    x_north, y_east = coords.from_wgs84(lat, lon, "vn2000_hanoi")
    back_lat, back_lon, note = coords.to_wgs84(x_north, y_east, "vn2000_hanoi")
    assert note is None
    assert abs(back_lat - lat) < 1e-8 and abs(back_lon - lon) < 1e-8
    swapped = coords.to_wgs84(y_east, x_north, "vn2000_hanoi")
    assert swapped == (back_lat, back_lon, SWAPPED_METRES)


@settings(max_examples=300)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_property_decimal_comma(value):
    assert coords.parse_number(f"{value:.6f}".replace(".", ","), "X") == round(value, 6)


@settings(max_examples=200)
@given(st.integers(min_value=10**6, max_value=10**12))
def test_property_dot_thousands(value):
    # Two or more groups: a single "1.000" is a decimal point by the rule.
    assert coords.parse_number(f"{value:,}".replace(",", "."), "X") == float(value)
    assert coords.parse_number(f"{value:,}", "X") == float(value)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**12))
def test_property_space_thousands_with_decimal_comma(value):
    assert coords.parse_number(f"{value:,}".replace(",", "\u00a0") + ",5", "X") == value + 0.5


# ---------------------------------------------------------------------------
# Many points at once


class CountingTransformer:
    def __init__(self, inner):
        self.inner = inner
        self.calls = 0

    def transform(self, *args, **kwargs):
        self.calls += 1
        return self.inner.transform(*args, **kwargs)


def test_many_matches_scalar_with_one_transformer_call(monkeypatch):
    rng = np.random.default_rng(20240601)
    n = 10_000
    lats = rng.uniform(20.55, 21.38, n)
    lons = rng.uniform(105.3, 106.0, n)
    firsts, seconds = (np.array(v, dtype=float) for v in coords.from_wgs84(lats, lons, "vn2000_hanoi"))
    firsts[10], seconds[10] = seconds[10], firsts[10]  # swapped
    firsts[20] = np.nan  # missing
    firsts[30], seconds[30] = 21.0, 105.8  # degrees
    seconds[40] = -1.0  # out of range

    counting = CountingTransformer(coords.transformer("vn2000_hanoi"))
    monkeypatch.setattr(coords, "transformer", lambda key: counting)
    started = time.perf_counter()
    lat, lon, notes, errors = coords.to_wgs84_many(firsts, seconds, "vn2000_hanoi")
    elapsed = time.perf_counter() - started
    monkeypatch.undo()

    assert counting.calls == 1
    assert elapsed < 2.0
    assert lat.shape == lon.shape == (n,) and len(notes) == len(errors) == n
    assert notes[10] == SWAPPED_METRES
    assert errors[20] == "Thiếu toạ độ."
    assert errors[30] == "Toạ độ «21, 105.8» là độ, không phải mét: chọn hệ WGS84."
    assert errors[40].startswith("Toạ độ VN-2000 ngoài phạm vi")
    bad = [20, 30, 40]
    assert np.isnan(lat[bad]).all() and np.isnan(lon[bad]).all()
    assert sum(e is not None for e in errors) == 3
    assert sum(note is not None for note in notes) == 1
    good = np.setdiff1d(np.arange(n), bad)
    assert np.abs(lat[good] - lats[good]).max() < 1e-8
    assert np.abs(lon[good] - lons[good]).max() < 1e-8

    for i in [*rng.choice(n, 100, replace=False), 10, 20, 30, 40]:
        try:
            expected = coords.to_wgs84(firsts[i], seconds[i], "vn2000_hanoi")
        except CoordError as exc:
            assert errors[i] == str(exc)
            continue
        assert (lat[i], lon[i], notes[i]) == (
            pytest.approx(expected[0], abs=1e-12),
            pytest.approx(expected[1], abs=1e-12),
            expected[2],
        )


def test_many_wgs84_rows_independent():
    lat, lon, notes, errors = coords.to_wgs84_many(
        [21.0287, 105.8524, 2_325_000, np.nan, 95.0], [105.8524, 21.0287, 585_000, 105.0, 20.0], "wgs84"
    )
    assert lat[:2].tolist() == [21.0287, 21.0287] and lon[:2].tolist() == [105.8524, 105.8524]
    assert notes == [None, SWAPPED_DEGREES, None, None, None]
    assert errors[:2] == [None, None]
    assert errors[2].endswith("là mét (VN-2000?), không phải độ: chọn hệ toạ độ VN-2000.")
    assert errors[3] == "Thiếu toạ độ."
    assert errors[4] == "Vĩ độ/kinh độ ngoài phạm vi: «95, 20»."
    assert np.isnan(lat[2:]).all()


def test_many_empty():
    lat, lon, notes, errors = coords.to_wgs84_many([], [], "vn2000_utm48")
    assert lat.size == lon.size == 0 and notes == errors == []


# ---------------------------------------------------------------------------
# Geometries

TOWGS84_STRING = (
    "+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441,"
    "-39.30318,-111.45032,-0.00928836,0.01975479,-0.00427372,0.252906278 +units=m +no_defs"
)
ESRI_WKT = (
    'PROJCS["VN_2000_Hanoi_105",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",'
    'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
)


def point_lat_lon(geom) -> tuple[float, float]:
    return geom.y, geom.x


@pytest.mark.parametrize(
    ("crs", "projection"),
    [
        ("vn2000_hanoi", TM3_105),
        ("vn2000", TM3_105),
        ("EPSG:5897", TM3_105),
        (5897, TM3_105),
        (CRS.from_epsg(5897), TM3_105),
        ("vn2000_utm48", UTM_48),
        ("EPSG:3405", UTM_48),
        ("EPSG:9210", "+proj=tmerc +lon_0=105.75 +k=0.9999 +x_0=500000 +ellps=WGS84"),
        ("EPSG:5896", "+proj=tmerc +lon_0=102 +k=0.9999 +x_0=500000 +ellps=WGS84"),
        (ESRI_WKT, TM3_105),
        (TOWGS84_STRING, TM3_105),
    ],
    ids=[
        "key",
        "alias",
        "epsg-text",
        "epsg-int",
        "crs",
        "utm-key",
        "utm-epsg",
        "9210",
        "5896",
        "esri",
        "towgs84",
    ],
)
def test_geometry_point_matches_hand_computation(crs, projection):
    x_north, y_east = 2_325_000.0, 585_000.0
    result = coords.geometry_to_wgs84(shapely.Point(y_east, x_north), crs)
    assert metres_between(point_lat_lon(result), by_hand(x_north, y_east, projection)) < 0.01


def test_geometry_geographic_vn2000():
    result = coords.geometry_to_wgs84(shapely.Point(105.85, 21.03), "EPSG:4756")
    assert metres_between(point_lat_lon(result), vn2000_geodetic_to_wgs84(21.03, 105.85)) < 0.01


def test_towgs84_string_uses_the_official_operation():
    """The widely copied +towgs84 string (rotations with coordinate-frame signs
    read as position vector) is replaced by the official operation."""
    point = shapely.Point(585_000, 2_325_000)
    official = point_lat_lon(coords.geometry_to_wgs84(point, "vn2000_hanoi"))
    as_given = Transformer.from_crs(CRS(TOWGS84_STRING), "EPSG:4326", always_xy=True).transform(
        585_000, 2_325_000
    )
    assert metres_between(official, (as_given[1], as_given[0])) > 0.1
    assert metres_between(official, point_lat_lon(coords.geometry_to_wgs84(point, TOWGS84_STRING))) < 1e-6


def test_geometry_non_vn2000_crs():
    point = shapely.Point(585_000, 2_325_000)
    wgs_utm = coords.geometry_to_wgs84(point, "EPSG:32648")
    lon, lat = Proj("+proj=utm +zone=48 +ellps=WGS84")(585_000, 2_325_000, inverse=True)
    assert metres_between(point_lat_lon(wgs_utm), (lat, lon)) < 0.01
    vn_utm = coords.geometry_to_wgs84(point, "EPSG:3405")
    assert 100 < metres_between(point_lat_lon(wgs_utm), point_lat_lon(vn_utm)) < 500


def test_geometry_polygon_keeps_shape_and_matches_points():
    polygon = shapely.Polygon(
        [(580_000, 2_320_000), (590_000, 2_320_000), (590_000, 2_330_000), (580_000, 2_330_000)],
        holes=[[(584_000, 2_324_000), (586_000, 2_324_000), (585_000, 2_326_000)]],
    )
    result = coords.geometry_to_wgs84(polygon, "vn2000_hanoi")
    assert result.geom_type == "Polygon" and len(result.interiors) == 1
    source = shapely.get_coordinates(polygon)
    lat, lon, _, errors = coords.to_wgs84_many(source[:, 1], source[:, 0], "vn2000_hanoi")
    assert errors == [None] * len(source)
    assert np.allclose(shapely.get_coordinates(result), np.column_stack([lon, lat]), rtol=0, atol=1e-12)
    assert result.is_valid and result.contains(shapely.Point(lon[0] + 0.001, lat[0] + 0.001))


def test_geometry_already_wgs84():
    point = shapely.Point(105.8524, 21.0287)
    assert coords.geometry_to_wgs84(point, "wgs84").equals(point)
    assert coords.geometry_to_wgs84(point, "EPSG:4326").equals(point)
    assert coords.geometry_to_wgs84(point, "OGC:CRS84").equals(point)


def test_geometry_metres_said_to_be_wgs84():
    with pytest.raises(CoordError, match="có thể là mét"):
        coords.geometry_to_wgs84(shapely.Point(585_000, 2_325_000), "wgs84")


def test_geometry_unknown_crs():
    with pytest.raises(CoordError) as info:
        coords.geometry_to_wgs84(shapely.Point(1, 2), "không phải hệ nào")
    assert str(info.value) == "Không nhận ra hệ toạ độ «không phải hệ nào»."


def test_geometry_drops_z():
    result = coords.geometry_to_wgs84(shapely.Point(585_000, 2_325_000, 12.0), "vn2000_hanoi")
    assert not result.has_z
