"""Nguy cơ tái hoạt động: which cleared places may come back, why, and how far to trust it."""

from pathlib import Path

import streamlit as st

from dashboard import charts, maps, queries, survival
from dashboard.domain import HotspotKind, UnitLevel
from dashboard.geo import scope_bounds
from dashboard.i18n import fmt_number, t
from dashboard.ui import components as ui
from dashboard.ui import data

METHOD = Path(__file__).resolve().parent.parent / "docs" / "risk.md"


def body() -> None:
    ui.page_header("risk.heading")
    st.caption(t("risk.intro"))
    scope = data.current_scope()
    ds = data.dataset(scope)
    f = ui.filter_sidebar(ds, "risk")
    st.sidebar.caption(t("filter.as_of", date=f.as_of.strftime("%d/%m/%Y")))

    v = data.risk_view(scope, f)
    view, scores = v.hotspots, v.scores
    per_cutoff, overall = data.backtest(scope)
    ui.risk_kpis(v, overall)

    tiles = data.settings().tiles

    def risk_map():
        counts = {level: queries.open_counts(view, level) for level in UnitLevel}
        return maps.build_map(view, counts, tiles, risk=scores, home=scope_bounds(scope))

    ui.show_map(risk_map, key="risk_map", held=(ds, (f, tiles)))

    st.subheader(t("risk.ranking"))
    breakdown = lambda: charts.risk_breakdown_chart(scores[scores["score_type"] == "risk"])  # noqa: E731
    ui.show_chart(breakdown, "risk_breakdown_chart", held=(ds, (f,)))
    ui.risk_table(scores)

    st.subheader(t("risk.survival"))
    by = st.radio(t("risk.survival_by"), ["all", "kind", "border"], horizontal=True,
                  format_func=lambda v: t(f"risk.by.{v}"), key="risk_survival_by")  # fmt: skip
    eps = data.episodes(scope, f.as_of)
    curves = survival.curves(eps, None if by == "all" else by)
    labels = {"all": t("risk.by.all"), "border": t("risk.border_group"), "interior": t("risk.interior_group"),
              **{k.value: t(f"kind.{k.value}") for k in HotspotKind}}  # fmt: skip
    ui.show_chart(charts.survival_chart(curves, labels, t("risk.survival")), "risk_survival_chart")
    st.caption(t("risk.episodes", n=fmt_number(len(eps)), events=fmt_number(int(eps["event"].sum()))))
    if by != "all":
        st.caption(t("risk.logrank", p=fmt_number(survival.group_test(eps, by)[1], 3)))

    st.subheader(t("risk.areas"))
    ward_tab, district_tab = st.tabs([t("level.ward"), t("level.district")])
    with ward_tab:
        emerging = data.emerging(scope, f.as_of)
        ui.area_risk_table(scores, UnitLevel.WARD, emerging["category"])
        st.caption(t("risk.emerging_note"))
        st_labels = {c: t(f"st.{c}") for c in emerging["category"].unique()}
        ui.show_chart(charts.category_chart(emerging["category"], st_labels), "risk_emerging_chart")
    with district_tab:
        ui.area_risk_table(scores, UnitLevel.DISTRICT)

    st.subheader(t("risk.backtest"))
    st.caption(t("risk.backtest_note"))
    ui.backtest_figures(overall)
    ui.show_chart(charts.backtest_chart(per_cutoff), "risk_backtest_chart")
    with st.expander(t("risk.method")):
        st.markdown(METHOD.read_text(encoding="utf-8"))


ui.guarded(body)
