"""Border areas (dashboard.border) and what builds on them: adjacency of
hand-made and real layers, zones, hotspots in zones, side attribution, the
joint table, coordination gaps, ranking, the report, the v2 store migration,
the sample's neighbouring forces, the border map layers and charts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from folium.map import FitBounds
from handmade import PLACES
from pagetest import as_pre_alembic_store, run_revision
from pyproj import Transformer

from dashboard import border, charts, maps, queries, sample, store
from dashboard.config import Tiles
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import METRIC_CRS, load_units, unit_names
from dashboard.i18n import fmt_number, t
from dashboard.scope import Scope

D = dt.date
TODAY = D(2026, 11, 20)
#: South-west corner of the hand-made squares, in EPSG:3405 (inside Hà Nội).
X0, Y0 = 585_000.0, 2_325_000.0
TO_WGS = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
STATUSES = [s.value for s in Status]


# --------------------------------------------------------------------------
# Hand-made layers


def square(x: float, y: float, size: float = 1000.0) -> shapely.Polygon:
    """A ``size`` m square whose south-west corner is ``(X0 + x, Y0 + y)``."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


def layer(units: dict[str, shapely.Polygon], crs: str | None = METRIC_CRS) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": list(units), "name": [f"Đơn vị {c}" for c in units]}, geometry=list(units.values()), crs=crs
    )


def pairs_of(adj: border.Adjacency) -> list[tuple[str, str]]:
    return list(zip(adj.pairs["code_a"], adj.pairs["code_b"], strict=True))


@pytest.fixture(scope="module")
def two_squares() -> gpd.GeoDataFrame:
    # Listed B first: the pair must still come out as (A, B).
    return layer({"B": square(1000, 0), "A": square(0, 0)})


@pytest.fixture(scope="module")
def two_squares_adj(two_squares) -> border.Adjacency:
    return border.adjacency_of(two_squares, UnitLevel.WARD)


def test_squares_sharing_an_edge_are_one_pair(two_squares_adj):
    adj = two_squares_adj
    assert pairs_of(adj) == [("A", "B")]
    row = adj.pairs.iloc[0]
    assert (row["name_a"], row["name_b"]) == ("Đơn vị A", "Đơn vị B")
    # The 1000 m edge, plus at most SNAP_M at each end where the boundary turns.
    assert 1000 <= row["length_m"] <= 1000 + 2 * border.SNAP_M
    assert adj.pairs.crs == METRIC_CRS
    assert adj.pairs.geometry.iloc[0].distance(shapely.Point(X0 + 1000, Y0 + 500)) < 1e-6
    assert adj.point_contacts.empty
    assert adj.neighbours("A") == ["B"] and adj.neighbours("B") == ["A"]
    assert adj.level == UnitLevel.WARD


def test_any_crs_gives_the_same_pairs_and_lengths(two_squares, two_squares_adj):
    in_degrees = border.adjacency_of(two_squares.to_crs("EPSG:4326"), UnitLevel.WARD)
    assert pairs_of(in_degrees) == [("A", "B")]
    assert in_degrees.pairs["length_m"].iloc[0] == pytest.approx(
        two_squares_adj.pairs["length_m"].iloc[0], abs=0.5
    )


def test_squares_touching_at_a_corner_are_a_point_contact():
    adj = border.adjacency_of(layer({"A": square(0, 0), "B": square(1000, 1000)}), UnitLevel.WARD)
    assert adj.pairs.empty
    assert adj.point_contacts[["code_a", "code_b"]].values.tolist() == [["A", "B"]]
    assert adj.neighbours("A") == []


@pytest.mark.parametrize("offset", [1.0, -1.0], ids=["1m-gap", "1m-overlap"])
def test_digitising_noise_still_gives_the_pair(offset):
    adj = border.adjacency_of(layer({"A": square(0, 0), "B": square(1000 + offset, 0)}), UnitLevel.WARD)
    assert pairs_of(adj) == [("A", "B")]
    # The 1000 m edge plus, at each end, the stretch of the turning edge that
    # lies within SNAP_M of the other square: SNAP_M - gap (SNAP_M + overlap).
    assert adj.pairs["length_m"].iloc[0] == pytest.approx(1000 + 2 * (border.SNAP_M - offset), abs=0.01)
    assert adj.point_contacts.empty


def test_a_20m_gap_is_no_border():
    squares = layer({"A": square(0, 0), "B": square(1020, 0)})
    adj = border.adjacency_of(squares, UnitLevel.WARD)
    assert adj.pairs.empty and adj.point_contacts.empty
    # ... unless the caller allows that much.
    wide = border.adjacency_of(squares, UnitLevel.WARD, snap_m=25)
    assert pairs_of(wide) == [("A", "B")]


def test_layer_without_crs_is_refused():
    with pytest.raises(ValueError, match="coordinate reference system"):
        border.adjacency_of(layer({"A": square(0, 0), "B": square(1000, 0)}, crs=None), UnitLevel.WARD)


# --------------------------------------------------------------------------
# Zones


def test_zones_of_a_hand_made_layer(two_squares_adj):
    zone = border.zones(two_squares_adj, 300)
    assert zone["geometry"].iloc[0].area == pytest.approx(600_000, rel=0.01)


def test_zone_is_a_band_on_both_sides_clipped_to_the_pair(two_squares, two_squares_adj):
    zone = border.zones(two_squares_adj, 300)
    assert zone[["code_a", "code_b"]].values.tolist() == [["A", "B"]]
    assert zone.crs == METRIC_CRS
    shape = zone.geometry.iloc[0]
    # 300 m either side of the 1000 m edge, cut off by the squares' outer
    # edges: a 600 m x 1000 m rectangle.
    assert shape.area == pytest.approx(600 * 1000, rel=0.01)
    band = shapely.box(X0 + 700, Y0, X0 + 1300, Y0 + 1000)
    assert shape.symmetric_difference(band).area < 0.01 * band.area
    metric = two_squares.set_index("code").geometry
    a, b = metric["A"], metric["B"]
    assert shape.intersection(a).area == pytest.approx(300_000, rel=0.01)
    assert shape.intersection(b).area == pytest.approx(300_000, rel=0.01)
    assert shape.difference(a.union(b)).area < 1e-6


@pytest.mark.parametrize("width", [0, -50])
def test_zone_width_must_be_positive(two_squares_adj, width):
    with pytest.raises(ValueError, match="positive"):
        border.zones(two_squares_adj, width)


def hotspots_at(points: dict[str, tuple[float, float, str]]) -> pd.DataFrame:
    """Hotspots at metric offsets from (X0, Y0): ``code -> (dx, dy, ward)``."""
    lon, lat = TO_WGS.transform([X0 + p[0] for p in points.values()], [Y0 + p[1] for p in points.values()])
    return pd.DataFrame(
        {
            "id": range(1, len(points) + 1),
            "code": list(points),
            "lat": lat,
            "lon": lon,
            "ward_code": [p[2] for p in points.values()],
            "district_code": "001",
        }
    )


