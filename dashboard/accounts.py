"""Local accounts: roles, what each may see and do, passwords and sign-in.

An account belongs to an office (for example "Phòng LĐTBXH Quận Hoàn Kiếm");
its username is an identifier such as ``ld-hoankiem-01``, never a person's
name, and no column holds anything about a person. Roles:

- ``admin``: accounts, boundary layers and everything else;
- ``staff``: department staff, the whole city, read and write;
- ``leadership``: the whole city, read only;
- ``area_officer``: one or more former districts and/or current wards, read
  and write there only (an area officer with no unit sees nothing);
- ``presenter``: presentation mode and public-version exports only.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults; a hash made
with older parameters is replaced at the next sign-in) and are at least
:data:`MIN_PASSWORD_LENGTH` characters. Hashes never leave the store: no
function here returns one, :class:`Account` has none, and the audit log
records role, office, units and state only.

Every write goes with its audit-log entry in one transaction. Signing in
fails with one message for an unknown user, a wrong password or a disabled
account; :data:`MAX_FAILURES` wrong passwords in a row lock the account for
:data:`LOCK_MINUTES`. ``actor`` is the acting office or role (the command
line's is :data:`dashboard.cli_users.CLI_ACTOR`), never a person's name.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

import argon2
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.config import HANOI
from dashboard.domain import DomainError, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.scope import Scope

#: Consecutive wrong passwords that lock an account ...
MAX_FAILURES = 5
#: ... for this many minutes (a sign-in during the lock fails even with the right password).
LOCK_MINUTES = 15
#: Minutes without any action after which the app signs a session out (the UI applies it).
IDLE_MINUTES = 30
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
USERNAME_MIN = 3
USERNAME_MAX = store.USERNAME_MAX
OFFICE_MIN, OFFICE_MAX = 3, 200
USERNAME_PATTERN = re.compile(rf"[a-z0-9._-]{{{USERNAME_MIN},{USERNAME_MAX}}}")

#: The password hasher (argon2id, the library's defaults). Tests may swap in a cheaper one.
HASHER = argon2.PasswordHasher()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: How many passwords one process hashes or checks at once; the others wait their turn. Each
#: check holds 64 MiB and keeps every core busy (argon2id's lanes): twenty officers signing in
#: at once on two cores, all checked together, waited longer (median 2.4-2.7 s against 1.4 s)
#: and the server held 1.0-1.5 GB against 0.56 GB (bench/load_protocol.py).
HASH_SLOTS = min(_cores(), 8)
_hash_slots = threading.BoundedSemaphore(HASH_SLOTS)


def _hashed(password: str, hasher: argon2.PasswordHasher | None = None) -> str:
    with _hash_slots:
        return (hasher or HASHER).hash(password)


class Role(StrEnum):
    """What an account may see and do (labels: ``acct.role.*`` in the catalogue)."""

    ADMIN = "admin"
    STAFF = "staff"
    LEADERSHIP = "leadership"
    AREA_OFFICER = "area_officer"
    PRESENTER = "presenter"


#: Roles that see and write the whole city's data.
CITY_WRITERS = frozenset({Role.ADMIN, Role.STAFF})

#: The scope of an account that may see no unit at all.
NOTHING = Scope(district_codes=frozenset(), ward_codes=frozenset())


@dataclass(frozen=True)
class Account:
    """An account as the app sees it: never its password or hash.

    ``locked_until`` (UTC, aware) is the end of a lock-out after failed
    sign-ins, None when there was none.
    """

    username: str
    office: str
    role: Role
    district_codes: frozenset[str] = frozenset()
    ward_codes: frozenset[str] = frozenset()
    disabled: bool = False
    locked_until: dt.datetime | None = None

    def as_dict(self) -> dict:
        """The account's fields as plain JSON values (units sorted)."""
        return {
            "username": self.username,
            "office": self.office,
            "role": self.role.value,
            "district_codes": sorted(self.district_codes),
            "ward_codes": sorted(self.ward_codes),
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }


# --------------------------------------------------------------------------
# What an account may see and do


