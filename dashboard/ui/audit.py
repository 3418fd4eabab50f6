"""The audit page's filters, table and export (times in Hà Nội).

The filters are one :class:`AuditFilter` applied by :func:`filter_log` (plain
pandas, testable without Streamlit). Administrators may download the filtered
log as an .xlsx (:func:`export_bytes`); the download is itself audited
(:func:`dashboard.exports.record_export`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.accounts import Account, can_admin, can_read_full_data
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.scope import Scope
from dashboard.ui import components as ui
from dashboard.ui import data

#: Kinds of action the page filters on, in the order offered.
KINDS = ("data", "sign_in", "sign_in_failed", "lock_out", "export", "denied", "accounts")
_KIND_OF = {
    "sign_in": "sign_in",
    "sign_out": "sign_in",
    "sign_in_failed": "sign_in_failed",
    "lock_out": "lock_out",
    "export": "export",
    "denied": "denied",
    "user_add": "accounts",
    "user_disable": "accounts",
    "user_enable": "accounts",
    "user_password": "accounts",
    "user_role": "accounts",
}
#: Entities whose ``entity_code`` names an account (a username), not a hotspot.
ACCOUNT_ENTITIES = ("account", "export")


def kind_of(action: str) -> str:
    """The kind of an action: every action not about accounts, sign-ins,
    exports or refusals is a data change."""
    return _KIND_OF.get(action, "data")


def action_label(action: str) -> str:
    """The label of an action (the raw action when the catalogue has none)."""
    for key in (f"audit.action.{action}", f"auditui.action.{action}"):
        try:
            return t(key)
        except KeyError:
            continue
    return action


@dataclass(frozen=True)
class AuditFilter:
    """What the page shows: kinds of action, an account or office text, a
    hotspot code text, and a period of Hà Nội dates (both ends included)."""

    kinds: frozenset[str] = frozenset(KINDS)
    who: str = ""
    code: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def describe(self) -> str:
        """The filters as the export's audit entry records them."""
        parts = []
        if set(self.kinds) != set(KINDS):
            parts.append(", ".join(t(f"auditui.kind.{k}") for k in KINDS if k in self.kinds) or "—")
        if self.who:
            parts.append(f"{t('auditui.who')}: «{self.who}»")
        if self.code:
            parts.append(f"{t('audit.code')}: «{self.code}»")
        return "; ".join(parts) or t("auditui.detail.no_filter")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).casefold()


def _contains(values: pd.Series, text: str) -> pd.Series:
    needle = _fold(text)
    return values.fillna("").map(lambda v: needle in _fold(v)).astype(bool)


def filter_log(log: pd.DataFrame, f: AuditFilter) -> pd.DataFrame:
    """The entries of ``log`` (as :func:`dashboard.store.read_audit` returns
    it) that ``f`` keeps, in the same order."""
    keep = log["action"].map(kind_of).isin(sorted(f.kinds))
    days = exports.hanoi_times(log["at"]).dt.date
    if f.start is not None:
        keep &= days >= f.start
    if f.end is not None:
        keep &= days <= f.end
    about_account = log["entity"].isin(ACCOUNT_ENTITIES)
    if f.who.strip():
        username = log["entity_code"].where(about_account, "")
        keep &= _contains(log["actor"], f.who.strip()) | _contains(username, f.who.strip())
    if f.code.strip():
        code = log["entity_code"].where(~about_account, "")
        keep &= _contains(code, f.code.strip())
    return log[keep]


def table_frame(log: pd.DataFrame) -> pd.DataFrame:
    """The log as the page and its export show it: Hà Nội times, labelled actions."""
    return pd.DataFrame(
        {
            t("auditui.col.at"): exports.hanoi_times(log["at"]),
            t("audit.col.actor"): log["actor"],
            t("audit.col.action"): log["action"].map(action_label),
            t("audit.col.code"): log["entity_code"],
            t("audit.col.summary"): log["summary"],
            t("audit.col.before"): log["before"],
            t("audit.col.after"): log["after"],
        }
    )


def audit_table(log: pd.DataFrame) -> None:
    """The entries, newest first, times as dd/mm/yyyy HH:MM:SS in Hà Nội time
    (sorted on the times themselves)."""
    if log.empty:
        st.info(t("audit.empty"))
        return
    from dashboard.ui.components import show_table

    show_table(table_frame(log))  # dd/mm/yyyy HH:MM:SS; a missing value reads "—"


# --------------------------------------------------------------------------
# The page


def may_read(account: Account) -> bool:
    """Whether ``account`` may read the audit log (within its scope)."""
    return can_read_full_data(account)


def controls(log: pd.DataFrame) -> AuditFilter:
    """The filter widgets; the period starts at the first entry's Hà Nội date."""
    kinds = st.multiselect(
        t("auditui.kind"), list(KINDS), default=list(KINDS), key="audit_kinds",
        format_func=lambda k: t(f"auditui.kind.{k}"), placeholder=t("widget.placeholder"),
    )  # fmt: skip
    left, right = st.columns(2)
    who = left.text_input(t("auditui.who"), key="audit_who", help=t("auditui.who_help")).strip()
    code = right.text_input(t("audit.code"), key="audit_code").strip()
    today = data.today()
    days = exports.hanoi_times(log["at"]).dt.date
    first, last = (days.min(), days.max()) if len(log) else (today, today)
    start, end = ui.date_range_input(t("auditui.range"), first, max(last, today), key="audit_range")
    return AuditFilter(frozenset(kinds), who, code, start, end)


def export_bytes(shown: pd.DataFrame, f: AuditFilter, account: Account, scope: Scope) -> bytes:
    """The filtered log as an .xlsx, built when the button is clicked; the export is audited."""
    content = exports.audit_workbook(table_frame(shown))
    period = f"{fmt_date(f.start)}–{fmt_date(f.end)}" if f.start and f.end else ""
    detail = t("auditui.detail.audit", period=period, rows=fmt_number(len(shown)), filters=f.describe())
    exports.record_export(data.engine(), account, t("auditui.what.audit"), detail, scope)
    return content


def export_button(shown: pd.DataFrame, f: AuditFilter, account: Account, scope: Scope) -> None:
    """The download of the filtered log, for administrators only."""
    if not can_admin(account) or shown.empty:
        return
    stamp = data.today().strftime("%Y-%m-%d")
    st.download_button(
        t("auditui.download"),
        partial(export_bytes, shown, f, account, scope),  # built (and audited) only when clicked
        file_name=f"nhat-ky-thay-doi-{stamp}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="audit_export",
        help=t("auditui.download_help"),
    )
