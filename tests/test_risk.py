"""Re-emergence risk (dashboard.risk) and time to re-emergence (dashboard.survival):
each factor on hand-made histories, levels and caps, no use of later data,
the ROC AUC and hit rate, the backtest, Kaplan–Meier and log-rank, and the
risk map layer and charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from functools import cache

import folium
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from scipy.stats import chi2, norm
from shapely.ops import polylabel

from dashboard import border, charts, maps, queries, risk, store, survival
from dashboard.config import Tiles
from dashboard.domain import HotspotKind, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import DISPLAY_CRS, METRIC_CRS, load_units, locate
from dashboard.i18n import t
from dashboard.risk import WEIGHTS, RiskWeights
from dashboard.scope import Scope

D = dt.date
TODAY = D(2026, 11, 20)
#: Scoring date of the hand-made stores: districts are the jurisdictions in force.
AS_OF = D(2024, 6, 30)
AFTER_REFORM = D(2026, 1, 31)
START = D(2019, 1, 1)
PUBLIC, BUSINESS = HotspotKind.PUBLIC_AREA, HotspotKind.SERVICE_BUSINESS
ACTIVE, CLEARING, CLEARED = Status.ACTIVE, Status.CLEARING, Status.CLEARED
HANDED, REEMERGED = Status.HANDED_OVER, Status.REEMERGED
DAYS_PER_MONTH = 365.25 / 12
TO_WGS = Transformer.from_crs(METRIC_CRS, DISPLAY_CRS, always_xy=True)


# --------------------------------------------------------------------------
# Hand-made places and stores


@cache
def origin() -> tuple[float, float]:
    """EPSG:3405 centre of Huyện Sóc Sơn, ~8 km from any other district: the
    hand-made places around it are far from every shared boundary."""
    poly = load_units(UnitLevel.DISTRICT).to_crs(METRIC_CRS).loc["016"].geometry
    centre = polylabel(poly, tolerance=10)
    return centre.x, centre.y


def _wgs(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WGS.transform(x, y)
    return lat, lon


def here(dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    """(lat, lon) of the point ``dx`` m east and ``dy`` m north of the origin."""
    x, y = origin()
    return _wgs(x + dx, y + dy)


def _longest(line) -> shapely.LineString:
    return max(getattr(line, "geoms", [line]), key=lambda part: part.length)


def _beside(level: UnitLevel, pair, metres: float) -> tuple[float, float, float]:
    """A point ``metres`` from the middle of a pair's shared boundary, on the
    side of ``code_a``: (x, y) in EPSG:3405 and its distance to the boundary."""
    line = _longest(pair.geometry)
    middle = line.length / 2
    a, b, m = line.interpolate(middle - 20), line.interpolate(middle + 20), line.interpolate(middle)
    nx, ny = -(b.y - a.y), b.x - a.x
    norm_ = math.hypot(nx, ny)
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    for sign in (1, -1):
        x, y = m.x + sign * metres * nx / norm_, m.y + sign * metres * ny / norm_
        lat, lon = _wgs(x, y)
        if locate(lat, lon).iloc[0][column] == pair.code_a:
            return x, y, shapely.Point(x, y).distance(pair.geometry)
    raise AssertionError("no side of the shared boundary lies in code_a")


@cache
def district_border_point() -> tuple[float, float]:
    """EPSG:3405 point 100 m inside the longest shared district boundary."""
    adj = border.adjacency(UnitLevel.DISTRICT)
    pair = adj.pairs.sort_values("length_m", ascending=False).iloc[0]
    x, y, distance = _beside(UnitLevel.DISTRICT, pair, 100.0)
    assert distance == pytest.approx(100.0, abs=5)
    return x, y


@cache
def ward_border_point() -> tuple[float, float]:
    """EPSG:3405 point 100 m from a shared ward boundary and more than 1 km from
    every shared district boundary."""
    districts = shapely.union_all(border.adjacency(UnitLevel.DISTRICT).pairs.geometry.values)
    for pair in border.adjacency(UnitLevel.WARD).pairs.itertuples(index=False):
        line = _longest(pair.geometry)
        if line.length < 1000 or line.interpolate(line.length / 2).distance(districts) < 1500:
            continue
        x, y, distance = _beside(UnitLevel.WARD, pair, 100.0)
        assert distance == pytest.approx(100.0, abs=5)
        assert shapely.Point(x, y).distance(districts) > 1000
        return x, y
    raise AssertionError("no ward boundary far from the district boundaries")


def near(point: tuple[float, float], dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    return _wgs(point[0] + dx, point[1] + dy)


def cleared(on: dt.date, since: dt.date = START) -> list:
    return [(since, ACTIVE), (on, CLEARED)]


def handed(cleared_on: dt.date, handed_on: dt.date) -> list:
    return [(START, ACTIVE), (cleared_on, CLEARED), (handed_on, HANDED)]


def build(engine, spots: dict, activities=()) -> queries.Dataset:
    """Write hand-made hotspots through the store API and load them.

    ``spots``: code -> ((lat, lon), kind, [(date, status), ...]);
    ``activities``: (code, date, violations found) patrols.
    """
    with engine.begin() as conn:
        rows = [
            {"code": code, "name": f"Điểm thử {code}", "kind": kind, "lat": lat, "lon": lon,
             "status": history[0][1]}
            for code, ((lat, lon), kind, history) in spots.items()
        ]  # fmt: skip
        ids = dict(zip(spots, store.add_hotspots(conn, rows), strict=True))
        for code, (_where, _kind, history) in spots.items():
            for date, status in history:
                store.record_status(conn, ids[code], date, status)
        store.add_activities(
            conn,
            [
                {"date": date, "hotspot_id": ids[code], "kind": "patrol", "violations_found": found}
                for code, date, found in activities
            ],
        )
    return queries.load_dataset(engine, Scope.city())


def by_code(scores: pd.DataFrame) -> pd.DataFrame:
    return scores.set_index("code")


def rank_of(scores: pd.DataFrame, code: str) -> int:
    return scores.index[scores["code"] == code][0]


def recency_points(cleared_on: dt.date, as_of: dt.date = AS_OF) -> float:
    months = (as_of - cleared_on).days / DAYS_PER_MONTH
    return WEIGHTS.recency_points * 0.5 ** (months / WEIGHTS.recency_half_life_months)


def duration_points(opened_on: dt.date, as_of: dt.date = AS_OF) -> float:
    months = (as_of - opened_on).days / DAYS_PER_MONTH
    return min(WEIGHTS.duration_cap, WEIGHTS.duration_points_per_month * months)


def monthly(start: dt.date, n: int) -> list[dt.date]:
    """The 15th of ``n`` months from ``start``'s month."""
    index = start.year * 12 + start.month - 1
    return [D((index + i) // 12, (index + i) % 12 + 1, 15) for i in range(n)]


def pts_sum(row) -> float:
    return sum(row[f"pts_{f}"] for f in risk.FACTORS)


# --------------------------------------------------------------------------
# Each factor, all else equal


def test_earlier_reemergences_rank_a_place_higher(empty_engine):
    twice = [(START, ACTIVE), (D(2020, 1, 1), CLEARED), (D(2020, 6, 1), REEMERGED),
             (D(2021, 1, 1), CLEARED), (D(2021, 6, 1), REEMERGED), (D(2023, 1, 1), CLEARED)]  # fmt: skip
    thrice = [*twice[:-1], (D(2022, 1, 1), CLEARED), (D(2022, 6, 1), REEMERGED), (D(2023, 1, 1), CLEARED)]
    ds = build(empty_engine, {
        "TWICE": (here(), PUBLIC, twice),
        "NEVER": (here(3000), PUBLIC, cleared(D(2023, 1, 1))),
        "THRICE": (here(-3000), PUBLIC, thrice),
    })  # fmt: skip
    scores = risk.score(ds, AS_OF)
    s = by_code(scores)
    assert s.loc[["TWICE", "NEVER", "THRICE"], "prior_reemergences"].tolist() == [2, 0, 3]
    assert s.loc["TWICE", "pts_prior"] == 2 * WEIGHTS.prior_points_each == 20
    assert s.loc["THRICE", "pts_prior"] == WEIGHTS.prior_cap  # 3 × 10 capped at 20
    assert s.loc["NEVER", "pts_prior"] == 0
    assert s.loc["TWICE", "pts_recency"] == s.loc["NEVER", "pts_recency"] > 0
    assert s.loc["TWICE", "score"] - s.loc["NEVER", "score"] == pytest.approx(20)
    assert rank_of(scores, "TWICE") < rank_of(scores, "NEVER")


def test_a_recent_clearance_outranks_an_old_one(empty_engine):
    recent, old = D(2024, 5, 30), D(2021, 12, 30)
    ds = build(empty_engine, {
        "OLD": (here(), PUBLIC, cleared(old)),
        "RECENT": (here(3000), PUBLIC, cleared(recent)),
        # Recency counts from the clearance, not from the handover.
        "HANDED": (here(-3000), PUBLIC, handed(old, recent)),
    })  # fmt: skip
    scores = risk.score(ds, AS_OF)
    s = by_code(scores)
    assert s.loc["RECENT", "months_since_cleared"] == pytest.approx(31 / DAYS_PER_MONTH, abs=0.01)
    assert s.loc["OLD", "months_since_cleared"] == pytest.approx(30.0, abs=0.01)
    assert s.loc["RECENT", "pts_recency"] == pytest.approx(recency_points(recent), abs=0.06)
    assert s.loc["RECENT", "pts_recency"] == pytest.approx(23.6, abs=0.06)  # 25 × 0.5^(1.02/12)
    assert s.loc["OLD", "pts_recency"] == pytest.approx(recency_points(old), abs=0.06)
    assert s.loc["OLD", "pts_recency"] == pytest.approx(4.4, abs=0.06)  # 25 × 0.5^(30/12)
    assert s.loc["HANDED", "pts_recency"] == s.loc["OLD", "pts_recency"]
    for code in ("RECENT", "OLD"):
        assert s.loc[code, "score"] == s.loc[code, "pts_recency"]  # nothing else applies
    assert scores["code"].tolist()[0] == "RECENT"
    assert rank_of(scores, "RECENT") < rank_of(scores, "OLD")


def test_a_service_business_outranks_a_public_area(empty_engine):
    ds = build(empty_engine, {
        "PUBLIC": (here(), PUBLIC, cleared(D(2023, 1, 1))),
        "BUSINESS": (here(3000), BUSINESS, cleared(D(2023, 1, 1))),
    })  # fmt: skip
    scores = risk.score(ds, AS_OF)
    s = by_code(scores)
    assert s.loc["BUSINESS", "pts_kind"] == WEIGHTS.business_points == 8
    assert s.loc["PUBLIC", "pts_kind"] == 0
    assert s.loc["BUSINESS", "score"] - s.loc["PUBLIC", "score"] == pytest.approx(8)
    assert scores["code"].tolist() == ["BUSINESS", "PUBLIC"]


def test_recent_violations_within_500_m_raise_the_score(empty_engine):
    on = D(2023, 1, 1)
    ds = build(
        empty_engine,
        {
            "A": (here(), PUBLIC, cleared(on)),
            "B": (here(400), PUBLIC, cleared(on)),  # 400 m from A
            "C": (here(-600), PUBLIC, cleared(on)),  # 600 m from A, 1 000 m from B
            "QUIET": (here(0, 3000), PUBLIC, cleared(on)),
            "BUSY": (here(0, -3000), PUBLIC, cleared(on)),
        },
        [
            ("A", AS_OF - dt.timedelta(days=10), 1),
            ("B", AS_OF - dt.timedelta(days=89), 2),
            ("C", AS_OF - dt.timedelta(days=5), 5),
            ("A", AS_OF - dt.timedelta(days=100), 4),  # too old
            ("A", AS_OF + dt.timedelta(days=1), 10),  # after the scoring date
            ("BUSY", AS_OF, 9),
        ],
    )
    s = by_code(risk.score(ds, AS_OF))
    assert s["violations_nearby"].to_dict() == {"A": 3, "B": 3, "C": 5, "QUIET": 0, "BUSY": 9}
    assert s.loc["A", "pts_violations"] == 3 * WEIGHTS.violation_points_each == 9
    assert s.loc["C", "pts_violations"] == 15
    assert s.loc["BUSY", "pts_violations"] == WEIGHTS.violation_cap == 24  # 27 capped
    assert s.loc["QUIET", "pts_violations"] == 0
    assert s.loc["A", "score"] - s.loc["QUIET", "score"] == pytest.approx(9)


def test_open_hotspots_within_1_km_raise_the_score(empty_engine):
    on = D(2023, 1, 1)
    open_since = [(D(2024, 1, 1), ACTIVE)]
    ring = {f"R{i}": (here(dx, -5000 + dy), PUBLIC, open_since)
            for i, (dx, dy) in enumerate([(700, 0), (-700, 0), (0, 700), (0, -700)])}  # fmt: skip
    ds = build(empty_engine, {
        "A": (here(), PUBLIC, cleared(on)),
        "NEAR": (here(800), PUBLIC, open_since),  # 800 m from A
        "FAR": (here(-1200), PUBLIC, open_since),  # 1 200 m from A, 2 000 m from NEAR
        "ALONE": (here(0, 3000), PUBLIC, cleared(on)),
        "RINGED": (here(0, -5000), PUBLIC, cleared(on)),
        "CLEAR_NEIGHBOUR": (here(0, 3500), PUBLIC, cleared(on)),  # not open: does not count
        **ring,
    })  # fmt: skip
    s = by_code(risk.score(ds, AS_OF))
    assert s.loc["A", "open_nearby"] == 1
    assert s.loc["A", "pts_nearby_open"] == WEIGHTS.open_points_each == 5
    assert s.loc["ALONE", "open_nearby"] == 0
    assert s.loc["A", "score"] - s.loc["ALONE", "score"] == pytest.approx(5)
    assert s.loc["NEAR", "open_nearby"] == 0  # itself and a cleared place do not count
    assert s.loc["RINGED", "open_nearby"] == 4
    assert s.loc["RINGED", "pts_nearby_open"] == WEIGHTS.open_cap == 15  # 20 capped


def test_a_place_in_a_border_zone_gets_the_border_points(empty_engine):
    edge = district_border_point()
    ds = build(empty_engine, {
        "EDGE": (near(edge), PUBLIC, cleared(D(2023, 1, 1))),
        "INNER": (here(), PUBLIC, cleared(D(2023, 1, 1))),
    })  # fmt: skip
    scores = risk.score(ds, AS_OF)
    s = by_code(scores)
    assert bool(s.loc["EDGE", "in_border_zone"]) and not s.loc["INNER", "in_border_zone"]
    assert s.loc["EDGE", "pts_border"] == WEIGHTS.border_points == 10
    assert s.loc["INNER", "pts_border"] == 0
    assert s.loc["EDGE", "score"] - s.loc["INNER", "score"] == pytest.approx(10)
    assert scores["code"].tolist() == ["EDGE", "INNER"]
    in_zone = border.zone_hotspots(border.adjacency(UnitLevel.DISTRICT), ds.hotspots)
    assert in_zone["code"].tolist() == ["EDGE"]
    assert in_zone["distance_m"].iloc[0] == pytest.approx(100, abs=5)


def test_border_points_follow_the_jurisdictions_in_force(empty_engine):
    """A place near a ward boundary far inside a former district is in a border
    zone only once wards are the jurisdictions (from 01/07/2025)."""
    ds = build(empty_engine, {"WARD_EDGE": (near(ward_border_point()), PUBLIC, cleared(D(2023, 1, 1)))})
    before = by_code(risk.score(ds, AS_OF)).loc["WARD_EDGE"]
    after = by_code(risk.score(ds, AFTER_REFORM)).loc["WARD_EDGE"]
    assert (before["pts_border"], after["pts_border"]) == (0, 10)
    assert not before["in_border_zone"] and after["in_border_zone"]


def test_activity_drop_after_handover(empty_engine):
    before_handover = [D(2023, month, 1) for month in range(2, 8)]  # 01/02 to 01/07/2023
    last_180 = monthly(D(2024, 1, 1), 6)  # 15/01 to 15/06/2024
    acts = [("DROP", d, 0) for d in [*before_handover, D(2024, 2, 1), D(2024, 5, 1)]]
    acts += [("STEADY", d, 0) for d in before_handover + last_180]
    acts += [("GONE", d, 0) for d in before_handover]
    acts += [("NOT_HANDED", d, 0) for d in before_handover]
    # Handed over 90 days ago, patrolled monthly throughout: the rate did not drop
    # although the last 90 days hold half as many activities as the 180 before.
    acts += [("RECENT", d, 0) for d in monthly(D(2023, 10, 1), 9)]
    ds = build(
        empty_engine,
        {
            "DROP": (here(), PUBLIC, handed(D(2023, 1, 1), D(2023, 7, 1))),
            "STEADY": (here(2000), PUBLIC, handed(D(2023, 1, 1), D(2023, 7, 1))),
            "GONE": (here(-2000), PUBLIC, handed(D(2023, 1, 1), D(2023, 7, 1))),
            "NOT_HANDED": (here(0, 2000), PUBLIC, cleared(D(2023, 1, 1))),
            "RECENT": (here(0, -2000), PUBLIC, handed(D(2023, 12, 1), D(2024, 4, 1))),
        },
        acts,
    )
    s = by_code(risk.score(ds, AS_OF))
    assert s.loc["DROP", "activity_drop"] == pytest.approx(1 - 2 / 6)
    assert s.loc["DROP", "pts_activity_drop"] == pytest.approx(WEIGHTS.drop_points * 2 / 3) == 10
    assert s.loc["GONE", "pts_activity_drop"] == WEIGHTS.drop_points == 15
    for code in ("STEADY", "NOT_HANDED", "RECENT"):
        assert s.loc[code, "activity_drop"] == pytest.approx(0, abs=1e-9), code
        assert s.loc[code, "pts_activity_drop"] == 0, code
    assert s.loc["DROP", "score"] - s.loc["STEADY", "score"] == pytest.approx(10)
    assert (s["pts_violations"] == 0).all()


def test_activity_drop_of_several_places_by_hand(empty_engine):
    """Each handed-over place is measured on its own activities only, whatever
    their order; the window before the handover is (handover - 180 d, handover]."""
    half_on = AS_OF - dt.timedelta(days=120)  # 02/03/2024
    more_on = AS_OF - dt.timedelta(days=60)
    limit = half_on - dt.timedelta(days=180)  # not in the window before the handover
    half = [limit, *(half_on - dt.timedelta(days=10 * k) for k in range(9))]  # 9 before, the handover day too
    half += [half_on + dt.timedelta(days=1), D(2024, 5, 1), AS_OF, AS_OF + dt.timedelta(days=1)]  # 3 after
    more = [more_on - dt.timedelta(days=90)] + [more_on + dt.timedelta(days=k) for k in (1, 20, 40)]
    acts = [("HALF", d, 0) for d in half] + [("MORE", d, 0) for d in more]
    acts += [("TODAY", AS_OF - dt.timedelta(days=k), 0) for k in (0, 5, 50)]
    acts += [("NO_BEFORE", AS_OF - dt.timedelta(days=k), 0) for k in (1, 2)]
    acts += [("BACK", D(2023, 6, 1), 0), ("BACK", D(2023, 6, 2), 0)]
    acts.sort(key=lambda a: (a[1], a[0]))  # interleaved, by date
    back = [*handed(D(2023, 1, 1), D(2023, 7, 1)), (D(2024, 1, 1), REEMERGED)]
    ds = build(
        empty_engine,
        {
            "HALF": (here(), PUBLIC, handed(D(2023, 1, 1), half_on)),
            "MORE": (here(2000), PUBLIC, handed(D(2023, 1, 1), more_on)),
            "TODAY": (here(-2000), PUBLIC, handed(D(2024, 1, 1), AS_OF)),
            "NO_BEFORE": (here(0, 2000), PUBLIC, handed(D(2024, 1, 1), D(2024, 6, 1))),
            "BACK": (here(0, -2000), PUBLIC, back),
            "CLEARED": (here(2000, 2000), PUBLIC, cleared(D(2023, 1, 1))),
        },
        acts,
    )
    # Area-wide work (on no hotspot) does not count for any place.
    area = ds.activities.iloc[:3].assign(hotspot_id=np.nan, date=pd.Timestamp(AS_OF))
    ds = dataclasses.replace(ds, activities=pd.concat([ds.activities, area], ignore_index=True))
    drop = by_code(risk.features(ds, AS_OF))["activity_drop"]
    # 3 in 120 days after against 9 in the 180 days before: 1 - (3/120)/(9/180).
    assert drop["HALF"] == pytest.approx(0.5, abs=1e-12)
    # 3 in 60 days after against 1 in 180 days before: more activity, clipped at 0.
    assert drop["MORE"] == 0
    # Handed over on the scoring date: no time since (one day counted), a full drop.
    assert drop["TODAY"] == 1
    assert drop["NO_BEFORE"] == drop["BACK"] == drop["CLEARED"] == 0
    assert drop.dtype == np.float64


def test_neighbour_counts_match_a_full_distance_matrix(empty_engine):
    """Violations within 500 m (the place's own included) and open places within
    1 km (itself excluded), against the pairwise distances of every pair."""
    rng = np.random.default_rng(7)
    xy = rng.uniform(-2500, 2500, size=(40, 2)).round()
    xy[1] = xy[0]  # two places at the same spot: both count each other
    statuses = [
        [(START, ACTIVE)],
        [(START, ACTIVE), (D(2024, 1, 1), CLEARING)],
        cleared(D(2023, 1, 1)),
        handed(D(2023, 1, 1), D(2023, 7, 1)),
        [*cleared(D(2023, 1, 1)), (D(2024, 2, 1), REEMERGED)],
    ]
    spots = {f"P{i:02}": (here(x, y), PUBLIC, statuses[i % len(statuses)]) for i, (x, y) in enumerate(xy)}
    found = rng.integers(0, 4, size=len(xy))
    acts = [(f"P{i:02}", AS_OF - dt.timedelta(days=int(k)), int(n)) for i, n in enumerate(found)
            for k in rng.choice([0, 30, 89, 90, 200], size=2)]  # fmt: skip
    ds = build(empty_engine, spots, acts)
    f = by_code(risk.features(ds, AS_OF)).loc[list(spots)]

    pts = risk._metric_points(f)
    dist = shapely.distance(pts[:, None], pts[None, :])
    gaps = np.abs(dist[:, :, None] - np.array([WEIGHTS.violation_radius_m, WEIGHTS.open_radius_m]))
    assert gaps.min() > 0.01  # no pair on a limit, where rounding could decide
    recent = {code: sum(n for c, d, n in acts if c == code and (AS_OF - d).days < WEIGHTS.violation_days)
              for code in spots}  # fmt: skip
    v = np.array([recent[code] for code in f.index])
    is_open = f["status"].isin([ACTIVE, CLEARING, REEMERGED]).to_numpy()
    expected_violations = ((dist <= WEIGHTS.violation_radius_m) * v).sum(axis=1)
    expected_open = ((dist <= WEIGHTS.open_radius_m) & is_open & ~np.eye(len(f), dtype=bool)).sum(axis=1)
    assert f["violations_nearby"].tolist() == expected_violations.tolist()
    assert f["open_nearby"].tolist() == expected_open.tolist()
    assert f["violations_nearby"].dtype == f["open_nearby"].dtype == np.int64
    # The layout is not trivial: the same spot, neighbours in and out of reach.
    assert f.loc["P00", "violations_nearby"] >= v[0] + v[1]
    assert f.loc["P00", "open_nearby"] >= 1 and f.loc["P01", "open_nearby"] >= 1
    assert 0 < (expected_open > 0).sum() < len(f)
    assert (expected_violations > v).any() and (expected_violations == v).any()


def test_baseline_ranks_by_time_since_clearance_only(empty_engine):
    ds = build(empty_engine, {
        "OLD": (here(), BUSINESS, cleared(D(2021, 1, 1))),
        "RECENT": (here(3000), PUBLIC, cleared(D(2024, 1, 1))),
        "OPEN": (here(-3000), PUBLIC, [(START, ACTIVE)]),
    })  # fmt: skip
    base = risk.baseline(ds, AS_OF)
    code = ds.hotspots.set_index("id")["code"]
    base.index = base.index.map(code)
    assert base["RECENT"] > base["OLD"] > base["OPEN"] == -1e6
    assert base["RECENT"] == pytest.approx(-(AS_OF - D(2024, 1, 1)).days / DAYS_PER_MONTH, abs=0.01)


# --------------------------------------------------------------------------
# Levels, cap, persistence


@pytest.mark.parametrize(
    ("value", "level"),
    [(0, "low"), (29.9, "low"), (30, "medium"), (54.9, "medium"), (55, "high"), (100, "high")],
)
def test_levels_follow_the_thresholds(value, level):
    assert (WEIGHTS.medium_from, WEIGHTS.high_from) == (30, 55)
    assert risk.level_of(value) == level


def test_levels_follow_custom_thresholds():
    w = RiskWeights(medium_from=10, high_from=20)
    assert [risk.level_of(v, w) for v in (9.9, 10, 19.9, 20)] == ["low", "medium", "medium", "high"]


def test_every_sample_score_is_its_points_capped_and_levelled(sample_dataset):
    scores = risk.score(sample_dataset, TODAY)
    assert len(scores) > 30 and set(scores["level"]) == set(risk.LEVELS)
    for row in scores.to_dict("records"):
        assert row["score"] == pytest.approx(min(100, pts_sum(row)), abs=0.051), row["code"]
        assert row["level"] == risk.level_of(row["score"])
        is_risk = row["status"] in {Status.CLEARED, Status.HANDED_OVER}
        assert row["score_type"] == ("risk" if is_risk else "persistence")
        if is_risk:
            assert row["pts_duration"] == 0
        else:
            assert row["pts_recency"] == row["pts_activity_drop"] == 0
    assert scores["score"].is_monotonic_decreasing


def test_score_is_capped_at_100(empty_engine):
    """Every factor at once: 22 + 20 + 24 + 15 + 10 + 8 + 15 points, shown as 100."""
    edge = district_border_point()
    history = [
        (START, ACTIVE), (D(2020, 1, 1), CLEARED), (D(2021, 1, 1), REEMERGED), (D(2022, 1, 1), CLEARED),
        (D(2023, 1, 1), REEMERGED), (D(2024, 5, 1), CLEARED), (D(2024, 6, 1), HANDED),
    ]  # fmt: skip
    open_since = [(D(2024, 1, 1), ACTIVE)]
    around = {
        f"O{i}": (near(edge, dx, dy), PUBLIC, open_since)
        for i, (dx, dy) in enumerate([(-700, 0), (0, 700), (0, -700)])
    }
    ds = build(
        empty_engine,
        {
            "ALL": (near(edge), BUSINESS, history),
            "NEIGHBOUR": (near(edge, 300), PUBLIC, cleared(D(2023, 1, 1))),
            **around,
        },
        [("ALL", d, 0) for d in (D(2024, 1, 15), D(2024, 2, 15), D(2024, 3, 15))]
        + [("NEIGHBOUR", D(2024, 6, 15), 8)],
    )
    row = by_code(risk.score(ds, AS_OF)).loc["ALL"]
    assert row["pts_recency"] == pytest.approx(recency_points(D(2024, 5, 1)), abs=0.06)
    expected = {
        "prior": 20,
        "violations": 24,
        "nearby_open": 15,
        "border": 10,
        "kind": 8,
        "activity_drop": 15,
    }
    assert {f: row[f"pts_{f}"] for f in expected} == expected
    assert pts_sum(row) > 110
    assert (row["score"], row["level"]) == (100, "high")

    big = risk.score(ds, AS_OF, RiskWeights(business_points=150))
    assert by_code(big).loc["ALL", "pts_kind"] == 150
    assert big["score"].max() == 100


def test_open_hotspots_get_persistence_scores(empty_engine):
    ds = build(
        empty_engine,
        {
            "NEW": (here(), PUBLIC, [(D(2024, 1, 1), ACTIVE)]),
            "LONG": (here(2000), PUBLIC, [(D(2020, 1, 1), ACTIVE)]),
            "CLEARING": (here(-2000), PUBLIC, [(START, ACTIVE), (D(2024, 2, 1), CLEARING)]),
            "BACK": (
                here(0, 2000),
                PUBLIC,
                [(START, ACTIVE), (D(2020, 1, 1), CLEARED), (D(2024, 3, 1), REEMERGED)],
            ),
        },
        [("NEW", D(2024, 6, 1), 0)],
    )
    s = by_code(risk.score(ds, AS_OF))
    assert set(s["score_type"]) == {"persistence"}
    assert (s["pts_recency"] == 0).all() and (s["pts_activity_drop"] == 0).all()
    assert s.loc["NEW", "months_open"] == pytest.approx(181 / DAYS_PER_MONTH, abs=0.01)
    assert s.loc["NEW", "pts_duration"] == pytest.approx(duration_points(D(2024, 1, 1)), abs=0.06)
    assert s.loc["NEW", "pts_duration"] == pytest.approx(11.9, abs=0.06)  # 2 × 5.95 months
    assert s.loc["LONG", "pts_duration"] == WEIGHTS.duration_cap == 30
    assert s.loc["CLEARING", "pts_duration"] == 30  # open since 2019, clearing does not restart it
    # Open again since the re-emergence: the earlier clearance gives no recency.
    assert s.loc["BACK", "pts_duration"] == pytest.approx(duration_points(D(2024, 3, 1)), abs=0.06)
    assert s.loc["NEW", "score"] == s.loc["NEW", "pts_duration"]


def test_a_store_with_no_cleared_hotspot_gets_persistence_scores(empty_engine):
    """Scoring before anything was ever cleared must work (a new store; the
    backtest's early cutoffs)."""
    ds = build(empty_engine, {
        "NEW": (here(), PUBLIC, [(D(2024, 1, 1), ACTIVE)]),
        "LATER": (here(3000), PUBLIC, [(D(2024, 1, 1), ACTIVE), (D(2024, 9, 1), CLEARED)]),
    })  # fmt: skip
    scores = risk.score(ds, AS_OF)
    assert set(scores["score_type"]) == {"persistence"}
    assert by_code(scores).loc["NEW", "pts_duration"] == pytest.approx(11.9, abs=0.06)
    result = risk.backtest(ds, [AS_OF, D(2024, 9, 30)])
    assert result.rows["code"].tolist() == ["LATER"]


def test_a_store_of_cleared_hotspots_only_is_scored(empty_engine):
    """Places first recorded as already cleared (never seen open)."""
    ds = build(empty_engine, {"OLD": (here(), PUBLIC, [(D(2023, 1, 1), CLEARED)])})
    row = by_code(risk.score(ds, AS_OF)).loc["OLD"]
    assert row["score_type"] == "risk"
    assert row["pts_recency"] == pytest.approx(recency_points(D(2023, 1, 1)), abs=0.06)


def test_scores_of_an_empty_store_are_empty(empty_engine):
    ds = queries.load_dataset(empty_engine, Scope.city())
    scores = risk.score(ds, AS_OF)
    assert scores.empty
    assert {"score", "level", "score_type", *(f"pts_{f}" for f in risk.FACTORS)} <= set(scores.columns)


# --------------------------------------------------------------------------
# Only data up to the scoring date


CUTOFF = D(2023, 6, 30)


def _later(frame: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    return pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)


@pytest.fixture(scope="module")
def with_later_data(sample_dataset) -> tuple[queries.Dataset, pd.DataFrame]:
    """The sample plus, one day after the cutoff: a re-emergence, a new open
    hotspot next to a candidate, a burst of violations, patrols on a
    handed-over place, and a plan with a target."""
    ds = sample_dataset
    at_cutoff = risk.score(ds, CUTOFF)
    candidates = at_cutoff[at_cutoff["score_type"] == "risk"]
    first = candidates.iloc[0]
    handed_over = candidates[candidates["status"] == HANDED].iloc[-1]
    day = pd.Timestamp(CUTOFF + dt.timedelta(days=1))
    new_id = int(ds.hotspots["id"].max()) + 1
    new_spot = ds.hotspots[ds.hotspots["id"] == first["id"]].assign(
        id=new_id, code="TD-NEW", status=ACTIVE.value
    )
    change = ds.history.iloc[[0]].to_dict("records")[0]
    next_change = int(ds.history["id"].max()) + 1
    history = [
        change | {"id": next_change, "hotspot_id": first["id"], "date": day, "from_status": first["status"],
                  "to_status": REEMERGED.value},
        change | {"id": next_change + 1, "hotspot_id": new_id, "date": day, "from_status": None,
                  "to_status": ACTIVE.value},
    ]  # fmt: skip
    act = ds.activities[ds.activities["hotspot_id"].notna()].iloc[0].to_dict()
    next_act = int(ds.activities["id"].max()) + 1
    activities = [act | {"id": next_act, "hotspot_id": first["id"], "date": day, "violations_found": 50}]
    activities += [
        act | {"id": next_act + i, "hotspot_id": handed_over["id"], "date": day + pd.Timedelta(days=i),
               "violations_found": 0}
        for i in range(1, 21)
    ]  # fmt: skip
    plan_id = int(ds.plans["id"].max()) + 1
    plan = ds.plans.iloc[0].to_dict() | {"id": plan_id, "year": 2024, "doc_number": "SAU/KH", "doc_date": day}
    target = ds.targets.iloc[0].to_dict() | {"id": int(ds.targets["id"].max()) + 1, "plan_id": plan_id,
                                             "year": 2024}  # fmt: skip
    later = queries.Dataset(
        hotspots=pd.concat([ds.hotspots, new_spot], ignore_index=True),
        history=_later(ds.history, history),
        activities=_later(ds.activities, activities),
        plans=_later(ds.plans, [plan]),
        targets=_later(ds.targets, [target]),
    )
    return later, at_cutoff


def test_scores_ignore_data_after_the_scoring_date(sample_dataset, with_later_data):
    later, at_cutoff = with_later_data
    pd.testing.assert_frame_equal(risk.score(later, CUTOFF), at_cutoff)
    pd.testing.assert_frame_equal(risk.score(risk.until(sample_dataset, CUTOFF), CUTOFF), at_cutoff)
    pd.testing.assert_frame_equal(risk.features(later, CUTOFF), risk.features(sample_dataset, CUTOFF))
    # The later data is there and would change the scores a day later.
    next_day = by_code(risk.score(later, CUTOFF + dt.timedelta(days=1)))
    first = at_cutoff[at_cutoff["score_type"] == "risk"].iloc[0]
    assert next_day.loc[first["code"], "status"] == REEMERGED
    assert next_day.loc[first["code"], "violations_nearby"] >= 50
    assert "TD-NEW" in next_day.index


def test_until_drops_everything_dated_later(with_later_data):
    later, _ = with_later_data
    end = pd.Timestamp(CUTOFF)
    cut = risk.until(later, CUTOFF)
    assert (cut.history["date"] <= end).all() and (later.history["date"] > end).any()
    assert (cut.activities["date"] <= end).all() and (later.activities["date"] > end).any()
    assert (cut.plans["doc_date"] <= end).all() and "SAU/KH" not in set(cut.plans["doc_number"])
    assert set(cut.targets["plan_id"]) <= set(cut.plans["id"])
    assert len(cut.targets) < len(later.targets)
    assert "TD-NEW" not in set(cut.hotspots["code"])
    assert set(cut.hotspots["id"]) == set(cut.history["hotspot_id"])


def test_violations_found_the_day_after_do_not_count(empty_engine):
    ds = build(
        empty_engine,
        {"A": (here(), PUBLIC, cleared(D(2023, 1, 1)))},
        [("A", AS_OF + dt.timedelta(days=1), 20), ("A", AS_OF, 1)],
    )
    assert by_code(risk.score(ds, AS_OF)).loc["A", "violations_nearby"] == 1
    assert by_code(risk.score(ds, AS_OF + dt.timedelta(days=1))).loc["A", "violations_nearby"] == 21


# --------------------------------------------------------------------------
# ROC AUC, hit rate, quarter ends


def pairwise_auc(scores, labels) -> float:
    """Share of (re-emerged, not) pairs ordered right; ties count half."""
    pos = [s for s, lab in zip(scores, labels, strict=True) if lab]
    neg = [s for s, lab in zip(scores, labels, strict=True) if not lab]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def test_auc_of_perfect_reversed_and_tied_rankings():
    labels = [0, 0, 1, 1]
    assert risk.auc(np.array([1, 2, 3, 4]), np.array(labels)) == 1.0
    assert risk.auc(np.array([4, 3, 2, 1]), np.array(labels)) == 0.0
    assert risk.auc(np.array([7, 7, 7, 7]), np.array(labels)) == 0.5


def test_auc_by_hand_with_ties():
    scores, labels = [3, 2, 2, 1, 2], [1, 1, 0, 0, 0]
    # 3 beats 2, 1, 2; the positive 2 ties two negatives and beats 1: 5 of 6 pairs.
    assert risk.auc(np.array(scores), np.array(labels)) == pytest.approx(5 / 6)
    assert pairwise_auc(scores, labels) == pytest.approx(5 / 6)


@pytest.mark.parametrize("labels", [[0, 0, 0], [1, 1, 1], []])
def test_auc_is_nan_when_a_class_is_missing(labels):
    assert math.isnan(risk.auc(np.arange(len(labels)), np.array(labels)))


def test_hit_rate_by_hand():
    scores = [0.9, 0.1, 0.5, 0.7, 0.3, 0.2]
    labels = [1, 0, 0, 1, 0, 1]
    assert risk.hit_rate(np.array(scores), np.array(labels)) == (2, 2)  # ceil(20 % of 6) = 2
    assert risk.hit_rate(np.array(scores), np.array(labels), top=0.5) == (2, 3)
    assert risk.hit_rate(np.array(scores[:5]), np.array(labels[:5])) == (1, 1)  # ceil(1.0) = 1
    assert risk.hit_rate(np.array([0.2, 0.9]), np.array([1, 0])) == (0, 1)  # at least one place
    assert risk.hit_rate(np.array([0.5]), np.array([1])) == (1, 1)
    assert risk.hit_rate(np.array([]), np.array([])) == (0, 0)
    assert risk.hit_rate(np.arange(11.0), np.ones(11))[1] == 3  # ceil(2.2)


def test_quarter_ends_edges():
    year_2020 = [D(2020, 3, 31), D(2020, 6, 30), D(2020, 9, 30), D(2020, 12, 31)]
    assert risk.quarter_ends(D(2020, 3, 31), D(2020, 12, 31)) == year_2020
    assert risk.quarter_ends(D(2020, 4, 1), D(2020, 9, 29)) == [D(2020, 6, 30)]
    assert risk.quarter_ends(D(2019, 12, 31), D(2020, 3, 31)) == [D(2019, 12, 31), D(2020, 3, 31)]
    assert risk.quarter_ends(D(2020, 1, 1), D(2020, 3, 30)) == []
    assert risk.quarter_ends(D(2020, 7, 1), D(2020, 6, 30)) == []
    assert len(risk.quarter_ends(D(2020, 1, 1), D(2026, 12, 31))) == 28


# --------------------------------------------------------------------------
# Backtest


C1, C2 = D(2023, 6, 30), D(2023, 12, 31)


@pytest.fixture
def backtest_store(empty_engine) -> queries.Dataset:
    """At C1 four candidates, by score A > C > B > D (C is a business), by
    recency A > B > C > D; A and C re-emerge within 180 days (A exactly on
    day 180), B on day 181. At C2: F (re-emerged on C1, cleared again) > E >
    D by score, E > F > D by recency; only E re-emerges."""
    day180 = C1 + dt.timedelta(days=180)
    return build(empty_engine, {
        "A": (here(), PUBLIC, [*cleared(D(2023, 5, 1)), (day180, REEMERGED)]),
        "B": (here(1500), PUBLIC, [*cleared(D(2022, 6, 30)), (day180 + dt.timedelta(days=1), REEMERGED)]),
        "C": (here(-1500), BUSINESS, [*cleared(D(2021, 6, 30)), (D(2023, 9, 1), REEMERGED)]),
        "D": (here(0, 1500), PUBLIC, cleared(D(2020, 6, 30))),
        "E": (here(0, -1500), PUBLIC, [(D(2023, 9, 1), ACTIVE), (D(2023, 12, 1), CLEARED),
                                        (D(2024, 3, 1), REEMERGED)]),
        "F": (here(1500, 1500), PUBLIC, [*cleared(D(2022, 1, 1)), (C1, REEMERGED),
                                          (D(2023, 10, 1), CLEARED)]),
    })  # fmt: skip


def test_backtest_by_hand(backtest_store):
    result = risk.backtest(backtest_store, [C1, C2])
    rows = result.rows
    assert list(rows.columns) == ["cutoff", "id", "code", "score", "baseline", "label"]
    got = {(r.cutoff.date(), r.code): bool(r.label) for r in rows.itertuples()}
    assert got == {
        (C1, "A"): True, (C1, "C"): True, (C1, "B"): False, (C1, "D"): False,
        (C2, "F"): False, (C2, "E"): True, (C2, "D"): False,
    }  # fmt: skip
    first = rows[rows["cutoff"] == pd.Timestamp(C1)]
    assert first.sort_values("score", ascending=False)["code"].tolist() == ["A", "C", "B", "D"]
    assert first.sort_values("baseline", ascending=False)["code"].tolist() == ["A", "B", "C", "D"]
    second = rows[rows["cutoff"] == pd.Timestamp(C2)]
    assert second.sort_values("score", ascending=False)["code"].tolist() == ["F", "E", "D"]
    assert second.sort_values("baseline", ascending=False)["code"].tolist() == ["E", "F", "D"]

    per = result.per_cutoff
    assert [c.date() for c in per["cutoff"]] == [C1, C2]
    assert per["candidates"].tolist() == [4, 3]
    assert per["reemerged"].tolist() == [2, 1]
    assert per["auc_model"].tolist() == [1.0, 0.5]  # C2: E is below F, above D
    assert per["auc_baseline"].tolist() == [0.75, 1.0]  # C1: C is below B
    assert per["top_size"].tolist() == [1, 1]
    assert per["hits_model"].tolist() == [1, 0]
    assert per["hits_baseline"].tolist() == [1, 1]

    o = result.overall
    assert set(o) == {"cutoffs", "horizon_days", "candidates", "reemerged", "model", "baseline", "base_rate"}
    assert (o["cutoffs"], o["horizon_days"], o["candidates"], o["reemerged"]) == (2, 180, 7, 3)
    assert o["base_rate"] == pytest.approx(3 / 7)
    # Pooled over cutoffs on within-cutoff percentile ranks (hand count: 9.5 and 10 of 12 pairs).
    assert o["model"]["auc"] == pytest.approx(9.5 / 12)
    assert o["baseline"]["auc"] == pytest.approx(10 / 12)
    pct = {"score": [1, 0.5, 0.75, 0.25, 1, 2 / 3, 1 / 3]}
    order = [(C1, "A"), (C1, "B"), (C1, "C"), (C1, "D"), (C2, "F"), (C2, "E"), (C2, "D")]
    assert pairwise_auc(pct["score"], [got[k] for k in order]) == pytest.approx(9.5 / 12)
    assert o["model"]["top20_hit_rate"] == 0.5
    assert o["baseline"]["top20_hit_rate"] == 1.0


def test_backtest_horizon_decides_the_labels(backtest_store):
    labels = lambda days: dict(  # noqa: E731
        risk.backtest(backtest_store, [C1], horizon_days=days).rows[["code", "label"]].values.tolist()
    )
    assert labels(180) == {"A": True, "B": False, "C": True, "D": False}
    assert labels(181) == {"A": True, "B": True, "C": True, "D": False}
    assert labels(179) == {"A": False, "B": False, "C": True, "D": False}


def test_backtest_default_cutoffs_leave_a_full_horizon(backtest_store):
    result = risk.backtest(backtest_store)
    last = D(2024, 3, 1) - dt.timedelta(days=180)  # the last status change, minus the horizon
    assert [c.date() for c in result.per_cutoff["cutoff"]] == risk.quarter_ends(D(2020, 6, 30), last)


def test_backtest_without_candidates_is_empty_and_its_chart_says_so(empty_engine):
    ds = queries.load_dataset(empty_engine, Scope.city())
    result = risk.backtest(ds, [C1])
    assert result.rows.empty and result.overall["cutoffs"] == 0
    fig = charts.backtest_chart(result.per_cutoff)
    assert not fig.data
    assert fig.layout.annotations[0].text == t("chart.empty")


@pytest.fixture(scope="module")
def sample_backtest(sample_dataset) -> risk.Backtest:
    return risk.backtest(sample_dataset)


def test_model_beats_the_baseline_on_the_sample(sample_backtest):
    o = sample_backtest.overall
    assert o["cutoffs"] >= 20 and o["reemerged"] >= 20
    assert o["model"]["auc"] > o["baseline"]["auc"] > 0.5
    assert o["model"]["top20_hit_rate"] > o["baseline"]["top20_hit_rate"]
    assert o["model"]["top20_hit_rate"] > o["base_rate"]


def test_sample_backtest_is_consistent(sample_dataset, sample_backtest):
    rows, per = sample_backtest.rows, sample_backtest.per_cutoff
    last = sample_dataset.history["date"].max().date() - dt.timedelta(days=180)
    assert [c.date() for c in per["cutoff"]] == risk.quarter_ends(D(2020, 1, 1), last)
    reemerged = sample_dataset.history[sample_dataset.history["to_status"] == REEMERGED]
    for cutoff, group in rows.groupby("cutoff"):
        window = reemerged[
            (reemerged["date"] > cutoff) & (reemerged["date"] <= cutoff + pd.Timedelta(days=180))
        ]
        assert group["label"].tolist() == group["id"].isin(window["hotspot_id"]).tolist()
        row = per[per["cutoff"] == cutoff].iloc[0]
        expected = (
            pairwise_auc(group["score"].tolist(), group["label"].tolist()) if group["label"].any() else None
        )
        if expected is None:
            assert math.isnan(row["auc_model"])
        else:
            assert row["auc_model"] == pytest.approx(expected)
        assert row["top_size"] == max(1, math.ceil(0.2 * len(group)))
    assert per["candidates"].sum() == len(rows) == sample_backtest.overall["candidates"]


# --------------------------------------------------------------------------
# Survival


def test_kaplan_meier_textbook_example():
    km = survival.kaplan_meier(np.array([1, 2, 2, 3, 4]), np.array([1, 1, 0, 1, 0]))
    assert km["months"].tolist() == [0, 1, 2, 3, 4]
    assert km["at_risk"].tolist() == [5, 5, 4, 2, 1]
    assert km["events"].tolist() == [0, 1, 1, 1, 0]
    assert km["censored"].tolist() == [0, 0, 1, 0, 1]
    assert km["survival"].tolist() == pytest.approx([1, 0.8, 0.6, 0.3, 0.3])
    # Greenwood: 1/(5·4), + 1/(4·3), + 1/(2·1); band on the log(-log) scale.
    z = norm.ppf(0.975)
    for i, (s, var) in enumerate(
        [(0.8, 1 / 20), (0.6, 1 / 20 + 1 / 12), (0.3, 1 / 20 + 1 / 12 + 1 / 2)], start=1
    ):
        spread = z * math.sqrt(var) / abs(math.log(s))
        assert km.loc[i, "low"] == pytest.approx(s ** math.exp(spread))
        assert km.loc[i, "high"] == pytest.approx(s ** math.exp(-spread))
    assert (km["low"] <= km["survival"]).all() and (km["survival"] <= km["high"]).all()
    assert km.loc[0, ["low", "high"]].tolist() == [1, 1]
    assert (km["low"] >= 0).all() and (km["high"] <= 1).all()


def test_kaplan_meier_edges():
    assert survival.kaplan_meier(np.array([]), np.array([])).empty
    everyone = survival.kaplan_meier(np.array([2.0, 5.0]), np.array([1, 1]))
    assert everyone["survival"].tolist() == [1, 0.5, 0]
    nobody = survival.kaplan_meier(np.array([2.0, 5.0]), np.array([0, 0]))
    assert nobody["survival"].tolist() == [1, 1, 1]


def test_logrank_of_identical_groups():
    months = np.arange(1.0, 11.0)
    events = months % 2 == 0
    stat, p = survival.logrank(months, events, months, events)
    assert stat == pytest.approx(0) and p == pytest.approx(1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # t=1: O-E 1-2/4, V 1·½·½·3/3; t=2: O-E 1-1/3, V 1·⅓·⅔; t=3: nothing from A.
        (([1, 2], [1, 1]), ([3, 4], [1, 1]), (0.5 + 2 / 3) ** 2 / (0.25 + 2 / 9)),
        # Tied events: t=1: O-E 2-3·3/6, V 3·½·½·(6-3)/(6-1); t=2: O-E 1-1/3, V 1·⅓·⅔·1/1.
        (([1, 1, 2], [1, 1, 1]), ([1, 3, 3], [1, 0, 1]), (0.5 + 2 / 3) ** 2 / (0.45 + 2 / 9)),
    ],
    ids=["distinct times", "tied events"],
)
def test_logrank_by_hand(a, b, expected):
    stat, p = survival.logrank(*a, *b)
    assert stat == pytest.approx(expected)
    assert p == pytest.approx(chi2.sf(expected, 1))


def test_logrank_of_clearly_different_groups():
    early = np.arange(1.0, 21.0)
    stat, p = survival.logrank(early, np.ones(20), np.full(20, 60.0), np.zeros(20))
    assert stat > 10 and p < 0.05
    assert survival.logrank(early, np.ones(20), early + 0.5, np.ones(20))[1] > 0.05


def test_episodes_of_a_hand_made_history(empty_engine):
    as_of = D(2026, 6, 30)
    ds = build(empty_engine, {
        "W": (near(ward_border_point()), BUSINESS, [
            (START, ACTIVE), (D(2020, 3, 1), CLEARED), (D(2020, 9, 1), HANDED), (D(2021, 5, 1), REEMERGED),
            (D(2021, 6, 1), CLEARING), (D(2025, 9, 1), CLEARED)]),
        # Cleared under districts, re-emerged under wards: flagged by the start.
        "SPAN": (near(ward_border_point(), 10), PUBLIC, [*cleared(D(2025, 3, 1)),
                                                          (D(2025, 10, 1), REEMERGED)]),
        "LATER": (here(), PUBLIC, [*cleared(D(2025, 1, 1)), (D(2026, 8, 1), REEMERGED)]),
        "OPEN": (here(3000), PUBLIC, [(START, ACTIVE)]),
    })  # fmt: skip
    eps = survival.episodes(ds, as_of)
    assert list(eps.columns) == ["hotspot_id", "code", "kind", "start", "end", "months", "event", "border"]
    w = eps[eps["code"] == "W"].reset_index(drop=True)
    assert len(w) == 2
    assert [d.date() for d in w["start"]] == [D(2020, 3, 1), D(2025, 9, 1)]
    assert [d.date() for d in w["end"]] == [D(2021, 5, 1), as_of]
    assert w["event"].tolist() == [True, False]
    assert w["months"].tolist() == pytest.approx([426 / DAYS_PER_MONTH, 302 / DAYS_PER_MONTH], abs=0.01)
    # Near a ward boundary, far from district ones: a border episode only under wards.
    assert w["border"].tolist() == [False, True]
    assert set(w["kind"]) == {BUSINESS}
    span = eps[eps["code"] == "SPAN"]
    assert (span["event"].tolist(), span["border"].tolist()) == ([True], [False])
    later = eps[eps["code"] == "LATER"]
    assert later["event"].tolist() == [False]  # the re-emergence is after as_of
    assert later["end"].tolist() == [pd.Timestamp(as_of)]
    assert "OPEN" not in set(eps["code"])


def test_curves_and_group_test_on_the_sample(sample_dataset):
    eps = survival.episodes(sample_dataset, TODAY)
    assert len(eps) > 30 and eps["event"].sum() > 10
    assert list(survival.curves(eps)) == ["all"]
    overall = survival.curves(eps)["all"]
    assert overall["at_risk"].iloc[0] == len(eps) and overall["events"].sum() == eps["event"].sum()
    by_kind = survival.curves(eps, "kind")
    assert list(by_kind) == [k.value for k in HotspotKind]
    assert sum(c["at_risk"].iloc[0] for c in by_kind.values()) == len(eps)
    by_border = survival.curves(eps, "border")
    assert list(by_border) == ["border", "interior"]
    assert by_border["border"]["at_risk"].iloc[0] == eps["border"].sum()
    public = eps["kind"] == PUBLIC
    expected = survival.logrank(eps.loc[public, "months"], eps.loc[public, "event"],
                                eps.loc[~public, "months"], eps.loc[~public, "event"])  # fmt: skip
    assert survival.group_test(eps, "kind") == pytest.approx(expected)
    assert 0 <= survival.group_test(eps, "border")[1] <= 1


# --------------------------------------------------------------------------
# Map layer and charts


@pytest.fixture(scope="module")
def sample_scores(sample_dataset) -> pd.DataFrame:
    return risk.score(sample_dataset, TODAY)


def geojson_layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.GeoJson)}


