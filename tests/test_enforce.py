"""What each role may write: the write functions (editing, clearing the
sample data, boundary layers, imports) with an account, their refusals (a
message naming the account and the place, nothing written, a ``denied``
audit entry) and the imports' dry run limited to an area officer's units."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import argon2
import pytest
import sqlalchemy as sa
from intake_corpus import HOTSPOT_HEADERS

from dashboard import accounts, editing, store
from dashboard.accounts import Role
from dashboard.domain import DomainError, Status
from dashboard.editing import unit_place
from dashboard.i18n import t
from dashboard.intake import boundaries
from dashboard.intake.apply import apply
from dashboard.intake.files import IntakeError
from dashboard.intake.service import check
from dashboard.scope import Scope

D = dt.date
TODAY = D(2026, 3, 2)
PASSWORD = "mật khẩu đủ dài 2026"
CLI = "Sở Lao động - Thương binh và Xã hội Hà Nội"
REASON = "Kết quả kiểm tra"
#: Username -> (office, role, districts, wards).
USERS = {
    "admin-01": ("Phòng Công nghệ thông tin Sở", Role.ADMIN, (), ()),
    "staff-01": ("Chi cục Phòng, chống tệ nạn xã hội", Role.STAFF, (), ()),
    "lead-01": ("Ban Giám đốc Sở", Role.LEADERSHIP, (), ()),
    "hk-01": ("Phòng LĐTBXH Quận Hoàn Kiếm", Role.AREA_OFFICER, ("002",), ()),
    "vm-01": ("UBND Phường Văn Miếu - Quốc Tử Giám", Role.AREA_OFFICER, (), ("00226",)),
    "show-01": ("Phòng Tuyên truyền", Role.PRESENTER, (), ()),
}
#: Who may write at hotspot A (Hoàn Kiếm lake: 00070 / 002) and C (Văn Miếu: 00226 / 006).
WRITES_A = {"admin-01", "staff-01", "hk-01"}
WRITES_C = {"admin-01", "staff-01", "vm-01"}


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def engine(empty_engine, make_store):
    """A (00070 / 002, cleared), B (00082 / 002), C (00226 / 006), and the six accounts."""
    ids = make_store(
        empty_engine,
        {
            "A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active"), (D(2020, 6, 1), "cleared")]),
            "B": ("hoa_lo", "public_area", [(D(2020, 1, 1), "active")]),
            "C": ("van_mieu", "service_business", [(D(2020, 1, 1), "cleared")]),
        },
    )
    empty_engine.ids = ids
    empty_engine.users = {
        name: accounts.add_user(empty_engine, name, PASSWORD, office, role, districts, wards, actor=CLI)
        for name, (office, role, districts, wards) in USERS.items()
    }
    return empty_engine


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def data_rows(engine) -> dict:
    """Every data table's rows (the audit log and accounts left out)."""
    tables = (store.hotspot, store.status_change, store.activity, store.briefing_note, store.meta)
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=str) for t in tables}


def role(account) -> str:
    return t(f"acct.role.{account.role.value}")


def hotspot_place(code: str) -> str:
    where = {"A": ("00070", "002"), "B": ("00082", "002"), "C": ("00226", "006")}[code]
    return t("enforce.place.hotspot", code=code, unit=unit_place(*where))


def denied_message(account, place: str) -> str:
    return t("enforce.denied", username=account.username, role=role(account), place=place)


def assert_refused(engine, account, write, message: str, entity: str, code: str | None, action: str):
    """``write`` raises ``message``, writes no data, and leaves one ``denied`` entry."""
    before, logged = data_rows(engine), len(audit_rows(engine))
    with pytest.raises(DomainError) as caught:
        write()
    assert str(caught.value) == message
    assert data_rows(engine) == before
    new = audit_rows(engine)[logged:]
    assert [(e["action"], e["entity"], e["entity_code"], e["actor"]) for e in new] == [
        ("denied", entity, code, account.office)
    ]
    assert t(f"enforce.action.{action}") in new[0]["summary"]
    assert new[0]["summary"].endswith(f"[{account.username}]")


