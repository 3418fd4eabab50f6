"""The hotspot register (sổ tụ điểm), the hotspot card (hồ sơ) and the follow-up list.

Pure functions over a :class:`~dashboard.queries.Dataset` already limited to
the caller's scope; no Streamlit. Every figure comes from the functions the
other screens use (:func:`dashboard.queries.hotspot_view` for statuses and the
last activity, :func:`dashboard.risk.score` for the scores, the border report
for the border pairs and coordination gaps, :func:`dashboard.tasks.overdue`
for overdue tasks), so a hotspot reads the same here and everywhere else.

The follow-up list
------------------
A hotspot needs a visit for one or more of these reasons (:data:`RULES`, each
with its weight):

==================  ======  ==================================================
rule                weight  when
==================  ======  ==================================================
``no_activity``     40      open (active, clearing, re-emerged) and no activity
                            recorded on it in the last ``quiet_days`` days (or
                            none ever, and first recorded that long ago)
``overdue_task``    30      a task of a local plan on it is past its deadline
                            and not done (:func:`dashboard.tasks.overdue`)
``border_gap``      20      it lies in a border zone and one side of the pair
                            did nothing on it lately (the border report's
                            coordination gaps)
``risk_drop``       10      cleared or handed over, re-emergence risk high
                            (:func:`dashboard.views.high_risk_ids`) and the
                            activity on it fell since its handover (the risk
                            factor ``activity_drop``)
==================  ======  ==================================================

Urgency order: the sum of the weights of a hotspot's reasons (highest first),
then the days since its last activity (longest first; never any activity
counts as longest), then its code (so ties are always broken the same way).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import pandas as pd

from dashboard import queries, views
from dashboard import tasks as task_rules
from dashboard.border import BorderReport
from dashboard.domain import COUNT_COLUMNS, DomainError, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.queries import Dataset
from dashboard.risk import PERSISTENCE_FACTORS, RISK_FACTORS
from dashboard.textfix import fold

#: Columns of :func:`register_table`, in order.
REGISTER_COLUMNS = (
    "id", "code", "name", "kind", "kind_label", "status", "status_label", "ward_code", "ward",
    "district_code", "district", "responsible_unit", "last_activity", "days_since_activity",
    "score_type", "score", "risk_level", "risk_label", "lat", "lon",
)  # fmt: skip

#: Follow-up rules and their weights, most urgent first (see the module's docstring).
RULES: dict[str, int] = {"no_activity": 40, "overdue_task": 30, "border_gap": 20, "risk_drop": 10}
#: Default look-back of the ``no_activity`` rule (days).
QUIET_DAYS = 60

#: Columns of :func:`follow_up`, in order.
FOLLOW_UP_COLUMNS = (
    "id", "code", "name", "status", "status_label", "ward_code", "ward", "district_code", "district",
    "responsible_unit", "last_activity", "days_since_activity", "reasons", "reason_text", "urgency",
)  # fmt: skip


# --------------------------------------------------------------------------
# The register


def _current(ds: Dataset, today: dt.date) -> pd.DataFrame:
    """:func:`dashboard.queries.hotspot_view` on ``today``: status and last activity of every hotspot."""
    return queries.hotspot_view(ds, Filters.for_year(today.year, today))


def register_table(ds: Dataset, scores: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """One row per hotspot of ``ds``, by code.

    Columns (:data:`REGISTER_COLUMNS`): ``id, code, name``; ``kind`` and
    ``status`` (values) with ``kind_label`` and ``status_label`` (Vietnamese);
    ``ward_code, ward, district_code, district`` (codes and names);
    ``responsible_unit`` (as recorded, "" when none); ``last_activity`` (date
    or None) and ``days_since_activity`` (whole days up to ``today``, ``<NA>``
    when none); from ``scores`` (:func:`dashboard.risk.score` on ``today``):
    ``score_type`` ("risk" for cleared and handed-over places, "persistence"
    for open ones), ``score`` and ``risk_level`` (low, medium, high) with
    ``risk_label``; ``lat, lon``.

    The status is the one in force on ``today`` (a hotspot whose history
    starts later keeps its stored status).
    """
    view = _current(ds, today)
    missing = ds.hotspots[~ds.hotspots["id"].isin(view["id"])]
    if not missing.empty:
        view = pd.concat([view, missing.assign(last_activity=pd.NaT)], ignore_index=True)
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    last = pd.to_datetime(view["last_activity"])
    days = (pd.Timestamp(today) - last).dt.days.astype("Int64")
    by_id = scores.set_index("id") if len(scores) else None

    def scored(column: str) -> pd.Series:
        if by_id is None:
            return pd.Series([None] * len(view), index=view.index, dtype=object)
        values = view["id"].map(by_id[column])
        return values.astype(object).where(values.notna(), None)

    table = pd.DataFrame(
        {
            "id": view["id"].astype(int),
            "code": view["code"],
            "name": view["name"],
            "kind": view["kind"],
            "kind_label": view["kind"].map(lambda k: t(f"kind.{k}")),
            "status": view["status"],
            "status_label": view["status"].map(lambda s: t(f"status.{s}")),
            "ward_code": view["ward_code"],
            "ward": view["ward_code"].map(lambda c: wards.get(c, c)),
            "district_code": view["district_code"],
            "district": view["district_code"].map(lambda c: districts.get(c, c)),
            "responsible_unit": view["responsible_unit"].fillna("").astype(str),
            "last_activity": [d.date() if pd.notna(d) else None for d in last],
            "days_since_activity": days,
            "score_type": scored("score_type"),
            "score": pd.to_numeric(scored("score"), errors="coerce").astype(float),
            "risk_level": scored("level"),
            "lat": view["lat"].astype(float),
            "lon": view["lon"].astype(float),
        }
    )
    table["risk_label"] = table["risk_level"].map(
        lambda v: t(f"risk.level.{v}") if isinstance(v, str) else ""
    )
    return table[list(REGISTER_COLUMNS)].sort_values(["code", "id"]).reset_index(drop=True)


def _haystack(table: pd.DataFrame) -> pd.Series:
    """The folded text a row is searched in: code, name, ward and district."""
    parts = [table[c].fillna("").astype(str) for c in ("code", "name", "ward", "district")]
    joined = parts[0].str.cat(parts[1:], sep=" ")
    return joined.map(fold)


def search(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """The rows of ``table`` (:func:`register_table`, or any frame with
    ``code, name, ward, district``) where every word of ``query`` starts a
    word of the code, the name, the ward or the former district, compared with
    :func:`dashboard.textfix.fold`: case, diacritics and punctuation ignored,
    đ read as d ("hang bac" or "han ba" finds "Hàng Bạc", "td-007" finds
    "TD-007" and "td-01" finds TD-010 and TD-011 but not TD-001). An
    empty query keeps every row; the order is kept."""
    words = fold(query or "").split()
    if not words or table.empty:
        return table
    hay = " " + _haystack(table)
    keep = pd.Series(True, index=table.index)
    for word in words:
        keep &= hay.str.contains(f" {word}", regex=False)  # the start of a word
    return table[keep]


def find_code(table: pd.DataFrame, code: str) -> int | None:
    """The id of the hotspot of ``table`` whose code is ``code`` (spaces and
    case ignored), or None."""
    wanted = (code or "").strip().casefold()
    if not wanted:
        return None
    hit = table[table["code"].astype(str).str.strip().str.casefold() == wanted]
    return int(hit["id"].iloc[0]) if len(hit) else None


def register_workbook(table: pd.DataFrame, today: dt.date, title: str | None = None) -> bytes:
    """The register as shown (the rows of ``table``) as an .xlsx: the
    project's workbook writer (:func:`dashboard.reports.xlsx_writer.write_xlsx`),
    dates as dates, every text a text cell no spreadsheet program evaluates."""
    from dashboard.reports.model import Table
    from dashboard.reports.xlsx_writer import write_xlsx

    columns = display_columns()
    rows = tuple(tuple(_cell(row[key]) for key in columns) for _, row in table.iterrows())
    sheet = Table(
        key=t("register.sheet"),
        title=title or t("register.sheet_title", date=fmt_date(today)),
        columns=tuple(t(label) for label in columns.values()),
        rows=rows,
        decimals={list(columns).index("score"): 1},
    )
    return write_xlsx([sheet], title=sheet.title, built_on=today)


def display_columns() -> dict[str, str]:
    """Register columns shown on screen and in the workbook -> their catalogue label keys."""
    return {
        "code": "table.code",
        "name": "table.name",
        "kind_label": "table.kind",
        "status_label": "table.status",
        "ward": "table.ward",
        "district": "table.district",
        "responsible_unit": "table.unit",
        "last_activity": "table.last_activity",
        "days_since_activity": "register.col.days",
        "score": "risk.score",
        "risk_label": "register.col.risk_level",
    }


def _cell(value):
    """A value for the workbook writer: None for what is missing, Python scalars otherwise."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if value == "":
        return None
    return value


