"""Plotly figures (dashboard.charts): traces, values, colours, empty input."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import charts, queries
from dashboard.domain import STATUS_COLOURS, ActivityKind, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import t

EMPTY_TEXT = "Không có dữ liệu trong bộ lọc đã chọn."


def acts(*rows: tuple[str, str]) -> pd.DataFrame:
    """An activities frame from (dd/mm/yyyy, kind) pairs."""
    return pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in rows], format="%d/%m/%Y"),
            "kind": [k for _, k in rows],
            "violations_found": [1] * len(rows),
            "cases_handled": [0] * len(rows),
        }
    )


def traces_by_name(fig) -> dict:
    return {trace.name: trace for trace in fig.data}


@pytest.fixture(scope="module")
def view_2020(sample_dataset) -> pd.DataFrame:
    return queries.hotspot_view(sample_dataset, Filters.for_year(2020, dt.date(2026, 11, 20)))


def test_activities_chart_by_hand():
    frame = acts(
        ("03/01/2021", "patrol"),
        ("20/01/2021", "patrol"),
        ("31/01/2021", "patrol"),
        ("01/02/2021", "patrol"),
        ("25/02/2021", "briefing"),
        ("26/02/2021", "briefing"),
    )
    fig = charts.activities_chart(frame)
    traces = traces_by_name(fig)
    assert list(traces) == [t("activity.patrol"), t("activity.briefing")]
    patrol, briefing = traces[t("activity.patrol")], traces[t("activity.briefing")]
    assert list(patrol.y) == [3, 1] and list(briefing.y) == [0, 2]
    assert [pd.Timestamp(x) for x in patrol.x] == [pd.Timestamp(2021, 1, 1), pd.Timestamp(2021, 2, 1)]
    assert patrol.marker.color == charts.ACTIVITY_COLOURS[ActivityKind.PATROL]
    assert fig.layout.barmode == "stack"


def test_activities_chart_sums_match_the_activities(sample_dataset):
    f = Filters.for_year(2021, dt.date(2026, 11, 20))
    frame = queries.activities_view(sample_dataset, f, queries.hotspot_view(sample_dataset, f))
    fig = charts.activities_chart(frame)
    expected = frame["kind"].value_counts()
    names = {t(f"activity.{k}"): k for k in expected.index}
    assert sorted(trace.name for trace in fig.data) == sorted(names)
    for trace in fig.data:
        assert sum(trace.y) == expected[names[trace.name]]
        assert len(trace.x) == 12  # one bar per month of 2021
    order = [trace.name for trace in fig.data]
    assert order == [t(f"activity.{k.value}") for k in ActivityKind if k.value in expected.index]


def test_status_by_unit_chart_matches_the_table(view_2020):
    table = queries.status_by_unit(view_2020, UnitLevel.DISTRICT)
    names = unit_names(UnitLevel.DISTRICT)
    fig = charts.status_by_unit_chart(table, names, "T")
    assert [trace.name for trace in fig.data] == [t(f"status.{s.value}") for s in Status]
    totals = table.sum(axis=1)
    for trace, status in zip(fig.data, Status, strict=True):
        assert trace.marker.color == STATUS_COLOURS[status]
        assert trace.orientation == "h"
        units = [next(code for code, name in names.items() if name == label) for label in trace.y]
        assert list(trace.x) == table.loc[units, status.value].tolist()
        # Most hotspots on top (last bar of a horizontal chart).
        assert list(totals[units]) == sorted(totals)
    assert sum(sum(trace.x) for trace in fig.data) == len(view_2020)
    assert set(fig.data[0].y) == {names[c] for c in table.index}


def test_status_by_unit_chart_by_hand():
    table = pd.DataFrame(
        {"active": [2, 0], "clearing": [0, 1], "cleared": [0, 0], "handed_over": [1, 0], "reemerged": [0, 0]},
        index=["002", "006"],
    )
    fig = charts.status_by_unit_chart(table, {"002": "Quận Hoàn Kiếm"}, "T")
    traces = traces_by_name(fig)
    # 006 (1 hotspot) below 002 (3); a unit without a name keeps its code.
    assert list(traces[t("status.active")].y) == ["006", "Quận Hoàn Kiếm"]
    assert list(traces[t("status.active")].x) == [0, 2]
    assert list(traces[t("status.clearing")].x) == [1, 0]
    assert list(traces[t("status.handed_over")].x) == [0, 1]


def test_results_chart_sums_by_month():
    frame = acts(("03/01/2021", "patrol"), ("20/01/2021", "inspection"), ("01/03/2021", "patrol"))
    frame["cases_handled"] = [1, 0, 1]
    fig = charts.results_chart(frame)
    violations, cases = fig.data
    assert (violations.name, cases.name) == (t("chart.violations"), t("chart.cases"))
    assert list(violations.y) == [2, 1] and list(cases.y) == [1, 1]


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.activities_chart(acts()),
        lambda: charts.results_chart(acts()),
        lambda: charts.status_by_unit_chart(
            queries.status_by_unit(pd.DataFrame({"district_code": [], "status": []}), UnitLevel.DISTRICT),
            {},
            "T",
        ),
    ],
    ids=["activities", "results", "status_by_unit"],
)
def test_empty_input_says_so_in_vietnamese(build):
    fig = build()
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == [EMPTY_TEXT]
    assert t("chart.empty") == EMPTY_TEXT
    assert fig.layout.xaxis.visible is False


@pytest.mark.parametrize(
    "fig",
    [
        lambda: charts.activities_chart(acts(("03/01/2021", "patrol"))),
        lambda: charts.results_chart(acts(("03/01/2021", "patrol"))),
        lambda: charts.activities_chart(acts()),
    ],
)
def test_layout_uses_vietnamese_separators(fig):
    layout = fig().layout
    assert layout.separators == ",."
    assert layout.title.text
