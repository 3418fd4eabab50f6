"""Folium maps on a page, each rendered once per process where its data allows.

Rendering a folium map into the HTML and script that streamlit-folium's component draws is
the largest part of a page run (the city map: a few tenths of a second of the server process's
CPU, for every officer, on every rerun). :func:`draw` with ``held`` renders a map once, keeps
what ``st_folium`` hands its component, held per dataset version with the other derived
results (:func:`dashboard.ui.data.held`), and gives that to the component on every later run
with the same data and arguments; nothing of it depends on the session.

To learn what ``st_folium`` hands its component, the module's component function is replaced,
once, by one that passes every call through except those of a thread that is recording.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import folium
import streamlit as st
import streamlit_folium
from streamlit_folium import st_folium

from dashboard.queries import Dataset
from dashboard.ui import data

_recording = threading.local()


def _component(**kwargs):
    into = getattr(_recording, "into", None)
    if into is None:
        return _COMPONENT(**kwargs)
    into.update(kwargs)
    return None


_COMPONENT = getattr(streamlit_folium._component_func, "passes_to", streamlit_folium._component_func)
_component.passes_to = _COMPONENT
streamlit_folium._component_func = _component


def rendered(m: folium.Map, key: str, height: int, returned_objects: list[str]) -> dict:
    """What ``st_folium`` hands its component for ``m`` drawn with these arguments (rendering
    ``m``; its own change callback left out)."""
    into: dict = {}
    _recording.into = into
    try:
        st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned_objects)
    finally:
        _recording.into = None
    into.pop("on_change", None)
    return into


def draw(
    build: Callable[[], folium.Map],
    key: str,
    height: int,
    returned_objects: Iterable[str],
    held: tuple[Dataset, tuple] | None = None,
):
    """Draw the map ``build()`` makes, as ``st_folium`` does, and return what it sends back.
    ``held``: the dataset the map is made from and everything else it depends on (filters,
    basemap): the map is then made and rendered once per process for them."""
    returned = list(returned_objects)
    if held is None:
        return st_folium(build(), key=key, height=height, use_container_width=True, returned_objects=returned)
    ds, depends = held
    args = data.held(ds, "folium", (key, height, tuple(returned), *depends),
                     lambda: rendered(build(), key, height, returned))  # fmt: skip
    value_key = args["key"]

    def on_change() -> None:  # st_folium's own: the value also under the caller's key
        st.session_state[key] = st.session_state.get(value_key, {})

    return _COMPONENT(**args, on_change=on_change)
