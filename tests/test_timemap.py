"""The map over time (dashboard/timemap.py): steps, statuses at every step, the
compact payload, activities per month, targets per plan year, escaping, size."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import numpy as np
import pandas as pd
import pytest

from dashboard import queries, timemap
from dashboard.config import Tiles
from dashboard.domain import STATUS_COLOURS, Status
from dashboard.encode import map_text
from dashboard.geo import ward_districts
from dashboard.i18n import t
from dashboard.maps import CANVAS_FROM, CLUSTER_FROM, VENDOR_URL, map_payload
from dashboard.queries import Dataset

AS_OF = dt.date(2026, 11, 20)
EVIL = "<img src=x onerror=alert(1)>"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.strptime(text, "%d/%m/%Y"))


# --- A hand-made dataset with known answers


def handmade(names: dict[int, str] | None = None) -> Dataset:
    """Hotspots 1-4 (5 is in the history only, outside the caller's hotspots):

    1: active 15/01/2019, cleared 10/03/2019, re-emerged 31/03/2019, cleared again on
       05/05/2019 and, the same day, handed over (the later record wins);
    2: first known 05/04/2019 (not drawn before step 3);
    3: cleared in 2017 (known from the first step), reemerged 21/11/2026 (after the as-of date);
    4: active on 20/11/2026, the as-of date itself (known at the last step only).
    """
    names = names or {}
    hotspots = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "code": ["TD-A", "TD-B", "TD-C", "TD-D"],
            "name": [names.get(i, f"Điểm thử {i}") for i in range(1, 5)],
            "kind": ["public_area"] * 4,
            "lat": [21.0287, 21.0253, 21.0277, 21.0368],
            "lon": [105.8524, 105.8466, 105.8355, 105.8347],
            "ward_code": ["00070", "00082", "00226", "00004"],
            "district_code": ["002", "002", "006", "001"],
            "status": ["handed_over", "active", "cleared", "active"],
        }
    )
    rows = [
        (1, 1, "15/01/2019", "active"),
        (2, 1, "10/03/2019", "cleared"),
        (3, 1, "31/03/2019", "reemerged"),
        (4, 1, "05/05/2019", "cleared"),
        (5, 1, "05/05/2019", "handed_over"),
        (6, 2, "05/04/2019", "active"),
        (7, 3, "01/06/2017", "cleared"),
        (8, 3, "21/11/2026", "reemerged"),
        (9, 4, "20/11/2026", "active"),
        (10, 5, "01/02/2019", "active"),
    ]
    history = pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "hotspot_id": [r[1] for r in rows],
            "date": [ts(r[2]) for r in rows],
            "from_status": [None] * len(rows),
            "to_status": [r[3] for r in rows],
        }
    )
    ward_only = next(code for code, district in ward_districts().items() if district == "006")
    acts = [
        ("15/01/2019", "00070", "002"),
        ("20/01/2019", "00082", "002"),
        ("31/01/2019", "00226", "006"),
        ("01/02/2019", ward_only, None),  # only the ward is known: counted in its former district
        ("15/12/2018", "00070", "002"),  # before the first month: not counted
        ("20/11/2026", "00004", "001"),  # the as-of date: counted
        ("21/11/2026", "00004", "001"),  # after it: not counted
    ]
    activities = pd.DataFrame(
        {
            "id": range(1, len(acts) + 1),
            "date": [ts(a[0]) for a in acts],
            "hotspot_id": [np.nan] * len(acts),
            "ward_code": [a[1] for a in acts],
            "district_code": [a[2] for a in acts],
            "kind": ["patrol"] * len(acts),
        }
    )
    plans = pd.DataFrame({"id": [1, 2], "year": [2019, 2020]})
    targets = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "plan_id": [1, 1, 2, 2],
            "hotspot_id": [1, 2, 3, 5],
            "target_type": ["clear", "clear", "keep_clean", "clear"],
            "year": [2019, 2019, 2020, 2020],
        }
    )
    return Dataset(hotspots=hotspots, history=history, activities=activities, plans=plans, targets=targets)


def test_months_run_from_the_first_month_to_the_as_of_month():
    steps = timemap.months(timemap.FIRST_MONTH, AS_OF)
    assert steps[0] == dt.date(2019, 1, 1) and steps[-1] == dt.date(2026, 11, 1)
    assert len(steps) == 8 * 12 - 1 and all(m.day == 1 for m in steps)
    assert timemap.months(dt.date(2019, 1, 20), dt.date(2019, 1, 3)) == [dt.date(2019, 1, 1)]
    assert timemap.months(dt.date(2019, 5, 1), dt.date(2019, 1, 3)) == [dt.date(2019, 1, 1)]
    ends = timemap.step_ends(timemap.months(dt.date(2019, 11, 1), dt.date(2020, 2, 10)), dt.date(2020, 2, 10))
    assert ends == [dt.date(2019, 11, 30), dt.date(2019, 12, 31), dt.date(2020, 1, 31), dt.date(2020, 2, 10)]


def test_the_first_month_is_2019_or_the_first_recorded_status():
    ds = handmade()
    assert timemap.first_month(ds.history) == dt.date(2019, 1, 1)  # records from 2017: still 01/2019
    later = ds.history[ds.history["date"] >= ts("01/04/2019")]
    assert timemap.first_month(later) == dt.date(2019, 4, 1)
    assert timemap.first_month(ds.history.iloc[:0]) == dt.date(2019, 1, 1)


def test_handmade_statuses_at_each_step():
    ds = handmade()
    steps = timemap.months(timemap.FIRST_MONTH, AS_OF)
    changes = timemap.status_steps(ds.history, ds.hotspots, steps, AS_OF)
    at = {k: timemap.status_at(changes, k).to_dict() for k in range(len(steps))}
    assert at[0] == {1: "active", 3: "cleared"}  # 2: not known yet, 5: not the caller's
    assert at[1] == {1: "active", 3: "cleared"}
    assert at[2] == {1: "reemerged", 3: "cleared"}  # cleared, then re-emerged in the same month
    assert at[3] == {1: "reemerged", 2: "active", 3: "cleared"}
    assert at[4][1] == "handed_over"  # two records on 05/05/2019: the later one
    assert at[len(steps) - 2] == {1: "handed_over", 2: "active", 3: "cleared"}
    # The last step ends on the as-of date: its record counts, the next day's does not.
    assert at[len(steps) - 1] == {1: "handed_over", 2: "active", 3: "cleared", 4: "active"}
    # Only changes are kept: hotspot 1 changes three times (01, 03, 05/2019).
    assert changes[changes["hotspot_id"] == 1][["step", "status"]].values.tolist() == [
        [0, "active"],
        [2, "reemerged"],
        [4, "handed_over"],
    ]


def test_handmade_steps_equal_status_as_of():
    ds = handmade()
    steps = timemap.months(timemap.FIRST_MONTH, AS_OF)
    changes = timemap.status_steps(ds.history, ds.hotspots, steps, AS_OF)
    for k, end in enumerate(timemap.step_ends(steps, AS_OF)):
        expected = queries.status_as_of(ds.history, end)
        expected = expected[expected.index.isin(ds.hotspots["id"])].sort_index()
        assert timemap.status_at(changes, k).sort_index().equals(expected), k


def test_sample_steps_equal_status_as_of_at_every_step(sample_dataset):
    ds = sample_dataset
    steps = timemap.months(timemap.first_month(ds.history), AS_OF)
    changes = timemap.status_steps(ds.history, ds.hotspots, steps, AS_OF)
    counts = timemap.status_counts(changes, len(steps))
    for k, end in enumerate(timemap.step_ends(steps, AS_OF)):
        expected = queries.status_as_of(ds.history, end).sort_index()
        assert timemap.status_at(changes, k).sort_index().equals(expected), end
        by_status = expected.value_counts()
        assert counts[k].tolist() == [int(by_status.get(s.value, 0)) for s in Status], end
    # The statuses change over the years, and the last step is today's register.
    assert len({tuple(row) for row in counts.tolist()}) > 5
    assert (
        timemap.status_at(changes, len(steps) - 1).to_dict()
        == ds.hotspots.set_index("id")["status"].to_dict()
    )


@pytest.fixture(scope="module")
def sample_payload(sample_dataset) -> dict:
    return timemap.timeline_payload(sample_dataset, AS_OF)


def test_the_payload_reads_back_every_step(sample_dataset, sample_payload):
    """The page's script reads the changes back as status_as_of gives them, and
    the counts it shows are the statuses' counts."""
    p = json.loads(json.dumps(sample_payload))  # what the page gets
    codes = sample_dataset.hotspots.set_index("id")["code"]
    for k, end in enumerate(timemap.step_ends(timemap.months(timemap.FIRST_MONTH, AS_OF), AS_OF)):
        expected = queries.status_as_of(sample_dataset.history, end)
        assert timemap.decode_statuses(p, k) == {codes[i]: s for i, s in expected.items()}, end
        found = pd.Series(timemap.decode_statuses(p, k)).value_counts()
        assert p["counts"][k] == [int(found.get(s.value, 0)) for s in Status]
    assert p["months"][0] == "01/2019" and p["months"][-1] == "11/2026"
    assert p["labels"][0] == map_text(t("timeline.month", month="01/2019"))
    assert p["labels"][-1] == map_text(t("timeline.month_to", month="11/2026", date="20/11/2026"))
    assert p["years"][12] == 2020
    assert [s["colour"] for s in p["statuses"]] == [STATUS_COLOURS[s] for s in Status]


def test_the_payload_sends_changes_not_a_matrix(sample_payload):
    changes = sample_payload["hotspots"]["changes"]
    n_steps = len(sample_payload["months"])
    assert sum(len(c) for c in changes) < len(changes) * n_steps / 10
    for c in changes:
        assert [s for s, _ in c] == sorted({s for s, _ in c})  # one change a step at most, in order
        assert all(a[1] != b[1] for a, b in itertools.pairwise(c))  # each a real change


def test_a_hotspot_not_known_yet_is_not_drawn():
    p = timemap.timeline_payload(handmade(), AS_OF)
    assert p["hotspots"]["code"] == ["TD-A", "TD-B", "TD-C", "TD-D"]
    assert set(timemap.decode_statuses(p, 0)) == {"TD-A", "TD-C"}
    assert set(timemap.decode_statuses(p, 3)) == {"TD-A", "TD-B", "TD-C"}
    assert timemap.decode_statuses(p, len(p["months"]) - 1)["TD-D"] == "active"
    assert p["counts"][0] == [1, 0, 1, 0, 0]  # active, clearing, cleared, handed over, re-emerged


def test_activities_per_month_and_former_district():
    ds = handmade()
    p = timemap.timeline_payload(ds, AS_OF)
    units = [f["properties"]["code"] for f in p["units"]["features"]]
    assert len(units) == 30
    first = dict(zip(units, p["activity"][0], strict=True))
    assert {c: n for c, n in first.items() if n} == {"002": 2, "006": 1}  # 15/12/2018 is before the map
    second = dict(zip(units, p["activity"][1], strict=True))
    assert {c: n for c, n in second.items() if n} == {"006": 1}  # the ward-only activity
    last = dict(zip(units, p["activity"][-1], strict=True))
    assert {c: n for c, n in last.items() if n} == {"001": 1}  # up to the as-of date only
    assert sum(map(sum, p["activity"])) == 5


def test_sample_activities_match_a_plain_count(sample_dataset, sample_payload):
    acts = sample_dataset.activities
    units = [f["properties"]["code"] for f in sample_payload["units"]["features"]]
    for k in (0, 17, len(sample_payload["months"]) - 1):
        month = sample_payload["months"][k]
        mine = acts[(acts["date"].dt.strftime("%m/%Y") == month) & (acts["date"] <= pd.Timestamp(AS_OF))]
        expected = mine["district_code"].value_counts()
        assert sample_payload["activity"][k] == [int(expected.get(c, 0)) for c in units], month


def test_activity_classes_follow_the_spread():
    counts = np.array([[0, 1, 1, 2], [3, 5, 8, 13], [0, 0, 40, 1]])
    classes = timemap.activity_classes(counts)
    lows = [low for low, _ in classes]
    assert lows[0] == 1 and lows == sorted(set(lows)) and len(lows) == 4
    assert timemap.class_labels([(1, "a"), (2, "b"), (4, "c"), (7, "d")]) == ["1", "2–3", "4–6", "7+"]
    assert timemap.activity_classes(np.zeros((3, 2), dtype=int)) == [(1, timemap.ACTIVITY_COLOURS[-1])]
    assert len(timemap.activity_classes(np.ones((3, 2), dtype=int))) == 1


def test_targets_of_each_steps_plan_year():
    ds = handmade()
    steps = timemap.months(timemap.FIRST_MONTH, AS_OF)
    by_step = timemap.targets_by_step(ds, steps)
    assert by_step[0] == by_step[11] == {1, 2}
    assert by_step[12] == {3, 5}  # 2020 (5 is not the caller's: not drawn)
    assert by_step[24] == frozenset()  # no 2021 plan
    p = timemap.timeline_payload(ds, AS_OF)
    assert timemap.decode_targets(p, 0) == {"TD-A", "TD-B"}
    assert timemap.decode_targets(p, 12) == {"TD-C"}
    assert timemap.decode_targets(p, 30) == set()
    assert dict(p["targets"])[2020] == [[2, timemap.TARGET_TYPES.index("keep_clean")]]


def test_sample_targets_are_each_plan_years(sample_dataset, sample_payload):
    for k, year in enumerate(sample_payload["years"]):
        expected = set(queries.plan_targets(sample_dataset, year)["hotspot_id"])
        codes = sample_dataset.hotspots.set_index("id")["code"]
        assert timemap.decode_targets(sample_payload, k) == {codes[i] for i in expected}
    k2020 = sample_payload["years"].index(2020)
    assert len(timemap.decode_targets(sample_payload, k2020)) == 13 + 6  # the city's 2020 plan


HOSTILE = [EVIL, "${alert(2)}", "`+alert(3)+`", "</script><script>alert(4)</script>", "a\\'b\"c", "x\u2028y"]


def test_hostile_names_reach_the_page_escaped():
    names = dict(enumerate(HOSTILE[:4], start=1))
    m = timemap.timeline_map(handmade(names), AS_OF, Tiles(None))
    html = map_payload(m)
    for text in HOSTILE[:4]:
        assert text not in html, text
    assert "<img" not in html and "alert(4)</script>" not in html
    control = timemap.control_of(m)
    assert control.payload_json() in html
    sent = json.loads(control.payload_json())
    assert sent["hotspots"]["name"] == [map_text(n) for n in HOSTILE[:4]]
    for name in sent["hotspots"]["name"]:  # inserted as HTML by the tooltip: no markup, no ${
        assert not set(name) & set("<>`$\\"), name
    for text in [*sent["labels"], *sent["text"].values(), *(s["label"] for s in sent["statuses"])]:
        assert not set(text) & set("<>`$\\"), text


def test_the_map_is_offline_and_has_the_control_and_legend(sample_dataset):
    m = timemap.timeline_map(sample_dataset, AS_OF, Tiles(None))
    html = map_payload(m)
    assert "http://" not in html and "https://" not in html
    assert f"{VENDOR_URL}/leaflet/leaflet.js" in html
    assert m.options["prefer_canvas"] is False  # few hotspots: SVG markers with their class
    for key in ("play", "back", "forward", "slider", "known"):
        assert map_text(t(f"timeline.{key}")) in timemap.control_of(m).payload_json()
    for s in Status:
        assert t(f"status.{s.value}") in html
    assert t("timeline.legend_activity").replace(",", "") in html.replace(",", "")
    assert t("timeline.legend_target") in html
    assert "data-step" not in html  # set by the script: dataset.step
    assert "dataset" in html and "setInterval" in html and f'"interval":{timemap.INTERVAL_MS}' in html


# --- Thousands of hotspots


def many(ds: Dataset, n: int) -> Dataset:
    """``n`` hotspots: the sample's drawn again with their own id, code, name,
    history and targets, a little apart."""
    rng = np.random.default_rng(7)
    rows = ds.hotspots.sample(n, replace=True, random_state=7).reset_index(drop=True)
    source = rows["id"].to_numpy()
    ids = np.arange(1, n + 1)
    hotspots = rows.assign(
        id=ids,
        code=[f"TD-{i:05d}" for i in ids],
        name=[f"{name} {i}" for name, i in zip(rows["name"], ids, strict=True)],
        lat=rows["lat"] + rng.normal(0, 0.002, n),
        lon=rows["lon"] + rng.normal(0, 0.002, n),
    )
    pairs = pd.DataFrame({"new": ids, "hotspot_id": source})
    history = (
        pairs.merge(ds.history, on="hotspot_id")
        .drop(columns="hotspot_id")
        .rename(columns={"new": "hotspot_id"})
    )
    history = history.assign(id=np.arange(1, len(history) + 1))
    targets = (
        pairs.merge(ds.targets, on="hotspot_id")
        .drop(columns="hotspot_id")
        .rename(columns={"new": "hotspot_id"})
    )
    return Dataset(
        hotspots=hotspots, history=history, activities=ds.activities, plans=ds.plans, targets=targets
    )


@pytest.fixture(scope="module")
def map_5000(sample_dataset):
    return timemap.timeline_map(many(sample_dataset, 5000), AS_OF, Tiles(None))


def test_5000_hotspots_stay_under_2_mb_on_a_canvas(map_5000):
    html = map_payload(map_5000)
    size = len(html.encode())
    assert size < 2_000_000, size
    assert (
        map_5000.options["prefer_canvas"] is True
        and len(timemap.control_of(map_5000).payload["hotspots"]["code"]) >= CANVAS_FROM
    )
    assert html.count('"TD-04321"') == 1  # each hotspot once, no per-step copy


def test_a_crowded_map_over_time_clusters_and_a_few_dozen_hotspots_do_not(map_5000, sample_dataset):
    """The browser side: tests/test_browser_clusters.py."""
    html = map_payload(map_5000)
    control = timemap.control_of(map_5000)
    assert control.clusters is not None and control.clusters.by == "status"
    assert f"{VENDOR_URL}/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "function pointClusters" in html and control.cluster_json() in html
    assert 'data-symbol="point-cluster"' in html
    few = timemap.timeline_map(sample_dataset, AS_OF, Tiles(None))
    assert len(timemap.control_of(few).payload["hotspots"]["code"]) < CLUSTER_FROM
    few_html = map_payload(few)
    assert timemap.control_of(few).cluster_json() == "null" and "markercluster" not in few_html
    assert "function pointClusters" not in few_html and 'data-symbol="point-cluster"' not in few_html


def test_5000_hotspots_steps_equal_status_as_of(sample_dataset):
    ds = many(sample_dataset, 5000)
    steps = timemap.months(timemap.FIRST_MONTH, AS_OF)
    changes = timemap.status_steps(ds.history, ds.hotspots, steps, AS_OF)
    for k in (0, 13, 50, len(steps) - 1):
        end = timemap.step_ends(steps, AS_OF)[k]
        assert (
            timemap.status_at(changes, k)
            .sort_index()
            .equals(queries.status_as_of(ds.history, end).sort_index())
        )
