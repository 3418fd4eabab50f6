"""Bản đồ theo thời gian under AppTest: it runs, its as-of date drives the map it
sends, the map sends nothing back, and an area officer's map holds their area only."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from pagetest import OFFICE, TODAY, ensure_account, run_page
from streamlit.testing.v1 import AppTest

from dashboard import queries, store, timemap
from dashboard.accounts import Role
from dashboard.domain import HotspotKind
from dashboard.i18n import t
from dashboard.scope import Scope

PAGE = "pages/timeline.py"


def sent_map(at: AppTest) -> dict:
    """The arguments of the page's one st_folium component."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def sent_payload(at: AppTest) -> dict:
    """The timeline data in the map's script, as the browser reads it."""
    script = sent_map(at)["script"]
    found = re.search(r"\}\)\(map_div, \{", script)
    assert found, "no timeline control in the map's script"
    payload, _end = json.JSONDecoder().raw_decode(script, found.end() - 1)
    return payload


def test_the_page_runs_with_its_intro_and_the_sample_banner(app_env, sample_dataset):
    at = run_page(PAGE)
    assert not at.error
    assert at.title[0].value == t("page.timeline")
    assert at.warning and at.warning[0].value == t("app.sample_banner")
    intro = t(
        "timeline.intro", first="01/2019", last=TODAY.strftime("%m/%Y"), date=TODAY.strftime("%d/%m/%Y")
    )
    assert intro in [c.value for c in at.caption]
    assert at.sidebar.date_input(key="timeline_as_of").value == TODAY

    args = sent_map(at)
    assert args["returned_objects"] == []  # moving the slider never reruns the page
    assert all(not link.startswith("http") for link in args["js_links"] + args["css_links"])
    payload = sent_payload(at)
    assert payload["months"][0] == "01/2019" and payload["months"][-1] == TODAY.strftime("%m/%Y")
    assert sorted(payload["hotspots"]["code"]) == sorted(sample_dataset.hotspots["code"])
    last = timemap.decode_statuses(payload, len(payload["months"]) - 1)
    assert last == sample_dataset.hotspots.set_index("code")["status"].to_dict()


def test_the_as_of_date_ends_the_timeline(app_env, sample_dataset):
    at = run_page(PAGE)
    as_of = dt.date(2020, 3, 15)
    at.sidebar.date_input(key="timeline_as_of").set_value(as_of).run()
    assert not at.exception, at.exception
    assert t("filter.as_of", date="15/03/2020") in [c.value for c in at.sidebar.caption]
    payload = sent_payload(at)
    assert payload["months"][-1] == "03/2020" and len(payload["months"]) == 15
    assert payload["labels"][-1] == t("timeline.month_to", month="03/2020", date="15/03/2020")
    codes = sample_dataset.hotspots.set_index("id")["code"]
    expected = {codes[i]: s for i, s in queries.status_as_of(sample_dataset.history, as_of).items()}
    assert timemap.decode_statuses(payload, 14) == expected


def test_a_kind_filter_draws_and_counts_only_those_hotspots(app_env, sample_dataset):
    at = run_page(PAGE)
    kinds = sample_dataset.hotspots["kind"].value_counts()
    kind = kinds.index[-1]  # the rarest kind in the sample
    at.sidebar.multiselect(key="timeline_kind").set_value([HotspotKind(kind)]).run()
    assert not at.exception, at.exception
    payload = sent_payload(at)
    spots = sample_dataset.hotspots
    assert sorted(payload["hotspots"]["code"]) == sorted(spots.loc[spots["kind"] == kind, "code"])
    assert 0 < len(payload["hotspots"]["code"]) < len(spots)
    assert sum(payload["counts"][-1]) == int(kinds[kind])
    # No kind left: nothing drawn, and the page says so.
    at.sidebar.multiselect(key="timeline_kind").set_value([]).run()
    assert sent_payload(at)["hotspots"]["code"] == []
    assert t("timeline.none") in [i.value for i in at.info]


@pytest.fixture
def officer(page_store) -> str:
    """An area officer of former district 002 (Hoàn Kiếm)."""
    return ensure_account(
        os.environ["DATABASE_URL"], "kiem-thu-dong-thoi-gian", Role.AREA_OFFICER, OFFICE, districts=("002",)
    )


def test_an_area_officer_sees_their_area_only(page_store, officer):
    every = store.read_hotspots(page_store, Scope.city())
    mine = every[every["district_code"] == "002"]
    assert 0 < len(mine) < len(every)
    at = run_page(PAGE, user=officer)
    assert not at.error
    payload = sent_payload(at)
    assert sorted(payload["hotspots"]["code"]) == sorted(mine["code"])
    assert not set(payload["hotspots"]["name"]) & (set(every["name"]) - set(mine["name"]))
