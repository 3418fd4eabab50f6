"""The view layer (dashboard/views.py): the handover recommendation on hand-made
histories with known answers, the shared rules, and the figures of the
overview, border, monthly and quarterly views on the sample data, checked
against independent computations."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest
from handmade import fill_store
from pagetest import TODAY

from dashboard import border, charts, queries, risk, store, views
from dashboard.domain import DomainError, Status, UnitLevel, level_at
from dashboard.filters import Filters
from dashboard.scope import Scope
from dashboard.store import COUNT_COLUMNS
from dashboard.views import HandoverCriteria

DAYS_PER_MONTH = 365.25 / 12  # docs/handover.md: "tháng trung bình 30,44 ngày"

# --------------------------------------------------------------------------
# Hand-made histories for the handover evaluation

#: The date the evaluation is made at (end of Q2 2024).
AS_OF = dt.date(2024, 6, 30)
D = dt.date


def _checks(code: str, *dates: dt.date, kinds=("inspection", "patrol", "stationed_post")) -> list[dict]:
    return [{"date": d, "hotspot": code, "kind": kinds[i % len(kinds)]} for i, d in enumerate(dates)]


#: code -> (place, kind, history); the expected recommendation is in EXPECTED.
SPOTS = {
    # cleared 4 months before AS_OF, 3 checks of the three kinds, no violation since: propose
    "OK": ("hoan_kiem_lake", "public_area", [(D(2023, 1, 5), "active"), (D(2024, 2, 28), "cleared")]),
    # the same, cleared about 2 months before: months
    "YOUNG": ("hoa_lo", "public_area", [(D(2023, 1, 5), "active"), (D(2024, 4, 30), "cleared")]),
    # a violation found after clearing: violations
    "VIOL": ("van_mieu", "public_area", [(D(2023, 1, 5), "active"), (D(2024, 1, 10), "cleared")]),
    # two checks only (outreach and investigation are no checks): checks
    "FEW": ("mausoleum", "public_area", [(D(2023, 1, 5), "active"), (D(2024, 1, 10), "cleared")]),
    # all criteria met but the risk level is high: risk
    "RISKY": ("west_lake", "service_business", [(D(2023, 1, 5), "active"), (D(2024, 1, 10), "cleared")]),
    "OPEN_A": ("hoan_kiem_lake", "public_area", [(D(2023, 1, 5), "active")]),
    "OPEN_C": ("hoa_lo", "public_area", [(D(2023, 1, 5), "active"), (D(2024, 3, 1), "clearing")]),
    "OPEN_R": (
        "van_mieu",
        "public_area",
        [(D(2022, 1, 5), "active"), (D(2022, 6, 1), "cleared"), (D(2024, 5, 1), "reemerged")],
    ),
    "DONE": (
        "mausoleum",
        "public_area",
        [(D(2022, 1, 5), "active"), (D(2022, 6, 1), "cleared"), (D(2023, 9, 1), "handed_over")],
    ),
    # cleared, re-emerged, cleared again 2 months before AS_OF: counted from the second clearance
    "BACK": (
        "west_lake",
        "public_area",
        [
            (D(2021, 1, 5), "active"),
            (D(2021, 6, 1), "cleared"),
            (D(2023, 2, 1), "reemerged"),
            (D(2024, 4, 30), "cleared"),
        ],
    ),
    # cleared at AS_OF, re-emerged afterwards: evaluated as it stood at AS_OF
    "LATER": (
        "hoan_kiem_lake",
        "public_area",
        [(D(2023, 1, 5), "active"), (D(2024, 1, 10), "cleared"), (D(2024, 8, 1), "reemerged")],
    ),
}

ACTIVITIES = [
    # OK: a violation before clearing and one after AS_OF do not count
    {"date": D(2024, 1, 15), "hotspot": "OK", "kind": "inspection", "violations_found": 4},
    *_checks("OK", D(2024, 3, 15), D(2024, 4, 15), D(2024, 5, 15)),
    {"date": D(2024, 7, 10), "hotspot": "OK", "kind": "inspection", "violations_found": 2},
    *_checks("YOUNG", D(2024, 5, 5), D(2024, 5, 20), D(2024, 6, 10)),
    *_checks("VIOL", D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)),
    {"date": D(2024, 5, 2), "hotspot": "VIOL", "kind": "investigation", "violations_found": 1},
    # FEW: checks before clearing and outreach/investigation after do not count
    *_checks("FEW", D(2023, 10, 1), D(2023, 11, 1), D(2023, 12, 1)),
    *_checks("FEW", D(2024, 2, 1), D(2024, 3, 1), kinds=("patrol",)),
    *_checks("FEW", D(2024, 4, 1), D(2024, 4, 15), D(2024, 5, 1), kinds=("outreach",)),
    {"date": D(2024, 5, 10), "hotspot": "FEW", "kind": "investigation"},
    *_checks("RISKY", D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)),
    # BACK: checks of the first cleared spell do not count; three after the second
    *_checks("BACK", D(2021, 7, 1), D(2021, 8, 1), D(2021, 9, 1)),
    *_checks("BACK", D(2024, 5, 5), D(2024, 5, 20), D(2024, 6, 5)),
    *_checks("LATER", D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 1)),
    # area-wide work in the ward of OK: never a check of a hotspot
    *({"date": D(2024, 3, 1 + i), "ward_code": "00070", "kind": "patrol"} for i in range(5)),
]

#: code -> (recommendation, reasons)
EXPECTED = {
    "OK": ("propose", ()),
    "YOUNG": ("observe", ("months",)),
    "VIOL": ("observe", ("violations",)),
    "FEW": ("observe", ("checks",)),
    "RISKY": ("observe", ("risk",)),
    "OPEN_A": ("not_cleared", ()),
    "OPEN_C": ("not_cleared", ()),
    "OPEN_R": ("not_cleared", ()),
    "DONE": ("handed_over", ()),
    "BACK": ("observe", ("months",)),
    "LATER": ("propose", ()),
}


@pytest.fixture(scope="module")
def hand(store_urls):
    """The hand-made data set and its code -> id map."""
    engine = store.open_store(store_urls("hand"))
    ids = fill_store(engine, SPOTS, ACTIVITIES, plans={2024: dict.fromkeys(SPOTS, "clear")})
    ds = queries.load_dataset(engine, Scope.city())
    engine.dispose()
    return ds, ids


def hand_scores(ids: dict[str, int]) -> pd.DataFrame:
    """Risk levels: RISKY is high; the open places get a high persistence score, which must not matter."""
    rows = []
    for code, hid in ids.items():
        open_place = code.startswith("OPEN")
        rows.append(
            {
                "id": hid,
                "code": code,
                "score_type": "persistence" if open_place else "risk",
                "level": "high" if code == "RISKY" or open_place else "low",
            }
        )
    return pd.DataFrame(rows)


def evaluate(hand, criteria: HandoverCriteria = views.CRITERIA, as_of: dt.date = AS_OF) -> pd.DataFrame:
    ds, ids = hand
    out = views.evaluate_handover(ds, pd.Series(list(ids.values())), as_of, hand_scores(ids), criteria)
    return out.set_index("code")


def months_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / DAYS_PER_MONTH, 1)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_handover_recommendation_of_each_hand_made_history(hand, code):
    row = evaluate(hand).loc[code]
    recommendation, reasons = EXPECTED[code]
    assert row["recommendation"] == recommendation
    assert tuple(row["reasons"]) == reasons


def test_handover_evidence_of_the_hand_made_histories(hand):
    out = evaluate(hand)
    assert out.loc["OK", "cleared_on"] == D(2024, 2, 28)
    assert out.loc["OK", "months_since"] == months_between(D(2024, 2, 28), AS_OF)
    assert out.loc["OK", "months_since"] >= 3 > out.loc["YOUNG", "months_since"] >= 2
    # the violation before clearing and the one after AS_OF are not counted
    assert out.loc["OK", "violations_since"] == 0
    assert out.loc["OK", "checks_since"] == 3
    assert out.loc["VIOL", "violations_since"] == 1
    # 2 patrols; 3 inspections before clearing, outreach and investigation are no checks
    assert out.loc["FEW", "checks_since"] == 2
    assert out.loc["RISKY", "risk_level"] == "high"
    for code in ("OPEN_A", "OPEN_C", "OPEN_R"):
        assert pd.isna(out.loc[code, "cleared_on"])
        assert pd.isna(out.loc[code, "months_since"])
        assert pd.isna(out.loc[code, "checks_since"])
        assert pd.isna(out.loc[code, "risk_level"])  # the persistence score is not a risk level
    assert out.loc["DONE", "status"] == Status.HANDED_OVER
    assert out.loc["DONE", "handed_over_on"] == D(2023, 9, 1)
    assert out.loc["LATER", "status"] == Status.CLEARED


def test_months_count_from_the_second_clearance(hand):
    row = evaluate(hand).loc["BACK"]
    assert row["cleared_on"] == D(2024, 4, 30)
    assert row["months_since"] == months_between(D(2024, 4, 30), AS_OF)
    assert row["checks_since"] == 3  # the 3 checks of the first cleared spell do not count
    # from the first clearance (2021) it would have been about 37 months and 6 checks
    assert row["months_since"] < 3


def test_the_criteria_live_in_one_place(hand):
    assert evaluate(hand).loc["YOUNG", "recommendation"] == "observe"
    relaxed = evaluate(hand, HandoverCriteria(min_months=1))
    assert relaxed.loc["YOUNG", "recommendation"] == "propose"
    assert relaxed.loc["BACK", "recommendation"] == "propose"
    strict = evaluate(hand, HandoverCriteria(min_checks=4))
    assert strict.loc["OK", "recommendation"] == "observe"
    assert tuple(strict.loc["OK", "reasons"]) == ("checks",)
    counted = evaluate(hand, HandoverCriteria(check_kinds=("patrol", "outreach")))
    assert counted.loc["FEW", "checks_since"] == 5
    tolerant = evaluate(hand, HandoverCriteria(refuse_levels=()))
    assert tolerant.loc["RISKY", "recommendation"] == "propose"


def test_handover_table_is_ordered_by_recommendation(hand):
    ds, ids = hand
    out = views.evaluate_handover(ds, pd.Series(list(ids.values())), AS_OF, hand_scores(ids))
    ranks = [views.RECOMMENDATIONS.index(r) for r in out["recommendation"]]
    assert ranks == sorted(ranks)
    assert sorted(out["code"]) == sorted(SPOTS)


def test_quarterly_report_evaluates_the_clear_targets_of_the_hand_made_plan(hand):
    ds, ids = hand
    q = views.quarterly_report(ds, 2024, 2, today=D(2024, 12, 31), scores=hand_scores(ids))
    assert q.end == AS_OF
    got = dict(zip(q.handover["code"], q.handover["recommendation"], strict=True))
    assert got == {code: rec for code, (rec, _reasons) in EXPECTED.items()}
    assert q.recommendation_counts() == {
        r: sum(1 for rec, _ in EXPECTED.values() if rec == r) for r in views.RECOMMENDATIONS
    }


# --------------------------------------------------------------------------
# The shared rules


def test_is_open():
    statuses = pd.Series([s.value for s in Status])
    assert dict(zip(statuses, views.is_open(statuses), strict=True)) == {
        "active": True,
        "clearing": True,
        "cleared": False,
        "handed_over": False,
        "reemerged": True,
    }


def test_high_risk_ids_never_count_persistence_scores():
    scores = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "score_type": ["risk", "risk", "persistence", "persistence", "risk"],
            "level": ["high", "medium", "high", "low", "high"],
        }
    )
    assert views.high_risk_ids(scores) == frozenset({1, 5})
    assert views.high_risk_ids(scores[scores["score_type"] == "persistence"]) == frozenset()


def test_border_hotspot_ids_are_unique_hotspots_of_the_zones(sample_dataset):
    report = SimpleNamespace(in_zone=pd.DataFrame({"id": [7, 3, 7, 9, 3], "code_a": list("abcde")}))
    assert views.border_hotspot_ids(report) == frozenset({3, 7, 9})
    f = Filters.for_year(2020, TODAY)
    view = queries.hotspot_view(sample_dataset, f)
    acts = queries.activities_view(sample_dataset, f, view)
    real = border.border_report(UnitLevel.DISTRICT, view, acts, sample_dataset.activities, f.as_of)
    ids = views.border_hotspot_ids(real)
    assert ids == frozenset(int(i) for i in set(real.in_zone["id"]))
    assert 0 < len(ids) < len(real.in_zone)  # a hotspot near a corner lies in several zones


def test_level_in_force():
    assert level_at(D(2025, 6, 30)) == UnitLevel.DISTRICT
    assert level_at(D(2025, 7, 1)) == UnitLevel.WARD
    assert views.level_at is level_at


# --------------------------------------------------------------------------
# The sample data


@pytest.fixture(scope="module")
def scores_at(sample_dataset):
    cache: dict[dt.date, pd.DataFrame] = {}

    def get(as_of: dt.date) -> pd.DataFrame:
        if as_of not in cache:
            cache[as_of] = risk.score(sample_dataset, as_of)
        return cache[as_of]

    return get


def status_at(ds, as_of: dt.date) -> pd.Series:
    """Independent: each hotspot's last recorded status on or before ``as_of``."""
    h = ds.history[ds.history["date"] <= pd.Timestamp(as_of)]
    return (
        h.sort_values(["date", "id"])
        .drop_duplicates("hotspot_id", keep="last")
        .set_index("hotspot_id")["to_status"]
    )


