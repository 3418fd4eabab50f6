"""Entry point: ``streamlit run app.py``."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui import auth
from dashboard.ui.components import VIA_APP, app_style

st.set_page_config(page_title=t("app.title"), layout="wide", initial_sidebar_state="expanded")
auth.require_secrets()
app_style()

PAGES = [
    ("pages/overview.py", t("page.overview")),
    ("pages/register.py", t("page.register")),
    ("pages/card.py", t("page.card")),
    ("pages/follow_up.py", t("page.follow_up")),
    ("pages/plans.py", t("page.plans")),
    ("pages/area.py", t("page.area")),
    ("pages/timeline.py", t("page.timeline")),
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
#: The menu's sections, each with the pages it groups (every page of PAGES in one).
SECTIONS = {
    "nav.section.maps": ("overview.py", "area.py", "timeline.py", "border.py", "risk.py"),
    "nav.section.hotspots": ("register.py", "card.py", "follow_up.py", "plans.py"),
    "nav.section.reports": ("reports.py", "present.py"),
    "nav.section.data": ("edit.py", "notes.py", "data_import.py", "audit.py"),
    "nav.section.admin": ("accounts.py",),
}
# Only the pages the signed-in account's role may open; nobody signed in: no menu at all, and
# whichever page the address names shows the sign-in (components.page_header).
account = auth.signed_in()
shown = auth.pages_for(account, PAGES)
default = shown[0][0] if shown else None
menu: dict[str, list] = {}
for section, names in SECTIONS.items():
    listed = [st.Page(file, title=title, default=file == default) for file, title in shown
              if file.removeprefix("pages/") in names]  # fmt: skip
    if listed:
        menu[t(section)] = listed
navigation = st.navigation(menu, position="sidebar" if account else "hidden", expanded=True)
st.session_state[VIA_APP] = True  # see dashboard.ui.components.ensure_app_navigation
navigation.run()