def test_zone_hotspots_by_distance_and_unit(two_squares_adj):
    spots = hotspots_at(
        {
            "near-A": (900, 500, "A"),  # 100 m west of the shared edge, in A
            "far-A": (600, 500, "A"),  # 400 m away
            "near-B": (1250, 300, "B"),  # 250 m east, in B
            "third": (900, 600, "C"),  # 100 m away but said to lie in a third unit
        }
    )
    found = border.zone_hotspots(two_squares_adj, spots, 300)
    assert found.columns.tolist() == ["id", "code", "code_a", "code_b", "side", "neighbour", "distance_m"]
    rows = found.set_index("code")
    assert sorted(rows.index) == ["near-A", "near-B"]
    assert rows.loc["near-A", ["code_a", "code_b", "side", "neighbour"]].tolist() == ["A", "B", "A", "B"]
    assert rows.loc["near-B", ["side", "neighbour"]].tolist() == ["B", "A"]
    assert rows.loc["near-A", "distance_m"] == pytest.approx(100, abs=0.5)
    assert rows.loc["near-B", "distance_m"] == pytest.approx(250, abs=0.5)
    assert rows.loc["near-A", "id"] == 1

    narrow = border.zone_hotspots(two_squares_adj, spots, 150)
    assert narrow["code"].tolist() == ["near-A"]
    assert border.zone_hotspots(two_squares_adj, spots.head(0), 300).empty


# --------------------------------------------------------------------------
# Which side acted


@pytest.fixture(scope="module")
def main_district() -> pd.Series:
    return load_units(UnitLevel.WARD)["district_code"]


def test_activity_side_at_district_level(main_district):
    # Preconditions read from the geodata: Hoàn Kiếm and Cửa Nam wards lie
    # (mostly) in Quận Hoàn Kiếm, Ba Đình ward in Quận Ba Đình, Văn Miếu in Đống Đa.
    assert main_district[["00070", "00082", "00004", "00226"]].tolist() == ["002", "002", "001", "006"]
    acts = pd.DataFrame(
        {"unit_code": ["001", "002", "00070", "00082", "00004", "00226", "006"]},
        index=[5, 6, 7, 8, 9, 10, 11],
    )
    side = border.activity_side(acts, UnitLevel.DISTRICT, "001", "002")
    assert side.index.tolist() == acts.index.tolist()
    assert side.tolist() == ["a", "b", "b", "b", "a", None, None]


def test_activity_side_at_ward_level(main_district):
    acts = pd.DataFrame({"unit_code": ["00004", "00070", "001", "002", "006", "00082", "00226"]})
    # Ba Đình (in 001) and Hoàn Kiếm (in 002): a district code names one side.
    side = border.activity_side(acts, UnitLevel.WARD, "00004", "00070")
    assert side.tolist() == ["a", "b", "a", "b", None, None, None]
    # Hoàn Kiếm and Cửa Nam both lie in 002: a district code decides nothing.
    assert main_district["00070"] == main_district["00082"]
    side = border.activity_side(acts, UnitLevel.WARD, "00070", "00082")
    assert side.tolist() == [None, "a", None, None, None, "b", None]


@pytest.mark.parametrize("level", list(UnitLevel))
def test_activity_side_of_an_unknown_unit_is_undecided(level):
    a, b = ("001", "002") if level == UnitLevel.DISTRICT else ("00004", "00070")
    acts = pd.DataFrame({"unit_code": [a, None, b]})
    assert border.activity_side(acts, level, a, b).tolist() == ["a", None, "b"]


# --------------------------------------------------------------------------
# Joint table, gaps, one-sided pairs, ranking (hand-made frames)


def hand_adjacency(*pairs: tuple[str, str], level: UnitLevel = UnitLevel.DISTRICT) -> border.Adjacency:
    """Pairs of ``level`` with made-up lines (the tables only read codes and names)."""
    names = unit_names(level)
    frame = gpd.GeoDataFrame(
        {
            "code_a": [a for a, _ in pairs],
            "code_b": [b for _, b in pairs],
            "name_a": [names[a] for a, _ in pairs],
            "name_b": [names[b] for _, b in pairs],
            "length_m": [1000.0 * (i + 1) for i in range(len(pairs))],
        },
        geometry=[shapely.LineString([(X0, Y0 + i), (X0 + 1, Y0 + i)]) for i in range(len(pairs))],
        crs=METRIC_CRS,
    )
    return border.Adjacency(level, frame, pd.DataFrame(columns=["code_a", "code_b"]))


