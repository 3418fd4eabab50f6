"""Border areas between adjacent jurisdictions (địa bàn giáp ranh).

Adjacency, border zones, hotspots in the zones, each side's activity there and
coordination gaps. Everything is measured in EPSG:3405 (VN-2000 / UTM 48N) on
the 30 m display boundaries, whose shared lengths are within about 1 % of the
full-resolution ones (``bench/bench_border.py`` prints the comparison).

Robustness: two units count as neighbours when their boundaries come within
:data:`SNAP_M` metres of each other, so imported boundaries with small gaps
or overlaps (digitising noise of a few metres) still give the right pairs.
The shared boundary of A and B is the part of A's boundary within
:data:`SNAP_M` of B, taken from both sides; the shorter side counts (a strip
of one unit thinner than the tolerance would otherwise count both of its
edges). A pair whose shared boundary is no longer than :data:`POINT_CONTACT_M`
touches only at a point (a corner) and is listed separately.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.caches import boundary_cache
from dashboard.domain import OPEN_STATUSES, REFORM_DATE, Status, UnitLevel, level_at
from dashboard.geo import DISPLAY_CRS, METRIC_CRS, load_units, ward_districts

#: Boundaries closer than this (metres) are treated as touching.
SNAP_M = 5.0
#: Shared boundaries up to this length (metres) are a contact at a point.
POINT_CONTACT_M = 3 * SNAP_M
#: Default width of a border zone on each side of a shared boundary (metres).
DEFAULT_ZONE_M = 300.0
#: Default look-back for coordination gaps (days).
DEFAULT_GAP_DAYS = 90
#: Statuses of a border hotspot that need both sides' attention: the open ones.
ATTENTION_STATUSES = OPEN_STATUSES


__all__ = ["REFORM_DATE", "level_at"]  # re-exported: older callers import them from here


@dataclass(frozen=True)
class Adjacency:
    """Neighbouring units of one layer.

    ``pairs``: one row per pair sharing a boundary line, ``code_a < code_b``,
    with ``name_a``, ``name_b``, ``length_m`` and the shared line as geometry
    (EPSG:3405). ``point_contacts``: pairs that touch only at a point.
    """

    level: UnitLevel
    pairs: gpd.GeoDataFrame
    point_contacts: pd.DataFrame
    #: The units the pairs were computed from (EPSG:3405), indexed by code.
    units: gpd.GeoSeries | None = None

    def neighbours(self, code: str) -> list[str]:
        p = self.pairs
        return sorted(set(p.loc[p["code_a"] == code, "code_b"]) | set(p.loc[p["code_b"] == code, "code_a"]))


def adjacency_of(units: gpd.GeoDataFrame, level: UnitLevel, snap_m: float = SNAP_M) -> Adjacency:
    """Pairs of ``units`` (columns ``code``, ``name``, any CRS) that touch.

    Raises ValueError for a layer without a CRS.
    """
    if units.crs is None:
        raise ValueError("boundary layer has no coordinate reference system")
    metric = units.to_crs(METRIC_CRS).reset_index(drop=True)
    geoms = metric.geometry.values
    codes = metric["code"].astype(str).to_numpy()
    names = metric["name"].astype(str).to_numpy()
    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=snap_m)
    keep = codes[a] < codes[b]
    a, b = a[keep], b[keep]
    edges = shapely.boundary(geoms)
    near = shapely.buffer(geoms, snap_m, quad_segs=2)
    line_ab = shapely.line_merge(shapely.intersection(edges[a], near[b]))
    line_ba = shapely.line_merge(shapely.intersection(edges[b], near[a]))
    # The shorter side: a strip of one unit thinner than the tolerance would
    # otherwise count both of its edges as shared.
    len_ab, len_ba = shapely.length(line_ab), shapely.length(line_ba)
    length = np.minimum(len_ab, len_ba)
    line = np.where(len_ab <= len_ba, line_ab, line_ba)
    table = pd.DataFrame(
        {"code_a": codes[a], "code_b": codes[b], "name_a": names[a], "name_b": names[b], "length_m": length}
    )
    is_line = length > POINT_CONTACT_M
    pairs = gpd.GeoDataFrame(table[is_line], geometry=line[is_line], crs=METRIC_CRS)
    pairs = pairs.sort_values(["code_a", "code_b"]).reset_index(drop=True)
    points = table[~is_line].drop(columns="length_m").sort_values(["code_a", "code_b"]).reset_index(drop=True)
    return Adjacency(UnitLevel(level), pairs, points, gpd.GeoSeries(geoms, index=codes, crs=METRIC_CRS))


@boundary_cache(maxsize=2)
def _adjacency(level: UnitLevel) -> Adjacency:
    return adjacency_of(load_units(level, display=True), level)


def adjacency(level: UnitLevel) -> Adjacency:
    """Adjacency of the bundled layer (computed once per process)."""
    return _adjacency(UnitLevel(level))


@boundary_cache(maxsize=16)
def _zones(level: UnitLevel, width_m: float) -> gpd.GeoDataFrame:
    return zones(adjacency(level), width_m)


def zones(adj: Adjacency, width_m: float = DEFAULT_ZONE_M) -> gpd.GeoDataFrame:
    """Border zone of each pair: the band within ``width_m`` of the shared
    boundary, clipped to the two units (EPSG:3405)."""
    if width_m <= 0:
        raise ValueError(f"zone width must be positive, got {width_m}")
    units = adj.units
    if units is None:
        raise ValueError("zones need the units the adjacency was computed from")
    both = shapely.union(units.loc[adj.pairs["code_a"]].values, units.loc[adj.pairs["code_b"]].values)
    band = shapely.buffer(adj.pairs.geometry.values, width_m, quad_segs=4)
    out = adj.pairs.drop(columns="geometry").copy()
    return gpd.GeoDataFrame(out, geometry=shapely.intersection(band, both), crs=METRIC_CRS)


def unit_column(level: UnitLevel) -> str:
    return "ward_code" if UnitLevel(level) == UnitLevel.WARD else "district_code"


def zone_hotspots(adj: Adjacency, hotspots: pd.DataFrame, width_m: float = DEFAULT_ZONE_M) -> pd.DataFrame:
    """Hotspots within ``width_m`` of a shared boundary of the unit they lie in.

    One row per (hotspot, pair): ``id``, ``code``, ``code_a``, ``code_b``,
    ``side`` (the unit the hotspot lies in), ``neighbour`` and
    ``distance_m`` (to the shared boundary). A hotspot near a point where three
    units meet belongs to several pairs.
    """
    columns = ["id", "code", "code_a", "code_b", "side", "neighbour", "distance_m"]
    if hotspots.empty or adj.pairs.empty:
        return pd.DataFrame(columns=columns)
    column = unit_column(adj.level)
    pts = gpd.GeoSeries(
        shapely.points(hotspots["lon"].to_numpy(), hotspots["lat"].to_numpy()), crs=DISPLAY_CRS
    ).to_crs(METRIC_CRS)
    lines = adj.pairs.geometry.values
    p_idx, l_idx = shapely.STRtree(lines).query(pts.values, predicate="dwithin", distance=width_m)
    hs = hotspots.reset_index(drop=True)
    rows = pd.DataFrame(
        {
            "id": hs["id"].to_numpy()[p_idx],
            "code": hs["code"].to_numpy()[p_idx],
            "unit": hs[column].to_numpy()[p_idx],
            "code_a": adj.pairs["code_a"].to_numpy()[l_idx],
            "code_b": adj.pairs["code_b"].to_numpy()[l_idx],
            "distance_m": shapely.distance(pts.values[p_idx], lines[l_idx]),
        }
    )
    # A hotspot belongs to a pair's zone only on the pair's own two units.
    rows = rows[(rows["unit"] == rows["code_a"]) | (rows["unit"] == rows["code_b"])].copy()
    rows["side"] = rows["unit"]
    rows["neighbour"] = np.where(rows["unit"] == rows["code_a"], rows["code_b"], rows["code_a"])
    rows["distance_m"] = rows["distance_m"].round(1)
    return rows[columns].sort_values(["code_a", "code_b", "code"]).reset_index(drop=True)


def _sides(level: UnitLevel, codes: pd.Series, code_a, code_b) -> np.ndarray:
    """:func:`activity_side` for many pairs at once: ``codes[i]`` (performing
    units, no missing values) against pair ``(code_a[i], code_b[i])``; the
    pair codes may also be scalars. An object array of ``"a"``, ``"b"`` and None.
    """
    ward_district = ward_districts()
    # Every decision depends on the code alone: work on the distinct codes.
    inverse, uniques = pd.factorize(np.asarray(codes, dtype=object))
    uniques = np.asarray(uniques, dtype=object)
    if UnitLevel(level) == UnitLevel.DISTRICT:
        as_unit = np.array([ward_district.get(c, c) if len(c) == 5 else c for c in uniques], dtype=object)
        as_unit = as_unit[inverse]
        return np.where(as_unit == code_a, "a", np.where(as_unit == code_b, "b", None)).astype(object)
    codes = uniques[inverse]
    lengths = np.array([len(c) for c in uniques], dtype=np.int64)[inverse]
    side = np.where(codes == code_a, "a", np.where(codes == code_b, "b", None)).astype(object)
    da = _districts_of(code_a, ward_district)
    db = _districts_of(code_b, ward_district)
    district_rows = (lengths == 3) & (da != db)
    return np.where(
        district_rows & (codes == da), "a", np.where(district_rows & (codes == db), "b", side)
    ).astype(object)


def _districts_of(codes, ward_district: dict[str, str]):
    """The former district of each ward code (None when unknown); a scalar for a scalar."""
    if np.ndim(codes) == 0:
        return ward_district.get(codes)
    return np.array([ward_district.get(c) for c in np.asarray(codes, dtype=object)], dtype=object)


def _unit_codes(unit_code: pd.Series) -> pd.Series:
    return unit_code.astype("string").fillna("")  # no unit recorded: undecided


def activity_side(acts: pd.DataFrame, level: UnitLevel, code_a: str, code_b: str) -> pd.Series:
    """Which side of pair (a, b) did each activity: ``"a"``, ``"b"`` or ``None``.

    The performing unit (``unit_code``) is a district code before 01/07/2025
    and a ward code after. At district level a ward is read as its former
    district; at ward level a district is read as the side whose ward lies
    mostly in it (undecided when both do).
    """
    side = _sides(level, _unit_codes(acts["unit_code"]), code_a, code_b)
    return pd.Series(side, index=acts.index, dtype=object)


def _acts_by_unit(acts: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """Activities on the hotspots ``ids`` counted per hotspot and performing
    unit: ``hotspot_id`` (the id as in ``ids``), ``unit_code`` and ``n``."""
    on = acts["hotspot_id"].isin(ids).to_numpy()
    hotspot_id = acts["hotspot_id"].to_numpy()[on]
    unit_code = _unit_codes(acts["unit_code"][on]).to_numpy()
    counts = (
        pd.DataFrame({"hotspot_id": hotspot_id, "unit_code": unit_code})
        .groupby(["hotspot_id", "unit_code"], sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    # Matched ids compare equal to ``ids`` (a float 3.0 to an int 3): use their dtype.
    counts["hotspot_id"] = counts["hotspot_id"].astype(np.asarray(ids).dtype)
    return counts


def _side_counts(
    level: UnitLevel, targets: pd.DataFrame, acts: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row of ``targets`` (``id``, ``code_a``, ``code_b``): how many of
    ``acts`` on hotspot ``id`` side a did, side b did and neither did."""
    n = len(targets)
    if n == 0 or acts.empty:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    keyed = pd.DataFrame(
        {
            "row": np.arange(n),
            "id": targets["id"].to_numpy(),
            "code_a": targets["code_a"].to_numpy(dtype=object),
            "code_b": targets["code_b"].to_numpy(dtype=object),
        }
    )
    per = _acts_by_unit(acts, keyed["id"])
    m = keyed.merge(per, left_on="id", right_on="hotspot_id", how="inner")
    side = _sides(level, m["unit_code"], m["code_a"].to_numpy(), m["code_b"].to_numpy())
    row, count = m["row"].to_numpy(), m["n"].to_numpy(dtype=np.int64)
    out = []
    for mask in (side == "a", side == "b", pd.isna(side)):
        total = np.zeros(n, dtype=np.int64)
        np.add.at(total, row[mask], count[mask])
        out.append(total)
    return out[0], out[1], out[2]


