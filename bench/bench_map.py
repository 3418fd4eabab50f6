"""Benchmark of the city map: payload, build time and boundary quality.

What it measures, on the sample data in a temporary SQLite store (city scope,
plan year 2020, no basemap):

- **This app**: ``map_payload(city_map(view, border_report(...), Tiles(None)))``, the HTML
  document a browser receives for the city view.
- **Naive**: what a straightforward folium page would do: read the
  full-resolution district and ward files on every render, draw them with
  ``folium.GeoJson``, one ``folium.CircleMarker`` with a ``folium.Tooltip`` per
  hotspot, a ``folium.LayerControl``, and render the map.

For both: size of the HTML (UTF-8 bytes), the first (cold) build in the process
(after the data load) and the median of N warm builds (after one warm-up run),
and how the bytes split by layer.

- **Boundaries**: for each simplified layer (``*_display.geojson`` for zoomed
  maps, ``*_city.geojson`` for the city view), whether it is
  a valid coverage, the holes its union has that the full layer's union does
  not (count and area, EPSG:3405), and the neighbour pairs that overlap by more
  than 1 m²; plus vertex counts of the full and display layers.

Targets:

- payload ratio app / naive <= 1/8;
- build time ratio app / naive (medians) <= 1/4;
- display layers: coverage valid, 0 new holes, 0 overlapping pairs.

Run from the repository root: ``python bench/bench_map.py [--runs N] [--json] [--check]``.
The exit code is 0 unless ``--check`` is given and a target fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import statistics
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import shapely
from common import ROOT, failed_targets, sample_store, verdict

from dashboard.border import border_report, level_at
from dashboard.config import Tiles, today
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import DETAILS, METRIC_CRS
from dashboard.i18n import t
from dashboard.maps import city_map, map_payload
from dashboard.queries import activities_view, hotspot_view, open_counts

GEODATA = ROOT / "geodata"
LAYERS = {UnitLevel.DISTRICT: "districts", UnitLevel.WARD: "wards"}
PLAN_YEAR = 2020

#: Largest acceptable app / naive ratios.
PAYLOAD_TARGET = 1 / 8
TIME_TARGET = 1 / 4
#: Neighbours whose intersection is larger than this (m²) overlap.
OVERLAP_MIN_M2 = 1.0
#: A display hole is an existing hole when at least this share of it lies in a
#: hole of the full layer's union.
HOLE_MATCH_SHARE = 0.5


# --------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class CityView:
    view: pd.DataFrame
    counts: dict[UnitLevel, pd.Series]
    tiles: Tiles
    activities: pd.DataFrame
    all_activities: pd.DataFrame
    as_of: dt.date


def city_view(workdir: Path) -> CityView:
    """The city view's map inputs, from the sample data in a fresh store."""
    _, ds = sample_store(workdir)
    f = Filters.for_year(PLAN_YEAR, today())
    view = hotspot_view(ds, f)
    counts = {level: open_counts(view, level) for level in (UnitLevel.DISTRICT, UnitLevel.WARD)}
    return CityView(view, counts, Tiles(None), activities_view(ds, f, view), ds.activities, f.as_of)


# --------------------------------------------------------------------------
# The two maps


def app_map(city: CityView) -> folium.Map:
    """What the overview page builds on each render: its border report and map."""
    report = border_report(level_at(city.as_of), city.view, city.activities, city.all_activities, city.as_of)
    return city_map(city.view, report, city.tiles)


def _tooltip(row) -> str:
    last = "" if pd.isna(row.last_activity) else row.last_activity.strftime("%d/%m/%Y")
    lines = [row.name, row.code, row.status, row.kind, row.ward_code, row.district_code, last]
    return "<br>".join(html.escape(str(line)) for line in lines)


def naive_map(city: CityView) -> folium.Map:
    """A straightforward folium map: full layers read from disk on every call."""
    districts = gpd.read_file(GEODATA / "districts.geojson")
    wards = gpd.read_file(GEODATA / "wards.geojson")
    minx, miny, maxx, maxy = districts.total_bounds
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10)
    folium.GeoJson(districts, name=t("map.districts")).add_to(m)
    folium.GeoJson(wards, name=t("map.wards"), show=False).add_to(m)
    points = folium.FeatureGroup(name=t("map.hotspots")).add_to(m)
    for row in city.view.itertuples(index=False):
        folium.CircleMarker(
            location=[row.lat, row.lon],
            radius=7,
            color="#000000",
            weight=1.5,
            fill=True,
            fill_color=STATUS_COLOURS[Status(row.status)],
            fill_opacity=0.95,
            tooltip=folium.Tooltip(_tooltip(row)),
        ).add_to(points)
    folium.LayerControl().add_to(m)
    return m


