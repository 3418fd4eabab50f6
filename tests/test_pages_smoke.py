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
    """The page files app.py lists, in its order (read from its source: the first
    string of each ``("pages/….py", title)`` pair of its ``PAGES``)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    (pages,) = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(n, "id", None) == "PAGES" for n in node.targets)
    ]
    return [pair.elts[0].value for pair in pages.elts]


PAGES = navigation_pages()


def test_the_navigation_lists_every_page_file():
    on_disk = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert sorted(PAGES) == on_disk
    assert {"pages/reports.py", "pages/notes.py", "pages/present.py", "pages/accounts.py"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_the_sample_data(app_env, page):
    at = run_page(page)
    assert not at.error, [e.value for e in at.error]
    # The sample-data banner is on every page while sample data is loaded.
    assert any(w.value == t("app.sample_banner") for w in at.warning)


def test_every_page_is_in_exactly_one_menu_section():
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    (sections,) = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(n, "id", None) == "SECTIONS" for n in node.targets)
    ]
    listed = [name.value for group in sections.values for name in group.elts]
    assert sorted(listed) == sorted(p.removeprefix("pages/") for p in PAGES)
    for key in sections.keys:
        assert t(key.value)
