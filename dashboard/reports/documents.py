"""The monthly briefing sheet and the quarterly report as documents.

Each builder takes a view object of :mod:`dashboard.views` and turns it into a
:class:`~dashboard.reports.model.Document`; the .docx and the .xlsx are both
laid out from that one document (``write_docx(doc)`` and
``write_xlsx(doc.tables)``), so their tables hold the same values, and those
values are the view's.

The public version (``public=True``) replaces hotspot names with codes, draws
the map with displaced points and hides small counts in the per-unit tables
(see docs/public.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from dashboard import charts, geo, public, render
from dashboard.domain import COUNT_COLUMNS, ActivityKind, Status, UnitLevel, level_at
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.reports.model import Cell, Document, Heading, Image, Letterhead, Paragraph, Table
from dashboard.views import CRITERIA, RECOMMENDATIONS, MonthlyBriefing, QuarterlyReport, Unit

MAP_PX = (1100, 900)
CHART_PX = (1100, 620)


# --------------------------------------------------------------------------
# Names and letterheads


def unit_label(unit: Unit) -> str:
    """ "Quận Hoàn Kiếm", "Phường Ba Đình" or "thành phố Hà Nội"."""
    if unit.is_city:
        return t("rep.city")
    return geo.unit_names(unit.level).get(unit.code, unit.code)


def reporting_body(unit: Unit) -> str:
    """The office that reports, as it reads in a sentence."""
    if unit.is_city:
        return t("rep.body.city")
    name = unit_label(unit)
    return t(f"rep.body.{unit.level.value}", name=name[0].lower() + name[1:])


def _code_name(code: str | None) -> str:
    """Name of a unit code of either level (3 digits: former district, 5: ward)."""
    if not isinstance(code, str) or not code:
        return "—"
    level = UnitLevel.DISTRICT if len(code) == 3 else UnitLevel.WARD
    return geo.unit_names(level).get(code, code)


def letterhead(
    unit: Unit,
    summary: str,
    date: dt.date,
    *,
    signer_name: str = "",
    signer_title: str = "",
    signer_authority: str = "",
) -> Letterhead:
    """Issuing body, number, recipients and signer of a report by ``unit``."""
    name = unit_label(unit).upper()
    if unit.is_city:
        parent, issuer, number = t("rep.city_parent"), t("rep.city_issuer"), t("rep.city_symbol")
        recipients = (t("rep.to.committee"), t("rep.to.city"), t("rep.to.director"), t("rep.to.archive_city"))
        authority, title = t("rep.city_authority"), t("rep.city_title")
    elif unit.level == UnitLevel.DISTRICT:
        parent, issuer = t("rep.district_parent", name=name), t("rep.district_issuer")
        number = t("rep.district_symbol")
        recipients = (
            t("rep.to.department"),
            t("rep.to.local_committee", name=unit_label(unit)),
            t("rep.to.wards"),
            t("rep.to.archive"),
        )
        authority, title = t("rep.district_authority"), t("rep.district_title")
    else:
        parent, issuer, number = t("rep.ward_parent"), t("rep.ward_issuer", name=name), t("rep.ward_symbol")
        recipients = (
            t("rep.to.department"),
            t("rep.to.local_committee", name=unit_label(unit)),
            t("rep.to.archive"),
        )
        authority, title = t("rep.ward_authority"), t("rep.ward_title")
    return Letterhead(
        issuer_parent=parent,
        issuer=issuer,
        number=number,
        place="Hà Nội",
        date=date,
        doc_type=t("rep.doc_type"),
        summary=summary,
        recipients=recipients,
        signer_authority=signer_authority or authority,
        signer_title=signer_title or title,
        signer_name=signer_name.strip(),
    )


# --------------------------------------------------------------------------
# Small helpers


def _count_cells(values: list[int], public_version: bool) -> list[Cell]:
    """Counts as cells; in the public version small ones print as "<3"."""
    if not public_version:
        return [int(v) for v in values]
    return [public.suppressed_text(public.suppress(int(v))) for v in values]


def _count_table(
    key: str,
    title: str,
    columns: tuple[str, ...],
    labels: list[str],
    values: list[list[int]],
    public_version: bool,
    *,
    total: bool = True,
    decimals: dict[int, int] | None = None,
    note: str = "",
) -> Table:
    """A table of labelled count rows with a total row.

    In the public version the counts go through :func:`public.suppress_table`
    (secondary suppression included) and the total row is left out, since a
    total could give a hidden cell away.
    """
    if public_version and values:
        frame = pd.DataFrame(values, columns=list(range(len(values[0]))))
        hidden = public.suppress_table(frame, list(frame.columns))
        rows = tuple(
            (label, *(public.suppressed_text(v) for v in hidden.iloc[i])) for i, label in enumerate(labels)
        )
        return Table(key, title, columns, rows, None, decimals or {}, note or t("public.caption"))
    rows = tuple((label, *(int(v) for v in row)) for label, row in zip(labels, values, strict=True))
    sums = tuple(int(sum(col)) for col in zip(*values, strict=True)) if values else ()
    total_row = (t("rep.total"), *sums) if total and values else None
    return Table(key, title, columns, rows, total_row, decimals or {}, note)


def _name(row, public_version: bool) -> str:
    return row["code"] if public_version else row["name"]


def _status(value) -> str:
    return t(f"status.{value}") if isinstance(value, str) and value else "—"


def _images(specs: list[tuple[str, Callable[[], object]]]) -> list[Image]:
    """Render the charts of a document in one batch (maps are drawn directly)."""
    figures, order = [], []
    for caption, make in specs:
        made = make()
        if isinstance(made, bytes):
            order.append((caption, made))
        else:
            order.append((caption, None))
            printed = charts.for_print(made, font_size=15, width=CHART_PX[0])
            figures.append((printed, printed.layout.width, printed.layout.height))
    pngs = iter(render.figures_png(figures))
    return [Image(png if png is not None else next(pngs), caption, 160.0) for caption, png in order]


def _area_map(
    hotspots: pd.DataFrame,
    unit: Unit,
    level: UnitLevel,
    as_of: dt.date,
    public_version: bool,
    zones=None,
    lines=None,
) -> bytes:
    units = geo.load_units(unit.level or level, display=True)
    points = public.displace(hotspots) if public_version and not hotspots.empty else hotspots
    focus = None if unit.is_city else [unit.code]
    return render.static_map_png(
        units,
        points,
        focus_codes=focus,
        zones=zones,
        shared_lines=lines,
        width_px=MAP_PX[0],
        height_px=MAP_PX[1],
        labels=not unit.is_city,
    )


def _notes_blocks(notes: pd.DataFrame, empty_key: str) -> list:
    if notes.empty:
        return [Paragraph(t(empty_key), italic=True)]
    rows = tuple(
        (
            _code_name(n.unit_code) if n.unit_code else t("rep.city"),
            n.month.strftime("%m/%Y"),
            n.difficulties or "—",
            n.proposals or "—",
            n.decisions or "—",
        )
        for n in notes.itertuples(index=False)
    )
    columns = (
        t("rep.c.unit"),
        t("rep.c.month"),
        t("rep.c.difficulties"),
        t("rep.c.proposals"),
        t("rep.c.decisions"),
    )
    return [Table("giao_ban", t("rep.t.notes"), columns, rows)]


def _overdue_blocks(late: pd.DataFrame, as_of, public_version: bool) -> list:
    """The tasks of local plans overdue at ``as_of`` (:func:`dashboard.views.overdue_tasks`);
    the public version names a hotspot by its code only."""
    if late.empty:
        return [Paragraph(t("rep.m.no_overdue", date=fmt_date(as_of)), italic=True)]
    spots = late["place"]
    if public_version:
        spots = spots.where(late["hotspot_id"].isna(), spots.str.split(" · ").str[0])
    rows = tuple(
        (_code_name(r.unit_code), r.title, r.responsible, place, fmt_date(r.deadline), int(r.days_late))
        for r, place in zip(late.itertuples(index=False), spots, strict=True)
    )
    columns = (t("rep.c.unit"), t("plans.field.task"), t("plans.field.responsible"), t("plans.field.place"),
               t("plans.field.deadline"), t("plans.field.days_late"))  # fmt: skip
    return [
        Paragraph(t("rep.m.s5_text", n=fmt_number(len(late)), date=fmt_date(as_of))),
        Table("nhiem_vu_qua_han", t("rep.t.overdue"), columns, rows),
    ]


def _sample_blocks(sample: bool) -> list:
    return [Paragraph(t("rep.sample"), bold=True)] if sample else []


def _results_table(key: str, title: str, results: dict[str, int], public_version: bool) -> Table:
    labels = [t(f"count.{c}") for c in COUNT_COLUMNS]
    values = [[int(results[c])] for c in COUNT_COLUMNS]
    if public_version:
        rows = tuple(
            (label, public.suppressed_text(public.suppress(v[0])))
            for label, v in zip(labels, values, strict=True)
        )
        return Table(key, title, (t("rep.c.measure"), t("rep.c.value")), rows, note=t("public.caption"))
    rows = tuple((label, v[0]) for label, v in zip(labels, values, strict=True))
    return Table(key, title, (t("rep.c.measure"), t("rep.c.value")), rows)


# --------------------------------------------------------------------------
# Monthly briefing sheet


def monthly_document(
    b: MonthlyBriefing,
    *,
    public_version: bool = False,
    sample: bool = False,
    signer_name: str = "",
    signer_title: str = "",
    signer_authority: str = "",
    images: bool = True,
) -> Document:
    """The monthly briefing sheet of :func:`dashboard.views.monthly_briefing`."""
    month, year = b.month.month, b.month.year
    summary = t("rep.m.summary", month=f"{month:02d}", year=year, unit=unit_label(b.unit))
    head = letterhead(
        b.unit,
        summary,
        b.as_of,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_authority=signer_authority,
    )
    status_rows = [s.value for s in Status]
    # What changed since last month: the difference column (left out of the public
    # version, where a difference could give a hidden small count away).
    status_columns = ["previous", "current"] if public_version else ["previous", "current", "change"]
    status_table = _count_table(
        "trang_thai",
        t("rep.t.status"),
        (t("rep.c.status"), *(t(f"rep.c.{c}") for c in status_columns)),
        [t(f"status.{s}") for s in status_rows],
        [[int(b.status_counts.loc[s, c]) for c in status_columns] for s in status_rows],
        public_version,
    )
    changes = tuple(
        (
            r["code"],
            _name(r, public_version),
            r["date"].date(),
            _status(r["from_status"]),
            _status(r["to_status"]),
            r["reason"] or "—",
        )
        for _, r in b.changes.iterrows()
    )
    change_table = Table(
        "thay_doi",
        t("rep.t.changes"),
        (
            t("rep.c.code"),
            t("rep.c.name"),
            t("rep.c.date"),
            t("rep.c.from"),
            t("rep.c.to"),
            t("rep.c.reason"),
        ),
        changes,
    )
    kinds = [k.value for k in ActivityKind]
    by_kind = _count_table(
        "theo_loai",
        t("rep.t.by_kind"),
        (t("rep.c.kind"), t("rep.c.count")),
        [t(f"activity.{k}") for k in kinds],
        [[int(b.activities_by_kind[k])] for k in kinds],
        public_version,
    )
    perf = b.activities_by_performer
    by_performer = _count_table(
        "theo_don_vi",
        t("rep.t.by_performer"),
        (t("rep.c.performer"), t("rep.c.count"), *(t(f"count.{c}") for c in COUNT_COLUMNS)),
        [
            _code_name(c) if len(str(c)) in (3, 5) and str(c).isdigit() else (c or "—")
            for c in perf["performer"]
        ],
        perf[["activities", *COUNT_COLUMNS]].astype(int).values.tolist(),
        public_version,
    )
    gaps = tuple(
        (
            g.code,
            g.code if public_version else g.name,
            _status(g.status),
            _code_name(g.side),
            _code_name(g.neighbour),
            ", ".join(_code_name(c) for c in str(g.silent).split()),
        )
        for g in b.gaps.drop_duplicates("id").itertuples(index=False)
    )
    gap_table = Table(
        "giap_ranh",
        t("rep.t.gaps"),
        (
            t("rep.c.code"),
            t("rep.c.name"),
            t("rep.c.status"),
            t("rep.c.side"),
            t("rep.c.neighbour"),
            t("rep.c.silent"),
        ),
        gaps,
    )
    high = tuple(
        (
            r["code"],
            _name(r, public_version),
            _status(r["status"]),
            float(r["score"]),
            t(f"risk.level.{r['level']}"),
        )
        for _, r in b.high_risk.iterrows()
    )
    high_table = Table(
        "nguy_co_cao",
        t("rep.t.high_risk"),
        (t("rep.c.code"), t("rep.c.name"), t("rep.c.status"), t("rep.c.score"), t("rep.c.level")),
        high,
        decimals={3: 1},
    )
    level = b.unit.level or level_at(b.as_of)
    pictures = (
        _images(
            [
                (
                    t("rep.img.map", date=fmt_date(b.as_of)),
                    lambda: _area_map(b.hotspots, b.unit, level, b.as_of, public_version),
                ),
            ]
        )
        if images
        else []
    )
    blocks = [
        *_sample_blocks(sample),
        Paragraph(t("rep.m.intro", start=fmt_date(b.filters.date_from), end=fmt_date(b.as_of)), italic=True),
        Heading(t("rep.m.s1")),
        Paragraph(t("rep.m.s1_text", open=fmt_number(b.open_now), changes=fmt_number(len(b.changes)))),
        status_table,
        *pictures,
        change_table if changes else Paragraph(t("rep.m.no_changes"), italic=True),
        Heading(t("rep.m.s2")),
        Paragraph(t("rep.m.s2_text", acts=fmt_number(b.activities))),
        by_kind,
        by_performer,
        _results_table("ket_qua", t("rep.t.results"), b.results, public_version),
        Heading(t("rep.m.s3")),
        Paragraph(
            t(
                "rep.m.s3_text",
                border=fmt_number(b.border_hotspots),
                gaps=fmt_number(len(gaps)),
                high=fmt_number(len(high)),
            )
        ),
        gap_table if gaps else Paragraph(t("rep.m.no_gaps"), italic=True),
        high_table if high else Paragraph(t("rep.m.no_high"), italic=True),
        Heading(t("rep.m.s4")),
        *_notes_blocks(b.notes, "rep.m.no_notes"),
        Heading(t("rep.m.s5")),
        *_overdue_blocks(b.overdue_tasks, b.as_of, public_version),
    ]
    return Document(head, tuple(blocks), public=public_version)


# --------------------------------------------------------------------------
# Quarterly report


def handover_reasons(reasons: tuple[str, ...]) -> str:
    """The unmet criteria of a recommendation, in words."""
    texts = {
        "months": t("handover.reason.months", months=fmt_number(CRITERIA.min_months)),
        "violations": t("handover.reason.violations"),
        "checks": t("handover.reason.checks", checks=fmt_number(CRITERIA.min_checks)),
        "risk": t("handover.reason.risk"),
    }
    return "; ".join(texts[r] for r in reasons) if reasons else "—"


def handover_table(handover: pd.DataFrame, public_version: bool) -> Table:
    """The handover evaluation: evidence and recommendation per clear target.

    The unmet criteria follow the recommendation ("Tiếp tục theo dõi: chưa đủ
    3 tháng"), so the table fits a portrait page."""

    def recommendation(r) -> str:
        text = t(f"handover.{r['recommendation']}")
        return f"{text}: {handover_reasons(r['reasons'])}" if r["reasons"] else text

    rows = tuple(
        (
            r["code"],
            _name(r, public_version),
            r["cleared_on"],
            None if pd.isna(r["months_since"]) else float(r["months_since"]),
            None if pd.isna(r["violations_since"]) else int(r["violations_since"]),
            None if pd.isna(r["checks_since"]) else int(r["checks_since"]),
            t(f"risk.level.{r['risk_level']}") if isinstance(r["risk_level"], str) else "—",
            recommendation(r),
        )
        for _, r in handover.iterrows()
    )
    columns = (
        t("rep.c.code"),
        t("rep.c.name"),
        t("rep.c.cleared_on"),
        t("rep.c.months"),
        t("rep.c.violations"),
        t("rep.c.checks"),
        t("rep.c.risk"),
        t("rep.c.recommendation"),
    )
    return Table("ban_giao", t("rep.t.handover"), columns, rows, decimals={3: 1}, note=t("rep.handover_note"))


def quarter_label(quarter: int) -> str:
    return t(f"rep.quarter.{quarter}")


def quarterly_document(
    q: QuarterlyReport,
    *,
    public_version: bool = False,
    sample: bool = False,
    signer_name: str = "",
    signer_title: str = "",
    signer_authority: str = "",
    images: bool = True,
) -> Document:
    """The quarterly report of :func:`dashboard.views.quarterly_report`."""
    roman = quarter_label(q.quarter)
    summary = t("rep.q.summary", quarter=roman, year=q.year, unit=unit_label(q.unit))
    head = letterhead(
        q.unit,
        summary,
        q.end,
        signer_name=signer_name,
        signer_title=signer_title,
        signer_authority=signer_authority,
    )
    k = q.kpis
    unit_text = reporting_body(q.unit)
    intro = (
        t(
            "rep.q.intro",
            plan=k.doc_number,
            year=q.year,
            unit=unit_text,
            quarter=roman,
            start=fmt_date(q.start),
            end=fmt_date(q.end),
        )
        if k.doc_number
        else t(
            "rep.q.intro_no_plan",
            unit=unit_text,
            quarter=roman,
            year=q.year,
            start=fmt_date(q.start),
            end=fmt_date(q.end),
        )
    )

    def rate(done: int, target: int) -> float | None:
        return round(100 * done / target, 1) if target else None

    plan = Table(
        "chi_tieu",
        t("rep.t.plan"),
        (t("rep.c.target"), t("rep.c.planned"), t("rep.c.done"), t("rep.c.rate")),
        (
            (t("target.clear"), k.clear_target, k.cleared, rate(k.cleared, k.clear_target)),
            (t("target.keep_clean"), k.keep_target, k.kept_clean, rate(k.kept_clean, k.keep_target)),
        ),
        decimals={3: 1},
    )
    targets = Table(
        "theo_tu_diem",
        t("rep.t.targets"),
        (
            t("rep.c.code"),
            t("rep.c.name"),
            t("rep.c.unit"),
            t("rep.c.target"),
            t("rep.c.status"),
            t("rep.c.met"),
        ),
        tuple(
            (
                r["code"],
                _name(r, public_version),
                _code_name(r["ward_code"] if q.unit_level == UnitLevel.WARD else r["district_code"]),
                t(f"target.{r['target_type']}"),
                _status(r["status"]),
                t("rep.met.yes") if r["met"] else t("rep.met.no"),
            )
            for _, r in q.targets.iterrows()
        ),
    )
    ru = q.results_by_unit
    by_unit = _count_table(
        "theo_dia_ban",
        t("rep.t.by_unit"),
        (t("rep.c.unit"), t("rep.c.count"), *(t(f"count.{c}") for c in COUNT_COLUMNS)),
        [_code_name(c) for c in ru["unit_code"]],
        ru[["activities", *COUNT_COLUMNS]].astype(int).values.tolist(),
        public_version,
    )
    re_rows = tuple(
        (r["code"], _name(r, public_version), r["date"].date(), r["reason"] or "—")
        for _, r in q.reemergences.iterrows()
    )
    re_table = Table(
        "tai_hoat_dong",
        t("rep.t.reemergences"),
        (t("rep.c.code"), t("rep.c.name"), t("rep.c.date"), t("rep.c.reason")),
        re_rows,
    )
    table = q.border.table
    open_cols = [s.value for s in (Status.ACTIVE, Status.CLEARING, Status.REEMERGED)]
    border_rows = [
        (
            f"{_code_name(r['code_a'])} ↔ {_code_name(r['code_b'])}",
            [int(r["hotspots"]), int(sum(r[c] for c in open_cols)), int(r["acts_a"]), int(r["acts_b"])],
        )
        for _, r in table.iterrows()
    ]
    border_table = _count_table(
        "giap_ranh",
        t("rep.t.border"),
        (t("rep.c.pair"), t("rep.c.hotspots"), t("rep.c.open"), t("rep.c.acts_a"), t("rep.c.acts_b")),
        [label for label, _ in border_rows],
        [v for _, v in border_rows],
        public_version,
        total=False,
    )
    gaps = int(q.border.gaps["id"].nunique()) if not q.border.gaps.empty else 0
    counts = q.recommendation_counts()
    proposals = q.proposals
    prop_blocks = (
        [
            Table(
                "de_xuat",
                t("rep.t.proposals"),
                (t("rep.c.unit"), t("rep.c.month"), t("rep.c.proposals")),
                tuple(
                    (
                        _code_name(n.unit_code) if n.unit_code else t("rep.city"),
                        n.month.strftime("%m/%Y"),
                        n.proposals,
                    )
                    for n in proposals.itertuples(index=False)
                ),
            )
        ]
        if not proposals.empty
        else [Paragraph(t("rep.q.no_proposals"), italic=True)]
    )
    level = q.unit_level
    pictures = []
    if images:
        specs = [
            (
                t("rep.img.map", date=fmt_date(q.end)),
                lambda: _area_map(q.hotspots, q.unit, level, q.end, public_version),
            ),
            (t("rep.img.activities"), lambda: charts.activities_chart(q.activity_rows)),
        ]
        if q.unit.is_city:
            specs.append(
                (
                    t("rep.img.status"),
                    lambda: charts.status_by_unit_chart(
                        q.status_by_unit, geo.unit_names(level), t(f"chart.status_by_{level.value}")
                    ),
                )
            )
        pictures = _images(specs)
    blocks = [
        *_sample_blocks(sample),
        Paragraph(intro),
        Heading(t("rep.q.s1")),
        Paragraph(
            t(
                "rep.q.s1_text",
                end=fmt_date(q.end),
                cleared=fmt_number(k.cleared),
                clear_target=fmt_number(k.clear_target),
                kept=fmt_number(k.kept_clean),
                keep_target=fmt_number(k.keep_target),
                reemerged=fmt_number(k.reemerged),
            )
        ),
        plan,
        targets,
        *pictures[:1],
        Heading(t("rep.q.s2")),
        Paragraph(t("rep.q.s2_text", acts=fmt_number(q.activities))),
        by_unit,
        *pictures[1:],
        Heading(t("rep.q.s3")),
        re_table if re_rows else Paragraph(t("rep.q.no_reemergence"), italic=True),
        Heading(t("rep.q.s4")),
        Paragraph(t("rep.q.s4_text", border=fmt_number(q.border_hotspots), gaps=fmt_number(gaps))),
        *([border_table] if border_rows else []),
        Heading(t("rep.q.s5")),
        Paragraph(
            t(
                "rep.q.s5_text",
                months=fmt_number(CRITERIA.min_months),
                checks=fmt_number(CRITERIA.min_checks),
                **{r: fmt_number(counts[r]) for r in RECOMMENDATIONS},
            )
        ),
        handover_table(q.handover, public_version),
        Heading(t("rep.q.s6")),
        *prop_blocks,
    ]
    return Document(head, tuple(blocks), public=public_version)
