"""The register (Sổ tụ điểm), the hotspot card (Hồ sơ tụ điểm) and the follow-up list
(Cần theo dõi): what their pages draw. Every figure comes from :mod:`dashboard.register`.

A card is opened by its address, ``card?ma=CODE`` (bookmarkable: the sign-in
keeps the query string), from a row of the register or the follow-up list,
or from a hotspot clicked on the overview or area map.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import accounts, charts, editing, exports, maps, register
from dashboard.domain import COUNT_COLUMNS, HotspotKind, Status, UnitLevel
from dashboard.filters import Filters
from dashboard.geo import scope_bounds, unit_names
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.queries import Dataset
from dashboard.risk import LEVELS
from dashboard.scope import Scope
from dashboard.snapshots import derived
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui.plans import task_columns

CARD_PAGE = "pages/card.py"
#: The query parameter naming the hotspot of a card (its code).
CODE_PARAM = "ma"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------
# Data of the three pages (held per dataset version)


def scores(scope: Scope, today: dt.date) -> pd.DataFrame:
    return data.risk_scores(scope, today)


def border_report(scope: Scope, today: dt.date):
    """The border report on ``today`` (the level in force, every status), as the border page has it."""
    return data.border_view(scope, Filters.for_year(today.year, today)).report


def table(ds: Dataset, scope: Scope, today: dt.date) -> pd.DataFrame:
    """:func:`dashboard.register.register_table` of the caller's data (shared: read only)."""
    return derived(
        ds, "register.table", (today,), lambda: register.register_table(ds, scores(scope, today), today)
    )


def tasks_of(ds: Dataset) -> pd.DataFrame | None:
    """The dataset's tasks of local plans, when it has them."""
    return getattr(ds, "tasks", None)


def open_card(code: str) -> None:
    st.switch_page(CARD_PAGE, query_params={CODE_PARAM: code})


