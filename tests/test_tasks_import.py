"""The ``tasks`` import kind: tasks of local plans of former districts and
wards, from the template (columns, drop-downs, dates), through the checks
(each naming its row and column), to one all-or-nothing transaction with an
audit entry per row, idempotent re-import, updates with before/after, the
export that re-imports as unchanged, and an area officer's reach."""

from __future__ import annotations

import datetime as dt
import io
import json

import argon2
import openpyxl
import pytest
import sqlalchemy as sa

from dashboard import accounts, cli, localplans, store
from dashboard.accounts import Role
from dashboard.domain import DomainError
from dashboard.editing import unit_place
from dashboard.i18n import t
from dashboard.intake.apply import apply
from dashboard.intake.files import IntakeError
from dashboard.intake.schema import COLUMNS, PLAN_LEVEL_CHOICES, TASK_STATE_CHOICES, Kind, guess_kind
from dashboard.intake.service import check
from dashboard.intake.workbook import export, template
from dashboard.scope import Scope

D = dt.date
CITY = Scope.city()
TODAY = D(2026, 11, 20)
OFFICE = "Chi cục Phòng, chống tệ nạn xã hội Hà Nội"
HEADERS = [c.header for c in COLUMNS[Kind.TASKS]]
WARD, DISTRICT = PLAN_LEVEL_CHOICES["ward"], PLAN_LEVEL_CHOICES["district"]


@pytest.fixture
def spots(empty_engine, make_store):
    """A by Hoàn Kiếm lake (00070 / 002), C at Hỏa Lò (00082 / 002), B at Văn Miếu (00226 / 006)."""
    make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")]),
            "C": ("hoa_lo", "public_area", [(D(2020, 1, 1), "active")]),
            "B": ("van_mieu", "service_business", [(D(2020, 1, 1), "active")]),
        },
    )
    return empty_engine


def fill(rows: list[list], headers: list[str] | None = None) -> bytes:
    """The tasks template with ``rows`` typed in (a text starting with = typed as text)."""
    book = openpyxl.load_workbook(io.BytesIO(template(Kind.TASKS)))
    sheet = book.worksheets[0]
    if headers is not None:
        for c, header in enumerate(headers, start=1):
            sheet.cell(row=1, column=c, value=header)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def data_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def table_rows(engine) -> dict[str, list]:
    """The plan and task tables' rows (what an import may write)."""
    out = {}
    with engine.connect() as conn:
        for table in (store.local_plan, store.task):
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id))]
    return out


def tasks(engine, scope=CITY):
    return store.read_tasks(engine, scope)


def errors(report) -> list[tuple]:
    return [(p.row, p.column, p.value, p.message) for p in report.errors]


GOOD = [
    # 2: a new ward plan of 2026, on hotspot A, in progress
    [2026, WARD, "00070", "Kiểm tra, xử lý tại tụ điểm A", "Công an Phường Hoàn Kiếm", "A", None,
     "30/06/2026", TASK_STATE_CHOICES["in_progress"], None],
    # 3: the same plan, its whole ward (level from the 5 digits), a date cell, blank state, a "formula" text
    [2026, None, "00070", "Tuyên truyền phòng, chống tệ nạn", "UBND Phường Hoàn Kiếm", None, None,
     dt.datetime(2026, 12, 31), None, "=Đã phát 200 tờ rơi"],
    # 4: a former district's plan of 2024, on one of its wards, numbers typed without leading zeros
    [2024, DISTRICT, 2, "Rà soát cơ sở kinh doanh dịch vụ", "Phòng LĐTBXH Quận Hoàn Kiếm", None, 70,
     "15/03/2024", "đã hoàn thành", "Đã rà soát 12 cơ sở."],
    # 5: a ward plan of 2025 (wards and former districts both plan that year), state by its code
    [2025, None, "00226", "Giữ vững tụ điểm B không tái phát", "Công an Phường Văn Miếu - Quốc Tử Giám", "B",
     None, "2025-12-31", "not_started", None],
]  # fmt: skip


# --------------------------------------------------------------------------
# The template


