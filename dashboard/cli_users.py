"""``python -m dashboard user …``: local accounts (see :mod:`dashboard.accounts`).

- ``user add USERNAME --office "…" --role ROLE [--district CODE …] [--ward CODE …]``
- ``user list [--json]`` (never a password or its hash)
- ``user disable USERNAME`` / ``user enable USERNAME`` (enabling also lifts a lock-out)
- ``user reset-password USERNAME``
- ``user set-role USERNAME --role ROLE [--district CODE …] [--ward CODE …]``

ROLE is ``admin``, ``staff``, ``leadership``, ``area_officer`` or ``presenter``;
``--district`` takes former district codes (3 digits) and ``--ward`` ward codes
(5 digits), for an area officer only. USERNAME is an identifier such as
``ld-hoankiem-01``, never a person's name; ``--office`` names the office the
account belongs to.

A new password is read from the environment variable ``HOTSPOT_NEW_PASSWORD``
when it is set (for scripts), otherwise typed twice without echo.

These commands act as the machine's administrator: whoever can run commands
on the server can read the store anyway, so they ask for no sign-in. Their
audit-log actor is :data:`CLI_ACTOR`. The first administrator is created this
way::

    python -m dashboard user add admin --office "Sở LĐTBXH Hà Nội" --role admin
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os

from dashboard import accounts, store
from dashboard.config import HANOI, Settings
from dashboard.domain import DomainError
from dashboard.i18n import fmt_date, t
from dashboard.sample import ensure_data

#: The audit-log actor of every ``user`` command.
CLI_ACTOR = "quản trị máy chủ (dòng lệnh)"
#: Environment variable holding the new password, for scripts.
PASSWORD_VARIABLE = "HOTSPOT_NEW_PASSWORD"


def _engine():
    engine = store.open_store(Settings.from_env().database_url)
    # A new store gets its sample data first, as on the app's first start (the
    # account's audit entry would otherwise mark it as a store with a history).
    ensure_data(engine)
    return engine


def _new_password(username: str) -> str:
    from_env = os.environ.get(PASSWORD_VARIABLE)
    if from_env is not None:
        return from_env
    first = getpass.getpass(t("acct.cli.prompt", username=username))
    if getpass.getpass(t("acct.cli.prompt_again")) != first:
        raise DomainError(t("acct.err.password_mismatch"))
    return first


def _role(account: accounts.Account) -> str:
    return t(f"acct.role.{account.role.value}")


def _add(args) -> int:
    username = accounts.clean_username(args.username)
    role = accounts.Role(args.role)
    accounts.check_units(role, args.district, args.ward)  # before asking for a password
    password = _new_password(username)
    account = accounts.add_user(
        _engine(), username, password, args.office, role, args.district, args.ward, actor=CLI_ACTOR
    )
    print(t("acct.cli.added", username=account.username, role=_role(account)))
    return 0


def _state(account: accounts.Account) -> str:
    if account.disabled:
        return t("acct.cli.state_disabled")
    if account.locked_until and account.locked_until > dt.datetime.now(dt.UTC):
        local = account.locked_until.astimezone(HANOI)
        return t("acct.cli.state_locked", time=f"{local:%H:%M} {fmt_date(local)}")
    return t("acct.cli.state_active")


def _list(args) -> int:
    users = accounts.list_users(_engine())
    if args.json:
        print(json.dumps([u.as_dict() for u in users], ensure_ascii=False, indent=2))
        return 0
    if not users:
        print(t("acct.cli.none"))
    for user in users:
        units = " ".join(sorted(user.district_codes) + sorted(user.ward_codes))
        parts = [f"{user.username:24}", f"{_role(user):20}", user.office, _state(user)]
        if units:
            parts.append(t("acct.cli.units", units=units))
        print("  ".join(parts))
    return 0


def _disable(args) -> int:
    account = accounts.disable_user(_engine(), args.username, actor=CLI_ACTOR)
    print(t("acct.cli.disabled", username=account.username))
    return 0


def _enable(args) -> int:
    account = accounts.enable_user(_engine(), args.username, actor=CLI_ACTOR)
    print(t("acct.cli.enabled", username=account.username))
    return 0


def _reset_password(args) -> int:
    engine = _engine()
    username = args.username.strip().lower()
    if accounts.get_user(engine, username) is None:  # before asking for a password
        raise DomainError(t("acct.err.unknown", username=username))
    account = accounts.reset_password(engine, username, _new_password(username), actor=CLI_ACTOR)
    print(t("acct.cli.password", username=account.username))
    return 0


def _set_role(args) -> int:
    account = accounts.set_role(
        _engine(), args.username, args.role, args.district, args.ward, actor=CLI_ACTOR
    )
    print(t("acct.cli.role", username=account.username, role=_role(account)))
    return 0


def _units(parser) -> None:
    parser.add_argument(
        "--district", nargs="+", action="extend", default=[], metavar="CODE",
        help="mã quận, huyện cũ (3 chữ số), cho cán bộ địa bàn",
    )  # fmt: skip
    parser.add_argument(
        "--ward", nargs="+", action="extend", default=[], metavar="CODE",
        help="mã phường, xã (5 chữ số), cho cán bộ địa bàn",
    )  # fmt: skip


def add_parser(sub) -> None:
    """Add the ``user`` command to the main parser's subparsers."""
    roles = [role.value for role in accounts.Role]
    user = sub.add_parser("user", help="tài khoản đăng nhập: tạo, liệt kê, khóa, mật khẩu, vai trò")
    actions = user.add_subparsers(dest="user_action", required=True)

    add = actions.add_parser("add", help="tạo tài khoản (mật khẩu từ HOTSPOT_NEW_PASSWORD hoặc nhập hai lần)")
    add.add_argument("username", help="tên đăng nhập, ví dụ ld-hoankiem-01 (không dùng họ tên người)")
    add.add_argument("--office", required=True, help="cơ quan của tài khoản, không phải họ tên người")
    add.add_argument("--role", choices=roles, required=True)
    _units(add)
    add.set_defaults(run=_add)

    listing = actions.add_parser("list", help="liệt kê tài khoản (không có mật khẩu)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)

    for name, run, text in (
        ("disable", _disable, "vô hiệu hóa tài khoản"),
        ("enable", _enable, "bật lại tài khoản (và gỡ tạm khóa)"),
        ("reset-password", _reset_password, "đặt lại mật khẩu (và gỡ tạm khóa)"),
    ):
        cmd = actions.add_parser(name, help=text)
        cmd.add_argument("username")
        cmd.set_defaults(run=run)

    role = actions.add_parser("set-role", help="đổi vai trò và địa bàn của tài khoản")
    role.add_argument("username")
    role.add_argument("--role", choices=roles, required=True)
    _units(role)
    role.set_defaults(run=_set_role)
