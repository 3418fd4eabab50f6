"""The one owner of the in-process caches derived from the boundary layers.

Modules that compute something from the ward and district layers (the layers
themselves, adjacency, border zones, spatial weights, unit-name tables) mark
the function with :func:`boundary_cache` instead of :func:`functools.lru_cache`;
:func:`clear_boundary_caches` then forgets them all after a layer is replaced,
without this module (or :mod:`dashboard.geo`) importing any of them.

It also holds :class:`SharedCache`, the process-wide cache of data read from
the store and of what pages compute from it (see :mod:`dashboard.snapshots`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F", bound=Callable)

_BOUNDARY: list = []


def boundary_cache(maxsize: int | None = 128) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, registered as derived from the boundary layers."""

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _BOUNDARY.append(cached)
        return cached  # type: ignore[return-value]

    return decorate


def boundary_caches() -> tuple:
    """The registered caches (for tests and diagnostics)."""
    return tuple(_BOUNDARY)


def clear_boundary_caches() -> None:
    """Forget everything computed from the boundary layers, and the shared results
    (page views, scores: border zones and adjacency come from the layers too)."""
    for cached in _BOUNDARY:
        cached.cache_clear()
    for cache in _SHARED:
        if cache.name != "tables":  # what was read from the store still holds
            cache.clear()


# --------------------------------------------------------------------------
# Results shared by every session of one process


def _nbytes(value, depth: int = 0) -> int:
    """A rough size of a cached value: the pandas and numpy data it holds."""
    import dataclasses

    import numpy as np
    import pandas as pd
    from pandas.io.formats.style import Styler

    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return int(value.memory_usage(index=True, deep=False).sum() if isinstance(value, pd.DataFrame)
                   else value.memory_usage(deep=False))  # fmt: skip
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, Styler):  # a styled table: its frame
        return _nbytes(value.data, depth)
    if isinstance(value, str | bytes):
        return len(value)
    if depth > 3:
        return 0
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(_nbytes(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sum(_nbytes(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_nbytes(v, depth + 1) for v in value)
    return 0


class _Entry:
    __slots__ = ("done", "error", "size", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value = None
        self.error: BaseException | None = None
        self.size = 0


class SharedCache:
    """A process-wide cache of read-only results, least recently used out first.

    Every session of the app process gets the same object (never a copy), so a
    result costs its memory once however many officers look at it: callers must
    not change what they get. Keys carry the data's generations
    (:func:`dashboard.store.generations`), so a change is never served stale; an
    old generation just ages out. Two sessions asking for the same missing key
    at once compute it once: the second waits for the first. The cache keeps at
    most ``budget_mb`` of pandas/numpy data (the newest entry is always kept).
    """

    def __init__(self, name: str, budget_mb: float) -> None:
        self.name = name
        self.budget = int(budget_mb * 1024 * 1024)
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()
        self.hits = self.misses = 0
        _SHARED.append(self)

    def get(self, key, compute: Callable[[], object]):
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if owner:
                entry = self._entries[key] = _Entry()
                self.misses += 1
            else:
                self._entries.move_to_end(key)
                self.hits += 1
        if owner:
            try:
                entry.value = compute()
                entry.size = _nbytes(entry.value)
            except BaseException as exc:  # the next caller computes again
                entry.error = exc
                with self._lock:
                    if self._entries.get(key) is entry:
                        del self._entries[key]
            finally:
                entry.done.set()
            self._evict()
        else:
            entry.done.wait()
        if entry.error is not None:
            raise entry.error
        return entry.value

    def _evict(self) -> None:
        with self._lock:
            total = sum(e.size for e in self._entries.values())
            for key in list(self._entries)[:-1]:
                if total <= self.budget:
                    break
                entry = self._entries[key]
                if entry.done.is_set():
                    total -= entry.size
                    del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict:
        with self._lock:
            return {
                "entries": len(self._entries),
                "mb": round(sum(e.size for e in self._entries.values()) / 1024 / 1024, 1),
                "hits": self.hits,
                "misses": self.misses,
            }


_SHARED: list[SharedCache] = []


def shared_caches() -> tuple[SharedCache, ...]:
    return tuple(_SHARED)


def clear_shared_caches() -> None:
    """Forget every shared result (tests; a replaced store)."""
    for cache in _SHARED:
        cache.clear()
