"""The local plans page's parts: the year and unit, the year's task progress per
unit, the unit's plan (document and targets), its tasks, and the forms that
record them. Only Streamlit calls live here; the rules are in
:mod:`dashboard.localplans`, the counts in :mod:`dashboard.tasks`.

Everyone who may open the page reads it; the forms are shown to an account that
may write at the plan's unit (:func:`dashboard.localplans.plan_writable`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import accounts, charts, localplans, store, tasks
from dashboard.domain import TargetType, UnitLevel
from dashboard.geo import unit_names, ward_districts
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.queries import Dataset
from dashboard.scope import Scope
from dashboard.ui import components as ui
from dashboard.ui import data


def year_picker(today: dt.date, key: str) -> int:
    years = list(range(today.year + 1, localplans.FIRST_YEAR - 1, -1))
    return st.columns([1, 3])[0].selectbox(
        t("plans.field.year"), years, index=years.index(today.year), key=f"{key}_year"
    )


def units_in_scope(scope: Scope, level: UnitLevel) -> list[str]:
    """The units of ``level`` an account of ``scope`` works in, by name."""
    names = unit_names(level)
    if scope.is_city:
        codes = list(names)
    else:
        districts = ward_districts()
        wards = set(scope.ward_codes or ()) | {
            w for w, d in districts.items() if d in (scope.district_codes or ())
        }
        if level == UnitLevel.WARD:
            codes = [c for c in names if c in wards]
        else:
            codes = [
                c for c in names if c in (scope.district_codes or ()) or c in {districts[w] for w in wards}
            ]
    return sorted(codes, key=names.get)


def unit_picker(ds: Dataset, scope: Scope, year: int, key: str) -> tuple[UnitLevel, str] | None:
    """The level holding plans in ``year`` (a choice in 2025) and one of its units
    within the account's scope (first offered: the one with most tasks)."""
    levels = localplans.levels_for_year(year)
    left, right = st.columns([1, 2])
    level = left.radio(
        t("plans.level_pick"),
        levels,
        format_func=lambda lv: t(f"plans.level_title.{lv.value}"),
        horizontal=True,
        key=f"{key}_level_{year}",
    )
    codes = units_in_scope(scope, level)
    if not codes:
        st.info(t("plans.no_units"))
        return None
    names = unit_names(level)
    busiest = tasks.of_year(ds.tasks, year)
    busiest = busiest[busiest["level"] == level.value]["unit_code"].value_counts() if len(busiest) else None
    start = (
        codes.index(busiest.index[0])
        if busiest is not None and len(busiest) and busiest.index[0] in codes
        else 0
    )
    code = right.selectbox(
        t("plans.field.unit"),
        codes,
        index=start,
        format_func=names.get,
        key=f"{key}_unit_{year}_{level.value}",
        placeholder=t("widget.placeholder"),
    )
    return level, code


def progress_section(ds: Dataset, year: int, today: dt.date) -> None:
    """The year's tasks in the account's scope: totals per shown state and the chart per unit."""
    of_year = tasks.of_year(ds.tasks, year)
    table = tasks.progress(of_year, today)
    st.subheader(t("plans.progress_heading", year=year))
    if table.empty:
        st.info(t("plans.no_tasks_year", year=year))
        return
    cols = st.columns(len(tasks.DISPLAY_STATES) + 1)
    cols[0].metric(t("plans.metric.total"), fmt_number(int(table["total"].sum())), border=True)
    for col, state in zip(cols[1:], tasks.DISPLAY_STATES, strict=True):
        col.metric(t(f"task.state.{state}"), fmt_number(int(table[state].sum())), border=True)
    names = {**unit_names(UnitLevel.DISTRICT), **unit_names(UnitLevel.WARD)}
    title = t("chart.task_progress", year=year)
    if len(table) > 20:
        title = t("chart.task_progress_top", year=year, n=20, total=fmt_number(len(table)))
    ui.show_chart(charts.task_progress_chart(table, names, title), key=f"plans_progress_{year}")


def stored_plan(ds: Dataset, year: int, level: UnitLevel, code: str) -> dict | None:
    plans = ds.local_plans
    found = plans[(plans["year"] == year) & (plans["level"] == level.value) & (plans["unit_code"] == code)]
    return None if found.empty else found.iloc[0].to_dict()