def in_zone_rows(*rows: tuple[int, str, str, str]) -> pd.DataFrame:
    """(hotspot id, code_a, code_b, side) -> zone_hotspots-like rows."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "code": [f"TD-{r[0]}" for r in rows],
            "code_a": [r[1] for r in rows],
            "code_b": [r[2] for r in rows],
            "side": [r[3] for r in rows],
            "neighbour": [r[2] if r[3] == r[1] else r[1] for r in rows],
            "distance_m": 100.0,
        }
    )


def view_of(statuses: dict[int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": list(statuses), "status": list(statuses.values()), "name": [f"Điểm {i}" for i in statuses]}
    )


def acts_of(*rows: tuple[int | None, str, dt.date]) -> pd.DataFrame:
    """(hotspot id, performing unit, date) -> activities."""
    return pd.DataFrame(
        {
            "hotspot_id": [np.nan if r[0] is None else r[0] for r in rows],
            "unit_code": [r[1] for r in rows],
            "date": pd.to_datetime([r[2] for r in rows]),
        }
    )


def test_joint_table_counts_statuses_and_each_sides_work():
    adj = hand_adjacency(("001", "002"), ("001", "003"), ("002", "006"))
    # Hotspot 3 lies in 002 where it meets both 001 and 006: it is in two zones.
    in_zone = in_zone_rows(
        (1, "001", "002", "001"),
        (2, "001", "002", "002"),
        (3, "001", "002", "002"),
        (3, "002", "006", "002"),
        (4, "002", "006", "006"),
    )
    view = view_of({1: "active", 2: "cleared", 3: "reemerged", 4: "handed_over", 5: "active"})
    d = D(2020, 3, 1)
    acts = acts_of(
        (1, "001", d), (1, "001", d), (1, "002", d), (1, "00070", d), (1, "006", d),  # 00070 lies in 002
        (2, "002", d),
        (3, "006", d), (3, "006", d), (3, "002", d),
        (5, "001", d), (5, "001", d),  # hotspot 5 is in no zone
        (None, "001", d),  # area-wide work
    )  # fmt: skip
    table = border.joint_table(adj, in_zone, view, acts)
    assert table.columns.tolist() == [
        "code_a", "code_b", "name_a", "name_b", "length_m", "hotspots", *STATUSES,
        "acts_a", "acts_b", "acts_other",
    ]  # fmt: skip
    # Only pairs with hotspots, most hotspots first; 001-003 has none.
    assert table[["code_a", "code_b"]].values.tolist() == [["001", "002"], ["002", "006"]]
    first, second = (row._asdict() for row in table.itertuples(index=False))
    assert first["hotspots"] == 3
    assert {s: first[s] for s in STATUSES} == {
        "active": 1, "clearing": 0, "cleared": 1, "handed_over": 0, "reemerged": 1
    }  # fmt: skip
    assert (first["acts_a"], first["acts_b"], first["acts_other"]) == (2, 4, 3)
    assert (first["name_a"], first["length_m"]) == ("Quận Ba Đình", 1000.0)
    assert second["hotspots"] == 2
    assert (second["reemerged"], second["handed_over"], second["active"]) == (1, 1, 0)
    assert (second["acts_a"], second["acts_b"], second["acts_other"]) == (1, 2, 0)


def test_joint_table_without_border_hotspots_is_empty_with_its_columns():
    adj = hand_adjacency(("001", "002"))
    table = border.joint_table(adj, in_zone_rows(), view_of({}), acts_of())
    assert table.empty
    assert {"hotspots", "acts_a", "acts_b", "acts_other", *STATUSES} <= set(table.columns)


AS_OF = D(2020, 6, 30)


@pytest.fixture
def gap_case():
    adj = hand_adjacency(("001", "002"))
    in_zone = in_zone_rows(
        (1, "001", "002", "001"),
        (2, "001", "002", "002"),
        (3, "001", "002", "001"),
        (4, "001", "002", "001"),
        (5, "001", "002", "002"),
    )
    view = view_of({1: "active", 2: "clearing", 3: "reemerged", 4: "cleared", 5: "active"})
    first_day = AS_OF - dt.timedelta(days=89)  # the 90-day look-back starts here
    acts = acts_of(
        (1, "001", first_day),  # counts
        (1, "002", first_day - dt.timedelta(days=1)),  # one day too early
        (2, "001", D(2020, 5, 1)),
        (2, "002", D(2020, 6, 1)),
        (5, "002", AS_OF),  # counts
        (5, "001", AS_OF + dt.timedelta(days=1)),  # after the date
    )
    return adj, in_zone, view, acts


def test_coordination_gaps_and_the_look_back_edges(gap_case):
    adj, in_zone, view, acts = gap_case
    gaps = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=90)
    assert gaps.columns.tolist() == [
        *in_zone.columns,
        "status",
        "name",
        "acts_side",
        "acts_neighbour",
        "silent",
    ]
    rows = gaps.set_index("id")
    # 2 had both sides; 4 is cleared, not a hotspot needing attention.
    assert sorted(rows.index) == [1, 3, 5]
    assert rows.loc[1, ["acts_side", "acts_neighbour", "silent"]].tolist() == [1, 0, "002"]
    assert rows.loc[3, ["acts_side", "acts_neighbour", "silent"]].tolist() == [0, 0, "001 002"]
    assert rows.loc[5, ["acts_side", "acts_neighbour", "silent"]].tolist() == [1, 0, "001"]
    assert rows.loc[5, "status"] == "active" and rows.loc[5, "name"] == "Điểm 5"

    # One day more reaches 002's early patrol at hotspot 1.
    longer = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=91)
    assert sorted(longer["id"]) == [3, 5]
    # The caller may add statuses to watch.
    watched = border.coordination_gaps(
        adj, in_zone, view, acts, AS_OF, days=90, attention=frozenset({Status.CLEARED})
    )
    assert watched["id"].tolist() == [4]
    # A cleared place at high re-emergence risk needs both sides too.
    at_risk = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=90, at_risk=frozenset({4}))
    assert sorted(at_risk["id"]) == [1, 3, 4, 5]
    assert at_risk.set_index("id").loc[4, "silent"] == "001 002"


@pytest.mark.parametrize("days", [0, -3])
def test_coordination_gaps_need_a_look_back(gap_case, days):
    with pytest.raises(ValueError, match="at least one day"):
        border.coordination_gaps(*gap_case, AS_OF, days=days)


@pytest.fixture
def ward_case():
    """Ward pairs Ba Đình (00004, in 001) - Hoàn Kiếm (00070, in 002) and
    Hoàn Kiếm - Cửa Nam (00082, also in 002). Hotspot 3 lies in Hoàn Kiếm by
    both neighbours, so each of its two rows has its own sides."""
    adj = hand_adjacency(("00004", "00070"), ("00070", "00082"), level=UnitLevel.WARD)
    in_zone = in_zone_rows(  # not in id order: the result keeps this order
        (7, "00070", "00082", "00082"),
        (3, "00004", "00070", "00070"),
        (3, "00070", "00082", "00070"),
        (9, "00004", "00070", "00004"),
        (10, "00070", "00082", "00082"),
    )
    view = view_of({3: "active", 7: "reemerged", 9: "clearing", 10: "handed_over", 8: "active"})
    d = AS_OF - dt.timedelta(days=10)
    acts = acts_of(
        (3, "001", d),  # Ba Đình's district: side a of the first pair, nobody's in the second
        (3, "00082", d),  # Cửa Nam: the second pair's side b only
        (3, "002", d),  # Hoàn Kiếm's district: the first pair's side b; both wards of the second lie in it
        (7, "00070", d),
        (7, None, d),  # no unit recorded
        (8, "00070", d),  # hotspot 8 is in no zone
        (None, "00082", d),  # area-wide work
        (9, "00004", AS_OF - dt.timedelta(days=90)),  # one day before the 90-day look-back
        (10, "00082", AS_OF + dt.timedelta(days=1)),  # after the date
    )
    return adj, in_zone, view, acts


def test_joint_table_reads_each_pairs_sides_at_ward_level(ward_case):
    adj, in_zone, view, acts = ward_case
    table = border.joint_table(adj, in_zone, view, acts)
    got = table[["code_a", "code_b", "hotspots", *STATUSES, "acts_a", "acts_b", "acts_other"]]
    assert got.values.tolist() == [
        ["00070", "00082", 3, 1, 0, 0, 1, 1, 1, 2, 3],
        ["00004", "00070", 2, 1, 1, 0, 0, 0, 2, 1, 1],
    ]
    assert table.index.tolist() == [1, 0]


def test_coordination_gaps_count_each_row_with_its_own_pair(ward_case):
    adj, in_zone, view, acts = ward_case
    gaps = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=90)
    got = gaps[["id", "code_a", "code_b", "side", "status", "acts_side", "acts_neighbour", "silent"]]
    # Hotspot 3 had both sides of the first pair; in the second only Cửa Nam
    # acted. Hotspot 10 is handed over (not watched).
    assert got.values.tolist() == [
        [7, "00070", "00082", "00082", "reemerged", 0, 1, "00082"],
        [3, "00070", "00082", "00070", "active", 0, 1, "00070"],
        [9, "00004", "00070", "00004", "clearing", 0, 0, "00004 00070"],
    ]
    assert gaps.index.tolist() == [0, 1, 2]
    assert gaps.dtypes[["id", "acts_side", "acts_neighbour"]].tolist() == [np.int64] * 3
    # A day more reaches hotspot 9's patrol by its own side; 10 watched sees
    # Cửa Nam's later work only when the date moves on.
    counts = ["acts_side", "acts_neighbour", "silent"]
    longer = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=91)
    assert longer.set_index("id").loc[9, counts].tolist() == [1, 0, "00070"]
    next_day = AS_OF + dt.timedelta(days=1)
    later = border.coordination_gaps(adj, in_zone, view, acts, next_day, days=90, at_risk=frozenset({10}))
    assert later.set_index("id").loc[10, counts].tolist() == [1, 0, "00070"]
    quiet = border.coordination_gaps(adj, in_zone, view, acts.head(0), AS_OF, days=90)
    assert quiet["silent"].tolist() == ["00082 00070", "00070 00004", "00070 00082", "00004 00070"]


def _per_row_gaps(adj, in_zone, view, acts, as_of, days):
    """coordination_gaps spelled out one row at a time with activity_side."""
    after, until = pd.Timestamp(as_of - dt.timedelta(days=days)), pd.Timestamp(as_of)
    recent = acts[(acts["date"] > after) & (acts["date"] <= until)]
    rows = in_zone.merge(view[["id", "status", "name"]], on="id")
    out = []
    for row in rows[rows["status"].isin([str(s) for s in border.ATTENTION_STATUSES])].itertuples(index=False):
        side = border.activity_side(recent[recent["hotspot_id"] == row.id], adj.level, row.code_a, row.code_b)
        own, other = ("a", "b") if row.side == row.code_a else ("b", "a")
        n_own, n_other = int((side == own).sum()), int((side == other).sum())
        if not (n_own and n_other):
            out.append((row.id, row.code_a, row.code_b, n_own, n_other))
    return out


@pytest.mark.parametrize("level", list(UnitLevel), ids=str)
def test_tables_agree_with_a_pair_by_pair_count(level):
    rng = np.random.default_rng(7)
    if level == UnitLevel.DISTRICT:
        pairs = [("001", "002"), ("001", "005"), ("002", "003"), ("002", "006"), ("003", "006")]
        units = ["001", "002", "003", "005", "006", "00070", "00004", "00226", "009", None]
    else:
        pairs = [("00004", "00070"), ("00004", "00226"), ("00070", "00082"), ("00082", "00226")]
        units = ["00004", "00070", "00082", "00226", "001", "002", "006", "003", None]
    adj = hand_adjacency(*pairs, level=level)
    rows = []
    for h in range(1, 31):  # each hotspot by two pairs, on either side
        for p in rng.choice(len(pairs), 2, replace=False):
            a, b = pairs[p]
            rows.append((h, a, b, (a, b)[rng.integers(2)]))
    in_zone = in_zone_rows(*rows)
    view = view_of({h: STATUSES[h % len(STATUSES)] for h in range(1, 33)})
    dates = [AS_OF - dt.timedelta(days=int(n)) for n in rng.integers(-5, 150, 600)]
    hotspots = [None if h == 0 else int(h) for h in rng.integers(0, 33, 600)]
    acts = acts_of(*zip(hotspots, [units[i] for i in rng.integers(0, len(units), 600)], dates, strict=True))
    gaps = border.coordination_gaps(adj, in_zone, view, acts, AS_OF, days=60)
    expected = _per_row_gaps(adj, in_zone, view, acts, AS_OF, 60)
    assert len(expected) > 5
    got = gaps[["id", "code_a", "code_b", "acts_side", "acts_neighbour"]].values.tolist()
    assert got == [list(r) for r in expected]
    table = border.joint_table(adj, in_zone, view, acts)
    assert len(table) == len(pairs)
    for row in table.itertuples(index=False):
        ids = in_zone.loc[(in_zone["code_a"] == row.code_a) & (in_zone["code_b"] == row.code_b), "id"]
        side = border.activity_side(acts[acts["hotspot_id"].isin(ids)], level, row.code_a, row.code_b)
        counts = [int((side == "a").sum()), int((side == "b").sum()), int(side.isna().sum())]
        assert [row.acts_a, row.acts_b, row.acts_other] == counts


def pair_table(rows: list[dict]) -> pd.DataFrame:
    """A joint_table-like frame; missing status and activity counts are 0."""
    base = dict.fromkeys([*STATUSES, "acts_a", "acts_b"], 0)
    table = pd.DataFrame([base | r for r in rows])
    table["hotspots"] = table[STATUSES].sum(axis=1)
    return table


def test_one_sided_pairs():
    table = pair_table(
        [
            {"code_a": "001", "code_b": "002", "acts_a": 3},
            {"code_a": "001", "code_b": "003", "acts_b": 2},
            {"code_a": "002", "code_b": "003", "acts_a": 1, "acts_b": 1},
            {"code_a": "002", "code_b": "006", "active": 1},
        ]
    )
    one = border.one_sided_pairs(table)
    assert one[["code_a", "code_b", "active_side"]].values.tolist() == [
        ["001", "002", "001"],
        ["001", "003", "003"],
    ]


def test_attention_ranking_orders_by_open_hotspots_then_gaps_then_size():
    table = pair_table(
        [
            {"code_a": "P1", "code_b": "x", "active": 1, "cleared": 2},  # attention 1, 2 gaps
            {"code_a": "P2", "code_b": "x", "active": 1, "clearing": 1},  # attention 2
            {"code_a": "P3", "code_b": "x", "reemerged": 1},  # attention 1, 1 hotspot
            {"code_a": "P4", "code_b": "x", "cleared": 2},  # nothing to do
            {"code_a": "P5", "code_b": "x", "handed_over": 1},  # a gap only
            {"code_a": "P6", "code_b": "x", "active": 1, "handed_over": 3},  # attention 1, 4 hotspots
        ]
    )
    gaps = pd.DataFrame({"code_a": ["P1", "P1", "P5"], "code_b": ["x", "x", "x"], "id": [1, 2, 3]})
    ranking = border.attention_ranking(table, gaps)
    assert ranking["code_a"].tolist() == ["P2", "P1", "P6", "P3", "P5"]
    assert ranking["attention"].tolist() == [2, 1, 1, 1, 0]
    assert ranking["gaps"].tolist() == [0, 2, 0, 0, 1]


# --------------------------------------------------------------------------
# The real layers


@pytest.fixture(scope="module", params=list(UnitLevel), ids=lambda v: v.value)
def level(request) -> UnitLevel:
    return request.param


@pytest.fixture(scope="module")
def metric_units(level) -> gpd.GeoDataFrame:
    return load_units(level, display=True).to_crs(METRIC_CRS)


def line_contacts(units: gpd.GeoDataFrame) -> tuple[set, set]:
    """Pairs whose boundaries share a line, and pairs that only meet at points,
    from the exact geometry of a valid coverage."""
    geoms, codes = units.geometry.values, units.index.to_numpy()
    i, j = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = codes[i] < codes[j]
    lines, points = set(), set()
    for a, b in zip(i[keep], j[keep], strict=True):
        common = shapely.intersection(shapely.boundary(geoms[a]), shapely.boundary(geoms[b]))
        (lines if shapely.length(common) > 0 else points).add((codes[a], codes[b]))
    return lines, points


#: Pairs of neighbours, from the geodata (within snap tolerance, point contacts included).
NEIGHBOUR_PAIRS = {UnitLevel.DISTRICT: 72, UnitLevel.WARD: 347}


def test_real_pairs_are_unique_sorted_and_counted(level, metric_units):
    adj = border.adjacency(level)
    pairs = pairs_of(adj)
    points = list(zip(adj.point_contacts["code_a"], adj.point_contacts["code_b"], strict=True))
    assert len(pairs) + len(points) == NEIGHBOUR_PAIRS[level]
    assert all(a < b for a, b in pairs + points)
    assert pairs == sorted(set(pairs)) and points == sorted(set(points))
    assert not set(pairs) & set(points)
    lines, touching = line_contacts(metric_units)
    assert set(pairs) == lines and set(points) == touching
    if level == UnitLevel.DISTRICT:
        assert len(pairs) == 72 and not points


def test_real_adjacency_is_symmetric(level, metric_units):
    adj = border.adjacency(level)
    codes = metric_units.index.tolist()
    neighbours = {c: set(adj.neighbours(c)) for c in codes}
    for a, b in itertools.permutations(codes, 2):
        assert (b in neighbours[a]) == (a in neighbours[b])
    reversed_layer = load_units(level, display=True).iloc[::-1]
    again = border.adjacency_of(reversed_layer, level)
    assert pairs_of(again) == pairs_of(adj)
    np.testing.assert_allclose(again.pairs["length_m"], adj.pairs["length_m"], atol=1e-6)
    assert again.point_contacts[["code_a", "code_b"]].values.tolist() == (
        adj.point_contacts[["code_a", "code_b"]].values.tolist()
    )


def test_every_unit_has_a_neighbour(level, metric_units):
    adj = border.adjacency(level)
    lonely = [c for c in metric_units.index if not adj.neighbours(c)]
    assert lonely == []


def _shared_vs_inner_boundary(level, metric_units) -> pd.DataFrame:
    adj = border.adjacency(level)
    city = shapely.union_all(metric_units.geometry.values)
    # The display layer is a valid coverage: a unit's outer edge lies exactly on
    # the city outline (a wider band would swallow edges next to a thin strip
    # of a neighbour that runs along the outline).
    outline = city.boundary.buffer(0.5)
    perimeter = metric_units.boundary.length
    outer = metric_units.boundary.intersection(outline).length
    p = adj.pairs
    shared = pd.concat([p.set_index("code_a")["length_m"], p.set_index("code_b")["length_m"]])
    shared = shared.groupby(level=0).sum().reindex(metric_units.index, fill_value=0.0)
    return pd.DataFrame({"perimeter": perimeter, "inner": perimeter - outer, "shared": shared})


@pytest.mark.parametrize("level_", list(UnitLevel), ids=str)
def test_shared_lengths_add_up_to_each_units_inner_boundary(level_):
    # Per unit: sum of shared lengths = perimeter - the part on the city's
    # outline. Allowed: 2 % of the perimeter (each pair's measure includes up
    # to SNAP_M along the next boundary at each end, about 0.5-1 % for a
    # small ward; districts stay under 0.5 %).
    units = load_units(level_, display=True).to_crs(METRIC_CRS)
    table = _shared_vs_inner_boundary(level_, units)
    off = (table["shared"] - table["inner"]).abs() / table["perimeter"]
    # Four wards on the city edge (09634, 09664, 09676, 09700) have strips
    # thinner than SNAP_M running along the outline, where "perimeter minus
    # outline" is itself ambiguous; their pair lengths are checked exactly by
    # test_each_pair_length_is_its_common_boundary.
    limit = 0.05 if level_ == UnitLevel.WARD else 0.02
    assert off.max() < limit, off.sort_values().tail(5).to_dict()
    assert (off > 0.02).sum() <= 4


@pytest.mark.parametrize("level_", list(UnitLevel), ids=str)
def test_each_pair_length_is_its_common_boundary(level_):
    # The display layer is a valid coverage: neighbours share their boundary
    # exactly, so the true shared length is that of the boundaries' intersection.
    units = load_units(level_, display=True).to_crs(METRIC_CRS)
    p = border.adjacency(level_).pairs
    exact = shapely.length(
        shapely.intersection(
            shapely.boundary(units.geometry.loc[p["code_a"]].values),
            shapely.boundary(units.geometry.loc[p["code_b"]].values),
        )
    )
    excess = p["length_m"].to_numpy() - exact
    # Ends: up to SNAP_M (more at an acute junction) on each side of each end.
    allowed = 5 * border.SNAP_M + 0.01 * exact
    bad = p.assign(exact=exact)[(excess < 0) | (excess > allowed)]
    assert bad.empty, bad[["code_a", "code_b", "length_m", "exact"]].to_dict("records")


def test_display_lengths_are_close_to_full_resolution(level):
    display = border.adjacency(level)
    full = border.adjacency_of(load_units(level), level)
    assert pairs_of(full) == pairs_of(display)
    assert display.pairs["length_m"].sum() == pytest.approx(full.pairs["length_m"].sum(), rel=0.03)


# --------------------------------------------------------------------------
# The report


@pytest.fixture(scope="module")
def view_now(sample_dataset) -> pd.DataFrame:
    return queries.hotspot_view(sample_dataset, Filters.for_year(TODAY.year, TODAY))


@pytest.fixture(scope="module")
def acts_now(sample_dataset, view_now) -> pd.DataFrame:
    return queries.activities_view(sample_dataset, Filters.for_year(TODAY.year, TODAY), view_now)


def report_for(ds, view, acts, level, **kwargs) -> border.BorderReport:
    return border.border_report(level, view, acts, ds.activities, TODAY, **kwargs)


@pytest.mark.parametrize(("level_", "unit"), [(UnitLevel.DISTRICT, "002"), (UnitLevel.WARD, "00070")])
def test_report_for_one_unit_keeps_its_pairs_and_their_zones(
    sample_dataset, view_now, acts_now, level_, unit
):
    report = report_for(sample_dataset, view_now, acts_now, level_, unit=unit)
    pairs = report.adjacency.pairs
    assert len(pairs) == len(border.adjacency(level_).neighbours(unit)) > 0
    assert ((pairs["code_a"] == unit) | (pairs["code_b"] == unit)).all()
    assert report.zones[["code_a", "code_b"]].values.tolist() == pairs[["code_a", "code_b"]].values.tolist()
    # Row by row, each zone is the band around its own pair's line.
    assert report.zones.geometry.buffer(1).contains(pairs.geometry.reset_index(drop=True)).all()
    units = load_units(level_, display=True).to_crs(METRIC_CRS).geometry
    for row in report.zones.itertuples(index=False):
        both = units[row.code_a].union(units[row.code_b])
        assert row.geometry.difference(both.buffer(1)).area < 1
    touched = set(report.in_zone["code_a"]) | set(report.in_zone["code_b"])
    assert touched <= {unit, *pairs["code_a"], *pairs["code_b"]}
    assert unit in touched or report.in_zone.empty
    assert set(zip(report.table["code_a"], report.table["code_b"], strict=True)) <= set(
        pairs_of(report.adjacency)
    )


def test_report_for_the_whole_city_matches_its_parts(sample_dataset, view_now, acts_now):
    report = report_for(sample_dataset, view_now, acts_now, UnitLevel.DISTRICT, width_m=400, gap_days=60)
    adj = border.adjacency(UnitLevel.DISTRICT)
    assert (report.width_m, report.gap_days, report.level) == (400, 60, UnitLevel.DISTRICT)
    assert len(report.adjacency.pairs) == len(report.zones) == 72
    pd.testing.assert_frame_equal(report.in_zone, border.zone_hotspots(adj, view_now, 400))
    assert report.table["hotspots"].sum() == len(report.in_zone) > 0


def test_pair_bounds(sample_dataset, view_now, acts_now):
    report = report_for(sample_dataset, view_now, acts_now, UnitLevel.DISTRICT)
    (south, west), (north, east) = report.pair_bounds("001", "002")
    zone = report.zones[(report.zones["code_a"] == "001") & (report.zones["code_b"] == "002")]
    minx, miny, maxx, maxy = zone.to_crs("EPSG:4326").total_bounds
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx))
    # Ba Đình and Hoàn Kiếm meet around 21.03-21.05 N, 105.83-105.86 E.
    assert 21.0 < south < north < 21.1 and 105.8 < west < east < 105.9
    with pytest.raises(ValueError, match="001"):
        report.pair_bounds("001", "030")  # not neighbours
    with pytest.raises(ValueError):
        report.pair_bounds("002", "001")  # pairs are (lower code, higher code)


def test_level_at_the_reform():
    assert border.level_at(D(2020, 3, 6)) == UnitLevel.DISTRICT
    assert border.level_at(D(2025, 6, 30)) == UnitLevel.DISTRICT
    assert border.level_at(D(2025, 7, 1)) == UnitLevel.WARD
    assert border.level_at(TODAY) == UnitLevel.WARD


# --------------------------------------------------------------------------
# Store: schema v2 (activity.unit_code)


def _v1_store(url: str) -> sa.Engine:
    """A store as schema version 1 left it: no activity.unit_code."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        store.metadata.create_all(conn)
        if engine.dialect.name == "sqlite":  # SQLite cannot drop an indexed column
            conn.execute(sa.text("DROP INDEX ix_activity_unit_code"))
        conn.execute(sa.text("ALTER TABLE activity DROP COLUMN unit_code"))
        as_pre_alembic_store(conn, 1)
        ward, district = PLACES["hoa_lo"][1:]
        conn.execute(
            store.hotspot.insert().values(
                id=1, code="TD-1", name="Điểm thử", kind="public_area", lat=21.0253, lon=105.8466,
                ward_code=ward, district_code=district, status="active",
            )
        )  # fmt: skip
        rows = [
            (1, D(2025, 6, 30), 1, ward, district, "patrol"),
            (2, D(2025, 7, 1), 1, ward, district, "patrol"),
            (3, D(2025, 8, 25), None, None, "006", "briefing"),  # area-wide, district only
            (4, D(2020, 2, 25), None, "00226", "006", "briefing"),
        ]
        for id_, date, hid, w, d, kind in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO activity (id, date, hotspot_id, ward_code, district_code, kind) "
                    "VALUES (:id, :date, :hid, :w, :d, :kind)"
                ),
                {"id": id_, "date": date, "hid": hid, "w": w, "d": d, "kind": kind},
            )
    return engine


