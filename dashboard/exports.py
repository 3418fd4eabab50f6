"""Exports leave a trace: every file that takes data out of the app is audited,
and the audit log itself can be taken out as an .xlsx.

:func:`record_export` writes the audit entry (action ``export``, entity
``export``) of a report downloaded on the reports page, the deck downloaded in
presentation mode, a report or data file written by the command line, and the
audit log's own export. Reading a report on screen is not an export.

The audit log keeps its times as naive UTC; :func:`hanoi_times` and
:func:`fmt_hanoi` turn them into Hà Nội time (Asia/Ho_Chi_Minh) for the page
and for :func:`audit_workbook`.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.accounts import Account
from dashboard.config import HANOI
from dashboard.i18n import t
from dashboard.intake.cellsafe import put_text
from dashboard.scope import Scope

#: How the audit page and its export show a time (Hà Nội).
TIME_FORMAT = "%d/%m/%Y %H:%M:%S"
#: The same, as a spreadsheet number format.
XLSX_TIME_FORMAT = "DD/MM/YYYY HH:MM:SS"


def scope_text(scope: Scope) -> str:
    """The scope an export was made in, as the audit summary reads it."""
    if scope.is_city:
        return t("auditui.export.scope_city")
    units = sorted(scope.district_codes or ()) + sorted(scope.ward_codes or ())
    if not units:
        return t("auditui.export.scope_none")
    return t("auditui.export.scope_units", units=", ".join(units))


def _scope_json(scope: Scope) -> dict | str:
    if scope.is_city:
        return "city"
    return {"districts": sorted(scope.district_codes or ()), "wards": sorted(scope.ward_codes or ())}


def record_export(
    engine: Engine,
    by: Account | str,
    what: str,
    detail: str,
    scope: Scope,
    *,
    public: bool | None = None,
) -> None:
    """Audit an export.

    ``by`` is the signed-in account (the entry names its office as the actor
    and its username in the summary and ``entity_code``) or, for the command
    line without ``--user``, the actor text
    (:data:`dashboard.cli_users.CLI_ACTOR`). ``what`` says what was exported
    ("báo cáo (.docx)"), ``detail`` its period and unit, ``scope`` the units
    the exporter could see; ``public`` (when it applies) whether it was the
    public version. Never a password, a file's path or a person's name.
    """
    parts = [detail.strip()] if detail and detail.strip() else []
    if public is not None:
        parts.append(t("auditui.export.public" if public else "auditui.export.full"))
    parts.append(scope_text(scope))
    username = by.username if isinstance(by, Account) else None
    if username:
        parts.append(t("auditui.export.by", username=username))
    actor = by.office if isinstance(by, Account) else str(by)
    after = {"what": what, "detail": detail, "scope": _scope_json(scope)}
    if public is not None:
        after["public"] = public
    if username:
        after["username"] = username
    with engine.begin() as conn:
        store.audit(
            conn, actor, "export", "export", entity_code=username,
            summary=t("auditui.export.summary", what=what, detail="; ".join(parts)), after=after,
        )  # fmt: skip


# --------------------------------------------------------------------------
# Hà Nội time


def hanoi_times(at: pd.Series) -> pd.Series:
    """Stored times (naive UTC) as naive Hà Nội times."""
    stamps = pd.to_datetime(at)
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert(HANOI).dt.tz_localize(None)


def fmt_hanoi(value: dt.datetime | pd.Timestamp) -> str:
    """``dd/mm/yyyy HH:MM:SS`` in Hà Nội of a naive UTC time (an aware one is converted)."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(HANOI).strftime(TIME_FORMAT)


# --------------------------------------------------------------------------
# The audit log as a spreadsheet


def audit_workbook(table: pd.DataFrame) -> bytes:
    """The audit log table (as the page shows it, times already in Hà Nội) as an
    .xlsx: times as date-time cells, every text a text cell that no spreadsheet
    program evaluates (:func:`~dashboard.intake.cellsafe.put_text`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t("auditui.sheet")
    for c, header in enumerate(table.columns, start=1):
        put_text(ws.cell(row=1, column=c), str(header)).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = 22 if c == 1 else 28
    for r, row in enumerate(table.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, pd.Timestamp | dt.datetime):
                cell.value = pd.Timestamp(value).to_pydatetime()
                cell.number_format = XLSX_TIME_FORMAT
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
            else:
                put_text(cell, str(value))
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
