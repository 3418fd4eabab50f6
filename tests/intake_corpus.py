"""Files for the intake tests, built by code: every builder returns the bytes
of one file (a bad file the import must refuse with a message, or a good one
in some encoding, layout or format).

Nothing is read from disk except what geopandas and sqlite3 write into a
temporary folder first. The .xls writer below is a minimal BIFF8 workbook in
an OLE2 compound file (text, number and date cells), because xlwt is not a
dependency of the project; xlrd reads it like an Excel 97-2003 file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sqlite3
import struct
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path

import openpyxl
from handmade import PLACES

from dashboard.intake.schema import COLUMNS, Kind
from dashboard.textfix import to_tcvn3, to_vni

#: The "today" every check runs with.
TODAY = dt.date(2026, 11, 20)

# --------------------------------------------------------------------------- table content

#: Hotspot columns used by the CSV and spreadsheet corpus (a subset of the template).
HOTSPOT_HEADERS = [
    "Mã tụ điểm",
    "Tên tụ điểm",
    "Loại tụ điểm",
    "Trạng thái",
    "Ngày xác định trạng thái",
    "Vĩ độ (WGS84)",
    "Kinh độ (WGS84)",
]
#: Names full of diacritics (every letter has a TCVN3 byte and a VNI form).
NAMES = ("Chợ đêm Đồng Xuân", "Vườn hoa Lý Thái Tổ")
_LAKE = PLACES["hoan_kiem_lake"][0]
_HOA_LO = PLACES["hoa_lo"][0]


def hotspot_rows(kind: str = "public_area", status: str = "active") -> list[list[str]]:
    """Two valid hotspot rows (codes for kind and status unless labels are given)."""
    return [
        ["TD-901", NAMES[0], kind, status, "05/03/2020", str(_LAKE[0]), str(_LAKE[1])],
        ["TD-902", NAMES[1], kind, status, "06/03/2020", str(_HOA_LO[0]), str(_HOA_LO[1])],
    ]


def hotspot_table(kind: str = "public_area", status: str = "active") -> list[list[str]]:
    return [HOTSPOT_HEADERS, *hotspot_rows(kind, status)]


def strip_diacritics(text: str) -> str:
    """``text`` typed without Vietnamese diacritics (đ as d), case kept."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


# --------------------------------------------------------------------------- text encodings

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 (what Excel on a Vietnamese Windows saves as
    "CSV"): letters cp1258 lacks are written as base letter + tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in parts if c in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


def encode(text: str, encoding: str) -> bytes:
    """File bytes of ``text``: utf-8, utf-8-sig (BOM), utf-16, tcvn3, vni or cp1258."""
    if encoding == "tcvn3":
        return to_tcvn3(text).encode("latin-1")
    if encoding == "vni":
        return to_vni(text).encode("latin-1")
    if encoding == "cp1258":
        return to_cp1258(text)
    return text.encode(encoding)


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    return encode(csv_text(rows, delimiter), encoding)


# --------------------------------------------------------------------------- spreadsheets


