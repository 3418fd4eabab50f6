"""The import page's parts: templates and exports, the sample-data notice,
upload with its dry run (metrics, problems, preview table and map), writing,
and replacing a boundary layer. Only Streamlit calls live here; every rule is
in :mod:`dashboard.intake`. Every write is made as the signed-in account
(``account``), which the write functions check again."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import accounts, coords, store
from dashboard.accounts import Account
from dashboard.domain import DomainError, UnitLevel
from dashboard.i18n import fmt_number, t
from dashboard.intake import boundaries
from dashboard.intake.apply import apply
from dashboard.intake.schema import KIND_LABELS, Kind
from dashboard.intake.service import check
from dashboard.intake.values import shown
from dashboard.intake.workbook import export, rejected_workbook, template
from dashboard.maps import import_preview_map
from dashboard.ui import components as ui
from dashboard.ui import data

UPLOAD_TYPES = ["xlsx", "xls", "csv", "geojson", "json", "gpkg", "zip"]


def templates(engine) -> None:
    with st.expander(t("import.templates")):
        columns = st.columns(len(Kind))
        for column, kind in zip(columns, Kind, strict=True):
            with column:
                st.download_button(
                    t("import.template_button", kind=KIND_LABELS[kind].lower()),
                    partial(template, kind),  # built only when clicked
                    file_name=f"mau-{kind.value}.xlsx",
                    key=f"tpl_{kind.value}",
                    width="stretch",
                )
                st.download_button(
                    t("import.export_button", kind=KIND_LABELS[kind].lower()),
                    partial(export, engine, kind, data.current_scope()),  # built only when clicked
                    file_name=f"du-lieu-{kind.value}.xlsx",
                    key=f"exp_{kind.value}",
                    width="stretch",
                )


def sample_notice(engine, account: Account) -> None:
    if not data.is_sample():
        return
    st.warning(t("import.sample_notice"))
    if account.role not in accounts.CITY_WRITERS:  # only an admin or department staff may clear it
        return
    sure = st.checkbox(t("import.sample_confirm"), key="clear_sample_ok")
    if st.button(t("import.sample_clear"), disabled=not sure, key="clear_sample"):
        ui.attempt(lambda: store.clear_sample(engine, account) or t("import.sample_cleared"))


def _progress_bar():
    bar = st.progress(0.0, text=t("import.checking"))

    def update(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    return bar, update


def _problems_table(report) -> None:
    st.subheader(t("import.problems"))
    if not report.problems:
        st.success(t("import.no_problems"))
        return
    frame = pd.DataFrame(
        {
            t("import.row"): [p.row for p in report.problems],
            t("import.level"): [t(f"import.level.{p.level}") for p in report.problems],
            t("import.column"): [p.column or "" for p in report.problems],
            t("import.value"): [p.value for p in report.problems],
            t("import.message"): [p.message for p in report.problems],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _unique(headers: list[str]) -> list[str]:
    """Column names for a table: blank ones numbered, repeated ones suffixed."""
    out: list[str] = []
    for i, header in enumerate(headers):
        name = header or f"({i + 1})"
        while name in out:
            name += f" ({i + 1})"
        out.append(name)
    return out


def _preview(report) -> None:
    st.subheader(t("import.preview"))
    table = report.table
    states, messages = report.states(), report.messages()
    frame = pd.DataFrame(
        [[shown(v) for v in row] for row in table.rows], columns=_unique(table.headers), dtype=object
    )
    frame.insert(0, t("import.errors"), [messages.get(n, "") for n in table.row_numbers])
    frame.insert(0, t("import.action"), [t(f"import.state.{states[i]}") for i in range(len(frame))])
    frame.insert(0, t("import.row"), table.row_numbers)
    st.dataframe(frame.head(1000), hide_index=True, width="stretch", key="import_preview_table")
    if report.kind != Kind.HOTSPOTS:
        return
    st.markdown(f"**{t('import.preview_map')}**")
    ui.show_map(import_preview_map(report.preview_points(), data.settings().tiles), key="import_preview_map",
                height=460)  # fmt: skip


def _metrics(report) -> None:
    counts = report.counts()
    st.subheader(t("import.summary"))
    keys = ("rows", "accepted", "rejected", "new", "update", "skip", "unchanged")
    for column, key in zip(st.columns(len(keys)), keys, strict=True):
        column.metric(t(f"import.{key}"), fmt_number(counts[key]))


def boundary_layer(engine, account: Account) -> None:
    with st.expander(t("import.boundaries")):
        st.caption(t("import.boundaries_intro"))
        if not accounts.can_admin(account):
            st.info(t("enforce.admin_only"))
            return
        level = st.radio(
            t("import.boundary_level"),
            list(UnitLevel),
            horizontal=True,
            key="bnd_level",
            format_func=lambda lv: t("table.ward" if lv == UnitLevel.WARD else "table.district"),
        )
        upload = st.file_uploader(
            t("import.boundary_file"), type=["geojson", "json", "gpkg", "zip"], key="bnd_file"
        )
        if upload is None:
            return
        try:
            report = boundaries.check_layer(upload.name, upload.getvalue(), level, engine)
        except DomainError as exc:
            st.error(ui.plain(str(exc)))
            return
        for note in report.notes:
            st.info(ui.plain(note))
        if not report.ok:
            for problem in report.problems:
                st.error(ui.plain(problem))
            return
        st.success(t("import.boundary_ok", units=report.units))
        if st.button(t("import.boundary_apply"), key="bnd_apply", type="primary"):

            def install() -> str:
                done = boundaries.install(report, engine, account)
                st.cache_resource.clear()
                return t("import.boundary_done", **done)

            ui.attempt(install)


def _checked(upload, engine, today, kind, crs, on_duplicate, account: Account):
    """The dry run of the uploaded file, kept while nothing it depends on
    changes (the file, the choices, the account, and the store: any write adds to the log)."""
    key = (upload.file_id, upload.name, kind, crs, on_duplicate, today, account, store.audit_count(engine))
    kept = st.session_state.get("import_report")
    if kept is not None and kept[0] == key:
        return kept[1]
    bar, progress = _progress_bar()
    try:
        report = check(
            upload.name,
            upload.getvalue(),
            engine,
            today=today,
            kind=kind,
            crs=crs,
            on_duplicate=on_duplicate,
            progress=progress,
            account=account,
        )
    finally:
        bar.empty()
    st.session_state["import_report"] = (key, report)
    return report


def upload(engine, today, account: Account) -> None:
    upload = st.file_uploader(t("import.upload"), type=UPLOAD_TYPES, key="import_file")
    left, middle, right = st.columns(3)
    kind = left.selectbox(
        t("import.kind"),
        [None, *Kind],
        key="import_kind",
        format_func=lambda k: t("import.kind_auto") if k is None else KIND_LABELS[k],
    )
    crs_keys = [k for k in coords.CRS_CHOICES if k != "wgs84"] + ["wgs84"]
    crs = middle.selectbox(t("import.crs"), crs_keys, format_func=coords.CRS_CHOICES.get, key="import_crs")
    on_duplicate = right.radio(
        t("import.duplicates"),
        ["skip", "update"],
        key="import_dup",
        format_func=lambda d: t(f"import.dup.{d}"),
        horizontal=True,
    )
    if upload is None:
        return
    try:
        report = _checked(upload, engine, today, kind, crs, on_duplicate, account)
    except DomainError as exc:
        st.error(ui.plain(str(exc)))
        return
    _metrics(report)
    _problems_table(report)
    if report.rejected_rows:
        st.download_button(
            t("import.download_rejected"),
            partial(rejected_workbook, report),
            key="import_rejected",
            file_name=f"dong-bi-loai-{upload.name.rsplit('.', 1)[0]}.xlsx",
        )
    _preview(report)
    counts = report.counts()
    pending = counts["new"] + counts["update"]
    if not pending:
        st.info(t("import.nothing"))
    if st.button(t("import.apply"), type="primary", disabled=not pending, key="import_apply"):

        def write() -> str:
            bar, progress = _progress_bar()
            try:
                done = apply(engine, report, account, progress)
            finally:
                bar.empty()
            return t("import.done", name=upload.name, **{k: fmt_number(v) for k, v in done.items()})

        ui.attempt(write)