def _selected_row(key: str) -> int | None:
    """The position of the row selected in the table ``key`` (single-row selection), or None."""
    state = st.session_state.get(key)
    try:
        rows = state["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    return int(rows[0]) if rows else None


def _none_if_blank(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna() & (values.astype(str) != ""), None)


def _display(shown: pd.DataFrame) -> pd.DataFrame:
    """The register rows with Vietnamese column labels, as the table and the workbook show them."""
    columns = register.display_columns()
    frame = pd.DataFrame({t(label): shown[key] for key, label in columns.items()})
    for key in ("responsible_unit", "risk_label"):
        frame[t(columns[key])] = _none_if_blank(shown[key]).to_numpy()
    types = shown["score_type"].map(lambda v: t(f"risk.type.{v}") if isinstance(v, str) and v else None)
    frame.insert(list(columns).index("score"), t("register.col.risk_type"), types.to_numpy())
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------
# Sổ tụ điểm


def _multi(label: str, options: list, format_func, key: str) -> list:
    return st.sidebar.multiselect(
        label, options, default=[], format_func=format_func, key=key, placeholder=t("register.filter.all")
    )


def register_filters(frame: pd.DataFrame) -> pd.DataFrame:
    """The sidebar's filters (none chosen: all): status, kind, risk level, ward, former district."""
    st.sidebar.header(t("filter.header"))
    statuses = _multi(
        t("filter.status"), [s.value for s in Status], lambda s: t(f"status.{s}"), "register_status"
    )
    kinds = _multi(
        t("filter.kind"), [k.value for k in HotspotKind], lambda k: t(f"kind.{k}"), "register_kind"
    )
    levels = _multi(t("register.filter.risk"), list(LEVELS), lambda v: t(f"risk.level.{v}"), "register_risk")
    wards = dict(zip(frame["ward_code"], frame["ward"], strict=True))
    districts = dict(zip(frame["district_code"], frame["district"], strict=True))
    chosen_districts = _multi(
        t("register.filter.district"),
        sorted(districts, key=districts.get),
        districts.get,
        "register_district",
    )
    chosen_wards = _multi(t("register.filter.ward"), sorted(wards, key=wards.get), wards.get, "register_ward")
    keep = pd.Series(True, index=frame.index)
    for column, chosen in (
        ("status", statuses),
        ("kind", kinds),
        ("risk_level", levels),
        ("district_code", chosen_districts),
        ("ward_code", chosen_wards),
    ):
        if chosen:
            keep &= frame[column].isin(chosen)
    return frame[keep]


def _export(shown: pd.DataFrame, account, scope: Scope, today: dt.date) -> bytes:
    """The shown rows as an .xlsx, built when the button is clicked; the download is audited."""
    content = register.register_workbook(shown, today)
    detail = t("register.detail", rows=fmt_number(len(shown)), date=fmt_date(today))
    exports.record_export(data.engine(), account, t("register.what"), detail, scope)
    return content


def register_page() -> None:
    ui.page_header("page.register")
    scope, today = data.current_scope(), data.today()
    ds = data.dataset(scope)
    everything = table(ds, scope, today)
    st.caption(t("register.intro", date=fmt_date(today)))
    query = st.text_input(
        t("register.search"),
        key="register_search",
        placeholder=t("register.search_placeholder"),
        help=t("register.search_help"),
    )
    shown = register_filters(register.search(everything, query)).reset_index(drop=True)
    st.caption(t("register.count", n=fmt_number(len(shown)), total=fmt_number(len(everything))))
    if shown.empty:
        st.info(t("register.none"))
        return
    rows = (scope, today, tuple(shown["code"]))  # shown: those rows of everything
    ui.show_table(
        lambda: _display(shown), key="register_table", held=(ds, rows), on_select="rerun",
        selection_mode="single-row",
    )  # fmt: skip
    chosen = _selected_row("register_table")
    if chosen is not None and chosen < len(shown):
        open_card(str(shown.loc[chosen, "code"]))
    st.caption(t("register.pick_hint"))
    st.download_button(
        t("register.download"),
        partial(_export, shown, data.current_account(), scope, today),
        file_name=f"so-tu-diem-{today:%Y-%m-%d}.xlsx",
        mime=XLSX_MIME,
        key="register_download",
        help=t("register.download_help"),
    )


# --------------------------------------------------------------------------
# Hồ sơ tụ điểm


def card_picker(everything: pd.DataFrame) -> None:
    """Search and choose a hotspot; the choice opens its card (the address names it)."""
    query = st.text_input(
        t("card.pick_search"), key="card_pick_search", placeholder=t("register.search_placeholder")
    )
    found = register.search(everything, query)
    labels = dict(zip(found["code"], found["code"] + " · " + found["name"], strict=True))
    code = st.selectbox(
        t("card.pick"),
        list(labels),
        index=None,
        format_func=labels.get,
        key="card_pick",
        placeholder=t("widget.placeholder"),
    )
    if code:
        st.query_params[CODE_PARAM] = code
        st.rerun()


def card_page() -> None:
    ui.page_header("page.card")
    scope, today = data.current_scope(), data.today()
    ds = data.dataset(scope)
    everything = table(ds, scope, today)
    code = str(st.query_params.get(CODE_PARAM, "") or "").strip()
    if st.button(t("card.back"), key="card_back"):
        st.switch_page("pages/register.py")
    if not code:
        st.info(t("card.pick_hint"))
        card_picker(everything)
        return
    hotspot_id = register.find_code(everything, code)
    if hotspot_id is None:
        st.error(ui.plain(t("card.unknown", code=code)))
        card_picker(everything)
        return
    account = data.current_account()
    audit = data.audit_log(scope) if accounts.can_read_full_data(account) else None
    report = border_report(scope, today)
    c = register.card(ds, hotspot_id, scores(scope, today), report, today, audit=audit, tasks=tasks_of(ds))
    draw_card(c, report, account)


def _days_text(days) -> str:
    return t("card.never") if pd.isna(days) else fmt_number(int(days))


def draw_card(c: register.HotspotCard, report, account) -> None:
    row = c.row
    st.subheader(ui.plain(t("card.headline", code=row["code"], name=row["name"])))
    st.caption(ui.plain(t("card.place", kind=row["kind_label"], ward=row["ward"], district=row["district"])))
    if row["responsible_unit"]:
        st.caption(ui.plain(t("card.unit", unit=row["responsible_unit"])))
    if len(c.follow_up):
        reasons = "; ".join(c.follow_up["reason_text"].iloc[0].split("\n"))
        st.warning(ui.plain(t("card.follow_up", reasons=reasons)))
    st.markdown(f"**{t('card.metric.status')}:** {ui.plain(str(row['status_label']))}")
    cols = st.columns(4)
    cols[0].metric(t("card.metric.days"), _days_text(row["days_since_activity"]), border=True)
    score = "—" if c.score is None else fmt_number(float(c.score["score"]), 1)
    kind = None if c.score is None else t(f"risk.type.{c.score['score_type']}")
    cols[1].metric(t("card.metric.score"), score, border=True, help=kind)
    cols[2].metric(t("card.metric.border"), fmt_number(len(c.border)), border=True)
    cols[3].metric(t("card.metric.activities"), fmt_number(len(c.activities)), border=True)

    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"**{t('card.map')}**")
        spot = pd.DataFrame([row]).assign(area_geojson=c.hotspot.get("area_geojson"))
        m = maps.card_map(spot, report, data.settings().tiles, home=scope_bounds(data.current_scope()))
        ui.show_map(m, key=f"card_map_{c.id}", height=380)
    with right:
        ui.show_chart(charts.card_activity_chart(c.activities, c.timeline), key=f"card_chart_{c.id}")

    names = [
        "card.tab.timeline",
        "card.tab.activities",
        "card.tab.plans",
        "card.tab.risk",
        "card.tab.border",
        "card.tab.notes",
        "card.tab.audit",
    ]
    writable = accounts.can_write(account) and editing.hotspot_writable(
        account, row["ward_code"], row["district_code"]
    )
    if accounts.can_write(account):
        names.append("card.tab.actions")
    tabs = st.tabs([t(n) for n in names])
    with tabs[0]:
        _timeline(c)
    with tabs[1]:
        _activities(c)
    with tabs[2]:
        _targets(c)
    with tabs[3]:
        _risk(c)
    with tabs[4]:
        _border(c, report)
    with tabs[5]:
        _notes(c)
    with tabs[6]:
        _audit(c)
    if accounts.can_write(account):
        with tabs[7]:
            if not writable:
                st.info(ui.plain(t("card.not_writable", username=account.username)))
            else:
                from dashboard.ui.hotspot_forms import hotspot_forms

                st.caption(ui.plain(t("enforce.acting_as", office=account.office, username=account.username)))
                hotspot_forms(c.hotspot, account, prefix="card_")
    else:
        st.caption(
            ui.plain(
                t("card.read_only", username=account.username, role=t(f"acct.role.{account.role.value}"))
            )
        )