def assert_recorded(engine, account, logged: int, action: str, code: str):
    """The write's audit entries name the account's office and username."""
    new = audit_rows(engine)[logged:]
    assert [(e["action"], e["entity_code"], e["actor"]) for e in new] == [(action, code, account.office)]
    assert new[0]["summary"].endswith(f"[{account.username}]")


# --------------------------------------------------------------------------
# Editing


@pytest.mark.parametrize("username", list(USERS))
@pytest.mark.parametrize("code", ["A", "C"])
def test_change_status_per_role(engine, username, code):
    account = engine.users[username]
    hotspot_id = engine.ids[code]

    def write():
        editing.change_status(engine, hotspot_id, D(2026, 3, 1), Status.REEMERGED, REASON, account, TODAY)

    if username in (WRITES_A if code == "A" else WRITES_C):
        logged = len(audit_rows(engine))
        write()
        assert_recorded(engine, account, logged, "status_change", code)
        with engine.connect() as conn:
            change = conn.execute(
                sa.select(store.status_change).order_by(store.status_change.c.id.desc())
            ).first()
        assert (change.hotspot_id, change.to_status, change.recorded_by) == (hotspot_id, "reemerged",
                                                                                account.office)  # fmt: skip
    else:
        message = denied_message(account, hotspot_place(code))
        assert_refused(engine, account, write, message, "hotspot", code, "status_change")


@pytest.mark.parametrize("username", list(USERS))
def test_hand_over_per_role(engine, username):
    account = engine.users[username]

    def write():
        editing.hand_over(engine, engine.ids["A"], D(2026, 3, 1), "UBND Phường Hoàn Kiếm", "05/BB-UBND", "",
                          account, TODAY)  # fmt: skip

    if username in WRITES_A:
        logged = len(audit_rows(engine))
        write()
        assert_recorded(engine, account, logged, "status_change", "A")
    else:
        assert_refused(engine, account, write, denied_message(account, hotspot_place("A")), "hotspot", "A",
                       "handover")  # fmt: skip


@pytest.mark.parametrize("username", list(USERS))
@pytest.mark.parametrize("code", ["A", "C"])
def test_add_activity_per_role(engine, username, code):
    account = engine.users[username]
    row = {"date": D(2026, 2, 1), "kind": "patrol", "violations_found": 1}

    def write():
        editing.add_activity(engine, engine.ids[code], row, account, TODAY)

    if username in (WRITES_A if code == "A" else WRITES_C):
        logged = len(audit_rows(engine))
        write()
        assert_recorded(engine, account, logged, "activity_add", code)
        with engine.connect() as conn:
            assert conn.execute(sa.select(store.activity.c.unit)).scalars().all() == [account.office]
    else:
        message = denied_message(account, hotspot_place(code))
        assert_refused(engine, account, write, message, "hotspot", code, "activity_add")


@pytest.mark.parametrize("username", list(USERS))
def test_move_within_the_area_per_role(engine, username):
    """A moves to Hỏa Lò: Phường Cửa Nam, still Quận Hoàn Kiếm."""
    account = engine.users[username]

    def write():
        return editing.move_hotspot(engine, engine.ids["A"], 21.0253, 105.8466, "Đo lại vị trí", account)

    if username in WRITES_A:
        logged = len(audit_rows(engine))
        assert write()["ward_code"] == "00082"
        assert_recorded(engine, account, logged, "hotspot_move", "A")
    else:
        message = denied_message(account, hotspot_place("A"))
        assert_refused(engine, account, write, message, "hotspot", "A", "hotspot_move")


