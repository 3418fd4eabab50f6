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


#: Plotly's default font size, the size every on-screen text is set relative to.
BASE_FONT = 12
TITLE_FONT = 15
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
#: Width (px) the legend's rows are planned for on screen: a half column of a small laptop
#: with the sidebar open (about 460 px at 1400 px wide; a little less, so no row spills).
SCREEN_WIDTH = 420
#: Height (px) of one category of a horizontal bar chart: every label shows.
CATEGORY_PX = 26
#: At most this many categories get their values written on the bars in print.
PRINT_VALUE_LIMIT = 15


def nice_step(span: float, target: int = 5) -> float:
    """The 1, 2 or 5 × 10ⁿ step that cuts ``span`` into about ``target`` intervals.

    >>> nice_step(3), nice_step(12), nice_step(1234)
    (1.0, 5, 500)
    """
    if not (span > 0 and math.isfinite(span)):
        return 1
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude * (1 + 1e-9))


def _count_axis(update, max_value: float) -> None:
    """Make an axis of counts: whole-number ticks from zero, never a negative range.

    ``update`` is ``fig.update_xaxes`` or ``fig.update_yaxes``; ``max_value`` is
    the longest bar (the largest stacked total for stacked bars).
    """
    peak = float(max_value) if max_value is not None and math.isfinite(float(max_value)) else 0.0
    settings = {
        "tickformat": ",d",
        "rangemode": "tozero",
        "tick0": 0,
        "dtick": max(1, round(nice_step(peak))),
        "automargin": True,
    }
    if peak <= 0:
        settings["range"] = [0, 1]  # autorange of all-zero bars would reach -1
    update(**settings)


def _category_axis(fig: go.Figure, labels: list[str]) -> None:
    """The category (y) axis of a horizontal bar chart: every label, in this order."""
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=labels,
        tickmode="array", tickvals=labels, ticktext=labels, automargin=True,
    )  # fmt: skip


