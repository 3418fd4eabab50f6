"""Local plans of former districts and wards and their tasks (dashboard/localplans.py):
saving a plan and its targets with its audit entry, the checks (unit, year, level,
dates, targets in the unit), tasks and their places, updates with optimistic
locking, who may write; the shown states and progress (dashboard/tasks.py); the
overdue lists and scope of the views; the sample plans; the migration to v7."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import sqlalchemy as sa
from pagetest import TODAY, as_pre_alembic_store, run_revision

from dashboard import localplans, queries, sample, store, tasks, views
from dashboard.accounts import Account, Role
from dashboard.domain import DomainError, UnitLevel
from dashboard.editing import DEPARTMENT_OFFICES
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.localplans import StaleTask, add_task, save_local_plan, update_task
from dashboard.scope import Scope

D = dt.date
CITY = Scope.city()
OFFICE = DEPARTMENT_OFFICES[1]
HK, CN, VM = "00070", "00082", "00226"  # Phường Hoàn Kiếm, Cửa Nam (both in 002), Văn Miếu (006)
KEY_HK_2026 = "Kế hoạch năm 2026 · Phường Hoàn Kiếm"
KEY_002_2025 = "Kế hoạch năm 2025 · Quận Hoàn Kiếm"


@pytest.fixture
def spots(empty_engine, make_store):
    """A and D by Hoàn Kiếm lake (00070 / 002), B at Hỏa Lò (00082 / 002), C at Văn Miếu (00226 / 006)."""
    active = [(D(2020, 1, 1), "active")]
    empty_engine.ids = make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", active),
            "B": ("hoa_lo", "public_area", active),
            "C": ("van_mieu", "service_business", active),
            "D": ("hoan_kiem_lake", "service_business", active),
        },
    )
    return empty_engine


def plan_row(**extra) -> dict:
    return {
        "year": 2026,
        "level": "ward",
        "unit_code": HK,
        "doc_number": "12/KH-UBND",
        "doc_date": D(2026, 2, 10),
        "title": "Kế hoạch phòng, chống mại dâm năm 2026",
        "targets": {"A": "clear"},
    } | extra


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def table_rows(engine, table) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(table).order_by(table.c.id)).mappings()]


def written(engine) -> tuple:
    """Everything a plan or task write may touch."""
    return tuple(
        len(table_rows(engine, table))
        for table in (store.local_plan, store.local_target, store.task, store.audit_log)
    )


def targets_of(engine, plan_id: int) -> dict[int, str]:
    query = sa.select(store.local_target.c.hotspot_id, store.local_target.c.target_type).where(
        store.local_target.c.local_plan_id == int(plan_id)
    )
    with engine.connect() as conn:
        return {int(h): str(k) for h, k in conn.execute(query)}


def plan_id_of(engine, year: int, level: str, code: str) -> int:
    with engine.connect() as conn:
        return int(store.find_local_plan(conn, year, level, code)["id"])


def refused(call, message: str) -> None:
    with pytest.raises(DomainError) as info:
        call()
    assert str(info.value) == message


# --------------------------------------------------------------------------
# Plans


def test_saving_a_ward_plan_writes_it_its_targets_and_one_audit_entry(spots):
    assert save_local_plan(spots, plan_row(), OFFICE, TODAY) == f"Đã ghi {KEY_HK_2026}."
    (plan,) = table_rows(spots, store.local_plan)
    assert {k: plan[k] for k in plan if k != "id"} == {
        "year": 2026,
        "level": "ward",
        "unit_code": HK,
        "ward_code": HK,
        "district_code": "002",
        "doc_number": "12/KH-UBND",
        "doc_date": D(2026, 2, 10),
        "title": "Kế hoạch phòng, chống mại dâm năm 2026",
        "recorded_by": OFFICE,
        "version": 1,
    }
    assert targets_of(spots, plan["id"]) == {spots.ids["A"]: "clear"}
    (entry,) = audit_rows(spots)
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_id"], entry["entity_code"]) == (
        OFFICE,
        "plan_add",
        "local_plan",
        plan["id"],
        HK,
    )
    assert entry["summary"] == KEY_HK_2026
    assert entry["before"] is None
    assert json.loads(entry["after"]) == {
        "year": 2026,
        "level": "ward",
        "unit_code": HK,
        "doc_number": "12/KH-UBND",
        "doc_date": "2026-02-10",
        "title": "Kế hoạch phòng, chống mại dâm năm 2026",
        "recorded_by": OFFICE,
        "targets": {"A": "clear"},
    }
    # The reads see it, with its year and unit.
    plans = store.read_local_plans(spots, CITY)
    assert plans[["year", "level", "unit_code"]].values.tolist() == [[2026, "ward", HK]]
    local = store.read_local_targets(spots, CITY)
    assert local[["hotspot_id", "target_type", "year", "unit_code"]].values.tolist() == [
        [spots.ids["A"], "clear", 2026, HK]
    ]
    # Its audit entry is the ward's (store.UNIT_ENTITIES), no other unit's.
    assert "local_plan" in store.UNIT_ENTITIES
    assert store.read_audit(spots, Scope(ward_codes=frozenset({HK})))["action"].tolist() == ["plan_add"]
    assert store.read_audit(spots, Scope(ward_codes=frozenset({CN}))).empty


def test_saving_the_same_plan_again_writes_nothing(spots):
    save_local_plan(spots, plan_row(), OFFICE, TODAY)
    before = written(spots)
    # The recording office alone is no change either.
    for actor in (OFFICE, DEPARTMENT_OFFICES[0]):
        message = save_local_plan(spots, plan_row(), actor, TODAY)
        assert message == t("plans.unchanged", plan=KEY_HK_2026)
        assert message == f"{KEY_HK_2026} không thay đổi: không ghi gì thêm."
    assert written(spots) == before == (1, 1, 0, 1)
    (plan,) = table_rows(spots, store.local_plan)
    assert (plan["version"], plan["recorded_by"]) == (1, OFFICE)


def test_changing_the_title_or_a_target_writes_plan_update_with_before_and_after(spots):
    save_local_plan(spots, plan_row(), OFFICE, TODAY)
    plan_id = plan_id_of(spots, 2026, "ward", HK)
    changed = plan_row(title="Kế hoạch sửa đổi", targets={"A": "keep_clean", "D": "clear"})
    assert save_local_plan(spots, changed, OFFICE, TODAY) == f"Đã cập nhật {KEY_HK_2026}."
    assert targets_of(spots, plan_id) == {spots.ids["A"]: "keep_clean", spots.ids["D"]: "clear"}
    (plan,) = table_rows(spots, store.local_plan)
    assert (plan["id"], plan["title"], plan["version"]) == (plan_id, "Kế hoạch sửa đổi", 2)
    entry = audit_rows(spots)[-1]
    assert (entry["action"], entry["entity_id"], entry["entity_code"]) == ("plan_update", plan_id, HK)
    assert json.loads(entry["before"]) == {
        "doc_number": "12/KH-UBND",
        "doc_date": "2026-02-10",
        "title": "Kế hoạch phòng, chống mại dâm năm 2026",
        "recorded_by": OFFICE,
        "targets": {"A": "clear"},
    }
    after = json.loads(entry["after"])
    assert after["title"] == "Kế hoạch sửa đổi"
    assert after["targets"] == {"A": "keep_clean", "D": "clear"}

    # A target taken out: only the targets change; before and after name the hotspots by code.
    save_local_plan(spots, plan_row(title="Kế hoạch sửa đổi", targets={"D": "clear"}), OFFICE, TODAY)
    assert targets_of(spots, plan_id) == {spots.ids["D"]: "clear"}
    entry = audit_rows(spots)[-1]
    assert entry["action"] == "plan_update"
    assert json.loads(entry["before"])["targets"] == {"A": "keep_clean", "D": "clear"}
    assert json.loads(entry["after"])["targets"] == {"D": "clear"}
    assert [r["action"] for r in audit_rows(spots)] == ["plan_add", "plan_update", "plan_update"]
    assert table_rows(spots, store.local_plan)[0]["version"] == 3


def test_a_target_outside_the_unit_is_refused_and_nothing_is_written(spots):
    message = "Tụ điểm «B», «C» không thuộc Phường Hoàn Kiếm: kế hoạch chỉ đặt mục tiêu trong địa bàn mình."
    refused(lambda: save_local_plan(spots, plan_row(targets={"A": "clear", "B": "clear", "C": "keep_clean"}),
                                    OFFICE, TODAY), message)  # fmt: skip
    assert written(spots) == (0, 0, 0, 0)
    # Nor when the plan is there already: it keeps its targets.
    save_local_plan(spots, plan_row(), OFFICE, TODAY)
    refused(lambda: save_local_plan(spots, plan_row(title="Khác", targets={"B": "clear"}), OFFICE, TODAY),
            t("plans.err.target_outside", codes="«B»", unit="Phường Hoàn Kiếm"))  # fmt: skip
    assert written(spots) == (1, 1, 0, 1)
    assert table_rows(spots, store.local_plan)[0]["title"] == "Kế hoạch phòng, chống mại dâm năm 2026"


def test_levels_hold_plans_district_to_2025_ward_from_2025():
    assert localplans.levels_for_year(2019) == [UnitLevel.DISTRICT]
    assert localplans.levels_for_year(2024) == [UnitLevel.DISTRICT]
    assert localplans.levels_for_year(2025) == [UnitLevel.DISTRICT, UnitLevel.WARD]
    assert localplans.levels_for_year(2026) == [UnitLevel.WARD]


def test_a_district_plan_for_2026_or_a_ward_plan_for_2024_is_refused(spots):
    refused(
        lambda: save_local_plan(spots, plan_row(level="district", unit_code="002"), OFFICE, TODAY),
        "Năm 2026 không có kế hoạch cấp quận, huyện cũ: năm này kế hoạch do cấp phường, xã lập "
        "(quận, huyện cũ đến năm 2025, phường, xã từ năm 2025).",
    )
    refused(
        lambda: save_local_plan(spots, plan_row(year=2024, doc_date=D(2024, 2, 1)), OFFICE, TODAY),
        t("plans.err.level_for_year", year=2024, level="phường, xã", allowed="quận, huyện cũ"),
    )
    refused(
        lambda: save_local_plan(spots, plan_row(level="city"), OFFICE, TODAY),
        t("plans.err.level", level="city"),
    )
    assert written(spots) == (0, 0, 0, 0)


def test_both_levels_hold_plans_in_2025(spots):
    district = plan_row(year=2025, level="district", unit_code="002", doc_date=D(2025, 2, 1),
                        targets={"A": "clear", "B": "keep_clean"})  # fmt: skip
    assert save_local_plan(spots, district, OFFICE, TODAY) == f"Đã ghi {KEY_002_2025}."
    ward = plan_row(year=2025, doc_date=D(2025, 8, 1), targets={"A": "clear"})
    assert save_local_plan(spots, ward, OFFICE, TODAY) == "Đã ghi Kế hoạch năm 2025 · Phường Hoàn Kiếm."
    rows = table_rows(spots, store.local_plan)
    assert [(r["year"], r["level"], r["unit_code"], r["ward_code"], r["district_code"]) for r in rows] == [
        (2025, "district", "002", None, "002"),
        (2025, "ward", HK, HK, "002"),
    ]
    assert targets_of(spots, rows[0]["id"]) == {spots.ids["A"]: "clear", spots.ids["B"]: "keep_clean"}
    # A district plan's targets must lie in the district.
    refused(lambda: save_local_plan(spots, district | {"targets": {"C": "clear"}}, OFFICE, TODAY),
            t("plans.err.target_outside", codes="«C»", unit="Quận Hoàn Kiếm"))  # fmt: skip


@pytest.mark.parametrize(
    "change, message",
    [
        ({"unit_code": "99999"}, "Không có phường, xã mã «99999»."),
        ({"unit_code": ""}, "Không có phường, xã mã «»."),
        ({"level": "district", "unit_code": "998", "year": 2024, "doc_date": None},
         "Không có quận, huyện cũ mã «998»."),
        ({"year": 2018}, "Năm 2018 ngoài khoảng nhận kế hoạch: từ 2019 đến 2027."),
        ({"year": 2028}, "Năm 2028 ngoài khoảng nhận kế hoạch: từ 2019 đến 2027."),
        ({"year": "năm nay"}, "Năm «năm nay» không phải là một năm."),
        ({"doc_date": D(2026, 11, 21)}, "Ngày ban hành 21/11/2026 chưa đến (hôm nay là 20/11/2026)."),
        ({"targets": {"ZZ-9": "clear"}}, "Không có tụ điểm mã «ZZ-9»."),
        ({"targets": {"A": "watch"}}, t("plans.err.target_type", code="A", kind="watch")),
        ({"title": "x" * (store.LOCAL_PLAN_TITLE_MAX + 1)},
         t("plans.err.too_long", field="Trích yếu kế hoạch", length=store.LOCAL_PLAN_TITLE_MAX + 1,
           max_length=store.LOCAL_PLAN_TITLE_MAX, where="")),
    ],
)  # fmt: skip
def test_every_plan_check_says_what_is_wrong_and_writes_nothing(spots, change, message):
    refused(lambda: save_local_plan(spots, plan_row(**change), OFFICE, TODAY), message)
    assert written(spots) == (0, 0, 0, 0)


def test_plan_checks_accept_next_year_and_today():
    assert localplans.check_year("2027", TODAY) == 2027
    assert localplans.check_unit(2026, "ward", f" {HK} ", TODAY) == localplans.PlanUnit(
        2026, UnitLevel.WARD, HK
    )
    unit = localplans.check_unit(2025, "district", "002", TODAY)
    assert unit.holds(HK, "002") and unit.holds(None, "002") and not unit.holds(VM, "006")
    assert localplans.check_unit(2026, "ward", HK, TODAY).holds(HK, "002")
    assert not localplans.check_unit(2026, "ward", HK, TODAY).holds(CN, "002")
    assert localplans.plan_key(2026, "ward", HK) == KEY_HK_2026


def test_a_plan_dated_today_is_accepted(spots):
    save_local_plan(spots, plan_row(doc_date=TODAY, targets={}), OFFICE, TODAY)
    (plan,) = table_rows(spots, store.local_plan)
    assert plan["doc_date"] == TODAY
    assert targets_of(spots, plan["id"]) == {}


# --------------------------------------------------------------------------
# Tasks


@pytest.fixture
def two_plans(spots):
    """The 2026 plan of Phường Hoàn Kiếm (target A) and the 2025 plan of Quận Hoàn Kiếm."""
    save_local_plan(spots, plan_row(), OFFICE, TODAY)
    district = plan_row(year=2025, level="district", unit_code="002", doc_date=D(2025, 2, 1), targets={})
    save_local_plan(spots, district, OFFICE, TODAY)
    spots.ward_plan = plan_id_of(spots, 2026, "ward", HK)
    spots.district_plan = plan_id_of(spots, 2025, "district", "002")
    return spots


def task_row(**extra) -> dict:
    return {
        "title": "Tuần tra, kiểm soát tại tụ điểm A",
        "responsible": "Công an Phường Hoàn Kiếm",
        "deadline": D(2026, 6, 30),
    } | extra


def only_task(engine) -> dict:
    (row,) = table_rows(engine, store.task)
    return row


def test_a_task_on_a_hotspot_of_the_unit_takes_the_hotspots_place(two_plans):
    message = add_task(two_plans, two_plans.ward_plan, task_row(hotspot_code="A"), OFFICE, D(2026, 3, 5))
    assert message == f"Đã giao nhiệm vụ «Tuần tra, kiểm soát tại tụ điểm A» thuộc {KEY_HK_2026}."
    row = only_task(two_plans)
    assert {k: row[k] for k in row if k != "id"} == {
        "local_plan_id": two_plans.ward_plan,
        "title": "Tuần tra, kiểm soát tại tụ điểm A",
        "responsible": "Công an Phường Hoàn Kiếm",
        "hotspot_id": two_plans.ids["A"],
        "ward_code": HK,
        "district_code": "002",
        "deadline": D(2026, 6, 30),
        "state": "not_started",
        "result": "",
        "updated_on": D(2026, 3, 5),
        "recorded_by": OFFICE,
        "version": 1,
    }
    entry = audit_rows(two_plans)[-1]
    assert (entry["action"], entry["entity"], entry["entity_id"], entry["entity_code"]) == (
        "task_add",
        "task",
        row["id"],
        HK,
    )
    assert entry["summary"] == f"{KEY_HK_2026} · nhiệm vụ «Tuần tra, kiểm soát tại tụ điểm A»"
    assert json.loads(entry["after"]) == {
        "title": "Tuần tra, kiểm soát tại tụ điểm A",
        "responsible": "Công an Phường Hoàn Kiếm",
        "hotspot_id": two_plans.ids["A"],
        "ward_code": HK,
        "district_code": "002",
        "deadline": "2026-06-30",
        "state": "not_started",
        "result": "",
        "updated_on": "2026-03-05",
        "recorded_by": OFFICE,
    }
    read = store.read_tasks(two_plans, Scope(ward_codes=frozenset({HK})))
    assert read[["id", "year", "level", "unit_code"]].values.tolist() == [[row["id"], 2026, "ward", HK]]
    assert store.read_tasks(two_plans, Scope(ward_codes=frozenset({CN}))).empty


@pytest.mark.parametrize(
    "plan, place, expected",
    [
        # A ward of a former district's plan: that ward (and the district).
        ("district_plan", {"ward_code": CN}, (None, CN, "002")),
        # A hotspot of a former district's plan: the hotspot's ward.
        ("district_plan", {"hotspot_code": "B"}, ("B", CN, "002")),
        # Neither: the plan unit's own place.
        ("district_plan", {}, (None, None, "002")),
        ("ward_plan", {}, (None, HK, "002")),
        ("ward_plan", {"hotspot_code": " ", "ward_code": ""}, (None, HK, "002")),
        # A ward plan's own ward.
        ("ward_plan", {"ward_code": HK}, (None, HK, "002")),
    ],
)
def test_where_a_task_is(two_plans, plan, place, expected):
    deadline = D(2025, 9, 30) if plan == "district_plan" else D(2026, 9, 30)
    add_task(two_plans, getattr(two_plans, plan), task_row(deadline=deadline, **place), OFFICE, TODAY)
    row = only_task(two_plans)
    spot, ward, district = expected
    assert (row["hotspot_id"], row["ward_code"], row["district_code"]) == (
        two_plans.ids[spot] if spot else None,
        ward,
        district,
    )
    assert entry_action(two_plans) == "task_add"


def entry_action(engine) -> str:
    return audit_rows(engine)[-1]["action"]


@pytest.mark.parametrize(
    "plan, change, message",
    [
        ("ward_plan", {"hotspot_code": "B"},
         "Tụ điểm «B» không thuộc Phường Hoàn Kiếm: nhiệm vụ chỉ giao trong địa bàn của kế hoạch."),
        ("ward_plan", {"hotspot_code": "C"}, t("plans.err.task_outside", what="Tụ điểm «C»",
                                                unit="Phường Hoàn Kiếm")),
        ("ward_plan", {"ward_code": CN},
         "Phường Cửa Nam không thuộc Phường Hoàn Kiếm: nhiệm vụ chỉ giao trong địa bàn của kế hoạch."),
        ("district_plan", {"hotspot_code": "C", "deadline": D(2025, 5, 1)},
         t("plans.err.task_outside", what="Tụ điểm «C»", unit="Quận Hoàn Kiếm")),
        ("district_plan", {"ward_code": VM, "deadline": D(2025, 5, 1)},
         t("plans.err.task_outside", what="Phường Văn Miếu - Quốc Tử Giám", unit="Quận Hoàn Kiếm")),
        ("ward_plan", {"hotspot_code": "ZZ-9"}, "Không có tụ điểm mã «ZZ-9»."),
        ("ward_plan", {"ward_code": "99999"}, "Không có phường, xã mã «99999»."),
        ("ward_plan", {"title": ""}, "Chưa nhập «Nhiệm vụ»."),
        ("ward_plan", {"title": "   "}, "Chưa nhập «Nhiệm vụ»."),
        ("ward_plan", {"responsible": None}, "Chưa nhập «Đơn vị chủ trì»."),
        ("ward_plan", {"responsible": "x" * 201},
         t("plans.err.too_long", field="Đơn vị chủ trì", length=201, max_length=200, where="")),
        ("ward_plan", {"deadline": None}, "Chưa nhập «Hạn hoàn thành»."),
        ("ward_plan", {"deadline": D(2024, 12, 31)},
         "Hạn hoàn thành 31/12/2024 quá xa năm kế hoạch 2026: chỉ nhận hạn trong năm đó, "
         "năm trước hoặc năm sau."),
        ("ward_plan", {"deadline": D(2028, 1, 1)},
         t("plans.err.deadline_year", date="01/01/2028", year=2026)),
        ("district_plan", {"deadline": D(2027, 1, 1)},
         t("plans.err.deadline_year", date="01/01/2027", year=2025)),
        ("ward_plan", {"state": "overdue"},
         "Tình trạng «overdue» không có: dùng chưa thực hiện, đang thực hiện hoặc đã hoàn thành."),
        ("ward_plan", {"state": "Xong"}, t("plans.err.state", state="Xong")),
    ],
)  # fmt: skip
def test_every_task_check_says_what_is_wrong_and_writes_nothing(two_plans, plan, change, message):
    before = written(two_plans)
    refused(lambda: add_task(two_plans, getattr(two_plans, plan), task_row(**change), OFFICE, TODAY), message)
    assert written(two_plans) == before == (2, 1, 0, 2)


def test_deadlines_from_the_year_before_to_the_year_after_are_accepted(two_plans):
    for deadline in (D(2025, 1, 1), D(2027, 12, 31), pd.Timestamp("2026-04-01")):
        add_task(two_plans, two_plans.ward_plan, task_row(title=f"Hạn {deadline}", deadline=deadline),
                 OFFICE, TODAY)  # fmt: skip
    assert [r["deadline"] for r in table_rows(two_plans, store.task)] == [
        D(2025, 1, 1),
        D(2027, 12, 31),
        D(2026, 4, 1),
    ]
    refused(lambda: add_task(two_plans, 9999, task_row(), OFFICE, TODAY), t("plans.err.no_plan", id=9999))


def test_a_task_can_be_given_done_with_its_result(two_plans):
    row = task_row(state="done", result="  Đã xong.  ", deadline=D(2026, 1, 15))
    add_task(two_plans, two_plans.ward_plan, row, OFFICE, TODAY)
    row = only_task(two_plans)
    assert (row["state"], row["result"]) == ("done", "Đã xong.")


@pytest.fixture
def one_task(two_plans):
    add_task(two_plans, two_plans.ward_plan, task_row(hotspot_code="A"), OFFICE, D(2026, 3, 5))
    two_plans.task_id = only_task(two_plans)["id"]
    return two_plans


def test_update_changes_state_and_result_with_audit_and_a_new_version(one_task):
    added = json.loads(audit_rows(one_task)[-1]["after"])
    message = update_task(one_task, one_task.task_id, {"state": "done", "result": "Đã lắp thêm đèn."},
                          DEPARTMENT_OFFICES[0], D(2026, 7, 1), expected_version=1)  # fmt: skip
    assert message == "Đã cập nhật nhiệm vụ «Tuần tra, kiểm soát tại tụ điểm A»."
    row = only_task(one_task)
    assert (row["state"], row["result"], row["version"], row["updated_on"], row["recorded_by"]) == (
        "done",
        "Đã lắp thêm đèn.",
        2,
        D(2026, 7, 1),
        DEPARTMENT_OFFICES[0],
    )
    assert (row["hotspot_id"], row["ward_code"], row["deadline"]) == (one_task.ids["A"], HK, D(2026, 6, 30))
    entry = audit_rows(one_task)[-1]
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_id"], entry["entity_code"]) == (
        DEPARTMENT_OFFICES[0],
        "task_update",
        "task",
        one_task.task_id,
        HK,
    )
    assert json.loads(entry["before"]) == added
    assert json.loads(entry["after"]) == added | {
        "state": "done",
        "result": "Đã lắp thêm đèn.",
        "updated_on": "2026-07-01",
        "recorded_by": DEPARTMENT_OFFICES[0],
    }


def test_a_stale_update_raises_stale_task_and_writes_nothing(one_task):
    update_task(one_task, one_task.task_id, {"state": "in_progress"}, OFFICE, TODAY, expected_version=1)
    before, stored = written(one_task), only_task(one_task)
    with pytest.raises(StaleTask) as info:
        update_task(one_task, one_task.task_id, {"state": "done", "result": "Xong."}, OFFICE, TODAY,
                    expected_version=1)  # fmt: skip
    assert isinstance(info.value, store.StaleEdit) and isinstance(info.value, DomainError)
    assert str(info.value) == t("plans.err.stale_task", task="Tuần tra, kiểm soát tại tụ điểm A")
    assert written(one_task) == before
    assert only_task(one_task) == stored
    assert (stored["state"], stored["version"]) == ("in_progress", 2)
    # With the version shown now it goes through.
    update_task(one_task, one_task.task_id, {"state": "done"}, OFFICE, TODAY, expected_version=2)
    assert (only_task(one_task)["state"], only_task(one_task)["version"]) == ("done", 3)


def test_an_unchanged_update_writes_nothing(one_task):
    before, stored = written(one_task), only_task(one_task)
    same = {"title": " Tuần tra, kiểm soát tại tụ điểm A ", "state": "not_started", "result": "",
            "deadline": D(2026, 6, 30), "hotspot_code": "A"}  # fmt: skip
    message = update_task(one_task, one_task.task_id, same, DEPARTMENT_OFFICES[0], TODAY, expected_version=1)
    assert message == "Nhiệm vụ «Tuần tra, kiểm soát tại tụ điểm A» không thay đổi: không ghi gì thêm."
    assert update_task(one_task, one_task.task_id, {}, OFFICE, TODAY) == message
    assert written(one_task) == before
    assert only_task(one_task) == stored


def test_an_update_moves_a_task_within_the_unit_and_is_checked(one_task):
    update_task(one_task, one_task.task_id, {"hotspot_code": None}, OFFICE, TODAY)
    row = only_task(one_task)
    assert (row["hotspot_id"], row["ward_code"], row["district_code"], row["version"]) == (None, HK, "002", 2)
    before = written(one_task)
    refused(lambda: update_task(one_task, one_task.task_id, {"hotspot_code": "B"}, OFFICE, TODAY),
            t("plans.err.task_outside", what="Tụ điểm «B»", unit="Phường Hoàn Kiếm"))  # fmt: skip
    refused(lambda: update_task(one_task, one_task.task_id, {"deadline": D(2024, 1, 1)}, OFFICE, TODAY),
            t("plans.err.deadline_year", date="01/01/2024", year=2026))  # fmt: skip
    refused(lambda: update_task(one_task, one_task.task_id, {"state": "overdue"}, OFFICE, TODAY),
            t("plans.err.state", state="overdue"))  # fmt: skip
    refused(lambda: update_task(one_task, one_task.task_id, {"title": ""}, OFFICE, TODAY),
            "Chưa nhập «Nhiệm vụ».")  # fmt: skip
    refused(
        lambda: update_task(one_task, 9999, {"state": "done"}, OFFICE, TODAY), t("plans.err.no_task", id=9999)
    )
    assert written(one_task) == before


def test_an_unknown_office_is_refused(spots):
    refused(lambda: save_local_plan(spots, plan_row(), "Ai đó", TODAY), t("err.actor", actor="Ai đó"))
    assert written(spots) == (0, 0, 0, 0)


# --------------------------------------------------------------------------
# Who may write

WARD_OFFICE = "UBND Phường Hoàn Kiếm"
WARD_OFFICER = Account("pb-hoankiem-01", WARD_OFFICE, Role.AREA_OFFICER, ward_codes=frozenset({HK}))
DISTRICT_OFFICER = Account("q-hoankiem-01", "Phòng LĐTBXH Quận Hoàn Kiếm", Role.AREA_OFFICER,
                           district_codes=frozenset({"002"}))  # fmt: skip
LEADER = Account("ld-so-01", "Ban Giám đốc Sở", Role.LEADERSHIP)
ADMIN = Account("admin-01", "Phòng Công nghệ thông tin Sở", Role.ADMIN)


def denied(account: Account, place: str) -> str:
    return t(
        "enforce.denied", username=account.username, role=t(f"acct.role.{account.role.value}"), place=place
    )


def assert_denied(engine, call, account, place, entity, code, action, entity_id=None) -> None:
    before = written(engine)
    refused(call, denied(account, place))
    plans, targets, task_count, audit = before
    assert written(engine) == (plans, targets, task_count, audit + 1)
    entry = audit_rows(engine)[-1]
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_code"], entry["entity_id"]) == (
        account.office,
        "denied",
        entity,
        code,
        entity_id,
    )
    assert json.loads(entry["after"]) == {"action": action, "role": account.role.value, "place": place}


def test_an_area_officer_writes_the_plan_and_tasks_of_their_ward(spots):
    message = save_local_plan(spots, plan_row(), WARD_OFFICER, TODAY)
    assert message == f"Đã ghi {KEY_HK_2026}."
    (plan,) = table_rows(spots, store.local_plan)
    assert plan["recorded_by"] == WARD_OFFICE
    entry = audit_rows(spots)[-1]
    assert (entry["actor"], entry["action"]) == (WARD_OFFICE, "plan_add")
    assert entry["summary"] == f"{KEY_HK_2026} [pb-hoankiem-01]"
    add_task(spots, plan["id"], task_row(hotspot_code="A"), WARD_OFFICER, TODAY)
    task_id = only_task(spots)["id"]
    update_task(spots, task_id, {"state": "in_progress"}, WARD_OFFICER, TODAY, expected_version=1)
    assert [r["action"] for r in audit_rows(spots)] == ["plan_add", "task_add", "task_update"]
    assert only_task(spots)["recorded_by"] == WARD_OFFICE


def test_an_area_officer_is_refused_another_wards_plan_and_tasks(spots):
    assert_denied(spots, lambda: save_local_plan(spots, plan_row(unit_code=CN, targets={"B": "clear"}),
                                                 WARD_OFFICER, TODAY),
                  WARD_OFFICER, "Phường Cửa Nam", "local_plan", CN, "plan_save")  # fmt: skip
    assert table_rows(spots, store.local_plan) == []
    # The ward's plan is there (recorded by the Department), its tasks are not the officer's.
    save_local_plan(spots, plan_row(unit_code=CN, targets={"B": "clear"}), OFFICE, TODAY)
    plan_id = plan_id_of(spots, 2026, "ward", CN)
    assert_denied(spots, lambda: add_task(spots, plan_id, task_row(hotspot_code="B"), WARD_OFFICER, TODAY),
                  WARD_OFFICER, "Phường Cửa Nam", "task", CN, "task_save")  # fmt: skip
    add_task(spots, plan_id, task_row(hotspot_code="B"), OFFICE, TODAY)
    task_id = only_task(spots)["id"]
    assert_denied(spots, lambda: update_task(spots, task_id, {"state": "done"}, WARD_OFFICER, TODAY),
                  WARD_OFFICER, "Phường Cửa Nam", "task", CN, "task_save", entity_id=task_id)  # fmt: skip
    assert only_task(spots)["state"] == "not_started"
    # The denied entries are the ward's (the officer's own ward sees none of them).
    cn_log = store.read_audit(spots, Scope(ward_codes=frozenset({CN})))
    assert sorted(cn_log["action"]) == ["denied", "denied", "denied", "plan_add", "task_add"]
    assert store.read_audit(spots, Scope(ward_codes=frozenset({HK}))).empty


def test_leadership_is_refused(spots):
    assert_denied(spots, lambda: save_local_plan(spots, plan_row(), LEADER, TODAY),
                  LEADER, "Phường Hoàn Kiếm", "local_plan", HK, "plan_save")  # fmt: skip
    save_local_plan(spots, plan_row(), ADMIN, TODAY)
    plan_id = plan_id_of(spots, 2026, "ward", HK)
    assert_denied(spots, lambda: add_task(spots, plan_id, task_row(), LEADER, TODAY),
                  LEADER, "Phường Hoàn Kiếm", "task", HK, "task_save")  # fmt: skip
    assert table_rows(spots, store.task) == []


def test_plan_writable():
    assert localplans.plan_writable(WARD_OFFICER, "ward", HK)
    assert not localplans.plan_writable(WARD_OFFICER, "ward", CN)
    assert not localplans.plan_writable(WARD_OFFICER, "district", "002")
    assert localplans.plan_writable(DISTRICT_OFFICER, UnitLevel.DISTRICT, "002")
    assert not localplans.plan_writable(DISTRICT_OFFICER, "district", "006")
    # A ward's plan is its ward's, not its former district's officers'.
    assert not localplans.plan_writable(DISTRICT_OFFICER, "ward", HK)
    assert localplans.plan_writable(ADMIN, "ward", CN) and localplans.plan_writable(ADMIN, "district", "006")
    assert not localplans.plan_writable(LEADER, "ward", HK)
    disabled = Account(
        "pb-hoankiem-02", WARD_OFFICE, Role.AREA_OFFICER, ward_codes=frozenset({HK}), disabled=True
    )
    assert not localplans.plan_writable(disabled, "ward", HK)


# --------------------------------------------------------------------------
# Shown states and progress (dashboard/tasks.py)


def frame(rows: list[tuple], columns: str) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns.split())
    if "deadline" in out:
        out["deadline"] = pd.to_datetime(out["deadline"])
    return out


def test_with_display_shows_overdue_and_days_late():
    rows = frame(
        [
            (1, "not_started", "2026-11-20"),  # due today: not overdue yet
            (2, "in_progress", "2026-11-19"),
            (3, "done", "2026-01-01"),  # done is never overdue
            (4, "not_started", "2026-11-10"),
            (5, "in_progress", "2026-12-31"),
            (6, "done", "2026-12-31"),
        ],
        "id state deadline",
    )
    shown = tasks.with_display(rows, TODAY)
    assert shown["shown"].tolist() == ["not_started", "overdue", "done", "overdue", "in_progress", "done"]
    assert shown["days_late"].tolist() == [0, 1, 0, 10, 0, 0]
    assert shown["days_late"].dtype.kind == "i"
    assert shown["state"].tolist() == rows["state"].tolist()  # the stored state is kept
    # Deadlines as dates (not datetime64) give the same.
    as_dates = rows.assign(deadline=[d.date() for d in rows["deadline"]])
    assert tasks.with_display(as_dates, TODAY)[["shown", "days_late"]].equals(shown[["shown", "days_late"]])
    assert tasks.overdue(rows, TODAY)["id"].tolist() == [4, 2]
    empty = tasks.with_display(rows.iloc[0:0], TODAY)
    assert empty.empty and {"shown", "days_late"} <= set(empty.columns)


PROGRESS = frame(
    [
        # (level, unit, state, deadline): overdue ones are not done before 20/11/2026.
        ("ward", HK, "not_started", "2026-05-01"),
        ("ward", HK, "in_progress", "2026-10-01"),
        ("ward", HK, "done", "2026-04-01"),
        ("ward", HK, "in_progress", "2026-12-15"),
        ("ward", CN, "not_started", "2026-09-01"),
        ("ward", VM, "in_progress", "2026-08-01"),
        ("ward", VM, "not_started", "2026-12-01"),
        ("ward", "00004", "done", "2026-12-01"),
        ("ward", "00004", "in_progress", "2026-11-01"),
        ("district", "002", "done", "2026-03-01"),
        ("district", "002", "done", "2026-06-01"),
        ("district", "002", "not_started", "2026-11-20"),
    ],
    "level unit_code state deadline",
)


def test_progress_counts_per_unit_and_shown_state_most_overdue_first():
    table = tasks.progress(PROGRESS, TODAY)
    assert table.columns.tolist() == [
        "level",
        "unit_code",
        "not_started",
        "in_progress",
        "overdue",
        "done",
        "total",
    ]
    assert table.values.tolist() == [
        ["ward", HK, 0, 1, 2, 1, 4],
        # One overdue each: more tasks first, then by code.
        ["ward", "00004", 0, 0, 1, 1, 2],
        ["ward", VM, 1, 0, 1, 0, 2],
        ["ward", CN, 0, 0, 1, 0, 1],
        ["district", "002", 1, 0, 0, 2, 3],
    ]
    assert table["total"].sum() == len(PROGRESS)
    # Counted on another day, the same tasks are overdue differently.
    early = tasks.progress(PROGRESS, D(2026, 1, 1))
    assert early["overdue"].sum() == 0
    assert early["unit_code"].tolist() == [HK, "002", "00004", VM, CN]


def test_progress_of_no_tasks_has_the_columns():
    empty = tasks.progress(PROGRESS.iloc[0:0], TODAY)
    assert empty.empty
    assert empty.columns.tolist() == ["level", "unit_code", *tasks.DISPLAY_STATES, "total"]
    assert tasks.DISPLAY_STATES == ("not_started", "in_progress", "overdue", "done")


def test_of_year():
    rows = pd.DataFrame({"id": [1, 2, 3], "year": [2025, 2026, 2026]})
    assert tasks.of_year(rows, 2026)["id"].tolist() == [2, 3]
    assert tasks.of_year(rows, "2025")["id"].tolist() == [1]
    assert tasks.of_year(rows, 2024).empty
    assert tasks.of_year(rows, None)["id"].tolist() == [1, 2, 3]
    assert tasks.of_year(rows.iloc[0:0], 2026).empty


HOTSPOTS = pd.DataFrame({"id": [7, 8], "code": ["TD-007", "TD-008"], "name": ["Vườn hoa X", "Bến xe Y"]})


def test_place_labels():
    rows = pd.DataFrame(
        {
            "level": ["ward", "district", "district", "ward", "district"],
            "unit_code": [HK, "002", "002", HK, "002"],
            "hotspot_id": [7.0, None, None, None, 8.0],
            "ward_code": [HK, CN, None, HK, CN],
        }
    )
    assert tasks.place_labels(rows, HOTSPOTS).tolist() == [
        "TD-007 · Vườn hoa X",
        "Phường Cửa Nam",  # a ward inside a district's plan
        "Quận Hoàn Kiếm",  # the whole district
        "Phường Hoàn Kiếm",  # the whole ward
        "TD-008 · Bến xe Y",
    ]
    assert tasks.place_labels(rows.iloc[0:0], HOTSPOTS).empty


# --------------------------------------------------------------------------
# Views


def hand_dataset(task_rows: pd.DataFrame) -> queries.Dataset:
    empty = pd.DataFrame()
    return queries.Dataset(hotspots=HOTSPOTS, history=empty, activities=empty, plans=empty, targets=empty,
                           tasks=task_rows)  # fmt: skip


OVERDUE_TASKS = frame(
    [
        # id, plan level and unit, place, state, deadline
        (1, "ward", HK, 7, HK, "002", "not_started", "2026-10-01"),  # 50 days late
        (2, "ward", CN, None, CN, "002", "in_progress", "2026-03-01"),  # 264
        (3, "ward", HK, None, HK, "002", "done", "2026-01-01"),
        (4, "district", "002", None, CN, "002", "not_started", "2025-12-01"),  # 354
        (5, "ward", VM, 8, VM, "006", "not_started", "2026-11-19"),  # 1
        (6, "ward", HK, None, HK, "002", "in_progress", "2026-11-20"),  # due today
    ],
    "id level unit_code hotspot_id ward_code district_code state deadline",
)


@pytest.mark.parametrize(
    "unit, ids, days",
    [
        (views.WHOLE_CITY, [4, 2, 1, 5], [354, 264, 50, 1]),
        (views.Unit(UnitLevel.WARD, HK), [1], [50]),
        (views.Unit(UnitLevel.WARD, CN), [4, 2], [354, 264]),
        (views.Unit(UnitLevel.DISTRICT, "002"), [4, 2, 1], [354, 264, 50]),
        (views.Unit(UnitLevel.DISTRICT, "006"), [5], [1]),
        (views.Unit(UnitLevel.WARD, "00004"), [], []),
    ],
)
def test_overdue_tasks_of_a_unit_longest_overdue_first(unit, ids, days):
    late = views.overdue_tasks(hand_dataset(OVERDUE_TASKS), unit, TODAY)
    assert late["id"].tolist() == ids
    assert late["days_late"].tolist() == days
    assert set(late["shown"]) <= {"overdue"}
    assert {"place", "shown", "days_late"} <= set(late.columns)
    assert late.index.tolist() == list(range(len(ids)))


def test_overdue_tasks_places_and_no_tasks():
    late = views.overdue_tasks(hand_dataset(OVERDUE_TASKS), views.WHOLE_CITY, TODAY)
    assert late["place"].tolist() == [
        "Phường Cửa Nam",
        "Phường Cửa Nam",
        "TD-007 · Vườn hoa X",
        "TD-008 · Bến xe Y",
    ]
    # On an earlier day fewer are overdue.
    assert views.overdue_tasks(hand_dataset(OVERDUE_TASKS), views.WHOLE_CITY, D(2026, 3, 2))[
        "id"
    ].tolist() == [
        4,
        2,
    ]
    none = views.overdue_tasks(hand_dataset(store.empty_tasks()), views.WHOLE_CITY, TODAY)
    assert none.empty and {"place", "shown", "days_late"} <= set(none.columns)


def test_a_past_months_sheet_lists_a_task_done_only_after_that_month():
    rows = OVERDUE_TASKS.assign(updated_on=pd.to_datetime([None, None, "2026-10-15", None, None, None]))
    rows.loc[2, "deadline"] = pd.Timestamp("2026-09-01")
    ds = hand_dataset(rows)
    assert 3 in views.overdue_tasks(ds, views.WHOLE_CITY, D(2026, 9, 30))["id"].tolist()
    assert 3 not in views.overdue_tasks(ds, views.WHOLE_CITY, D(2026, 10, 31))["id"].tolist()
    assert 3 not in views.overdue_tasks(ds, views.WHOLE_CITY, TODAY)["id"].tolist()


def expected_overdue(ds, unit, as_of) -> list[int]:
    frame = ds.tasks
    if not unit.is_city:
        frame = frame[frame["ward_code" if unit.level == UnitLevel.WARD else "district_code"] == unit.code]
    # Done only counts from the day it was reported (a past month's sheet).
    done = (frame["state"] == "done") & ~(frame["updated_on"] > pd.Timestamp(as_of))
    late = frame[~done & (frame["deadline"] < pd.Timestamp(as_of))]
    return late.sort_values(["deadline", "id"])["id"].tolist()


def test_the_monthly_briefing_counts_the_overdue_tasks(sample_dataset):
    ds = sample_dataset
    city = views.monthly_briefing(ds, D(2026, 11, 1), today=TODAY)
    assert city.as_of == TODAY
    count = city.as_dict()["overdue_tasks"]
    assert (
        count
        == len(views.overdue_tasks(ds, views.WHOLE_CITY, TODAY))
        == len(expected_overdue(ds, views.WHOLE_CITY, TODAY))
    )
    assert count > 0
    assert city.overdue_tasks["id"].tolist() == expected_overdue(ds, views.WHOLE_CITY, TODAY)
    # A ward with overdue tasks, in an earlier month (as of its last day).
    late = views.overdue_tasks(ds, views.WHOLE_CITY, TODAY)
    ward = late[late["level"] == "ward"]["ward_code"].value_counts().index[0]
    unit = views.Unit(UnitLevel.WARD, ward)
    for month in (D(2026, 11, 1), D(2026, 9, 1)):
        sheet = views.monthly_briefing(ds, month, unit, today=TODAY)
        assert sheet.as_dict()["overdue_tasks"] == len(views.overdue_tasks(ds, unit, sheet.as_of))
        assert sheet.overdue_tasks["id"].tolist() == expected_overdue(ds, unit, sheet.as_of)
    assert len(expected_overdue(ds, unit, TODAY)) > 0


def test_the_overview_lists_the_overdue_tasks_of_its_area(sample_dataset):
    ds = sample_dataset
    f = Filters(plan_year=2026, date_from=D(2026, 1, 1), date_to=TODAY)
    over = views.overview(ds, f)
    assert over.overdue_tasks["id"].tolist() == expected_overdue(ds, views.WHOLE_CITY, TODAY)
    assert over.as_dict()["overdue_tasks"] == len(over.overdue_tasks) > 0
    area = views.overview(ds, Filters(plan_year=2026, date_from=D(2026, 1, 1), date_to=TODAY,
                                      area_level=UnitLevel.WARD, area_code=HK))  # fmt: skip
    assert area.overdue_tasks["id"].tolist() == expected_overdue(ds, views.Unit(UnitLevel.WARD, HK), TODAY)


def test_restrict_keeps_only_the_wards_plans_and_tasks(sample_dataset, sample_engine):
    ds = sample_dataset
    scope = Scope(ward_codes=frozenset({HK}))
    mine = views.restrict(ds, scope)
    assert len(mine.tasks) and len(mine.local_plans)
    assert set(mine.tasks["ward_code"]) == {HK}
    assert set(mine.local_plans["ward_code"]) == {HK}
    assert mine.tasks["id"].tolist() == ds.tasks[ds.tasks["ward_code"] == HK]["id"].tolist()
    assert mine.local_plans["id"].tolist() == ds.local_plans[ds.local_plans["ward_code"] == HK]["id"].tolist()
    assert set(mine.local_targets["hotspot_id"]) <= set(mine.hotspots["id"])
    # A target kept is one of a plan kept (a district plan's targets go with the district plan).
    assert set(mine.local_targets["local_plan_id"]) <= set(mine.local_plans["id"])
    # The same as the store reads for that scope.
    assert sorted(mine.tasks["id"]) == sorted(store.read_tasks(sample_engine, scope)["id"])
    assert sorted(mine.local_plans["id"]) == sorted(store.read_local_plans(sample_engine, scope)["id"])
    assert sorted(mine.local_targets["id"]) == sorted(store.read_local_targets(sample_engine, scope)["id"])
    # A former district's scope keeps its own plans and its wards' (their main district).
    district = views.restrict(ds, Scope(district_codes=frozenset({"002"})))
    assert set(district.local_plans["district_code"]) == {"002"}
    assert {"district", "ward"} <= set(district.local_plans["level"])
    assert sorted(district.tasks["id"]) == sorted(ds.tasks[ds.tasks["district_code"] == "002"]["id"])
    nobody = views.restrict(ds, Scope(ward_codes=frozenset()))
    assert nobody.tasks.empty and nobody.local_plans.empty


# --------------------------------------------------------------------------
# The sample


def test_sample_plans_follow_the_city_plan(sample_dataset):
    ds = sample_dataset
    plans, local = ds.local_plans, ds.local_targets
    assert sorted(plans["year"].unique()) == [2024, 2025, 2026]
    assert sorted(local["year"].unique()) == [2024, 2025, 2026]
    for year in (2024, 2025, 2026):
        city = ds.targets[ds.targets["year"] == year]
        wanted: dict[tuple[str, str], dict[int, str]] = {}
        for row in city.itertuples():
            wanted.setdefault((row.assigned_level, row.assigned_code), {})[int(row.hotspot_id)] = (
                row.target_type
            )
        of_year = plans[plans["year"] == year]
        assert len(of_year) == len(wanted)  # one plan per unit
        assert sorted(zip(of_year["level"], of_year["unit_code"], strict=True)) == sorted(wanted)
        for plan in of_year.itertuples():
            assert UnitLevel(plan.level) in localplans.levels_for_year(year)
            mine = local[local["local_plan_id"] == plan.id]
            assert (
                dict(zip(mine["hotspot_id"].astype(int), mine["target_type"], strict=True))
                == wanted[(plan.level, plan.unit_code)]
            )
    assert set(plans[plans["year"] == 2026]["level"]) == {"ward"}
    assert set(plans[plans["year"] == 2024]["level"]) == {"district"}


def test_every_sample_task_lies_in_its_plans_unit(sample_dataset):
    ds = sample_dataset
    plans = ds.local_plans.set_index("id")
    spots = ds.hotspots.set_index("id")
    assert len(ds.tasks) > len(plans)
    assert set(ds.tasks["local_plan_id"]) == set(plans.index)  # every plan has tasks
    for row in ds.tasks.itertuples():
        plan = plans.loc[row.local_plan_id]
        assert (row.year, row.level, row.unit_code) == (plan["year"], plan["level"], plan["unit_code"])
        unit = localplans.PlanUnit(int(plan["year"]), UnitLevel(plan["level"]), plan["unit_code"])
        ward = row.ward_code if isinstance(row.ward_code, str) else None
        assert unit.holds(ward, row.district_code), row
        if row.hotspot_id == row.hotspot_id and row.hotspot_id is not None:
            spot = spots.loc[int(row.hotspot_id)]
            assert (ward, row.district_code) == (spot["ward_code"], spot["district_code"])
        assert row.state in store.TASK_STATES
        localplans.check_deadline(row.deadline, row.year)


def test_the_sample_plans_are_deterministic_and_loaded_as_generated(sample_dataset):
    first, second = sample.generate(), sample.generate()
    assert first.local_plans == second.local_plans
    generated = sorted(
        (p["year"], p["unit_code"], task["title"], task["deadline"], task["state"], task["result"])
        for p in first.local_plans
        for task in p["tasks"]
    )
    plans = sample_dataset.local_plans.set_index("id")
    stored = sorted(
        (int(r.year), r.unit_code, r.title, r.deadline.date(), r.state, r.result)
        for r in sample_dataset.tasks.itertuples()
    )
    assert stored == generated
    assert len(plans) == len(first.local_plans)


def test_the_sample_has_overdue_and_done_tasks_on_today(sample_dataset):
    shown = tasks.with_display(sample_dataset.tasks, TODAY)
    counts = shown["shown"].value_counts()
    assert counts.get("overdue", 0) > 0
    assert counts.get("done", 0) > counts.get("overdue", 0)
    assert (shown.loc[shown["shown"] == "overdue", "days_late"] > 0).all()


def test_a_sample_plan_saved_again_through_the_checks_is_unchanged(store_copy):
    engine = store.open_store(store_copy)
    try:
        plans = store.read_local_plans(engine, CITY)
        spots = store.read_hotspots(engine, CITY).set_index("id")["code"]
        local = store.read_local_targets(engine, CITY)
        for year in (2025, 2026):
            plan = plans[plans["year"] == year].iloc[0]
            mine = local[local["local_plan_id"] == plan["id"]]
            row = {
                "year": year,
                "level": plan["level"],
                "unit_code": plan["unit_code"],
                "doc_number": plan["doc_number"],
                "doc_date": plan["doc_date"],
                "title": plan["title"],
                "targets": {
                    spots[h]: k for h, k in zip(mine["hotspot_id"], mine["target_type"], strict=True)
                },
            }
            key = localplans.plan_key(year, plan["level"], plan["unit_code"])
            assert save_local_plan(engine, row, OFFICE, TODAY) == t("plans.unchanged", plan=key)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------
# The migration to schema version 7


def test_schema_version_7_is_the_local_plans():
    assert store.SCHEMA_VERSION == 7
    assert store.HEAD == "0007"


def as_v6(engine, *, alembic: bool) -> None:
    """Make the store look as a version-6 one: no local plan tables, stamped at 0006
    (or, without ``alembic``, only the version in ``meta``)."""
    with engine.begin() as conn:
        for name in ("task", "local_target", "local_plan"):
            conn.execute(sa.text(f"DROP TABLE {name}"))
        if alembic:
            store.set_meta(conn, "schema_version", "6")
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0006'"))
        else:
            as_pre_alembic_store(conn, 6)


@pytest.mark.parametrize("alembic", [True, False], ids=["stamped", "pre-alembic"])
def test_a_v6_store_gains_the_three_tables_and_keeps_its_rows(new_store_url, make_store, alembic):
    url = new_store_url()
    engine = store.open_store(url)
    make_store(
        engine,
        {"A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")])},
        activities=[{"hotspot": "A", "date": D(2020, 2, 1), "kind": "patrol"}],
        plans={2026: {"A": "clear"}},
    )
    with engine.begin() as conn:
        store.audit(conn, OFFICE, "status_change", "hotspot", entity_code="A", summary="một")
    before = {
        "hotspots": store.read_hotspots(engine, CITY),
        "activities": store.read_activities(engine, CITY),
        "targets": store.read_targets(engine, CITY),
        "history": store.read_status_history(engine, CITY),
    }
    as_v6(engine, alembic=alembic)
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert not any(inspector.has_table(n) for n in ("local_plan", "local_target", "task"))
    engine.dispose()
    assert store.peek_schema_version(url) == 6

    engine = store.open_store(url)
    try:
        with engine.connect() as conn:
            assert store.schema_version(conn) == 7
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0007"
            inspector = sa.inspect(conn)
            for table in (store.local_plan, store.local_target, store.task):
                assert {c["name"] for c in inspector.get_columns(table.name)} == {c.name for c in table.c}
        for name, frame in before.items():
            read = getattr(store, f"read_{name}" if name != "history" else "read_status_history")
            pd.testing.assert_frame_equal(read(engine, CITY), frame, check_dtype=False)
        assert [r["summary"] for r in audit_rows(engine)] == ["một"]
        assert store.read_local_plans(engine, CITY).empty and store.read_tasks(engine, CITY).empty
        engine.ids = {"A": int(before["hotspots"]["id"].iloc[0])}
        save_local_plan(engine, plan_row(), OFFICE, TODAY)
        add_task(engine, plan_id_of(engine, 2026, "ward", HK), task_row(hotspot_code="A"), OFFICE, TODAY)
        # Running the revision again changes nothing.
        with engine.begin() as conn:
            run_revision(conn, "0007")
        assert store.migrate(engine) == 7
        assert written(engine) == (1, 1, 1, 3)
    finally:
        engine.dispose()
