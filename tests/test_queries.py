"""Statuses at a date, the hotspot view, KPIs and aggregates (dashboard.queries),
on a small hand-made store whose every figure can be worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from handmade import PLACES, fill_store

from dashboard import queries, store
from dashboard.domain import HotspotKind, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.scope import Scope

D = dt.date
PUBLIC, BUSINESS = HotspotKind.PUBLIC_AREA, HotspotKind.SERVICE_BUSINESS

#: Five hotspots (code -> place, kind, status history):
#: A and B in Quận Hoàn Kiếm (different wards), C in Đống Đa, D in Ba Đình,
#: E in Tây Hồ (known only from 2022).
SPOTS = {
    "A": (
        "hoan_kiem_lake",
        PUBLIC,
        [
            (D(2020, 1, 1), Status.ACTIVE),
            (D(2021, 3, 10), Status.CLEARING),
            (D(2021, 6, 15), Status.CLEARED),
            (D(2021, 10, 1), Status.HANDED_OVER),
        ],
    ),
    "B": (
        "hoa_lo",
        BUSINESS,
        [
            (D(2019, 5, 1), Status.CLEARED),
            (D(2019, 9, 1), Status.HANDED_OVER),
            (D(2021, 8, 20), Status.REEMERGED),
        ],
    ),
    "C": (
        "van_mieu",
        BUSINESS,
        [
            (D(2019, 1, 1), Status.CLEARED),
            (D(2019, 6, 1), Status.HANDED_OVER),
            (D(2022, 3, 1), Status.REEMERGED),
        ],
    ),
    "D": ("mausoleum", PUBLIC, [(D(2021, 2, 1), Status.ACTIVE)]),
    "E": ("west_lake", PUBLIC, [(D(2022, 1, 1), Status.ACTIVE)]),
}
#: The 2021 plan: clear A, keep B and C clean. D and E are not in it.
PLANS = {2021: {"A": "clear", "B": "keep_clean", "C": "keep_clean"}}
ACTIVITIES = [
    {"hotspot": "A", "date": D(2020, 12, 20), "kind": "patrol", "violations_found": 5},
    {"hotspot": "A", "date": D(2021, 3, 1), "kind": "patrol", "violations_found": 2},
    {"hotspot": "A", "date": D(2021, 7, 1), "kind": "outreach", "violations_found": 1},
    {"hotspot": "A", "date": D(2022, 1, 5), "kind": "patrol", "violations_found": 4},
    {
        "hotspot": "B",
        "date": D(2021, 9, 1),
        "kind": "inspection",
        "violations_found": 3,
        "people_referred": 2,
    },
    {"district_code": "002", "date": D(2021, 4, 25), "kind": "briefing"},
    {"district_code": "001", "date": D(2021, 6, 25), "kind": "briefing"},
    {"ward_code": "00226", "date": D(2021, 5, 25), "kind": "briefing"},  # a ward of Đống Đa
]
WARD = {code: PLACES[place][1] for code, (place, _, _) in SPOTS.items()}
DISTRICT = {code: PLACES[place][2] for code, (place, _, _) in SPOTS.items()}


@pytest.fixture(scope="module")
def world(store_urls):
    """The hand-made data set and the hotspot ids by code (read-only)."""
    engine = store.open_store(store_urls("world"))
    ids = fill_store(engine, SPOTS, ACTIVITIES, PLANS)
    yield queries.load_dataset(engine, Scope.city()), ids
    engine.dispose()


def year_2021(**kwargs) -> Filters:
    return Filters(plan_year=2021, date_from=D(2021, 1, 1), date_to=D(2021, 12, 31), **kwargs)


def codes(view: pd.DataFrame) -> list[str]:
    return sorted(view["code"])


def by_code(view: pd.DataFrame, column: str) -> dict:
    return dict(zip(view["code"], view[column], strict=True))


# --------------------------------------------------------------------------
# Status at a date


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2018, 12, 31), {}),
        (D(2019, 7, 1), {"B": "cleared", "C": "handed_over"}),
        (D(2021, 1, 1), {"A": "active", "B": "handed_over", "C": "handed_over"}),
        (D(2021, 6, 14), {"A": "clearing", "B": "handed_over", "C": "handed_over", "D": "active"}),
        # A change counts from the end of its own day.
        (D(2021, 6, 15), {"A": "cleared", "B": "handed_over", "C": "handed_over", "D": "active"}),
        (D(2021, 12, 31), {"A": "handed_over", "B": "reemerged", "C": "handed_over", "D": "active"}),
        (
            D(2022, 6, 30),
            {"A": "handed_over", "B": "reemerged", "C": "reemerged", "D": "active", "E": "active"},
        ),
    ],
)
def test_status_as_of(world, as_of, expected):
    ds, ids = world
    status = queries.status_as_of(ds.history, as_of)
    names = {v: k for k, v in ids.items()}
    assert {names[i]: s for i, s in status.items()} == expected


# --------------------------------------------------------------------------
# Hotspot view


def test_view_shows_every_known_hotspot_with_its_status_then(world):
    ds, _ = world
    view = queries.hotspot_view(ds, year_2021())
    assert codes(view) == ["A", "B", "C", "D"]  # E is not known yet
    assert by_code(view, "status") == {
        "A": "handed_over",
        "B": "reemerged",
        "C": "handed_over",
        "D": "active",
    }
    assert by_code(view, "ward_code") == {c: WARD[c] for c in "ABCD"}
    assert by_code(view, "district_code") == {c: DISTRICT[c] for c in "ABCD"}
    assert view["id"].is_unique


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"statuses": {Status.REEMERGED}}, ["B"]),
        ({"statuses": {Status.ACTIVE, Status.HANDED_OVER}}, ["A", "C", "D"]),
        ({"statuses": set()}, []),
        ({"kinds": {PUBLIC}}, ["A", "D"]),
        ({"kinds": {BUSINESS}, "statuses": {Status.HANDED_OVER}}, ["C"]),
        ({"plan_only": True}, ["A", "B", "C"]),
        ({"area_level": UnitLevel.DISTRICT, "area_code": "002"}, ["A", "B"]),
        ({"area_level": UnitLevel.WARD, "area_code": PLACES["hoan_kiem_lake"][1]}, ["A"]),
        ({"area_level": UnitLevel.WARD, "area_code": PLACES["hoa_lo"][1]}, ["B"]),
        ({"area_level": UnitLevel.DISTRICT, "area_code": "282"}, []),
    ],
)
def test_view_filters(world, filters, expected):
    ds, _ = world
    assert codes(queries.hotspot_view(ds, year_2021(**filters))) == expected


def test_view_target_types_are_those_of_the_plan_year(world):
    ds, _ = world
    view = queries.hotspot_view(ds, year_2021())
    targets = by_code(view, "target_type")
    assert {c: targets[c] for c in "ABC"} == {"A": "clear", "B": "keep_clean", "C": "keep_clean"}
    assert pd.isna(targets["D"])
    other_year = queries.hotspot_view(ds, Filters(2022, D(2022, 1, 1), D(2022, 12, 31)))
    assert other_year["target_type"].isna().all()
    assert queries.hotspot_view(ds, Filters(2022, D(2022, 1, 1), D(2022, 12, 31), plan_only=True)).empty


@pytest.mark.parametrize(
    ("start", "end", "activities", "violations", "last"),
    [
        # Whole of 2021: patrol 01/03 (2) and outreach 01/07 (1); the 2020 and 2022 ones are outside.
        (D(2021, 1, 1), D(2021, 12, 31), 2, 3, D(2021, 7, 1)),
        (D(2021, 3, 2), D(2021, 12, 31), 1, 1, D(2021, 7, 1)),
        (D(2021, 3, 1), D(2021, 3, 1), 1, 2, D(2021, 3, 1)),
        (D(2020, 12, 1), D(2021, 6, 30), 2, 7, D(2021, 3, 1)),
        (D(2021, 1, 1), D(2021, 2, 28), 0, 0, D(2020, 12, 20)),
        (D(2020, 1, 1), D(2022, 12, 31), 4, 12, D(2022, 1, 5)),
    ],
)
def test_view_counts_activities_in_the_date_range(world, start, end, activities, violations, last):
    ds, _ = world
    view = queries.hotspot_view(ds, Filters(2021, start, end)).set_index("code")
    assert view.loc["A", "activities"] == activities
    assert view.loc["A", "violations"] == violations
    assert view.loc["A", "last_activity"] == pd.Timestamp(last)


def test_view_without_activities_has_zero_counts_and_no_last_activity(world):
    ds, _ = world
    view = queries.hotspot_view(ds, year_2021()).set_index("code")
    assert view.loc[["C", "D"], "activities"].tolist() == [0, 0]
    assert view.loc[["C", "D"], "violations"].tolist() == [0, 0]
    assert view.loc[["C", "D"], "last_activity"].isna().all()
    assert (view.loc["B", "activities"], view.loc["B", "violations"]) == (1, 3)
    assert view["activities"].dtype.kind == "i"


# --------------------------------------------------------------------------
# Activities view


def briefing_units(acts: pd.DataFrame) -> list[str]:
    briefings = acts[acts["kind"] == "briefing"]
    return sorted(briefings["ward_code"].fillna(briefings["district_code"]))


def test_activities_view_of_the_city(world):
    ds, ids = world
    f = year_2021()
    acts = queries.activities_view(ds, f, queries.hotspot_view(ds, f))
    assert len(acts) == 6  # A twice, B once, three briefings
    assert briefing_units(acts) == ["001", "002", "00226"]
    assert sorted(acts["hotspot_id"].dropna().astype(int)) == sorted([ids["A"], ids["A"], ids["B"]])


def test_activities_view_follows_the_hotspots_shown(world):
    ds, ids = world
    f = year_2021(statuses={Status.REEMERGED})
    acts = queries.activities_view(ds, f, queries.hotspot_view(ds, f))
    assert acts["hotspot_id"].dropna().astype(int).tolist() == [ids["B"]]
    assert len(acts) == 4


@pytest.mark.parametrize(
    ("level", "code", "briefings", "hotspot_rows"),
    [
        (UnitLevel.DISTRICT, "002", ["002"], 3),
        (UnitLevel.DISTRICT, "006", ["00226"], 0),  # the ward's briefing counts for its district
        (UnitLevel.WARD, "00226", ["00226"], 0),
        (UnitLevel.WARD, PLACES["hoan_kiem_lake"][1], [], 2),
        (UnitLevel.DISTRICT, "001", ["001"], 0),
    ],
)
def test_activities_view_keeps_area_wide_work_inside_the_area(world, level, code, briefings, hotspot_rows):
    ds, _ = world
    f = year_2021(area_level=level, area_code=code)
    acts = queries.activities_view(ds, f, queries.hotspot_view(ds, f))
    assert briefing_units(acts) == briefings
    assert acts["hotspot_id"].notna().sum() == hotspot_rows


# --------------------------------------------------------------------------
# Plan KPIs


def kpis(ds, f) -> tuple:
    k = queries.plan_kpis(ds, f)
    return (k.clear_target, k.cleared, k.keep_target, k.kept_clean, k.reemerged)


def test_plan_kpis_at_year_end(world):
    ds, _ = world
    k = queries.plan_kpis(ds, year_2021())
    assert (k.year, k.as_of, k.doc_number, k.doc_date) == (
        2021,
        D(2021, 12, 31),
        "2021/KH-THU",
        D(2021, 1, 10),
    )
    # A cleared (handed over); C kept clean, B re-emerged; B and D open.
    assert kpis(ds, year_2021()) == (1, 1, 2, 1, 1)
    assert k.open_now == 2
    assert k.activities == 6
    assert k.as_dict()["clear"] == {"done": 1, "target": 1}
    assert k.as_dict()["as_of"] == "31/12/2021"


def test_plan_kpis_during_the_year(world):
    ds, _ = world
    # 31/05/2021: A is being cleared, nothing has re-emerged yet; A and D open.
    f = Filters(2021, D(2021, 1, 1), D(2021, 5, 31))
    assert kpis(ds, f) == (1, 0, 2, 2, 0)
    assert queries.plan_kpis(ds, f).open_now == 2
    # 15/06: A cleared.
    assert kpis(ds, Filters(2021, D(2021, 1, 1), D(2021, 6, 15)))[:2] == (1, 1)


def test_plan_kpis_stop_at_the_end_of_the_plan_year(world):
    ds, _ = world
    # C re-emerges on 01/03/2022: it must not count against the 2021 plan.
    k = queries.plan_kpis(ds, Filters(2021, D(2021, 1, 1), D(2022, 6, 30)))
    assert k.as_of == D(2021, 12, 31)
    assert (k.clear_target, k.cleared, k.keep_target, k.kept_clean, k.reemerged) == (1, 1, 2, 1, 1)


def test_plan_kpis_count_open_hotspots_and_activities_up_to_the_same_date(world):
    ds, _ = world
    f = Filters(2021, D(2021, 1, 1), D(2022, 6, 30))
    k = queries.plan_kpis(ds, f)
    assert k.as_of == D(2021, 12, 31)
    # On 31/12/2021, the date the KPIs are shown for, B and D were open (C and
    # E only in 2022).
    assert k.open_now == 2
    # The activity card counts what the page's activity chart counts: the whole
    # chosen range, so A's patrol of 05/01/2022 is in (6 activities in 2021).
    acts = ds.activities
    in_range = acts[(acts["date"] >= pd.Timestamp(2021, 1, 1)) & (acts["date"] <= pd.Timestamp(2022, 6, 30))]
    assert (in_range["date"] > pd.Timestamp(2021, 12, 31)).any()
    assert k.activities == len(queries.activities_view(ds, f, queries.hotspot_view(ds, f))) == len(in_range)


@pytest.mark.parametrize(
    ("filters", "expected", "open_now"),
    [
        ({"kinds": {BUSINESS}}, (0, 0, 2, 1, 1), 1),
        ({"kinds": {PUBLIC}}, (1, 1, 0, 0, 0), 1),
        ({"area_level": UnitLevel.DISTRICT, "area_code": "002"}, (1, 1, 1, 0, 1), 1),
        ({"area_level": UnitLevel.WARD, "area_code": "00226"}, (0, 0, 1, 1, 0), 0),
    ],
)
def test_plan_kpis_follow_kind_and_area(world, filters, expected, open_now):
    ds, _ = world
    assert kpis(ds, year_2021(**filters)) == expected
    assert queries.plan_kpis(ds, year_2021(**filters)).open_now == open_now


def test_plan_kpis_ignore_the_status_filter_but_the_activity_card_follows_it(world):
    ds, _ = world
    every = queries.plan_kpis(ds, year_2021())
    chosen = year_2021(statuses={Status.ACTIVE, Status.REEMERGED})
    only_open = queries.plan_kpis(ds, chosen)
    assert kpis(ds, year_2021(statuses={Status.REEMERGED})) == kpis(ds, year_2021())
    assert replace(only_open, activities=every.activities) == every
    # "Lượt hoạt động" counts the activities the chart beside it shows.
    shown = queries.activities_view(ds, chosen, queries.hotspot_view(ds, chosen))
    assert only_open.activities == len(shown) < every.activities


def test_plan_kpis_for_a_year_without_plan(world):
    ds, _ = world
    k = queries.plan_kpis(ds, Filters(2022, D(2022, 1, 1), D(2022, 12, 31)))
    assert (k.doc_number, k.doc_date) == (None, None)
    assert kpis(ds, Filters(2022, D(2022, 1, 1), D(2022, 12, 31))) == (0, 0, 0, 0, 0)
    # Open on 31/12/2022: B, C (re-emerged) and D, E (active).
    assert k.open_now == 4
    assert k.as_dict()["plan_date"] is None


# --------------------------------------------------------------------------
# Aggregates


def test_open_counts(world):
    ds, _ = world
    view = queries.hotspot_view(ds, year_2021())
    # Open on 31/12/2021: B (re-emerged) and D (active).
    assert queries.open_counts(view, UnitLevel.DISTRICT).to_dict() == {DISTRICT["D"]: 1, DISTRICT["B"]: 1}
    assert queries.open_counts(view, UnitLevel.WARD).to_dict() == {WARD["B"]: 1, WARD["D"]: 1}
    assert queries.open_counts(view[view["code"] == "A"], UnitLevel.WARD).empty


def test_status_by_unit(world):
    ds, _ = world
    view = queries.hotspot_view(ds, year_2021())
    table = queries.status_by_unit(view, UnitLevel.DISTRICT)
    assert list(table.columns) == ["active", "clearing", "cleared", "handed_over", "reemerged"]
    assert table.to_dict("index") == {
        "001": {"active": 1, "clearing": 0, "cleared": 0, "handed_over": 0, "reemerged": 0},
        "002": {"active": 0, "clearing": 0, "cleared": 0, "handed_over": 1, "reemerged": 1},
        "006": {"active": 0, "clearing": 0, "cleared": 0, "handed_over": 1, "reemerged": 0},
    }
    wards = queries.status_by_unit(view, UnitLevel.WARD)
    assert wards.loc[WARD["A"]].tolist() == [0, 0, 0, 1, 0]
    assert int(wards.values.sum()) == len(view)


def test_activities_by_month(world):
    ds, _ = world
    f = year_2021()
    table = queries.activities_by_month(queries.activities_view(ds, f, queries.hotspot_view(ds, f)))
    assert table.loc[pd.Timestamp(2021, 3, 1), "patrol"] == 1
    assert table.loc[pd.Timestamp(2021, 9, 1), "inspection"] == 1
    assert table["briefing"].sum() == 3
    assert list(table.index) == [pd.Timestamp(2021, m, 1) for m in (3, 4, 5, 6, 7, 9)]
    assert queries.activities_by_month(ds.activities.iloc[:0]).empty


def test_dataset_years(world):
    ds, _ = world
    assert ds.years == [2021]


def test_scope_limits_the_dataset(empty_engine, make_store):
    make_store(empty_engine, SPOTS, ACTIVITIES, PLANS)
    ds = queries.load_dataset(empty_engine, Scope(district_codes=frozenset({"002"})))
    assert codes(ds.hotspots) == ["A", "B"]
    assert kpis(ds, year_2021()) == (1, 1, 1, 0, 1)
    assert briefing_units(ds.activities) == ["002"]


# --------------------------------------------------------------------------
# The sample data


def test_sample_2020_plan_targets(sample_dataset):
    f = Filters.for_year(2020, D(2026, 11, 20))
    k = queries.plan_kpis(sample_dataset, f)
    assert (k.clear_target, k.keep_target) == (13, 6)
    assert k.doc_number == "16/KH-UBND" and k.doc_date == D(2020, 1, 20)
    assert 0 <= k.cleared <= 13 and 0 <= k.kept_clean <= 6
    # Every target is in the plan-only view, with its target type.
    view = queries.hotspot_view(sample_dataset, Filters.for_year(2020, D(2026, 11, 20), plan_only=True))
    assert view["target_type"].value_counts().to_dict() == {"clear": 13, "keep_clean": 6}
    cleared = view[(view["target_type"] == "clear") & view["status"].isin(["cleared", "handed_over"])]
    assert k.cleared == len(cleared)


def test_sample_kpis_sum_over_districts(sample_dataset):
    f = Filters.for_year(2020, D(2026, 11, 20))
    city = kpis(sample_dataset, f)
    parts = [
        kpis(sample_dataset, Filters.for_year(2020, D(2026, 11, 20), area_level="district", area_code=c))
        for c in sorted(set(sample_dataset.hotspots["district_code"]))
    ]
    assert tuple(map(sum, zip(*parts, strict=True))) == city


def test_date_slices_are_the_same_in_date_order_or_not(sample_dataset):
    """Activities as read are in date order and get sliced; any other order is masked."""
    from dashboard.queries import _between, _until

    acts = sample_dataset.activities
    assert acts["date"].is_monotonic_increasing
    shuffled = acts.sample(frac=1, random_state=7)
    start, end = dt.date(2025, 3, 15), dt.date(2025, 9, 30)
    for frame in (acts, shuffled):
        picked = _between(frame, start, end)
        assert picked["date"].between(pd.Timestamp(start), pd.Timestamp(end)).all()
        assert len(picked) == int(acts["date"].between(pd.Timestamp(start), pd.Timestamp(end)).sum()) > 0
        assert (_until(frame, end)["date"] <= pd.Timestamp(end)).all()
        assert len(_until(frame, end)) == int((acts["date"] <= pd.Timestamp(end)).sum())
    assert len(_between(acts, dt.date(2030, 1, 1), dt.date(2030, 2, 1))) == 0
