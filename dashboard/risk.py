"""Re-emergence risk: an explainable points score, and a backtest of it.

Every cleared or handed-over hotspot gets a **risk score** (0–100): the sum
of points from seven factors, capped at 100, so a person can read exactly why
a place scores what it does. Open hotspots (active, clearing, re-emerged)
get a **persistence score** from the same kind of points. All weights and
thresholds live in :data:`WEIGHTS` (a :class:`RiskWeights`); the method is
written up in ``docs/risk.md``.

Risk factors (points):

- ``recency``: recently cleared places come back most often — up to
  ``recency_points``, halving every ``recency_half_life_months``;
- ``prior``: each earlier re-emergence of the place;
- ``violations``: violations found by activities on hotspots within
  ``violation_radius_m`` (the place included) in the last ``violation_days``;
- ``nearby_open``: open hotspots within ``open_radius_m``;
- ``border``: the place lies in a border zone (``border_zone_m``) of the
  jurisdictions in force on the scoring date;
- ``kind``: a service business (public areas score 0 here);
- ``activity_drop``: activity on the place in the last ``drop_window_days``
  compared with the same span before its handover (0 before handover).

Persistence factors: ``duration`` (months open), ``violations``, ``prior``,
``nearby_open``, ``border``, ``kind``.

Scores use only data dated on or before the scoring date (:func:`until`),
which the backtest relies on.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.stats import rankdata

from dashboard import border
from dashboard.domain import CLEARED_STATUSES, OPEN_STATUSES, HotspotKind, Status
from dashboard.geo import DISPLAY_CRS, METRIC_CRS
from dashboard.queries import Dataset, status_as_of

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class RiskWeights:
    """Points, radii, windows and level thresholds of the scores."""

    recency_points: float = 25.0
    recency_half_life_months: float = 12.0
    prior_points_each: float = 10.0
    prior_cap: float = 20.0
    violation_points_each: float = 3.0
    violation_cap: float = 24.0
    violation_radius_m: float = 500.0
    violation_days: int = 90
    open_points_each: float = 5.0
    open_cap: float = 15.0
    open_radius_m: float = 1000.0
    border_points: float = 10.0
    border_zone_m: float = border.DEFAULT_ZONE_M
    business_points: float = 8.0
    drop_points: float = 15.0
    drop_window_days: int = 180
    duration_points_per_month: float = 2.0
    duration_cap: float = 30.0
    medium_from: float = 30.0
    high_from: float = 55.0


WEIGHTS = RiskWeights()
RISK_FACTORS = ("recency", "prior", "violations", "nearby_open", "border", "kind", "activity_drop")
PERSISTENCE_FACTORS = ("duration", "violations", "prior", "nearby_open", "border", "kind")
FACTORS = tuple(dict.fromkeys(RISK_FACTORS + PERSISTENCE_FACTORS))
LEVELS = ("low", "medium", "high")
#: Risk level colours (sequential, light to dark), used by maps and charts.
RISK_COLOURS = {"low": "#FEE8C8", "medium": "#FDBB84", "high": "#E34A33"}


def level_of(score: float, weights: RiskWeights = WEIGHTS) -> str:
    if score >= weights.high_from:
        return "high"
    if score >= weights.medium_from:
        return "medium"
    return "low"


def until(ds: Dataset, cutoff: dt.date) -> Dataset:
    """The dataset as it stood at the end of ``cutoff``: nothing dated later."""
    end = pd.Timestamp(cutoff)
    hotspots, history = _known_until(ds, end)
    return Dataset(
        hotspots=hotspots,
        history=history,
        activities=ds.activities[ds.activities["date"] <= end],
        plans=ds.plans[ds.plans["doc_date"] <= end],
        targets=ds.targets[ds.targets["plan_id"].isin(ds.plans.loc[ds.plans["doc_date"] <= end, "id"])],
        notes=ds.notes[ds.notes["month"] <= end],
    )


def _known_until(ds: Dataset, end: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(hotspots, history) of :func:`until`: the history up to ``end`` and the
    hotspots it knows."""
    history = ds.history[ds.history["date"] <= end]
    known = history["hotspot_id"].unique()
    return ds.hotspots[ds.hotspots["id"].isin(known)], history


#: Activity columns the features use.
_ACTIVITY_COLUMNS = ["hotspot_id", "date", "violations_found"]


def _activities_until(ds: Dataset, end: pd.Timestamp) -> pd.DataFrame:
    """Activities on a hotspot dated up to ``end``, only :data:`_ACTIVITY_COLUMNS`
    (a 1M-row table is not copied whole)."""
    acts = ds.activities
    mask = acts["hotspot_id"].notna() & (acts["date"] <= end)
    return acts.loc[mask, _ACTIVITY_COLUMNS]


