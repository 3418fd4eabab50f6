"""Trình chiếu under AppTest: slide 1, then "Tiếp ▶" to the figures of the view, the public version."""

from __future__ import annotations

import pytest
from pagetest import TODAY, run_page

from dashboard import views
from dashboard.i18n import fmt_number, t

PAGE = "pages/present.py"


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def button(at, key: str):
    (found,) = [b for b in at.button if b.key == key]
    return found


@pytest.fixture(scope="module")
def view(sample_dataset):
    return views.deck(sample_dataset, TODAY.year, today=TODAY)


def test_first_slide_then_next_shows_the_views_figures(app_env, view):
    at = run_page(PAGE)
    assert not at.error
    shown = markdown(at)
    assert "1/8" in shown
    assert t("deck.title", year=TODAY.year) in shown
    assert t("deck.sample_mark") in shown
    assert button(at, "present_prev").disabled

    button(at, "present_next").click().run()
    assert not at.exception
    shown = markdown(at)
    assert "2/8" in shown and t("deck.progress.title", year=TODAY.year) in shown
    k = view.overview.kpis
    label = t("kpi.cleared")
    assert f'<div class="value">{k.cleared}/{k.clear_target}</div><div class="label">{label}' in shown
    assert f'<div class="value">{k.kept_clean}/{k.keep_target}</div>' in shown
    assert f'<div class="value">{fmt_number(k.activities)}</div>' in shown
    assert f'<div class="value">{fmt_number(view.overview.high_risk)}</div>' in shown

    button(at, "present_prev").click().run()
    assert "1/8" in markdown(at)


def test_public_checkbox_hides_names(app_env, view):
    at = run_page(PAGE)
    for _ in range(6):  # to the risk and handover slide
        button(at, "present_next").click().run()
    shown = markdown(at)
    assert "7/8" in shown
    names = [n for n in view.quarterly.handover["name"].head(3)]
    assert names and all(n in shown for n in names)

    (public,) = [c for c in at.checkbox if c.key == "present_public"]
    public.check().run()
    assert not at.exception
    shown = markdown(at)
    assert "7/8" in shown and t("public.label") in shown
    assert not any(n in shown for n in view.quarterly.handover["name"])
    assert all(code in shown for code in view.quarterly.handover["code"].head(3))


def test_year_choice_changes_the_deck(app_env, sample_dataset):
    at = run_page(PAGE)
    (year,) = [s for s in at.selectbox if s.key == "present_year"]
    year.set_value(2020).run()
    button(at, "present_next").click().run()
    k = views.deck(sample_dataset, 2020, today=TODAY).overview.kpis
    assert f'<div class="value">{k.cleared}/13</div>' in markdown(at)