def joint_table(
    adj: Adjacency,
    in_zone: pd.DataFrame,
    view: pd.DataFrame,
    acts: pd.DataFrame,
) -> pd.DataFrame:
    """Per pair with hotspots in its zone: hotspots by status and each side's
    activities on those hotspots within ``acts`` (already limited to the period).

    ``view`` gives each hotspot's status (from :func:`queries.hotspot_view`).
    Columns: ``code_a, code_b, name_a, name_b, length_m, hotspots``, one column
    per status, ``acts_a, acts_b, acts_other``.
    """
    statuses = [s.value for s in Status]
    base = adj.pairs.drop(columns="geometry")
    if in_zone.empty:
        empty = base.head(0).assign(
            hotspots=0, **dict.fromkeys(statuses, 0), acts_a=0, acts_b=0, acts_other=0
        )
        return empty.reset_index(drop=True)
    with_status = in_zone.merge(view[["id", "status"]], on="id", how="inner")
    counts = pd.crosstab([with_status["code_a"], with_status["code_b"]], with_status["status"])
    counts = counts.reindex(columns=statuses, fill_value=0)
    counts["hotspots"] = counts.sum(axis=1)
    # Each pair counts an activity once, however often its hotspot is listed.
    targets = with_status[["code_a", "code_b", "id"]].dropna(subset=["code_a", "code_b"]).drop_duplicates()
    acts_a, acts_b, acts_other = _side_counts(adj.level, targets, acts)
    per_pair = pd.DataFrame(
        {"code_a": targets["code_a"].to_numpy(), "code_b": targets["code_b"].to_numpy(),
         "acts_a": acts_a, "acts_b": acts_b, "acts_other": acts_other}
    )  # fmt: skip
    sides = per_pair.groupby(["code_a", "code_b"], sort=True).sum().reset_index()
    table = base.merge(counts.reset_index(), on=["code_a", "code_b"]).merge(sides, on=["code_a", "code_b"])
    order = ["code_a", "code_b", "name_a", "name_b", "length_m", "hotspots", *statuses]
    return table[[*order, "acts_a", "acts_b", "acts_other"]].sort_values("hotspots", ascending=False)