def test_risk_layer_colours_and_sizes_the_scored_places(sample_dataset, sample_scores):
    view = queries.hotspot_view(sample_dataset, Filters.for_year(2026, TODAY))
    counts = {level: queries.open_counts(view, level) for level in UnitLevel}
    m = maps.build_map(view, counts, Tiles(None), risk=sample_scores)
    layer = geojson_layers(m)[t("map.risk")]
    features = layer.data["features"]
    assert len(features) == len(sample_scores)
    assert [f["properties"]["code"] for f in features] == sample_scores["code"].tolist()
    score = sample_scores.set_index("code")["score"]
    level = sample_scores.set_index("code")["level"]
    for f in features:
        code = f["properties"]["code"]
        style = layer.style_function(f)
        assert style["fillColor"] == risk.RISK_COLOURS[level[code]]
        assert f["properties"]["level"] == level[code]
    radius = {f["properties"]["code"]: style_radius(layer, f) for f in features}
    ordered = score.sort_values()
    radii = [radius[c] for c in ordered.index]
    assert radii == sorted(radii) and radii[-1] > radii[0]
    assert layer.marker.options["className"] == "risk-marker"
    assert not geojson_layers(m)[t("map.hotspots")].show  # the risk layer replaces the status markers
    assert "risk-marker" in json.dumps(layer.options)


