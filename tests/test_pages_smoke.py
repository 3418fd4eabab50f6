"""Every page of the app's navigation runs on the sample data with no exception and no error.

The pages only render view objects (dashboard/views.py), so one parametrised
test covers them all; the per-page tests check what each shows.
"""

from __future__ import annotations

import ast

import pytest
from pagetest import ROOT, run_page

from dashboard.i18n import t


def navigation_pages() -> list[str]:
    """The page files app.py registers, in its order (read from its source)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", None) == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    return pages


PAGES = navigation_pages()


def test_the_navigation_lists_every_page_file():
    on_disk = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert sorted(PAGES) == on_disk
    assert {"pages/reports.py", "pages/notes.py", "pages/present.py"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_sample_data(app_env, page):
    at = run_page(page)
    assert not at.error, [e.value for e in at.error]
    # The sample-data banner is on every page while sample data is loaded.
    assert any(w.value == t("app.sample_banner") for w in at.warning)
