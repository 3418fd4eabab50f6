"""Briefing notes (ý kiến giao ban): the store table and its migration, saving
with its checks and audit entries, scope, the ``notes`` import kind (template,
checks, re-import, export), the sample notes and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from pagetest import as_pre_alembic_store, run_revision

from dashboard import cli, queries, risk, sample, store
from dashboard.domain import DomainError, UnitLevel
from dashboard.editing import DEPARTMENT_OFFICES, actor_choices, save_briefing_note
from dashboard.intake import values as V
from dashboard.intake.apply import apply
from dashboard.intake.schema import COLUMNS, LEVEL_CHOICES, Kind, guess_kind
from dashboard.intake.service import check
from dashboard.intake.workbook import export, template
from dashboard.scope import Scope

D = dt.date
CITY = Scope.city()
TODAY = D(2026, 11, 20)
OFFICE = DEPARTMENT_OFFICES[1]
WARD_OFFICE = "UBND Phường Hoàn Kiếm"
HEADERS = [c.header for c in COLUMNS[Kind.NOTES]]
PRIVACY = (
    "Chỉ ghi nội dung về địa bàn, tụ điểm và công việc; không ghi họ tên, số giấy tờ, số điện thoại "
    "hay nơi ở của bất kỳ ai."
)


@pytest.fixture
def spots(empty_engine, make_store):
    """Two hotspots: A by Hoàn Kiếm lake (00070 / 002), B at Văn Miếu (00226 / 006)."""
    make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")]),
            "B": ("van_mieu", "service_business", [(D(2020, 1, 1), "active")]),
        },
    )
    return empty_engine


def note(**extra) -> dict:
    return {
        "month": D(2020, 3, 1),
        "level": "district",
        "unit_code": "002",
        "difficulties": "Lực lượng còn mỏng.",
        "proposals": "",
        "decisions": "Duy trì chốt trực.",
    } | extra


def notes(engine, scope=CITY) -> pd.DataFrame:
    return store.read_briefing_notes(engine, scope)


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


# --------------------------------------------------------------------------
# The table and its migration


def downgrade_to_v3(engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE briefing_note"))
        as_pre_alembic_store(conn, 3)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    return request.getfixturevalue("pg_url")


def test_migration_v4_adds_briefing_notes_to_a_v3_store(url, make_store):
    engine = store.open_store(url)
    make_store(
        engine,
        {"A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")])},
        activities=[{"hotspot": "A", "date": D(2020, 2, 1), "kind": "patrol"}],
    )
    with engine.begin() as conn:
        store.audit(conn, OFFICE, "status_change", "hotspot", entity_code="A", summary="một")
    downgrade_to_v3(engine)
    with engine.connect() as conn:
        assert store.schema_version(conn) == 3
        assert not sa.inspect(conn).has_table("briefing_note")
    engine.dispose()

    engine = store.open_store(url)
    try:
        with engine.connect() as conn:
            assert store.schema_version(conn) == store.SCHEMA_VERSION >= 4
            columns = {c["name"] for c in sa.inspect(conn).get_columns("briefing_note")}
        assert columns == {
            "id",
            "month",
            "level",
            "unit_code",
            "ward_code",
            "district_code",
            "difficulties",
            "proposals",
            "decisions",
            "recorded_by",
            "hotspot_codes",
        }
        assert len(store.read_hotspots(engine, CITY)) == 1
        assert len(store.read_activities(engine, CITY)) == 1
        assert [r["summary"] for r in audit_rows(engine)] == ["một"]
        assert notes(engine).empty
        save_briefing_note(engine, note(hotspot_codes="A"), OFFICE, TODAY)
        # Re-running the step changes nothing.
        with engine.begin() as conn:
            run_revision(conn, "0004")
        assert store.migrate(engine) == store.SCHEMA_VERSION
        assert len(notes(engine)) == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "row",
    [
        {"month": D(2025, 8, 1), "level": "district", "unit_code": "002", "district_code": "002"},
        {
            "month": D(2020, 3, 1),
            "level": "ward",
            "unit_code": "00070",
            "ward_code": "00070",
            "district_code": "002",
        },
        {"month": D(2020, 3, 1), "level": "district", "unit_code": "00070", "district_code": "002"},
        {"month": D(2020, 3, 1), "level": "city", "unit_code": "", "district_code": ""},
        {
            "month": D(2020, 3, 1),
            "level": "district",
            "unit_code": "002",
            "district_code": "002",
            "difficulties": "",
        },
    ],
    ids=["district-after-reform", "ward-before-reform", "ward-code-as-district", "city", "no-text"],
)
def test_the_database_refuses_inconsistent_notes(empty_engine, row):
    values = {"difficulties": "x"} | row
    with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
        conn.execute(store.briefing_note.insert().values(**values))


def test_one_note_per_unit_and_month_in_the_database(empty_engine):
    values = {
        "month": D(2020, 3, 1),
        "level": "district",
        "unit_code": "002",
        "district_code": "002",
        "decisions": "x",
    }
    with empty_engine.begin() as conn:
        conn.execute(store.briefing_note.insert().values(**values))
    with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
        conn.execute(store.briefing_note.insert().values(**values))


def test_clear_all_removes_notes(spots):
    save_briefing_note(spots, note(), OFFICE, TODAY)
    with spots.begin() as conn:
        store.clear_all(conn)
    assert notes(spots).empty


# --------------------------------------------------------------------------
# Saving, updating, the audit log


def test_save_then_update_with_audit(spots):
    message = save_briefing_note(spots, note(month=D(2020, 3, 17), hotspot_codes="A, A; B"), OFFICE, TODAY)
    assert message == "Đã ghi ý kiến giao ban tháng 03/2020 của Quận Hoàn Kiếm."
    (row,) = notes(spots).to_dict("records")
    assert row["month"] == pd.Timestamp(2020, 3, 1)
    assert (row["level"], row["unit_code"], row["ward_code"], row["district_code"]) == (
        "district",
        "002",
        None,
        "002",
    )
    assert (row["difficulties"], row["proposals"], row["decisions"]) == (
        "Lực lượng còn mỏng.",
        "",
        "Duy trì chốt trực.",
    )
    assert (row["hotspot_codes"], row["recorded_by"]) == ("A B", OFFICE)
    entry = audit_rows(spots)[-1]
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_code"]) == (
        OFFICE,
        "note_add",
        "briefing_note",
        "002",
    )
    assert entry["summary"] == "Giao ban tháng 03/2020 · Quận Hoàn Kiếm"
    assert entry["before"] is None
    assert json.loads(entry["after"]) == {
        "month": "03/2020",
        "level": "district",
        "unit_code": "002",
        "difficulties": "Lực lượng còn mỏng.",
        "proposals": "",
        "decisions": "Duy trì chốt trực.",
        "hotspot_codes": "A B",
        "recorded_by": OFFICE,
    }

    size = len(audit_rows(spots))
    again = note(hotspot_codes=["A", "B"])
    assert save_briefing_note(spots, again, OFFICE, TODAY) == (
        "Ý kiến giao ban tháng 03/2020 của Quận Hoàn Kiếm không thay đổi: không ghi gì thêm."
    )
    assert len(audit_rows(spots)) == size

    changed = note(proposals="  Đề nghị tăng kiểm tra.  ", hotspot_codes="")
    message = save_briefing_note(spots, changed, DEPARTMENT_OFFICES[0], TODAY)
    assert message == "Đã cập nhật ý kiến giao ban tháng 03/2020 của Quận Hoàn Kiếm."
    (row,) = notes(spots).to_dict("records")
    assert (row["proposals"], row["hotspot_codes"], row["recorded_by"]) == (
        "Đề nghị tăng kiểm tra.",
        "",
        DEPARTMENT_OFFICES[0],
    )
    entry = audit_rows(spots)[-1]
    assert entry["action"] == "note_update"
    assert json.loads(entry["before"]) == {
        "difficulties": "Lực lượng còn mỏng.",
        "proposals": "",
        "decisions": "Duy trì chốt trực.",
        "hotspot_codes": "A B",
        "recorded_by": OFFICE,
    }
    after = json.loads(entry["after"])
    assert (after["proposals"], after["hotspot_codes"], after["recorded_by"]) == (
        "Đề nghị tăng kiểm tra.",
        "",
        DEPARTMENT_OFFICES[0],
    )


def test_a_ward_note_after_the_reform(spots):
    row = note(month=D(2025, 7, 1), level=UnitLevel.WARD, unit_code="00070")
    assert save_briefing_note(spots, row, WARD_OFFICE, TODAY) == (
        "Đã ghi ý kiến giao ban tháng 07/2025 của Phường Hoàn Kiếm."
    )
    (stored,) = notes(spots).to_dict("records")
    assert (stored["ward_code"], stored["district_code"], stored["recorded_by"]) == (
        "00070",
        "002",
        WARD_OFFICE,
    )


LONG = "x" * 4001


@pytest.mark.parametrize(
    ("change", "actor", "message"),
    [
        (
            {},
            "Tổ công tác số 3",
            "«Tổ công tác số 3» không có trong danh sách đơn vị được ghi nhận thay đổi.",
        ),
        (
            {"month": D(2026, 12, 1), "level": "ward", "unit_code": "00070"},
            OFFICE,
            "Tháng 12/2026 chưa đến (hôm nay là 20/11/2026): không ghi trước ý kiến giao ban.",
        ),
        ({"month": D(1999, 12, 1)}, OFFICE, "Tháng 12/1999 quá xa: chỉ nhận từ tháng 01/2000."),
        (
            {"level": "city"},
            OFFICE,
            "Cấp địa bàn «city» không hợp lệ: dùng district (quận/huyện) hoặc ward (phường/xã).",
        ),
        (
            {"month": D(2025, 7, 1)},
            OFFICE,
            "Tháng 07/2025 giao ban theo cấp phường/xã, không phải cấp quận/huyện "
            "(quận/huyện đến 06/2025, phường/xã từ 07/2025).",
        ),
        (
            {"month": D(2025, 6, 1), "level": "ward", "unit_code": "00070"},
            OFFICE,
            "Tháng 06/2025 giao ban theo cấp quận/huyện, không phải cấp phường/xã "
            "(quận/huyện đến 06/2025, phường/xã từ 07/2025).",
        ),
        ({"unit_code": "999"}, OFFICE, "Không có quận/huyện mã «999»."),
        ({"unit_code": "00070"}, OFFICE, "Không có quận/huyện mã «00070»."),
        (
            {"difficulties": "  ", "proposals": "", "decisions": None},
            OFFICE,
            "Quận Hoàn Kiếm, tháng 03/2020: cần ghi ít nhất một trong «Khó khăn, vướng mắc», "
            "«Đề xuất, kiến nghị», «Kết luận, nhiệm vụ».",
        ),
        ({"decisions": LONG}, OFFICE, "«Kết luận, nhiệm vụ» dài 4001 ký tự, tối đa 4000."),
        (
            {"hotspot_codes": "A TD-404 X"},
            OFFICE,
            "Tụ điểm liên quan: không có tụ điểm mã «TD-404», «X» trong dữ liệu.",
        ),
    ],
    ids=[
        "actor",
        "future",
        "early",
        "level",
        "district-after",
        "ward-before",
        "unit",
        "ward-code",
        "no-text",
        "long",
        "hotspots",
    ],
)
def test_every_check_says_what_is_wrong_and_writes_nothing(spots, change, actor, message):
    size = len(audit_rows(spots))
    with pytest.raises(DomainError) as info:
        save_briefing_note(spots, note(**change), actor, TODAY)
    assert str(info.value) == message
    assert notes(spots).empty
    assert len(audit_rows(spots)) == size


def test_the_current_month_is_accepted(spots):
    row = note(month=D(2026, 11, 30), level="ward", unit_code="00070")
    assert save_briefing_note(spots, row, OFFICE, TODAY).startswith("Đã ghi ý kiến giao ban tháng 11/2026")


# --------------------------------------------------------------------------
# Scope and the dataset


@pytest.fixture
def three_notes(spots):
    save_briefing_note(spots, note(), OFFICE, TODAY)
    save_briefing_note(spots, note(month=D(2025, 7, 1), level="ward", unit_code="00070"), OFFICE, TODAY)
    save_briefing_note(spots, note(month=D(2025, 8, 1), level="ward", unit_code="00226"), OFFICE, TODAY)
    return spots


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (CITY, ["002", "00070", "00226"]),
        (Scope(district_codes=frozenset({"002"})), ["002", "00070"]),
        (Scope(ward_codes=frozenset({"00070"})), ["00070"]),
        (Scope(district_codes=frozenset({"006"})), ["00226"]),
        (Scope(district_codes=frozenset({"003"})), []),
        (Scope(ward_codes=frozenset()), []),
    ],
)
def test_notes_follow_the_scope(three_notes, scope, expected):
    found = notes(three_notes, scope)
    assert found["unit_code"].tolist() == expected
    assert str(found["month"].dtype).startswith("datetime64")


def test_dataset_holds_notes_and_risk_until_cuts_them(three_notes):
    ds = queries.load_dataset(three_notes, CITY)
    assert ds.notes["unit_code"].tolist() == ["002", "00070", "00226"]
    assert risk.until(ds, D(2025, 7, 31)).notes["unit_code"].tolist() == ["002", "00070"]
    bare = queries.Dataset(ds.hotspots, ds.history, ds.activities, ds.plans, ds.targets)
    assert bare.notes.empty
    assert tuple(bare.notes.columns) == store.NOTE_COLUMNS
    assert risk.until(bare, D(2025, 7, 31)).notes.empty


# --------------------------------------------------------------------------
# Months in cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/2020", D(2020, 3, 1)),
        ("3/2020", D(2020, 3, 1)),
        ("03-2020", D(2020, 3, 1)),
        ("Tháng 3/2020", D(2020, 3, 1)),
        ("2020-03", D(2020, 3, 1)),
        ("17/03/2020", D(2020, 3, 1)),
        ("2020-03-17", D(2020, 3, 1)),
        (43907, D(2020, 3, 1)),
        (dt.datetime(2020, 3, 17, 9, 30), D(2020, 3, 1)),
        (D(2020, 3, 17), D(2020, 3, 1)),
        ("25/11/2026", D(2026, 11, 1)),
    ],
)
def test_month_cells(value, expected):
    assert V.month(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Thiếu tháng."),
        ("12/2026", "Tháng 12/2026 chưa đến (hôm nay là 20/11/2026)."),
        ("13/2020", "«13/2020» không có tháng 13: ghi theo dạng mm/yyyy."),
        ("03/20", "«03/20»: năm cần ghi đủ 4 chữ số, ví dụ 03/2020."),
        ("tháng ba", "«ba» không phải là tháng: ghi theo dạng mm/yyyy, ví dụ 03/2020."),
        ("12/1999", "Tháng 12/1999 quá xa: chỉ nhận từ 01/2000."),
        ("31/02/2020", "Ngày «31/02/2020» không tồn tại: tháng 2/2020 không có ngày 31."),
    ],
)
def test_bad_month_cells(value, message):
    with pytest.raises(V.ValueProblem) as info:
        V.month(value, TODAY)
    assert str(info.value) == message


# --------------------------------------------------------------------------
# Import


def fill(rows: list[list], data: bytes | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data or template(Kind.NOTES)))
    ws = wb.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text ('=…), as an officer would
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def data_rows(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def problems(report) -> list[tuple]:
    return [(p.row, p.column, p.value, p.message, p.level) for p in report.problems]


DISTRICT, WARD = LEVEL_CHOICES["district"], LEVEL_CHOICES["ward"]


def test_template_for_notes():
    book = openpyxl.load_workbook(io.BytesIO(template(Kind.NOTES)))
    assert book.sheetnames == ["Ý kiến giao ban", "Danh mục", "Hướng dẫn"]
    sheet = book["Ý kiến giao ban"]
    assert (
        [c.value for c in sheet[1]]
        == HEADERS
        == [
            "Tháng",
            "Cấp địa bàn",
            "Địa bàn",
            "Khó khăn, vướng mắc",
            "Đề xuất, kiến nghị",
            "Kết luận, nhiệm vụ",
            "Tụ điểm liên quan (mã)",
            "Đơn vị ghi nhận",
        ]
    )
    assert [c.header for c in COLUMNS[Kind.NOTES] if c.required] == ["Tháng", "Địa bàn"]
    assert sheet["A2"].number_format == "MM/YYYY"
    rules = {str(r.sqref).split(":")[0]: r for r in sheet.data_validations.dataValidation}
    assert rules["A2"].type == "date"
    assert rules["B2"].type == "list"
    guide = [row[0].value for row in book["Hướng dẫn"].iter_rows()]
    assert (
        "• Ý kiến giao ban chỉ ghi về địa bàn, tụ điểm và công việc: không ghi họ tên, số giấy tờ, "
        "số điện thoại hay nơi ở của bất kỳ ai."
    ) in guide
    example = book["Hướng dẫn"].cell(row=guide.index("Tháng") + 1, column=4)
    assert (example.value, example.number_format) == (dt.datetime(2020, 3, 1), "MM/YYYY")
    assert guess_kind(HEADERS) == Kind.NOTES


GOOD = [
    [
        "03/2020",
        DISTRICT,
        "Quận Hoàn Kiếm",
        "Lực lượng mỏng.",
        None,
        "Duy trì chốt trực tại A.",
        "A",
        OFFICE.upper(),
    ],
    [
        dt.datetime(2025, 7, 15),
        None,
        "phuong hoan kiem",
        None,
        "Đề nghị kiểm tra liên ngành.",
        None,
        "A B",
        None,
    ],
    [
        "08/2025",
        WARD,
        "00226",
        "=Tụ điểm B tái diễn",
        None,
        None,
        None,
        "UBND Phường Văn Miếu - Quốc Tử Giám",
    ],
    ["04/2020", None, "Phường Hàng Bạc, Quận Hoàn Kiếm", "Tuyên truyền.", None, None, None, None],
]
BAD = [
    ["12/2026", None, "Quận Hoàn Kiếm", "x", None, None, None, None],
    ["03/2020", WARD, "Quận Hoàn Kiếm", "x", None, None, None, None],
    ["08/2025", None, "Quận Hoàn Kiếm", "x", None, None, None, None],
    ["03/2020", None, "Phường Hoàn Kiếm", "x", None, None, None, None],
    ["03/2020", None, "999", "x", None, None, None, None],
    ["03/2020", None, "Quận Đống Đa", None, None, None, None, None],
    ["03/2020", None, "Quận Đống Đa", "x", None, None, "A TD-404", "Tổ công tác số 3"],
    ["03/2020", None, "002", "y", None, None, None, None],
    ["03/2020", None, "Quận Đống Đa", "x" * 4001, None, None, None, None],
]


def test_import_checks_good_and_bad_rows(spots):
    report = check("giao-ban.xlsx", fill(GOOD + BAD), spots, today=TODAY)
    assert report.kind == Kind.NOTES
    assert [p for p in problems(report) if p[4] == "error"] == [
        (6, "Tháng", "12/2026", "Tháng 12/2026 chưa đến (hôm nay là 20/11/2026).", "error"),
        (
            7,
            "Cấp địa bàn",
            WARD,
            "Tháng 03/2020 giao ban theo cấp quận/huyện, không phải phường/xã.",
            "error",
        ),
        (
            8,
            "Địa bàn",
            "Quận Hoàn Kiếm",
            "«Quận Hoàn Kiếm» là quận/huyện; tháng 08/2025 giao ban theo cấp "
            "phường/xã: ghi phường/xã tổ chức giao ban.",
            "error",
        ),
        (
            9,
            "Địa bàn",
            "Phường Hoàn Kiếm",
            "«Phường Hoàn Kiếm» là phường/xã; tháng 03/2020 giao ban theo cấp "
            "quận/huyện: ghi quận/huyện tổ chức giao ban.",
            "error",
        ),
        (10, "Địa bàn", "999", "Không có quận/huyện mã «999».", "error"),
        (
            11,
            "Khó khăn, vướng mắc",
            "",
            "Cần ghi ít nhất một trong ba cột «Khó khăn, vướng mắc», "
            "«Đề xuất, kiến nghị», «Kết luận, nhiệm vụ».",
            "error",
        ),
        (
            12,
            "Tụ điểm liên quan (mã)",
            "A TD-404",
            "Không có tụ điểm mã «TD-404» trong dữ liệu: nhập tụ điểm trước.",
            "error",
        ),
        (
            12,
            "Đơn vị ghi nhận",
            "Tổ công tác số 3",
            "«Tổ công tác số 3» không có trong danh sách đơn vị ghi "
            "nhận (các cơ quan thành phố và UBND phường/xã).",
            "error",
        ),
        (13, "Địa bàn", "002", "Trùng với dòng 2 (cùng tháng, cùng địa bàn).", "error"),
        (14, "Khó khăn, vướng mắc", "x" * 4001, "Dài 4001 ký tự, tối đa 4000.", "error"),
    ]
    assert [p for p in problems(report) if p[4] == "warning"] == [
        (
            5,
            "Địa bàn",
            "Phường Hàng Bạc, Quận Hoàn Kiếm",
            "Tên cũ «Phường Hàng Bạc, Quận Hoàn Kiếm» (trước 01/07/2025): tính cho Quận Hoàn Kiếm.",
            "warning",
        ),
    ]
    assert report.counts() == {
        "rows": 13,
        "accepted": 4,
        "rejected": 9,
        "new": 4,
        "update": 0,
        "skip": 0,
        "unchanged": 0,
    }
    assert [(r.row, r.values["unit_code"], r.values["month"]) for r in report.records] == [
        (2, "002", D(2020, 3, 1)),
        (3, "00070", D(2025, 7, 1)),
        (4, "00226", D(2025, 8, 1)),
        (5, "002", D(2020, 4, 1)),
    ]

    assert apply(spots, report, OFFICE) == {
        "new": 4,
        "updated": 0,
        "skipped": 0,
        "unchanged": 0,
        "rejected": 9,
    }
    stored = notes(spots).set_index("unit_code")
    assert stored.loc["002", "recorded_by"].tolist() == [
        OFFICE,
        OFFICE,
    ]  # the listed office; blank: the importer
    assert stored.loc["00070", "hotspot_codes"] == "A B"
    assert stored.loc["00226", "difficulties"] == "=Tụ điểm B tái diễn"
    assert stored.loc["00226", "recorded_by"] == "UBND Phường Văn Miếu - Quốc Tử Giám"
    actions = [r["action"] for r in audit_rows(spots)]
    assert actions[-5:] == ["import_note"] * 4 + ["import"]
    assert audit_rows(spots)[-5]["summary"] == "Dòng 2: giao ban tháng 03/2020 · Quận Hoàn Kiếm"


def test_reimport_is_unchanged_and_changes_are_skipped_or_updated(spots):
    data = fill(GOOD)
    apply(spots, check("giao-ban.xlsx", data, spots, today=TODAY), OFFICE)
    size = len(audit_rows(spots))
    again = check("giao-ban.xlsx", data, spots, today=TODAY)
    assert again.counts()["unchanged"] == 4 == again.counts()["rows"]
    assert apply(spots, again, OFFICE)["new"] == 0
    assert len(audit_rows(spots)) == size + 1  # the import itself only

    changed = [list(r) for r in GOOD]
    changed[0][4] = "Đề nghị bổ sung kinh phí."
    skipped = check("giao-ban.xlsx", fill(changed), spots, today=TODAY)
    assert skipped.counts() == {
        "rows": 4,
        "accepted": 4,
        "rejected": 0,
        "new": 0,
        "update": 0,
        "skip": 1,
        "unchanged": 3,
    }
    (record,) = [r for r in skipped.records if r.action == "duplicate"]
    assert record.changes == {"proposals": ("", "Đề nghị bổ sung kinh phí.")}
    update = check("giao-ban.xlsx", fill(changed), spots, today=TODAY, on_duplicate="update")
    assert apply(spots, update, OFFICE)["updated"] == 1
    entry = audit_rows(spots)[-2]
    assert entry["action"] == "import_note_update"
    assert json.loads(entry["before"])["proposals"] == ""
    assert json.loads(entry["after"])["proposals"] == "Đề nghị bổ sung kinh phí."
    assert (
        notes(spots).set_index("month").loc[pd.Timestamp(2020, 3, 1), "proposals"]
        == "Đề nghị bổ sung kinh phí."
    )


def test_legacy_encoded_text_is_converted(spots):
    from dashboard.textfix import to_tcvn3

    legacy = to_tcvn3("Lực lượng tuần tra còn mỏng")
    report = check("giao-ban.xlsx", fill([["03/2020", None, "Quận Hoàn Kiếm", legacy]]), spots, today=TODAY)
    (record,) = report.records
    assert record.values["difficulties"] == "Lực lượng tuần tra còn mỏng"
    assert [p.level for p in report.problems] == ["warning"]


def test_export_import_round_trip(spots, new_store_url):
    apply(spots, check("giao-ban.xlsx", fill(GOOD), spots, today=TODAY), OFFICE)
    exported = export(spots, Kind.NOTES, CITY)
    rows = data_rows(exported)
    assert rows[0] == [
        dt.datetime(2020, 3, 1),
        DISTRICT,
        "Quận Hoàn Kiếm",
        "Lực lượng mỏng.",
        None,
        "Duy trì chốt trực tại A.",
        "A",
        OFFICE,
    ]
    ws = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    assert ws["A2"].number_format == "MM/YYYY"
    formula = [c for c in ws["D"] if c.value == "=Tụ điểm B tái diễn"]
    assert formula and formula[0].data_type == "s"  # text stays text

    other = store.open_store(new_store_url("other"))
    for kind in (Kind.HOTSPOTS, Kind.NOTES):
        report = check(f"{kind.value}.xlsx", export(spots, kind, CITY), other, today=TODAY)
        assert report.errors == []
        apply(other, report, OFFICE)
    columns = [c for c in store.NOTE_COLUMNS if c != "id"]
    assert notes(other)[columns].equals(notes(spots)[columns])
    again = check("notes.xlsx", export(other, Kind.NOTES, CITY), spots, today=TODAY)
    assert again.counts()["unchanged"] == again.counts()["rows"] == 4
    other.dispose()


def test_cli_template_export_and_import(spots, monkeypatch, tmp_path, capsys):
    url = str(spots.url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOTSPOT_TODAY", TODAY.strftime("%d/%m/%Y"))
    blank = tmp_path / "mau.xlsx"
    assert cli.main(["template", "notes", "--out", str(blank)]) == 0
    assert [c.value for c in openpyxl.load_workbook(blank).worksheets[0][1]] == HEADERS
    filled = tmp_path / "giao-ban.xlsx"
    filled.write_bytes(fill(GOOD[:2], blank.read_bytes()))
    capsys.readouterr()
    assert cli.main(["import", str(filled), "--kind", "notes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["kind"], result["new"], result["written"]["new"]) == ("notes", 2, 2)
    out = tmp_path / "du-lieu.xlsx"
    assert cli.main(["export", "notes", "--out", str(out)]) == 0
    assert len(data_rows(out.read_bytes())) == 2


# --------------------------------------------------------------------------
# Sample notes


@pytest.fixture(scope="module")
def generated():
    return sample.generate()


def test_sample_notes_are_deterministic_and_valid(generated, sample_engine):
    assert generated.notes == sample.generate().notes
    assert 100 < len(generated.notes) < 400
    offices = set(actor_choices())
    codes = {s.code for s in generated.hotspots}
    months = set()
    for n in generated.notes:
        months.add(n["month"])
        assert n["month"].day == 1 and (n["month"].month - 1) % 3 == 0
        assert n["level"] == store.note_level(n["month"])
        assert len(n["unit_code"]) == (3 if n["level"] == UnitLevel.DISTRICT else 5)
        assert n["recorded_by"] in offices
        assert any(n[c] for c in store.NOTE_TEXTS)
        assert set(n["hotspot_codes"].split()) <= codes
        for code in n["hotspot_codes"].split():
            assert code in n["decisions"]
    assert min(months) == D(2019, 1, 1) and max(months) == D(2026, 10, 1)
    assert sum(bool(n["hotspot_codes"]) for n in generated.notes) > 20
    stored = notes(sample_engine)
    assert len(stored) == len(generated.notes)
    assert queries.load_dataset(sample_engine, CITY).notes.shape == stored.shape


# --------------------------------------------------------------------------
# PostgreSQL


def test_postgresql_round_trip(pg_url, sample_engine):
    engine = store.open_store(pg_url)
    try:
        for kind in (Kind.HOTSPOTS, Kind.NOTES):
            report = check(f"{kind.value}.xlsx", export(sample_engine, kind, CITY), engine, today=TODAY)
            assert report.errors == []
            apply(engine, report, OFFICE)
        columns = [c for c in store.NOTE_COLUMNS if c != "id"]
        assert notes(engine)[columns].equals(notes(sample_engine)[columns])
        again = check("notes.xlsx", export(sample_engine, Kind.NOTES, CITY), engine, today=TODAY)
        assert again.counts()["unchanged"] == again.counts()["rows"]
        ward = notes(engine)["unit_code"].iloc[-1]
        row = {"month": D(2026, 11, 1), "level": "ward", "unit_code": ward, "decisions": "Giao ban tháng 11."}
        assert save_briefing_note(engine, row, OFFICE, TODAY).startswith(
            "Đã ghi ý kiến giao ban tháng 11/2026"
        )
        row["decisions"] = "Giao ban tháng 11, bổ sung."
        assert save_briefing_note(engine, row, OFFICE, TODAY).startswith("Đã cập nhật")
        district = Scope(district_codes=frozenset({"002"}))
        assert (
            notes(engine, district)["unit_code"].tolist()
            == notes(sample_engine, district)["unit_code"].tolist()
        )
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(
                store.briefing_note.insert().values(
                    month=D(2025, 8, 1), level="district", unit_code="002", district_code="002", decisions="x"
                )
            )
    finally:
        engine.dispose()


def test_the_level_defaults_to_the_one_in_force(spots):
    row = note(month=D(2025, 9, 1), unit_code="00070")
    del row["level"]
    save_briefing_note(spots, row, OFFICE, TODAY)
    assert notes(spots)["level"].tolist() == ["ward"]
