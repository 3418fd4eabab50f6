"""The briefing-notes page's parts: a month picker, the unit holding that
month's briefing, the note form and the table of a unit's notes. Only
Streamlit calls live here; the rules are in :func:`dashboard.editing.save_briefing_note`.
A note is recorded as the signed-in account (its office); an account that may
not write the unit's note (leadership, the presenter, an area officer
elsewhere) sees no form."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import accounts, editing, store
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.queries import Dataset
from dashboard.ui import components as ui
from dashboard.ui import data

#: The first year offered by the month picker.
FIRST_YEAR = 2019


def month_picker(today: dt.date, key: str) -> dt.date:
    """A year and a month (up to today's); returns the month's first day."""
    left, right = st.columns(2)
    years = list(range(today.year, FIRST_YEAR - 1, -1))
    year = left.selectbox(t("notes.year"), years, key=f"{key}_year")
    months = list(range(1, (today.month if year == today.year else 12) + 1))
    chosen = st.session_state.get(f"{key}_month")
    if chosen not in months:  # a later month of another year: the latest one allowed
        st.session_state[f"{key}_month"] = months[-1]
    month = right.selectbox(t("notes.month"), months, key=f"{key}_month", format_func=lambda m: f"{m:02d}")
    return dt.date(year, month, 1)


def unit_picker(ds: Dataset, level: UnitLevel, key: str) -> str:
    """A unit of ``level`` (first offered: the one with most hotspots)."""
    names = unit_names(level)
    codes = sorted(names, key=names.get)
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    busiest = ds.hotspots[column].value_counts()
    start = codes.index(busiest.index[0]) if not busiest.empty and busiest.index[0] in names else 0
    return st.selectbox(
        t("notes.unit"),
        codes,
        index=start,
        format_func=names.get,
        key=f"{key}_unit_{level.value}",
        placeholder=t("widget.placeholder"),
    )


def stored_note(ds: Dataset, month: dt.date, level: UnitLevel, code: str) -> dict | None:
    notes = ds.notes
    same = (notes["month"] == pd.Timestamp(month)) & (notes["level"] == level.value)
    found = notes[same & (notes["unit_code"] == code)]
    return None if found.empty else found.iloc[0].to_dict()


def note_form(engine, ds: Dataset, month: dt.date, level: UnitLevel, code: str, today: dt.date) -> None:
    """The three texts and the hotspots named, recorded as the signed-in
    account's office; saving adds the note or updates the stored one."""
    unit = unit_names(level)[code]
    actor = data.current_account()
    if not accounts.can_write(actor):
        role = t(f"acct.role.{actor.role.value}")
        st.info(ui.plain(t("enforce.read_only", username=actor.username, role=role)))
        return
    if not editing.note_writable(actor, level, code):
        st.info(ui.plain(t("enforce.unit_read_only", username=actor.username, unit=unit)))
        return
    stored = stored_note(ds, month, level, code)
    tag = f"{month:%Y%m}_{code}"  # fresh widgets (and stored values) for every unit and month
    with st.form("notes_form"):
        st.subheader(ui.plain(t("notes.form", month=f"{month:%m/%Y}", unit=unit)))
        if stored:
            st.info(t("notes.stored_hint"))
        st.caption(t("notes.privacy"))
        texts = {
            c: st.text_area(
                t(f"notes.{c}"),
                value=(stored or {}).get(c) or "",
                max_chars=store.NOTE_MAX_CHARS,
                key=f"notes_{c}_{tag}",
            )
            for c in store.NOTE_TEXTS
        }
        spots = ds.hotspots.sort_values("code")
        labels = dict(zip(spots["code"], spots["code"] + " · " + spots["name"], strict=True))
        named = [c for c in ((stored or {}).get("hotspot_codes") or "").split() if c in labels]
        hotspots = st.multiselect(
            t("notes.hotspots"), list(labels), default=named, format_func=labels.get,
            key=f"notes_hotspots_{tag}", placeholder=t("widget.placeholder"),
        )  # fmt: skip
        st.caption(ui.plain(t("enforce.acting_as", office=actor.office, username=actor.username)))
        if st.form_submit_button(t("notes.save"), type="primary"):
            row = {"month": month, "level": level, "unit_code": code, **texts, "hotspot_codes": hotspots}
            ui.attempt(lambda: editing.save_briefing_note(engine, row, actor, today))


def notes_table(ds: Dataset, level: UnitLevel, code: str, today: dt.date) -> None:
    """The unit's stored notes within a chosen period, newest first."""
    unit = unit_names(level)[code]
    st.subheader(ui.plain(t("notes.table", unit=unit)))
    notes = ds.notes[(ds.notes["level"] == level.value) & (ds.notes["unit_code"] == code)]
    first = notes["month"].min().date() if len(notes) else today.replace(day=1)
    start, end = ui.date_range_input(t("notes.range"), first, today, key=f"notes_range_{code}")
    inside = (notes["month"] >= pd.Timestamp(start.replace(day=1))) & (notes["month"] <= pd.Timestamp(end))
    shown = notes[inside]
    shown = shown.sort_values("month", ascending=False)
    if shown.empty:
        st.info(t("notes.empty"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("notes.col.month"): shown["month"].dt.strftime("%m/%Y"),
                **{t(f"notes.{c}"): shown[c] for c in store.NOTE_TEXTS},
                t("notes.hotspots"): shown["hotspot_codes"],
                t("notes.recorded_by"): shown["recorded_by"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="notes_table",
    )
