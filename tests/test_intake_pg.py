"""Imports on PostgreSQL: the sample data's exports load into an empty
PostgreSQL store, and loading them again changes nothing."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from dashboard import store
from dashboard.editing import DEPARTMENT_OFFICES
from dashboard.intake.apply import apply
from dashboard.intake.schema import Kind
from dashboard.intake.service import check
from dashboard.intake.workbook import export
from dashboard.scope import Scope

CITY = Scope.city()
TODAY = dt.date(2026, 11, 20)


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in (store.hotspot, store.status_change, store.activity)
        }


def test_sample_exports_load_into_postgresql_once(sample_engine, pg_url):
    engine = store.open_store(pg_url)
    try:
        files = {kind: export(sample_engine, kind, CITY) for kind in Kind}
        for kind in Kind:
            report = check(f"{kind.value}.xlsx", files[kind], engine, today=TODAY)
            assert report.kind == kind
            assert report.errors == []
            apply(engine, report, DEPARTMENT_OFFICES[1])
        assert _counts(engine) == _counts(sample_engine)
        log_size = store.audit_count(engine)
        for kind in Kind:
            report = check(f"{kind.value}.xlsx", files[kind], engine, today=TODAY)
            counts = report.counts()
            assert counts["new"] == counts["update"] == 0
            assert counts["unchanged"] == counts["rows"]
        assert _counts(engine) == _counts(sample_engine)
        assert store.audit_count(engine) == log_size
    finally:
        engine.dispose()
