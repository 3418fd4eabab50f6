"""Shared by the benchmark scripts: the repo on sys.path, a sample store, verdicts."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.queries import Dataset, load_dataset  # noqa: E402
from dashboard.sample import load_sample  # noqa: E402
from dashboard.scope import Scope  # noqa: E402
from dashboard.store import open_store  # noqa: E402


def sample_store(workdir: Path) -> tuple[str, Dataset]:
    """A fresh SQLite store of the sample data in ``workdir``: its URL and dataset."""
    url = f"sqlite:///{Path(workdir) / 'bench.sqlite'}"
    engine = open_store(url)
    try:
        load_sample(engine)
        return url, load_dataset(engine, Scope.city())
    finally:
        engine.dispose()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def failed_targets(r: dict) -> list[str]:
    """Names of the targets in ``r["targets"]`` (each with a "pass" flag) that failed."""
    return [name for name, target in r["targets"].items() if not target["pass"]]
