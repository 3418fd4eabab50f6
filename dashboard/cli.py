"""Command line: ``python -m dashboard COMMAND``.

- ``seed-demo``: replace the store's content with the deterministic sample data;
- ``summary --plan-year YEAR [--as-of dd/mm/yyyy] [--json]``: the KPI figures
  the overview page shows for that plan year;
- ``border --level district|ward [--buffer-m 300] [--as-of dd/mm/yyyy] [--json]``:
  pairs of neighbouring units with their shared length and the hotspots in
  their border zone (status as of the date, default today);
- ``risk [--as-of dd/mm/yyyy] [--json]``: risk or persistence score, level and
  factor contributions of every hotspot;
- ``risk-backtest [--horizon-days 180] [--json]``: per quarter-end cutoff and
  overall, ROC AUC and top-20 % hit rate of the score and of the baseline;
- ``import FILE [--kind hotspots|status|activities|notes|tasks] [--crs EPSG] [--dry-run] [--json]``:
  validate a file and, unless ``--dry-run``, write its valid rows (all or
  nothing); exits 0 when the file was read, even with rejected rows;
- ``boundaries FILE --level ward|district [--crs EPSG] [--dry-run] [--json]``:
  check an official boundary layer and, unless ``--dry-run``, make it replace
  the bundled one;
- ``template KIND --out FILE.xlsx``: a blank Excel template;
- ``export KIND --out FILE.xlsx``: stored data in the template's columns;
- ``report monthly|quarterly|deck …``: the monthly briefing sheet, the quarterly
  report and the steering-committee deck (see :mod:`dashboard.cli_reports`).

Who acts: without ``--user`` a command acts as the server's administrator —
whoever can run commands on the server can read the store file anyway — and
sees the whole city; its audit-log actor is
:data:`dashboard.cli_users.CLI_ACTOR`. ``--user USERNAME`` (before or after the
command; for ``summary``, ``border``, ``risk``, ``report …`` and ``export``)
signs in as that account first, with the password from the environment
variable ``HOTSPOT_PASSWORD`` (scripts) or typed without echo; a failed
sign-in is audited (lock-out applies) and exits 2 with the one generic
message. The command then reads and exports only the account's scope
(:func:`dashboard.accounts.scope_of`: an area officer's units), a report of a
unit outside it is refused, and a presenter gets only the public version of a
report or deck (``--public``, without ``--json``). Every file written by
``report`` and ``export`` is audited as an export
(:func:`dashboard.exports.record_export`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys

from dashboard import accounts, border, queries, risk, store
from dashboard.accounts import Account
from dashboard.cli_users import CLI_ACTOR
from dashboard.config import Settings, today
from dashboard.domain import DomainError, UnitLevel
from dashboard.editing import DEPARTMENT_OFFICES, actor_choices
from dashboard.filters import Filters
from dashboard.i18n import fmt_date, fmt_number, fmt_of_target, parse_date, t
from dashboard.sample import SEED, ensure_data, load_sample
from dashboard.scope import Scope

#: Environment variable holding the password of ``--user``, for scripts.
PASSWORD_VARIABLE = "HOTSPOT_PASSWORD"
#: The commands that may act as an account (``--user``).
USER_COMMANDS = ("summary", "border", "risk", "report", "export")


def acting_as(args, engine, *, public: bool = False) -> tuple[Account | str, Scope]:
    """Who a command acts as and the units it may read: ``(CLI_ACTOR, the
    city)`` without ``--user``; with it, the account signed in to (password
    from :data:`PASSWORD_VARIABLE` or typed without echo; every attempt
    audited, lock-out applies) and its scope. ``public``: the command writes
    only a public version (a presenter may do nothing else)."""
    username = getattr(args, "user", None)
    if not username:
        return CLI_ACTOR, Scope.city()
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = getpass.getpass(t("auditui.cli.prompt", username=username))
    account = accounts.authenticate(engine, username, password, dt.datetime.now(dt.UTC))
    if not public and not accounts.can_read_full_data(account):
        raise DomainError(t("auditui.cli.public_only", username=account.username))
    return account, accounts.scope_of(account)


def _user_option(parser, default=None) -> None:
    parser.add_argument(
        "--user", metavar="USERNAME", default=default,
        help="thực hiện với tư cách tài khoản này (mật khẩu từ HOTSPOT_PASSWORD hoặc nhập khi được hỏi)",
    )  # fmt: skip


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
    _, scope = acting_as(args, engine)
    ds = queries.load_dataset(engine, scope)
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
            ("kpi.cleared", fmt_of_target(**figures["clear"])),
            ("kpi.kept_clean", fmt_of_target(**figures["keep_clean"])),
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
    _, scope = acting_as(args, engine)
    ds = queries.load_dataset(engine, scope)
    as_of = parse_date(args.as_of) if args.as_of else today()
    level = UnitLevel(args.level)
    if args.buffer_m <= 0:
        raise DomainError(t("err.buffer", value=fmt_number(args.buffer_m, 1)))
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


def _dataset(args=None):
    """The data the command may read (the whole city without ``--user``)."""
    engine = store.open_store(Settings.from_env().database_url)
    ensure_data(engine)
    _, scope = acting_as(args, engine)
    return queries.load_dataset(engine, scope)


def _db(args) -> int:
    """``db upgrade`` brings the store's schema up to date (run once, from one
    process, before starting a new version of the app); ``db version`` only reads it."""
    url = Settings.from_env().database_url
    found = store.peek_schema_version(url)
    if args.action == "version":
        print(t("cli.db.version", url=store.safe_url(url), found=found, supported=store.SCHEMA_VERSION))
        return 0
    store.open_store(url).dispose()  # migrates
    if found == store.SCHEMA_VERSION:
        print(t("cli.db.current", url=store.safe_url(url), version=found))
    else:
        print(t("cli.db.upgraded", url=store.safe_url(url), found=found, version=store.SCHEMA_VERSION))
    return 0


def _risk(args) -> int:
    as_of = parse_date(args.as_of) if args.as_of else today()
    scores = risk.score(_dataset(args), as_of)
    rows = [
        {
            "code": row["code"],
            "name": row["name"],
            "status": row["status"],
            "score_type": row["score_type"],
            "score": float(row["score"]),
            "level": row["level"],
            "contributions": {f: float(row[f"pts_{f}"]) for f in risk.FACTORS if row[f"pts_{f}"]},
            "factors": {
                "months_since_cleared": _num(row["months_since_cleared"]),
                "months_open": _num(row["months_open"]),
                "prior_reemergences": int(row["prior_reemergences"]),
                "violations_nearby": int(row["violations_nearby"]),
                "open_nearby": int(row["open_nearby"]),
                "in_border_zone": bool(row["in_border_zone"]),
                "activity_drop": round(float(row["activity_drop"]), 3),
            },
        }
        for _, row in scores.iterrows()
    ]
    if args.json:
        print(json.dumps({"as_of": fmt_date(as_of), "hotspots": rows}, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(
                f"{r['code']:8} {fmt_number(r['score'], 1):>5} {t('risk.level.' + r['level']):11} {r['name']}"
            )
    return 0


def _json_safe(value):
    """NaN becomes null, so the output is strict JSON."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return None if isinstance(value, float) and value != value else value


