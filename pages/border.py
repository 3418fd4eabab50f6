"""Giáp ranh: hotspots along the boundaries between adjacent jurisdictions."""

import streamlit as st

from dashboard import charts, maps, queries
from dashboard.domain import UnitLevel
from dashboard.geo import scope_bounds, unit_names
from dashboard.i18n import fmt_number, t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("border.heading")
    st.caption(t("border.intro"))
    scope = data.current_scope()
    ds = data.dataset(scope)
    f = ui.filter_sidebar(ds, "border")
    level, unit, width, days = ui.border_controls("border", f.as_of)
    names = unit_names(level)

    v = data.border_view(scope, f, level=level, unit=unit, width_m=width, gap_days=days)
    report = v.report
    cols = st.columns(5)
    cols[0].metric(t("border.kpi.pairs"), fmt_number(len(report.adjacency.pairs)), border=True)
    cols[1].metric(t("kpi.border_hotspots"), fmt_number(v.border_hotspots), border=True,
                   help=t("kpi.help.border_hotspots", level=t(f"level.short.{level.value}"),
                          width=fmt_number(width)))  # fmt: skip
    cols[2].metric(t("border.kpi.attention"), fmt_number(v.attention), border=True)
    cols[3].metric(t("border.kpi.gaps"), fmt_number(v.gaps), border=True)
    cols[4].metric(t("border.kpi.one_sided"), fmt_number(len(report.one_sided)), border=True)

    pair = ui.pair_picker(report, names, key="border_pair")
    tiles = data.settings().tiles
    shown = (f, level, unit, width, days)  # what the view, its map and charts are made for

    def border_map():
        overlay = maps.border_overlay(report, names, selected=pair)
        return maps.build_map(
            v.hotspots, {lvl: queries.open_counts(v.hotspots, lvl) for lvl in UnitLevel}, tiles,
            border=overlay, wards_on=level == UnitLevel.WARD,
            bounds=report.pair_bounds(*pair) if pair else None, home=scope_bounds(scope),
        )  # fmt: skip

    clicked = ui.show_clickable_map(border_map, key="border_map", held=(ds, (*shown, pair, tiles)))
    ui.remember_clicked_pair(clicked, key="border_pair")
    if not report.adjacency.point_contacts.empty and unit is None:
        st.caption(t("border.point_contacts", n=fmt_number(len(report.adjacency.point_contacts))))

    left, right = st.columns(2)
    with left:
        ui.show_chart(lambda: charts.border_activity_chart(report.table, names), "border_sides_chart",
                      held=(ds, shown))  # fmt: skip
        ui.show_chart(lambda: charts.border_status_chart(report.table, names), "border_status_chart",
                      held=(ds, shown))  # fmt: skip
    with right:
        ui.show_chart(lambda: charts.border_ranking_chart(report.ranking, names), "border_ranking_chart",
                      held=(ds, shown))  # fmt: skip
        ui.show_chart(lambda: charts.risk_border_chart(v.scores), "border_risk_chart", held=(ds, shown))
    ui.border_tables(report, names)


ui.guarded(body)
