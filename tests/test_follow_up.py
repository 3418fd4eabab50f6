"""The follow-up list (dashboard.register.follow_up): each rule alone on hand-made
histories with known answers, the urgency order, nothing when nothing is due, and the page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
from pagetest import run_page

from dashboard import register, risk, views
from dashboard.domain import DomainError, UnitLevel
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.queries import load_dataset
from dashboard.scope import Scope

D = dt.date
TODAY = D(2026, 11, 20)
START = D(2025, 1, 1)


def act(code: str, date: dt.date, **counts) -> dict:
    return {"hotspot": code, "date": date, "kind": "patrol", **counts}


@pytest.fixture
def handmade(empty_engine, make_store):
    """Five places: A open and quiet 111 days, B open and visited 19 days ago, C open and
    never visited, D cleared and quiet, E open and quiet 200 days (another ward)."""
    spots = {
        "A": ("hoan_kiem_lake", "public_area", [(START, "active")]),
        "B": ("hoa_lo", "public_area", [(START, "active"), (D(2026, 3, 1), "clearing")]),
        "C": ("van_mieu", "service_business", [(START, "active")]),
        "D": (
            "mausoleum",
            "public_area",
            [(START, "active"), (D(2025, 6, 1), "clearing"), (D(2025, 12, 1), "cleared")],
        ),
        "E": ("west_lake", "public_area", [(START, "reemerged")]),
    }
    activities = [
        act("A", D(2026, 8, 1)),
        act("B", D(2026, 11, 1)),
        act("D", D(2026, 1, 5)),
        act("E", D(2026, 5, 4)),
    ]
    ids = make_store(empty_engine, spots, activities)
    ds = load_dataset(empty_engine, Scope.city())
    return ds, ids


def no_scores() -> pd.DataFrame:
    return pd.DataFrame(columns=["id", "score_type", "level", "score", "activity_drop"])


def codes(frame: pd.DataFrame) -> list[str]:
    return frame["code"].tolist()


def test_open_hotspots_without_activity_in_the_window(handmade):
    ds, _ = handmade
    out = register.follow_up(ds, no_scores(), None, TODAY, quiet_days=60)
    # E (200 days), A (111 days) and C (never) are open and quiet; B was visited; D is cleared.
    assert set(codes(out)) == {"A", "C", "E"}
    rows = out.set_index("code")
    assert rows.loc["A", "reasons"] == ("no_activity",)
    assert rows.loc["A", "days_since_activity"] == (TODAY - D(2026, 8, 1)).days == 111
    assert rows.loc["A", "reason_text"] == t("follow.reason.no_activity", days="111", date="01/08/2026")
    assert rows.loc["C", "reason_text"] == t("follow.reason.no_activity_ever")
    assert pd.isna(rows.loc["C", "days_since_activity"])
    # A longer window lets A off; E is still quiet for 200 days.
    assert set(codes(register.follow_up(ds, no_scores(), None, TODAY, quiet_days=120))) == {"C", "E"}
    # Exactly on the limit counts.
    assert "A" in codes(register.follow_up(ds, no_scores(), None, TODAY, quiet_days=111))
    assert "A" not in codes(register.follow_up(ds, no_scores(), None, TODAY, quiet_days=112))


def test_never_visited_comes_first_then_the_longest_quiet_then_the_code(handmade):
    ds, _ = handmade
    out = register.follow_up(ds, no_scores(), None, TODAY)
    assert codes(out) == ["C", "E", "A"]  # all weigh 40: never, then 200 days, then 111 days
    assert set(out["urgency"]) == {register.RULES["no_activity"]}


def test_overdue_tasks_on_a_hotspot(handmade):
    ds, ids = handmade
    tasks = pd.DataFrame(
        [
            # overdue (in progress, deadline passed) on B, which is otherwise fine
            {
                "id": 1,
                "local_plan_id": 1,
                "title": "Kiểm tra liên ngành",
                "responsible": "Công an phường",
                "hotspot_id": ids["B"],
                "area_code": "00082",
                "deadline": D(2026, 11, 1),
                "state": "in_progress",
            },
            # done after the deadline: not overdue
            {
                "id": 2,
                "local_plan_id": 1,
                "title": "Tuyên truyền",
                "responsible": "UBND phường",
                "hotspot_id": ids["D"],
                "area_code": "00004",
                "deadline": D(2026, 10, 1),
                "state": "done",
            },
            # not due yet
            {
                "id": 3,
                "local_plan_id": 1,
                "title": "Lập chốt",
                "responsible": "Công an phường",
                "hotspot_id": ids["D"],
                "area_code": "00004",
                "deadline": D(2026, 12, 1),
                "state": "not_started",
            },
            # overdue but area-wide: no hotspot to visit
            {
                "id": 4,
                "local_plan_id": 1,
                "title": "Giao ban",
                "responsible": "UBND phường",
                "hotspot_id": None,
                "area_code": "00004",
                "deadline": D(2026, 9, 1),
                "state": "not_started",
            },
        ]
    )
    out = register.follow_up(ds, no_scores(), None, TODAY, quiet_days=3650, overdue_tasks=tasks)
    assert codes(out) == ["B"]
    row = out.iloc[0]
    assert row["reasons"] == ("overdue_task",)
    assert row["reason_text"] == t(
        "follow.reason.overdue_task", title="Kiểm tra liên ngành", deadline="01/11/2026", days="19"
    )
    # None or no tasks: no task rule, and no error.
    assert register.follow_up(ds, no_scores(), None, TODAY, 3650, None).empty
    assert register.follow_up(ds, no_scores(), None, TODAY, 3650, tasks.iloc[0:0]).empty


def test_border_hotspots_in_a_coordination_gap(handmade):
    ds, ids = handmade
    gaps = pd.DataFrame(
        [
            {
                "id": ids["B"],
                "code": "B",
                "code_a": "00082",
                "code_b": "00256",
                "side": "00082",
                "neighbour": "00256",
                "distance_m": 40.0,
                "status": "clearing",
                "name": "x",
                "acts_side": 1,
                "acts_neighbour": 0,
                "silent": "00256",
            }
        ]
    )
    report = SimpleNamespace(level=UnitLevel.WARD, gap_days=90, gaps=gaps)
    out = register.follow_up(ds, no_scores(), report, TODAY, quiet_days=3650)
    assert codes(out) == ["B"]
    assert out.iloc[0]["reasons"] == ("border_gap",)
    assert out.iloc[0]["reason_text"] == t(
        "follow.reason.border_gap",
        side="Phường Cửa Nam",
        neighbour="Phường Hai Bà Trưng",
        silent="Phường Hai Bà Trưng",
        days="90",
    )


def test_cleared_places_at_high_risk_whose_activity_fell(handmade):
    ds, ids = handmade
    scores = pd.DataFrame(
        [
            {"id": ids["D"], "score_type": "risk", "level": "high", "score": 61.5, "activity_drop": 0.8},
            # high risk but no drop in activity: not a reason
            {"id": ids["B"], "score_type": "risk", "level": "high", "score": 70.0, "activity_drop": 0.0},
            # a drop at medium risk: not a reason
            {"id": ids["A"], "score_type": "risk", "level": "medium", "score": 40.0, "activity_drop": 1.0},
            # a high persistence score is not a high re-emergence risk
            {
                "id": ids["E"],
                "score_type": "persistence",
                "level": "high",
                "score": 80.0,
                "activity_drop": 0.5,
            },
        ]
    )
    out = register.follow_up(ds, scores, None, TODAY, quiet_days=3650)
    assert codes(out) == ["D"]
    assert out.iloc[0]["reasons"] == ("risk_drop",)
    assert out.iloc[0]["reason_text"] == t("follow.reason.risk_drop", score="61,5", drop="80")


def test_several_reasons_add_up_and_outrank_one(handmade):
    ds, ids = handmade
    gaps = pd.DataFrame([{"id": ids["B"], "side": "00082", "neighbour": "00256", "silent": "00256"}])
    report = SimpleNamespace(level=UnitLevel.WARD, gap_days=90, gaps=gaps)
    tasks = pd.DataFrame(
        [
            {
                "id": 1,
                "title": "Kiểm tra",
                "hotspot_id": ids["B"],
                "deadline": D(2026, 11, 1),
                "state": "not_started",
            }
        ]
    )
    out = register.follow_up(ds, no_scores(), report, TODAY, 60, tasks)
    # B: overdue task (30) + border gap (20) = 50, ahead of the quiet ones (40 each).
    assert codes(out) == ["B", "C", "E", "A"]
    assert out.iloc[0]["reasons"] == ("overdue_task", "border_gap")
    assert out.iloc[0]["urgency"] == 50
    assert len(out.iloc[0]["reason_text"].split("\n")) == 2
    assert list(out.columns) == list(register.FOLLOW_UP_COLUMNS)


def test_nothing_due_gives_an_empty_list(handmade):
    ds, _ = handmade
    out = register.follow_up(ds, no_scores(), None, D(2025, 1, 20), quiet_days=60)
    assert out.empty  # three weeks after the first statuses nothing is overdue yet
    assert list(out.columns) == list(register.FOLLOW_UP_COLUMNS)


def test_one_unit_only(handmade):
    ds, _ = handmade
    ward = register.follow_up(ds, no_scores(), None, TODAY, unit=views.Unit(UnitLevel.WARD, "00103"))
    assert codes(ward) == ["E"]
    district = register.follow_up(ds, no_scores(), None, TODAY, unit=views.Unit(UnitLevel.DISTRICT, "002"))
    assert codes(district) == ["A"]


def test_a_window_of_no_days_is_refused(handmade):
    ds, _ = handmade
    with pytest.raises(DomainError, match="từ 1 trở lên"):
        register.follow_up(ds, no_scores(), None, TODAY, quiet_days=0)


def test_sample_follow_up_uses_the_border_report_and_the_risk_scores(sample_dataset):
    scores = risk.score(sample_dataset, TODAY)
    report = views.border_view(sample_dataset, Filters.for_year(TODAY.year, TODAY), scores=scores).report
    out = register.follow_up(sample_dataset, scores, report, TODAY)
    gap_ids = set(report.gaps["id"])
    dropping = scores[scores["id"].isin(list(views.high_risk_ids(scores))) & (scores["activity_drop"] > 0)]
    assert gap_ids and len(dropping)
    listed = out.set_index("id")
    for hid in gap_ids:
        assert "border_gap" in listed.loc[hid, "reasons"]
    for hid in dropping["id"]:
        assert "risk_drop" in listed.loc[hid, "reasons"]
    assert list(out["urgency"]) == sorted(out["urgency"], reverse=True)


# --------------------------------------------------------------------------
# The page


def test_follow_up_page_lists_the_sample_and_narrows_by_days(app_env):
    at = run_page("pages/follow_up.py")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == t("page.follow_up")
    table = at.dataframe(key="follow_table").value
    # What to do first and why come right after the place, before the rest.
    assert list(table.columns[:4]) == [
        t("table.code"), t("table.name"), t("follow.col.urgency"), t("follow.col.reasons")
    ]
    assert len(table) >= 1
    assert not table.astype(str).apply(lambda c: c.str.contains("nan|None")).any().any()
    at.sidebar.number_input(key="follow_days").set_value(1).run()
    assert not at.exception, at.exception
    # With a one-day window every open hotspot not visited today is due as well.
    assert len(at.dataframe(key="follow_table").value) > len(table)