def _num(value) -> float | None:
    return None if value != value else round(float(value), 2)  # NaN -> None


def _risk_backtest(args) -> int:
    if args.horizon_days <= 0:
        raise DomainError(t("err.horizon", value=fmt_number(args.horizon_days)))
    result = risk.backtest(_dataset(), horizon_days=args.horizon_days)
    per = [
        {
            "cutoff": fmt_date(row.cutoff),
            "candidates": int(row.candidates),
            "reemerged": int(row.reemerged),
            "model": {"auc": _num(row.auc_model), "top20_hits": int(row.hits_model)},
            "baseline": {"auc": _num(row.auc_baseline), "top20_hits": int(row.hits_baseline)},
            "top20_size": int(row.top_size),
        }
        for row in result.per_cutoff.itertuples(index=False)
    ]
    output = {"overall": _json_safe(result.overall), "cutoffs": per}
    if args.json:
        print(json.dumps(output, ensure_ascii=False, indent=2))
    else:
        o = result.overall
        print(f"{t('risk.bt.cutoffs')}: {o['cutoffs']}")
        for who in ("model", "baseline") if o["cutoffs"] else ():
            auc_text = fmt_number(o[who]["auc"], 3)
            hit_text = fmt_number(o[who]["top20_hit_rate"] * 100, 1)
            print(f"  {t('risk.' + who):40} AUC {auc_text}   top 20 %: {hit_text} %")
    return 0


