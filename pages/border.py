"""Giáp ranh: hotspots along the boundaries between adjacent jurisdictions."""

import streamlit as st

from dashboard import border, charts, maps, queries
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import fmt_number, t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("border.heading")
    st.caption(t("border.intro"))
    ds = data.dataset(data.current_scope())
    level, unit, width, days = ui.border_controls("border")
    f = ui.filter_sidebar(ds, "border")
    names = unit_names(level)

    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    scores = data.risk_scores(data.current_scope(), f.as_of)
    scores = scores[scores["id"].isin(view["id"])]
    high = frozenset(scores.loc[(scores["score_type"] == "risk") & (scores["level"] == "high"), "id"])
    report = border.border_report(level, view, acts, ds.activities, f.as_of, width, days, unit, at_risk=high)

    cols = st.columns(5)
    cols[0].metric(t("border.kpi.pairs"), fmt_number(len(report.adjacency.pairs)), border=True)
    cols[1].metric(t("border.kpi.hotspots"), fmt_number(report.in_zone["id"].nunique()), border=True,
                   help=t("border.kpi.help.hotspots", width=fmt_number(width)))  # fmt: skip
    cols[2].metric(t("border.kpi.attention"), fmt_number(int(report.ranking["attention"].sum())), border=True)
    cols[3].metric(t("border.kpi.gaps"), fmt_number(report.gaps["id"].nunique()), border=True)
    cols[4].metric(t("border.kpi.one_sided"), fmt_number(len(report.one_sided)), border=True)

    pair = ui.pair_picker(report, names, key="border_pair")
    overlay = maps.border_overlay(report, names, selected=pair)
    counts = {lvl: queries.open_counts(view, lvl) for lvl in UnitLevel}
    m = maps.build_map(
        view, counts, data.settings().tiles, border=overlay, wards_on=level == UnitLevel.WARD,
        bounds=report.pair_bounds(*pair) if pair else None,
    )  # fmt: skip
    ui.remember_clicked_pair(ui.show_clickable_map(m, key="border_map"), key="border_pair")
    if not report.adjacency.point_contacts.empty and unit is None:
        st.caption(t("border.point_contacts", n=fmt_number(len(report.adjacency.point_contacts))))

    left, right = st.columns(2)
    with left:
        ui.show_chart(charts.border_activity_chart(report.table, names), "border_sides_chart")
        ui.show_chart(charts.border_status_chart(report.table, names), "border_status_chart")
    with right:
        ui.show_chart(charts.border_ranking_chart(report.ranking, names), "border_ranking_chart")
        scores = scores.assign(in_border_zone=scores["id"].isin(report.in_zone["id"]))
        ui.show_chart(charts.risk_border_chart(scores), "border_risk_chart")
    ui.border_tables(report, names)


ui.guarded(body)
