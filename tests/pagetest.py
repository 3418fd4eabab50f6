"""Helpers for the AppTest page tests (the ``app_env`` fixture is in conftest.py).

Every page signs in first, so :func:`run_page` runs a page as a signed-in test
account (an administrator unless told otherwise), made in the page's store on
first use.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import argon2
from streamlit.testing.v1 import AppTest

from dashboard import accounts, store
from dashboard.accounts import Role
from dashboard.i18n import t

ROOT = Path(__file__).resolve().parent.parent
#: "Today" for the pages under test (``HOTSPOT_TODAY``).
TODAY = dt.date(2026, 11, 20)
#: The test accounts' password (made with a cheap hasher: tests only).
TEST_PASSWORD = "kiem-thu-mat-khau-dai-2026"
ADMIN = "kiem-thu-admin"
OFFICE = "Sở Lao động - Thương binh và Xã hội Hà Nội"
CHEAP_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def ensure_account(
    url: str, username: str = ADMIN, role: Role = Role.ADMIN, office: str = OFFICE,
    districts: tuple[str, ...] = (), wards: tuple[str, ...] = (),
) -> str:  # fmt: skip
    """Make the account ``username`` in the store at ``url`` unless it is there."""
    engine = store.open_store(url)
    saved = accounts.HASHER
    try:
        if accounts.get_user(engine, username) is None:
            accounts.HASHER = CHEAP_HASHER
            accounts.add_user(
                engine, username, TEST_PASSWORD, office, role, districts, wards, actor="kiểm thử"
            )
    finally:
        accounts.HASHER = saved
        engine.dispose()
    return username


def sign_in(at: AppTest, username: str = ADMIN) -> AppTest:
    """Put ``username`` in the session as signed in, as the sign-in form does."""
    from dashboard.ui import auth

    if username == ADMIN:
        from dashboard.config import Settings

        ensure_account(os.environ.get("DATABASE_URL") or Settings.from_env().database_url, username)
    at.session_state[auth.SESSION_USER] = username
    at.session_state[auth.SESSION_SEEN] = dt.datetime.now(dt.UTC)
    return at


def run_page(page: str, timeout: int = 180, user: str | None = ADMIN) -> AppTest:
    """Run one page file as ``user`` (None: not signed in) and fail on any uncaught exception."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    if user is not None:
        sign_in(at, user)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, key: str) -> str:
    """The value of the one metric labelled with catalogue text ``key``."""
    label = t(key)
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def copy_sqlite(url: str, path) -> str:
    """Copy the SQLite store at ``url`` to ``path`` through SQLite's backup API
    (the store runs in WAL mode: its file alone may miss the latest writes); the copy's URL."""
    import sqlite3

    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return f"sqlite:///{path}"


def as_pre_alembic_store(conn, version: int) -> None:
    """Make the store in ``conn`` look as an app before Alembic left it at
    schema ``version``: the version in ``meta`` only, no ``alembic_version``."""
    import sqlalchemy as sa

    from dashboard import store

    store.set_meta(conn, "schema_version", str(version))
    conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def run_revision(conn, revision: str) -> None:
    """Run one migration revision's upgrade again on ``conn`` (revisions are idempotent)."""
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from dashboard import store

    (path,) = (store.MIGRATIONS_DIR / "versions").glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"revision_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Operations.context(MigrationContext.configure(conn)):
        module.upgrade()
