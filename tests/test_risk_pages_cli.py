"""The risk page, the risk figures on the overview and border pages under
AppTest, and the ``risk`` and ``risk-backtest`` commands."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest
from pagetest import ROOT, TODAY, metric, run_page
from streamlit.testing.v1 import AppTest

from dashboard import border, cli, queries, risk, store, survival
from dashboard.domain import HotspotKind, UnitLevel
from dashboard.filters import Filters
from dashboard.i18n import fmt_number, t

PAGE = "pages/risk.py"


@pytest.fixture(scope="module")
def scores(sample_dataset):
    return risk.score(sample_dataset, TODAY)


@pytest.fixture(scope="module")
def sample_backtest(sample_dataset) -> risk.Backtest:
    return risk.backtest(sample_dataset)


def run(page: str = PAGE) -> AppTest:
    return run_page(page)


def count(scores, score_type: str, level: str, ids=None) -> int:
    chosen = (scores["score_type"] == score_type) & (scores["level"] == level)
    if ids is not None:
        chosen &= scores["id"].isin(ids)
    return int(chosen.sum())


def logrank_captions(at: AppTest) -> list[str]:
    prefix = t("risk.logrank", p="")
    return [c.value for c in at.caption if c.value.startswith(prefix)]


def chart_keys(at: AppTest) -> list[str]:
    return [chart.proto.id.rsplit("-", 1)[-1] for chart in at.get("plotly_chart")]


def chart_spec(at: AppTest, key: str) -> dict:
    (chart,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    return json.loads(chart.proto.spec)


def values(array) -> list[float]:
    """Plotly JSON arrays: plain lists or base64 typed arrays."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def hand_made_store(url: str, spots: dict, patrols: list[tuple[str, dt.date]]) -> str:
    """Fill the empty store at ``url`` with ``spots`` (code -> [(date, status), ...]) 3 km
    apart in Quận Long Biên, with patrols (code, date); returns its URL."""
    engine = store.open_store(url)
    with engine.begin() as conn:
        rows = [
            {"code": code, "name": f"Điểm {code}", "kind": "public_area", "lat": 21.04 - 0.027 * i,
             "lon": 105.89, "status": history[0][1]}
            for i, (code, history) in enumerate(spots.items())
        ]  # fmt: skip
        ids = dict(zip(spots, store.add_hotspots(conn, rows), strict=True))
        for code, history in spots.items():
            for date, status in history:
                store.record_status(conn, ids[code], date, status)
        store.add_activities(conn, [{"date": d, "hotspot_id": ids[c], "kind": "patrol"} for c, d in patrols])
    engine.dispose()
    return url


@pytest.fixture
def hand_env(monkeypatch, new_store_url):
    """Point the app at a hand-made store: call the result with its content."""
    monkeypatch.setenv("HOTSPOT_TODAY", TODAY.strftime("%d/%m/%Y"))
    monkeypatch.setenv("HOTSPOT_TILES", "none")
    monkeypatch.chdir(ROOT)

    def use(spots: dict, patrols=()) -> None:
        monkeypatch.setenv("DATABASE_URL", hand_made_store(new_store_url("hand"), spots, list(patrols)))

    return use


#: A new store: one open hotspot, nothing ever cleared.
NOTHING_CLEARED = {"MOI-1": [(dt.date(2026, 1, 5), "active")]}
#: Two places cleared in 2019 that never came back: every backtest label is false.
NEVER_BACK = {
    "SACH-1": [(dt.date(2019, 1, 1), "active"), (dt.date(2019, 6, 1), "cleared")],
    "SACH-2": [
        (dt.date(2019, 1, 1), "active"),
        (dt.date(2019, 6, 1), "cleared"),
        (dt.date(2024, 6, 1), "handed_over"),
    ],
}


# --------------------------------------------------------------------------
# Pages


