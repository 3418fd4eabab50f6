"""Reading uploaded files (dashboard.intake.files, geofiles, service.check),
header matching (schema) and the Excel templates (workbook).

Every file is built by code in :mod:`intake_corpus`; each refused file is
checked against the exact Vietnamese message the user sees.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pytest
import shapely
from intake_corpus import (
    HOTSPOT_HEADERS,
    NAMES,
    OLE2_MAGIC,
    TODAY,
    bad_crc_xlsx,
    csv_bytes,
    csv_text,
    docx_like,
    encode,
    geo_file,
    hotspot_rows,
    hotspot_table,
    ole2_junk,
    pdf_bytes,
    pk_junk,
    png_bytes,
    shapefile_parts,
    shapefile_zip,
    sqlite_bytes,
    strip_diacritics,
    template_headers,
    truncated,
    with_dimension,
    xls_bytes,
    xlsx_bytes,
    zip_bomb,
    zip_of,
    zip_without_shp,
)
from shapely.geometry import Point, Polygon

from dashboard import coords
from dashboard.intake.files import ZIP_EXPANSION, IntakeError, max_bytes, open_file, sniff
from dashboard.intake.schema import (
    ACTIVITY_CHOICES,
    COLUMNS,
    KIND_CHOICES,
    STATUS_CHOICES,
    Kind,
    guess_kind,
    match_headers,
)
from dashboard.intake.service import check
from dashboard.intake.workbook import TEMPLATE_ROWS, template
from dashboard.store import COUNT_COLUMNS
from dashboard.textfix import to_tcvn3, to_vni

ACCEPTED = ".xlsx, .xls, .csv, .geojson, .gpkg, .zip (Shapefile)"
SHEET_NAMES = {
    Kind.HOTSPOTS: "Tụ điểm",
    Kind.STATUS: "Thay đổi trạng thái",
    Kind.ACTIVITIES: "Hoạt động",
    Kind.NOTES: "Ý kiến giao ban",
    Kind.TASKS: "Nhiệm vụ kế hoạch",
}
#: Metre coordinates near Hoàn Kiếm lake (easting, northing).
METRES = [(586_900.0, 2_326_400.0), (586_300.0, 2_326_050.0)]


def refused(name: str, data: bytes, **kwargs) -> str:
    """The message of the IntakeError that open_file raises for this file."""
    with pytest.raises(IntakeError) as info:
        open_file(name, data, **kwargs)
    return str(info.value)


def mismatch(name: str, suffix: str, actual: str, claimed: str) -> str:
    return (
        f"Tệp «{name}» có đuôi {suffix} nhưng nội dung là {actual}, "
        f"không phải {claimed}. Hãy lưu lại đúng định dạng."
    )


def sample_xlsx() -> bytes:
    return xlsx_bytes([("Tụ điểm", hotspot_table())])


def sample_shapefile_zip() -> bytes:
    frame = gpd.GeoDataFrame({"ma": ["TD-1"]}, geometry=[Point(105.85, 21.03)], crs="EPSG:4326")
    return shapefile_zip(frame)


def two_layer_zip() -> bytes:
    frame = gpd.GeoDataFrame({"ma": ["TD-1"]}, geometry=[Point(105.85, 21.03)], crs="EPSG:4326")
    parts = shapefile_parts(frame)
    members = [(f"{stem}{ext}", data) for stem in ("diem", "vung") for ext, data in parts.items()]
    return zip_of(members)


def shapefile_missing(*keep: str) -> bytes:
    frame = gpd.GeoDataFrame({"ma": ["TD-1"]}, geometry=[Point(105.85, 21.03)], crs="EPSG:4326")
    return shapefile_zip(frame, keep=keep)


# --------------------------------------------------------------------------- bad files

BAD_FILES = [
    pytest.param("rong.csv", lambda: b"", "Tệp «rong.csv» rỗng (0 byte).", id="empty-csv"),
    pytest.param("rong.xlsx", lambda: b"", "Tệp «rong.xlsx» rỗng (0 byte).", id="empty-xlsx"),
    pytest.param(
        "ghi-chu.txt",
        lambda: csv_bytes(hotspot_table()),
        f"Tệp «ghi-chu.txt»: không nhận đuôi «.txt». Nhận: {ACCEPTED}.",
        id="txt",
    ),
    pytest.param(
        "bao-cao.docx",
        docx_like,
        f"Tệp «bao-cao.docx»: không nhận đuôi «.docx». Nhận: {ACCEPTED}.",
        id="docx",
    ),
    pytest.param(
        "tu-diem",
        lambda: csv_bytes(hotspot_table()),
        f"Tệp «tu-diem»: không nhận đuôi «(không có)». Nhận: {ACCEPTED}.",
        id="no-extension",
    ),
    pytest.param(
        "tu-diem.xlsx",
        lambda: csv_bytes(hotspot_table()),
        mismatch("tu-diem.xlsx", ".xlsx", "tệp CSV", "bảng tính Excel (.xlsx)"),
        id="csv-named-xlsx",
    ),
    pytest.param(
        "tu-diem.csv",
        sample_xlsx,
        mismatch("tu-diem.csv", ".csv", "bảng tính Excel (.xlsx)", "tệp CSV"),
        id="xlsx-named-csv",
    ),
    pytest.param(
        "bao-cao.xlsx",
        pdf_bytes,
        mismatch("bao-cao.xlsx", ".xlsx", "tệp PDF", "bảng tính Excel (.xlsx)"),
        id="pdf-named-xlsx",
    ),
    pytest.param(
        "bao-cao.xlsx",
        docx_like,
        mismatch(
            "bao-cao.xlsx",
            ".xlsx",
            "tệp nén .zip không chứa bảng tính hay tệp .shp",
            "bảng tính Excel (.xlsx)",
        ),
        id="docx-named-xlsx",
    ),
    pytest.param(
        "cu.xls",
        sample_xlsx,
        mismatch("cu.xls", ".xls", "bảng tính Excel (.xlsx)", "bảng tính Excel 97-2003 (.xls)"),
        id="xlsx-named-xls",
    ),
    pytest.param(
        "moi.xlsx",
        lambda: xls_bytes([("Tụ điểm", hotspot_table())]),
        mismatch("moi.xlsx", ".xlsx", "bảng tính Excel 97-2003 (.xls)", "bảng tính Excel (.xlsx)"),
        id="xls-named-xlsx",
    ),
    pytest.param(
        "ban-do.zip",
        sample_xlsx,
        mismatch("ban-do.zip", ".zip", "bảng tính Excel (.xlsx)", "Shapefile nén (.zip)"),
        id="xlsx-named-zip",
    ),
    pytest.param(
        "tu-diem.xlsx",
        sample_shapefile_zip,
        mismatch("tu-diem.xlsx", ".xlsx", "Shapefile nén (.zip)", "bảng tính Excel (.xlsx)"),
        id="shapefile-named-xlsx",
    ),
    pytest.param(
        "anh.csv",
        png_bytes,
        mismatch("anh.csv", ".csv", "tệp nhị phân", "tệp CSV"),
        id="png-named-csv",
    ),
    pytest.param(
        "lop.gpkg",
        sqlite_bytes,
        mismatch("lop.gpkg", ".gpkg", "cơ sở dữ liệu SQLite", "GeoPackage"),
        id="sqlite-named-gpkg",
    ),
    pytest.param(
        "mang.geojson",
        lambda: b"[[105.85, 21.03]]",
        mismatch("mang.geojson", ".geojson", "tệp CSV", "GeoJSON"),
        id="json-array-named-geojson",
    ),
    pytest.param(
        "cat-do.xlsx",
        lambda: truncated(sample_xlsx()),
        "Tệp «cat-do.xlsx» bị hỏng (tệp nén không đọc được: File is not a zip file).",
        id="truncated-xlsx",
    ),
    pytest.param(
        "cat-do.zip",
        lambda: truncated(sample_xlsx()),
        "Tệp «cat-do.zip» bị hỏng (tệp nén không đọc được: File is not a zip file).",
        id="truncated-xlsx-named-zip",
    ),
    pytest.param(
        "rac.xlsx",
        pk_junk,
        "Tệp «rac.xlsx» bị hỏng (tệp nén không đọc được: File is not a zip file).",
        id="pk-junk-xlsx",
    ),
    pytest.param(
        "rac.zip",
        pk_junk,
        "Tệp «rac.zip» bị hỏng (tệp nén không đọc được: File is not a zip file).",
        id="pk-junk-zip",
    ),
    pytest.param(
        "hong.xlsx",
        bad_crc_xlsx,
        "Tệp «hong.xlsx» bị hỏng: phần «xl/workbook.xml» trong tệp nén bị lỗi.",
        id="bad-crc-member",
    ),
    pytest.param(
        "ban-do.zip",
        zip_without_shp,
        mismatch(
            "ban-do.zip", ".zip", "tệp nén .zip không chứa bảng tính hay tệp .shp", "Shapefile nén (.zip)"
        ),
        id="zip-without-shp",
    ),
    pytest.param(
        "thieu.zip",
        lambda: shapefile_missing(".shp", ".prj", ".cpg"),
        "Tệp «thieu.zip»: Shapefile thiếu phần .shx, .dbf đi kèm «tu_diem.shp».",
        id="shp-without-shx-dbf",
    ),
    pytest.param(
        "thieu.zip",
        lambda: shapefile_missing(".shp", ".shx", ".prj"),
        "Tệp «thieu.zip»: Shapefile thiếu phần .dbf đi kèm «tu_diem.shp».",
        id="shp-without-dbf",
    ),
    pytest.param(
        "hai-lop.zip",
        two_layer_zip,
        "Tệp «hai-lop.zip» chứa 2 lớp .shp; cần đúng một lớp trong tệp nén.",
        id="two-layers",
    ),
    pytest.param(
        "rong.geojson",
        lambda: b'{"type": "FeatureCollection", "features": []}',
        "Tệp «rong.geojson» không có đối tượng nào.",
        id="geojson-no-features",
    ),
    pytest.param(
        "ngoac.csv",
        lambda: 'Mã tụ điểm,Tên tụ điểm\r\nTD-1,"Chợ đêm\r\n'.encode(),
        "Tệp «ngoac.csv» không đọc được như CSV: unexpected end of data.",
        id="csv-open-quote",
    ),
    pytest.param(
        "trang.csv",
        lambda: b"\r\n , ,\r\n\r\n",
        "Tệp «trang.csv» không có tiêu đề và dữ liệu.",
        id="csv-blank",
    ),
    pytest.param(
        "tieu-de.csv",
        lambda: csv_bytes([HOTSPOT_HEADERS]),
        "Tệp «tieu-de.csv» không có dòng dữ liệu nào dưới dòng tiêu đề.",
        id="csv-header-only",
    ),
    pytest.param(
        "trong.xlsx",
        lambda: xlsx_bytes([("Tụ điểm", [])]),
        "Tệp «trong.xlsx», trang «Tụ điểm», trống: không có tiêu đề và dữ liệu.",
        id="xlsx-empty-sheet",
    ),
    pytest.param(
        "tieu-de.xlsx",
        lambda: xlsx_bytes([("Tụ điểm", [HOTSPOT_HEADERS])]),
        "Tệp «tieu-de.xlsx», trang «Tụ điểm», không có dòng dữ liệu nào dưới dòng tiêu đề.",
        id="xlsx-header-only",
    ),
    pytest.param(
        "huong-dan.xlsx",
        lambda: xlsx_bytes([("Hướng dẫn", [["Đọc kỹ"]]), ("Danh mục", [["Tuần tra"]])]),
        "Tệp «huong-dan.xlsx» không có trang dữ liệu nào.",
        id="xlsx-no-data-sheet",
    ),
    pytest.param(
        "trong.xls",
        lambda: xls_bytes([("Hướng dẫn", [["Đọc kỹ"]]), ("Tụ điểm", [])]),
        "Tệp «trong.xls», trang «Tụ điểm», trống: không có tiêu đề và dữ liệu.",
        id="xls-empty-sheet",
    ),
    pytest.param(
        "tieu-de.xls",
        lambda: xls_bytes([("Tụ điểm", [HOTSPOT_HEADERS])]),
        "Tệp «tieu-de.xls», trang «Tụ điểm», không có dòng dữ liệu nào dưới dòng tiêu đề.",
        id="xls-header-only",
    ),
]


@pytest.mark.parametrize(("name", "build", "message"), BAD_FILES)
def test_bad_file_is_refused_with_its_message(name, build, message):
    assert refused(name, build()) == message


@pytest.mark.parametrize(
    ("name", "data", "reader"),
    [
        ("hong.xls", ole2_junk(), "bảng tính Excel 97-2003"),
        ("hong.xls", OLE2_MAGIC + b"\x00" * 1016, "bảng tính Excel 97-2003"),
        (
            "hong.xlsx",
            zip_of([("[Content_Types].xml", b"<Types"), ("xl/workbook.xml", b"<workbook")]),
            "bảng tính Excel",
        ),
    ],
    ids=["ole2-junk", "ole2-zeros", "xlsx-parts-not-xml"],
)
def test_spreadsheet_that_does_not_open_names_the_reader(name, data, reader):
    # the reason after the colon is the reader library's own text
    message = refused(name, data)
    prefix = f"Tệp «{name}» không mở được như {reader}: "
    assert message.startswith(prefix)
    assert message.endswith(".")
    assert len(message) > len(prefix) + 1


@pytest.mark.parametrize(
    "data",
    [
        b'{"type": "FeatureCollection", "features": [',
        b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [105.85, 21.03]',
        b"{khong phai json}",
    ],
    ids=["unterminated-array", "unterminated-object", "not-json"],
)
def test_geojson_with_invalid_json(data):
    assert sniff(data) == "geojson"
    message = refused("hong.geojson", data)
    prefix = "Tệp «hong.geojson» không đọc được như GeoJSON: "
    assert message.startswith(prefix)
    assert len(message) > len(prefix)


# --------------------------------------------------------------------------- size limits


def padded_csv(size: int) -> bytes:
    """A hotspot CSV made ``size`` bytes long with comment-like rows."""
    data = csv_bytes(hotspot_table())
    filler = b"#" * 98 + b"\r\n"
    data += filler * ((size - len(data)) // len(filler))
    return data + b"#" * (size - len(data))


def test_file_over_the_limit():
    limit = 1024 * 1024
    data = padded_csv(limit + limit // 2)
    assert refused("lon.csv", data, limit=limit) == (
        "Tệp «lon.csv» lớn 1,5 MB, vượt giới hạn 1,0 MB (đặt HOTSPOT_IMPORT_MAX_MB để đổi)."
    )
    # a file of exactly the limit is read
    assert open_file("vua.csv", data[:limit], limit=limit).headers == HOTSPOT_HEADERS


def test_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOTSPOT_IMPORT_MAX_MB", "1")
    data = padded_csv(3 * 1024 * 1024)
    assert refused("lon.csv", data) == (
        "Tệp «lon.csv» lớn 3,0 MB, vượt giới hạn 1,0 MB (đặt HOTSPOT_IMPORT_MAX_MB để đổi)."
    )
    monkeypatch.setenv("HOTSPOT_IMPORT_MAX_MB", "abc")
    assert refused("lon.csv", data) == "HOTSPOT_IMPORT_MAX_MB «abc» không phải là số (MB)."


def test_max_bytes():
    assert max_bytes({"HOTSPOT_IMPORT_MAX_MB": "1"}) == 1048576
    assert max_bytes({"HOTSPOT_IMPORT_MAX_MB": "2.5"}) == 2621440
    assert max_bytes({}) == 20 * 1048576
    assert max_bytes({"HOTSPOT_IMPORT_MAX_MB": ""}) == 20 * 1048576
    with pytest.raises(IntakeError) as info:
        max_bytes({"HOTSPOT_IMPORT_MAX_MB": "abc"})
    assert str(info.value) == "HOTSPOT_IMPORT_MAX_MB «abc» không phải là số (MB)."


@pytest.mark.parametrize("raw", ["nan", "inf"])
def test_max_bytes_refuses_values_that_are_not_a_size(raw):
    # NaN and infinity parse as floats but are no size: a message, not a traceback.
    with pytest.raises(IntakeError) as info:
        max_bytes({"HOTSPOT_IMPORT_MAX_MB": raw})
    assert str(info.value) == f"HOTSPOT_IMPORT_MAX_MB «{raw}» không phải là số (MB)."


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [("bom.xlsx", "zip"), ("bom.zip", "zip"), ("bom.xlsx", "xlsx"), ("bom.zip", "shp")],
)
def test_zip_bomb_is_refused(name, looks_like):
    limit = 100 * 1024  # the zip may expand to 1 000 KB at most
    data = zip_bomb(3 * 1024 * 1024, looks_like)
    assert len(data) < limit
    assert refused(name, data, limit=limit) == f"Tệp «{name}» giải nén ra 3 MB, quá lớn (tối đa 1 MB)."


def test_zip_bomb_is_refused_before_it_is_decompressed(monkeypatch):
    # Declared sizes are compared with the limit before any member is unpacked.
    limit = 100 * 1024
    data = zip_bomb(3 * 1024 * 1024)
    inflated = []
    read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        chunk = read(self, n)
        inflated.append(len(chunk))
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert refused("bom.zip", data, limit=limit) == "Tệp «bom.zip» giải nén ra 3 MB, quá lớn (tối đa 1 MB)."
    assert sum(inflated) <= limit * ZIP_EXPANSION


# --------------------------------------------------------------------------- spreadsheets


def test_xlsx_data_sheet_is_picked_after_the_instructions():
    data = xlsx_bytes(
        [
            ("Hướng dẫn", [["Đọc kỹ trước khi nhập"]]),
            ("Danh mục", [["Tuần tra"]]),
            ("Tụ điểm", hotspot_table()),
        ]
    )
    table = open_file("mau.xlsx", data)
    assert (table.fmt, table.sheet) == ("xlsx", "Tụ điểm")
    assert table.headers == HOTSPOT_HEADERS
    assert table.rows == hotspot_rows()
    assert table.row_numbers == [2, 3]
    assert table.geometries is None


def test_instruction_sheets_are_recognised_without_diacritics_or_case():
    data = xlsx_bytes(
        [("HUONG DAN", [["Đọc kỹ"]]), ("danh muc", [["Tuần tra"]]), ("Sheet1", hotspot_table())]
    )
    assert open_file("mau.xlsx", data).sheet == "Sheet1"


def test_blank_rows_keep_the_row_numbers_of_the_file():
    rows = hotspot_table()
    data = xlsx_bytes([("Tụ điểm", [[], rows[0], [None, ""], rows[1], [], rows[2]])])
    table = open_file("mau.xlsx", data)
    assert table.headers == HOTSPOT_HEADERS
    assert table.rows == hotspot_rows()
    assert table.row_numbers == [4, 6]


def test_sheet_argument():
    guide = [["Cột", "Cách ghi"], ["Mã tụ điểm", "Mã riêng của tụ điểm"]]
    data = xlsx_bytes([("Hướng dẫn", guide), ("Tụ điểm", hotspot_table())])
    assert refused("hai-trang.xlsx", data, sheet="Trang 3") == (
        "Tệp «hai-trang.xlsx» không có trang «Trang 3». Các trang: Hướng dẫn, Tụ điểm."
    )
    # a sheet named explicitly is read even if it looks like instructions
    chosen = open_file("hai-trang.xlsx", data, sheet="Hướng dẫn")
    assert (chosen.sheet, chosen.headers, chosen.rows) == ("Hướng dẫn", guide[0], guide[1:])
    assert open_file("hai-trang.xlsx", data, sheet="Tụ điểm").rows == hotspot_rows()


def test_xls_is_read_like_xlsx(empty_engine):
    rows = [
        ["TD-901", NAMES[0], "public_area", "active", dt.date(2020, 3, 5), 21.0287, 105.8524],
        ["TD-902", NAMES[1], "public_area", "active", dt.date(2020, 3, 6), 21.0253, 105.8466],
    ]
    data = xls_bytes([("Hướng dẫn", [["Đọc kỹ"]]), ("Tụ điểm", [HOTSPOT_HEADERS, *rows])])
    assert data.startswith(OLE2_MAGIC)
    assert sniff(data) == "xls"
    table = open_file("cu.xls", data)
    assert (table.fmt, table.sheet, table.headers) == ("xls", "Tụ điểm", HOTSPOT_HEADERS)
    assert table.rows[0] == [*rows[0][:4], dt.datetime(2020, 3, 5), 21.0287, 105.8524]
    assert table.row_numbers == [2, 3]
    report = check("cu.xls", data, empty_engine, today=TODAY)
    assert report.errors == []
    assert [(r.values["code"], r.values["name"], r.values["date"]) for r in report.records] == [
        ("TD-901", NAMES[0], dt.date(2020, 3, 5)),
        ("TD-902", NAMES[1], dt.date(2020, 3, 6)),
    ]


def test_xls_sheet_argument():
    data = xls_bytes([("Hướng dẫn", [["Đọc kỹ"]]), ("Tụ điểm", hotspot_table())])
    assert refused("cu.xls", data, sheet="Trang 3") == (
        "Tệp «cu.xls» không có trang «Trang 3». Các trang: Hướng dẫn, Tụ điểm."
    )


def test_xls_activities_against_the_sample_store(sample_engine):
    headers = ["Ngày", "Loại hoạt động", "Mã tụ điểm", "Đơn vị thực hiện", "Vi phạm phát hiện"]
    rows = [[dt.date(2026, 10, 1), ACTIVITY_CHOICES["patrol"], "TD-001", "Công an phường", 2]]
    data = xls_bytes([("Hoạt động", [headers, *rows])])
    report = check("hoat-dong.xls", data, sample_engine, today=TODAY)
    assert report.kind == Kind.ACTIVITIES
    assert report.errors == []
    [record] = report.records
    assert (record.values["date"], record.values["kind"], record.values["code"]) == (
        dt.date(2026, 10, 1),
        "patrol",
        "TD-001",
    )
    assert record.values["violations_found"] == 2


@pytest.mark.parametrize("ref", ["A1", "A1:B2"], ids=["dimension-A1", "dimension-too-small"])
def test_xlsx_with_a_wrong_dimension_keeps_every_cell(ref):
    # Streaming writers may leave the sheet's <dimension> wrong; every cell is
    # still read.
    data = with_dimension(sample_xlsx(), ref)
    table = open_file("luong.xlsx", data)
    assert table.headers == HOTSPOT_HEADERS
    assert table.rows == hotspot_rows()


# --------------------------------------------------------------------------- CSV encodings

CSV_VARIANTS = [
    pytest.param(",", "utf-8", id="utf-8"),
    pytest.param(",", "utf-8-sig", id="utf-8-bom"),
    pytest.param(";", "utf-8", id="semicolon"),
    pytest.param("\t", "utf-8", id="tab"),
    pytest.param("\t", "utf-16", id="utf-16-tab"),
]
LEGACY = {
    "tcvn3": "Văn bản mã TCVN3 (ABC) đã được chuyển sang Unicode.",
    "vni": "Văn bản mã VNI đã được chuyển sang Unicode.",
}
ONE_BYTE_NOTE = "Tệp không ở dạng UTF-8; đã đọc theo bảng mã 1 byte và tự chuyển chữ mã TCVN3/VNI nếu có."


@pytest.mark.parametrize(("delimiter", "encoding"), CSV_VARIANTS)
def test_unicode_csv(delimiter, encoding, empty_engine):
    data = csv_bytes(hotspot_table(), delimiter=delimiter, encoding=encoding)
    table = open_file("tu-diem.csv", data)
    assert table.fmt == "csv"
    assert table.headers == HOTSPOT_HEADERS
    assert table.rows == hotspot_rows()
    assert table.notes == []
    report = check("tu-diem.csv", data, empty_engine, today=TODAY)
    assert report.kind == Kind.HOTSPOTS
    assert report.errors == []
    assert [r.values["name"] for r in report.records] == list(NAMES)
    assert not [w for w in report.warnings if "chuyển sang Unicode" in w.message]


def test_legacy_encodings_fit_in_one_byte():
    text = csv_text(hotspot_table())
    # VNI needs no Windows-1252 extra: every character is a Latin-1 code point
    assert max(map(ord, to_vni(text))) < 256
    assert max(map(ord, to_tcvn3(text))) < 256
    assert encode(text, "vni") == to_vni(text).encode("latin-1")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_legacy_csv_is_converted(encoding, delimiter, empty_engine):
    data = csv_bytes(hotspot_table(), delimiter=delimiter, encoding=encoding)
    table = open_file("tu-diem.csv", data)
    # headers are converted on reading; cells are converted by the check
    assert table.headers == HOTSPOT_HEADERS
    assert [row[1] for row in table.rows] == [
        (to_tcvn3 if encoding == "tcvn3" else to_vni)(name) for name in NAMES
    ]
    assert table.notes == [ONE_BYTE_NOTE] + [f"Tiêu đề «{h}»: {LEGACY[encoding]}" for h in HOTSPOT_HEADERS]
    report = check("tu-diem.csv", data, empty_engine, today=TODAY)
    assert report.errors == []
    assert [r.values["name"] for r in report.records] == list(NAMES)
    warnings = {(w.row, w.column, w.message) for w in report.warnings}
    for row, name in zip((2, 3), NAMES, strict=True):
        assert (row, "Tên tụ điểm", f"{LEGACY[encoding]} Kết quả: «{name}».") in warnings
    assert (None, None, ONE_BYTE_NOTE) in warnings


@pytest.mark.parametrize("encoding", ["utf-8", "tcvn3", "vni"])
def test_legacy_csv_with_labels_for_kind_and_status(encoding, empty_engine):
    # Drop-down labels typed in TCVN3/VNI are converted like every other text.
    rows = hotspot_table(KIND_CHOICES["public_area"], STATUS_CHOICES["active"])
    data = csv_bytes(rows, encoding=encoding)
    report = check("tu-diem.csv", data, empty_engine, today=TODAY)
    assert [(p.row, p.column, p.message) for p in report.errors] == []
    assert [(r.values["kind"], r.values["status"]) for r in report.records] == [("public_area", "active")] * 2


def test_windows_1258_csv_never_stores_garbled_names(empty_engine):
    # Excel on a Vietnamese Windows saves "CSV" in Windows-1258; a name that is
    # accepted must be the one that was typed.
    rows = [[strip_diacritics(h) for h in HOTSPOT_HEADERS], *hotspot_rows()]
    data = csv_bytes(rows, encoding="cp1258")
    # the bytes really are Windows-1258 for the text typed
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == csv_text(rows)
    report = check("tu-diem.csv", data, empty_engine, today=TODAY)
    assert {r.values["name"] for r in report.records} <= set(NAMES)


# --------------------------------------------------------------------------- headers and kinds


NBSP = "\u00a0"


def _header_variants():
    return {
        "nfd": lambda h: unicodedata.normalize("NFD", h),
        "no-diacritics": strip_diacritics,
        "upper": str.upper,
        "upper-no-diacritics": lambda h: strip_diacritics(h).upper(),
        "odd-spaces": lambda h: "  " + h.replace(" ", NBSP + " ") + " ",
    }


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("variant", list(_header_variants()))
def test_headers_typed_differently_still_map(kind, variant):
    change = _header_variants()[variant]
    headers = [change(h) for h in template_headers(kind)]
    assert headers != template_headers(kind)
    found = match_headers(kind, headers)
    assert found.positions == {c.key: i for i, c in enumerate(COLUMNS[kind])}
    assert (found.unknown, found.repeated, found.error_column) == ([], [], None)
    assert guess_kind(headers) == kind


def test_csv_with_plain_upper_case_headers(empty_engine):
    rows = [[strip_diacritics(h).upper() for h in HOTSPOT_HEADERS], *hotspot_rows()]
    report = check("tu-diem.csv", csv_bytes(rows), empty_engine, today=TODAY)
    assert report.kind == Kind.HOTSPOTS
    assert report.errors == []
    assert [r.values["name"] for r in report.records] == list(NAMES)


def test_unknown_and_repeated_headers():
    found = match_headers(Kind.HOTSPOTS, ["Mã tụ điểm", "Họ tên chủ cơ sở", "", "MA TU DIEM", "Lỗi cần sửa"])
    assert found.positions == {"code": 0}
    assert found.unknown == [(1, "Họ tên chủ cơ sở")]
    assert found.repeated == [(3, "MA TU DIEM")]
    assert found.error_column == 4


@pytest.mark.parametrize("kind", list(Kind))
def test_guess_kind_on_template_headers(kind):
    sheet = openpyxl.load_workbook(io.BytesIO(template(kind))).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert guess_kind(headers) == kind


# Status (code, date, status, reason, unit) and activities (date, kind, code,
# unit, area) both fit these headers with five columns each.
AMBIGUOUS = ["Ngày", "Loại hoạt động", "Mã tụ điểm", "Trạng thái mới", "Lý do", "Đơn vị", "Địa bàn"]
UNRELATED = ["Họ tên", "Địa chỉ", "Số điện thoại"]


def test_guess_kind_returns_none_when_ambiguous_or_unknown():
    assert len(match_headers(Kind.STATUS, AMBIGUOUS).positions) == 5
    assert len(match_headers(Kind.ACTIVITIES, AMBIGUOUS).positions) == 5
    assert guess_kind(AMBIGUOUS) is None
    assert guess_kind(UNRELATED) is None
    assert guess_kind(AMBIGUOUS[:-1]) == Kind.STATUS


@pytest.mark.parametrize("headers", [AMBIGUOUS, UNRELATED], ids=["ambiguous", "unrelated"])
def test_check_asks_for_the_kind(headers, sample_engine):
    data = csv_bytes([headers, ["x"] * len(headers)])
    with pytest.raises(IntakeError) as info:
        check("khong-ro.csv", data, sample_engine, today=TODAY)
    assert str(info.value) == (
        "Không nhận ra tệp «khong-ro.csv» chứa loại dữ liệu nào từ các tiêu đề cột: chọn loại "
        "(hotspots (Tụ điểm), status (Thay đổi trạng thái), activities (Hoạt động), "
        "notes (Ý kiến giao ban), tasks (Nhiệm vụ kế hoạch))."
    )


def test_check_refuses_an_unknown_duplicate_policy(empty_engine):
    with pytest.raises(IntakeError) as info:
        check("tu-diem.csv", csv_bytes(hotspot_table()), empty_engine, today=TODAY, on_duplicate="merge")
    assert str(info.value) == "Cách xử lý trùng «merge» không hợp lệ: dùng skip hoặc update."


# --------------------------------------------------------------------------- GIS files


def points_frame(crs: str | None, geometries=None) -> gpd.GeoDataFrame:
    geometries = geometries or [Point(105.8524, 21.0287), Point(105.8466, 21.0253)]
    return gpd.GeoDataFrame({"ma": ["TD-901", "TD-902"], "ten": list(NAMES)}, geometry=geometries, crs=crs)


def metre_points() -> list[Point]:
    return [Point(x, y) for x, y in METRES]


def assert_close(actual, expected, tolerance: float) -> None:
    assert [g.geom_type for g in actual] == [g.geom_type for g in expected]
    for a, b in zip(actual, expected, strict=True):
        diff = shapely.get_coordinates(a) - shapely.get_coordinates(b)
        assert np.abs(diff).max() <= tolerance


def test_geojson_points_in_wgs84():
    frame = points_frame("EPSG:4326")
    table = open_file("diem.geojson", geo_file(frame, "GeoJSON", ".geojson"))
    assert table.fmt == "geojson"
    assert (table.headers, table.rows) == (["ma", "ten"], [["TD-901", NAMES[0]], ["TD-902", NAMES[1]]])
    assert table.row_numbers == [1, 2]
    assert table.notes == []
    assert [g.wkt for g in table.geometries] == [g.wkt for g in frame.geometry]
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(table.geometries, frame.geometry, strict=True))


def test_geojson_in_metres_without_crs_is_read_as_vn2000_hanoi():
    frame = points_frame(None, metre_points())
    table = open_file("diem.geojson", geo_file(frame, "GeoJSON", ".geojson"))
    assert table.notes == [
        "Tệp không ghi hệ toạ độ; số liệu là mét nên đọc theo VN-2000 TM-3 kinh tuyến trục 105°00' (Hà Nội). "
        "Nếu sai, chọn hệ toạ độ khác và kiểm tra lại trên bản đồ."
    ]
    expected = [coords.geometry_to_wgs84(g, "vn2000_hanoi") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-9)


def test_geojson_that_declares_its_crs_is_read_in_it():
    # A GeoJSON written with a "crs" member (GDAL, QGIS) is read in that system.
    frame = points_frame("EPSG:3405", metre_points())
    data = geo_file(frame, "GeoJSON", ".geojson")
    assert b"EPSG::3405" in data
    table = open_file("diem.geojson", data)
    assert table.notes == []
    expected = [coords.geometry_to_wgs84(g, "EPSG:3405") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-6)


def test_geopackage_in_vn2000_utm48():
    frame = points_frame("EPSG:3405", metre_points())
    data = geo_file(frame, "GPKG", ".gpkg")
    assert sniff(data) == "gpkg"
    table = open_file("diem.gpkg", data)
    assert table.fmt == "gpkg"
    assert table.source_crs == "VN-2000 / UTM zone 48N (EPSG:3405)"
    assert table.notes == []
    assert (table.headers, table.rows) == (["ma", "ten"], [["TD-901", NAMES[0]], ["TD-902", NAMES[1]]])
    expected = [coords.geometry_to_wgs84(g, "EPSG:3405") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-6)


def test_shapefile_without_prj_in_metres():
    data = shapefile_zip(points_frame(None, metre_points()))
    assert "tu_diem.prj" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    table = open_file("diem.zip", data)
    assert table.fmt == "shp"
    assert table.source_crs == "VN-2000 TM-3 kinh tuyến trục 105°00' (Hà Nội)"
    assert table.notes == [
        "Tệp không ghi hệ toạ độ; số liệu là mét nên đọc theo VN-2000 TM-3 kinh tuyến trục 105°00' (Hà Nội). "
        "Nếu sai, chọn hệ toạ độ khác và kiểm tra lại trên bản đồ."
    ]
    expected = [coords.geometry_to_wgs84(g, "vn2000_hanoi") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-9)


def test_shapefile_without_prj_in_degrees():
    frame = points_frame(None)
    table = open_file("diem.zip", shapefile_zip(frame))
    assert table.source_crs == "WGS84 (vĩ độ, kinh độ)"
    assert table.notes == ["Tệp không ghi hệ toạ độ; số liệu là độ nên đọc theo WGS84."]
    assert_close(table.geometries, list(frame.geometry), 0)


def test_chosen_crs_is_used_when_the_file_states_none():
    table = open_file("diem.zip", shapefile_zip(points_frame(None, metre_points())), crs="vn2000_utm48")
    assert table.source_crs == "VN-2000 UTM múi 48N (EPSG:3405)"
    assert table.notes == [
        "Tệp không ghi hệ toạ độ; số liệu là mét nên đọc theo VN-2000 UTM múi 48N (EPSG:3405). "
        "Nếu sai, chọn hệ toạ độ khác và kiểm tra lại trên bản đồ."
    ]
    expected = [coords.geometry_to_wgs84(g, "vn2000_utm48") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-9)


def test_crs_stated_by_the_file_wins_over_the_chosen_one():
    data = shapefile_zip(points_frame("EPSG:3405", metre_points()))
    assert "tu_diem.prj" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    table = open_file("diem.zip", data, crs="vn2000_hanoi")
    assert table.source_crs == "VN-2000 / UTM zone 48N (EPSG:3405)"
    assert table.notes == []
    expected = [coords.geometry_to_wgs84(g, "EPSG:3405") for g in metre_points()]
    assert_close(table.geometries, expected, 1e-6)


def outlines() -> list[Polygon]:
    (x, y), (u, v) = METRES
    return [
        Polygon([(x, y), (x + 40, y), (x + 40, y + 30), (x, y + 30)]),
        Polygon([(u, v), (u + 25, v), (u + 25, v + 25), (u, v + 25)]),
    ]


def polygon_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "ma": ["TD-901", "TD-902"],
            "ten": list(NAMES),
            "loai": ["public_area", "service_business"],
            "status": ["active", "clearing"],
            "ngay": ["05/03/2020", "06/03/2020"],
        },
        geometry=outlines(),
        crs="EPSG:3405",
    )


def test_shapefile_polygons_stay_polygons(empty_engine):
    data = shapefile_zip(polygon_frame())
    table = open_file("vung.zip", data)
    assert [g.geom_type for g in table.geometries] == ["Polygon", "Polygon"]
    expected = [coords.geometry_to_wgs84(g, "EPSG:3405") for g in outlines()]
    assert all(
        a.normalize().equals_exact(b.normalize(), 1e-6)
        for a, b in zip(table.geometries, expected, strict=True)
    )
    report = check("vung.zip", data, empty_engine, today=TODAY)
    assert report.kind == Kind.HOTSPOTS
    assert report.errors == []
    assert [r.values["name"] for r in report.records] == list(NAMES)
    for record, outline in zip(report.records, expected, strict=True):
        stored = shapely.from_geojson(record.values["area_geojson"])
        assert stored.geom_type == "Polygon"
        assert stored.normalize().equals_exact(outline.normalize(), 1e-9)


def test_geopackage_with_template_headers_through_check(empty_engine):
    frame = gpd.GeoDataFrame(
        {
            "Mã tụ điểm": ["TD-901", "TD-902"],
            "Tên tụ điểm": list(NAMES),
            "Loại tụ điểm": [KIND_CHOICES["public_area"]] * 2,
            "Trạng thái": [STATUS_CHOICES["active"]] * 2,
            "Ngày xác định trạng thái": ["05/03/2020", "06/03/2020"],
        },
        geometry=metre_points(),
        crs="EPSG:3405",
    )
    report = check("diem.gpkg", geo_file(frame, "GPKG", ".gpkg"), empty_engine, today=TODAY)
    assert report.errors == []
    expected = [coords.geometry_to_wgs84(g, "EPSG:3405") for g in metre_points()]
    got = [(r.values["code"], r.values["lat"], r.values["lon"]) for r in report.records]
    assert [code for code, _, _ in got] == ["TD-901", "TD-902"]
    for (_, lat, lon), point in zip(got, expected, strict=True):
        assert abs(lat - point.y) <= 1e-9
        assert abs(lon - point.x) <= 1e-9
    assert [r.values["area_geojson"] for r in report.records] == [None, None]


def test_gis_file_is_for_hotspots_only(empty_engine):
    data = geo_file(points_frame("EPSG:4326"), "GPKG", ".gpkg")
    with pytest.raises(IntakeError) as info:
        check("diem.gpkg", data, empty_engine, today=TODAY, kind="status")
    assert str(info.value) == "Tệp bản đồ «diem.gpkg» chỉ dùng để nhập tụ điểm (vị trí hoặc vùng)."


def test_shapefile_zipped_on_a_mac():
    # macOS "Compress" adds AppleDouble copies (__MACOSX/._name.shp): not layers.
    parts = shapefile_parts(points_frame("EPSG:4326"))
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 26
    members = [(f"tu_diem{ext}", data) for ext, data in parts.items()]
    members += [(f"__MACOSX/._tu_diem{ext}", apple_double) for ext in parts]
    table = open_file("diem.zip", zip_of(members))
    assert table.rows == [["TD-901", NAMES[0]], ["TD-902", NAMES[1]]]


# --------------------------------------------------------------------------- templates


def load_template(kind: Kind) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template(kind)))


@pytest.mark.parametrize("kind", list(Kind))
def test_template_sheets_and_headers(kind):
    book = load_template(kind)
    assert book.sheetnames == [SHEET_NAMES[kind], "Danh mục", "Hướng dẫn"]
    sheet = book[SHEET_NAMES[kind]]
    assert [cell.value for cell in sheet[1]] == [c.header for c in COLUMNS[kind]]
    for cell, column in zip(sheet[1], COLUMNS[kind], strict=True):
        colour = cell.fill.fgColor.rgb
        assert colour.endswith("FCE4D6") == column.required, column.header
        assert cell.font.b


@pytest.mark.parametrize("kind", list(Kind))
def test_template_validations(kind):
    book = load_template(kind)
    sheet = book[SHEET_NAMES[kind]]
    lists = book["Danh mục"]
    by_column = {}
    for rule in sheet.data_validations.dataValidation:
        ranges = str(rule.sqref).split()
        assert len(ranges) == 1
        letters = "".join(ch for ch in ranges[0].split(":")[0] if ch.isalpha())
        by_column[letters] = rule
        assert ranges[0] == f"{letters}2:{letters}{TEMPLATE_ROWS + 1}"
    expected = set()
    for index, column in enumerate(COLUMNS[kind]):
        letter = openpyxl.utils.get_column_letter(index + 1)
        if column.choices:
            rule = by_column[letter]
            assert rule.type == "list"
            assert rule.formula1.startswith("'Danh mục'!")
            cells = lists[rule.formula1.split("!")[1].replace("$", "")]
            assert [row[0].value for row in cells] == list(column.choices.values())
        elif column.is_date:
            assert by_column[letter].type == "date"
            expected_format = "MM/YYYY" if column.is_month else "DD/MM/YYYY"
            assert sheet.cell(row=2, column=index + 1).number_format == expected_format
        elif column.key in COUNT_COLUMNS:
            assert by_column[letter].type == "whole"
            assert by_column[letter].formula1 == "0"
        else:
            assert sheet.cell(row=2, column=index + 1).number_format == "General"
            continue
        expected.add(letter)
    assert set(by_column) == expected


def test_count_columns_are_the_activity_numbers():
    # the columns validated as whole numbers in the activities template
    assert [c.header for c in COLUMNS[Kind.ACTIVITIES] if c.key in COUNT_COLUMNS] == [
        "Vi phạm phát hiện",
        "Vụ việc xử lý",
        "Cơ sở bị xử phạt",
        "Tiền phạt (đồng)",
        "Số người được chuyển hỗ trợ",
    ]


@pytest.mark.parametrize("kind", list(Kind))
def test_template_instructions_list_every_column(kind):
    sheet = load_template(kind)["Hướng dẫn"]
    listed = [row[0].value for row in sheet.iter_rows()]
    for column in COLUMNS[kind]:
        assert column.header in listed
        row = listed.index(column.header) + 1
        assert sheet.cell(row=row, column=2).value == ("Có" if column.required else None)
        assert sheet.cell(row=row, column=3).value == column.help


@pytest.mark.parametrize("kind", list(Kind))
def test_blank_template_has_no_data_rows(kind):
    name = f"mau-{kind.value}.xlsx"
    assert refused(name, template(kind)) == (
        f"Tệp «{name}», trang «{SHEET_NAMES[kind]}», không có dòng dữ liệu nào dưới dòng tiêu đề."
    )


def fill_template(kind: Kind, values: dict[str, object]) -> bytes:
    book = load_template(kind)
    sheet = book[SHEET_NAMES[kind]]
    for index, column in enumerate(COLUMNS[kind], start=1):
        if column.key in values:
            sheet.cell(row=2, column=index, value=values[column.key])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_filled_hotspot_template(empty_engine):
    data = fill_template(
        Kind.HOTSPOTS,
        {
            "code": "TD-901",
            "name": NAMES[0],
            "kind": KIND_CHOICES["service_business"],
            "status": STATUS_CHOICES["clearing"],
            "date": dt.datetime(2020, 3, 5),
            "lat": 21.0287,
            "lon": 105.8524,
            "ward": "Phường Hoàn Kiếm",
        },
    )
    report = check("mau.xlsx", data, empty_engine, today=TODAY)
    assert report.kind == Kind.HOTSPOTS
    assert report.errors == []
    [record] = report.records
    assert (record.row, record.action) == (2, "new")
    assert {k: record.values[k] for k in ("code", "name", "kind", "status", "date")} == {
        "code": "TD-901",
        "name": NAMES[0],
        "kind": "service_business",
        "status": "clearing",
        "date": dt.date(2020, 3, 5),
    }


def test_filled_status_template(sample_engine):
    data = fill_template(
        Kind.STATUS,
        {
            "code": "TD-007",
            "date": dt.datetime(2026, 11, 1),
            "status": STATUS_CHOICES["cleared"],
            "reason": "Đánh giá đạt tiêu chí triệt xóa",
        },
    )
    report = check("mau.xlsx", data, sample_engine, today=TODAY)
    assert report.kind == Kind.STATUS
    assert report.errors == []
    assert [(r.values["code"], r.values["status"], r.values["date"]) for r in report.records] == [
        ("TD-007", "cleared", dt.date(2026, 11, 1))
    ]


def test_filled_activity_template(sample_engine):
    data = fill_template(
        Kind.ACTIVITIES,
        {
            "date": dt.datetime(2026, 10, 2),
            "kind": ACTIVITY_CHOICES["inspection"],
            "code": "TD-001",
            "unit": "Công an phường",
            "cases_handled": 3,
        },
    )
    report = check("mau.xlsx", data, sample_engine, today=TODAY)
    assert report.kind == Kind.ACTIVITIES
    assert report.errors == []
    [record] = report.records
    assert (record.values["kind"], record.values["cases_handled"], record.values["violations_found"]) == (
        "inspection",
        3,
        0,
    )
