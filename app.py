"""Entry point: ``streamlit run app.py``."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import auth
from dashboard.ui.components import VIA_APP

st.set_page_config(page_title=t("app.title"), layout="wide", initial_sidebar_state="expanded")
auth.require_secrets()

PAGES = [
    ("pages/overview.py", t("page.overview")),
    ("pages/area.py", t("page.area")),
    ("pages/border.py", t("page.border")),
    ("pages/risk.py", t("page.risk")),
    ("pages/reports.py", t("page.reports")),
    ("pages/edit.py", t("page.edit")),
    ("pages/notes.py", t("notes.page")),
    ("pages/data_import.py", t("page.import")),
    ("pages/audit.py", t("page.audit")),
    ("pages/present.py", t("page.present")),
    ("pages/accounts.py", t("page.accounts")),
]
# Only the pages the signed-in account's role may open; nobody signed in: no menu at all, and
# whichever page the address names shows the sign-in (components.page_header).
account = auth.signed_in()
shown = auth.pages_for(account, PAGES)
navigation = st.navigation(
    [st.Page(file, title=title, default=i == 0) for i, (file, title) in enumerate(shown)],
    position="sidebar" if account else "hidden",
)
st.session_state[VIA_APP] = True  # see dashboard.ui.components.ensure_app_navigation
navigation.run()