def style_radius(layer: folium.GeoJson, feature: dict) -> float:
    return layer.style_function(feature)["radius"]


def test_map_without_scores_has_no_risk_layer(sample_dataset):
    view = queries.hotspot_view(sample_dataset, Filters.for_year(2026, TODAY))
    counts = {level: queries.open_counts(view, level) for level in UnitLevel}
    m = maps.build_map(view, counts, Tiles(None))
    assert t("map.risk") not in geojson_layers(m)
    assert geojson_layers(m)[t("map.hotspots")].show


def test_breakdown_bars_add_up_to_each_score(sample_scores):
    at_risk = sample_scores[sample_scores["score_type"] == "risk"]
    fig = charts.risk_breakdown_chart(at_risk)
    shown = at_risk.head(20)
    labels = [f"{c} · {n}" for c, n in zip(shown["code"], shown["name"], strict=True)]
    totals = dict.fromkeys(labels, 0.0)
    for trace in fig.data:
        for y, x in zip(trace.y, trace.x, strict=True):
            totals[y] += x
    assert set(totals) == set(labels)
    for label, score in zip(labels, shown["score"], strict=True):
        assert totals[label] == pytest.approx(score, abs=0.051), label
    names = {t(f"risk.factor.{f}"): f for f in risk.FACTORS}
    for trace in fig.data:
        assert trace.marker.color == charts.FACTOR_COLOURS[names[trace.name]]
    assert t("risk.factor.duration") not in {trace.name for trace in fig.data}
    assert charts.risk_breakdown_chart(at_risk.iloc[:0]).layout.annotations[0].text == t("chart.empty")


