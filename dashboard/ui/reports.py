"""Widgets of the reports page: choose a report, see its figures and tables, download it."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import exports, render, views
from dashboard.domain import UnitLevel, level_at
from dashboard.geo import unit_names
from dashboard.i18n import fmt_number, fmt_of_target, t
from dashboard.reports import documents, service
from dashboard.reports.model import Document, Table
from dashboard.ui import components as ui
from dashboard.ui import data

CITY = "city"


@st.cache_resource(show_spinner=False)
def warm_up() -> bool:
    """Start the renderer's browser once per server process, when a reports page first opens,
    so the first document does not wait for it."""
    render.warm_up()
    return True


def choose_unit(key: str, as_of: dt.date) -> views.Unit:
    """The city, a former district or a current ward (the level in force first).

    An area officer reports on their own units only: no city-wide report, and
    only their former districts and wards to choose from (a report of the city
    built from one area's data would be labelled wrongly)."""
    scope = data.current_scope()
    if not scope.is_city:
        own = [(UnitLevel.DISTRICT, c) for c in sorted(scope.district_codes or ())]
        own += [(UnitLevel.WARD, c) for c in sorted(scope.ward_codes or ())]
        labels = {f"{lv.value}|{c}": unit_names(lv).get(c, c) for lv, c in own}
        chosen = st.sidebar.selectbox(
            t("filter.area_unit"), list(labels), format_func=labels.get, key=f"{key}_own_unit",
            placeholder=t("widget.placeholder"),
        )  # fmt: skip
        level, code = chosen.split("|")
        return views.Unit(UnitLevel(level), code)
    options = [CITY, level_at(as_of).value, *(lv.value for lv in UnitLevel if lv != level_at(as_of))]
    scope = st.sidebar.radio(
        t("reports.scope"),
        options,
        key=f"{key}_scope",
        format_func=lambda v: t("reports.scope.city") if v == CITY else t(f"level.{v}"),
    )
    if scope == CITY:
        return views.Unit()
    level = UnitLevel(scope)
    names = unit_names(level)
    code = st.sidebar.selectbox(
        t("filter.area_unit"),
        sorted(names, key=names.get),
        format_func=names.get,
        key=f"{key}_unit_{level.value}",
        placeholder=t("widget.placeholder"),
    )
    return views.Unit(level, code)


def choose_month(key: str, today: dt.date) -> dt.date:
    years = list(range(today.year, 2018, -1))
    year = st.sidebar.selectbox(t("reports.year"), years, key=f"{key}_year")
    last = today.month if year == today.year else 12
    months = list(range(last, 0, -1))
    month = st.sidebar.selectbox(
        t("reports.month"), months, key=f"{key}_month_{year}", format_func=lambda m: f"{m:02d}/{year}"
    )
    return dt.date(year, month, 1)


def choose_quarter(key: str, today: dt.date) -> tuple[int, int]:
    years = list(range(today.year, 2018, -1))
    year = st.sidebar.selectbox(t("reports.year"), years, key=f"{key}_qyear")
    last = (today.month - 1) // 3 + 1 if year == today.year else 4
    quarter = st.sidebar.selectbox(
        t("reports.quarter"),
        list(range(last, 0, -1)),
        key=f"{key}_quarter_{year}",
        format_func=lambda q: f"{documents.quarter_label(q)}/{year}",
    )
    return year, quarter


def figures(items: list[tuple[str, int | str]]) -> None:
    """Headline figures as cards, five to a row."""
    for start in range(0, len(items), 5):
        for col, (label, value) in zip(st.columns(5), items[start : start + 5], strict=False):
            col.metric(label, value if isinstance(value, str) else fmt_number(value), border=True)


def monthly_figures(b: views.MonthlyBriefing) -> list[tuple[str, int | str]]:
    return [
        (t("reports.f.open"), b.open_now),
        (t("reports.f.changes"), len(b.changes)),
        (t("kpi.activities"), b.activities),
        (t("count.violations_found"), b.results["violations_found"]),
        (t("count.cases_handled"), b.results["cases_handled"]),
        (t("kpi.border_hotspots"), b.border_hotspots),
        (t("border.kpi.gaps"), int(b.gaps["id"].nunique()) if not b.gaps.empty else 0),
        (t("kpi.high_risk"), len(b.high_risk)),
    ]


def quarterly_figures(q: views.QuarterlyReport) -> list[tuple[str, int | str]]:
    k = q.kpis
    counts = q.recommendation_counts()
    return [
        (t("kpi.cleared"), fmt_of_target(k.cleared, k.clear_target)),
        (t("kpi.kept_clean"), fmt_of_target(k.kept_clean, k.keep_target)),
        (t("kpi.reemerged"), k.reemerged),
        (t("kpi.activities"), q.activities),
        (t("kpi.border_hotspots"), q.border_hotspots),
        (t("reports.f.propose"), counts["propose"]),
        (t("reports.f.observe"), counts["observe"]),
    ]


def document_tables(doc: Document) -> None:
    """Every table of the document, as the document holds it."""
    for table in doc.tables:
        st.markdown(f"**{ui.plain(table.title)}**")
        decimals = {table.columns[i]: places for i, places in table.decimals.items()}
        ui.show_table(frame_of(table), decimals=decimals, key=f"report_table_{table.key}")
        if table.note:
            st.caption(ui.plain(table.note))


def frame_of(table: Table) -> pd.DataFrame:
    """A table of the model as a DataFrame (the total row last): a column of numbers stays
    numeric (so the page writes 83,2 as the document does, and sorts it as a number), any
    other column holds the cells as they are, a missing one as None."""
    rows = [*table.rows, *((table.total,) if table.total else ())]
    frame = pd.DataFrame(rows, columns=list(table.columns))
    for index in range(len(table.columns)):
        values = frame.iloc[:, index]
        known = values.dropna()
        if len(known) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in known):
            frame.isetitem(index, pd.to_numeric(values))
        else:
            frame.isetitem(index, values.astype(object).where(values.notna(), None))
    return frame


def downloads(doc_for, name_for) -> None:
    """Buttons that build the .docx and .xlsx only when clicked."""
    cols = st.columns(2)
    for col, suffix in zip(cols, service.SUFFIXES, strict=True):
        with col:
            st.download_button(
                t("reports.download", name=suffix),
                partial(_build, doc_for, suffix),
                file_name=name_for(suffix),
                key=f"report_download_{suffix[1:]}",
                type="primary" if suffix == ".docx" else "secondary",
                width="stretch",
            )


def _build(doc_for, suffix: str) -> bytes:
    """The file, when its button is clicked; the download is audited
    (:func:`dashboard.exports.record_export`)."""
    doc = doc_for(images=suffix == ".docx")
    content = service.write(doc, suffix)
    exports.record_export(
        data.engine(), data.current_account(), t("auditui.what.report", suffix=suffix),
        doc.letterhead.summary, data.current_scope(), public=doc.public,
    )  # fmt: skip
    return content


def signer_inputs(unit: views.Unit) -> tuple[str, str, str]:
    """Signer's authority, title and name for the .docx (the name is never stored)."""
    head = documents.letterhead(unit, "", data.today())
    with st.expander(t("reports.signer_title")):
        authority = st.text_input(
            t("reports.signer_authority"), head.signer_authority, key="report_authority"
        )
        title = st.text_input(t("reports.signer_title"), head.signer_title, key="report_title")
        name = st.text_input(t("reports.signer"), "", key="report_signer")
    return authority, title, name