def test_risk_page_shows_the_scores_of_the_sample(app_env, scores, sample_backtest):
    at = run()
    assert not at.error
    assert at.title[0].value == t("risk.heading")
    assert count(scores, "risk", "high") > 0
    assert metric(at, "kpi.high_risk") == fmt_number(count(scores, "risk", "high"))
    assert metric(at, "risk.kpi.medium") == fmt_number(count(scores, "risk", "medium"))
    assert metric(at, "risk.kpi.persistent") == fmt_number(count(scores, "persistence", "high"))
    assert metric(at, "risk.kpi.auc") == fmt_number(sample_backtest.overall["model"]["auc"], 2)
    table = at.dataframe[0].value
    assert table[t("table.code")].tolist() == scores["code"].tolist()
    assert table[t("risk.score")].tolist() == scores["score"].tolist()
    assert chart_keys(at) == ["risk_breakdown_chart", "risk_survival_chart", "risk_emerging_chart",
                              "risk_backtest_chart"]  # fmt: skip
    backtest = chart_spec(at, "risk_backtest_chart")["data"]
    per = sample_backtest.per_cutoff.dropna(subset=["auc_model"])
    assert values(backtest[0]["y"]) == pytest.approx(per["auc_model"].tolist())
    assert not logrank_captions(at)


def test_survival_grouping_shows_a_logrank_test(app_env, sample_dataset):
    at = run()
    eps = survival.episodes(sample_dataset, TODAY)
    for by in ("border", "kind"):
        at.radio(key="risk_survival_by").set_value(by).run()
        assert not at.exception, at.exception
        p = survival.group_test(eps, by)[1]
        assert logrank_captions(at) == [t("risk.logrank", p=fmt_number(p, 3))]
        curves = chart_spec(at, "risk_survival_chart")["data"]
        assert len([c for c in curves if c.get("showlegend") is not False]) == 2
    at.radio(key="risk_survival_by").set_value("all").run()
    assert not logrank_captions(at)


def test_risk_page_follows_the_kind_filter(app_env, scores):
    at = run()
    at.sidebar.multiselect[1].set_value([HotspotKind.PUBLIC_AREA]).run()
    assert not at.exception, at.exception
    public = scores[scores["kind"] == HotspotKind.PUBLIC_AREA]
    assert 0 < len(public) < len(scores)
    assert metric(at, "kpi.high_risk") == fmt_number(count(public, "risk", "high"))
    assert at.dataframe[0].value[t("table.code")].tolist() == public["code"].tolist()


def test_overview_counts_high_risk_places(app_env, sample_dataset, scores):
    at = run("pages/overview.py")
    view = queries.hotspot_view(sample_dataset, Filters.for_year(TODAY.year, TODAY))
    assert metric(at, "kpi.high_risk") == fmt_number(count(scores, "risk", "high", view["id"]))
    assert count(scores, "risk", "high", view["id"]) > 0


def test_border_page_adds_the_risk_chart(app_env, sample_dataset, scores):
    at = run("pages/border.py")
    assert chart_keys(at)[-2:] == ["border_ranking_chart", "border_risk_chart"]
    assert len(at.get("plotly_chart")) == 4
    spec = chart_spec(at, "border_risk_chart")
    assert spec["layout"]["title"]["text"] == t("chart.risk_border")
    # Groups follow the page's border zones (the level in force today — wards —, 300 m by default).
    f = Filters.for_year(TODAY.year, TODAY)
    view = queries.hotspot_view(sample_dataset, f)
    acts = queries.activities_view(sample_dataset, f, view)
    report = border.border_report(UnitLevel.WARD, view, acts, sample_dataset.activities, TODAY)
    shown = scores[(scores["score_type"] == "risk") & scores["id"].isin(view["id"])]
    inside = shown["id"].isin(report.in_zone["id"])
    boxes = {trace["name"]: sorted(values(trace["y"])) for trace in spec["data"]}
    assert boxes == {
        t("risk.border_group"): sorted(shown.loc[inside, "score"]),
        t("risk.interior_group"): sorted(shown.loc[~inside, "score"]),
    }


def test_risk_page_on_a_store_with_nothing_cleared_yet(hand_env):
    """Only open hotspots: persistence scores, an empty backtest, no crash."""
    hand_env(NOTHING_CLEARED, [("MOI-1", dt.date(2026, 2, 1))])
    at = run()
    assert not at.error
    assert metric(at, "kpi.high_risk") == "0"
    assert at.dataframe[0].value[t("table.code")].tolist() == ["MOI-1"]


def test_risk_page_on_a_store_without_activities(hand_env):
    """Statuses recorded but no activity yet: the emerging hot spot part has
    nothing to count, the rest of the page still shows."""
    hand_env({"MO": [(dt.date(2019, 6, 1), "active")], "SACH": [(dt.date(2019, 6, 1), "cleared")]})
    at = run()
    assert not at.error
    assert at.dataframe[0].value[t("table.code")].tolist() == ["MO", "SACH"]