def test_overview_figures_equal_the_separate_computations(sample_dataset, scores_at):
    ds = sample_dataset
    f = Filters.for_year(2020, TODAY)
    scores = scores_at(f.as_of)
    v = views.overview(ds, f, scores=scores)
    assert v.kpis == queries.plan_kpis(ds, f)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    report = border.border_report(UnitLevel.DISTRICT, view, acts, ds.activities, f.as_of)
    assert v.border_hotspots == report.in_zone["id"].nunique() > 0
    risky = scores[
        (scores["score_type"] == "risk") & (scores["level"] == "high") & scores["id"].isin(view["id"])
    ]
    assert v.high_risk == len(risky)
    assert v.level == UnitLevel.DISTRICT
    # plan figures by hand: clear targets of 2020 cleared or handed over on 31/12/2020
    status = status_at(ds, f.as_of)
    clear = ds.targets[(ds.targets["year"] == 2020) & (ds.targets["target_type"] == "clear")]["hotspot_id"]
    assert v.kpis.clear_target == clear.nunique()
    assert v.kpis.cleared == int(status.reindex(clear).isin(["cleared", "handed_over"]).sum())
    assert v.as_dict()["border_hotspots"] == v.border_hotspots


def test_activity_card_equals_the_activity_chart_under_a_status_filter(sample_dataset, scores_at):
    ds = sample_dataset
    everything = Filters.for_year(2020, TODAY)
    f = replace(everything, statuses=frozenset({Status.ACTIVE}))
    v = views.overview(ds, f, scores=scores_at(f.as_of))
    chart = charts.activities_chart(v.activities)
    charted = int(sum(sum(trace.y) for trace in chart.data))
    assert v.kpis.activities == len(v.activities) == charted
    # independently: activities of 2020 on hotspots active on 31/12/2020, plus area-wide work
    status = status_at(ds, f.as_of)
    active = set(status[status == "active"].index)
    a = ds.activities
    in_year = a[(a["date"] >= "2020-01-01") & (a["date"] <= "2020-12-31")]
    expected = int((in_year["hotspot_id"].isin(active) | in_year["hotspot_id"].isna()).sum())
    assert v.kpis.activities == expected
    assert expected < len(views.overview(ds, everything, scores=scores_at(f.as_of)).activities)