def _unit_codes(engine) -> dict[int, str | None]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT id, unit_code FROM activity ORDER BY id")).all())


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_migration_to_v2_back_fills_the_performing_unit(request, tmp_path, db):
    url = f"sqlite:///{tmp_path}/v1.sqlite" if db == "sqlite" else request.getfixturevalue("pg_url")
    engine = _v1_store(url)
    try:
        assert "unit_code" not in {c["name"] for c in sa.inspect(engine).get_columns("activity")}
        # v1 -> current: the v2 step and every later one run.
        assert store.migrate(engine) == store.SCHEMA_VERSION >= 2
        with engine.connect() as conn:
            assert store.schema_version(conn) == store.SCHEMA_VERSION
        inspector = sa.inspect(engine)
        assert "unit_code" in {c["name"] for c in inspector.get_columns("activity")}
        assert any(ix["column_names"] == ["unit_code"] for ix in inspector.get_indexes("activity"))
        ward, district = PLACES["hoa_lo"][1:]
        expected = {1: district, 2: ward, 3: "006", 4: "006"}
        assert _unit_codes(engine) == expected

        # A neighbour's unit, recorded after the migration, survives running it again.
        with engine.begin() as conn:
            conn.execute(store.activity.update().where(store.activity.c.id == 2).values(unit_code="00070"))
        assert store.migrate(engine) == store.SCHEMA_VERSION
        with engine.begin() as conn:
            run_revision(conn, "0002")  # the step itself is idempotent too
        assert _unit_codes(engine) == expected | {2: "00070"}
        with engine.connect() as conn:
            versions = conn.execute(sa.select(store.meta.c.value).where(store.meta.c.key == "schema_version"))
            assert [v for (v,) in versions] == [str(store.SCHEMA_VERSION)]
    finally:
        engine.dispose()


