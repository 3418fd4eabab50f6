"""The server load test's protocol client (bench/load_protocol.py): it signs in, changes
the plan year and opens the area page the way a browser asks the server to, and tells a
page that failed from one that ran."""

from __future__ import annotations

import argparse
import sys

import pytest
from browserkit import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import load_protocol

pytestmark = pytest.mark.xdist_group("browser")  # a server of its own, as the browser tests


def test_sessions_sign_in_filter_and_open_the_area_page():
    args = argparse.Namespace(sessions=2, db_url=None, timeout=120.0, deadline=400.0, warmup=True, ramp=0.0)
    r = load_protocol.run(args)
    assert r["setup_error"] is None
    assert r["warmup"]["error"] is None and set(r["warmup"]["times"]) == set(load_protocol.ACTIONS)
    for action, a in r["actions"].items():
        assert (a["count"], a["errors"], a["not_run"]) == (2, 0, 0), (action, a["first_error"])
    # The city map and the area map travel with their pages; a rerun sends only what changed.
    assert r["actions"]["overview"]["median_mb"] > 0.1 and r["actions"]["area"]["median_mb"] > 0.05
    assert r["targets"]["errors"]["pass"] and r["server_peak_rss_mb"] > 0


def test_a_page_that_shows_an_exception_or_lacks_its_map_is_an_error():
    from streamlit.proto.Element_pb2 import Element

    run = load_protocol.Run()
    element = Element()
    element.exception.type = "KeyError"
    element.exception.message = "'ward_code'"
    load_protocol.Client._element(element, run)
    with pytest.raises(RuntimeError, match="KeyError: 'ward_code'"):
        load_protocol._check(run, "area")
    with pytest.raises(RuntimeError, match="0 maps"):
        load_protocol._check(load_protocol.Run(), "overview")
    with pytest.raises(RuntimeError, match="no selectbox"):
        load_protocol._widget(load_protocol.Run(), "Năm kế hoạch", "selectbox", "filter")