@pytest.mark.parametrize("year", [2020, 2026])
def test_overview_border_figure_equals_the_border_view(sample_dataset, scores_at, year):
    ds = sample_dataset
    for f in (
        Filters.for_year(year, TODAY),
        Filters.for_year(year, TODAY, statuses=frozenset({Status.CLEARED, Status.HANDED_OVER})),
    ):
        scores = scores_at(f.as_of)
        over = views.overview(ds, f, scores=scores)
        side = views.border_view(ds, f, scores=scores)
        assert side.level == level_at(f.as_of) == over.border.level
        assert over.border_hotspots == side.border_hotspots > 0
        assert over.as_dict()["border_hotspots"] == side.as_dict()["border_hotspots"]


def test_area_overview_border_figure_equals_the_border_view_of_that_area(sample_dataset, scores_at):
    ds = sample_dataset
    f = Filters.for_year(2020, TODAY, area_level=UnitLevel.DISTRICT, area_code="002")
    scores = scores_at(f.as_of)
    area = views.overview(ds, f, scores=scores)
    side = views.border_view(ds, f, level=UnitLevel.DISTRICT, unit="002", scores=scores)
    assert area.border_hotspots == side.border_hotspots > 0
    assert set(area.hotspots["district_code"]) == {"002"}
    pairs = area.border.adjacency.pairs
    assert ((pairs["code_a"] == "002") | (pairs["code_b"] == "002")).all()


