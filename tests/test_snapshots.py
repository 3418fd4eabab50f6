"""Process-wide snapshots of the store: shared, refreshed per kind of change, never stale."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
import time

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from dashboard import snapshots, store
from dashboard.caches import SharedCache
from dashboard.domain import Status
from dashboard.queries import Dataset, load_dataset
from dashboard.scope import Scope

CITY = Scope.city()
FRAMES = ("hotspots", "history", "activities", "plans", "targets", "notes")


@pytest.fixture
def engine(store_copy):
    snapshots.forget()
    engine = store.open_store(store_copy)
    yield engine
    engine.dispose()
    snapshots.forget()


def _same_as_store(engine, ds: Dataset, scope: Scope = CITY) -> None:
    fresh = load_dataset(engine, scope)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(ds, name), getattr(fresh, name), obj=name)


def _spot(engine, status: Status = Status.HANDED_OVER) -> dict:
    spots = store.read_hotspots(engine, CITY)
    return spots[spots["status"] == status].iloc[0].to_dict()


def test_a_dataset_is_the_store_as_read_directly_and_is_shared(engine):
    first = snapshots.dataset(engine, CITY)
    _same_as_store(engine, first)
    again = snapshots.dataset(engine, CITY)
    for name in FRAMES:
        assert getattr(again, name) is getattr(first, name), name  # one copy for every session
    assert again.version == first.version and first.version[0] == snapshots.store_key(engine)


def test_a_scope_gets_its_own_rows_only(engine):
    spots = store.read_hotspots(engine, CITY)
    ward = spots["ward_code"].value_counts().index[0]
    scope = Scope(ward_codes=frozenset({ward}))
    ds = snapshots.dataset(engine, scope)
    assert set(ds.hotspots["ward_code"]) == {ward}
    _same_as_store(engine, ds, scope)
    assert ds.version != snapshots.dataset(engine, CITY).version


def test_a_status_change_reloads_hotspots_not_activities(engine):
    before = snapshots.dataset(engine, CITY)
    spot = _spot(engine)
    with engine.begin() as conn:
        store.record_status(conn, spot["id"], dt.date(2026, 11, 1), Status.REEMERGED, "thử", "Phòng thử")
    after = snapshots.dataset(engine, CITY)
    assert after.activities is before.activities and after.notes is before.notes
    assert after.hotspots is not before.hotspots and after.history is not before.history
    assert after.hotspots.set_index("id").loc[spot["id"], "status"] == Status.REEMERGED
    assert after.version != before.version
    _same_as_store(engine, after)


def test_a_note_reloads_only_the_notes(engine):
    before = snapshots.dataset(engine, CITY)
    unit = before.hotspots["ward_code"].iloc[0]
    note = {"month": dt.date(2026, 10, 1), "level": "ward", "unit_code": unit, "difficulties": "Khó khăn thử"}
    with engine.begin() as conn:
        store.save_note(conn, note | {"recorded_by": "Phòng thử"})
    after = snapshots.dataset(engine, CITY)
    for name in ("hotspots", "history", "activities", "plans", "targets"):
        assert getattr(after, name) is getattr(before, name), name
    assert after.notes is not before.notes
    assert "Khó khăn thử" in set(after.notes["difficulties"])
    _same_as_store(engine, after)


def test_added_activities_are_read_alone_and_match_a_full_read(engine, monkeypatch):
    before = snapshots.dataset(engine, CITY)
    spot = _spot(engine)
    reads = []
    real = store.read_activities
    monkeypatch.setattr(store, "read_activities", lambda e, s, **kw: reads.append(kw) or real(e, s, **kw))
    rows = [
        {"date": dt.date(2024, 3, 5), "kind": "patrol", "hotspot_id": spot["id"], "violations_found": 2},
        {"date": dt.date(2026, 11, 2), "kind": "inspection", "hotspot_id": spot["id"]},
    ]
    with engine.begin() as conn:
        store.add_activities(conn, rows)
    after = snapshots.dataset(engine, CITY)
    assert reads == [{"after_id": int(before.activities["id"].max())}]  # only the new rows
    assert len(after.activities) == len(before.activities) + 2
    assert before.activities["date"].is_monotonic_increasing  # the old frame is untouched
    _same_as_store(engine, after)  # same order (by date, then id) and dtypes as a full read


def _tables_read(monkeypatch) -> list[str]:
    """The names of the hotspot-placed tables read from now on."""
    names: list[str] = []
    for name in ("read_hotspots", "read_status_history", "read_targets", "read_tasks"):
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda e, s, _n=name, _r=real: names.append(_n) or _r(e, s))
    return names


def test_a_moved_hotspot_reads_the_city_s_history_targets_and_tasks_no_more(engine, monkeypatch):
    """A move changes the hotspot's row, not its history, targets or tasks: for the whole city
    those stay as held; a district's are found through its hotspots' places and are read again."""
    spot = _spot(engine)
    district = Scope(district_codes=frozenset({spot["district_code"]}))
    city_before, district_before = snapshots.dataset(engine, CITY), snapshots.dataset(engine, district)
    other = _elsewhere(engine, spot)
    read = _tables_read(monkeypatch)
    with engine.begin() as conn:
        store.update_hotspot(conn, spot["id"], lat=other["lat"], lon=other["lon"],
                             ward_code=other["ward_code"], district_code=other["district_code"])  # fmt: skip
    city = snapshots.dataset(engine, CITY)
    assert read == ["read_hotspots"]
    for name in ("history", "targets", "tasks"):
        assert getattr(city, name) is getattr(city_before, name), name
    assert city.hotspots.set_index("id").loc[spot["id"], "ward_code"] == other["ward_code"]
    _same_as_store(engine, city)
    read.clear()
    moved_out = snapshots.dataset(engine, district)
    assert sorted(read) == ["read_hotspots", "read_status_history", "read_targets", "read_tasks"]
    if other["district_code"] != spot["district_code"]:
        assert spot["id"] not in set(moved_out.history["hotspot_id"])
        assert spot["id"] in set(district_before.history["hotspot_id"])
    _same_as_store(engine, moved_out, district)
    # A status change reads the history again, for the city too.
    read.clear()
    with engine.begin() as conn:
        store.record_status(conn, spot["id"], dt.date(2026, 11, 1), Status.REEMERGED, "thử", "Phòng thử")
    assert snapshots.dataset(engine, CITY).history is not city.history
    assert "read_status_history" in read


def _reads(monkeypatch) -> list[dict]:
    """The keyword arguments of every read of activities from now on."""
    reads: list[dict] = []
    real = store.read_activities
    monkeypatch.setattr(store, "read_activities", lambda e, s, **kw: reads.append(kw) or real(e, s, **kw))
    return reads


def _elsewhere(engine, spot: dict) -> pd.Series:
    """A hotspot of another ward than ``spot``'s."""
    return store.read_hotspots(engine, CITY).query("ward_code != @spot['ward_code']").iloc[0]


