"""Tests of the import pipeline: cell parsers (:mod:`dashboard.intake.values`),
validation (:mod:`dashboard.intake.validate`), writing (:mod:`dashboard.intake.apply`),
the Excel workbooks (:mod:`dashboard.intake.workbook`) and full round trips.

Inputs are built as small CSV files (or xlsx/GeoJSON where the format matters)
and go through :func:`dashboard.intake.service.check`, as the app and the CLI do.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import random
import unicodedata

import openpyxl
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from intake_corpus import HOTSPOT_HEADERS
from openpyxl.utils.datetime import from_excel
from shapely.geometry import LineString, Polygon, mapping

from dashboard import coords, store
from dashboard.domain import UnitLevel
from dashboard.editing import DEPARTMENT_OFFICES
from dashboard.intake import values as V
from dashboard.intake.apply import apply
from dashboard.intake.files import IntakeError
from dashboard.intake.schema import COLUMNS, ERROR_HEADER, Kind
from dashboard.intake.service import check
from dashboard.intake.units import resolve
from dashboard.intake.workbook import export, rejected_workbook, template
from dashboard.scope import Scope
from dashboard.textfix import to_tcvn3

CITY = Scope.city()
TODAY = dt.date(2026, 11, 20)
ACTOR = DEPARTMENT_OFFICES[1]

# Well-known points (WGS84) and the wards they lie in since 01/07/2025.
LAKE = (21.0287, 105.8524)  # Hồ Hoàn Kiếm: Phường Hoàn Kiếm (00070), former Quận Hoàn Kiếm (002)
WEST_LAKE = (21.0560, 105.8190)  # Phường Tây Hồ (00103), former Quận Tây Hồ (003)
HOA_LO = (21.0253, 105.8466)  # Phường Cửa Nam (00082)
#: metres per degree of latitude at Hà Nội (meridian arc at 21° N)
M_PER_DEG_LAT = 110_700.0

HOTSPOT_HEADER = HOTSPOT_HEADERS  # the template's first seven columns
XY_HEADER = [*HOTSPOT_HEADER[:5], "X (VN-2000)", "Y (VN-2000)"]
STATUS_HEADER = ["Mã tụ điểm", "Ngày", "Trạng thái mới", "Lý do"]
ACTIVITY_HEADER = [
    "Ngày",
    "Loại hoạt động",
    "Mã tụ điểm",
    "Địa bàn",
    "Đơn vị thực hiện",
    "Vi phạm phát hiện",
    "Vụ việc xử lý",
    "Cơ sở bị xử phạt",
    "Tiền phạt (đồng)",
    "Số người được chuyển hỗ trợ",
]
STATUS_LIST = (
    "Phức tạp (đang hoạt động); Đang triệt xóa; Đã triệt xóa (đang theo dõi); "
    "Đã bàn giao, duy trì trong sạch; Tái hoạt động"
)
NOT_FOUND = (
    "Không tìm thấy địa bàn «{name}» ở Hà Nội. Ghi tên phường/xã hiện nay (ví dụ «Phường Hoàn Kiếm») "
    "hoặc tên cũ kèm quận/huyện (ví dụ «Phường Hàng Bạc, Quận Hoàn Kiếm»)."
)
NOT_IN_HANOI = (
    "Điểm ({lat:.6f}, {lon:.6f}) nằm ngoài Hà Nội. Kiểm tra số liệu và hệ toạ độ "
    "(WGS84 / VN-2000 TM-3 105°00' / UTM 48N)."
)


# --------------------------------------------------------------------------
# Helpers


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def run(engine, header, rows, name="x.csv", **kw):
    return check(name, csv_bytes(header, rows), engine, today=TODAY, **kw)


def spot(code, name, point=LAKE, kind="public_area", status="active", date="01/01/2020"):
    return [code, name, kind, status, date, point[0], point[1]]


def problems(report, level=None):
    """(row, column, value, message) of the report's problems (of one level)."""
    return [(p.row, p.column, p.value, p.message) for p in report.problems if level in (None, p.level)]


def north(point, metres):
    """A point ``metres`` north of ``point``."""
    return (round(point[0] + metres / M_PER_DEG_LAT, 7), point[1])


def seed(engine, rows, header=HOTSPOT_HEADER):
    report = run(engine, header, rows, name="seed.csv")
    assert report.errors == []
    apply(engine, report, ACTOR)
    return report


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            for t in (store.hotspot, store.status_change, store.activity, store.audit_log)
        }


def hotspot_row(engine, code) -> dict:
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.select(store.hotspot).where(store.hotspot.c.code == code)).mappings().one()
        )


def history(engine, code) -> list[tuple]:
    query = (
        sa.select(
            store.status_change.c.date, store.status_change.c.from_status, store.status_change.c.to_status
        )
        .join(store.hotspot, store.hotspot.c.id == store.status_change.c.hotspot_id)
        .where(store.hotspot.c.code == code)
        .order_by(store.status_change.c.date, store.status_change.c.id)
    )
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def audit(engine, action=None) -> pd.DataFrame:
    log = store.read_audit(engine, Scope.city())
    return log if action is None else log[log["action"] == action].reset_index(drop=True)


def problem_of(date_value):
    """The message values.date gives for ``date_value``."""
    with pytest.raises(V.ValueProblem) as caught:
        V.date(date_value, TODAY)
    return str(caught.value)


# --------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    "value",
    [
        "05/03/2020",
        "5/3/2020",
        "05-03-2020",
        "05.03.2020",
        "2020-03-05",
        " 05 / 03 / 2020 ",
        "05/03/2020 10:30",
        "2020-03-05T10:30:00",
        dt.date(2020, 3, 5),
        dt.datetime(2020, 3, 5, 17, 45),
    ],
)
def test_date_forms(value):
    assert V.date(value, TODAY) == dt.date(2020, 3, 5)


@pytest.mark.parametrize("value", [43900, 43900.0, 43900.75, "43900", "43900.0"])
def test_excel_serial_numbers(value):
    # Excel shows serial 43900 as 10/03/2020 (43831 is 01/01/2020, +31 days of
    # January, +29 of February 2020, +9): the brief's "09/03/2020" is off by one.
    assert from_excel(43900).date() == dt.date(2020, 3, 10)
    assert V.date(value, TODAY) == dt.date(2020, 3, 10)


def test_excel_serial_leap_year_quirk():
    # Excel counts a phantom 29/02/1900 as serial 60: serials below it count
    # from 31/12/1899, serials from 61 on from 30/12/1899.
    assert problem_of(1) == "Ngày 01/01/1900 quá xa: chỉ nhận từ 01/01/2000."
    assert problem_of(59) == "Ngày 28/02/1900 quá xa: chỉ nhận từ 01/01/2000."
    assert problem_of(60) == "Ngày 01/03/1900 quá xa: chỉ nhận từ 01/01/2000."
    assert problem_of(61) == "Ngày 01/03/1900 quá xa: chỉ nhận từ 01/01/2000."
    assert problem_of(62) == "Ngày 02/03/1900 quá xa: chỉ nhận từ 01/01/2000."
    assert problem_of(0) == "Số «0» không phải là ngày."
    # the range limits as serials
    assert V.date(36526, TODAY) == dt.date(2000, 1, 1)
    assert problem_of(36525) == "Ngày 31/12/1999 quá xa: chỉ nhận từ 01/01/2000."
    serial_today = (TODAY - dt.date(1899, 12, 30)).days
    assert V.date(serial_today, TODAY) == TODAY
    assert problem_of(serial_today + 1) == "Ngày 21/11/2026 ở tương lai (hôm nay là 20/11/2026)."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("05/03/20", "Ngày «05/03/20» không rõ năm: ghi đủ 4 chữ số năm (dd/mm/yyyy), ví dụ 05/03/2020."),
        ("5-3-202", "Ngày «5-3-202» không rõ năm: ghi đủ 4 chữ số năm (dd/mm/yyyy), ví dụ 05/03/2020."),
        ("31/02/2020", "Ngày «31/02/2020» không tồn tại: tháng 2/2020 không có ngày 31."),
        ("29/02/2021", "Ngày «29/02/2021» không tồn tại: tháng 2/2021 không có ngày 29."),
        ("2020-02-30", "Ngày «2020-02-30» không tồn tại: tháng 2/2020 không có ngày 30."),
        ("05/13/2020", "Ngày «05/13/2020» không tồn tại: không có tháng 13 (ngày viết dd/mm/yyyy)."),
        ("21/11/2026", "Ngày 21/11/2026 ở tương lai (hôm nay là 20/11/2026)."),
        ("01/01/2027", "Ngày 01/01/2027 ở tương lai (hôm nay là 20/11/2026)."),
        ("31/12/1999", "Ngày 31/12/1999 quá xa: chỉ nhận từ 01/01/2000."),
        (dt.date(1999, 12, 31), "Ngày 31/12/1999 quá xa: chỉ nhận từ 01/01/2000."),
        ("hôm qua", "«hôm qua» không phải là ngày: ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2020."),
        ("2020/03/05", "«2020/03/05» không phải là ngày: ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2020."),
        ("", "Thiếu ngày."),
        (None, "Thiếu ngày."),
        (True, "«True» không phải là ngày."),
        (float("inf"), "«inf» không phải là ngày."),
    ],
)
def test_dates_refused(value, message):
    assert problem_of(value) == message


