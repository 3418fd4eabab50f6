"""The deterministic sample data (dashboard.sample)."""

from __future__ import annotations

import collections
import datetime as dt
import re

import geopandas as gpd
import pytest
import shapely

from dashboard import store
from dashboard.domain import HotspotKind, Status, TargetType, UnitLevel, check_transition
from dashboard.geo import METRIC_CRS, load_units
from dashboard.sample import SEED, ensure_data, generate, load_sample
from dashboard.scope import Scope

NAME = re.compile(r"^(Điểm công cộng|Cơ sở dịch vụ) [A-Za-z]+-\d{2}$")


@pytest.fixture(scope="module")
def data():
    return generate()


def summary(d) -> tuple:
    """Everything generated, in comparable form."""
    return (
        [(s.code, s.name, s.kind, s.lat, s.lon, s.ward_code, s.history) for s in d.hotspots],
        d.plans,
        d.targets,
        d.activities,
    )


def test_same_seed_gives_the_same_data(data):
    again = generate(SEED)
    assert summary(again) == summary(data)
    assert len(again.activities) == len(data.activities)


def test_another_seed_gives_other_data(data):
    other = generate(SEED + 1)
    assert [(s.lat, s.lon) for s in other.hotspots] != [(s.lat, s.lon) for s in data.hotspots]
    assert [s.history for s in other.hotspots] != [s.history for s in data.hotspots]


def test_2020_plan_matches_the_city_plan(data):
    (plan,) = [p for p in data.plans if p["year"] == 2020]
    assert plan["doc_number"] == "16/KH-UBND"
    assert plan["doc_date"] == dt.date(2020, 1, 20)
    kinds = collections.Counter(t["target_type"] for t in data.targets if t["year"] == 2020)
    assert kinds == {TargetType.CLEAR: 13, TargetType.KEEP_CLEAN: 6}
    # Keep-clean targets were handed over before the plan; clear targets were open.
    by_code = {s.code: s for s in data.hotspots}
    for target in (t for t in data.targets if t["year"] == 2020):
        before = [h for h in by_code[target["hotspot_code"]].history if h[0] < dt.date(2020, 1, 1)]
        last = before[-1][1]
        if target["target_type"] == TargetType.KEEP_CLEAN:
            assert last == Status.HANDED_OVER
        else:
            assert last in (Status.ACTIVE, Status.CLEARING, Status.REEMERGED)


def test_every_year_has_a_plan_and_other_plans_are_marked_as_samples(data):
    assert [p["year"] for p in data.plans] == list(range(2019, 2027))
    for plan in data.plans:
        if plan["year"] != 2020:
            assert "mẫu" in plan["title"]


def test_history_spans_2019_to_november_2026(data):
    starts = [s.history[0] for s in data.hotspots]
    # Open hotspots at the start are recorded on 01/01/2019; hotspots cleared
    # before then carry their earlier clearance and handover.
    assert min(d for d, status, *_ in starts if status == Status.ACTIVE) == dt.date(2019, 1, 1)
    for s in data.hotspots:
        for date, status, *_ in s.history:
            if date < dt.date(2019, 1, 1):
                assert status in (Status.CLEARED, Status.HANDED_OVER)
    dates = [d for s in data.hotspots for d, *_ in s.history] + [a["date"] for a in data.activities]
    assert max(dates).replace(day=1) == dt.date(2026, 11, 1)
    assert min(a["date"] for a in data.activities).replace(day=1) == dt.date(2019, 1, 1)


def test_hundreds_of_activities_every_year(data):
    per_year = collections.Counter(a["date"].year for a in data.activities)
    for year in range(2019, 2026):
        assert per_year[year] >= 300, year
    kinds = collections.Counter(a["kind"] for a in data.activities)
    assert set(kinds) == {"patrol", "inspection", "investigation", "outreach", "stationed_post", "briefing"}


def test_briefings_follow_the_reform(data):
    reform = dt.date(2025, 7, 1)
    for a in data.activities:
        if a["kind"] == "briefing":
            assert "hotspot_code" not in a
            assert ("ward_code" in a) == (a["date"] >= reform)
            assert ("district_code" in a) == (a["date"] < reform)


def test_some_hotspots_reemerge(data):
    reemerged = [s for s in data.hotspots if any(h[1] == Status.REEMERGED for h in s.history)]
    assert len(reemerged) >= 3
    assert {s.kind for s in data.hotspots} == set(HotspotKind)


