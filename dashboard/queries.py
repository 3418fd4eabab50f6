"""Pure computations over the loaded data: statuses at a date, KPIs, aggregates.

Everything takes a :class:`Dataset` (already limited to the caller's scope) and
a :class:`~dashboard.filters.Filters`, and returns pandas objects or small
dataclasses: no I/O, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.domain import CLEARED_STATUSES, OPEN_STATUSES, Status, TargetType, UnitLevel
from dashboard.filters import Filters
from dashboard.scope import Scope


@dataclass(frozen=True)
class Dataset:
    hotspots: pd.DataFrame
    history: pd.DataFrame
    activities: pd.DataFrame
    plans: pd.DataFrame
    targets: pd.DataFrame
    #: Briefing notes (see :func:`dashboard.store.read_briefing_notes`).
    notes: pd.DataFrame = field(default_factory=store.empty_notes)
    #: Local plans, their targets and tasks (see :func:`dashboard.store.read_local_plans`,
    #: :func:`~dashboard.store.read_local_targets`, :func:`~dashboard.store.read_tasks`).
    local_plans: pd.DataFrame = field(default_factory=store.empty_local_plans)
    local_targets: pd.DataFrame = field(default_factory=store.empty_local_targets)
    tasks: pd.DataFrame = field(default_factory=store.empty_tasks)
    #: Where and when it was read: (store, scope, generations); empty for a
    #: dataset built by hand. Keys what :mod:`dashboard.snapshots` derives from it.
    version: tuple = field(default=(), compare=False)

    @property
    def years(self) -> list[int]:
        """Plan years, newest first."""
        return sorted(self.plans["year"].unique().tolist(), reverse=True)


def load_dataset(engine: Engine, scope: Scope) -> Dataset:
    """Read everything a page needs, limited to ``scope``."""
    return Dataset(
        hotspots=store.read_hotspots(engine, scope),
        history=store.read_status_history(engine, scope),
        activities=store.read_activities(engine, scope),
        plans=store.read_plans(engine),
        targets=store.read_targets(engine, scope),
        notes=store.read_briefing_notes(engine, scope),
        local_plans=store.read_local_plans(engine, scope),
        local_targets=store.read_local_targets(engine, scope),
        tasks=store.read_tasks(engine, scope),
    )


def _ts(date: dt.date) -> pd.Timestamp:
    return pd.Timestamp(date)


def status_as_of(history: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Each hotspot's status at the end of ``as_of`` (hotspot id -> status).

    Hotspots with no recorded status by then (not yet known) are left out.
    """
    known = history[history["date"] <= _ts(as_of)]
    last = known.sort_values(["date", "id"]).groupby("hotspot_id").tail(1)
    return last.set_index("hotspot_id")["to_status"].rename("status")


def _until(acts: pd.DataFrame, date: dt.date) -> pd.DataFrame:
    """Rows of ``acts`` dated up to ``date``; a slice when they are in date order (as read)."""
    dates = acts["date"]
    if dates.is_monotonic_increasing:
        return acts.iloc[: dates.searchsorted(_ts(date), side="right")]
    return acts[dates <= _ts(date)]