#: Without the clicked marker's tooltip, a click this close (metres) to a hotspot is on it.
CLICK_TOLERANCE_M = 25.0


def clicked_hotspot(
    value: dict | None, hotspots: pd.DataFrame, tolerance_m: float = CLICK_TOLERANCE_M
) -> str | None:
    """The code of the hotspot whose marker was clicked on a map, or None.

    ``value`` is what ``st_folium`` returns with ``last_object_clicked``
    (the clicked point, ``{"lat", "lng"}``: where the pointer was, not the
    marker's centre) and ``last_object_clicked_tooltip`` (the text of the
    clicked layer's tooltip); ``hotspots`` the hotspots drawn (``code, lat, lon``).
    A hotspot marker's tooltip holds its code on a line of its own: the
    hotspots whose code is such a line are the candidates (or, for a tooltip
    read as one line, those whose code is in it: TD-1 is then told from
    TD-12 by distance), and the one nearest the click wins. A click on
    a ward or district (whose tooltip names no hotspot) gives None. Without a
    tooltip, the nearest hotspot within ``tolerance_m`` metres, if any.
    """
    clicked = (value or {}).get("last_object_clicked")
    if not clicked or hotspots.empty or clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    lat, lng = float(clicked["lat"]), float(clicked["lng"])
    tooltip = str((value or {}).get("last_object_clicked_tooltip") or "")
    candidates = hotspots
    if tooltip.strip():
        lines = {line.strip() for line in tooltip.splitlines()}
        exact = hotspots[[str(code).strip() in lines for code in hotspots["code"]]]
        candidates = exact if len(exact) else hotspots[[str(code) in tooltip for code in hotspots["code"]]]
        if candidates.empty:
            return None
    # Equirectangular distance: exact enough over a few hundred metres.
    k = math.cos(math.radians(lat))
    dy = (candidates["lat"].astype(float) - lat) * 111_320.0
    dx = (candidates["lon"].astype(float) - lng) * 111_320.0 * k
    distance = (dx**2 + dy**2) ** 0.5
    nearest = distance.idxmin()
    if not tooltip.strip() and distance[nearest] > tolerance_m:
        return None
    return str(candidates.loc[nearest, "code"])


