"""The one filter state of a page: it drives every map, KPI, chart and table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.domain import DomainError, HotspotKind, Status, UnitLevel
from dashboard.i18n import fmt_date, t


@dataclass(frozen=True)
class Filters:
    """What a page shows.

    Statuses are evaluated as of ``date_to``; activities are counted between
    ``date_from`` and ``date_to`` inclusive. ``area_level``/``area_code`` narrow
    the page to one former district or current ward (inside the caller's scope).
    """

    plan_year: int
    date_from: dt.date
    date_to: dt.date
    statuses: frozenset[Status] = field(default_factory=lambda: frozenset(Status))
    kinds: frozenset[HotspotKind] = field(default_factory=lambda: frozenset(HotspotKind))
    plan_only: bool = False
    area_level: UnitLevel | None = None
    area_code: str | None = None

    def __post_init__(self):
        if self.date_from > self.date_to:
            raise DomainError(
                t("filter.bad_range", start=fmt_date(self.date_from), end=fmt_date(self.date_to))
            )
        object.__setattr__(self, "statuses", frozenset(Status(s) for s in self.statuses))
        object.__setattr__(self, "kinds", frozenset(HotspotKind(k) for k in self.kinds))
        if self.area_level is not None:
            object.__setattr__(self, "area_level", UnitLevel(self.area_level))

    @property
    def as_of(self) -> dt.date:
        return self.date_to

    @classmethod
    def default_year(cls, years: list[int], today: dt.date) -> int:
        """The plan year a page opens on: this year's plan, else the newest."""
        years = years or [today.year]
        return today.year if today.year in years else years[0]

    @classmethod
    def for_year(cls, year: int, today: dt.date, **kwargs) -> Filters:
        """Whole plan year, up to ``today`` when the year is not over."""
        end = min(dt.date(year, 12, 31), today)
        start = min(dt.date(year, 1, 1), end)
        return cls(plan_year=year, date_from=start, date_to=end, **kwargs)
