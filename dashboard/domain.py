"""Domain vocabulary: hotspot statuses, kinds, activity kinds, plan target types.

Every code here is stored in the database as its ``value``; labels come from
the catalogue in :mod:`dashboard.i18n`, colours from :data:`STATUS_COLOURS`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from dashboard.i18n import t


class DomainError(ValueError):
    """A problem with the data or a request that a person can act on."""


class Status(StrEnum):
    """Lifecycle of a hotspot."""

    ACTIVE = "active"
    CLEARING = "clearing"
    CLEARED = "cleared"
    HANDED_OVER = "handed_over"
    REEMERGED = "reemerged"


class HotspotKind(StrEnum):
    PUBLIC_AREA = "public_area"
    SERVICE_BUSINESS = "service_business"


class ActivityKind(StrEnum):
    PATROL = "patrol"
    INSPECTION = "inspection"
    INVESTIGATION = "investigation"
    OUTREACH = "outreach"
    STATIONED_POST = "stationed_post"
    BRIEFING = "briefing"


class TargetType(StrEnum):
    CLEAR = "clear"
    KEEP_CLEAN = "keep_clean"


class UnitLevel(StrEnum):
    DISTRICT = "district"
    WARD = "ward"


#: One colour per status, from the Okabe-Ito palette (distinguishable with the
#: common forms of colour blindness). Used by every map, chart and legend.
STATUS_COLOURS: dict[Status, str] = {
    Status.ACTIVE: "#D55E00",  # vermillion
    Status.CLEARING: "#E69F00",  # orange
    Status.CLEARED: "#56B4E9",  # sky blue
    Status.HANDED_OVER: "#009E73",  # bluish green
    Status.REEMERGED: "#CC79A7",  # reddish purple
}

#: The administrative reform: former districts were abolished and the wards
#: merged into 126 phường/xã on this date. The one definition in the package.
REFORM_DATE = dt.date(2025, 7, 1)

#: The result counts an activity records (columns of the activity table).
COUNT_COLUMNS = (
    "violations_found",
    "cases_handled",
    "establishments_sanctioned",
    "fines_vnd",
    "people_referred",
)


def level_at(date: dt.date) -> UnitLevel:
    """The jurisdictions in force on ``date``: districts until 30/06/2025, wards after."""
    return UnitLevel.WARD if date >= REFORM_DATE else UnitLevel.DISTRICT


#: Statuses in which a hotspot is a live problem.
OPEN_STATUSES = frozenset({Status.ACTIVE, Status.CLEARING, Status.REEMERGED})
#: Statuses that count as "cleared" for a clearance target.
CLEARED_STATUSES = frozenset({Status.CLEARED, Status.HANDED_OVER})

#: Transitions that make sense in the lifecycle (from -> allowed to).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.ACTIVE: frozenset({Status.CLEARING, Status.CLEARED}),
    Status.CLEARING: frozenset({Status.CLEARED, Status.ACTIVE}),
    Status.CLEARED: frozenset({Status.HANDED_OVER, Status.REEMERGED}),
    Status.HANDED_OVER: frozenset({Status.REEMERGED}),
    Status.REEMERGED: frozenset({Status.CLEARING, Status.CLEARED}),
}


def check_transition(old: Status | None, new: Status) -> None:
    """Raise :class:`DomainError` unless ``old -> new`` is a lifecycle step.

    ``old`` is None for a hotspot's first recorded status, which may be any.
    """
    if old is None:
        return
    if new not in TRANSITIONS[old]:
        raise DomainError(t("err.transition", old=t(f"status.{old}"), new=t(f"status.{new}")))
