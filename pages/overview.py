"""Tổng quan thành phố: KPIs of the plan year, the city map, city-wide charts."""

import streamlit as st

from dashboard import charts, maps, queries
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("overview.heading")
    ds = data.dataset(data.current_scope())
    f = ui.filter_sidebar(ds, "overview")
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))

    ui.kpi_row(queries.plan_kpis(ds, f))

    view = queries.hotspot_view(ds, f)
    counts = {level: queries.open_counts(view, level) for level in UnitLevel}
    st.subheader(t("overview.map_heading"))
    ui.show_map(maps.build_map(view, counts, data.settings().tiles), key="overview_map")

    acts = queries.activities_view(ds, f, view)
    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.activities_chart(acts), key="overview_activities_chart")
    with right:
        table = queries.status_by_unit(view, UnitLevel.DISTRICT)
        title = t("chart.status_by_district")
        ui.show_chart(
            charts.status_by_unit_chart(table, unit_names(UnitLevel.DISTRICT), title), "overview_status_chart"
        )


ui.guarded(body)