def _hotspots_in(ds: Dataset, level: UnitLevel, code: str) -> pd.DataFrame:
    column = "ward_code" if level == UnitLevel.WARD else "district_code"
    return ds.hotspots[ds.hotspots[column] == code].sort_values("code")


def plan_section(ds: Dataset, year: int, level: UnitLevel, code: str, today: dt.date) -> dict | None:
    """The unit's plan (document, targets) and, for a writer, the form that records it."""
    unit = unit_names(level)[code]
    plan = stored_plan(ds, year, level, code)
    st.subheader(ui.plain(localplans.plan_key(year, level, code)))
    targets = pd.DataFrame()
    if plan is None:
        st.info(ui.plain(t("plans.no_plan", unit=unit, year=year)))
    else:
        doc = plan["doc_number"] or "—"
        date = fmt_date(plan["doc_date"]) if plan["doc_date"] == plan["doc_date"] else "—"
        st.markdown(ui.plain(t("plans.doc", number=doc, date=date, title=plan["title"] or "—")))
        targets = ds.local_targets[ds.local_targets["local_plan_id"] == plan["id"]]
        spots = ds.hotspots.set_index("id")
        for kind in TargetType:
            ids = targets[targets["target_type"] == kind.value]["hotspot_id"]
            listed = ", ".join(
                f"{spots.loc[i, 'code']} · {spots.loc[i, 'name']}" for i in ids if i in spots.index
            )
            st.markdown(
                f"**{t(f'plans.targets.{kind.value}')}** ({fmt_number(len(ids))}): {ui.plain(listed or '—')}"
            )
    account = data.current_account()
    if accounts.can_write(account) and localplans.plan_writable(account, level, code):
        with st.expander(t("plans.form.plan_edit" if plan else "plans.form.plan_new"), expanded=plan is None):
            _plan_form(ds, year, level, code, plan, targets, today)
    return plan


def _plan_form(ds, year, level, code, plan, targets, today) -> None:
    account = data.current_account()
    tag = f"{year}_{level.value}_{code}"
    spots = _hotspots_in(ds, level, code)
    labels = dict(zip(spots["code"], spots["code"] + " · " + spots["name"], strict=True))
    id_code = dict(zip(spots["id"], spots["code"], strict=True))
    chosen = (
        {
            k.value: [
                id_code[i] for i in targets[targets["target_type"] == k.value]["hotspot_id"] if i in id_code
            ]
            for k in TargetType
        }
        if len(targets)
        else {k.value: [] for k in TargetType}
    )
    with st.form(f"plans_plan_form_{tag}"):
        left, right = st.columns(2)
        number = left.text_input(
            t("plans.field.doc_number"),
            value=(plan or {}).get("doc_number") or "",
            max_chars=64,
            key=f"plans_doc_number_{tag}",
        )
        stored_date = (plan or {}).get("doc_date")
        doc_date = right.date_input(
            t("plans.field.doc_date"),
            value=stored_date.date() if stored_date == stored_date and stored_date else None,
            max_value=today,
            format="DD/MM/YYYY",
            key=f"plans_doc_date_{tag}",
        )
        title = st.text_input(
            t("plans.field.title"),
            value=(plan or {}).get("title") or "",
            max_chars=store.LOCAL_PLAN_TITLE_MAX,
            key=f"plans_title_{tag}",
        )
        clear = st.multiselect(
            t("plans.field.targets_clear"),
            list(labels),
            default=chosen["clear"],
            format_func=labels.get,
            key=f"plans_clear_{tag}",
            placeholder=t("widget.placeholder"),
        )
        keep = st.multiselect(
            t("plans.field.targets_keep"),
            list(labels),
            default=chosen["keep_clean"],
            format_func=labels.get,
            key=f"plans_keep_{tag}",
            placeholder=t("widget.placeholder"),
        )
        st.caption(ui.plain(t("enforce.acting_as", office=account.office, username=account.username)))
        if st.form_submit_button(t("plans.form.save_plan"), type="primary"):
            both = sorted(set(clear) & set(keep))
            if both:
                st.error(ui.plain(t("plans.err.target_both", codes=", ".join(both))))
                return
            row = {
                "year": year,
                "level": level,
                "unit_code": code,
                "doc_number": number,
                "doc_date": doc_date,
                "title": title,
                "targets": {**{c: "clear" for c in clear}, **{c: "keep_clean" for c in keep}},
            }
            ui.attempt(lambda: localplans.save_local_plan(data.engine(), row, account, today))