def test_only_a_moved_hotspot_s_activities_are_read_again(engine, monkeypatch):
    """Moving a hotspot (its activities follow it to the new ward) read the whole table again:
    at 1,000,000 activities every process of the department waited seconds for it."""
    before = snapshots.dataset(engine, CITY)
    spot = _spot(engine)
    other = _elsewhere(engine, spot)
    reads = _reads(monkeypatch)
    with engine.begin() as conn:
        store.relocate_activities(conn, spot["id"], other["ward_code"], other["district_code"])
    after = snapshots.dataset(engine, CITY)
    assert reads == [{"hotspots": {spot["id"]}}, {"after_id": int(before.activities["id"].max())}]
    moved = after.activities[after.activities["hotspot_id"] == spot["id"]]
    assert len(moved) and set(moved["ward_code"]) == {other["ward_code"]}
    assert set(before.activities.loc[before.activities["hotspot_id"] == spot["id"], "ward_code"]) == {
        spot["ward_code"]
    }  # the old frame is untouched
    _same_as_store(engine, after)


def test_moves_one_after_another_with_new_activities_are_read_together(engine, monkeypatch):
    before = snapshots.dataset(engine, CITY)
    spots = store.read_hotspots(engine, CITY)
    first, second = spots.iloc[0].to_dict(), spots.iloc[-1].to_dict()
    other = _elsewhere(engine, first)
    reads = _reads(monkeypatch)
    with engine.begin() as conn:
        store.relocate_activities(conn, first["id"], other["ward_code"], other["district_code"])
    with engine.begin() as conn:  # another transaction: the chain goes on from the first
        new = {"date": dt.date(2026, 11, 3), "kind": "patrol", "hotspot_id": second["id"]}
        store.add_activities(conn, [new])
        store.relocate_activities(conn, second["id"], other["ward_code"], other["district_code"])
        store.relocate_activities(conn, first["id"], first["ward_code"], first["district_code"])
    after = snapshots.dataset(engine, CITY)
    newest = int(before.activities["id"].max())
    assert reads == [{"hotspots": {first["id"], second["id"]}}, {"after_id": newest}]
    assert len(after.activities) == len(before.activities) + 1
    _same_as_store(engine, after)


