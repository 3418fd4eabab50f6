"""Theo địa bàn: one former district or current ward, for its officers."""

import streamlit as st

from dashboard import border, charts, maps, queries
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import fmt_number, t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("area.heading")
    ds = data.dataset(data.current_scope())
    level, code = ui.area_picker("area", ds)
    f = ui.filter_sidebar(ds, "area", area=(level, code))
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))
    st.subheader(ui.plain(unit_names(level)[code]))  # names may come from an imported layer

    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    report = border.border_report(level, view, acts, ds.activities, f.as_of, unit=code)
    help_text = t(
        "kpi.help.border_hotspots", level=t(f"level.short.{level.value}"), width=fmt_number(report.width_m)
    )
    ui.kpi_row(
        queries.plan_kpis(ds, f), [(t("kpi.border_hotspots"), report.in_zone["id"].nunique(), help_text)]
    )

    counts = {lvl: queries.open_counts(view, lvl) for lvl in UnitLevel}
    overlay = maps.border_overlay(report, unit_names(level))
    m = maps.build_map(
        view, counts, data.settings().tiles, focus=(level, code), wards_on=True, border=overlay
    )
    ui.show_map(m, key="area_map")
    if view.empty:
        st.info(t("area.none"))

    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.activities_chart(acts), key="area_activities_chart")
    with right:
        ui.show_chart(charts.results_chart(acts), key="area_results_chart")
    ui.hotspot_table(view)


ui.guarded(body)
