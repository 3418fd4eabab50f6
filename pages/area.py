"""Theo địa bàn: one former district or current ward, for its officers."""

import streamlit as st

from dashboard import charts, maps, queries
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("area.heading")
    ds = data.dataset(data.current_scope())
    level, code = ui.area_picker("area", ds)
    f = ui.filter_sidebar(ds, "area", area=(level, code))
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))
    st.subheader(unit_names(level)[code])

    ui.kpi_row(queries.plan_kpis(ds, f))

    view = queries.hotspot_view(ds, f)
    counts = {lvl: queries.open_counts(view, lvl) for lvl in UnitLevel}
    m = maps.build_map(view, counts, data.settings().tiles, focus=(level, code), wards_on=True)
    ui.show_map(m, key="area_map")
    if view.empty:
        st.info(t("area.none"))

    acts = queries.activities_view(ds, f, view)
    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.activities_chart(acts), key="area_activities_chart")
    with right:
        ui.show_chart(charts.results_chart(acts), key="area_results_chart")
    ui.hotspot_table(view)


ui.guarded(body)
