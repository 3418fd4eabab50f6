"""Changes made in the app (dashboard.editing), the append-only audit log and
its migration, and the edit and audit pages."""

from __future__ import annotations

import datetime as dt
import json
import os

import numpy as np
import pytest
import sqlalchemy as sa
from handmade import PLACES
from pagetest import ADMIN, TODAY, as_pre_alembic_store, ensure_account, run_page, run_revision
from pagetest import OFFICE as OFFICE_OF_ADMIN

from dashboard import editing, store
from dashboard.accounts import Role
from dashboard.domain import TRANSITIONS, DomainError, Status, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.sample import SEED, load_sample
from dashboard.scope import Scope

D = dt.date
#: "Today" for the unit tests: after the 01/07/2025 reform, so new activities
#: are credited to the ward.
NOW = D(2025, 9, 30)
OFFICE = "Chi cục Phòng, chống tệ nạn xã hội Hà Nội"
WARD_OFFICE = "UBND Phường Hoàn Kiếm"
REASON = "Biên bản kiểm tra số 12/BB"
OUTSIDE = (20.8449, 106.6881)  # Hải Phòng
APPEND_ONLY_ERRORS = (sa.exc.IntegrityError, sa.exc.InternalError, sa.exc.DBAPIError)


# --------------------------------------------------------------------------
# Helpers


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def counts(engine) -> dict[str, int]:
    tables = (store.hotspot, store.status_change, store.activity, store.audit_log)
    return {table.name: count(engine, table) for table in tables}


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id))
        return [dict(r._mapping) for r in rows]


def hotspot_row(engine, hotspot_id: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(sa.select(store.hotspot).where(store.hotspot.c.id == hotspot_id)).one()
        return dict(row._mapping)


def last_status_change(engine) -> dict:
    with engine.connect() as conn:
        row = conn.execute(sa.select(store.status_change).order_by(store.status_change.c.id.desc())).first()
        return dict(row._mapping)


def activity_places(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                store.activity.c.hotspot_id, store.activity.c.ward_code, store.activity.c.district_code
            ).order_by(store.activity.c.id)
        )
        return [tuple(r) for r in rows]


