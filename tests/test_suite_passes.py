"""The second pass of scripts/test.sh (HOTSPOT_TEST_STORE_DEPENDENT_ONLY=1) runs again every
test on the suite's stores, fixtures taken through other fixtures included, and only those;
of the browser tests, those that write through the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def collected(env: dict, *files: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT, env=os.environ | env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return {line for line in out.stdout.splitlines() if "::" in line}


def test_the_second_pass_keeps_the_tests_on_the_suites_stores_only():
    files = ("tests/test_task_states.py", "tests/test_snapshots.py", "tests/test_card.py",
             "tests/test_browser.py", "tests/test_browser_edit.py")  # fmt: skip
    every = collected({"HOTSPOT_TEST_STORE_DEPENDENT_ONLY": "0"}, *files)
    again = collected({"HOTSPOT_TEST_STORE_DEPENDENT_ONLY": "1"}, *files)
    assert again < every
    # Pure computations, no store: run once.
    assert not {n for n in again if n.startswith("tests/test_task_states.py")}
    # A test on a copy of the sample store (engine -> store_copy -> sample_db_url): run again.
    assert "tests/test_snapshots.py::test_a_dataset_is_the_store_as_read_directly_and_is_shared" in again
    # A test on PostgreSQL whatever the pass (pg_url only): it ran in the first pass already.
    assert "tests/test_snapshots.py::test_generations_start_empty_and_change_on_postgresql" in every - again
    # Pages under AppTest on the sample store: run again.
    assert any(n.startswith("tests/test_card.py") for n in again)
    # Browser tests run once, but those that write through the app (marked each_store).
    assert any(n.startswith("tests/test_browser.py") for n in every)
    assert not any(n.startswith("tests/test_browser.py") for n in again)
    edits = {n for n in every if n.startswith("tests/test_browser_edit.py")}
    assert edits and edits <= again