# --------------------------------------------------------------------------
# The follow-up list


def _in_unit(frame: pd.DataFrame, unit: views.Unit | None) -> pd.Series:
    if unit is None or unit.is_city:
        return pd.Series(True, index=frame.index)
    column = "ward_code" if unit.level == UnitLevel.WARD else "district_code"
    return frame[column] == unit.code


def follow_up(
    ds: Dataset,
    scores: pd.DataFrame,
    border_report: BorderReport | None,
    today: dt.date,
    quiet_days: int = QUIET_DAYS,
    overdue_tasks: pd.DataFrame | None = None,
    *,
    unit: views.Unit | None = None,
) -> pd.DataFrame:
    """The hotspots that need a visit, most urgent first (see the module's docstring).

    Parameters
    ----------
    ds : Dataset
        The caller's data (already within their scope).
    scores : DataFrame
        :func:`dashboard.risk.score` on ``today``.
    border_report : BorderReport or None
        The border report on ``today`` (``views.border_view(...).report``);
        its coordination gaps give the ``border_gap`` rule. None: no border rule.
    today : date
    quiet_days : int
        Look-back of the ``no_activity`` rule, at least one day.
    overdue_tasks : DataFrame or None
        Tasks (columns ``id, title, hotspot_id, deadline, state``…); the overdue
        ones (:func:`dashboard.tasks.overdue`) on a hotspot give the
        ``overdue_task`` rule. None or empty: no task rule.
    unit : dashboard.views.Unit, optional
        Only the hotspots of this ward or former district.

    Returns
    -------
    DataFrame with :data:`FOLLOW_UP_COLUMNS`: the register's columns of the
    hotspot, ``reasons`` (tuple of rule keys, in :data:`RULES` order),
    ``reason_text`` (the reasons in Vietnamese, one per line) and
    ``urgency`` (sum of the weights).
    """
    if int(quiet_days) < 1:
        raise DomainError(t("register.err.quiet_days", days=quiet_days))
    table = register_table(ds, scores, today)
    table = table[_in_unit(table, unit)]
    texts: dict[int, dict[str, list[str]]] = {}

    def add(hid: int, rule: str, text: str) -> None:
        texts.setdefault(int(hid), {}).setdefault(rule, []).append(text)

    # Open and quiet.
    quiet = table[views.is_open(table["status"])]
    known_since = ds.history.groupby("hotspot_id")["date"].min()
    for row in quiet.itertuples(index=False):
        if pd.isna(row.days_since_activity):
            since = known_since.get(row.id)  # never visited: quiet since it was first recorded
            if since is not None and (pd.Timestamp(today) - since).days >= quiet_days:
                add(row.id, "no_activity", t("follow.reason.no_activity_ever"))
        elif row.days_since_activity >= quiet_days:
            text = t("follow.reason.no_activity", days=fmt_number(row.days_since_activity),
                     date=fmt_date(row.last_activity))  # fmt: skip
            add(row.id, "no_activity", text)
    # Overdue tasks on a hotspot.
    for task in _overdue_on_hotspots(overdue_tasks, today).itertuples(index=False):
        if int(task.hotspot_id) in set(table["id"]):
            late = (pd.Timestamp(today) - pd.Timestamp(task.deadline)).days
            add(task.hotspot_id, "overdue_task", t("follow.reason.overdue_task", title=str(task.title),
                deadline=fmt_date(pd.Timestamp(task.deadline)), days=fmt_number(late)))  # fmt: skip
    # Border hotspots in a coordination gap.
    if border_report is not None and not border_report.gaps.empty:
        names = unit_names(border_report.level)
        for gap in border_report.gaps.itertuples(index=False):
            if int(gap.id) not in set(table["id"]):
                continue
            silent = ", ".join(names.get(c, c) for c in str(gap.silent).split())
            add(gap.id, "border_gap", t("follow.reason.border_gap", side=names.get(gap.side, gap.side),
                neighbour=names.get(gap.neighbour, gap.neighbour), silent=silent,
                days=fmt_number(border_report.gap_days)))  # fmt: skip
    # Cleared places at high risk whose activity fell.
    if not scores.empty:
        high = views.high_risk_ids(scores)
        risky = scores[scores["id"].isin(list(high)) & (scores["activity_drop"] > 0)]
        for row in risky.itertuples(index=False):
            if int(row.id) in set(table["id"]):
                add(row.id, "risk_drop", t("follow.reason.risk_drop", score=fmt_number(row.score, 1),
                                           drop=fmt_number(round(100 * row.activity_drop))))  # fmt: skip
    out = table[table["id"].isin(list(texts))].copy()
    rules = [tuple(r for r in RULES if r in texts[int(i)]) for i in out["id"]]
    out["reasons"] = rules
    out["reason_text"] = [
        "\n".join(text for r in rs for text in texts[int(i)][r])
        for i, rs in zip(out["id"], rules, strict=True)
    ]
    out["urgency"] = [sum(RULES[r] for r in rs) for rs in rules]
    # Longest without activity first; never any activity counts as longest.
    out["_days"] = out["days_since_activity"].astype("float").fillna(float("inf"))
    out = out.sort_values(["urgency", "_days", "code"], ascending=[False, False, True], kind="stable")
    return out[list(FOLLOW_UP_COLUMNS)].reset_index(drop=True)


