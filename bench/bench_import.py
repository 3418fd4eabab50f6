"""Benchmark of the import dry run: reading and validating large workbooks.

Two workbooks are built from the app's own templates (same columns, drop-down
lists and instructions sheet), with realistic, fictional values:

- **activities**: N rows on the sample hotspots (by code) or on an area (a
  current ward name, or a pre-2025 ward name such as «Phường Hàng Bạc, Quận
  Hoàn Kiếm» that is converted), dates as Excel dates or dd/mm/yyyy text, and
  about 1 % bad rows (unknown code or area, impossible, future or two-digit
  year dates, negative counts, an unknown activity kind);
- **hotspots**: N rows at random points inside the 126 wards, given as
  VN-2000 X/Y (TM-3 105°00', :func:`dashboard.coords.from_wgs84`), with the
  ward name (current, former or blank), a few swapped X/Y pairs, a few rows
  repeating stored sample hotspots, and about 1 % bad rows (outside Hà Nội,
  degrees in the X/Y columns, missing name, unknown status, future date).

Each workbook goes through :func:`dashboard.intake.service.check` (open the
file, read it, validate every row against the sample store in a temporary
SQLite file: the dry run the import page shows) and the script prints, per
kind: rows, seconds (first call in this process, then the median of the
following calls), rows per second, the peak of Python allocations during a
call (``tracemalloc``, a separate call) and the process's peak resident size.
It also checks that every planted bad row is rejected, and lists the other
rows the dry run rejected, by message (for example points generated inside a
ward polygon that the validator places outside Hà Nội).

Target: each dry run validates in under 10 s (first and warm calls).

Run from the repository root:
``python bench/bench_import.py [--rows N] [--runs N] [--seed N] [--json]``.
The exit code is 1 when a target fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import openpyxl
import shapely
from common import failed_targets, sample_store, verdict

from dashboard import coords, store
from dashboard.domain import UnitLevel
from dashboard.geo import load_units
from dashboard.intake.schema import ACTIVITY_CHOICES, KIND_CHOICES, STATUS_CHOICES, Kind
from dashboard.intake.service import check
from dashboard.intake.workbook import DATE_FORMAT, template
from dashboard.sample import END, START
from dashboard.scope import Scope

TODAY = END
ROWS = 10_000
#: Largest acceptable dry run of one workbook (s).
TARGET_S = 10.0
#: Share of deliberately bad rows.
BAD_SHARE = 0.01
#: Pre-2025 ward names (each resolves to a current ward, or before the
#: reform to its former district).
LEGACY_WARDS = (
    "Phường Hàng Bạc, Quận Hoàn Kiếm",
    "Phường Hàng Bông, Quận Hoàn Kiếm",
    "Phường Kim Mã, Quận Ba Đình",
    "Phường Văn Miếu, Quận Đống Đa",
    "Phường Láng Hạ, Quận Đống Đa",
    "Phường Quảng An, Quận Tây Hồ",
    "Phường Dịch Vọng, Quận Cầu Giấy",
    "Phường Trung Hòa, Quận Cầu Giấy",
    "Phường Bạch Mai, Quận Hai Bà Trưng",
    "Phường Thanh Xuân Bắc, Quận Thanh Xuân",
    "Phường Mỹ Đình 1, Quận Nam Từ Liêm",
    "Phường Ngọc Thụy, Quận Long Biên",
)
OFFICE = "Chi cục Phòng, chống tệ nạn xã hội Hà Nội"
#: A point in Hải Phòng (lat, lon): outside Hà Nội.
OUTSIDE = (20.8449, 106.6881)


# --------------------------------------------------------------------------
# Building the workbooks


def _random_dates(rng: np.random.Generator, n: int) -> list[dt.date]:
    days = (TODAY - START).days
    return [START + dt.timedelta(days=int(d)) for d in rng.integers(0, days + 1, n)]


def _date_cell(rng: np.random.Generator, day: dt.date):
    """Mostly a real Excel date; one in ten typed as dd/mm/yyyy text."""
    if rng.random() < 0.1:
        return day.strftime("%d/%m/%Y")
    return dt.datetime(day.year, day.month, day.day)


def _fill(kind: Kind, rows: list[list]) -> bytes:
    """The app's blank template of ``kind`` with ``rows`` on its data sheet."""
    book = openpyxl.load_workbook(io.BytesIO(template(kind)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for r, row in enumerate(rows, start=2):
        assert len(row) == len(headers)
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = DATE_FORMAT
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _counts(rng: np.random.Generator, kind: str) -> list[int]:
    """violations_found, cases_handled, establishments_sanctioned, fines_vnd, people_referred."""
    busy = kind in ("inspection", "investigation")
    violations = int(rng.poisson(1.2 if busy else 0.2))
    cases = int(rng.binomial(violations, 0.6)) if violations else 0
    sanctioned = int(rng.binomial(cases, 0.5)) if cases else 0
    fines = int(sanctioned * rng.integers(1, 31) * 500_000)
    referred = int(rng.poisson(0.3)) if kind == "outreach" else 0
    return [violations, cases, sanctioned, fines, referred]


def activities_rows(n: int, rng: np.random.Generator, spots, wards) -> tuple[list[list], set[int]]:
    """Rows in the activities template's column order; also the positions of the bad rows."""
    kinds = [k for k in ACTIVITY_CHOICES if k != "briefing"]
    ward_names = list(wards["name"])
    spot_rows = list(spots.itertuples(index=False))
    ward_of = dict(zip(wards.index, wards["name"], strict=True))
    dates = _random_dates(rng, n)
    rows = []
    for i in range(n):
        day = dates[i]
        draw = rng.random()
        if draw < 0.65:  # on a hotspot
            spot = spot_rows[int(rng.integers(len(spot_rows)))]
            kind = kinds[int(rng.integers(len(kinds)))]
            code, area = spot.code, ""
            unit = f"Công an {ward_of[spot.ward_code]}" if rng.random() < 0.7 else OFFICE
        elif draw < 0.9:  # area-wide, current ward name
            kind = "briefing" if rng.random() < 0.4 else "outreach"
            code, area = "", ward_names[int(rng.integers(len(ward_names)))]
            unit = f"UBND {area}"
        else:  # area-wide, a pre-2025 ward name (converted, with a note)
            kind = "briefing" if rng.random() < 0.4 else "outreach"
            code, area = "", LEGACY_WARDS[int(rng.integers(len(LEGACY_WARDS)))]
            unit = OFFICE
        # the performing unit's code is left blank: the unit where the work took place
        rows.append(
            [_date_cell(rng, day), ACTIVITY_CHOICES[kind], code, area, unit, None, *_counts(rng, kind)]
        )
    bad = _spoil(rows, rng, _ACTIVITY_FAULTS)
    return rows, bad


# Faults of an activities row (columns: date, kind, code, area, unit, unit code, 5 counts).
_ACTIVITY_FAULTS = (
    lambda row: row.__setitem__(2, "TD-999"),  # no such hotspot
    lambda row: row.__setitem__(0, "31/02/2024"),  # impossible date
    lambda row: row.__setitem__(0, dt.datetime(TODAY.year + 1, 1, 15)),  # future
    lambda row: row.__setitem__(0, "05/03/24"),  # two-digit year
    lambda row: row.__setitem__(6, -2),  # negative count
    lambda row: row.__setitem__(1, "Tuần tra đêm"),  # not a listed kind
    lambda row: (row.__setitem__(2, ""), row.__setitem__(3, "Phường Không Có Thật")),  # unknown area
)


def _spoil(rows: list[list], rng: np.random.Generator, faults) -> set[int]:
    """Break about BAD_SHARE of the rows, each with one of ``faults``; returns their positions."""
    chosen = sorted(
        int(i) for i in rng.choice(len(rows), size=max(1, int(len(rows) * BAD_SHARE)), replace=False)
    )
    for j, index in enumerate(chosen):
        faults[j % len(faults)](rows[index])
    return set(chosen)


def _points_in_wards(n: int, rng: np.random.Generator, wards) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``n`` random points, each inside a randomly chosen ward (rejection sampling)."""
    codes = list(wards.index)
    chosen = rng.integers(len(codes), size=n)
    lat, lon = np.empty(n), np.empty(n)
    for w in np.unique(chosen):
        where = np.flatnonzero(chosen == w)
        polygon = wards.geometry.iloc[w]
        west, south, east, north = polygon.bounds
        got: list[tuple[float, float]] = []
        while len(got) < len(where):
            x = rng.uniform(west, east, 4 * len(where) + 16)
            y = rng.uniform(south, north, 4 * len(where) + 16)
            inside = shapely.contains_xy(polygon, x, y)
            got.extend(zip(y[inside], x[inside], strict=True))
        lat[where] = [p[0] for p in got[: len(where)]]
        lon[where] = [p[1] for p in got[: len(where)]]
    return lat, lon, [codes[w] for w in chosen]


def hotspot_rows(n: int, rng: np.random.Generator, spots, wards) -> tuple[list[list], set[int]]:
    """Rows in the hotspots template's column order; also the positions of the bad rows.

    Columns: code, name, kind, status, date, lat, lon, x, y, ward, responsible unit, notes.
    """
    lat, lon, ward_codes = _points_in_wards(n, rng, wards)
    x, y = coords.from_wgs84(lat, lon, "vn2000_hanoi")
    kinds, statuses = list(KIND_CHOICES), ["active", "clearing", "cleared", "handed_over", "reemerged"]
    names = dict(zip(wards.index, wards["name"], strict=True))
    short = dict(zip(wards.index, wards["short_name"], strict=True))
    dates = _random_dates(rng, n)
    rows = []
    for i in range(n):
        kind = kinds[int(rng.integers(len(kinds)))]
        ward = names[ward_codes[i]]
        draw = rng.random()
        ward_text = ward if draw < 0.7 else (LEGACY_WARDS[i % len(LEGACY_WARDS)] if draw < 0.8 else "")
        label = "Điểm công cộng" if kind == "public_area" else "Cơ sở dịch vụ"
        first, second = round(float(x[i]), 3), round(float(y[i]), 3)
        if rng.random() < 0.005:  # X and Y swapped: put right, with a note
            first, second = second, first
        rows.append(
            [
                f"HN-{i + 1:05d}",
                f"{label} {short[ward_codes[i]]} số {i + 1}",
                KIND_CHOICES[kind],
                STATUS_CHOICES[statuses[int(rng.integers(len(statuses)))]],
                _date_cell(rng, dates[i]),
                None,
                None,
                first,
                second,
                ward_text,
                f"UBND {ward}",
                "",
            ]
        )
    # A few rows repeat stored sample hotspots (same code and place).
    for row, spot in zip(rows[:: max(1, n // 20)][:20], spots.itertuples(index=False), strict=False):
        sx, sy = coords.from_wgs84(spot.lat, spot.lon, "vn2000_hanoi")
        row[0], row[1], row[7], row[8] = spot.code, spot.name, round(sx, 3), round(sy, 3)
    bad = _spoil(rows, rng, _hotspot_faults())
    return rows, bad


def _hotspot_faults():
    ox, oy = coords.from_wgs84(*OUTSIDE, "vn2000_hanoi")
    return (
        lambda row: (row.__setitem__(7, round(ox, 3)), row.__setitem__(8, round(oy, 3))),  # Hải Phòng
        lambda row: (row.__setitem__(7, 21.0287), row.__setitem__(8, 105.8524)),  # degrees as X/Y
        lambda row: row.__setitem__(1, ""),  # no name
        lambda row: row.__setitem__(3, "Đang điều tra"),  # not a listed status
        lambda row: row.__setitem__(4, dt.datetime(TODAY.year + 1, 2, 1)),  # future
    )


# --------------------------------------------------------------------------
# Measuring


def _peak_rss_mb() -> float:
    """The process's peak resident size so far (MB; ru_maxrss is in KiB on Linux)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1_048_576


def measure(name: str, data: bytes, engine, runs: int, planted: set[int]) -> dict:
    """Time :func:`check` on one file: first call, then ``runs`` more; then one traced call.

    ``planted`` holds the positions of the rows spoilt on purpose (data rows
    start on the sheet's row 2)."""
    start = time.perf_counter()
    report = check(name, data, engine, today=TODAY)
    first_s = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        check(name, data, engine, today=TODAY)
        warm.append(time.perf_counter() - start)
    tracemalloc.start()
    check(name, data, engine, today=TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    counts = report.counts()
    warm_s = statistics.median(warm) if warm else first_s
    by_column = Counter(p.column or "(dòng)" for p in report.errors)
    rejected = {report.table.row_numbers[i] for i in report.rejected_rows}
    expected = {i + 2 for i in planted}
    # Rows not spoilt on purpose but rejected all the same, by message (numbers and quoted
    # values blanked, so that one rule gives one line).
    unplanted = Counter(
        re.sub(r"«[^»]*»", "«…»", re.sub(r"\d+(?:[.,]\d+)?", "#", p.message))[:70]
        for p in report.errors
        if p.row not in expected
    )
    return {
        "file": name,
        "kind": report.kind.value,
        "bytes": len(data),
        **counts,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "first_s": first_s,
        "warm_s": warm_s,
        "rows_per_s_first": counts["rows"] / first_s,
        "rows_per_s_warm": counts["rows"] / warm_s,
        "python_peak_mb": peak / 1_048_576,
        "process_peak_rss_mb": _peak_rss_mb(),
        "errors_by_column": dict(by_column.most_common()),
        "planted_bad": len(planted),
        "planted_bad_rejected": len(expected & rejected),
        "good_rows_rejected": len(rejected - expected),
        "good_rows_rejected_by_message": dict(unplanted.most_common()),
    }


def run(rows: int, runs: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        url, dataset = sample_store(Path(tmp))
        engine = store.open_store(url)
        try:
            spots = store.read_hotspots(engine, Scope.city())
            wards = load_units(UnitLevel.WARD)
            built = {}
            start = time.perf_counter()
            act_rows, act_bad = activities_rows(rows, rng, spots, wards)
            built["activities"] = (_fill(Kind.ACTIVITIES, act_rows), act_bad)
            spot_rows, spot_bad = hotspot_rows(rows, rng, spots, wards)
            built["hotspots"] = (_fill(Kind.HOTSPOTS, spot_rows), spot_bad)
            build_s = time.perf_counter() - start
            results = {}
            for kind, (data, bad) in built.items():
                results[kind] = measure(f"bench-{kind}.xlsx", data, engine, runs, bad)
        finally:
            engine.dispose()
    targets = {
        f"{kind}_validates_under_{TARGET_S:.0f}s": {
            "seconds": max(r["first_s"], r["warm_s"]),
            "pass": r["first_s"] < TARGET_S and r["warm_s"] < TARGET_S,
        }
        for kind, r in results.items()
    }
    return {
        "rows": rows,
        "seed": seed,
        "runs": runs,
        "today": TODAY.strftime("%d/%m/%Y"),
        "sample_hotspots": len(dataset.hotspots),
        "build_s": build_s,
        "results": results,
        "targets": targets,
    }


def text_report(r: dict) -> str:
    lines = [
        f"Import dry run (dashboard.intake.service.check) on the sample store, today {r['today']}; "
        f"{r['rows']:,} rows per workbook, seed {r['seed']} (workbooks built in {r['build_s']:.1f} s)",
        "",
    ]
    for kind, x in r["results"].items():
        target = r["targets"][f"{kind}_validates_under_{TARGET_S:.0f}s"]
        lines += [
            f"{kind}: {x['file']} ({x['bytes'] / 1_048_576:.2f} MB)",
            f"  rows {x['rows']:,}: accepted {x['accepted']:,}, rejected {x['rejected']:,}, "
            f"new {x['new']:,}, unchanged {x['unchanged']:,}, skip {x['skip']:,}; "
            f"{x['errors']:,} errors, {x['warnings']:,} warnings",
            f"  planted bad rows {x['planted_bad']}, of them rejected {x['planted_bad_rejected']}; "
            f"other rows rejected {x['good_rows_rejected']}: {x['good_rows_rejected_by_message']}",
            f"  errors by column: {x['errors_by_column']}",
            f"  first call: {x['first_s']:6.2f} s  {x['rows_per_s_first']:9,.0f} rows/s",
            f"  warm (median of {r['runs']}): {x['warm_s']:6.2f} s  {x['rows_per_s_warm']:9,.0f} rows/s",
            f"  peak memory: Python allocations {x['python_peak_mb']:.1f} MB (tracemalloc, one call); "
            f"process peak RSS so far {x['process_peak_rss_mb']:.0f} MB",
            f"  target validates < {TARGET_S:.0f} s: {verdict(target['pass'])}",
            "",
        ]
    failed = failed_targets(r)
    lines.append(f"Targets: {verdict(not failed)}" + (f" (failed: {', '.join(failed)})" if failed else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows per workbook (default {ROWS:,})")
    parser.add_argument("--runs", type=int, default=2, help="warm calls after the first (default 2)")
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.rows < 100 or args.runs < 0:
        parser.error("--rows must be at least 100 and --runs at least 0")
    result = run(args.rows, args.runs, args.seed)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else text_report(result))
    return 1 if failed_targets(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
