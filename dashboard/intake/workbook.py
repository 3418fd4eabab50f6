"""Excel files the app hands out: blank templates, rejected rows ready to
fix, and exports of stored data in the template's columns."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.domain import UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.intake.cellsafe import put_text
from dashboard.intake.files import Table
from dashboard.intake.schema import COLUMNS, ERROR_HEADER, KIND_LABELS, Column, Kind, match_headers
from dashboard.intake.validate import Report
from dashboard.scope import Scope

#: Rows prepared with drop-downs and date format in a blank template.
TEMPLATE_ROWS = 1000
DATE_FORMAT = "DD/MM/YYYY"
MONTH_FORMAT = "MM/YYYY"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")

GENERAL_RULES = (
    t("intake.template.rule.rows"),
    t("intake.template.rule.required"),
    t("intake.template.rule.dates"),
    t("intake.template.rule.privacy"),
    t("intake.template.rule.coordinates"),
    t("intake.template.rule.names"),
    t("intake.template.rule.csv"),
    t("intake.template.rule.reimport"),
)

#: Rules of one kind only, listed after the general ones.
KIND_RULES = {
    Kind.NOTES: (t("notes.template.rule.privacy"), t("notes.template.rule.one_per_month")),
    Kind.TASKS: (
        t("plans.import.rule.identity"),
        t("plans.import.rule.new_plan"),
        t("plans.import.rule.overdue"),
    ),
}


def _number_format(column: Column) -> str:
    return MONTH_FORMAT if column.is_month else DATE_FORMAT


def _sheet_title(kind: Kind) -> str:
    return KIND_LABELS[kind]


def _style_header(ws, columns: list[Column | None], headers: list[str]) -> None:
    for index, header in enumerate(headers, start=1):
        cell = _write(ws, 1, index, header)
        column = columns[index - 1]
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = _REQUIRED_FILL if column is not None and column.required else _HEADER_FILL
        if header == ERROR_HEADER:
            cell.fill = _ERROR_FILL
        width = column.width if column is not None else max(12, min(40, len(header) + 2))
        ws.column_dimensions[get_column_letter(index)].width = 48 if header == ERROR_HEADER else width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32


def _lists_sheet(wb: Workbook, kind: Kind) -> dict[str, str]:
    """A sheet of the drop-down lists; returns field key -> range formula."""
    title = t("intake.template.lists_sheet")
    ws = wb.create_sheet(title)
    ranges = {}
    col = 1
    for column in COLUMNS[kind]:
        if not column.choices:
            continue
        _write(ws, 1, col, column.header).font = Font(bold=True)
        for i, label in enumerate(column.choices.values(), start=2):
            _write(ws, i, col, label)
        letter = get_column_letter(col)
        ranges[column.key] = f"'{title}'!${letter}$2:${letter}${len(column.choices) + 1}"
        ws.column_dimensions[letter].width = 34
        col += 1
    return ranges


def _validations(ws, kind: Kind, positions: dict[str, int], ranges: dict[str, str], last_row: int) -> None:
    for column in COLUMNS[kind]:
        if column.key not in positions:
            continue
        letter = get_column_letter(positions[column.key] + 1)
        area = f"{letter}2:{letter}{last_row}"
        if column.choices:
            rule = DataValidation(type="list", formula1=ranges[column.key], allow_blank=not column.required)
            rule.error = t("intake.template.pick", column=column.header.lower())
        elif column.is_date:
            rule = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=not column.required,
            )
            rule.error = t("notes.template.month_rule" if column.is_month else "intake.template.date_rule")
            for row in range(2, last_row + 1):
                ws.cell(row=row, column=positions[column.key] + 1).number_format = _number_format(column)
        elif column.key in store.COUNT_COLUMNS:
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            rule.error = t("intake.template.count_rule")
        else:
            continue
        rule.errorTitle = t("intake.template.invalid_title")
        rule.showErrorMessage = True
        rule.add(area)
        ws.add_data_validation(rule)


def _instructions(wb: Workbook, kind: Kind) -> None:
    ws = wb.create_sheet(t("intake.template.instructions_sheet"))
    heading = _write(ws, 1, 1, t("intake.template.title", kind=KIND_LABELS[kind].lower()))
    heading.font = Font(bold=True, size=13)
    row = 3
    for rule in (*GENERAL_RULES, *KIND_RULES.get(kind, ())):
        _write(ws, row, 1, f"• {rule}")
        row += 1
    row += 1
    titles = (
        t("intake.template.col.column"),
        t("intake.template.col.required"),
        t("intake.template.col.how"),
        t("intake.template.col.example"),
    )
    for index, title in enumerate(titles, start=1):
        cell = _write(ws, row, index, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in COLUMNS[kind]:
        row += 1
        _write(ws, row, 1, column.header)
        _write(ws, row, 2, t("intake.template.yes") if column.required else "")
        _write(ws, row, 3, column.help).alignment = Alignment(wrap_text=True)
        example = _write(ws, row, 4, column.example if column.example != "" else None)
        if column.is_date and column.example:
            example.value = dt.datetime.strptime(column.example, "%m/%Y" if column.is_month else "%d/%m/%Y")
            example.number_format = _number_format(column)
    for letter, width in zip("ABCD", (26, 10, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _data_workbook(
    kind: Kind, headers: list[str], rows: list[list], errors: list[str] | None = None
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(kind)
    if errors is not None:
        headers = [*headers, ERROR_HEADER]
    header_map = match_headers(kind, headers)
    by_key = {c.key: c for c in COLUMNS[kind]}
    columns: list[Column | None] = [None] * len(headers)
    for key, position in header_map.positions.items():
        columns[position] = by_key[key]
    _style_header(ws, columns, headers)
    for r, row in enumerate(rows, start=2):
        values = [*row, errors[r - 2]] if errors is not None else row
        for c, value in enumerate(values, start=1):
            cell = _write(ws, r, c, value)
            if isinstance(value, dt.date):
                column = columns[c - 1] if c <= len(columns) else None
                cell.number_format = _number_format(column) if column is not None else DATE_FORMAT
    ranges = _lists_sheet(wb, kind)
    _validations(ws, kind, header_map.positions, ranges, max(len(rows) + 1, TEMPLATE_ROWS + 1))
    _instructions(wb, kind)
    return _save(wb)


def _write(ws, row: int, column: int, value):
    """Write one cell: dates as dates, numbers as numbers, every text as text
    that no spreadsheet program evaluates (:func:`~dashboard.intake.cellsafe.put_text`)."""
    cell = ws.cell(row=row, column=column)
    if not isinstance(value, str | int | float | dt.date | pd.Timestamp | None):
        value = str(value)  # a GIS attribute holding a list or a mapping, kept as its text
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = _cell(value)
    return cell


def _cell(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    return value


def template(kind: Kind) -> bytes:
    """A blank template: data sheet with drop-downs, instructions, lists."""
    kind = Kind(kind)
    return _data_workbook(kind, [c.header for c in COLUMNS[kind]], [])


def rejected_workbook(report: Report) -> bytes:
    """The rejected rows as they were in the file, with an error column."""
    table: Table = report.table
    by_row: dict[int, list[str]] = {}
    for problem in report.errors:
        if problem.row is None:
            continue
        where = f"{problem.column}: " if problem.column else ""
        by_row.setdefault(problem.row, []).append(where + problem.message)
    positions = report.rejected_rows
    headers = list(table.headers)
    rows = [list(table.rows[i]) for i in positions]
    if table.geometries is not None:
        headers += [t("intake.col.hotspots.lat.header"), t("intake.col.hotspots.lon.header")]
        for row, i in zip(rows, positions, strict=True):
            geom = table.geometries[i]
            point = None if geom is None or geom.is_empty else geom.representative_point()
            row += [point.y, point.x] if point is not None else [None, None]
    errors = ["; ".join(by_row.get(table.row_numbers[i], [])) for i in positions]
    return _data_workbook(report.kind, headers, rows, errors)


def export(engine: Engine, kind: Kind, scope: Scope) -> bytes:
    """Stored data within ``scope`` in the template's columns (re-importing it
    changes nothing)."""
    kind = Kind(kind)
    headers = {c.key: c.header for c in COLUMNS[kind]}
    labels = {c.key: c.choices for c in COLUMNS[kind] if c.choices}
    spots = store.read_hotspots(engine, scope)
    codes = dict(zip(spots["id"], spots["code"], strict=True))
    wards = unit_names(UnitLevel.WARD)
    if kind == Kind.HOTSPOTS:
        last = store.read_status_history(engine, scope).groupby("hotspot_id")["date"].max()
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "kind": labels["kind"][s.kind],
                "status": labels["status"][s.status],
                "date": _date(last.get(s.id)),
                "lat": s.lat,
                "lon": s.lon,
                "x": None,
                "y": None,
                "ward": wards.get(s.ward_code, ""),
                "responsible_unit": s.responsible_unit,
                "notes": s.notes,
            }
            for s in spots.itertuples()
        ]
    elif kind == Kind.STATUS:
        rows = [
            {
                "code": codes[c.hotspot_id],
                "date": _date(c.date),
                "status": labels["status"][c.to_status],
                "reason": c.reason,
                "recorded_by": c.recorded_by,
            }
            for c in store.read_status_history(engine, scope).itertuples()
        ]
    elif kind == Kind.NOTES:
        names = {level: unit_names(level) for level in UnitLevel}
        rows = [
            {
                "month": _date(n.month),
                "level": labels["level"][n.level],
                "area": names[UnitLevel(n.level)].get(n.unit_code, n.unit_code),
                **{c: getattr(n, c) for c in store.NOTE_TEXTS},
                "hotspot_codes": n.hotspot_codes,
                "recorded_by": n.recorded_by,
            }
            for n in store.read_briefing_notes(engine, scope).itertuples()
        ]
    elif kind == Kind.TASKS:
        rows = _task_rows(engine, scope, labels)
    else:
        districts = unit_names(UnitLevel.DISTRICT)
        rows = []
        for a in store.read_activities(engine, scope).itertuples():
            has_spot = not pd.isna(a.hotspot_id)
            area = "" if has_spot else wards.get(a.ward_code) or districts.get(a.district_code, "")
            rows.append(
                {
                    "date": _date(a.date),
                    "kind": labels["kind"][a.kind],
                    "code": codes[int(a.hotspot_id)] if has_spot else "",
                    "area": area,
                    "unit": a.unit,
                    "unit_code": a.unit_code or "",
                    **{c: int(getattr(a, c)) for c in store.COUNT_COLUMNS},
                }
            )
    order = list(headers)
    return _data_workbook(kind, [headers[k] for k in order], [[r.get(k) for k in order] for r in rows])


def _task_rows(engine: Engine, scope: Scope, labels: dict[str, dict[str, str]]) -> list[dict]:
    """The tasks within ``scope`` as the tasks template holds them: a task on a
    hotspot names it, one on a ward of a former district's plan names the
    ward, one on the plan's whole unit names neither."""
    tasks = store.read_tasks(engine, scope)
    with engine.connect() as conn:
        codes = store.hotspot_codes(conn, tasks["hotspot_id"].dropna())
    rows = []
    for task in tasks.itertuples():
        on_spot = not pd.isna(task.hotspot_id)
        on_ward = not on_spot and task.level == UnitLevel.DISTRICT.value and isinstance(task.ward_code, str)
        rows.append(
            {
                "year": int(task.year),
                "level": labels["level"][task.level],
                "unit_code": task.unit_code,
                "title": task.title,
                "responsible": task.responsible,
                "hotspot_code": codes[int(task.hotspot_id)] if on_spot else None,
                "ward_code": task.ward_code if on_ward else None,
                "deadline": _date(task.deadline),
                "state": labels["state"][task.state],
                "result": task.result or None,
            }
        )
    return rows


def _date(value):
    if value is None or value != value:
        return None
    return pd.Timestamp(value).date()
