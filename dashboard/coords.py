"""Coordinates from spreadsheets and GIS files: WGS84 degrees or VN-2000 metres.

Officials give hotspot locations either as WGS84 latitude/longitude (GPS,
phone maps) or as VN-2000 projected coordinates from surveyors, who write
``X`` for the northing and ``Y`` for the easting. Two VN-2000 systems are
offered (:data:`CRS_CHOICES`):

- Hà Nội's local TM-3 system, central meridian 105°00', scale 0.9999, false
  easting 500 000 m. Its parameters are exactly those of EPSG:5897
  ("VN-2000 / TM-3 zone 482"), which is therefore used for it;
- VN-2000 / UTM zone 48N (EPSG:3405), central meridian 105°, scale 0.9996.

VN-2000 uses the WGS84 ellipsoid but not WGS84's origin: at Hà Nội the same
numbers read in the two datums are about 220 m apart. The conversion to WGS84
always uses the official parameters of Circular 973/2001/TT-TCĐC (EPSG
"VN-2000 to WGS 84 (2)", coordinate-frame rotations). PROJ also knows
"VN-2000 to WGS 84 (1)" with the same stated accuracy and may pick either by
default; the two differ by about 0.7 m at Hà Nội.

Messages for the user are in Vietnamese; :class:`CoordError` carries them.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.crs import GeographicCRS, ProjectedCRS
from pyproj.exceptions import CRSError
from pyproj.transformer import TransformerGroup

from dashboard.i18n import t

#: Systems offered to the user: key -> Vietnamese label.
CRS_CHOICES: dict[str, str] = {
    "wgs84": t("coords.crs.wgs84"),
    "vn2000_hanoi": t("coords.crs.vn2000_hanoi"),
    "vn2000_utm48": t("coords.crs.vn2000_utm48"),
}
#: The projected system assumed when the user has not chosen one.
DEFAULT_PROJECTED = "vn2000_hanoi"

#: EPSG codes behind the keys. EPSG:5897 is TM-3 with central meridian 105°,
#: k = 0.9999, false easting 500 000 m, false northing 0: Hà Nội's system.
_EPSG = {"wgs84": 4326, "vn2000_hanoi": 5897, "vn2000_utm48": 3405}

#: Official VN-2000 -> WGS84 parameters (Circular 973/2001/TT-TCĐC), as EPSG
#: gives them for "VN-2000 to WGS 84 (2)": metres, arc-seconds, ppm.
OFFICIAL_HELMERT = {
    "x": -191.90441429,
    "y": -39.30318279,
    "z": -111.45032835,
    "rx": -0.00928836,
    "ry": 0.01975479,
    "rz": -0.00427372,
    "s": 0.252906278,
}
_OFFICIAL_MARK = "x=-191.90441429"

#: Hà Nội's rough extent (degrees) and the margin :func:`near_hanoi` adds.
HANOI_LAT = (20.53, 21.39)
HANOI_LON = (105.28, 106.02)
HANOI_MARGIN = 0.05

#: Above this absolute value a number is metres, not degrees.
_METRES_FROM = 1000.0
#: In Vietnam VN-2000 northings exceed this and TM-3/UTM eastings stay below.
_NORTHING_FROM = 1_000_000.0
_MAX_NORTHING = 10_000_000.0

_ALIASES = {
    "wgs84": "wgs84",
    "4326": "wgs84",
    "epsg:4326": "wgs84",
    "vn2000hanoi": "vn2000_hanoi",
    "vn2000_hanoi": "vn2000_hanoi",
    "vn2000": "vn2000_hanoi",
    "hanoi": "vn2000_hanoi",
    "105": "vn2000_hanoi",
    "vn2000utm48": "vn2000_utm48",
    "vn2000_utm48": "vn2000_utm48",
    "3405": "vn2000_utm48",
    "epsg:3405": "vn2000_utm48",
}


class CoordError(ValueError):
    """A coordinate or coordinate system is unusable; ``str(error)`` says why
    in Vietnamese, ``column`` names the spreadsheet column when known."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


# ---------------------------------------------------------------------------
# Coordinate systems


