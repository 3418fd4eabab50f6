"""Replacing a bundled boundary layer (wards or former districts) with a new
official one, after checks.

The new layer is checked (polygons, codes, names, coverage of Hà Nội, every
stored hotspot inside a unit), then written with its simplified versions to
the override folder (``HOTSPOT_GEODATA_DIR``, default ``data/geodata``),
which :mod:`dashboard.geo` reads before the bundled files. Stored hotspots
then take their ward and district from the new layer, in one transaction
with the audit entry.

:func:`install`'s ``actor`` is an :class:`~dashboard.accounts.Account` (the
app: only an admin may; a refusal is audited as ``denied`` and changes
nothing) or an office (``str``: the server's administrator on the command
line, tests).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

import geopandas as gpd
import shapely
from sqlalchemy.engine import Engine

from dashboard import geo, store
from dashboard.config import PROJECT_ROOT
from dashboard.domain import UnitLevel
from dashboard.i18n import fmt_number, t
from dashboard.intake.files import IntakeError, open_file
from dashboard.textfix import fix_text, fold

#: The union of the new layer may differ from the bundled one by at most this share of its area.
AREA_TOLERANCE = 0.05
#: Overlaps between neighbouring units up to this share of the total area are removed; more is refused.
OVERLAP_TOLERANCE = 0.002

_CODE_NAMES = (
    "code",
    "ma",
    "ma dvhc",
    "ma xa",
    "ma phuong",
    "ma phuong xa",
    "ma huyen",
    "ma quan huyen",
    "ma dv",
    "madvhc",
    "maxa",
    "mahuyen",
)
_NAME_NAMES = (
    "name",
    "ten",
    "ten dvhc",
    "ten xa",
    "ten phuong",
    "ten phuong xa",
    "ten huyen",
    "ten quan huyen",
    "tendvhc",
    "tenxa",
    "tenhuyen",
    "fullname",
    "full name",
)
_LEVEL_WORDS = {
    UnitLevel.WARD: t("intake.boundary.level.ward"),
    UnitLevel.DISTRICT: t("intake.boundary.level.district"),
}
_TYPE_WORDS = {
    UnitLevel.WARD: t("intake.boundary.types.ward"),
    UnitLevel.DISTRICT: t("intake.boundary.types.district"),
}
_DIGITS = {UnitLevel.WARD: 5, UnitLevel.DISTRICT: 3}
_TYPES = {
    UnitLevel.WARD: {"phuong": "phuong", "xa": "xa"},
    UnitLevel.DISTRICT: {"quan": "quan", "huyen": "huyen", "thi xa": "thi_xa"},
}


@dataclass
class BoundaryReport:
    level: UnitLevel
    name: str
    units: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layer: gpd.GeoDataFrame | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.layer is not None

    def to_json(self) -> dict:
        return {
            "file": self.name,
            "level": self.level.value,
            "units": self.units,
            "ok": self.ok,
            "problems": self.problems,
            "notes": self.notes,
        }


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    folded = [fold(h) for h in headers]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


def check_layer(
    name: str, data: bytes, level: UnitLevel, engine: Engine, crs: str | None = None
) -> BoundaryReport:
    """Read and check a boundary file; nothing is written."""
    level = UnitLevel(level)
    report = BoundaryReport(level, name)
    table = open_file(name, data, crs=crs)
    if table.geometries is None:
        raise IntakeError(t("intake.boundary.not_geo", name=name))
    report.notes += table.notes
    code_at = _column(table.headers, _CODE_NAMES)
    name_at = _column(table.headers, _NAME_NAMES)
    if code_at is None or name_at is None:
        words = ((t("intake.boundary.code_column"), code_at), (t("intake.boundary.name_column"), name_at))
        missing = [w for w, at in words if at is None]
        raise IntakeError(
            t(
                "intake.boundary.missing_columns",
                name=name,
                missing=t("intake.boundary.and").join(missing),
                columns=", ".join(table.headers),
            )
        )
    rows, geoms = [], []
    seen: dict[str, int] = {}
    for number, row, geom in zip(table.row_numbers, table.rows, table.geometries, strict=True):
        raw_code = row[code_at]
        code = (
            str(int(raw_code))
            if isinstance(raw_code, float) and raw_code.is_integer()
            else str(raw_code or "")
        )
        code = code.strip()
        if re.fullmatch(r"\d+", code):
            code = code.zfill(_DIGITS[level])
        if not re.fullmatch(rf"\d{{{_DIGITS[level]}}}", code):
            report.problems.append(
                t("intake.boundary.bad_code", number=number, code=raw_code, digits=_DIGITS[level])
            )
            continue
        if code in seen:
            report.problems.append(
                t("intake.boundary.duplicate_code", number=number, code=code, other=seen[code])
            )
            continue
        seen[code] = number
        try:
            unit_name, note = fix_text(str(row[name_at] or ""))
        except ValueError as exc:
            report.problems.append(t("intake.boundary.feature", number=number, message=exc))
            continue
        if note:
            report.notes.append(t("intake.boundary.feature", number=number, message=note))
        if not unit_name:
            report.problems.append(t("intake.boundary.no_name", number=number, code=code))
            continue
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            kind = t("intake.boundary.empty_shape") if geom is None or geom.is_empty else geom.geom_type
            report.problems.append(t("intake.boundary.not_polygon", number=number, code=code, kind=kind))
            continue
        if not geom.is_valid:
            report.notes.append(
                t("intake.boundary.repaired", number=number, code=code, reason=shapely.is_valid_reason(geom))
            )
        kind_word = next(
            (w for w in sorted(_TYPES[level], key=len, reverse=True) if fold(unit_name).startswith(w + " ")),
            None,
        )
        if kind_word is None:
            report.problems.append(
                t(
                    "intake.boundary.no_type",
                    number=number,
                    code=code,
                    name=unit_name,
                    types=_TYPE_WORDS[level],
                )
            )
            continue
        short = unit_name.split(" ", len(kind_word.split()))[-1]
        rows.append(
            {"code": code, "name": unit_name, "short_name": short, "unit_type": _TYPES[level][kind_word]}
        )
        geoms.append(geom)
    report.units = len(rows)
    if report.problems:
        return report
    sys.path.insert(0, str(PROJECT_ROOT)) if str(PROJECT_ROOT) not in sys.path else None
    from geodata.build import clean_coverage

    layer = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    metric_before = layer.to_crs(geo.METRIC_CRS)
    try:
        layer = clean_coverage(layer)
    except ValueError:
        report.problems.append(t("intake.boundary.overlap_unfixable"))
        return report
    metric = layer.to_crs(geo.METRIC_CRS)
    removed = (metric_before.area.sum() - metric.area.sum()) / max(metric_before.area.sum(), 1)
    if removed > OVERLAP_TOLERANCE:
        report.problems.append(
            t(
                "intake.boundary.overlap",
                share=fmt_number(removed * 100, 1),
                limit=fmt_number(OVERLAP_TOLERANCE * 100, 1),
            )
        )
    current = geo.load_units(level).to_crs(geo.METRIC_CRS).union_all()
    new = metric.union_all()
    differs = current.symmetric_difference(new).area / current.area
    if differs > AREA_TOLERANCE:
        report.problems.append(
            t(
                "intake.boundary.area_differs",
                share=fmt_number(differs * 100, 1),
                limit=fmt_number(AREA_TOLERANCE * 100),
            )
        )
    with engine.connect() as conn:
        spots = list(store.hotspots_by_code(conn).values())
    if spots:
        points = shapely.points([s.lon for s in spots], [s.lat for s in spots])
        tree = shapely.STRtree(layer.geometry.values)
        inside = set(tree.query(points, predicate="intersects")[0])
        outside = [s.code for i, s in enumerate(spots) if i not in inside]
        if outside:
            report.problems.append(
                t("intake.boundary.outside", count=len(outside), codes=", ".join(outside[:20]))
            )
    if not report.problems:
        report.layer = layer
    return report


def install(report: BoundaryReport, engine: Engine, actor) -> dict[str, int]:
    """Write a checked layer to the override folder and re-assign stored hotspots.

    ``actor``: an account (admins only) or an office (``str``), see the module's notes."""
    from dashboard.editing import office_of, require_city, signed

    require_city(engine, actor, "boundary_replace", "boundary", admin_only=True)
    if not report.ok:
        raise IntakeError(t("intake.boundary.not_checked"))
    from geodata.build import (
        DISPLAY_DECIMALS,
        DISPLAY_TOLERANCES_M,
        _with_area,
        display_version,
        ward_district_overlap,
    )

    folder = geo.override_dir()
    folder.mkdir(parents=True, exist_ok=True)
    level = report.level
    districts = report.layer if level == UnitLevel.DISTRICT else geo.load_units(UnitLevel.DISTRICT)
    wards = report.layer if level == UnitLevel.WARD else geo.load_units(UnitLevel.WARD)
    districts = districts[["code", "name", "short_name", "unit_type", "geometry"]].reset_index(drop=True)
    wards = wards[["code", "name", "short_name", "unit_type", "geometry"]].reset_index(drop=True)
    overlap = ward_district_overlap(wards, districts)
    main = overlap.drop_duplicates("ward_code").set_index("ward_code")["district_code"]
    every = overlap.groupby("ward_code")["district_code"].agg(" ".join)
    wards = _with_area(
        wards.assign(district_code=wards["code"].map(main), district_codes=wards["code"].map(every))
    )
    districts = _with_area(districts)
    staged = folder / ".staging"
    staged.mkdir(exist_ok=True)
    for name, layer in (("districts", districts), ("wards", wards)):
        _write(layer, staged / f"{name}.geojson", 7)
        for suffix, tolerance in DISPLAY_TOLERANCES_M.items():
            _write(display_version(layer, tolerance), staged / f"{name}_{suffix}.geojson", DISPLAY_DECIMALS)
    before = {"files": "bundled" if not geo.has_override() else "override"}
    for path in staged.iterdir():  # all files written: now swap them in
        path.replace(folder / path.name)
    staged.rmdir()
    geo.clear_caches()
    moved = 0
    with engine.begin() as conn:
        spots = [s._mapping for s in store.hotspots_by_code(conn).values()]
        if spots:
            where = geo.locate([s["lat"] for s in spots], [s["lon"] for s in spots])
            for spot, ward, district in zip(spots, where["ward_code"], where["district_code"], strict=True):
                if (spot["ward_code"], spot["district_code"]) != (ward, district):
                    moved += 1
                    store.update_hotspot(conn, spot["id"], ward_code=ward, district_code=district)
                    store.relocate_activities(conn, spot["id"], ward, district)
        store.audit(
            conn,
            office_of(actor),
            "boundary_replace",
            "boundary",
            entity_code=level.value,
            summary=signed(
                t(
                    "intake.boundary.summary",
                    level=_LEVEL_WORDS[level],
                    name=report.name,
                    units=report.units,
                    moved=moved,
                ),
                actor,
            ),
            before=before,
            after={"file": report.name, "units": report.units, "hotspots_moved": moved},
        )
    return {"units": report.units, "hotspots_moved": moved}


def _write(gdf: gpd.GeoDataFrame, path, decimals: int) -> None:
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=decimals, RFC7946="YES")
