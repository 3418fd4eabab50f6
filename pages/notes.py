"""Ý kiến giao ban: a unit's monthly briefing notes, recorded and listed."""

import streamlit as st

from dashboard import store
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui import notes as ui_notes


def body() -> None:
    ui.page_header("notes.heading")
    st.caption(t("notes.intro"))
    engine, today = data.engine(), data.today()
    ds = data.dataset(data.current_scope())
    month = ui_notes.month_picker(today, key="notes")
    level = store.note_level(month)
    st.caption(t("notes.level_in_force", month=f"{month:%m/%Y}", level=t(f"notes.level.{level.value}")))
    code = ui_notes.unit_picker(ds, level, key="notes")
    if code not in unit_names(level):
        return
    ui_notes.note_form(engine, ds, month, level, code, today)
    ui_notes.notes_table(ds, level, code, today)


ui.guarded(body)