def naive_payload(city: CityView) -> str:
    return naive_map(city).get_root().render()


def app_payload(city: CityView) -> str:
    return map_payload(app_map(city))


# --------------------------------------------------------------------------
# Measuring


@dataclass(frozen=True)
class Measure:
    bytes: int
    cold_s: float
    median_s: float
    runs: int


def measure(render: Callable[[], str], runs: int) -> Measure:
    """Cold first run, one warm-up, then the median of ``runs`` timed runs."""
    start = time.perf_counter()
    size = len(render().encode("utf-8"))
    cold = time.perf_counter() - start
    render()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return Measure(bytes=size, cold_s=cold, median_s=statistics.median(times), runs=runs)


def _size(m: folium.Map) -> int:
    return len(m.get_root().render().encode("utf-8"))


def bytes_by_layer(build: Callable[[], folium.Map]) -> dict[str, int]:
    """Bytes each overlay adds to the rendered map: districts, wards, hotspots, and the rest.

    A rendered figure keeps its children's scripts, so every share is measured
    on a fresh map built without that overlay.
    """
    parts = {"districts": t("map.districts"), "wards": t("map.wards"), "hotspots": t("map.hotspots")}
    total = _size(build())
    out = {}
    for key, name in parts.items():
        m = build()
        m._children = OrderedDict(
            (k, c) for k, c in m._children.items() if getattr(c, "layer_name", None) != name
        )
        out[key] = total - _size(m)
    out["other"] = total - sum(out.values())
    return out


# --------------------------------------------------------------------------
# Boundary quality


def _layer(level: UnitLevel, detail: str | None) -> gpd.GeoDataFrame:
    suffix = f"_{detail}" if detail else ""
    return gpd.read_file(GEODATA / f"{LAYERS[level]}{suffix}.geojson")


def _holes(geom) -> list:
    """Interior rings of a (multi)polygon, as polygons."""
    return [shapely.Polygon(ring) for part in shapely.get_parts(geom) for ring in part.interiors]


def _union(gdf: gpd.GeoDataFrame):
    return shapely.union_all(gdf.to_crs(METRIC_CRS).geometry.values)


def new_holes(full_holes: list, display_holes: list) -> list:
    """Display holes not (mostly) inside a hole of the full layer."""
    known = shapely.union_all(full_holes)
    return [h for h in display_holes if h.intersection(known).area < HOLE_MATCH_SHARE * h.area]


def overlapping_pairs(gdf: gpd.GeoDataFrame) -> list[tuple[str, str, float]]:
    """Neighbour pairs whose intersection is larger than :data:`OVERLAP_MIN_M2`."""
    geoms = gdf.to_crs(METRIC_CRS).geometry.values
    codes = gdf["code"].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = []
    for a, b in zip(left, right, strict=True):
        if a < b:
            area = shapely.intersection(geoms[a], geoms[b]).area
            if area > OVERLAP_MIN_M2:
                pairs.append((str(codes[a]), str(codes[b]), float(area)))
    return pairs


@dataclass(frozen=True)
class Boundary:
    layer: str
    coverage_valid: bool
    full_holes: int
    display_holes: int
    new_holes: int
    new_hole_area_m2: float
    overlaps: int
    overlap_area_m2: float
    full_vertices: int
    display_vertices: int

    @property
    def passed(self) -> bool:
        return self.coverage_valid and self.new_holes == 0 and self.overlaps == 0


def boundary_check(level: UnitLevel, detail: str) -> Boundary:
    full, display = _layer(level, None), _layer(level, detail)
    full_holes, display_holes = _holes(_union(full)), _holes(_union(display))
    holes = new_holes(full_holes, display_holes)
    pairs = overlapping_pairs(display)
    return Boundary(
        layer=f"{LAYERS[level]}_{detail}",
        coverage_valid=bool(shapely.coverage_is_valid(display.geometry.values)),
        full_holes=len(full_holes),
        display_holes=len(display_holes),
        new_holes=len(holes),
        new_hole_area_m2=float(sum(h.area for h in holes)),
        overlaps=len(pairs),
        overlap_area_m2=float(sum(area for _, _, area in pairs)),
        full_vertices=int(shapely.get_num_coordinates(full.geometry.values).sum()),
        display_vertices=int(shapely.get_num_coordinates(display.geometry.values).sum()),
    )