def coordination_gaps(
    adj: Adjacency,
    in_zone: pd.DataFrame,
    view: pd.DataFrame,
    all_acts: pd.DataFrame,
    as_of: dt.date,
    days: int = DEFAULT_GAP_DAYS,
    attention: frozenset[str] = ATTENTION_STATUSES,
    at_risk: frozenset[int] = frozenset(),
) -> pd.DataFrame:
    """Border hotspots needing attention where a side did nothing lately.

    A hotspot in a zone whose status is in ``attention`` (active, clearing,
    re-emerged), or whose id is in ``at_risk`` (cleared places with a high
    re-emergence risk), is flagged when its own
    side or the neighbouring side recorded no activity on it in the ``days``
    days up to ``as_of``. Columns: the :func:`zone_hotspots` columns plus
    ``status``, ``acts_side``, ``acts_neighbour`` and ``silent`` (the code of
    the side with no activity; both when neither acted).
    """
    if days <= 0:
        raise ValueError(f"look-back must be at least one day, got {days}")
    rows = in_zone.merge(view[["id", "status", "name"]], on="id", how="inner")
    rows = rows[rows["status"].isin([str(s) for s in attention]) | rows["id"].isin(list(at_risk))]
    columns = [*in_zone.columns, "status", "name", "acts_side", "acts_neighbour", "silent"]
    if rows.empty:
        return pd.DataFrame([], columns=columns)
    rows = rows.reset_index(drop=True)
    start = pd.Timestamp(as_of - dt.timedelta(days=days - 1))
    window = (all_acts["date"] >= start) & (all_acts["date"] <= pd.Timestamp(as_of))
    recent = all_acts.loc[window, ["hotspot_id", "unit_code"]]  # only what the sides are read from
    acts_a, acts_b, _ = _side_counts(adj.level, rows, recent)
    own_is_a = (rows["side"] == rows["code_a"]).to_numpy(dtype=bool)
    n_side = np.where(own_is_a, acts_a, acts_b)
    n_neighbour = np.where(own_is_a, acts_b, acts_a)
    keep = (n_side == 0) | (n_neighbour == 0)
    if not keep.any():
        return pd.DataFrame([], columns=columns)
    out = rows[keep].reset_index(drop=True)
    side, neighbour = out["side"].tolist(), out["neighbour"].tolist()
    silent_side, silent_neighbour = n_side[keep] == 0, n_neighbour[keep] == 0
    silent = [
        " ".join(c for c, quiet in ((s, qs), (nb, qn)) if quiet)
        for s, nb, qs, qn in zip(side, neighbour, silent_side, silent_neighbour, strict=True)
    ]
    out["acts_side"] = n_side[keep]
    out["acts_neighbour"] = n_neighbour[keep]
    out["silent"] = silent
    return out.reindex(columns=columns)