def _legend_grid(fig: go.Figure, width: float, font_size: float) -> tuple[int, int]:
    """Rows and columns of the horizontal legend of ``fig``'s traces at ``width`` px.

    (0, 0) when plotly shows no legend. Entry widths err on the wide side, so
    the columns fit at ``width``; :func:`_place_legend` fixes each entry to a
    fraction of the plot width, so a wider screen spreads the same grid out
    instead of changing the number of rows.
    """
    if fig.layout.showlegend is False:
        return 0, 0
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if len(names) < 2 and not any(tr.showlegend for tr in fig.data):
        return 0, 0  # plotly shows no legend for a single trace
    usable = max(width - _plot_left(fig, font_size) - 20, 100)  # the legend starts where the plot does
    columns = min(len(names), max(1, int(usable // _legend_entry_px(names, font_size))))
    return math.ceil(len(names) / columns), columns


def _legend_entry_px(names: list[str], font_size: float) -> float:
    """Width of the widest legend entry (symbol, gaps, text), erring on the wide side."""
    return max(2.9 * font_size + 0.62 * font_size * len(name) for name in names)


def _legend_rows(fig: go.Figure, width: float, font_size: float) -> int:
    return _legend_grid(fig, width, font_size)[0]


def _plot_left(fig: go.Figure, font_size: float) -> float:
    """About where the plot area starts (px): the legend starts there too."""
    axis = fig.layout.yaxis
    if axis.type == "category" and axis.ticktext is not None:
        return 20 + 0.62 * font_size * max((len(str(v)) for v in axis.ticktext), default=0)
    return 10 + 5 * font_size if axis.title.text else 10 + 3 * font_size


def _top_margin(title_size: float, legend_rows: int, font_size: float) -> int:
    """Room above the plot for the title (at the top) and the legend (below it)."""
    return round(10 + 1.5 * title_size + legend_rows * (1.75 * font_size) + 10)


def _category_count(fig: go.Figure) -> int:
    """Number of categories of a horizontal bar chart (0 for other charts)."""
    axis = fig.layout.yaxis
    if axis.type == "category" and axis.tickvals is not None:
        return len(axis.tickvals)
    return 0


def _bar_chart_height(n: int, top: int, minimum: int = 300, per_category: float = CATEGORY_PX) -> int:
    """Height of a horizontal bar chart giving each of ``n`` categories its row."""
    return max(minimum, round(top + 70 + per_category * n))


def _place_legend(fig: go.Figure, width: float, font_size: float, title_size: float) -> None:
    """Title at the top left, the legend in one or more rows under it, above the plot."""
    rows, _columns = _legend_grid(fig, width, font_size)
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name] or [""]
    top = _top_margin(title_size, rows, font_size)
    plot_px = max((fig.layout.height or 440) - top - 80, 100)
    fig.update_layout(
        margin_t=top,
        legend={
            "orientation": "h", "x": 0, "xanchor": "left", "y": 1 + 6 / plot_px,
            "yanchor": "bottom", "traceorder": "normal", "title": None, "font": {"size": font_size},
            "entrywidthmode": "pixels", "entrywidth": round(_legend_entry_px(names, font_size)),
        },
    )  # fmt: skip


def _layout(fig: go.Figure, title: str, height: int = 440) -> go.Figure:
    fig.update_layout(
        title={
            "text": title, "x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 10, "t": 10},
            "y": 1, "yanchor": "top", "yref": "container", "font": {"size": TITLE_FONT},
        },
        separators=PLOTLY_SEPARATORS,
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "b": 10},
        barmode="stack",
        font={"family": FONT_FAMILY},
    )  # fmt: skip
    _place_legend(fig, SCREEN_WIDTH, BASE_FONT, TITLE_FONT)
    return fig


def _screen_top(fig: go.Figure) -> int:
    """The top margin :func:`_layout` will give ``fig`` on screen."""
    return _top_margin(TITLE_FONT, _legend_rows(fig, SCREEN_WIDTH, BASE_FONT), BASE_FONT)


def _month_axis(fig: go.Figure, months: pd.Index) -> None:
    """The month (x) axis of a monthly chart: mm/yyyy ticks, titled "Tháng"."""
    few = len(months) <= 14
    fig.update_xaxes(
        tickformat="%m/%Y", dtick="M1" if few else None, tickangle=-45, title_text=t("chart.month"),
        automargin=True,
    )  # fmt: skip


def _empty(fig: go.Figure) -> go.Figure:
    fig.add_annotation(text=t("chart.empty"), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def for_print(
    fig: go.Figure, *, font_size: int = 18, width: int = 1600, height: int | None = None
) -> go.Figure:
    """A copy of ``fig`` for a document or a slide, at ``width`` × ``height`` px.

    Fonts, title and legend grow with ``font_size`` (on screen the body is
    12 px), the background is white, margins and the legend are planned for
    the larger text, and a horizontal bar chart gets the height that shows
    every category. Bars of counts carry their value when there are at most
    :data:`PRINT_VALUE_LIMIT` categories, since a reader of paper cannot hover.
    ``height`` defaults to 9/16 of ``width``, or more for many categories.
    ``fig`` itself is not changed.
    """
    out = go.Figure(fig)
    scale = font_size / BASE_FONT
    title_size = round(TITLE_FONT * scale)
    categories = _category_count(out)
    if height is None:
        top = _top_margin(title_size, _legend_rows(out, width, font_size), font_size)
        height = max(round(width * 9 / 16), _bar_chart_height(categories, top, 0, 1.6 * font_size + 6))
    pad = round(10 * scale)
    out.update_layout(
        width=width,
        height=height,
        font={"size": font_size},
        title={"font": {"size": title_size}, "pad": {"l": pad, "t": pad}},
        margin={"l": pad, "r": round(20 * scale), "b": pad},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"size": font_size}},
    )
    for annotation in out.layout.annotations:
        if annotation.font.size:
            annotation.font.size = round(annotation.font.size * scale)
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    _place_legend(out, width, font_size, title_size)
    _print_bar_values(out, font_size)
    return out