def _status(value) -> str | None:
    return t(f"status.{value}") if isinstance(value, str) and value else None


def _timeline(c: register.HotspotCard) -> None:
    if c.timeline.empty:
        st.info(t("card.no_timeline"))
        return
    tl = c.timeline.iloc[::-1]  # newest first
    frame = pd.DataFrame(
        {
            t("card.col.date"): tl["date"],
            t("card.col.from"): tl["from_status"].map(_status),
            t("card.col.to"): tl["to_status"].map(_status),
            t("card.col.reason"): _none_if_blank(tl["reason"]),
            t("card.col.recorded_by"): _none_if_blank(tl["recorded_by"]),
        }
    )
    if tl["receiver"].notna().any():
        frame[t("card.col.receiver")] = tl["receiver"].to_numpy()
        frame[t("card.col.document")] = tl["document"].to_numpy()
    ui.show_table(frame.reset_index(drop=True))


def _activities(c: register.HotspotCard) -> None:
    st.markdown(f"**{t('card.results')}**")
    cols = st.columns(len(c.results))
    for col, (name, value) in zip(cols, c.results.items(), strict=True):
        col.metric(t(f"count.{name}"), fmt_number(value), border=True)
    if c.activities.empty:
        st.info(t("card.no_activities"))
        return
    a = c.activities
    frame = pd.DataFrame(
        {
            t("card.col.date"): [d.date() for d in a["date"]],
            t("card.col.kind"): a["kind"].map(lambda k: t(f"activity.{k}")),
            **{t(f"count.{col}"): a[col].astype(int) for col in COUNT_COLUMNS},
            t("card.col.unit"): _none_if_blank(a["unit"]),
        }
    )
    ui.show_table(frame)