def test_template_for_tasks():
    book = openpyxl.load_workbook(io.BytesIO(template(Kind.TASKS)))
    assert book.sheetnames == ["Nhiệm vụ kế hoạch", "Danh mục", "Hướng dẫn"]
    sheet = book["Nhiệm vụ kế hoạch"]
    assert (
        [c.value for c in sheet[1]]
        == HEADERS
        == [
            "Năm",
            "Cấp",
            "Mã địa bàn",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Mã tụ điểm",
            "Mã phường, xã thực hiện",
            "Hạn hoàn thành",
            "Tình trạng",
            "Kết quả",
        ]
    )
    required = [c.value for c in sheet[1] if c.fill.fgColor.rgb.endswith("FCE4D6")]
    assert required == ["Năm", "Mã địa bàn", "Nhiệm vụ", "Đơn vị chủ trì", "Hạn hoàn thành"]
    rules = {str(r.sqref).split(":")[0]: r for r in sheet.data_validations.dataValidation}
    assert sorted(rules) == ["B2", "H2", "I2"]
    assert rules["H2"].type == "date"
    assert sheet["H2"].number_format == "DD/MM/YYYY"
    lists = book["Danh mục"]
    for letter, expected in (("B", ["Quận, huyện cũ", "Phường, xã"]),
                             ("I", ["Chưa thực hiện", "Đang thực hiện", "Đã hoàn thành"])):  # fmt: skip
        assert rules[f"{letter}2"].type == "list"
        cells = lists[rules[f"{letter}2"].formula1.split("!")[1].replace("$", "")]
        assert [row[0].value for row in cells] == expected
    assert t("task.state.overdue") not in TASK_STATE_CHOICES.values()
    assert list(TASK_STATE_CHOICES.values()) == [t(f"task.state.{s}") for s in store.TASK_STATES]
    guide = [row[0].value for row in book["Hướng dẫn"].iter_rows()]
    assert f"• {t('plans.import.rule.overdue')}" in guide
    example = book["Hướng dẫn"].cell(row=guide.index("Hạn hoàn thành") + 1, column=4)
    assert (example.value, example.number_format) == (dt.datetime(2026, 6, 30), "DD/MM/YYYY")
    assert guess_kind(HEADERS) == Kind.TASKS


# --------------------------------------------------------------------------
# A good file, re-import, updates


