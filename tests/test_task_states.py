"""A task's shown state: overdue is a task not done past its deadline (dashboard/tasks.py)."""

import datetime as dt

import pandas as pd

from dashboard import tasks

TODAY = dt.date(2026, 11, 20)


def test_due_today_is_not_overdue_yet_and_done_never_is():
    assert tasks.display_state("in_progress", TODAY, TODAY) == "in_progress"
    assert tasks.display_state("not_started", TODAY - dt.timedelta(days=1), TODAY) == tasks.OVERDUE
    assert tasks.display_state("done", TODAY - dt.timedelta(days=30), TODAY) == "done"
    assert tasks.display_state("not_started", None, TODAY) == "not_started"


def test_overdue_rows_longest_overdue_first():
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "state": ["done", "in_progress", "not_started", "in_progress"],
            "deadline": pd.to_datetime(["2026-01-01", "2026-11-01", "2026-03-01", "2026-11-20"]),
        }
    )
    assert tasks.is_overdue(frame, TODAY).tolist() == [False, True, True, False]
    assert tasks.overdue(frame, TODAY)["id"].tolist() == [3, 2]
    assert tasks.overdue(frame.iloc[0:0], TODAY).empty


def test_looking_back_a_task_done_later_was_still_overdue_then():
    """A past month's sheet: a task reported done only after the month ended was
    overdue at its end; one done before it, or done with no date recorded, was not."""
    month_end = dt.date(2026, 9, 30)
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "state": ["done", "done", "done", "in_progress"],
            "deadline": pd.to_datetime(["2026-09-01"] * 4),
            "updated_on": pd.to_datetime(["2026-10-15", "2026-09-20", None, "2026-09-25"]),
        }
    )
    assert tasks.is_overdue(frame, month_end).tolist() == [True, False, False, True]
    assert tasks.is_overdue(frame, TODAY).tolist() == [False, False, False, True]
    shown = tasks.with_display(frame, month_end)["shown"].tolist()
    assert shown == [tasks.OVERDUE, "done", "done", tasks.OVERDUE]
    assert tasks.display_state("done", dt.date(2026, 9, 1), month_end, dt.date(2026, 10, 15)) == tasks.OVERDUE
    assert tasks.display_state("done", dt.date(2026, 9, 1), month_end, dt.date(2026, 9, 20)) == "done"
