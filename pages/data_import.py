"""Nhập dữ liệu: templates, upload, dry-run preview (table and map), import,
rejected rows to fix; replacing an official boundary layer."""

import streamlit as st

from dashboard import editing
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data, importing


def body() -> None:
    ui.page_header("import.heading")
    st.caption(t("import.intro"))
    engine, today = data.engine(), data.today()
    actor = st.selectbox(t("import.actor"), editing.actor_choices(), key="import_actor")
    importing.sample_notice(engine, actor)
    importing.templates(engine)
    importing.upload(engine, today, actor)
    importing.boundary_layer(engine, actor)


ui.guarded(body)
