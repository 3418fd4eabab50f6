"""Deterministic, fictional data at scale for :mod:`bench_scale`: generated and
inserted in batches with SQLAlchemy Core into the project's own tables.

Nothing here describes a real place or person: hotspots are ``SC-00001``,
"Điểm thử tải 00001", at random points inside Hà Nội's wards; statuses follow
:data:`dashboard.domain.TRANSITIONS`; one plan a year 2020–2026 with targets;
activities spread over 2019–2026 with small counts. The store is marked as
sample data, as :func:`dashboard.sample.load_sample` does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely
import sqlalchemy as sa

from dashboard import store
from dashboard.domain import (
    COUNT_COLUMNS,
    REFORM_DATE,
    ActivityKind,
    HotspotKind,
    Status,
    TargetType,
    UnitLevel,
    check_transition,
)
from dashboard.geo import load_units, locate, ward_districts

SEED = 20260101
START = dt.date(2019, 1, 1)
END = dt.date(2026, 11, 20)
PLAN_YEARS = range(2020, 2027)
BATCH = 20_000
#: Share of activities that are area-wide briefings (no hotspot).
AREA_SHARE = 0.05
UNIT = "Đơn vị thử tải"

#: Kinds of activity on a hotspot, and their shares.
HOTSPOT_KINDS = (
    ActivityKind.PATROL,
    ActivityKind.INSPECTION,
    ActivityKind.INVESTIGATION,
    ActivityKind.OUTREACH,
    ActivityKind.STATIONED_POST,
)
HOTSPOT_KIND_P = (0.45, 0.2, 0.1, 0.12, 0.13)

#: Next-status weights (every pair is in TRANSITIONS; checked while generating).
NEXT = {
    Status.ACTIVE: {Status.CLEARING: 0.8, Status.CLEARED: 0.2},
    Status.CLEARING: {Status.CLEARED: 0.85, Status.ACTIVE: 0.15},
    Status.CLEARED: {Status.HANDED_OVER: 0.75, Status.REEMERGED: 0.25},
    Status.HANDED_OVER: {Status.REEMERGED: 1.0},
    Status.REEMERGED: {Status.CLEARING: 0.7, Status.CLEARED: 0.3},
}
#: Chance that a step from a settled status brings no change (the place stays clean).
STAY = {Status.CLEARED: 0.3, Status.HANDED_OVER: 0.75}


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random points, each inside a randomly chosen ward (rejection sampling)."""
    wards = load_units(UnitLevel.WARD)
    geoms = wards.geometry.to_numpy()
    bounds = shapely.bounds(geoms)
    choice = rng.integers(0, len(geoms), n)
    lat, lon = np.empty(n), np.empty(n)
    todo = np.arange(n)
    while todo.size:
        b = bounds[choice[todo]]
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        inside = shapely.contains_xy(geoms[choice[todo]], x, y)
        lon[todo[inside]], lat[todo[inside]] = x[inside], y[inside]
        todo = todo[~inside]
    return lat, lon


def _history(rng: np.random.Generator, first: dt.date) -> list[tuple[dt.date, Status]]:
    """A valid status history from ``first`` to :data:`END`."""
    if first == START:
        status = Status(rng.choice([Status.ACTIVE, Status.CLEARED, Status.HANDED_OVER], p=[0.6, 0.15, 0.25]))
    else:
        status = Status.ACTIVE
    out = [(first, status)]
    date = first
    while True:
        date += dt.timedelta(days=int(rng.integers(45, 420)))
        if date > END:
            return out
        if rng.random() < STAY.get(status, 0.0):
            continue
        options = NEXT[status]
        new = Status(rng.choice(list(options), p=list(options.values())))
        check_transition(status, new)
        out.append((date, new))
        status = new


def _status_on(history: list[tuple[dt.date, Status]], date: dt.date) -> Status | None:
    current = None
    for day, status in history:
        if day > date:
            break
        current = status
    return current