def test_add_activities_fills_the_performing_unit(empty_engine):
    with empty_engine.begin() as conn:
        (hid,) = store.add_hotspots(
            conn,
            [{"code": "TD-1", "name": "Điểm thử", "kind": "public_area", "lat": PLACES["hoa_lo"][0][0],
              "lon": PLACES["hoa_lo"][0][1], "status": "active"}],
        )  # fmt: skip
        store.add_activities(
            conn,
            [
                {"date": D(2025, 6, 30), "kind": "patrol", "hotspot_id": hid},
                {"date": D(2025, 7, 1), "kind": "patrol", "hotspot_id": hid},
                {"date": D(2025, 8, 25), "kind": "briefing", "ward_code": "00226"},
                {"date": D(2025, 8, 25), "kind": "briefing", "district_code": "001"},
                {"date": D(2020, 2, 25), "kind": "briefing", "ward_code": "00226"},
                {"date": D(2025, 9, 1), "kind": "patrol", "hotspot_id": hid, "unit_code": "00070"},
                {"date": D(2024, 9, 1), "kind": "patrol", "hotspot_id": hid, "unit_code": "001"},
            ],
        )
    acts = store.read_activities(empty_engine, Scope.city())
    ward, district = PLACES["hoa_lo"][1:]
    assert acts["unit_code"].tolist() == [
        "006",  # 2020, area-wide in a ward: the district it lies mostly in
        "001",  # given
        district,  # before the reform: the district
        ward,  # from 01/07/2025: the ward
        "00226",
        "001",  # no ward given: the district
        "00070",  # given
    ]