def test_date_accepts_the_range_limits():
    assert V.date("01/01/2000", TODAY) == dt.date(2000, 1, 1)
    assert V.date("20/11/2026", TODAY) == TODAY


def test_huge_excel_serial_is_a_cell_problem_not_a_crash():
    # A number beyond Excel's last day is a cell problem, not a crash.
    with pytest.raises(V.ValueProblem):
        V.date(3_000_000, TODAY)


def test_huge_serial_in_a_spreadsheet_rejects_the_row_only(empty_engine):
    # One such cell in an .xlsx rejects that row only.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HOTSPOT_HEADER)
    ws.append(["TD-1", "Điểm A", "public_area", "active", 3_000_000, *LAKE])
    ws.append(["TD-2", "Điểm B", "public_area", "active", "01/01/2020", *WEST_LAKE])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = check("x.xlsx", buffer.getvalue(), empty_engine, today=TODAY)
    assert [r.values["code"] for r in report.records] == ["TD-2"]
    assert [(p.row, p.column, p.value) for p in report.errors] == [(2, "Ngày xác định trạng thái", "3000000")]


@settings(deadline=None, max_examples=300)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY))
def test_every_date_in_range_reads_back_in_every_form(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert V.date(day.strftime("%d/%m/%Y"), TODAY) == day
    assert V.date(f"{day.day}/{day.month}/{day.year}", TODAY) == day
    assert V.date(day.isoformat(), TODAY) == day
    assert V.date(serial, TODAY) == day
    assert V.date(float(serial), TODAY) == day
    assert V.date(str(serial), TODAY) == day
    assert V.date(dt.datetime.combine(day, dt.time(23, 59)), TODAY) == day


@settings(deadline=None, max_examples=300)
@given(st.integers(2000, 2026), st.integers(1, 12), st.data())
def test_every_impossible_day_is_refused(year, month, data):
    last = calendar.monthrange(year, month)[1]
    day = data.draw(st.one_of(st.just(0), st.integers(last + 1, 99)))
    for raw in (f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}"):
        assert problem_of(raw) == f"Ngày «{raw}» không tồn tại: tháng {month}/{year} không có ngày {day}."


@settings(deadline=None, max_examples=100)
@given(st.integers(1, 28), st.integers(13, 99), st.integers(2000, 2026))
def test_every_impossible_month_is_refused(day, month, year):
    raw = f"{day:02d}/{month}/{year}"
    assert problem_of(raw) == f"Ngày «{raw}» không tồn tại: không có tháng {month} (ngày viết dd/mm/yyyy)."


# --------------------------------------------------------------------------
# Whole numbers


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        ("1 500 000", 1500000),
        ("7", 7),
        (7, 7),
        (7.0, 7),
        ("", 0),
        ("   ", 0),
        (None, 0),
        (float("nan"), 0),
    ],
)
def test_whole_numbers(value, number):
    assert V.whole_number(value) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,5", "«1,5» không phải là số nguyên."),
        ("1.23", "«1.23» không phải là số nguyên."),
        (2.5, "«2.5» không phải là số nguyên."),
        ("ba", "«ba» không phải là số nguyên."),
        (-1, "Số «-1» âm: số đếm phải ≥ 0."),
        ("-3", "Số «-3» âm: số đếm phải ≥ 0."),
        (True, "«True» không phải là số nguyên."),
        (False, "«False» không phải là số nguyên."),
    ],
)
def test_whole_numbers_refused(value, message):
    with pytest.raises(V.ValueProblem) as caught:
        V.whole_number(value)
    assert str(caught.value) == message


def test_spaces_are_only_thousands_separators():
    # Only groups of three digits are joined: "12 34" is two numbers or a typo.
    with pytest.raises(V.ValueProblem) as caught:
        V.whole_number("12 34")
    assert str(caught.value) == "«12 34» không phải là số nguyên."


def test_choice_and_text_cells():
    options = {"active": "Phức tạp (đang hoạt động)", "cleared": "Đã triệt xóa (đang theo dõi)"}
    assert V.choice("ĐÃ TRIỆT XÓA (ĐANG THEO DÕI)", options, "trạng thái") == "cleared"
    assert V.choice("phuc tap (dang hoat dong)", options, "trạng thái") == "active"
    assert V.choice("ACTIVE", options, "trạng thái") == "active"
    with pytest.raises(V.ValueProblem) as caught:
        V.choice("", options, "trạng thái")
    assert str(caught.value) == "Thiếu trạng thái."
    assert V.text("  ") == ("", None)
    assert V.text(101.0) == ("101", None)
    with pytest.raises(V.ValueProblem) as caught:
        V.text("abcd", max_length=3)
    assert str(caught.value) == "Dài 4 ký tự, tối đa 3."


# --------------------------------------------------------------------------
# Hotspots: columns and coordinates


def test_missing_required_columns_stop_the_file(empty_engine):
    with pytest.raises(IntakeError) as caught:
        run(
            empty_engine,
            ["Mã tụ điểm", "Tên tụ điểm", "Vĩ độ", "Kinh độ"],
            [["TD-1", "A", 21, 105]],
            kind="hotspots",
        )
    assert str(caught.value) == (
        "Tệp «x.csv» thiếu cột bắt buộc: Loại tụ điểm, Trạng thái, Ngày xác định trạng thái. "
        "Dùng tệp mẫu để có đủ cột (tên cột không phân biệt hoa thường, có dấu hay không)."
    )


def test_missing_coordinate_columns_stop_the_file(empty_engine):
    with pytest.raises(IntakeError) as caught:
        run(empty_engine, HOTSPOT_HEADER[:5], [["TD-1", "A", "public_area", "active", "01/01/2020"]])
    assert str(caught.value) == (
        "Tệp «x.csv» thiếu cột toạ độ: cần «Vĩ độ (WGS84)» và «Kinh độ (WGS84)», "
        "hoặc «X (VN-2000)» và «Y (VN-2000)»."
    )


def test_unknown_column_is_a_warning_and_the_row_is_kept(empty_engine):
    report = run(empty_engine, [*HOTSPOT_HEADER, "Người báo tin"], [[*spot("TD-1", "Điểm A"), "x"]])
    assert problems(report) == [
        (
            None,
            "Người báo tin",
            "",
            "Cột «Người báo tin» không có trong mẫu nên không được nhập. "
            "Đổi tên cột cho đúng mẫu nếu cần nhập, hoặc xóa cột.",
        )
    ]
    assert report.warnings and not report.errors
    assert [r.values["code"] for r in report.records] == ["TD-1"]
    assert "Người báo tin" not in report.records[0].values


def test_wgs84_with_vietnamese_decimal_comma(empty_engine):
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", ("21,0287", "105,8524"))])
    assert problems(report) == []
    values = report.records[0].values
    assert (values["lat"], values["lon"]) == LAKE
    assert (values["ward_code"], values["district_code"]) == ("00070", "002")


def test_swapped_lat_lon_is_put_right_with_a_note(empty_engine):
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", (LAKE[1], LAKE[0]))])
    assert problems(report, "warning") == [
        (2, "Vĩ độ (WGS84)", "105.8524; 21.0287", "Vĩ độ và kinh độ bị đảo chỗ; đã đổi lại.")
    ]
    assert report.errors == []
    assert (report.records[0].values["lat"], report.records[0].values["lon"]) == LAKE


def test_vn2000_xy_gives_the_point_back(empty_engine):
    x, y = coords.from_wgs84(*LAKE, "vn2000_hanoi")
    report = run(empty_engine, XY_HEADER, [["TD-1", "Điểm A", "public_area", "active", "01/01/2020", x, y]])
    assert problems(report) == []
    values = report.records[0].values
    assert values["lat"] == pytest.approx(LAKE[0], abs=1e-6)
    assert values["lon"] == pytest.approx(LAKE[1], abs=1e-6)
    apply(empty_engine, report, ACTOR)
    stored = hotspot_row(empty_engine, "TD-1")
    assert stored["lat"] == pytest.approx(LAKE[0], abs=1e-6)
    assert stored["lon"] == pytest.approx(LAKE[1], abs=1e-6)
    assert stored["ward_code"] == "00070"