def load(engine: sa.Engine, hotspots: int, activities: int, seed: int = SEED) -> dict[str, int]:
    """Fill an empty store with the generated data, in one transaction; row counts."""
    rng = np.random.default_rng(seed)
    span = (END - START).days
    lat, lon = _points(rng, hotspots)
    where = locate(lat, lon)  # one vectorised call; raises if a point is outside the city
    ward_names = load_units(UnitLevel.WARD)["name"].to_dict()
    # 60 % known from the start, the others appear later (at least a month before the end).
    first_off = np.where(rng.random(hotspots) < 0.6, 0, rng.integers(1, span - 30, hotspots))
    kinds = rng.choice([k.value for k in HotspotKind], hotspots, p=[0.55, 0.45])
    ids = np.arange(1, hotspots + 1)
    wards = where["ward_code"].to_numpy()
    districts = where["district_code"].to_numpy()

    spots, changes, histories = [], [], []
    for i in range(hotspots):
        history = _history(rng, START + dt.timedelta(days=int(first_off[i])))
        histories.append(history)
        number = f"{i + 1:05d}"
        spots.append(
            {
                "id": int(ids[i]),
                "code": f"SC-{number}",
                "name": f"Điểm thử tải {number}",
                "kind": str(kinds[i]),
                "lat": float(lat[i]),
                "lon": float(lon[i]),
                "ward_code": wards[i],
                "district_code": districts[i],
                "status": history[-1][1].value,
                "responsible_unit": f"UBND {ward_names[wards[i]]}",
                "notes": "Dữ liệu thử tải",
            }
        )
        previous = None
        for date, status in history:
            changes.append(
                {
                    "hotspot_id": int(ids[i]),
                    "date": date,
                    "from_status": previous.value if previous else None,
                    "to_status": status.value,
                    "reason": "Dữ liệu thử tải",
                    "recorded_by": UNIT,
                }
            )
            previous = status

    plans, targets = [], []
    for pid, year in enumerate(PLAN_YEARS, start=1):
        plans.append(
            {
                "id": pid,
                "year": year,
                "doc_number": f"THỬ-{year}/KH",
                "doc_date": dt.date(year, 1, 15),
                "title": f"Kế hoạch thử tải năm {year}",
            }
        )
        ward_level = dt.date(year, 1, 1) >= REFORM_DATE
        for i, history in enumerate(histories):
            status = _status_on(history, dt.date(year, 1, 15))
            if status in (Status.ACTIVE, Status.CLEARING, Status.REEMERGED):
                target = TargetType.CLEAR
            elif status == Status.HANDED_OVER:
                target = TargetType.KEEP_CLEAN
            else:
                continue
            targets.append(
                {
                    "plan_id": pid,
                    "hotspot_id": int(ids[i]),
                    "target_type": target.value,
                    "assigned_level": (UnitLevel.WARD if ward_level else UnitLevel.DISTRICT).value,
                    "assigned_code": wards[i] if ward_level else districts[i],
                }
            )

    days = [START + dt.timedelta(days=d) for d in range(span + 1)]
    reform_off = (REFORM_DATE - START).days
    all_wards = np.array(sorted(ward_districts()))
    all_districts = np.array(sorted(load_units(UnitLevel.DISTRICT).index))
    ward_district = ward_districts()
    with engine.begin() as conn:
        conn.execute(store.hotspot.insert(), spots)
        for i in range(0, len(changes), BATCH):
            conn.execute(store.status_change.insert(), changes[i : i + BATCH])
        conn.execute(store.plan.insert(), plans)
        for i in range(0, len(targets), BATCH):
            conn.execute(store.plan_target.insert(), targets[i : i + BATCH])
        done = 0
        while done < activities:
            n = min(BATCH, activities - done)
            conn.execute(
                store.activity.insert(),
                _activity_batch(
                    rng, n, first_off, ids, wards, districts, days, reform_off, all_wards, all_districts,
                    ward_district,
                ),
            )
            done += n
        store.set_meta(conn, "sample_data", "1")
        store.set_meta(conn, "sample_seed", f"bench_scale {seed}")
    return {
        "hotspots": hotspots,
        "status_changes": len(changes),
        "plans": len(plans),
        "targets": len(targets),
        "activities": activities,
    }


def _activity_batch(
    rng, n, first_off, ids, wards, districts, days, reform_off, all_wards, all_districts, ward_district
) -> list[dict]:
    """``n`` activity rows with their place columns filled as
    :func:`dashboard.store.add_activities` fills them."""
    span = len(days) - 1
    area = rng.random(n) < AREA_SHARE
    spot = rng.integers(0, len(ids), n)
    start = np.where(area, 0, first_off[spot])
    off = start + (rng.random(n) * (span - start + 1)).astype(int)
    kind = np.array([k.value for k in HOTSPOT_KINDS])[rng.choice(len(HOTSPOT_KINDS), n, p=HOTSPOT_KIND_P)]
    violations = rng.poisson(0.4, n)
    cases = rng.binomial(violations, 0.5)
    sanctioned = rng.binomial(cases, 0.5)
    fines = sanctioned * rng.choice([5, 10, 15, 20, 30], n) * 1_000_000
    referred = rng.poisson(0.03, n)
    area_ward = all_wards[rng.integers(0, len(all_wards), n)]
    area_district = all_districts[rng.integers(0, len(all_districts), n)]
    rows = []
    columns = zip(
        area.tolist(), spot.tolist(), off.tolist(), kind.tolist(), violations.tolist(), cases.tolist(),
        sanctioned.tolist(), fines.tolist(), referred.tolist(), area_ward.tolist(), area_district.tolist(),
        strict=True,
    )
    for is_area, s, o, k, v, c, e, f, r, aw, ad in columns:
        before = o < reform_off
        if is_area:  # a labour office's monthly briefing: district before the reform, ward after
            ward, district = (None, ad) if before else (aw, ward_district[aw])
            row = {"hotspot_id": None, "kind": ActivityKind.BRIEFING.value, **dict.fromkeys(COUNT_COLUMNS, 0)}
        else:
            ward, district = wards[s], districts[s]
            row = {
                "hotspot_id": s + 1,
                "kind": k,
                "violations_found": v,
                "cases_handled": c,
                "establishments_sanctioned": e,
                "fines_vnd": f,
                "people_referred": r,
            }
        row["date"] = days[o]
        row["ward_code"] = ward
        row["district_code"] = district
        row["unit"] = UNIT
        row["unit_code"] = district if before else ward or district
        rows.append(row)
    return rows