def one_sided_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Pairs whose border hotspots got activity from one side only."""
    one = table[((table["acts_a"] > 0) ^ (table["acts_b"] > 0))]
    return one.assign(active_side=np.where(one["acts_a"] > 0, one["code_a"], one["code_b"]))


def attention_ranking(table: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """Pairs ranked by border hotspots needing attention (open ones), then by
    coordination gaps."""
    need = table.assign(attention=table[[s.value for s in ATTENTION_STATUSES]].sum(axis=1))
    gap_counts = gaps.groupby(["code_a", "code_b"]).size().rename("gaps")
    need = need.join(gap_counts, on=["code_a", "code_b"]).fillna({"gaps": 0})
    need["gaps"] = need["gaps"].astype(int)
    need = need[(need["attention"] > 0) | (need["gaps"] > 0)]
    return need.sort_values(["attention", "gaps", "hotspots"], ascending=False).reset_index(drop=True)


def to_display(frame: gpd.GeoDataFrame, tolerance_m: float, decimals: int = 5) -> gpd.GeoDataFrame:
    """Simplify metric geometries for drawing and return them in EPSG:4326."""
    out = frame.copy()
    out.geometry = frame.geometry.simplify(tolerance_m)
    out = out.to_crs(DISPLAY_CRS)
    out.geometry = shapely.set_precision(out.geometry.values, 10.0**-decimals)
    return out[~out.geometry.is_empty]


def hotspot_labels(in_zone: pd.DataFrame, names: dict[str, str]) -> dict[int, str]:
    """Hotspot id -> "side ↔ neighbour (distance m)" for each pair it lies by."""
    labels: dict[int, list[str]] = {}
    for row in in_zone.itertuples(index=False):
        side, neighbour = names.get(row.side, row.side), names.get(row.neighbour, row.neighbour)
        text = f"{side} ↔ {neighbour} ({row.distance_m:.0f} m)"
        labels.setdefault(int(row.id), []).append(text)
    return {key: "; ".join(values) for key, values in labels.items()}


@dataclass(frozen=True)
class BorderReport:
    """Everything the border page shows for one layer, zone width and period."""

    level: UnitLevel
    width_m: float
    gap_days: int
    adjacency: Adjacency
    zones: gpd.GeoDataFrame
    in_zone: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame
    one_sided: pd.DataFrame
    ranking: pd.DataFrame

    def pair_bounds(self, code_a: str, code_b: str) -> list[list[float]]:
        """``[[south, west], [north, east]]`` of a pair's zone."""
        z = self.zones[(self.zones["code_a"] == code_a) & (self.zones["code_b"] == code_b)]
        if z.empty:
            raise ValueError(f"{code_a}–{code_b} is not a pair of neighbouring units")
        minx, miny, maxx, maxy = z.to_crs(DISPLAY_CRS).total_bounds
        return [[miny, minx], [maxy, maxx]]


