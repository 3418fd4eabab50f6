"""Which places an import's rows touch, and keeping an account's import
within what it may write.

With an :class:`~dashboard.accounts.Account`, the dry run
(:func:`dashboard.intake.service.check`) rejects every row whose place lies
outside the account's area, with a row/column/value message, and
:func:`dashboard.intake.apply.apply` checks the rows it writes again. A row's
places: a hotspot's ward and former district (for a stored hotspot the
stored place as well as the new one), an activity's hotspot or area, a
status change's hotspot, a note's or a task's unit (a ward note or plan: its
ward; a district one: its former district; a task is written by whoever may
write its plan, :func:`dashboard.localplans.plan_writable`). Without an account (the command line, tests)
nothing is restricted.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.accounts import Account, can_write
from dashboard.domain import UnitLevel
from dashboard.editing import unit_place
from dashboard.i18n import t
from dashboard.intake.files import IntakeError
from dashboard.intake.schema import Kind, match_headers
from dashboard.intake.validate import Problem, Record, Report
from dashboard.intake.values import shown

#: A place: (ward code, former district code), either may be None.
Place = tuple[str | None, str | None]


def cannot_import(account: Account) -> str:
    """The message refusing ``account`` any import."""
    return t("enforce.cannot_import", username=account.username, role=t(f"acct.role.{account.role.value}"))


def may_import(account: Account) -> None:
    """Raise :class:`IntakeError` when ``account`` may not import at all
    (leadership, the presenter, a disabled account, an area officer without units)."""
    if not can_write(account):
        raise IntakeError(cannot_import(account))


def stored_places(engine: Engine) -> dict[str, Place]:
    """Every stored hotspot's place, by code."""
    with engine.connect() as conn:
        rows = store.hotspots_by_code(conn)
    return {code: (r.ward_code, r.district_code) for code, r in rows.items()}


def record_places(kind: Kind, record: Record, stored: dict[str, Place]) -> list[Place]:
    """The places a validated row touches."""
    v = record.values
    if kind == Kind.HOTSPOTS:
        places = [(v.get("ward_code"), v.get("district_code"))]
        if record.match is not None and record.match in stored:
            places.append(stored[record.match])
        return places
    if kind == Kind.STATUS:
        return [stored.get(v["code"], (None, None))]
    if kind == Kind.ACTIVITIES:
        return [(v.get("ward_code"), v.get("district_code"))]
    if UnitLevel(v["level"]) == UnitLevel.WARD:
        return [(v["unit_code"], None)]
    return [(None, v["unit_code"])]


def outside(account: Account, kind: Kind, record: Record, stored: dict[str, Place]) -> Place | None:
    """The first place of ``record`` that ``account`` may not write, or None."""
    if kind == Kind.TASKS:
        from dashboard.localplans import plan_writable

        v = record.values
        if plan_writable(account, v["level"], v["unit_code"]):
            return None
        return record_places(kind, record, stored)[0]
    for ward_code, district_code in record_places(kind, record, stored):
        if not can_write(account, ward_code, district_code):
            return ward_code, district_code
    return None


def _where(report: Report, record: Record) -> tuple[str | None, str]:
    """The column (the file's header) and value that name a row's place."""
    positions = match_headers(report.kind, report.table.headers).positions
    cells = report.table.rows[record.index]
    v = record.values
    if report.kind == Kind.HOTSPOTS:
        for key in ("lat", "x"):
            if key in positions:
                return report.table.headers[positions[key]], f"{v['lat']:.6f}; {v['lon']:.6f}"
        return None, f"{v['lat']:.6f}; {v['lon']:.6f}"
    by_code = report.kind == Kind.STATUS or (report.kind == Kind.ACTIVITIES and v.get("code"))
    key = "unit_code" if report.kind == Kind.TASKS else "code" if by_code else "area"
    if key not in positions:
        return None, ""
    return report.table.headers[positions[key]], shown(cells[positions[key]])


def restrict(report: Report, engine: Engine, account: Account) -> Report:
    """Reject the rows of ``report`` that lie outside what ``account`` may
    write (the report is changed in place and returned)."""
    stored = stored_places(engine)
    kept = []
    for record in report.records:
        place = outside(account, report.kind, record, stored)
        if place is None:
            kept.append(record)
            continue
        column, value = _where(report, record)
        name = unit_place(*place)
        message = t("enforce.outside_scope", row=record.row, place=name, username=account.username)
        report.problems.append(Problem(record.row, column, value, message))
    report.records = kept
    return report
