"""The data store: schema, versioned migrations, reads by scope, writes.

Default is an embedded SQLite file; ``DATABASE_URL`` selects any other
SQLAlchemy database (PostgreSQL is tested). The schema holds places, plans and
counts only: no column may describe a person (see README, "Dữ liệu cá nhân").
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from dashboard.domain import (
    COUNT_COLUMNS,
    REFORM_DATE,
    ActivityKind,
    DomainError,
    HotspotKind,
    Status,
    TargetType,
    UnitLevel,
    check_transition,
    level_at,
)
from dashboard.geo import locate, ward_districts
from dashboard.i18n import t
from dashboard.scope import Scope

metadata = sa.MetaData()


def _enum_check(column: str, enum) -> sa.CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return sa.CheckConstraint(f"{column} IN ({values})", name=f"ck_{column}_values")


meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

hotspot = sa.Table(
    "hotspot",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    # Optional outline of the place, GeoJSON geometry text in EPSG:4326.
    sa.Column("area_geojson", sa.Text),
    # Derived from (lat, lon) by point-in-polygon on every write; never typed.
    sa.Column("ward_code", sa.String(5), nullable=False, index=True),
    sa.Column("district_code", sa.String(3), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("responsible_unit", sa.String(200), nullable=False, server_default=""),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    # Optimistic locking: every change to the hotspot adds one, so an edit made
    # on what an officer saw earlier is refused (see :func:`claim_hotspot`).
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    _enum_check("kind", HotspotKind),
    _enum_check("status", Status),
)

status_change = sa.Table(
    "status_change",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hotspot_id", sa.ForeignKey("hotspot.id"), nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("from_status", sa.String(16)),
    sa.Column("to_status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    # The recording office (a unit, not a person).
    sa.Column("recorded_by", sa.String(200), nullable=False, server_default=""),
    _enum_check("to_status", Status),
)

plan = sa.Table(
    "plan",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("doc_number", sa.String(64), nullable=False),
    sa.Column("doc_date", sa.Date, nullable=False),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("year", "doc_number"),
)

plan_target = sa.Table(
    "plan_target",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("plan_id", sa.ForeignKey("plan.id"), nullable=False, index=True),
    sa.Column("hotspot_id", sa.ForeignKey("hotspot.id"), nullable=False),
    sa.Column("target_type", sa.String(16), nullable=False),
    # Before 01/07/2025 a district is assigned, after it a ward.
    sa.Column("assigned_level", sa.String(16), nullable=False),
    sa.Column("assigned_code", sa.String(5), nullable=False),
    sa.UniqueConstraint("plan_id", "hotspot_id"),
    _enum_check("target_type", TargetType),
    _enum_check("assigned_level", UnitLevel),
)


activity = sa.Table(
    "activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("hotspot_id", sa.ForeignKey("hotspot.id"), index=True),
    # For a hotspot's activity both codes are the hotspot's; for area-wide work
    # the ward (after 2025) or the district (before) it covered.
    sa.Column("ward_code", sa.String(5), index=True),
    sa.Column("district_code", sa.String(3), index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    *(sa.Column(c, sa.BigInteger, nullable=False, server_default="0") for c in COUNT_COLUMNS),
    sa.Column("unit", sa.String(200), nullable=False, server_default=""),
    # Code of the performing unit: a former district (3 digits) before
    # 01/07/2025, a ward (5 digits) after. Tells which side of a border acted.
    sa.Column("unit_code", sa.String(5), index=True),
    sa.CheckConstraint(
        "hotspot_id IS NOT NULL OR ward_code IS NOT NULL OR district_code IS NOT NULL",
        name="ck_activity_place",
    ),
    *(sa.CheckConstraint(f"{c} >= 0", name=f"ck_{c}_nonneg") for c in COUNT_COLUMNS),
    _enum_check("kind", ActivityKind),
)


#: Every change made in the app or by an import, appended and never changed.
#: ``actor`` is the acting office or role (chosen from a list), never a person.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(32), nullable=False, index=True),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.Integer),
    sa.Column("entity_code", sa.String(32), index=True),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("before", sa.Text),  # JSON
    sa.Column("after", sa.Text),  # JSON
)


# Texts of a briefing note, and the longest each may be.
NOTE_TEXTS = ("difficulties", "proposals", "decisions")
NOTE_MAX_CHARS = 4000

#: Briefing notes (giao ban): what a unit's monthly briefing raised and agreed,
#: one note per unit and month (saving again updates it, audited). The unit is
#: the one holding briefings in that month: a former district (3 digits) before
#: 01/07/2025, a ward (5 digits) from then on. The city (the Department) holds
#: no notes here: its view is the quarterly summary of these. Free text about
#: places and work only: never a person's name, ID number, phone or residence.
briefing_note = sa.Table(
    "briefing_note",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # First day of the month of the briefing.
    sa.Column("month", sa.Date, nullable=False, index=True),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("unit_code", sa.String(5), nullable=False),
    # For scope filtering: a ward note has its ward and the ward's main former
    # district; a district note has its district and no ward.
    sa.Column("ward_code", sa.String(5), index=True),
    sa.Column("district_code", sa.String(3), nullable=False, index=True),
    *(sa.Column(c, sa.Text, nullable=False, server_default="") for c in NOTE_TEXTS),
    # The recording office (from the office list), never a person.
    sa.Column("recorded_by", sa.String(200), nullable=False, server_default=""),
    # Codes of the hotspots the note mentions, separated by spaces.
    sa.Column("hotspot_codes", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("month", "level", "unit_code", name="uq_briefing_note_unit_month"),
    _enum_check("level", UnitLevel),
    sa.CheckConstraint(" OR ".join(f"{c} <> ''" for c in NOTE_TEXTS), name="ck_briefing_note_text"),
    sa.CheckConstraint(
        f"(level = 'district' AND month < '{REFORM_DATE.isoformat()}' AND length(unit_code) = 3 "
        "AND district_code = unit_code AND ward_code IS NULL) OR "
        f"(level = 'ward' AND month >= '{REFORM_DATE.isoformat()}' AND length(unit_code) = 5 "
        "AND ward_code = unit_code)",
        name="ck_briefing_note_unit",
    ),
    comment=(
        "Monthly briefing notes, one per unit and month: a former district before 01/07/2025, "
        "a ward from then on; no city-level notes. Places and work only, no personal data."
    ),
)


# Texts of a local plan and of a task, and the longest each may be.
LOCAL_PLAN_TITLE_MAX = 300
TASK_TITLE_MAX = 300
TASK_RESULT_MAX = 1000
#: States a task is stored in (:class:`dashboard.tasks.TaskState`); "overdue" is never stored.
TASK_STATES = ("not_started", "in_progress", "done")


def _unit_place_check(name: str) -> sa.CheckConstraint:
    """A ward's row has its ward and the ward's main former district; a former
    district's row has its district and no ward."""
    return sa.CheckConstraint(
        "(level = 'district' AND length(unit_code) = 3 AND district_code = unit_code "
        "AND ward_code IS NULL) OR "
        "(level = 'ward' AND length(unit_code) = 5 AND ward_code = unit_code)",
        name=name,
    )


