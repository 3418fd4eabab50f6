"""The public version of exports: displaced points, codes for names, small counts hidden.

Reports and slides shown outside the police and the Department use these
functions instead of the internal frames. The method, its numbers and what it
does and does not protect against are in ``docs/public.md``.

- :func:`displace` moves every hotspot 300–500 m in a direction drawn from a
  generator seeded per hotspot (a keyed hash of its code), inside its own ward,
  and blanks the fields that name the place.
- :func:`suppress` / :func:`suppress_table` hide counts of 1 and 2, and hide
  more cells of a table where a row or column total would give them away.
- :func:`aggregate_to_wards` is the public table of hotspots by ward and status.

Pure: no Streamlit, no database.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Proj, Transformer

from dashboard.config import PROJECT_ROOT
from dashboard.domain import DomainError, Status, UnitLevel
from dashboard.geo import DISPLAY_CRS, METRIC_CRS, load_units
from dashboard.i18n import fmt_number, t

#: Range of the displacement, in metres on the ground (WGS84 ellipsoid).
MIN_OFFSET_M = 300.0
MAX_OFFSET_M = 500.0
#: Random draws tried before the fallbacks of :func:`displace`.
MAX_TRIES = 64
#: A displaced point keeps this far inside its ward's boundary, so that it also
#: lies inside the ward as drawn on maps (boundaries simplified with 30 m).
WARD_MARGIN_M = 30.0
#: Counts from 1 to ``SMALL_COUNT - 1`` are hidden.
SMALL_COUNT = 3
#: The value of a cell hidden by :func:`suppress_table` so that a total does
#: not give away a small count (it is not itself small: it is shown as "x").
HIDDEN = "x"
#: Columns :func:`displace` adds for tests and checks; public writers never print them.
INTERNAL_COLUMNS = ("displaced_m", "displaced_how")

#: Domain-separation prefix of the per-hotspot seed; a new version of the method
#: changes it (and with it every offset: see docs/public.md before doing that).
SEED_PREFIX = "hotspot-public-v1:"
KEY_ENV = "HOTSPOT_PUBLIC_KEY"
KEY_FILE_ENV = "HOTSPOT_PUBLIC_KEY_FILE"
DEFAULT_KEY_FILE = PROJECT_ROOT / "data" / "public.key"

_GEOD = Geod(ellps="WGS84")


# --------------------------------------------------------------------------
# The secret key of the seeds


def key_path() -> Path:
    """Where the key is kept: ``HOTSPOT_PUBLIC_KEY_FILE`` or ``data/public.key``."""
    configured = os.environ.get(KEY_FILE_ENV)
    return Path(configured) if configured else DEFAULT_KEY_FILE


def public_key() -> bytes:
    """The secret key of the per-hotspot seeds.

    ``HOTSPOT_PUBLIC_KEY`` if set; else the key file (:func:`key_path`), which
    is created with a fresh random key the first time. The key must stay the
    same for as long as public documents are made, and be the same on every
    machine that makes them: back the file up with the database.
    """
    value = os.environ.get(KEY_ENV)
    if value is not None:
        if not value.strip():
            raise DomainError(t("public.err.key", source=KEY_ENV))
        return value.strip().encode("utf-8")
    path = key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise DomainError(t("public.err.key", source=str(path)))
    return value.encode("utf-8")


def hotspot_rng(code: str, key: bytes | str | None = None) -> np.random.Generator:
    """The generator of one hotspot's offsets: seeded by HMAC-SHA256 of its code.

    The same code and key give the same generator in every process (Python's
    ``hash()`` would not); without the key the seed cannot be recomputed.
    """
    key = public_key() if key is None else key
    key = key.encode("utf-8") if isinstance(key, str) else key
    message = (SEED_PREFIX + unicodedata.normalize("NFC", str(code).strip())).encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))


# --------------------------------------------------------------------------
# Displacement


@lru_cache(maxsize=1)
def _transformers() -> tuple[Transformer, Transformer]:
    return (
        Transformer.from_crs(DISPLAY_CRS, METRIC_CRS, always_xy=True),
        Transformer.from_crs(METRIC_CRS, DISPLAY_CRS, always_xy=True),
    )


@lru_cache(maxsize=1)
def _proj() -> Proj:
    return Proj(METRIC_CRS)


def _ground_m(lon: float, lat: float, lon2, lat2) -> np.ndarray:
    """Geodesic distance on the WGS84 ellipsoid from one point to others."""
    lon2, lat2 = np.atleast_1d(lon2), np.atleast_1d(lat2)
    return np.asarray(_GEOD.inv(np.full_like(lon2, lon), np.full_like(lat2, lat), lon2, lat2)[2])


def _disc(x: float, y: float, radius: float) -> shapely.Polygon:
    """A polygon holding the whole circle of ``radius`` (its edges touch it from outside)."""
    quad_segs = 32
    return shapely.Point(x, y).buffer(radius / math.cos(math.pi / (4 * quad_segs)) + 0.01, quad_segs)


def _place(lon: float, lat: float, ward_m, rng: np.random.Generator) -> tuple[float, float, str]:
    """One displaced point (lon, lat) and the rule that placed it; see :func:`displace`."""
    to_metric, to_display = _transformers()
    x, y = to_metric.transform(lon, lat)
    # Grid metres per ground metre here (UTM's scale factor, about 0.9997 in Hà Nội).
    scale = float(_proj().get_factors(lon, lat).meridional_scale)
    inner = ward_m.buffer(-WARD_MARGIN_M)
    area = inner if not inner.is_empty else ward_m

    def ok(px, py) -> np.ndarray:
        qlon, qlat = to_display.transform(px, py)
        dist = _ground_m(lon, lat, qlon, qlat)
        return (dist >= MIN_OFFSET_M) & (dist <= MAX_OFFSET_M)

    # 1. Random draws: distance uniform in [300, 500] m, bearing uniform.
    first = None
    for _ in range(MAX_TRIES):
        dist = rng.uniform(MIN_OFFSET_M, MAX_OFFSET_M)
        bearing = rng.uniform(0.0, 2.0 * math.pi)
        px, py = x + dist * scale * math.sin(bearing), y + dist * scale * math.cos(bearing)
        if not ok(px, py)[0]:  # a few millimetres of projection error at 300 or 500 m
            continue
        first = first or (px, py)
        if area.contains(shapely.Point(px, py)):
            return (*to_display.transform(px, py), "draw")
    # 2. Points drawn uniformly from the part of the ward lying 300–500 m away.
    ring = area.intersection(_disc(x, y, MAX_OFFSET_M * scale)).difference(_disc(x, y, MIN_OFFSET_M * scale))
    if not ring.is_empty:
        minx, miny, maxx, maxy = ring.bounds
        px, py = rng.uniform(minx, maxx, 1000), rng.uniform(miny, maxy, 1000)
        good = shapely.contains_xy(ring, px, py) & ok(px, py)
        if good.any():
            i = int(np.flatnonzero(good)[0])
            return (*to_display.transform(px[i], py[i]), "ring")
        point = ring.representative_point()
        if ok(point.x, point.y)[0]:
            return (*to_display.transform(point.x, point.y), "ring")
    # 3. The representative point of the part of the ward more than 300 m away
    #    (inside the ward and at least 300 m away, but possibly more than 500 m).
    for shape in (area, ward_m):
        far = shape.difference(_disc(x, y, MIN_OFFSET_M * scale))
        if not far.is_empty:
            point = far.representative_point()
            qlon, qlat = to_display.transform(point.x, point.y)
            if _ground_m(lon, lat, qlon, qlat)[0] >= MIN_OFFSET_M:
                return qlon, qlat, "far"
    # 4. The whole ward lies within 300 m of the real point: the distance wins,
    #    the point is the first draw, outside the ward.
    while first is None:
        dist, bearing = rng.uniform(MIN_OFFSET_M + 0.01, MAX_OFFSET_M - 0.01), rng.uniform(0.0, 2.0 * math.pi)
        px, py = x + dist * scale * math.sin(bearing), y + dist * scale * math.cos(bearing)
        first = (px, py) if ok(px, py)[0] else None
    return (*to_display.transform(*first), "outside")


def displace(
    hotspots: pd.DataFrame, *, key: bytes | str | None = None, wards: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """A public copy of ``hotspots``: points displaced, identifying fields blanked.

    Each point moves a distance uniform in 300–500 m (on the ground) in a
    uniform direction, drawn from :func:`hotspot_rng` of its code, so a hotspot
    always gets the same offset. The displaced point must lie inside the
    hotspot's own ward, at least :data:`WARD_MARGIN_M` from its boundary; up
    to :data:`MAX_TRIES` draws are tried, then, in order:

    ``ring``
        a point drawn uniformly from the part of the ward 300–500 m away;
    ``far``
        the representative point of the part of the ward more than 300 m away
        (more than 500 m away is possible here);
    ``outside``
        when the whole ward lies within 300 m (a ward under 0.29 km²; none of
        the bundled layer's, the smallest of which is 1.67 km²): the first
        draw, 300–500 m away but outside the ward.

    So every displaced point is at least 300 m from the real one, and at most
    500 m except under ``far``.

    Parameters
    ----------
    hotspots : DataFrame
        Columns ``code``, ``lat``, ``lon``, ``ward_code``; ``name``, ``notes``,
        ``responsible_unit`` and ``area_geojson`` are handled when present.
    key : bytes or str, optional
        Secret key of the seeds; default :func:`public_key`.
    wards : GeoDataFrame, optional
        Ward polygons indexed by code in EPSG:4326; default the full-resolution
        ward layer.

    Returns
    -------
    DataFrame
        The copy, with ``name`` replaced by the code, ``notes`` and
        ``responsible_unit`` emptied, ``area_geojson`` dropped, and the
        :data:`INTERNAL_COLUMNS` ``displaced_m`` (ground distance moved) and
        ``displaced_how`` (``draw``, ``ring``, ``far`` or ``outside``).
    """
    _require(hotspots, ["code", "lat", "lon", "ward_code"])
    if hotspots["code"].isna().any() or (hotspots["code"].astype(str).str.strip() == "").any():
        raise DomainError(t("public.err.no_code"))
    key = public_key() if key is None else key
    wards = load_units(UnitLevel.WARD) if wards is None else wards
    wards_m = wards.to_crs(METRIC_CRS).geometry
    out = public_names(hotspots.drop(columns=["area_geojson"], errors="ignore"))
    for column in ("notes", "responsible_unit"):
        if column in out.columns:
            out[column] = ""
    lats, lons, moved, how = [], [], [], []
    for code, lat, lon, ward in zip(out["code"], out["lat"], out["lon"], out["ward_code"], strict=True):
        if ward not in wards_m.index:
            raise DomainError(t("public.err.unknown_ward", code=code, ward=ward))
        qlon, qlat, rule = _place(float(lon), float(lat), wards_m.loc[ward], hotspot_rng(code, key))
        lats.append(qlat)
        lons.append(qlon)
        moved.append(float(_ground_m(float(lon), float(lat), qlon, qlat)[0]))
        how.append(rule)
    out["lat"] = np.asarray(lats, dtype=float)
    out["lon"] = np.asarray(lons, dtype=float)
    out["displaced_m"] = np.asarray(moved, dtype=float)
    out["displaced_how"] = pd.Series(how, index=out.index, dtype=object)
    return out


def public_names(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with each hotspot's ``name`` replaced by its ``code``."""
    out = frame.copy()
    if "name" in out.columns:
        _require(out, ["code"])
        out["name"] = out["code"].copy()
    return out


# --------------------------------------------------------------------------
# Small counts


def suppress(value: int, threshold: int = SMALL_COUNT) -> int | None:
    """``None`` for a count from 1 to ``threshold - 1``; any other count unchanged."""
    if value is None or value is pd.NA:
        return None
    value = int(value)
    if value < 0:
        raise DomainError(t("public.err.negative", value=value))
    return None if 0 < value < threshold else value


def suppressed_text(value) -> str:
    """How a public table prints a cell of :func:`suppress` / :func:`suppress_table`.

    ``None`` (a small count) is "<3", :data:`HIDDEN` is "x", a count is
    printed with Vietnamese separators.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return t("public.small")
    if isinstance(value, str) and value == HIDDEN:
        return t("public.hidden")
    return fmt_number(int(value))


def suppress_table(frame: pd.DataFrame, columns, threshold: int = SMALL_COUNT) -> pd.DataFrame:
    """A copy with small counts hidden, and enough other cells that no total gives them away.

    Primary suppression: a cell from 1 to ``threshold - 1`` becomes ``None``
    (printed "<3"). Secondary suppression: while some row or some column (of
    the given ``columns``) has exactly one hidden cell, the smallest non-zero
    visible cell of that row or column is hidden too and becomes
    :data:`HIDDEN` (printed "x": it is not a small count). Ties go to the first
    cell. A row or column whose other cells are all 0 keeps its single hidden
    cell: there its total equals the hidden count, so the writer must not
    print that total (see docs/public.md).

    The given columns come back as ``object`` columns holding ints, ``None``
    and :data:`HIDDEN`; print them with :func:`suppressed_text`.
    """
    columns = list(columns)
    _require(frame, columns)
    values = np.array([[int(v) for v in frame[c]] for c in columns], dtype=np.int64)
    values = values.reshape(len(columns), len(frame)).T
    if (values < 0).any():
        raise DomainError(t("public.err.negative", value=int(values.min())))
    small = (values > 0) & (values < threshold)
    hidden = small.copy()
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):  # rows, then columns
            lines = hidden if axis == 1 else hidden.T
            vals = values if axis == 1 else values.T
            for i in np.flatnonzero(lines.sum(axis=1) == 1):
                candidates = np.flatnonzero(~lines[i] & (vals[i] > 0))
                if candidates.size:
                    j = candidates[np.argmin(vals[i][candidates])]  # the first of equals
                    lines[i, j] = True  # a view of ``hidden``
                    changed = True
    out = frame.copy()
    for j, column in enumerate(columns):
        cells = [None if small[i, j] else HIDDEN if hidden[i, j] else int(values[i, j])
                 for i in range(len(frame))]  # fmt: skip
        out[column] = pd.Series(cells, index=frame.index, dtype=object)
    return out


def aggregate_to_wards(hotspots: pd.DataFrame, threshold: int = SMALL_COUNT) -> pd.DataFrame:
    """The public table of hotspots by ward: one row per ward, one column per status.

    Columns ``ward_code`` and every :class:`~dashboard.domain.Status` value, in
    the enum's order, with :func:`suppress_table` applied; wards sorted by code.
    There is deliberately no total column (see :func:`suppress_table`).
    """
    _require(hotspots, ["ward_code", "status"])
    statuses = [s.value for s in Status]
    unknown = sorted(set(hotspots["status"].astype(str)) - set(statuses))
    if unknown:
        raise DomainError(t("public.err.unknown_status", status=unknown[0]))
    counts = (
        pd.crosstab(hotspots["ward_code"].astype(str), hotspots["status"].astype(str))
        .reindex(columns=statuses, fill_value=0)
        .sort_index()
    )
    counts.columns = statuses
    table = counts.rename_axis(index="ward_code", columns=None).reset_index()
    return suppress_table(table, statuses, threshold)


def _require(frame: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DomainError(t("public.err.columns", columns=", ".join(missing)))