def test_a_good_file_imports_with_its_plans_and_one_audit_entry_per_row(spots):
    report = check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY)
    assert report.kind == Kind.TASKS
    assert report.errors == []
    assert report.counts() == {
        "rows": 4, "accepted": 4, "rejected": 0, "new": 4, "update": 0, "skip": 0, "unchanged": 0,
    }  # fmt: skip
    assert set(report.states().values()) == {"new"}
    assert table_rows(spots) == {"local_plan": [], "task": []}  # the dry run writes nothing
    logged = len(audit_rows(spots))

    assert apply(spots, report, OFFICE) == {
        "new": 4,
        "updated": 0,
        "skipped": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    plans = store.read_local_plans(spots, CITY)
    assert [(p.year, p.level, p.unit_code, p.doc_number, p.title, p.recorded_by)
            for p in plans.itertuples()] == [
        (2024, "district", "002", "", "", OFFICE),
        (2025, "ward", "00226", "", "", OFFICE),
        (2026, "ward", "00070", "", "", OFFICE),
    ]  # fmt: skip
    stored = tasks(spots).set_index("title")
    row = stored.loc["Kiểm tra, xử lý tại tụ điểm A"]
    assert (row.unit_code, row.state, row.ward_code, row.district_code) == (
        "00070",
        "in_progress",
        "00070",
        "002",
    )
    whole = stored.loc["Tuyên truyền phòng, chống tệ nạn"]
    assert (whole.hotspot_id != whole.hotspot_id, whole.ward_code, whole.state) == (
        True,
        "00070",
        "not_started",
    )
    assert whole.result == "=Đã phát 200 tờ rơi"
    ward = stored.loc["Rà soát cơ sở kinh doanh dịch vụ"]
    assert (ward.unit_code, ward.ward_code, ward.state) == ("002", "00070", "done")
    assert ward.deadline == dt.datetime(2024, 3, 15)
    assert set(stored["recorded_by"]) == {OFFICE}
    assert {d.date() for d in stored["updated_on"]} == {TODAY}

    new = audit_rows(spots)[logged:]
    assert [e["action"] for e in new] == [
        "import_plan_add", "import_task_add", "import_task_add", "import_plan_add", "import_task_add",
        "import_plan_add", "import_task_add", "import",
    ]  # fmt: skip
    assert (
        new[1]["summary"]
        == "Dòng 2: Kế hoạch năm 2026 · Phường Hoàn Kiếm · nhiệm vụ «Kiểm tra, xử lý tại tụ điểm A»"
    )
    assert new[0]["summary"] == "Dòng 2: tạo Kế hoạch năm 2026 · Phường Hoàn Kiếm khi nhập nhiệm vụ"
    assert (new[1]["entity"], new[1]["entity_code"]) == ("task", "00070")
    assert json.loads(new[1]["after"])["state"] == "in_progress"
    assert new[-1]["summary"].startswith("Nhập nhiệm vụ kế hoạch từ «nhiem-vu.xlsx»: 4 mới")


def test_a_row_of_a_stored_plan_adds_to_it(spots):
    localplans.save_local_plan(
        spots, {"year": 2026, "level": "ward", "unit_code": "00070", "doc_number": "12/KH-UBND",
                "doc_date": D(2026, 1, 15), "title": "Kế hoạch phòng, chống tệ nạn"}, OFFICE, TODAY,
    )  # fmt: skip
    before = store.read_local_plans(spots, CITY)
    report = check("nhiem-vu.xlsx", fill(GOOD[:2]), spots, today=TODAY)
    apply(spots, report, OFFICE)
    assert store.read_local_plans(spots, CITY).equals(before)  # the plan's document untouched
    assert "import_plan_add" not in [e["action"] for e in audit_rows(spots)]
    assert set(tasks(spots)["local_plan_id"]) == {int(before["id"].iloc[0])}


def test_reimport_is_unchanged(spots):
    data = fill(GOOD)
    apply(spots, check("nhiem-vu.xlsx", data, spots, today=TODAY), OFFICE)
    written, logged = table_rows(spots), len(audit_rows(spots))
    for on_duplicate in ("skip", "update"):
        again = check("nhiem-vu.xlsx", data, spots, today=TODAY, on_duplicate=on_duplicate)
        assert again.counts()["unchanged"] == 4 == again.counts()["rows"]
        assert set(again.states().values()) == {"unchanged"}
        assert apply(spots, again, OFFICE) == {"new": 0, "updated": 0, "skipped": 0, "unchanged": 4,
                                               "rejected": 0}  # fmt: skip
    assert table_rows(spots) == written
    assert [e["action"] for e in audit_rows(spots)[logged:]] == ["import", "import"]  # the imports only


def test_a_changed_state_is_an_update_with_before_and_after(spots):
    apply(spots, check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY), OFFICE)
    changed = [list(r) for r in GOOD]
    changed[0][8] = TASK_STATE_CHOICES["done"]
    changed[0][9] = "Đã xử lý 3 vụ vi phạm."
    changed[2][7] = "30/04/2024"  # a new deadline
    changed[2][4] = "Công an Quận Hoàn Kiếm"  # another responsible unit
    skipped = check("nhiem-vu.xlsx", fill(changed), spots, today=TODAY)
    assert skipped.counts() == {
        "rows": 4, "accepted": 4, "rejected": 0, "new": 0, "update": 0, "skip": 2, "unchanged": 2,
    }  # fmt: skip
    assert [r.changes for r in skipped.records if r.action == "duplicate"] == [
        {"state": ("in_progress", "done"), "result": ("", "Đã xử lý 3 vụ vi phạm.")},
        {"responsible": ("Phòng LĐTBXH Quận Hoàn Kiếm", "Công an Quận Hoàn Kiếm"),
         "deadline": (D(2024, 3, 15), D(2024, 4, 30))},
    ]  # fmt: skip

    update = check("nhiem-vu.xlsx", fill(changed), spots, today=TODAY, on_duplicate="update")
    assert update.states() == {0: "update", 1: "unchanged", 2: "update", 3: "unchanged"}
    logged = len(audit_rows(spots))
    assert apply(spots, update, "UBND Phường Hoàn Kiếm")["updated"] == 2
    entries = audit_rows(spots)[logged:]
    assert [e["action"] for e in entries] == ["import_task_update", "import_task_update", "import"]
    before, after = json.loads(entries[0]["before"]), json.loads(entries[0]["after"])
    assert (before["state"], before["result"]) == ("in_progress", "")
    assert (after["state"], after["result"]) == ("done", "Đã xử lý 3 vụ vi phạm.")
    assert after["recorded_by"] == "UBND Phường Hoàn Kiếm"
    assert json.loads(entries[1]["before"])["deadline"] == "2024-03-15"
    assert json.loads(entries[1]["after"])["deadline"] == "2024-04-30"
    stored = tasks(spots).set_index("title")
    assert stored.loc["Kiểm tra, xử lý tại tụ điểm A", "state"] == "done"
    assert stored.loc["Kiểm tra, xử lý tại tụ điểm A", "version"] == 2
    assert len(stored) == 4  # changed, not added
    assert check("nhiem-vu.xlsx", fill(changed), spots, today=TODAY).counts()["unchanged"] == 4


