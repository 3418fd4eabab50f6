"""The import against a hostile or careless user: formula injection in every
file the project writes, Excel error values, hostile archives (zip-slip, zip
and XML bombs), status rows judged each by its own step, and former ward names
typed without their district.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import re
import struct
import zipfile

import geopandas as gpd
import intake_corpus
import openpyxl
import pytest
import sqlalchemy as sa
from intake_corpus import (
    HOTSPOT_HEADERS,
    TODAY,
    csv_bytes,
    hotspot_table,
    shapefile_parts,
    xlsx_bytes,
    zip_of,
)
from shapely.geometry import Point

from dashboard import store
from dashboard.editing import DEPARTMENT_OFFICES
from dashboard.i18n import t
from dashboard.intake import cellsafe
from dashboard.intake.apply import apply
from dashboard.intake.cellsafe import put_text, safe_text, unguard
from dashboard.intake.files import MAX_RATIO, IntakeError, open_file
from dashboard.intake.schema import ERROR_HEADER, STATUS_CHOICES, Kind
from dashboard.intake.service import check
from dashboard.intake.units import UnitNotFound, resolve
from dashboard.intake.workbook import export, rejected_workbook, template
from dashboard.reports import xlsx_writer
from dashboard.scope import Scope

ACTOR = DEPARTMENT_OFFICES[1]
LAKE = (21.0287, 105.8524)
PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
#: What the import makes of a text: it trims spaces, tabs and line breaks and
#: makes runs of them one space (every text, since before this guard).
READ_BACK = {"\t=1": "=1", "\r=1": "=1"}
STATUS_HEADER = ["Mã tụ điểm", "Ngày", "Trạng thái mới", "Lý do"]
ACTIVITY_HEADER = ["Ngày", "Loại hoạt động", "Mã tụ điểm", "Địa bàn", "Đơn vị thực hiện", "Vi phạm phát hiện"]


def run(engine, data: bytes, name: str = "x.csv", **kw):
    return check(name, data, engine, today=TODAY, **kw)


def refused(name: str, data: bytes, **kw) -> str:
    with pytest.raises(IntakeError) as info:
        open_file(name, data, **kw)
    return str(info.value)


def problems(report, level="error"):
    return [(p.row, p.column, p.value, p.message) for p in report.problems if p.level == level]


def formula_cells(data: bytes) -> list[str]:
    """Cells of a saved workbook that a spreadsheet program evaluates, read two ways."""
    found = []
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            found += [f"{ws.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name)):
                found.append(name)
    return found


def texts_of(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s"]


# --------------------------------------------------------------------------- 1. formula injection


@pytest.fixture
def hostile_store(empty_engine):
    """A store whose every free text is one of the payloads (as older data or
    another tool may have left it: the import itself trims tabs)."""
    with empty_engine.begin() as conn:
        ids = store.add_hotspots(
            conn,
            [
                {"code": f"TD-{i}", "name": p, "kind": "public_area", "status": "active",
                 "lat": LAKE[0] + i * 0.0005, "lon": LAKE[1], "responsible_unit": p, "notes": p}
                for i, p in enumerate(PAYLOADS)
            ],
        )  # fmt: skip
        for spot_id, payload in zip(ids, PAYLOADS, strict=True):
            store.record_status(conn, spot_id, dt.date(2020, 1, 1), "active", payload, ACTOR)
            store.record_status(conn, spot_id, dt.date(2020, 3, 1), "clearing", payload, ACTOR)
        store.add_activities(
            conn,
            [{"date": dt.date(2020, 3, 2 + i), "kind": "patrol", "hotspot_id": spot_id, "unit": p,
              "violations_found": 1} for i, (spot_id, p) in enumerate(zip(ids, PAYLOADS, strict=True))],
        )  # fmt: skip
        for i, payload in enumerate(PAYLOADS):
            store.save_note(
                conn,
                {"month": dt.date(2020, 1 + i, 1), "level": "district", "unit_code": "002",
                 "difficulties": payload, "proposals": payload, "decisions": payload, "recorded_by": ACTOR},
            )  # fmt: skip
        h = store.hotspot
        places = conn.execute(sa.select(h.c.id, h.c.ward_code, h.c.district_code).order_by(h.c.id)).all()
        tasks = [
            {"title": p, "responsible": p, "result": p, "hotspot_id": spot_id, "ward_code": ward,
             "district_code": district, "deadline": dt.date(2024, 6, 30), "state": "in_progress",
             "recorded_by": ACTOR}
            for (spot_id, ward, district), p in zip(places, PAYLOADS, strict=True)
        ]  # fmt: skip
        store.add_local_plans(conn, [{"year": 2024, "level": "district", "unit_code": "002", "tasks": tasks}])
    return empty_engine


@pytest.mark.parametrize("kind", list(Kind))
def test_exports_hold_formula_texts_as_text(hostile_store, kind):
    data = export(hostile_store, kind, Scope.city())
    assert formula_cells(data) == []
    texts = texts_of(data)
    for payload in PAYLOADS:
        if kind == Kind.STATUS or payload[0] not in "\t\r":  # the status sheet holds the reasons
            assert payload in texts, payload
    book = openpyxl.load_workbook(io.BytesIO(data))
    guarded = [c for row in book.worksheets[0].iter_rows(min_row=2) for c in row if c.value in PAYLOADS]
    assert guarded and all(c.data_type == "s" and c.quotePrefix for c in guarded)


@pytest.mark.parametrize("kind", list(Kind))
def test_export_then_import_into_the_same_store_changes_nothing(hostile_store, kind):
    # The tab and CR payloads came back trimmed and were taken for changes.
    report = run(hostile_store, export(hostile_store, kind, Scope.city()), name="xuat.xlsx", kind=kind)
    assert report.errors == []
    assert report.records and {r.action for r in report.records} == {"unchanged"}


def test_export_then_import_into_an_empty_store_gives_the_stored_texts(hostile_store, new_store_url):
    fresh = store.open_store(new_store_url("fresh"))
    data = export(hostile_store, Kind.HOTSPOTS, Scope.city())
    apply(fresh, run(fresh, data, name="xuat.xlsx"), ACTOR)
    for kind in (Kind.STATUS, Kind.ACTIVITIES, Kind.NOTES, Kind.TASKS):
        report = run(fresh, export(hostile_store, kind, Scope.city()), name="xuat.xlsx", kind=kind)
        assert report.errors == [], kind
        apply(fresh, report, ACTOR)
    expected = {p: READ_BACK.get(p, p) for p in PAYLOADS}
    with fresh.connect() as conn:
        spots = conn.execute(sa.select(store.hotspot).order_by(store.hotspot.c.code)).mappings().all()
        reasons = set(conn.execute(sa.select(store.status_change.c.reason)).scalars())
        units = set(conn.execute(sa.select(store.activity.c.unit)).scalars())
        notes = set(conn.execute(sa.select(store.briefing_note.c.difficulties)).scalars())
        results = set(conn.execute(sa.select(store.task.c.result)).scalars())
    for spot, payload in zip(spots, PAYLOADS, strict=True):
        assert (spot["name"], spot["responsible_unit"], spot["notes"]) == (expected[payload],) * 3
    assert reasons == units == notes == results == set(expected.values())


def test_templates_hold_no_formula(hostile_store):
    for kind in Kind:
        assert formula_cells(template(kind)) == [], kind


def test_rejected_rows_keep_hostile_headers_and_cells_as_text(empty_engine):
    # The file's own headers went into the rejected-rows workbook as formulas.
    header = [*HOTSPOT_HEADERS, '=HYPERLINK("http://x","y")']
    rows = [
        ["TD-1", payload, "public_area", "active", "31/02/2020", LAKE[0], LAKE[1], payload]
        for payload in PAYLOADS[:5]
    ]
    report = run(empty_engine, csv_bytes([header, *rows]))
    assert len(report.rejected_rows) == 5
    data = rejected_workbook(report)
    assert formula_cells(data) == []
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows() if any(c.value is not None for c in row)]
    assert values[0][-2:] == ['=HYPERLINK("http://x","y")', ERROR_HEADER]
    assert [row[1] for row in values[1:]] == list(PAYLOADS[:5])
    assert all(row[-1] for row in values[1:])  # "Lỗi cần sửa" filled, as text


@pytest.mark.parametrize("text", [*PAYLOADS, "'=1", "''+2", "'quoted", "1-2", "a=b", "", " =1", "'"])
def test_one_guard_for_every_file_round_trips(text):
    guarded = safe_text(text)
    assert not guarded.startswith(cellsafe.FORMULA_TRIGGERS)
    assert unguard(guarded) == text
    assert xlsx_writer.safe_text is cellsafe.safe_text  # the reports use the same guard


def test_put_text_never_writes_a_formula():
    book = openpyxl.Workbook()
    for row, payload in enumerate(PAYLOADS, start=1):
        put_text(book.active.cell(row=row, column=1), payload)
    buffer = io.BytesIO()
    book.save(buffer)
    assert formula_cells(buffer.getvalue()) == []
    again = openpyxl.load_workbook(buffer).active
    assert [again.cell(row=r, column=1).value for r in range(1, 8)] == list(PAYLOADS)


def test_a_csv_guarded_as_owasp_says_imports_the_text_itself(empty_engine):
    # CSV has no cell types: a writer guards formula-like text with an apostrophe,
    # and the import takes exactly that apostrophe off (and leaves "'quoted" alone).
    texts = [*PAYLOADS[:5], "'=1", "'quoted"]
    rows = [
        [f"TD-{i}", safe_text(text), "public_area", "active", "01/01/2020", LAKE[0] + i * 0.001, LAKE[1]]
        for i, text in enumerate(texts)
    ]
    report = run(empty_engine, csv_bytes([HOTSPOT_HEADERS, *rows]))
    assert report.errors == []
    assert [r.values["name"] for r in report.records] == texts


# --------------------------------------------------------------------------- 2. Excel error values

ERRORS = ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!")


def error_message(row, column, value):
    return t("intake_safety.error_value", row=row, column=column, value=value)


def test_error_values_in_an_xlsx_are_refused_cell_by_cell(empty_engine):
    rows = [
        [f"TD-{i}", code, "public_area", "active", "01/01/2020", LAKE[0] + i * 0.001, LAKE[1]]
        for i, code in enumerate(ERRORS)
    ]
    rows.append(["TD-9", "Điểm tốt", "public_area", "#N/A", "#VALUE!", LAKE[0] + 0.01, LAKE[1]])
    rows.append(["TD-10", "Điểm tốt 2", "public_area", "active", "01/01/2020", LAKE[0] + 0.02, LAKE[1]])
    data = xlsx_bytes([("Tụ điểm", [HOTSPOT_HEADERS, *rows])])
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.active["B2"].data_type == "e"  # what Excel saves for a broken formula
    report = run(empty_engine, data, name="loi.xlsx")
    expected = [(i + 2, "Tên tụ điểm", code, error_message(i + 2, "Tên tụ điểm", code)) for i, code in
                enumerate(ERRORS)]  # fmt: skip
    expected += [
        (9, "Trạng thái", "#N/A", error_message(9, "Trạng thái", "#N/A")),
        (9, "Ngày xác định trạng thái", "#VALUE!", error_message(9, "Ngày xác định trạng thái", "#VALUE!")),
    ]
    assert problems(report) == expected
    assert [r.values["code"] for r in report.records] == ["TD-10"]


def test_error_values_in_a_csv_are_refused(empty_engine):
    with empty_engine.begin() as conn:
        store.add_hotspots(conn, [{"code": "TD-1", "name": "A", "kind": "public_area", "status": "active",
                                   "lat": LAKE[0], "lon": LAKE[1]}])  # fmt: skip
    rows = [
        ["TD-1", "01/03/2020", "clearing", "#REF!"],
        ["TD-1", "01/04/2020", "cleared", " #n/a "],
        ["TD-1", "01/05/2020", "handed_over", "Bàn giao"],
    ]
    report = run(empty_engine, csv_bytes([STATUS_HEADER, *rows]))
    assert problems(report)[:2] == [
        (2, "Lý do", "#REF!", error_message(2, "Lý do", "#REF!")),
        (3, "Lý do", "#N/A", error_message(3, "Lý do", "#N/A")),
    ]
    # the rejected rows take no part in the sequence: the last row is the hotspot's first status
    assert [r.row for r in report.records] == [4]


def test_error_values_in_an_xls_are_refused(empty_engine, monkeypatch):
    class Error:  # an Excel 97-2003 error cell (BOOLERR record, error flag set)
        def __init__(self, code):
            self.code = code

    plain = intake_corpus._xls_cell

    def cell(row, col, value):
        if isinstance(value, Error):
            return intake_corpus._record(0x0205, struct.pack("<HHHBB", row, col, 0, value.code, 1))
        return plain(row, col, value)

    monkeypatch.setattr(intake_corpus, "_xls_cell", cell)
    table = hotspot_table()
    table[1][1] = Error(0x17)  # #REF!
    report = run(empty_engine, intake_corpus.xls_bytes([("Tụ điểm", table)]), name="cu.xls")
    assert problems(report) == [(2, "Tên tụ điểm", "#REF!", error_message(2, "Tên tụ điểm", "#REF!"))]
    assert [r.values["code"] for r in report.records] == ["TD-902"]


# --------------------------------------------------------------------------- 3. archives


def shapefile_members() -> list[tuple[str, bytes]]:
    point = Point(LAKE[1], LAKE[0])
    frame = gpd.GeoDataFrame({"ma": ["TD-1"], "ten": ["Điểm A"]}, geometry=[point], crs=4326)
    return [(f"tu_diem{ext}", data) for ext, data in shapefile_parts(frame).items()]


def unsafe(name, member, why):
    reason = t(f"intake_safety.zip_path_{why}")
    return t("intake_safety.zip_unsafe_path", name=name, member=member, why=reason)


@pytest.mark.parametrize(
    ("member", "why"),
    [("../../etc/cron.d/x", "parent"), ("a/../../x.txt", "parent"), ("..\\..\\x.bat", "parent"),
     ("/etc/passwd", "absolute"), ("C:/Windows/x.dll", "absolute"), ("\\\\server\\x", "absolute")],
)  # fmt: skip
def test_zip_slip_is_refused_even_beside_good_members(member, why):
    data = zip_of([*shapefile_members(), (member, b"x")])
    assert refused("tu_diem.zip", data) == unsafe("tu_diem.zip", member, why)


def test_zip_slip_in_an_xlsx_is_refused():
    good = xlsx_bytes([("Tụ điểm", hotspot_table())])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist()]
    data = zip_of([*members, ("../evil.xml", b"<x/>")])
    assert refused("so_lieu.xlsx", data) == unsafe("so_lieu.xlsx", "../evil.xml", "parent")


def test_a_member_packed_like_a_bomb_is_refused_within_the_total_limit():
    limit = 1024 * 1024  # the zip may expand to 10 MB in all: 5 MB is within it
    data = zip_of([*shapefile_members(), ("tu_diem.txt", b"\x00" * (5 * 1024 * 1024))])
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("tu_diem.txt")
    ratio = info.file_size / info.compress_size
    assert ratio > MAX_RATIO
    assert refused("tu_diem.zip", data, limit=limit) == t(
        "intake_safety.zip_ratio", name="tu_diem.zip", member="tu_diem.txt",
        ratio=f"{ratio:,.0f}".replace(",", "."), size="5,0", max_ratio=MAX_RATIO,
    )  # fmt: skip


def test_real_files_pass_the_archive_checks(empty_engine):
    filled = template(Kind.HOTSPOTS)
    with pytest.raises(IntakeError, match="không có dòng dữ liệu"):  # past the archive checks
        open_file("mau.xlsx", filled, limit=1024 * 1024)
    assert open_file("tu_diem.zip", zip_of(shapefile_members())).rows


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol9;</t></si></sst>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_xml_bomb_in_an_xlsx_is_refused_before_openpyxl_reads_it(encoding):
    good = xlsx_bytes([("Tụ điểm", [["Tên tụ điểm"], ["A"]])])
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist()]
    body = BILLION_LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"').encode(encoding)
    members = [(n, body if n == "xl/sharedStrings.xml" else d) for n, d in members]
    if "xl/sharedStrings.xml" not in dict(members):
        members.append(("xl/sharedStrings.xml", body))
    data = zip_of(members)
    expected = t("intake_safety.xml_dtd", name="bom.xlsx", member="xl/sharedStrings.xml")
    assert refused("bom.xlsx", data) == expected


# --------------------------------------------------------------------------- 4. status rows by their own step


@pytest.fixture
def one_spot(empty_engine):
    with empty_engine.begin() as conn:
        spot = {"code": "TD-1", "name": "Điểm A", "kind": "public_area", "status": "active",
                "lat": LAKE[0], "lon": LAKE[1]}  # fmt: skip
        (spot_id,) = store.add_hotspots(conn, [spot])
        store.record_status(conn, spot_id, dt.date(2025, 1, 1), "active", "Phát hiện", ACTOR)
    return empty_engine


def history(engine) -> list[tuple]:
    sc = store.status_change
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(sc.c.date, sc.c.to_status).order_by(sc.c.date))]


MARCH = [
    ["TD-1", "10/03/2025", "clearing", "Triển khai"],
    ["TD-1", "20/03/2025", "handed_over", "Bàn giao sớm"],
    ["TD-1", "30/04/2025", "cleared", "Đánh giá đạt"],
]


def test_one_wrong_status_row_does_not_take_its_valid_neighbour_down(one_spot):
    # Before: the 10/03 row was rejected with the 20/03 row's fault, and the
    # history written went from active straight to cleared.
    report = run(one_spot, csv_bytes([STATUS_HEADER, *MARCH]))
    message = t(
        "intake_safety.step_from_row", row=3, old=STATUS_CHOICES["clearing"], old_row=2,
        old_date="10/03/2025", new=STATUS_CHOICES["handed_over"], date="20/03/2025", code="TD-1",
    )  # fmt: skip
    assert problems(report) == [(3, "Trạng thái mới", STATUS_CHOICES["handed_over"], message)]
    assert [r.row for r in report.records] == [2, 4]
    apply(one_spot, report, ACTOR)
    assert history(one_spot) == [
        (dt.date(2025, 1, 1), "active"),
        (dt.date(2025, 3, 10), "clearing"),
        (dt.date(2025, 4, 30), "cleared"),
    ]
    again = run(one_spot, csv_bytes([STATUS_HEADER, *MARCH]))
    assert [p[0] for p in problems(again)] == [3]
    assert [r.action for r in again.records] == ["unchanged", "unchanged"]


def test_the_verdicts_do_not_depend_on_the_order_of_the_rows(one_spot):
    for order in itertools.permutations(MARCH):
        report = run(one_spot, csv_bytes([STATUS_HEADER, *order]))
        kept = sorted(r.values["date"] for r in report.records)
        assert kept == [dt.date(2025, 3, 10), dt.date(2025, 4, 30)], order
        assert [p[2] for p in problems(report)] == [STATUS_CHOICES["handed_over"]]


def test_a_row_that_leads_nowhere_is_the_one_rejected(one_spot):
    rows = [
        ["TD-1", "10/03/2025", "cleared", "Ghi nhầm"],
        ["TD-1", "20/03/2025", "clearing", "Triển khai"],
        ["TD-1", "30/03/2025", "cleared", "Đánh giá đạt"],
    ]
    report = run(one_spot, csv_bytes([STATUS_HEADER, *rows]))
    message = t(
        "intake_safety.step_into_row", row=2, new=STATUS_CHOICES["cleared"], date="10/03/2025",
        next=STATUS_CHOICES["clearing"], next_row=3, next_date="20/03/2025", code="TD-1",
    )  # fmt: skip
    assert problems(report) == [(2, "Trạng thái mới", STATUS_CHOICES["cleared"], message)]
    assert [r.row for r in report.records] == [3, 4]


# --------------------------------------------------------------------------- 5. former ward names alone


@pytest.mark.parametrize(
    ("name", "ward", "district", "old"),
    [
        ("Phường Hàng Bạc", "Phường Hoàn Kiếm", "Quận Hoàn Kiếm", "Phường Hàng Bạc, Quận Hoàn Kiếm"),
        ("phuong lang ha", "Phường Láng", "Quận Đống Đa", "Phường Láng Hạ, Quận Đống Đa"),
        ("Phường Láng Hạ, Hà Nội", "Phường Láng", "Quận Đống Đa", "Phường Láng Hạ, Quận Đống Đa"),
    ],
)
def test_a_former_ward_name_alone_is_resolved_when_only_one_ward_had_it(name, ward, district, old):
    after = resolve(name, dt.date(2025, 8, 1))
    assert (after.name, after.note) == (ward, t("intake.unit.legacy_ward", old=old, ward=ward))
    before = resolve(name, dt.date(2020, 3, 1))
    note = t("intake.unit.legacy_district", old=old, district=district)
    assert (before.name, before.note) == (district, note)


def test_a_former_ward_name_two_districts_had_asks_for_the_district():
    with pytest.raises(UnitNotFound) as info:
        resolve("Phường Minh Khai", dt.date(2025, 8, 1))
    assert str(info.value) == t(
        "intake_safety.legacy_ambiguous",
        text="Phường Minh Khai",
        options="Phường Minh Khai, Quận Hai Bà Trưng; Phường Minh Khai, Quận Bắc Từ Liêm",
        example="Phường Minh Khai, Quận Hai Bà Trưng",
    )
    assert resolve("Phường Minh Khai, Quận Bắc Từ Liêm", dt.date(2020, 3, 1)).name == "Quận Bắc Từ Liêm"


def test_activities_in_former_wards_named_alone(empty_engine):
    rows = [
        ["01/08/2025", "patrol", "", "Phường Hàng Bạc", "Công an phường", 1],
        ["01/03/2020", "patrol", "", "Phường Láng Hạ", "Công an quận", 1],
        ["01/03/2020", "patrol", "", "Phường Minh Khai", "Công an quận", 1],
    ]
    report = run(empty_engine, csv_bytes([ACTIVITY_HEADER, *rows]))
    assert [(r.row, r.values["ward_code"], r.values["district_code"]) for r in report.records] == [
        (2, "00070", "002"),
        (3, None, "006"),
    ]
    assert [(p[0], p[1], p[2]) for p in problems(report)] == [(4, "Địa bàn", "Phường Minh Khai")]


def test_the_kept_rows_are_the_largest_valid_set():
    # Against every subset of the rows: no larger set of rows makes a valid history.
    from dashboard.intake.validate import Record, _fits, _longest_history

    statuses = list(STATUS_CHOICES)
    rng = random.Random(5)
    for _ in range(150):
        entries = [(dt.date(2020, 1, 1), 0, "active", None)]
        for i in range(rng.randint(1, 7)):
            stored = rng.random() < 0.2
            record = None if stored else Record(i + 2, i, {})
            entries.append((dt.date(2020, 1, 2 + i), 0 if stored else 1, rng.choice(statuses), record))
        files = [i for i, e in enumerate(entries) if e[3] is not None]
        largest = 0
        for size in range(len(files) + 1):
            for chosen in itertools.combinations(files, size):
                chain = sorted({i for i, e in enumerate(entries) if e[3] is None} | set(chosen))
                if all(_fits(entries, a, b) for a, b in zip([None, *chain], chain, strict=False)):
                    largest = max(largest, size)
        kept = sorted(_longest_history(entries))
        assert all(_fits(entries, a, b) for a, b in zip([None, *kept], kept, strict=False)), entries
        assert len([i for i in kept if entries[i][3] is not None]) == largest, entries
