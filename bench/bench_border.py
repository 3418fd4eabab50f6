"""Benchmark of the border analysis: cold and cached cost, accuracy, per-render cost.

What it measures:

- **Cold**: in a fresh Python process per layer (nothing imported or cached),
  the load of the display layer (``load_units(level, display=True)``), then
  ``adjacency_of(units, level)`` and ``zones(adj, 300)``. Each figure is the
  median of N fresh processes.
- **Cached**: in this process, the second call of ``adjacency(UnitLevel.WARD)``
  and of ``_zones(UnitLevel.WARD, 300.0)`` (both ``lru_cache``-d).
- **Accuracy**: shared boundary lengths computed on the 30 m display layer
  against the full-resolution layer: total length, ratio display / full, the
  1st, 50th and 99th percentiles of the per-pair ratios (pairs longer than
  50 m on the full layer), and the pairs and point contacts of each.
- **Per render**: ``border_report(UnitLevel.WARD, ...)`` on the sample data in
  a temporary SQLite store (city scope, plan year 2026), warm: one warm-up
  call, then the median of N timed calls.

Targets:

- cold ``adjacency_of`` + ``zones`` for the 126 wards < 1 s (layer load excluded);
- cached second calls of ``adjacency`` and ``_zones`` < 1 ms each.

Run from the repository root:
``python bench/bench_border.py [--cold-runs N] [--runs N] [--json] [--check]``.
The exit code is 0 unless ``--check`` is given and a target fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import ROOT, failed_targets, sample_store, verdict

from dashboard import border
from dashboard.config import today
from dashboard.domain import UnitLevel
from dashboard.filters import Filters
from dashboard.geo import load_units
from dashboard.queries import activities_view, hotspot_view

LEVELS = {UnitLevel.WARD: "wards", UnitLevel.DISTRICT: "districts"}
ZONE_M = 300.0
PLAN_YEAR = 2026

#: Largest acceptable cold adjacency + zones for the wards (s).
COLD_TARGET_S = 1.0
#: Largest acceptable cached call (s).
CACHED_TARGET_S = 1e-3
#: Pairs at least this long (full layer, m) enter the per-pair ratios.
RATIO_MIN_M = 50.0
PERCENTILES = (1, 50, 99)


# --------------------------------------------------------------------------
# Cold: a fresh process per layer

_COLD_CODE = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from dashboard import border
from dashboard.domain import UnitLevel
from dashboard.geo import load_units
level = UnitLevel(sys.argv[2])
width = float(sys.argv[3])
t1 = time.perf_counter()
units = load_units(level, display=True)
t2 = time.perf_counter()
adj = border.adjacency_of(units, level)
t3 = time.perf_counter()
zone = border.zones(adj, width)
t4 = time.perf_counter()
print(json.dumps({
    "import_s": t1 - t0, "load_s": t2 - t1, "adjacency_s": t3 - t2, "zones_s": t4 - t3,
    "units": len(units), "pairs": len(adj.pairs), "zones": len(zone),
}))
"""