def triggers(engine) -> set[str]:
    """Names of the triggers on audit_log."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("audit_log"):
            return set()
        if conn.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        return {name for (name,) in conn.execute(sa.text(query))}


EXPECTED_TRIGGERS = {
    "sqlite": {"audit_log_no_update", "audit_log_no_delete"},
    "postgresql": {"audit_log_append_only"},
}


def downgrade_to_v2(engine) -> None:
    """Turn a current store back into a schema-version-2 store (no audit log)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP TRIGGER audit_log_append_only ON audit_log"))
            conn.execute(sa.text("DROP TABLE audit_log"))
            conn.execute(sa.text("DROP FUNCTION audit_log_append_only()"))
        else:
            conn.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(sa.text("DROP TABLE audit_log"))
        as_pre_alembic_store(conn, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """A fresh store URL on each supported database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def places(empty_engine, make_store):
    """Three hotspots in two former districts, each with one activity.

    A: Hoàn Kiếm lake (00070 / 002), active.
    B: Hỏa Lò (00082 / 002), active -> clearing -> cleared.
    C: Văn Miếu (00226 / 006), active -> cleared -> handed over.
    """
    ids = make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")]),
            "B": (
                "hoa_lo",
                "service_business",
                [(D(2020, 1, 1), "active"), (D(2020, 3, 1), "clearing"), (D(2020, 6, 1), "cleared")],
            ),
            "C": (
                "van_mieu",
                "public_area",
                [(D(2020, 1, 1), "active"), (D(2020, 6, 1), "cleared"), (D(2020, 10, 1), "handed_over")],
            ),
        },
        activities=[
            {"hotspot": "A", "date": D(2020, 2, 1), "kind": "patrol", "violations_found": 2},
            {"hotspot": "B", "date": D(2020, 2, 3), "kind": "inspection"},
            {"hotspot": "C", "date": D(2020, 2, 2), "kind": "patrol"},
        ],
    )
    return empty_engine, ids


# --------------------------------------------------------------------------
# Migration v3: the append-only audit log


def test_migration_v3_adds_the_audit_log_to_a_v2_store(url, make_store):
    engine = store.open_store(url)
    make_store(engine, {"A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")])})
    downgrade_to_v2(engine)
    with engine.connect() as conn:
        assert store.schema_version(conn) == 2
        assert not sa.inspect(conn).has_table("audit_log")
    assert triggers(engine) == set()
    engine.dispose()

    engine = store.open_store(url)
    try:
        dialect = engine.dialect.name
        with engine.connect() as conn:
            assert store.schema_version(conn) == store.SCHEMA_VERSION >= 3
            columns = {c["name"] for c in sa.inspect(conn).get_columns("audit_log")}
        assert columns == {
            "id", "at", "actor", "action", "entity", "entity_id", "entity_code", "summary", "before", "after",
        }  # fmt: skip
        assert triggers(engine) == EXPECTED_TRIGGERS[dialect]
        assert count(engine, store.hotspot) == 1
        assert count(engine, store.audit_log) == 0

        # Re-running changes nothing: migrate() is a no-op, and the step
        # itself may run twice without adding triggers or touching rows.
        with engine.begin() as conn:
            store.audit(conn, OFFICE, "status_change", "hotspot", entity_code="A", summary="một")
        before = audit_rows(engine)
        assert store.migrate(engine) == store.SCHEMA_VERSION
        with engine.begin() as conn:
            run_revision(conn, "0003")
        with engine.connect() as conn:
            versions = conn.execute(sa.select(store.meta.c.value).where(store.meta.c.key == "schema_version"))
            assert [v for (v,) in versions] == [str(store.SCHEMA_VERSION)]
        assert triggers(engine) == EXPECTED_TRIGGERS[dialect]
        assert audit_rows(engine) == before
        assert count(engine, store.hotspot) == 1
    finally:
        engine.dispose()


def test_audit_log_is_append_only_in_the_database(url):
    engine = store.open_store(url)
    try:
        with engine.begin() as conn:
            store.audit(conn, OFFICE, "status_change", "hotspot", entity_code="A", summary="một")
        kept = audit_rows(engine)
        assert len(kept) == 1
        for statement in ("UPDATE audit_log SET summary = 'sửa'", "DELETE FROM audit_log"):
            with pytest.raises(APPEND_ONLY_ERRORS) as info, engine.begin() as conn:
                conn.execute(sa.text(statement))
            assert "append-only" in str(info.value), statement
        # The same refusal through the table object (as application code would try).
        with pytest.raises(APPEND_ONLY_ERRORS, match="append-only"), engine.begin() as conn:
            conn.execute(
                store.audit_log.update().where(store.audit_log.c.id == kept[0]["id"]).values(actor="x")
            )
        assert audit_rows(engine) == kept
        # Appending still works.
        with engine.begin() as conn:
            store.audit(conn, WARD_OFFICE, "activity_add", "hotspot", entity_code="B", summary="hai")
        rows = audit_rows(engine)
        assert [r["summary"] for r in rows] == ["một", "hai"]
        assert rows[0] == kept[0]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------
# Status changes


def test_next_statuses_are_the_lifecycle_steps():
    assert editing.next_statuses(Status.ACTIVE) == [Status.CLEARING, Status.CLEARED]
    assert editing.next_statuses(Status.CLEARING) == [Status.ACTIVE, Status.CLEARED]
    assert editing.next_statuses(Status.CLEARED) == [Status.HANDED_OVER, Status.REEMERGED]
    assert editing.next_statuses(Status.HANDED_OVER) == [Status.REEMERGED]
    assert editing.next_statuses(Status.REEMERGED) == [Status.CLEARING, Status.CLEARED]
    assert editing.next_statuses("cleared") == [Status.HANDED_OVER, Status.REEMERGED]
    assert editing.next_statuses(None) == list(Status)
    for status in Status:
        assert set(editing.next_statuses(status)) == TRANSITIONS[status]


@pytest.mark.parametrize(
    ("spot", "change", "message"),
    [
        pytest.param(
            "C",
            {"new": Status.CLEARING},
            "Không thể chuyển trạng thái từ «Đã bàn giao, duy trì trong sạch» sang «Đang triệt xóa».",
            id="handed_over-to-clearing",
        ),
        pytest.param(
            "A",
            {"new": Status.HANDED_OVER},
            "Không thể chuyển trạng thái từ «Phức tạp (đang hoạt động)» "
            "sang «Đã bàn giao, duy trì trong sạch».",
            id="active-to-handed_over",
        ),
        pytest.param(
            "A",
            {"date": D(2025, 10, 1)},
            "Ngày 01/10/2025 ở sau hôm nay (30/09/2025).",
            id="future-date",
        ),
        pytest.param("A", {"reason": "   "}, "Cần ghi lý do, căn cứ của thay đổi.", id="empty-reason"),
        pytest.param("A", {"reason": ""}, "Cần ghi lý do, căn cứ của thay đổi.", id="no-reason"),
        pytest.param(
            "A",
            {"actor": "Phòng không có thật"},
            "«Phòng không có thật» không có trong danh sách đơn vị được ghi nhận thay đổi.",
            id="unknown-actor",
        ),
    ],
)
def test_change_status_refusals_write_nothing(places, spot, change, message):
    engine, ids = places
    before, status = counts(engine), hotspot_row(engine, ids[spot])["status"]
    args = {"date": D(2025, 9, 1), "new": Status.CLEARING, "reason": REASON, "actor": OFFICE} | change
    with pytest.raises(DomainError) as info:
        editing.change_status(engine, ids[spot], today=NOW, **args)
    assert str(info.value) == message
    assert counts(engine) == before
    assert hotspot_row(engine, ids[spot])["status"] == status


def test_change_status_of_an_unknown_hotspot(places):
    engine, _ = places
    before = counts(engine)
    with pytest.raises(DomainError, match="Không tìm thấy tụ điểm có mã nội bộ 999"):
        editing.change_status(engine, 999, D(2025, 9, 1), Status.CLEARING, REASON, OFFICE, NOW)
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("spot", "old", "new", "summary"),
    [
        ("A", "active", "clearing", "Phức tạp (đang hoạt động) → Đang triệt xóa (15/09/2025)"),
        # The handover of a cleared hotspot to its ward is a status change too.
        (
            "B",
            "cleared",
            "handed_over",
            "Đã triệt xóa (đang theo dõi) → Đã bàn giao, duy trì trong sạch (15/09/2025)",
        ),
        ("C", "handed_over", "reemerged", "Đã bàn giao, duy trì trong sạch → Tái hoạt động (15/09/2025)"),
    ],
    ids=["active-to-clearing", "cleared-to-handed_over", "handed_over-to-reemerged"],
)
def test_change_status_writes_the_change_and_one_audit_entry(places, spot, old, new, summary):
    engine, ids = places
    before = counts(engine)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    editing.change_status(engine, ids[spot], D(2025, 9, 15), Status(new), REASON, WARD_OFFICE, NOW)

    assert counts(engine) == before | {
        "status_change": before["status_change"] + 1,
        "audit_log": before["audit_log"] + 1,
    }
    change = last_status_change(engine)
    fields = ("hotspot_id", "date", "from_status", "to_status", "reason", "recorded_by")
    assert {k: change[k] for k in fields} == {
        "hotspot_id": ids[spot],
        "date": D(2025, 9, 15),
        "from_status": old,
        "to_status": new,
        "reason": REASON,
        "recorded_by": WARD_OFFICE,
    }  # fmt: skip
    assert hotspot_row(engine, ids[spot])["status"] == new

    (entry,) = audit_rows(engine)
    assert entry["actor"] == WARD_OFFICE
    assert entry["action"] == "status_change"
    assert entry["entity"] == "hotspot"
    assert entry["entity_id"] == ids[spot]
    assert entry["entity_code"] == spot
    assert entry["summary"] == summary
    assert json.loads(entry["before"]) == {"status": old}
    assert json.loads(entry["after"]) == {"status": new, "date": "2025-09-15", "reason": REASON}
    assert started - dt.timedelta(seconds=1) <= entry["at"] <= dt.datetime.now(dt.UTC).replace(tzinfo=None)


def test_backdated_status_change_audits_the_status_it_replaced(places):
    # B: active (01/01/2020) -> clearing (01/03/2020) -> cleared (01/06/2020).
    # "Active again on 01/04/2020" fits in: clearing -> active -> cleared. The
    # change recorded is clearing -> active, and its audit entry must say so
    # rather than quote the current status (cleared), which does not change.
    engine, ids = places
    editing.change_status(engine, ids["B"], D(2020, 4, 1), Status.ACTIVE, REASON, OFFICE, NOW)
    change = last_status_change(engine)
    assert (change["date"], change["from_status"], change["to_status"]) == (
        D(2020, 4, 1),
        "clearing",
        "active",
    )
    assert hotspot_row(engine, ids["B"])["status"] == "cleared"  # the latest change still rules
    (entry,) = audit_rows(engine)
    assert json.loads(entry["before"]) == {"status": "clearing"}
    assert json.loads(entry["after"])["status"] == "active"
    assert entry["summary"] == "Đang triệt xóa → Phức tạp (đang hoạt động) (01/04/2020)"


# --------------------------------------------------------------------------
# Activities


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"violations_found": -1}, "Vi phạm phát hiện phải là số nguyên không âm (nhận được «-1»)."),
        ({"cases_handled": 1.5}, "Vụ việc xử lý phải là số nguyên không âm (nhận được «1.5»)."),
        ({"fines_vnd": "1500000"}, "Tiền phạt (đồng) phải là số nguyên không âm (nhận được «1500000»)."),
        (
            {"people_referred": None},
            "Số người được chuyển hỗ trợ phải là số nguyên không âm (nhận được «None»).",
        ),
        ({"date": D(2025, 10, 1)}, "Ngày 01/10/2025 ở sau hôm nay (30/09/2025)."),
        (
            {"unit": "x", "actor": "Tổ công tác"},
            "«Tổ công tác» không có trong danh sách đơn vị được ghi nhận thay đổi.",
        ),
    ],
    ids=["negative", "fraction", "text", "missing", "future-date", "unknown-actor"],
)
def test_add_activity_refusals_write_nothing(places, extra, message):
    engine, ids = places
    before = counts(engine)
    actor = extra.pop("actor", OFFICE)
    row = {"date": D(2025, 9, 15), "kind": "patrol", "violations_found": 1} | extra
    with pytest.raises(DomainError) as info:
        editing.add_activity(engine, ids["A"], row, actor, NOW)
    assert str(info.value) == message
    assert counts(engine) == before


def test_add_activity_refuses_a_yes_no_as_a_count(places):
    engine, ids = places
    before = counts(engine)
    row = {"date": D(2025, 9, 15), "kind": "patrol", "violations_found": True}
    with pytest.raises(DomainError):
        editing.add_activity(engine, ids["A"], row, OFFICE, NOW)
    assert counts(engine) == before


def test_numpy_counts_from_a_frame_are_whole_numbers_too(places):
    """Counts read from a table arrive as numpy integers."""
    engine, ids = places
    row = {"date": D(2025, 9, 15), "kind": "patrol", "violations_found": np.int64(2)}
    editing.add_activity(engine, ids["A"], row, OFFICE, NOW)
    assert int(store.read_activities(engine, Scope.city()).iloc[-1]["violations_found"]) == 2


def test_add_activity_writes_one_activity_and_one_audit_entry(places):
    engine, ids = places
    before = counts(engine)
    row = {"date": D(2025, 9, 15), "kind": "inspection", "violations_found": 3, "fines_vnd": 15_000_000}
    editing.add_activity(engine, ids["B"], row, WARD_OFFICE, NOW)

    assert counts(engine) == before | {"activity": before["activity"] + 1, "audit_log": 1}
    acts = store.read_activities(engine, Scope.city())
    new = acts.iloc[-1]  # ordered by date: the only 2025 activity
    assert new["hotspot_id"] == ids["B"]
    assert new["date"] == dt.datetime(2025, 9, 15)
    assert (new["ward_code"], new["district_code"]) == ("00082", "002")  # Hỏa Lò's
    assert new["unit_code"] == "00082"  # after the reform: the ward
    assert new["kind"] == "inspection"
    assert new["unit"] == WARD_OFFICE  # defaults to the actor
    assert [int(new[c]) for c in store.COUNT_COLUMNS] == [3, 0, 0, 15_000_000, 0]

    (entry,) = audit_rows(engine)
    assert (entry["actor"], entry["action"], entry["entity_id"], entry["entity_code"]) == (
        WARD_OFFICE, "activity_add", ids["B"], "B",
    )  # fmt: skip
    assert entry["summary"] == "Kiểm tra hành chính 15/09/2025"
    assert entry["before"] is None
    assert json.loads(entry["after"]) == {
        "date": "2025-09-15",
        "kind": "inspection",
        "unit": WARD_OFFICE,
        "violations_found": 3,
        "cases_handled": 0,
        "establishments_sanctioned": 0,
        "fines_vnd": 15_000_000,
        "people_referred": 0,
    }


def test_add_activity_keeps_a_named_unit(places):
    engine, ids = places
    row = {"date": D(2025, 9, 15), "kind": "patrol", "unit": "Công an phường Hoàn Kiếm"}
    editing.add_activity(engine, ids["A"], row, OFFICE, NOW)
    new = store.read_activities(engine, Scope.city()).iloc[-1]
    assert (new["unit"], new["ward_code"], new["district_code"]) == (
        "Công an phường Hoàn Kiếm",
        "00070",
        "002",
    )
    (entry,) = audit_rows(engine)
    assert entry["actor"] == OFFICE
    assert json.loads(entry["after"])["unit"] == "Công an phường Hoàn Kiếm"


# --------------------------------------------------------------------------
# Moving a hotspot


@pytest.mark.parametrize(
    ("lat", "lon", "reason", "actor", "message"),
    [
        (*OUTSIDE, REASON, OFFICE, "Vị trí (20.844900, 106.688100) nằm ngoài địa giới thành phố Hà Nội."),
        (21.0287, 105.8524, " ", OFFICE, "Cần ghi lý do, căn cứ của thay đổi."),
        (
            21.0287,
            105.8524,
            REASON,
            "Ai đó",
            "«Ai đó» không có trong danh sách đơn vị được ghi nhận thay đổi.",
        ),
    ],
    ids=["outside-city", "empty-reason", "unknown-actor"],
)
def test_move_hotspot_refusals_change_nothing(places, lat, lon, reason, actor, message):
    engine, ids = places
    spot, acts = hotspot_row(engine, ids["C"]), activity_places(engine)
    with pytest.raises(DomainError) as info:
        editing.move_hotspot(engine, ids["C"], lat, lon, reason, actor)
    assert str(info.value) == message
    assert hotspot_row(engine, ids["C"]) == spot
    assert (spot["lat"], spot["lon"], spot["ward_code"], spot["district_code"]) == (
        21.0277,
        105.8355,
        "00226",
        "006",
    )
    assert activity_places(engine) == acts
    assert count(engine, store.audit_log) == 0


def test_move_hotspot_to_another_ward_and_district(places):
    engine, ids = places
    (lat, lon), ward, district = PLACES["hoan_kiem_lake"]
    assert (lat, lon, ward, district) == (21.0287, 105.8524, "00070", "002")
    where = editing.move_hotspot(engine, ids["C"], lat, lon, "Đo lại vị trí", WARD_OFFICE)

    after = {"lat": 21.0287, "lon": 105.8524, "ward_code": "00070", "district_code": "002"}
    assert where == after
    spot = hotspot_row(engine, ids["C"])
    assert {k: spot[k] for k in after} == after
    assert spot["status"] == "handed_over"
    # The moved hotspot's activity follows it; the others stay where they were.
    assert activity_places(engine) == [
        (ids["A"], "00070", "002"),
        (ids["B"], "00082", "002"),
        (ids["C"], "00070", "002"),
    ]
    assert count(engine, store.status_change) == 7  # no status change

    (entry,) = audit_rows(engine)
    assert (entry["actor"], entry["action"], entry["entity_id"], entry["entity_code"], entry["summary"]) == (
        WARD_OFFICE, "hotspot_move", ids["C"], "C", "Đo lại vị trí",
    )  # fmt: skip
    assert json.loads(entry["before"]) == {
        "lat": 21.0277,
        "lon": 105.8355,
        "ward_code": "00226",
        "district_code": "006",
    }
    assert json.loads(entry["after"]) == after
    # Reads by scope see it in its new district.
    assert store.read_hotspots(engine, Scope(district_codes=frozenset({"002"})))["code"].tolist() == [
        "A",
        "B",
        "C",
    ]
    assert store.read_hotspots(engine, Scope(district_codes=frozenset({"006"}))).empty


def test_move_hotspot_within_its_ward(places):
    engine, ids = places
    editing.move_hotspot(engine, ids["A"], 21.02871234, 105.85240987, "Đo lại vị trí", OFFICE)
    spot = hotspot_row(engine, ids["A"])
    assert (spot["lat"], spot["lon"], spot["ward_code"], spot["district_code"]) == (
        21.028712, 105.85241, "00070", "002",
    )  # fmt: skip


# --------------------------------------------------------------------------
# Who may record a change


def test_actor_choices_are_city_offices_then_every_ward_committee():
    choices = editing.actor_choices()
    assert len(choices) == 3 + 126
    assert len(set(choices)) == len(choices)
    assert choices[:3] == [
        "Sở Lao động - Thương binh và Xã hội Hà Nội",
        "Chi cục Phòng, chống tệ nạn xã hội Hà Nội",
        "Công an thành phố Hà Nội",
    ]
    wards = choices[3:]
    assert all(c.startswith("UBND Phường ") or c.startswith("UBND Xã ") for c in wards)
    assert set(wards) == {f"UBND {name}" for name in unit_names(UnitLevel.WARD).values()}
    assert WARD_OFFICE in wards and "UBND Phường Cửa Nam" in wards


# --------------------------------------------------------------------------
# Reading the audit log


def test_read_audit_newest_first_and_by_scope(places):
    engine, ids = places
    with engine.begin() as conn:
        store.audit(conn, "Hệ thống", "sample_load", "store", summary="không gắn tụ điểm")
    editing.change_status(engine, ids["A"], D(2025, 9, 1), Status.CLEARING, REASON, OFFICE, NOW)
    editing.add_activity(engine, ids["C"], {"date": D(2025, 9, 2), "kind": "patrol"}, OFFICE, NOW)
    editing.change_status(engine, ids["B"], D(2025, 9, 3), Status.HANDED_OVER, REASON, OFFICE, NOW)

    city = store.read_audit(engine, Scope.city())
    assert city["entity_code"].fillna("-").tolist() == ["B", "C", "A", "-"]
    assert city["action"].tolist() == ["status_change", "activity_add", "status_change", "sample_load"]
    assert city["at"].is_monotonic_decreasing

    # District 002 holds A and B; Văn Miếu (C) is in 006; the entry on no
    # hotspot is left out of any narrower scope.
    assert store.read_audit(engine, Scope(district_codes=frozenset({"002"})))["entity_code"].tolist() == [
        "B",
        "A",
    ]
    assert store.read_audit(engine, Scope(district_codes=frozenset({"006"})))["entity_code"].tolist() == ["C"]
    assert store.read_audit(engine, Scope(ward_codes=frozenset({"00082"})))["entity_code"].tolist() == ["B"]
    assert store.read_audit(engine, Scope(district_codes=frozenset({"282"}))).empty


# --------------------------------------------------------------------------
# Loading the sample data


def test_load_sample_appends_to_the_audit_log(store_copy):
    engine = store.open_store(store_copy)
    try:
        earlier = audit_rows(engine)
        # The sample load, then the test administrator's account (tests/conftest.py); sign-ins
        # of earlier browser tests on the shared sample store may follow.
        assert [e["action"] for e in earlier][:2] == ["sample_load", "user_add"]
        hid = int(store.read_hotspots(engine, Scope.city())["id"].iloc[0])
        editing.move_hotspot(engine, hid, 21.0287, 105.8524, "Đo lại vị trí", OFFICE)
        earlier = audit_rows(engine)

        load_sample(engine)
        rows = audit_rows(engine)
        assert len(rows) == len(earlier) + 1
        assert rows[: len(earlier)] == earlier  # nothing changed or removed
        new = rows[-1]
        assert (new["actor"], new["action"], new["entity"], new["entity_code"]) == (
            "Hệ thống", "sample_load", "store", None,
        )  # fmt: skip
        assert new["summary"] == f"Dữ liệu mẫu, seed {SEED}"
        assert store.read_audit(engine, Scope.city())["id"].iloc[0] == new["id"]
    finally:
        engine.dispose()


def test_first_sample_load_is_the_first_audit_entry(empty_engine):
    load_sample(empty_engine)
    (entry,) = audit_rows(empty_engine)
    assert (entry["action"], entry["summary"]) == ("sample_load", f"Dữ liệu mẫu, seed {SEED}")


# --------------------------------------------------------------------------
# Pages (they write: each test works on its own copy of the sample store)


def first_with_status(engine, status: str) -> dict:
    spots = store.read_hotspots(engine, Scope.city())
    spot = spots[spots["status"] == status].iloc[0].to_dict()
    return spot | {"id": int(spot["id"])}


def edit_page(hotspot_id: int, user: str = ADMIN):
    at = run_page("pages/edit.py", user=user)
    at.selectbox(key="edit_hotspot").set_value(hotspot_id).run()
    assert not at.exception, at.exception
    return at


def test_edit_page_runs_and_offers_the_lifecycle_steps(page_store):
    at = run_page("pages/edit.py")
    assert not at.error
    assert at.title[0].value == t("edit.heading")
    spots = store.read_hotspots(page_store, Scope.city())
    first = spots.iloc[0]
    assert at.selectbox(key="edit_hotspot").value == first["id"]
    # The acting office is the signed-in account's, never picked from a list.
    assert t("enforce.acting_as", office=OFFICE_OF_ADMIN, username=ADMIN) in [c.value for c in at.caption]
    assert "edit_actor" not in [s.key for s in at.selectbox]
    offered = at.selectbox[1].options
    assert offered == [t(f"status.{s.value}") for s in editing.next_statuses(Status(first["status"]))]
    assert [b.label for b in at.button if b.key != "sign_out"] == [
        t("edit.save_status"),
        t("edit.save_activity"),
        t("edit.save_move"),
    ]


def test_edit_page_hotspot_labels_show_code_and_name(page_store):
    at = run_page("pages/edit.py")
    spots = store.read_hotspots(page_store, Scope.city())
    assert at.selectbox(key="edit_hotspot").options == [f"{r.code} · {r.name}" for r in spots.itertuples()]


def test_edit_page_records_a_status_change(page_store):
    spot = first_with_status(page_store, "clearing")
    before = counts(page_store)
    at = edit_page(spot["id"])
    assert at.selectbox[1].options == [t("status.active"), t("status.cleared")]
    at.selectbox[1].set_value(Status.CLEARED)
    at.text_area(key="edit_reason").set_value("Kiểm tra xác nhận đã triệt xóa")
    at.button[0].click().run()
    assert not at.exception, at.exception

    assert not at.error
    assert t("edit.saved", what=t("status.cleared")) in [s.value for s in at.success]
    assert counts(page_store) == before | {
        "status_change": before["status_change"] + 1,
        "audit_log": before["audit_log"] + 1,
    }
    change = last_status_change(page_store)
    assert (change["hotspot_id"], change["date"], change["from_status"], change["to_status"]) == (
        spot["id"], TODAY, "clearing", "cleared",
    )  # fmt: skip
    assert change["reason"] == "Kiểm tra xác nhận đã triệt xóa"
    assert change["recorded_by"] == "Sở Lao động - Thương binh và Xã hội Hà Nội"
    assert hotspot_row(page_store, spot["id"])["status"] == "cleared"
    entry = audit_rows(page_store)[-1]
    assert (entry["action"], entry["entity_code"]) == ("status_change", spot["code"])


def test_edit_page_handover_by_a_ward_committee(page_store):
    spot = first_with_status(page_store, "cleared")
    ward = unit_names(UnitLevel.WARD)[spot["ward_code"]]
    # An officer of the ward's committee, signed in with an account of that office and ward.
    officer = ensure_account(
        os.environ["DATABASE_URL"], "kiem-thu-phuong", Role.AREA_OFFICER, f"UBND {ward}",
        wards=(spot["ward_code"],),
    )  # fmt: skip
    at = edit_page(spot["id"], user=officer)
    at.selectbox[1].set_value(Status.HANDED_OVER)
    at.text_area(key="edit_reason").set_value("Biên bản bàn giao")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert t("edit.saved", what=t("status.handed_over")) in [s.value for s in at.success]
    assert hotspot_row(page_store, spot["id"])["status"] == "handed_over"
    entry = audit_rows(page_store)[-1]
    assert entry["actor"] == f"UBND {ward}"
    assert json.loads(entry["before"]) == {"status": "cleared"}


def test_edit_page_without_a_reason_writes_nothing(page_store):
    spot = first_with_status(page_store, "clearing")
    before = counts(page_store)
    at = edit_page(spot["id"])
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("err.reason")]
    assert not at.success
    assert counts(page_store) == before
    assert hotspot_row(page_store, spot["id"])["status"] == "clearing"


def test_edit_page_move_outside_the_city_writes_nothing(page_store):
    spot = first_with_status(page_store, "handed_over")
    row, acts, before = hotspot_row(page_store, spot["id"]), activity_places(page_store), counts(page_store)
    at = edit_page(spot["id"])
    at.number_input(key="move_lat").set_value(20.3)
    at.text_area(key="move_reason").set_value("Đo lại vị trí")
    at.button[2].click().run()
    assert not at.exception, at.exception
    expected = t("err.outside_city", lat="20.300000", lon=f"{spot['lon']:.6f}")
    assert [e.value for e in at.error] == [expected]
    assert not at.success
    assert hotspot_row(page_store, spot["id"]) == row
    assert activity_places(page_store) == acts
    assert counts(page_store) == before


def test_edit_page_moves_a_hotspot(page_store):
    spots = store.read_hotspots(page_store, Scope.city())
    spot = spots[spots["district_code"] != "002"].iloc[0].to_dict()
    spot["id"] = int(spot["id"])
    others = [a for a in activity_places(page_store) if a[0] != spot["id"]]
    assert [a for a in activity_places(page_store) if a[0] == spot["id"]]  # it has activities to move
    at = edit_page(spot["id"])
    at.number_input(key="move_lat").set_value(21.0287)
    at.number_input(key="move_lon").set_value(105.8524)
    at.text_area(key="move_reason").set_value("Đo lại vị trí")
    at.button[2].click().run()
    assert not at.exception, at.exception
    assert not at.error
    assert t("edit.moved", ward="Phường Hoàn Kiếm", district="Quận Hoàn Kiếm") in [
        s.value for s in at.success
    ]
    row = hotspot_row(page_store, spot["id"])
    assert (row["lat"], row["lon"], row["ward_code"], row["district_code"]) == (
        21.0287,
        105.8524,
        "00070",
        "002",
    )
    assert {(w, d) for h, w, d in activity_places(page_store) if h == spot["id"]} == {("00070", "002")}
    assert [a for a in activity_places(page_store) if a[0] != spot["id"]] == others


def test_edit_page_adds_an_activity(page_store):
    spot = first_with_status(page_store, "clearing")
    before = counts(page_store)
    at = edit_page(spot["id"])
    at.number_input(key="act_violations_found").set_value(4)
    at.button[1].click().run()
    assert not at.exception, at.exception
    assert not at.error
    assert t("edit.saved", what=t("activity.patrol")) in [s.value for s in at.success]
    assert counts(page_store) == before | {
        "activity": before["activity"] + 1,
        "audit_log": before["audit_log"] + 1,
    }
    with page_store.connect() as conn:
        new = conn.execute(sa.select(store.activity).order_by(store.activity.c.id.desc())).first()
    assert (new.hotspot_id, new.date, new.kind, new.violations_found, new.cases_handled) == (
        spot["id"], TODAY, "patrol", 4, 0,
    )  # fmt: skip
    assert (new.ward_code, new.district_code, new.unit_code) == (
        spot["ward_code"], spot["district_code"], spot["ward_code"],
    )  # fmt: skip
    assert new.unit == "Sở Lao động - Thương binh và Xã hội Hà Nội"
    entry = audit_rows(page_store)[-1]
    assert (entry["action"], entry["entity_code"]) == ("activity_add", spot["code"])
    assert json.loads(entry["after"])["violations_found"] == 4


def test_audit_page_lists_and_filters_the_entries(page_store):
    spots = store.read_hotspots(page_store, Scope.city()).set_index("code")
    for code in ("TD-007", "TD-016"):  # both are being cleared in the sample
        assert spots.loc[code, "status"] == "clearing"
        editing.change_status(
            page_store, int(spots.loc[code, "id"]), TODAY, Status.CLEARED, REASON, OFFICE, TODAY
        )
    row = {"date": TODAY, "kind": "patrol"}
    editing.add_activity(page_store, int(spots.loc["TD-007", "id"]), row, OFFICE, TODAY)
    at = run_page("pages/audit.py")
    log = store.read_audit(page_store, Scope.city())  # the test account's creation too
    assert len(log) >= 4  # the sample load, then three changes
    assert not at.error
    assert at.title[0].value == t("audit.heading")
    table = at.dataframe[0].value
    assert len(table) == len(log)
    codes = table[t("audit.col.code")]
    assert codes[codes.str.startswith("TD-", na=False)].head(3).tolist() == ["TD-007", "TD-016", "TD-007"]

    at.text_input(key="audit_code").set_value("TD-007").run()
    assert not at.exception, at.exception
    narrowed = at.dataframe[0].value
    assert len(narrowed) == 2
    assert narrowed[t("audit.col.code")].tolist() == ["TD-007", "TD-007"]
    assert narrowed[t("audit.col.action")].tolist() == [
        t("audit.action.activity_add"), t("audit.action.status_change"),
    ]  # fmt: skip

    at.text_input(key="audit_code").set_value("").run()
    at.multiselect(key="audit_kinds").set_value(["data"]).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 4  # the sample load and the three changes

    at.date_input(key="audit_range").set_value((D(2020, 1, 1), D(2020, 1, 31))).run()
    assert not at.exception, at.exception
    assert not at.dataframe
    assert [i.value for i in at.info] == [t("audit.empty")]


# --------------------------------------------------------------------------
# Handover record


def test_hand_over_writes_the_change_with_its_record(places):
    engine, ids = places
    before = counts(engine)
    editing.hand_over(engine, ids["B"], D(2020, 9, 1), "UBND Phường Cửa Nam", " 05/BB-UBND ", "Đủ điều kiện.",
                      OFFICE, NOW)  # fmt: skip
    assert counts(engine) == before | {
        "status_change": before["status_change"] + 1,
        "audit_log": before["audit_log"] + 1,
    }
    change = last_status_change(engine)
    assert (change["from_status"], change["to_status"], change["date"]) == (
        "cleared",
        "handed_over",
        D(2020, 9, 1),
    )
    assert change["reason"] == "Bàn giao cho UBND Phường Cửa Nam, biên bản số 05/BB-UBND. Đủ điều kiện."
    assert change["recorded_by"] == OFFICE
    entry = audit_rows(engine)[-1]
    assert json.loads(entry["after"])["handover"] == {
        "receiver": "UBND Phường Cửa Nam",
        "document": "05/BB-UBND",
    }


@pytest.mark.parametrize(
    ("spot", "receiver", "document", "message"),
    [
        ("B", "UBND Phường Cửa Nam", "  ", t("err.handover_document")),
        ("B", "Ông Nguyễn Văn A", "05/BB", t("err.actor", actor="Ông Nguyễn Văn A")),
        ("A", "UBND Phường Hoàn Kiếm", "05/BB",
         t("err.transition", old=t("status.active"), new=t("status.handed_over"))),
    ],
)  # fmt: skip
def test_hand_over_refusals_write_nothing(places, spot, receiver, document, message):
    engine, ids = places
    before = counts(engine)
    with pytest.raises(DomainError) as caught:
        editing.hand_over(engine, ids[spot], D(2020, 9, 1), receiver, document, "", OFFICE, NOW)
    assert str(caught.value) == message
    assert counts(engine) == before


def test_edit_page_offers_the_handover_form_only_for_cleared_hotspots(page_store):
    clearing = first_with_status(page_store, "clearing")
    at = edit_page(clearing["id"])
    assert t("edit.handover_save") not in [b.label for b in at.button]
    spot = first_with_status(page_store, "cleared")
    ward = unit_names(UnitLevel.WARD)[spot["ward_code"]]
    at = edit_page(spot["id"])
    assert at.selectbox(key="handover_receiver").value == f"UBND {ward}"
    at.text_input(key="handover_document").set_value("12/BB-UBND")
    next(b for b in at.button if b.label == t("edit.handover_save")).click().run()
    assert not at.exception, at.exception
    assert t("edit.saved", what=t("status.handed_over")) in [s.value for s in at.success]
    assert hotspot_row(page_store, spot["id"])["status"] == "handed_over"
    assert last_status_change(page_store)["reason"] == f"Bàn giao cho UBND {ward}, biên bản số 12/BB-UBND."


# --------------------------------------------------------------------------
# Two officers at once: optimistic locking on the hotspot's version


def test_an_edit_on_what_was_read_before_another_change_is_refused(page_store):
    spot = first_with_status(page_store, "clearing")
    seen = int(hotspot_row(page_store, spot["id"])["version"])
    # The first officer's change lands and moves the version on.
    editing.change_status(page_store, spot["id"], TODAY, Status.CLEARED, "Đã triệt xóa", OFFICE,
                          TODAY, expected_version=seen)  # fmt: skip
    assert int(hotspot_row(page_store, spot["id"])["version"]) > seen
    before = counts(page_store)
    # The second, made on the same earlier view, is refused with the current values; nothing is written.
    with pytest.raises(store.StaleEdit) as refused:
        editing.move_hotspot(
            page_store, spot["id"], 21.0287, 105.8524, "Đo lại", OFFICE, expected_version=seen
        )
    message = str(refused.value)
    assert spot["code"] in message and t("status.cleared") in message
    assert refused.value.current["status"] == "cleared"
    assert counts(page_store) == before
    assert (hotspot_row(page_store, spot["id"])["lat"], hotspot_row(page_store, spot["id"])["lon"]) == (
        spot["lat"], spot["lon"],
    )  # fmt: skip
    with pytest.raises(store.StaleEdit):
        editing.change_status(page_store, spot["id"], TODAY, Status.REEMERGED, "Tái phát", OFFICE,
                              TODAY, expected_version=seen)  # fmt: skip
    assert counts(page_store) == before
    # With the current version the same edit lands.
    now = int(hotspot_row(page_store, spot["id"])["version"])
    editing.move_hotspot(page_store, spot["id"], 21.0287, 105.8524, "Đo lại", OFFICE, expected_version=now)
    assert int(hotspot_row(page_store, spot["id"])["version"]) > now


def test_every_write_to_a_hotspot_moves_its_version_on(page_store):
    spot = first_with_status(page_store, "clearing")
    v0 = int(hotspot_row(page_store, spot["id"])["version"])
    editing.change_status(page_store, spot["id"], TODAY, Status.CLEARED, "Đã triệt xóa", OFFICE, TODAY)
    v1 = int(hotspot_row(page_store, spot["id"])["version"])
    editing.move_hotspot(page_store, spot["id"], 21.0287, 105.8524, "Đo lại", OFFICE)
    v2 = int(hotspot_row(page_store, spot["id"])["version"])
    assert v0 < v1 < v2


def test_edit_page_refuses_a_change_made_on_an_outdated_view(page_store):
    spot = first_with_status(page_store, "clearing")
    at = edit_page(spot["id"])
    # Meanwhile another officer, elsewhere, records the clearance.
    editing.change_status(page_store, spot["id"], TODAY, Status.CLEARED, "Đã triệt xóa", OFFICE, TODAY)
    before = counts(page_store)
    at.selectbox[1].set_value(Status.ACTIVE)
    at.text_area(key="edit_reason").set_value("Vẫn còn hoạt động")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert counts(page_store) == before  # nothing overwritten
    assert hotspot_row(page_store, spot["id"])["status"] == "cleared"
    errors = [e.value for e in at.error]
    assert any(spot["code"] in e and t("status.cleared") in e for e in errors), errors
    # The page now shows the current data: the next steps are those from "cleared".
    assert t("status.cleared") in at.info[0].value


def test_edit_page_saves_twice_in_a_row_without_a_false_refusal(page_store):
    spot = first_with_status(page_store, "clearing")
    at = edit_page(spot["id"])
    at.selectbox[1].set_value(Status.CLEARED)
    at.text_area(key="edit_reason").set_value("Đã triệt xóa")
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    at.number_input(key="move_lat").set_value(21.0287)
    at.number_input(key="move_lon").set_value(105.8524)
    at.text_area(key="move_reason").set_value("Đo lại vị trí")
    next(b for b in at.button if b.label == t("edit.save_move")).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert round(hotspot_row(page_store, spot["id"])["lat"], 4) == 21.0287