def _targets(c: register.HotspotCard) -> None:
    st.markdown(f"**{t('card.city_targets')}**")
    _city_targets(c)
    st.markdown(f"**{t('card.local_targets')}**")
    if c.local_targets.empty:
        st.caption(t("card.no_local_targets"))
    else:
        lt = c.local_targets
        frame = pd.DataFrame(
            {
                t("card.col.year"): lt["year"].astype(str),
                t("plans.field.unit"): [
                    unit_names(UnitLevel(lv)).get(cd, cd)
                    for lv, cd in zip(lt["level"], lt["unit_code"], strict=True)
                ],
                t("card.col.target"): lt["target_type"].map(lambda v: t(f"target.{v}")),
            }
        )
        ui.show_table(frame, key=f"card_local_targets_{c.id}")
    st.markdown(f"**{t('card.tasks')}**")
    if c.tasks.empty:
        st.caption(t("card.no_tasks"))
        return
    tk = c.tasks
    frame = pd.DataFrame(
        {
            t("card.col.year"): tk["year"].astype(str),
            t("plans.field.task"): tk["title"],
            t("plans.field.state"): tk["shown"].map(lambda s: t(f"task.state.{s}")),
            t("plans.field.deadline"): tk["deadline"],
            t("plans.field.responsible"): tk["responsible"],
            t("plans.field.result"): tk["result"].where(tk["result"] != "", None),
        }
    )
    ui.show_table(frame, key=f"card_tasks_{c.id}", column_config=task_columns())


def _city_targets(c: register.HotspotCard) -> None:
    if c.targets.empty:
        st.info(t("card.no_targets"))
        return
    tg = c.targets.sort_values("year", ascending=False)
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)

    def assigned(level, code) -> str:
        names = wards if level == UnitLevel.WARD.value else districts
        return names.get(code, code)

    frame = pd.DataFrame(
        {
            t("card.col.year"): tg["year"].astype(str),
            t("card.col.plan"): tg["doc_number"],
            t("card.col.plan_date"): tg["doc_date"],
            t("card.col.target"): tg["target_type"].map(lambda v: t(f"target.{v}")),
            t("card.col.assigned"): [
                assigned(lv, cd) for lv, cd in zip(tg["assigned_level"], tg["assigned_code"], strict=True)
            ],
            t("card.col.met"): tg["met"].map(
                lambda v: None if v is None else (t("table.yes") if v else t("table.no"))
            ),
        }
    )
    ui.show_table(frame.reset_index(drop=True))


def _risk(c: register.HotspotCard) -> None:
    if c.score is None:
        st.info(t("card.no_score"))
        return
    s = c.score
    st.markdown(
        ui.plain(
            t(
                "card.score_line",
                type=t(f"risk.type.{s['score_type']}"),
                score=fmt_number(float(s["score"]), 1),
                level=t(f"risk.level.{s['level']}"),
            )
        )
    )
    frame = pd.DataFrame(
        {
            t("card.col.factor"): c.factors["factor"].map(lambda f: t(f"risk.factor.{f}")),
            t("card.col.points"): c.factors["points"].astype(float),
        }
    )
    ui.show_table(frame, decimals={t("card.col.points"): 1})


def _border(c: register.HotspotCard, report) -> None:
    if c.border.empty:
        st.info(t("card.no_border"))
        return
    names = unit_names(report.level)
    b = c.border
    frame = pd.DataFrame(
        {
            t("card.col.pair"): [
                f"{names.get(a, a)} ↔ {names.get(n, n)}"
                for a, n in zip(b["side"], b["neighbour"], strict=True)
            ],
            t("card.col.distance"): b["distance_m"].astype(float).round(0).astype(int),
            t("card.col.gap"): b["gap"].astype(bool),
            t("card.col.silent"): [
                ", ".join(names.get(x, x) for x in s.split()) or None for s in b["silent"]
            ],
        }
    )
    ui.show_table(frame)


