"""Bản đồ theo thời gian: every hotspot's status month by month, with a slider and playback."""

import streamlit as st

from dashboard import timemap
from dashboard.domain import HotspotKind
from dashboard.geo import scope_bounds
from dashboard.i18n import fmt_date, t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("page.timeline")
    scope = data.current_scope()
    ds = data.dataset(scope)
    today = data.today()
    first = timemap.first_month(ds.history)
    st.sidebar.header(t("filter.header"))
    as_of = st.sidebar.date_input(
        t("timeline.as_of"),
        value=today,
        min_value=first,
        max_value=today,
        format="DD/MM/YYYY",
        key="timeline_as_of",
    )
    st.sidebar.caption(t("filter.as_of", date=fmt_date(as_of)))
    chosen = st.sidebar.multiselect(
        t("filter.kind"),
        list(HotspotKind),
        default=list(HotspotKind),
        format_func=lambda k: t(f"kind.{k.value}"),
        key="timeline_kind",
        placeholder=t("widget.placeholder"),
    )
    kinds = None if set(chosen) == set(HotspotKind) else frozenset(k.value for k in chosen)
    steps = timemap.months(first, as_of)
    st.caption(
        t(
            "timeline.intro",
            first=steps[0].strftime("%m/%Y"),
            last=steps[-1].strftime("%m/%Y"),
            date=fmt_date(as_of),
        )
    )
    payload = data.timeline_payload(scope, as_of, first, kinds)  # computed once per process and data version
    m = timemap.timeline_map(
        ds, as_of, data.settings().tiles, first=first, home=scope_bounds(scope), payload=payload
    )
    if not timemap.control_of(m).payload["hotspots"]["code"]:
        st.info(t("timeline.none"))
    # Nothing comes back from the map: moving the slider or playing never reruns the page.
    ui.show_map(m, "timeline_map")


ui.guarded(body)
