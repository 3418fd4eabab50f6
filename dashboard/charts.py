"""Plotly figures, built by pure functions (tests assert on their traces)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.domain import STATUS_COLOURS, ActivityKind, Status
from dashboard.i18n import PLOTLY_SEPARATORS, fmt_number, t
from dashboard.queries import activities_by_month

#: Colours per activity kind (Carto "Safe", readable with colour blindness).
ACTIVITY_COLOURS: dict[ActivityKind, str] = {
    ActivityKind.PATROL: "#88CCEE",
    ActivityKind.INSPECTION: "#CC6677",
    ActivityKind.INVESTIGATION: "#DDCC77",
    ActivityKind.OUTREACH: "#117733",
    ActivityKind.STATIONED_POST: "#332288",
    ActivityKind.BRIEFING: "#AA4499",
}


def _layout(fig: go.Figure, title: str, height: int = 440) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        separators=PLOTLY_SEPARATORS,
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
        barmode="stack",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
    )
    return fig


def _empty(fig: go.Figure) -> go.Figure:
    fig.add_annotation(text=t("chart.empty"), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def activities_chart(acts: pd.DataFrame) -> go.Figure:
    """Stacked bars: activities per month, one trace per activity kind."""
    fig = go.Figure()
    table = activities_by_month(acts)
    if table.empty:
        return _layout(_empty(fig), t("chart.activities_by_month"))
    for kind in ActivityKind:
        if kind.value not in table.columns:
            continue
        fig.add_bar(
            x=table.index,
            y=table[kind.value],
            name=t(f"activity.{kind.value}"),
            marker_color=ACTIVITY_COLOURS[kind],
            hovertemplate="%{x|%m/%Y}: %{y:,d}<extra>%{fullData.name}</extra>",
        )
    fig.update_xaxes(tickformat="%m/%Y", dtick="M1" if len(table) <= 14 else None, tickangle=-45)
    fig.update_yaxes(title_text=t("chart.count"))
    return _layout(fig, t("chart.activities_by_month"))


def results_chart(acts: pd.DataFrame) -> go.Figure:
    """Lines: violations found and cases handled per month."""
    fig = go.Figure()
    if acts.empty:
        return _layout(_empty(fig), t("chart.results_by_month"))
    month = acts["date"].dt.to_period("M").dt.to_timestamp()
    sums = acts.groupby(month)[["violations_found", "cases_handled"]].sum()
    for column, key, colour in (
        ("violations_found", "chart.violations", "#D55E00"),
        ("cases_handled", "chart.cases", "#0072B2"),
    ):
        fig.add_scatter(
            x=sums.index,
            y=sums[column],
            name=t(key),
            mode="lines+markers",
            line_color=colour,
            hovertemplate="%{x|%m/%Y}: %{y:,d}<extra>%{fullData.name}</extra>",
        )
    fig.update_xaxes(tickformat="%m/%Y", tickangle=-45)
    fig.update_yaxes(title_text=t("chart.count"))
    return _layout(fig, t("chart.results_by_month"))


def status_by_unit_chart(table: pd.DataFrame, names: dict[str, str], title: str) -> go.Figure:
    """Horizontal stacked bars: hotspots per unit, one trace per status.

    ``table`` is :func:`dashboard.queries.status_by_unit`; units are sorted so
    the one with most hotspots is on top.
    """
    fig = go.Figure()
    if table.empty:
        return _layout(_empty(fig), title)
    order = table.sum(axis=1).sort_values(ascending=True).index
    labels = [names.get(code, code) for code in order]
    for status in Status:
        fig.add_bar(
            y=labels,
            x=table.loc[order, status.value],
            name=t(f"status.{status.value}"),
            orientation="h",
            marker_color=STATUS_COLOURS[status],
            hovertemplate="%{y}: %{x:,d}<extra>%{fullData.name}</extra>",
        )
    fig.update_xaxes(dtick=1 if table.values.sum() < 15 else None)
    return _layout(fig, title, height=max(300, 60 + 26 * len(order)))


def _pair_labels(table: pd.DataFrame, names: dict[str, str]) -> list[str]:
    return [
        f"{names.get(a, a)} ↔ {names.get(b, b)}"
        for a, b in zip(table["code_a"], table["code_b"], strict=True)
    ]


def border_activity_chart(table: pd.DataFrame, names: dict[str, str], limit: int = 15) -> go.Figure:
    """Mirrored bars: each side's activities on the hotspots of a pair's zone.

    The first unit of a pair goes left (negative), the second right; hover
    shows the unit's name and the true count.
    """
    fig = go.Figure()
    title = t("chart.border_sides")
    data = table[(table["acts_a"] + table["acts_b"]) > 0].head(limit).iloc[::-1]
    if data.empty:
        return _layout(_empty(fig), title)
    labels = _pair_labels(data, names)
    for column, code_column, sign, colour, key in (
        ("acts_a", "code_a", -1, "#0072B2", "chart.side_a"),
        ("acts_b", "code_b", 1, "#E69F00", "chart.side_b"),
    ):
        fig.add_bar(
            y=labels, x=sign * data[column], orientation="h", name=t(key), marker_color=colour,
            customdata=[[names.get(c, c), n] for c, n in zip(data[code_column], data[column], strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]:,d}<extra></extra>",
        )  # fmt: skip
    peak = int(max(data["acts_a"].max(), data["acts_b"].max(), 1))
    step = max(1, round(peak / 4))
    ticks = list(range(-step * 4, step * 4 + 1, step))
    fig.update_xaxes(
        range=[-peak * 1.1, peak * 1.1], title_text=t("chart.count"), zeroline=True,
        tickvals=ticks, ticktext=[fmt_number(abs(v)) for v in ticks],
    )  # fmt: skip
    return _layout(fig, title, height=max(320, 80 + 28 * len(data))).update_layout(barmode="relative")


def border_status_chart(table: pd.DataFrame, names: dict[str, str], limit: int = 15) -> go.Figure:
    """Stacked bars: hotspots in each pair's border zone, by status."""
    fig = go.Figure()
    title = t("chart.border_status")
    data = table[table["hotspots"] > 0].head(limit).iloc[::-1]
    if data.empty:
        return _layout(_empty(fig), title)
    labels = _pair_labels(data, names)
    for status in Status:
        fig.add_bar(
            y=labels, x=data[status.value], orientation="h", name=t(f"status.{status.value}"),
            marker_color=STATUS_COLOURS[status], hovertemplate="%{y}: %{x:,d}<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    return _layout(fig, title, height=max(320, 80 + 28 * len(data)))


def border_ranking_chart(ranking: pd.DataFrame, names: dict[str, str], limit: int = 15) -> go.Figure:
    """Pairs ranked by border hotspots needing attention, with their coordination gaps."""
    fig = go.Figure()
    title = t("chart.border_ranking")
    data = ranking.head(limit).iloc[::-1]
    if data.empty:
        return _layout(_empty(fig), title)
    labels = _pair_labels(data, names)
    fig.add_bar(
        y=labels, x=data["attention"], orientation="h", name=t("chart.attention"), marker_color="#D55E00"
    )
    fig.add_bar(y=labels, x=data["gaps"], orientation="h", name=t("chart.gaps"), marker_color="#5B2C83")
    return _layout(fig, title, height=max(320, 80 + 28 * len(data))).update_layout(barmode="group")