def cold_once(level: UnitLevel) -> dict:
    """One fresh interpreter: import, load the display layer, adjacency, zones."""
    done = subprocess.run(
        [sys.executable, "-c", _COLD_CODE, str(ROOT), str(level.value), str(ZONE_M)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold(level: UnitLevel, runs: int) -> dict:
    """Median of each timing over ``runs`` fresh processes."""
    samples = [cold_once(level) for _ in range(runs)]
    for s in samples:
        s["adjacency_zones_s"] = s["adjacency_s"] + s["zones_s"]
        s["total_with_load_s"] = s["load_s"] + s["adjacency_zones_s"]
    keys = ("import_s", "load_s", "adjacency_s", "zones_s", "adjacency_zones_s", "total_with_load_s")
    out = {key: statistics.median(s[key] for s in samples) for key in keys}
    out["adjacency_zones_runs_s"] = [s["adjacency_zones_s"] for s in samples]
    out.update({key: samples[0][key] for key in ("units", "pairs", "zones")})
    out["runs"] = runs
    return out


# --------------------------------------------------------------------------
# Cached: second calls in this process


def _second_call_s(call) -> float:
    call()
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def cached() -> dict:
    return {
        "adjacency_s": _second_call_s(lambda: border.adjacency(UnitLevel.WARD)),
        "zones_s": _second_call_s(lambda: border._zones(UnitLevel.WARD, ZONE_M)),
    }


# --------------------------------------------------------------------------
# Accuracy: display against full resolution


def accuracy(level: UnitLevel) -> dict:
    full = border.adjacency_of(load_units(level), level)
    disp = border.adjacency_of(load_units(level, display=True), level)
    key = ["code_a", "code_b"]
    f = full.pairs[[*key, "length_m"]]
    d = disp.pairs[[*key, "length_m"]]
    both = f.merge(d, on=key, suffixes=("_full", "_display"), how="inner")
    long = both[both["length_m_full"] > RATIO_MIN_M]
    ratios = (long["length_m_display"] / long["length_m_full"]).to_numpy()
    total_full, total_disp = float(f["length_m"].sum()), float(d["length_m"].sum())
    return {
        "full_pairs": len(full.pairs),
        "display_pairs": len(disp.pairs),
        "common_pairs": len(both),
        "full_only_pairs": len(f) - len(both),
        "display_only_pairs": len(d) - len(both),
        "full_point_contacts": len(full.point_contacts),
        "display_point_contacts": len(disp.point_contacts),
        "full_total_m": total_full,
        "display_total_m": total_disp,
        "total_ratio": total_disp / total_full,
        "ratio_pairs": len(ratios),
        "ratio_percentiles": {f"p{p}": float(np.percentile(ratios, p)) for p in PERCENTILES},
    }


# --------------------------------------------------------------------------
# Per render: border report on the sample data


def render_cost(workdir: Path, runs: int) -> dict:
    _, ds = sample_store(workdir)
    f = Filters.for_year(PLAN_YEAR, today())
    view = hotspot_view(ds, f)
    acts = activities_view(ds, f, view)

    def report() -> border.BorderReport:
        return border.border_report(UnitLevel.WARD, view, acts, ds.activities, f.as_of)

    first = report()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report()
        times.append(time.perf_counter() - start)
    return {
        "hotspots": len(view),
        "activities": len(acts),
        "as_of": f.as_of.strftime("%d/%m/%Y"),
        "in_zone_rows": len(first.in_zone),
        "pairs_with_hotspots": len(first.table),
        "gaps": len(first.gaps),
        "median_s": statistics.median(times),
        "runs": runs,
    }


# --------------------------------------------------------------------------
# Report


def run(cold_runs: int, runs: int) -> dict:
    colds = {LEVELS[level]: cold(level, cold_runs) for level in LEVELS}
    warm = cached()
    acc = {LEVELS[level]: accuracy(level) for level in LEVELS}
    with tempfile.TemporaryDirectory() as tmp:
        render = render_cost(Path(tmp), runs)
    ward_cold = colds["wards"]["adjacency_zones_s"]
    return {
        "zone_m": ZONE_M,
        "cold": colds,
        "cached": warm,
        "accuracy": acc,
        "render": render,
        "targets": {
            "cold_wards_adjacency_zones": {
                "value": ward_cold,
                "max": COLD_TARGET_S,
                "pass": ward_cold < COLD_TARGET_S,
            },
            **{
                f"cached_{name}": {"value": value, "max": CACHED_TARGET_S, "pass": value < CACHED_TARGET_S}
                for name, value in (("adjacency", warm["adjacency_s"]), ("zones", warm["zones_s"]))
            },
        },
    }


def text_report(r: dict) -> str:
    targets = r["targets"]
    runs = r["cold"]["wards"]["runs"]
    lines = [
        f"Cold, display layer, zone width {r['zone_m']:.0f} m (median of {runs} fresh processes, s)",
        f"{'':12}{'units':>7}{'pairs':>7}{'import':>9}{'load':>9}{'adjacency':>11}{'zones':>9}"
        f"{'adj+zones':>11}{'total incl. load':>18}",
    ]
    for name, c in r["cold"].items():
        lines.append(
            f"{name:12}{c['units']:>7}{c['pairs']:>7}{c['import_s']:>9.3f}{c['load_s']:>9.3f}"
            f"{c['adjacency_s']:>11.3f}{c['zones_s']:>9.3f}{c['adjacency_zones_s']:>11.3f}"
            f"{c['total_with_load_s']:>18.3f}"
        )
    cw = targets["cold_wards_adjacency_zones"]
    each = ", ".join(f"{s:.3f}" for s in r["cold"]["wards"]["adjacency_zones_runs_s"])
    lines += [
        f"wards adjacency + zones (layer load excluded): {cw['value']:.3f} s (runs: {each}) "
        f"target < {COLD_TARGET_S:.0f} s  {verdict(cw['pass'])}",
        f"wards total including the layer load: {r['cold']['wards']['total_with_load_s']:.3f} s",
        "",
        "Cached, in process, second call (µs)",
    ]
    for name, call in (("adjacency", "adjacency(WARD)"), ("zones", f"_zones(WARD, {r['zone_m']})")):
        t = targets[f"cached_{name}"]
        lines.append(f"  {call:28}{t['value'] * 1e6:>10.1f}   target < 1000  {verdict(t['pass'])}")
    lines += [
        "",
        f"Accuracy: shared boundary length, display (30 m) / full resolution; "
        f"per-pair ratios of pairs > {RATIO_MIN_M:.0f} m",
        f"{'':12}{'pairs full':>11}{'pairs disp':>11}{'common':>8}{'points full':>12}{'points disp':>12}"
        f"{'total full km':>14}{'total disp km':>14}{'ratio':>8}{'n':>5}"
        + "".join(f"{'p' + str(p):>8}" for p in PERCENTILES),
    ]
    for name, a in r["accuracy"].items():
        pct = a["ratio_percentiles"]
        lines.append(
            f"{name:12}{a['full_pairs']:>11}{a['display_pairs']:>11}{a['common_pairs']:>8}"
            f"{a['full_point_contacts']:>12}{a['display_point_contacts']:>12}"
            f"{a['full_total_m'] / 1000:>14.2f}{a['display_total_m'] / 1000:>14.2f}{a['total_ratio']:>8.4f}"
            f"{a['ratio_pairs']:>5}" + "".join(f"{pct['p' + str(p)]:>8.4f}" for p in PERCENTILES)
        )
    rd = r["render"]
    failed = failed_targets(r)
    lines += [
        "",
        f"Per render: border_report(WARD) on the sample data, plan year {PLAN_YEAR}, as of {rd['as_of']}: "
        f"{rd['hotspots']} hotspots, {rd['activities']} activities, {rd['in_zone_rows']} hotspot-pair rows, "
        f"{rd['pairs_with_hotspots']} pairs with hotspots, {rd['gaps']} gaps",
        f"  warm, median of {rd['runs']}: {rd['median_s'] * 1000:.1f} ms",
        "",
        f"Targets: {verdict(not failed)}" + (f" (failed: {', '.join(failed)})" if failed else ""),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes per layer (default 3)")
    parser.add_argument("--runs", type=int, default=5, help="timed border reports (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.cold_runs < 1 or args.runs < 1:
        parser.error("--cold-runs and --runs must be at least 1")
    started = time.perf_counter()
    result = run(args.cold_runs, args.runs)
    result["elapsed_s"] = time.perf_counter() - started
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else text_report(result))
    return 1 if args.check and failed_targets(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
