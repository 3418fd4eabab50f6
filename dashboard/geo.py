"""Boundary layers and point-in-polygon assignment.

Layers are the files built by ``geodata/build.py``: stored and shown in
EPSG:4326; anything measured (lengths, areas, buffers) is done in
:data:`METRIC_CRS`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.caches import boundary_cache, clear_boundary_caches
from dashboard.domain import DomainError, UnitLevel
from dashboard.i18n import t

GEODATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
DISPLAY_CRS = "EPSG:4326"
#: VN-2000 / UTM zone 48N: the one CRS for metres.
METRIC_CRS = "EPSG:3405"

_FILES = {UnitLevel.DISTRICT: "districts", UnitLevel.WARD: "wards"}


#: Simplified layers for drawing: "display" (30 m) for maps zoomed to a unit,
#: "city" (100 m) for the whole-city view. See geodata/SOURCES.md.
DETAILS = ("display", "city")


def override_dir() -> Path:
    """Where an imported official boundary layer replaces the bundled one."""
    configured = os.environ.get("HOTSPOT_GEODATA_DIR")
    return Path(configured) if configured else GEODATA_DIR.parent / "data" / "geodata"


def has_override() -> bool:
    return (override_dir() / "wards.geojson").is_file()


def _path(level: UnitLevel, display: bool | str) -> Path:
    suffix = "" if not display else "_display" if display is True else f"_{display}"
    name = f"{_FILES[UnitLevel(level)]}{suffix}.geojson"
    replaced = override_dir() / name
    return replaced if replaced.is_file() else GEODATA_DIR / name


def clear_caches() -> None:
    """Forget every layer read so far and all computed from them (after a
    boundary layer was replaced): see :mod:`dashboard.caches`."""
    clear_boundary_caches()


@boundary_cache(maxsize=4)
def _read(level: UnitLevel, display: bool) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(_path(level, display))
    return gdf.set_index("code", drop=False).sort_index()


def load_units(level: UnitLevel, display: bool = False) -> gpd.GeoDataFrame:
    """The 30 former districts or the 126 current wards, indexed by code.

    ``display=True`` gives the simplified layer meant for drawing; the full
    layer is for geometry work. The result is a copy the caller may change.
    """
    return _read(UnitLevel(level), display).copy()


@boundary_cache(maxsize=8)
def display_geojson(level: UnitLevel, detail: str = "display") -> dict:
    """A simplified layer (``detail`` in :data:`DETAILS`) as a GeoJSON dict.

    Parsed once and shared: callers must not mutate it.
    """
    if detail not in DETAILS:
        raise ValueError(f"unknown detail {detail!r}; expected one of {DETAILS}")
    return json.loads(_path(UnitLevel(level), detail).read_text(encoding="utf-8"))


@boundary_cache(maxsize=1)
def ward_districts() -> dict[str, str]:
    """Ward code -> the former district holding most of it (shared: do not mutate)."""
    return _read(UnitLevel.WARD, False)["district_code"].to_dict()


def unit_names(level: UnitLevel) -> dict[str, str]:
    """Code -> full name (for example ``"001" -> "Quận Ba Đình"``)."""
    return _read(UnitLevel(level), False)["name"].to_dict()


@boundary_cache(maxsize=2)
def _index(level: UnitLevel):
    gdf = _read(level, False)
    return shapely.STRtree(gdf.geometry.values), gdf.index.to_numpy()


def assign(lat, lon) -> pd.DataFrame:
    """Ward and former district holding each WGS84 point; None for a point
    outside Hà Nội (see :func:`locate` for a version that raises)."""
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    points = shapely.points(lon, lat)
    out = {}
    for level, column in ((UnitLevel.WARD, "ward_code"), (UnitLevel.DISTRICT, "district_code")):
        tree, codes = _index(level)
        pts, units = tree.query(points, predicate="intersects")
        # On a shared edge a point touches two units; the lower code wins.
        hits = pd.Series(codes[units], index=pts, dtype=object).groupby(level=0).min()
        out[column] = hits.reindex(range(len(points))).to_numpy(dtype=object)
    frame = pd.DataFrame(out)
    # The two layers come from different surveys and disagree by a few metres
    # along the city's outer edge: a point in one layer only takes the other
    # level's unit from it (the ward's main former district, or the nearest ward).
    no_district = frame["district_code"].isna() & frame["ward_code"].notna()
    frame.loc[no_district, "district_code"] = frame.loc[no_district, "ward_code"].map(ward_districts())
    no_ward = frame["ward_code"].isna() & frame["district_code"].notna()
    if no_ward.any():
        tree, codes = _index(UnitLevel.WARD)
        nearest = tree.query_nearest(points[no_ward.to_numpy()], return_distance=False, all_matches=False)[1]
        frame.loc[no_ward, "ward_code"] = codes[nearest]
    missing = frame["ward_code"].isna() | frame["district_code"].isna()
    for column in frame.columns:
        values = np.where(missing, None, frame[column].to_numpy(dtype=object))
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def locate(lat, lon) -> pd.DataFrame:
    """Ward and former district holding each point.

    Parameters
    ----------
    lat, lon : float or array-like
        WGS84 coordinates.

    Returns
    -------
    DataFrame with columns ``ward_code`` and ``district_code``, one row per point.

    Raises
    ------
    DomainError
        For the first point that lies outside Hà Nội.
    """
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    frame = assign(lat, lon)
    missing = frame["ward_code"].isna()
    if missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        raise DomainError(t("err.outside_city", lat=f"{lat[i]:.6f}", lon=f"{lon[i]:.6f}"))
    return frame


def unit_bounds(level: UnitLevel, code: str) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of one unit, for fitting a map to it."""
    gdf = _read(UnitLevel(level), True)
    if code not in gdf.index:
        raise DomainError(t("err.unknown_unit", code=code))
    minx, miny, maxx, maxy = gdf.loc[code].geometry.bounds
    return [[miny, minx], [maxy, maxx]]


