"""Moving a hotspot by clicking the map, in a real Chromium: the click fills
the coordinates, saving moves the hotspot, and nothing leaves the machine."""

from __future__ import annotations

import pytest
from browserkit import TIMEOUT_MS, assert_all_local, running_app, wait_map
from pagetest import ADMIN
from playwright.sync_api import expect

from dashboard import store
from dashboard.geo import unit_names
from dashboard.i18n import t
from dashboard.scope import Scope

pytestmark = [pytest.mark.browser, pytest.mark.each_store]  # writes: on both stores


def test_clicking_the_map_moves_a_hotspot(page, store_copy, tmp_path):
    engine = store.open_store(store_copy)
    spots = store.read_hotspots(engine, Scope.city())
    with running_app(store_copy, tmp_path) as url:
        page.goto(url)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.edit")).click()
        expect(page.get_by_text(t("edit.move_hint"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        lat_box = page.locator(".st-key-move_lat input")
        lon_box = page.locator(".st-key-move_lon input")
        # The picker starts on the first hotspot of the list (waited for: the form may still be drawing).
        first = spots.iloc[0]
        expect(lat_box).to_have_value(f"{first['lat']:.6f}", timeout=TIMEOUT_MS)
        expect(lon_box).to_have_value(f"{first['lon']:.6f}", timeout=TIMEOUT_MS)
        start = (float(lat_box.input_value()), float(lon_box.input_value()))
        chosen = spots[(spots["lat"].round(6) == start[0]) & (spots["lon"].round(6) == start[1])]
        assert len(chosen) == 1
        code = chosen["code"].iloc[0]
        wait_map(page, "path.move-current", 1)
        wait_map(page, "path.move-chosen", 0)

        frame = page.frame_locator("iframe[src*='streamlit_folium']")
        box = frame.locator(".leaflet-container").bounding_box()
        frame.locator(".leaflet-container").click(
            position={"x": box["width"] / 2 + 60, "y": box["height"] / 2 + 40}
        )
        expect(lat_box).not_to_have_value(f"{start[0]:.6f}", timeout=TIMEOUT_MS)
        clicked = (float(lat_box.input_value()), float(lon_box.input_value()))
        assert clicked != start
        wait_map(page, "path.move-chosen", 1)

        page.locator(".st-key-move_reason textarea").fill("Khảo sát lại vị trí")
        page.get_by_role("button", name=t("edit.save_move"), exact=True).click()
        expect(page.get_by_text(t("edit.moved", ward="", district="")[:20])).to_be_visible(timeout=TIMEOUT_MS)
        assert_all_local(page.requested)

    moved = store.read_hotspots(engine, Scope.city()).set_index("code").loc[code]
    log = store.read_audit(engine, Scope.city())
    engine.dispose()
    assert (round(moved["lat"], 6), round(moved["lon"], 6)) == clicked
    assert moved["ward_code"] in unit_names("ward")
    entry = log[(log["action"] == "hotspot_move") & (log["entity_code"] == code)]
    assert entry["summary"].tolist() == [f"Khảo sát lại vị trí [{ADMIN}]"]  # with the account that moved it


def test_two_officers_at_once_the_second_save_is_refused_with_the_current_values(page, store_copy, tmp_path):
    """The first hotspot is open on the edit page while another officer moves
    it elsewhere: saving a move from the page writes nothing and says what the
    hotspot holds now."""
    from browserkit import OUTPUT

    from dashboard import editing

    engine = store.open_store(store_copy)
    first = store.read_hotspots(engine, Scope.city()).iloc[0]
    with running_app(store_copy, tmp_path) as url:
        page.goto(url)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.edit")).click()
        expect(page.get_by_text(t("edit.move_hint"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        # Meanwhile, elsewhere: another officer moves the same hotspot.
        other = editing.actor_choices()[0]
        editing.move_hotspot(engine, int(first["id"]), 21.0287, 105.8524, "Đo lại", other)
        page.locator(".st-key-move_reason textarea").fill("Khảo sát lại vị trí")
        page.locator(".st-key-move_lat input").fill("21.030000")
        page.get_by_role("button", name=t("edit.save_move"), exact=True).click()
        alert = page.get_by_test_id("stAlertContentError").filter(has_text=str(first["code"]))
        expect(alert).to_be_visible(timeout=TIMEOUT_MS)
        assert "21,028700, 105,852400" in alert.text_content()
        expect(page.get_by_test_id("stToast")).to_contain_text(t("err.stale_edit_toast")[:20])
        OUTPUT.mkdir(parents=True, exist_ok=True)
        alert.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / "edit-stale.png"))
    now = store.read_hotspots(engine, Scope.city()).set_index("id").loc[int(first["id"])]
    engine.dispose()
    # The other officer's move stands.
    assert (round(now["lat"], 6), round(now["lon"], 6)) == (21.0287, 105.8524)
