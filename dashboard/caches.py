"""The one owner of the in-process caches derived from the boundary layers.

Modules that compute something from the ward and district layers (the layers
themselves, adjacency, border zones, spatial weights, unit-name tables) mark
the function with :func:`boundary_cache` instead of :func:`functools.lru_cache`;
:func:`clear_boundary_caches` then forgets them all after a layer is replaced,
without this module (or :mod:`dashboard.geo`) importing any of them.
"""

from __future__ import annotations

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
    """Forget everything computed from the boundary layers."""
    for cached in _BOUNDARY:
        cached.cache_clear()
