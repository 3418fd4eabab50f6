"""The forms that change one hotspot: status (handover included), activity, location.

Drawn by the edit page (Cập nhật tụ điểm) and by the hotspot card (Hồ sơ tụ
điểm), so an officer records a change the same way in both places. Every
change goes through :mod:`dashboard.editing` as the signed-in account; the
caller checks that the account may write at the hotspot before drawing them.

``prefix`` keeps the widgets of two pages apart (the edit page uses none, so
its widget keys are the ones its tests and bookmarks know).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import editing, maps, store
from dashboard.accounts import Account
from dashboard.domain import ActivityKind, Status, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data


def hotspot_forms(spot: pd.Series, actor: Account, *, prefix: str = "") -> None:
    """The status, handover (for a cleared hotspot), activity and move forms of ``spot``
    (a row of the dataset's hotspots). A successful write reruns the page
    (:func:`dashboard.ui.components.attempt`), which then shows the change."""
    engine, today = data.engine(), data.today()
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    hotspot_id = int(spot["id"])
    # The hotspot's version as this page last showed it (kept from the run before a form's
    # submit): an edit made elsewhere since then is refused (optimistic locking).
    shown_key = f"{prefix}edit_version_shown_{hotspot_id}"
    seen = st.session_state.get(shown_key, int(spot.version))

    with st.form(f"{prefix}edit_status"):
        st.subheader(t("edit.status_form"))
        choices = editing.next_statuses(Status(spot.status))
        new = st.selectbox(t("edit.new_status"), choices, format_func=lambda s: t(f"status.{s.value}"),
                           key=f"{prefix}edit_new_status" if prefix else None)  # fmt: skip
        date = st.date_input(
            t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY", key=f"{prefix}edit_date"
        )
        reason = st.text_area(t("edit.reason"), key=f"{prefix}edit_reason")
        if st.form_submit_button(t("edit.save_status"), disabled=not choices):
            ui.attempt(lambda: editing.change_status(engine, hotspot_id, date, new, reason, actor, today,
                                                     expected_version=seen)
                       or t("edit.saved", what=t(f"status.{new.value}")))  # fmt: skip

    if Status.HANDED_OVER in editing.next_statuses(Status(spot.status)):
        with st.form(f"{prefix}edit_handover"):
            st.subheader(t("edit.handover_form"))
            st.caption(t("edit.handover_intro"))
            offices = editing.actor_choices()
            own = f"UBND {wards[spot.ward_code]}"
            receiver = st.selectbox(t("edit.handover_receiver"), offices, index=offices.index(own),
                                    key=f"{prefix}handover_receiver")  # fmt: skip
            document = st.text_input(t("edit.handover_document"), key=f"{prefix}handover_document")
            on = st.date_input(t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY",
                               key=f"{prefix}handover_date")  # fmt: skip
            note = st.text_area(t("edit.handover_note"), key=f"{prefix}handover_note")
            if st.form_submit_button(t("edit.handover_save")):

                def hand_over() -> str:
                    editing.hand_over(engine, hotspot_id, on, receiver, document, note, actor, today,
                                      expected_version=seen)  # fmt: skip
                    return t("edit.saved", what=t("status.handed_over"))

                ui.attempt(hand_over)

    with st.form(f"{prefix}edit_activity"):
        st.subheader(t("edit.activity_form"))
        kind = st.selectbox(
            t("edit.activity_kind"), list(ActivityKind), format_func=lambda k: t(f"activity.{k.value}"),
            key=f"{prefix}act_kind" if prefix else None,
        )  # fmt: skip
        when = st.date_input(
            t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY", key=f"{prefix}act_date"
        )
        counts = {c: int(st.number_input(t(f"count.{c}"), min_value=0, step=1, key=f"{prefix}act_{c}"))
                  for c in store.COUNT_COLUMNS}  # fmt: skip
        if st.form_submit_button(t("edit.save_activity")):
            row = {"date": when, "kind": kind, **counts}
            ui.attempt(lambda: editing.add_activity(engine, hotspot_id, row, actor, today)
                       or t("edit.saved", what=t(f"activity.{kind.value}")))  # fmt: skip

    st.subheader(t("edit.move_form"))
    st.caption(t("edit.move_hint"))
    current = (float(spot.lat), float(spot.lon))
    lat_key, lon_key, for_key = f"{prefix}move_lat", f"{prefix}move_lon", f"{prefix}move_for"
    clicked_key = f"{prefix}move_clicked"
    if st.session_state.get(for_key) != hotspot_id:  # another hotspot: start from its point
        st.session_state.update({for_key: hotspot_id, lat_key: current[0], lon_key: current[1]})
    chosen = (st.session_state[lat_key], st.session_state[lon_key])
    m = maps.move_map(current, chosen, spot.ward_code, data.settings().tiles)
    clicked = ui.pick_point(m, key=f"{prefix}move_map_{hotspot_id}")
    if clicked is not None and clicked != st.session_state.get(clicked_key):
        st.session_state.update({clicked_key: clicked, lat_key: clicked[0], lon_key: clicked[1]})
        st.rerun()
    with st.form(f"{prefix}edit_move"):
        lat = st.number_input(t("edit.lat"), format="%.6f", key=lat_key)
        lon = st.number_input(t("edit.lon"), format="%.6f", key=lon_key)
        why = st.text_area(t("edit.reason"), key=f"{prefix}move_reason")
        if st.form_submit_button(t("edit.save_move")):

            def move() -> str:
                where = editing.move_hotspot(engine, hotspot_id, lat, lon, why, actor, expected_version=seen)
                return t(
                    "edit.moved", ward=wards[where["ward_code"]], district=districts[where["district_code"]]
                )

            ui.attempt(move)
    st.session_state[shown_key] = int(spot.version)  # reached only when no form wrote