# --------------------------------------------------------------------------
# Sample data: neighbours' forces at border hotspots


def _own_unit(acts: pd.DataFrame, hotspots: pd.DataFrame) -> pd.Series:
    h = hotspots.set_index("id")
    before = acts["date"] < pd.Timestamp(border.REFORM_DATE)
    return pd.Series(
        np.where(
            before,
            h.loc[acts["hotspot_id"], "district_code"].to_numpy(),
            h.loc[acts["hotspot_id"], "ward_code"].to_numpy(),
        ),
        index=acts.index,
    )


def test_neighbours_perform_some_border_work_and_are_named(sample_dataset):
    acts = sample_dataset.activities
    on = acts[acts["hotspot_id"].notna()].copy()
    on["hotspot_id"] = on["hotspot_id"].astype(int)
    on["own"] = _own_unit(on, sample_dataset.hotspots)
    by_neighbour = on[on["unit_code"] != on["own"]]
    assert len(by_neighbour) > 0
    assert len(by_neighbour) < 0.2 * len(on)  # most work stays with the hotspot's own unit
    names = unit_names(UnitLevel.WARD) | unit_names(UnitLevel.DISTRICT)
    for row in on.itertuples(index=False):
        assert row.unit.endswith(" " + names[row.unit_code]), row
    before = by_neighbour["date"] < pd.Timestamp(border.REFORM_DATE)
    assert before.any() and (~before).any()
    for lvl, part in ((UnitLevel.DISTRICT, by_neighbour[before]), (UnitLevel.WARD, by_neighbour[~before])):
        assert (part["unit_code"].str.len() == (3 if lvl == UnitLevel.DISTRICT else 5)).all()
        adj = border.adjacency(lvl)
        known = set(pairs_of(adj)) | set(
            zip(adj.point_contacts["code_a"], adj.point_contacts["code_b"], strict=True)
        )
        for own, unit in set(zip(part["own"], part["unit_code"], strict=True)):
            assert tuple(sorted((own, unit))) in known, (own, unit)
        # One neighbour per hotspot and level.
        assert part.groupby("hotspot_id")["unit_code"].nunique().max() == 1


