"""The border page and the overview's border figure under AppTest, and the
``border`` command of the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pagetest import TODAY, metric, run_page
from streamlit.testing.v1 import AppTest

from dashboard import border, cli, queries, risk
from dashboard.domain import UnitLevel
from dashboard.filters import Filters
from dashboard.geo import unit_names
from dashboard.i18n import fmt_number, t

PAGE = "pages/border.py"


def run(page: str = PAGE) -> AppTest:
    return run_page(page)


def run_districts() -> AppTest:
    """The border page switched to the former districts (it opens on the level in force today)."""
    at = run()
    at.radio(key="border_level").set_value(UnitLevel.DISTRICT).run()
    assert not at.exception
    return at


def expected_report(ds, level: UnitLevel, width: float = 300.0, unit: str | None = None):
    """What the page shows with its default filters (this plan year up to today)."""
    f = Filters.for_year(TODAY.year, TODAY)
    view = queries.hotspot_view(ds, f)
    acts = queries.activities_view(ds, f, view)
    scores = risk.score(ds, TODAY)
    high = scores[
        (scores["score_type"] == "risk") & (scores["level"] == "high") & scores["id"].isin(view["id"])
    ]
    at_risk = frozenset(high["id"])
    return border.border_report(level, view, acts, ds.activities, TODAY, width, 90, unit, at_risk=at_risk)


def shown_metrics(at: AppTest) -> dict[str, str]:
    keys = ["border.kpi.pairs", "kpi.border_hotspots", "border.kpi.attention", "border.kpi.gaps",
            "border.kpi.one_sided"]  # fmt: skip
    return {key: metric(at, key) for key in keys}


def report_metrics(report: border.BorderReport) -> dict[str, str]:
    return {
        "border.kpi.pairs": fmt_number(len(report.adjacency.pairs)),
        "kpi.border_hotspots": fmt_number(report.in_zone["id"].nunique()),
        "border.kpi.attention": fmt_number(int(report.ranking["attention"].sum())),
        "border.kpi.gaps": fmt_number(report.gaps["id"].nunique()),
        "border.kpi.one_sided": fmt_number(len(report.one_sided)),
    }


def test_border_page_opens_on_the_level_in_force_with_the_overview_figure(app_env, sample_dataset):
    at = run()
    assert not at.error
    # Today is after 01/07/2025: wards, as on the overview, so both show the same figure.
    assert at.radio(key="border_level").value == UnitLevel.WARD
    assert shown_metrics(at) == report_metrics(expected_report(sample_dataset, UnitLevel.WARD))
    overview = run("pages/overview.py")
    assert metric(overview, "kpi.border_hotspots") == metric(at, "kpi.border_hotspots")


def test_border_page_runs_and_shows_the_report(app_env, sample_dataset):
    at = run_districts()
    assert not at.error
    assert at.title[0].value == t("border.heading")
    assert at.radio(key="border_level").value == UnitLevel.DISTRICT
    report = expected_report(sample_dataset, UnitLevel.DISTRICT)
    assert shown_metrics(at) == report_metrics(report)
    assert metric(at, "border.kpi.pairs") == "72"
    # The joint table lists the pairs with border hotspots.
    names = unit_names(UnitLevel.DISTRICT)
    joint = at.dataframe[0].value
    assert joint[t("border.col.unit_a")].tolist() == report.table["code_a"].map(names).tolist()
    assert joint[t("border.col.hotspots")].tolist() == report.table["hotspots"].tolist()


def test_switching_to_wards_shows_the_ward_pairs(app_env, sample_dataset):
    at = run_districts()
    level = at.radio(key="border_level")
    level.set_value(UnitLevel.WARD).run()
    assert not at.exception
    ward_pairs = len(border.adjacency(UnitLevel.WARD).pairs)
    assert ward_pairs != 72
    assert metric(at, "border.kpi.pairs") == fmt_number(ward_pairs)
    assert shown_metrics(at) == report_metrics(expected_report(sample_dataset, UnitLevel.WARD))


def test_zone_width_changes_the_border_hotspots(app_env, sample_dataset):
    at = run_districts()
    before = metric(at, "kpi.border_hotspots")
    at.slider(key="border_width").set_value(600).run()
    assert not at.exception
    wide = expected_report(sample_dataset, UnitLevel.DISTRICT, width=600)
    assert metric(at, "kpi.border_hotspots") == fmt_number(wide.in_zone["id"].nunique())
    assert metric(at, "kpi.border_hotspots") != before
    assert shown_metrics(at) == report_metrics(wide)


def test_choosing_a_pair_keeps_the_page_working(app_env, sample_dataset):
    at = run_districts()
    report = expected_report(sample_dataset, UnitLevel.DISTRICT)
    picker = at.selectbox(key="border_pair")
    first = report.table.iloc[0]
    # Pairs with border hotspots come first, after the "whole city" choice.
    assert picker.options[1] == f"{first['name_a']} ↔ {first['name_b']}"
    assert len(picker.options) == 1 + len(report.adjacency.pairs)
    choice = f"{first['code_a']}|{first['code_b']}"
    picker.set_value(choice).run()
    assert not at.exception and not at.error
    assert at.selectbox(key="border_pair").value == choice
    assert shown_metrics(at) == report_metrics(report)  # zooming changes no figure


def test_choosing_a_unit_keeps_only_its_pairs(app_env, sample_dataset):
    at = run_districts()
    at.selectbox(key="border_unit_district").set_value("002").run()
    assert not at.exception
    neighbours = border.adjacency(UnitLevel.DISTRICT).neighbours("002")
    assert metric(at, "border.kpi.pairs") == fmt_number(len(neighbours))
    assert shown_metrics(at) == report_metrics(
        expected_report(sample_dataset, UnitLevel.DISTRICT, unit="002")
    )
    pairs = at.selectbox(key="border_pair").options[1:]
    assert len(pairs) == len(neighbours)
    assert all("Quận Hoàn Kiếm" in label for label in pairs)


def test_overview_border_hotspots_metric(app_env, sample_dataset):
    at = run("pages/overview.py")
    f = Filters.for_year(TODAY.year, TODAY)
    view = queries.hotspot_view(sample_dataset, f)
    level = border.level_at(f.as_of)
    assert level == UnitLevel.WARD
    expected = border.zone_hotspots(border.adjacency(level), view, border.DEFAULT_ZONE_M)["id"].nunique()
    assert expected > 0
    assert metric(at, "kpi.border_hotspots") == fmt_number(expected)


# --------------------------------------------------------------------------
# Command line


def hotspots_as_of(ds, as_of: dt.date):
    status = queries.status_as_of(ds.history, as_of)
    return ds.hotspots[ds.hotspots["id"].isin(status.index)]


def test_cli_border_lists_district_pairs_and_their_hotspots(
    monkeypatch, capsys, sample_db_url, sample_dataset
):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["border", "--level", "district", "--json", "--as-of", "20/11/2026"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["level"], out["as_of"], out["buffer_m"]) == ("district", "20/11/2026", 300.0)
    assert len(out["pairs"]) == 72 and out["point_contacts"] == []
    names = unit_names(UnitLevel.DISTRICT)
    adj = border.adjacency(UnitLevel.DISTRICT)
    lengths = {(r.code_a, r.code_b): r.length_m for r in adj.pairs.itertuples(index=False)}
    in_zone = border.zone_hotspots(adj, hotspots_as_of(sample_dataset, TODAY), 300)
    for pair in out["pairs"]:
        a, b = pair["unit_a"], pair["unit_b"]
        assert a["code"] < b["code"]
        assert (a["name"], b["name"]) == (names[a["code"]], names[b["code"]])
        assert pair["shared_length_m"] == pytest.approx(lengths[a["code"], b["code"]], abs=0.05)
        near = in_zone[(in_zone["code_a"] == a["code"]) & (in_zone["code_b"] == b["code"])]
        assert [h["code"] for h in pair["hotspots"]] == near["code"].tolist()
        assert [h["unit"] for h in pair["hotspots"]] == near["side"].tolist()
        assert all(0 <= h["distance_m"] <= 300 for h in pair["hotspots"])
    assert sum(len(p["hotspots"]) for p in out["pairs"]) == len(in_zone) > 0


def test_cli_border_rejects_a_zero_width(monkeypatch, capsys, sample_db_url):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["border", "--level", "district", "--buffer-m", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Độ rộng vùng giáp ranh phải lớn hơn 0 m")
    assert "Traceback" not in err


def test_cli_border_error_prints_the_width_the_vietnamese_way(monkeypatch, capsys, sample_db_url):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["border", "--level", "ward", "--buffer-m", "-2.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Độ rộng vùng giáp ranh phải lớn hơn 0 m")
    assert "-2,5" in err


def test_cli_border_at_ward_level(monkeypatch, capsys, sample_db_url, sample_dataset):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert (
        cli.main(["border", "--level", "ward", "--json", "--as-of", "20/11/2026", "--buffer-m", "200"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    adj = border.adjacency(UnitLevel.WARD)
    assert len(out["pairs"]) == len(adj.pairs) > 72
    assert len(out["pairs"]) + len(out["point_contacts"]) == 347
    in_zone = border.zone_hotspots(adj, hotspots_as_of(sample_dataset, TODAY), 200)
    listed = sorted((p["unit_a"]["code"], p["unit_b"]["code"], h["code"]) for p in out["pairs"]
                    for h in p["hotspots"])  # fmt: skip
    assert listed == sorted(zip(in_zone["code_a"], in_zone["code_b"], in_zone["code"], strict=True))
    assert all(h["distance_m"] <= 200 for p in out["pairs"] for h in p["hotspots"])
