"""Plotly figures (dashboard.charts): traces, values, colours, empty input."""

from __future__ import annotations

import datetime as dt
import re

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


# --- Screen, paper and projector: every label, integer counts, legend placement, print copies.

DISTRICTS = unit_names(UnitLevel.DISTRICT)


def district_table(counts: list[int] | None = None) -> pd.DataFrame:
    """A status_by_unit-like table over all 30 former districts (made-up counts)."""
    codes = sorted(DISTRICTS)
    counts = counts if counts is not None else [(i * 7) % 5 for i in range(len(codes))]
    table = pd.DataFrame(0, index=codes, columns=[s.value for s in Status])
    table[Status.ACTIVE.value] = counts
    table[Status.CLEARED.value] = [i % 2 for i in range(len(codes))]
    return table


def pairs(n: int) -> pd.DataFrame:
    """A border pair table of ``n`` pairs of the first districts (code_a, code_b, counts)."""
    codes = sorted(DISTRICTS)
    frame = pd.DataFrame(
        {"code_a": codes[:n], "code_b": codes[1 : n + 1], "acts_a": range(1, n + 1), "acts_b": [1] * n}
    )
    for status in Status:
        frame[status.value] = 1 if status == Status.ACTIVE else 0
    frame["hotspots"] = frame[[s.value for s in Status]].sum(axis=1)
    return frame.assign(attention=1, gaps=[i % 3 for i in range(n)])


def risk_scores(n: int) -> pd.DataFrame:
    frame = pd.DataFrame({"code": [f"TD-{i:03d}" for i in range(n)], "name": [f"Điểm {i}" for i in range(n)]})
    for factor in charts.FACTORS:
        frame[f"pts_{factor}"] = 2.5
    return frame


HORIZONTAL = {
    "status_by_unit": lambda: charts.status_by_unit_chart(district_table(), DISTRICTS, "T"),
    "border_sides": lambda: charts.border_activity_chart(pairs(15), DISTRICTS),
    "border_status": lambda: charts.border_status_chart(pairs(15), DISTRICTS),
    "border_ranking": lambda: charts.border_ranking_chart(pairs(15), DISTRICTS),
    "risk_breakdown": lambda: charts.risk_breakdown_chart(risk_scores(20)),
}


@pytest.mark.parametrize("name", list(HORIZONTAL))
def test_horizontal_bar_charts_label_every_category(name):
    fig = HORIZONTAL[name]()
    axis = fig.layout.yaxis
    categories = list(dict.fromkeys(fig.data[0].y))
    # Plotly thins automatic category ticks; explicit ones all show.
    assert axis.type == "category" and axis.tickmode == "array" and axis.automargin
    assert list(axis.tickvals) == categories and list(axis.ticktext) == categories
    assert all(set(trace.y) <= set(axis.tickvals) for trace in fig.data)
    # Room for every row: at least 22 px per category besides the margins.
    assert (fig.layout.height - fig.layout.margin.t - 70) / len(categories) >= 22


def test_status_chart_of_30_districts_names_every_district():
    fig = charts.status_by_unit_chart(district_table(), DISTRICTS, "T")
    assert len(DISTRICTS) == 30
    assert set(fig.layout.yaxis.ticktext) == set(DISTRICTS.values())
    assert fig.layout.height >= 30 * 22


MONTHLY = {
    "activities": lambda: charts.activities_chart(
        acts(*[(f"0{m}/0{m}/2021", k.value) for m in range(1, 10) for k in ActivityKind])
    ),
    "results": lambda: charts.results_chart(acts(("03/01/2021", "patrol"), ("01/03/2021", "patrol"))),
}


@pytest.mark.parametrize("name", list(MONTHLY))
def test_monthly_charts_put_the_legend_above_the_plot_and_title_the_month_axis(name):
    fig = MONTHLY[name]()
    legend = fig.layout.legend
    # Under the plot the legend covered the rotated month ticks (it sat at y=-0.12).
    assert legend.y >= 1 and legend.yanchor == "bottom" and legend.orientation == "h"
    assert fig.layout.xaxis.title.text == t("chart.month") == "Tháng"
    assert fig.layout.xaxis.automargin
    # The title stays at the top of the figure, above the legend's rows.
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"
    rows = charts._legend_rows(fig, charts.SCREEN_WIDTH, charts.BASE_FONT)
    assert rows >= 1
    assert fig.layout.margin.t >= 1.5 * fig.layout.title.font.size + rows * charts.BASE_FONT * 1.5


def test_a_longer_legend_gets_more_room_above_the_plot():
    one = charts.activities_chart(acts(("03/01/2021", "patrol"), ("04/01/2021", "briefing")))
    six = MONTHLY["activities"]()
    assert six.layout.margin.t > one.layout.margin.t


