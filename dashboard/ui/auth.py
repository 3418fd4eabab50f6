"""Sign-in before any page shows data, the signed-in account, idle time-out and sign-out.

Two ways to sign in (``HOTSPOT_AUTH``):

- ``local`` (default): the accounts of the store (:mod:`dashboard.accounts`),
  argon2id passwords, lock-out after repeated failures. The sign-in lives in
  the server-side session only — no cookie is set, so there is no cookie key
  to keep secret, and closing the tab or reloading the page asks to sign in
  again.
- ``oidc``: a single sign-on server through Streamlit's ``st.login`` (set up
  in ``.streamlit/secrets.toml``, see ``.streamlit/secrets.example.toml``).
  The identity's e-mail (or ``preferred_username``) must name an enabled
  account of the store, whose role and units then apply; an identity with no
  account sees nothing.

Every page calls :func:`gate` first (through ``components.page_header``), so
no widget, figure or map is drawn for a caller who is not signed in; ``app.py``
lists only the pages the account's role may open (:func:`pages_for`) and, for
a caller not signed in, none at all.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from dashboard import accounts
from dashboard.accounts import Account
from dashboard.domain import DomainError
from dashboard.i18n import t
from dashboard.ui import data

#: Session keys: the signed-in username and when the session last did anything (UTC).
SESSION_USER = "auth_username"
SESSION_SEEN = "auth_last_seen"

AUTH_MODES = ("local", "oidc")


def auth_mode() -> str:
    mode = os.environ.get("HOTSPOT_AUTH", "local").strip().lower() or "local"
    if mode not in AUTH_MODES:
        raise DomainError(t("auth.err.mode", value=mode, allowed=", ".join(AUTH_MODES)))
    return mode


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _forget() -> None:
    for key in (SESSION_USER, SESSION_SEEN):
        st.session_state.pop(key, None)


def signed_in() -> Account | None:
    """The signed-in account of this session, or None (no widget is drawn)."""
    username = st.session_state.get(SESSION_USER)
    if not username:
        return None
    account = accounts.get_user(data.engine(), username)
    if account is None or account.disabled:
        _forget()
        return None
    return account


def gate() -> Account:
    """The signed-in account; otherwise draw the sign-in (or how to create the
    first account) and stop the run, so nothing else of the page is drawn."""
    if auth_mode() == "oidc":
        return _oidc_gate()
    engine = data.engine()
    if not accounts.has_accounts(engine):
        _no_accounts()
    account = signed_in()
    if account is not None:
        seen = st.session_state.get(SESSION_SEEN)
        now = _now()
        if seen is not None and now - seen > dt.timedelta(minutes=accounts.IDLE_MINUTES):
            accounts.record_sign_out(engine, account.username, idle=True)
            _forget()
            st.warning(t("auth.idle", minutes=accounts.IDLE_MINUTES))
        else:
            st.session_state[SESSION_SEEN] = now
            _account_box(account)
            return account
    _sign_in_form(engine)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


#: The pages each role may open (file names under pages/); the administrator has all.
READ_PAGES = (
    "overview.py",
    "register.py",
    "card.py",
    "follow_up.py",
    "plans.py",
    "area.py",
    "timeline.py",
    "border.py",
    "risk.py",
    "reports.py",
    "present.py",
    "audit.py",
)
WRITE_PAGES = ("edit.py", "notes.py", "data_import.py")
ROLE_PAGES: dict[accounts.Role, tuple[str, ...]] = {
    accounts.Role.ADMIN: (*READ_PAGES, *WRITE_PAGES, "accounts.py"),
    accounts.Role.STAFF: (*READ_PAGES, *WRITE_PAGES),
    accounts.Role.AREA_OFFICER: (*READ_PAGES, *WRITE_PAGES),
    accounts.Role.LEADERSHIP: READ_PAGES,
    accounts.Role.PRESENTER: ("present.py",),
}


def pages_for(account: Account | None, pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The navigation's ``(page file, title)`` pairs for ``account``: those its role
    may open; every page (each then shows the sign-in) while nobody is signed in."""
    if account is None:
        return list(pages)
    allowed = ROLE_PAGES[account.role]
    return [(file, title) for file, title in pages if os.path.basename(file) in allowed]


