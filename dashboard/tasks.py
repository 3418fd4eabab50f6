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


def display_state(state: str, deadline: dt.date | None, today: dt.date) -> str:
    """``state``, or "overdue" for a task not done whose deadline is before ``today``
    (a task due today is not overdue yet)."""
    if state != TaskState.DONE and deadline is not None and deadline < today:
        return OVERDUE
    return str(state)


def is_overdue(tasks: pd.DataFrame, today: dt.date) -> pd.Series:
    """Per row of ``tasks`` (columns ``state`` and ``deadline``, dates): overdue on ``today``."""
    if tasks.empty:
        return pd.Series(False, index=tasks.index, dtype=bool)
    deadline = pd.to_datetime(tasks["deadline"])
    return (tasks["state"] != TaskState.DONE.value) & deadline.notna() & (deadline < pd.Timestamp(today))


def overdue(tasks: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The overdue rows of ``tasks``, the longest overdue first."""
    late = tasks[is_overdue(tasks, today)]
    return late.sort_values(["deadline", *(["id"] if "id" in late else [])], kind="stable")
