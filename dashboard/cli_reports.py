"""``python -m dashboard report monthly|quarterly|deck``: the reporting chain's documents.

- ``report monthly --month MM/YYYY [--unit CODE] [--public] --out FILE.docx|.xlsx [--json]``
- ``report quarterly --year YYYY --quarter Q [--unit CODE] [--signer "…"] [--public]
  --out FILE.docx|.xlsx [--json]``
- ``report deck [--plan-year YYYY] [--public] --out FILE.pptx``

``--unit`` is a former district code (3 digits) or a ward code (5 digits);
without it the report covers the city. ``--json`` prints the figures the
document holds (the view object's ``as_dict``). Nothing here needs a network.

With ``--user`` (see :mod:`dashboard.cli`) a report covers only the account's
scope: an area officer must name one of their units with ``--unit`` (another
unit, or the city, is refused), and a presenter gets only ``--public`` files
(no ``--json``). Every file written is audited as an export
(:func:`dashboard.exports.record_export`); ``--json`` alone writes no file.
"""

from __future__ import annotations

import json
from pathlib import Path

from dashboard import queries, store, views
from dashboard.accounts import Account
from dashboard.cli import acting_as
from dashboard.config import Settings, today
from dashboard.domain import DomainError, UnitLevel
from dashboard.exports import record_export
from dashboard.i18n import t
from dashboard.reports import documents, service
from dashboard.sample import ensure_data
from dashboard.scope import Scope


def _load(args):
    """The store, who acts (:func:`dashboard.cli.acting_as`), their scope and
    the data within it. A presenter may write a public file only."""
    engine = store.open_store(Settings.from_env().database_url)
    ensure_data(engine)
    public = bool(args.public) and not args.json and bool(args.out)
    actor, scope = acting_as(args, engine, public=public)
    return engine, actor, scope, queries.load_dataset(engine, scope)


def _check_unit(unit: views.Unit, actor: Account | str, scope: Scope) -> None:
    """Refuse a report on a unit (or the city) outside the acting account's scope."""
    if scope.is_city:
        return
    codes = scope.ward_codes if unit.level == UnitLevel.WARD else scope.district_codes
    if unit.is_city or unit.code not in (codes or ()):
        username = actor.username if isinstance(actor, Account) else str(actor)
        raise DomainError(t("auditui.cli.unit_refused", username=username, unit=documents.unit_label(unit)))


def _finish(args, figures: dict, data: bytes | None) -> int:
    if data is not None:
        Path(args.out).write_bytes(data)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    elif args.out:
        print(args.out)
    return 0


def _monthly(args) -> int:
    suffix = service.check_suffix(args.out) if args.out else None
    if not suffix and not args.json:
        raise DomainError(t("err.report_out", allowed=", ".join(service.SUFFIXES), value=""))
    unit = service.parse_unit(args.unit)
    month = service.parse_month(args.month)
    engine, actor, scope, ds = _load(args)
    _check_unit(unit, actor, scope)
    b = views.monthly_briefing(ds, month, unit, scope, today=today())
    data = None
    if suffix:
        doc = documents.monthly_document(
            b, public_version=args.public, sample=store.is_sample_data(engine), images=suffix == ".docx"
        )
        data = service.write(doc, suffix)
        _record(engine, actor, scope, suffix, doc.letterhead.summary, args.public)
    return _finish(args, b.as_dict(), data)


def _quarterly(args) -> int:
    suffix = service.check_suffix(args.out) if args.out else None
    if not suffix and not args.json:
        raise DomainError(t("err.report_out", allowed=", ".join(service.SUFFIXES), value=""))
    unit = service.parse_unit(args.unit)
    engine, actor, scope, ds = _load(args)
    _check_unit(unit, actor, scope)
    q = views.quarterly_report(ds, args.year, args.quarter, unit, scope, today=today())
    data = None
    if suffix:
        doc = documents.quarterly_document(
            q,
            public_version=args.public,
            sample=store.is_sample_data(engine),
            signer_name=args.signer or "",
            signer_title=args.signer_title or "",
            images=suffix == ".docx",
        )
        data = service.write(doc, suffix)
        _record(engine, actor, scope, suffix, doc.letterhead.summary, args.public)
    return _finish(args, q.as_dict(), data)


def _deck(args) -> int:
    service.check_suffix(args.out, (".pptx",))
    engine, actor, scope, ds = _load(args)
    year = args.plan_year or (ds.years[0] if ds.years else today().year)
    if ds.years and year not in ds.years:
        raise DomainError(t("kpi.no_plan", year=year))
    view = views.deck(ds, year, scope, today=today())
    from dashboard.reports.deck import deck_pptx

    data = deck_pptx(view, public=args.public, sample=store.is_sample_data(engine))
    title = t("deck.title", year=year)
    record_export(engine, actor, t("auditui.what.deck"), title, scope, public=args.public)
    return _finish(args, view.as_dict(), data)


def _record(engine, actor: Account | str, scope: Scope, suffix: str, summary: str, public: bool) -> None:
    record_export(engine, actor, t("auditui.what.report", suffix=suffix), summary, scope, public=public)


def add_parser(sub, user_option=None) -> None:
    """Add the ``report`` command to the main parser's subparsers; ``user_option``
    adds ``--user`` to each report (see :mod:`dashboard.cli`)."""
    report = sub.add_parser("report", help="báo cáo giao ban tháng, báo cáo quý, bản trình chiếu")
    kinds = report.add_subparsers(dest="report_kind", required=True)

    monthly = kinds.add_parser("monthly", help="bảng giao ban tháng (.docx hoặc .xlsx)")
    monthly.add_argument("--month", required=True, help="tháng, mm/yyyy")
    monthly.add_argument("--unit", help="mã quận, huyện cũ (3 chữ số) hoặc phường, xã (5 chữ số)")
    monthly.add_argument("--public", action="store_true", help="bản công khai")
    monthly.add_argument("--out", help="tệp .docx hoặc .xlsx sẽ ghi")
    monthly.add_argument("--json", action="store_true", help="in số liệu của báo cáo")
    monthly.set_defaults(run=_monthly)

    quarterly = kinds.add_parser("quarterly", help="báo cáo quý gửi Sở (.docx hoặc .xlsx)")
    quarterly.add_argument("--year", type=int, required=True)
    quarterly.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
    quarterly.add_argument("--unit", help="mã quận, huyện cũ (3 chữ số) hoặc phường, xã (5 chữ số)")
    quarterly.add_argument("--signer", help="họ tên người ký, chỉ in vào tệp, không lưu")
    quarterly.add_argument("--signer-title", help="chức vụ người ký (mặc định theo cấp)")
    quarterly.add_argument("--public", action="store_true", help="bản công khai")
    quarterly.add_argument("--out", help="tệp .docx hoặc .xlsx sẽ ghi")
    quarterly.add_argument("--json", action="store_true", help="in số liệu của báo cáo")
    quarterly.set_defaults(run=_quarterly)

    deck = kinds.add_parser("deck", help="bản trình chiếu cho Ban chỉ đạo (.pptx)")
    deck.add_argument("--plan-year", type=int)
    deck.add_argument("--public", action="store_true", help="bản công khai")
    deck.add_argument("--out", required=True, help="tệp .pptx sẽ ghi")
    deck.add_argument("--json", action="store_true", help="in số liệu của bản trình chiếu")
    deck.set_defaults(run=_deck)
    for parser in (monthly, quarterly, deck) if user_option else ():
        user_option(parser)