def allowed_here(account: Account, page_file: str) -> bool:
    """Whether ``account`` may open the page file ``page_file`` (pages/NAME.py)."""
    return os.path.basename(page_file) in ROLE_PAGES[account.role]


def _no_accounts() -> None:
    st.title(t("app.title"))
    st.info(t("auth.no_accounts"))
    st.code(t("auth.first_admin_command"), language="bash")
    st.stop()


def _sign_in_form(engine) -> None:
    st.title(t("auth.heading"))
    st.caption(t("app.caption"))
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input(t("auth.username"), key="sign_in_username")
        password = st.text_input(t("auth.password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        try:
            account = accounts.authenticate(engine, username, password, _now())
        except DomainError as exc:
            from dashboard.ui.components import plain

            st.error(plain(str(exc)))
            return
        st.session_state[SESSION_USER] = account.username
        st.session_state[SESSION_SEEN] = _now()
        st.session_state.pop("sign_in_password", None)
        st.rerun()
    st.caption(t("auth.note", minutes=accounts.IDLE_MINUTES))
    from dashboard.ui.components import warm_up_charts

    warm_up_charts()


def _account_box(account: Account) -> None:
    from dashboard.ui.components import plain

    box = st.sidebar.container(border=True)
    box.markdown(f"**{plain(account.username)}** · {plain(t(f'acct.role.{account.role.value}'))}")
    box.caption(plain(account.office))
    if box.button(t("auth.sign_out"), key="sign_out", width="stretch"):
        if auth_mode() == "local":
            accounts.record_sign_out(data.engine(), account.username)
            _forget()
            st.rerun()
        else:
            accounts.record_sign_out(data.engine(), account.username)
            _forget()
            st.logout()


def _oidc_gate() -> Account:
    """Single sign-on: ``st.login`` identifies the person; the store's account of
    that identity decides the role and the units."""
    user = st.user
    if not getattr(user, "is_logged_in", False):
        st.title(t("auth.heading"))
        st.caption(t("app.caption"))
        if st.button(t("auth.oidc_sign_in"), type="primary"):
            st.login()
        st.stop()
    identity = str(user.get("preferred_username") or user.get("email") or "").strip().lower()
    username = identity.split("@")[0] if "@" in identity else identity
    engine = data.engine()
    account = accounts.get_user(engine, username) if username else None
    if account is None or account.disabled:
        st.error(t("auth.oidc_no_account", identity=identity or "—"))
        if st.button(t("auth.sign_out")):
            st.logout()
        st.stop()
    if st.session_state.get(SESSION_USER) != account.username:
        from dashboard import store

        with engine.begin() as conn:
            store.audit(conn, account.office, "sign_in", "account", entity_code=account.username,
                        summary=t("auth.oidc_audit", username=account.username))  # fmt: skip
        st.session_state[SESSION_USER] = account.username
    st.session_state[SESSION_SEEN] = _now()
    _account_box(account)
    return account


def require_secrets() -> None:
    """Refuse to start, with a message, when a setting is unknown or malformed
    (sign-in, basemap, a pinned today) or the chosen sign-in lacks a secret it needs."""
    try:
        mode = auth_mode()
        data.settings()  # the basemap and a pinned today: every page needs them
        data.today()
    except DomainError as exc:
        st.error(str(exc))
        st.stop()
    if mode != "oidc":
        return
    try:
        auth = st.secrets.get("auth", {})
    except FileNotFoundError:
        auth = {}
    missing = [key for key in ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                               "server_metadata_url") if not auth.get(key)]  # fmt: skip
    if missing:
        st.error(t("auth.err.secrets", keys=", ".join(missing)))
        st.stop()
