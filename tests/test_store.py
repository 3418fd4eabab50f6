"""The store: schema and migrations, writes that derive places, lifecycle
checks, constraints, reads by scope, PostgreSQL, and no personal data."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
import sqlalchemy as sa
from handmade import PLACES

from dashboard import store
from dashboard.domain import DomainError, Status, check_transition
from dashboard.sample import load_sample
from dashboard.scope import Scope

D = dt.date

#: Every column of every table. A new column must be added here after checking
#: that it describes a place, a plan or a count, never a person.
REVIEWED_COLUMNS = {
    "meta": {"key", "value"},
    "hotspot": {
        "id",
        "code",
        "name",  # the place's name, e.g. "Điểm công cộng HK-03"
        "kind",
        "lat",
        "lon",
        "area_geojson",
        "ward_code",
        "district_code",
        "status",
        "responsible_unit",  # an office
        "notes",
        "version",  # a counter for optimistic locking
    },
    "status_change": {"id", "hotspot_id", "date", "from_status", "to_status", "reason", "recorded_by"},
    "plan": {"id", "year", "doc_number", "doc_date", "title"},
    # Alembic's record of the schema revision.
    "alembic_version": {"version_num"},
    # actor: the acting office or role, chosen from a list; never a person.
    "audit_log": {
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "entity_code",
        "summary",
        "before",
        "after",
    },
    "plan_target": {"id", "plan_id", "hotspot_id", "target_type", "assigned_level", "assigned_code"},
    # A unit's own plan: the unit, the document, the recording office.
    "local_plan": {
        "id",
        "year",
        "level",
        "unit_code",
        "ward_code",
        "district_code",
        "doc_number",
        "doc_date",
        "title",
        "recorded_by",
        "version",
    },
    "local_target": {"id", "local_plan_id", "hotspot_id", "target_type"},
    # responsible: a unit or agency, never a person; result: a short note on the work.
    "task": {
        "id",
        "local_plan_id",
        "title",
        "responsible",
        "hotspot_id",
        "ward_code",
        "district_code",
        "deadline",
        "state",
        "result",
        "updated_on",
        "recorded_by",
        "version",
    },
    "activity": {
        "id",
        "date",
        "hotspot_id",
        "ward_code",
        "district_code",
        "kind",
        "violations_found",
        "cases_handled",
        "establishments_sanctioned",
        "fines_vnd",
        "people_referred",  # a count of people, not people
        "unit",
        "unit_code",  # the performing office's unit code
    },
    # Monthly briefing notes: texts about places and work, the recording office.
    "briefing_note": {
        "id",
        "month",
        "level",
        "unit_code",
        "ward_code",
        "district_code",
        "difficulties",
        "proposals",
        "decisions",
        "recorded_by",  # an office
        "hotspot_codes",
    },
    # Sign-in accounts: an office's account under an identifier, never a person.
    "account": {
        "id",
        "username",  # an identifier such as "ld-hoankiem-01", not a person's name
        "password_hash",  # argon2id; read only to verify a sign-in
        "office",  # the office the account belongs to
        "role",
        "district_codes",
        "ward_codes",
        "disabled",
        "failed_count",
        "locked_until",
        "created_at",
        "password_changed_at",
    },
}
PERSONAL = re.compile(
    r"person|people_name|full_?name|first_?name|last_?name|surname|ho_?ten|"
    r"id_?(number|no|card)|cccd|cmnd|passport|identity|phone|mobile|tel\b|email|"
    r"birth|dob|ngay_?sinh|age\b|gender|address|dia_?chi|residence|photo|image",
)


def spot(code: str, place: str = "hoan_kiem_lake", **extra) -> dict:
    """A hotspot row for :func:`store.add_hotspots` at a well-known place."""
    (lat, lon), _, _ = PLACES[place]
    row = {"code": code, "name": f"Điểm {code}", "kind": "public_area", "status": "active"}
    return row | {"lat": lat, "lon": lon} | extra


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def history(engine, hotspot_id: int) -> list[tuple[dt.date, str | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                store.status_change.c.date, store.status_change.c.from_status, store.status_change.c.to_status
            )
            .where(store.status_change.c.hotspot_id == hotspot_id)
            .order_by(store.status_change.c.date, store.status_change.c.id)
        )
        return [tuple(r) for r in rows]


def current_status(engine, hotspot_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(store.hotspot.c.status).where(store.hotspot.c.id == hotspot_id)
        ).scalar()


def new_hotspot(engine, changes: list[tuple[dt.date, Status]], place: str = "hoan_kiem_lake") -> int:
    with engine.begin() as conn:
        (hid,) = store.add_hotspots(conn, [spot("TD-1", place, status=changes[0][1])])
        for date, status in changes:
            store.record_status(conn, hid, date, status)
    return hid


# --------------------------------------------------------------------------
# Schema and migrations


def test_new_store_has_the_schema_and_its_version(empty_engine):
    inspector = sa.inspect(empty_engine)
    assert set(inspector.get_table_names()) == set(REVIEWED_COLUMNS)
    with empty_engine.connect() as conn:
        assert store.get_meta(conn, "schema_version") == str(store.SCHEMA_VERSION)
        assert store.schema_version(conn) == store.SCHEMA_VERSION == len(store.REVISIONS)
    assert store.is_empty(empty_engine)
    assert not store.is_sample_data(empty_engine)


def test_reopening_keeps_data_and_version(tmp_path):
    url = f"sqlite:///{tmp_path}/sub/dir/store.sqlite"
    engine = store.open_store(url)
    with engine.begin() as conn:
        store.add_hotspots(conn, [spot("TD-1")])
        store.set_meta(conn, "note", "x")
    engine.dispose()
    again = store.open_store(url)
    assert store.migrate(again) == store.SCHEMA_VERSION
    assert count(again, store.hotspot) == 1
    with again.connect() as conn:
        assert store.get_meta(conn, "note") == "x"
        versions = conn.execute(sa.select(store.meta.c.value).where(store.meta.c.key == "schema_version"))
        assert [v for (v,) in versions] == [str(store.SCHEMA_VERSION)]
    again.dispose()


def test_store_with_newer_schema_refuses_to_open(tmp_path):
    url = f"sqlite:///{tmp_path}/store.sqlite"
    engine = store.open_store(url)
    newer = store.SCHEMA_VERSION + 1
    with engine.begin() as conn:
        store.set_meta(conn, "schema_version", str(newer))
    engine.dispose()
    with pytest.raises(DomainError) as info:
        store.open_store(url)
    assert f"phiên bản cấu trúc {newer}" in str(info.value)
    assert f"({store.SCHEMA_VERSION})" in str(info.value)


def test_unreachable_store_message_hides_the_password():
    with pytest.raises(DomainError) as info:
        store.open_store("postgresql+psycopg://office:s3cret-pw@127.0.0.1:1/hotspots")
    message = str(info.value)
    assert "s3cret-pw" not in message
    assert "office:***@127.0.0.1:1/hotspots" in message
    assert message.startswith("Không mở được kho dữ liệu")


# --------------------------------------------------------------------------
# Writes


def test_add_hotspots_derives_ward_and_district_from_location(empty_engine):
    with empty_engine.begin() as conn:
        ids = store.add_hotspots(
            conn,
            [
                spot("TD-1", "hoan_kiem_lake", ward_code="99999", district_code="999"),
                spot("TD-2", "van_mieu", kind="service_business"),
            ],
        )
    frame = store.read_hotspots(empty_engine, Scope.city()).set_index("code")
    assert frame["id"].tolist() == ids
    for code, place in (("TD-1", "hoan_kiem_lake"), ("TD-2", "van_mieu")):
        _, ward, district = PLACES[place]
        assert (frame.loc[code, "ward_code"], frame.loc[code, "district_code"]) == (ward, district)
    assert frame.loc["TD-2", "kind"] == "service_business"
    assert frame.loc["TD-1", "responsible_unit"] == "" and frame.loc["TD-1", "notes"] == ""


def test_add_hotspots_outside_the_city_writes_nothing(empty_engine):
    outside = spot("TD-2") | {"lat": 20.8449, "lon": 106.6881}  # Hải Phòng
    with pytest.raises(DomainError, match=r"20\.844900"), empty_engine.begin() as conn:
        store.add_hotspots(conn, [spot("TD-1"), outside])
    assert count(empty_engine, store.hotspot) == 0


def test_add_hotspots_rejects_unknown_kind(empty_engine):
    with pytest.raises(ValueError, match="brothel"), empty_engine.begin() as conn:
        store.add_hotspots(conn, [spot("TD-1", kind="brothel")])
    assert count(empty_engine, store.hotspot) == 0


def test_record_status_follows_the_lifecycle(empty_engine):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE)])
    steps = [
        (D(2020, 3, 1), Status.CLEARING),
        (D(2020, 6, 1), Status.CLEARED),
        (D(2020, 10, 1), Status.HANDED_OVER),
        (D(2021, 5, 1), Status.REEMERGED),
    ]
    for date, status in steps:
        with empty_engine.begin() as conn:
            store.record_status(conn, hid, date, status, reason="r", recorded_by="Phòng LĐTBXH")
        assert current_status(empty_engine, hid) == status
    rows = history(empty_engine, hid)
    assert [r[2] for r in rows] == ["active", "clearing", "cleared", "handed_over", "reemerged"]
    assert [r[1] for r in rows] == [None, "active", "clearing", "cleared", "handed_over"]


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([Status.ACTIVE, Status.CLEARING, Status.CLEARED, Status.HANDED_OVER], Status.CLEARING),
        ([Status.ACTIVE], Status.HANDED_OVER),
        ([Status.ACTIVE], Status.REEMERGED),
        ([Status.ACTIVE, Status.CLEARED], Status.ACTIVE),
    ],
)
def test_record_status_rejects_an_impossible_step(empty_engine, path, bad):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1 + i), s) for i, s in enumerate(path)])
    before = history(empty_engine, hid)
    with pytest.raises(DomainError, match="Không thể chuyển trạng thái"), empty_engine.begin() as conn:
        store.record_status(conn, hid, D(2021, 1, 1), bad)
    assert current_status(empty_engine, hid) == path[-1]
    assert history(empty_engine, hid) == before


def test_backdated_change_does_not_overwrite_current_status(empty_engine):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE), (D(2020, 6, 1), Status.CLEARED)])
    with empty_engine.begin() as conn:
        store.record_status(conn, hid, D(2020, 3, 1), Status.CLEARING, check=False)
    assert current_status(empty_engine, hid) == "cleared"
    assert [r[0] for r in history(empty_engine, hid)] == [D(2020, 1, 1), D(2020, 3, 1), D(2020, 6, 1)]
    # A change on the same day as the latest one is the newest.
    with empty_engine.begin() as conn:
        store.record_status(conn, hid, D(2020, 6, 1), Status.HANDED_OVER)
    assert current_status(empty_engine, hid) == "handed_over"


def test_backdated_change_is_checked_against_the_status_on_its_date(empty_engine):
    # active (01/01) -> cleared (01/06); learning later that clearing started on
    # 01/03 gives active -> clearing -> cleared, a valid history.
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE), (D(2020, 6, 1), Status.CLEARED)])
    with empty_engine.begin() as conn:
        store.record_status(conn, hid, D(2020, 3, 1), Status.CLEARING)
    rows = history(empty_engine, hid)
    assert rows[1] == (D(2020, 3, 1), "active", "clearing")
    for (_, _, old), (_, _, new) in itertools.pairwise(rows):
        check_transition(Status(old), Status(new))


def test_backdated_change_that_breaks_the_history_is_rejected(empty_engine):
    # active (01/01) -> clearing (01/06); "cleared on 01/03" would make
    # active -> cleared -> clearing, and cleared -> clearing is not a step.
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE), (D(2020, 6, 1), Status.CLEARING)])
    with pytest.raises(DomainError), empty_engine.begin() as conn:
        store.record_status(conn, hid, D(2020, 3, 1), Status.CLEARED)
    assert len(history(empty_engine, hid)) == 2


# --------------------------------------------------------------------------
# Constraints


def _insert(engine, table, **values):
    with engine.begin() as conn:
        conn.execute(table.insert().values(**values))


def _hotspot_row(**overrides) -> dict:
    return {
        "code": "TD-9",
        "name": "Điểm TD-9",
        "kind": "public_area",
        "lat": 21.0,
        "lon": 105.8,
        "ward_code": "00070",
        "district_code": "002",
        "status": "active",
    } | overrides


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("hotspot", _hotspot_row(kind="brothel")),
        ("hotspot", _hotspot_row(status="closed")),
        ("activity", {"date": D(2020, 1, 1), "district_code": "002", "kind": "raid"}),
        ("activity", {"date": D(2020, 1, 1), "kind": "patrol"}),  # no place at all
        *(
            ("activity", {"date": D(2020, 1, 1), "district_code": "002", "kind": "patrol", column: -1})
            for column in store.COUNT_COLUMNS
        ),
    ],
)
def test_check_constraints_reject_bad_rows(empty_engine, table, values):
    with pytest.raises(sa.exc.IntegrityError):
        _insert(empty_engine, store.metadata.tables[table], **values)
    assert count(empty_engine, store.metadata.tables[table]) == 0


def test_check_constraints_on_status_and_targets(empty_engine):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE)])
    with pytest.raises(sa.exc.IntegrityError):
        _insert(empty_engine, store.status_change, hotspot_id=hid, date=D(2020, 2, 1), to_status="gone")
    with empty_engine.begin() as conn:
        plan_id = store.add_plan(conn, 2020, "1/KH", D(2020, 1, 10))
    for bad in ({"target_type": "close"}, {"assigned_level": "province"}):
        row = {"plan_id": plan_id, "hotspot_id": hid, "target_type": "clear", "assigned_level": "district"}
        with pytest.raises(sa.exc.IntegrityError):
            _insert(empty_engine, store.plan_target, **(row | {"assigned_code": "002"} | bad))
    with pytest.raises(sa.exc.IntegrityError):  # foreign keys are enforced
        _insert(
            empty_engine, store.status_change, hotspot_id=hid + 100, date=D(2020, 2, 1), to_status="active"
        )


def test_add_activities_fills_places(empty_engine):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE)], place="hoa_lo")
    with empty_engine.begin() as conn:
        store.add_activities(
            conn,
            [
                {"date": D(2020, 2, 1), "kind": "patrol", "hotspot_id": hid, "violations_found": 2},
                {"date": D(2025, 8, 25), "kind": "briefing", "ward_code": "00226"},
                {"date": D(2020, 2, 25), "kind": "briefing", "district_code": "001"},
            ],
        )
    acts = store.read_activities(empty_engine, Scope.city())
    _, ward, district = PLACES["hoa_lo"]
    assert acts[["ward_code", "district_code"]].fillna("-").values.tolist() == [
        [ward, district],
        ["-", "001"],
        ["00226", "006"],  # Văn Miếu - Quốc Tử Giám lies mostly in Đống Đa
    ]
    assert acts["violations_found"].tolist() == [2, 0, 0]
    assert acts["cases_handled"].sum() == 0



def test_reads_give_dates_as_datetimes_and_new_rows_by_date(empty_engine):
    hid = new_hotspot(empty_engine, [(D(2020, 1, 1), Status.ACTIVE), (D(2021, 3, 9), Status.CLEARING)])
    with empty_engine.begin() as conn:
        for days in ((1,), (9, 7), (8,)):
            rows = [{"date": D(2020, 5, d), "kind": "patrol", "hotspot_id": hid} for d in days]
            store.add_activities(conn, rows)
    history = store.read_status_history(empty_engine, Scope.city())
    assert str(history["date"].dtype) == "datetime64[s]"
    assert history["date"].dt.date.tolist() == [D(2020, 1, 1), D(2021, 3, 9)]
    everything = store.read_activities(empty_engine, Scope.city())
    assert everything["date"].dt.day.tolist() == [1, 7, 8, 9]
    first = int(everything["id"].min())
    # The rows after an id (found by the key) come by date too, their ids out of date order.
    later = store.read_activities(empty_engine, Scope.city(), after_id=first)
    assert later["date"].dt.day.tolist() == [7, 8, 9]
    assert later["id"].tolist() == [first + 2, first + 3, first + 1]
    assert str(later["date"].dtype) == "datetime64[s]"
    assert store.read_activities(empty_engine, Scope.city(), after_id=first + 3).empty

# --------------------------------------------------------------------------
# Reads by scope


@pytest.fixture
def two_districts(empty_engine, make_store):
    ids = make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")]),
            "B": ("hoa_lo", "service_business", [(D(2020, 1, 1), "active")]),
            "C": ("van_mieu", "public_area", [(D(2020, 1, 1), "active"), (D(2020, 5, 1), "clearing")]),
        },
        activities=[
            {"hotspot": "A", "date": D(2020, 2, 1), "kind": "patrol"},
            {"hotspot": "C", "date": D(2020, 2, 2), "kind": "patrol"},
            {"district_code": "002", "date": D(2020, 2, 25), "kind": "briefing"},
            {"district_code": "006", "date": D(2020, 2, 25), "kind": "briefing"},
        ],
        plans={2020: {"A": "clear", "C": "clear"}},
    )
    return empty_engine, ids


def test_scope_of_one_district(two_districts):
    engine, ids = two_districts
    scope = Scope(district_codes=frozenset({"002"}))
    assert store.read_hotspots(engine, scope)["code"].tolist() == ["A", "B"]
    assert set(store.read_status_history(engine, scope)["hotspot_id"]) == {ids["A"], ids["B"]}
    acts = store.read_activities(engine, scope)
    assert acts["district_code"].tolist() == ["002", "002"]
    assert acts["hotspot_id"].tolist()[0] == ids["A"]
    assert store.read_targets(engine, scope)["hotspot_id"].tolist() == [ids["A"]]
    # Plans are the city's documents: the same for every scope.
    assert len(store.read_plans(engine)) == 1


def test_scope_of_one_ward_or_several_units(two_districts):
    engine, _ = two_districts
    ward = Scope(ward_codes=frozenset({PLACES["hoa_lo"][1]}))
    assert store.read_hotspots(engine, ward)["code"].tolist() == ["B"]
    both = Scope(district_codes=frozenset({"006"}), ward_codes=frozenset({PLACES["hoa_lo"][1]}))
    assert store.read_hotspots(engine, both)["code"].tolist() == ["B", "C"]
    assert store.read_hotspots(engine, Scope.city())["code"].tolist() == ["A", "B", "C"]


@pytest.mark.parametrize(
    "scope",
    [
        Scope(district_codes=frozenset()),
        Scope(ward_codes=frozenset()),
        Scope(district_codes=frozenset(), ward_codes=frozenset()),
        Scope(district_codes=frozenset({"282"})),
    ],
)
def test_scope_without_units_sees_nothing(two_districts, scope):
    engine, _ = two_districts
    assert not scope.is_city
    for read in (store.read_hotspots, store.read_status_history, store.read_activities, store.read_targets):
        assert read(engine, scope).empty, read.__name__


# --------------------------------------------------------------------------
# PostgreSQL


def test_postgresql_round_trip(pg_url, sample_engine):
    engine = store.open_store(pg_url)
    try:
        assert engine.dialect.name == "postgresql"
        assert store.is_empty(engine)
        counts = load_sample(engine)
        city = Scope.city()
        pg, lite = store.read_hotspots(engine, city), store.read_hotspots(sample_engine, city)
        assert len(pg) == len(lite) == counts["hotspots"]
        assert pg["code"].tolist() == lite["code"].tolist()
        assert pg["status"].tolist() == lite["status"].tolist()
        assert len(store.read_activities(engine, city)) == counts["activities"]
        assert len(store.read_status_history(engine, city)) == counts["status_changes"]
        assert store.read_targets(engine, city)["target_type"].tolist() == (
            store.read_targets(sample_engine, city)["target_type"].tolist()
        )
        assert store.is_sample_data(engine)
        district = Scope(district_codes=frozenset({"002"}))
        assert len(store.read_hotspots(engine, district)) == len(store.read_hotspots(sample_engine, district))
        # Constraints hold on PostgreSQL too.
        with pytest.raises(sa.exc.IntegrityError):
            _insert(engine, store.activity, date=D(2020, 1, 1), district_code="002", kind="raid")
        hid = int(pg["id"].iloc[0])
        with pytest.raises(DomainError), engine.begin() as conn:
            store.record_status(conn, hid, D(2027, 1, 1), Status(pg["status"].iloc[0]))
    finally:
        engine.dispose()
    again = store.open_store(pg_url)
    assert store.migrate(again) == store.SCHEMA_VERSION
    again.dispose()


# --------------------------------------------------------------------------
# No personal data


def test_schema_columns_are_reviewed(empty_engine):
    inspector = sa.inspect(empty_engine)
    found = {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}
    assert found == REVIEWED_COLUMNS


def test_no_column_is_named_like_personal_data():
    columns = [(table.name, column.name) for table in store.metadata.tables.values() for column in table.c]
    reviewed = {name: c for name, c in REVIEWED_COLUMNS.items() if name != "alembic_version"}  # not ours
    assert len(columns) == sum(len(c) for c in reviewed.values())
    flagged = [f"{table}.{column}" for table, column in columns if PERSONAL.search(column)]
    assert flagged == []
    # The pattern does catch the fields it is meant to keep out.
    for bad in ("person_name", "full_name", "id_number", "phone", "birth_date", "home_address", "cccd"):
        assert PERSONAL.search(bad), bad


def test_file_store_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.SQLITE_BUSY_TIMEOUT_MS
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_parallel_writers_wait_for_each_other_instead_of_failing(tmp_path):
    """Two sessions writing at once to the embedded store: the second waits
    for the first's transaction (busy timeout) and both land; a reader is
    never blocked by a writer (WAL)."""
    import threading

    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    engine = store.open_store(url)
    errors: list[BaseException] = []
    held = threading.Event()

    def slow_writer():
        try:
            with engine.begin() as conn:
                store.set_meta(conn, "writer_a", "1")
                held.set()
                import time

                time.sleep(1.0)  # hold the write lock a while
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    held.wait(5)
    other = store.open_store(url)
    with other.connect() as conn:  # a reader during the write: not blocked
        assert store.get_meta(conn, "writer_a") is None
    with other.begin() as conn:  # a second writer: waits, then lands
        store.set_meta(conn, "writer_b", "1")
    thread.join()
    assert errors == []
    with engine.connect() as conn:
        assert store.get_meta(conn, "writer_a") == "1"
        assert store.get_meta(conn, "writer_b") == "1"
    engine.dispose()
    other.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_write_lock_serialises_two_writers(dialect, request, tmp_path):
    """While one transaction holds the import lock, a second waits for it
    (PostgreSQL: an advisory lock; SQLite: its write lock)."""
    import threading
    import time

    lite = f"sqlite:///{tmp_path / 'l.sqlite'}"
    url = request.getfixturevalue("pg_url") if dialect == "postgresql" else lite
    engine = store.open_store(url)
    order: list[str] = []
    first_holds = threading.Event()

    def first():
        with engine.begin() as conn:
            store.write_lock(conn, "import")
            first_holds.set()
            time.sleep(0.8)
            order.append("first done")

    def second():
        first_holds.wait(5)
        with engine.begin() as conn:
            store.write_lock(conn, "import")
            order.append("second locked")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    engine.dispose()
    assert order == ["first done", "second locked"]


def test_claim_on_postgresql_refuses_a_stale_version(pg_url):
    engine = store.open_store(pg_url)
    try:
        with engine.begin() as conn:
            (hid,) = store.add_hotspots(conn, [spot("PG-1")])
            version = conn.execute(sa.select(store.hotspot.c.version)).scalar_one()
        with engine.begin() as conn:
            assert store.claim_hotspot(conn, hid, version) == version + 1
        with pytest.raises(store.StaleEdit), engine.begin() as conn:
            store.claim_hotspot(conn, hid, version)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------
# Alembic


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_store_from_before_alembic_is_upgraded_in_place(dialect, request, tmp_path):
    """A version-5 store (accounts, no hotspot version, no Alembic table) keeps its
    rows, gains the version column and is stamped at Alembic's head."""
    from pagetest import as_pre_alembic_store

    lite = f"sqlite:///{tmp_path / 'old.sqlite'}"
    url = request.getfixturevalue("pg_url") if dialect == "postgresql" else lite
    engine = store.open_store(url)
    with engine.begin() as conn:
        (hid,) = store.add_hotspots(conn, [spot("OLD-1")])
        conn.execute(sa.text("ALTER TABLE hotspot DROP COLUMN version"))
        as_pre_alembic_store(conn, 5)
    engine.dispose()
    assert store.peek_schema_version(url) == 5
    engine = store.open_store(url)
    try:
        with engine.connect() as conn:
            assert store.schema_version(conn) == store.SCHEMA_VERSION
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == store.HEAD
            row = conn.execute(sa.select(store.hotspot).where(store.hotspot.c.id == hid)).one()
        assert (row.code, row.version) == ("OLD-1", 1)
    finally:
        engine.dispose()


