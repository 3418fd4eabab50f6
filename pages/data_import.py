"""Nhập dữ liệu: templates, upload, dry-run preview (table and map), import,
rejected rows to fix; replacing an official boundary layer.

Everything is done as the signed-in account: rows outside an area officer's
units are rejected in the dry run, clearing the sample data takes an admin or
department staff, a boundary layer an admin; a read-only account (leadership,
the presenter) sees no form.
"""

import streamlit as st

from dashboard import accounts
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data, importing


def body() -> None:
    ui.page_header("import.heading")
    st.caption(t("import.intro"))
    engine, today = data.engine(), data.today()
    account = data.current_account()
    if not accounts.can_write(account):
        role = t(f"acct.role.{account.role.value}")
        st.info(ui.plain(t("enforce.read_only", username=account.username, role=role)))
        return
    st.caption(ui.plain(t("enforce.acting_as", office=account.office, username=account.username)))
    importing.sample_notice(engine, account)
    importing.templates(engine)
    importing.upload(engine, today, account)
    importing.boundary_layer(engine, account)


ui.guarded(body)