def test_a_rewrite_not_listed_reads_everything_again(engine, monkeypatch):
    snapshots.dataset(engine, CITY)
    spot = _spot(engine)
    other = _elsewhere(engine, spot)
    with engine.begin() as conn:
        store.relocate_activities(conn, spot["id"], other["ward_code"], other["district_code"])
        mine = store.activity.c.hotspot_id == spot["id"]
        conn.execute(store.activity.update().where(mine).values(unit="Đội khác"))
        store.touch(conn, "activities", "activities_rewrite")  # a rewrite that names no hotspot
    reads = _reads(monkeypatch)
    after = snapshots.dataset(engine, CITY)
    assert reads == [{}]
    _same_as_store(engine, after)


def test_a_hotspot_moved_out_of_an_officer_s_ward_takes_its_activities_along(engine, monkeypatch):
    spots = store.read_hotspots(engine, CITY)
    ward = spots["ward_code"].value_counts().index[0]
    scope = Scope(ward_codes=frozenset({ward}))
    before = snapshots.dataset(engine, scope)
    spot = before.hotspots[before.hotspots["id"].isin(before.activities["hotspot_id"])].iloc[0].to_dict()
    other = _elsewhere(engine, spot)
    with engine.begin() as conn:
        conn.execute(
            store.hotspot.update().where(store.hotspot.c.id == spot["id"])
            .values(ward_code=other["ward_code"], district_code=other["district_code"])
        )  # fmt: skip
        store.touch(conn, "hotspots")
        store.relocate_activities(conn, spot["id"], other["ward_code"], other["district_code"])
    reads = _reads(monkeypatch)
    after = snapshots.dataset(engine, scope)
    assert reads and "hotspots" in reads[0]  # just the moved hotspot's rows
    assert spot["id"] not in set(after.activities["hotspot_id"])
    assert spot["id"] in set(before.activities["hotspot_id"])
    _same_as_store(engine, after, scope)


def test_the_list_of_rewrites_keeps_the_latest_only(engine):
    spot = _spot(engine)
    with engine.begin() as conn:
        for _ in range(store.REWRITES_KEPT + 5):
            store.relocate_activities(conn, spot["id"], spot["ward_code"], spot["district_code"])
    with engine.connect() as conn:
        listed = json.loads(store.get_meta(conn, store.REWRITES))
        now = store.generations(conn)["activities_rewrite"]
        assert len(listed) == store.REWRITES_KEPT and listed[-1]["to"] == now
        assert all(a["to"] == b["from"] for a, b in itertools.pairwise(listed))
        assert store.rewritten_hotspots(conn, listed[0]["from"], now) == {spot["id"]}
        assert store.rewritten_hotspots(conn, "not-a-generation", now) is None


