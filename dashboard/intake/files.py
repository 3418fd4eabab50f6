"""Opening an uploaded file: check it is what its name says, then read its
header and rows (spreadsheets, CSV) or its features (GeoJSON, GeoPackage,
zipped Shapefile).

Anything wrong with the file as a whole raises :class:`IntakeError` with a
Vietnamese message; nothing here judges single values.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.domain import DomainError
from dashboard.i18n import fmt_number, t
from dashboard.intake.cellsafe import unguard
from dashboard.textfix import LegacyTextError, decode_bytes, fix_text

#: Largest file accepted, in MB (``HOTSPOT_IMPORT_MAX_MB`` changes it).
DEFAULT_MAX_MB = 20.0
#: A zip (.xlsx, zipped Shapefile) may expand to at most this many times the limit.
ZIP_EXPANSION = 10

TABLE_FORMATS = {".xlsx": "xlsx", ".xls": "xls", ".csv": "csv"}
GEO_FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shp"}
FORMAT_NAMES = {
    "xlsx": t("intake.file.format.xlsx"),
    "xls": t("intake.file.format.xls"),
    "csv": t("intake.file.format.csv"),
    "geojson": t("intake.file.format.geojson"),
    "gpkg": t("intake.file.format.gpkg"),
    "shp": t("intake.file.format.shp"),
    "zip": t("intake.file.format.zip"),
    "pdf": t("intake.file.format.pdf"),
    "sqlite": t("intake.file.format.sqlite"),
    "binary": t("intake.file.format.binary"),
}
ACCEPTED = ", ".join([*TABLE_FORMATS, ".geojson", ".gpkg", ".zip (Shapefile)"])


class IntakeError(DomainError):
    """The file cannot be read at all; the message says why, in Vietnamese."""


@dataclass
class Table:
    """A file's content as header + rows of raw cell values."""

    name: str
    fmt: str
    headers: list[str]
    rows: list[list]
    #: the row number the user sees in the file (header row is usually 1)
    row_numbers: list[int]
    sha256: str
    sheet: str | None = None
    #: one WGS84 shapely geometry per row, for GIS files
    geometries: list | None = None
    #: the coordinate system the geometries came in (for the preview)
    source_crs: str | None = None
    notes: list[str] = field(default_factory=list)


def max_bytes(env: dict | None = None) -> int:
    env = os.environ if env is None else env
    raw = env.get("HOTSPOT_IMPORT_MAX_MB", "")
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        mb = math.nan
    if not math.isfinite(mb):
        raise IntakeError(t("intake.file.max_mb_not_number", raw=raw))
    if mb <= 0:
        raise IntakeError(t("intake.file.max_mb_not_positive", raw=raw))
    return int(mb * 1024 * 1024)


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the file is called."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "zip"  # a damaged zip; reported by the reader
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.lower().endswith(".shp") and not n.startswith("__MACOSX/") for n in names):
            return "shp"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg" if data[68:72] in (b"GPKG", b"GP10", b"GP11") else "sqlite"
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    stripped = decode_bytes(sample)[0].lstrip("\ufeff \r\n\t")
    if stripped.startswith("{"):
        return "geojson"
    return "csv"


def open_file(
    name: str, data: bytes, *, limit: int | None = None, sheet: str | None = None, crs: str | None = None
) -> Table:
    """Check and read a file; ``crs`` is used for GIS files that do not say theirs."""
    limit = max_bytes() if limit is None else limit
    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_FORMATS and suffix not in GEO_FORMATS:
        raise IntakeError(
            t(
                "intake.file.bad_suffix",
                name=name,
                suffix=suffix or t("intake.file.no_suffix"),
                accepted=ACCEPTED,
            )
        )
    if not data:
        raise IntakeError(t("intake.file.empty", name=name))
    if len(data) > limit:
        raise IntakeError(
            t(
                "intake.file.too_large",
                name=name,
                size=fmt_number(len(data) / 1048576, 1),
                limit=fmt_number(limit / 1048576, 1),
            )
        )
    claimed = TABLE_FORMATS.get(suffix) or GEO_FORMATS[suffix]
    actual = sniff(data)
    if claimed in ("xlsx", "shp") and actual in ("zip", claimed):
        # a damaged, oversized or hostile zip says so before anything else
        _check_zip(name, data, limit, spreadsheet=claimed == "xlsx")
    if actual != claimed:
        raise IntakeError(
            t(
                "intake.file.wrong_content",
                name=name,
                suffix=suffix,
                actual=FORMAT_NAMES.get(actual, actual),
                claimed=FORMAT_NAMES[claimed],
            )
        )
    digest = hashlib.sha256(data).hexdigest()
    reader = {"xlsx": _read_xlsx, "xls": _read_xls, "csv": _read_csv}.get(claimed)
    if reader is not None:
        table = reader(name, data, digest, sheet)
    else:
        from dashboard.intake.geofiles import read_geo

        table = read_geo(name, claimed, data, digest, crs)
    _clean_headers(table)
    if not table.rows:
        raise IntakeError(t("intake.file.no_rows", name=name, where=_where(table)))
    return table