def month_briefing(ds, scores_at, month: dt.date, **kwargs) -> views.MonthlyBriefing:
    end = min(views.month_end(month), TODAY)
    return views.monthly_briefing(ds, month, today=TODAY, scores=scores_at(end), **kwargs)


@pytest.mark.parametrize("month", [D(2020, 8, 1), D(2020, 12, 1), D(2025, 6, 1)])
def test_monthly_status_counts_chain_from_month_to_month(sample_dataset, scores_at, month):
    ds = sample_dataset
    this = month_briefing(ds, scores_at, month)
    following = month_briefing(ds, scores_at, views.month_end(month) + dt.timedelta(days=1))
    assert this.status_counts["current"].tolist() == following.status_counts["previous"].tolist()
    expected = status_at(ds, views.month_end(month)).value_counts()
    for s in Status:
        assert this.status_counts.loc[s.value, "current"] == expected.get(s.value, 0)
    counts = this.status_counts
    assert (counts["change"] == counts["current"] - counts["previous"]).all()


def test_monthly_activity_figures_add_up(sample_dataset, scores_at):
    b = month_briefing(sample_dataset, scores_at, D(2020, 9, 1))
    assert b.activities > 0
    assert (
        int(b.activities_by_kind.sum()) == b.activities == int(b.activities_by_performer["activities"].sum())
    )
    for column in COUNT_COLUMNS:
        assert int(b.activities_by_performer[column].sum()) == b.results[column]
    a = sample_dataset.activities
    in_month = a[(a["date"] >= "2020-09-01") & (a["date"] <= "2020-09-30")]
    assert b.activities == len(in_month)  # the city, every status: every activity of the month
    assert b.results["violations_found"] == int(in_month["violations_found"].sum())
    assert b.as_dict()["activities"] == b.activities


