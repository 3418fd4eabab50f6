"""Tài khoản: the administrators' page for accounts and roles."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import accounts_admin as admin_ui
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("accounts.heading")  # administrators only (dashboard.ui.auth.ROLE_PAGES)
    st.caption(t("accounts.intro"))
    engine = data.engine()
    admin = data.current_account()
    users = admin_ui.table(engine)
    admin_ui.add_form(engine, admin)
    admin_ui.manage_form(engine, admin, users)


ui.guarded(body)