def _where(table: Table) -> str:
    return t("intake.file.where_sheet", sheet=table.sheet) if table.sheet else ""


def _check_zip(name: str, data: bytes, limit: int, *, spreadsheet: bool = False) -> None:
    """Refuse a damaged or hostile archive before anything reads it: members
    outside the folder it unpacks to (zip-slip), a zip bomb (too much in all,
    or one member packed far tighter than data ever is), and, in a
    spreadsheet, XML parts declaring a DTD or entities (an XML bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        for info in infos:
            why = _unsafe_path(info.filename)
            if why is not None:
                message = t("intake_safety.zip_unsafe_path", name=name, member=info.filename, why=why)
                raise IntakeError(message)
        # Declared sizes first, so a zip bomb is refused before anything is
        # unpacked (zipfile never unpacks a member beyond its declared size).
        expanded = sum(info.file_size for info in infos)
        if expanded > limit * ZIP_EXPANSION:
            raise IntakeError(
                t(
                    "intake.file.zip_too_large",
                    name=name,
                    size=fmt_number(expanded / 1048576),
                    limit=fmt_number(limit * ZIP_EXPANSION / 1048576),
                )
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise IntakeError(
                    t(
                        "intake_safety.zip_ratio",
                        name=name,
                        member=info.filename,
                        ratio=fmt_number(ratio),
                        size=fmt_number(info.file_size / 1048576, 1),
                        max_ratio=MAX_RATIO,
                    )
                )
        bad = None
        for info in infos:  # unpack every member once: checksum checked, XML parts scanned
            scan = spreadsheet and info.filename.lower().endswith(_XML_PARTS)
            state = _unpack(archive, info, scan)
            if state == "dtd":
                raise IntakeError(t("intake_safety.xml_dtd", name=name, member=info.filename))
            if state == "bad":
                bad = info.filename
                break
    except IntakeError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError… from a damaged file
        raise IntakeError(t("intake.file.zip_damaged", name=name, reason=exc)) from None
    if bad is not None:
        raise IntakeError(t("intake.file.zip_bad_member", name=name, member=bad))


#: A member unpacking to more than this may be packed at most MAX_RATIO:1
#: (spreadsheets and Shapefiles pack 5–20:1; a zip bomb's zeros about 1000:1).
RATIO_FLOOR = 1024 * 1024
MAX_RATIO = 200
_CHUNK = 1024 * 1024
#: What a DTD starts with, as ASCII/UTF-8 and as UTF-16 (either byte order).
_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
#: The parts of an .xlsx that openpyxl parses as XML.
_XML_PARTS = (".xml", ".rels", ".vml")


def _unsafe_path(member: str) -> str | None:
    """Why a member's path would land outside the folder it is unpacked to, or None."""
    path = member.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return t("intake_safety.zip_path_absolute")
    if ".." in path.split("/"):
        return t("intake_safety.zip_path_parent")
    return None


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: bool) -> str:
    """Unpack one member (what ``testzip`` does): "bad" when its checksum is
    wrong, "dtd" when ``scan`` is set and it declares a DTD or an entity (no
    Excel file does; an XML bomb needs one), else "ok"."""
    tail = b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                if scan:
                    window = (tail + chunk).lower()
                    if any(mark in window for mark in _DTD_MARKS):
                        return "dtd"
                    tail = window[-32:]
    except zipfile.BadZipFile:
        return "bad"
    return "ok"