@pytest.fixture(scope="module")
def q3_2020(sample_dataset, scores_at):
    return views.quarterly_report(sample_dataset, 2020, 3, today=TODAY, scores=scores_at(D(2020, 9, 30)))


def test_quarterly_results_by_unit_add_up(q3_2020):
    q = q3_2020
    ru = q.results_by_unit
    assert q.unit_level == UnitLevel.DISTRICT
    assert ru["unit_code"].str.len().eq(3).all()
    assert int(ru["activities"].sum()) == q.activities == len(q.activity_rows) > 0
    for column in COUNT_COLUMNS:
        assert int(ru[column].sum()) == q.results[column]
    assert int(q.activities_by_kind.sum()) == q.activities


def test_quarterly_kpis_are_the_plan_kpis_at_the_quarter_end(sample_dataset, q3_2020):
    ds, q = sample_dataset, q3_2020
    assert q.end == D(2020, 9, 30)
    f = Filters(plan_year=2020, date_from=D(2020, 7, 1), date_to=D(2020, 9, 30))
    assert q.kpis == queries.plan_kpis(ds, f)
    status = status_at(ds, q.end)
    targets = ds.targets[ds.targets["year"] == 2020]
    clear = targets[targets["target_type"] == "clear"]["hotspot_id"]
    assert (q.kpis.clear_target, q.kpis.cleared) == (
        len(clear),
        int(status.reindex(clear).isin(["cleared", "handed_over"]).sum()),
    )
    met = q.targets[q.targets["target_type"] == "clear"]["met"]
    assert int(met.sum()) == q.kpis.cleared