def border_report(
    level: UnitLevel,
    view: pd.DataFrame,
    period_acts: pd.DataFrame,
    all_acts: pd.DataFrame,
    as_of: dt.date,
    width_m: float = DEFAULT_ZONE_M,
    gap_days: int = DEFAULT_GAP_DAYS,
    unit: str | None = None,
    at_risk: frozenset[int] = frozenset(),
) -> BorderReport:
    """Border analysis of the hotspots in ``view``.

    ``period_acts`` are the activities of the chosen period (for the joint
    table), ``all_acts`` every activity (for the look-back of coordination
    gaps ending at ``as_of``). With ``unit``, only that unit's pairs are kept.
    ``at_risk``: ids of cleared places at high risk, which need both sides'
    attention too.
    """
    adj = adjacency(level)
    zone = _zones(UnitLevel(level), float(width_m))  # cached per layer and width
    if unit is not None:
        keep = ((adj.pairs["code_a"] == unit) | (adj.pairs["code_b"] == unit)).to_numpy()
        adj = Adjacency(adj.level, adj.pairs[keep].reset_index(drop=True), adj.point_contacts, adj.units)
        zone = zone[keep].reset_index(drop=True)
    in_zone = zone_hotspots(adj, view, width_m)
    table = joint_table(adj, in_zone, view, period_acts)
    gaps = coordination_gaps(adj, in_zone, view, all_acts, as_of, gap_days, at_risk=at_risk)
    return BorderReport(
        level=UnitLevel(level),
        width_m=width_m,
        gap_days=gap_days,
        adjacency=adj,
        zones=zone,
        in_zone=in_zone,
        table=table,
        gaps=gaps,
        one_sided=one_sided_pairs(table),
        ranking=attention_ranking(table, gaps),
    )
