"""The reports page (pages/reports.py) under AppTest, on the sample store."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pyarrow as pa
import pytest
from pagetest import TODAY, metric, run_page
from streamlit.testing.v1 import AppTest

from dashboard import geo
from dashboard.domain import UnitLevel
from dashboard.i18n import fmt_number, t

PAGE = "pages/reports.py"


def run() -> AppTest:
    return run_page(PAGE)


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def cells(at: AppTest) -> list[str]:
    """Every cell and header of every table on the page, as text."""
    out = []
    for frame in at.dataframe:
        table = frame.value
        out += [str(c) for c in table.columns]
        out += [str(v) for column in table.columns for v in table[column].tolist()]
    return out


def shown(element) -> pd.DataFrame:
    """The texts a table element draws in its cells (Streamlit's display values of the
    Styler the page formats it with, or the cells themselves when it formats none)."""
    styler = element.proto.arrow_data.styler
    if not styler.display_values:  # nothing to format (no number or date): drawn as held
        return element.value.astype(str)
    return pa.ipc.open_stream(io.BytesIO(styler.display_values)).read_all().to_pandas()


def status_at(ds, as_of: dt.date):
    h = ds.history[ds.history["date"] <= str(as_of)].sort_values(["date", "id"])
    return h.drop_duplicates("hotspot_id", keep="last").set_index("hotspot_id")["to_status"]


def quarterly(at: AppTest, year: int, quarter: int) -> AppTest:
    at.sidebar.radio(key="report_kind").set_value("quarterly")
    rerun(at)
    at.sidebar.selectbox(key="report_qyear").set_value(year)
    rerun(at)
    at.sidebar.selectbox(key=f"report_quarter_{year}").set_value(quarter)
    return rerun(at)


@pytest.fixture(scope="module")
def names(sample_dataset) -> list[str]:
    return sorted(set(sample_dataset.hotspots["name"]))


def test_default_is_the_current_month_of_the_city(app_env, sample_dataset):
    at = run()
    assert not at.error
    assert at.title[0].value == t("reports.heading")
    assert at.sidebar.radio(key="report_kind").value == "monthly"
    assert at.sidebar.radio(key="report_scope").value == "city"
    assert at.sidebar.selectbox(key="report_year").value == TODAY.year
    assert at.sidebar.selectbox(key=f"report_month_{TODAY.year}").value == TODAY.month
    # the running month, cut at today: every activity from the 1st to today (city, every status)
    a = sample_dataset.activities
    month = a[(a["date"] >= str(TODAY.replace(day=1))) & (a["date"] <= str(TODAY))]
    assert len(month) > 0
    assert metric(at, "kpi.activities") == fmt_number(len(month))
    assert metric(at, "count.violations_found") == fmt_number(int(month["violations_found"].sum()))
    status = status_at(sample_dataset, TODAY)
    assert metric(at, "reports.f.open") == fmt_number(
        int(status.isin(["active", "clearing", "reemerged"]).sum())
    )
    titles = [m.value for m in at.markdown]
    assert f"**{t('rep.t.status')}**" in titles
    assert len(at.dataframe) >= 5


def test_switching_to_the_quarterly_report(app_env, sample_dataset):
    at = run()
    quarter = (TODAY.month - 1) // 3 + 1
    at.sidebar.radio(key="report_kind").set_value("quarterly")
    rerun(at)
    assert at.sidebar.selectbox(key="report_qyear").value == TODAY.year
    assert at.sidebar.selectbox(key=f"report_quarter_{TODAY.year}").value == quarter
    ds = sample_dataset
    clear = ds.targets[(ds.targets["year"] == TODAY.year) & (ds.targets["target_type"] == "clear")][
        "hotspot_id"
    ]
    done = int(status_at(ds, TODAY).reindex(clear).isin(["cleared", "handed_over"]).sum())
    assert metric(at, "kpi.cleared") == f"{done}/{len(clear)}"
    assert f"**{t('rep.t.handover')}**" in [m.value for m in at.markdown]
    # an earlier quarter: Q3 2020 evaluates the 13 clear targets of the 2020 plan
    quarterly(at, 2020, 3)
    (handover,) = [f.value for f in at.dataframe if t("rep.c.recommendation") in f.value.columns]
    assert len(handover) == 13


def test_choosing_a_district_shows_its_name(app_env, sample_dataset):
    at = quarterly(run(), 2020, 3)
    at.sidebar.radio(key="report_scope").set_value(UnitLevel.DISTRICT.value)
    rerun(at)
    at.sidebar.selectbox(key="report_unit_district").set_value("002")
    rerun(at)
    name = geo.unit_names(UnitLevel.DISTRICT)["002"]
    assert name == "Quận Hoàn Kiếm"
    shown = cells(at)
    assert name in shown
    others = set(geo.unit_names(UnitLevel.DISTRICT).values()) - {name}
    assert not others & set(shown)  # only the chosen district's rows
    (targets,) = [f.value for f in at.dataframe if t("rep.c.met") in f.value.columns]
    ds = sample_dataset
    codes = set(ds.hotspots.loc[ds.hotspots["district_code"] == "002", "code"])
    assert set(targets[t("rep.c.code")]) <= codes
    assert len(targets) > 0


@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_public_checkbox_hides_the_hotspot_names(app_env, names, kind):
    at = run() if kind == "monthly" else quarterly(run(), 2020, 3)
    before = cells(at)
    assert any(n in before for n in names)  # the internal version names the places
    at.sidebar.checkbox(key="report_public").check()
    rerun(at)
    after = cells(at)
    assert len(at.dataframe) > 0
    for name in names:
        assert not any(name in c for c in after), name
    assert t("public.caption") in [c.value for c in at.caption]


def test_download_buttons(app_env):
    at = run()
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        t("reports.download", name=".docx"),
        t("reports.download", name=".xlsx"),
    ]
    assert [b.proto.id.rsplit("-", 1)[-1] for b in buttons] == [
        "report_download_docx",
        "report_download_xlsx",
    ]


def test_tables_write_numbers_as_the_documents_do(app_env):
    """A score reads 83,2 on the page as in the .docx, never 83.2 (and sorts as a number)."""
    at = run()  # this month's briefing, city-wide
    (risk,) = [f for f in at.dataframe if t("rep.c.score") in f.value.columns]
    scores = risk.value[t("rep.c.score")]
    assert len(scores) and pd.api.types.is_float_dtype(scores)
    texts = shown(risk)[t("rep.c.score")].tolist()
    assert texts == [fmt_number(v, 1) for v in scores]
    assert all("," in text for text in texts)
    quarter = quarterly(run(), TODAY.year, (TODAY.month - 1) // 3 + 1)
    for element in [*at.dataframe, *quarter.dataframe]:
        cells = shown(element).astype(str).to_numpy().ravel().tolist()
        assert not [c for c in cells if re.fullmatch(r"-?\d+\.\d+", c)]