def city_bounds() -> list[list[float]]:
    minx, miny, maxx, maxy = _read(UnitLevel.DISTRICT, True).total_bounds
    return [[miny, minx], [maxy, maxx]]


def _bounds_of(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = frame.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def scope_bounds(scope) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a :class:`dashboard.scope.Scope`: the union of
    the bounds of its wards and former districts, the whole city (:func:`city_bounds`) for a
    city scope, or for one naming no unit of the layers in use (a unit code of a replaced layer)."""
    if scope.is_city:
        return city_bounds()
    parts = []
    for level, codes in ((UnitLevel.WARD, scope.ward_codes), (UnitLevel.DISTRICT, scope.district_codes)):
        gdf = _read(level, True)
        chosen = gdf[gdf.index.isin(sorted(codes or ()))]
        if not chosen.empty:
            parts.append(_bounds_of(chosen))
    if not parts:
        return city_bounds()
    return [
        [min(p[0][0] for p in parts), min(p[0][1] for p in parts)],
        [max(p[1][0] for p in parts), max(p[1][1] for p in parts)],
    ]


def _run_through(geometry, point, horizontal: bool):
    """The straight run across ``geometry`` through ``point`` (a line inside it), along the
    parallel (``horizontal``) or the meridian: the room a label there has; None if there is none."""
    minx, miny, maxx, maxy = geometry.bounds
    if horizontal:
        line = shapely.LineString([(minx - 1, point.y), (maxx + 1, point.y)])
    else:
        line = shapely.LineString([(point.x, miny - 1), (point.x, maxy + 1)])
    cut = geometry.intersection(line)
    pieces = getattr(cut, "geoms", [cut])
    holding = [p for p in pieces if p.length > 0 and p.distance(point) < 1e-9]
    return max(holding, key=lambda p: p.length) if holding else None


@boundary_cache(maxsize=1)
def ward_label_points() -> pd.DataFrame:
    """Where each ward's name goes on a map, indexed by ward code.

    ``lon, lat``: the middle of the east-west run across the ward through its representative
    point (``representative_point()``, always inside it), so a label centred there has the same
    room on both sides; ``run_x``, ``run_y``: the degrees of longitude and latitude of the
    straight runs across the ward there (what decides the zoom a name fits from). Shared: do
    not mutate."""
    gdf = _read(UnitLevel.WARD, False)
    rows = {}
    for code, geometry in zip(gdf.index, gdf.geometry, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        point = geometry.representative_point()
        across = _run_through(geometry, point, horizontal=True)
        if across is not None:
            (x0, _), (x1, _) = across.coords[0], across.coords[-1]
            point = shapely.Point((x0 + x1) / 2, point.y)
        down = _run_through(geometry, point, horizontal=False)
        rows[code] = {
            "lon": point.x,
            "lat": point.y,
            "run_x": across.length if across is not None else 0.0,
            "run_y": down.length if down is not None else 0.0,
        }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["lon", "lat", "run_x", "run_y"])
