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