def test_quarterly_evaluates_the_13_clear_targets_of_2020(sample_dataset, q3_2020):
    ds, q = sample_dataset, q3_2020
    clear = ds.targets[(ds.targets["year"] == 2020) & (ds.targets["target_type"] == "clear")]
    assert len(clear) == 13
    assert len(q.handover) == 13
    assert set(q.handover["id"]) == set(clear["hotspot_id"])
    assert sum(q.recommendation_counts().values()) == 13
    status = status_at(ds, q.end)
    for row in q.handover.itertuples(index=False):
        assert row.status == status[row.id]
        if row.status in ("active", "clearing", "reemerged"):
            assert row.recommendation == "not_cleared"
        elif row.status == "handed_over":
            assert row.recommendation == "handed_over"
        else:
            assert (row.recommendation == "propose") == (row.reasons == ())


def test_scope_restricts_every_view(sample_dataset, scores_at):
    ds = sample_dataset
    scope = Scope(district_codes=frozenset({"002"}))
    b = views.monthly_briefing(ds, D(2020, 9, 1), scope=scope, today=TODAY, scores=scores_at(D(2020, 9, 30)))
    assert not b.hotspots.empty
    assert set(b.hotspots["district_code"]) == {"002"}
    assert set(b.activity_rows["district_code"]) <= {"002"}
    city = month_briefing(ds, scores_at, D(2020, 9, 1))
    assert len(b.hotspots) < len(city.hotspots)
    assert set(b.high_risk["district_code"]) <= {"002"}
    q = views.quarterly_report(ds, 2020, 3, scope=scope, today=TODAY, scores=scores_at(D(2020, 9, 30)))
    assert set(q.hotspots["district_code"]) == {"002"}
    assert set(q.handover["district_code"]) <= {"002"}
    assert set(q.results_by_unit["unit_code"]) <= {"002"}
    over = views.overview(ds, Filters.for_year(2020, TODAY), scope, scores=scores_at(D(2020, 12, 31)))
    assert set(over.hotspots["district_code"]) == {"002"}


def test_a_future_period_is_refused(sample_dataset):
    next_month = views.month_end(TODAY) + dt.timedelta(days=1)
    with pytest.raises(DomainError, match=next_month.strftime("%d/%m/%Y")):
        views.monthly_briefing(sample_dataset, next_month, today=TODAY)
    with pytest.raises(DomainError):
        views.quarterly_report(sample_dataset, TODAY.year + 1, 1, today=TODAY)
    # the running month is fine, cut at today
    b = views.monthly_briefing(sample_dataset, views.month_start(TODAY), today=TODAY)
    assert b.as_of == TODAY