#: Local plans (seed item 1): a former district's (to 2025) or a ward's (from
#: 2025) own plan for a year under the city plan, one per unit and year; its
#: targets are :data:`local_target`, its tasks :data:`task`.
local_plan = sa.Table(
    "local_plan",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("unit_code", sa.String(5), nullable=False),
    sa.Column("ward_code", sa.String(5), index=True),
    sa.Column("district_code", sa.String(3), nullable=False, index=True),
    sa.Column("doc_number", sa.String(64), nullable=False, server_default=""),
    sa.Column("doc_date", sa.Date),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    # The recording office, never a person.
    sa.Column("recorded_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.UniqueConstraint("year", "level", "unit_code", name="uq_local_plan_unit_year"),
    _enum_check("level", UnitLevel),
    _unit_place_check("ck_local_plan_unit"),
    comment="Local plans of former districts and wards, one per unit and year. Places and work only.",
)

#: The hotspots a local plan sets out to clear or keep clean.
local_target = sa.Table(
    "local_target",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("local_plan_id", sa.ForeignKey("local_plan.id"), nullable=False, index=True),
    sa.Column("hotspot_id", sa.ForeignKey("hotspot.id"), nullable=False, index=True),
    sa.Column("target_type", sa.String(16), nullable=False),
    sa.UniqueConstraint("local_plan_id", "hotspot_id", name="uq_local_target"),
    _enum_check("target_type", TargetType),
)

#: Tasks of a local plan, given to a ward or an agency: on one hotspot, on one
#: ward of the plan's unit, or on the plan's whole unit. ``ward_code`` and
#: ``district_code`` are where the task is, for scope filtering (a hotspot's
#: own codes; a ward's; the plan's unit's). ``state`` is what the responsible
#: unit last reported; whether it is overdue is computed (dashboard.tasks).
task = sa.Table(
    "task",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("local_plan_id", sa.ForeignKey("local_plan.id"), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    # The unit or agency responsible (a unit, not a person).
    sa.Column("responsible", sa.String(200), nullable=False),
    sa.Column("hotspot_id", sa.ForeignKey("hotspot.id"), index=True),
    sa.Column("ward_code", sa.String(5), index=True),
    sa.Column("district_code", sa.String(3), nullable=False, index=True),
    sa.Column("deadline", sa.Date, nullable=False, index=True),
    sa.Column("state", sa.String(16), nullable=False, server_default="not_started"),
    sa.Column("result", sa.Text, nullable=False, server_default=""),
    # The day the state or the result was last reported.
    sa.Column("updated_on", sa.Date),
    sa.Column("recorded_by", sa.String(200), nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.CheckConstraint(f"state IN ({', '.join(repr(s) for s in TASK_STATES)})", name="ck_task_state_values"),
    sa.CheckConstraint("title <> '' AND responsible <> ''", name="ck_task_text"),
    comment="Tasks of local plans given to wards and agencies. Places and work only, no personal data.",
)


#: Values of :class:`dashboard.accounts.Role` (listed here so the store needs
#: no import of the accounts module; a test checks that the two agree).
ACCOUNT_ROLES = ("admin", "staff", "leadership", "area_officer", "presenter")
#: Longest username: an account's audit entries name it in ``audit_log.entity_code``.
USERNAME_MAX = 32

#: Local sign-in accounts (see :mod:`dashboard.accounts`). An account belongs
#: to an office; ``username`` is an identifier such as ``ld-hoankiem-01``,
#: never a person's name. ``password_hash`` is an argon2id hash that no read
#: helper returns but :func:`account_password_hash`, used only to verify a
#: sign-in. Unit codes are separated by spaces; times are UTC.
account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(USERNAME_MAX), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    # The office the account belongs to, never a person.
    sa.Column("office", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    # For an area officer: the former districts (3 digits) and current wards (5 digits) they work in.
    sa.Column("district_codes", sa.Text, nullable=False, server_default=""),
    sa.Column("ward_codes", sa.Text, nullable=False, server_default=""),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    # Consecutive failed sign-ins, and the end of a lock-out they caused.
    sa.Column("failed_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("password_changed_at", sa.DateTime, nullable=False),
    sa.CheckConstraint(f"role IN ({', '.join(repr(r) for r in ACCOUNT_ROLES)})", name="ck_role_values"),
    sa.CheckConstraint(
        f"length(username) >= 3 AND length(username) <= {USERNAME_MAX}", name="ck_account_username"
    ),
    sa.CheckConstraint("failed_count >= 0", name="ck_account_failed_count"),
    sa.CheckConstraint(
        "(role = 'area_officer' AND (district_codes <> '' OR ward_codes <> '')) OR "
        "(role <> 'area_officer' AND district_codes = '' AND ward_codes = '')",
        name="ck_account_units",
    ),
    comment=(
        "Sign-in accounts of offices (username is an identifier, not a person's name); "
        "argon2id password hashes only."
    ),
)


# --------------------------------------------------------------------------
# Opening and migrating


#: The triggers that keep the audit log append-only, per dialect (revision 0003).
APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Alembic revision ids in order: revision ``000N`` turns schema version N-1 into N.
REVISIONS = tuple(sorted(p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")))
SCHEMA_VERSION = len(REVISIONS)
HEAD = REVISIONS[-1]


@contextmanager
def _store_errors(url: str):
    """A database error while opening the store at ``url``, as a message naming it (password hidden)."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DomainError(t("err.store", url=safe_url(url), reason=reason)) from exc


def open_store(url: str) -> Engine:
    """Connect to the store at ``url`` and bring its schema up to date."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _store_errors(url):
        if url.startswith("sqlite"):
            engine = sa.create_engine(url)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            # A server connection the server has closed (restart, failover to the
            # replica, an administrator ending sessions) is replaced on checkout
            # instead of failing the officer's next request.
            engine = sa.create_engine(url, pool_pre_ping=True)
        migrate(engine)
    return engine


def peek_schema_version(url: str) -> int:
    """The schema version of the store at ``url``, read without migrating it (0: empty or new)."""
    with _store_errors(url):
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                return schema_version(conn)
        finally:
            engine.dispose()


def safe_url(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


#: How long a SQLite connection waits for another session's write to finish
#: before it gives up with "database is locked" (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 15_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """Foreign keys on; write-ahead logging, so readers never wait for a writer
    and parallel sessions share one file; a busy timeout, so a writer waits for
    another writer instead of failing at once."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")  # an in-memory store keeps "memory"
    cur.close()


def schema_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("meta"):
        return 0
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value or 0)


def raise_schema_version(conn: Connection, version: int) -> None:
    """Record schema ``version`` in ``meta`` unless a higher one is recorded (a
    revision run again never lowers it)."""
    if schema_version(conn) < version:
        set_meta(conn, "schema_version", str(version))


def _alembic_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _alembic_config(conn: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


def migrate(engine: Engine) -> int:
    """Bring the schema up to date with Alembic (``dashboard/migrations``), one
    transaction per revision; returns the schema version.

    A store made before Alembic took over (its version only in ``meta``) is
    stamped at that version first, then upgraded in place. A store of a newer
    schema than this app knows is refused and left untouched.
    """
    with engine.connect() as conn:
        found = schema_version(conn)
        revision = _alembic_revision(conn)
    if found > SCHEMA_VERSION or (revision is not None and revision not in REVISIONS):
        newer = found if found > SCHEMA_VERSION else revision
        raise DomainError(t("err.schema_newer", found=newer, supported=SCHEMA_VERSION))
    if found == SCHEMA_VERSION and revision == HEAD:
        return SCHEMA_VERSION  # up to date: Alembic is not even loaded
    from alembic import command

    with engine.connect() as conn:
        config = _alembic_config(conn)
        if revision is None and found > 0:
            command.stamp(config, REVISIONS[found - 1])
            conn.commit()
        command.upgrade(config, "head")
        conn.commit()
    return SCHEMA_VERSION


def write_lock(conn: Connection, name: str) -> None:
    """Serialise writers of one kind (``name``, e.g. "import") until the end of
    the caller's transaction: PostgreSQL takes an advisory transaction lock;
    SQLite takes its one write lock now (a no-op write), so what the
    transaction reads next is already what it will write on."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"hotspot:{name}"))))
    else:
        _sqlite_write_lock(conn)


def _sqlite_write_lock(conn: Connection) -> None:
    """Take SQLite's one write lock now, for the rest of the transaction (a no-op write)."""
    conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=meta.c.value))


class StaleEdit(DomainError):
    """The hotspot changed after the officer read it (optimistic locking)."""

    def __init__(self, message: str, current: dict):
        super().__init__(message)
        self.current = current


def claim_hotspot(conn: Connection, hotspot_id: int, expected_version: int | None) -> int:
    """Add one to the hotspot's version, taking its row for this transaction.

    With ``expected_version`` (the version the officer's screen showed), a
    hotspot changed since then raises :class:`StaleEdit` with its current
    values and nothing is written; None skips the check (a script's write).
    Returns the new version.
    """
    query = hotspot.update().where(hotspot.c.id == hotspot_id).values(version=hotspot.c.version + 1)
    if expected_version is not None:
        query = query.where(hotspot.c.version == int(expected_version))
    if conn.execute(query).rowcount == 1:
        return int(conn.execute(sa.select(hotspot.c.version).where(hotspot.c.id == hotspot_id)).scalar_one())
    row = conn.execute(sa.select(hotspot).where(hotspot.c.id == hotspot_id)).first()
    if row is None:
        raise DomainError(t("err.no_hotspot", id=hotspot_id))
    current = {
        "code": row.code,
        "name": row.name,
        "status": row.status,
        "lat": row.lat,
        "lon": row.lon,
        "ward_code": row.ward_code,
        "version": row.version,
    }
    raise StaleEdit(
        t(
            "err.stale_edit",
            code=row.code,
            status=t(f"status.{row.status}"),
            lat=f"{row.lat:.6f}".replace(".", ","),
            lon=f"{row.lon:.6f}".replace(".", ","),
        ),
        current,
    )


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(meta.delete().where(meta.c.key == key))
    conn.execute(meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()


#: Kinds of data a change is told by (:func:`touch`); each has its own generation, so a
#: cache of one kind outlives changes of the others. "activities_rewrite" changes only when
#: stored activities change or go (not when new ones are added), so a cache of activities
#: can read just the new rows after an import.
DATA_KINDS = ("hotspots", "history", "activities", "activities_rewrite", "plans", "notes", "tasks")
_GEN = "gen."


def touch(conn: Connection, *kinds: str) -> dict[str, str]:
    """Tell every process that data of ``kinds`` changed, in the caller's transaction:
    each kind's generation (a ``meta`` row) gets a new random token; returns them by kind.

    Every write of the data-access layer calls this; the process-wide caches
    (:mod:`dashboard.snapshots`) compare generations on every read, so a change made
    by one app process is seen by all of them at their next page run.
    """
    tokens = {}
    for kind in kinds:
        if kind not in DATA_KINDS:
            raise ValueError(f"unknown kind of data: {kind}")
        key, token = _GEN + kind, secrets.token_hex(8)
        tokens[kind] = token
        if conn.execute(meta.update().where(meta.c.key == key).values(value=token)).rowcount:
            continue
        if conn.dialect.name == "postgresql":  # another writer may add the row first: retry as an update
            try:
                with conn.begin_nested():
                    conn.execute(meta.insert().values(key=key, value=token))
            except sa.exc.IntegrityError:
                conn.execute(meta.update().where(meta.c.key == key).values(value=token))
        else:  # SQLite holds its write lock from the update on: nobody else can add it
            conn.execute(meta.insert().values(key=key, value=token))
    return tokens


def generations(conn: Connection) -> dict[str, str]:
    """Each kind's current generation ("" for a kind never written since it was kept)."""
    rows = conn.execute(sa.select(meta.c.key, meta.c.value).where(meta.c.key.startswith(_GEN)))
    found = {key.removeprefix(_GEN): value for key, value in rows}
    return {kind: found.get(kind, "") for kind in DATA_KINDS}


def is_sample_data(engine: Engine) -> bool:
    with engine.connect() as conn:
        return get_meta(conn, "sample_data") == "1"


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(hotspot)).scalar() == 0


# --------------------------------------------------------------------------
# Writes


def audit(
    conn: Connection,
    actor: str,
    action: str,
    entity: str,
    *,
    entity_id: int | None = None,
    entity_code: str | None = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Append one entry to the audit log, in the caller's transaction."""
    conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            entity_code=entity_code,
            summary=summary,
            before=None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            after=None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        )
    )


#: Audit entities whose entries name their unit (a ward or former district) in ``entity_code``.
UNIT_ENTITIES = ("briefing_note", "local_plan", "task")


def read_audit(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The audit log, newest first.

    The city scope sees every entry. Any other scope sees only the entries on
    hotspots within it and on briefing notes of its units (a note's entry
    names its unit in ``entity_code``): never accounts', imports' or
    city-wide entries.
    """
    query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    clause = scope.clause(hotspot.c.ward_code, hotspot.c.district_code)
    if clause is not None:
        visible = sa.select(hotspot.c.code).where(clause)
        units = sorted((scope.ward_codes or frozenset()) | (scope.district_codes or frozenset()))
        query = query.where(
            sa.or_(
                (audit_log.c.entity == "hotspot") & audit_log.c.entity_code.in_(visible),
                audit_log.c.entity.in_(UNIT_ENTITIES) & audit_log.c.entity_code.in_(units),
            )
        )
    with engine.connect() as conn:
        return _frame(conn, query, ("at",))


def add_hotspots(conn: Connection, rows: Iterable[dict]) -> list[int]:
    """Insert hotspots; ward and district come from each location.

    Each row needs ``code, name, kind, lat, lon, status`` and may have
    ``responsible_unit, notes, area_geojson``. Returns the new ids.
    """
    rows = [dict(r) for r in rows]
    if not rows:
        return []
    where = locate([r["lat"] for r in rows], [r["lon"] for r in rows])
    ids = []
    for row, (ward, district) in zip(rows, where.itertuples(index=False), strict=True):
        row.pop("ward_code", None), row.pop("district_code", None)
        row["kind"] = HotspotKind(row["kind"]).value
        row["status"] = Status(row["status"]).value
        result = conn.execute(hotspot.insert().values(**row, ward_code=ward, district_code=district))
        ids.append(result.inserted_primary_key[0])
    touch(conn, "hotspots")
    return ids


def record_status(
    conn: Connection,
    hotspot_id: int,
    date: dt.date,
    new: Status,
    reason: str = "",
    recorded_by: str = "",
    *,
    check: bool = True,
) -> Status | None:
    """Add a status change to a hotspot's history; returns the status it replaced
    (the one in force on ``date``, None for a first status).

    The change is checked against the status in force on its date and, when
    it is back-dated, against the change that follows it; that next change's
    ``from_status`` is updated. The hotspot's current status changes only
    when this is the latest change.
    """
    new = Status(new)
    history = conn.execute(
        sa.select(status_change.c.id, status_change.c.date, status_change.c.to_status)
        .where(status_change.c.hotspot_id == hotspot_id)
        .order_by(status_change.c.date, status_change.c.id)
    ).all()
    before = [row for row in history if row.date <= date]
    after = [row for row in history if row.date > date]
    old = Status(before[-1].to_status) if before else None
    following = after[0] if after else None
    if check:
        check_transition(old, new)
        if following is not None:
            check_transition(new, Status(following.to_status))
    conn.execute(
        status_change.insert().values(
            hotspot_id=hotspot_id,
            date=date,
            from_status=old.value if old else None,
            to_status=new.value,
            reason=reason,
            recorded_by=recorded_by,
        )
    )
    touch(conn, "hotspots", "history")
    if following is not None:
        conn.execute(
            status_change.update().where(status_change.c.id == following.id).values(from_status=new.value)
        )
    else:
        update_hotspot(conn, hotspot_id, status=new.value)
    return old


def update_hotspot(conn: Connection, hotspot_id: int, **values) -> None:
    """Change a hotspot's stored fields; its version goes up by one."""
    query = hotspot.update().where(hotspot.c.id == hotspot_id)
    conn.execute(query.values(**values, version=hotspot.c.version + 1))
    touch(conn, "hotspots")


def update_status_change(conn: Connection, change_id: int, **values) -> None:
    """Change the wording of a stored status change (reason, recording office)."""
    conn.execute(status_change.update().where(status_change.c.id == change_id).values(**values))
    touch(conn, "hotspots", "history")


#: ``meta`` key of the latest rewrites of stored activities that :func:`relocate_activities`
#: made: a list of ``{"from": generation, "to": generation, "hotspots": [id, ...]}``, oldest first,
#: at most :data:`REWRITES_KEPT`. A process holding the activities of generation ``from`` reads
#: again just those hotspots' rows (:mod:`dashboard.snapshots`); any rewrite not listed (a gap in
#: the chain) makes it read everything.
REWRITES = "activities_rewrites"
REWRITES_KEPT = 64


def relocate_activities(conn: Connection, hotspot_id: int, ward_code: str, district_code: str) -> None:
    """The place (ward, former district) of a hotspot's activities follows the hotspot."""
    conn.execute(
        activity.update()
        .where(activity.c.hotspot_id == hotspot_id)
        .values(ward_code=ward_code, district_code=district_code)
    )
    before = _locked_meta(conn, _GEN + "activities_rewrite")
    after = touch(conn, "activities", "activities_rewrite")["activities_rewrite"]
    listed = json.loads(get_meta(conn, REWRITES) or "[]")
    listed.append({"from": before, "to": after, "hotspots": [int(hotspot_id)]})
    set_meta(conn, REWRITES, json.dumps(listed[-REWRITES_KEPT:]))


def _locked_meta(conn: Connection, key: str) -> str:
    """The ``meta`` value of ``key`` ("" when there was none: the row is made), read under the
    row's lock, so that writers doing this one after another each see the one before commit
    (on SQLite every writer holds the one write lock anyway)."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(meta)
    conn.execute(insert.values(key=key, value="").on_conflict_do_nothing(index_elements=["key"]))
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key).with_for_update()).scalar()


def rewritten_hotspots(conn: Connection, since: str, now: str) -> set[int] | None:
    """The hotspots whose activities :func:`relocate_activities` rewrote from generation
    ``since`` of the activities to ``now``; None when some rewrite between is not listed."""
    listed = json.loads(get_meta(conn, REWRITES) or "[]")
    after = {entry["from"]: entry for entry in listed}
    found: set[int] = set()
    at = since
    for _ in range(len(listed)):
        entry = after.get(at)
        if entry is None:
            return None
        found.update(entry["hotspots"])
        at = entry["to"]
        if at == now:
            return found
    return None


def add_plan(conn: Connection, year: int, doc_number: str, doc_date: dt.date, title: str = "") -> int:
    result = conn.execute(
        plan.insert().values(year=year, doc_number=doc_number, doc_date=doc_date, title=title)
    )
    touch(conn, "plans")
    return result.inserted_primary_key[0]


def add_targets(conn: Connection, plan_id: int, rows: Iterable[dict]) -> None:
    """Rows: ``hotspot_id, target_type, assigned_level, assigned_code``."""
    for row in rows:
        conn.execute(
            plan_target.insert().values(
                plan_id=plan_id,
                hotspot_id=row["hotspot_id"],
                target_type=TargetType(row["target_type"]).value,
                assigned_level=UnitLevel(row["assigned_level"]).value,
                assigned_code=row["assigned_code"],
            )
        )
    touch(conn, "plans")


def add_activities(conn: Connection, rows: list[dict]) -> None:
    """Bulk insert; rows on a hotspot take the hotspot's ward and district."""
    if not rows:
        return
    places = {
        r.id: (r.ward_code, r.district_code)
        for r in conn.execute(sa.select(hotspot.c.id, hotspot.c.ward_code, hotspot.c.district_code))
    }
    # Area-wide work in a ward also counts for the former district holding most of it.
    ward_district = ward_districts()
    clean = []
    for row in rows:
        row = (
            dict.fromkeys(("hotspot_id", "ward_code", "district_code", "unit_code"))
            | {c: 0 for c in COUNT_COLUMNS}
            | {"unit": ""}
            | dict(row)
        )
        row["kind"] = ActivityKind(row["kind"]).value
        if row["hotspot_id"] is not None:
            row["ward_code"], row["district_code"] = places[row["hotspot_id"]]
        elif row.get("ward_code") and not row.get("district_code"):
            row["district_code"] = ward_district[row["ward_code"]]
        if not row.get("unit_code"):  # by default the unit where the work took place
            before = row["date"] < REFORM_DATE
            row["unit_code"] = row["district_code"] if before else row["ward_code"] or row["district_code"]
        clean.append(row)
    conn.execute(activity.insert(), clean)
    touch(conn, "activities")


def note_level(month: dt.date) -> UnitLevel:
    """The level holding briefings in ``month``: former districts before 01/07/2025, wards after."""
    return level_at(month)


def _note_row(row: dict) -> dict:
    """A note's stored columns, with the place codes that scope filtering needs."""
    level = UnitLevel(row["level"])
    code = row["unit_code"]
    clean = {
        "month": row["month"].replace(day=1),
        "level": level.value,
        "unit_code": code,
        "ward_code": code if level == UnitLevel.WARD else None,
        "district_code": ward_districts()[code] if level == UnitLevel.WARD else code,
        **{c: row.get(c) or "" for c in NOTE_TEXTS},
        "recorded_by": row.get("recorded_by") or "",
        "hotspot_codes": row.get("hotspot_codes") or "",
    }
    return clean


#: The fields of a note that an update may change (and the audit log shows).
NOTE_FIELDS = (*NOTE_TEXTS, "hotspot_codes", "recorded_by")


def save_note(conn: Connection, row: dict) -> tuple[int, dict | None]:
    """Write the note of ``row``'s unit and month: a new one, or an update of
    the stored one. Returns its id and, for an update, the fields as they were.

    ``row`` needs ``month, level, unit_code`` and may have the texts,
    ``recorded_by`` and ``hotspot_codes``; checks are the caller's
    (:func:`dashboard.editing.save_briefing_note`, the import's dry run).
    """
    clean = _note_row(row)
    key = (
        (briefing_note.c.month == clean["month"])
        & (briefing_note.c.level == clean["level"])
        & (briefing_note.c.unit_code == clean["unit_code"])
    )
    stored = conn.execute(sa.select(briefing_note).where(key)).mappings().first()
    touch(conn, "notes")
    if stored is None:
        result = conn.execute(briefing_note.insert().values(**clean))
        return result.inserted_primary_key[0], None
    conn.execute(briefing_note.update().where(briefing_note.c.id == stored["id"]).values(**clean))
    return stored["id"], {k: stored[k] for k in NOTE_FIELDS}


def add_notes(conn: Connection, rows: Iterable[dict]) -> None:
    """Bulk insert of new notes (the sample data)."""
    clean = [_note_row(r) for r in rows]
    if clean:
        conn.execute(briefing_note.insert(), clean)
        touch(conn, "notes")


def clear_all(conn: Connection) -> None:
    """Delete every row but the audit log's (used before rebuilding the sample data)."""
    for table in (
        task,
        local_target,
        local_plan,
        briefing_note,
        activity,
        plan_target,
        plan,
        status_change,
        hotspot,
    ):
        conn.execute(table.delete())
    conn.execute(meta.delete().where(meta.c.key != "schema_version"))
    touch(conn, *DATA_KINDS)


def clear_sample(engine: Engine, actor) -> None:
    """Remove the sample data so real data can start from an empty store.

    ``actor`` is an :class:`~dashboard.accounts.Account` (the app: only an
    admin or department staff may, a refusal is audited as ``denied``) or an
    office (``str``: the server's administrator on the command line, tests).
    The audit log keeps its entries (and records this one), which also tells
    :func:`dashboard.sample.ensure_data` never to fill the store again.
    """
    from dashboard.editing import office_of, require_city, signed  # editing imports this module

    require_city(engine, actor, "sample_clear", "store", admin_only=False)
    with engine.begin() as conn:
        if get_meta(conn, "sample_data") != "1":
            raise DomainError(t("err.not_sample"))
        clear_all(conn)
        audit(conn, office_of(actor), "sample_clear", "store", summary=signed("Xóa dữ liệu mẫu", actor))


def data_changes(conn: Connection) -> int:
    """Audit entries of data changes: grows with every write to the data, so it
    tells that data changed. Accounts' sign-ins and management, exports and
    refused writes are entries too, but no change to the data."""
    query = (
        sa.select(sa.func.count())
        .select_from(audit_log)
        .where(audit_log.c.entity.not_in(["account", "export"]), audit_log.c.action != "denied")
    )
    return conn.execute(query).scalar()


def audit_count(engine: Engine) -> int:
    """:func:`data_changes`, on a connection of its own."""
    with engine.connect() as conn:
        return data_changes(conn)


def has_history(engine: Engine) -> bool:
    """Whether any data was ever recorded (the audit log is never emptied)."""
    return audit_count(engine) > 0


# --------------------------------------------------------------------------
# Look-ups for checks and writes: the whole store, on the caller's connection
# (the rules that use them are in dashboard.editing, localplans and intake)


def hotspot_by_id(conn: Connection, hotspot_id: int) -> sa.Row | None:
    """The stored hotspot of ``hotspot_id``, or None."""
    return conn.execute(sa.select(hotspot).where(hotspot.c.id == int(hotspot_id))).first()


def hotspots_by_code(conn: Connection, codes: Iterable[str] | None = None) -> dict[str, sa.Row]:
    """Stored hotspots by code: those of ``codes``, or every one (``None``)."""
    query = sa.select(hotspot)
    if codes is not None:
        codes = sorted(set(codes))
        if not codes:
            return {}
        query = query.where(hotspot.c.code.in_(codes))
    return {r.code: r for r in conn.execute(query.order_by(hotspot.c.id))}


def hotspot_ids(conn: Connection) -> dict[str, int]:
    """Every stored hotspot's id, by code."""
    return dict(conn.execute(sa.select(hotspot.c.code, hotspot.c.id)).all())


def hotspot_codes(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The codes of the hotspots of ``ids`` (unknown ids are left out)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return {}
    rows = conn.execute(sa.select(hotspot.c.id, hotspot.c.code).where(hotspot.c.id.in_(ids)))
    return {int(i): c for i, c in rows}


def known_codes(conn: Connection, codes: Iterable[str] | None = None) -> set[str]:
    """Which of ``codes`` (or of all, ``None``) are stored hotspots' codes."""
    query = sa.select(hotspot.c.code)
    if codes is not None:
        codes = sorted(set(codes))
        if not codes:
            return set()
        query = query.where(hotspot.c.code.in_(codes))
    return set(conn.execute(query).scalars())


def status_changes(conn: Connection) -> list[sa.Row]:
    """Every recorded status change (``id, hotspot_id, date, to_status, reason,
    recorded_by``), by date then id."""
    sc = status_change
    query = sa.select(sc.c.id, sc.c.hotspot_id, sc.c.date, sc.c.to_status, sc.c.reason, sc.c.recorded_by)
    return conn.execute(query.order_by(sc.c.date, sc.c.id)).all()


#: What identifies an activity when an import is checked for rows already stored.
ACTIVITY_IDENTITY = ("unit_code", "date", "hotspot_id", "ward_code", "district_code", "kind", "unit",
                     *COUNT_COLUMNS)  # fmt: skip


def activities_between(conn: Connection, first: dt.date, last: dt.date) -> list[sa.Row]:
    """The :data:`ACTIVITY_IDENTITY` of every activity dated ``first`` to ``last``."""
    columns = (activity.c[c] for c in ACTIVITY_IDENTITY)
    return conn.execute(sa.select(*columns).where(activity.c.date.between(first, last))).all()


def last_activity_id(conn: Connection) -> int:
    """The highest activity id (0 in an empty store)."""
    return conn.execute(sa.select(sa.func.max(activity.c.id))).scalar() or 0


def find_note(conn: Connection, month: dt.date, level: str, unit_code: str) -> dict | None:
    """The :data:`NOTE_FIELDS` of the stored note of a unit and month, or None."""
    query = sa.select(*(briefing_note.c[k] for k in NOTE_FIELDS)).where(
        (briefing_note.c.month == month)
        & (briefing_note.c.level == str(level))
        & (briefing_note.c.unit_code == unit_code)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def _by_id(conn: Connection, table: sa.Table, row_id: int) -> dict | None:
    row = conn.execute(sa.select(table).where(table.c.id == int(row_id))).mappings().first()
    return None if row is None else dict(row)


def _by_unit(conn: Connection, table: sa.Table, when: str) -> dict[tuple, dict]:
    rows = conn.execute(sa.select(table)).mappings()
    return {(r[when], r["level"], r["unit_code"]): dict(r) for r in rows}


def notes_by_unit(conn: Connection) -> dict[tuple, dict]:
    """Every stored briefing note, by (month, level, unit code)."""
    return _by_unit(conn, briefing_note, "month")


def local_plan_by_id(conn: Connection, plan_id: int) -> dict | None:
    """The stored local plan of ``plan_id``, or None."""
    return _by_id(conn, local_plan, plan_id)


def local_plans_by_unit(conn: Connection) -> dict[tuple, dict]:
    """Every stored local plan, by (year, level, unit code)."""
    return _by_unit(conn, local_plan, "year")


def task_by_id(conn: Connection, task_id: int) -> dict | None:
    """The stored task of ``task_id``, or None."""
    return _by_id(conn, task, task_id)


def all_tasks(conn: Connection) -> list[dict]:
    """Every stored task, by id."""
    return [dict(r) for r in conn.execute(sa.select(task).order_by(task.c.id)).mappings()]


# --------------------------------------------------------------------------
# Reads, always within the caller's scope


def _scoped(query, table, scope: Scope):
    clause = scope.clause(table.c.ward_code, table.c.district_code)
    return query if clause is None else query.where(clause)


#: Rows read per round trip: a big table is never held twice (as rows and as a frame).
READ_CHUNK = 100_000


def _frame(conn: Connection, query, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of ``query``; its columns named in ``dates`` as datetime64.

    Those of them that are dates come as the driver gives them (ISO text on SQLite) and are
    parsed in one go here rather than turned into Python dates row by row.
    """
    selected = query.selected_columns
    parsed = {c.key for c in selected if c.key in dates and isinstance(c.type, sa.Date)}
    if parsed:
        as_text = [sa.type_coerce(c, sa.String).label(c.key) if c.key in parsed else c for c in selected]
        query = query.with_only_columns(*as_text, maintain_column_froms=True)
    chunks = list(pd.read_sql(query, conn.execution_options(stream_results=True), chunksize=READ_CHUNK))
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    for column in dates:
        values = pd.to_datetime(frame[column])
        frame[column] = values.astype("datetime64[s]") if column in parsed and len(frame) else values
    return frame


def read_hotspots(engine: Engine, scope: Scope) -> pd.DataFrame:
    with engine.connect() as conn:
        return _frame(conn, _scoped(sa.select(hotspot), hotspot, scope).order_by(hotspot.c.code))


def read_status_history(engine: Engine, scope: Scope) -> pd.DataFrame:
    query = sa.select(status_change).join(hotspot, hotspot.c.id == status_change.c.hotspot_id)
    query = _scoped(query, hotspot, scope).order_by(status_change.c.date, status_change.c.id)
    with engine.connect() as conn:
        return _frame(conn, query, ("date",))


def read_activities(
    engine: Engine, scope: Scope, *, after_id: int = 0, hotspots: Iterable[int] = ()
) -> pd.DataFrame:
    """Activities within ``scope`` by date; with ``after_id``, only those of a higher id; with
    ``hotspots``, only those of these hotspots."""
    query = _scoped(sa.select(activity), activity, scope)
    if not after_id:
        query = query.order_by(activity.c.date, activity.c.id)
    else:
        # The few new rows are found by the primary key and sorted here: ordered by date in
        # SQL, SQLite would walk the date index through every row to find them.
        query = query.where(activity.c.id > after_id).order_by(activity.c.id)
    if hotspots:
        query = query.where(activity.c.hotspot_id.in_(sorted({int(i) for i in hotspots})))
    with engine.connect() as conn:
        frame = _frame(conn, query, ("date",))
    if after_id:
        frame = frame.sort_values(["date", "id"], kind="stable", ignore_index=True)
    return frame


def count_activities(engine: Engine, scope: Scope) -> int:
    query = _scoped(sa.select(sa.func.count()).select_from(activity), activity, scope)
    with engine.connect() as conn:
        return conn.execute(query).scalar()


#: Columns of :func:`read_briefing_notes`.
NOTE_COLUMNS = tuple(c.name for c in briefing_note.c)


def empty_notes() -> pd.DataFrame:
    """A frame with the columns of :func:`read_briefing_notes` and no rows."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in NOTE_COLUMNS})
    frame["id"] = frame["id"].astype("int64")
    frame["month"] = pd.Series(dtype="datetime64[ns]")
    return frame


def read_briefing_notes(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Briefing notes within ``scope`` (by their ward or former district),
    by month then unit; ``month`` (the first day) as datetime64."""
    query = _scoped(sa.select(briefing_note), briefing_note, scope)
    query = query.order_by(briefing_note.c.month, briefing_note.c.unit_code)
    with engine.connect() as conn:
        frame = _frame(conn, query, ("month",))
    return frame if len(frame) else empty_notes()


def read_plans(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return _frame(conn, sa.select(plan).order_by(plan.c.year, plan.c.id), ("doc_date",))


def read_targets(engine: Engine, scope: Scope) -> pd.DataFrame:
    query = (
        sa.select(plan_target, plan.c.year)
        .join(plan, plan.c.id == plan_target.c.plan_id)
        .join(hotspot, hotspot.c.id == plan_target.c.hotspot_id)
    )
    with engine.connect() as conn:
        return _frame(conn, _scoped(query, hotspot, scope).order_by(plan_target.c.id))


# --------------------------------------------------------------------------
# Local plans, their targets and tasks (the rules are in dashboard.editing and dashboard.tasks)


def unit_place(level: UnitLevel | str, code: str) -> dict:
    """``level, unit_code, ward_code, district_code`` of a unit's row: a ward has
    its ward and the ward's main former district, a former district no ward."""
    level = UnitLevel(level)
    if level == UnitLevel.WARD:
        return {
            "level": level.value,
            "unit_code": code,
            "ward_code": code,
            "district_code": ward_districts()[code],
        }
    return {"level": level.value, "unit_code": code, "ward_code": None, "district_code": code}


#: The fields of a local plan that an update may change (and the audit log shows).
LOCAL_PLAN_FIELDS = ("doc_number", "doc_date", "title", "recorded_by")
#: The fields of a task that an update may change (and the audit log shows).
TASK_FIELDS = ("title", "responsible", "hotspot_id", "ward_code", "district_code", "deadline", "state",
               "result", "updated_on", "recorded_by")  # fmt: skip


def find_local_plan(conn: Connection, year: int, level: str, unit_code: str) -> dict | None:
    query = sa.select(local_plan).where(
        (local_plan.c.year == int(year))
        & (local_plan.c.level == str(level))
        & (local_plan.c.unit_code == unit_code)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def save_local_plan(conn: Connection, row: dict) -> tuple[int, dict | None]:
    """Write the plan of ``row``'s unit and year (``year, level, unit_code`` and
    the fields of :data:`LOCAL_PLAN_FIELDS`): a new one, or an update of the
    stored one (its version goes up). Returns its id and, for an update, the
    fields as they were. Checks are the caller's."""
    fields = {k: row.get(k) if k == "doc_date" else (row.get(k) or "") for k in LOCAL_PLAN_FIELDS}
    values = {"year": int(row["year"]), **unit_place(row["level"], row["unit_code"]), **fields}
    stored = find_local_plan(conn, values["year"], values["level"], values["unit_code"])
    touch(conn, "tasks")
    if stored is None:
        return conn.execute(local_plan.insert().values(**values)).inserted_primary_key[0], None
    conn.execute(
        local_plan.update()
        .where(local_plan.c.id == stored["id"])
        .values(**values, version=local_plan.c.version + 1)
    )
    return stored["id"], {k: stored[k] for k in LOCAL_PLAN_FIELDS}


def local_targets_of(conn: Connection, plan_id: int) -> dict[int, str]:
    """The plan's targets: {hotspot id: target type}."""
    query = sa.select(local_target.c.hotspot_id, local_target.c.target_type)
    rows = conn.execute(query.where(local_target.c.local_plan_id == int(plan_id)))
    return {int(h): str(k) for h, k in rows}


def set_local_targets(conn: Connection, plan_id: int, targets: dict[int, str]) -> tuple[dict, dict]:
    """Make the plan's targets exactly ``targets`` (hotspot id -> target type).
    Returns (before, after) as {hotspot id: type}."""
    before = local_targets_of(conn, plan_id)
    after = {int(h): TargetType(k).value for h, k in targets.items()}
    if before == after:
        return before, after
    conn.execute(local_target.delete().where(local_target.c.local_plan_id == plan_id))
    if after:
        conn.execute(local_target.insert(), [{"local_plan_id": plan_id, "hotspot_id": h, "target_type": k}
                                             for h, k in sorted(after.items())])  # fmt: skip
    touch(conn, "tasks")
    return before, after


def insert_task(conn: Connection, row: dict) -> int:
    """Add a task (``local_plan_id`` and :data:`TASK_FIELDS`); returns its id."""
    values = {"local_plan_id": int(row["local_plan_id"]), **{k: row.get(k) for k in TASK_FIELDS}}
    values["result"] = values["result"] or ""
    values["recorded_by"] = values["recorded_by"] or ""
    touch(conn, "tasks")
    return conn.execute(task.insert().values(**values)).inserted_primary_key[0]


def update_task(conn: Connection, task_id: int, values: dict, expected_version: int | None) -> dict | None:
    """Change a task's fields (of :data:`TASK_FIELDS`); its version goes up by one.
    With ``expected_version`` the change is made only if the task is still at
    that version. Returns the fields as they were, or None when the task is gone
    or was changed meanwhile (nothing written)."""
    stored = conn.execute(sa.select(task).where(task.c.id == task_id)).mappings().first()
    if stored is None:
        return None
    query = task.update().where(task.c.id == task_id)
    if expected_version is not None:
        query = query.where(task.c.version == int(expected_version))
    changed = conn.execute(query.values(**{k: values[k] for k in values if k in TASK_FIELDS},
                                        version=task.c.version + 1)).rowcount  # fmt: skip
    if not changed:
        return None
    touch(conn, "tasks")
    return {k: stored[k] for k in TASK_FIELDS}


def add_local_plans(conn: Connection, plans: Iterable[dict]) -> None:
    """Bulk insert of new local plans with their targets and tasks (the sample
    data): each dict is a plan's row with ``targets`` ({hotspot id: type}) and
    ``tasks`` (rows of :data:`TASK_FIELDS`)."""
    for plan_row in plans:
        plan_id, _ = save_local_plan(conn, plan_row)
        set_local_targets(conn, plan_id, plan_row.get("targets") or {})
        for task_row in plan_row.get("tasks") or []:
            insert_task(conn, {**task_row, "local_plan_id": plan_id})


#: Columns of the frames of the local-plan reads.
LOCAL_PLAN_COLUMNS = tuple(c.name for c in local_plan.c)
LOCAL_TARGET_COLUMNS = (*(c.name for c in local_target.c), "year", "level", "unit_code")
TASK_COLUMNS = (*(c.name for c in task.c), "year", "level", "unit_code")


def _empty(
    columns: tuple[str, ...], dates: tuple[str, ...] = (), ints: tuple[str, ...] = ("id",)
) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in ints:
        frame[column] = frame[column].astype("int64")
    for column in dates:
        frame[column] = pd.Series(dtype="datetime64[ns]")
    return frame


def empty_local_plans() -> pd.DataFrame:
    return _empty(LOCAL_PLAN_COLUMNS, ("doc_date",), ("id", "year", "version"))


def empty_local_targets() -> pd.DataFrame:
    return _empty(LOCAL_TARGET_COLUMNS, (), ("id", "local_plan_id", "hotspot_id", "year"))


def empty_tasks() -> pd.DataFrame:
    return _empty(TASK_COLUMNS, ("deadline", "updated_on"), ("id", "local_plan_id", "year", "version"))


def read_local_plans(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Local plans of the units within ``scope``, by year then unit."""
    query = _scoped(sa.select(local_plan), local_plan, scope).order_by(
        local_plan.c.year, local_plan.c.unit_code
    )
    with engine.connect() as conn:
        frame = _frame(conn, query, ("doc_date",))
    return frame if len(frame) else empty_local_plans()


def read_local_targets(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Targets of the local plans within ``scope``, with their plan's year and unit."""
    query = sa.select(local_target, local_plan.c.year, local_plan.c.level, local_plan.c.unit_code).join(
        local_plan, local_plan.c.id == local_target.c.local_plan_id
    )
    with engine.connect() as conn:
        frame = _frame(conn, _scoped(query, local_plan, scope).order_by(local_target.c.id))
    return frame if len(frame) else empty_local_targets()


def read_tasks(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Tasks within ``scope`` (by where each task is), with their plan's year and
    unit, by deadline; ``deadline`` and ``updated_on`` as datetime64."""
    query = sa.select(task, local_plan.c.year, local_plan.c.level, local_plan.c.unit_code).join(
        local_plan, local_plan.c.id == task.c.local_plan_id
    )
    with engine.connect() as conn:
        frame = _frame(
            conn, _scoped(query, task, scope).order_by(task.c.deadline, task.c.id), ("deadline", "updated_on")
        )
    return frame if len(frame) else empty_tasks()


# --------------------------------------------------------------------------
# Accounts (the rules are in dashboard.accounts)

#: Every column of :data:`account` but the password hash: what the reads return.
ACCOUNT_COLUMNS = tuple(c.name for c in account.c if c.name != "password_hash")


def _account_select():
    return sa.select(*(account.c[name] for name in ACCOUNT_COLUMNS))


def read_accounts(conn: Connection) -> list[dict]:
    """Every account by username, without its password hash."""
    return [dict(r) for r in conn.execute(_account_select().order_by(account.c.username)).mappings()]


def read_account(conn: Connection, username: str, *, for_update: bool = False) -> dict | None:
    """One account without its password hash, or None; ``for_update`` locks
    the row for the rest of the transaction (PostgreSQL; SQLite takes its one
    write lock now, so that a count read here is still the count when written)."""
    query = _account_select().where(account.c.username == username)
    if for_update and conn.dialect.name == "sqlite":
        _sqlite_write_lock(conn)
    row = conn.execute(query.with_for_update() if for_update else query).mappings().first()
    return None if row is None else dict(row)


def account_password_hash(conn: Connection, username: str) -> str | None:
    """The stored hash of ``username``'s password, or None: only for
    :func:`dashboard.accounts.authenticate`, which verifies it and lets it go no further."""
    return conn.execute(sa.select(account.c.password_hash).where(account.c.username == username)).scalar()


def insert_account(conn: Connection, row: dict) -> int:
    """Insert an account (its columns, ``password_hash`` included); returns its id."""
    return conn.execute(account.insert().values(**row)).inserted_primary_key[0]


def update_account(conn: Connection, username: str, **values) -> None:
    """Change columns of one account."""
    conn.execute(account.update().where(account.c.username == username).values(**values))


def account_count(conn: Connection, **where) -> int:
    """Accounts, optionally only those whose columns equal ``where``'s values."""
    query = sa.select(sa.func.count()).select_from(account)
    for name, value in where.items():
        query = query.where(account.c[name] == value)
    return conn.execute(query).scalar()
