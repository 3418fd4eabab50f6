"""What pages read from the store, held once per app process and refreshed per kind of change.

A page run asks :func:`dataset` for the data of its scope. That costs one small
query (the generations of :func:`dashboard.store.generations`); each table's
frame then comes from :data:`TABLES`, the process-wide
:class:`~dashboard.caches.SharedCache`, under a key holding the generation of
its own kind of data. So a status change reloads the hotspots and their
history but not a million activities, a briefing note reloads only the notes,
and a change written by another app process is seen at the next page run of
this one. After an import that only added activities, just the new rows are
read (:func:`_activities`).

What is computed from a dataset (risk scores, a page's view) is held in
:data:`DERIVED` with :func:`derived`, keyed by the dataset's
:attr:`~dashboard.queries.Dataset.version` and the arguments.

Everything here is shared by every session of the process: nobody may change
a frame it got (the views only ever build new ones).

No Streamlit here (:mod:`dashboard.ui.data` is the app's door to it).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.caches import SharedCache
from dashboard.queries import Dataset
from dashboard.scope import Scope

T = TypeVar("T")


def _budget(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value.strip() else default


#: Frames read from the store (budget in MB: HOTSPOT_CACHE_DATA_MB).
TABLES = SharedCache("tables", _budget("HOTSPOT_CACHE_DATA_MB", 600))
#: Results computed from them: scores, page views (HOTSPOT_CACHE_VIEWS_MB).
DERIVED = SharedCache("derived", _budget("HOTSPOT_CACHE_VIEWS_MB", 300))

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

    def table(name: str, *key, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        return TABLES.get((url, scope, name, *key), read)

    return Dataset(
        hotspots=table("hotspots", spots, read=lambda: store.read_hotspots(engine, scope)),
        history=table("history", spots, read=lambda: store.read_status_history(engine, scope)),
        activities=table(
            "activities", gens["activities"], read=lambda: _activities(engine, url, scope, gens)
        ),
        plans=table("plans", gens["plans"], read=lambda: store.read_plans(engine)),
        targets=table("targets", gens["plans"], spots, read=lambda: store.read_targets(engine, scope)),
        notes=table("notes", gens["notes"], read=lambda: store.read_briefing_notes(engine, scope)),
        version=(url, scope, tuple(sorted(gens.items()))),
    )


def _activities(engine: Engine, url: str, scope: Scope, gens: dict[str, str]) -> pd.DataFrame:
    """All activities of ``scope``; only the new rows when the last change just added some.

    The extended frame is checked against the store's count, so rows added out
    of id order by writers running at once are never missed: then everything is
    read again.
    """
    with _LATEST_LOCK:
        latest = _LATEST.get((url, scope))
    frame = None
    if latest is not None and latest["rewrite"] == gens["activities_rewrite"]:
        old = latest["frame"]
        newest = int(old["id"].max()) if len(old) else 0
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


def derived(ds: Dataset, name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, held for ``ds``'s version and ``key`` (computed every time
    for a dataset that has no version, e.g. one built by hand)."""
    if not ds.version:
        return compute()
    return DERIVED.get((name, ds.version, key), compute)


def forget() -> None:
    """Drop everything held (tests; after a store is replaced under the same address)."""
    TABLES.clear()
    DERIVED.clear()
    with _LATEST_LOCK:
        _LATEST.clear()


def stats() -> dict:
    return {"tables": TABLES.stats(), "derived": DERIVED.stats()}


__all__ = ["DERIVED", "TABLES", "dataset", "derived", "forget", "stats", "store_key"]