def test_an_unknown_alembic_revision_is_a_newer_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    store.open_store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DomainError) as info:
        store.open_store(url)
    assert "9999" in str(info.value) and f"({store.SCHEMA_VERSION})" in str(info.value)


def test_db_upgrade_and_version_commands(tmp_path, monkeypatch, capsys):
    from pagetest import as_pre_alembic_store

    from dashboard import cli

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    engine = store.open_store(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE hotspot DROP COLUMN version"))
        as_pre_alembic_store(conn, 5)
    engine.dispose()
    assert cli.main(["db", "version"]) == 0
    assert "phiên bản cấu trúc 5" in capsys.readouterr().out
    assert store.peek_schema_version(url) == 5  # only read
    assert cli.main(["db", "upgrade"]) == 0
    assert f"từ phiên bản cấu trúc 5 lên {store.SCHEMA_VERSION}" in capsys.readouterr().out
    assert cli.main(["db", "upgrade"]) == 0
    assert "không có gì phải nâng cấp" in capsys.readouterr().out


def test_lookups_for_checks_and_writes(sample_engine, empty_engine):
    with sample_engine.connect() as conn:
        every = store.hotspots_by_code(conn)
        ids = store.hotspot_ids(conn)
        code, spot = next(iter(every.items()))
        count = conn.execute(sa.select(sa.func.count()).select_from(store.hotspot)).scalar()
        assert len(every) == len(ids) == count
        assert ids[code] == spot.id and store.hotspot_by_id(conn, spot.id).code == code
        assert store.hotspot_by_id(conn, -1) is None
        assert list(store.hotspots_by_code(conn, [code, "KHÔNG-CÓ"])) == [code]
        assert store.hotspots_by_code(conn, []) == {}
        assert store.hotspot_codes(conn, [spot.id, spot.id, -1]) == {spot.id: code}
        assert store.hotspot_codes(conn, []) == {}
        assert store.known_codes(conn, [code, "KHÔNG-CÓ"]) == {code}
        assert store.known_codes(conn) == set(every)
        changes = store.status_changes(conn)
        assert [(c.date, c.id) for c in changes] == sorted((c.date, c.id) for c in changes)
        first = conn.execute(sa.select(sa.func.min(store.activity.c.date))).scalar()
        within = store.activities_between(conn, first, first)
        assert within and all(r.date == first for r in within)
        assert list(within[0]._fields) == list(store.ACTIVITY_IDENTITY)
        last = conn.execute(sa.select(sa.func.max(store.activity.c.id))).scalar()
        assert store.last_activity_id(conn) == last
        notes = store.notes_by_unit(conn)
        (month, level, unit), note = next(iter(notes.items()))
        assert store.find_note(conn, month, level, unit) == {k: note[k] for k in store.NOTE_FIELDS}
        assert store.find_note(conn, month, level, "00000") is None
        plans = store.local_plans_by_unit(conn)
        plan = next(iter(plans.values()))
        assert store.local_plan_by_id(conn, plan["id"]) == plan and store.local_plan_by_id(conn, -1) is None
        tasks = store.all_tasks(conn)
        assert [t["id"] for t in tasks] == sorted(t["id"] for t in tasks)
        assert store.task_by_id(conn, tasks[0]["id"]) == tasks[0] and store.task_by_id(conn, -1) is None
    with empty_engine.connect() as conn:
        assert store.last_activity_id(conn) == 0 and store.hotspots_by_code(conn) == {}


def test_sql_is_written_only_in_the_data_access_layer():
    """Queries live in store (and backup, migrations): the modules that hold
    the rules of editing, imports, boundaries and plans ask store for rows."""
    import ast
    from pathlib import Path

    package = Path(store.__file__).parent
    allowed = {package / "store.py", package / "backup.py"}
    builders = {"select", "insert", "update", "delete", "text", "func", "join", "exists"}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path in allowed or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and (
                node.attr in {"execute", "exec_driver_sql"}
                or (isinstance(node.value, ast.Name) and node.value.id == "sa" and node.attr in builders)
            ):
                found.append(f"{path.relative_to(package)}:{node.lineno} {node.attr}")
    assert not found, found


def test_the_reform_date_is_written_once():
    """01/07/2025, the day wards replaced districts, is domain.REFORM_DATE and
    nowhere else a literal date."""
    import ast
    from pathlib import Path

    package = Path(store.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if [getattr(a, "value", None) for a in node.args[:3]] == [2025, 7, 1]:
                found.append(f"{path.relative_to(package)}:{node.lineno}")
    assert len(found) == 1 and found[0].startswith("domain.py:"), found
