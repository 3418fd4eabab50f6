"""Trình chiếu: the steering committee's deck, full screen, one slide at a time."""

import streamlit as st

from dashboard.ui import components as ui
from dashboard.ui import present

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")  # the sidebar is hidden by CSS too
ui.guarded(present.body)
