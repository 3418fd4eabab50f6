"""Báo cáo: the monthly briefing sheet and the quarterly report, on screen and as files."""

from functools import partial

import streamlit as st

from dashboard import views
from dashboard.i18n import t
from dashboard.reports import documents, service
from dashboard.ui import components as ui
from dashboard.ui import data
from dashboard.ui import reports as rep


def body() -> None:
    ui.page_header("reports.heading")
    rep.warm_up()
    st.caption(t("reports.intro"))
    scope = data.current_scope()
    today = data.today()
    kind = st.sidebar.radio(
        t("reports.kind"),
        ["monthly", "quarterly"],
        format_func=lambda k: t(f"reports.kind.{k}"),
        key="report_kind",
    )
    if kind == "monthly":
        month = rep.choose_month("report", today)
        unit = rep.choose_unit("report", min(views.month_end(month), today))
        public = st.sidebar.checkbox(t("reports.public"), key="report_public")
        b = data.monthly_briefing(scope, month, unit, today)
        rep.figures(rep.monthly_figures(b))
        build = partial(documents.monthly_document, b)
        name_for = partial(service.file_name, "giao-ban", unit, month.strftime("%Y-%m"))
    else:
        year, quarter = rep.choose_quarter("report", today)
        end = min(views.quarter_bounds(year, quarter)[1], today)
        unit = rep.choose_unit("report", end)
        public = st.sidebar.checkbox(t("reports.public"), key="report_public")
        q = data.quarterly_report(scope, year, quarter, unit, today)
        rep.figures(rep.quarterly_figures(q))
        build = partial(documents.quarterly_document, q)
        name_for = partial(service.file_name, "bao-cao-quy", unit, f"{year}-Q{quarter}")
    # The same signer fields and document options for either report (the name is never stored).
    authority, title, name = rep.signer_inputs(unit)

    def doc_for(images: bool = True):
        return build(
            public_version=public, sample=data.is_sample(), signer_name=name, signer_title=title,
            signer_authority=authority, images=images,
        )  # fmt: skip

    rep.downloads(doc_for, lambda suffix: name_for(suffix, public))
    st.divider()
    rep.document_tables(doc_for(images=False))


ui.guarded(body)
