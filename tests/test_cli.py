"""``python -m dashboard``: seed-demo and summary."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from dashboard import cli, queries, store
from dashboard.filters import Filters
from dashboard.i18n import parse_date
from dashboard.scope import Scope

ROOT = Path(__file__).resolve().parent.parent


def test_summary_json_matches_the_overview_kpis(monkeypatch, capsys, sample_db_url, sample_dataset):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["summary", "--plan-year", "2020", "--as-of", "30/06/2020", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    k = queries.plan_kpis(sample_dataset, Filters.for_year(2020, parse_date("30/06/2020")))
    assert printed["plan_year"] == 2020
    assert printed["as_of"] == "30/06/2020"
    assert printed["plan_document"] == "16/KH-UBND"
    assert printed["clear"] == {"done": k.cleared, "target": 13}
    assert printed["keep_clean"] == {"done": k.kept_clean, "target": 6}
    assert printed["reemerged"] == k.reemerged
    assert printed["activities"] == k.activities
    assert printed["sample_data"] is True


def test_summary_writes_targets_over_a_thousand_as_the_pages_do(monkeypatch, capsys, sample_db_url):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    real = queries.plan_kpis
    monkeypatch.setattr(
        queries, "plan_kpis",
        lambda ds, f: dataclasses.replace(real(ds, f), cleared=918, clear_target=1595, kept_clean=1455,
                                          keep_target=2078),
    )  # fmt: skip
    assert cli.main(["summary", "--plan-year", "2020", "--as-of", "30/06/2020"]) == 0
    printed = capsys.readouterr().out
    assert "918/1.595" in printed and "1.455/2.078" in printed


def test_summary_rejects_unknown_year_and_bad_date(monkeypatch, capsys, sample_db_url):
    monkeypatch.setenv("DATABASE_URL", sample_db_url)
    assert cli.main(["summary", "--plan-year", "1999"]) == 2
    assert "1999" in capsys.readouterr().err
    assert cli.main(["summary", "--plan-year", "2020", "--as-of", "31/02/2020"]) == 2
    assert "31/02/2020" in capsys.readouterr().err


def test_seed_demo_rebuilds_the_sample_store(new_store_url):
    url = new_store_url()
    env = os.environ | {"DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "seed-demo", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    counts = json.loads(done.stdout)
    engine = store.open_store(url)
    assert len(store.read_hotspots(engine, Scope.city())) == counts["hotspots"]
    assert len(store.read_activities(engine, Scope.city())) == counts["activities"]
    again = subprocess.run(
        [sys.executable, "-m", "dashboard", "seed-demo", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(again.stdout) == counts
    assert len(store.read_hotspots(engine, Scope.city())) == counts["hotspots"]
