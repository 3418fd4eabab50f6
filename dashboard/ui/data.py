"""The one place that opens the store and caches what pages read."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import config, risk, spacetime, store, survival
from dashboard.config import Settings
from dashboard.queries import Dataset, load_dataset
from dashboard.sample import ensure_data
from dashboard.scope import Scope


def today() -> dt.date:
    return config.today()


def settings() -> Settings:
    """Settings from the environment; the store's URL may also come from
    ``database_url`` in ``.streamlit/secrets.toml`` (the environment wins)."""
    import os

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
    return engine


def engine() -> Engine:
    """The store named by the settings, filled with sample data when empty."""
    return _engine(settings().database_url)


@st.cache_data(show_spinner=False, ttl=300)
def _dataset(url: str, scope: Scope) -> Dataset:
    return load_dataset(_engine(url), scope)


def dataset(scope: Scope) -> Dataset:
    return _dataset(settings().database_url, scope)


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


@st.cache_data(show_spinner=False, ttl=300)
def _risk_scores(url: str, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    return risk.score(_dataset(url, scope), as_of)


def risk_scores(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Risk and persistence scores as of a date (cached)."""
    return _risk_scores(settings().database_url, scope, as_of)


@st.cache_data(show_spinner=False, ttl=3600)
def _backtest(url: str, scope: Scope) -> tuple[pd.DataFrame, dict]:
    result = risk.backtest(_dataset(url, scope))
    return result.per_cutoff, result.overall


def backtest(scope: Scope) -> tuple[pd.DataFrame, dict]:
    """Backtest per cutoff and overall (cached: it scores every quarter end)."""
    return _backtest(settings().database_url, scope)


@st.cache_data(show_spinner=False, ttl=300)
def _episodes(url: str, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    return survival.episodes(_dataset(url, scope), as_of)


def episodes(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    return _episodes(settings().database_url, scope, as_of)


@st.cache_data(show_spinner=False, ttl=300)
def _emerging(url: str, scope: Scope, as_of: dt.date) -> pd.DataFrame:
    acts = _dataset(url, scope).activities
    acts = acts[(acts["date"] <= pd.Timestamp(as_of)) & acts["ward_code"].notna()]
    if acts.empty:  # nothing recorded yet: no ward shows a pattern
        return pd.DataFrame(
            {"category": "none"}, index=pd.Index(spacetime.ward_weights().id_order, name="code")
        )
    return spacetime.ward_emerging(acts)


def emerging(scope: Scope, as_of: dt.date) -> pd.DataFrame:
    """Emerging hot spot category of every ward, from activity results up to a date."""
    return _emerging(settings().database_url, scope, as_of)


def refresh() -> None:
    """Forget cached data after a change, so every page shows it at once."""
    st.cache_data.clear()


def audit_log(scope: Scope) -> pd.DataFrame:
    """The audit log (not cached: it must show a change at once)."""
    return store.read_audit(_engine(settings().database_url), scope)