def _import(args) -> int:
    from pathlib import Path

    from dashboard.intake.apply import apply
    from dashboard.intake.files import IntakeError
    from dashboard.intake.service import check
    from dashboard.intake.workbook import rejected_workbook

    path = Path(args.file)
    if not path.is_file():
        raise IntakeError(t("intake.file.not_found", name=args.file))
    engine = store.open_store(Settings.from_env().database_url)
    if args.actor not in actor_choices():
        raise DomainError(t("err.actor", actor=args.actor))
    report = check(
        path.name,
        path.read_bytes(),
        engine,
        today=today(),
        kind=args.kind,
        crs=args.crs,
        on_duplicate=args.on_duplicate,
    )
    result = report.to_json() | {"dry_run": args.dry_run}
    if not args.dry_run:
        result["written"] = apply(engine, report, args.actor)
    if args.rejected_out and report.rejected_rows:
        Path(args.rejected_out).write_bytes(rejected_workbook(report))
        result["rejected_file"] = args.rejected_out
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        counts = report.counts()
        done = t("intake.check.cli.dry_run") if args.dry_run else t("intake.check.cli.written")
        print(
            t(
                "intake.check.cli.summary",
                name=report.table.name,
                rows=fmt_number(counts["rows"]),
                accepted=fmt_number(counts["accepted"]),
                rejected=fmt_number(counts["rejected"]),
                done=done,
            )
        )
        for problem in report.problems:
            where = t("intake.check.cli.row", row=problem.row) if problem.row else t("intake.check.cli.file")
            column = t("intake.check.cli.column", column=problem.column) if problem.column else ""
            level = t("intake.check.cli.error") if problem.level == "error" else t("intake.check.cli.warning")
            print(f"  [{level}] {where}{column}: {problem.message}")
    return 0


def _boundaries(args) -> int:
    from pathlib import Path

    from dashboard.intake import boundaries
    from dashboard.intake.files import IntakeError

    path = Path(args.file)
    if not path.is_file():
        raise IntakeError(t("intake.file.not_found", name=args.file))
    if args.actor not in actor_choices():
        raise DomainError(t("err.actor", actor=args.actor))
    engine = store.open_store(Settings.from_env().database_url)
    report = boundaries.check_layer(path.name, path.read_bytes(), UnitLevel(args.level), engine, crs=args.crs)
    result = report.to_json() | {"dry_run": args.dry_run}
    if report.ok and not args.dry_run:
        result["installed"] = boundaries.install(report, engine, args.actor)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        verdict = t("intake.boundary.cli.valid") if report.ok else t("intake.boundary.cli.invalid")
        print(t("intake.boundary.cli.summary", name=path.name, units=report.units, verdict=verdict))
        warning, error = t("intake.check.cli.warning"), t("intake.check.cli.error")
        for line in report.notes:
            print(f"  [{warning}] {line}")
        for line in report.problems:
            print(f"  [{error}] {line}")
        if "installed" in result:
            print("  " + t("intake.boundary.cli.installed", moved=result["installed"]["hotspots_moved"]))
    return 0 if report.ok else 1