def scope_of(account: Account) -> Scope:
    """The units ``account`` may see: the city for every role but the area
    officer, whose scope is their former districts and wards. An area officer
    with no unit, and a disabled account, see nothing (:data:`NOTHING`)."""
    if account.disabled:
        return NOTHING
    if account.role != Role.AREA_OFFICER:
        return Scope.city()
    if not account.district_codes and not account.ward_codes:
        return NOTHING
    return Scope(district_codes=frozenset(account.district_codes), ward_codes=frozenset(account.ward_codes))


def can_write(account: Account, ward_code: str | None = None, district_code: str | None = None) -> bool:
    """Whether ``account`` may record changes; with a place (its ward and/or
    former district), whether it may record changes there.

    Admin and staff write everywhere, an area officer in their units (a place
    is theirs when its ward or its former district is), leadership and the
    presenter nowhere.
    """
    if account.disabled:
        return False
    if account.role in CITY_WRITERS:
        return True
    if account.role != Role.AREA_OFFICER:
        return False
    if ward_code is None and district_code is None:
        return bool(account.district_codes or account.ward_codes)
    return ward_code in account.ward_codes or district_code in account.district_codes


def can_admin(account: Account) -> bool:
    """Whether ``account`` may manage accounts and boundary layers."""
    return account.role == Role.ADMIN and not account.disabled


def can_read_full_data(account: Account) -> bool:
    """Whether ``account`` may see the data itself (within its scope), not
    only the presentation mode and public-version exports."""
    return account.role != Role.PRESENTER and not account.disabled


# --------------------------------------------------------------------------
# Checks


def clean_username(username: str) -> str:
    """``username`` as stored (lower case, no surrounding spaces); raises when
    it is not 3–32 characters of ``a-z 0-9 . _ -``."""
    text = unicodedata.normalize("NFC", str(username)).strip().lower()
    if not USERNAME_PATTERN.fullmatch(text):
        raise DomainError(
            t("acct.err.username", username=username, min_length=USERNAME_MIN, max_length=USERNAME_MAX)
        )
    return text


def _clean_office(office: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(office)).split())
    if not OFFICE_MIN <= len(text) <= OFFICE_MAX or any(c in str(office) for c in "\r\n\t"):
        raise DomainError(t("acct.err.office", min_length=OFFICE_MIN, max_length=OFFICE_MAX))
    return text