def test_some_hotspots_lie_near_a_former_district_border(data):
    districts = load_units(UnitLevel.DISTRICT).to_crs(METRIC_CRS)
    city = shapely.union_all(districts.geometry.values)
    # Borders between two districts: district outlines minus the city's edge.
    inner = shapely.difference(shapely.union_all(districts.boundary.values), city.boundary.buffer(1))
    points = gpd.GeoSeries.from_xy(
        [s.lon for s in data.hotspots], [s.lat for s in data.hotspots], crs="EPSG:4326"
    ).to_crs(METRIC_CRS)
    distance = shapely.distance(points.values, inner)
    assert (distance <= 300).sum() >= 5
    assert (distance > 300).sum() >= 5


def test_names_are_generic(data):
    names = [s.name for s in data.hotspots]
    assert len(set(names)) == len(names)
    for spot in data.hotspots:
        assert NAME.match(spot.name), spot.name
        assert spot.name.startswith(
            "Điểm công cộng" if spot.kind == HotspotKind.PUBLIC_AREA else "Cơ sở dịch vụ"
        )


def test_histories_are_ordered_lifecycles(data):
    for spot in data.hotspots:
        dates = [h[0] for h in spot.history]
        assert dates == sorted(dates), spot.code
        assert len(set(dates)) == len(dates), spot.code
        old = None
        for _, status, _reason, _by in spot.history:
            check_transition(old, status)
            old = status
        assert spot.status == spot.history[-1][1]


def test_stored_history_matches_the_lifecycle(sample_dataset):
    hist = sample_dataset.history
    for _, rows in hist.groupby("hotspot_id"):
        rows = rows.sort_values(["date", "id"])
        assert rows["from_status"].iloc[0] is None or rows["from_status"].isna().iloc[0]
        assert rows["from_status"].iloc[1:].tolist() == rows["to_status"].iloc[:-1].tolist()
    last = hist.sort_values(["date", "id"]).groupby("hotspot_id")["to_status"].last()
    current = sample_dataset.hotspots.set_index("id")["status"]
    assert current.sort_index().tolist() == last.sort_index().tolist()


def test_load_sample_marks_and_replaces(empty_engine, data, monkeypatch):
    # The generated data is checked above; reuse it rather than simulate again.
    monkeypatch.setattr("dashboard.sample.generate", lambda seed: data)
    first = load_sample(empty_engine)
    assert store.is_sample_data(empty_engine)
    with empty_engine.begin() as conn:
        assert store.get_meta(conn, "sample_seed") == str(SEED)
        store.set_meta(conn, "leftover", "1")
        store.add_activities(conn, [{"date": dt.date(2020, 1, 5), "kind": "patrol", "district_code": "002"}])
    second = load_sample(empty_engine)
    assert first == second
    city = Scope.city()
    assert len(store.read_hotspots(empty_engine, city)) == len(data.hotspots) == second["hotspots"]
    assert len(store.read_activities(empty_engine, city)) == len(data.activities) == second["activities"]
    assert len(store.read_status_history(empty_engine, city)) == second["status_changes"]
    assert second["status_changes"] == sum(len(s.history) for s in data.hotspots)
    assert len(store.read_targets(empty_engine, city)) == len(data.targets) == second["targets"]
    assert len(store.read_plans(empty_engine)) == len(data.plans) == second["plans"]
    with empty_engine.connect() as conn:
        assert store.get_meta(conn, "leftover") is None
        assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)
    assert not ensure_data(empty_engine)


def test_ensure_data_fills_only_an_empty_store(sample_engine, empty_engine, monkeypatch):
    calls = []
    monkeypatch.setattr("dashboard.sample.load_sample", lambda engine: calls.append(engine))
    assert not ensure_data(sample_engine)
    assert ensure_data(empty_engine)
    assert calls == [empty_engine]


def test_sample_store_holds_the_generated_data(sample_dataset, data):
    hotspots = sample_dataset.hotspots.set_index("code")
    assert list(hotspots.index) == [s.code for s in data.hotspots]
    for spot in data.hotspots:
        row = hotspots.loc[spot.code]
        assert (row["ward_code"], row["district_code"]) == (spot.ward_code, spot.district_code)
        assert row["status"] == spot.history[-1][1]