def _template(args) -> int:
    from pathlib import Path

    from dashboard.intake.workbook import export, template

    if args.command == "template":
        data = template(args.kind)
    else:
        from dashboard.exports import record_export
        from dashboard.intake.schema import KIND_LABELS, Kind

        engine = store.open_store(Settings.from_env().database_url)
        actor, scope = acting_as(args, engine)
        data = export(engine, args.kind, scope)
        record_export(engine, actor, t("auditui.what.data"), KIND_LABELS[Kind(args.kind)], scope)
    Path(args.out).write_bytes(data)
    print(args.out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    _user_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    seed = sub.add_parser("seed-demo", help="nạp lại dữ liệu mẫu (xóa dữ liệu hiện có)")
    seed.add_argument("--seed", type=int, default=SEED)
    seed.add_argument("--json", action="store_true")
    seed.set_defaults(run=_seed_demo)

    summary = sub.add_parser("summary", help="chỉ tiêu kế hoạch năm, như trang tổng quan")
    summary.add_argument("--plan-year", type=int, required=True)
    summary.add_argument("--as-of", help=f"ngày tính, dd/mm/yyyy (mặc định hôm nay, {fmt_date(today())})")
    summary.add_argument("--json", action="store_true")
    _user_option(summary, argparse.SUPPRESS)
    summary.set_defaults(run=_summary)

    pairs = sub.add_parser("border", help="các cặp địa bàn giáp ranh và tụ điểm trong vùng giáp ranh")
    pairs.add_argument("--level", choices=[level.value for level in UnitLevel], required=True)
    pairs.add_argument("--buffer-m", type=float, default=border.DEFAULT_ZONE_M)
    pairs.add_argument("--as-of", help="ngày tính trạng thái, dd/mm/yyyy (mặc định hôm nay)")
    pairs.add_argument("--json", action="store_true")
    _user_option(pairs, argparse.SUPPRESS)
    pairs.set_defaults(run=_border)

    scores = sub.add_parser("risk", help="điểm nguy cơ tái hoạt động và đóng góp của từng yếu tố")
    scores.add_argument("--as-of", help="ngày tính, dd/mm/yyyy (mặc định hôm nay)")
    scores.add_argument("--json", action="store_true")
    _user_option(scores, argparse.SUPPRESS)
    scores.set_defaults(run=_risk)

    bt = sub.add_parser("risk-backtest", help="kiểm định lại điểm nguy cơ theo từng cuối quý")
    bt.add_argument("--horizon-days", type=int, default=180)
    bt.add_argument("--json", action="store_true")
    bt.set_defaults(run=_risk_backtest)

    from dashboard.intake.schema import Kind

    kinds = [kind.value for kind in Kind]
    imp = sub.add_parser(
        "import",
        help="nhập tụ điểm, thay đổi trạng thái, hoạt động, ý kiến giao ban hoặc nhiệm vụ kế hoạch từ tệp",
    )
    imp.add_argument("file", help=".xlsx, .xls, .csv, .geojson, .gpkg hoặc Shapefile nén .zip")
    imp.add_argument("--kind", choices=kinds, help="loại dữ liệu (mặc định: nhận theo tiêu đề cột)")
    imp.add_argument("--crs", help="hệ toạ độ của X/Y hoặc của tệp bản đồ: 4326, 3405, vn2000_hanoi…")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    imp.add_argument(
        "--on-duplicate",
        choices=["skip", "update"],
        default="skip",
        help="dòng trùng tụ điểm đã lưu: bỏ qua (mặc định) hoặc cập nhật",
    )
    imp.add_argument("--actor", default=DEPARTMENT_OFFICES[1], help="cơ quan thực hiện việc nhập")
    imp.add_argument("--rejected-out", help="ghi các dòng bị loại ra tệp .xlsx này")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(run=_import)

    bnd = sub.add_parser("boundaries", help="kiểm tra và thay lớp ranh giới chính thức")
    bnd.add_argument("file", help=".geojson, .gpkg hoặc Shapefile nén .zip, có cột mã và tên")
    bnd.add_argument("--level", choices=[level.value for level in UnitLevel], required=True)
    bnd.add_argument("--crs", help="hệ toạ độ nếu tệp không ghi (mặc định: theo số liệu)")
    bnd.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không thay")
    bnd.add_argument("--actor", default=DEPARTMENT_OFFICES[1], help="cơ quan thực hiện")
    bnd.add_argument("--json", action="store_true")
    bnd.set_defaults(run=_boundaries)

    for name, text in (("template", "ghi tệp mẫu Excel"), ("export", "xuất dữ liệu đã lưu theo cột của mẫu")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("kind", choices=kinds)
        cmd.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
        if name == "export":
            _user_option(cmd, argparse.SUPPRESS)
        cmd.set_defaults(run=_template)

    db = sub.add_parser("db", help="cấu trúc kho dữ liệu: xem phiên bản, nâng cấp")
    db.add_argument("action", choices=("upgrade", "version"))
    db.set_defaults(run=_db)

    from dashboard.cli_reports import add_parser as add_report_parser

    add_report_parser(sub, user_option=lambda p: _user_option(p, argparse.SUPPRESS))
    from dashboard.cli_users import add_parser as add_user_parser

    add_user_parser(sub)
    from dashboard.backup import add_parser as add_backup_parser

    add_backup_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.user and args.command not in USER_COMMANDS:
            raise DomainError(t("auditui.cli.not_here", command=args.command))
        return args.run(args)
    except (DomainError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
