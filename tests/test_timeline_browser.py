"""The map over time in a real Chromium: it draws offline, the slider and the play
button change the markers' colours and the counts, and never rerun the page."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from browserkit import OUTPUT, TIMEOUT_MS, TODAY, assert_all_local, running_app, wait_map
from playwright.sync_api import Frame, Page, expect

from dashboard import store, timemap
from dashboard.domain import STATUS_COLOURS, Status
from dashboard.i18n import t
from dashboard.scope import Scope

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(sample_db_url, tmp_path_factory):
    with running_app(sample_db_url, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="module")
def payload(sample_dataset) -> dict:
    return timemap.timeline_payload(sample_dataset, TODAY)


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(1500)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / name, full_page=True)


def map_frame(page: Page) -> Frame:
    return next(fr for fr in page.frames if "streamlit_folium" in fr.url)


def state(frame: Frame) -> dict:
    """The control's data attributes (the step shown)."""
    return frame.evaluate("() => Object.assign({}, document.querySelector('.timeline-control').dataset)")


def drawn_colours(frame: Frame) -> dict[str, str]:
    """Fill colour of every marker on the map (code as sent -> colour), as SVG draws it."""
    return frame.evaluate(
        """() => Object.fromEntries(window.map.timeline.markers
                 .filter(m => window.map.hasLayer(m))
                 .map(m => [m.hotspot.code, m._path.getAttribute('fill')]))"""
    )


def expected_colours(payload: dict, step: int) -> dict[str, str]:
    return {code: STATUS_COLOURS[Status(s)] for code, s in timemap.decode_statuses(payload, step).items()}


def expected_counts(payload: dict, step: int) -> dict[str, int]:
    return {s["key"]: n for s, n in zip(payload["statuses"], payload["counts"][step], strict=True)}


def wait_step(frame: Frame, test) -> dict:
    """Poll the control until ``test(state)`` holds."""
    for _ in range(int(TIMEOUT_MS / 100)):
        found = state(frame)
        if test(found):
            return found
        frame.wait_for_timeout(100)
    raise AssertionError(f"the control never reached the expected step: {found}")


def test_the_slider_and_playback_recolour_the_markers(page, app_url, payload):
    last = len(payload["months"]) - 1
    page.goto(f"{app_url}/timeline")
    expect(page.get_by_role("heading", name=t("page.timeline"))).to_be_visible(timeout=TIMEOUT_MS)
    wait_map(page, "path.timeline-unit", len(payload["units"]["features"]))
    wait_map(page, "path.timeline-marker", len(timemap.decode_statuses(payload, last)))
    frame = map_frame(page)
    frame.evaluate("() => { window.notRerun = true; }")  # gone if Streamlit rebuilds the map

    # It opens on the as-of month: every hotspot in its status of today.
    now = state(frame)
    assert now["step"] == str(last) and now["month"] == TODAY.strftime("%m/%Y")
    assert json.loads(now["counts"]) == expected_counts(payload, last)
    assert drawn_colours(frame) == expected_colours(payload, last)
    control = frame.locator(".timeline-control")
    expect(control.locator(".tl-month")).to_have_text(
        t("timeline.month_to", month=TODAY.strftime("%m/%Y"), date=TODAY.strftime("%d/%m/%Y"))
    )
    shot(page, "timeline.png")

    # Back to the first month: fewer hotspots known, other colours and counts.
    control.locator(".tl-range").fill("0")
    first = wait_step(frame, lambda s: s["step"] == "0")
    assert first["month"] == payload["months"][0] == "01/2019"
    assert json.loads(first["counts"]) == expected_counts(payload, 0) != expected_counts(payload, last)
    wait_map(page, "path.timeline-marker", len(timemap.decode_statuses(payload, 0)))
    assert drawn_colours(frame) == expected_colours(payload, 0)
    assert int(first["targets"]) == len(timemap.decode_targets(payload, 0)) > 0
    expect(control.locator(".tl-month")).to_have_text(t("timeline.month", month="01/2019"))

    # One step forward by the button.
    control.locator(".tl-forward").click()
    wait_step(frame, lambda s: s["step"] == "1")
    assert drawn_colours(frame) == expected_colours(payload, 1)

    # Play: a month about every 600 ms, the colours follow; pause holds the step.
    control.locator(".tl-play").click()
    playing = wait_step(frame, lambda s: s["playing"] == "true" and int(s["step"]) >= 6)
    control.locator(".tl-play").click()
    held = wait_step(frame, lambda s: s["playing"] == "false")
    assert int(held["step"]) >= int(playing["step"])
    step = int(held["step"])
    page.wait_for_timeout(1500)
    assert state(frame)["step"] == str(step)
    assert drawn_colours(frame) == expected_colours(payload, step)
    assert json.loads(state(frame)["counts"]) == expected_counts(payload, step)
    expect(control.locator(".tl-play")).to_have_text(t("timeline.play"))
    shot(page, "timeline-playing.png")

    # Played to the end, playback stops on the as-of month.
    control.locator(".tl-range").fill(str(last - 3))
    control.locator(".tl-play").click()
    wait_step(frame, lambda s: s["step"] == str(last) and s["playing"] == "false")
    assert drawn_colours(frame) == expected_colours(payload, last)

    # Nothing of this reran the page (the map's frame is the same), nothing left the machine.
    assert frame.evaluate("() => window.notRerun === true")
    assert_all_local(page.requested)