def _notes(c: register.HotspotCard) -> None:
    if c.notes is None or c.notes.empty:
        st.info(t("card.no_notes"))
        return
    n = c.notes
    wards, districts = unit_names(UnitLevel.WARD), unit_names(UnitLevel.DISTRICT)
    units = [
        (wards if lv == UnitLevel.WARD.value else districts).get(code, code)
        for lv, code in zip(n["level"], n["unit_code"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            t("card.col.month"): [f"{m:%m/%Y}" for m in n["month"]],
            t("card.col.unit_of_note"): units,
            t("card.col.difficulties"): _none_if_blank(n["difficulties"]),
            t("card.col.proposals"): _none_if_blank(n["proposals"]),
            t("card.col.decisions"): _none_if_blank(n["decisions"]),
        }
    )
    ui.show_table(frame)


def _audit(c: register.HotspotCard) -> None:
    if c.audit is None or c.audit.empty:
        st.info(t("card.no_audit"))
        return
    from dashboard.ui import audit

    audit.audit_table(c.audit)


# --------------------------------------------------------------------------
# Cần theo dõi


ALL = "__all__"


def unit_picker(ds: Dataset, key: str):
    """A former district or a current ward among those holding the caller's hotspots (or all of them)."""
    from dashboard.domain import level_at
    from dashboard.views import Unit

    levels = [UnitLevel.WARD, UnitLevel.DISTRICT]
    level = st.sidebar.radio(
        t("filter.area_level"),
        levels,
        index=levels.index(level_at(data.today())),
        format_func=lambda v: t(f"level.{v.value}"),
        key=f"{key}_level",
    )
    names = unit_names(level)
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    present = sorted(set(ds.hotspots[column]), key=lambda c: names.get(c, c))
    code = st.sidebar.selectbox(
        t("follow.unit"),
        [ALL, *present],
        format_func=lambda c: t("follow.all_units") if c == ALL else names.get(c, c),
        key=f"{key}_unit_{level.value}",
        placeholder=t("widget.placeholder"),
    )
    return None if code in (ALL, None) else Unit(level, code)


def follow_up_page() -> None:
    ui.page_header("page.follow_up")
    st.caption(t("follow.intro"))
    scope, today = data.current_scope(), data.today()
    ds = data.dataset(scope)
    st.sidebar.header(t("filter.header"))
    unit = unit_picker(ds, "follow")
    days = int(
        st.sidebar.number_input(
            t("follow.days"),
            min_value=1,
            max_value=3650,
            value=register.QUIET_DAYS,
            step=1,
            key="follow_days",
            help=t("follow.days_help"),
        )
    )
    report = border_report(scope, today)
    tasks = tasks_of(ds)

    def compute() -> pd.DataFrame:
        return register.follow_up(ds, scores(scope, today), report, today, days, tasks, unit=unit)

    rows = derived(ds, "register.follow_up", (today, days, unit), compute)
    counts = {rule: int(rows["reasons"].map(lambda rs, r=rule: r in rs).sum()) for rule in register.RULES}
    cols = st.columns(len(register.RULES) + 1)
    cols[0].metric(t("follow.metric.total"), fmt_number(len(rows)), border=True)
    for col, (rule, n) in zip(cols[1:], counts.items(), strict=True):
        col.metric(t(f"follow.rule.{rule}"), fmt_number(n), border=True, help=t(f"follow.rule_help.{rule}"))
    if rows.empty:
        st.success(t("follow.none"))
        return
    st.caption(t("follow.count", n=fmt_number(len(rows))))
    # What to do first, and why, next to the place; where it is and its history after.
    frame = pd.DataFrame(
        {
            t("table.code"): rows["code"],
            t("table.name"): rows["name"],
            t("follow.col.urgency"): rows["urgency"].astype(int),
            t("follow.col.reasons"): rows["reason_text"].str.replace("\n", "; ", regex=False),
            t("table.status"): rows["status_label"],
            t("table.ward"): rows["ward"],
            t("table.district"): rows["district"],
            t("register.col.days"): rows["days_since_activity"],
            t("table.last_activity"): rows["last_activity"],
        }
    )
    wide = {t("follow.col.reasons"): st.column_config.TextColumn(width="large")}
    ui.show_table(
        frame, key="follow_table", on_select="rerun", selection_mode="single-row", column_config=wide
    )
    st.caption(t("follow.pick_hint"))
    chosen = _selected_row("follow_table")
    if chosen is not None and chosen < len(rows):
        open_card(str(rows.loc[chosen, "code"]))
