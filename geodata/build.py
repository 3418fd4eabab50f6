"""Build the boundary layers the app loads from the raw sources.

Reads ``../shared/geodata-src/`` (or ``--src``) and writes, next to this file:

- ``districts.geojson`` / ``wards.geojson``: full-resolution, valid, EPSG:4326;
- ``districts_display.geojson`` / ``wards_display.geojson``: simplified as a
  coverage (shared edges simplified once, so neighbours keep touching: no gaps,
  no slivers) with a 30 m tolerance and rounded to 5 decimals (about 1 m), for
  maps zoomed to a district or ward;
- ``districts_city.geojson`` / ``wards_city.geojson``: the same with a 100 m
  tolerance, for the whole-city view (a screen pixel there is about 150 m);
- ``ward_district.csv``: how each post-2025 ward overlaps the 30 former
  districts, computed from geometry.

Run ``python geodata/build.py``. The app only ever reads the built files.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared" / "geodata-src"

#: Projected CRS for every length, area and buffer: VN-2000 / UTM zone 48N.
METRIC_CRS = "EPSG:3405"
#: Simplification tolerance of the display layers, in metres, by file suffix.
DISPLAY_TOLERANCES_M = {"display": 30.0, "city": 100.0}
#: Decimals kept in display coordinates (1e-5 degree is about 1.1 m).
DISPLAY_DECIMALS = 5
#: A former district counts as overlapping a ward when it holds at least this
#: share of the ward's area. The two sources were drawn separately, so shared
#: edges leave thin slivers (up to about 1.5 % of a small ward); 2 % keeps real
#: overlaps and drops those.
OVERLAP_MIN_SHARE = 0.02

DISTRICT_TYPES = {"Quận": "quan", "Huyện": "huyen", "Thị xã": "thi_xa"}
WARD_TYPES = {"Phường": "phuong", "Xã": "xa"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _strip_prefix(name: str, prefixes) -> str:
    for prefix in sorted(prefixes, key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def read_districts(src: Path) -> gpd.GeoDataFrame:
    """The 30 former districts with GSO code, name and type."""
    gis = json.loads((src / "dvhcvn_gis_01_hanoi.json").read_text(encoding="utf-8"))
    units = json.loads((src / "dvhcvn_units_01_hanoi.json").read_text(encoding="utf-8"))
    types = {u["level2_id"]: _nfc(u["type"]) for u in units["province"]["level2s"]}
    rows, geoms = [], []
    for unit in gis["level2s"]:
        code = unit["level2_id"]
        name = _nfc(unit["name"])
        kind = types.get(code)
        if kind not in DISTRICT_TYPES:
            raise ValueError(f"District {code} ({name}): unknown type {kind!r}")
        rows.append(
            {
                "code": code,
                "name": name,
                "short_name": _strip_prefix(name, DISTRICT_TYPES),
                "unit_type": DISTRICT_TYPES[kind],
            }
        )
        geoms.append(shape({"type": unit["type"], "coordinates": unit["coordinates"]}))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def read_wards(src: Path) -> gpd.GeoDataFrame:
    """The 126 wards and communes in force from 01/07/2025."""
    raw = gpd.read_file(src / "hanoi_wards_2025-07_thanglequoc.geojson")
    full = raw["fullName"].map(_nfc)
    kind = full.str.split().str[0]
    unknown = sorted(set(kind) - set(WARD_TYPES))
    if unknown:
        raise ValueError(f"Wards: unknown unit types {unknown}")
    return gpd.GeoDataFrame(
        {
            "code": raw["code"].astype(str).str.zfill(5),
            "name": full,
            "short_name": raw["name"].map(_nfc),
            "unit_type": kind.map(WARD_TYPES),
        },
        geometry=raw.geometry.values,
        crs="EPSG:4326",
    )


def clean_coverage(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make every geometry valid and remove overlaps between neighbours.

    An overlapping area is kept by the unit that comes first in code order, so
    the layer becomes a valid coverage (each point in at most one unit).
    """
    gdf = gdf.sort_values("code").reset_index(drop=True)
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="overlaps")
    for a, b in zip(left, right, strict=True):
        if a < b:
            geoms[b] = _polygonal(shapely.difference(geoms[b], geoms[a]))
    if not shapely.coverage_is_valid(geoms):
        raise ValueError("Boundary layer is not a valid coverage after cleaning")
    out = gdf.copy()
    out.geometry = gpd.GeoSeries(geoms, crs=gdf.crs)
    return out


