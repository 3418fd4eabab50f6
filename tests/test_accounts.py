"""Local accounts: roles and scopes, account management with its audit entries,
password rules, sign-in with lock-out and rehash, the table's migration
(SQLite and PostgreSQL), and the ``user`` command."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import threading
import time
import unicodedata

import argon2
import pytest
import sqlalchemy as sa
from pagetest import as_pre_alembic_store, run_revision

from dashboard import accounts, cli, store
from dashboard.accounts import Account, Role
from dashboard.cli_users import CLI_ACTOR
from dashboard.domain import DomainError
from dashboard.i18n import t
from dashboard.scope import Scope

D = dt.date
ACTOR = "Sở Lao động - Thương binh và Xã hội Hà Nội"
OFFICE = "Sở LĐTBXH Hà Nội"
PASSWORD = "mật khẩu đủ dài 2026"
OTHER = "một mật khẩu khác hẳn"
NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hà Nội
GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."
ACCOUNT_ACTIONS = {
    "user_add", "user_disable", "user_enable", "user_password", "user_role",
    "sign_in", "sign_in_failed", "lock_out", "sign_out",
}  # fmt: skip


class CountingHasher(argon2.PasswordHasher):
    """Cheap parameters (tests only), and a count of verifications."""

    def __init__(self, **params):
        super().__init__(**({"time_cost": 1, "memory_cost": 8, "parallelism": 1} | params))
        self.verified = 0

    def verify(self, hash, password):
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch) -> CountingHasher:
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "HASHER", hasher)
    return hasher


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def stored_hash(engine, username: str) -> str:
    with engine.connect() as conn:
        query = sa.select(store.account.c.password_hash).where(store.account.c.username == username)
        return conn.execute(query).scalar_one()


def assert_no_hash_anywhere(engine) -> None:
    with engine.connect() as conn:
        hashes = list(conn.execute(sa.select(store.account.c.password_hash)).scalars())
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    text = json.dumps(audit_rows(engine), default=str, ensure_ascii=False)
    assert "$argon2" not in text
    assert PASSWORD not in text and OTHER not in text
    listed = repr(accounts.list_users(engine)) + json.dumps(
        [a.as_dict() for a in accounts.list_users(engine)]
    )
    assert "$argon2" not in listed and not any(h in listed for h in hashes)


def add(engine, username="ld-hoankiem-01", role=Role.AREA_OFFICER, districts=("002",), wards=(), **kw):
    return accounts.add_user(
        engine, username, kw.pop("password", PASSWORD), kw.pop("office", "Phòng LĐTBXH Quận Hoàn Kiếm"),
        role, districts, wards, actor=ACTOR,
    )  # fmt: skip


# --------------------------------------------------------------------------
# Roles, scopes, permissions


def test_roles_are_the_stores_and_each_has_a_label():
    assert tuple(r.value for r in Role) == store.ACCOUNT_ROLES
    labels = [t(f"acct.role.{r.value}") for r in Role]
    assert len(set(labels)) == len(labels) == 5
    assert all(t(f"acct.role_help.{r.value}") for r in Role)


def officer(districts=(), wards=(), **kw) -> Account:
    return Account(
        "ld-x", "UBND Phường Hoàn Kiếm", Role.AREA_OFFICER, frozenset(districts), frozenset(wards), **kw
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.LEADERSHIP, Role.PRESENTER])
def test_city_roles_see_the_city(role):
    assert accounts.scope_of(Account("u-1", OFFICE, role)) == Scope.city()


def test_area_officer_sees_only_their_units(sample_engine):
    everything = store.read_hotspots(sample_engine, Scope.city())
    scope = accounts.scope_of(officer(districts={"002"}, wards={"00103"}))
    assert scope == Scope(district_codes=frozenset({"002"}), ward_codes=frozenset({"00103"}))
    seen = store.read_hotspots(sample_engine, scope)
    assert 0 < len(seen) < len(everything)
    assert ((seen["district_code"] == "002") | (seen["ward_code"] == "00103")).all()
    expected = everything[(everything["district_code"] == "002") | (everything["ward_code"] == "00103")]
    assert sorted(seen["code"]) == sorted(expected["code"])
    # Only wards: districts are an empty set, not "every district".
    only_ward = accounts.scope_of(officer(wards={"00103"}))
    assert only_ward.district_codes == frozenset() and not only_ward.is_city
    assert set(store.read_hotspots(sample_engine, only_ward)["ward_code"]) <= {"00103"}


def test_area_officer_without_a_unit_and_a_disabled_account_see_nothing(sample_engine):
    for account in (officer(), Account("u-1", OFFICE, Role.STAFF, disabled=True)):
        scope = accounts.scope_of(account)
        assert scope == accounts.NOTHING and not scope.is_city
        assert store.read_hotspots(sample_engine, scope).empty
        assert store.read_activities(sample_engine, scope).empty
        assert not accounts.can_write(account)


def test_permissions_by_role():
    admin, staff = Account("a-1", OFFICE, Role.ADMIN), Account("s-1", OFFICE, Role.STAFF)
    lead, shown = Account("l-1", OFFICE, Role.LEADERSHIP), Account("p-1", OFFICE, Role.PRESENTER)
    area = officer(districts={"002"}, wards={"00103"})
    every = (admin, staff, lead, shown, area)
    assert [accounts.can_admin(a) for a in every] == [True, False, False, False, False]
    assert [accounts.can_write(a) for a in every] == [True, True, False, False, True]
    assert [accounts.can_read_full_data(a) for a in every] == [True, True, True, False, True]
    assert accounts.can_write(staff, "00226", "006")
    assert accounts.can_write(area, "00070", "002")  # in the officer's former district
    assert accounts.can_write(area, "00103", "003")  # in the officer's ward
    assert accounts.can_write(area, district_code="002")
    assert not accounts.can_write(area, "00226", "006")
    assert not accounts.can_write(lead, "00070", "002")
    assert not accounts.can_admin(Account("a-2", OFFICE, Role.ADMIN, disabled=True))


# --------------------------------------------------------------------------
# Managing accounts


def test_add_and_list_users_with_audit_entries(empty_engine):
    assert not accounts.has_accounts(empty_engine)
    admin = accounts.add_user(empty_engine, "Admin ", PASSWORD, OFFICE, "admin", actor=CLI_ACTOR)
    area = add(empty_engine, districts=["002"], wards=["00103", "00070"])
    assert accounts.has_accounts(empty_engine)
    assert admin == Account("admin", OFFICE, Role.ADMIN)
    assert area.ward_codes == {"00070", "00103"} and area.district_codes == {"002"}
    assert accounts.list_users(empty_engine) == [admin, area]
    assert accounts.get_user(empty_engine, "LD-HOANKIEM-01") == area
    assert accounts.get_user(empty_engine, "nobody") is None
    assert not hasattr(area, "password_hash") and "hash" not in repr(area)
    rows = audit_rows(empty_engine)
    assert [(r["actor"], r["action"], r["entity"], r["entity_code"]) for r in rows] == [
        (CLI_ACTOR, "user_add", "account", "admin"),
        (ACTOR, "user_add", "account", "ld-hoankiem-01"),
    ]
    assert json.loads(rows[1]["after"]) == {
        "role": "area_officer", "office": "Phòng LĐTBXH Quận Hoàn Kiếm",
        "district_codes": ["002"], "ward_codes": ["00070", "00103"], "disabled": False,
    }  # fmt: skip
    assert "Cán bộ địa bàn" in rows[1]["summary"]
    assert_no_hash_anywhere(empty_engine)
    with pytest.raises(DomainError, match="Đã có tài khoản «admin»"):
        accounts.add_user(empty_engine, "ADMIN", OTHER, OFFICE, "admin", actor=ACTOR)
    assert len(audit_rows(empty_engine)) == 2


@pytest.mark.parametrize("username", ["ab", "x" * 33, "lê-văn", "ld hoankiem", "ld/01", "", "ld_01@x"])
def test_username_must_be_an_identifier(empty_engine, username):
    with pytest.raises(DomainError, match="Tên đăng nhập"):
        add(empty_engine, username=username)
    assert accounts.list_users(empty_engine) == []


def test_office_is_required_and_on_one_line(empty_engine):
    for office in ("", "  ", "Phòng\nLĐTBXH", "x" * 201):
        with pytest.raises(DomainError, match="tên một cơ quan"):
            add(empty_engine, office=office)
    assert (
        add(empty_engine, office="  Phòng  LĐTBXH   Quận Hoàn Kiếm ").office == "Phòng LĐTBXH Quận Hoàn Kiếm"
    )


def test_password_rules(empty_engine):
    with pytest.raises(DomainError, match="ít nhất 12 ký tự") as info:
        add(empty_engine, password="ngắn-11-kt!")
    assert "có 11" in str(info.value)
    with pytest.raises(DomainError, match="trùng với tên đăng nhập"):
        add(empty_engine, username="ld-hoankiem-01", password="LD-HOANKIEM-01")
    with pytest.raises(DomainError, match="dài quá"):
        add(empty_engine, password="x" * 257)
    assert accounts.list_users(empty_engine) == []
    assert add(empty_engine, password="đúng 12 ký t").username == "ld-hoankiem-01"
    # Vietnamese typed in NFD matches the same password typed in NFC.
    accounts.reset_password(empty_engine, "ld-hoankiem-01", "mật khẩu dài dài", actor=ACTOR)
    typed = unicodedata.normalize("NFD", "mật khẩu dài dài")
    assert typed != "mật khẩu dài dài"
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", typed, NOW).username == "ld-hoankiem-01"


def test_units_are_checked_against_the_boundary_layers(empty_engine):
    with pytest.raises(DomainError, match="ít nhất một"):
        add(empty_engine, districts=(), wards=())
    with pytest.raises(DomainError, match="quận, huyện cũ mã: «999»"):
        add(empty_engine, districts=("002", "999"))
    with pytest.raises(DomainError, match="phường, xã mã: «00071»"):
        add(empty_engine, districts=(), wards=("00070", "00071"))
    with pytest.raises(DomainError, match="toàn thành phố"):
        add(empty_engine, role=Role.STAFF, districts=("002",))
    with pytest.raises(DomainError, match="Vai trò «boss»"):
        add(empty_engine, role="boss")
    assert accounts.list_users(empty_engine) == []
    assert add(empty_engine, districts=" 002 003 ").district_codes == {"002", "003"}


def test_disable_enable_with_audit(empty_engine):
    accounts.add_user(empty_engine, "admin", PASSWORD, OFFICE, Role.ADMIN, actor=CLI_ACTOR)
    add(empty_engine)
    off = accounts.disable_user(empty_engine, "ld-hoankiem-01", actor=ACTOR)
    assert off.disabled and accounts.get_user(empty_engine, "ld-hoankiem-01").disabled
    with pytest.raises(DomainError, match="đã bị vô hiệu hóa"):
        accounts.disable_user(empty_engine, "ld-hoankiem-01", actor=ACTOR)
    on = accounts.enable_user(empty_engine, "ld-hoankiem-01", actor=ACTOR)
    assert not on.disabled
    with pytest.raises(DomainError, match="đang hoạt động"):
        accounts.enable_user(empty_engine, "ld-hoankiem-01", actor=ACTOR)
    with pytest.raises(DomainError, match="Không có tài khoản «ai-do»"):
        accounts.disable_user(empty_engine, "ai-do", actor=ACTOR)
    rows = audit_rows(empty_engine)[2:]
    assert [r["action"] for r in rows] == ["user_disable", "user_enable"]
    assert [json.loads(r["before"])["disabled"] for r in rows] == [False, True]
    assert [json.loads(r["after"])["disabled"] for r in rows] == [True, False]
    assert all(r["actor"] == ACTOR and r["entity_code"] == "ld-hoankiem-01" for r in rows)
    # The last enabled admin stays.
    with pytest.raises(DomainError, match="cuối cùng"):
        accounts.disable_user(empty_engine, "admin", actor=ACTOR)
    with pytest.raises(DomainError, match="cuối cùng"):
        accounts.set_role(empty_engine, "admin", Role.STAFF, actor=ACTOR)
    accounts.add_user(empty_engine, "admin-2", PASSWORD, OFFICE, Role.ADMIN, actor=CLI_ACTOR)
    assert accounts.disable_user(empty_engine, "admin", actor=ACTOR).disabled
    assert_no_hash_anywhere(empty_engine)


def test_reset_password(empty_engine):
    add(empty_engine)
    before = stored_hash(empty_engine, "ld-hoankiem-01")
    with pytest.raises(DomainError, match="ít nhất 12"):
        accounts.reset_password(empty_engine, "ld-hoankiem-01", "ngắn", actor=ACTOR)
    accounts.reset_password(empty_engine, "ld-hoankiem-01", OTHER, actor=ACTOR)
    assert stored_hash(empty_engine, "ld-hoankiem-01") != before
    with pytest.raises(DomainError, match=GENERIC):
        accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW).username == "ld-hoankiem-01"
    row = [r for r in audit_rows(empty_engine) if r["action"] == "user_password"]
    assert len(row) == 1 and json.loads(row[0]["after"])["role"] == "area_officer"
    with pytest.raises(DomainError, match="Không có tài khoản"):
        accounts.reset_password(empty_engine, "ai-do", OTHER, actor=ACTOR)
    assert_no_hash_anywhere(empty_engine)


def test_set_role(empty_engine):
    add(empty_engine)
    staff = accounts.set_role(empty_engine, "ld-hoankiem-01", "staff", actor=ACTOR)
    assert staff.role == Role.STAFF and not staff.district_codes and not staff.ward_codes
    with pytest.raises(DomainError, match="ít nhất một"):
        accounts.set_role(empty_engine, "ld-hoankiem-01", Role.AREA_OFFICER, actor=ACTOR)
    with pytest.raises(DomainError, match="«00071»"):
        accounts.set_role(empty_engine, "ld-hoankiem-01", Role.AREA_OFFICER, wards=["00071"], actor=ACTOR)
    with pytest.raises(DomainError, match="toàn thành phố"):
        accounts.set_role(empty_engine, "ld-hoankiem-01", Role.LEADERSHIP, ["002"], actor=ACTOR)
    back = accounts.set_role(empty_engine, "ld-hoankiem-01", "area_officer", ["003"], ["00070"], actor=ACTOR)
    assert back.district_codes == {"003"} and back.ward_codes == {"00070"}
    rows = [r for r in audit_rows(empty_engine) if r["action"] == "user_role"]
    assert [(json.loads(r["before"])["role"], json.loads(r["after"])["role"]) for r in rows] == [
        ("area_officer", "staff"),
        ("staff", "area_officer"),
    ]
    assert json.loads(rows[1]["after"])["ward_codes"] == ["00070"]
    assert_no_hash_anywhere(empty_engine)


def test_database_refuses_inconsistent_accounts(empty_engine):
    at = NOW.replace(tzinfo=None)
    base = {
        "username": "ld-x",
        "password_hash": "x",
        "office": OFFICE,
        "created_at": at,
        "password_changed_at": at,
    }
    for bad in (
        {"role": "boss"},
        {"role": "area_officer"},  # no unit
        {"role": "staff", "district_codes": "002"},
        {"role": "staff", "username": "ab"},
        {"role": "staff", "failed_count": -1},
    ):
        with pytest.raises(sa.exc.IntegrityError), empty_engine.begin() as conn:
            store.insert_account(conn, base | bad)


# --------------------------------------------------------------------------
# Signing in


def actions(engine) -> list[str]:
    return [r["action"] for r in audit_rows(engine) if r["action"].startswith(("sign", "lock"))]


def test_sign_in_success_and_sign_out(empty_engine):
    add(empty_engine)
    account = accounts.authenticate(empty_engine, " LD-HoanKiem-01 ", PASSWORD, NOW)
    assert account == accounts.get_user(empty_engine, "ld-hoankiem-01")
    assert accounts.scope_of(account) == Scope(district_codes=frozenset({"002"}), ward_codes=frozenset())
    accounts.record_sign_out(empty_engine, "ld-hoankiem-01")
    accounts.record_sign_out(empty_engine, "ld-hoankiem-01", idle=True)
    rows = audit_rows(empty_engine)[1:]
    assert [r["action"] for r in rows] == ["sign_in", "sign_out", "sign_out"]
    assert all(r["entity_code"] == "ld-hoankiem-01" for r in rows)
    assert all(r["actor"] == "Phòng LĐTBXH Quận Hoàn Kiếm" for r in rows)
    assert f"{accounts.IDLE_MINUTES} phút" in rows[2]["summary"]
    assert_no_hash_anywhere(empty_engine)


def test_one_message_for_wrong_password_unknown_user_and_disabled(empty_engine, cheap_hasher):
    add(empty_engine)
    add(empty_engine, username="ld-off-01")
    accounts.disable_user(empty_engine, "ld-off-01", actor=ACTOR)
    messages = []
    for username, password in (
        ("ld-hoankiem-01", OTHER),
        ("khong-co-ai", PASSWORD),
        ("Không hợp lệ!", PASSWORD),
        ("ld-off-01", PASSWORD),
    ):
        cheap_hasher.verified = 0
        with pytest.raises(DomainError) as info:
            accounts.authenticate(empty_engine, username, password, NOW)
        messages.append(str(info.value))
        assert cheap_hasher.verified == 1  # the same work whether or not the user exists
    assert messages == [GENERIC] * 4
    rows = [r for r in audit_rows(empty_engine) if r["action"] == "sign_in_failed"]
    assert len(rows) == 4
    assert [r["entity_code"] for r in rows] == ["ld-hoankiem-01", None, None, "ld-off-01"]
    # What was typed as an unknown username is not kept (it may be a password).
    text = json.dumps(rows, default=str, ensure_ascii=False)
    assert "khong-co-ai" not in text and "Không hợp lệ" not in text
    assert_no_hash_anywhere(empty_engine)


def test_brute_force_hits_the_lock_out(empty_engine):
    add(empty_engine)
    messages = []
    for attempt in range(20):
        with pytest.raises(DomainError) as info:
            accounts.authenticate(empty_engine, "ld-hoankiem-01", f"đoán thử số {attempt:03}", NOW)
        messages.append(str(info.value))
    locked = t("acct.err.locked", time="08:15")  # 01:15 UTC in Hà Nội
    assert messages == [GENERIC] * (accounts.MAX_FAILURES - 1) + [locked] * (20 - accounts.MAX_FAILURES + 1)
    assert "08:15" in locked
    account = accounts.get_user(empty_engine, "ld-hoankiem-01")
    assert account.locked_until == NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES)
    # The right password fails too while the lock lasts...
    for later in (dt.timedelta(minutes=1), dt.timedelta(minutes=14, seconds=59)):
        with pytest.raises(DomainError, match="tạm khóa đến 08:15"):
            accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW + later)
    # ... and works once it is over; a naive time is taken as UTC.
    after = (NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES, seconds=1)).replace(tzinfo=None)
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, after).locked_until is None
    assert accounts.get_user(empty_engine, "ld-hoankiem-01").locked_until is None
    expected = ["sign_in_failed"] * 5 + ["lock_out"] + ["sign_in_failed"] * (15 + 2) + ["sign_in"]
    assert actions(empty_engine) == expected
    lock = next(r for r in audit_rows(empty_engine) if r["action"] == "lock_out")
    assert "08:15" in lock["summary"] and lock["entity_code"] == "ld-hoankiem-01"
    assert_no_hash_anywhere(empty_engine)


def test_success_resets_the_failure_count(empty_engine):
    add(empty_engine)

    def fail(times: int) -> None:
        for _ in range(times):
            with pytest.raises(DomainError, match=GENERIC):
                accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW)

    fail(accounts.MAX_FAILURES - 1)
    accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    fail(accounts.MAX_FAILURES - 1)
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    assert "lock_out" not in actions(empty_engine)


def test_enable_and_reset_lift_a_lock_out(empty_engine):
    add(empty_engine)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(DomainError):
            accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW)
    accounts.reset_password(empty_engine, "ld-hoankiem-01", OTHER, actor=ACTOR)
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW)


def test_a_rehash_is_computed_before_the_sign_in_writes(empty_engine, monkeypatch):
    """SQLite has one write lock: a hash computed while holding it made every other
    sign-in wait, and under a crowd fail with "database is locked"."""
    add(empty_engine)
    events = []
    stronger = CountingHasher(time_cost=2, memory_cost=16)
    real_hash, real_audit = stronger.hash, store.audit
    monkeypatch.setattr(stronger, "hash", lambda *a, **k: events.append("hash") or real_hash(*a, **k))
    monkeypatch.setattr(store, "audit", lambda *a, **k: events.append("write") or real_audit(*a, **k))
    monkeypatch.setattr(accounts, "HASHER", stronger)
    accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    assert events[:2] == ["hash", "write"]
    assert "m=16,t=2,p=1" in stored_hash(empty_engine, "ld-hoankiem-01")


class HeldHasher(CountingHasher):
    """Holds the first verification until released: a sign-in caught while
    its password is being checked."""

    def __init__(self, **params):
        super().__init__(**params)
        self.checking, self.release = threading.Event(), threading.Event()

    def verify(self, hash, password):
        if not self.checking.is_set():
            self.checking.set()
            assert self.release.wait(30)
        return super().verify(hash, password)


def sign_in_held(engine, hasher, password) -> tuple[threading.Thread, list]:
    """Start a sign-in in a thread and wait until its password is being checked."""
    outcome = []

    def run():
        try:
            outcome.append(accounts.authenticate(engine, "ld-hoankiem-01", password, NOW))
        except DomainError as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert hasher.checking.wait(30)
    return thread, outcome


def test_officers_signing_in_at_once_do_not_wait_for_each_other_s_password_check(empty_engine, monkeypatch):
    """On PostgreSQL the account's row was locked while its password was
    checked, so twenty officers signing in as one account took turns."""
    add(empty_engine)
    monkeypatch.setattr(accounts, "_hash_slots", threading.BoundedSemaphore(2))
    held = HeldHasher()
    monkeypatch.setattr(accounts, "HASHER", held)
    thread, outcome = sign_in_held(empty_engine, held, PASSWORD)
    other = concurrent.futures.ThreadPoolExecutor(1)
    try:
        second = other.submit(accounts.authenticate, empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
        assert second.result(timeout=10).username == "ld-hoankiem-01"
    finally:
        held.release.set()
        thread.join(30)
        other.shutdown()
    assert isinstance(outcome[0], Account)
    assert actions(empty_engine) == ["sign_in", "sign_in"]


def test_a_password_changed_while_it_is_checked_is_checked_again(empty_engine, monkeypatch):
    add(empty_engine)
    monkeypatch.setattr(accounts, "_hash_slots", threading.BoundedSemaphore(2))
    held = HeldHasher()
    monkeypatch.setattr(accounts, "HASHER", held)
    thread, outcome = sign_in_held(empty_engine, held, PASSWORD)
    try:
        accounts.reset_password(empty_engine, "ld-hoankiem-01", OTHER, actor=ACTOR)
    finally:
        held.release.set()
        thread.join(30)
    assert isinstance(outcome[0], DomainError) and str(outcome[0]) == GENERIC
    assert actions(empty_engine)[-1] == "sign_in_failed"
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW)


class CrowdHasher(CountingHasher):
    """Holds every verification until released, counting how many run at once."""

    def __init__(self, **params):
        super().__init__(**params)
        self.lock, self.release = threading.Lock(), threading.Event()
        self.running = self.most = 0

    def verify(self, hash, password):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            assert self.release.wait(30)
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


def test_passwords_are_checked_a_few_at_a_time_and_every_sign_in_gets_its_turn(empty_engine, monkeypatch):
    """Twenty argon2id checks at once (64 MiB each, every core busy) took longer together
    than a few at a time and held up to 1.5 GB: a process checks HASH_SLOTS at a time."""
    add(empty_engine)
    assert 1 <= accounts.HASH_SLOTS <= 8
    monkeypatch.setattr(accounts, "_hash_slots", threading.BoundedSemaphore(3))
    crowd = CrowdHasher()
    monkeypatch.setattr(accounts, "HASHER", crowd)
    officers = 10
    with concurrent.futures.ThreadPoolExecutor(officers) as pool:
        futures = [
            pool.submit(accounts.authenticate, empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
            for _ in range(officers)
        ]
        try:
            deadline = time.monotonic() + 30
            while crowd.running < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)  # long enough for any of the other seven to start checking too
            assert (crowd.running, crowd.most) == (3, 3)
        finally:
            crowd.release.set()
        signed_in = [f.result(timeout=60) for f in futures]
    assert [a.username for a in signed_in] == ["ld-hoankiem-01"] * officers
    assert crowd.verified == officers and crowd.most == 3
    assert actions(empty_engine).count("sign_in") == officers


def test_wrong_passwords_typed_at_once_are_all_counted(empty_engine):
    add(empty_engine)
    tries = accounts.MAX_FAILURES + 3
    with concurrent.futures.ThreadPoolExecutor(tries) as pool:
        futures = [
            pool.submit(accounts.authenticate, empty_engine, "ld-hoankiem-01", f"đoán thử số {i:03}", NOW)
            for i in range(tries)
        ]
        errors = [str(f.exception(timeout=60)) for f in futures]
    locked = t("acct.err.locked", time="08:15")
    assert sorted(errors) == sorted([GENERIC] * (accounts.MAX_FAILURES - 1) + [locked] * 4)
    assert actions(empty_engine).count("lock_out") == 1
    assert actions(empty_engine).count("sign_in_failed") == tries
    with pytest.raises(DomainError, match="tạm khóa đến 08:15"):
        accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)


def test_sign_in_rehashes_when_parameters_change(empty_engine, monkeypatch):
    add(empty_engine)  # with the cheap hasher
    old = stored_hash(empty_engine, "ld-hoankiem-01")
    assert "m=8,t=1,p=1" in old
    stronger = CountingHasher(time_cost=2, memory_cost=16)
    monkeypatch.setattr(accounts, "HASHER", stronger)
    with pytest.raises(DomainError, match=GENERIC):  # a failed sign-in changes nothing
        accounts.authenticate(empty_engine, "ld-hoankiem-01", OTHER, NOW)
    assert stored_hash(empty_engine, "ld-hoankiem-01") == old
    accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    new = stored_hash(empty_engine, "ld-hoankiem-01")
    assert new != old and "m=16,t=2,p=1" in new and not stronger.check_needs_rehash(new)
    assert accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    assert stored_hash(empty_engine, "ld-hoankiem-01") == new
    # The library's defaults: argon2id.
    monkeypatch.setattr(accounts, "HASHER", argon2.PasswordHasher())
    accounts.authenticate(empty_engine, "ld-hoankiem-01", PASSWORD, NOW)
    assert stored_hash(empty_engine, "ld-hoankiem-01").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert_no_hash_anywhere(empty_engine)


# --------------------------------------------------------------------------
# The migration


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    return request.getfixturevalue("pg_url")


def test_migration_v5_adds_accounts_to_a_v4_store(url, make_store):
    from dashboard.editing import save_briefing_note

    engine = store.open_store(url)
    make_store(
        engine,
        {"A": ("hoan_kiem_lake", "public_area", [(D(2020, 1, 1), "active")])},
        activities=[{"hotspot": "A", "date": D(2020, 2, 1), "kind": "patrol"}],
    )
    save_briefing_note(
        engine, {"month": D(2020, 3, 1), "unit_code": "002", "difficulties": "khó"}, ACTOR, D(2026, 1, 1)
    )
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE account"))
        as_pre_alembic_store(conn, 4)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("account")
    engine.dispose()

    engine = store.open_store(url)
    try:
        with engine.connect() as conn:
            assert store.schema_version(conn) == store.SCHEMA_VERSION >= 5
            columns = {c["name"] for c in sa.inspect(conn).get_columns("account")}
        assert "password_hash" in columns and "locked_until" in columns
        assert len(store.read_hotspots(engine, Scope.city())) == 1
        assert len(store.read_activities(engine, Scope.city())) == 1
        assert len(store.read_briefing_notes(engine, Scope.city())) == 1
        assert [r["action"] for r in audit_rows(engine)] == ["note_add"]
        assert not accounts.has_accounts(engine)
        add(engine)
        # Re-running the step changes nothing.
        with engine.begin() as conn:
            run_revision(conn, "0005")
        assert store.migrate(engine) == store.SCHEMA_VERSION
        assert [a.username for a in accounts.list_users(engine)] == ["ld-hoankiem-01"]
        # Sign-in and lock-out work on this database too.
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(DomainError):
                accounts.authenticate(engine, "ld-hoankiem-01", OTHER, NOW)
        with pytest.raises(DomainError, match="08:15"):
            accounts.authenticate(engine, "ld-hoankiem-01", PASSWORD, NOW)
        later = NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES)
        assert accounts.authenticate(engine, "ld-hoankiem-01", PASSWORD, later).username == "ld-hoankiem-01"
        assert_no_hash_anywhere(engine)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------
# The command line


@pytest.fixture
def cli_store(monkeypatch, store_copy):
    monkeypatch.setenv("DATABASE_URL", store_copy)
    monkeypatch.setenv("HOTSPOT_NEW_PASSWORD", PASSWORD)
    engine = store.open_store(store_copy)
    with engine.begin() as conn:  # the copy holds the pages' test account: start with none
        conn.execute(store.account.delete())
    yield engine
    engine.dispose()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_commands(cli_store, capsys, monkeypatch):
    code, out, _ = run(capsys, "user", "add", "admin", "--office", "Sở LĐTBXH Hà Nội", "--role", "admin")
    assert code == 0 and "«admin»" in out and "Quản trị hệ thống" in out
    code, out, _ = run(
        capsys, "user", "add", "ld-hoankiem-01", "--office", "Phòng LĐTBXH Quận Hoàn Kiếm",
        "--role", "area_officer", "--district", "002", "--ward", "00070", "00103",
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "user", "list", "--json")
    listed = json.loads(out)
    assert [u["username"] for u in listed] == ["admin", "ld-hoankiem-01"]
    assert listed[1] == {
        "username": "ld-hoankiem-01", "office": "Phòng LĐTBXH Quận Hoàn Kiếm", "role": "area_officer",
        "district_codes": ["002"], "ward_codes": ["00070", "00103"], "disabled": False, "locked_until": None,
    }  # fmt: skip
    assert "argon2" not in out and "password" not in out
    code, out, _ = run(capsys, "user", "list")
    assert code == 0 and "ld-hoankiem-01" in out and "Cán bộ địa bàn" in out and "002 00070 00103" in out
    assert "argon2" not in out

    assert run(capsys, "user", "disable", "ld-hoankiem-01")[0] == 0
    assert "vô hiệu hóa" in run(capsys, "user", "list")[1]
    assert run(capsys, "user", "enable", "ld-hoankiem-01")[0] == 0
    monkeypatch.setenv("HOTSPOT_NEW_PASSWORD", OTHER)
    code, out, _ = run(capsys, "user", "reset-password", "ld-hoankiem-01")
    assert code == 0 and "Đã đặt lại mật khẩu" in out
    assert accounts.authenticate(cli_store, "ld-hoankiem-01", OTHER, NOW)
    code, out, _ = run(capsys, "user", "set-role", "ld-hoankiem-01", "--role", "leadership")
    assert code == 0 and "Lãnh đạo" in out
    assert accounts.get_user(cli_store, "ld-hoankiem-01").role == Role.LEADERSHIP

    rows = [r for r in audit_rows(cli_store) if r["entity"] == "account"]
    assert {r["action"] for r in rows} <= ACCOUNT_ACTIONS
    by_cli = [r["action"] for r in rows if r["actor"] == CLI_ACTOR]
    assert by_cli == ["user_add", "user_add", "user_disable", "user_enable", "user_password", "user_role"]
    assert "$argon2" not in json.dumps(rows, default=str)


def test_cli_errors_exit_2(cli_store, capsys, monkeypatch):
    code, _, err = run(capsys, "user", "add", "Lê Văn A", "--office", OFFICE, "--role", "staff")
    assert code == 2 and err.startswith("Lỗi: Tên đăng nhập «Lê Văn A» không hợp lệ")
    code, _, err = run(capsys, "user", "add", "ld-x-01", "--office", OFFICE, "--role", "area_officer")
    assert code == 2 and "ít nhất một" in err
    monkeypatch.setenv("HOTSPOT_NEW_PASSWORD", "ngắn")
    code, _, err = run(capsys, "user", "add", "ld-x-01", "--office", OFFICE, "--role", "staff")
    assert code == 2 and "ít nhất 12 ký tự" in err
    code, _, err = run(capsys, "user", "disable", "ai-do")
    assert code == 2 and "Lỗi: Không có tài khoản «ai-do»." in err
    code, _, err = run(capsys, "user", "reset-password", "ai-do")
    assert code == 2 and "Không có tài khoản" in err
    code, _, err = run(capsys, "user", "set-role", "ai-do", "--role", "staff")
    assert code == 2
    assert not accounts.has_accounts(cli_store)
    with pytest.raises(SystemExit):
        cli.main(["user", "add", "ld-x-01", "--office", OFFICE, "--role", "boss"])
    capsys.readouterr()


def test_cli_reads_the_password_twice_without_the_variable(cli_store, capsys, monkeypatch):
    monkeypatch.delenv("HOTSPOT_NEW_PASSWORD")
    typed = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, _, err = run(capsys, "user", "add", "ld-x-01", "--office", OFFICE, "--role", "staff")
    assert code == 2 and "không khớp" in err
    assert not accounts.has_accounts(cli_store)
    prompts = []
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or next(typed))
    assert run(capsys, "user", "add", "ld-x-01", "--office", OFFICE, "--role", "staff")[0] == 0
    assert len(prompts) == 2 and "ld-x-01" in prompts[0]
    assert accounts.authenticate(cli_store, "ld-x-01", PASSWORD, NOW).role == Role.STAFF


def test_cli_add_on_a_new_store_fills_the_sample_first(monkeypatch, tmp_path, capsys):
    """As on the app's first start: the account's audit entry must not leave a new store empty."""
    url = f"sqlite:///{tmp_path}/new.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOTSPOT_NEW_PASSWORD", PASSWORD)
    assert run(capsys, "user", "add", "admin", "--office", OFFICE, "--role", "admin")[0] == 0
    engine = store.open_store(url)
    try:
        assert store.is_sample_data(engine) and not store.is_empty(engine)
        assert [a.username for a in accounts.list_users(engine)] == ["admin"]
    finally:
        engine.dispose()


def test_account_entries_are_no_change_to_the_data(empty_engine):
    """An import's check notes the count of data changes and its write refuses when it moved:
    a sign-in, or an account made, between the two must not abort it."""
    before = store.audit_count(empty_engine)
    with empty_engine.begin() as conn:
        store.audit(conn, "Sở LĐTBXH Hà Nội", "sign_in", "account", entity_code="ld-test-01", summary="vào")
        store.audit(conn, "Sở LĐTBXH Hà Nội", "user_add", "account", entity_code="ld-test-02", summary="thêm")
    assert store.audit_count(empty_engine) == before
    assert not store.has_history(empty_engine)
    with empty_engine.begin() as conn:
        store.audit(conn, "Sở LĐTBXH Hà Nội", "status_change", "hotspot", entity_code="A", summary="một")
        assert store.data_changes(conn) == before + 1
    assert store.has_history(empty_engine)
