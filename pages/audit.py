"""Nhật ký thay đổi: every change, newest first, filterable."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("audit.heading")
    st.caption(t("audit.intro"))
    log = data.audit_log(data.current_scope())
    actions = sorted(log["action"].unique())
    chosen = st.multiselect(
        t("audit.action"), actions, default=actions, key="audit_actions",
        format_func=lambda a: t(f"audit.action.{a}"), placeholder=t("widget.placeholder"),
    )  # fmt: skip
    code = st.text_input(t("audit.code"), key="audit_code").strip()
    days = log["at"].dt.date
    first, last = (days.min(), days.max()) if len(log) else (data.today(), data.today())
    start, end = ui.date_range_input(t("audit.range"), first, max(last, data.today()), key="audit_range")
    shown = log[log["action"].isin(chosen) & (days >= start) & (days <= end)]
    if code:
        shown = shown[shown["entity_code"].fillna("").str.contains(code, case=False, regex=False)]
    ui.audit_table(shown)


ui.guarded(body)
