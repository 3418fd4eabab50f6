"""The page Kế hoạch, nhiệm vụ under AppTest: the year's progress per unit, a unit's
plan and tasks with their shown state; a ward officer gives a task and reports its
progress through the forms (both audited); a leadership account reads only."""

from __future__ import annotations

import os

import pandas as pd
from pagetest import TODAY, ensure_account, run_page

from dashboard import store, tasks
from dashboard.accounts import Role
from dashboard.i18n import fmt_number, t
from dashboard.scope import Scope

CITY = Scope.city()
WARD, OFFICE = "00070", "UBND Phường Hoàn Kiếm"


def click(at, label: str):
    (button,) = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception, at.exception
    return at


def test_the_year_progress_counts_every_task_of_the_year(page_store):
    at = run_page("pages/plans.py")
    assert not at.error
    assert at.selectbox(key="plans_year").value == TODAY.year
    expected = tasks.progress(tasks.of_year(store.read_tasks(page_store, CITY), TODAY.year), TODAY)
    shown = {m.label: m.value for m in at.metric}
    assert shown[t("plans.metric.total")] == fmt_number(int(expected["total"].sum()))
    assert shown[t("task.state.overdue")] == fmt_number(int(expected["overdue"].sum()))
    assert int(expected["overdue"].sum()) > 0  # the sample data has overdue tasks to show
    assert at.get("plotly_chart")


def test_a_ward_officer_gives_a_task_and_reports_it_done(page_store):
    officer = ensure_account(os.environ["DATABASE_URL"], "kiem-thu-phuong-hk", Role.AREA_OFFICER, OFFICE,
                             wards=(WARD,))  # fmt: skip
    at = run_page("pages/plans.py", user=officer)
    assert not at.error
    # The officer's only unit is offered; the sample has a 2026 plan for it.
    assert at.selectbox(key=f"plans_unit_{TODAY.year}_ward").options == ["Phường Hoàn Kiếm"]
    plans = store.read_local_plans(page_store, CITY)
    (plan_id,) = plans[(plans["year"] == TODAY.year) & (plans["unit_code"] == WARD)]["id"]
    before = len(store.read_tasks(page_store, CITY))
    at.text_input(key=f"plans_task_title_{plan_id}").set_value("Kiểm tra chiếu sáng ngõ phía đông")
    at.text_input(key=f"plans_task_resp_{plan_id}").set_value("Công an Phường Hoàn Kiếm")
    at.date_input(key=f"plans_task_deadline_{plan_id}").set_value(TODAY.replace(day=10))
    click(at, t("plans.form.add_task"))
    assert not at.error, [e.value for e in at.error]
    saved = store.read_tasks(page_store, CITY)
    assert len(saved) == before + 1
    new = saved[saved["title"] == "Kiểm tra chiếu sáng ngõ phía đông"].iloc[0]
    assert (new["state"], new["ward_code"], new["recorded_by"]) == ("not_started", WARD, OFFICE)
    # Its deadline has passed: shown overdue in the table.
    assert tasks.display_state(new["state"], new["deadline"].date(), TODAY) == tasks.OVERDUE

    at.selectbox(key=f"plans_update_pick_{plan_id}").set_value(int(new["id"])).run()
    (state,) = [s for s in at.selectbox if s.label == t("plans.field.state")]
    state.set_value("done")
    (result,) = [a for a in at.text_area if a.label == t("plans.field.result")]
    result.set_value("Đã lắp thêm đèn.")
    click(at, t("plans.form.update_task"))
    assert not at.error, [e.value for e in at.error]
    done = store.read_tasks(page_store, CITY).set_index("id").loc[int(new["id"])]
    assert (done["state"], done["result"], done["version"]) == ("done", "Đã lắp thêm đèn.", 2)
    log = store.read_audit(page_store, CITY)
    mine = log[(log["entity"] == "task") & (log["entity_id"] == int(new["id"]))]
    assert sorted(mine["action"]) == ["task_add", "task_update"]


def test_leadership_reads_plans_without_forms(page_store):
    reader = ensure_account(
        os.environ["DATABASE_URL"], "kiem-thu-lanh-dao", Role.LEADERSHIP, "Ban Chỉ đạo 138"
    )
    at = run_page("pages/plans.py", user=reader)
    assert not at.error
    labels = [b.label for b in at.button]
    assert t("plans.form.add_task") not in labels and t("plans.form.save_plan") not in labels
    assert at.dataframe  # the tasks of the unit first offered


def test_the_plan_form_changes_the_document_and_the_targets(page_store):
    at = run_page("pages/plans.py")
    at.selectbox(key=f"plans_unit_{TODAY.year}_ward").set_value(WARD).run()
    plans = store.read_local_plans(page_store, CITY)
    (plan_id,) = plans[(plans["year"] == TODAY.year) & (plans["unit_code"] == WARD)]["id"]
    tag = f"{TODAY.year}_ward_{WARD}"
    keep = at.multiselect(key=f"plans_keep_{tag}")
    assert keep.value  # the sample plan keeps the ward's handed-over hotspots clean
    dropped = keep.value[0]
    keep.unselect(dropped)
    at.text_input(key=f"plans_title_{tag}").set_value("Kế hoạch sửa đổi (mẫu)")
    click(at, t("plans.form.save_plan"))
    assert not at.error, [e.value for e in at.error]
    stored = store.read_local_plans(page_store, CITY).set_index("id").loc[plan_id]
    assert (stored["title"], stored["version"]) == ("Kế hoạch sửa đổi (mẫu)", 2)
    targets = store.read_local_targets(page_store, CITY)
    codes = store.read_hotspots(page_store, CITY).set_index("id")["code"]
    mine = set(codes[targets[targets["local_plan_id"] == plan_id]["hotspot_id"]])
    assert dropped not in mine
    log = store.read_audit(page_store, CITY)
    (entry,) = log[(log["entity"] == "local_plan") & (log["action"] == "plan_update")].itertuples()
    assert dropped in entry.before and dropped not in entry.after
    # Saving again unchanged writes nothing more.
    click(at, t("plans.form.save_plan"))
    assert len(store.read_audit(page_store, CITY)) == len(log)


def test_the_task_table_reads_its_state_first_and_never_none(page_store):
    at = run_page("pages/plans.py")
    assert not at.error
    (table,) = [d.value for d in at.dataframe if t("plans.field.days_late") in d.value.columns]
    columns = list(table.columns)
    # The state and the deadline come right after the task: seen without scrolling sideways.
    assert columns[:4] == [t(f"plans.field.{k}") for k in ("task", "state", "deadline", "days_late")]
    late = table[t("plans.field.days_late")]
    # A task not late has no count of days late: kept a number (the column sorts), drawn as a
    # dash, not Streamlit's "None".
    assert late.isna().any() and pd.api.types.is_numeric_dtype(late)
    (shown,) = [d for d in at.dataframe if t("plans.field.days_late") in d.value.columns]
    assert shown.proto.placeholder == "—"