def test_neighbours_change_only_who_performed(monkeypatch, sample_dataset):
    # A run in which no hotspot has a neighbour across a border: every
    # activity is its own unit's, and nothing else may differ from the sample.
    monkeypatch.setattr(sample, "_nearest_other", lambda _units, _own, _pt: None)
    alone = sample.generate()
    ds = sample_dataset
    code_of = ds.hotspots.set_index("id")["code"]
    assert [(s.code, s.name, s.lat, s.lon) for s in alone.hotspots] == list(
        ds.hotspots[["code", "name", "lat", "lon"]].itertuples(index=False, name=None)
    )
    stored_history = sorted(
        (code_of[r.hotspot_id], r.date.date(), r.to_status) for r in ds.history.itertuples(index=False)
    )
    assert (
        sorted((s.code, d, str(st)) for s in alone.hotspots for d, st, _r, _b in s.history) == stored_history
    )

    counts = list(store.COUNT_COLUMNS)
    stored = ds.activities
    generated = pd.DataFrame(alone.activities)
    assert len(generated) == len(stored)
    assert generated["date"].tolist() == [d.date() for d in stored["date"]]
    assert (
        generated["hotspot_code"].fillna("-").tolist()
        == stored["hotspot_id"].map(code_of).fillna("-").tolist()
    )
    assert generated["kind"].tolist() == stored["kind"].tolist()
    assert (generated[counts].fillna(0).astype(int).to_numpy() == stored[counts].to_numpy()).all()
    # Exactly the activities a neighbour performed in the sample changed hands.
    on = stored["hotspot_id"].notna()
    own = _own_unit(stored[on].assign(hotspot_id=stored.loc[on, "hotspot_id"].astype(int)), ds.hotspots)
    assert (generated.loc[on, "unit_code"] == own).all()
    changed = generated.loc[on, "unit_code"] != stored.loc[on, "unit_code"]
    assert changed.any()
    assert changed.tolist() == (stored.loc[on, "unit_code"] != own).tolist()


# --------------------------------------------------------------------------
# Map layers


@pytest.fixture(scope="module")
def district_report(sample_dataset, view_now, acts_now) -> border.BorderReport:
    return report_for(sample_dataset, view_now, acts_now, UnitLevel.DISTRICT)


def map_layers(m) -> dict:
    return {c.layer_name: c for c in m._children.values() if hasattr(c, "layer_name")}


def zone_layer_name(width: float) -> str:
    return t("map.border_zones", width=fmt_number(width))


def test_border_layers_have_one_feature_per_pair_and_zone(district_report, view_now):
    report = district_report
    names = unit_names(UnitLevel.DISTRICT)
    side = report.in_zone["side"].iloc[0]
    evil = "<b>Quận Thử</b>"
    overlay = maps.border_overlay(report, names | {side: evil})
    counts = {lvl: queries.open_counts(view_now, lvl) for lvl in UnitLevel}
    m = maps.build_map(view_now, counts, Tiles(None), border=overlay)
    found = map_layers(m)
    lines, zones = found[t("map.border_lines")], found[zone_layer_name(300)]
    line_pairs = [(f["properties"]["code_a"], f["properties"]["code_b"]) for f in lines.data["features"]]
    assert line_pairs == pairs_of(report.adjacency)
    zone_pairs = [(f["properties"]["code_a"], f["properties"]["code_b"]) for f in zones.data["features"]]
    assert zone_pairs == list(zip(report.zones["code_a"], report.zones["code_b"], strict=True))
    assert lines.show and zones.show

    hotspots = found[t("map.hotspots")]
    in_zone = set(report.in_zone["code"])
    for feature in hotspots.data["features"]:
        props = feature["properties"]
        style = hotspots.style_function(feature)
        assert style["fillColor"] == STATUS_COLOURS[Status(props["status"])]
        if props["code"] in in_zone:
            assert props["in_zone"] is True and style["radius"] == 10
        else:
            assert props["in_zone"] is False and "radius" not in style and props["border"] == "—"
    assert {
        f["properties"]["code"] for f in hotspots.data["features"] if f["properties"]["in_zone"]
    } == in_zone

    # The pair label of a hotspot beside the renamed unit reaches HTML escaped.
    code = report.in_zone.loc[report.in_zone["side"] == side, "code"].iloc[0]
    props = next(f["properties"] for f in hotspots.data["features"] if f["properties"]["code"] == code)
    assert html.escape(evil) in props["border"] and evil not in props["border"]
    (tooltip,) = [c for c in hotspots._children.values() if isinstance(c, folium.GeoJsonTooltip)]
    assert tooltip.fields[-1] == "border" and tooltip.aliases[-1] == html.escape(t("map.tooltip.border"))
    assert evil not in maps.map_payload(m)


