"""One entry point for the command line and the app: file in, report out.

The app passes the signed-in account (``account``): one that may not write
(leadership, the presenter) cannot import at all, and rows outside an area
officer's units are rejected (see :mod:`dashboard.intake.reach`). The command
line and tests pass none: that is the server's administrator, unrestricted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from dashboard import coords
from dashboard.accounts import Account
from dashboard.i18n import t
from dashboard.intake.files import GEO_FORMATS, IntakeError, open_file
from dashboard.intake.reach import may_import, restrict
from dashboard.intake.schema import KIND_LABELS, Kind, guess_kind
from dashboard.intake.validate import Options, Progress, Report, validate


def check(
    name: str,
    data: bytes,
    engine: Engine,
    *,
    today: dt.date,
    kind: str | None = None,
    crs: str | None = None,
    on_duplicate: str = "skip",
    sheet: str | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
    account: Account | None = None,
) -> Report:
    """Read and validate a file (the dry run). Raises IntakeError when the
    file cannot be read at all, or (before reading it) when ``account`` may
    not import; rows outside ``account``'s area are rejected."""
    if account is not None:
        may_import(account)
    if on_duplicate not in ("skip", "update"):
        raise IntakeError(t("intake.check.bad_on_duplicate", value=on_duplicate))
    is_geo = any(name.lower().endswith(s) for s in GEO_FORMATS)
    try:
        key = coords.crs_key(crs) if crs else coords.DEFAULT_PROJECTED
    except coords.CoordError as exc:
        if not is_geo:
            raise IntakeError(str(exc)) from None
        key = coords.DEFAULT_PROJECTED  # a GIS file may name any EPSG system
    if progress:
        progress(0.0, t("intake.check.progress.read", name=name))
    table = open_file(name, data, limit=limit, sheet=sheet, crs=crs)
    if table.geometries is not None:
        chosen = Kind.HOTSPOTS if kind is None else Kind(kind)
        if chosen != Kind.HOTSPOTS:
            raise IntakeError(t("intake.check.geo_hotspots_only", name=name))
    elif kind is None:
        chosen = guess_kind(table.headers)
        if chosen is None:
            kinds = ", ".join(f"{k.value} ({v})" for k, v in KIND_LABELS.items())
            raise IntakeError(t("intake.check.unknown_kind", name=name, kinds=kinds))
    else:
        chosen = Kind(kind)
    report = validate(table, engine, Options(chosen, today, key, on_duplicate), progress)
    return report if account is None else restrict(report, engine, account)