def _clean_role(role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError(t("acct.err.role", role=role, allowed=", ".join(r.value for r in Role))) from None


def _clean_actor(actor: str) -> str:
    if not str(actor or "").strip():
        raise DomainError(t("acct.err.actor"))
    return str(actor).strip()


def check_password(password: str, username: str) -> str:
    """The password to hash (NFC, so the same typed text always matches);
    raises when it is shorter than :data:`MIN_PASSWORD_LENGTH`, too long, or
    the username."""
    text = unicodedata.normalize("NFC", str(password))
    if len(text) < MIN_PASSWORD_LENGTH:
        raise DomainError(t("acct.err.password_short", min_length=MIN_PASSWORD_LENGTH, length=len(text)))
    if len(text) > MAX_PASSWORD_LENGTH:
        raise DomainError(t("acct.err.password_long", max_length=MAX_PASSWORD_LENGTH))
    if text.strip().lower() == str(username).strip().lower():
        raise DomainError(t("acct.err.password_username"))
    return text


def _codes(values: Iterable[str] | str | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        values = values.split()
    return frozenset(str(v).strip() for v in values if str(v).strip())


def check_units(role: Role, districts=(), wards=()) -> tuple[frozenset[str], frozenset[str]]:
    """The former districts and wards of an account of ``role``: codes of
    the boundary layers in use, at least one for an area officer, none for
    any other role."""
    districts, wards = _codes(districts), _codes(wards)
    if role != Role.AREA_OFFICER:
        if districts or wards:
            raise DomainError(t("acct.err.units_not_allowed", role=t(f"acct.role.{role.value}")))
        return districts, wards
    if not districts and not wards:
        raise DomainError(t("acct.err.units_needed"))
    for codes, level, key in (
        (districts, UnitLevel.DISTRICT, "acct.err.unknown_districts"),
        (wards, UnitLevel.WARD, "acct.err.unknown_wards"),
    ):
        unknown = sorted(codes - set(unit_names(level)))
        if unknown:
            raise DomainError(t(key, codes=", ".join(f"«{c}»" for c in unknown)))
    return districts, wards


# --------------------------------------------------------------------------
# Reading


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (naive UTC) time as an aware one."""
    return None if value is None else value.replace(tzinfo=dt.UTC)


def _stored_time(value: dt.datetime) -> dt.datetime:
    """Naive UTC, as the store keeps times; a naive ``value`` is taken as UTC."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _account(row: dict) -> Account:
    return Account(
        username=row["username"],
        office=row["office"],
        role=Role(row["role"]),
        district_codes=frozenset(row["district_codes"].split()),
        ward_codes=frozenset(row["ward_codes"].split()),
        disabled=bool(row["disabled"]),
        locked_until=_utc(row["locked_until"]),
    )


def _state(account: Account) -> dict:
    """What the audit log keeps of an account: role, office, units, state."""
    return {
        "role": account.role.value,
        "office": account.office,
        "district_codes": sorted(account.district_codes),
        "ward_codes": sorted(account.ward_codes),
        "disabled": account.disabled,
    }


def list_users(engine: Engine) -> list[Account]:
    """Every account, by username."""
    with engine.connect() as conn:
        return [_account(row) for row in store.read_accounts(conn)]


def get_user(engine: Engine, username: str) -> Account | None:
    """The account called ``username`` (any case), or None."""
    with engine.connect() as conn:
        row = store.read_account(conn, str(username).strip().lower())
    return None if row is None else _account(row)


def has_accounts(engine: Engine) -> bool:
    """Whether any account exists (the app asks for a sign-in from then on)."""
    with engine.connect() as conn:
        return store.account_count(conn) > 0


def hanoi_time(value: dt.datetime) -> str:
    """``HH:MM`` in Hà Nội of a UTC time (naive or aware)."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(HANOI).strftime("%H:%M")


# --------------------------------------------------------------------------
# Managing accounts


def _load(conn, username: str) -> Account:
    row = store.read_account(conn, username, for_update=True)
    if row is None:
        raise DomainError(t("acct.err.unknown", username=username))
    return _account(row)


def _keep_an_admin(conn, account: Account) -> None:
    """Refuse to disable or demote the last enabled admin."""
    enabled_admins = store.account_count(conn, role=Role.ADMIN.value, disabled=False)
    if account.role == Role.ADMIN and not account.disabled and enabled_admins <= 1:
        raise DomainError(t("acct.err.last_admin", username=account.username))


def add_user(
    engine: Engine,
    username: str,
    password: str,
    office: str,
    role: Role | str,
    districts: Iterable[str] = (),
    wards: Iterable[str] = (),
    *,
    actor: str,
) -> Account:
    """Create an account; returns it. ``districts``/``wards`` are the area
    officer's units (codes), for no other role."""
    actor = _clean_actor(actor)
    username = clean_username(username)
    office = _clean_office(office)
    role = _clean_role(role)
    district_codes, ward_codes = check_units(role, districts, wards)
    password = check_password(password, username)
    digest = _hashed(password)
    now = _now()
    account = Account(username, office, role, district_codes, ward_codes)
    with engine.begin() as conn:
        if store.read_account(conn, username) is not None:
            raise DomainError(t("acct.err.exists", username=username))
        store.insert_account(
            conn,
            {
                "username": username,
                "password_hash": digest,
                "office": office,
                "role": role.value,
                "district_codes": " ".join(sorted(district_codes)),
                "ward_codes": " ".join(sorted(ward_codes)),
                "disabled": False,
                "failed_count": 0,
                "created_at": now,
                "password_changed_at": now,
            },
        )
        store.audit(
            conn, actor, "user_add", "account", entity_code=username,
            summary=t("acct.audit.add", username=username, role=t(f"acct.role.{role.value}")),
            after=_state(account),
        )  # fmt: skip
    return account


def _set_disabled(engine: Engine, username: str, disabled: bool, actor: str) -> Account:
    actor = _clean_actor(actor)
    username = str(username).strip().lower()
    with engine.begin() as conn:
        before = _load(conn, username)
        if before.disabled == disabled:
            key = "acct.err.already_disabled" if disabled else "acct.err.already_enabled"
            raise DomainError(t(key, username=username))
        if disabled:
            _keep_an_admin(conn, before)
            store.update_account(conn, username, disabled=True)
        else:  # enabling also lifts a lock-out
            store.update_account(conn, username, disabled=False, failed_count=0, locked_until=None)
        after = _account(store.read_account(conn, username))
        store.audit(
            conn, actor, "user_disable" if disabled else "user_enable", "account", entity_code=username,
            summary=t("acct.audit.disable" if disabled else "acct.audit.enable", username=username),
            before=_state(before), after=_state(after),
        )  # fmt: skip
    return after


def disable_user(engine: Engine, username: str, *, actor: str) -> Account:
    """Disable an account: it can no longer sign in, and sees and may do nothing.
    The last enabled admin cannot be disabled."""
    return _set_disabled(engine, username, True, actor)


def enable_user(engine: Engine, username: str, *, actor: str) -> Account:
    """Enable a disabled account again (and lift any lock-out)."""
    return _set_disabled(engine, username, False, actor)


def reset_password(engine: Engine, username: str, password: str, *, actor: str) -> Account:
    """Give an account a new password; any lock-out is lifted."""
    actor = _clean_actor(actor)
    username = str(username).strip().lower()
    password = check_password(password, username)
    digest = _hashed(password)
    with engine.begin() as conn:
        account = _load(conn, username)
        store.update_account(
            conn, username, password_hash=digest, password_changed_at=_now(), failed_count=0,
            locked_until=None,
        )  # fmt: skip
        store.audit(
            conn, actor, "user_password", "account", entity_code=username,
            summary=t("acct.audit.password", username=username),
            before=_state(account), after=_state(account),
        )  # fmt: skip
    return account


def set_role(
    engine: Engine,
    username: str,
    role: Role | str,
    districts: Iterable[str] = (),
    wards: Iterable[str] = (),
    *,
    actor: str,
) -> Account:
    """Change an account's role and units (an area officer needs at least one
    unit, every other role none). The last enabled admin keeps its role."""
    actor = _clean_actor(actor)
    username = str(username).strip().lower()
    role = _clean_role(role)
    district_codes, ward_codes = check_units(role, districts, wards)
    with engine.begin() as conn:
        before = _load(conn, username)
        if role != Role.ADMIN:
            _keep_an_admin(conn, before)
        store.update_account(
            conn, username, role=role.value,
            district_codes=" ".join(sorted(district_codes)), ward_codes=" ".join(sorted(ward_codes)),
        )  # fmt: skip
        after = _account(store.read_account(conn, username))
        store.audit(
            conn, actor, "user_role", "account", entity_code=username,
            summary=t("acct.audit.role", username=username, role=t(f"acct.role.{role.value}")),
            before=_state(before), after=_state(after),
        )  # fmt: skip
    return after


# --------------------------------------------------------------------------
# Signing in and out

_dummy_hashes: dict[tuple, str] = {}


def _dummy_hash(hasher: argon2.PasswordHasher) -> str:
    """A hash of a random password with ``hasher``'s parameters, verified
    against for an unknown username so that it takes as long as a known one."""
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hashed(secrets.token_urlsafe(24), hasher)
    return _dummy_hashes[key]


def _verify(hasher: argon2.PasswordHasher, digest: str, password: str) -> bool:
    try:
        with _hash_slots:
            return hasher.verify(digest, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def authenticate(engine: Engine, username: str, password: str, now: dt.datetime) -> Account:
    """The account that ``username`` and ``password`` sign in to, at ``now``
    (aware, or naive UTC). Every attempt is audited.

    Raises :class:`DomainError` with one message, whatever the reason, for
    an unknown username, a wrong password or a disabled account. The
    :data:`MAX_FAILURES`-th wrong password in a row locks the account for
    :data:`LOCK_MINUTES`; until then every sign-in fails, with the right
    password too, with a message saying until when (Hà Nội time). A successful
    sign-in resets the count, and replaces a hash made with older parameters.
    """
    hasher = HASHER
    at = _stored_time(now)
    name = unicodedata.normalize("NFC", str(username)).strip().lower()
    typed = unicodedata.normalize("NFC", str(password))
    generic = DomainError(t("acct.err.sign_in"))
    known_name = USERNAME_PATTERN.fullmatch(name) is not None

    def check(digest: str | None) -> tuple[bool, str | None]:
        """Whether ``typed`` matches, the same work for a known and an unknown
        username, and a new hash when it matches one made with older parameters."""
        matches = _verify(hasher, digest or _dummy_hash(hasher), typed)
        return matches, (_hashed(typed, hasher) if matches and hasher.check_needs_rehash(digest) else None)

    # The password is checked before the row is locked, so that officers signing
    # in at once wait for no one's hash; SQLite's one write lock is never held for one.
    with engine.connect() as conn:
        checked = store.account_password_hash(conn, name) if known_name else None
    matches, rehashed = check(checked)
    with engine.begin() as conn:
        row = store.read_account(conn, name, for_update=True) if known_name else None
        if row is None:
            # The typed name is not recorded: it may be a password typed in the wrong field.
            store.audit(
                conn, t("acct.unknown_actor"), "sign_in_failed", "account",
                summary=t("acct.audit.failed_unknown"),
            )  # fmt: skip
            outcome = generic
        else:
            digest = store.account_password_hash(conn, name)
            if digest != checked:  # the password was changed while it was being checked
                matches, rehashed = check(digest)
            # The count of wrong passwords is read and written under the row's lock.
            outcome = _attempt(conn, _account(row), row, matches, at, generic)
            if isinstance(outcome, Account) and rehashed is not None:
                store.update_account(conn, name, password_hash=rehashed)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def _attempt(conn, account: Account, row: dict, matches: bool, at: dt.datetime, generic: DomainError):
    """Record one sign-in attempt on a stored account; returns the signed-in
    account, or the error to raise (after the transaction commits)."""

    def failed(summary: str) -> None:
        store.audit(
            conn, account.office, "sign_in_failed", "account", entity_code=account.username, summary=summary
        )

    locked_until = row["locked_until"]
    if locked_until is not None and at < locked_until:
        failed(t("acct.audit.failed_locked"))
        return DomainError(t("acct.err.locked", time=hanoi_time(locked_until)))
    if account.disabled:
        failed(t("acct.audit.failed_disabled"))
        return generic
    if not matches:
        count = row["failed_count"] + 1
        failed(t("acct.audit.failed_password", count=count, max_failures=MAX_FAILURES))
        if count < MAX_FAILURES:
            store.update_account(conn, account.username, failed_count=count)
            return generic
        until = at + dt.timedelta(minutes=LOCK_MINUTES)
        # The lock is the record of these failures; after it the count starts again.
        store.update_account(conn, account.username, failed_count=0, locked_until=until)
        store.audit(
            conn, account.office, "lock_out", "account", entity_code=account.username,
            summary=t("acct.audit.lock_out", username=account.username, time=hanoi_time(until), count=count),
            after={"locked_until": until.replace(tzinfo=dt.UTC).isoformat()},
        )  # fmt: skip
        return DomainError(t("acct.err.locked", time=hanoi_time(until)))
    store.update_account(conn, account.username, failed_count=0, locked_until=None)
    store.audit(
        conn, account.office, "sign_in", "account", entity_code=account.username,
        summary=t("acct.audit.sign_in", username=account.username),
    )  # fmt: skip
    return replace(account, locked_until=None)


def record_sign_out(engine: Engine, username: str, *, idle: bool = False) -> None:
    """Audit a sign-out; ``idle`` when the app signed the session out after
    :data:`IDLE_MINUTES` without any action."""
    username = str(username).strip().lower()
    with engine.begin() as conn:
        account = _load(conn, username)
        summary = (
            t("acct.audit.sign_out_idle", username=username, minutes=IDLE_MINUTES)
            if idle
            else t("acct.audit.sign_out", username=username)
        )
        store.audit(conn, account.office, "sign_out", "account", entity_code=username, summary=summary)
