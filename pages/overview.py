"""Tổng quan thành phố: KPIs of the plan year, the city map, city-wide charts."""

import streamlit as st

from dashboard import charts, maps
from dashboard.geo import scope_bounds, unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui import plans as ui_plans


def body() -> None:
    ui.page_header("overview.heading")
    scope = data.current_scope()
    ds = data.dataset(scope)
    f = ui.filter_sidebar(ds, "overview")
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))

    v = data.overview(scope, f)
    ui.kpi_row(v.kpis, ui.overview_figures(v))

    st.subheader(t("overview.map_heading"))
    tiles = data.settings().tiles
    city = lambda: maps.city_map(v.hotspots, v.border, tiles, home=scope_bounds(scope))  # noqa: E731
    ui.show_hotspot_map(city, "overview_map", v.hotspots, held=(ds, (f, tiles)))

    left, right = st.columns(2)
    with left:
        chart = lambda: charts.activities_chart(v.activities)  # noqa: E731
        ui.show_chart(chart, "overview_activities_chart", held=(ds, (f,)))
    with right:
        title = t(f"chart.status_by_{v.level.value}")
        chart = lambda: charts.status_by_unit_chart(v.status_by_unit, unit_names(v.level), title)  # noqa: E731
        ui.show_chart(chart, "overview_status_chart", held=(ds, (f,)))
    ui_plans.overdue_section(v.overdue_tasks, key="overview_overdue", held=(ds, (f,)))


ui.guarded(body)