def test_a_task_with_another_title_or_place_is_another_task(spots):
    apply(spots, check("nhiem-vu.xlsx", fill(GOOD[:1]), spots, today=TODAY), OFFICE)
    other = [list(GOOD[0]), list(GOOD[0])]
    other[0][3] = "Kiểm tra lại tụ điểm A"
    other[1][5] = None  # the same title on the whole ward
    report = check("nhiem-vu.xlsx", fill(other), spots, today=TODAY)
    assert [r.action for r in report.records] == ["new", "new"]


# --------------------------------------------------------------------------
# The checks


BAD = [
    ([2026, None, "99999", "x", "y", None, None, "30/06/2026", None, None],
     "Mã địa bàn", "99999", "Không có phường, xã mã «99999»."),
    ([2026, None, "002", "x", "y", None, None, "30/06/2026", None, None],
     "Mã địa bàn", "002",
     "Năm 2026 không có kế hoạch cấp quận, huyện cũ: năm này kế hoạch do cấp phường, xã lập "
     "(quận, huyện cũ đến năm 2025, phường, xã từ năm 2025)."),
    ([2026, DISTRICT, "002", "x", "y", None, None, "30/06/2026", None, None],
     "Cấp", DISTRICT,
     "Năm 2026 không có kế hoạch cấp quận, huyện cũ: năm này kế hoạch do cấp phường, xã lập "
     "(quận, huyện cũ đến năm 2025, phường, xã từ năm 2025)."),
    ([2024, WARD, "00070", "x", "y", None, None, "30/06/2024", None, None],
     "Cấp", WARD,
     "Năm 2024 không có kế hoạch cấp phường, xã: năm này kế hoạch do cấp quận, huyện cũ lập "
     "(quận, huyện cũ đến năm 2025, phường, xã từ năm 2025)."),
    ([2018, None, "002", "x", "y", None, None, "30/06/2018", None, None],
     "Năm", "2018", "Năm 2018 ngoài khoảng nhận kế hoạch: từ 2019 đến 2027."),
    ([2025, None, "70", "x", "y", None, None, "30/06/2025", None, None],
     "Mã địa bàn", "70",
     "Năm 2025 có kế hoạch của cả quận, huyện cũ và phường, xã: ghi cột «Cấp» hoặc mã đủ 3 chữ số "
     "(quận, huyện cũ) hay 5 chữ số (phường, xã)."),
    ([2026, None, "00070", "x", "y", "B", None, "30/06/2026", None, None],
     "Mã tụ điểm", "B",
     "Tụ điểm «B» không thuộc Phường Hoàn Kiếm: nhiệm vụ chỉ giao trong địa bàn của kế hoạch."),
    ([2026, None, "00070", "x", "y", "TD-404", None, "30/06/2026", None, None],
     "Mã tụ điểm", "TD-404", "Không có tụ điểm mã «TD-404»."),
    ([2024, None, "002", "x", "y", None, "00226", "30/06/2024", None, None],
     "Mã phường, xã thực hiện", "00226",
     "Phường Văn Miếu - Quốc Tử Giám không thuộc Quận Hoàn Kiếm: nhiệm vụ chỉ giao trong địa bàn "
     "của kế hoạch."),
    ([2026, None, "00070", "x", "y", "A", "00070", "30/06/2026", None, None],
     "Mã phường, xã thực hiện", "00070",
     "Chỉ ghi một trong hai cột «Mã tụ điểm» hoặc «Mã phường, xã thực hiện»: nhiệm vụ tại tụ điểm "
     "đã thuộc phường, xã của tụ điểm."),
    ([2026, None, "00070", None, "y", None, None, "30/06/2026", None, None],
     "Nhiệm vụ", "", "Thiếu Nhiệm vụ."),
    ([2026, None, "00070", "x", None, None, None, "30/06/2026", None, None],
     "Đơn vị chủ trì", "", "Thiếu Đơn vị chủ trì."),
    ([2026, None, "00070", "x" * 301, "y", None, None, "30/06/2026", None, None],
     "Nhiệm vụ", "x" * 301, "«Nhiệm vụ» dài 301 ký tự, quá mức 300 ký tự."),
    ([2026, None, "00070", "x", "y" * 201, None, None, "30/06/2026", None, None],
     "Đơn vị chủ trì", "y" * 201, "«Đơn vị chủ trì» dài 201 ký tự, quá mức 200 ký tự."),
    ([2026, None, "00070", "x", "y", None, None, "30/06/2026", None, "r" * 1001],
     "Kết quả", "r" * 1001, "«Kết quả» dài 1001 ký tự, quá mức 1000 ký tự."),
    ([2026, None, "00070", "x", "y", None, None, "31/02/2026", None, None],
     "Hạn hoàn thành", "31/02/2026", "Ngày «31/02/2026» không tồn tại: tháng 2/2026 không có ngày 31."),
    ([2026, None, "00070", "x", "y", None, None, "cuối quý", None, None],
     "Hạn hoàn thành", "cuối quý",
     "«cuối quý» không phải là ngày: ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2020."),
    ([2026, None, "00070", "x", "y", None, None, None, None, None],
     "Hạn hoàn thành", "", "Thiếu ngày."),
    ([2026, None, "00070", "x", "y", None, None, "30/06/2030", None, None],
     "Hạn hoàn thành", "30/06/2030",
     "Hạn hoàn thành 30/06/2030 quá xa năm kế hoạch 2026: chỉ nhận hạn trong năm đó, "
     "năm trước hoặc năm sau."),
    ([2026, None, "00070", "x", "y", None, None, "30/06/2026", "Quá hạn", None],
     "Tình trạng", "Quá hạn",
     "Không nhập tình trạng «Quá hạn»: quá hạn được tính từ hạn hoàn thành, không ghi vào. "
     "Ghi tình trạng thực tế: Chưa thực hiện, Đang thực hiện hoặc Đã hoàn thành."),
    ([2026, None, "00070", "x", "y", None, None, "30/06/2026", "xong rồi", None],
     "Tình trạng", "xong rồi",
     "«xong rồi» không phải là tình trạng hợp lệ. Chọn một trong: Chưa thực hiện; Đang thực hiện; "
     "Đã hoàn thành."),
    ([*GOOD[0][:4], "Công an phường", *GOOD[0][5:]],
     "Nhiệm vụ", GOOD[0][3], "Trùng với dòng 2 (cùng kế hoạch, cùng nhiệm vụ, cùng nơi thực hiện)."),
]  # fmt: skip


