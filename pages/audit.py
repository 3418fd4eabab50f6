"""Nhật ký thay đổi: every change, sign-in and export, newest first, in Hà Nội time, filterable;
administrators may download the filtered log (the download is audited too)."""

import streamlit as st

from dashboard.i18n import fmt_number, t
from dashboard.ui import audit, data
from dashboard.ui import components as ui


def body() -> None:
    ui.page_header("audit.heading")
    st.caption(t("audit.intro"))
    account = data.current_account()
    if not audit.may_read(account):
        st.info(t("auditui.not_allowed"))
        return
    scope = data.current_scope()
    if not scope.is_city:
        st.caption(t("auditui.scoped"))
    log = data.audit_log(scope)
    f = audit.controls(log)
    shown = audit.filter_log(log, f)
    st.caption(t("auditui.count", n=fmt_number(len(shown))))
    audit.audit_table(shown)
    audit.export_button(shown, f, account, scope)


ui.guarded(body)