def test_rows_missed_by_an_out_of_order_commit_force_a_full_read(engine, monkeypatch):
    """A row whose id is below the newest one held (a writer that committed later) is not lost."""
    before = snapshots.dataset(engine, CITY)
    oldest = int(before.activities["id"].min())
    with engine.begin() as conn:  # gone behind the cache's back: the count no longer matches
        conn.execute(store.activity.delete().where(store.activity.c.id == oldest))
        store.add_activities(conn, [{"date": dt.date(2026, 1, 5), "kind": "patrol", "ward_code": "00004"}])
    after = snapshots.dataset(engine, CITY)
    assert oldest not in set(after.activities["id"])
    _same_as_store(engine, after)


def test_a_change_by_another_process_is_seen(engine, store_copy):
    before = snapshots.dataset(engine, CITY)
    other = sa.create_engine(store_copy)  # another app process: its own engine, no shared memory
    spot = _spot(engine)
    with other.begin() as conn:
        store.update_hotspot(conn, spot["id"], name="Điểm đổi tên")
    other.dispose()
    after = snapshots.dataset(engine, CITY)
    assert after.hotspots.set_index("id").loc[spot["id"], "name"] == "Điểm đổi tên"
    assert after.activities is before.activities


def test_derived_results_follow_the_data(engine):
    calls = []

    def compute(ds):
        calls.append(1)
        return len(ds.hotspots)

    ds = snapshots.dataset(engine, CITY)
    assert snapshots.derived(ds, "n", (1,), lambda: compute(ds)) == len(ds.hotspots)
    assert snapshots.derived(snapshots.dataset(engine, CITY), "n", (1,), lambda: compute(ds)) == len(
        ds.hotspots
    )
    assert len(calls) == 1
    snapshots.derived(ds, "n", (2,), lambda: compute(ds))  # another key
    assert len(calls) == 2
    with engine.begin() as conn:
        store.update_hotspot(conn, int(ds.hotspots["id"].iloc[0]), notes="đổi")
    new = snapshots.dataset(engine, CITY)
    snapshots.derived(new, "n", (1,), lambda: compute(new))
    assert len(calls) == 3
    hand_made = Dataset(ds.hotspots, ds.history, ds.activities, ds.plans, ds.targets)
    snapshots.derived(hand_made, "n", (1,), lambda: compute(hand_made))
    snapshots.derived(hand_made, "n", (1,), lambda: compute(hand_made))
    assert len(calls) == 5  # no version: never held


def _status(c, s):
    store.record_status(c, s["id"], dt.date(2026, 11, 1), Status.REEMERGED, "x", "y")


def _activities(c, s):
    store.add_activities(c, [{"date": dt.date(2026, 1, 1), "kind": "patrol", "hotspot_id": s["id"]}])


def _targets(c, s):
    plan = store.add_plan(c, 2028, "02/KH", dt.date(2028, 1, 5))
    target = {
        "hotspot_id": s["id"],
        "target_type": "clear",
        "assigned_level": "ward",
        "assigned_code": s["ward_code"],
    }
    store.add_targets(c, plan, [target])


def _reworded(c, s):
    query = sa.select(store.status_change.c.id).where(store.status_change.c.hotspot_id == s["id"])
    first = c.execute(query.order_by(store.status_change.c.id)).scalars().first()
    store.update_status_change(c, first, reason="x")


def _notes(c, s):
    note = {"month": dt.date(2026, 9, 1), "level": "ward", "unit_code": s["ward_code"], "decisions": "x"}
    store.add_notes(c, [note | {"recorded_by": "y"}])