@pytest.mark.parametrize("row, column, value, message", BAD, ids=[f"bad-{i}" for i in range(len(BAD))])
def test_every_check_names_the_row_and_column(spots, row, column, value, message):
    report = check("nhiem-vu.xlsx", fill([GOOD[0], row]), spots, today=TODAY)
    assert errors(report) == [(3, column, value, message)]
    assert report.states() == {0: "new", 1: "rejected"}
    assert report.messages() == {3: f"{column}: {message}"}


def test_a_rejected_row_is_never_written(spots):
    report = check("nhiem-vu.xlsx", fill([*GOOD, BAD[0][0]]), spots, today=TODAY)
    assert report.counts()["rejected"] == 1
    assert apply(spots, report, OFFICE)["rejected"] == 1
    assert sorted(tasks(spots)["title"]) == sorted(r[3] for r in GOOD)
    assert "99999" not in set(store.read_local_plans(spots, CITY)["unit_code"])


def test_a_file_with_one_bad_row_writes_nothing(spots, monkeypatch):
    """One row the store refuses at write time: no plan, no task, no audit entry is written."""
    report = check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY)
    real = store.insert_task
    calls = []

    def third_breaks_a_check(conn, row):
        calls.append(row["title"])
        return real(conn, row | ({"responsible": ""} if len(calls) == 3 else {}))

    monkeypatch.setattr(store, "insert_task", third_breaks_a_check)
    logged = len(audit_rows(spots))
    with pytest.raises(IntakeError) as caught:
        apply(spots, report, OFFICE)
    assert str(caught.value).startswith("Không ghi được:")
    assert str(caught.value).endswith("Không dòng nào được ghi; hãy kiểm tra lại rồi nhập lại.")
    assert len(calls) == 3
    assert table_rows(spots) == {"local_plan": [], "task": []}
    assert len(audit_rows(spots)) == logged