def _overdue_on_hotspots(tasks: pd.DataFrame | None, today: dt.date) -> pd.DataFrame:
    """The overdue tasks (:func:`dashboard.tasks.overdue`) that name a hotspot."""
    columns = ["id", "title", "hotspot_id", "deadline", "state"]
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=columns)
    late = task_rules.overdue(tasks, today)
    return late[late["hotspot_id"].notna()]


# --------------------------------------------------------------------------
# The card


@dataclass(frozen=True)
class HotspotCard:
    """Everything about one place (Hồ sơ tụ điểm).

    ``row``: its :func:`register_table` row; ``hotspot``: its stored row
    (location, version…); ``timeline``: every status change, oldest first
    (``date, from_status, to_status, reason, recorded_by`` and, for a
    handover recorded in the app, ``receiver`` and ``document``);
    ``targets``: the city plan targets it belonged to, one per year
    (``year, doc_number, doc_date, target_type, assigned_level,
    assigned_code, met``); ``activities``: its activities, newest first, and
    ``monthly`` their counts per month and kind; ``results``: totals of the
    count columns; ``score``: its score row (None when not scored) and
    ``factors`` the points of each factor of its score type; ``border``: the
    border pairs it lies by (``code_a, code_b, side, neighbour, distance_m,
    gap, silent``); ``notes``: briefing notes that mention it; ``audit``: the
    audit entries about it, newest first; ``follow_up``: why it needs a
    visit (its :func:`follow_up` row, empty when nothing is due);
    ``tasks``: the tasks on it (when the caller has tasks).
    """

    row: pd.Series
    hotspot: pd.Series
    timeline: pd.DataFrame
    targets: pd.DataFrame
    activities: pd.DataFrame
    monthly: pd.DataFrame
    results: dict[str, int]
    score: pd.Series | None
    factors: pd.DataFrame
    border: pd.DataFrame
    notes: pd.DataFrame
    audit: pd.DataFrame
    follow_up: pd.DataFrame
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The local plans that set it a target: ``year, level, unit_code, target_type``, newest first.
    local_targets: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def code(self) -> str:
        return str(self.row["code"])