WRITERS = {
    "update": (lambda c, s: store.update_hotspot(c, s["id"], notes="x"), {"hotspots"}),
    "status": (_status, {"hotspots", "history"}),
    "reworded": (_reworded, {"hotspots", "history"}),
    "activities": (_activities, {"activities"}),
    "relocate": (
        lambda c, s: store.relocate_activities(c, s["id"], s["ward_code"], s["district_code"]),
        {"activities", "activities_rewrite"},
    ),
    "plan": (lambda c, s: store.add_plan(c, 2027, "01/KH", dt.date(2027, 1, 5)), {"plans"}),
    "targets": (_targets, {"plans"}),
    "notes": (_notes, {"notes"}),
    "clear": (lambda c, s: store.clear_all(c), set(store.DATA_KINDS)),
}


@pytest.mark.parametrize("write, kinds", WRITERS.values(), ids=WRITERS.keys())
def test_every_writer_tells_its_kind_and_no_other(engine, write, kinds):
    spot = _spot(engine)
    with engine.connect() as conn:
        before = store.generations(conn)
    with engine.begin() as conn:
        write(conn, spot)
    with engine.connect() as conn:
        after = store.generations(conn)
    assert {k for k in store.DATA_KINDS if after[k] != before[k]} == kinds


def test_touch_refuses_an_unknown_kind(engine):
    with engine.begin() as conn, pytest.raises(ValueError, match="spots"):
        store.touch(conn, "spots")