def test_a_store_changed_since_the_dry_run_writes_nothing(spots):
    apply(spots, check("nhiem-vu.xlsx", fill(GOOD[:1]), spots, today=TODAY), OFFICE)
    changed = [list(GOOD[0])]
    changed[0][8] = TASK_STATE_CHOICES["done"]
    report = check("nhiem-vu.xlsx", fill(changed + GOOD[1:]), spots, today=TODAY, on_duplicate="update")
    task_id = int(tasks(spots)["id"].iloc[0])
    localplans.update_task(spots, task_id, {"result": "Ghi trên trang"}, OFFICE, TODAY)
    written, logged = table_rows(spots), len(audit_rows(spots))
    with pytest.raises(IntakeError, match="thay đổi"):
        apply(spots, report, OFFICE)
    assert table_rows(spots) == written
    assert len(audit_rows(spots)) == logged


# --------------------------------------------------------------------------
# Export


def test_export_then_reimport_is_unchanged(spots, new_store_url):
    apply(spots, check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY), OFFICE)
    exported = export(spots, Kind.TASKS, CITY)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert data_rows(exported) == [
        [2024, DISTRICT, "002", "Rà soát cơ sở kinh doanh dịch vụ", "Phòng LĐTBXH Quận Hoàn Kiếm", None,
         "00070", dt.datetime(2024, 3, 15), "Đã hoàn thành", "Đã rà soát 12 cơ sở."],
        [2025, WARD, "00226", "Giữ vững tụ điểm B không tái phát", "Công an Phường Văn Miếu - Quốc Tử Giám",
         "B", None, dt.datetime(2025, 12, 31), "Chưa thực hiện", None],
        [2026, WARD, "00070", "Kiểm tra, xử lý tại tụ điểm A", "Công an Phường Hoàn Kiếm", "A", None,
         dt.datetime(2026, 6, 30), "Đang thực hiện", None],
        [2026, WARD, "00070", "Tuyên truyền phòng, chống tệ nạn", "UBND Phường Hoàn Kiếm", None, None,
         dt.datetime(2026, 12, 31), "Chưa thực hiện", "=Đã phát 200 tờ rơi"],
    ]  # fmt: skip
    assert sheet["H2"].number_format == "DD/MM/YYYY"
    formula = [c for c in sheet["J"] if c.value == "=Đã phát 200 tờ rơi"]
    assert formula and formula[0].data_type == "s"  # text stays text
    assert sheet["C2"].data_type == "s"  # "002" keeps its zeros

    again = check("du-lieu-tasks.xlsx", exported, spots, today=TODAY, on_duplicate="update")
    assert again.errors == []
    assert again.counts()["unchanged"] == again.counts()["rows"] == 4
    logged = len(audit_rows(spots))
    apply(spots, again, OFFICE)
    assert [e["action"] for e in audit_rows(spots)[logged:]] == ["import"]

    # into another store holding the same hotspots: the same tasks
    other = store.open_store(new_store_url("other"))
    for kind in (Kind.HOTSPOTS, Kind.TASKS):
        report = check(f"{kind.value}.xlsx", export(spots, kind, CITY), other, today=TODAY)
        assert report.errors == []
        apply(other, report, OFFICE)
    exported_again = export(other, Kind.TASKS, CITY)
    assert data_rows(exported_again) == data_rows(exported)
    assert check("tasks.xlsx", exported_again, spots, today=TODAY).counts()["unchanged"] == 4
    other.dispose()


def test_export_follows_the_scope(spots):
    apply(spots, check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY), OFFICE)
    ward = Scope(ward_codes=frozenset({"00226"}))
    assert [r[3] for r in data_rows(export(spots, Kind.TASKS, ward))] == ["Giữ vững tụ điểm B không tái phát"]


# --------------------------------------------------------------------------
# Accounts