def _handover_records(audit: pd.DataFrame | None, code: str) -> dict[tuple[pd.Timestamp, str], dict]:
    """(date, "handed_over") -> the handover record (receiver, minutes number)
    kept with the change in the audit log (:func:`dashboard.editing.hand_over`)."""
    records: dict = {}
    if audit is None or audit.empty:
        return records
    mine = audit[(audit["entity"] == "hotspot") & (audit["entity_code"] == code)
                 & audit["action"].isin(["status_change", "import_status"])]  # fmt: skip
    for after in mine["after"].dropna():
        try:
            values = json.loads(after)
        except (TypeError, ValueError):
            continue
        record = values.get("handover") if isinstance(values, dict) else None
        if record and values.get("date"):
            key = (pd.Timestamp(str(values["date"])[:10]), str(values.get("status")))
            records.setdefault(key, record)
    return records


def _timeline(ds: Dataset, hid: int, code: str, audit: pd.DataFrame | None) -> pd.DataFrame:
    h = ds.history[ds.history["hotspot_id"] == hid].sort_values(["date", "id"])
    records = _handover_records(audit, code)
    found = [records.get((pd.Timestamp(d), s), {}) for d, s in zip(h["date"], h["to_status"], strict=True)]
    return pd.DataFrame(
        {
            "date": [d.date() for d in h["date"]],
            "from_status": h["from_status"].astype(object).where(h["from_status"].notna(), None).tolist(),
            "to_status": h["to_status"].tolist(),
            "reason": h["reason"].fillna("").tolist(),
            "recorded_by": h["recorded_by"].fillna("").tolist(),
            "receiver": [r.get("receiver") for r in found],
            "document": [r.get("document") for r in found],
        }
    )


