"""What pages read from the store, held once per app process and refreshed per kind of change.

A page run asks :func:`dataset` for the data of its scope. That costs one small
query (the generations of :func:`dashboard.store.generations`); each table's
frame then comes from :data:`TABLES`, the process-wide
:class:`~dashboard.caches.SharedCache`, under a key holding the generation of
its own kind of data. So a status change reloads the hotspots and their
history but not a million activities, a briefing note reloads only the notes,
a hotspot moved or edited reloads the hotspots alone for the whole city (a
district's or ward's history, targets and tasks too: they are found through
their hotspots' places), and a change written by another app process is seen
at the next page run of this one. After an import that only added activities,
just the new rows are read (:func:`_activities`).

What is computed from a dataset (risk scores, a page's view) is held in
:data:`DERIVED` with :func:`derived`, keyed by the dataset's
:attr:`~dashboard.queries.Dataset.version` and the arguments.

Everything here is shared by every session of the process: nobody may change
a frame it got (the views only ever build new ones).

No Streamlit here (:mod:`dashboard.ui.data` is the app's door to it).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from dashboard import risk, spacetime, store, survival, timemap, views
from dashboard.caches import SharedCache
from dashboard.filters import Filters
from dashboard.queries import Dataset
from dashboard.scope import Scope

T = TypeVar("T")
CITY = Scope.city()
log = logging.getLogger(__name__)


def _budget(value: str | None, default: float) -> float:
    return float(value) if value and value.strip() else default


#: Frames read from the store (budget in MB: HOTSPOT_CACHE_DATA_MB).
TABLES = SharedCache("tables", _budget(os.environ.get("HOTSPOT_CACHE_DATA_MB"), 600))
#: Results computed from them: scores, page views (HOTSPOT_CACHE_VIEWS_MB).
DERIVED = SharedCache("derived", _budget(os.environ.get("HOTSPOT_CACHE_VIEWS_MB"), 300))

#: The latest activity frame per (store, scope), to extend after an import.
_LATEST: OrderedDict = OrderedDict()
_LATEST_KEEP = 8
_LATEST_LOCK = threading.Lock()


def store_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def dataset(engine: Engine, scope: Scope) -> Dataset:
    """The data of ``scope`` as it stands now (frames shared: read only)."""
    with engine.connect() as conn:
        gens = store.generations(conn)
    url = store_key(engine)
    spots = gens["hotspots"]
    # The history, targets and tasks of a scope are found through their hotspots' places, so a
    # hotspot changed (moved, say) reads them again; for the whole city only their own changes do.
    placed = () if scope.is_city else (spots,)

    def table(name: str, *key, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        return TABLES.get((url, scope, name, *key), read)

    return Dataset(
        hotspots=table("hotspots", spots, read=lambda: store.read_hotspots(engine, scope)),
        history=table(
            "history", gens["history"], *placed, read=lambda: store.read_status_history(engine, scope)
        ),
        activities=table(
            "activities", gens["activities"], read=lambda: _activities(engine, url, scope, gens)
        ),
        plans=table("plans", gens["plans"], read=lambda: store.read_plans(engine)),
        targets=table("targets", gens["plans"], *placed, read=lambda: store.read_targets(engine, scope)),
        notes=table("notes", gens["notes"], read=lambda: store.read_briefing_notes(engine, scope)),
        local_plans=table("local_plans", gens["tasks"], read=lambda: store.read_local_plans(engine, scope)),
        local_targets=table(
            "local_targets", gens["tasks"], read=lambda: store.read_local_targets(engine, scope)
        ),
        tasks=table("tasks", gens["tasks"], *placed, read=lambda: store.read_tasks(engine, scope)),
        version=(url, scope, tuple(sorted(gens.items()))),
    )


def _activities(engine: Engine, url: str, scope: Scope, gens: dict[str, str]) -> pd.DataFrame:
    """All activities of ``scope``; only the new rows when the last change just added some,
    and only the moved hotspots' rows (with the new ones) when the changes since also moved
    hotspots (:func:`dashboard.store.rewritten_hotspots`).

    The extended frame is checked against the store's count, so rows added out
    of id order by writers running at once are never missed: then everything is
    read again.
    """
    with _LATEST_LOCK:
        latest = _LATEST.get((url, scope))
    frame = None
    moved: set[int] | None = None
    if latest is not None and latest["rewrite"] != gens["activities_rewrite"]:
        with engine.connect() as conn:
            moved = store.rewritten_hotspots(conn, latest["rewrite"], gens["activities_rewrite"])
    if latest is not None and (latest["rewrite"] == gens["activities_rewrite"] or moved):
        old = latest["frame"]
        newest = int(old["id"].max()) if len(old) else 0
        if moved:
            old = _rewritten(old, store.read_activities(engine, scope, hotspots=moved), moved, newest)
        added = store.read_activities(engine, scope, after_id=newest)
        if added.empty:
            frame = old
        else:
            frame = pd.concat([old, added.astype(old.dtypes.to_dict(), errors="ignore")], ignore_index=True)
            frame = frame.sort_values(["date", "id"], kind="stable", ignore_index=True)
        if len(frame) != store.count_activities(engine, scope):
            frame = None
    if frame is None:
        frame = store.read_activities(engine, scope)
    with _LATEST_LOCK:
        _LATEST[(url, scope)] = {"rewrite": gens["activities_rewrite"], "frame": frame}
        _LATEST.move_to_end((url, scope))
        while len(_LATEST) > _LATEST_KEEP:
            _LATEST.popitem(last=False)
    return frame


def _rewritten(old: pd.DataFrame, again: pd.DataFrame, moved: set[int], newest: int) -> pd.DataFrame:
    """``old`` with the rows of the ``moved`` hotspots as read ``again`` (those up to id
    ``newest``: the later ones are read as added). Where they are the same rows on the same
    dates, their values are written over the old ones in place of a copy, keeping the order;
    otherwise they replace them and the frame is sorted again."""
    again = again[again["id"] <= newest]
    mask = old["hotspot_id"].isin(sorted(moved)).to_numpy()
    held = old.loc[mask, ["id", "date"]]
    if len(again) == len(held) and set(again["id"]) == set(held["id"]):
        ordered = again.set_index("id").loc[held["id"].to_numpy()]
        if (ordered["date"].to_numpy() == held["date"].to_numpy()).all():
            # Only the columns that changed are copied (moving a hotspot changes its rows'
            # ward and district); the others stay shared with ``old``.
            frame = old.copy(deep=False)
            rows = np.flatnonzero(mask)
            for column in ordered.columns:
                values = ordered[column].astype(old[column].dtype)
                if not old[column].iloc[rows].array.equals(values.array):  # missing alike counts as same
                    changed = old[column].copy()
                    changed.iloc[rows] = values.to_numpy()
                    frame[column] = changed
            return frame
    kept = old[~mask]
    frame = pd.concat([kept, again.astype(old.dtypes.to_dict(), errors="ignore")], ignore_index=True)
    return frame.sort_values(["date", "id"], kind="stable", ignore_index=True)


def derived(ds: Dataset, name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, held for ``ds``'s version and ``key`` (computed every time
    for a dataset that has no version, e.g. one built by hand)."""
    if not ds.version:
        return compute()
    return DERIVED.get((name, ds.version, key), compute)


