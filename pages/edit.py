"""Cập nhật tụ điểm: status changes (handover included), activities, location.

Every change is recorded as the signed-in account (its office, its username
in the audit log); the picker offers only the hotspots it may write, and a
read-only account (leadership, the presenter) sees no form.
"""

from dataclasses import replace

import streamlit as st

from dashboard import accounts, editing, maps, store
from dashboard.domain import ActivityKind, Status, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data


def body() -> None:
    ui.page_header("edit.heading")
    st.caption(t("edit.intro"))
    engine, today = data.engine(), data.today()
    actor = data.current_account()
    role = t(f"acct.role.{actor.role.value}")
    if not accounts.can_write(actor):
        st.info(ui.plain(t("enforce.read_only", username=actor.username, role=role)))
        return
    ds = data.dataset(data.current_scope())
    spots = ds.hotspots
    places = zip(spots["ward_code"], spots["district_code"], strict=True)
    writable = [editing.hotspot_writable(actor, ward, district) for ward, district in places]
    if not any(writable):
        st.info(ui.plain(t("enforce.no_writable_hotspot", username=actor.username)))
        return
    spot = ui.hotspot_picker(replace(ds, hotspots=spots[writable]), key="edit_hotspot")
    st.caption(ui.plain(t("enforce.acting_as", office=actor.office, username=actor.username)))
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    st.info(t("edit.current", status=t(f"status.{spot.status}"), ward=wards[spot.ward_code],
              district=districts[spot.district_code]))  # fmt: skip

    # The hotspot's version as this page last showed it (kept from the run before a form's
    # submit): an edit made elsewhere since then is refused (optimistic locking).
    shown_key = f"edit_version_shown_{int(spot['id'])}"
    seen = st.session_state.get(shown_key, int(spot.version))

    with st.form("edit_status"):
        st.subheader(t("edit.status_form"))
        choices = editing.next_statuses(Status(spot.status))
        new = st.selectbox(t("edit.new_status"), choices, format_func=lambda s: t(f"status.{s.value}"))
        date = st.date_input(
            t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY", key="edit_date"
        )
        reason = st.text_area(t("edit.reason"), key="edit_reason")
        if st.form_submit_button(t("edit.save_status"), disabled=not choices):
            ui.attempt(lambda: editing.change_status(engine, int(spot["id"]), date, new, reason, actor, today,
                                                     expected_version=seen)
                       or t("edit.saved", what=t(f"status.{new.value}")))  # fmt: skip

    if Status.HANDED_OVER in editing.next_statuses(Status(spot.status)):
        with st.form("edit_handover"):
            st.subheader(t("edit.handover_form"))
            st.caption(t("edit.handover_intro"))
            offices = editing.actor_choices()
            own = f"UBND {wards[spot.ward_code]}"
            receiver = st.selectbox(t("edit.handover_receiver"), offices, index=offices.index(own),
                                    key="handover_receiver")  # fmt: skip
            document = st.text_input(t("edit.handover_document"), key="handover_document")
            on = st.date_input(t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY",
                               key="handover_date")  # fmt: skip
            note = st.text_area(t("edit.handover_note"), key="handover_note")
            if st.form_submit_button(t("edit.handover_save")):

                def hand_over() -> str:
                    editing.hand_over(engine, int(spot["id"]), on, receiver, document, note, actor, today,
                                      expected_version=seen)
                    return t("edit.saved", what=t("status.handed_over"))

                ui.attempt(hand_over)

    with st.form("edit_activity"):
        st.subheader(t("edit.activity_form"))
        kind = st.selectbox(
            t("edit.activity_kind"), list(ActivityKind), format_func=lambda k: t(f"activity.{k.value}")
        )
        when = st.date_input(
            t("edit.date"), value=today, max_value=today, format="DD/MM/YYYY", key="act_date"
        )
        counts = {c: int(st.number_input(t(f"count.{c}"), min_value=0, step=1, key=f"act_{c}"))
                  for c in store.COUNT_COLUMNS}  # fmt: skip
        if st.form_submit_button(t("edit.save_activity")):
            row = {"date": when, "kind": kind, **counts}
            ui.attempt(lambda: editing.add_activity(engine, int(spot["id"]), row, actor, today)
                       or t("edit.saved", what=t(f"activity.{kind.value}")))  # fmt: skip

    st.subheader(t("edit.move_form"))
    st.caption(t("edit.move_hint"))
    current = (float(spot.lat), float(spot.lon))
    if st.session_state.get("move_for") != int(spot["id"]):  # another hotspot: start from its point
        st.session_state.update(move_for=int(spot["id"]), move_lat=current[0], move_lon=current[1])
    chosen = (st.session_state["move_lat"], st.session_state["move_lon"])
    m = maps.move_map(current, chosen, spot.ward_code, data.settings().tiles)
    clicked = ui.pick_point(m, key=f"move_map_{int(spot['id'])}")
    if clicked is not None and clicked != st.session_state.get("move_clicked"):
        st.session_state.update(move_clicked=clicked, move_lat=clicked[0], move_lon=clicked[1])
        st.rerun()
    with st.form("edit_move"):
        lat = st.number_input(t("edit.lat"), format="%.6f", key="move_lat")
        lon = st.number_input(t("edit.lon"), format="%.6f", key="move_lon")
        why = st.text_area(t("edit.reason"), key="move_reason")
        if st.form_submit_button(t("edit.save_move")):

            def move() -> str:
                where = editing.move_hotspot(
                    engine, int(spot["id"]), lat, lon, why, actor, expected_version=seen
                )
                return t(
                    "edit.moved", ward=wards[where["ward_code"]], district=districts[where["district_code"]]
                )

            ui.attempt(move)
    st.session_state[shown_key] = int(spot.version)  # reached only when no form wrote


ui.guarded(body)