# --------------------------------------------------------------------------
# Report


def run(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        city = city_view(Path(tmp))
    app = measure(lambda: app_payload(city), runs)
    naive = measure(lambda: naive_payload(city), runs)
    payload_ratio = app.bytes / naive.bytes
    time_ratio = app.median_s / naive.median_s
    boundaries = [boundary_check(level, detail) for detail in DETAILS for level in LAYERS]
    return {
        "hotspots": len(city.view),
        "app": asdict(app),
        "naive": asdict(naive),
        "app_bytes_by_layer": bytes_by_layer(lambda: app_map(city)),
        "naive_bytes_by_layer": bytes_by_layer(lambda: naive_map(city)),
        "targets": {
            "payload_ratio": {
                "value": payload_ratio,
                "max": PAYLOAD_TARGET,
                "pass": payload_ratio <= PAYLOAD_TARGET,
            },
            "build_time_ratio": {"value": time_ratio, "max": TIME_TARGET, "pass": time_ratio <= TIME_TARGET},
            **{f"boundary_{b.layer}": {"pass": b.passed} for b in boundaries},
        },
        "boundaries": [asdict(b) for b in boundaries],
    }


def text_report(r: dict) -> str:
    app, naive, targets = r["app"], r["naive"], r["targets"]
    pr, tr = targets["payload_ratio"], targets["build_time_ratio"]
    lines = [
        f"City view, plan year {PLAN_YEAR}: {r['hotspots']} hotspots; "
        f"{app['runs']} timed runs after one warm-up",
        "",
        f"{'':24}{'this app':>14}{'naive':>14}{'app/naive':>12}{'target':>10}",
        f"{'HTML bytes':24}{app['bytes']:>14,}{naive['bytes']:>14,}{pr['value']:>12.4f}"
        f"{'<= 1/8':>10}  {verdict(pr['pass'])}",
        f"{'build s (median)':24}{app['median_s']:>14.4f}{naive['median_s']:>14.4f}{tr['value']:>12.4f}"
        f"{'<= 1/4':>10}  {verdict(tr['pass'])}",
        f"{'build s (cold, 1st run)':24}{app['cold_s']:>14.4f}{naive['cold_s']:>14.4f}"
        f"{app['cold_s'] / naive['cold_s']:>12.4f}",
        "",
        "HTML bytes by layer",
    ]
    for key in ("districts", "wards", "hotspots", "other"):
        a, n = r["app_bytes_by_layer"][key], r["naive_bytes_by_layer"][key]
        lines.append(f"  {key:22}{a:>14,}{n:>14,}{a / n if n else float('nan'):>12.4f}")
    lines += [
        "",
        "Boundaries (display layers; areas in EPSG:3405)",
        f"{'':18}{'coverage':>10}{'holes full':>12}{'holes disp':>12}{'new holes':>11}{'new m²':>10}"
        f"{'overlaps':>10}{'overlap m²':>12}{'vtx full':>10}{'vtx disp':>10}",
    ]
    for b in r["boundaries"]:
        ok = targets[f"boundary_{b['layer']}"]["pass"]
        lines.append(
            f"{b['layer']:18}{b['coverage_valid']!s:>10}{b['full_holes']:>12}{b['display_holes']:>12}"
            f"{b['new_holes']:>11}{b['new_hole_area_m2']:>10.1f}{b['overlaps']:>10}"
            f"{b['overlap_area_m2']:>12.1f}{b['full_vertices']:>10,}{b['display_vertices']:>10,}"
            f"  {verdict(ok)}"
        )
    failed = failed_targets(r)
    lines += [
        "",
        "Boundary targets: valid coverage, 0 new holes, 0 overlaps (> 1 m²) per display layer.",
        f"Targets: {verdict(not failed)}" + (f" (failed: {', '.join(failed)})" if failed else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs after the warm-up (default 7)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    started = time.perf_counter()
    result = run(args.runs)
    result["elapsed_s"] = time.perf_counter() - started
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else text_report(result))
    return 1 if args.check and failed_targets(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