def test_a_move_needs_both_the_old_and_the_new_place(engine):
    officer, ward_officer = engine.users["hk-01"], engine.users["vm-01"]
    # A (Hoàn Kiếm, the officer's) to Văn Miếu (Đống Đa, not the officer's)
    message = denied_message(officer, unit_place("00226", "006"))
    assert_refused(
        engine, officer,
        lambda: editing.move_hotspot(engine, engine.ids["A"], 21.0277, 105.8355, "Đo lại", officer),
        message, "hotspot", "A", "hotspot_move",
    )  # fmt: skip
    # into the ward officer's ward, from a place that is not theirs
    message = denied_message(ward_officer, hotspot_place("A"))
    assert_refused(
        engine, ward_officer,
        lambda: editing.move_hotspot(engine, engine.ids["A"], 21.0277, 105.8355, "Đo lại", ward_officer),
        message, "hotspot", "A", "hotspot_move",
    )  # fmt: skip
    staff = engine.users["staff-01"]
    moved = editing.move_hotspot(engine, engine.ids["A"], 21.0277, 105.8355, "Đo lại", staff)
    assert moved["district_code"] == "006"


def test_an_office_string_is_the_command_line_checked_against_the_office_list(engine):
    logged = len(audit_rows(engine))
    editing.change_status(engine, engine.ids["C"], D(2026, 3, 1), Status.REEMERGED, REASON, CLI, TODAY)
    entry = audit_rows(engine)[logged]
    assert (entry["actor"], entry["summary"].endswith("]")) == (CLI, False)
    with pytest.raises(DomainError, match="danh sách đơn vị"):
        editing.change_status(engine, engine.ids["C"], D(2026, 3, 1), Status.CLEARING, REASON, "ai đó", TODAY)


def test_a_disabled_account_writes_nothing(engine):
    accounts.disable_user(engine, "hk-01", actor=CLI)
    account = accounts.get_user(engine, "hk-01")
    row = {"date": D(2026, 2, 1), "kind": "patrol"}
    assert_refused(
        engine, account, lambda: editing.add_activity(engine, engine.ids["A"], row, account, TODAY),
        denied_message(account, hotspot_place("A")), "hotspot", "A", "activity_add",
    )  # fmt: skip


NOTES = {
    # (month, level, unit) -> who may write it
    (D(2020, 3, 1), "district", "002"): WRITES_A,
    (D(2020, 3, 1), "district", "006"): {"admin-01", "staff-01"},
    (D(2025, 8, 1), "ward", "00226"): WRITES_C,
    # a ward note is the ward's: an officer of its former district may not write it
    (D(2025, 8, 1), "ward", "00070"): {"admin-01", "staff-01"},
}


@pytest.mark.parametrize("username", list(USERS))
@pytest.mark.parametrize("unit", list(NOTES), ids=lambda u: u[2])
def test_briefing_note_per_role(engine, username, unit):
    account = engine.users[username]
    month, level, code = unit
    row = {"month": month, "level": level, "unit_code": code, "decisions": "Duy trì chốt trực."}

    def write():
        return editing.save_briefing_note(engine, row, account, TODAY)

    if username in NOTES[unit]:
        logged = len(audit_rows(engine))
        assert write().startswith("Đã ghi")
        assert_recorded(engine, account, logged, "note_add", code)
        assert store.read_briefing_notes(engine, Scope.city())["recorded_by"].tolist() == [account.office]
    else:
        from dashboard.domain import UnitLevel
        from dashboard.geo import unit_names

        place = unit_names(UnitLevel(level))[code]
        assert_refused(engine, account, write, denied_message(account, place), "briefing_note", code,
                       "note_save")  # fmt: skip


# --------------------------------------------------------------------------
# City-wide writes


@pytest.mark.parametrize("username", list(USERS))
def test_clear_sample_per_role(engine, username):
    account = engine.users[username]
    with engine.begin() as conn:
        store.set_meta(conn, "sample_data", "1")
    if account.role in (Role.ADMIN, Role.STAFF):
        logged = len(audit_rows(engine))
        store.clear_sample(engine, account)
        assert store.is_empty(engine)
        new = audit_rows(engine)[logged:]
        assert [(e["action"], e["actor"]) for e in new] == [("sample_clear", account.office)]
        assert new[0]["summary"].endswith(f"[{account.username}]")
    else:
        message = t(
            "enforce.denied_city", username=account.username, role=role(account),
            action=t("enforce.action.sample_clear"), allowed=t("enforce.allowed.city_writers"),
        )  # fmt: skip
        assert_refused(engine, account, lambda: store.clear_sample(engine, account), message, "store", None,
                       "sample_clear")  # fmt: skip