def _print_bar_values(fig: go.Figure, font_size: int) -> None:
    """Write each count on its bar segment (those too small for it stay blank)."""
    if fig.layout.barmode not in ("stack", "group", None):
        return
    bars = [tr for tr in fig.data if tr.type == "bar"]
    if not bars:
        return
    horizontal = bars[0].orientation == "h"
    value_axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    if value_axis.tickformat != ",d":
        return
    categories = set()
    for tr in bars:
        values = tr.y if horizontal else tr.x
        categories.update(() if values is None else list(values))
    if len(categories) > PRINT_VALUE_LIMIT:
        return
    letter = "x" if horizontal else "y"
    for tr in bars:
        tr.update(
            texttemplate=f"%{{{letter}:,d}}", textposition="inside", insidetextanchor="middle",
            textangle=0, textfont={"size": round(font_size * 0.8)},
        )  # fmt: skip
    # Every value in the same size; one that does not fit its segment is left out.
    fig.update_layout(uniformtext={"minsize": round(font_size * 0.8), "mode": "hide"})


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
    _month_axis(fig, table.index)
    fig.update_yaxes(title_text=t("chart.count"))
    _count_axis(fig.update_yaxes, table.sum(axis=1).max())
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
    _month_axis(fig, sums.index)
    fig.update_yaxes(title_text=t("chart.count"))
    _count_axis(fig.update_yaxes, sums.to_numpy().max())
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
    _category_axis(fig, labels)
    fig.update_xaxes(title_text=t("chart.hotspots"))
    _count_axis(fig.update_xaxes, table.sum(axis=1).max())
    return _layout(fig, title, height=_bar_chart_height(len(labels), _screen_top(fig)))


def _pair_labels(table: pd.DataFrame, names: dict[str, str]) -> list[str]:
    return [
        f"{names.get(a, a)} ↔ {names.get(b, b)}"
        for a, b in zip(table["code_a"], table["code_b"], strict=True)
    ]


#: Ticks on each side of the mirrored border-activity chart's zero.
SIDE_TICKS = 2


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
    # Two ticks a side (whole numbers, shown without sign): the pairs' long names leave the
    # bars a narrow plot in a half-width column, where more labels would run into each other.
    step = max(1, math.ceil(peak / SIDE_TICKS))
    ticks = list(range(-step * SIDE_TICKS, step * SIDE_TICKS + 1, step))
    fig.update_xaxes(
        range=[-step * SIDE_TICKS * 1.1, step * SIDE_TICKS * 1.1], title_text=t("chart.count"),
        zeroline=True, tickformat=",d", tickmode="array", tickvals=ticks,
        ticktext=[fmt_number(abs(v)) for v in ticks], tickangle=0, automargin=True,
    )  # fmt: skip
    _category_axis(fig, labels)
    height = _bar_chart_height(len(labels), _screen_top(fig), minimum=320)
    return _layout(fig, title, height=height).update_layout(barmode="relative")


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
    _category_axis(fig, labels)
    fig.update_xaxes(title_text=t("chart.hotspots"))
    _count_axis(fig.update_xaxes, data[[s.value for s in Status]].sum(axis=1).max())
    return _layout(fig, title, height=_bar_chart_height(len(labels), _screen_top(fig), minimum=320))


