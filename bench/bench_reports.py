"""Benchmark of the reporting chain: time to build each document for the sample data.

In a fresh process, on the sample data in a temporary SQLite store, it prints
the time Chromium takes to start (the reports and presentation pages start it
when they open, :func:`dashboard.render.warm_up`), then the time from the
loaded data to the file's bytes of:

- the quarterly report .docx of Q3 2020 for the city, with its map and charts
  (target: under 5 s), the first one in the process and a second one;
- the same report as .xlsx;
- the monthly briefing .docx of 09/2020 for the city;
- the steering-committee deck .pptx of the 2020 plan (target: under 10 s).

Run ``python3 bench/bench_reports.py [--json] [--check]``; ``--check`` exits 1
when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from common import sample_store, verdict

from dashboard import render, views
from dashboard.reports import documents, service
from dashboard.reports.deck import deck_pptx

TODAY = dt.date(2026, 11, 20)
QUARTERLY_S = 5.0
DECK_S = 10.0


def timed(build) -> tuple[float, int]:
    start = time.perf_counter()
    data = build()
    return time.perf_counter() - start, len(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _, ds = sample_store(Path(tmp))

    def quarterly_docx():
        q = views.quarterly_report(ds, 2020, 3, today=TODAY)
        return service.write(documents.quarterly_document(q, sample=True), ".docx")

    def quarterly_xlsx():
        q = views.quarterly_report(ds, 2020, 3, today=TODAY)
        return service.write(documents.quarterly_document(q, sample=True, images=False), ".xlsx")

    def monthly_docx():
        b = views.monthly_briefing(ds, dt.date(2020, 9, 1), today=TODAY)
        return service.write(documents.monthly_document(b, sample=True), ".docx")

    def deck():
        return deck_pptx(views.deck(ds, 2020, today=TODAY), sample=True)

    start = time.perf_counter()
    render.warm_up().join()
    browser = time.perf_counter() - start
    cold, size = timed(quarterly_docx)
    warm, _ = timed(quarterly_docx)
    xlsx, xlsx_size = timed(quarterly_xlsx)
    monthly, monthly_size = timed(monthly_docx)
    deck_s, deck_size = timed(deck)
    render.close_browser()
    r = {
        "browser_start_s": round(browser, 2),
        "quarterly_docx_cold_s": round(cold, 2),
        "quarterly_docx_warm_s": round(warm, 2),
        "quarterly_docx_kb": round(size / 1024),
        "quarterly_xlsx_s": round(xlsx, 2),
        "quarterly_xlsx_kb": round(xlsx_size / 1024),
        "monthly_docx_s": round(monthly, 2),
        "monthly_docx_kb": round(monthly_size / 1024),
        "deck_pptx_s": round(deck_s, 2),
        "deck_pptx_kb": round(deck_size / 1024),
        "targets": {
            "quarterly .docx with images (first in process) < 5 s": {"pass": cold < QUARTERLY_S},
            "deck .pptx < 10 s": {"pass": deck_s < DECK_S},
        },
    }
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
    else:
        print("Reports on the sample data (seconds from loaded data to file bytes)")
        print(f"  Chromium start (once per process, at page open): {browser:5.2f} s")
        print(
            f"  quarterly .docx Q3/2020, city, with images: {cold:5.2f} s first, {warm:5.2f} s second "
            f"({r['quarterly_docx_kb']} KB)"
        )
        print(f"    [{verdict(cold < QUARTERLY_S)} < {QUARTERLY_S:.0f} s]")
        print(f"  quarterly .xlsx:                             {xlsx:5.2f} s ({r['quarterly_xlsx_kb']} KB)")
        print(f"  monthly .docx 09/2020, city:                 {monthly:5.2f} s ({r['monthly_docx_kb']} KB)")
        print(f"  deck .pptx, plan 2020:                       {deck_s:5.2f} s ({r['deck_pptx_kb']} KB)")
        print(f"    [{verdict(deck_s < DECK_S)} < {DECK_S:.0f} s]")
    failed = [name for name, target in r["targets"].items() if not target["pass"]]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