@pytest.mark.parametrize("username", list(USERS))
def test_boundary_install_per_role(engine, username):
    """Only an admin gets past the check (to the report's own: this one was not checked)."""
    account = engine.users[username]
    unchecked = SimpleNamespace(ok=False)
    if account.role == Role.ADMIN:
        logged = len(audit_rows(engine))
        with pytest.raises(IntakeError, match=t("intake.boundary.not_checked")):
            boundaries.install(unchecked, engine, account)
        assert len(audit_rows(engine)) == logged
    else:
        message = t(
            "enforce.denied_city", username=account.username, role=role(account),
            action=t("enforce.action.boundary_replace"), allowed=t("enforce.allowed.admin"),
        )  # fmt: skip
        assert_refused(engine, account, lambda: boundaries.install(unchecked, engine, account), message,
                       "boundary", None, "boundary_replace")  # fmt: skip


# --------------------------------------------------------------------------
# Imports

ACTIVITY_HEADER = [
    "Ngày", "Loại hoạt động", "Mã tụ điểm", "Địa bàn", "Đơn vị thực hiện", "Vi phạm phát hiện",
    "Vụ việc xử lý", "Cơ sở bị xử phạt", "Tiền phạt (đồng)", "Số người được chuyển hỗ trợ",
]  # fmt: skip
STATUS_HEADER = ["Mã tụ điểm", "Ngày", "Trạng thái mới", "Lý do"]


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def outside(row: int, place: str, account) -> str:
    return t("enforce.outside_scope", row=row, place=place, username=account.username)


def errors(report) -> list[tuple]:
    return [(p.row, p.column, p.value, p.message) for p in report.errors]


def test_an_area_officers_activity_import_rejects_exactly_the_rows_outside(engine):
    officer = engine.users["hk-01"]
    rows = [
        ["01/02/2026", "patrol", "A", "", "Công an phường", 1, 0, 0, 0, 0],  # 2: Hoàn Kiếm, theirs
        ["01/02/2026", "patrol", "C", "", "Công an phường", 1, 0, 0, 0, 0],  # 3: Văn Miếu
        ["02/02/2026", "patrol", "", "Phường Cửa Nam", "Công an phường", 2, 0, 0, 0, 0],  # 4: theirs (002)
        ["02/02/2026", "patrol", "", "Phường Văn Miếu - Quốc Tử Giám", "Công an phường", 2, 0, 0, 0, 0],  # 5
        ["03/03/2020", "patrol", "", "Quận Đống Đa", "Công an quận", 1, 0, 0, 0, 0],  # 6
    ]
    data = csv_bytes(ACTIVITY_HEADER, rows)
    report = check("hd.csv", data, engine, today=TODAY, account=officer)
    assert errors(report) == [
        (3, "Mã tụ điểm", "C", outside(3, unit_place("00226", "006"), officer)),
        (5, "Địa bàn", "Phường Văn Miếu - Quốc Tử Giám", outside(5, unit_place("00226", "006"), officer)),
        (6, "Địa bàn", "Quận Đống Đa", outside(6, unit_place(None, "006"), officer)),
    ]
    assert [r.row for r in report.records] == [2, 4]
    logged = len(audit_rows(engine))
    assert apply(engine, report, officer)["new"] == 2
    new = audit_rows(engine)[logged:]
    assert {e["actor"] for e in new} == {officer.office}
    assert all(e["summary"].endswith("[hk-01]") for e in new)
    # the whole city's dry run written by the officer: refused, nothing written
    everything = check("hd.csv", data, engine, today=TODAY)
    before = data_rows(engine)
    with pytest.raises(DomainError, match="không được ghi thay đổi"):
        apply(engine, everything, officer)
    assert data_rows(engine) == before
    assert audit_rows(engine)[-1]["action"] == "denied"
    # staff sees no row outside
    assert not check("hd.csv", data, engine, today=TODAY, account=engine.users["staff-01"]).errors