def test_survival_chart_has_one_line_per_group(sample_dataset):
    eps = survival.episodes(sample_dataset, TODAY)
    curves = survival.curves(eps, "kind")
    labels = {k.value: t(f"kind.{k.value}") for k in HotspotKind}
    fig = charts.survival_chart(curves, labels, "KM")
    lines = [trace for trace in fig.data if trace.showlegend is not False]
    assert [trace.name for trace in lines] == [labels[k.value] for k in HotspotKind]
    for trace, curve in zip(lines, curves.values(), strict=True):
        assert list(trace.y) == pytest.approx(curve["survival"].tolist())
        assert trace.line.shape == "hv"
    assert len(fig.data) == 3 * len(lines)  # each with its band
    one = charts.survival_chart(survival.curves(eps), {"all": "Tất cả"}, "KM")
    assert [trace.name for trace in one.data if trace.showlegend is not False] == ["Tất cả"]


def test_backtest_chart_shows_the_per_cutoff_aucs(sample_backtest):
    per = sample_backtest.per_cutoff.dropna(subset=["auc_model"])
    fig = charts.backtest_chart(sample_backtest.per_cutoff)
    traces = {trace.name: trace for trace in fig.data}
    assert list(traces) == [t("risk.model"), t("risk.baseline")]
    assert list(traces[t("risk.model")].y) == pytest.approx(per["auc_model"].tolist())
    assert list(traces[t("risk.baseline")].y) == pytest.approx(per["auc_baseline"].tolist())


