"""Command line: ``python -m dashboard COMMAND``.

- ``seed-demo``: replace the store's content with the deterministic sample data;
- ``summary --plan-year YEAR [--as-of dd/mm/yyyy] [--json]``: the KPI figures
  the overview page shows for that plan year.
"""

from __future__ import annotations

import argparse
import json
import sys

from dashboard import queries, store
from dashboard.config import Settings, today
from dashboard.domain import DomainError
from dashboard.filters import Filters
from dashboard.i18n import fmt_date, fmt_number, parse_date, t
from dashboard.sample import SEED, ensure_data, load_sample
from dashboard.scope import Scope


def _seed_demo(args) -> int:
    engine = store.open_store(Settings.from_env().database_url)
    counts = load_sample(engine, seed=args.seed)
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
    else:
        print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def _summary(args) -> int:
    engine = store.open_store(Settings.from_env().database_url)
    ensure_data(engine)
    ds = queries.load_dataset(engine, Scope.city())
    if args.plan_year not in ds.years:
        raise DomainError(t("kpi.no_plan", year=args.plan_year))
    as_of = parse_date(args.as_of) if args.as_of else today()
    f = Filters.for_year(args.plan_year, as_of)
    figures = queries.plan_kpis(ds, f).as_dict()
    figures["sample_data"] = store.is_sample_data(engine)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(t("overview.kpi_heading", year=figures["plan_year"], date=figures["as_of"]))
        rows = [
            ("kpi.cleared", t("kpi.of_target", **figures["clear"])),
            ("kpi.kept_clean", t("kpi.of_target", **figures["keep_clean"])),
            ("kpi.reemerged", fmt_number(figures["reemerged"])),
            ("kpi.active", fmt_number(figures["open_hotspots"])),
            ("kpi.activities", fmt_number(figures["activities"])),
        ]
        for key, value in rows:
            print(f"  {t(key) + ':':28}{value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    seed = sub.add_parser("seed-demo", help="nạp lại dữ liệu mẫu (xóa dữ liệu hiện có)")
    seed.add_argument("--seed", type=int, default=SEED)
    seed.add_argument("--json", action="store_true")
    seed.set_defaults(run=_seed_demo)

    summary = sub.add_parser("summary", help="chỉ tiêu kế hoạch năm, như trang tổng quan")
    summary.add_argument("--plan-year", type=int, required=True)
    summary.add_argument("--as-of", help=f"ngày tính, dd/mm/yyyy (mặc định hôm nay, {fmt_date(today())})")
    summary.add_argument("--json", action="store_true")
    summary.set_defaults(run=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (DomainError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
