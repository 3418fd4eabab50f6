"""Tasks of a district's or ward's local plan: their states and what is overdue.

A task is stored with one of three states an officer sets (:class:`TaskState`);
"overdue" is never stored: it is what a task not done is once its deadline has
passed. Every page, sheet and list that shows a task's state or counts overdue
tasks asks this module.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pandas as pd


class TaskState(StrEnum):
    """The state an officer records."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


#: The state shown for a task not done past its deadline.
OVERDUE = "overdue"

#: Every state a task can be shown in, in reading order.
DISPLAY_STATES = (TaskState.NOT_STARTED.value, TaskState.IN_PROGRESS.value, OVERDUE, TaskState.DONE.value)


def display_state(
    state: str, deadline: dt.date | None, today: dt.date, updated_on: dt.date | None = None
) -> str:
    """``state``, or "overdue" for a task not done by ``today`` whose deadline is
    before ``today`` (a task due today is not overdue yet). A task reported done
    after ``today`` (``updated_on``) was not done yet on that day."""
    done = state == TaskState.DONE and (updated_on is None or updated_on <= today)
    if not done and deadline is not None and deadline < today:
        return OVERDUE
    return str(state)


def is_overdue(tasks: pd.DataFrame, today: dt.date) -> pd.Series:
    """Per row of ``tasks`` (columns ``state``, ``deadline`` and, when present,
    ``updated_on``): overdue on ``today``. Looking back (a past month's sheet), a
    task reported done only after ``today`` counts as not done on that day."""
    if tasks.empty:
        return pd.Series(False, index=tasks.index, dtype=bool)
    day = pd.Timestamp(today)
    done = tasks["state"] == TaskState.DONE.value
    if "updated_on" in tasks:
        reported = pd.to_datetime(tasks["updated_on"])
        done &= reported.isna() | (reported <= day)
    deadline = pd.to_datetime(tasks["deadline"])
    return ~done & deadline.notna() & (deadline < day)


def overdue(tasks: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The overdue rows of ``tasks``, the longest overdue first."""
    late = tasks[is_overdue(tasks, today)]
    return late.sort_values(["deadline", *(["id"] if "id" in late else [])], kind="stable")


def with_display(tasks: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """``tasks`` with ``shown`` (the state shown on ``today``: :func:`display_state`)
    and ``days_late`` (whole days past the deadline of an overdue task, else 0)."""
    late = is_overdue(tasks, today)
    if tasks.empty:
        return tasks.assign(shown=pd.Series(dtype=object), days_late=pd.Series(dtype=int))
    shown = tasks["state"].astype(str).where(~late, OVERDUE)
    days = (pd.Timestamp(today) - pd.to_datetime(tasks["deadline"])).dt.days
    return tasks.assign(shown=shown, days_late=days.where(late, 0).fillna(0).astype(int))


def of_year(tasks: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """The tasks of local plans of ``year`` (all with None)."""
    return tasks if year is None or tasks.empty else tasks[tasks["year"] == int(year)]


def progress(tasks: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Tasks per plan unit and shown state: one row per ``level, unit_code`` with a
    column per state of :data:`DISPLAY_STATES` and ``total``; units with the most
    overdue tasks first, then the most tasks. The chart, the page and the reports
    all count from here."""
    columns = ["level", "unit_code", *DISPLAY_STATES, "total"]
    if tasks.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in columns[:2] else int) for c in columns})
    shown = with_display(tasks, today)
    table = pd.crosstab([shown["level"], shown["unit_code"]], shown["shown"])
    table = table.reindex(columns=list(DISPLAY_STATES), fill_value=0).astype(int)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    table = table.reset_index().sort_values([OVERDUE, "total", "unit_code"], ascending=[False, False, True])
    return table[columns].reset_index(drop=True)


def place_labels(tasks: pd.DataFrame, hotspots: pd.DataFrame) -> pd.Series:
    """Where each task is, as officers read it: "TD-008 · name" for a task on a
    hotspot, the ward's name for one on a ward, the plan unit's name otherwise."""
    from dashboard.domain import UnitLevel
    from dashboard.geo import unit_names

    if tasks.empty:
        return pd.Series(dtype=object, index=tasks.index)
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    spots = hotspots.set_index("id")
    labels = []
    for row in tasks.itertuples(index=False):
        on_spot = row.hotspot_id == row.hotspot_id and row.hotspot_id is not None  # not NaN, not None
        if on_spot and int(row.hotspot_id) in spots.index:
            spot = spots.loc[int(row.hotspot_id)]
            labels.append(f"{spot['code']} · {spot['name']}")
        elif row.ward_code and row.ward_code == row.ward_code and row.level != UnitLevel.WARD.value:
            labels.append(wards.get(row.ward_code, row.ward_code))
        else:
            names = wards if row.level == UnitLevel.WARD.value else districts
            labels.append(names.get(row.unit_code, row.unit_code))
    return pd.Series(labels, index=tasks.index, dtype=object)