def task_frame(shown: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """The tasks as the page's table shows them (and the overview's list)."""
    # What an officer reads first (the state, the deadline) comes before what
    # needs room, so that it shows without scrolling the table sideways.
    return pd.DataFrame(
        {
            t("plans.field.task"): shown["title"],
            t("plans.field.state"): shown["shown"].map(lambda s: t(f"task.state.{s}")),
            t("plans.field.deadline"): shown["deadline"],
            t("plans.field.days_late"): shown["days_late"].where(shown["days_late"] > 0, None),
            t("plans.field.responsible"): shown["responsible"],
            t("plans.field.place"): tasks.place_labels(shown, ds.hotspots),
            t("plans.field.result"): shown["result"].where(shown["result"] != "", None),
            t("plans.field.updated_on"): shown["updated_on"],
        }
    ).reset_index(drop=True)


def task_columns() -> dict:
    """Widths of the task tables: the task's title wraps in a wide column."""
    return {t("plans.field.task"): st.column_config.TextColumn(width="large")}


def tasks_section(ds: Dataset, plan: dict | None, level: UnitLevel, code: str, today: dt.date) -> None:
    """The plan's tasks with their shown state, and for a writer the forms to give and update them."""
    st.subheader(t("plans.tasks_heading"))
    if plan is None:
        st.caption(t("plans.tasks_need_plan"))
        return
    mine = tasks.with_display(ds.tasks[ds.tasks["local_plan_id"] == plan["id"]], today)
    mine = mine.sort_values(["deadline", "id"])
    states = st.multiselect(
        t("plans.filter.state"),
        list(tasks.DISPLAY_STATES),
        default=[],
        format_func=lambda s: t(f"task.state.{s}"),
        key=f"plans_state_filter_{plan['id']}",
        placeholder=t("plans.filter.all"),
    )
    shown = mine[mine["shown"].isin(states)] if states else mine
    if shown.empty:
        st.info(t("plans.no_tasks"))
    else:
        st.caption(t("plans.tasks_count", n=fmt_number(len(shown)), total=fmt_number(len(mine))))
        ui.show_table(task_frame(shown, ds), key=f"plans_tasks_{plan['id']}", column_config=task_columns())
    account = data.current_account()
    if not accounts.can_write(account):
        st.caption(
            ui.plain(
                t("enforce.read_only", username=account.username, role=t(f"acct.role.{account.role.value}"))
            )
        )
        return
    if not localplans.plan_writable(account, level, code):
        st.caption(
            ui.plain(t("plans.unit_read_only", username=account.username, unit=unit_names(level)[code]))
        )
        return
    ui.page_anchor("data_import", t("plans.import_link"))
    left, right = st.columns(2)
    with left, st.expander(t("plans.form.task_new")):
        _new_task_form(ds, plan, level, code, today)
    with right, st.expander(t("plans.form.task_update"), expanded=False):
        _update_task_form(ds, mine, today)


def _place_options(ds: Dataset, level: UnitLevel, code: str) -> dict[str, str]:
    """Where a task may be: the whole unit (""), a hotspot ("h:CODE") or, in a
    former district, one of its wards ("w:CODE")."""
    options = {"": t("plans.place.whole", unit=unit_names(level)[code])}
    for row in _hotspots_in(ds, level, code).itertuples(index=False):
        options[f"h:{row.code}"] = f"{row.code} · {row.name}"
    if level == UnitLevel.DISTRICT:
        wards = unit_names(UnitLevel.WARD)
        for ward in sorted((w for w, d in ward_districts().items() if d == code), key=wards.get):
            options[f"w:{ward}"] = wards[ward]
    return options


def _place_row(choice: str) -> dict:
    if choice.startswith("h:"):
        return {"hotspot_code": choice[2:]}
    if choice.startswith("w:"):
        return {"ward_code": choice[2:]}
    return {}


def _new_task_form(ds, plan, level, code, today) -> None:
    account = data.current_account()
    options = _place_options(ds, level, code)
    with st.form(f"plans_task_form_{plan['id']}", clear_on_submit=True):
        title = st.text_input(
            t("plans.field.task"), max_chars=store.TASK_TITLE_MAX, key=f"plans_task_title_{plan['id']}"
        )
        responsible = st.text_input(
            t("plans.field.responsible"),
            max_chars=200,
            help=t("plans.help.responsible"),
            key=f"plans_task_resp_{plan['id']}",
        )
        place = st.selectbox(
            t("plans.field.place"),
            list(options),
            format_func=options.get,
            key=f"plans_task_place_{plan['id']}",
        )
        deadline = st.date_input(
            t("plans.field.deadline"),
            value=None,
            format="DD/MM/YYYY",
            min_value=dt.date(int(plan["year"]) - 1, 1, 1),
            max_value=dt.date(int(plan["year"]) + 1, 12, 31),
            key=f"plans_task_deadline_{plan['id']}",
        )
        st.caption(t("plans.privacy"))
        if st.form_submit_button(t("plans.form.add_task"), type="primary"):
            row = {"title": title, "responsible": responsible, "deadline": deadline, **_place_row(place)}
            ui.attempt(lambda: localplans.add_task(data.engine(), int(plan["id"]), row, account, today))


def _update_task_form(ds, mine: pd.DataFrame, today) -> None:
    """Report a task's state and result (and move its deadline or its unit responsible)."""
    account = data.current_account()
    if mine.empty:
        st.caption(t("plans.no_tasks"))
        return
    labels = {int(r.id): f"{fmt_date(r.deadline)} · {r.title}" for r in mine.itertuples(index=False)}
    task_id = st.selectbox(
        t("plans.field.task"),
        list(labels),
        format_func=labels.get,
        key=f"plans_update_pick_{int(mine['local_plan_id'].iloc[0])}",
    )
    row = mine[mine["id"] == task_id].iloc[0]
    states = list(store.TASK_STATES)
    with st.form(f"plans_update_form_{task_id}_{int(row['version'])}"):
        state = st.selectbox(
            t("plans.field.state"),
            states,
            index=states.index(row["state"]),
            format_func=lambda s: t(f"task.state.{s}"),
            help=t("plans.help.overdue"),
        )
        result = st.text_area(
            t("plans.field.result"), value=row["result"] or "", max_chars=store.TASK_RESULT_MAX
        )
        left, right = st.columns(2)
        deadline = left.date_input(
            t("plans.field.deadline"),
            value=row["deadline"].date(),
            format="DD/MM/YYYY",
            min_value=dt.date(int(row["year"]) - 1, 1, 1),
            max_value=dt.date(int(row["year"]) + 1, 12, 31),
        )
        responsible = right.text_input(t("plans.field.responsible"), value=row["responsible"], max_chars=200)
        st.caption(t("plans.privacy"))
        if st.form_submit_button(t("plans.form.update_task"), type="primary"):
            changes = {"state": state, "result": result, "deadline": deadline, "responsible": responsible}
            ui.attempt(
                lambda: localplans.update_task(
                    data.engine(), int(task_id), changes, account, today, expected_version=int(row["version"])
                )
            )


def plans_page() -> None:
    ui.page_header("plans.heading")
    st.caption(t("plans.intro"))
    today, scope = data.today(), data.current_scope()
    ds = data.dataset(scope)
    year = year_picker(today, "plans")
    progress_section(ds, year, today)
    st.divider()
    picked = unit_picker(ds, scope, year, "plans")
    if picked is None:
        return
    level, code = picked
    plan = plan_section(ds, year, level, code, today)
    tasks_section(ds, plan, level, code, today)


def overdue_section(late: pd.DataFrame, key: str, held: tuple[Dataset, tuple] | None = None) -> None:
    """The overdue tasks of :func:`dashboard.views.overdue_tasks` (overview, area page):
    how many, and the list, longest overdue first, with a link to the plans page; ``held``
    as for :func:`dashboard.ui.components.show_table` (what ``late`` is made from)."""
    st.subheader(t("plans.overdue_heading", n=fmt_number(len(late))))
    if late.empty:
        st.caption(t("plans.overdue_none"))
        return

    def build() -> pd.DataFrame:
        names = {**unit_names(UnitLevel.DISTRICT), **unit_names(UnitLevel.WARD)}
        return pd.DataFrame(
            {
                t("plans.field.task"): late["title"],
                t("plans.field.days_late"): late["days_late"],
                t("plans.field.deadline"): late["deadline"],
                t("plans.field.unit"): late["unit_code"].map(lambda c: names.get(c, c)),
                t("plans.field.place"): late["place"],
                t("plans.field.responsible"): late["responsible"],
                t("plans.field.result"): late["result"].where(late["result"] != "", None),
            }
        )

    ui.show_table(build, key=key, held=held, column_config=task_columns())
    ui.page_anchor("plans", t("plans.overdue_link"))