def test_risk_border_chart_groups_border_and_interior_places(sample_scores):
    fig = charts.risk_border_chart(sample_scores)
    at_risk = sample_scores[sample_scores["score_type"] == "risk"]
    boxes = {trace.name: trace for trace in fig.data}
    assert list(boxes) == [t("risk.border_group"), t("risk.interior_group")]
    inside = at_risk["in_border_zone"].astype(bool)
    assert sorted(boxes[t("risk.border_group")].y) == sorted(at_risk.loc[inside, "score"])
    assert sorted(boxes[t("risk.interior_group")].y) == sorted(at_risk.loc[~inside, "score"])
    assert inside.any() and (~inside).any()


def test_category_chart_counts_wards_per_category():
    categories = pd.Series(["new", "none", "persistent", "new", "none"], index=list("abcde"))
    fig = charts.category_chart(categories, {"new": "Mới", "persistent": "Dai dẳng"})
    (bars,) = fig.data
    assert dict(zip(bars.x, bars.y, strict=True)) == {"Mới": 2, "Dai dẳng": 1}
    empty = charts.category_chart(pd.Series(["none"]), {})
    assert empty.layout.annotations[0].text == t("chart.empty")


def test_weights_are_one_frozen_place():
    assert dataclasses.is_dataclass(WEIGHTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        WEIGHTS.border_points = 0  # type: ignore[misc]
    assert WEIGHTS.border_zone_m == border.DEFAULT_ZONE_M == 300
