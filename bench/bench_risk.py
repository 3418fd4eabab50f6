"""Benchmark of re-emergence risk: scoring time and the backtest.

On the sample data in a temporary SQLite store it prints:

- the time to score every hotspot (:func:`dashboard.risk.score`), cold in a
  fresh process (imports and the layer load excluded, boundary adjacency
  included) and warm in this one (median of N runs); target: under 1 s;
- the time of the quarter-end backtest and its figures (ROC AUC and top-20 %
  hit rate of the score and of the time-since-clearance baseline), with the
  requirement that the score beats the baseline on both;
- the time of the survival episodes and of the emerging hot spot analysis.

Run ``python3 bench/bench_risk.py [--runs N] [--json] [--check]``; ``--check``
exits 1 when a target is missed.
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

from common import ROOT, sample_store, verdict

from dashboard import risk, spacetime, survival
from dashboard.sample import END

AS_OF = END
SCORE_TARGET_S = 1.0

COLD = """
import json, sys, time, datetime as dt
sys.path.insert(0, {root!r})
from dashboard import risk
from dashboard.queries import load_dataset
from dashboard.scope import Scope
from dashboard.store import open_store
from dashboard.geo import load_units
from dashboard.domain import UnitLevel
ds = load_dataset(open_store({url!r}), Scope.city())
load_units(UnitLevel.WARD, display=True); load_units(UnitLevel.DISTRICT, display=True)
start = time.perf_counter()
scores = risk.score(ds, dt.date.fromisoformat({as_of!r}))
print(json.dumps({{"seconds": time.perf_counter() - start, "scored": len(scores)}}))
"""


def timed(fn, runs: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url, ds = sample_store(Path(tmp))
        cold = subprocess.run(
            [sys.executable, "-c", COLD.format(root=str(ROOT), url=url, as_of=AS_OF.isoformat())],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    cold_figures = json.loads(cold.stdout)
    warm_s, scores = timed(lambda: risk.score(ds, AS_OF), runs)
    start = time.perf_counter()
    bt = risk.backtest(ds)
    backtest_s = time.perf_counter() - start
    episodes_s, eps = timed(lambda: survival.episodes(ds, AS_OF), 1)
    emerging_s, emerging = timed(lambda: spacetime.ward_emerging(ds.activities), 1)
    o = bt.overall
    return {
        "as_of": AS_OF.strftime("%d/%m/%Y"),
        "hotspots_scored": len(scores),
        "score_cold_s": cold_figures["seconds"],
        "score_warm_s": warm_s,
        "backtest_s": backtest_s,
        "backtest": o,
        "episodes": {"count": len(eps), "events": int(eps["event"].sum()), "seconds": episodes_s},
        "emerging": {"categories": emerging["category"].value_counts().to_dict(), "seconds": emerging_s},
        "targets": {
            "score_under_1s": cold_figures["seconds"] < SCORE_TARGET_S and warm_s < SCORE_TARGET_S,
            "beats_baseline_auc": o["model"]["auc"] > o["baseline"]["auc"],
            "beats_baseline_hit_rate": o["model"]["top20_hit_rate"] > o["baseline"]["top20_hit_rate"],
        },
    }


def report(r: dict) -> str:
    o = r["backtest"]
    lines = [
        f"Risk scores as of {r['as_of']}: {r['hotspots_scored']} hotspots scored",
        f"  cold (fresh process, adjacency included): {r['score_cold_s']:.3f} s",
        f"  warm (median):                             {r['score_warm_s']:.3f} s"
        f"   target < {SCORE_TARGET_S:.0f} s  {verdict(r['targets']['score_under_1s'])}",
        "",
        f"Backtest: {o['cutoffs']} quarter-end cutoffs, horizon {o['horizon_days']} days, "
        f"{o['candidates']} scored places, {o['reemerged']} re-emerged (base rate {o['base_rate']:.1%}); "
        f"{r['backtest_s']:.2f} s",
        f"  {'':28}{'ROC AUC':>10}{'top 20 % hit rate':>20}",
        f"  {'risk score':28}{o['model']['auc']:>10.3f}{o['model']['top20_hit_rate']:>20.1%}",
        f"  {'time since clearance only':28}{o['baseline']['auc']:>10.3f}"
        f"{o['baseline']['top20_hit_rate']:>20.1%}",
        f"  score beats baseline: AUC {verdict(r['targets']['beats_baseline_auc'])}, "
        f"hit rate {verdict(r['targets']['beats_baseline_hit_rate'])}",
        "",
        f"Survival episodes: {r['episodes']['count']} ({r['episodes']['events']} re-emergences), "
        f"{r['episodes']['seconds']:.3f} s",
        f"Emerging hot spots per ward: {r['emerging']['categories']}, {r['emerging']['seconds']:.3f} s",
        "",
        f"Targets: {verdict(all(r['targets'].values()))}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm scoring runs (default 5)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    result = run(max(1, args.runs))
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str) if args.json else report(result))
    return 1 if args.check and not all(result["targets"].values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
