"""A map drawn through dashboard.ui.foliumdraw: rendered once per process for its data and
arguments, handed to streamlit-folium's component exactly as st_folium hands it, and no
other session's map touched by the recording."""

from __future__ import annotations

import datetime as dt
import threading

import folium
import pytest
import streamlit_folium

from dashboard import maps, snapshots
from dashboard.config import Tiles
from dashboard.filters import Filters
from dashboard.scope import Scope
from dashboard.ui import foliumdraw

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def component(monkeypatch):
    """streamlit-folium's component, recording each call instead of drawing."""
    calls = []
    monkeypatch.setattr(foliumdraw, "_COMPONENT", lambda **kwargs: calls.append(kwargs) or {"drawn": True})
    return calls


def _city_builder(counter):
    f = Filters.for_year(2026, TODAY)

    def build() -> folium.Map:
        counter.append(1)
        return folium.Map(location=[21.03, 105.85], zoom_start=11, tiles=None)

    return f, build


def test_a_held_map_is_made_and_rendered_once_and_drawn_as_st_folium_draws_it(
    sample_engine, component, monkeypatch
):
    snapshots.DERIVED.clear()
    ds = snapshots.dataset(sample_engine, Scope.city())
    built = []
    f, build = _city_builder(built)
    tiles = Tiles(None)
    first = foliumdraw.draw(build, "a_map", 500, ["last_object_clicked"], held=(ds, (f, tiles)))
    second = foliumdraw.draw(build, "a_map", 500, ["last_object_clicked"], held=(ds, (f, tiles)))
    assert first == second == {"drawn": True}
    assert len(built) == 1 and len(component) == 2
    # What st_folium itself hands the component for the same map and arguments.
    direct = []
    with monkeypatch.context() as patch:
        patch.setattr(streamlit_folium, "_component_func", lambda **kwargs: direct.append(kwargs))
        streamlit_folium.st_folium(build(), key="a_map", height=500, use_container_width=True,
                                   returned_objects=["last_object_clicked"])  # fmt: skip
    expected = {k: v for k, v in direct[0].items() if k != "on_change"}
    for call in component:
        assert {k: v for k, v in call.items() if k != "on_change"} == expected
        assert callable(call["on_change"])
    # Other arguments, or a new version of the data: made again.
    foliumdraw.draw(build, "a_map", 400, ["last_object_clicked"], held=(ds, (f, tiles)))
    foliumdraw.draw(build, "a_map", 500, ["last_object_clicked"], held=(ds, (f, Tiles("https://t/{z}/{x}/{y}"))))
    assert len(built) == 1 + 1 + 2


def test_without_held_every_run_renders_its_own_map(component):
    built = []
    _, build = _city_builder(built)
    foliumdraw.draw(build, "b_map", 300, [])
    foliumdraw.draw(build, "b_map", 300, [])
    assert len(built) == 2 and len(component) == 2


def test_recording_in_one_thread_leaves_another_thread_s_map_alone(component):
    recording = threading.Event()
    release = threading.Event()

    def slow_map() -> folium.Map:
        recording.set()
        release.wait(10)
        return folium.Map(location=[21.03, 105.85], tiles=None)

    result = {}
    def record() -> None:
        result["args"] = foliumdraw.rendered(slow_map(), "c", 300, [])

    worker = threading.Thread(target=record)
    worker.start()
    assert recording.wait(10)
    # Meanwhile another session draws a map the plain way: its call reaches the component.
    streamlit_folium.st_folium(folium.Map(tiles=None), key="d", height=300, returned_objects=[])
    release.set()
    worker.join(10)
    assert [call["key"] != result["args"]["key"] for call in component] == [True]
    assert result["args"]["height"] == 300 and "script" in result["args"]


def test_a_held_map_follows_the_data(sample_engine, component):
    """The city map of the overview, held: drawn from the same view as the page shows."""
    snapshots.DERIVED.clear()
    ds = snapshots.dataset(sample_engine, Scope.city())
    f = Filters.for_year(2026, TODAY)
    v = snapshots.overview(sample_engine, Scope.city(), f)
    tiles = Tiles(None)
    foliumdraw.draw(lambda: maps.city_map(v.hotspots, v.border, tiles), "overview_map", 620, [],
                    held=(ds, (f, tiles)))  # fmt: skip
    script = component[0]["script"]
    assert all(code in script for code in v.hotspots["code"].head(5))
