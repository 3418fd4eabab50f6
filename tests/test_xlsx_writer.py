"""The .xlsx writer: sheets, typed cells and formula-injection guards, checked on the saved bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from dashboard.i18n import t
from dashboard.reports.model import Table
from dashboard.reports.xlsx_writer import safe_text, write_xlsx

BUILT = dt.date(2020, 10, 5)
RESULTS = Table(
    key="ket_qua_phuong",
    title="Kết quả theo phường: Đã triệt xóa, Tái hoạt động",
    columns=("Phường, xã", "Đã triệt xóa", "Tái hoạt động", "Tỷ lệ (%)", "Ngày bàn giao"),
    rows=(
        ("Phường Hoàn Kiếm", 2740, 3, 83.25, dt.date(2020, 9, 5)),
        ("Phường Cửa Nam", 1, 0, 100.0, None),
        ("Phường Ba Đình", 12, None, 50.0, dt.date(2020, 1, 15)),
    ),
    total=("Tổng cộng", 2753, 3, 77.75, None),
    decimals={3: 1},
    note="Ghi chú: «—» là chưa có số liệu.",
)
PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
HOSTILE = Table(
    key="=bad:key/with*chars?",
    title="=1+1",
    columns=("=Tên", "Giá trị"),
    rows=tuple((payload, i) for i, payload in enumerate(PAYLOADS)),
)


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    data = write_xlsx([RESULTS, HOSTILE], title="Báo cáo quý III năm 2020", built_on=BUILT)
    return reopen(data)


def table_rows(ws) -> list[tuple]:
    """Header, data and total rows of a table sheet (from row 3 down to the first empty row)."""
    rows = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def test_sheet_names(book):
    assert book.sheetnames[0] == t("doc.xlsx.info_sheet") == "Thông tin"
    assert book.sheetnames[1] == "ket_qua_phuong"
    assert len(book.sheetnames) == 3
    hostile = book.sheetnames[2]
    assert len(hostile) <= 31 and not set(hostile) & set("[]:*?/\\")


def test_sheet_names_are_unique_and_short():
    tables = [
        Table(key=key, title="x", columns=("a",), rows=((1,),))
        for key in ("Thông tin", "bang", "BANG", "b" * 31, "b" * 31)
    ]
    names = reopen(write_xlsx(tables, title="x")).sheetnames
    assert len(names) == len({n.casefold() for n in names}) == 6
    assert all(len(n) <= 31 for n in names)


def test_info_sheet(book):
    ws = book["Thông tin"]
    assert ws["A1"].value == "Báo cáo quý III năm 2020"
    assert ws["A1"].font.bold
    assert ws["A2"].value == "Ngày lập"
    assert ws["B2"].value == dt.datetime(2020, 10, 5)
    assert ws["B2"].number_format == "dd/mm/yyyy"
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "ket_qua_phuong" in values
    assert RESULTS.title in values
    link = next(c for row in ws.iter_rows() for c in row if c.value == "ket_qua_phuong")
    assert link.hyperlink.location == "'ket_qua_phuong'!A1"
    assert t("doc.public_note") not in values
    assert book.properties.title == "Báo cáo quý III năm 2020"
    assert book.properties.creator == t("doc.xlsx.creator")


def test_public_notice_on_the_info_sheet():
    ws = reopen(write_xlsx([RESULTS], title="x", public=True))["Thông tin"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert t("doc.public_note") in values


def test_table_sheet_layout(book):
    ws = book["ket_qua_phuong"]
    assert ws["A1"].value == RESULTS.title and ws["A1"].font.bold
    header = ws[3]
    assert tuple(c.value for c in header) == RESULTS.columns
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9E1F2") for c in header)
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:E6"
    assert ws.column_dimensions["A"].width >= len("Phường Hoàn Kiếm")
    note = [c.value for row in ws.iter_rows(min_row=8) for c in row if c.value]
    assert note == [RESULTS.note]


def test_numbers_are_numbers_and_dates_are_dates(book):
    ws = book["ket_qua_phuong"]
    rows = table_rows(ws)
    assert rows[1:] == [
        ("Phường Hoàn Kiếm", 2740, 3, 83.25, dt.datetime(2020, 9, 5)),
        ("Phường Cửa Nam", 1, 0, 100.0, None),
        ("Phường Ba Đình", 12, None, 50.0, dt.datetime(2020, 1, 15)),
        ("Tổng cộng", 2753, 3, 77.75, None),
    ]
    first = ws[4]
    assert isinstance(first[1].value, int) and first[1].number_format == "#,##0"
    assert isinstance(first[3].value, float) and first[3].number_format == "#,##0.0"
    assert first[4].is_date and first[4].number_format == "dd/mm/yyyy"
    assert ws["E6"].is_date and ws["E6"].value == dt.datetime(2020, 1, 15)


def test_total_row_is_bold_and_sums_the_rows(book):
    ws = book["ket_qua_phuong"]
    rows = table_rows(ws)
    data, total = rows[1:-1], rows[-1]
    for column in (1, 2):
        assert total[column] == sum(r[column] or 0 for r in data)
    assert all(c.font.bold for c in ws[7])
    assert not any(c.font.bold for c in ws[4])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_text_guards_formula_triggers(payload):
    assert safe_text(payload) == "'" + payload
    assert not safe_text(payload).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("text", ["Phường Hoàn Kiếm", "1-2", "a=b", "", "'quoted", " =1"])
def test_safe_text_leaves_plain_text(text):
    assert safe_text(text) == text


def test_injection_payloads_stay_text(book):
    ws = book[book.sheetnames[2]]
    assert ws["A1"].value == "'=1+1"
    assert ws["A3"].value == "'=Tên"
    column = [ws.cell(row=r, column=1) for r in range(4, 4 + len(PAYLOADS))]
    for cell, payload in zip(column, PAYLOADS, strict=True):
        assert cell.data_type == "s"
        # XML turns a stored CR into LF when read back; the guard is there either way.
        assert cell.value.replace("\n", "\r") == "'" + payload


def test_no_cell_is_a_formula(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_no_formula_in_the_saved_xml():
    data = write_xlsx([HOSTILE], title='=HYPERLINK("http://x","y")')
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