def crs_key(value: str) -> str:
    """The key of :data:`CRS_CHOICES` meant by ``value``: the key itself,
    ``4326``/``EPSG:4326``, ``3405``/``EPSG:3405``, or ``vn2000``/``hanoi``/``105``
    (case, spaces and hyphens do not matter)."""
    folded = re.sub(r"[\s\-]", "", str(value)).lower()
    if folded in _ALIASES:
        return _ALIASES[folded]
    raise CoordError(None, t("coords.unsupported", value=value))


def crs_for(key: str) -> CRS:
    """The pyproj CRS behind a key of :data:`CRS_CHOICES` (or an alias)."""
    return CRS.from_epsg(_EPSG[crs_key(key)])


def _official(source: CRS) -> Transformer:
    """The transformer from a VN-2000 based ``source`` to EPSG:4326 (always_xy)
    that uses the official parameters; fails loudly if PROJ lacks it."""
    for candidate in TransformerGroup(source, "EPSG:4326", always_xy=True).transformers:
        if _OFFICIAL_MARK in candidate.definition:
            return candidate
    raise RuntimeError(f"PROJ has no 'VN-2000 to WGS 84 (2)' operation from {source.name!r}")


@lru_cache(maxsize=8)
def _key_transformer(key: str) -> Transformer:
    if key == "wgs84":
        return Transformer.from_crs("EPSG:4326", "EPSG:4326", always_xy=True)
    return _official(crs_for(key))


def transformer(key: str) -> Transformer:
    """A cached transformer from the system ``key`` to WGS84, always_xy: input
    (easting, northing) in metres, output (longitude, latitude) in degrees.
    For VN-2000 it carries the official parameters; for ``wgs84`` it is a no-op."""
    return _key_transformer(crs_key(key))


# ---------------------------------------------------------------------------
# Reading numbers


#: No-break and thin spaces become plain spaces, the minus sign a hyphen.
_SPACES = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\u2212": "-"}
)
_NUM = r"[0-9]+(?:[.,][0-9]+)?"
_DMS = re.compile(
    rf"(?P<d>{_NUM})\s*(?P<ds>[°º˚])?"
    rf"(?:\s*(?P<m>{_NUM})\s*(?P<ms>['′’‘´])?"
    rf"(?:\s*(?P<s>{_NUM})\s*(?P<ss>\"|″|”|“|''|′′|’’)?)?)?"
)
#: Hemisphere letters, English and Vietnamese (Bắc, Đông, Tây); N is north.
_HEMISPHERES = "NSEWBĐT"
_NEGATIVE = "SWT"


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.translate(_SPACES).strip():
        return True
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' missing markers


def _plain_number(text: str) -> float | None:
    """A decimal number with optional thousands separators, or None."""
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:].lstrip()
    if " " in text:
        if not re.fullmatch(r"[0-9]{1,3}(?: +[0-9]{3})+(?:[.,][0-9]+)?", text):
            return None
        text = text.replace(" ", "")
    if not re.fullmatch(r"[0-9.,]*[0-9][0-9.,]*", text):
        return None
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        whole, _, fraction = text.partition(decimal)
        grouped = rf"[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+"
        if not re.fullmatch(grouped, whole) or not re.fullmatch(r"[0-9]+", fraction):
            return None
        digits = whole.replace(thousands, "") + "." + fraction
    elif dots + commas == 1:
        digits = text.replace(",", ".")
    elif dots + commas > 1:
        separator = "." if dots else ","
        if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(separator)}[0-9]{{3}})+", text):
            return None
        digits = text.replace(separator, "")
    else:
        digits = text
    return float(sign + digits)


