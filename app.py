"""Entry point: ``streamlit run app.py``."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui.components import VIA_APP

st.set_page_config(page_title=t("app.title"), layout="wide", initial_sidebar_state="expanded")
navigation = st.navigation(
    [
        st.Page("pages/overview.py", title=t("page.overview"), default=True),
        st.Page("pages/area.py", title=t("page.area")),
        st.Page("pages/border.py", title=t("page.border")),
        st.Page("pages/risk.py", title=t("page.risk")),
        st.Page("pages/reports.py", title=t("page.reports")),
        st.Page("pages/edit.py", title=t("page.edit")),
        st.Page("pages/notes.py", title=t("notes.page")),
        st.Page("pages/data_import.py", title=t("page.import")),
        st.Page("pages/audit.py", title=t("page.audit")),
        st.Page("pages/present.py", title=t("page.present")),
    ]
)
st.session_state[VIA_APP] = True  # see dashboard.ui.components.ensure_app_navigation
navigation.run()
