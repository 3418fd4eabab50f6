"""The one place that opens the store and caches what pages read."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from dashboard import store
from dashboard.config import Settings, today
from dashboard.queries import Dataset, load_dataset
from dashboard.sample import ensure_data
from dashboard.scope import Scope


def settings() -> Settings:
    return Settings.from_env()


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


def current_scope() -> Scope:
    """The caller's scope. Everyone sees the whole city until accounts exist."""
    return Scope.city()


__all__ = ["current_scope", "dataset", "engine", "is_sample", "settings", "today"]