def test_vn2000_swapped_xy_is_put_right_with_a_note(empty_engine):
    x, y = coords.from_wgs84(*LAKE, "vn2000_hanoi")
    row = ["TD-1", "Điểm A", "public_area", "active", "01/01/2020", f"{y:.4f}", f"{x:.4f}"]
    report = run(empty_engine, XY_HEADER, [row])
    assert problems(report) == [
        (
            2,
            "X (VN-2000)",
            f"{y:.4f}; {x:.4f}",
            "X và Y bị đảo (X là hướng bắc, Y là hướng đông); đã đổi lại.",
        )
    ]
    assert report.problems[0].level == "warning"
    values = report.records[0].values
    assert values["lat"] == pytest.approx(LAKE[0], abs=1e-6)
    assert values["lon"] == pytest.approx(LAKE[1], abs=1e-6)


def test_the_chosen_projected_system_is_used_for_xy(empty_engine):
    x, y = coords.from_wgs84(*LAKE, "vn2000_utm48")
    row = ["TD-1", "Điểm A", "public_area", "active", "01/01/2020", x, y]
    as_utm = run(empty_engine, XY_HEADER, [row], crs="vn2000_utm48").records[0].values
    as_tm3 = run(empty_engine, XY_HEADER, [row]).records[0].values
    assert as_utm["lat"] == pytest.approx(LAKE[0], abs=1e-6)
    assert as_utm["lon"] == pytest.approx(LAKE[1], abs=1e-6)
    # the same numbers read in Hà Nội's TM-3 system are hundreds of metres away
    assert abs(as_tm3["lat"] - LAKE[0]) + abs(as_tm3["lon"] - LAKE[1]) > 0.001
    assert run(empty_engine, XY_HEADER, [row], crs="3405").records[0].values["lat"] == as_utm["lat"]


def test_point_outside_hanoi_is_rejected(empty_engine):
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Chợ Bến Thành", (10.77, 106.70))])
    assert problems(report) == [
        (2, "Vĩ độ (WGS84)", "10.770000; 106.700000", NOT_IN_HANOI.format(lat=10.77, lon=106.70))
    ]
    assert report.records == []
    assert report.counts()["rejected"] == 1


def test_metres_in_degree_columns_are_rejected(empty_engine):
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", ("2326366.5", "588404.7"))])
    assert problems(report) == [
        (
            2,
            "Vĩ độ (WGS84)",
            "2326366.5; 588404.7",
            "Toạ độ «2326366.5, 588404.7» là mét (VN-2000?), không phải độ: chọn hệ toạ độ VN-2000.",
        )
    ]
    assert report.records == []


def test_code_pattern_and_name_length(empty_engine):
    rows = [
        spot("TD 1!", "Điểm A"),
        spot("TD-2", "x" * 121, WEST_LAKE),
        spot("TD-3", "y" * 120, HOA_LO),
        spot("", "Điểm D", north(LAKE, 100)),
        spot("TD-5", "", north(LAKE, 200)),
    ]
    report = run(empty_engine, HOTSPOT_HEADER, rows)
    assert problems(report) == [
        (2, "Mã tụ điểm", "TD 1!", "Mã chỉ gồm chữ không dấu, số và - _ . /, tối đa 32 ký tự."),
        (3, "Tên tụ điểm", "x" * 121, "Dài 121 ký tự, tối đa 120."),
        (5, "Mã tụ điểm", "", "Thiếu Mã tụ điểm."),
        (6, "Tên tụ điểm", "", "Thiếu Tên tụ điểm."),
    ]
    assert [r.values["code"] for r in report.records] == ["TD-3"]


def test_kind_and_status_in_any_spelling(empty_engine):
    rows = [
        spot("TD-1", "Điểm 1", LAKE, "Địa bàn công cộng", "Phức tạp (đang hoạt động)"),
        spot("TD-2", "Điểm 2", WEST_LAKE, "public_area", "cleared"),
        spot("TD-3", "Điểm 3", HOA_LO, "CƠ SỞ KINH DOANH DỊCH VỤ", "TÁI HOẠT ĐỘNG"),
        spot(
            "TD-4", "Điểm 4", north(LAKE, 300), "co so kinh doanh dich vu", "da ban giao, duy tri trong sach"
        ),
        spot("TD-5", "Điểm 5", north(LAKE, 600), "SERVICE_BUSINESS", "Đang triệt xóa"),
        spot("TD-6", "Điểm 6", north(LAKE, 900), "public_area", "đã đóng cửa"),
        spot("TD-7", "Điểm 7", north(LAKE, 1200), "quán karaoke", "active"),
    ]
    report = run(empty_engine, HOTSPOT_HEADER, rows)
    assert problems(report) == [
        (
            7,
            "Trạng thái",
            "đã đóng cửa",
            f"«đã đóng cửa» không phải là trạng thái hợp lệ. Chọn một trong: {STATUS_LIST}.",
        ),
        (
            8,
            "Loại tụ điểm",
            "quán karaoke",
            "«quán karaoke» không phải là loại tụ điểm hợp lệ. "
            "Chọn một trong: Địa bàn công cộng; Cơ sở kinh doanh dịch vụ.",
        ),
    ]
    got = {r.values["code"]: (r.values["kind"], r.values["status"]) for r in report.records}
    assert got == {
        "TD-1": ("public_area", "active"),
        "TD-2": ("public_area", "cleared"),
        "TD-3": ("service_business", "reemerged"),
        "TD-4": ("service_business", "handed_over"),
        "TD-5": ("service_business", "clearing"),
    }


def test_ward_column_is_matched_against_the_coordinates(empty_engine):
    header = [*HOTSPOT_HEADER, "Phường/xã"]
    rows = [
        [*spot("TD-1", "Điểm 1", LAKE), "Phường Hoàn Kiếm"],
        [*spot("TD-2", "Điểm 2", LAKE), unicodedata.normalize("NFD", "phường hoàn kiếm")],
        [*spot("TD-3", "Điểm 3", LAKE), "Phường Hàng Bạc, Quận Hoàn Kiếm"],
        [*spot("TD-4", "Điểm 4", LAKE), "Phường Tây Hồ"],
        [*spot("TD-5", "Điểm 5", WEST_LAKE), "Phường Hàng Bạc, Quận Hoàn Kiếm"],
    ]
    report = run(empty_engine, header, rows)
    legacy = "Tên cũ «Phường Hàng Bạc, Quận Hoàn Kiếm» đã quy đổi thành Phường Hoàn Kiếm."
    assert problems(report) == [
        (4, "Phường/xã", "Phường Hàng Bạc, Quận Hoàn Kiếm", legacy),
        (
            5,
            "Phường/xã",
            "Phường Tây Hồ",
            "Toạ độ nằm ở Phường Hoàn Kiếm, khác «Phường Tây Hồ». Kiểm tra lại toạ độ hoặc tên phường/xã.",
        ),
        (6, "Phường/xã", "Phường Hàng Bạc, Quận Hoàn Kiếm", legacy),
        (
            6,
            "Phường/xã",
            "Phường Hàng Bạc, Quận Hoàn Kiếm",
            "Toạ độ nằm ở Phường Tây Hồ, khác «Phường Hàng Bạc, Quận Hoàn Kiếm». "
            "Kiểm tra lại toạ độ hoặc tên phường/xã.",
        ),
    ]
    assert {p.level for p in report.problems} == {"warning"}
    # the ward always comes from the coordinates, never from the text
    assert [r.values["ward_code"] for r in report.records] == ["00070"] * 4 + ["00103"]


def test_unknown_ward_text_is_a_warning(empty_engine):
    report = run(empty_engine, [*HOTSPOT_HEADER, "Phường/xã"], [[*spot("TD-1", "Điểm 1"), "Phường Không Có"]])
    assert problems(report) == [
        (
            2,
            "Phường/xã",
            "Phường Không Có",
            NOT_FOUND.format(name="Phường Không Có"),
        )
    ]
    assert report.problems[0].level == "warning"
    assert len(report.records) == 1


def test_current_ward_name_with_a_hyphen_is_found():
    # "Phường Văn Miếu - Quốc Tử Giám" is one current ward, hyphen included.
    area = resolve("Phường Văn Miếu - Quốc Tử Giám", dt.date(2025, 8, 1))
    assert (area.level, area.code, area.name, area.note) == (
        UnitLevel.WARD,
        "00226",
        "Phường Văn Miếu - Quốc Tử Giám",
        None,
    )


def test_tcvn3_name_is_converted_with_a_warning(empty_engine):
    legacy = to_tcvn3("Điểm công cộng hồ Gươm")
    assert legacy != "Điểm công cộng hồ Gươm"
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", legacy)])
    assert problems(report) == [
        (
            2,
            "Tên tụ điểm",
            legacy,
            "Văn bản mã TCVN3 (ABC) đã được chuyển sang Unicode. Kết quả: «Điểm công cộng hồ Gươm».",
        )
    ]
    assert report.problems[0].level == "warning"
    assert report.records[0].values["name"] == "Điểm công cộng hồ Gươm"