# --------------------------------------------------------------------------
# What pages compute, once per dataset version


def risk_scores(engine: Engine, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Risk and persistence scores as of a date."""
    return _scores(dataset(engine, scope), as_of)


def _scores(ds: Dataset, as_of: dt.date) -> pd.DataFrame:
    return derived(ds, "risk.score", (as_of,), lambda: risk.score(ds, as_of))


def backtest(engine: Engine, scope: Scope) -> tuple[pd.DataFrame, dict]:
    """Backtest per cutoff and overall (it scores every quarter end)."""
    ds = dataset(engine, scope)

    def compute() -> tuple[pd.DataFrame, dict]:
        result = risk.backtest(ds)
        return result.per_cutoff, result.overall

    return derived(ds, "risk.backtest", (), compute)


def episodes(engine: Engine, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    ds = dataset(engine, scope)
    return derived(ds, "survival.episodes", (as_of,), lambda: survival.episodes(ds, as_of))


def emerging(engine: Engine, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Emerging hot spot category of every ward, from activity results up to a date."""
    ds = dataset(engine, scope)

    def compute() -> pd.DataFrame:
        acts = ds.activities
        acts = acts[(acts["date"] <= pd.Timestamp(as_of)) & acts["ward_code"].notna()]
        if acts.empty:  # nothing recorded yet: no ward shows a pattern
            return pd.DataFrame(
                {"category": "none"}, index=pd.Index(spacetime.ward_weights().id_order, name="code")
            )
        return spacetime.ward_emerging(acts)

    return derived(ds, "spacetime.emerging", (as_of,), compute)


def timeline_payload(
    engine: Engine, scope: Scope, as_of: dt.date, first: dt.date, kinds: frozenset[str] | None = None
) -> dict:
    """What the map over time draws (:func:`dashboard.timemap.timeline_payload`):
    statuses, activity shading and targets of every month up to ``as_of``."""
    ds = dataset(engine, scope)
    key = (as_of, first, None if kinds is None else tuple(sorted(kinds)))
    return derived(
        ds, "timemap.payload", key, lambda: timemap.timeline_payload(ds, as_of, first=first, kinds=kinds)
    )


def overview(engine: Engine, scope: Scope, f: Filters) -> views.OverviewView:
    """The overview (or, with an area in ``f``, the area page) of ``scope``."""
    ds = dataset(engine, scope)

    def compute() -> views.OverviewView:
        return views.overview(ds, f, scope, scores=_scores(ds, f.as_of))

    return derived(ds, "views.overview", (f,), compute)


def border_view(engine: Engine, scope: Scope, f: Filters, **options) -> views.BorderView:
    """The border page (``options``: level, unit, width_m, gap_days)."""
    ds = dataset(engine, scope)

    def compute() -> views.BorderView:
        return views.border_view(ds, f, scope, scores=_scores(ds, f.as_of), **options)

    return derived(ds, "views.border_view", (f, tuple(sorted(options.items()))), compute)


def risk_view(engine: Engine, scope: Scope, f: Filters) -> views.RiskView:
    ds = dataset(engine, scope)

    def compute() -> views.RiskView:
        return views.risk_view(ds, f, scope, scores=_scores(ds, f.as_of))

    return derived(ds, "views.risk_view", (f,), compute)


def monthly_briefing(
    engine: Engine, scope: Scope, month: dt.date, unit: views.Unit, today: dt.date
) -> views.MonthlyBriefing:
    """The monthly briefing sheet of ``unit`` for ``month``."""
    ds = dataset(engine, scope)

    def compute() -> views.MonthlyBriefing:
        scores = _scores(ds, min(views.month_end(month), today))
        return views.monthly_briefing(ds, month, unit, scope, today=today, scores=scores)

    return derived(ds, "views.monthly_briefing", (month, unit, today), compute)


def quarterly_report(
    engine: Engine, scope: Scope, year: int, quarter: int, unit: views.Unit, today: dt.date
) -> views.QuarterlyReport:
    """The quarterly report of ``unit`` for ``quarter`` of ``year``."""
    ds = dataset(engine, scope)

    def compute() -> views.QuarterlyReport:
        scores = _scores(ds, min(views.quarter_bounds(year, quarter)[1], today))
        return views.quarterly_report(ds, year, quarter, unit, scope, today=today, scores=scores)

    return derived(ds, "views.quarterly_report", (year, quarter, unit, today), compute)


def warm_up(engine: Engine, today: dt.date) -> threading.Thread:
    """In the background: read the city's data and compute the city overview an
    officer opening the app sees first (its default filters), so that nobody waits
    for it; whoever asks meanwhile waits for the same computation, not a second one."""

    def run() -> None:
        try:
            ds = dataset(engine, CITY)
            overview(engine, CITY, Filters.for_year(Filters.default_year(ds.years, today), today))
        except Exception:  # a page run reports it when it asks for the same data
            log.exception("warming up the shared data failed")

    thread = threading.Thread(target=run, name="hotspot-warm-up", daemon=True)
    thread.start()
    return thread


def forget() -> None:
    """Drop everything held (tests; after a store is replaced under the same address)."""
    TABLES.clear()
    DERIVED.clear()
    with _LATEST_LOCK:
        _LATEST.clear()


def stats() -> dict:
    return {"tables": TABLES.stats(), "derived": DERIVED.stats()}