def _dms(text: str) -> float | None:
    """Degrees, minutes, seconds (``21°01'42.6"N``, ``21 01 42.6``) as decimal
    degrees, or None."""
    upper = text.upper()
    hemisphere = None
    if upper[:1] in _HEMISPHERES:
        hemisphere, upper = upper[0], upper[1:].strip()
    if upper[-1:] in _HEMISPHERES:
        if hemisphere is not None:
            return None
        hemisphere, upper = upper[-1], upper[:-1].strip()
    sign = 1.0
    if upper[:1] in "+-":
        sign, upper = (-1.0 if upper[0] == "-" else 1.0), upper[1:].strip()
    match = _DMS.fullmatch(upper)
    if match is None:
        return None
    d, m, s = match.group("d"), match.group("m"), match.group("s")
    marked = any(match.group(g) for g in ("ds", "ms", "ss")) or hemisphere is not None
    if m is None and not marked:
        return None
    if m is not None and not d.isdigit():
        return None
    if s is not None and not m.isdigit():
        return None
    minutes = float(m.replace(",", ".")) if m is not None else 0.0
    seconds = float(s.replace(",", ".")) if s is not None else 0.0
    if minutes >= 60 or seconds >= 60:
        return None
    degrees = float(d.replace(",", ".")) + minutes / 60 + seconds / 3600
    if degrees > 180:
        return None
    if hemisphere is not None and hemisphere in _NEGATIVE:
        sign = -1.0
    return sign * degrees


def parse_number(value, column: str) -> float:
    """A coordinate from a cell: a number, a text number with a decimal comma
    or point and thousands separators (``2.325.123,45``, ``2 325 123,45``,
    ``2,325,123.45``), or degrees-minutes-seconds (``21°01'42.6"N``).

    When both ``.`` and ``,`` appear the last one is the decimal mark; a single
    ``.`` or ``,`` is a decimal mark; several of the same, in groups of three,
    are thousands separators. S/W (and Vietnamese T, Tây) make DMS negative.
    An empty cell (None, blank text, NaN) is missing.
    """
    if _is_missing(value):
        raise CoordError(column, t("coords.missing_value", column=column))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            return number
    elif isinstance(value, str):
        text = re.sub(r" +", " ", value.translate(_SPACES).strip())
        number = _plain_number(text)
        if number is None:
            number = _dms(text)
        if number is not None and math.isfinite(number):
            return number
    shown = value.strip() if isinstance(value, str) else value
    raise CoordError(column, t("coords.not_number", value=shown, column=column))


# ---------------------------------------------------------------------------
# Converting points


def _near(lat, lon):
    lat_lo, lat_hi = HANOI_LAT
    lon_lo, lon_hi = HANOI_LON
    return (
        (lat >= lat_lo - HANOI_MARGIN)
        & (lat <= lat_hi + HANOI_MARGIN)
        & (lon >= lon_lo - HANOI_MARGIN)
        & (lon <= lon_hi + HANOI_MARGIN)
    )


