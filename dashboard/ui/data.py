"""The one place that opens the store and holds what pages read (:mod:`dashboard.snapshots`)."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import config, snapshots, store, views
from dashboard.config import Settings
from dashboard.filters import Filters
from dashboard.queries import Dataset
from dashboard.sample import ensure_data
from dashboard.scope import Scope


def today() -> dt.date:
    return config.today()


def settings() -> Settings:
    """Settings from the environment; the store's URL may also come from
    ``database_url`` in ``.streamlit/secrets.toml`` (the environment wins)."""
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        try:
            url = st.secrets.get("database_url")
        except (FileNotFoundError, KeyError):  # no secrets file: nothing to read
            url = None
        if url:
            env["DATABASE_URL"] = str(url)
    return Settings.from_env(env)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = store.open_store(url)
    ensure_data(engine)
    if os.environ.get("HOTSPOT_WARM_UP", "1").strip() != "0":
        snapshots.warm_up(engine, today())  # the first officer to open the city overview need not wait
    return engine


def engine() -> Engine:
    """The store named by the settings, filled with sample data when empty."""
    return _engine(settings().database_url)


def dataset(scope: Scope) -> Dataset:
    """The data of ``scope`` as it stands now, shared by every session of the
    process (:func:`dashboard.snapshots.dataset`: read only)."""
    return snapshots.dataset(engine(), scope)


@st.cache_data(show_spinner=False, ttl=300)
def _is_sample(url: str) -> bool:
    return store.is_sample_data(_engine(url))


def is_sample() -> bool:
    return _is_sample(settings().database_url)


def current_account():
    """The signed-in account (every page signs in first: :func:`dashboard.ui.auth.gate`)."""
    from dashboard.domain import DomainError
    from dashboard.i18n import t
    from dashboard.ui import auth

    account = auth.signed_in()
    if account is None:
        raise DomainError(t("auth.err.not_signed_in"))
    return account


def current_scope() -> Scope:
    """The units the signed-in account may see (:func:`dashboard.accounts.scope_of`)."""
    from dashboard import accounts

    return accounts.scope_of(current_account())


def risk_scores(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Risk and persistence scores as of a date (held per process)."""
    return snapshots.risk_scores(engine(), scope, as_of)


def backtest(scope: Scope) -> tuple[pd.DataFrame, dict]:
    """Backtest per cutoff and overall (held per process: it scores every quarter end)."""
    return snapshots.backtest(engine(), scope)


def episodes(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    return snapshots.episodes(engine(), scope, as_of)


def emerging(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Emerging hot spot category of every ward, from activity results up to a date."""
    return snapshots.emerging(engine(), scope, as_of)


def timeline_payload(
    scope: Scope, as_of: dt.date, first: dt.date, kinds: frozenset[str] | None = None
) -> dict:
    """The map over time's months up to ``as_of`` (held per process)."""
    return snapshots.timeline_payload(engine(), scope, as_of, first, kinds)


def overview(scope: Scope, f: Filters) -> views.OverviewView:
    """The overview (or, with an area in ``f``, the area page) of ``scope`` (held per process)."""
    return snapshots.overview(engine(), scope, f)


def border_view(scope: Scope, f: Filters, **options) -> views.BorderView:
    """The border page (held per process; ``options``: level, unit, width_m, gap_days)."""
    return snapshots.border_view(engine(), scope, f, **options)


def risk_view(scope: Scope, f: Filters) -> views.RiskView:
    return snapshots.risk_view(engine(), scope, f)


def monthly_briefing(scope: Scope, month: dt.date, unit, today: dt.date) -> views.MonthlyBriefing:
    return snapshots.monthly_briefing(engine(), scope, month, unit, today)


def quarterly_report(scope: Scope, year: int, quarter: int, unit, today: dt.date) -> views.QuarterlyReport:
    return snapshots.quarterly_report(engine(), scope, year, quarter, unit, today)


def held(ds: Dataset, name: str, key: tuple, compute):
    """``compute()`` held once per process for ``ds``'s version and ``key``
    (:func:`dashboard.snapshots.derived`): shared by every session, so read only."""
    return snapshots.derived(ds, name, key, compute)


def refresh() -> None:
    """After a change: the data is read again by its new generation anyway
    (:mod:`dashboard.snapshots`); this forgets the small per-session values."""
    st.cache_data.clear()


def audit_log(scope: Scope) -> pd.DataFrame:
    """The audit log (not cached: it must show a change at once)."""
    return store.read_audit(_engine(settings().database_url), scope)