def test_a_ward_officers_hotspot_and_status_imports(engine):
    officer = engine.users["vm-01"]
    hotspots = [
        ["TD-1", "Điểm hồ", "public_area", "active", "05/01/2026", "21.0287", "105.8524"],  # Hoàn Kiếm
        ["TD-2", "Điểm Văn Miếu", "public_area", "active", "05/01/2026", "21.0280", "105.8358"],  # theirs
    ]
    report = check("td.csv", csv_bytes(HOTSPOT_HEADERS, hotspots), engine, today=TODAY, account=officer)
    assert errors(report) == [(2, "Vĩ độ (WGS84)", "21.028700; 105.852400",
                               outside(2, unit_place("00070", "002"), officer))]  # fmt: skip
    assert [r.values["code"] for r in report.records] == ["TD-2"]
    statuses = [["A", "01/02/2026", "reemerged", REASON], ["C", "01/02/2026", "reemerged", REASON]]
    report = check("tt.csv", csv_bytes(STATUS_HEADER, statuses), engine, today=TODAY, account=officer)
    assert errors(report) == [(2, "Mã tụ điểm", "A", outside(2, unit_place("00070", "002"), officer))]
    apply(engine, report, officer)
    with engine.connect() as conn:
        last = sa.select(store.status_change).order_by(store.status_change.c.id.desc())
        change = conn.execute(last).first()
    assert (change.hotspot_id, change.recorded_by) == (engine.ids["C"], officer.office)


@pytest.mark.parametrize("username", ["lead-01", "show-01"])
def test_read_only_accounts_cannot_import(engine, username):
    account = engine.users[username]
    message = t("enforce.cannot_import", username=account.username, role=role(account))
    with pytest.raises(IntakeError) as caught:
        check("x.csv", b"not read at all", engine, today=TODAY, account=account)
    assert str(caught.value) == message
    rows = [["01/02/2026", "patrol", "A", "", "Công an phường", 1, 0, 0, 0, 0]]
    report = check("hd.csv", csv_bytes(ACTIVITY_HEADER, rows), engine, today=TODAY)
    assert_refused(engine, account, lambda: apply(engine, report, account), message, "file",
                   report.table.sha256[:32], "import")  # fmt: skip


# --------------------------------------------------------------------------
# The audit log by scope


PATROL = {"date": D(2026, 2, 1), "kind": "patrol"}


def test_an_area_scope_sees_its_hotspots_and_notes_only(engine):
    staff, officer = engine.users["staff-01"], engine.users["vm-01"]
    editing.add_activity(engine, engine.ids["A"], {"date": D(2026, 2, 1), "kind": "patrol"}, staff, TODAY)
    editing.add_activity(engine, engine.ids["C"], {"date": D(2026, 2, 1), "kind": "patrol"}, officer, TODAY)
    for code in ("00226", "00070"):
        row = {"month": D(2025, 8, 1), "level": "ward", "unit_code": code, "decisions": "Duy trì."}
        editing.save_briefing_note(engine, row, staff, TODAY)
    with pytest.raises(DomainError):
        editing.add_activity(engine, engine.ids["A"], PATROL, officer, TODAY)
    log = store.read_audit(engine, accounts.scope_of(officer))
    assert sorted(zip(log["action"], log["entity_code"], strict=True)) == [
        ("activity_add", "C"), ("note_add", "00226")
    ]  # fmt: skip
    city = store.read_audit(engine, Scope.city())
    assert {"user_add", "denied"} <= set(city["action"])
    district = store.read_audit(engine, accounts.scope_of(engine.users["hk-01"]))
    assert sorted(zip(district["action"], district["entity_code"], strict=True)) == [
        ("activity_add", "A"), ("denied", "A")
    ]  # fmt: skip
