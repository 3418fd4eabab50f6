"""Shared fixtures: the sample store (built once per session), empty stores,
a throw-away PostgreSQL database, and the builder of small hand-made stores."""

from __future__ import annotations

import os
import tempfile
import uuid

import pytest
import sqlalchemy as sa
from handmade import fill_store

from dashboard import store
from dashboard.queries import load_dataset
from dashboard.sample import load_sample
from dashboard.scope import Scope

# Tests never read a boundary layer imported on this machine (data/geodata):
# they see the bundled layers unless a test installs its own.
os.environ["HOTSPOT_GEODATA_DIR"] = tempfile.mkdtemp(prefix="hotspot-geodata-")
# The public version's offsets are keyed by a secret (dashboard/public.py); tests use their own
# key, never one that a machine keeps in data/public.key.
os.environ.setdefault("HOTSPOT_PUBLIC_KEY", "tests-only-public-key")

PG_ADMIN_URL = os.environ.get(
    "HOTSPOT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory) -> str:
    """A SQLite file holding the deterministic sample data (filled once)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sample')}/sample.sqlite"
    engine = store.open_store(url)
    load_sample(engine)
    engine.dispose()
    # Pages sign in first: the test administrator is in the sample store (and its copies).
    from pagetest import ensure_account

    ensure_account(url)
    return url


@pytest.fixture(scope="session")
def sample_engine(sample_db_url):
    engine = store.open_store(sample_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_dataset(sample_engine):
    return load_dataset(sample_engine, Scope.city())


@pytest.fixture
def empty_engine(tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path}/store.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database, dropped afterwards."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"hotspot_test_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def make_store():
    """The :func:`handmade.fill_store` builder, for tests that build a small store."""
    return fill_store


@pytest.fixture
def app_env(monkeypatch, sample_db_url):
    """Pages under AppTest read the sample store, with today pinned and no basemap."""
    from pagetest import ROOT, TODAY

    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    monkeypatch.setenv("HOTSPOT_TODAY", TODAY.strftime("%d/%m/%Y"))
    monkeypatch.setenv("HOTSPOT_TILES", "none")
    # Each test's store is new: no background warm-up (tests/test_snapshots.py tests it).
    monkeypatch.setenv("HOTSPOT_WARM_UP", "0")
    monkeypatch.chdir(ROOT)


# --------------------------------------------------------------------------
# Browser tests (Playwright driving Debian's Chromium; see browserkit.py)


@pytest.fixture(scope="module")
def browser():
    from browserkit import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every URL it requests (``page.requested``)."""
    from browserkit import TIMEOUT_MS

    context = browser.new_context(viewport={"width": 1500, "height": 1300}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.requested = []
    pg.on("request", lambda request: pg.requested.append(request.url))
    # Every new browser session signs in first: each navigation does so when asked.
    from browserkit import sign_in_if_asked

    goto = pg.goto

    def goto_signed_in(url, *args, **kwargs):
        response = goto(url, *args, **kwargs)
        sign_in_if_asked(pg)
        return response

    pg.goto = goto_signed_in
    yield pg
    context.close()


@pytest.fixture
def store_copy(sample_db_url, tmp_path) -> str:
    """URL of a writable copy of the sample store."""
    from pagetest import copy_sqlite

    return copy_sqlite(sample_db_url, tmp_path / "copy.sqlite")


@pytest.fixture
def page_store(app_env, store_copy, monkeypatch):
    """An engine on a fresh, writable copy of the sample store, which the pages under AppTest use."""
    monkeypatch.setenv("DATABASE_URL", store_copy)
    engine = store.open_store(store_copy)
    yield engine
    engine.dispose()