def _metric_points(frame: pd.DataFrame) -> np.ndarray:
    pts = shapely.points(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    return np.asarray(gpd.GeoSeries(pts, crs=DISPLAY_CRS).to_crs(METRIC_CRS).array, dtype=object)


def _pairs_within(pts: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)`` of points at most ``radius`` apart (each point
    with itself included) and their distances ``shapely.distance(pts[i], pts[j])``.

    An STRtree gives candidates within ``radius`` plus a metre, so that no
    pair on the limit is lost to rounding; the exact distance then decides,
    as a full distance matrix would.
    """
    if len(pts) == 0 or not radius >= 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty, np.empty(0)
    i, j = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=radius + 1.0)
    d = shapely.distance(pts[i], pts[j])
    keep = d <= radius
    return i[keep], j[keep], d[keep]


def _last_date(history: pd.DataFrame, status: Status) -> pd.Series:
    rows = history[history["to_status"] == status]
    return rows.groupby("hotspot_id")["date"].max()


def features(ds: Dataset, as_of: dt.date, weights: RiskWeights = WEIGHTS) -> pd.DataFrame:
    """Raw factor values per hotspot known at ``as_of`` (data up to it only).

    Columns: the hotspot's own columns, ``status`` (at ``as_of``),
    ``months_since_cleared``, ``months_open``, ``prior_reemergences``,
    ``violations_nearby``, ``open_nearby``, ``in_border_zone``,
    ``activity_drop``.
    """
    end = pd.Timestamp(as_of)
    hotspots, hist = _known_until(ds, end)
    h = hotspots.drop(columns=["status"]).join(status_as_of(hist, as_of), on="id", how="inner")
    h = h.reset_index(drop=True)
    if h.empty:
        return h
    cleared_on = _last_date(hist, Status.CLEARED)
    handed_on = _last_date(hist, Status.HANDED_OVER)

    def months(dates: pd.Series) -> pd.Series:
        """Months from each hotspot's date in ``dates`` to ``as_of`` (NaN: none)."""
        on = pd.Series(pd.to_datetime(dates.reindex(h["id"]).to_numpy()), index=h.index)
        return ((end - on).dt.days / DAYS_PER_MONTH).round(2)

    h["months_since_cleared"] = months(cleared_on)
    opened = hist[hist["to_status"].isin([s.value for s in OPEN_STATUSES]) & hist["from_status"].isna()]
    reopened = hist[hist["to_status"] == Status.REEMERGED]
    start_open = pd.concat([opened, reopened]).groupby("hotspot_id")["date"].max()
    h["months_open"] = months(start_open)
    # Earlier re-emergences: a place re-emerged right now does not count its current one.
    times = h["id"].map(reopened.groupby("hotspot_id").size()).fillna(0).astype(int)
    h["prior_reemergences"] = (times - (h["status"] == Status.REEMERGED)).clip(lower=0)

    acts = _activities_until(ds, end)
    recent = acts[acts["date"] > end - pd.Timedelta(days=weights.violation_days)]
    per_spot = recent.groupby("hotspot_id")["violations_found"].sum()
    v = h["id"].map(per_spot).fillna(0).to_numpy()
    # Pairs of places within the larger radius, not an n × n distance matrix.
    # The violations count the place's own (distance 0); open neighbours do not.
    i, j, d = _pairs_within(_metric_points(h), max(weights.violation_radius_m, weights.open_radius_m))
    n = len(h)
    close = d <= weights.violation_radius_m
    h["violations_nearby"] = np.bincount(i[close], weights=v[j[close]], minlength=n).astype(int)
    is_open = h["status"].isin([s.value for s in OPEN_STATUSES]).to_numpy()
    near_open = (d <= weights.open_radius_m) & is_open[j] & (i != j)
    h["open_nearby"] = np.bincount(i[near_open], minlength=n).astype(np.int64)

    adj = border.adjacency(border.level_at(as_of))
    in_zone = border.zone_hotspots(adj, h, weights.border_zone_m)
    h["in_border_zone"] = h["id"].isin(in_zone["id"])

    h["activity_drop"] = _activity_drop(h, acts, handed_on, end, weights.drop_window_days)
    return h


def _activity_drop(h: pd.DataFrame, acts: pd.DataFrame, handed_on: pd.Series, end, window: int) -> np.ndarray:
    """1 - (activities in the last window) / (activities in the window before
    handover), clipped to [0, 1]; 0 for places not handed over.

    The last window starts at the handover if that is more recent (rates per
    day, at least one day). ``acts``: activities on hotspots up to ``end``.
    """
    span = pd.Timedelta(days=window).to_timedelta64()
    end = pd.Timestamp(end).to_datetime64()
    drop = np.zeros(len(h))
    handed = pd.to_datetime(handed_on.reindex(h["id"]).to_numpy()).to_numpy()
    rows = np.flatnonzero((h["status"] == Status.HANDED_OVER).to_numpy() & ~np.isnat(handed))
    if rows.size == 0:
        return drop
    handed = handed[rows]
    # Each activity on a handed-over place, by the place's position in ``rows``.
    at = pd.Index(h["id"].to_numpy()[rows]).get_indexer(acts["hotspot_id"].to_numpy())
    on = at >= 0
    at, dates = at[on], acts["date"].to_numpy()[on]
    since = np.maximum(handed, end - span)
    before = np.bincount(at[(dates > handed[at] - span) & (dates <= handed[at])], minlength=rows.size)
    after = np.bincount(at[(dates > since[at]) & (dates <= end)], minlength=rows.size)
    days = np.maximum((end - since) // np.timedelta64(1, "D"), 1)
    before_rate = before / window
    ratio = np.divide(after / days, before_rate, out=np.zeros(rows.size), where=before_rate > 0)
    drop[rows] = np.where(before_rate > 0, np.clip(1 - ratio, 0.0, 1.0), 0.0)
    return drop


def score(ds: Dataset, as_of: dt.date, weights: RiskWeights = WEIGHTS) -> pd.DataFrame:
    """Risk or persistence score of every hotspot known at ``as_of``.

    Adds to :func:`features`: ``score_type`` ("risk" for cleared and handed
    over, "persistence" for open ones), ``score`` (0–100), ``level`` and one
    ``pts_<factor>`` column per factor (points contributed; 0 where a factor
    does not apply). Sorted by score, highest first.
    """
    f = features(ds, as_of, weights)
    if f.empty:
        return f.assign(score_type=[], score=[], level=[], **{f"pts_{k}": [] for k in FACTORS})
    w = weights
    cleared = f["status"].isin([s.value for s in CLEARED_STATUSES])
    pts = pd.DataFrame(0.0, index=f.index, columns=list(FACTORS))
    recency = w.recency_points * np.power(
        0.5, f["months_since_cleared"].fillna(1e6) / w.recency_half_life_months
    )
    pts["recency"] = np.where(cleared, recency, 0.0)
    pts["prior"] = np.minimum(w.prior_cap, w.prior_points_each * f["prior_reemergences"])
    pts["violations"] = np.minimum(w.violation_cap, w.violation_points_each * f["violations_nearby"])
    pts["nearby_open"] = np.minimum(w.open_cap, w.open_points_each * f["open_nearby"])
    pts["border"] = np.where(f["in_border_zone"], w.border_points, 0.0)
    pts["kind"] = np.where(f["kind"] == HotspotKind.SERVICE_BUSINESS, w.business_points, 0.0)
    pts["activity_drop"] = np.where(cleared, w.drop_points * f["activity_drop"], 0.0)
    duration = np.minimum(w.duration_cap, w.duration_points_per_month * f["months_open"].fillna(0))
    pts["duration"] = np.where(cleared, 0.0, duration)
    pts = pts.round(1)
    out = f.copy()
    out["score_type"] = np.where(cleared, "risk", "persistence")
    out["score"] = pts.sum(axis=1).clip(upper=100).round(1)
    out["level"] = out["score"].map(lambda s: level_of(s, w))
    for factor in FACTORS:
        out[f"pts_{factor}"] = pts[factor]
    return out.sort_values(["score", "code"], ascending=[False, True]).reset_index(drop=True)


def baseline(ds: Dataset, as_of: dt.date) -> pd.Series:
    """Time since clearance alone: the more recent, the higher (hotspot id -> score)."""
    f = features(ds, as_of)
    return pd.Series(-f["months_since_cleared"].to_numpy(), index=f["id"]).fillna(-1e6)


# --------------------------------------------------------------------------
# Backtest


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC by the rank-sum (Mann–Whitney) formula; ties count half. NaN
    when one class is missing."""
    labels = np.asarray(labels, dtype=bool)
    n_pos, n_neg = labels.sum(), (~labels).sum()
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(scores)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def hit_rate(scores: np.ndarray, labels: np.ndarray, top: float = 0.2) -> tuple[int, int]:
    """(hits, size) among the top ``top`` share of scores (at least one place);
    ties at the threshold are broken by order of appearance."""
    n = len(scores)
    if n == 0:
        return 0, 0
    k = max(1, math.ceil(top * n))
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:k]
    return int(np.asarray(labels, dtype=bool)[order].sum()), k


def quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    for year in range(first.year, last.year + 1):
        for month in (3, 6, 9, 12):
            end = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()
            if first <= end <= last:
                out.append(end)
    return out


PER_CUTOFF_COLUMNS = [
    "cutoff",
    "candidates",
    "reemerged",
    "auc_model",
    "auc_baseline",
    "top_size",
    "hits_model",
    "hits_baseline",
]


@dataclass(frozen=True)
class Backtest:
    rows: pd.DataFrame  # one per (cutoff, hotspot): score, baseline, label
    per_cutoff: pd.DataFrame
    overall: dict


def backtest(
    ds: Dataset,
    cutoffs: list[dt.date] | None = None,
    horizon_days: int = 180,
    weights: RiskWeights = WEIGHTS,
) -> Backtest:
    """Score at each cutoff with data up to it, then check who re-emerged.

    Candidates at a cutoff are the places cleared or handed over on that
    date; the label is a re-emergence within ``horizon_days`` after it. Default
    cutoffs: every quarter end from 31/03/2020 that leaves a full horizon
    before the last recorded date.
    """
    last = ds.history["date"].max().date() if not ds.history.empty else dt.date.today()
    if cutoffs is None:
        cutoffs = quarter_ends(dt.date(2020, 1, 1), last - dt.timedelta(days=horizon_days))
    back = ds.history[ds.history["to_status"] == Status.REEMERGED]
    frames = []
    for cutoff in cutoffs:
        s = score(ds, cutoff, weights)
        # In code order, so that ties in either ranking are not broken by the other.
        s = s[s["score_type"] == "risk"].sort_values("code")
        if s.empty:
            continue
        window = back[
            (back["date"] > pd.Timestamp(cutoff))
            & (back["date"] <= pd.Timestamp(cutoff + dt.timedelta(days=horizon_days)))
        ]
        frames.append(
            pd.DataFrame(
                {
                    "cutoff": pd.Timestamp(cutoff),
                    "id": s["id"].to_numpy(),
                    "code": s["code"].to_numpy(),
                    "score": s["score"].to_numpy(),
                    "baseline": -s["months_since_cleared"].fillna(1e6).to_numpy(),
                    "label": s["id"].isin(window["hotspot_id"]).to_numpy(),
                }
            )
        )
    rows = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["cutoff", "id", "code", "score", "baseline", "label"])
    )
    per = []
    for cutoff, group in rows.groupby("cutoff"):
        model_hits, size = hit_rate(group["score"].to_numpy(), group["label"].to_numpy())
        base_hits, _ = hit_rate(group["baseline"].to_numpy(), group["label"].to_numpy())
        per.append(
            {
                "cutoff": cutoff,
                "candidates": len(group),
                "reemerged": int(group["label"].sum()),
                "auc_model": auc(group["score"].to_numpy(), group["label"].to_numpy()),
                "auc_baseline": auc(group["baseline"].to_numpy(), group["label"].to_numpy()),
                "top_size": size,
                "hits_model": model_hits,
                "hits_baseline": base_hits,
            }
        )
    per_cutoff = pd.DataFrame(per, columns=PER_CUTOFF_COLUMNS)
    overall = _overall(rows, per_cutoff, horizon_days)
    return Backtest(rows=rows, per_cutoff=per_cutoff, overall=overall)


def _overall(rows: pd.DataFrame, per: pd.DataFrame, horizon_days: int) -> dict:
    if rows.empty:
        return {"cutoffs": 0, "horizon_days": horizon_days}
    # Pooled AUC compares places within the same cutoff only: rank-normalise
    # scores per cutoff first, so quarters with more data do not dominate.
    pooled = rows.assign(
        score_rank=rows.groupby("cutoff")["score"].rank(pct=True),
        baseline_rank=rows.groupby("cutoff")["baseline"].rank(pct=True),
    )
    top = per["top_size"].sum()
    return {
        "cutoffs": len(per),
        "horizon_days": horizon_days,
        "candidates": len(rows),
        "reemerged": int(rows["label"].sum()),
        "model": {
            "auc": auc(pooled["score_rank"].to_numpy(), pooled["label"].to_numpy()),
            "top20_hit_rate": float(per["hits_model"].sum() / top) if top else math.nan,
        },
        "baseline": {
            "auc": auc(pooled["baseline_rank"].to_numpy(), pooled["label"].to_numpy()),
            "top20_hit_rate": float(per["hits_baseline"].sum() / top) if top else math.nan,
        },
        "base_rate": float(rows["label"].mean()),
    }
