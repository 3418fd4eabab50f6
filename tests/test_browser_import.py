"""The import page end to end in a real Chromium: upload a CSV, read the dry
run (metrics, problems, preview map), write it, and nothing leaves the machine.

The server runs on a writable copy of the sample store. Chromium comes from
Debian (``/usr/bin/chromium``, or ``CHROMIUM_PATH``), as in test_browser.py.
"""

from __future__ import annotations

import pytest
from browserkit import OUTPUT, TIMEOUT_MS, assert_all_local, running_app, wait_map
from playwright.sync_api import Page, expect

from dashboard import store
from dashboard.i18n import t
from dashboard.scope import Scope

pytestmark = [pytest.mark.browser, pytest.mark.each_store]  # writes: on both stores

FILE_NAME = "tu-diem-trinh-duyet.csv"
#: Two new hotspots inside Hà Nội (Hoàn Kiếm lake, West Lake) and one row in
#: Hải Phòng, which the dry run rejects.
CSV = (
    "\n".join(
        [
            "Mã tụ điểm,Tên tụ điểm,Loại tụ điểm,Trạng thái,Ngày xác định trạng thái,"
            "Vĩ độ (WGS84),Kinh độ (WGS84)",
            "BR-001,Điểm trình duyệt Hồ Gươm,Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,"
            "21.0287,105.8524",
            "BR-002,Điểm trình duyệt Hồ Tây,Cơ sở kinh doanh dịch vụ,Phức tạp (đang hoạt động),05/03/2026,"
            "21.0560,105.8190",
            "BR-003,Điểm trình duyệt Hải Phòng,Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,"
            "20.8449,106.6881",
        ]
    )
    + "\n"
).encode("utf-8")
OUTSIDE_MESSAGE = (
    "Điểm (20.844900, 106.688100) nằm ngoài Hà Nội. Kiểm tra số liệu và hệ toạ độ "
    "(WGS84 / VN-2000 TM-3 105°00' / UTM 48N)."
)


def expect_metric(page: Page, key: str, value: str) -> None:
    """The metric labelled with catalogue text ``key`` shows ``value``."""
    label = page.get_by_test_id("stMetricLabel").get_by_text(t(key), exact=True)
    card = page.get_by_test_id("stMetric").filter(has=label)
    expect(card.get_by_test_id("stMetricValue")).to_have_text(value, timeout=TIMEOUT_MS)


def grid_rows(page: Page, index: int) -> list[list[str]]:
    """The cells of the ``index``-th table on the page, row by row (from the
    grid's accessible table; the grid itself is drawn on a canvas)."""
    grid = page.get_by_test_id("stDataFrame").nth(index)
    return [[cell.inner_text() for cell in row.locator("[role=gridcell]").all()]
            for row in grid.locator("[role=row]").all()]  # fmt: skip


def test_import_page_uploads_previews_and_writes(page, store_copy, tmp_path):
    engine = store.open_store(store_copy)
    before = len(store.read_hotspots(engine, Scope.city()))
    with running_app(store_copy, tmp_path) as url:
        page.goto(url)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=t("page.import")).click()
        expect(page.get_by_role("heading", name=t("import.heading"), level=1)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        assert page.url == f"{url}/data_import"

        page.locator(".st-key-import_file input[type='file']").set_input_files(
            files=[{"name": FILE_NAME, "mimeType": "text/csv", "buffer": CSV}]
        )
        for key, value in {"rows": "3", "accepted": "2", "rejected": "1", "new": "2", "update": "0",
                           "skip": "0", "unchanged": "0"}.items():  # fmt: skip
            expect_metric(page, f"import.{key}", value)

        # The problems table: one error, on the row outside Hà Nội.
        # (the grid is drawn on a canvas; its cells are in a hidden accessible table)
        cells = page.get_by_test_id("stDataFrame").first.locator("[role=gridcell]")
        expect(cells.filter(has_text=OUTSIDE_MESSAGE)).to_have_count(1, timeout=TIMEOUT_MS)
        problems = [row for row in grid_rows(page, 0) if row]
        assert problems == [
            ["4", t("import.level.error"), "Vĩ độ (WGS84)", "20.844900; 106.688100", OUTSIDE_MESSAGE]
        ]

        # The preview map draws the two new hotspots, and the rejected row where it
        # falls (outside the city), so a wrong coordinate system would show.
        wait_map(page, "path.preview-new", 2)
        wait_map(page, "path.preview-rejected", 1)
        for state in ("update", "duplicate", "unchanged"):
            wait_map(page, f"path.preview-{state}", 0)
        OUTPUT.mkdir(exist_ok=True)
        page.wait_for_timeout(1500)  # let the map's zoom animation finish
        page.locator("iframe[src*='streamlit_folium']").screenshot(path=OUTPUT / "import-preview-map.png")
        assert len(store.read_hotspots(engine, Scope.city())) == before  # the dry run wrote nothing

        page.get_by_role("button", name=t("import.apply"), exact=True).click()
        done = t("import.done", name=FILE_NAME, new=2, updated=0, skipped=0, unchanged=0, rejected=1)
        assert done.startswith("Đã ghi tệp")
        expect(page.get_by_text(done, exact=True)).to_be_visible(timeout=TIMEOUT_MS)

        # After the write the same file has nothing left to write.
        expect_metric(page, "import.unchanged", "2")
        expect_metric(page, "import.new", "0")
        expect(page.get_by_text(t("import.nothing"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_role("button", name=t("import.apply"), exact=True)).to_be_disabled()
        wait_map(page, "path.preview-unchanged", 2)
        wait_map(page, "path.preview-new", 0)
        assert_all_local(page.requested)

    spots = store.read_hotspots(engine, Scope.city()).set_index("code")
    log = store.read_audit(engine, Scope.city())
    engine.dispose()
    assert len(spots) == before + 2
    assert spots.loc[["BR-001", "BR-002"], "ward_code"].tolist() == ["00070", "00103"]
    assert "BR-003" not in spots.index
    imports = log[log["action"] == "import"]
    assert len(imports) == 1
    assert imports["summary"].iloc[0].startswith(f"Nhập tụ điểm từ «{FILE_NAME}»: 2 mới")
