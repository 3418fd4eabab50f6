"""The audit page (Hà Nội time, filters, the administrator's .xlsx export),
recorded exports (reports page, deck, command line) and the command line's
``--user``: sign-in, scope, presenter limits, and no password anywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import argon2
import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from pagetest import ensure_account, run_page

from dashboard import accounts, cli, exports, queries, store, views
from dashboard.accounts import Role
from dashboard.cli_users import CLI_ACTOR
from dashboard.domain import UnitLevel
from dashboard.filters import Filters
from dashboard.i18n import parse_date, t
from dashboard.reports import documents
from dashboard.scope import Scope
from dashboard.ui import audit, data
from dashboard.ui import reports as rep

D = dt.date
PASSWORD = "mật khẩu cán bộ địa bàn 2026"
OFFICER, PRESENTER, ADMIN = "ld-hoankiem-01", "trinh-chieu-01", "quan-tri-01"
OFFICER_OFFICE = "Phòng LĐTBXH Quận Hoàn Kiếm"
DISTRICT = "002"
GENERIC = t("acct.err.sign_in")


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def add_entry(engine, at: dt.datetime, actor="Sở LĐTBXH Hà Nội", action="status_change", entity="hotspot",
              code="TD-007", summary="một thay đổi") -> None:  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            store.audit_log.insert().values(
                at=at, actor=actor, action=action, entity=entity, entity_code=code, summary=summary
            )
        )


@pytest.fixture
def cli_store(store_copy, monkeypatch):
    """A writable sample store for the command line, with an area officer, a presenter and an admin."""
    monkeypatch.setenv("DATABASE_URL", store_copy)
    monkeypatch.setenv(cli.PASSWORD_VARIABLE, PASSWORD)
    engine = store.open_store(store_copy)
    for username, office, role, districts in (
        (OFFICER, OFFICER_OFFICE, Role.AREA_OFFICER, [DISTRICT]),
        (PRESENTER, "Văn phòng Ban chỉ đạo 138", Role.PRESENTER, []),
        (ADMIN, "Sở LĐTBXH Hà Nội", Role.ADMIN, []),
    ):
        accounts.add_user(engine, username, PASSWORD, office, role, districts, actor=CLI_ACTOR)
    yield engine
    engine.dispose()


def exports_of(engine) -> list[dict]:
    return [r for r in audit_rows(engine) if r["action"] == "export"]


# --------------------------------------------------------------------------
# Hà Nội time


def test_a_utc_entry_reads_in_hanoi_time():
    assert exports.fmt_hanoi(dt.datetime(2026, 12, 1, 22, 13, 5)) == "02/12/2026 05:13:05"
    assert exports.fmt_hanoi(dt.datetime(2026, 12, 1, 22, 13, tzinfo=dt.UTC)) == "02/12/2026 05:13:00"
    shown = exports.hanoi_times(pd.Series(pd.to_datetime(["2026-12-01 22:13:00", "2026-06-30 17:00:00"])))
    assert shown.tolist() == [pd.Timestamp("2026-12-02 05:13:00"), pd.Timestamp("2026-07-01 00:00:00")]


def test_audit_page_shows_hanoi_time(page_store):
    add_entry(page_store, dt.datetime(2026, 12, 1, 22, 13), summary="đánh dấu giờ")
    at = run_page("pages/audit.py")
    table = at.dataframe[0].value
    row = table[table[t("audit.col.summary")] == "đánh dấu giờ"].iloc[0]
    assert row[t("auditui.col.at")] == pd.Timestamp("2026-12-02 05:13:00")
    assert t("auditui.col.at") == "Thời điểm (giờ Hà Nội)"
    # The period is in Hà Nội dates: 01/12/2026 (UTC) is 02/12/2026 there.
    at.date_input(key="audit_range").set_value((D(2026, 12, 2), D(2026, 12, 2))).run()
    assert "đánh dấu giờ" in at.dataframe[0].value[t("audit.col.summary")].tolist()
    at.date_input(key="audit_range").set_value((D(2026, 12, 1), D(2026, 12, 1))).run()
    shown = at.dataframe[0].value[t("audit.col.summary")].tolist() if at.dataframe else []
    assert "đánh dấu giờ" not in shown


# --------------------------------------------------------------------------
# Filters


def _log() -> pd.DataFrame:
    at = pd.to_datetime
    return pd.DataFrame(
        [
            (1, at("2026-11-30 17:30"), "Sở LĐTBXH Hà Nội", "status_change", "hotspot", "TD-007", "a"),
            (2, at("2026-11-30 16:30"), OFFICER_OFFICE, "sign_in", "account", OFFICER, "b"),
            (3, at("2026-11-29 10:00"), OFFICER_OFFICE, "sign_in_failed", "account", OFFICER, "c"),
            (4, at("2026-11-29 10:05"), OFFICER_OFFICE, "lock_out", "account", OFFICER, "d"),
            (5, at("2026-11-28 09:00"), "Sở LĐTBXH Hà Nội", "export", "export", "quan-tri-01", "e"),
            (6, at("2026-11-28 08:00"), OFFICER_OFFICE, "denied", "hotspot", "TD-016", "f"),
            (7, at("2026-11-27 08:00"), CLI_ACTOR, "user_add", "account", "ld-td-007", "g"),
            (8, at("2026-11-26 08:00"), "UBND Phường Hoàn Kiếm", "activity_add", "hotspot", "TD-016", "h"),
        ],
        columns=["id", "at", "actor", "action", "entity", "entity_code", "summary"],
    )


@pytest.mark.parametrize(
    ("kinds", "ids"),
    [
        ({"sign_in"}, [2]),
        ({"sign_in_failed"}, [3]),
        ({"lock_out"}, [4]),
        ({"export"}, [5]),
        ({"denied"}, [6]),
        ({"data"}, [1, 8]),
        ({"accounts"}, [7]),
        ({"sign_in_failed", "lock_out"}, [3, 4]),
    ],
)
def test_filter_by_kind_of_action(kinds, ids):
    f = audit.AuditFilter(kinds=frozenset(kinds))
    assert audit.filter_log(_log(), f)["id"].tolist() == ids


def test_filter_by_account_office_code_and_hanoi_period():
    log = _log()

    def ids(**kw):
        return audit.filter_log(log, audit.AuditFilter(**kw))["id"].tolist()

    assert ids(who="hoàn kiếm") == [2, 3, 4, 6, 8]  # office, any case
    assert ids(who="QUAN-TRI") == [5]  # the username of an export
    assert ids(code="td-007") == [1]  # a hotspot code, not the username "ld-td-007"
    assert ids(code="TD-016", who="Phòng") == [6]
    # 30/11/2026 17:30 UTC is 01/12/2026 00:30 in Hà Nội; 16:30 UTC is still 30/11 there.
    assert ids(start=D(2026, 12, 1), end=D(2026, 12, 1)) == [1]
    assert ids(start=D(2026, 11, 29), end=D(2026, 11, 30)) == [2, 3, 4]
    assert audit.kind_of("a_future_change") == "data"
    assert audit.action_label("sign_in_failed") == t("auditui.action.sign_in_failed")
    assert audit.action_label("denied") == t("audit.action.denied")


def test_audit_page_filters_by_kind_and_account(page_store):
    add_entry(page_store, dt.datetime(2026, 11, 1, 3, 0), actor=OFFICER_OFFICE, action="sign_in_failed",
              entity="account", code=OFFICER, summary="sai mật khẩu")  # fmt: skip
    at = run_page("pages/audit.py")
    at.multiselect(key="audit_kinds").set_value(["sign_in_failed"]).run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value[t("audit.col.summary")].tolist() == ["sai mật khẩu"]
    at.multiselect(key="audit_kinds").set_value(list(audit.KINDS)).run()
    at.text_input(key="audit_who").set_value("hoàn kiếm").run()
    assert at.dataframe[0].value[t("audit.col.summary")].tolist() == ["sai mật khẩu"]


# --------------------------------------------------------------------------
# The administrator's export of the log


def test_admin_export_has_no_formula_and_is_audited(page_store, monkeypatch):
    add_entry(page_store, dt.datetime(2026, 12, 1, 22, 13), actor='=HYPERLINK("http://x")',
              summary="+SUM(A1:A9)", code="@TD")  # fmt: skip
    admin = ensure_account(os.environ["DATABASE_URL"], ADMIN)
    account = accounts.get_user(page_store, admin)
    monkeypatch.setattr(data, "engine", lambda: page_store)
    log = store.read_audit(page_store, Scope.city())
    f = audit.AuditFilter(start=D(2026, 1, 1), end=D(2026, 12, 31))
    shown = audit.filter_log(log, f)
    content = audit.export_bytes(shown, f, account, Scope.city())

    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {'=HYPERLINK("http://x")', "+SUM(A1:A9)", "@TD"} <= values  # kept as text
    assert ws.cell(row=1, column=1).value == t("auditui.col.at")
    assert dt.datetime(2026, 12, 2, 5, 13) in values  # Hà Nội time
    assert ws["A2"].number_format == exports.XLSX_TIME_FORMAT
    assert ws.max_row == len(shown) + 1

    (entry,) = exports_of(page_store)
    assert (entry["actor"], entry["entity"], entry["entity_code"]) == (account.office, "export", ADMIN)
    assert t("auditui.what.audit") in entry["summary"] and ADMIN in entry["summary"]
    assert "01/01/2026–31/12/2026" in entry["summary"]


def test_export_button_for_administrators_only(page_store):
    at = run_page("pages/audit.py")
    assert [b.proto.label for b in at.get("download_button")] == [t("auditui.download")]

    url = os.environ["DATABASE_URL"]
    ensure_account(url, OFFICER, Role.AREA_OFFICER, OFFICER_OFFICE, districts=(DISTRICT,))
    at = run_page("pages/audit.py", user=OFFICER)
    assert not at.get("download_button")
    mine = set(store.read_hotspots(page_store, Scope(frozenset({DISTRICT}), frozenset()))["code"])
    if at.dataframe:
        assert set(at.dataframe[0].value[t("audit.col.code")]) <= mine
    ensure_account(url, "lanh-dao-01", Role.LEADERSHIP)
    assert not run_page("pages/audit.py", user="lanh-dao-01").get("download_button")


# --------------------------------------------------------------------------
# Reports page and deck downloads are exports; reading on screen is not


def test_report_download_on_the_reports_page_is_audited(cli_store, monkeypatch):
    officer = accounts.get_user(cli_store, OFFICER)
    scope = accounts.scope_of(officer)
    monkeypatch.setattr(data, "engine", lambda: cli_store)
    monkeypatch.setattr(data, "current_account", lambda: officer)
    monkeypatch.setattr(data, "current_scope", lambda: scope)
    ds = queries.load_dataset(cli_store, scope)
    unit = views.Unit(UnitLevel.DISTRICT, DISTRICT)
    b = views.monthly_briefing(ds, D(2020, 9, 1), unit, scope, today=D(2026, 11, 20))

    def doc_for(images: bool = True):
        return documents.monthly_document(b, public_version=True, sample=True, images=images)

    doc_for(images=False)  # what the page shows on screen: no export
    assert exports_of(cli_store) == []
    content = rep._build(doc_for, ".xlsx")
    assert content[:2] == b"PK"
    (entry,) = exports_of(cli_store)
    assert (entry["actor"], entry["entity_code"]) == (OFFICER_OFFICE, OFFICER)
    summary = doc_for(images=False).letterhead.summary
    assert summary in entry["summary"] and t("auditui.export.public") in entry["summary"]
    assert json.loads(entry["after"])["scope"] == {"districts": [DISTRICT], "wards": []}


# --------------------------------------------------------------------------
# The command line


def test_cli_report_without_user_is_audited_as_the_server_admin(cli_store, tmp_path, capsys):
    out = tmp_path / "giao-ban.xlsx"
    assert cli.main(["report", "monthly", "--month", "09/2020", "--out", str(out)]) == 0
    (entry,) = exports_of(cli_store)
    assert entry["actor"] == CLI_ACTOR and entry["entity_code"] is None
    assert "09" in entry["summary"] and "2020" in entry["summary"]
    assert t("auditui.export.full") in entry["summary"] and t("auditui.export.scope_city") in entry["summary"]
    assert cli.main(["report", "monthly", "--month", "09/2020", "--json"]) == 0  # only read: no export
    assert len(exports_of(cli_store)) == 1


def test_area_officer_exports_only_their_area(cli_store, tmp_path, capsys):
    out = tmp_path / "hoat-dong.xlsx"
    assert cli.main(["--user", OFFICER, "export", "activities", "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    mine = store.read_activities(cli_store, Scope(frozenset({DISTRICT}), frozenset()))
    city = store.read_activities(cli_store, Scope.city())
    assert 0 < len(rows) == len(mine) < len(city)
    codes = set(store.read_hotspots(cli_store, Scope(frozenset({DISTRICT}), frozenset()))["code"])
    assert {r[2] for r in rows if r[2]} <= codes
    entry = exports_of(cli_store)[-1]
    assert (entry["actor"], entry["entity_code"]) == (OFFICER_OFFICE, OFFICER)
    assert [r["action"] for r in audit_rows(cli_store)][-2:] == ["sign_in", "export"]

    # --user after the command works too
    assert cli.main(["export", "activities", "--out", str(out), "--user", OFFICER]) == 0
    assert len(exports_of(cli_store)) == 2


def test_area_officer_reads_their_scope_and_no_other_unit(cli_store, tmp_path, capsys):
    argv = ["summary", "--plan-year", "2020", "--as-of", "30/06/2020", "--json"]
    assert cli.main(["--user", OFFICER, *argv]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert cli.main(argv) == 0
    city = json.loads(capsys.readouterr().out)
    ds = queries.load_dataset(cli_store, Scope(frozenset({DISTRICT}), frozenset()))
    k = queries.plan_kpis(ds, Filters.for_year(2020, parse_date("30/06/2020")))
    assert mine["activities"] == k.activities < city["activities"]

    out = tmp_path / "giao-ban.xlsx"
    other = "003"
    for unit in (["--unit", other], []):  # another district, or the city
        argv = ["report", "monthly", "--month", "09/2020", *unit, "--out", str(out), "--user", OFFICER]
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert OFFICER in err and "không được xem báo cáo" in err
    assert not out.exists()
    assert exports_of(cli_store) == []
    argv = ["report", "monthly", "--month", "09/2020", "--unit", DISTRICT, "--out", str(out)]
    argv += ["--user", OFFICER]
    assert cli.main(argv) == 0 and out.exists()
    assert exports_of(cli_store)[-1]["entity_code"] == OFFICER


def test_wrong_password_exits_2_with_the_generic_message(cli_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(cli.PASSWORD_VARIABLE, "không phải mật khẩu này")
    out = tmp_path / "x.xlsx"
    assert cli.main(["--user", OFFICER, "export", "activities", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"Lỗi: {GENERIC}"
    assert not out.exists()
    last = audit_rows(cli_store)[-1]
    assert (last["action"], last["entity_code"]) == ("sign_in_failed", OFFICER)
    assert cli.main(["--user", "khong-co-ai", "summary", "--plan-year", "2020"]) == 2
    assert capsys.readouterr().err.strip() == f"Lỗi: {GENERIC}"
    assert audit_rows(cli_store)[-1]["action"] == "sign_in_failed"
    assert "không phải mật khẩu này" not in json.dumps(audit_rows(cli_store), default=str, ensure_ascii=False)


def test_password_is_asked_without_echo_when_not_in_the_environment(cli_store, capsys, monkeypatch):
    monkeypatch.delenv(cli.PASSWORD_VARIABLE)
    asked = []
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    assert cli.main(["--user", OFFICER, "risk", "--json"]) == 0
    assert asked == [t("auditui.cli.prompt", username=OFFICER)]
    codes = {h["code"] for h in json.loads(capsys.readouterr().out)["hotspots"]}
    assert codes == set(store.read_hotspots(cli_store, Scope(frozenset({DISTRICT}), frozenset()))["code"])


def test_presenter_gets_public_files_only(cli_store, tmp_path, capsys):
    deck = tmp_path / "trinh-chieu.pptx"
    assert cli.main(["--user", PRESENTER, "report", "deck", "--public", "--out", str(deck)]) == 0
    assert deck.read_bytes()[:2] == b"PK"
    entry = exports_of(cli_store)[-1]
    assert entry["entity_code"] == PRESENTER and t("auditui.export.public") in entry["summary"]

    report = tmp_path / "giao-ban.xlsx"
    refused = [
        ["report", "deck", "--out", str(tmp_path / "full.pptx")],
        ["report", "monthly", "--month", "09/2020", "--out", str(report)],
        ["report", "monthly", "--month", "09/2020", "--public", "--json"],
        ["summary", "--plan-year", "2020"],
        ["export", "activities", "--out", str(report)],
    ]
    for argv in refused:
        assert cli.main(["--user", PRESENTER, *argv]) == 2, argv
        assert "chỉ được xuất bản công khai" in capsys.readouterr().err
    assert not report.exists() and not (tmp_path / "full.pptx").exists()
    argv = ["--user", PRESENTER, "report", "monthly", "--month", "09/2020", "--public", "--out", str(report)]
    assert cli.main(argv) == 0 and report.exists()


def test_user_is_refused_where_it_does_not_apply(cli_store, capsys):
    assert cli.main(["--user", ADMIN, "risk-backtest"]) == 2
    assert "--user" in capsys.readouterr().err


def test_password_never_in_the_audit_log_or_output(cli_store, tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    for argv in (
        ["--user", ADMIN, "summary", "--plan-year", "2020", "--json"],
        ["--user", OFFICER, "export", "activities", "--out", str(out)],
        ["--user", OFFICER, "report", "quarterly", "--year", "2020", "--quarter", "3", "--unit", DISTRICT,
         "--out", str(out), "--json"],
    ):  # fmt: skip
        assert cli.main(argv) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err + json.dumps(audit_rows(cli_store), default=str, ensure_ascii=False)
    assert PASSWORD not in text and "$argon2" not in text
    assert {"sign_in", "export"} <= {r["action"] for r in audit_rows(cli_store)}
