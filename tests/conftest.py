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

#: The store the suite's shared fixtures (sample store, copies, empty stores) live on:
#: "sqlite", the embedded default, or "postgresql", the machine's server at PG_ADMIN_URL.
#: ``scripts/test.sh`` runs the whole suite once on each.
TEST_STORE = os.environ.get("HOTSPOT_TEST_STORE", "sqlite")
if TEST_STORE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"HOTSPOT_TEST_STORE={TEST_STORE!r}: expected sqlite or postgresql")


#: Fixtures that put a test on the suite's kind of store (everything built on them does too).
STORE_FIXTURES = frozenset({"sample_db_url", "store_urls", "new_store_url", "store_copies"})
#: Set by ``scripts/test.sh`` for its passes after the first: only the tests on the suite's
#: stores run again (:func:`uses_the_test_store`); the others (parsers, charts, documents,
#: PostgreSQL-only or SQLite-only tests) do not depend on the kind of store and have run already.
STORE_DEPENDENT_ONLY = os.environ.get("HOTSPOT_TEST_STORE_DEPENDENT_ONLY") == "1"


def pytest_report_header(config):
    if STORE_DEPENDENT_ONLY:
        return f"shared test stores on: {TEST_STORE} (only the tests that use them)"
    return f"shared test stores on: {TEST_STORE}"


def uses_the_test_store(item) -> bool:
    """Whether ``item`` runs again in a pass after the first: it runs on the suite's kind of
    store (directly or through a fixture) and is no browser test, or is a browser test marked
    ``each_store`` (it writes through the app). What the other browser tests check is what
    Chromium draws and does; the data behind each page is checked on every store by the page
    tests under AppTest and the store tests."""
    names = set(getattr(item, "fixturenames", ()))
    if "browser" in names:
        return item.get_closest_marker("each_store") is not None
    return bool(STORE_FIXTURES & names)


def pytest_collection_modifyitems(config, items):
    # Under pytest-xdist (scripts/test.sh: -n 2 --dist loadgroup) the browser tests run one
    # after another on one worker, each Chromium and app server alone, the other worker taking
    # the rest meanwhile.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if not STORE_DEPENDENT_ONLY:
        return
    other = [item for item in items if not uses_the_test_store(item)]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [item for item in items if uses_the_test_store(item)]


def _admin():
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _disconnect(conn, name: str) -> None:
    """End every other session on database ``name`` (engines there reconnect on next use)."""
    conn.execute(
        sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )


def create_pg_database(template: str | None = None) -> str:
    """URL of a new PostgreSQL database, empty or a copy of the database at ``template``."""
    name = f"hotspot_test_{uuid.uuid4().hex}"
    admin = _admin()
    try:
        with admin.connect() as conn:
            if template is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            else:
                source = sa.engine.make_url(template).database
                # A template must have no other sessions while it is copied.
                _disconnect(conn, source)
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    finally:
        admin.dispose()
    return sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = _admin()
    try:
        with admin.connect() as conn:
            _disconnect(conn, name)
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


#: A PostgreSQL database migrated once per session, that new empty stores are copies of.
_EMPTY_TEMPLATE: dict[str, str] = {}


def _empty_pg_store() -> str:
    """URL of a new PostgreSQL store with the current schema and no rows: a copy of one
    migrated once per session (copying takes a fraction of migrating each new database)."""
    if "url" not in _EMPTY_TEMPLATE:
        url = create_pg_database()
        store.open_store(url).dispose()
        _EMPTY_TEMPLATE["url"] = url
    return create_pg_database(template=_EMPTY_TEMPLATE["url"])


def pytest_sessionfinish(session, exitstatus):
    url = _EMPTY_TEMPLATE.pop("url", None)
    if url is not None:
        drop_pg_database(url)


def _store_factory(sqlite_path):
    """A factory of URLs of new, empty stores of the suite's kind (``sqlite_path(label, n)`` places
    the n-th SQLite file), then, once the caller is done, drops the PostgreSQL ones it made.

    A new SQLite store is a file not made yet; a new PostgreSQL store already has the current
    schema (no rows)."""
    made: list[str] = []

    def make(label: str = "store") -> str:
        url = f"sqlite:///{sqlite_path(label, len(made))}" if TEST_STORE == "sqlite" else _empty_pg_store()
        made.append(url)
        return url

    yield make
    for url in made:
        if not url.startswith("sqlite"):
            drop_pg_database(url)


@pytest.fixture(scope="session")
def store_urls(tmp_path_factory):
    """Factory of URLs of new, empty stores of the suite's kind that live for the whole session
    (for module-scoped fixtures); the PostgreSQL ones are dropped at the end."""
    yield from _store_factory(lambda label, _n: tmp_path_factory.mktemp(label) / f"{label}.sqlite")


@pytest.fixture
def new_store_url(tmp_path):
    """Factory of URLs of new, empty stores of the suite's kind (TEST_STORE), removed afterwards."""
    yield from _store_factory(lambda label, n: tmp_path / f"{label}-{n}.sqlite")


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory) -> str:
    """A store of the suite's kind holding the deterministic sample data (filled once)."""
    if TEST_STORE == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sample')}/sample.sqlite"
    else:
        url = create_pg_database()
    engine = store.open_store(url)
    load_sample(engine)
    engine.dispose()
    # Pages sign in first: the test administrator is in the sample store (and its copies).
    from pagetest import ensure_account

    ensure_account(url)
    yield url
    if TEST_STORE == "postgresql":
        drop_pg_database(url)


@pytest.fixture(scope="session")
def sqlite_sample_db_url(sample_db_url, tmp_path_factory) -> str:
    """A SQLite file of the sample data whatever TEST_STORE is (for tests of the SQLite store itself)."""
    if TEST_STORE == "sqlite":
        return sample_db_url
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite-sample')}/sample.sqlite"
    engine = store.open_store(url)
    load_sample(engine)
    engine.dispose()
    from pagetest import ensure_account

    ensure_account(url)
    return url


@pytest.fixture(scope="session")
def store_copies(sample_db_url, tmp_path_factory):
    """Factory of writable copies of the sample store that live for the whole session (for
    module-scoped fixtures such as a running app); the PostgreSQL ones are dropped at the end."""
    made: list[str] = []

    def make() -> str:
        if TEST_STORE == "sqlite":
            from pagetest import copy_sqlite

            url = copy_sqlite(sample_db_url, tmp_path_factory.mktemp("copy") / "store.sqlite")
        else:
            url = create_pg_database(template=sample_db_url)
        made.append(url)
        return url

    yield make
    for url in made:
        if not url.startswith("sqlite"):
            drop_pg_database(url)


@pytest.fixture(scope="session")
def sample_engine(sample_db_url):
    engine = store.open_store(sample_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sample_dataset(sample_engine):
    return load_dataset(sample_engine, Scope.city())


@pytest.fixture
def empty_engine(new_store_url):
    engine = store.open_store(new_store_url())
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database, dropped afterwards (whatever TEST_STORE is)."""
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


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
    """URL of a writable copy of the sample store (on the suite's kind of store)."""
    if TEST_STORE == "sqlite":
        from pagetest import copy_sqlite

        yield copy_sqlite(sample_db_url, tmp_path / "copy.sqlite")
        return
    url = create_pg_database(template=sample_db_url)
    yield url
    drop_pg_database(url)


@pytest.fixture
def page_store(app_env, store_copy, monkeypatch):
    """An engine on a fresh, writable copy of the sample store, which the pages under AppTest use."""
    monkeypatch.setenv("DATABASE_URL", store_copy)
    engine = store.open_store(store_copy)
    yield engine
    engine.dispose()
