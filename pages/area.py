"""Theo địa bàn: one former district or current ward, for its officers."""

import streamlit as st

from dashboard import charts, maps
from dashboard.geo import scope_bounds, unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui import plans as ui_plans


def body() -> None:
    ui.page_header("area.heading")
    scope = data.current_scope()
    ds = data.dataset(scope)
    level, code = ui.area_picker("area", ds)
    f = ui.filter_sidebar(ds, "area", area=(level, code))
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))
    st.subheader(ui.plain(unit_names(level)[code]))  # names may come from an imported layer

    v = data.overview(scope, f)
    ui.kpi_row(v.kpis, ui.overview_figures(v))

    tiles = data.settings().tiles

    def area_map():
        overlay = maps.border_overlay(v.border, unit_names(level))
        return maps.build_map(
            v.hotspots, v.open_by_unit, tiles,
            focus=(level, code), wards_on=True, border=overlay, home=scope_bounds(scope),
        )  # fmt: skip

    ui.show_hotspot_map(area_map, "area_map", v.hotspots, held=(ds, (f, tiles, level, code)))
    if v.hotspots.empty:
        st.info(t("area.none"))

    left, right = st.columns(2)
    with left:
        ui.show_chart(lambda: charts.activities_chart(v.activities), "area_activities_chart", held=(ds, (f,)))
    with right:
        ui.show_chart(lambda: charts.results_chart(v.activities), "area_results_chart", held=(ds, (f,)))
    ui.hotspot_table(v.hotspots, held=(ds, (f,)))
    ui_plans.overdue_section(v.overdue_tasks, key="area_overdue", held=(ds, (f,)))


ui.guarded(body)