def near_hanoi(lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies in Hà Nội's rough extent plus a 0.05° margin."""
    return bool(_near(np.float64(lat), np.float64(lon)))


def _show(value: float) -> str:
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


_NOTE_SWAPPED_DEGREES = t("coords.note.swapped_degrees")
_NOTE_SWAPPED_METRES = t("coords.note.swapped_metres")


def _problem(kind: str, a: float, b: float) -> str:
    pair = f"{_show(a)}, {_show(b)}"
    return {
        "missing": t("coords.problem.missing"),
        "metres": t("coords.problem.metres", pair=pair),
        "degrees": t("coords.problem.degrees", pair=pair),
        "range_degrees": t("coords.problem.range_degrees", pair=pair),
        "range_metres": t("coords.problem.range_metres", pair=pair),
    }[kind]


def to_wgs84_many(
    firsts: Sequence[float] | np.ndarray, seconds: Sequence[float] | np.ndarray, key: str
) -> tuple[np.ndarray, np.ndarray, list[str | None], list[str | None]]:
    """Convert many points at once (one transformer call).

    ``firsts``/``seconds`` are latitude/longitude for ``wgs84`` and X
    (northing)/Y (easting) for the VN-2000 keys, already numbers; NaN is a
    missing value. Returns (lat, lon, notes, errors): rows with an error get
    NaN coordinates and a Vietnamese message in ``errors``; rows fixed on the
    way (swapped values) get a note. Whether a point is in Hà Nội is not
    checked here.
    """
    key = crs_key(key)
    a = np.asarray(firsts, dtype=float).reshape(-1)
    b = np.asarray(seconds, dtype=float).reshape(-1)
    if a.shape != b.shape:
        raise ValueError(f"firsts and seconds differ in length: {a.size} != {b.size}")
    n = a.size
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    kinds = np.full(n, "", dtype=object)
    missing = np.isnan(a) | np.isnan(b)
    kinds[missing] = "missing"
    with np.errstate(invalid="ignore"):
        if key == "wgs84":
            wrong_unit = ~missing & (np.abs(a) > _METRES_FROM) & (np.abs(b) > _METRES_FROM)
            kinds[wrong_unit] = "metres"
            swapped = ~missing & ~wrong_unit & _near(b, a) & ~_near(a, b)
            la = np.where(swapped, b, a)
            lo = np.where(swapped, a, b)
            in_range = (np.abs(la) <= 90) & (np.abs(lo) <= 180)
            bad = ~missing & ~wrong_unit & ~in_range
            kinds[bad] = "range_degrees"
            ok = ~(missing | wrong_unit | bad)
            lat[ok], lon[ok] = la[ok], lo[ok]
        else:
            wrong_unit = ~missing & (np.abs(a) < _METRES_FROM) & (np.abs(b) < _METRES_FROM)
            kinds[wrong_unit] = "degrees"
            swapped = ~missing & ~wrong_unit & (a < _NORTHING_FROM) & (b >= _NORTHING_FROM)
            northing = np.where(swapped, b, a)
            easting = np.where(swapped, a, b)
            in_range = (
                (northing >= 0) & (northing <= _MAX_NORTHING) & (easting > 0) & (easting < _NORTHING_FROM)
            )
            bad = ~missing & ~wrong_unit & ~in_range
            ok = ~(missing | wrong_unit | bad)
            lon_ok, lat_ok = transformer(key).transform(easting[ok], northing[ok], errcheck=False)
            lon_ok, lat_ok = np.asarray(lon_ok, dtype=float), np.asarray(lat_ok, dtype=float)
            finite = np.isfinite(lon_ok) & np.isfinite(lat_ok)
            lat[ok], lon[ok] = np.where(finite, lat_ok, np.nan), np.where(finite, lon_ok, np.nan)
            bad[np.flatnonzero(ok)[~finite]] = True
            ok &= ~bad
            kinds[bad] = "range_metres"
    errors: list[str | None] = [None] * n
    for i in np.flatnonzero(~ok):
        errors[i] = _problem(kinds[i], a[i], b[i])
    note = _NOTE_SWAPPED_DEGREES if key == "wgs84" else _NOTE_SWAPPED_METRES
    notes: list[str | None] = [None] * n
    for i in np.flatnonzero(swapped & ok):
        notes[i] = note
    return lat, lon, notes, errors


def to_wgs84(first: float, second: float, key: str) -> tuple[float, float, str | None]:
    """One point to WGS84: (lat, lon, note).

    ``first, second`` are latitude, longitude for ``wgs84`` and X (northing),
    Y (easting) in metres for the VN-2000 keys, the surveyors' convention.
    Swapped values are put right with a note; degrees given as metres (or the
    reverse), missing and out-of-range values raise :class:`CoordError`.
    """
    lat, lon, notes, errors = to_wgs84_many([first], [second], key)
    if errors[0] is not None:
        raise CoordError(None, errors[0])
    return float(lat[0]), float(lon[0]), notes[0]


def from_wgs84(lat, lon, key: str):
    """WGS84 (lat, lon) to (X northing, Y easting) in the system ``key``;
    ``wgs84`` gives (lat, lon) back. Works on scalars and arrays.

    PROJ's two-dimensional VN-2000 operation keeps the ellipsoidal height at 0
    on the input side, so its inverse is not exactly the forward reversed
    (up to about 1 mm at Hà Nội). One correction step makes the result the
    exact inverse of :func:`to_wgs84` (to well under a micrometre).
    """
    key = crs_key(key)
    if key == "wgs84":
        return lat, lon
    step = transformer(key)
    easting, northing = step.transform(lon, lat, direction="INVERSE", errcheck=False)
    back_lon, back_lat = step.transform(easting, northing, errcheck=False)
    again_e, again_n = step.transform(back_lon, back_lat, direction="INVERSE", errcheck=False)
    easting = 2 * np.asarray(easting) - np.asarray(again_e)
    northing = 2 * np.asarray(northing) - np.asarray(again_n)
    if not (np.all(np.isfinite(easting)) and np.all(np.isfinite(northing))):
        raise CoordError(None, t("coords.out_of_range", lat=lat, lon=lon))
    if easting.ndim == 0:
        return float(northing), float(easting)
    return northing, easting


# ---------------------------------------------------------------------------
# Geometries from GIS files


def _folded(name: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (name or "").lower())


def _is_vn2000(crs: CRS) -> bool:
    """Whether ``crs`` is based on VN-2000: by its datum name, or (for a CRS
    given with +towgs84) by translations within 1 m of the official ones."""
    if crs.is_bound:
        operation = crs.coordinate_operation
        shifts = {p.name: p.value for p in operation.params} if operation is not None else {}
        official = (
            ("X-axis translation", OFFICIAL_HELMERT["x"]),
            ("Y-axis translation", OFFICIAL_HELMERT["y"]),
            ("Z-axis translation", OFFICIAL_HELMERT["z"]),
        )
        ellipsoid = crs.source_crs.ellipsoid
        on_wgs84_ellipsoid = ellipsoid is not None and abs(ellipsoid.semi_major_metre - 6378137.0) < 0.01
        if on_wgs84_ellipsoid and all(
            name in shifts and abs(shifts[name] - value) < 1.0 for name, value in official
        ):
            return True
        return _is_vn2000(crs.source_crs)
    geodetic = crs.geodetic_crs
    datum = crs.datum
    names = {_folded(datum.name if datum is not None else None), _folded(geodetic.name if geodetic else None)}
    return bool(names & {"vietnam2000", "dvietnam2000", "vn2000", "gcsvn2000", "dvn2000"})


def _rebased(crs: CRS) -> CRS:
    """A VN-2000 based CRS with its geodetic part replaced by EPSG:4756, so that
    PROJ offers the EPSG VN-2000 -> WGS84 operations for it."""
    horizontal = crs.source_crs if crs.is_bound else crs
    if horizontal.is_projected:
        return ProjectedCRS(
            conversion=horizontal.coordinate_operation,
            geodetic_crs=GeographicCRS.from_epsg(4756),
            cartesian_cs=horizontal.coordinate_system,
            name=horizontal.name,
        )
    return CRS.from_epsg(4756)


@lru_cache(maxsize=32)
def _crs_transformer(crs: CRS) -> Transformer | None:
    """The transformer from ``crs`` to EPSG:4326 (always_xy); None when
    ``crs`` already is WGS84 longitude/latitude."""
    if crs.equals("EPSG:4326", ignore_axis_order=True):
        return None
    if _is_vn2000(crs):
        return _official(_rebased(crs) if crs.is_bound else crs)
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


@lru_cache(maxsize=64)
def _text_transformer(text: str) -> Transformer | None:
    try:
        return _crs_transformer(crs_for(crs_key(text)))
    except CoordError:
        pass
    try:
        crs = CRS.from_user_input(text)
    except CRSError:
        raise CoordError(None, t("coords.unknown_crs", text=text)) from None
    return _crs_transformer(crs)


def geometry_to_wgs84(geom: shapely.Geometry, crs) -> shapely.Geometry:
    """``geom`` reprojected from ``crs`` (a key of :data:`CRS_CHOICES`, an EPSG
    code, or anything else pyproj understands) to EPSG:4326 with x = longitude,
    y = latitude.

    VN-2000 based systems (EPSG:4756, 3405, 3406, 5896–5899, 9205–9218, the
    Hà Nội key, ESRI ``D_Vietnam_2000`` files and proj strings whose +towgs84
    is the official shift) use the official parameters. Z values are dropped.
    Geometries already in WGS84 are returned as they are, after a range check.
    """
    step = _crs_transformer(crs) if isinstance(crs, CRS) else _text_transformer(str(crs))
    if step is None:
        xy = shapely.get_coordinates(geom)
        if xy.size and not (np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90)):
            raise CoordError(None, t("coords.geometry_not_degrees"))
        return geom

    def project(xy: np.ndarray) -> np.ndarray:
        lon, lat = step.transform(xy[:, 0], xy[:, 1], errcheck=False)
        out = np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])
        if not np.all(np.isfinite(out)):
            raise CoordError(None, t("coords.geometry_out_of_range"))
        return out

    return shapely.transform(geom, project)
