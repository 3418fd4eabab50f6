"""Build a report file from the data: used by the reports page, the deck page and the CLI alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from dashboard import views
from dashboard.domain import DomainError, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.queries import Dataset
from dashboard.reports.model import Document
from dashboard.scope import Scope

SUFFIXES = (".docx", ".xlsx")


def parse_unit(code: str | None) -> views.Unit:
    """``None`` or "" is the city; 3 digits a former district, 5 digits a ward."""
    if not code:
        return views.Unit()
    code = code.strip()
    level = {3: UnitLevel.DISTRICT, 5: UnitLevel.WARD}.get(len(code))
    if level is None or code not in unit_names(level):
        raise DomainError(t("err.report_unit", code=code))
    return views.Unit(level, code)


def parse_month(text: str) -> dt.date:
    """``mm/yyyy`` → the first day of that month."""
    try:
        return dt.datetime.strptime(text.strip(), "%m/%Y").date()
    except ValueError as exc:
        raise DomainError(t("err.report_month", value=text)) from exc


def check_suffix(path: str | Path, allowed: tuple[str, ...] = SUFFIXES) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise DomainError(t("err.report_out", allowed=", ".join(allowed), value=str(path)))
    return suffix


def write(doc: Document, suffix: str) -> bytes:
    """The document as .docx or .xlsx (the same tables in both)."""
    if suffix == ".docx":
        from dashboard.reports.docx_writer import write_docx

        return write_docx(doc)
    from dashboard.reports.xlsx_writer import write_xlsx

    return write_xlsx(doc.tables, title=doc.letterhead.summary, public=doc.public)


def monthly(
    ds: Dataset,
    month: dt.date,
    unit: views.Unit,
    scope: Scope,
    *,
    today: dt.date,
    scores: pd.DataFrame | None = None,
) -> views.MonthlyBriefing:
    return views.monthly_briefing(ds, month, unit, scope, today=today, scores=scores)


def quarterly(
    ds: Dataset,
    year: int,
    quarter: int,
    unit: views.Unit,
    scope: Scope,
    *,
    today: dt.date,
    scores: pd.DataFrame | None = None,
) -> views.QuarterlyReport:
    return views.quarterly_report(ds, year, quarter, unit, scope, today=today, scores=scores)


def file_name(kind: str, unit: views.Unit, period: str, suffix: str, public: bool) -> str:
    """A plain ASCII file name: ``bao-cao-quy-2020-Q3-thanh-pho.docx``."""
    where = "thanh-pho" if unit.is_city else unit.code
    extra = "-cong-khai" if public else ""
    return f"{kind}-{period}-{where}{extra}{suffix}"