# --------------------------------------------------------------------------
# Hotspots: duplicates


def test_duplicates_within_a_file(empty_engine):
    name = "Chợ đêm Hàng Bạc"
    rows = [
        spot("TD-1", "Chợ Đêm Hàng Bạc", LAKE),
        spot("TD-1", "Điểm khác hẳn", WEST_LAKE),  # same code again
        spot("TD-2", name, north(LAKE, 8)),  # 8 m, same kind, near-identical name
        spot("TD-3", name, north(LAKE, 15)),  # 15 m: another place
        spot("TD-4", name, LAKE, kind="service_business"),  # another kind
        spot("TD-5", "Nhà nghỉ Hoa Hồng", LAKE),  # another name
    ]
    report = run(empty_engine, HOTSPOT_HEADER, rows)
    assert problems(report) == [
        (3, "Mã tụ điểm", "TD-1", "Mã «TD-1» trùng với dòng 2 trong cùng tệp."),
        (
            4,
            "Mã tụ điểm",
            "TD-2",
            "Trùng với dòng 2 (mã «TD-1»): cùng loại, cách dưới 10 m và tên gần giống.",
        ),
    ]
    assert [(r.row, r.values["code"], r.action) for r in report.records] == [
        (2, "TD-1", "new"),
        (5, "TD-3", "new"),
        (6, "TD-4", "new"),
        (7, "TD-5", "new"),
    ]
    assert report.counts() == {
        "rows": 6,
        "accepted": 4,
        "rejected": 2,
        "new": 4,
        "update": 0,
        "skip": 0,
        "unchanged": 0,
    }


def test_near_duplicate_of_a_stored_hotspot(empty_engine):
    seed(empty_engine, [spot("TD-1", "Chợ Đêm Hàng Bạc", LAKE)])
    rows = [
        spot("TD-9", "Chợ đêm Hàng Bạc", north(LAKE, 8)),
        spot("TD-10", "Chợ đêm Hàng Bạc", north(LAKE, -15)),  # 15 m south
        spot("TD-11", "Chợ đêm Hàng Bạc", north(LAKE, 5), kind="service_business"),
        spot("TD-12", "Nhà nghỉ Hoa Hồng", north(LAKE, 5)),
    ]
    warning = (
        "Có thể trùng tụ điểm đã lưu «TD-1» (Chợ Đêm Hàng Bạc): cùng loại, cách dưới 10 m, tên gần giống. "
        "Chọn bỏ qua hoặc cập nhật tụ điểm đã lưu."
    )
    skip = run(empty_engine, HOTSPOT_HEADER, rows)
    assert problems(skip) == [(2, "Mã tụ điểm", "TD-9", warning)]
    assert skip.problems[0].level == "warning"
    assert [(r.values["code"], r.action, r.match) for r in skip.records] == [
        ("TD-9", "duplicate", "TD-1"),
        ("TD-10", "new", None),
        ("TD-11", "new", None),
        ("TD-12", "new", None),
    ]
    assert skip.counts()["skip"] == 1 and skip.counts()["update"] == 0
    update = run(empty_engine, HOTSPOT_HEADER, rows, on_duplicate="update")
    assert problems(update) == [(2, "Mã tụ điểm", "TD-9", warning)]
    first = update.records[0]
    assert (first.values["code"], first.action, first.match) == ("TD-9", "update", "TD-1")
    assert update.counts()["update"] == 1 and update.counts()["skip"] == 0
    # updating changes the stored hotspot, it does not add TD-9
    apply(empty_engine, update, ACTOR)
    assert hotspot_row(empty_engine, "TD-1")["name"] == "Chợ đêm Hàng Bạc"
    with empty_engine.connect() as conn:
        codes = conn.execute(sa.select(store.hotspot.c.code).order_by(store.hotspot.c.id)).scalars().all()
    assert codes == ["TD-1", "TD-10", "TD-11", "TD-12"]