def count_axes() -> dict:
    """(figure, axis name, largest bar) of every chart with a count axis."""
    small = acts(("03/01/2021", "patrol"), ("03/02/2021", "briefing"))
    return {
        "activities": (charts.activities_chart(small), "yaxis", 1),
        "results": (charts.results_chart(small), "yaxis", 1),
        "status_by_unit": (charts.status_by_unit_chart(district_table([1] * 30), DISTRICTS, "T"), "xaxis", 2),
        "border_status": (charts.border_status_chart(pairs(3), DISTRICTS), "xaxis", 1),
        "border_ranking": (charts.border_ranking_chart(pairs(3), DISTRICTS), "xaxis", 2),
        "category": (charts.category_chart(pd.Series(["new", "new", "persistent"]), {}), "yaxis", 2),
        "big_status": (
            charts.status_by_unit_chart(district_table([1234] * 30), DISTRICTS, "T"),
            "xaxis",
            1235,
        ),
    }


@pytest.mark.parametrize("name", list(count_axes()))
def test_count_axes_have_whole_ticks_from_zero(name):
    fig, axis_name, peak = count_axes()[name]
    axis = fig.layout[axis_name]
    # Small counts used to get -0,5 and 0,5 ticks.
    assert axis.tickformat == ",d"
    assert axis.rangemode == "tozero" and axis.tick0 == 0
    assert isinstance(axis.dtick, int) and axis.dtick >= 1
    assert peak / axis.dtick <= 10  # a readable number of ticks
    if peak <= 2:
        assert axis.dtick == 1


def test_an_all_zero_count_axis_does_not_go_negative():
    fig = charts.status_by_unit_chart(district_table([0] * 30).assign(cleared=0), DISTRICTS, "T")
    assert list(fig.layout.xaxis.range) == [0, 1]


def test_mirrored_border_bars_keep_whole_custom_ticks():
    axis = charts.border_activity_chart(pairs(3), DISTRICTS).layout.xaxis
    assert axis.tickmode == "array" and axis.tickformat == ",d"
    assert all(float(v).is_integer() for v in axis.tickvals)


@pytest.mark.parametrize(
    ("span", "step"), [(0, 1), (1, 0.2), (3, 1), (7, 2), (12, 5), (40, 10), (1234, 500), (float("nan"), 1)]
)
def test_nice_step(span, step):
    assert charts.nice_step(span) == pytest.approx(step)


def every_chart() -> dict:
    return {
        **{name: build() for name, build in HORIZONTAL.items()},
        **{name: build() for name, build in MONTHLY.items()},
        "category": charts.category_chart(pd.Series(["new", "new", "persistent"]), {}),
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_hover_texts_format_numbers_the_vietnamese_way(name):
    fig = every_chart()[name]
    assert fig.layout.separators == ",."
    for trace in fig.data:
        template = trace.hovertemplate
        assert template, trace.name
        values = re.findall(r"%\{(x|y|customdata\[1\])([^}]*)\}", template)
        numeric = [fmt for axis, fmt in values if axis != ("y" if trace.orientation == "h" else "x")]
        # Counts as ",d" and scores as ",.1f": plotly writes them with the layout's separators.
        assert numeric and all(fmt in (":,d", ":,.1f") for fmt in numeric), template


def test_for_print_returns_a_larger_copy_and_leaves_the_screen_figure_alone():
    screen = MONTHLY["activities"]()
    before = screen.to_json()
    paper = charts.for_print(screen)
    assert screen.to_json() == before
    assert paper is not screen
    assert (paper.layout.width, paper.layout.height) == (1600, 900)
    assert paper.layout.font.size == 18 and paper.layout.legend.font.size == 18
    assert paper.layout.title.font.size > screen.layout.title.font.size
    assert paper.layout.paper_bgcolor == paper.layout.plot_bgcolor == "#ffffff"
    assert paper.layout.legend.y >= 1 and paper.layout.xaxis.title.text == "Tháng"
    assert paper.layout.separators == ",."
    # Same data, same texts.
    assert [tr.name for tr in paper.data] == [tr.name for tr in screen.data]
    assert [list(tr.y) for tr in paper.data] == [list(tr.y) for tr in screen.data]


def test_for_print_writes_the_counts_on_the_bars_of_a_small_chart_only():
    few = charts.for_print(charts.status_by_unit_chart(district_table().head(4), DISTRICTS, "T"))
    assert {tr.texttemplate for tr in few.data} == {"%{x:,d}"}
    assert few.layout.uniformtext.mode == "hide"  # segments too narrow for their number stay blank
    many = charts.for_print(charts.status_by_unit_chart(district_table(), DISTRICTS, "T"))
    assert {tr.texttemplate for tr in many.data} == {None}
    scores = charts.for_print(HORIZONTAL["risk_breakdown"]())
    assert {tr.texttemplate for tr in scores.data} == {None}  # points, not counts


def test_for_print_makes_a_tall_chart_tall_enough_for_its_larger_labels():
    screen = charts.status_by_unit_chart(district_table(), DISTRICTS, "T")
    paper = charts.for_print(screen, font_size=20, width=1200)
    assert paper.layout.width == 1200 and paper.layout.font.size == 20
    assert (paper.layout.height - paper.layout.margin.t - 70) / 30 >= 1.5 * 20
    assert list(paper.layout.yaxis.ticktext) == list(screen.layout.yaxis.ticktext)
    assert charts.for_print(screen, height=700).layout.height == 700


def test_for_print_of_an_empty_chart_keeps_its_message():
    paper = charts.for_print(charts.activities_chart(acts()))
    assert [a.text for a in paper.layout.annotations] == [EMPTY_TEXT]
