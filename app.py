"""Entry point: ``streamlit run app.py``."""

import streamlit as st

from dashboard.i18n import t

st.set_page_config(page_title=t("app.title"), layout="wide", initial_sidebar_state="expanded")
navigation = st.navigation(
    [
        st.Page("pages/overview.py", title=t("page.overview"), default=True),
        st.Page("pages/area.py", title=t("page.area")),
        st.Page("pages/border.py", title=t("page.border")),
        st.Page("pages/risk.py", title=t("page.risk")),
    ]
)
navigation.run()
