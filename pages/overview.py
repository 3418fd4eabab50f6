"""Tổng quan thành phố: KPIs of the plan year, the city map, city-wide charts."""

import streamlit as st

from dashboard import border, charts, maps, queries, risk
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import fmt_number, t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("overview.heading")
    ds = data.dataset(data.current_scope())
    f = ui.filter_sidebar(ds, "overview")
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))

    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    level = border.level_at(f.as_of)
    report = border.border_report(level, view, acts, ds.activities, f.as_of)
    help_text = t(
        "kpi.help.border_hotspots", level=t(f"level.short.{level.value}"), width=fmt_number(report.width_m)
    )
    scores = data.risk_scores(data.current_scope(), f.as_of)
    high = scores[
        (scores["score_type"] == "risk") & (scores["level"] == "high") & scores["id"].isin(view["id"])
    ]
    high_help = t("risk.kpi.help.high", high=fmt_number(risk.WEIGHTS.high_from))
    ui.kpi_row(
        queries.plan_kpis(ds, f),
        [
            (t("kpi.border_hotspots"), report.in_zone["id"].nunique(), help_text),
            (t("kpi.high_risk"), len(high), high_help),
        ],
    )

    st.subheader(t("overview.map_heading"))
    ui.show_map(maps.city_map(view, report, data.settings().tiles), key="overview_map")

    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.activities_chart(acts), key="overview_activities_chart")
    with right:
        table = queries.status_by_unit(view, UnitLevel.DISTRICT)
        title = t("chart.status_by_district")
        chart = charts.status_by_unit_chart(table, unit_names(UnitLevel.DISTRICT), title)
        ui.show_chart(chart, "overview_status_chart")


ui.guarded(body)
