"""Widgets of the accounts page (administrators): list, add, change role, reset, lock."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import accounts
from dashboard.accounts import Account, Role
from dashboard.domain import DomainError, UnitLevel
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.ui import components as ui


def table(engine) -> list[Account]:
    users = accounts.list_users(engine)
    districts, wards = unit_names(UnitLevel.DISTRICT), unit_names(UnitLevel.WARD)

    def state(a: Account) -> str:
        if a.disabled:
            return t("accounts.state.disabled")
        if a.locked_until is not None and a.locked_until > pd.Timestamp.now(tz="UTC"):
            return t("accounts.state.locked", time=accounts.hanoi_time(a.locked_until))
        return t("accounts.state.active")

    ui.show_table(
        pd.DataFrame(
            {
                t("accounts.col.username"): [a.username for a in users],
                t("accounts.col.office"): [a.office for a in users],
                t("accounts.col.role"): [t(f"acct.role.{a.role.value}") for a in users],
                t("accounts.col.units"): [
                    ", ".join(
                        [
                            *(districts.get(c, c) for c in sorted(a.district_codes)),
                            *(wards.get(c, c) for c in sorted(a.ward_codes)),
                        ]
                    )
                    or "—"
                    for a in users
                ],
                t("accounts.col.state"): [state(a) for a in users],
            }
        ),
        key="accounts_table",
    )
    return users


def _units(key: str, role: Role, current: Account | None = None) -> tuple[list[str], list[str]]:
    if role != Role.AREA_OFFICER:
        return [], []
    districts, wards = unit_names(UnitLevel.DISTRICT), unit_names(UnitLevel.WARD)
    chosen_d = st.multiselect(
        t("accounts.districts"),
        sorted(districts, key=districts.get),
        format_func=districts.get,
        default=sorted(current.district_codes) if current else [],
        key=f"{key}_districts",
        placeholder=t("widget.placeholder"),
    )
    chosen_w = st.multiselect(
        t("accounts.wards"),
        sorted(wards, key=wards.get),
        format_func=wards.get,
        default=sorted(current.ward_codes) if current else [],
        key=f"{key}_wards",
        placeholder=t("widget.placeholder"),
    )
    return chosen_d, chosen_w


def _role(key: str, current: Role | None = None) -> Role:
    roles = list(Role)
    return st.selectbox(
        t("accounts.role"),
        roles,
        index=roles.index(current) if current else roles.index(Role.AREA_OFFICER),
        format_func=lambda r: t(f"acct.role.{r.value}"),
        key=key,
    )


def add_form(engine, admin: Account) -> None:
    with st.expander(t("accounts.add")):
        username = st.text_input(t("accounts.col.username"), key="acct_new_username")
        office = st.text_input(t("accounts.office"), key="acct_new_office")
        role = _role("acct_new_role")
        districts, wards = _units("acct_new", role)
        password = st.text_input(t("accounts.password"), type="password", key="acct_new_pw1")
        again = st.text_input(t("accounts.password_again"), type="password", key="acct_new_pw2")
        if st.button(t("accounts.save"), key="acct_new_save", type="primary"):

            def write() -> str:
                if password != again:
                    raise DomainError(t("accounts.err.mismatch"))
                made = accounts.add_user(
                    engine, username, password, office, role, districts, wards, actor=admin.office
                )
                return t("accounts.done", what=t("accounts.add").lower(), username=made.username)

            ui.attempt(write)


def manage_form(engine, admin: Account, users: list[Account]) -> None:
    if not users:
        return
    with st.expander(t("accounts.manage")):
        names = [a.username for a in users]
        chosen = st.selectbox(t("accounts.choose"), names, key="acct_pick")
        current = next(a for a in users if a.username == chosen)
        role = _role(f"acct_role_{chosen}", current.role)
        districts, wards = _units(f"acct_edit_{chosen}", role, current)

        def done(key: str) -> str:
            return t("accounts.done", what=t(key).lower(), username=chosen)

        if st.button(t("accounts.set_role"), key="acct_set_role"):
            ui.attempt(
                lambda: (
                    accounts.set_role(engine, chosen, role, districts, wards, actor=admin.office)
                    and done("accounts.set_role")
                )
            )
        st.divider()
        password = st.text_input(t("accounts.password"), type="password", key="acct_reset_pw1")
        again = st.text_input(t("accounts.password_again"), type="password", key="acct_reset_pw2")
        if st.button(t("accounts.reset"), key="acct_reset"):

            def reset() -> str:
                if password != again:
                    raise DomainError(t("accounts.err.mismatch"))
                accounts.reset_password(engine, chosen, password, actor=admin.office)
                return t("accounts.done", what=t("accounts.reset").lower(), username=chosen)

            ui.attempt(reset)
        st.divider()
        if current.disabled:
            if st.button(t("accounts.enable"), key="acct_enable"):
                ui.attempt(
                    lambda: (
                        accounts.enable_user(engine, chosen, actor=admin.office) and done("accounts.enable")
                    )
                )
        elif st.button(t("accounts.disable"), key="acct_disable"):
            ui.attempt(
                lambda: accounts.disable_user(engine, chosen, actor=admin.office) and done("accounts.disable")
            )