def test_same_code_same_data_is_unchanged(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    before = table_counts(empty_engine)
    report = run(empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", LAKE)])
    assert problems(report) == []
    assert [(r.action, r.match, r.changes) for r in report.records] == [("unchanged", "TD-1", {})]
    assert apply(empty_engine, report, ACTOR) == {
        "new": 0,
        "updated": 0,
        "skipped": 0,
        "unchanged": 1,
        "rejected": 0,
    }
    after = table_counts(empty_engine)
    assert after == before | {"audit_log": before["audit_log"] + 1}  # only the import entry


def test_update_of_a_stored_hotspot(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    rows = [spot("TD-1", "Điểm A mới", WEST_LAKE)]
    # skip: reported as a duplicate, nothing changes
    skipped = run(empty_engine, HOTSPOT_HEADER, rows)
    assert [(r.action, sorted(r.changes)) for r in skipped.records] == [("duplicate", ["location", "name"])]
    stored = hotspot_row(empty_engine, "TD-1")
    assert apply(empty_engine, skipped, ACTOR)["updated"] == 0
    assert hotspot_row(empty_engine, "TD-1") == stored
    assert audit(empty_engine, "import_update").empty
    # update: name and location change, the ward is recomputed
    report = run(empty_engine, HOTSPOT_HEADER, rows, on_duplicate="update")
    assert [(r.action, sorted(r.changes)) for r in report.records] == [("update", ["location", "name"])]
    assert apply(empty_engine, report, ACTOR) == {
        "new": 0,
        "updated": 1,
        "skipped": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    now = hotspot_row(empty_engine, "TD-1")
    assert (now["name"], now["lat"], now["lon"]) == ("Điểm A mới", *WEST_LAKE)
    assert (now["ward_code"], now["district_code"]) == ("00103", "003")
    entries = audit(empty_engine, "import_update")
    assert len(entries) == 1
    entry = entries.iloc[0]
    assert (entry["actor"], entry["entity"], entry["entity_code"]) == (ACTOR, "hotspot", "TD-1")
    assert entry["summary"] == "Dòng 2: cập nhật name, location"
    assert json.loads(entry["before"]) == {
        "name": "Điểm A",
        "lat": LAKE[0],
        "lon": LAKE[1],
        "ward_code": "00070",
        "district_code": "002",
    }
    assert json.loads(entry["after"]) == {
        "name": "Điểm A mới",
        "lat": WEST_LAKE[0],
        "lon": WEST_LAKE[1],
        "ward_code": "00103",
        "district_code": "003",
    }
    # importing the same file again finds nothing to do
    again = run(empty_engine, HOTSPOT_HEADER, rows, on_duplicate="update")
    assert [r.action for r in again.records] == ["unchanged"]


def test_update_with_a_status_change_checks_the_lifecycle(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    bad = run(
        empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", status="handed_over", date="01/06/2020")],
        on_duplicate="update",
    )  # fmt: skip
    assert problems(bad) == [
        (
            2,
            "Trạng thái",
            "handed_over",
            "Không thể chuyển trạng thái từ «Phức tạp (đang hoạt động)» sang "
            "«Đã bàn giao, duy trì trong sạch».",
        )
    ]
    good = run(
        empty_engine, HOTSPOT_HEADER, [spot("TD-1", "Điểm A", status="cleared", date="01/06/2020")],
        on_duplicate="update",
    )  # fmt: skip
    assert problems(good) == []
    apply(empty_engine, good, ACTOR)
    assert hotspot_row(empty_engine, "TD-1")["status"] == "cleared"
    assert history(empty_engine, "TD-1") == [
        (dt.date(2020, 1, 1), None, "active"),
        (dt.date(2020, 6, 1), "active", "cleared"),
    ]


# --------------------------------------------------------------------------
# GIS outlines


LAKE_LON_LAT = (LAKE[1], LAKE[0])


def _square(points):
    """Polygon near Hồ Hoàn Kiếm from unit-square coordinates (1 unit ≈ 100 m)."""
    return [(LAKE_LON_LAT[0] + x * 1e-3, LAKE_LON_LAT[1] + y * 1e-3) for x, y in points]


def geojson(geometries) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {
                "Mã tụ điểm": f"TD-{i + 1}",
                "Tên tụ điểm": f"Vùng số {i + 1}",
                "Loại tụ điểm": "public_area",
                "Trạng thái": "active",
                "Ngày xác định trạng thái": "01/01/2020",
            },
            "geometry": mapping(g),
        }
        for i, g in enumerate(geometries)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


BOW_TIE = Polygon(_square([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]))
#: a square with a tiny crossed spike at one corner (0.01 × 0.01 units)
SPIKED = _square([(0, 0), (1, 0), (1, 1), (0.99, 1.01), (1.0, 1.01), (0.99, 1.0), (0, 1), (0, 0)])
#: a ring that runs through the same vertex twice (self-touching shell)
SELF_TOUCHING = Polygon(_square([(0, 0), (1, 0), (1, 1), (0.5, 0), (0, 1), (0, 0)]))
HOLE = _square([(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9), (0.1, 0.1)])


def test_outlines_are_checked_and_repaired(empty_engine):
    spiked = Polygon(SPIKED)
    line = LineString(_square([(0, 0), (1, 1)]))
    for shape in (BOW_TIE, spiked, SELF_TOUCHING):
        assert not shape.is_valid
    report = check("vung.geojson", geojson([BOW_TIE, spiked, SELF_TOUCHING, line]), empty_engine, today=TODAY)
    bow_reason = shapely.is_valid_reason(BOW_TIE)
    spike_reason = shapely.is_valid_reason(spiked)
    touch_reason = shapely.is_valid_reason(SELF_TOUCHING)
    assert bow_reason.startswith("Self-intersection[")
    assert touch_reason.startswith("Ring Self-intersection[")
    assert problems(report) == [
        (1, None, bow_reason, f"Vùng không hợp lệ ({bow_reason}) và không sửa tự động được: vẽ lại vùng."),
        (2, None, spike_reason, f"Vùng không hợp lệ ({spike_reason}); đã sửa tự động."),
        (3, None, touch_reason, f"Vùng không hợp lệ ({touch_reason}); đã sửa tự động."),
        (4, None, "LineString", "Hình «LineString» không dùng được: chỉ nhận điểm hoặc vùng (polygon)."),
    ]
    assert [p.level for p in report.problems] == ["error", "warning", "warning", "error"]
    assert [r.values["code"] for r in report.records] == ["TD-2", "TD-3"]
    for record, drawn in zip(report.records, (spiked, SELF_TOUCHING), strict=True):
        outline = shapely.geometry.shape(json.loads(record.values["area_geojson"]))
        assert outline.is_valid
        assert abs(outline.area - shapely.make_valid(drawn).area) < 1e-15
        assert abs(outline.area - Polygon(drawn.exterior).area) / Polygon(drawn.exterior).area < 0.01
        assert outline.contains(shapely.Point(record.values["lon"], record.values["lat"]))
    apply(empty_engine, report, ACTOR)
    stored = hotspot_row(empty_engine, "TD-2")
    assert shapely.geometry.shape(json.loads(stored["area_geojson"])).is_valid


def test_repair_of_an_outline_with_a_hole_is_judged_on_its_real_area(empty_engine):
    # A repair is judged on the real area (holes subtracted), not the outer ring.
    holed = Polygon(SPIKED, [HOLE])
    reason = shapely.is_valid_reason(holed)
    repaired = shapely.make_valid(holed)
    real = Polygon(SPIKED, [HOLE]).area
    assert abs(repaired.area - real) / real < 0.001  # the repair barely changes the area
    report = check("vung.geojson", geojson([holed]), empty_engine, today=TODAY)
    assert problems(report, "error") == []
    assert problems(report, "warning")[-1] == (
        1,
        None,
        reason,
        f"Vùng không hợp lệ ({reason}); đã sửa tự động.",
    )
    assert [r.values["code"] for r in report.records] == ["TD-1"]


# --------------------------------------------------------------------------
# Status changes


def test_status_rows_are_checked_against_the_lifecycle(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE), spot("TD-2", "Điểm B", WEST_LAKE)])
    rows = [
        ["TD-9", "01/02/2020", "cleared", "Biên bản"],
        ["TD-1", "01/02/2020", "handed_over", "Biên bản"],
        ["TD-1", "01/03/2020", "Đang triệt xóa", ""],
        ["TD-2", "01/03/2020", "cleared", "Đánh giá"],
        ["TD-2", "01/03/2020", "cleared", "Đánh giá lần hai"],
    ]
    report = run(empty_engine, STATUS_HEADER, rows)
    assert problems(report) == [
        (2, "Mã tụ điểm", "TD-9", "Không có tụ điểm mã «TD-9» trong dữ liệu: nhập tụ điểm trước."),
        (4, "Lý do", "", "Thiếu Lý do."),
        (
            6,
            "Trạng thái mới",
            "Đã triệt xóa (đang theo dõi)",
            "Trùng với dòng 5 (cùng tụ điểm, ngày, trạng thái).",
        ),
        (
            3,
            "Trạng thái mới",
            "Đã bàn giao, duy trì trong sạch",
            "Không thể chuyển trạng thái từ «Phức tạp (đang hoạt động)» sang "
            "«Đã bàn giao, duy trì trong sạch». (ngày 01/02/2020)",
        ),
    ]
    assert [(r.row, r.values["code"], r.values["status"]) for r in report.records] == [(5, "TD-2", "cleared")]


def test_back_dated_change_is_checked_against_the_following_one(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    later = run(empty_engine, STATUS_HEADER, [["TD-1", "01/01/2021", "clearing", "Triển khai"]])
    apply(empty_engine, later, ACTOR)
    # active (2020) -> [cleared 06/2020] -> clearing (2021): cleared -> clearing is no step
    report = run(empty_engine, STATUS_HEADER, [["TD-1", "01/06/2020", "cleared", "Đánh giá"]])
    assert problems(report) == [
        (
            2,
            "Trạng thái mới",
            "Đã triệt xóa (đang theo dõi)",
            "Không thể chuyển trạng thái từ «Đã triệt xóa (đang theo dõi)» sang «Đang triệt xóa». "
            "(ngày 01/06/2020)",
        )
    ]
    # a back-dated change that fits both neighbours is accepted and linked in
    fits = run(empty_engine, STATUS_HEADER, [["TD-1", "01/06/2020", "clearing", "Triển khai sớm"]])
    assert problems(fits) == []
    apply(empty_engine, fits, ACTOR)
    assert history(empty_engine, "TD-1") == [
        (dt.date(2020, 1, 1), None, "active"),
        (dt.date(2020, 6, 1), "active", "clearing"),
        (dt.date(2021, 1, 1), "clearing", "clearing"),
    ]
    assert hotspot_row(empty_engine, "TD-1")["status"] == "clearing"


FULL_HISTORY = [
    ["TD-1", "01/03/2020", "clearing", "Triển khai"],
    ["TD-1", "01/06/2020", "cleared", "Đánh giá đạt"],
    ["TD-1", "15/01/2021", "handed_over", "Bàn giao"],
    ["TD-1", "01/01/2022", "reemerged", "Phát hiện lại"],
    ["TD-1", "01/03/2022", "cleared", "Đánh giá lại"],
]


def test_full_history_in_any_order_then_reimport_changes_nothing(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    for order in itertools.permutations(FULL_HISTORY):
        report = run(empty_engine, STATUS_HEADER, list(order))
        assert report.problems == [], order
        assert report.counts()["new"] == 5
    shuffled = FULL_HISTORY[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != FULL_HISTORY
    report = run(empty_engine, STATUS_HEADER, shuffled)
    assert apply(empty_engine, report, ACTOR)["new"] == 5
    assert history(empty_engine, "TD-1") == [
        (dt.date(2020, 1, 1), None, "active"),
        (dt.date(2020, 3, 1), "active", "clearing"),
        (dt.date(2020, 6, 1), "clearing", "cleared"),
        (dt.date(2021, 1, 15), "cleared", "handed_over"),
        (dt.date(2022, 1, 1), "handed_over", "reemerged"),
        (dt.date(2022, 3, 1), "reemerged", "cleared"),
    ]
    assert hotspot_row(empty_engine, "TD-1")["status"] == "cleared"
    assert len(audit(empty_engine, "import_status")) == 5
    before = table_counts(empty_engine)
    again = run(empty_engine, STATUS_HEADER, shuffled)
    assert [r.action for r in again.records] == ["unchanged"] * 5
    assert again.counts()["unchanged"] == 5 and again.counts()["new"] == 0
    assert apply(empty_engine, again, ACTOR) == {
        "new": 0,
        "updated": 0,
        "skipped": 0,
        "unchanged": 5,
        "rejected": 0,
    }
    assert table_counts(empty_engine) == before | {"audit_log": before["audit_log"] + 1}
    assert len(audit(empty_engine, "import_status")) == 5


# --------------------------------------------------------------------------
# Activities


def activity(date, kind="patrol", code="", area="", unit="Công an phường", counts=(1, 0, 0, 0, 0)):
    return [date, kind, code, area, unit, *counts]


def test_progress_and_the_audit_count_rows_with_thousands_separators(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    rows = [activity("01/03/2020", code="TD-1", counts=(i % 3, 0, 0, 0, 0)) for i in range(1200)]
    checked: list[str] = []
    report = run(empty_engine, ACTIVITY_HEADER, rows, progress=lambda _f, text: checked.append(text))
    assert report.errors == []
    assert "Kiểm tra dòng 1.001/1.200" in checked and "Kiểm tra dòng 1/1.200" in checked
    written: list[str] = []
    apply(empty_engine, report, ACTOR, progress=lambda _f, text: written.append(text))
    assert "Ghi 1.200 hoạt động" in written
    assert audit(empty_engine, "import_activities")["summary"].str.startswith("1.200 hoạt động mới").all()
    assert audit(empty_engine, "import")["summary"].str.contains("«x.csv»: 1.200 mới").any()


def test_activity_places(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    rows = [
        activity("01/03/2020", code="TD-1", counts=(2, 1, 0, "1.500.000", 0)),
        activity("01/08/2025", area="Phường Hoàn Kiếm"),
        activity("01/08/2025", area="Phường Hàng Bạc, Quận Hoàn Kiếm"),
        activity("01/03/2020", area="Phường Hàng Bạc, Quận Hoàn Kiếm"),
        activity("01/03/2020", area="Quận Đống Đa"),
        activity("01/08/2025", area="Quận Đống Đa"),
        activity("01/08/2025", area="Phường Không Có"),
        activity("01/08/2025", code="TD-9"),
        activity("01/08/2025"),
    ]
    report = run(empty_engine, ACTIVITY_HEADER, rows)
    assert problems(report) == [
        (
            4,
            "Địa bàn",
            "Phường Hàng Bạc, Quận Hoàn Kiếm",
            "Tên cũ «Phường Hàng Bạc, Quận Hoàn Kiếm» đã quy đổi thành Phường Hoàn Kiếm.",
        ),
        (
            5,
            "Địa bàn",
            "Phường Hàng Bạc, Quận Hoàn Kiếm",
            "Tên cũ «Phường Hàng Bạc, Quận Hoàn Kiếm» (trước 01/07/2025): tính cho Quận Hoàn Kiếm.",
        ),
        (
            7,
            "Địa bàn",
            "Quận Đống Đa",
            "«Quận Đống Đa» là quận/huyện cũ; từ 01/07/2025 ghi phường/xã nơi thực hiện.",
        ),
        (
            8,
            "Địa bàn",
            "Phường Không Có",
            NOT_FOUND.format(name="Phường Không Có"),
        ),
        (9, "Mã tụ điểm", "TD-9", "Không có tụ điểm mã «TD-9» trong dữ liệu: nhập tụ điểm trước."),
        (10, "Địa bàn", "", "Thiếu nơi thực hiện: ghi Mã tụ điểm, hoặc Địa bàn (phường/xã)."),
    ]
    assert [p.level for p in report.problems] == ["warning", "warning", "error", "error", "error", "error"]
    places = [
        (r.row, r.values["hotspot_id"], r.values["ward_code"], r.values["district_code"])
        for r in report.records
    ]
    assert places == [
        (2, 1, "00070", "002"),
        (3, None, "00070", "002"),
        (4, None, "00070", "002"),
        (5, None, None, "002"),
        (6, None, None, "006"),
    ]
    assert report.records[0].values["fines_vnd"] == 1_500_000
    assert report.records[0].values["violations_found"] == 2


def test_activity_counts_are_validated(empty_engine):
    rows = [
        activity("01/08/2025", area="Phường Hoàn Kiếm", counts=("-1", "1,5", "ba", "", " 2 ")),
        activity("01/08/2025", area="Phường Hoàn Kiếm", counts=("", "", "", "", "")),
        activity("32/08/2025", kind="đi dạo", area="Phường Hoàn Kiếm"),
    ]
    report = run(empty_engine, ACTIVITY_HEADER, rows)
    assert problems(report) == [
        (2, "Vi phạm phát hiện", "-1", "Số «-1» âm: số đếm phải ≥ 0."),
        (2, "Vụ việc xử lý", "1,5", "«1,5» không phải là số nguyên."),
        (2, "Cơ sở bị xử phạt", "ba", "«ba» không phải là số nguyên."),
        (4, "Ngày", "32/08/2025", "Ngày «32/08/2025» không tồn tại: tháng 8/2025 không có ngày 32."),
        (
            4,
            "Loại hoạt động",
            "đi dạo",
            "«đi dạo» không phải là loại hoạt động hợp lệ. Chọn một trong: Tuần tra; Kiểm tra hành chính; "
            "Điều tra, đấu tranh; Tuyên truyền vận động; Lập chốt trực; Giao ban.",
        ),
    ]
    assert [r.row for r in report.records] == [3]
    assert [report.records[0].values[c] for c in store.COUNT_COLUMNS] == [0, 0, 0, 0, 0]


def test_count_too_large_for_the_store_is_rejected_by_the_dry_run(empty_engine):
    # A count beyond the store's 64-bit column is refused by the dry run, so
    # apply never meets it.
    rows = [activity("01/08/2025", area="Phường Hoàn Kiếm", counts=(0, 0, 0, "99999999999999999999", 0))]
    report = run(empty_engine, ACTIVITY_HEADER, rows)
    assert [(p.row, p.column, p.value, p.level) for p in report.problems] == [
        (2, "Tiền phạt (đồng)", "99999999999999999999", "error")
    ]
    assert report.records == []


def test_same_activity_file_twice_adds_nothing_the_second_time(empty_engine):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    twice = activity("05/08/2025", code="TD-1", counts=(1, 1, 0, 0, 0))
    rows = [twice, twice, activity("06/08/2025", area="Phường Hoàn Kiếm")]
    first = run(empty_engine, ACTIVITY_HEADER, rows)
    assert [r.action for r in first.records] == ["new", "new", "new"]
    assert apply(empty_engine, first, ACTOR)["new"] == 3
    assert table_counts(empty_engine)["activity"] == 3
    second = run(empty_engine, ACTIVITY_HEADER, rows)
    assert [r.action for r in second.records] == ["unchanged"] * 3
    assert apply(empty_engine, second, ACTOR)["new"] == 0
    assert table_counts(empty_engine)["activity"] == 3
    # a file with the row three times adds only the third copy
    third = run(empty_engine, ACTIVITY_HEADER, [twice, twice, twice])
    assert [r.action for r in third.records] == ["unchanged", "unchanged", "new"]
    apply(empty_engine, third, ACTOR)
    assert table_counts(empty_engine)["activity"] == 4


# --------------------------------------------------------------------------
# Nothing lost: all or nothing, and the audit log


def test_hotspot_import_writes_all_or_nothing(empty_engine, monkeypatch):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    before = table_counts(empty_engine)
    log_before = audit(empty_engine)
    report = run(
        empty_engine, HOTSPOT_HEADER, [spot("TD-2", "Điểm B", WEST_LAKE), spot("TD-3", "Điểm C", HOA_LO)]
    )
    assert report.counts()["new"] == 2
    real = store.record_status
    calls = []

    def second_breaks_a_foreign_key(conn, hotspot_id, *args, **kwargs):
        calls.append(hotspot_id)
        # the second row's status change points at a hotspot that does not exist
        return real(conn, 999_999 if len(calls) == 2 else hotspot_id, *args, **kwargs)

    monkeypatch.setattr(store, "record_status", second_breaks_a_foreign_key)
    with pytest.raises(IntakeError) as caught:
        apply(empty_engine, report, ACTOR)
    # In Vietnamese on both stores; PostgreSQL also names the constraint, SQLite does not.
    named = " (ràng buộc status_change_hotspot_id_fkey)" if empty_engine.dialect.name != "sqlite" else ""
    assert str(caught.value) == (
        f"Không ghi được: một dòng trỏ tới bản ghi không có trong dữ liệu{named}. "
        "Không dòng nào được ghi; hãy kiểm tra lại rồi nhập lại."
    )
    assert len(calls) == 2
    assert table_counts(empty_engine) == before
    pd.testing.assert_frame_equal(audit(empty_engine), log_before)
    with empty_engine.connect() as conn:
        assert conn.execute(sa.select(store.hotspot.c.code)).scalars().all() == ["TD-1"]


def test_activity_import_writes_all_or_nothing(empty_engine, monkeypatch):
    seed(empty_engine, [spot("TD-1", "Điểm A", LAKE)])
    before = table_counts(empty_engine)
    report = run(
        empty_engine, ACTIVITY_HEADER,
        [activity("01/08/2025", code="TD-1"), activity("02/08/2025", area="Phường Hoàn Kiếm")],
    )  # fmt: skip
    assert report.counts()["new"] == 2
    real = store.add_activities

    def one_by_one_second_negative(conn, rows):
        # write row by row; the second breaks the table's CHECK constraint
        for i, row in enumerate(rows):
            real(conn, [row | ({"violations_found": -1} if i == 1 else {})])

    monkeypatch.setattr(store, "add_activities", one_by_one_second_negative)
    with pytest.raises(IntakeError) as caught:
        apply(empty_engine, report, ACTOR)
    assert str(caught.value) == (
        "Không ghi được: một giá trị nằm ngoài khoảng cho phép (ràng buộc ck_violations_found_nonneg). "
        "Không dòng nào được ghi; hãy kiểm tra lại rồi nhập lại."
    )
    assert table_counts(empty_engine) == before


def test_import_is_recorded_in_the_audit_log(empty_engine):
    rows = [
        spot("TD-1", "Điểm A", LAKE),
        spot("TD-2", "Điểm B", (10.77, 106.70)),
        spot("TD-3", "Điểm C", HOA_LO),
    ]
    data = csv_bytes(HOTSPOT_HEADER, rows)
    report = check("tu-diem.csv", data, empty_engine, today=TODAY)
    assert apply(empty_engine, report, ACTOR) == {
        "new": 2,
        "updated": 0,
        "skipped": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    digest = hashlib.sha256(data).hexdigest()
    entries = audit(empty_engine, "import")
    assert len(entries) == 1
    entry = entries.iloc[0]
    assert (entry["actor"], entry["entity"], entry["entity_code"]) == (ACTOR, "file", digest[:32])
    assert entry["summary"] == (
        "Nhập tụ điểm từ «tu-diem.csv»: 2 mới, 0 cập nhật, 0 bỏ qua, 0 đã có, 1 dòng bị loại"
    )
    assert json.loads(entry["after"]) == {
        "file": "tu-diem.csv",
        "sha256": digest,
        "kind": "hotspots",
        "new": 2,
        "updated": 0,
        "skipped": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    created = audit(empty_engine, "import_create").sort_values("entity_code")
    assert created["entity_code"].tolist() == ["TD-1", "TD-3"]
    assert created["summary"].tolist() == ["Dòng 2: Điểm A", "Dòng 4: Điểm C"]
    assert history(empty_engine, "TD-1") == [(dt.date(2020, 1, 1), None, "active")]


# --------------------------------------------------------------------------
# Rejected rows


def test_rejected_rows_workbook_fix_and_reimport(empty_engine):
    header = [*HOTSPOT_HEADER, "Ghi chú"]
    rows = [
        [*spot("TD-1", "Điểm A", LAKE), "tốt"],
        [*spot("TD-2", "Điểm B", WEST_LAKE, status="closed", date="31/02/2020"), "hai lỗi"],
        [*spot("TD-3", "Điểm C", (10.77, 106.70)), "ngoài Hà Nội"],
    ]
    report = run(empty_engine, header, rows, name="tu-diem.csv")
    assert report.rejected_rows == [1, 2]
    wb = openpyxl.load_workbook(io.BytesIO(rejected_workbook(report)))
    ws = wb.worksheets[0]
    assert ws.title == "Tụ điểm"
    assert [c.value for c in ws[1]] == [*header, ERROR_HEADER]
    body = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    assert body == [
        [
            "TD-2",
            "Điểm B",
            "public_area",
            "closed",
            "31/02/2020",
            "21.056",
            "105.819",
            "hai lỗi",
            f"Trạng thái: «closed» không phải là trạng thái hợp lệ. Chọn một trong: {STATUS_LIST}.; "
            "Ngày xác định trạng thái: Ngày «31/02/2020» không tồn tại: tháng 2/2020 không có ngày 31.",
        ],
        [
            "TD-3",
            "Điểm C",
            "public_area",
            "active",
            "01/01/2020",
            "10.77",
            "106.7",
            "ngoài Hà Nội",
            "Vĩ độ (WGS84): " + NOT_IN_HANOI.format(lat=10.77, lon=106.70),
        ],
    ]
    # the accepted row goes in first
    apply(empty_engine, report, ACTOR)
    # fix the bad cells in the workbook and import it
    ws["D2"] = "Phức tạp (đang hoạt động)"
    ws["E2"] = dt.datetime(2020, 2, 28)
    ws["F3"], ws["G3"] = HOA_LO
    buffer = io.BytesIO()
    wb.save(buffer)
    fixed = check("tu-diem-sua.xlsx", buffer.getvalue(), empty_engine, today=TODAY)
    assert fixed.problems == []  # the error column is neither an error nor an unknown column
    assert [(r.values["code"], r.action) for r in fixed.records] == [("TD-2", "new"), ("TD-3", "new")]
    assert apply(empty_engine, fixed, ACTOR)["new"] == 2
    assert hotspot_row(empty_engine, "TD-2")["notes"] == "hai lỗi"
    assert history(empty_engine, "TD-2") == [(dt.date(2020, 2, 28), None, "active")]
    assert hotspot_row(empty_engine, "TD-3")["ward_code"] == "00082"


# --------------------------------------------------------------------------
# Round trips


def _data_rows(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def _fill(kind: str, rows: list[list]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template(kind)))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS[Kind(kind)]]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_template_fill_import_export_round_trip(empty_engine):
    wb = openpyxl.load_workbook(io.BytesIO(template("hotspots")))
    assert wb.sheetnames == ["Tụ điểm", "Danh mục", "Hướng dẫn"]
    assert _data_rows(template("hotspots")) == []
    # columns: code, name, kind, status, date, lat, lon, X, Y, ward, responsible unit, notes
    hotspots = [
        ["TD-101", "Điểm công cộng bờ hồ", "Địa bàn công cộng", "Phức tạp (đang hoạt động)",
         dt.datetime(2020, 3, 5), *LAKE, None, None, "Phường Hoàn Kiếm", "UBND Hoàn Kiếm", "Ghi chú"],
        ["TD-102", "Cơ sở ven hồ Tây", "Cơ sở kinh doanh dịch vụ", "Đang triệt xóa",
         dt.datetime(2021, 7, 1), *WEST_LAKE, None, None, "Phường Tây Hồ", "UBND Tây Hồ", None],
    ]  # fmt: skip
    report = check("mau.xlsx", _fill("hotspots", hotspots), empty_engine, today=TODAY)
    assert report.problems == []
    apply(empty_engine, report, ACTOR)
    assert _data_rows(export(empty_engine, "hotspots", CITY)) == hotspots

    # columns: code, date, new status, reason, recording office
    changes = [
        ["TD-101", dt.datetime(2020, 6, 1), "Đang triệt xóa", "Triển khai", "Công an Hoàn Kiếm"],
        ["TD-101", dt.datetime(2021, 1, 10), "Đã triệt xóa (đang theo dõi)", "Đánh giá", "UBND Hoàn Kiếm"],
    ]
    report = check("trang-thai.xlsx", _fill("status", changes), empty_engine, today=TODAY)
    assert report.problems == []
    apply(empty_engine, report, ACTOR)
    exported = _data_rows(export(empty_engine, "status", CITY))
    assert [r for r in exported if r[0] == "TD-101"] == [
        ["TD-101", dt.datetime(2020, 3, 5), "Phức tạp (đang hoạt động)", "Nhập từ tệp", ACTOR],
        *changes,
    ]

    # columns: date, kind, code, area, unit, unit code, then the five counts
    hoan_kiem, dong_da = resolve("Quận Hoàn Kiếm").code, resolve("Quận Đống Đa").code
    tay_ho = resolve("Phường Tây Hồ").code
    activities = [
        [dt.datetime(2020, 4, 2), "Tuần tra", "TD-101", None, "Công an", hoan_kiem, 3, 1, 1, 2_500_000, 0],
        [
            dt.datetime(2020, 5, 2),
            "Kiểm tra hành chính",
            None,
            "Quận Đống Đa",
            "Đội 1",
            dong_da,
            0,
            0,
            0,
            0,
            0,
        ],
        [dt.datetime(2025, 9, 9), "Giao ban", None, "Phường Tây Hồ", "UBND Tây Hồ", tay_ho, 0, 0, 0, 0, 1],
    ]
    report = check("hoat-dong.xlsx", _fill("activities", activities), empty_engine, today=TODAY)
    assert report.problems == []
    apply(empty_engine, report, ACTOR)
    assert _data_rows(export(empty_engine, "activities", CITY)) == activities


def test_sample_export_import_round_trip(sample_engine, empty_engine):
    for kind in ("hotspots", "status", "activities"):
        report = check(f"{kind}.xlsx", export(sample_engine, kind, CITY), empty_engine, today=TODAY)
        assert report.kind == Kind(kind)
        assert report.errors == [], (kind, problems(report, "error")[:5])
        apply(empty_engine, report, ACTOR)

    def snapshot(engine):
        h, s = store.hotspot, store.status_change
        with engine.connect() as conn:
            spots = pd.read_sql(
                sa.select(h.c.code, h.c.name, h.c.kind, h.c.status, h.c.lat, h.c.lon, h.c.ward_code).order_by(
                    h.c.code
                ),
                conn,
            )
            changes = pd.read_sql(
                sa.select(h.c.code, s.c.date, s.c.from_status, s.c.to_status, s.c.reason, s.c.recorded_by)
                .join(h, h.c.id == s.c.hotspot_id)
                .order_by(h.c.code, s.c.date, s.c.id),
                conn,
            )
            acts = pd.read_sql(sa.select(store.activity), conn)
            every = pd.read_sql(
                sa.select(
                    store.activity.c.date,
                    h.c.code,
                    store.activity.c.ward_code,
                    store.activity.c.district_code,
                    store.activity.c.kind,
                    store.activity.c.unit,
                    store.activity.c.unit_code,
                    *(store.activity.c[c] for c in store.COUNT_COLUMNS),
                )
                .outerjoin(h, h.c.id == store.activity.c.hotspot_id)
                .order_by(store.activity.c.date, store.activity.c.id),
                conn,
            )
        cols = list(store.COUNT_COLUMNS)
        by_kind = acts.groupby("kind")[cols].agg(["count", "sum"])
        by_place = acts.groupby(acts["district_code"].fillna("-"))[cols].sum()
        return spots, changes, len(acts), acts[cols].sum().to_dict(), by_kind, by_place, every

    ours, theirs = snapshot(empty_engine), snapshot(sample_engine)
    # every activity, with its performing unit, and every status change with its wording
    pd.testing.assert_frame_equal(ours[6], theirs[6])
    pd.testing.assert_frame_equal(ours[0], theirs[0])
    pd.testing.assert_frame_equal(ours[1], theirs[1])
    assert ours[2] == theirs[2]
    assert ours[3] == theirs[3]
    pd.testing.assert_frame_equal(ours[4], theirs[4])
    pd.testing.assert_frame_equal(ours[5], theirs[5])
    # and importing the exports of the copy again changes nothing
    for kind in ("hotspots", "status", "activities"):
        again = check(f"{kind}.xlsx", export(empty_engine, kind, CITY), empty_engine, today=TODAY)
        assert {r.action for r in again.records} == {"unchanged"}, kind
        assert again.counts()["rejected"] == 0


def test_status_wording_of_an_imported_hotspot_is_filled_in(empty_engine):
    hotspots = csv_bytes(
        HOTSPOT_HEADER,
        [spot("TD-301", "Điểm thử", status="Đã triệt xóa (đang theo dõi)", date="10/05/2020")],
    )
    apply(empty_engine, check("h.csv", hotspots, empty_engine, today=TODAY), ACTOR)
    header = ["Mã tụ điểm", "Ngày", "Trạng thái mới", "Lý do", "Đơn vị ghi nhận"]
    history = [
        ["TD-301", "01/02/2020", "Phức tạp (đang hoạt động)", "Khảo sát", "Công an Hoàn Kiếm"],
        ["TD-301", "10/05/2020", "Đã triệt xóa (đang theo dõi)", "Đánh giá đạt", "UBND Hoàn Kiếm"],
    ]
    report = check("s.csv", csv_bytes(header, history), empty_engine, today=TODAY)
    assert [(r.row, r.action) for r in report.records] == [(2, "new"), (3, "update")]
    done = apply(empty_engine, report, ACTOR)
    assert (done["new"], done["updated"]) == (1, 1)
    with empty_engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                store.status_change.c.date, store.status_change.c.reason, store.status_change.c.recorded_by
            ).order_by(store.status_change.c.date)
        ).all()
        entry = conn.execute(
            sa.select(store.audit_log).where(store.audit_log.c.action == "import_status_update")
        ).one()
    assert [tuple(r) for r in rows] == [
        (dt.date(2020, 2, 1), "Khảo sát", "Công an Hoàn Kiếm"),
        (dt.date(2020, 5, 10), "Đánh giá đạt", "UBND Hoàn Kiếm"),
    ]
    assert json.loads(entry.before) == {"reason": "Nhập từ tệp", "recorded_by": ACTOR}
    # Other wording for a change that already has its own: skipped unless updating.
    history[1][3] = "Biên bản khác"
    again = check("s.csv", csv_bytes(header, history), empty_engine, today=TODAY)
    assert [(r.row, r.action) for r in again.records] == [(2, "unchanged"), (3, "duplicate")]
    assert again.counts()["skip"] == 1
    updating = check("s.csv", csv_bytes(header, history), empty_engine, today=TODAY, on_duplicate="update")
    assert [r.action for r in updating.records] == ["unchanged", "update"]


@pytest.mark.parametrize(
    ("date", "code", "message"),
    [
        (
            "02/04/2020",
            "999",
            "Không có đơn vị mã «999»: ghi mã quận/huyện cũ (3 số) hoặc mã phường/xã (5 số).",
        ),
        ("02/04/2020", "00070", "Ngày 02/04/2020 cần mã quận/huyện cũ (3 số)."),
        ("02/09/2025", "002", "Ngày 02/09/2025 cần mã phường/xã (5 số)."),
    ],
)
def test_performing_unit_code_is_checked(empty_engine, date, code, message):
    data = csv_bytes(
        ["Ngày", "Loại hoạt động", "Địa bàn", "Đơn vị thực hiện", "Mã đơn vị thực hiện"],
        [[date, "Tuần tra", "Phường Hoàn Kiếm", "Công an", code]],
    )
    report = check("a.csv", data, empty_engine, today=TODAY)
    assert [(p.row, p.column, p.value, p.message) for p in report.errors] == [
        (2, "Mã đơn vị thực hiện", code, message)
    ]


def test_preview_points_show_rejected_rows_where_they_fall(empty_engine):
    rows = [
        spot("TD-401", "Điểm hợp lệ"),
        spot("TD-402", "Điểm ở Sài Gòn", point=(10.77, 106.70)),
        spot("TD-403", "", point=north(LAKE, 300)),
    ]
    report = run(empty_engine, HOTSPOT_HEADER, rows)
    points = report.preview_points()
    assert points[["row", "code", "state"]].values.tolist() == [
        [2, "TD-401", "new"],
        [3, "TD-402", "rejected"],
        [4, "TD-403", "rejected"],
    ]
    assert tuple(points.loc[1, ["lat", "lon"]]) == (10.77, 106.70)
    assert points.loc[0, "message"] == ""
    assert points.loc[1, "message"] == "Vĩ độ (WGS84): " + NOT_IN_HANOI.format(lat=10.77, lon=106.70)
    assert points.loc[2, "message"] == "Tên tụ điểm: Thiếu Tên tụ điểm."
    assert report.states() == {0: "new", 1: "rejected", 2: "rejected"}


def test_a_store_changed_since_the_dry_run_is_not_written(empty_engine):
    first = run(empty_engine, HOTSPOT_HEADER, [spot("TD-501", "Điểm một")])
    second = run(empty_engine, HOTSPOT_HEADER, [spot("TD-502", "Điểm hai", point=north(LAKE, 400))])
    assert first.audit_mark == second.audit_mark == 0
    apply(empty_engine, first, ACTOR)
    before = table_counts(empty_engine)
    with pytest.raises(IntakeError) as caught:
        apply(empty_engine, second, ACTOR)
    assert str(caught.value) == (
        "Dữ liệu đã thay đổi từ lúc kiểm tra tệp (có người vừa ghi). Không dòng nào được ghi; "
        "hãy kiểm tra lại tệp rồi ghi."
    )
    assert table_counts(empty_engine) == before
    # checked again, it goes in
    again = run(empty_engine, HOTSPOT_HEADER, [spot("TD-502", "Điểm hai", point=north(LAKE, 400))])
    apply(empty_engine, again, ACTOR)
    assert hotspot_row(empty_engine, "TD-502")["name"] == "Điểm hai"


def test_export_keeps_to_the_callers_scope(sample_engine):
    spots = store.read_hotspots(sample_engine, CITY)
    ward = spots["ward_code"].value_counts().index[0]
    scope = Scope(ward_codes=frozenset({ward}))
    mine = spots[spots["ward_code"] == ward]
    rows = _data_rows(export(sample_engine, "hotspots", scope))
    assert sorted(r[0] for r in rows) == sorted(mine["code"])
    status_rows = _data_rows(export(sample_engine, "status", scope))
    assert {r[0] for r in status_rows} == set(mine["code"])
    activity_rows = _data_rows(export(sample_engine, "activities", scope))
    acts = store.read_activities(sample_engine, scope)
    assert len(activity_rows) == len(acts) > 0
    assert {r[2] for r in activity_rows} - {"", None} <= set(mine["code"])