def _trim(rows: list[list]) -> tuple[list, list[list], list[int]]:
    """Header = first non-empty row; drop empty rows; keep file row numbers."""
    numbered = [(i + 1, row) for i, row in enumerate(rows)]
    filled = [(n, r) for n, r in numbered if any(not _blank(v) for v in r)]
    if not filled:
        return [], [], []
    (_, header), body = filled[0], filled[1:]
    width = max(len(header), *(len(r) for _, r in body)) if body else len(header)
    pad = [list(r) + [None] * (width - len(r)) for _, r in body]
    return list(header) + [None] * (width - len(header)), pad, [n for n, _ in body]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_headers(table: Table) -> None:
    headers = []
    for index, value in enumerate(table.headers):
        if _blank(value):
            headers.append("")
            continue
        try:
            header, note = fix_text(str(value))
        except LegacyTextError as exc:
            raise IntakeError(t("intake.file.header_unreadable", index=index + 1, reason=exc)) from None
        if note:
            table.notes.append(t("intake.file.header_note", header=header, note=note))
        headers.append(header)
    table.headers = headers


def _read_xlsx(name: str, data: bytes, digest: str, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise IntakeError(t("intake.file.bad_xlsx", name=name, reason=exc)) from None
    try:
        ws = _pick_sheet(name, book.sheetnames, sheet)
        worksheet = book[ws]
        worksheet.reset_dimensions()  # a file's <dimension> tag may be wrong: read every cell
        rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()
    header, body, numbers = _trim(rows)
    if not header:
        raise IntakeError(t("intake.file.sheet_empty", name=name, sheet=ws))
    return Table(name, "xlsx", header, body, numbers, digest, sheet=ws)


#: Sheets of a template that hold no data.
_NOT_DATA = ("huong dan", "danh muc", "instructions", "lists")


def _pick_sheet(name: str, sheets: list[str], wanted: str | None) -> str:
    from dashboard.textfix import fold

    if wanted is not None:
        if wanted not in sheets:
            raise IntakeError(t("intake.file.no_sheet", name=name, sheet=wanted, sheets=", ".join(sheets)))
        return wanted
    data_sheets = [s for s in sheets if fold(s) not in _NOT_DATA]
    if not data_sheets:
        raise IntakeError(t("intake.file.no_data_sheet", name=name))
    return data_sheets[0]


def _read_xls(name: str, data: bytes, digest: str, sheet: str | None) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise IntakeError(t("intake.file.bad_xls", name=name, reason=exc)) from None
    ws_name = _pick_sheet(name, book.sheet_names(), sheet)
    ws = book.sheet_by_name(ws_name)
    rows = []
    for r in range(ws.nrows):
        row = []
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_ERROR:  # "#REF!"…: refused with its row and column
                row.append(xlrd.error_text_from_code.get(cell.value, "#N/A"))
            else:
                row.append(cell.value)
        rows.append(row)
    header, body, numbers = _trim(rows)
    if not header:
        raise IntakeError(t("intake.file.sheet_empty", name=name, sheet=ws_name))
    return Table(name, "xls", header, body, numbers, digest, sheet=ws_name)


def _read_csv(name: str, data: bytes, digest: str, _sheet: str | None) -> Table:
    text, encoding = decode_bytes(data)
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        # A CSV cannot type a cell as text: a writer guards a formula-like text
        # with an apostrophe (OWASP); exactly that apostrophe comes off here.
        rows = [[unguard(cell) for cell in row] for row in reader]
    except csv.Error as exc:
        raise IntakeError(t("intake.file.bad_csv", name=name, reason=exc)) from None
    header, body, numbers = _trim(rows)
    if not header:
        raise IntakeError(t("intake.file.no_header", name=name))
    table = Table(name, "csv", header, body, numbers, digest)
    if encoding == "cp1258":
        table.notes.append(t("intake.file.note_windows_vietnamese"))
    elif encoding not in ("utf-8", "utf-16"):
        table.notes.append(t("intake.file.note_single_byte"))
    return table


def temp_copy(name: str, data: bytes) -> tempfile.TemporaryDirectory:
    """A temporary folder holding ``data`` under ``name`` (for GDAL drivers that need a path)."""
    folder = tempfile.TemporaryDirectory(prefix="hotspot-import-")
    (Path(folder.name) / Path(name).name).write_bytes(data)
    return folder
