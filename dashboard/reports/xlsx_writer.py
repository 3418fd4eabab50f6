"""Lay the tables of a document out as an .xlsx workbook.

A first sheet "Thông tin" gives the title, the build date and the list of
sheets; then one sheet per :class:`~dashboard.reports.model.Table`, named by
its ``key``. Numbers stay numbers and dates real dates (Excel shows them with
the reader's separators); every text cell is stored as text that no
spreadsheet program evaluates (:func:`safe_text`, shared with the import's
workbooks in :mod:`dashboard.intake.cellsafe`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.intake.cellsafe import safe_text  # the one formula guard (re-exported)
from dashboard.reports.model import Cell, Table

DATE_FORMAT = "dd/mm/yyyy"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
#: Rows of a table sheet: title, blank, header, data.
TITLE_ROW, HEADER_ROW = 1, 3


def write_xlsx(
    tables: Sequence[Table], *, title: str, public: bool = False, built_on: dt.date | None = None
) -> bytes:
    """The tables as .xlsx bytes: an information sheet, then one sheet per table.

    Parameters
    ----------
    tables : sequence of Table
        The tables, in sheet order; each sheet is named by ``table.key``.
    title : str
        The workbook title (the report's summary).
    public : bool
        Adds the public-version notice to the information sheet.
    built_on : date, optional
        The build date shown (today by default).
    """
    built_on = built_on or dt.date.today()
    wb = Workbook()
    info = wb.active
    info.title = t("doc.xlsx.info_sheet")
    names = _sheet_names([table.key for table in tables], reserved={info.title})
    for table, name in zip(tables, names, strict=True):
        _table_sheet(wb.create_sheet(name), table)
    _info_sheet(info, tables, names, title=title, public=public, built_on=built_on)
    wb.properties.title = title
    wb.properties.creator = t("doc.xlsx.creator")
    wb.properties.lastModifiedBy = t("doc.xlsx.creator")
    wb.properties.language = "vi-VN"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_names(keys: Sequence[str], *, reserved: set[str]) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters, case-insensitively distinct)."""
    taken = {name.casefold() for name in reserved}
    names = []
    for key in keys:
        base = _BAD_SHEET_CHARS.sub("_", key).strip("'") or "bang"
        base = base[:MAX_SHEET_NAME]
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f"~{n}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _put(ws: Worksheet, row: int, column: int, value: Cell, decimals: int = 0) -> XlCell:
    """Write one value: numbers as numbers, dates as dates, text as guarded text."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        cell.value = value
        cell.number_format = "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
        cell.number_format = DATE_FORMAT
    else:
        cell.value = safe_text(str(value))
        cell.data_type = "s"  # never "f", whatever the text
    return cell


def _shown(value: Cell, decimals: int) -> str:
    """The text a reader sees, to size the column."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value, decimals)
    if isinstance(value, dt.date):
        return fmt_date(value)
    return str(value)


def _table_sheet(ws: Worksheet, table: Table) -> None:
    title = _put(ws, TITLE_ROW, 1, table.title)
    title.font = Font(bold=True, size=13)
    widths = [len(header) for header in table.columns]
    for c, header in enumerate(table.columns, start=1):
        cell = _put(ws, HEADER_ROW, c, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = HEADER_ROW
    for row, values in enumerate(table.rows, start=HEADER_ROW + 1):
        for c, value in enumerate(values, start=1):
            decimals = table.decimals.get(c - 1, 0)
            _put(ws, row, c, value, decimals).border = _BORDER
            widths[c - 1] = max(widths[c - 1], len(_shown(value, decimals)))
    last_data = row
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(table.columns))}{max(last_data, HEADER_ROW)}"
    if table.total is not None:
        row += 1
        for c, value in enumerate(table.total, start=1):
            decimals = table.decimals.get(c - 1, 0)
            cell = _put(ws, row, c, value, decimals)
            cell.font = Font(bold=True)
            cell.border = _BORDER
            widths[c - 1] = max(widths[c - 1], len(_shown(value, decimals)))
    if table.note:
        note = _put(ws, row + 2, 1, table.note)
        note.font = Font(italic=True)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if len(table.columns) > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _info_sheet(
    ws: Worksheet,
    tables: Sequence[Table],
    names: Sequence[str],
    *,
    title: str,
    public: bool,
    built_on: dt.date,
) -> None:
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, t("doc.xlsx.built")).font = Font(bold=True)
    _put(ws, 2, 2, built_on).alignment = Alignment(horizontal="left")
    row = 3
    if public:
        _put(ws, row, 1, t("doc.public_note")).font = Font(italic=True)
        row += 1
    row += 1
    _put(ws, row, 1, t("doc.xlsx.sheets")).font = Font(bold=True)
    row += 1
    for c, header in enumerate((t("doc.xlsx.sheet"), t("doc.xlsx.content")), start=1):
        cell = _put(ws, row, c, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    for table, name in zip(tables, names, strict=True):
        row += 1
        link = _put(ws, row, 1, name)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1", display=name)
        link.font = Font(color="0563C1", underline="single")
        link.border = _BORDER
        _put(ws, row, 2, table.title).border = _BORDER
    ws.column_dimensions["A"].width = (
        max([len(t("doc.xlsx.built")), len(t("doc.xlsx.sheet")), *(len(n) for n in names)], default=10) + 4
    )
    ws.column_dimensions["B"].width = min(max([40, *(len(table.title) + 2 for table in tables)]), 80)