def _between(acts: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Rows of ``acts`` dated from ``start`` to ``end``; a slice when they are in date order."""
    dates = acts["date"]
    if dates.is_monotonic_increasing:
        first, last = dates.searchsorted(_ts(start), side="left"), dates.searchsorted(_ts(end), side="right")
        return acts.iloc[first:last]
    return acts[(dates >= _ts(start)) & (dates <= _ts(end))]


def _area_mask(frame: pd.DataFrame, f: Filters) -> pd.Series:
    if f.area_level is None or f.area_code is None:
        return pd.Series(True, index=frame.index)
    column = "ward_code" if f.area_level == UnitLevel.WARD else "district_code"
    return frame[column] == f.area_code


def plan_targets(ds: Dataset, year: int) -> pd.DataFrame:
    """Targets of the plans of ``year``, one per hotspot (the first plan's)."""
    return ds.targets[ds.targets["year"] == year].drop_duplicates("hotspot_id")


def hotspot_view(ds: Dataset, f: Filters) -> pd.DataFrame:
    """One row per hotspot shown under ``f``, with its status as of ``f.as_of``.

    Adds ``last_activity`` (latest activity up to ``as_of``), ``activities`` and
    ``violations`` (within the date range) and ``target_type`` (in the plan year).
    """
    h = ds.hotspots.drop(columns=["status"])
    h = h.join(status_as_of(ds.history, f.as_of), on="id", how="inner")
    # Only the three columns it counts with: no copy of the text columns of every activity.
    upto = _until(ds.activities[["hotspot_id", "date", "violations_found"]], f.as_of)
    upto = upto[upto["hotspot_id"].notna()]
    h = h.join(upto.groupby("hotspot_id")["date"].max().rename("last_activity"), on="id")
    inside = upto[upto["date"] >= _ts(f.date_from)]
    grouped = inside.groupby("hotspot_id")
    h = h.join(grouped.size().rename("activities"), on="id")
    h = h.join(grouped["violations_found"].sum().rename("violations"), on="id")
    h[["activities", "violations"]] = h[["activities", "violations"]].fillna(0).astype(int)
    targets = plan_targets(ds, f.plan_year).set_index("hotspot_id")["target_type"]
    h = h.join(targets, on="id")
    keep = h["status"].isin(list(f.statuses)) & h["kind"].isin(list(f.kinds)) & _area_mask(h, f)
    if f.plan_only:
        keep &= h["target_type"].notna()
    return h[keep].reset_index(drop=True)


def activities_view(ds: Dataset, f: Filters, view: pd.DataFrame) -> pd.DataFrame:
    """Activities in the date range: those on the hotspots in ``view``, plus
    area-wide work (briefings and the like) inside the selected area."""
    a = _between(ds.activities, f.date_from, f.date_to)
    on_shown = a["hotspot_id"].isin(view["id"])
    area_wide = a["hotspot_id"].isna() & _area_mask(a, f)
    return a[on_shown | area_wide].reset_index(drop=True)


@dataclass(frozen=True)
class PlanKpis:
    year: int
    as_of: dt.date
    doc_number: str | None
    doc_date: dt.date | None
    clear_target: int
    cleared: int
    keep_target: int
    kept_clean: int
    reemerged: int
    open_now: int
    activities: int

    def as_dict(self) -> dict:
        return {
            "plan_year": self.year,
            "as_of": self.as_of.strftime("%d/%m/%Y"),
            "plan_document": self.doc_number,
            "plan_date": self.doc_date.strftime("%d/%m/%Y") if self.doc_date else None,
            "clear": {"done": self.cleared, "target": self.clear_target},
            "keep_clean": {"done": self.kept_clean, "target": self.keep_target},
            "reemerged": self.reemerged,
            "open_hotspots": self.open_now,
            "activities": self.activities,
        }


def plan_kpis(ds: Dataset, f: Filters, *, activities: pd.DataFrame | None = None) -> PlanKpis:
    """Progress against the plan of ``f.plan_year``, as of the end of the
    date range (capped at 31/12 of that year).

    - cleared: clear targets whose status is cleared or handed over;
    - kept clean: keep-clean targets with no re-emergence since 01/01;
    - re-emerged: targets of either type that re-emerged since 01/01.
    - open now: also counted at that date.
    Kind and area filters apply; the status and plan-only filters do not
    (the KPIs are counts by status, of the plan's targets).
    - activities: exactly the activities the page's charts count
      (:func:`activities_view` under ``f``: the date range, and every filter;
      a caller that has it already passes it as ``activities``).
    """
    year = f.plan_year
    as_of = min(f.as_of, dt.date(year, 12, 31))
    start = dt.date(year, 1, 1)
    h = ds.hotspots
    h = h[h["kind"].isin(list(f.kinds)) & _area_mask(h, f)]
    targets = plan_targets(ds, year)
    targets = targets[targets["hotspot_id"].isin(h["id"])]
    status = status_as_of(ds.history, as_of)
    hist = ds.history
    back = hist[
        (hist["to_status"] == Status.REEMERGED) & (hist["date"] >= _ts(start)) & (hist["date"] <= _ts(as_of))
    ]["hotspot_id"]
    clear_ids = targets.loc[targets["target_type"] == TargetType.CLEAR, "hotspot_id"]
    keep_ids = targets.loc[targets["target_type"] == TargetType.KEEP_CLEAN, "hotspot_id"]
    plan_row = ds.plans[ds.plans["year"] == year].head(1)
    acts = activities_view(ds, f, hotspot_view(ds, f)) if activities is None else activities
    return PlanKpis(
        year=year,
        as_of=as_of,
        doc_number=None if plan_row.empty else str(plan_row["doc_number"].iloc[0]),
        doc_date=None if plan_row.empty else plan_row["doc_date"].iloc[0].date(),
        clear_target=len(clear_ids),
        cleared=int(status.reindex(clear_ids).isin(list(CLEARED_STATUSES)).sum()),
        keep_target=len(keep_ids),
        kept_clean=int((~keep_ids.isin(back)).sum()),
        reemerged=int(targets["hotspot_id"].isin(back).sum()),
        open_now=int(status.reindex(h["id"]).isin(list(OPEN_STATUSES)).sum()),
        activities=len(acts),
    )


def open_counts(view: pd.DataFrame, level: UnitLevel) -> pd.Series:
    """Open (active, clearing, re-emerged) hotspots per unit code."""
    column = "ward_code" if UnitLevel(level) == UnitLevel.WARD else "district_code"
    open_ = view[view["status"].isin(list(OPEN_STATUSES))]
    return open_.groupby(column).size().rename("open")


def status_by_unit(view: pd.DataFrame, level: UnitLevel) -> pd.DataFrame:
    """Hotspot counts: one row per unit code, one column per status (in order)."""
    column = "ward_code" if UnitLevel(level) == UnitLevel.WARD else "district_code"
    table = pd.crosstab(view[column], view["status"])
    return table.reindex(columns=[s.value for s in Status], fill_value=0)


def activities_by_month(acts: pd.DataFrame) -> pd.DataFrame:
    """Counts per month start (rows) and activity kind (columns)."""
    if acts.empty:
        return pd.DataFrame()
    month = acts["date"].dt.to_period("M").dt.to_timestamp()
    return pd.crosstab(month, acts["kind"])