def test_pair_labels_on_lines_and_zones_are_escaped(district_report, view_now):
    report = district_report
    evil = '<img src=x onerror="alert(1)">'
    pairs = report.adjacency.pairs.assign(name_a=evil)
    renamed = dataclasses.replace(
        report,
        adjacency=border.Adjacency(report.level, pairs, report.adjacency.point_contacts),
        zones=report.zones.assign(name_a=evil),
    )
    m = maps.build_map(view_now, {}, Tiles(None), border=maps.border_overlay(renamed, {}))
    found = map_layers(m)
    for name in (t("map.border_lines"), zone_layer_name(300)):
        first = found[name].data["features"][0]["properties"]
        assert first["pair"] == html.escape(f"{evil} ↔ {pairs['name_b'].iloc[0]}")
    assert "<img src=x" not in maps.map_payload(m)


def test_city_map_draws_only_pairs_with_border_hotspots(district_report, view_now):
    m = maps.city_map(view_now, district_report, Tiles(None))
    found = map_layers(m)
    assert zone_layer_name(300) not in found
    lines = found[t("map.border_lines")]
    drawn = {(f["properties"]["code_a"], f["properties"]["code_b"]) for f in lines.data["features"]}
    expected = set(zip(district_report.in_zone["code_a"], district_report.in_zone["code_b"], strict=True))
    assert drawn == expected and 0 < len(drawn) < 72
    assert not lines.show


def test_bounds_fit_the_map_to_a_pair(district_report, view_now):
    bounds = district_report.pair_bounds("001", "002")
    m = maps.build_map(
        view_now, {}, Tiles(None), border=maps.border_overlay(district_report, {}), bounds=bounds
    )
    (fit,) = [c for c in m._children.values() if isinstance(c, FitBounds)]
    assert fit.bounds == bounds
    (south, west), (north, east) = bounds
    assert m.location == pytest.approx([(south + north) / 2, (west + east) / 2])


# --------------------------------------------------------------------------
# Charts


NAMES = {"001": "Ba Đình", "002": "Hoàn Kiếm", "003": "Tây Hồ", "006": "Đống Đa"}


def test_border_activity_chart_mirrors_the_two_sides():
    table = pair_table(
        [
            {"code_a": "001", "code_b": "002", "acts_a": 7, "acts_b": 2, "active": 1},
            {"code_a": "001", "code_b": "003", "acts_a": 0, "acts_b": 0, "active": 1},  # no work: left out
            {"code_a": "002", "code_b": "006", "acts_a": 1, "acts_b": 4, "cleared": 1},
        ]
    )
    fig = charts.border_activity_chart(table, NAMES)
    left, right = fig.data
    labels = ["Hoàn Kiếm ↔ Đống Đa", "Ba Đình ↔ Hoàn Kiếm"]  # first row drawn on top
    assert list(left.y) == labels and list(right.y) == labels
    assert list(left.x) == [-1, -7] and list(right.x) == [4, 2]
    assert [c[0] for c in left.customdata] == ["Hoàn Kiếm", "Ba Đình"]
    assert [c[1] for c in left.customdata] == [1, 7]
    assert [c[0] for c in right.customdata] == ["Đống Đa", "Hoàn Kiếm"]
    axis = fig.layout.xaxis
    assert any(v < 0 for v in axis.tickvals)
    assert list(axis.ticktext) == [fmt_number(abs(v)) for v in axis.tickvals]
    assert not any(text.startswith("-") for text in axis.ticktext)
    assert axis.range[0] <= -7 and axis.range[1] >= 7
    assert fig.layout.barmode == "relative"


@pytest.mark.parametrize("peak", [5, 10])
def test_border_activity_chart_ticks_reach_the_longest_bar(peak):
    table = pair_table([{"code_a": "001", "code_b": "002", "acts_a": peak, "acts_b": 1, "active": 1}])
    axis = charts.border_activity_chart(table, NAMES).layout.xaxis
    assert max(axis.tickvals) >= peak and min(axis.tickvals) <= -peak
    # Few, level labels: the plot is narrow beside the pairs' long names.
    assert len(axis.tickvals) == 2 * charts.SIDE_TICKS + 1 and axis.tickangle == 0
    assert axis.range[0] <= min(axis.tickvals) and axis.range[1] >= max(axis.tickvals)


def test_border_status_chart_colours_and_values():
    table = pair_table(
        [
            {"code_a": "001", "code_b": "002", "active": 2, "reemerged": 1},
            {"code_a": "002", "code_b": "006", "cleared": 1},
            {"code_a": "001", "code_b": "003"},  # no hotspots: left out
        ]
    )
    fig = charts.border_status_chart(table, NAMES)
    assert [trace.marker.color for trace in fig.data] == [STATUS_COLOURS[s] for s in Status]
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name[t("status.active")].y) == ["Hoàn Kiếm ↔ Đống Đa", "Ba Đình ↔ Hoàn Kiếm"]
    assert list(by_name[t("status.active")].x) == [0, 2]
    assert list(by_name[t("status.reemerged")].x) == [0, 1]
    assert list(by_name[t("status.cleared")].x) == [1, 0]


def test_border_ranking_chart_puts_the_first_pair_on_top():
    ranking = pd.DataFrame(
        {
            "code_a": ["002", "001", "001"],
            "code_b": ["006", "002", "003"],
            "attention": [3, 2, 1],
            "gaps": [0, 2, 1],
        }
    )
    fig = charts.border_ranking_chart(ranking, NAMES, limit=2)
    attention, gaps = fig.data
    assert list(attention.y) == ["Ba Đình ↔ Hoàn Kiếm", "Hoàn Kiếm ↔ Đống Đa"]  # plotly draws bottom-up
    assert list(attention.x) == [2, 3] and list(gaps.x) == [2, 0]
    assert (attention.name, gaps.name) == (t("chart.attention"), t("chart.gaps"))


@pytest.mark.parametrize(
    "build", [charts.border_activity_chart, charts.border_status_chart, charts.border_ranking_chart]
)
def test_border_charts_say_when_there_is_nothing(build):
    empty = pair_table([{"code_a": "001", "code_b": "002"}]).head(0).assign(attention=0, gaps=0)
    fig = build(empty, NAMES)
    assert not fig.data
    assert fig.layout.annotations[0].text == t("chart.empty")
