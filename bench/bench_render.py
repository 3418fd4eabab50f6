"""Benchmark of the PNG renderer used by reports and slide decks.

What it measures (wall time, in this process):

- **cold**: the first ``figure_png`` of the process, Chromium start included;
- **report**: a batch of 4 figures (a quarterly report) on the running browser;
- **deck**: a batch of 8 figures (a steering-committee deck), median of N runs;
- **map**: one ``static_map_png`` of the whole city: the 126 wards (display layer) and the
  sample hotspots, 1600 × 1200 px, median of N runs.

Targets: cold + report <= 5 s (a report built in a fresh process), cold + deck <= 10 s.

Run from the repository root: ``python bench/bench_render.py [--runs N] [--json] [--check]``.
Needs Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``). The exit code is 0 unless
``--check`` is given and a target fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
from common import failed_targets, sample_store, verdict

from dashboard import render
from dashboard.domain import STATUS_COLOURS, Status, UnitLevel
from dashboard.geo import load_units
from dashboard.i18n import t

REPORT_TARGET_S = 5.0
DECK_TARGET_S = 10.0
SIZE = (1200, 700)


def _figure(i: int) -> go.Figure:
    """A chart like the reports': bars by status with a Vietnamese title."""
    statuses = list(Status)
    fig = go.Figure(
        go.Bar(
            x=[t(f"status.{s.value}") for s in statuses],
            y=[(i * 7 + k * 3) % 11 + 1 for k in range(len(statuses))],
            marker_color=[STATUS_COLOURS[s] for s in statuses],
        )
    )
    fig.update_layout(title=f"Biểu đồ {i + 1}: Tụ điểm phức tạp — Đã triệt xóa, Tái hoạt động")
    return fig


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _median(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(_timed(fn) for _ in range(runs))


def run(runs: int) -> dict:
    figures = [(_figure(i), *SIZE) for i in range(8)]
    cold = _timed(lambda: render.figure_png(figures[0][0], *SIZE))
    report = _median(lambda: render.figures_png(figures[:4]), runs)
    deck = _median(lambda: render.figures_png(figures), runs)
    with tempfile.TemporaryDirectory() as tmp:
        _, ds = sample_store(Path(tmp))
    units = load_units(UnitLevel.WARD, display=True)
    city_map = _median(lambda: render.static_map_png(units, ds.hotspots, title=t("app.title")), runs)
    render.close_browser()
    return {
        "runs": runs,
        "wards": len(units),
        "hotspots": len(ds.hotspots),
        "cold_first_figure_s": cold,
        "report_4_figures_s": report,
        "deck_8_figures_s": deck,
        "city_map_s": city_map,
        "targets": {
            "report_fresh_process": {
                "value": cold + report,
                "max": REPORT_TARGET_S,
                "pass": cold + report <= REPORT_TARGET_S,
            },
            "deck_fresh_process": {
                "value": cold + deck,
                "max": DECK_TARGET_S,
                "pass": cold + deck <= DECK_TARGET_S,
            },
        },
    }


def text_report(r: dict) -> str:
    rt, dt_ = r["targets"]["report_fresh_process"], r["targets"]["deck_fresh_process"]
    failed = failed_targets(r)
    city = f"static map, city, {r['wards']} wards, {r['hotspots']} hotspots"
    return "\n".join(
        [
            f"PNG rendering, {SIZE[0]}×{SIZE[1]} px charts; medians of {r['runs']} warm runs",
            "",
            f"{'first figure_png (cold, browser start)':44}{r['cold_first_figure_s']:>8.2f} s",
            f"{'batch of 4 figures (warm)':44}{r['report_4_figures_s']:>8.2f} s",
            f"{'batch of 8 figures (warm)':44}{r['deck_8_figures_s']:>8.2f} s",
            f"{city:44}{r['city_map_s']:>8.2f} s",
            "",
            f"{'report in a fresh process (cold + 4)':44}{rt['value']:>8.2f} s  <= {rt['max']:.0f} s  "
            f"{verdict(rt['pass'])}",
            f"{'deck in a fresh process (cold + 8)':44}{dt_['value']:>8.2f} s  <= {dt_['max']:.0f} s  "
            f"{verdict(dt_['pass'])}",
            f"Targets: {verdict(not failed)}" + (f" (failed: {', '.join(failed)})" if failed else ""),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed warm runs (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    result = run(args.runs)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else text_report(result))
    return 1 if args.check and failed_targets(result) else 0


if __name__ == "__main__":
    raise SystemExit(main())
