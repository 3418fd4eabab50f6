"""Cập nhật tụ điểm: status changes (handover included), activities, location.

Every change is recorded as the signed-in account (its office, its username
in the audit log); the picker offers only the hotspots it may write, and a
read-only account (leadership, the presenter) sees no form.
"""

from dataclasses import replace

import streamlit as st

from dashboard import accounts, editing
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui.hotspot_forms import hotspot_forms


def body() -> None:
    ui.page_header("edit.heading")
    st.caption(t("edit.intro"))
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

    hotspot_forms(spot, actor)


ui.guarded(body)