def border_ranking_chart(ranking: pd.DataFrame, names: dict[str, str], limit: int = 15) -> go.Figure:
    """Pairs ranked by border hotspots needing attention, with their coordination gaps."""
    fig = go.Figure()
    title = t("chart.border_ranking")
    data = ranking.head(limit).iloc[::-1]
    if data.empty:
        return _layout(_empty(fig), title)
    labels = _pair_labels(data, names)
    for column, key, colour in (
        ("attention", "chart.attention", "#D55E00"),
        ("gaps", "chart.gaps", "#5B2C83"),
    ):
        fig.add_bar(
            y=labels, x=data[column], orientation="h", name=t(key), marker_color=colour,
            hovertemplate="%{y}: %{x:,d}<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    _category_axis(fig, labels)
    fig.update_xaxes(title_text=t("chart.number"))
    _count_axis(fig.update_xaxes, data[["attention", "gaps"]].to_numpy().max())
    height = _bar_chart_height(len(labels), _screen_top(fig), minimum=320, per_category=2 * CATEGORY_PX)
    return _layout(fig, title, height=height).update_layout(barmode="group")


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
    fig.update_xaxes(range=[0, 100], title_text=t("risk.points"), automargin=True)
    _category_axis(fig, labels)
    return _layout(fig, title, height=_bar_chart_height(len(labels), _screen_top(fig), minimum=360))


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
    fig.update_yaxes(title_text=t("risk.wards"))
    _count_axis(fig.update_yaxes, counts.max())
    return _layout(fig, title)


def card_activity_chart(acts: pd.DataFrame, timeline: pd.DataFrame) -> go.Figure:
    """One hotspot over time: its activities per month (stacked by kind, every
    month from the first to the last shown, empty ones too) and its status
    changes as markers along the top (coloured by the new status)."""
    fig = go.Figure()
    title = t("card.chart_title")
    table = activities_by_month(acts)
    changes = timeline if timeline is not None else pd.DataFrame(columns=["date", "to_status"])
    if table.empty and changes.empty:
        return _layout(_empty(fig), title)
    months = pd.DatetimeIndex(table.index)
    if len(changes):
        change_months = pd.to_datetime(changes["date"]).dt.to_period("M").dt.to_timestamp()
        months = months.union(pd.DatetimeIndex(change_months))
    full = pd.date_range(months.min(), months.max(), freq="MS")
    table = table.reindex(full, fill_value=0)
    for kind in ActivityKind:
        if kind.value not in table.columns:
            continue
        fig.add_bar(
            x=table.index, y=table[kind.value], name=t(f"activity.{kind.value}"),
            marker_color=ACTIVITY_COLOURS[kind],
            hovertemplate="%{x|%m/%Y}: %{y:,d}<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    peak = float(table.sum(axis=1).max()) if len(table.columns) else 0.0
    if len(changes):
        top = max(peak, 1.0) * 1.08
        dates = pd.to_datetime(changes["date"])
        for status in Status:
            mine = changes["to_status"] == status.value
            if not mine.any():
                continue
            label = t(f"status.{status.value}")
            fig.add_scatter(
                x=dates[mine], y=[top] * int(mine.sum()), mode="markers", name=f"→ {label}",
                marker={"symbol": "diamond", "size": 12, "color": STATUS_COLOURS[status],
                        "line": {"width": 1, "color": "#000000"}},
                text=[f"{d:%d/%m/%Y}: {label}" for d in dates[mine]], hovertemplate="%{text}<extra></extra>",
            )  # fmt: skip
        peak = top
    _month_axis(fig, table.index)
    fig.update_yaxes(title_text=t("chart.count"))
    _count_axis(fig.update_yaxes, peak)
    return _layout(fig, title)


#: A colour per shown task state (Okabe-Ito, apart enough to read with colour blindness).
TASK_STATE_COLOURS = {
    "not_started": "#BBBBBB",
    "in_progress": "#56B4E9",
    "overdue": "#D55E00",
    "done": "#009E73",
}


def task_progress_chart(table: pd.DataFrame, names: dict[str, str], title: str, limit: int = 20) -> go.Figure:
    """Horizontal stacked bars: a local plan's tasks per unit, one trace per shown
    state (not started, under way, overdue, done). ``table`` is
    :func:`dashboard.tasks.progress` (most overdue first); the first ``limit``
    units are drawn, the first on top."""
    from dashboard.tasks import DISPLAY_STATES

    fig = go.Figure()
    if table.empty:
        return _layout(_empty(fig), title)
    shown = table.head(limit).iloc[::-1]
    labels = [names.get(code, code) for code in shown["unit_code"]]
    for state in DISPLAY_STATES:
        fig.add_bar(
            y=labels,
            x=shown[state],
            name=t(f"task.state.{state}"),
            orientation="h",
            marker_color=TASK_STATE_COLOURS[state],
            hovertemplate="%{y}: %{x:,d}<extra>%{fullData.name}</extra>",
        )
    _category_axis(fig, labels)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("chart.tasks"))
    _count_axis(fig.update_xaxes, float(shown["total"].max()))
    return _layout(fig, title, height=_bar_chart_height(len(labels), _screen_top(fig)))