def test_a_tooltip_names_the_hotspot_and_its_status_at_the_step(page, app_url, payload):
    page.goto(f"{app_url}/timeline")
    last = len(payload["months"]) - 1
    wait_map(page, "path.timeline-marker", len(timemap.decode_statuses(payload, last)))
    frame = map_frame(page)
    frame.locator(".tl-range").fill("0")
    wait_step(frame, lambda s: s["step"] == "0")
    code, status = next(iter(timemap.decode_statuses(payload, 0).items()))
    name = payload["hotspots"]["name"][payload["hotspots"]["code"].index(code)]
    text = frame.evaluate(
        """(code) => { const m = window.map.timeline.markers.find(x => x.hotspot.code === code);
                       m.openTooltip(); return m.getTooltip().getElement().textContent; }""",
        code,
    )
    assert f"{code} · {name}" in text
    assert f"{t('map.tooltip.status')}: {t(f'status.{status}')}" in text
    assert_all_local(page.requested)


HOSTILE = ["<img src=x onerror=alert(1)>", "${alert(2)}", "`;alert(3);`"]


def test_hostile_names_show_as_text_and_never_run(page, store_copy, tmp_path):
    engine = store.open_store(store_copy)
    spots = store.read_hotspots(engine, Scope.city()).sort_values("code")
    renamed = dict(zip(spots["code"][:3], HOSTILE, strict=True))
    with engine.begin() as conn:
        for code, name in renamed.items():
            conn.execute(sa.update(store.hotspot).where(store.hotspot.c.code == code).values(name=name))
    engine.dispose()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with running_app(store_copy, tmp_path) as url:
        page.goto(f"{url}/timeline")
        wait_map(page, "path.timeline-marker", len(spots))
        frame = map_frame(page)
        texts = frame.evaluate(
            """(codes) => codes.map(code => {
                   const m = window.map.timeline.markers.find(x => x.hotspot.code === code);
                   m.openTooltip(); const text = m.getTooltip().getElement().textContent;
                   m.closeTooltip(); return text; })""",
            list(renamed),
        )
        for (code, name), text in zip(renamed.items(), texts, strict=True):
            assert text.startswith(f"{code} · {name}"), text
        assert frame.locator(".leaflet-tooltip img").count() == 0
        frame.locator(".tl-range").fill("0")
        page.wait_for_timeout(500)
    assert not dialogs
    assert_all_local(page.requested)
