"""One computation per screen and document.

Each function here takes the data (a :class:`~dashboard.queries.Dataset`),
the filters and the caller's scope, and returns a frozen result object holding
every figure, table and map input that screen or document shows. Pages,
exports, the deck and the command line render these objects; none of them
recomputes a figure, so a number reads the same everywhere.

The rules that several screens share each have one named function here:
:func:`is_open`, :func:`high_risk_ids`, :func:`border_hotspot_ids` and
:func:`dashboard.domain.level_at` (the level in force on a date).

No Streamlit here: everything is testable with plain pytest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard import border, queries, risk, store, tasks
from dashboard.border import BorderReport
from dashboard.domain import (
    CLEARED_STATUSES,
    COUNT_COLUMNS,
    OPEN_STATUSES,
    ActivityKind,
    Status,
    TargetType,
    UnitLevel,
    level_at,
)
from dashboard.filters import Filters
from dashboard.queries import Dataset, PlanKpis
from dashboard.scope import Scope

__all__ = ["level_at"]

CITY = Scope.city()

# --------------------------------------------------------------------------
# Shared rules, each defined once


def is_open(status: pd.Series) -> pd.Series:
    """True where a status is open (active, clearing or re-emerged)."""
    return status.isin([s.value for s in OPEN_STATUSES])


def is_cleared(status: pd.Series) -> pd.Series:
    """True where a status counts as cleared (cleared or handed over)."""
    return status.isin([s.value for s in CLEARED_STATUSES])


def high_risk_ids(scores: pd.DataFrame) -> frozenset[int]:
    """Cleared or handed-over places whose re-emergence risk is high.

    (Open places get a persistence score instead; a high persistence score is
    not "high risk".)
    """
    high = scores[(scores["score_type"] == "risk") & (scores["level"] == "high")]
    return frozenset(int(i) for i in high["id"])


def border_hotspot_ids(report: BorderReport) -> frozenset[int]:
    """Hotspots lying in the border zone of at least one pair of the report."""
    return frozenset(int(i) for i in report.in_zone["id"].unique())


def restrict(ds: Dataset, scope: Scope) -> Dataset:
    """``ds`` limited to ``scope`` (a second guard behind the store's reads)."""
    if scope.is_city:
        return ds

    def keep(frame: pd.DataFrame) -> pd.Series:
        mask = pd.Series(False, index=frame.index)
        if scope.ward_codes:
            mask |= frame["ward_code"].isin(sorted(scope.ward_codes))
        if scope.district_codes:
            mask |= frame["district_code"].isin(sorted(scope.district_codes))
        return mask

    hotspots = ds.hotspots[keep(ds.hotspots)]
    ids = hotspots["id"]
    acts = ds.activities
    on_spot = acts["hotspot_id"].isin(ids)
    area_wide = acts["hotspot_id"].isna() & keep(acts)
    changes = {
        "hotspots": hotspots,
        "history": ds.history[ds.history["hotspot_id"].isin(ids)],
        "activities": acts[on_spot | area_wide],
        "targets": ds.targets[ds.targets["hotspot_id"].isin(ids)],
    }
    notes = getattr(ds, "notes", None)
    if notes is not None and not notes.empty:
        changes["notes"] = notes[keep(notes.fillna({"ward_code": "", "district_code": ""}))]
    for name in ("local_plans", "tasks"):
        frame = getattr(ds, name, None)
        if frame is not None and not frame.empty:
            changes[name] = frame[keep(frame.fillna({"ward_code": "", "district_code": ""}))]
    local_targets = getattr(ds, "local_targets", None)
    if local_targets is not None and not local_targets.empty:
        kept = changes.get("local_plans", ds.local_plans)["id"]  # as the store reads them: by the plan's unit
        changes["local_targets"] = local_targets[
            local_targets["hotspot_id"].isin(ids) & local_targets["local_plan_id"].isin(kept)
        ]
    return replace(ds, **changes)


def scores_for(ds: Dataset, as_of: dt.date, scores: pd.DataFrame | None) -> pd.DataFrame:
    """Risk scores at ``as_of`` (computed unless the caller has them cached)."""
    return risk.score(ds, as_of) if scores is None else scores


# --------------------------------------------------------------------------
# Screens


@dataclass(frozen=True)
class Figure:
    """One headline figure: catalogue label key, value and help text key."""

    key: str
    value: int
    help: str = ""


@dataclass(frozen=True)
class OverviewView:
    """Tổng quan thành phố (and, with an area, Theo địa bàn)."""

    filters: Filters
    kpis: PlanKpis
    hotspots: pd.DataFrame  # queries.hotspot_view
    activities: pd.DataFrame  # queries.activities_view: what the charts and the activity card count
    border: BorderReport
    scores: pd.DataFrame  # of the hotspots shown
    border_hotspots: int
    high_risk: int
    level: UnitLevel  # the level in force at the end of the range (map layer, status chart)
    status_by_unit: pd.DataFrame  # queries.status_by_unit at ``level``
    open_by_unit: dict[UnitLevel, pd.Series] = field(default_factory=dict)
    overdue_tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # overdue_tasks() at the as-of date

    def as_dict(self) -> dict:
        out = self.kpis.as_dict()
        out["border_hotspots"] = self.border_hotspots
        out["high_risk"] = self.high_risk
        out["overdue_tasks"] = len(self.overdue_tasks)
        return out


def overview(
    ds: Dataset, f: Filters, scope: Scope = CITY, *, scores: pd.DataFrame | None = None
) -> OverviewView:
    """Everything the city overview shows (also the area page, when ``f`` has an area)."""
    ds = restrict(ds, scope)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    level = f.area_level or level_at(f.as_of)
    all_scores = scores_for(ds, f.as_of, scores)
    shown = all_scores[all_scores["id"].isin(view["id"])]
    report = border.border_report(
        level, view, acts, ds.activities, f.as_of, unit=f.area_code, at_risk=high_risk_ids(shown)
    )
    return OverviewView(
        filters=f,
        kpis=queries.plan_kpis(ds, f, activities=acts),
        hotspots=view,
        activities=acts,
        border=report,
        scores=shown,
        border_hotspots=len(border_hotspot_ids(report)),
        high_risk=len(high_risk_ids(shown)),
        level=level_at(f.as_of),
        status_by_unit=queries.status_by_unit(view, level_at(f.as_of)),
        open_by_unit={lvl: queries.open_counts(view, lvl) for lvl in UnitLevel},
        overdue_tasks=overdue_tasks(ds, _area_unit(f), f.as_of),
    )


@dataclass(frozen=True)
class BorderView:
    filters: Filters
    level: UnitLevel
    unit: str | None
    hotspots: pd.DataFrame
    activities: pd.DataFrame
    scores: pd.DataFrame
    report: BorderReport
    border_hotspots: int
    attention: int
    gaps: int

    def as_dict(self) -> dict:
        return {
            "level": self.level.value,
            "pairs": len(self.report.adjacency.pairs),
            "border_hotspots": self.border_hotspots,
            "attention": self.attention,
            "gaps": self.gaps,
            "one_sided": len(self.report.one_sided),
        }


def border_view(
    ds: Dataset,
    f: Filters,
    scope: Scope = CITY,
    *,
    level: UnitLevel | None = None,
    unit: str | None = None,
    width_m: float = border.DEFAULT_ZONE_M,
    gap_days: int = border.DEFAULT_GAP_DAYS,
    scores: pd.DataFrame | None = None,
) -> BorderView:
    """The border page: pairs, zones, border hotspots, sides' activity, gaps.

    ``level`` defaults to the one in force at the end of the range, as on every
    other screen, so "border hotspots" is the same figure there and here.
    """
    ds = restrict(ds, scope)
    level = UnitLevel(level) if level else level_at(f.as_of)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    all_scores = scores_for(ds, f.as_of, scores)
    shown = all_scores[all_scores["id"].isin(view["id"])]
    report = border.border_report(
        level, view, acts, ds.activities, f.as_of, width_m, gap_days, unit, at_risk=high_risk_ids(shown)
    )
    return BorderView(
        filters=f,
        level=level,
        unit=unit,
        hotspots=view,
        activities=acts,
        scores=shown.assign(in_border_zone=shown["id"].isin(report.in_zone["id"])),
        report=report,
        border_hotspots=len(border_hotspot_ids(report)),
        attention=int(report.ranking["attention"].sum()) if not report.ranking.empty else 0,
        gaps=int(report.gaps["id"].nunique()),
    )


@dataclass(frozen=True)
class RiskView:
    filters: Filters
    hotspots: pd.DataFrame
    scores: pd.DataFrame  # of the hotspots shown
    high: int
    medium: int
    persistent: int


def risk_view(
    ds: Dataset, f: Filters, scope: Scope = CITY, *, scores: pd.DataFrame | None = None
) -> RiskView:
    ds = restrict(ds, scope)
    view = queries.hotspot_view(ds, f)
    all_scores = scores_for(ds, f.as_of, scores)
    shown = all_scores[all_scores["id"].isin(view["id"])]
    at_risk = shown[shown["score_type"] == "risk"]
    return RiskView(
        filters=f,
        hotspots=view,
        scores=shown,
        high=len(high_risk_ids(shown)),
        medium=int((at_risk["level"] == "medium").sum()),
        persistent=int(((shown["score_type"] == "persistence") & (shown["level"] == "high")).sum()),
    )


# --------------------------------------------------------------------------
# Periods and units of the reporting chain


def month_start(date: dt.date) -> dt.date:
    return date.replace(day=1)


def month_end(date: dt.date) -> dt.date:
    nxt = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, got {quarter}")
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, month_end(dt.date(year, 3 * quarter, 1))


@dataclass(frozen=True)
class Unit:
    """The city (level None) or one former district or current ward."""

    level: UnitLevel | None = None
    code: str | None = None

    @property
    def is_city(self) -> bool:
        return self.level is None

    def filters(self, start: dt.date, end: dt.date) -> Filters:
        return Filters(
            plan_year=end.year, date_from=start, date_to=end, area_level=self.level, area_code=self.code
        )


def _period_filters(unit: Unit, start: dt.date, end: dt.date, today: dt.date) -> Filters:
    """The period, cut at today when it has not ended yet."""
    end = min(end, today)
    start = min(start, end)
    return unit.filters(start, end)


WHOLE_CITY = Unit()


def _changes(ds: Dataset, ids: pd.Series, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Status changes of hotspots ``ids`` within [start, end], oldest first."""
    h = ds.history
    h = h[h["hotspot_id"].isin(ids) & (h["date"] >= pd.Timestamp(start)) & (h["date"] <= pd.Timestamp(end))]
    names = ds.hotspots.set_index("id")[["code", "name"]]
    out = h.join(names, on="hotspot_id").sort_values(["date", "id"])
    return out[["hotspot_id", "code", "name", "date", "from_status", "to_status", "reason"]].reset_index(
        drop=True
    )


def _results(acts: pd.DataFrame) -> dict[str, int]:
    return {c: int(acts[c].sum()) if not acts.empty else 0 for c in COUNT_COLUMNS}


def _by_kind(acts: pd.DataFrame) -> pd.Series:
    counts = acts["kind"].value_counts() if not acts.empty else pd.Series(dtype=int)
    return pd.Series({k.value: int(counts.get(k.value, 0)) for k in ActivityKind}, name="activities")


def _by_performer(acts: pd.DataFrame) -> pd.DataFrame:
    """Activities and results per performing unit (code, or the unit text when no code)."""
    if acts.empty:
        return pd.DataFrame(columns=["performer", "activities", *COUNT_COLUMNS])
    key = (
        acts["unit_code"]
        .astype("string")
        .fillna("")
        .where(acts["unit_code"].notna(), acts["unit"].astype("string").fillna(""))
    )
    grouped = acts.assign(performer=key).groupby("performer")
    table = grouped[list(COUNT_COLUMNS)].sum().astype(int)
    table.insert(0, "activities", grouped.size().astype(int))
    return table.sort_values("activities", ascending=False).reset_index()


def _notes(ds: Dataset, unit: Unit, start: dt.date, end: dt.date) -> pd.DataFrame:
    notes = getattr(ds, "notes", None)
    if notes is None or notes.empty:
        return pd.DataFrame(
            columns=["month", "level", "unit_code", "difficulties", "proposals", "decisions", "hotspot_codes"]
        )
    inside = (notes["month"] >= pd.Timestamp(month_start(start))) & (notes["month"] <= pd.Timestamp(end))
    if not unit.is_city:
        column = "ward_code" if unit.level == UnitLevel.WARD else "district_code"
        inside &= notes[column] == unit.code
    return notes[inside].sort_values(["month", "unit_code"]).reset_index(drop=True)


def _area_unit(f: Filters) -> Unit:
    return Unit(f.area_level, f.area_code) if f.area_code else WHOLE_CITY


def overdue_tasks(ds: Dataset, unit: Unit, as_of: dt.date) -> pd.DataFrame:
    """Tasks of local plans overdue on ``as_of`` within ``unit`` (the whole
    dataset for the city), longest overdue first, with ``shown``, ``days_late``
    and ``place`` (:func:`dashboard.tasks.place_labels`). A task's state is the
    one last reported; one reported done after ``as_of`` was not done yet then
    (a past month's sheet lists it). The overview, the area page and the monthly briefing
    sheet all list these."""
    frame = getattr(ds, "tasks", None)
    if frame is None or frame.empty:
        return tasks.with_display(store.empty_tasks(), as_of).assign(place=pd.Series(dtype=object))
    if not unit.is_city:
        column = "ward_code" if unit.level == UnitLevel.WARD else "district_code"
        frame = frame[frame[column] == unit.code]
    late = tasks.with_display(tasks.overdue(frame, as_of), as_of)
    return late.assign(place=tasks.place_labels(late, ds.hotspots)).reset_index(drop=True)


@dataclass(frozen=True)
class MonthlyBriefing:
    """Sheet for the monthly briefing (giao ban) of one unit or the city."""

    unit: Unit
    month: dt.date  # first day
    as_of: dt.date  # end of the month, or today while the month runs
    filters: Filters
    status_counts: pd.DataFrame  # index status value; columns previous, current, change
    changes: pd.DataFrame  # status changes in the month
    activities_by_kind: pd.Series  # kind value -> count
    activities_by_performer: pd.DataFrame
    results: dict[str, int]
    activities: int
    border_hotspots: int
    gaps: pd.DataFrame  # border coordination gaps at the month end
    high_risk: pd.DataFrame  # code, name, status, score, level (cleared places at high risk)
    notes: pd.DataFrame
    open_now: int
    hotspots: pd.DataFrame  # the hotspots of the unit at the month end (map)
    activity_rows: pd.DataFrame  # the month's activities (charts)
    overdue_tasks: pd.DataFrame = field(default_factory=pd.DataFrame)  # overdue_tasks() at as_of

    def as_dict(self) -> dict:
        return {
            "kind": "monthly",
            "month": self.month.strftime("%m/%Y"),
            "as_of": self.as_of.strftime("%d/%m/%Y"),
            "unit": None if self.unit.is_city else {"level": self.unit.level.value, "code": self.unit.code},
            "hotspots_by_status": {
                s: {k: int(v) for k, v in row.items()} for s, row in self.status_counts.iterrows()
            },
            "open_hotspots": self.open_now,
            "status_changes": len(self.changes),
            "activities": self.activities,
            "activities_by_kind": {k: int(v) for k, v in self.activities_by_kind.items()},
            "results": self.results,
            "border_hotspots": self.border_hotspots,
            "coordination_gaps": int(self.gaps["id"].nunique()) if not self.gaps.empty else 0,
            "high_risk": len(self.high_risk),
            "briefing_notes": len(self.notes),
            "overdue_tasks": len(self.overdue_tasks),
        }


def _status_counts(ds: Dataset, f: Filters, prev_end: dt.date) -> pd.DataFrame:
    now = queries.hotspot_view(ds, f)
    before = queries.hotspot_view(ds, replace(f, date_from=min(f.date_from, prev_end), date_to=prev_end))
    order = [s.value for s in Status]
    table = pd.DataFrame(
        {
            "previous": before["status"].value_counts().reindex(order, fill_value=0),
            "current": now["status"].value_counts().reindex(order, fill_value=0),
        }
    ).astype(int)
    table["change"] = table["current"] - table["previous"]
    return table


def _high_risk_table(scores: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    high = scores[scores["id"].isin(ids) & scores["id"].isin(list(high_risk_ids(scores)))]
    return high[["id", "code", "name", "status", "score", "level", "ward_code", "district_code"]].reset_index(
        drop=True
    )


def monthly_briefing(
    ds: Dataset,
    month: dt.date,
    unit: Unit = WHOLE_CITY,
    scope: Scope = CITY,
    *,
    today: dt.date,
    scores: pd.DataFrame | None = None,
) -> MonthlyBriefing:
    """The monthly briefing sheet of ``unit`` (the city by default) for ``month``."""
    ds = restrict(ds, scope)
    start = month_start(month)
    if start > today:
        from dashboard.domain import DomainError
        from dashboard.i18n import t

        raise DomainError(t("views.future_period", start=start.strftime("%d/%m/%Y")))
    f = _period_filters(unit, start, month_end(start), today)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    all_scores = scores_for(ds, f.as_of, scores)
    shown = all_scores[all_scores["id"].isin(view["id"])]
    level = unit.level or level_at(f.as_of)
    report = border.border_report(
        level, view, acts, ds.activities, f.as_of, unit=unit.code, at_risk=high_risk_ids(shown)
    )
    return MonthlyBriefing(
        unit=unit,
        month=start,
        as_of=f.as_of,
        filters=f,
        status_counts=_status_counts(ds, f, start - dt.timedelta(days=1)),
        changes=_changes(ds, view["id"], f.date_from, f.as_of),
        activities_by_kind=_by_kind(acts),
        activities_by_performer=_by_performer(acts),
        results=_results(acts),
        activities=len(acts),
        border_hotspots=len(border_hotspot_ids(report)),
        gaps=report.gaps,
        high_risk=_high_risk_table(shown, view["id"]),
        notes=_notes(ds, unit, f.date_from, f.as_of),
        open_now=int(is_open(view["status"]).sum()),
        hotspots=view,
        activity_rows=acts,
        overdue_tasks=overdue_tasks(ds, unit, f.as_of),
    )


# --------------------------------------------------------------------------
# Handover evaluation


@dataclass(frozen=True)
class HandoverCriteria:
    """When the Department is asked to recognise a clearance and hand the place
    over to the ward. The one place these numbers live (see docs/handover.md).

    A cleared place is proposed for handover when, at the end of the period:
    it has been cleared for at least ``min_months`` months; no violation was
    found at it since clearing; it was checked (inspections, patrols or
    stationed posts) at least ``min_checks`` times since clearing; and its
    re-emergence risk is not high.
    """

    min_months: float = 3.0
    max_violations: int = 0
    min_checks: int = 3
    check_kinds: tuple[str, ...] = (
        ActivityKind.INSPECTION.value,
        ActivityKind.PATROL.value,
        ActivityKind.STATIONED_POST.value,
    )
    refuse_levels: tuple[str, ...] = ("high",)


CRITERIA = HandoverCriteria()

#: Recommendations, in the order a table lists them.
RECOMMENDATIONS = ("propose", "observe", "not_cleared", "handed_over")


def _last_clearance(history: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Date of the change into "cleared" that started the current cleared spell."""
    h = history[(history["date"] <= pd.Timestamp(as_of)) & (history["to_status"] == Status.CLEARED.value)]
    return h.groupby("hotspot_id")["date"].max()


def evaluate_handover(
    ds: Dataset,
    hotspot_ids: pd.Series,
    as_of: dt.date,
    scores: pd.DataFrame,
    criteria: HandoverCriteria = CRITERIA,
) -> pd.DataFrame:
    """The evidence and the recommendation for each hotspot in ``hotspot_ids``.

    Columns: ``id, code, name, ward_code, district_code, status, cleared_on,
    months_since, violations_since, checks_since, risk_level, recommendation,
    reasons`` (the unmet criteria, as keys ``months``, ``violations``,
    ``checks``, ``risk``; empty when proposed).
    """
    status = queries.status_as_of(ds.history, as_of)
    cleared_on = _last_clearance(ds.history, as_of)
    handed = (
        ds.history[
            (ds.history["date"] <= pd.Timestamp(as_of))
            & (ds.history["to_status"] == Status.HANDED_OVER.value)
        ]
        .groupby("hotspot_id")["date"]
        .max()
    )
    acts = ds.activities[ds.activities["hotspot_id"].notna() & (ds.activities["date"] <= pd.Timestamp(as_of))]
    levels = scores.set_index("id")["level"] if not scores.empty else pd.Series(dtype=object)
    h = ds.hotspots.set_index("id")
    rows = []
    for hid in pd.unique(hotspot_ids):
        hid = int(hid)
        st = status.get(hid)
        since = cleared_on.get(hid) if st in (Status.CLEARED.value, Status.HANDED_OVER.value) else None
        if since is not None and pd.notna(since):
            mine = acts[(acts["hotspot_id"] == hid) & (acts["date"] >= since)]
            months = (pd.Timestamp(as_of) - since).days / risk.DAYS_PER_MONTH
            violations = int(mine["violations_found"].sum())
            checks = int(mine["kind"].isin(list(criteria.check_kinds)).sum())
        else:
            since, months, violations, checks = None, None, None, None
        level = levels.get(hid) if st in (Status.CLEARED.value, Status.HANDED_OVER.value) else None
        reasons: list[str] = []
        if st == Status.HANDED_OVER.value:
            recommendation = "handed_over"
        elif st != Status.CLEARED.value:
            recommendation = "not_cleared"
        else:
            if months < criteria.min_months:
                reasons.append("months")
            if violations > criteria.max_violations:
                reasons.append("violations")
            if checks < criteria.min_checks:
                reasons.append("checks")
            if level in criteria.refuse_levels:
                reasons.append("risk")
            recommendation = "observe" if reasons else "propose"
        row = h.loc[hid]
        rows.append(
            {
                "id": hid,
                "code": row["code"],
                "name": row["name"],
                "ward_code": row["ward_code"],
                "district_code": row["district_code"],
                "status": st,
                "cleared_on": since.date() if since is not None else None,
                "handed_over_on": handed.get(hid).date() if hid in handed.index else None,
                "months_since": None if months is None else round(months, 1),
                "violations_since": violations,
                "checks_since": checks,
                "risk_level": level,
                "recommendation": recommendation,
                "reasons": tuple(reasons),
            }
        )
    columns = [
        "id",
        "code",
        "name",
        "ward_code",
        "district_code",
        "status",
        "cleared_on",
        "handed_over_on",
        "months_since",
        "violations_since",
        "checks_since",
        "risk_level",
        "recommendation",
        "reasons",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for column in ("violations_since", "checks_since"):
        out[column] = out[column].astype("Int64")
    out["rank"] = out["recommendation"].map({r: i for i, r in enumerate(RECOMMENDATIONS)})
    return out.sort_values(["rank", "code"]).drop(columns="rank").reset_index(drop=True)


# --------------------------------------------------------------------------
# Quarterly report


@dataclass(frozen=True)
class QuarterlyReport:
    """Báo cáo quý to the Department: plan progress, results, handover evaluation."""

    unit: Unit
    year: int
    quarter: int
    start: dt.date
    end: dt.date  # end of the quarter, or today while it runs
    filters: Filters
    kpis: PlanKpis  # plan of ``year`` as of ``end``
    targets: pd.DataFrame  # every target of the plan: code, name, target type, status, met
    results_by_unit: pd.DataFrame  # unit code, activities, the count columns (rows add up to ``results``)
    results: dict[str, int]
    activities: int
    activities_by_kind: pd.Series
    reemergences: pd.DataFrame  # changes into re-emerged within the quarter
    border: BorderReport
    border_hotspots: int
    handover: pd.DataFrame  # evaluate_handover of the clear targets
    proposals: pd.DataFrame  # notes of the quarter with a proposal
    unit_level: UnitLevel  # level of ``results_by_unit``
    hotspots: pd.DataFrame  # the hotspots of the unit at the quarter end (map)
    activity_rows: pd.DataFrame  # the quarter's activities (charts)
    status_by_unit: pd.DataFrame  # queries.status_by_unit at ``unit_level``

    def recommendation_counts(self) -> dict[str, int]:
        counts = self.handover["recommendation"].value_counts()
        return {r: int(counts.get(r, 0)) for r in RECOMMENDATIONS}

    def as_dict(self) -> dict:
        return {
            "kind": "quarterly",
            "year": self.year,
            "quarter": self.quarter,
            "period": [self.start.strftime("%d/%m/%Y"), self.end.strftime("%d/%m/%Y")],
            "unit": None if self.unit.is_city else {"level": self.unit.level.value, "code": self.unit.code},
            "plan": self.kpis.as_dict(),
            "activities": self.activities,
            "activities_by_kind": {k: int(v) for k, v in self.activities_by_kind.items()},
            "results": self.results,
            "reemergences": len(self.reemergences),
            "border_hotspots": self.border_hotspots,
            "coordination_gaps": int(self.border.gaps["id"].nunique()) if not self.border.gaps.empty else 0,
            "handover": [
                {
                    "code": r.code,
                    "recommendation": r.recommendation,
                    "cleared_on": r.cleared_on.strftime("%d/%m/%Y") if r.cleared_on else None,
                    "months_since": _json(r.months_since),
                    "violations_since": _json(r.violations_since),
                    "checks_since": _json(r.checks_since),
                    "risk_level": _json(r.risk_level),
                    "reasons": list(r.reasons),
                }
                for r in self.handover.itertuples(index=False)
            ],
            "recommendations": self.recommendation_counts(),
            "proposals": len(self.proposals),
        }


def _json(value):
    """A cell as JSON: missing values as null, numpy numbers as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _results_by_unit(acts: pd.DataFrame, level: UnitLevel) -> pd.DataFrame:
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    if acts.empty:
        return pd.DataFrame(columns=["unit_code", "activities", *COUNT_COLUMNS])
    keyed = acts.assign(unit_code=acts[column].astype("string").fillna(""))
    grouped = keyed.groupby("unit_code")
    table = grouped[list(COUNT_COLUMNS)].sum().astype(int)
    table.insert(0, "activities", grouped.size().astype(int))
    return table.sort_values("activities", ascending=False).reset_index()


def _target_table(ds: Dataset, year: int, ids: pd.Series, as_of: dt.date, start: dt.date) -> pd.DataFrame:
    targets = queries.plan_targets(ds, year)
    targets = targets[targets["hotspot_id"].isin(ids)]
    status = queries.status_as_of(ds.history, as_of)
    h = ds.history
    back = set(
        h[
            (h["to_status"] == Status.REEMERGED.value)
            & (h["date"] >= pd.Timestamp(dt.date(year, 1, 1)))
            & (h["date"] <= pd.Timestamp(as_of))
        ]["hotspot_id"]
    )
    spots = ds.hotspots.set_index("id")
    rows = []
    for tr in targets.itertuples(index=False):
        st = status.get(tr.hotspot_id)
        if tr.target_type == TargetType.CLEAR.value:
            met = st in (Status.CLEARED.value, Status.HANDED_OVER.value)
        else:
            met = tr.hotspot_id not in back
        spot = spots.loc[tr.hotspot_id]
        rows.append(
            {
                "id": int(tr.hotspot_id),
                "code": spot["code"],
                "name": spot["name"],
                "ward_code": spot["ward_code"],
                "district_code": spot["district_code"],
                "target_type": tr.target_type,
                "status": st,
                "met": bool(met),
                "reemerged": tr.hotspot_id in back,
            }
        )
    columns = [
        "id",
        "code",
        "name",
        "ward_code",
        "district_code",
        "target_type",
        "status",
        "met",
        "reemerged",
    ]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["target_type", "code"]).reset_index(drop=True)


def quarterly_report(
    ds: Dataset,
    year: int,
    quarter: int,
    unit: Unit = WHOLE_CITY,
    scope: Scope = CITY,
    *,
    today: dt.date,
    scores: pd.DataFrame | None = None,
    criteria: HandoverCriteria = CRITERIA,
) -> QuarterlyReport:
    """The quarterly report of ``unit`` (the city by default)."""
    ds = restrict(ds, scope)
    start, end = quarter_bounds(year, quarter)
    if start > today:
        from dashboard.domain import DomainError
        from dashboard.i18n import t

        raise DomainError(t("views.future_period", start=start.strftime("%d/%m/%Y")))
    f = _period_filters(unit, start, end, today)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    all_scores = scores_for(ds, f.as_of, scores)
    shown = all_scores[all_scores["id"].isin(view["id"])]
    level = unit.level or level_at(f.as_of)
    report = border.border_report(
        level, view, acts, ds.activities, f.as_of, unit=unit.code, at_risk=high_risk_ids(shown)
    )
    targets = _target_table(ds, year, view["id"], f.as_of, start)
    clear_ids = targets.loc[targets["target_type"] == TargetType.CLEAR.value, "id"]
    changes = _changes(ds, view["id"], start, f.as_of)
    notes = _notes(ds, unit, start, f.as_of)
    if not notes.empty:
        notes = notes[notes["proposals"].fillna("").str.strip() != ""].reset_index(drop=True)
    kpi_filters = replace(f, plan_year=year)
    return QuarterlyReport(
        unit=unit,
        year=year,
        quarter=quarter,
        start=start,
        end=f.as_of,
        filters=f,
        kpis=queries.plan_kpis(ds, kpi_filters),
        targets=targets,
        results_by_unit=_results_by_unit(acts, level_at(f.as_of) if unit.is_city else unit.level),
        results=_results(acts),
        activities=len(acts),
        activities_by_kind=_by_kind(acts),
        reemergences=changes[changes["to_status"] == Status.REEMERGED.value].reset_index(drop=True),
        border=report,
        border_hotspots=len(border_hotspot_ids(report)),
        handover=evaluate_handover(ds, clear_ids, f.as_of, shown, criteria),
        proposals=notes,
        unit_level=level_at(f.as_of) if unit.is_city else unit.level,
        hotspots=view,
        activity_rows=acts,
        status_by_unit=queries.status_by_unit(view, level_at(f.as_of) if unit.is_city else unit.level),
    )


# --------------------------------------------------------------------------
# Steering-committee deck


@dataclass(frozen=True)
class DeckView:
    """What the steering committee's slides show, for a plan year."""

    plan_year: int
    as_of: dt.date
    overview: OverviewView
    quarterly: QuarterlyReport  # the quarter holding ``as_of`` (handover evaluation, proposals)
    decisions: pd.DataFrame  # briefing notes of the last three months asking for a decision
    top_risk: pd.DataFrame  # the cleared places at highest risk

    def as_dict(self) -> dict:
        return {
            "plan_year": self.plan_year,
            "as_of": self.as_of.strftime("%d/%m/%Y"),
            "overview": self.overview.as_dict(),
            "handover": self.quarterly.recommendation_counts(),
            "decisions": len(self.decisions),
        }


def deck(
    ds: Dataset,
    plan_year: int,
    scope: Scope = CITY,
    *,
    today: dt.date,
    scores: pd.DataFrame | None = None,
) -> DeckView:
    """The deck of ``plan_year``, as of its end (or today while it runs)."""
    ds = restrict(ds, scope)
    f = Filters.for_year(plan_year, today)
    all_scores = scores_for(ds, f.as_of, scores)
    over = overview(ds, f, scope, scores=all_scores)
    quarter = (f.as_of.month - 1) // 3 + 1
    q = quarterly_report(ds, plan_year, quarter, Unit(), scope, today=f.as_of, scores=all_scores)
    first = month_start(f.as_of)
    first = dt.date(first.year - (first.month <= 2), (first.month - 3) % 12 + 1, 1)  # two months back
    recent = _notes(ds, Unit(), first, f.as_of)
    if not recent.empty:
        recent = recent[recent["decisions"].fillna("").str.strip() != ""].reset_index(drop=True)
    risky = over.scores[over.scores["score_type"] == "risk"].head(8).reset_index(drop=True)
    return DeckView(
        plan_year=plan_year, as_of=f.as_of, overview=over, quarterly=q, decisions=recent, top_risk=risky
    )