@pytest.fixture
def officers(spots, monkeypatch):
    """An area officer of Phường Hoàn Kiếm (00070) and one of former Quận Hoàn Kiếm (002)."""
    monkeypatch.setattr(accounts, "HASHER", argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    add = accounts.add_user
    password = "mật khẩu đủ dài 2026"
    return {
        "ward": add(spots, "ld-phuonghk-01", password, "UBND Phường Hoàn Kiếm", Role.AREA_OFFICER, (),
                    ("00070",), actor=OFFICE),
        "district": add(spots, "ld-quanhk-01", password, "Phòng LĐTBXH Quận Hoàn Kiếm", Role.AREA_OFFICER,
                        ("002",), (), actor=OFFICE),
    }  # fmt: skip


def outside(row: int, ward: str | None, district: str | None, account) -> str:
    return t("enforce.outside_scope", row=row, place=unit_place(ward, district), username=account.username)


def test_an_area_officer_cannot_import_rows_of_another_ward(spots, officers):
    officer = officers["ward"]
    data = fill(GOOD)
    report = check("nhiem-vu.xlsx", data, spots, today=TODAY, account=officer)
    assert errors(report) == [
        (4, "Mã địa bàn", "2", outside(4, None, "002", officer)),
        (5, "Mã địa bàn", "00226", outside(5, "00226", None, officer)),
    ]
    assert [r.row for r in report.records] == [2, 3]
    logged = len(audit_rows(spots))
    assert apply(spots, report, officer)["new"] == 2
    new = audit_rows(spots)[logged:]
    assert {e["actor"] for e in new} == {"UBND Phường Hoàn Kiếm"}
    assert all(e["summary"].endswith("[ld-phuonghk-01]") for e in new)
    assert set(tasks(spots)["unit_code"]) == {"00070"}
    assert set(store.read_local_plans(spots, CITY)["recorded_by"]) == {"UBND Phường Hoàn Kiếm"}

    # the whole file's dry run (no account) written by the officer: refused, audited, nothing written
    everything = check("nhiem-vu.xlsx", data, spots, today=TODAY)
    written = table_rows(spots)
    with pytest.raises(DomainError):
        apply(spots, everything, officer)
    assert table_rows(spots) == written
    assert audit_rows(spots)[-1]["action"] == "denied"


def test_a_former_district_officer_writes_only_its_district_plans(spots, officers):
    """Who may write a plan's tasks is :func:`dashboard.localplans.plan_writable`'s rule."""
    officer = officers["district"]
    report = check("nhiem-vu.xlsx", fill(GOOD), spots, today=TODAY, account=officer)
    assert [r.row for r in report.records] == [4]
    units = {2: ("ward", "00070"), 3: ("ward", "00070"), 4: ("district", "002"), 5: ("ward", "00226")}
    assert [n for n, unit in units.items() if localplans.plan_writable(officer, *unit)] == [4]
    assert {p.row for p in report.errors} == {2, 3, 5}


def test_the_sample_tasks_export_and_reimport_unchanged(sample_engine):
    exported = export(sample_engine, Kind.TASKS, CITY)
    report = check("du-lieu-tasks.xlsx", exported, sample_engine, today=TODAY)
    assert report.errors == []
    assert report.counts()["rows"] == len(tasks(sample_engine)) > 0
    assert {r.action for r in report.records} == {"unchanged"}


def test_cli_template_import_and_export(spots, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", str(spots.url.render_as_string(hide_password=False)))
    monkeypatch.setenv("HOTSPOT_TODAY", TODAY.strftime("%d/%m/%Y"))
    blank = tmp_path / "mau.xlsx"
    assert cli.main(["template", "tasks", "--out", str(blank)]) == 0
    assert [c.value for c in openpyxl.load_workbook(blank).worksheets[0][1]] == HEADERS
    filled = tmp_path / "nhiem-vu.xlsx"
    filled.write_bytes(fill(GOOD))
    capsys.readouterr()
    assert cli.main(["import", str(filled), "--json"]) == 0  # the kind told by the headers
    result = json.loads(capsys.readouterr().out)
    assert (result["kind"], result["new"], result["written"]["new"]) == ("tasks", 4, 4)
    out = tmp_path / "du-lieu.xlsx"
    assert cli.main(["export", "tasks", "--out", str(out)]) == 0
    assert len(data_rows(out.read_bytes())) == 4
