"""Plotly figures, built by pure functions (tests assert on their traces)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.domain import STATUS_COLOURS, ActivityKind, Status
from dashboard.i18n import PLOTLY_SEPARATORS, fmt_number, t
from dashboard.queries import activities_by_month
from dashboard.risk import FACTORS

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
    step = max(1, math.ceil(peak / 4))
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


#: Colours of the risk factors (Okabe–Ito and Tol's muted, told apart by hue and lightness).
FACTOR_COLOURS = {
    "recency": "#0072B2",
    "duration": "#56B4E9",
    "prior": "#CC79A7",
    "violations": "#D55E00",
    "nearby_open": "#E69F00",
    "border": "#5B2C83",
    "kind": "#009E73",
    "activity_drop": "#999999",
}


def risk_breakdown_chart(scores: pd.DataFrame, limit: int = 20) -> go.Figure:
    """Ranked horizontal bars: each place's score split into factor points."""
    fig = go.Figure()
    title = t("chart.risk_breakdown")
    data = scores.head(limit).iloc[::-1]
    if data.empty:
        return _layout(_empty(fig), title)
    labels = [f"{code} · {name}" for code, name in zip(data["code"], data["name"], strict=True)]
    for factor in FACTORS:
        values = data[f"pts_{factor}"]
        if not values.any():
            continue
        fig.add_bar(
            y=labels, x=values, orientation="h", name=t(f"risk.factor.{factor}"),
            marker_color=FACTOR_COLOURS[factor],
            hovertemplate="%{y}<br>%{fullData.name}: %{x:,.1f}<extra></extra>",
        )  # fmt: skip
    fig.update_xaxes(range=[0, 100], title_text=t("risk.points"))
    return _layout(fig, title, height=max(360, 90 + 24 * len(data)))


def survival_chart(curves: dict[str, pd.DataFrame], labels: dict[str, str], title: str) -> go.Figure:
    """Kaplan–Meier step curves with their 95 % bands."""
    fig = go.Figure()
    palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
    if all(c.empty for c in curves.values()):
        return _layout(_empty(fig), title)
    for (name, curve), colour in zip(curves.items(), palette, strict=False):
        if curve.empty:
            continue
        label = labels.get(name, name)
        fig.add_scatter(x=curve["months"], y=curve["high"], line_shape="hv", mode="lines",
                        line={"width": 0}, showlegend=False, hoverinfo="skip", legendgroup=name)  # fmt: skip
        fig.add_scatter(
            x=curve["months"], y=curve["low"], line_shape="hv", mode="lines", line={"width": 0},
            fill="tonexty", fillcolor=_transparent(colour), showlegend=False, hoverinfo="skip",
            legendgroup=name,
        )  # fmt: skip
        fig.add_scatter(
            x=curve["months"], y=curve["survival"], line_shape="hv", mode="lines", name=label,
            line={"color": colour, "width": 2.5}, legendgroup=name,
            hovertemplate="%{x:,.1f} " + t("risk.months") + ": %{y:.0%}<extra>" + label + "</extra>",
        )  # fmt: skip
    fig.update_xaxes(title_text=t("risk.months_since_cleared"))
    fig.update_yaxes(title_text=t("risk.still_clean"), range=[0, 1.02], tickformat=".0%")
    return _layout(fig, title)


def _transparent(hex_colour: str, alpha: float = 0.15) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def backtest_chart(per_cutoff: pd.DataFrame) -> go.Figure:
    """ROC AUC per quarter-end cutoff, model against the baseline."""
    fig = go.Figure()
    title = t("chart.backtest")
    data = per_cutoff.dropna(subset=["auc_model"])
    if data.empty:
        return _layout(_empty(fig), title)
    for column, key, colour in (
        ("auc_model", "risk.model", "#0072B2"),
        ("auc_baseline", "risk.baseline", "#999999"),
    ):
        fig.add_scatter(
            x=data["cutoff"], y=data[column], mode="lines+markers", name=t(key), line_color=colour,
            hovertemplate="%{x|%d/%m/%Y}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    fig.add_hline(y=0.5, line_dash="dot", line_color="#666666")
    fig.update_xaxes(tickformat="%m/%Y")
    fig.update_yaxes(title_text="ROC AUC", range=[0, 1.02])
    return _layout(fig, title)


def risk_border_chart(scores: pd.DataFrame) -> go.Figure:
    """Risk scores of border hotspots against interior ones (box plots)."""
    fig = go.Figure()
    title = t("chart.risk_border")
    data = scores[scores["score_type"] == "risk"]
    if data.empty:
        return _layout(_empty(fig), title)
    for flag, key, colour in (
        (True, "risk.border_group", "#5B2C83"),
        (False, "risk.interior_group", "#009E73"),
    ):
        part = data[data["in_border_zone"] == flag]
        fig.add_box(
            y=part["score"], name=t(key), marker_color=colour, boxpoints="all", jitter=0.4, pointpos=0,
            text=part["code"], hovertemplate="%{text}: %{y:,.1f}<extra></extra>",
        )  # fmt: skip
    fig.update_yaxes(range=[0, 100], title_text=t("risk.score"))
    fig.update_layout(showlegend=False)
    return _layout(fig, title)


def category_chart(categories: pd.Series, labels: dict[str, str]) -> go.Figure:
    """Wards per emerging hot spot category (``none`` left out)."""
    fig = go.Figure()
    title = t("chart.emerging")
    counts = categories[categories != "none"].value_counts()
    if counts.empty:
        return _layout(_empty(fig), title)
    fig.add_bar(
        x=[labels.get(c, c) for c in counts.index], y=counts.to_numpy(), marker_color="#D55E00",
        hovertemplate="%{x}: %{y:,d}<extra></extra>",
    )  # fmt: skip
    fig.update_yaxes(title_text=t("risk.wards"), dtick=1 if counts.max() < 10 else None)
    return _layout(fig, title)
