"""Hostile names in a real Chromium: hotspots named ``<img src=x onerror=…>``
and ``${alert(2)}``, and an uploaded file with such rows, show as text on the
overview map, the area page (map and table) and the import preview map, and
no script of theirs runs (no dialog opens).

The server runs on a writable copy of the sample store, as in
test_browser_import.py.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from browserkit import TIMEOUT_MS, assert_all_local, running_app, wait_map
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, expect

from dashboard import store
from dashboard.encode import map_text
from dashboard.i18n import t
from dashboard.scope import Scope

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
TEMPLATE = "${alert(2)}"
BACKTICK = "`;alert(3);`"
NAMES = [IMG, TEMPLATE]
#: Rows of an uploaded file whose names would break out of a tooltip's template literal.
CSV = (
    "\n".join(
        [
            "Mã tụ điểm,Tên tụ điểm,Loại tụ điểm,Trạng thái,Ngày xác định trạng thái,"
            "Vĩ độ (WGS84),Kinh độ (WGS84)",
            "XS-001,Điểm ${alert(7)},Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,21.0287,105.8524",
            f'XS-002,"{IMG}",Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,21.0560,105.8190',
            f"XS-003,{BACKTICK},Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,21.0010,105.8000",
        ]
    )
    + "\n"
).encode("utf-8")
FILE_NAMES = ["Điểm ${alert(7)}", IMG, BACKTICK]

#: Marks the Leaflet markers (in the map's frame) whose tooltip field ``name``
#: is the given encoded text, brings them to the front, and counts them (the
#: tooltip is bound to their GeoJSON layer).
MARK = """([name, mark]) => {
    let n = 0;
    window.map.eachLayer(layer => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.name === name && layer._path) {
            layer._path.classList.add(mark);
            if (layer.bringToFront) layer.bringToFront();
            n += 1;
        }
    });
    return n;
}"""


@pytest.fixture
def hostile_store(store_copy):
    """The sample store with the hotspots of the busiest ward renamed to the
    hostile names (so the area page, which opens on that ward, lists them)."""
    engine = store.open_store(store_copy)
    spots = store.read_hotspots(engine, Scope.city())
    ward = spots["ward_code"].value_counts().index[0]
    ids = spots.loc[spots["ward_code"] == ward, "id"].astype(int).tolist()
    assert len(ids) >= 2
    with engine.begin() as conn:
        for i, hotspot_id in enumerate(ids):
            conn.execute(
                sa.update(store.hotspot).where(store.hotspot.c.id == hotspot_id).values(name=NAMES[i % 2])
            )
    engine.dispose()
    return store_copy


def record_dialogs(page: Page) -> list[str]:
    """Every alert/confirm/prompt the page (or one of its frames) opens, dismissed."""
    opened: list[str] = []

    def on_dialog(dialog):
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def map_frame(page: Page, selector: str) -> Frame:
    """The folium frame on the page once its map draws ``selector`` (each page
    tested has one map; Streamlit may replace the frame on a rerun)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" not in frame.url or frame.is_detached():
                continue
            try:
                if frame.evaluate("s => !!window.map && document.querySelectorAll(s).length > 0", selector):
                    return frame
            except PlaywrightError:  # detached or not loaded yet
                continue
        page.wait_for_timeout(250)
    raise AssertionError(f"no map frame draws {selector}")


#: Open the tooltip of every map layer drawn as an element matching a selector; their texts.
OPEN_TOOLTIPS = """(selector) => {
    const texts = [];
    window.map.eachLayer(layer => {
        const path = layer._path;
        if (!path || !path.matches(selector) || !layer.getTooltip || !layer.getTooltip()) return;
        layer.openTooltip();
        const element = layer.getTooltip().getElement();
        if (element) texts.push(element.textContent);
        layer.closeTooltip();
    });
    return texts;
}"""


#: Open, through Leaflet, the tooltip of every marker matching a selector whose
#: tooltip is bound to its GeoJSON layer (a mouseover that propagates to it, as a
#: pointer's would); their texts.
OPEN_BOUND_TOOLTIPS = """(selector) => {
    const texts = [];
    window.map.eachLayer(layer => {
        const path = layer._path;
        if (!path || !path.matches(selector)) return;
        const latlng = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
        layer.fire('mouseover', {latlng: latlng}, true);
        document.querySelectorAll('.leaflet-tooltip').forEach(e => texts.push(e.textContent));
        layer.fire('mouseout', {latlng: latlng}, true);
    });
    return texts;
}"""


def tooltips_named(page: Page, name: str) -> list[str]:
    """The tooltip texts of the hotspots named ``name`` on the page's map,
    opened through Leaflet (a pointer hover can land on a neighbouring marker
    or on the unit under it, so the test opens each marker's own tooltip)."""
    frame = map_frame(page, "path.hotspot-marker")
    mark = f"xss-{NAMES.index(name)}"
    assert frame.evaluate(MARK, [map_text(name), mark]) >= 1
    texts = frame.evaluate(OPEN_BOUND_TOOLTIPS, f"path.{mark}")
    assert texts, f"no tooltip opened for {name!r}"
    return texts


def test_hostile_names_show_as_text_and_never_run(page, hostile_store, tmp_path):
    dialogs = record_dialogs(page)
    with running_app(hostile_store, tmp_path) as url:
        # The overview's city map: the hotspot tooltips show the names as typed.
        page.goto(url)
        for name in NAMES:
            texts = tooltips_named(page, name)
            assert all(name in text and t("map.tooltip.name") in text for text in texts), texts

        # The area page opens on the busiest ward: its map and its table.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.area")).click()
        expect(page.get_by_role("heading", name=t("area.heading"), level=1)).to_be_visible(timeout=TIMEOUT_MS)
        for name in NAMES:
            texts = tooltips_named(page, name)
            assert all(name in text and t("map.tooltip.name") in text for text in texts), texts
        cells = page.get_by_test_id("stDataFrame").last.locator("[role=gridcell]")
        for name in NAMES:
            expect(cells.filter(has_text=name).first).to_be_attached(timeout=TIMEOUT_MS)
            assert name in cells.filter(has_text=name).first.text_content()

        # The import preview: every row's tooltip shows its name as typed.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.import")).click()
        expect(page.get_by_role("heading", name=t("import.heading"), level=1)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        page.locator(".st-key-import_file input[type='file']").set_input_files(
            files=[{"name": "tu-diem-${alert(8)}.csv", "mimeType": "text/csv", "buffer": CSV}]
        )
        wait_map(page, "path.preview-new", 3)
        frame = map_frame(page, "path.preview-new")
        # The three preview markers lie close together, so a pointer hover can land on the wrong
        # one: open each marker's own tooltip through Leaflet instead (the same tooltip code).
        texts = frame.evaluate(OPEN_TOOLTIPS, "path.preview-new")
        assert len(texts) == 3, texts
        for name in FILE_NAMES:
            assert any(name in text for text in texts), (name, texts)
        page.wait_for_timeout(1000)
        assert_all_local(page.requested)
    assert dialogs == []