def _polygonal(geom):
    """Keep only the polygon parts of a geometry, as one MultiPolygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(shapely.get_parts(p) if p.geom_type == "MultiPolygon" else [p])
    return shapely.MultiPolygon(polys)


def display_version(
    gdf: gpd.GeoDataFrame,
    tolerance_m: float = DISPLAY_TOLERANCES_M["display"],
    decimals: int = DISPLAY_DECIMALS,
) -> gpd.GeoDataFrame:
    """Simplify a coverage with shared edges kept shared, then round coordinates."""
    metric = gdf.to_crs(METRIC_CRS)
    simple = metric.geometry.simplify_coverage(tolerance_m).to_crs(gdf.crs).values
    rounded = shapely.transform(simple, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(rounded)
    # Rounding can pinch a ring where two vertices fall on the same grid point.
    rounded[bad] = [_polygonal(g) for g in shapely.make_valid(rounded[bad])]
    if not shapely.coverage_is_valid(rounded):
        raise ValueError("Simplified layer has gaps or overlaps between neighbours")
    out = gdf.copy()
    out.geometry = gpd.GeoSeries(rounded, crs=gdf.crs)
    return out


def ward_district_overlap(wards: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Area of every ward that lies in each former district (EPSG:3405)."""
    w = wards[["code", "geometry"]].rename(columns={"code": "ward_code"}).to_crs(METRIC_CRS)
    d = districts[["code", "geometry"]].rename(columns={"code": "district_code"}).to_crs(METRIC_CRS)
    w["ward_area"] = w.area
    pieces = gpd.overlay(w, d, how="intersection", keep_geom_type=True)
    pieces["area_km2"] = pieces.area / 1e6
    pieces["share"] = pieces["area_km2"] * 1e6 / pieces["ward_area"]
    table = pieces[pieces["share"] >= OVERLAP_MIN_SHARE][["ward_code", "district_code", "area_km2", "share"]]
    table = table.sort_values(["ward_code", "share"], ascending=[True, False])
    missing = set(wards["code"]) - set(table["ward_code"])
    if missing:
        raise ValueError(f"Wards outside every former district: {sorted(missing)}")
    return table.round({"area_km2": 4, "share": 4}).reset_index(drop=True)


def _with_area(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out.insert(len(out.columns) - 1, "area_km2", (gdf.to_crs(METRIC_CRS).area / 1e6).round(3))
    return out


def _write(gdf: gpd.GeoDataFrame, path: Path, decimals: int) -> None:
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=decimals, RFC7946="YES")


def build(src: Path, out: Path) -> dict[str, int]:
    districts = _with_area(clean_coverage(read_districts(src)))
    wards = clean_coverage(read_wards(src))
    overlap = ward_district_overlap(wards, districts)
    main = overlap.drop_duplicates("ward_code").set_index("ward_code")["district_code"]
    every = overlap.groupby("ward_code")["district_code"].agg(" ".join)
    wards = wards.assign(district_code=wards["code"].map(main), district_codes=wards["code"].map(every))
    wards = _with_area(wards)

    _write(districts, out / "districts.geojson", 7)
    _write(wards, out / "wards.geojson", 7)
    for suffix, tolerance in DISPLAY_TOLERANCES_M.items():
        for name, layer in (("districts", districts), ("wards", wards)):
            _write(display_version(layer, tolerance), out / f"{name}_{suffix}.geojson", DISPLAY_DECIMALS)
    overlap.to_csv(out / "ward_district.csv", index=False)
    return {"districts": len(districts), "wards": len(wards), "overlaps": len(overlap)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC, help="raw source folder")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder")
    args = parser.parse_args(argv)
    if not args.src.is_dir():
        print(f"Source folder not found: {args.src}", file=sys.stderr)
        return 2
    counts = build(args.src, args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
