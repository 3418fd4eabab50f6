"""The page Ý kiến giao ban under AppTest: a note saved through the form shows
in the unit's table and in the audit log; a refused note writes nothing."""

from __future__ import annotations

import json
import os

import pandas as pd
from pagetest import TODAY, ensure_account, run_page

from dashboard import store
from dashboard.accounts import Role
from dashboard.i18n import t
from dashboard.scope import Scope

CITY = Scope.city()
WARD, OFFICE = "00070", "UBND Phường Hoàn Kiếm"
TAG = f"{TODAY:%Y%m}_{WARD}"


def submit(at):
    (button,) = [b for b in at.button if b.label == t("notes.save")]
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_notes_page_saves_a_note_and_lists_it(page_store):
    # The ward's officer, signed in with an account of that office and ward, records the note.
    officer = ensure_account(
        os.environ["DATABASE_URL"], "kiem-thu-phuong-hk", Role.AREA_OFFICER, OFFICE, wards=(WARD,)
    )
    at = run_page("pages/notes.py", user=officer)
    assert not at.error
    assert (at.selectbox(key="notes_year").value, at.selectbox(key="notes_month").value) == (2026, 11)
    assert t("notes.privacy") in [c.value for c in at.caption]
    assert t("notes.level_in_force", month="11/2026", level="phường/xã") in [c.value for c in at.caption]
    at.selectbox(key="notes_unit_ward").set_value(WARD).run()
    spots = store.read_hotspots(page_store, CITY)
    code = spots.loc[spots["ward_code"] == WARD, "code"].iloc[0]  # the officer's own ward's hotspot
    at.text_area(key=f"notes_difficulties_{TAG}").input("Lực lượng tuần tra còn mỏng vào ban đêm.")
    at.text_area(key=f"notes_decisions_{TAG}").input(f"Duy trì chốt trực tại {code}.")
    at.multiselect(key=f"notes_hotspots_{TAG}").set_value([code])
    size = store.audit_count(page_store)
    submit(at)
    assert [s.value for s in at.success] == ["Đã ghi ý kiến giao ban tháng 11/2026 của Phường Hoàn Kiếm."]

    table = at.dataframe[0].value
    first = table.iloc[0]
    assert first[t("notes.col.month")] == "11/2026"
    assert first[t("notes.difficulties")] == "Lực lượng tuần tra còn mỏng vào ban đêm."
    assert first[t("notes.hotspots")] == code
    assert first[t("notes.recorded_by")] == OFFICE
    months = pd.to_datetime(table[t("notes.col.month")], format="%m/%Y")
    assert months.is_monotonic_decreasing  # newest first

    assert store.audit_count(page_store) == size + 1
    entry = store.read_audit(page_store, CITY).iloc[0]
    assert (entry["action"], entry["actor"], entry["entity_code"]) == ("note_add", OFFICE, WARD)
    assert json.loads(entry["after"])["hotspot_codes"] == code
    log = run_page("pages/audit.py").dataframe[0].value
    assert log.iloc[0][t("audit.col.action")] == t("audit.action.note_add")
    # The summary names the account that wrote it.
    assert log.iloc[0][t("audit.col.summary")] == f"Giao ban tháng 11/2026 · Phường Hoàn Kiếm [{officer}]"

    # The stored note fills the form again; saving a change updates it.
    at = run_page("pages/notes.py")
    at.selectbox(key="notes_unit_ward").set_value(WARD).run()
    assert at.text_area(key=f"notes_difficulties_{TAG}").value == "Lực lượng tuần tra còn mỏng vào ban đêm."
    at.text_area(key=f"notes_proposals_{TAG}").input("Đề nghị kiểm tra liên ngành.")
    submit(at)
    assert [s.value for s in at.success] == [
        "Đã cập nhật ý kiến giao ban tháng 11/2026 của Phường Hoàn Kiếm."
    ]
    assert store.read_audit(page_store, CITY).iloc[0]["action"] == "note_update"


def test_notes_page_shows_a_former_district_and_filters_by_period(page_store):
    stored = store.read_briefing_notes(page_store, CITY)
    district = stored[stored["level"] == "district"]["unit_code"].value_counts().index[0]
    at = run_page("pages/notes.py")
    at.selectbox(key="notes_year").set_value(2020).run()
    at.selectbox(key="notes_month").set_value(3).run()
    assert t("notes.level_in_force", month="03/2020", level="quận/huyện") in [c.value for c in at.caption]
    at.selectbox(key="notes_unit_district").set_value(district).run()
    assert not at.exception
    own = stored[stored["unit_code"] == district].sort_values("month", ascending=False)
    table = at.dataframe[0].value
    assert table[t("notes.col.month")].tolist() == own["month"].dt.strftime("%m/%Y").tolist()
    start, end = own["month"].iloc[-1].date(), own["month"].iloc[-1].date()
    at.date_input(key=f"notes_range_{district}").set_value((start, end)).run()
    assert at.dataframe[0].value[t("notes.col.month")].tolist() == [f"{start:%m/%Y}"]


def test_notes_page_refuses_an_empty_note(page_store):
    at = run_page("pages/notes.py")
    at.selectbox(key="notes_unit_ward").set_value(WARD).run()
    size = store.audit_count(page_store)
    submit(at)
    assert [e.value for e in at.error] == [
        "Phường Hoàn Kiếm, tháng 11/2026: cần ghi ít nhất một trong «Khó khăn, vướng mắc», "
        "«Đề xuất, kiến nghị», «Kết luận, nhiệm vụ»."
    ]
    assert store.audit_count(page_store) == size
