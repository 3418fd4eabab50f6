"""Validation: the dry run of an import. Nothing here writes.

Every problem is reported with its row (as numbered in the file), column
(the file's header), value and a Vietnamese message. Errors reject the row;
warnings (a converted legacy name, swapped coordinates put right, an unknown
column left out) keep it and are shown in the preview.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from sqlalchemy.engine import Engine

from dashboard import coords, store
from dashboard.domain import TRANSITIONS, DomainError, Status, UnitLevel, check_transition
from dashboard.geo import METRIC_CRS, assign, unit_names, ward_districts
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.intake import values as V
from dashboard.intake.cellsafe import error_value
from dashboard.intake.files import IntakeError, Table
from dashboard.intake.schema import (
    ACTIVITY_CHOICES,
    COLUMNS,
    KIND_CHOICES,
    STATUS_CHOICES,
    Column,
    Kind,
    match_headers,
)
from dashboard.intake.units import UnitNotFound, resolve
from dashboard.tasks import OVERDUE
from dashboard.textfix import fold, nfc

#: Reason given to the first status of a hotspot created by an import; a
#: status-change import for the same date and status fills in the real one.
IMPORTED_REASON = "Nhập từ tệp"
#: Two hotspots of the same kind closer than this, with near-identical names, are duplicates.
DUPLICATE_DISTANCE_M = 10.0
#: Name similarity (0–1, on folded names) above which two names are near-identical.
NAME_SIMILARITY = 0.85
#: A repaired outline may differ from the drawn one by at most this share of its area.
REPAIR_TOLERANCE = 0.01

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,31}$")

Progress = Callable[[float, str], None]


@dataclass
class Problem:
    row: int | None
    column: str | None
    value: str
    message: str
    level: str = "error"  # or "warning"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class Record:
    """A row that passed validation, and what importing it would do."""

    row: int
    index: int  # position in Table.rows
    values: dict
    #: "new", "update", "duplicate" (exists with differences; skipped unless
    #: updating), "unchanged" (already stored exactly so)
    action: str = "new"
    #: the stored hotspot this row matches (code), for duplicates and updates
    match: str | None = None
    changes: dict = field(default_factory=dict)


@dataclass
class Options:
    kind: Kind
    today: dt.date
    #: coordinate system of X/Y columns (a key of coords.CRS_CHOICES)
    crs: str = coords.DEFAULT_PROJECTED
    #: what to do with a row that matches a stored hotspot: "skip" or "update"
    on_duplicate: str = "skip"


@dataclass
class Report:
    table: Table
    options: Options
    records: list[Record]
    problems: list[Problem]
    #: WGS84 point of every hotspot row whose coordinates could be read,
    #: rejected rows included (row number -> (lat, lon)), for the preview map
    positions: dict[int, tuple[float, float]] = field(default_factory=dict)
    #: size of the audit log when the check ran: every write adds to it, so a
    #: different size at write time means the store changed since the dry run
    audit_mark: int | None = None

    @property
    def kind(self) -> Kind:
        return self.options.kind

    @property
    def rejected_rows(self) -> list[int]:
        """Positions (in Table.rows) of rows with at least one error."""
        rows = {p.row for p in self.problems if p.level == "error" and p.row is not None}
        return [i for i, n in enumerate(self.table.row_numbers) if n in rows]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def counts(self) -> dict[str, int]:
        actions = Counter(r.action for r in self.records)
        update = self.options.on_duplicate == "update"
        return {
            "rows": len(self.table.rows),
            "accepted": len(self.records),
            "rejected": len(self.rejected_rows),
            "new": actions["new"],
            "update": actions["update"] + (actions["duplicate"] if update else 0),
            "skip": 0 if update else actions["duplicate"],
            "unchanged": actions["unchanged"],
        }

    def states(self) -> dict[int, str]:
        """What importing does to each row (position in Table.rows): new, update,
        duplicate (skipped), unchanged or rejected."""
        update = self.options.on_duplicate == "update"
        states = {
            r.index: ("update" if update and r.action == "duplicate" else r.action) for r in self.records
        }
        return {i: states.get(i, "rejected") for i in range(len(self.table.rows))}

    def messages(self) -> dict[int, str]:
        """The errors of each rejected row (by row number), joined."""
        out: dict[int, list[str]] = {}
        for p in self.errors:
            if p.row is not None:
                out.setdefault(p.row, []).append(f"{p.column}: {p.message}" if p.column else p.message)
        return {row: "; ".join(texts) for row, texts in out.items()}

    def preview_points(self) -> pd.DataFrame:
        """Every row with a readable location, rejected ones included (a whole
        file in the wrong coordinate system lands outside the city on the map):
        ``row, code, name, lat, lon, state, message``."""
        positions = match_headers(self.kind, self.table.headers).positions
        states, messages = self.states(), self.messages()
        rows = []
        for index, number in enumerate(self.table.row_numbers):
            if number not in self.positions:
                continue
            cells = self.table.rows[index]
            lat, lon = self.positions[number]
            rows.append({
                "row": number,
                "code": V.shown(cells[positions["code"]]) if "code" in positions else "",
                "name": V.shown(cells[positions["name"]]) if "name" in positions else "",
                "lat": lat, "lon": lon, "state": states[index], "message": messages.get(number, ""),
            })  # fmt: skip
        return pd.DataFrame(rows, columns=["row", "code", "name", "lat", "lon", "state", "message"])

    def to_json(self) -> dict:
        return {
            "file": self.table.name,
            "kind": self.kind.value,
            "sha256": self.table.sha256,
            **self.counts(),
            "rejected": [p.as_dict() for p in self.errors],
            "rejected_rows": len(self.rejected_rows),
            "warnings": [p.as_dict() for p in self.warnings],
            "notes": self.table.notes,
        }


class _Rows:
    """Cell access by field key, collecting problems."""

    def __init__(self, table: Table, kind: Kind, problems: list[Problem]):
        self.table = table
        self.columns = {c.key: c for c in COLUMNS[kind]}
        header_map = match_headers(kind, table.headers)
        self.positions = header_map.positions
        self.problems = problems
        for _index, header in header_map.unknown:
            problems.append(
                Problem(
                    None,
                    header,
                    "",
                    t("intake.check.unknown_column", header=header),
                    "warning",
                )
            )
        for index, header in header_map.repeated:
            problems.append(
                Problem(
                    None,
                    header,
                    "",
                    t("intake.check.repeated_column", header=header, index=index + 1),
                    "warning",
                )
            )

    def header(self, key: str) -> str:
        position = self.positions.get(key)
        return self.table.headers[position] if position is not None else self.columns[key].header

    def raw(self, row: list, key: str):
        position = self.positions.get(key)
        return None if position is None else row[position]

    def fail(self, number: int, key: str | None, value, message: str, level: str = "error") -> None:
        column = self.header(key) if key else None
        self.problems.append(Problem(number, column, V.shown(value), message, level))

    def text(self, number: int, row: list, key: str, max_length: int | None = None) -> str | None:
        value = self.raw(row, key)
        try:
            cleaned, note = V.text(value, max_length=max_length)
        except V.ValueProblem as exc:
            self.fail(number, key, value, str(exc))
            return None
        if note:
            self.fail(number, key, value, t("intake.check.converted", note=note, text=cleaned), "warning")
        if not cleaned and self.columns[key].required:
            self.fail(number, key, value, t("intake.check.missing", column=self.header(key)))
            return None
        return cleaned

    def date(self, number: int, row: list, key: str, today: dt.date) -> dt.date | None:
        value = self.raw(row, key)
        try:
            return V.date(value, today)
        except V.ValueProblem as exc:
            self.fail(number, key, value, str(exc))
            return None

    def choice(self, number: int, row: list, key: str) -> str | None:
        value = self.raw(row, key)
        column: Column = self.columns[key]
        try:
            return V.choice(value, column.choices, column.header.lower())
        except V.ValueProblem as exc:
            self.fail(number, key, value, str(exc))
            return None

    def month(self, number: int, row: list, key: str, today: dt.date) -> dt.date | None:
        value = self.raw(row, key)
        try:
            return V.month(value, today)
        except V.ValueProblem as exc:
            self.fail(number, key, value, str(exc))
            return None

    def count(self, number: int, row: list, key: str) -> int | None:
        value = self.raw(row, key)
        try:
            return V.whole_number(value)
        except V.ValueProblem as exc:
            self.fail(number, key, value, str(exc))
            return None


def _require(table: Table, kind: Kind, rows: _Rows, extra_ok: set[str] = frozenset()) -> None:
    missing = [
        c.header
        for c in COLUMNS[kind]
        if c.required and c.key not in rows.positions and c.key not in extra_ok
    ]
    if missing:
        raise IntakeError(t("intake.check.missing_columns", name=table.name, columns=", ".join(missing)))


def validate(table: Table, engine: Engine, options: Options, progress: Progress | None = None) -> Report:
    """Check every row of ``table`` against the rules and the stored data."""
    problems: list[Problem] = []
    for note in table.notes:
        problems.append(Problem(None, None, "", note, "warning"))
    checker = {
        Kind.HOTSPOTS: _hotspots,
        Kind.STATUS: _status,
        Kind.ACTIVITIES: _activities,
        Kind.NOTES: _notes,
        Kind.TASKS: _tasks,
    }[options.kind]
    positions: dict[int, tuple[float, float]] = {}
    mark = store.audit_count(engine)
    refused = _error_values(table, options.kind)
    problems += refused
    records = checker(table, engine, options, problems, progress or (lambda *_: None), positions)
    if refused:  # the checkers' own verdicts on a cell holding "#REF!" say nothing more
        cells, own = {(p.row, p.column) for p in refused}, {id(p) for p in refused}
        problems[:] = [p for p in problems if id(p) in own or (p.row, p.column) not in cells]
    bad = {p.row for p in problems if p.level == "error"}
    records = [r for r in records if r.row not in bad]
    return Report(table, options, records, problems, positions, mark)


def _error_values(table: Table, kind: Kind) -> list[Problem]:
    """A problem for every cell of the kind's columns that holds an Excel error
    value (``#REF!``, ``#N/A``…: a broken formula's cached result, not data)."""
    positions = sorted(match_headers(kind, table.headers).positions.values())
    refused = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        for position in positions:
            code = error_value(row[position])
            if code is not None:
                column = table.headers[position]
                message = t("intake_safety.error_value", row=number, column=column, value=code)
                refused.append(Problem(number, column, code, message))
    return refused


def _flagged(problems: list[Problem]) -> set[int]:
    """Rows already rejected (their values take no part in checks across rows)."""
    return {p.row for p in problems if p.level == "error" and p.row is not None}


# --------------------------------------------------------------------------
# Hotspots


def _stored_hotspots(engine: Engine) -> dict[str, dict]:
    """Stored hotspots by code, each with its status history (``_history``:
    (date, status) in order; ``_changes``: (date, status) -> the stored row)."""
    with engine.connect() as conn:
        rows = [r._mapping for r in store.hotspots_by_code(conn).values()]
        changes = store.status_changes(conn)
    history: dict[int, list] = {}
    details: dict[int, dict] = {}
    for change in changes:
        history.setdefault(change.hotspot_id, []).append((change.date, change.to_status))
        details.setdefault(change.hotspot_id, {})[(change.date, change.to_status)] = change
    return {
        r["code"]: {**dict(r), "_history": history.get(r["id"], []), "_changes": details.get(r["id"], {})}
        for r in rows
    }


@lru_cache(maxsize=1)
def _to_metres():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _metres(lat, lon) -> np.ndarray:
    x, y = _to_metres().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([x, y])


def _similar(a: str, b: str) -> bool:
    a, b = fold(a), fold(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def _drawn_area(geom) -> float:
    """Area as drawn (outer rings less holes), even for an invalid outline."""
    total = 0.0
    for part in shapely.get_parts(geom):
        total += abs(shapely.area(shapely.Polygon(part.exterior)))
        total -= sum(abs(shapely.area(shapely.Polygon(ring))) for ring in part.interiors)
    return total


def _geometry(rows: _Rows, number: int, geom) -> tuple[float, float, str | None] | None:
    """Point and outline (GeoJSON text) of a GIS feature, repaired where safe."""
    if geom is None or geom.is_empty:
        rows.fail(number, None, "", t("intake.check.empty_geometry"))
        return None
    kind = geom.geom_type
    if kind == "Point":
        return geom.y, geom.x, None
    if kind == "MultiPoint" and len(geom.geoms) == 1:
        return geom.geoms[0].y, geom.geoms[0].x, None
    if kind not in ("Polygon", "MultiPolygon"):
        rows.fail(number, None, kind, t("intake.check.bad_geometry", kind=kind))
        return None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        fixed = shapely.make_valid(geom)
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
        repaired = shapely.union_all(parts) if parts else None
        drawn = _drawn_area(geom)
        if (
            repaired is None
            or repaired.is_empty
            or drawn == 0
            or (abs(repaired.area - drawn) / drawn > REPAIR_TOLERANCE)
        ):
            rows.fail(number, None, reason, t("intake.check.invalid_area", reason=reason))
            return None
        rows.fail(number, None, reason, t("intake.check.repaired_area", reason=reason), "warning")
        geom = repaired
    point = geom.representative_point()
    return point.y, point.x, json.dumps(shapely.geometry.mapping(geom))


def _hotspots(table, engine, options, problems, progress, positions) -> list[Record]:
    rows = _Rows(table, Kind.HOTSPOTS, problems)
    has_geometry = table.geometries is not None
    _require(table, Kind.HOTSPOTS, rows)
    has_latlon = {"lat", "lon"} <= rows.positions.keys()
    has_xy = {"x", "y"} <= rows.positions.keys()
    if not (has_geometry or has_latlon or has_xy):
        raise IntakeError(t("intake.check.no_coordinate_columns", name=table.name))
    stored = _stored_hotspots(engine)
    projected = options.crs if options.crs != "wgs84" else coords.DEFAULT_PROJECTED
    pending: list[dict] = []
    # Pass 1: cells
    total = len(table.rows)
    for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if index % 500 == 0:
            progress(
                0.6 * index / max(total, 1),
                t("intake.check.progress.rows", row=fmt_number(index + 1), total=fmt_number(total)),
            )
        item = {"row": number, "index": index}
        code = rows.text(number, row, "code", 32)
        if code and not CODE_PATTERN.match(code):
            rows.fail(number, "code", code, t("intake.check.bad_code"))
            code = None
        item["code"] = code
        item["name"] = rows.text(number, row, "name", 120)
        item["kind"] = rows.choice(number, row, "kind")
        item["status"] = rows.choice(number, row, "status")
        item["date"] = rows.date(number, row, "date", options.today)
        item["responsible_unit"] = rows.text(number, row, "responsible_unit", 200) or ""
        item["notes"] = rows.text(number, row, "notes", 2000) or ""
        item["ward_text"] = rows.text(number, row, "ward", 200) or ""
        item["area_geojson"] = None
        item["system"] = None
        if has_geometry:
            got = _geometry(rows, number, table.geometries[index])
            if got:
                item["lat"], item["lon"], item["area_geojson"] = got
                positions[number] = (item["lat"], item["lon"])
                item["system"] = "wgs84"
        else:
            pair = _coordinate_pair(rows, number, row, has_latlon, has_xy)
            if pair:
                item["first"], item["second"], item["system"], item["keys"], raw = pair
                item["first_raw"], item["second_raw"] = raw
                if item["system"] == "xy":
                    item["system"] = projected
        pending.append(item)
    # Pass 2: coordinates, in one transform per system
    progress(0.6, t("intake.check.progress.coordinates"))
    for system in ("wgs84", "vn2000_hanoi", "vn2000_utm48"):
        group = [p for p in pending if p["system"] == system and "first" in p]
        if not group:
            continue
        lat, lon, notes, errors = coords.to_wgs84_many(
            [p["first"] for p in group], [p["second"] for p in group], system
        )
        for item, la, lo, note, error in zip(group, lat, lon, notes, errors, strict=True):
            keys = item["keys"]
            shown = f"{V.shown(item['first_raw'])}; {V.shown(item['second_raw'])}"
            if error:
                rows.fail(item["row"], keys[0], shown, error)
                item["system"] = None
                continue
            if note:
                rows.fail(item["row"], keys[0], shown, note, "warning")
            item["lat"], item["lon"] = float(la), float(lo)
            positions[item["row"]] = (item["lat"], item["lon"])
    located = [p for p in pending if p["system"] and "lat" in p]
    progress(0.75, t("intake.check.progress.wards"))
    if located:
        where = assign([p["lat"] for p in located], [p["lon"] for p in located])
        ward_names = unit_names(UnitLevel.WARD)
        for item, ward, district in zip(located, where["ward_code"], where["district_code"], strict=True):
            if ward is None:
                column = item["keys"][0] if "keys" in item else None
                rows.fail(
                    item["row"],
                    column,
                    f"{item['lat']:.6f}; {item['lon']:.6f}",
                    t("intake.check.outside_city", lat=f"{item['lat']:.6f}", lon=f"{item['lon']:.6f}"),
                )
                continue
            item["ward_code"], item["district_code"] = ward, district
            if item["ward_text"]:
                try:
                    named = resolve(item["ward_text"], None)
                except UnitNotFound as exc:
                    rows.fail(item["row"], "ward", item["ward_text"], str(exc), "warning")
                else:
                    if named.note:
                        rows.fail(item["row"], "ward", item["ward_text"], named.note, "warning")
                    if named.level == UnitLevel.WARD and named.code != ward:
                        rows.fail(
                            item["row"],
                            "ward",
                            item["ward_text"],
                            t("intake.check.ward_mismatch", ward=ward_names[ward], text=item["ward_text"]),
                            "warning",
                        )
    progress(0.85, t("intake.check.progress.duplicates"))
    errors = {p.row for p in problems if p.level == "error"}
    good = [p for p in pending if p["row"] not in errors]
    return _hotspot_duplicates(rows, good, stored, options)


def _coordinate_pair(rows: _Rows, number: int, row: list, has_latlon: bool, has_xy: bool):
    """(first, second, system, keys) from lat/lon or X/Y cells; None after a problem."""
    for ok, keys, system in ((has_latlon, ("lat", "lon"), "wgs84"), (has_xy, ("x", "y"), "xy")):
        if not ok:
            continue
        raw = [rows.raw(row, k) for k in keys]
        if all(V.is_blank(v) for v in raw):
            continue
        if any(V.is_blank(v) for v in raw):
            key = keys[0] if V.is_blank(raw[0]) else keys[1]
            rows.fail(number, key, "", t("intake.check.half_coordinates", column=rows.header(key)))
            return None
        try:
            first = coords.parse_number(raw[0], rows.header(keys[0]))
            second = coords.parse_number(raw[1], rows.header(keys[1]))
        except coords.CoordError as exc:
            bad = keys[0] if exc.column == rows.header(keys[0]) else keys[1]
            rows.fail(number, bad, raw[0] if bad == keys[0] else raw[1], str(exc))
            return None
        return first, second, system, keys, raw
    rows.fail(number, None, "", t("intake.check.no_coordinates"))
    return None


def _hotspot_duplicates(rows: _Rows, items: list[dict], stored: dict[str, dict], options) -> list[Record]:
    from scipy.spatial import cKDTree

    records: list[Record] = []
    stored_list = list(stored.values())
    stored_xy = (
        _metres([s["lat"] for s in stored_list], [s["lon"] for s in stored_list]) if stored_list else None
    )
    stored_tree = cKDTree(stored_xy) if stored_list else None
    file_xy = _metres([i["lat"] for i in items], [i["lon"] for i in items]) if items else None
    file_tree = cKDTree(file_xy) if items else None
    kept: set[int] = set()
    seen_codes: dict[str, int] = {}
    for position, item in enumerate(items):
        number = item["row"]
        code = item["code"]
        if code in seen_codes:
            rows.fail(number, "code", code, t("intake.check.duplicate_code", code=code, row=seen_codes[code]))
            continue
        # near-identical place earlier in the same file
        twin = None
        for j in sorted(file_tree.query_ball_point(file_xy[position], DUPLICATE_DISTANCE_M)):
            other = items[j]
            if (
                j < position
                and j in kept
                and other["kind"] == item["kind"]
                and _similar(other["name"], item["name"])
            ):
                twin = other
                break
        if twin is not None:
            rows.fail(
                number,
                "code",
                code,
                t(
                    "intake.check.twin",
                    row=twin["row"],
                    code=twin["code"],
                    distance=f"{DUPLICATE_DISTANCE_M:.0f}",
                ),
            )
            continue
        kept.add(position)
        seen_codes[code] = number
        values = {
            k: item[k]
            for k in (
                "code",
                "name",
                "kind",
                "status",
                "date",
                "lat",
                "lon",
                "responsible_unit",
                "notes",
                "area_geojson",
                "ward_code",
                "district_code",
            )
        }
        record = Record(number, item["index"], values)
        existing = stored.get(code)
        if existing is None and stored_tree is not None:
            near = stored_tree.query_ball_point(file_xy[position], DUPLICATE_DISTANCE_M)
            for candidate in (stored_list[i] for i in near):
                if candidate["kind"] == item["kind"] and _similar(candidate["name"], item["name"]):
                    existing = candidate
                    rows.fail(
                        number,
                        "code",
                        code,
                        t(
                            "intake.check.maybe_stored",
                            code=candidate["code"],
                            name=candidate["name"],
                            distance=f"{DUPLICATE_DISTANCE_M:.0f}",
                        ),
                        "warning",
                    )
                    break
        if existing is not None:
            record.match = existing["code"]
            record.changes = _hotspot_changes(existing, values)
            if not record.changes:
                record.action = "unchanged"
            else:
                record.action = "update" if options.on_duplicate == "update" else "duplicate"
                if record.action == "update" and "status" in record.changes:
                    problem = _status_problem(existing, values["status"], values["date"])
                    if problem:
                        rows.fail(number, "status", values["status"], problem)
                        continue
        records.append(record)
    return records


def _as_read(stored) -> str:
    """A stored text as an import reads it back from an export (NFC, spaces
    trimmed and runs of them made one), so stored text with stray whitespace
    (a leading tab…) is not taken for a change every time it is re-imported."""
    return nfc(stored) if isinstance(stored, str) else ("" if stored is None else stored)


#: Fields compared when a row matches a stored hotspot.
_COMPARED = ("name", "kind", "status", "responsible_unit", "notes", "area_geojson")


def _hotspot_changes(existing: dict, values: dict) -> dict:
    changes = {}
    for key in _COMPARED:
        if key == "area_geojson" and values[key] is None:
            continue  # a point file does not remove a stored outline
        if key == "status" and (values["date"], values["status"]) in existing.get("_history", []):
            continue  # the history already holds this status on this date
        if _as_read(existing.get(key)) != (values.get(key) or ""):
            changes[key] = (existing.get(key), values.get(key))
    a, b = _metres([existing["lat"], values["lat"]], [existing["lon"], values["lon"]])
    moved = float(np.hypot(*(a - b)))
    if moved > 0.5:
        changes["location"] = ((existing["lat"], existing["lon"]), (values["lat"], values["lon"]))
    return changes


def _status_problem(existing: dict, new: str, date: dt.date) -> str | None:
    """Why a stored hotspot cannot take ``new`` on ``date`` (None if it can)."""
    return _check_history(existing.get("_history", []), new, date)


def _check_history(history: list[tuple[dt.date, str]], new: str, date: dt.date) -> str | None:
    before = [s for d, s in history if d <= date]
    after = [s for d, s in history if d > date]
    try:
        check_transition(Status(before[-1]) if before else None, Status(new))
        if after:
            check_transition(Status(new), Status(after[0]))
    except DomainError as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------
# Status changes


def _status(table, engine, options, problems, progress, _positions) -> list[Record]:
    rows = _Rows(table, Kind.STATUS, problems)
    _require(table, Kind.STATUS, rows)
    stored = _stored_hotspots(engine)
    items = []
    total = len(table.rows)
    for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if index % 500 == 0:
            progress(
                0.8 * index / max(total, 1),
                t("intake.check.progress.rows", row=fmt_number(index + 1), total=fmt_number(total)),
            )
        code = rows.text(number, row, "code", 32)
        if code and code not in stored:
            rows.fail(number, "code", code, t("intake.check.unknown_hotspot", code=code))
            code = None
        values = {
            "code": code,
            "date": rows.date(number, row, "date", options.today),
            "status": rows.choice(number, row, "status"),
            "reason": rows.text(number, row, "reason", 2000),
            "recorded_by": rows.text(number, row, "recorded_by", 200) or "",
        }
        if None not in values.values():
            items.append(Record(number, index, values))
    progress(0.8, t("intake.check.progress.sequence"))
    flagged = _flagged(problems)
    return _status_sequences(rows, [r for r in items if r.row not in flagged], stored, options)


def _same_change(record: Record, stored_change, options: Options) -> None:
    """A row whose hotspot, date and status are stored already: unchanged, or
    new wording for the stored change (reason, recording office)."""
    v = record.values
    wording = {"reason": v["reason"], "recorded_by": v["recorded_by"] or stored_change.recorded_by}
    before = {"reason": stored_change.reason, "recorded_by": stored_change.recorded_by}
    record.match = stored_change.id
    if all(_as_read(wording[k]) == _as_read(before[k]) for k in before):
        record.action = "unchanged"
        return
    record.changes = {k: (before[k], wording[k]) for k in before if before[k] != wording[k]}
    # The placeholder written when a hotspot was imported is always filled in.
    filling = stored_change.reason == IMPORTED_REASON
    record.action = "update" if filling or options.on_duplicate == "update" else "duplicate"


def _status_sequences(
    rows: _Rows, items: list[Record], stored: dict[str, dict], options: Options
) -> list[Record]:
    """Check each hotspot's whole history (stored changes and the file's rows
    together, in date order): every new row must follow from the status before
    it and lead to the one after it.

    Each row is judged by its own step: of the file's rows, the largest set
    that fits the stored history as one lifecycle is kept (the earliest rows
    when two sets are as large), and every other row is rejected with the
    step it tried, from the kept status before it or into the one after it.
    So one wrong row never takes a valid neighbour down with it.

    The verdicts depend only on the stored history together with the file, so
    importing the same file again gives the same verdicts: idempotent.
    """
    seen: dict[tuple, int] = {}
    by_code: dict[str, list] = {}
    for record in sorted(items, key=lambda r: r.row):
        v = record.values
        key = (v["code"], v["date"], v["status"])
        if key in seen:
            rows.fail(
                record.row,
                "status",
                STATUS_CHOICES[v["status"]],
                t("intake.check.duplicate_change", row=seen[key]),
            )
            continue
        seen[key] = record.row
        stored_change = stored[v["code"]]["_changes"].get((v["date"], v["status"]))
        if stored_change is not None:
            _same_change(record, stored_change, options)
            continue
        by_code.setdefault(v["code"], []).append(record)
    for code, records in by_code.items():
        entries = [(d, 0, s, None) for d, s in stored[code]["_history"]]
        entries += [(r.values["date"], 1, r.values["status"], r) for r in records]
        entries.sort(key=lambda e: (e[0], e[1], e[3].row if e[3] else 0))
        kept = _longest_history(entries)
        order = sorted(kept)
        for i, (date, _, status, record) in enumerate(entries):
            if record is None or i in kept:
                continue
            at = bisect.bisect(order, i)
            before = order[at - 1] if at else None
            after = order[at] if at < len(order) else None
            problem = _step_problem(entries, before, i, code)
            if problem is None and after is not None:
                problem = _step_problem(entries, i, after, code, rejected=i)
            if problem is None:  # cannot happen: the row would have been kept
                problem = t("intake.check.transition_on", reason="", date=fmt_date(date))
            rows.fail(record.row, "status", STATUS_CHOICES[status], problem)
    return sorted(items, key=lambda r: r.index)


def _fits(entries: list, i: int | None, k: int) -> bool:
    """Whether entry ``k`` may follow entry ``i`` (None: the start of the history)."""
    return _follows(None if i is None else _state(entries[i]), entries[k])


def _state(entry) -> tuple[str, bool]:
    """What the next entry is judged against: (status, whether it is stored)."""
    return entry[2], entry[3] is None


def _follows(state: tuple[str, bool] | None, entry) -> bool:
    """Whether ``entry`` may follow an entry in ``state`` (None: the start)."""
    if state is None:
        return True
    (status, stored), (new, is_stored) = state, _state(entry)
    if stored and is_stored:
        return True  # two stored changes: not the file's to judge
    if is_stored and status == new:
        return True  # a stored change with the same status confirms it
    return Status(new) in TRANSITIONS[Status(status)]


_STATES = (None, *((s.value, stored) for s in Status for stored in (False, True)))


def _longest_history(entries: list) -> set[int]:
    """Positions of the entries kept: every stored change and the largest set
    of the file's rows that makes one valid lifecycle with them (the earliest
    rows first when there is a choice). Linear in the number of entries.
    """
    n = len(entries)
    # best[j][state]: most file rows keepable from entry j on, after an entry
    # in ``state``, keeping every stored change (None: impossible).
    best: list[dict] = [{}] * (n + 1)
    best[n] = dict.fromkeys(_STATES, 0)
    for j in range(n - 1, -1, -1):
        entry, after = entries[j], best[j + 1]
        kept_on = after[_state(entry)]
        here = {}
        for state in _STATES:
            keep = kept_on if kept_on is not None and _follows(state, entry) else None
            if entry[3] is None:
                here[state] = keep  # a stored change cannot be skipped
            else:
                keep = None if keep is None else keep + 1
                skip = after[state]
                here[state] = max((v for v in (keep, skip) if v is not None), default=None)
        best[j] = here
    kept: set[int] = set()
    state = None
    for j, entry in enumerate(entries):
        if entry[3] is not None:
            target = best[j][state]
            on = best[j + 1][_state(entry)]
            if not (_follows(state, entry) and on is not None and on + 1 == target):
                continue  # skipping this row keeps more
        kept.add(j)
        state = _state(entry)
    return kept


def _step_problem(entries: list, i: int | None, k: int, code: str, rejected: int | None = None) -> str | None:
    """Why entry ``k`` cannot follow entry ``i`` (None if it can), told from the
    rejected row's side: the step it tried from the status before it, or the
    step from it into the status after it (``rejected`` is ``i`` then)."""
    if _fits(entries, i, k):
        return None
    (old_date, _, old, old_record), (date, _, new, record) = entries[i], entries[k]
    if old_record is None or record is None:  # the other side is stored: the store's wording
        row_date = old_date if rejected == i else date
        try:
            check_transition(Status(old), Status(new))
        except DomainError as exc:
            return t("intake.check.transition_on", reason=exc, date=fmt_date(row_date))
    if rejected == i:
        return t(
            "intake_safety.step_into_row",
            row=old_record.row,
            new=STATUS_CHOICES[old],
            date=fmt_date(old_date),
            next=STATUS_CHOICES[new],
            next_row=record.row,
            next_date=fmt_date(date),
            code=code,
        )
    return t(
        "intake_safety.step_from_row",
        row=record.row,
        old=STATUS_CHOICES[old],
        old_row=old_record.row,
        old_date=fmt_date(old_date),
        new=STATUS_CHOICES[new],
        date=fmt_date(date),
        code=code,
    )


# --------------------------------------------------------------------------
# Activities


def _unit_code(rows: _Rows, number: int, row: list, date: dt.date | None) -> str | bool | None:
    """The performing unit's code from its cell: None when blank, False after a problem."""
    code = rows.text(number, row, "unit_code", 5) if "unit_code" in rows.positions else ""
    if code is None:
        return False
    if not code:
        return None
    code = code.zfill(3) if len(code) < 3 else code
    level = UnitLevel.DISTRICT if len(code) == 3 else UnitLevel.WARD
    if not code.isdigit() or code not in unit_names(level):
        rows.fail(
            number,
            "unit_code",
            code,
            t("intake.check.unknown_unit_code", code=code),
        )
        return False
    if date is not None and (level == UnitLevel.DISTRICT) != (date < store.REFORM_DATE):
        expected = (
            t("intake.check.code_district") if date < store.REFORM_DATE else t("intake.check.code_ward")
        )
        rows.fail(
            number, "unit_code", code, t("intake.check.code_for_date", date=fmt_date(date), expected=expected)
        )
        return False
    return code


def _activity_key(v: dict) -> tuple:
    return (
        v["unit_code"],
        v["date"],
        v["hotspot_id"],
        v["ward_code"],
        v["district_code"],
        v["kind"],
        v["unit"],
        *(v[c] for c in store.COUNT_COLUMNS),
    )


def _activities(table, engine, options, problems, progress, _positions) -> list[Record]:
    rows = _Rows(table, Kind.ACTIVITIES, problems)
    _require(table, Kind.ACTIVITIES, rows)
    stored = _stored_hotspots(engine)
    ward_to_district = ward_districts()
    items: list[Record] = []
    total = len(table.rows)
    for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if index % 500 == 0:
            progress(
                0.8 * index / max(total, 1),
                t("intake.check.progress.rows", row=fmt_number(index + 1), total=fmt_number(total)),
            )
        date = rows.date(number, row, "date", options.today)
        kind = rows.choice(number, row, "kind")
        code = rows.text(number, row, "code", 32)
        area_text = rows.text(number, row, "area", 200)
        unit = rows.text(number, row, "unit", 200)
        unit_code = _unit_code(rows, number, row, date)
        counts = {c: rows.count(number, row, c) for c in store.COUNT_COLUMNS}
        place = {"hotspot_id": None, "ward_code": None, "district_code": None}
        placed = False
        if code:
            spot = stored.get(code)
            if spot is None:
                rows.fail(number, "code", code, t("intake.check.unknown_hotspot", code=code))
            else:
                place = {
                    "hotspot_id": spot["id"],
                    "ward_code": spot["ward_code"],
                    "district_code": spot["district_code"],
                }
                placed = True
        elif area_text:
            try:
                area = resolve(area_text, date)
            except UnitNotFound as exc:
                rows.fail(number, "area", area_text, str(exc))
            else:
                if area.note:
                    rows.fail(number, "area", area_text, area.note, "warning")
                if area.level == UnitLevel.WARD:
                    place["ward_code"], place["district_code"] = area.code, ward_to_district[area.code]
                    placed = True
                elif date is not None and date >= store.REFORM_DATE:
                    rows.fail(
                        number,
                        "area",
                        area_text,
                        t("intake.check.former_district", name=area.name),
                    )
                else:
                    place["district_code"] = area.code
                    placed = True
        elif code is not None and area_text is not None:
            rows.fail(number, "area", "", t("intake.check.no_place"))
        if not placed or date is None or kind is None or unit is None or None in counts.values():
            continue
        if unit_code is False:
            continue
        if not unit_code:  # by default the unit where the work took place (as the store does)
            before = date < store.REFORM_DATE
            unit_code = place["district_code"] if before else place["ward_code"] or place["district_code"]
        items.append(
            Record(
                number,
                index,
                {
                    "date": date,
                    "kind": kind,
                    **place,
                    "unit": unit,
                    "unit_code": unit_code,
                    **counts,
                    "code": code or "",
                },
            )
        )
    progress(0.8, t("intake.check.progress.stored"))
    flagged = _flagged(problems)
    items = [r for r in items if r.row not in flagged]
    if items:
        first = min(r.values["date"] for r in items)
        last = max(r.values["date"] for r in items)
        with engine.connect() as conn:
            existing = store.activities_between(conn, first, last)
        # the performing unit (7th) as importing its exported text reads it back
        already = Counter((*r[:6], _as_read(r[6]), *r[7:]) for r in existing)
        for record in items:
            key = _activity_key(record.values)
            if already[key] > 0:
                already[key] -= 1
                record.action = "unchanged"
    return items


# --------------------------------------------------------------------------
# Briefing notes


def _level_name(level: UnitLevel) -> str:
    return t(f"notes.level.{UnitLevel(level).value}")


def _note_unit(rows: _Rows, number: int, row: list, month: dt.date | None) -> tuple[UnitLevel, str] | None:
    """The unit holding the briefing (level in force in ``month``, code), or None after a problem."""
    text = rows.text(number, row, "area", 200)
    level = None
    if "level" in rows.positions and not V.is_blank(rows.raw(row, "level")):
        level = rows.choice(number, row, "level")
        if level is None:
            return None
    if not text or month is None:
        return None
    expected = store.note_level(month)
    shown_month = month.strftime("%m/%Y")
    if level is not None and UnitLevel(level) != expected:
        rows.fail(number, "level", rows.raw(row, "level"), t("notes.check.level_for_month", month=shown_month,
                  expected=_level_name(expected), level=_level_name(UnitLevel(level))))  # fmt: skip
        return None
    if text.isdigit():
        code = text if len(text) in (3, 5) else text.zfill(3 if expected == UnitLevel.DISTRICT else 5)
        found = {3: UnitLevel.DISTRICT, 5: UnitLevel.WARD}.get(len(code))
        if found is None or code not in unit_names(found):
            message = t("notes.check.unknown_code", level=_level_name(expected), code=code)
            rows.fail(number, "area", text, message)
            return None
        area_level, name = found, unit_names(found)[code]
    else:
        try:
            area = resolve(text, month)
        except UnitNotFound as exc:
            rows.fail(number, "area", text, str(exc))
            return None
        if area.note:
            rows.fail(number, "area", text, area.note, "warning")
        area_level, code, name = area.level, area.code, area.name
    if area_level != expected:
        message = t("notes.check.unit_for_month", name=name, level=_level_name(area_level),
                    month=shown_month, expected=_level_name(expected))  # fmt: skip
        rows.fail(number, "area", text, message)
        return None
    return area_level, code


def _note_office(rows: _Rows, number: int, row: list) -> str | None:
    """The recording office as listed in :func:`dashboard.editing.actor_choices` ("" when blank)."""
    from dashboard.editing import actor_choices

    text = rows.text(number, row, "recorded_by", 200)
    if not text:
        return text
    offices = {fold(office): office for office in actor_choices()}
    office = offices.get(fold(text))
    if office is None:
        rows.fail(number, "recorded_by", text, t("notes.check.unknown_office", value=text))
    return office


def _notes(table, engine, options, problems, progress, _positions) -> list[Record]:
    rows = _Rows(table, Kind.NOTES, problems)
    _require(table, Kind.NOTES, rows)
    with engine.connect() as conn:
        known = store.known_codes(conn)
        stored = store.notes_by_unit(conn)
    seen: dict[tuple, int] = {}
    records: list[Record] = []
    flagged = _flagged(problems)  # rows holding an Excel error value
    total = len(table.rows)
    for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
        if index % 500 == 0:
            progress(
                0.9 * index / max(total, 1),
                t("intake.check.progress.rows", row=fmt_number(index + 1), total=fmt_number(total)),
            )
        month = rows.month(number, row, "month", options.today)
        unit = _note_unit(rows, number, row, month)
        texts = {c: rows.text(number, row, c, store.NOTE_MAX_CHARS) for c in store.NOTE_TEXTS}
        if all(v == "" for v in texts.values()):
            rows.fail(number, "difficulties", "", t("notes.check.no_text"))
        raw_codes = rows.text(number, row, "hotspot_codes", store.NOTE_MAX_CHARS)
        codes = list(dict.fromkeys(re.split(r"[\s,;]+", raw_codes or ""))) if raw_codes else []
        codes = [c for c in codes if c]
        unknown = [c for c in codes if c not in known]
        if unknown:
            listed = ", ".join(f"«{c}»" for c in unknown)
            rows.fail(number, "hotspot_codes", raw_codes, t("notes.check.unknown_hotspots", codes=listed))
        office = _note_office(rows, number, row)
        if unit is None or None in texts.values() or not any(texts.values()) or unknown or office is None:
            continue
        if number in flagged:
            continue
        level, code = unit
        key = (month, level.value, code)
        if key in seen:
            rows.fail(number, "area", rows.raw(row, "area"), t("notes.check.duplicate_row", row=seen[key]))
            continue
        seen[key] = number
        values = {"month": month, "level": level.value, "unit_code": code, **texts,
                  "hotspot_codes": " ".join(codes), "recorded_by": office}  # fmt: skip
        record = Record(number, index, values)
        existing = stored.get(key)
        if existing is not None:
            values["recorded_by"] = office or existing["recorded_by"]
            _compare(record, existing, values, store.NOTE_FIELDS, options)
        records.append(record)
    return records


# --------------------------------------------------------------------------
# Tasks of local plans (the rules are dashboard.localplans')


def _task_text(rows: _Rows, number: int, row: list, key: str, field: str, max_chars: int) -> str | None:
    """A text cell read as the import reads text (legacy encodings converted),
    checked by :func:`dashboard.localplans.check_text`; None after a problem."""
    from dashboard import localplans

    cleaned = rows.text(number, row, key)
    if cleaned is None:
        return None
    try:
        return localplans.check_text(cleaned, field, max_chars)
    except DomainError as exc:
        rows.fail(number, key, cleaned, str(exc))
        return None


def _task_code(rows: _Rows, number: int, row: list, key: str, width: int | None) -> str | None:
    """A unit code cell ("" when blank); a number typed without its leading
    zeros (a cell Excel took for a number) gets them back to ``width`` digits."""
    code = rows.text(number, row, key, 16)
    if code and width and code.isdigit() and len(code) < width:
        code = code.zfill(width)
    return code


def _plan_unit(rows: _Rows, number: int, row: list, today: dt.date):
    """The checked plan unit of a row (:class:`dashboard.localplans.PlanUnit`), or None after a problem."""
    from dashboard import localplans

    year_text = rows.text(number, row, "year", 8)
    level = None
    level_given = "level" in rows.positions and not V.is_blank(rows.raw(row, "level"))
    if level_given:
        level = rows.choice(number, row, "level")
    raw_code = rows.text(number, row, "unit_code", 16)
    if not year_text or raw_code is None or (level_given and level is None):
        return None
    try:
        year = localplans.check_year(year_text, today)
    except DomainError as exc:
        rows.fail(number, "year", rows.raw(row, "year"), str(exc))
        return None
    if not raw_code:
        return None
    if level is None:  # the level from the code, or from the year when only one level plans then
        levels = localplans.levels_for_year(year)
        by_length = {3: UnitLevel.DISTRICT, 5: UnitLevel.WARD}.get(len(raw_code))
        if by_length is not None:
            level = by_length
        elif len(levels) == 1:
            level = levels[0]
        else:
            rows.fail(number, "unit_code", raw_code, t("plans.import.check.level_needed", year=year))
            return None
    level = UnitLevel(level)
    code = raw_code.zfill(3 if level == UnitLevel.DISTRICT else 5) if raw_code.isdigit() else raw_code
    try:
        level = localplans.check_level(year, level)
    except DomainError as exc:
        rows.fail(number, "level" if level_given else "unit_code", rows.raw(row, "level" if level_given
                  else "unit_code"), str(exc))  # fmt: skip
        return None
    try:
        code = localplans.check_unit_code(level, code)
    except DomainError as exc:
        rows.fail(number, "unit_code", raw_code, str(exc))
        return None
    return localplans.PlanUnit(year, level, code)


_OVERDUE_WORDS = frozenset({fold(t("task.state.overdue")), fold(OVERDUE)})


def _task_state(rows: _Rows, number: int, row: list) -> str | None:
    """The stored state a row gives (blank: not started); "Quá hạn" is refused: it is computed."""
    from dashboard import localplans

    raw = rows.raw(row, "state")
    if "state" not in rows.positions or V.is_blank(raw):
        return localplans.check_state(None)
    if fold(V.shown(raw)) in _OVERDUE_WORDS:
        rows.fail(number, "state", raw, t("plans.import.check.overdue", value=V.shown(raw).strip()))
        return None
    state = rows.choice(number, row, "state")
    return None if state is None else localplans.check_state(state)


def _task_deadline(rows: _Rows, number: int, row: list, year: int | None) -> dt.date | None:
    """The deadline (any date from 01/01/2000: it may lie ahead), in reach of the plan's year."""
    from dashboard import localplans

    raw = rows.raw(row, "deadline")
    try:
        deadline = V.date(raw, dt.date.max)
    except V.ValueProblem as exc:
        rows.fail(number, "deadline", raw, str(exc))
        return None
    if year is None:
        return deadline
    try:
        return localplans.check_deadline(deadline, year)
    except DomainError as exc:
        rows.fail(number, "deadline", raw, str(exc))
        return None


def _task_identity(plan: tuple, title: str, place: dict) -> tuple:
    """What names a task: its plan (year, level, unit), its title and where it
    is done (its hotspot, else its ward; a ward plan's own ward is the whole plan)."""
    hotspot_id = place["hotspot_id"]
    return (*plan, _as_read(title), hotspot_id, None if hotspot_id is not None else place["ward_code"])


#: Fields of a task that a row may change; the plan, title and place name it.
TASK_COMPARED = ("responsible", "deadline", "state", "result")


def _tasks(table, engine, options, problems, progress, _positions) -> list[Record]:
    from dashboard import localplans

    rows = _Rows(table, Kind.TASKS, problems)
    _require(table, Kind.TASKS, rows)
    flagged = _flagged(problems)  # rows holding an Excel error value
    seen: dict[tuple, list[int]] = {}
    records: list[Record] = []
    total = len(table.rows)
    with engine.connect() as conn:
        plans = store.local_plans_by_unit(conn)
        by_plan = {p["id"]: key for key, p in plans.items()}
        stored: dict[tuple, list[dict]] = {}
        for r in store.all_tasks(conn):
            key = _task_identity(by_plan[r["local_plan_id"]], r["title"], r)
            stored.setdefault(key, []).append(r)
        for index, (number, row) in enumerate(zip(table.row_numbers, table.rows, strict=True)):
            if index % 500 == 0:
                progress(
                    0.9 * index / max(total, 1),
                    t("intake.check.progress.rows", row=fmt_number(index + 1), total=fmt_number(total)),
                )
            unit = _plan_unit(rows, number, row, options.today)
            title = _task_text(rows, number, row, "title", "plans.field.task", store.TASK_TITLE_MAX)
            responsible = _task_text(rows, number, row, "responsible", "plans.field.responsible",
                                     localplans.RESPONSIBLE_MAX)  # fmt: skip
            result = _task_text(rows, number, row, "result", "plans.field.result", store.TASK_RESULT_MAX)
            deadline = _task_deadline(rows, number, row, None if unit is None else unit.year)
            state = _task_state(rows, number, row)
            hotspot_code = rows.text(number, row, "hotspot_code", 32)
            ward_code = _task_code(rows, number, row, "ward_code", 5)
            place = None
            if hotspot_code and ward_code:
                message = t("plans.import.check.both_places", hotspot=rows.header("hotspot_code"),
                            ward=rows.header("ward_code"))  # fmt: skip
                rows.fail(number, "ward_code", rows.raw(row, "ward_code"), message)
            elif unit is not None and hotspot_code is not None and ward_code is not None:
                plan_row = {"year": unit.year, "level": unit.level.value, "unit_code": unit.code}
                try:
                    place = localplans.task_place(conn, plan_row, hotspot_code, ward_code)
                except DomainError as exc:
                    key = "hotspot_code" if hotspot_code else "ward_code"
                    rows.fail(number, key, rows.raw(row, key), str(exc))
            if place is None or None in (title, responsible, result, deadline, state) or number in flagged:
                continue
            plan_key = (unit.year, unit.level.value, unit.code)
            identity = _task_identity(plan_key, title, place)
            earlier = seen.setdefault(identity, [])
            matches = stored.get(identity, [])
            if earlier and len(earlier) >= len(matches):  # as many rows as stored tasks so named
                rows.fail(number, "title", rows.raw(row, "title"),
                          t("plans.import.check.duplicate_row", row=earlier[0]))  # fmt: skip
                continue
            existing = matches[len(earlier)] if len(earlier) < len(matches) else None
            earlier.append(number)
            plan = plans.get(plan_key)
            values = {
                "year": unit.year,
                "level": unit.level.value,
                "unit_code": unit.code,
                "plan_id": None if plan is None else plan["id"],
                "title": title,
                "responsible": responsible,
                **place,
                "hotspot_code": hotspot_code,
                "deadline": deadline,
                "state": state,
                "result": result,
            }
            record = Record(number, index, values)
            if existing is not None:
                values["title"] = existing["title"]  # the stored wording names it
                values["version"] = existing["version"]
                _compare(record, existing, values, TASK_COMPARED, options)
            records.append(record)
    return records


def _compare(record: Record, existing, values: dict, fields, options: Options) -> None:
    """A row that matches a stored one: the fields that differ, and whether it is unchanged,
    an update or a skipped duplicate (``options.on_duplicate``)."""
    record.match = existing["id"]
    record.changes = {k: (existing[k], values[k]) for k in fields if _as_read(existing[k]) != values[k]}
    if not record.changes:
        record.action = "unchanged"
    else:
        record.action = "update" if options.on_duplicate == "update" else "duplicate"


__all__ = ["ACTIVITY_CHOICES", "KIND_CHOICES", "Options", "Problem", "Record", "Report", "validate"]
