"""Every page runs under Streamlit's AppTest, and its filters change what it shows."""

from __future__ import annotations

import pytest
from pagetest import ROOT, TODAY, metric, run_page
from streamlit.testing.v1 import AppTest

from dashboard import queries, sample, store
from dashboard.domain import HotspotKind, Status
from dashboard.filters import Filters
from dashboard.i18n import fmt_number, t
from dashboard.scope import Scope

PAGES = ["pages/overview.py", "pages/area.py"]


def run(page: str) -> AppTest:
    return run_page(page)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_shows_sample_banner(app_env, page):
    at = run(page)
    assert not at.error
    assert at.warning and at.warning[0].value == t("app.sample_banner")
    labels = [m.label for m in at.metric]
    assert labels[:5] == [t(k) for k in ("kpi.cleared", "kpi.kept_clean", "kpi.reemerged", "kpi.active",
                                         "kpi.activities")]  # fmt: skip
    assert labels[5] == t("kpi.border_hotspots")


def test_overview_kpis_follow_plan_year(app_env, sample_dataset):
    at = run("pages/overview.py")
    year_box = at.sidebar.selectbox[0]
    assert year_box.value == TODAY.year
    k = queries.plan_kpis(sample_dataset, Filters.for_year(TODAY.year, TODAY))
    assert metric(at, "kpi.cleared") == f"{k.cleared}/{k.clear_target}"

    year_box.set_value(2020).run()
    assert not at.exception
    k2020 = queries.plan_kpis(sample_dataset, Filters.for_year(2020, TODAY))
    assert (k2020.clear_target, k2020.keep_target) == (13, 6)
    assert metric(at, "kpi.cleared") == f"{k2020.cleared}/13"
    assert metric(at, "kpi.kept_clean") == f"{k2020.kept_clean}/6"
    assert metric(at, "kpi.reemerged") == fmt_number(k2020.reemerged)
    assert metric(at, "kpi.activities") == fmt_number(k2020.activities)


def test_overview_kind_filter_changes_kpis(app_env, sample_dataset):
    at = run("pages/overview.py")
    at.sidebar.selectbox[0].set_value(2020).run()
    kinds = at.sidebar.multiselect[1]
    kinds.set_value([HotspotKind.SERVICE_BUSINESS]).run()
    assert not at.exception
    f = Filters.for_year(2020, TODAY, kinds=frozenset({"service_business"}))
    k = queries.plan_kpis(sample_dataset, f)
    assert k.clear_target < 13
    assert metric(at, "kpi.cleared") == f"{k.cleared}/{k.clear_target}"


def test_area_page_table_follows_unit_and_status(app_env, sample_dataset):
    at = run("pages/area.py")
    code = at.sidebar.selectbox[0].value
    f = Filters.for_year(TODAY.year, TODAY, area_level="ward", area_code=code)
    expected = queries.hotspot_view(sample_dataset, f)
    assert len(expected) > 0
    assert len(at.dataframe[0].value) == len(expected)
    assert set(at.dataframe[0].value[t("table.code")]) == set(expected["code"])

    statuses = at.sidebar.multiselect[0]
    keep = [s for s in Status if s.value != expected["status"].iloc[0]]
    statuses.set_value(keep).run()
    assert not at.exception
    narrowed = queries.hotspot_view(sample_dataset, Filters.for_year(
        TODAY.year, TODAY, area_level="ward", area_code=code, statuses=frozenset(keep)))  # fmt: skip
    assert len(narrowed) < len(expected)
    shown = at.dataframe[0].value if at.dataframe else []
    assert len(shown) == len(narrowed)


def test_area_page_switches_to_former_district(app_env, sample_dataset):
    at = run("pages/area.py")
    at.sidebar.radio[0].set_value(at.sidebar.radio[0].options[1]).run()
    assert not at.exception
    district_box = at.sidebar.selectbox[0]
    assert district_box.value in set(sample_dataset.hotspots["district_code"])
    district_box.set_value("002").run()
    assert not at.exception
    assert at.subheader[0].value == "Quận Hoàn Kiếm"


@pytest.mark.parametrize("page", PAGES)
def test_unreachable_store_is_a_readable_error(monkeypatch, page):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert at.error and "127.0.0.1" in at.error[0].value


def test_first_start_fills_an_empty_store_with_labelled_sample_data(monkeypatch, tmp_path):
    path = tmp_path / "new" / "hotspots.sqlite"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("HOTSPOT_DB_PATH", str(path))
    monkeypatch.setenv("HOTSPOT_TODAY", TODAY.strftime("%d/%m/%Y"))
    monkeypatch.chdir(ROOT)
    assert not path.exists()
    at = run("pages/overview.py")
    assert path.exists()
    engine = store.open_store(f"sqlite:///{path}")
    assert store.is_sample_data(engine)
    assert len(store.read_hotspots(engine, Scope.city())) == len(sample.generate().hotspots)
    assert at.warning[0].value == t("app.sample_banner")
