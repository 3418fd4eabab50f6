"""Signing in before any page shows data, idle time-out, sign-out, and what each role sees."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from pagetest import ADMIN, OFFICE, ROOT, TEST_PASSWORD, ensure_account, run_page, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import accounts, store
from dashboard.accounts import Role
from dashboard.domain import UnitLevel
from dashboard.i18n import t
from dashboard.scope import Scope
from dashboard.ui import auth, components

DISTRICT = "002"  # Quận Hoàn Kiếm (former district)


def names_shown(at: AppTest) -> set[str]:
    """Every text cell of every table on the page."""
    shown = set()
    for frame in at.dataframe:
        for column in frame.value.columns:
            shown |= {str(v) for v in frame.value[column]}
    return shown


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/area.py", "pages/border.py", "pages/risk.py",
                                  "pages/reports.py", "pages/present.py", "pages/audit.py"])  # fmt: skip
def test_signed_out_no_page_shows_data(page_store, page):
    at = run_page(page, user=None)
    assert [i.label for i in at.text_input] == [t("auth.username"), t("auth.password")]
    assert at.title[0].value == t("auth.heading")
    assert not at.metric and not at.dataframe
    assert [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")] == [[]]  # the warm-up's
    assert not at.get("iframe") and not at.get("deckgl_json_chart")
    body = " ".join(str(m.value) for m in at.markdown)
    assert not any(name in body for name in store.read_hotspots(page_store, Scope.city())["name"])


def test_the_sign_in_form_starts_the_charts_while_the_officer_types(page_store):
    at = run_page("pages/overview.py", user=None)
    (warm_up,) = at.get("plotly_chart")
    assert warm_up.proto.id.endswith(f"-{components.WARM_UP_KEY}_chart")
    assert json.loads(warm_up.proto.spec)["data"] == []
    config = json.loads(warm_up.proto.config)
    assert config["staticPlot"] is True and config["locale"] == "vi"
    assert f".st-key-{components.WARM_UP_KEY} {{ display: none; }}" in components.APP_CSS
    at.text_input(key="sign_in_username").set_value(ADMIN)
    at.text_input(key="sign_in_password").set_value(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 2 and all(json.loads(c.proto.spec)["data"] for c in charts)
    assert not [c for c in charts if components.WARM_UP_KEY in c.proto.id]


def test_a_store_without_accounts_shows_how_to_make_one_and_nothing_else(page_store):
    with page_store.begin() as conn:
        conn.execute(store.account.delete())
    at = run_page("pages/overview.py", user=None)
    assert [i.value for i in at.info] == [t("auth.no_accounts")]
    assert [c.value for c in at.code] == [t("auth.first_admin_command")]
    assert not at.text_input and not at.metric


def test_signing_in_with_the_form_then_out(page_store):
    at = run_page("pages/overview.py", user=None)
    at.text_input(key="sign_in_username").set_value(ADMIN)
    at.text_input(key="sign_in_password").set_value(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("overview.heading")
    assert at.metric  # the figures show once signed in
    assert at.session_state[auth.SESSION_USER] == ADMIN
    actions = store.read_audit(page_store, Scope.city())["action"].tolist()
    assert actions[0] == "sign_in"

    at.button(key="sign_out").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("auth.heading") and not at.metric
    assert store.read_audit(page_store, Scope.city())["action"].iloc[0] == "sign_out"


def test_a_wrong_password_gets_the_one_message_and_nothing(page_store):
    at = run_page("pages/overview.py", user=None)
    at.text_input(key="sign_in_username").set_value(ADMIN)
    at.text_input(key="sign_in_password").set_value("sai-mat-khau-hoan-toan")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [t("acct.err.sign_in")]
    assert not at.metric
    assert store.read_audit(page_store, Scope.city())["action"].iloc[0] == "sign_in_failed"


def test_a_session_idle_past_the_limit_signs_in_again(page_store):
    at = AppTest.from_file(str(ROOT / "pages/overview.py"), default_timeout=180)
    sign_in(at)
    at.session_state[auth.SESSION_SEEN] = dt.datetime.now(dt.UTC) - dt.timedelta(
        minutes=accounts.IDLE_MINUTES + 1
    )
    at.run()
    assert next(w.value for w in at.warning) == t("auth.idle", minutes=accounts.IDLE_MINUTES)
    assert at.title[0].value == t("auth.heading") and not at.metric
    entry = store.read_audit(page_store, Scope.city()).iloc[0]
    assert entry["action"] == "sign_out" and str(accounts.IDLE_MINUTES) in entry["summary"]


@pytest.fixture
def officer(page_store) -> str:
    """An area officer of former district 002 (Hoàn Kiếm)."""
    return ensure_account(
        os.environ["DATABASE_URL"], "kiem-thu-hoankiem", Role.AREA_OFFICER, "Phòng LĐTBXH Quận Hoàn Kiếm",
        districts=(DISTRICT,),
    )  # fmt: skip


def test_an_area_officer_sees_only_their_area(page_store, officer):
    every = store.read_hotspots(page_store, Scope.city())
    mine = every[(every["district_code"] == DISTRICT) | every["ward_code"].isin([])]
    others = set(every["name"]) - set(mine["name"])
    at = run_page("pages/area.py", user=officer)
    at.radio(key="area_level").set_value(UnitLevel.DISTRICT).run()
    # A crafted choice of another former district shows nothing of it.
    at.selectbox(key="area_unit_district").set_value("001").run()
    assert not at.exception, at.exception
    assert not (names_shown(at) & others)
    at.selectbox(key="area_unit_district").set_value(DISTRICT).run()
    shown = names_shown(at)
    assert shown & set(mine["name"]) and not (shown & others)


def test_a_presenter_opens_the_presentation_only_and_its_public_version(page_store):
    presenter = ensure_account(os.environ["DATABASE_URL"], "kiem-thu-trinh-chieu", Role.PRESENTER, OFFICE)
    at = run_page("pages/overview.py", user=presenter)
    assert [e.value for e in at.error] == [t("auth.err.page", role=t("acct.role.presenter"))]
    assert not at.metric
    at = run_page("pages/present.py", user=presenter)
    assert at.checkbox(key="present_public_fixed").value is True
    nav = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180), presenter)
    nav.session_state[auth.SESSION_USER] = presenter
    nav.run()
    assert not nav.exception, nav.exception
    with pytest.raises(ValueError):  # app.py did not register the overview for a presenter
        nav.switch_page("pages/overview.py")


def test_leadership_reads_but_records_nothing(page_store):
    lead = ensure_account(os.environ["DATABASE_URL"], "kiem-thu-lanh-dao", Role.LEADERSHIP, OFFICE)
    at = run_page("pages/overview.py", user=lead)
    assert at.metric
    at = run_page("pages/edit.py", user=lead)
    assert [e.value for e in at.error] == [t("auth.err.page", role=t("acct.role.leadership"))]


def test_the_administrator_adds_an_account_on_the_accounts_page(page_store, monkeypatch):
    from pagetest import CHEAP_HASHER

    monkeypatch.setattr(accounts, "HASHER", CHEAP_HASHER)
    at = run_page("pages/accounts.py")
    assert ADMIN in names_shown(at)
    at.text_input(key="acct_new_username").set_value("ld-tayho-01")
    at.text_input(key="acct_new_office").set_value("Phòng LĐTBXH Quận Tây Hồ")
    at.selectbox(key="acct_new_role").set_value(Role.LEADERSHIP)
    at.text_input(key="acct_new_pw1").set_value("mot-mat-khau-du-dai")
    at.text_input(key="acct_new_pw2").set_value("mot-mat-khau-du-dai")
    at.button(key="acct_new_save").click().run()
    assert not at.exception, at.exception
    made = accounts.get_user(page_store, "ld-tayho-01")
    assert made is not None and made.role == Role.LEADERSHIP
    assert "ld-tayho-01" in names_shown(at)


def test_an_area_officer_reports_on_their_own_units_only(page_store, officer):
    at = run_page("pages/reports.py", user=officer)
    assert not at.exception, at.exception
    picker = at.selectbox(key="report_own_unit")
    assert picker.options == ["Quận Hoàn Kiếm"]  # no city-wide report, no other unit
    assert "report_scope" not in [r.key for r in at.radio]
    every = store.read_hotspots(page_store, Scope.city())
    others = set(every.loc[every["district_code"] != DISTRICT, "name"])
    assert not (names_shown(at) & others)


def test_single_sign_on_without_its_secrets_refuses_to_start(page_store, monkeypatch):
    monkeypatch.setenv("HOTSPOT_AUTH", "oidc")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.secrets["auth"] = {"redirect_uri": "https://ban-do.example/oauth2callback", "client_id": "x"}
    at.run()
    missing = "cookie_secret, client_secret, server_metadata_url"
    assert [e.value for e in at.error] == [t("auth.err.secrets", keys=missing)]
    assert not at.metric and not at.text_input


def test_an_unknown_sign_in_mode_is_a_readable_error(page_store, monkeypatch):
    monkeypatch.setenv("HOTSPOT_AUTH", "ldap")
    at = run_page("pages/overview.py")
    assert [e.value for e in at.error] == [t("auth.err.mode", value="ldap", allowed="local, oidc")]
    assert not at.metric


def test_the_app_refuses_an_unknown_sign_in_mode_before_anything_else(page_store, monkeypatch):
    monkeypatch.setenv("HOTSPOT_AUTH", "ldap")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("auth.err.mode", value="ldap", allowed="local, oidc")]


@pytest.mark.parametrize(
    ("name", "value", "key"),
    [("HOTSPOT_TODAY", "2026-11-20", "err.today_setting"), ("HOTSPOT_TILES", "ve-tinh", "err.tiles")],
)
def test_a_malformed_setting_is_a_readable_error_before_anything_else(
    page_store, monkeypatch, name, value, key
):
    monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t(key, value=value)]
    assert not at.metric and not at.text_input
