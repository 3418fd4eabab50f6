"""Command line: ``python -m dashboard COMMAND``.

- ``seed-demo``: replace the store's content with the deterministic sample data;
- ``summary --plan-year YEAR [--as-of dd/mm/yyyy] [--json]``: the KPI figures
  the overview page shows for that plan year;
- ``border --level district|ward [--buffer-m 300] [--as-of dd/mm/yyyy] [--json]``:
  pairs of neighbouring units with their shared length and the hotspots in
  their border zone (status as of the date, default today).
"""

from __future__ import annotations

import argparse
import json
import sys

from dashboard import border, queries, store
from dashboard.config import Settings, today
from dashboard.domain import DomainError, UnitLevel
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


def _border(args) -> int:
    engine = store.open_store(Settings.from_env().database_url)
    ensure_data(engine)
    ds = queries.load_dataset(engine, Scope.city())
    as_of = parse_date(args.as_of) if args.as_of else today()
    level = UnitLevel(args.level)
    if args.buffer_m <= 0:
        raise DomainError(t("err.buffer", value=args.buffer_m))
    adj = border.adjacency(level)
    hotspots = ds.hotspots.drop(columns="status").join(
        queries.status_as_of(ds.history, as_of), on="id", how="inner"
    )
    in_zone = border.zone_hotspots(adj, hotspots, args.buffer_m)
    pairs = []
    for row in adj.pairs.itertuples(index=False):
        near = in_zone[(in_zone["code_a"] == row.code_a) & (in_zone["code_b"] == row.code_b)]
        pairs.append(
            {
                "unit_a": {"code": row.code_a, "name": row.name_a},
                "unit_b": {"code": row.code_b, "name": row.name_b},
                "shared_length_m": round(float(row.length_m), 1),
                "hotspots": [
                    {"code": h.code, "unit": h.side, "distance_m": float(h.distance_m)}
                    for h in near.itertuples(index=False)
                ],
            }
        )
    result = {
        "level": level.value,
        "buffer_m": args.buffer_m,
        "snap_m": border.SNAP_M,
        "as_of": fmt_date(as_of),
        "pairs": pairs,
        "point_contacts": adj.point_contacts[["code_a", "code_b"]].to_dict("records"),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for pair in pairs:
            codes = ", ".join(h["code"] for h in pair["hotspots"]) or "—"
            print(
                f"{pair['unit_a']['name']} ↔ {pair['unit_b']['name']}: "
                f"{fmt_number(pair['shared_length_m'])} m; {codes}"
            )
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

    pairs = sub.add_parser("border", help="các cặp địa bàn giáp ranh và tụ điểm trong vùng giáp ranh")
    pairs.add_argument("--level", choices=[level.value for level in UnitLevel], required=True)
    pairs.add_argument("--buffer-m", type=float, default=border.DEFAULT_ZONE_M)
    pairs.add_argument("--as-of", help="ngày tính trạng thái, dd/mm/yyyy (mặc định hôm nay)")
    pairs.add_argument("--json", action="store_true")
    pairs.set_defaults(run=_border)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (DomainError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