def xlsx_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An .xlsx with the given sheets (name, rows), in that order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(xlsx: bytes, ref: str) -> bytes:
    """``xlsx`` with every sheet's ``<dimension>`` replaced by ``ref``, as some
    generators (streaming writers) leave it: the cells are all still there."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), body)
            target.writestr(info, body)
    return out.getvalue()


def _record(code: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", code, len(body)) + body


def _bof(stream_type: int) -> bytes:
    # BIFF8 (0x0600); stream type 0x0005 = workbook globals, 0x0010 = worksheet
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, stream_type, 0x0DBB, 0x07CC, 0, 6))


def _xls_cell(row: int, col: int, value) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):  # LABEL with an uncompressed UTF-16 string
        text = value.encode("utf-16-le")
        return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(value), 1) + text)
    if isinstance(value, dt.date):  # NUMBER with XF 1 (built-in date format 14)
        serial = (value - dt.date(1899, 12, 30)).days
        return _record(0x0203, struct.pack("<HHHd", row, col, 1, float(serial)))
    return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))


def xls_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """A minimal Excel 97-2003 (.xls, BIFF8) workbook with the given sheets."""
    xf_general = struct.pack("<HHHBBBBIiH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    xf_date = struct.pack("<HHHBBBBIiH", 0, 14, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)

    def workbook_globals(positions: list[int]) -> bytes:
        out = _bof(0x0005) + _record(0x0022, struct.pack("<H", 0))  # DATEMODE 1900
        out += _record(0x00E0, xf_general) + _record(0x00E0, xf_date)
        for (name, _rows), position in zip(sheets, positions, strict=True):
            encoded = name.encode("utf-16-le")
            out += _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 1) + encoded)
        return out + _record(0x000A)

    bodies = []
    for _name, rows in sheets:
        cells = b"".join(_xls_cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row))
        width = max((len(row) for row in rows), default=0)
        dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        bodies.append(_bof(0x0010) + dimensions + cells + _record(0x000A))
    position = len(workbook_globals([0] * len(sheets)))
    positions = []
    for body in bodies:
        positions.append(position)
        position += len(body)
    return _compound_file(workbook_globals(positions) + b"".join(bodies))


def _compound_file(stream: bytes) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``stream``
    as "Workbook": header, one FAT sector, one directory sector, the stream
    (padded to at least 4096 bytes so that it lives in regular sectors)."""
    sector = 512
    stream = stream.ljust(max(4096, -(-len(stream) // sector) * sector), b"\x00")
    count = len(stream) // sector
    end, fat_sector, free = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    assert count + 2 <= 128, "one FAT sector only"
    fat = [fat_sector, end, *range(3, count + 2), end]
    fat += [free] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1 if kind else 0, free, free, child)
            + b"\x00" * 36
            + struct.pack("<III", start, size, 0)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry("Workbook", 2, free, 2, len(stream))
        + entry("", 0, free, 0, 0) * 2
    )
    return header + struct.pack("<128I", *fat) + directory + stream


#: The signature of an OLE2 compound file (.xls, .doc).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2_junk() -> bytes:
    """OLE2 magic followed by random bytes: an .xls that is not one."""
    return OLE2_MAGIC + random.Random(7).randbytes(1000)


def docx_like() -> bytes:
    """A Word document's zip layout (what a .docx holds)."""
    return zip_of([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])


# --------------------------------------------------------------------------- other formats


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def sqlite_bytes() -> bytes:
    """A plain SQLite database (not a GeoPackage)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE tu_diem (ma TEXT, ten TEXT)")
        conn.execute("INSERT INTO tu_diem VALUES ('TD-1', 'Chợ')")
        conn.commit()
        conn.close()
        return path.read_bytes()


# --------------------------------------------------------------------------- zips


def zip_of(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    """The first half of ``data`` (an upload cut short)."""
    return data[: len(data) // 2]


def pk_junk() -> bytes:
    """A zip's local-header signature followed by random bytes."""
    return b"PK\x03\x04" + random.Random(11).randbytes(2000)


def bad_crc_xlsx() -> bytes:
    """A zip laid out like an .xlsx whose xl/workbook.xml member was damaged
    after it was written (its CRC no longer matches)."""
    data = zip_of(
        [("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook>sheets</workbook>")],
        zipfile.ZIP_STORED,
    )
    at = data.index(b"sheets")
    return data[:at] + b"X" + data[at + 1 :]


def zip_without_shp() -> bytes:
    return zip_of([("ghi-chu.txt", "Danh sách tụ điểm".encode()), ("anh.jpg", b"\xff\xd8\xff\xe0")])


def zip_bomb(size: int, looks_like: str = "zip") -> bytes:
    """A small zip holding ``size`` zero bytes: a plain zip, or laid out like
    an .xlsx ("xlsx") or a zipped Shapefile ("shp")."""
    zeros = b"\x00" * size
    members = {
        "zip": [("zeros.bin", zeros)],
        "xlsx": [("[Content_Types].xml", b"<Types/>"), ("xl/zeros.bin", zeros)],
        "shp": [("tu_diem.shp", zeros), ("tu_diem.shx", b""), ("tu_diem.dbf", b"")],
    }[looks_like]
    return zip_of(members)


# --------------------------------------------------------------------------- GIS files


def _write(frame, path: Path, driver: str) -> None:
    with warnings.catch_warnings():
        # files without a coordinate system are written on purpose
        warnings.filterwarnings("ignore", message="'crs' was not provided", category=UserWarning)
        frame.to_file(path, driver=driver)


def geo_file(frame, driver: str, suffix: str) -> bytes:
    """``frame`` written by geopandas with ``driver``; the file's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"lop{suffix}"
        _write(frame, path, driver)
        return path.read_bytes()


def shapefile_parts(frame, stem: str = "tu_diem") -> dict[str, bytes]:
    """The files of ``frame`` saved as a Shapefile, by extension (.shp, .shx,
    .dbf, .cpg, and .prj when the frame has a CRS)."""
    with tempfile.TemporaryDirectory() as folder:
        _write(frame, Path(folder) / f"{stem}.shp", "ESRI Shapefile")
        return {path.suffix: path.read_bytes() for path in Path(folder).iterdir()}


def shapefile_zip(
    frame, keep: tuple[str, ...] = (".shp", ".shx", ".dbf", ".prj", ".cpg"), stem: str = "tu_diem"
) -> bytes:
    """A zipped Shapefile with only the members in ``keep`` (those written)."""
    parts = shapefile_parts(frame, stem)
    return zip_of([(f"{stem}{ext}", parts[ext]) for ext in keep if ext in parts])


def template_headers(kind: Kind) -> list[str]:
    return [c.header for c in COLUMNS[kind]]
