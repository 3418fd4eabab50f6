"""Database refusals read the same, in Vietnamese, on SQLite and PostgreSQL (the suite runs on both)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import dberrors, store

ROW = {
    "code": "TD-1", "name": "Điểm A", "kind": "public_area", "lat": 21.03, "lon": 105.85,
    "ward_code": "00070", "district_code": "002", "status": "active",
}  # fmt: skip


def refused(engine, statement, rows) -> str:
    with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as conn:
        conn.execute(statement, rows)
    return dberrors.refusal(caught.value)


def test_a_second_row_with_the_same_code_is_a_duplicate(empty_engine):
    with empty_engine.begin() as conn:
        conn.execute(store.hotspot.insert(), ROW)
    reason = refused(empty_engine, store.hotspot.insert(), ROW | {"name": "Điểm B"})
    assert reason.startswith("bản ghi này đã có trong dữ liệu")
    assert "UNIQUE" not in reason and "duplicate" not in reason


def test_a_missing_required_value_is_named(empty_engine):
    reason = refused(empty_engine, store.hotspot.insert(), ROW | {"name": None})
    assert reason.startswith("thiếu một giá trị bắt buộc")
    assert "NOT NULL" not in reason and "violates" not in reason


def test_a_value_outside_its_set_is_refused_by_its_check(empty_engine):
    reason = refused(empty_engine, store.hotspot.insert(), ROW | {"status": "unknown"})
    assert reason.startswith("một giá trị nằm ngoài khoảng cho phép (ràng buộc ")
    assert "CHECK" not in reason


def test_any_other_error_gives_its_first_line():
    assert dberrors.refusal(ValueError("dòng một\ndòng hai")) == "dòng một"
    assert dberrors.refusal(ValueError("")) == "ValueError"