def test_generations_start_empty_and_change_on_postgresql(pg_url):
    engine = store.open_store(pg_url)
    try:
        with engine.connect() as conn:
            assert set(store.generations(conn).values()) == {""}
        done = []

        def writer():
            with engine.begin() as conn:
                store.touch(conn, "notes")
                time.sleep(0.2)  # hold the row: the other writer waits, then updates
            done.append(1)

        threads = [threading.Thread(target=writer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert done == [1, 1]
        with engine.connect() as conn:
            gens = store.generations(conn)
            keys = conn.execute(sa.select(store.meta.c.key).where(store.meta.c.key == "gen.notes")).all()
        assert gens["notes"] and len(keys) == 1
    finally:
        engine.dispose()


TODAY = dt.date(2026, 11, 20)


def test_page_views_are_the_views_and_are_computed_once(engine):
    from dashboard import risk, views
    from dashboard.filters import Filters

    f = Filters.for_year(2026, TODAY)
    held = snapshots.overview(engine, CITY, f)
    ds = load_dataset(engine, CITY)
    direct = views.overview(ds, f, CITY, scores=risk.score(ds, f.as_of))
    assert held.as_dict() == direct.as_dict()
    pd.testing.assert_frame_equal(held.hotspots, direct.hotspots)
    assert snapshots.overview(engine, CITY, f) is held  # every session gets this one
    other = snapshots.overview(engine, CITY, Filters.for_year(2025, TODAY))
    assert other is not held and other.kpis.year == 2025
    border = snapshots.border_view(engine, CITY, f, width_m=300.0)
    assert border is snapshots.border_view(engine, CITY, f, width_m=300.0)
    assert border is not snapshots.border_view(engine, CITY, f, width_m=500.0)


def test_warm_up_computes_the_default_overview_in_the_background(engine):
    from dashboard.filters import Filters

    thread = snapshots.warm_up(engine, TODAY)
    thread.join(120)
    assert not thread.is_alive()
    before = snapshots.DERIVED.stats()
    snapshots.overview(engine, CITY, Filters.for_year(Filters.default_year([2026], TODAY), TODAY))
    after = snapshots.DERIVED.stats()
    assert after["misses"] == before["misses"] and after["hits"] > before["hits"]


def test_warm_up_failing_breaks_nothing(engine, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("kho hỏng")

    monkeypatch.setattr(snapshots, "dataset", broken)
    snapshots.warm_up(engine, TODAY).join(30)
    assert "warming up" in caplog.text


# --------------------------------------------------------------------------
# The shared cache itself


def test_two_sessions_asking_at_once_compute_once():
    cache = SharedCache("test", 10)
    started, calls, results = threading.Event(), [], []

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return object()

    def ask():
        results.append(cache.get("k", slow))

    first = threading.Thread(target=ask)
    first.start()
    started.wait(5)
    second = threading.Thread(target=ask)
    second.start()
    first.join(), second.join()
    assert len(calls) == 1 and results[0] is results[1]
    assert cache.stats()["hits"] == 1


def test_a_failed_computation_is_not_kept():
    cache = SharedCache("test", 10)

    def fail():
        raise RuntimeError("hỏng")

    with pytest.raises(RuntimeError):
        cache.get("k", fail)
    assert cache.get("k", lambda: 5) == 5


def test_the_budget_drops_the_least_recently_used():
    cache = SharedCache("test", 1)  # 1 MB
    frame = pd.DataFrame({"x": range(50_000)})  # 0.4 MB each
    for key in ("a", "b"):
        cache.get(key, frame.copy)
    cache.get("a", frame.copy)  # "a" used last
    cache.get("c", frame.copy)  # over budget: "b" goes
    calls = []
    cache.get("a", lambda: calls.append("a") or frame)
    cache.get("b", lambda: calls.append("b") or frame)
    assert calls == ["b"]
    assert cache.stats()["mb"] <= 1.0


def test_replacing_a_boundary_layer_forgets_what_was_computed_from_it(engine):
    from dashboard import geo
    from dashboard.filters import Filters

    f = Filters.for_year(2026, TODAY)
    held = snapshots.overview(engine, CITY, f)
    data = snapshots.dataset(engine, CITY)
    geo.clear_caches()  # what installing a layer does
    assert snapshots.overview(engine, CITY, f) is not held
    assert snapshots.dataset(engine, CITY).activities is data.activities  # the store's rows still hold


def test_report_figures_are_the_views_and_follow_a_change(engine):
    from dashboard import risk, views

    month, city = dt.date(2026, 10, 1), views.Unit()
    held = snapshots.monthly_briefing(engine, CITY, month, city, TODAY)
    ds = load_dataset(engine, CITY)
    scores = risk.score(ds, views.month_end(month))
    direct = views.monthly_briefing(ds, month, city, CITY, today=TODAY, scores=scores)
    assert held.as_dict() == direct.as_dict()
    assert snapshots.monthly_briefing(engine, CITY, month, city, TODAY) is held
    quarter = snapshots.quarterly_report(engine, CITY, 2026, 3, city, TODAY)
    assert quarter is snapshots.quarterly_report(engine, CITY, 2026, 3, city, TODAY)
    spot = _spot(engine)
    with engine.begin() as conn:
        row = {"date": dt.date(2026, 10, 9), "kind": "patrol", "hotspot_id": spot["id"]}
        store.add_activities(conn, [row])
    again = snapshots.monthly_briefing(engine, CITY, month, city, TODAY)
    assert again.activities == held.activities + 1


def test_the_map_over_time_is_computed_once_per_data_version(engine):
    from dashboard import timemap

    as_of, first = dt.date(2026, 11, 20), dt.date(2019, 1, 1)
    held = snapshots.timeline_payload(engine, CITY, as_of, first)
    assert snapshots.timeline_payload(engine, CITY, as_of, first) is held
    assert held == timemap.timeline_payload(snapshots.dataset(engine, CITY), as_of, first=first)
    spot = _spot(engine)
    with engine.begin() as conn:
        store.record_status(conn, spot["id"], dt.date(2026, 11, 1), Status.REEMERGED, "thử", "Phòng thử")
    again = snapshots.timeline_payload(engine, CITY, as_of, first)
    assert again is not held
    assert timemap.decode_statuses(again, len(timemap.months(first, as_of)) - 1)[spot["code"]] == "reemerged"


def test_moves_written_at_once_each_start_from_the_one_committed_before(engine, monkeypatch):
    """Two officers moving hotspots at the same moment: the second's rewrite is listed after
    the first's, so a process holding the activities from before reads both hotspots again."""
    before = snapshots.dataset(engine, CITY)
    spots = store.read_hotspots(engine, CITY)
    first, second = spots.iloc[0].to_dict(), spots.iloc[-1].to_dict()
    other = _elsewhere(engine, first)
    moved_first, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def move_second():
        try:
            assert moved_first.wait(30)
            with engine.begin() as conn:
                store.relocate_activities(conn, second["id"], other["ward_code"], other["district_code"])
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            second_done.set()

    thread = threading.Thread(target=move_second, daemon=True)
    thread.start()
    with engine.begin() as conn:
        store.relocate_activities(conn, first["id"], other["ward_code"], other["district_code"])
        moved_first.set()
        assert not second_done.wait(0.5)  # the second waits for the first to commit
    thread.join(30)
    assert not errors and second_done.is_set()
    reads = _reads(monkeypatch)
    after = snapshots.dataset(engine, CITY)
    newest = int(before.activities["id"].max())
    assert reads == [{"hotspots": {first["id"], second["id"]}}, {"after_id": newest}]
    _same_as_store(engine, after)


def test_the_first_move_in_a_store_is_listed_too(engine, monkeypatch):
    """A store whose activities were never rewritten has no generation for it yet ("")."""
    with engine.begin() as conn:
        conn.execute(store.meta.delete().where(store.meta.c.key == "gen.activities_rewrite"))
        store.touch(conn, "activities")
    before = snapshots.dataset(engine, CITY)
    spot = _spot(engine)
    reads = _reads(monkeypatch)
    with engine.begin() as conn:
        store.relocate_activities(conn, spot["id"], spot["ward_code"], spot["district_code"])
    after = snapshots.dataset(engine, CITY)
    assert reads == [{"hotspots": {spot["id"]}}, {"after_id": int(before.activities["id"].max())}]
    _same_as_store(engine, after)


def test_rewritten_rows_are_written_in_place_or_replaced_and_sorted():
    d = pd.to_datetime
    old = pd.DataFrame(
        {"id": [1, 2, 3, 4], "date": d(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]),
         "hotspot_id": [7.0, 8.0, 7.0, None], "ward_code": ["00001", "00002", "00001", "00003"]}
    )  # fmt: skip
    same = pd.DataFrame(
        {"id": [3, 1], "date": d(["2026-01-03", "2026-01-01"]), "hotspot_id": [7.0, 7.0],
         "ward_code": ["00009", "00009"]}
    )  # fmt: skip
    patched = snapshots._rewritten(old, same, {7}, newest=4)
    assert patched["ward_code"].tolist() == ["00009", "00002", "00009", "00003"]
    assert patched["id"].tolist() == [1, 2, 3, 4] and old["ward_code"].iloc[0] == "00001"
    # Only the column that changed is copied: the others are the held frame's own.
    assert np.shares_memory(patched["id"].to_numpy(), old["id"].to_numpy())
    assert np.shares_memory(patched["date"].to_numpy(), old["date"].to_numpy())
    unchanged = snapshots._rewritten(old, same.assign(ward_code=["00001", "00001"]), {7}, newest=4)
    assert unchanged["ward_code"].tolist() == old["ward_code"].tolist()
    blank = snapshots._rewritten(old, same.assign(ward_code=[None, "00009"]), {7}, newest=4)
    assert blank["ward_code"].isna().tolist() == [False, False, True, False]
    # A row gone and one dated otherwise: the rows are replaced and the frame sorted again.
    other = pd.DataFrame(
        {"id": [3, 5], "date": d(["2025-12-31", "2026-01-05"]), "hotspot_id": [7.0, 7.0],
         "ward_code": ["00009", "00009"]}
    )  # fmt: skip
    replaced = snapshots._rewritten(old, other, {7}, newest=4)
    assert replaced["id"].tolist() == [3, 2, 4]  # 5 is newer than the frame: read as added
    assert replaced["date"].is_monotonic_increasing