def test_risk_page_when_nothing_ever_reemerged(hand_env):
    """The backtest has cutoffs but no AUC (one class only): nothing shows "nan"."""
    hand_env(NEVER_BACK, [("SACH-1", dt.date(2026, 2, 1))])
    at = run()
    assert not at.error
    assert metric(at, "risk.bt.cutoffs") != "0"
    shown = {m.label: m.value for m in at.metric}
    assert not [label for label, value in shown.items() if "nan" in str(value).lower()], shown


# --------------------------------------------------------------------------
# Command line


def test_risk_command_lists_every_scored_hotspot(monkeypatch, capsys, sample_db_url, scores):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["risk", "--json", "--as-of", "20/11/2026"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["as_of"] == "20/11/2026"
    rows = printed["hotspots"]
    assert [r["code"] for r in rows] == scores["code"].tolist()
    assert [r["score"] for r in rows] == scores["score"].tolist()
    assert [r["level"] for r in rows] == scores["level"].tolist()
    for r in rows:
        total = sum(r["contributions"].values())
        assert r["score"] == pytest.approx(min(100.0, total), abs=0.2), r["code"]
        assert set(r["contributions"]) <= set(risk.FACTORS)
        if r["score_type"] == "risk":
            assert "duration" not in r["contributions"]
        else:
            assert not {"recency", "activity_drop"} & set(r["contributions"])
    by_code = {r["code"]: r for r in rows}
    top = scores.iloc[0]
    assert by_code[top["code"]]["factors"]["violations_nearby"] == top["violations_nearby"]
    assert by_code[top["code"]]["factors"]["in_border_zone"] == bool(top["in_border_zone"])


def test_risk_command_text_output(monkeypatch, capsys, sample_db_url, scores):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["risk", "--as-of", "20/11/2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(scores)
    top = scores.iloc[0]
    assert lines[0].split()[:2] == [top["code"], fmt_number(top["score"], 1)]


def test_risk_backtest_command_matches_the_backtest(monkeypatch, capsys, sample_db_url, sample_backtest):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["risk-backtest", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    overall = printed["overall"]
    assert overall["model"]["auc"] > overall["baseline"]["auc"]
    assert overall == sample_backtest.overall
    per = sample_backtest.per_cutoff
    assert [c["cutoff"] for c in printed["cutoffs"]] == [c.strftime("%d/%m/%Y") for c in per["cutoff"]]
    assert [c["model"]["top20_hits"] for c in printed["cutoffs"]] == per["hits_model"].tolist()
    assert [c["candidates"] for c in printed["cutoffs"]] == per["candidates"].tolist()


def test_risk_backtest_rejects_a_horizon_of_zero_days(monkeypatch, capsys, sample_db_url):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["risk-backtest", "--horizon-days", "0"]) == 2
    assert capsys.readouterr().err.strip() == f"Lỗi: {t('err.horizon', value=0)}"


def test_risk_commands_on_a_store_with_nothing_cleared_yet(hand_env, capsys):
    hand_env(NOTHING_CLEARED)
    assert cli.main(["risk", "--json", "--as-of", "20/11/2026"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["hotspots"]
    assert (row["code"], row["score_type"]) == ("MOI-1", "persistence")
    assert cli.main(["risk-backtest", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["overall"]["cutoffs"] == 0 and printed["cutoffs"] == []
    assert cli.main(["risk-backtest"]) == 0
    assert capsys.readouterr().out.startswith(t("risk.bt.cutoffs"))


def test_risk_backtest_json_is_valid_when_nothing_ever_reemerged(hand_env, capsys):
    hand_env(NEVER_BACK)
    assert cli.main(["risk-backtest", "--json"]) == 0

    def reject(constant):
        raise ValueError(f"{constant} is not JSON")

    printed = json.loads(capsys.readouterr().out, parse_constant=reject)
    assert printed["overall"]["cutoffs"] > 0 and printed["overall"]["reemerged"] == 0
    assert printed["overall"]["model"]["auc"] is None
    assert all(c["model"]["auc"] is None for c in printed["cutoffs"])