def _targets(ds: Dataset, hid: int, today: dt.date) -> pd.DataFrame:
    columns = ["year", "doc_number", "doc_date", "target_type", "assigned_level", "assigned_code", "met"]
    mine = ds.targets[ds.targets["hotspot_id"] == hid]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    plans = ds.plans.set_index("id")
    rows = []
    for year in sorted(mine["year"].unique()):
        first = mine[mine["year"] == year].iloc[0]  # one per hotspot and year, as the plan's KPIs count
        as_of = min(today, dt.date(int(year), 12, 31))
        met = views._target_table(ds, int(year), pd.Series([hid]), as_of, dt.date(int(year), 1, 1))
        plan = plans.loc[first["plan_id"]]
        rows.append(
            {
                "year": int(year),
                "doc_number": str(plan["doc_number"]),
                "doc_date": pd.Timestamp(plan["doc_date"]).date(),
                "target_type": first["target_type"],
                "assigned_level": first["assigned_level"],
                "assigned_code": first["assigned_code"],
                "met": bool(met["met"].iloc[0]) if len(met) else None,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _factors(score: pd.Series | None) -> pd.DataFrame:
    if score is None:
        return pd.DataFrame(columns=["factor", "points"])
    names = RISK_FACTORS if score["score_type"] == "risk" else PERSISTENCE_FACTORS
    return pd.DataFrame({"factor": list(names), "points": [float(score[f"pts_{f}"]) for f in names]})


def _border(report: BorderReport | None, hid: int) -> pd.DataFrame:
    columns = ["code_a", "code_b", "side", "neighbour", "distance_m", "gap", "silent"]
    if report is None or report.in_zone.empty:
        return pd.DataFrame(columns=columns)
    pairs = report.in_zone[report.in_zone["id"] == hid][columns[:5]]
    gaps = report.gaps[report.gaps["id"] == hid] if not report.gaps.empty else report.gaps
    silent = {(g.code_a, g.code_b): str(g.silent) for g in gaps.itertuples(index=False)}
    keys = list(zip(pairs["code_a"], pairs["code_b"], strict=True))
    return pairs.assign(
        gap=[k in silent for k in keys], silent=[silent.get(k, "") for k in keys]
    ).reset_index(drop=True)[columns]


def _phrase_in(needle: str, text: str) -> bool:
    """Whether the folded ``needle`` occurs in the folded ``text`` as whole words."""
    needle = fold(needle)
    return bool(needle) and f" {needle} " in f" {fold(text)} "


def mentioning_notes(notes: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    """Briefing notes that mention a hotspot: its code listed in the note's
    hotspots, or its code or name in the note's texts (compared folded, as
    whole words). Newest month first."""
    if notes is None or notes.empty:
        return notes if notes is not None else pd.DataFrame()
    listed = notes["hotspot_codes"].fillna("").map(lambda codes: code in str(codes).split())
    text = notes[["difficulties", "proposals", "decisions"]].fillna("").astype(str).agg(" ".join, axis=1)
    said = text.map(lambda s: _phrase_in(code, s) or _phrase_in(name, s))
    return notes[listed | said].sort_values(["month", "unit_code"], ascending=[False, True])


def card(
    ds: Dataset,
    hotspot_id: int,
    scores: pd.DataFrame,
    border_report: BorderReport | None,
    today: dt.date,
    *,
    audit: pd.DataFrame | None = None,
    tasks: pd.DataFrame | None = None,
    quiet_days: int = QUIET_DAYS,
) -> HotspotCard:
    """The card of hotspot ``hotspot_id`` (see :class:`HotspotCard`).

    ``audit`` is the audit log as :func:`dashboard.store.read_audit` reads it
    (None: no audit entries, no handover records); ``tasks`` the tasks of
    local plans (None: no tasks). Raises :class:`DomainError` for a hotspot
    not in ``ds`` (unknown, or outside the caller's scope)."""
    spots = ds.hotspots[ds.hotspots["id"] == hotspot_id]
    if spots.empty:
        raise DomainError(t("register.err.unknown_id"))
    spot = spots.iloc[0]
    table = register_table(ds, scores, today)
    row = table[table["id"] == hotspot_id].iloc[0]
    code, name = str(spot["code"]), str(spot["name"])
    acts = ds.activities[ds.activities["hotspot_id"] == hotspot_id]
    acts = acts[acts["date"] <= pd.Timestamp(today)].sort_values(["date", "id"], ascending=False)
    mine = scores[scores["id"] == hotspot_id] if not scores.empty else scores
    score = mine.iloc[0] if len(mine) else None
    if audit is not None and not audit.empty:
        about = audit[(audit["entity"] == "hotspot") & (audit["entity_code"] == code)]
    else:
        about = pd.DataFrame(columns=["at", "actor", "action", "entity", "entity_code", "summary", "before",
                                      "after"])  # fmt: skip
    due = follow_up(ds, scores, border_report, today, quiet_days, tasks)
    task_rows = pd.DataFrame()
    if tasks is not None and not tasks.empty and "hotspot_id" in tasks:
        task_rows = task_rules.with_display(tasks[tasks["hotspot_id"] == hotspot_id], today)
        task_rows = task_rows.sort_values(["deadline", "id"], ascending=[False, False])
    local = getattr(ds, "local_targets", None)
    local = pd.DataFrame() if local is None or local.empty else local[local["hotspot_id"] == hotspot_id]
    if len(local):
        local = local.sort_values(["year", "unit_code"], ascending=[False, True])
    return HotspotCard(
        row=row,
        hotspot=spot,
        timeline=_timeline(ds, hotspot_id, code, audit),
        targets=_targets(ds, hotspot_id, today),
        activities=acts.reset_index(drop=True),
        monthly=queries.activities_by_month(acts),
        results={c: int(acts[c].sum()) if not acts.empty else 0 for c in COUNT_COLUMNS},
        score=score,
        factors=_factors(score),
        border=_border(border_report, hotspot_id),
        notes=mentioning_notes(ds.notes, code, name).reset_index(drop=True),
        audit=about.reset_index(drop=True),
        follow_up=due[due["id"] == hotspot_id].reset_index(drop=True),
        tasks=task_rows.reset_index(drop=True),
        local_targets=local.reset_index(drop=True),
    )


def card_summary(c: HotspotCard) -> dict:
    """The card's headline figures as JSON-ready values (tests, the command line)."""
    return {
        "code": c.code,
        "name": str(c.row["name"]),
        "status": str(c.row["status"]),
        "status_changes": len(c.timeline),
        "activities": len(c.activities),
        "results": dict(c.results),
        "score": None if c.score is None else float(c.score["score"]),
        "border_pairs": len(c.border),
        "notes": len(c.notes),
        "audit_entries": len(c.audit),
        "follow_up": list(c.follow_up["reasons"].iloc[0]) if len(c.follow_up) else [],
    }


__all__ = [
    "FOLLOW_UP_COLUMNS",
    "QUIET_DAYS",
    "REGISTER_COLUMNS",
    "RULES",
    "HotspotCard",
    "card",
    "card_summary",
    "clicked_hotspot",
    "display_columns",
    "find_code",
    "follow_up",
    "mentioning_notes",
    "register_table",
    "register_workbook",
    "search",
]
