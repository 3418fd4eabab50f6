"""The import page (pages/data_import.py) under AppTest: the sample-data notice
and its clear button, and the upload → dry run → apply flow of a small CSV.

Every test works on its own copy of the sample store, since the page writes.
"""

from __future__ import annotations

import io
import json

import openpyxl
import sqlalchemy as sa
from pagetest import ROOT, metric, run_page, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import editing, sample, store
from dashboard.i18n import t
from dashboard.scope import Scope
from dashboard.ui.components import plain

PAGE = "pages/data_import.py"
METRIC_KEYS = ("rows", "accepted", "rejected", "new", "update", "skip", "unchanged")

#: The template's headers, then two good rows (Hoàn Kiếm lake, West Lake) and
#: one row with an impossible date (31/02).
HEADER = (
    "Mã tụ điểm,Tên tụ điểm,Loại tụ điểm,Trạng thái,Ngày xác định trạng thái,"
    "Vĩ độ (WGS84),Kinh độ (WGS84),Phường/xã,Đơn vị phụ trách"
)
GOOD_ROWS = (
    "NK-001,Điểm nhập thử Hồ Gươm,Địa bàn công cộng,Phức tạp (đang hoạt động),05/03/2026,"
    "21.0287,105.8524,Phường Hoàn Kiếm,UBND Phường Hoàn Kiếm",
    "NK-002,Điểm nhập thử Hồ Tây,Cơ sở kinh doanh dịch vụ,Đang triệt xóa,12/04/2026,"
    "21.0560,105.8190,Phường Tây Hồ,UBND Phường Tây Hồ",
)
BAD_ROW = (
    "NK-003,Điểm nhập thử lỗi ngày,Địa bàn công cộng,Phức tạp (đang hoạt động),31/02/2026,21.0277,105.8355,,"
)
BAD_MESSAGE = "Ngày «31/02/2026» không tồn tại: tháng 2/2026 không có ngày 31."
CSV = "\n".join([HEADER, *GOOD_ROWS, BAD_ROW]).encode("utf-8") + b"\n"
FILE_NAME = "tu-diem-moi.csv"


# --------------------------------------------------------------------------
# Helpers


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def counts(engine) -> dict[str, int]:
    tables = (store.hotspot, store.status_change, store.activity, store.plan, store.audit_log)
    return {table.name: count(engine, table) for table in tables}


def audit_rows(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(store.audit_log).order_by(store.audit_log.c.id))
        return [dict(r._mapping) for r in rows]


def metrics(at: AppTest) -> dict[str, str]:
    return {key: metric(at, f"import.{key}") for key in METRIC_KEYS}


def upload(at: AppTest, content: bytes = CSV, name: str = FILE_NAME) -> AppTest:
    at.file_uploader(key="import_file").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def apply_button(at: AppTest):
    (button,) = [b for b in at.button if b.key == "import_apply"]
    return button


# --------------------------------------------------------------------------
# Navigation


def test_app_navigation_includes_the_import_page(app_env):
    at = sign_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=180))
    at.run()
    assert not at.exception, at.exception
    # switch_page refuses a page that app.py's st.navigation did not register.
    at.switch_page("pages/data_import.py")
    at.run()
    assert not at.exception, at.exception
    assert [title.value for title in at.title] == [t("import.heading")]
    assert [u.key for u in at.file_uploader] == ["import_file", "bnd_file"]


# --------------------------------------------------------------------------
# Before any upload; the sample-data notice


def test_import_page_renders_without_an_upload(page_store):
    before = counts(page_store)
    at = run_page(PAGE)
    assert not at.error
    assert [title.value for title in at.title] == [t("import.heading")]
    assert t("import.sample_notice") in [w.value for w in at.warning]
    assert at.file_uploader(key="import_file").value is None
    # The acting office is the signed-in account's, never picked from a list.
    assert "import_actor" not in [s.key for s in at.selectbox]
    assert at.selectbox(key="import_kind").value is None
    assert at.selectbox(key="import_crs").value == "vn2000_hanoi"
    assert at.radio(key="import_dup").value == "skip"
    # No dry run yet: no metrics, no apply button.
    assert not at.metric
    assert "import_apply" not in [b.key for b in at.button]
    assert counts(page_store) == before


def test_sample_clear_button_waits_for_the_confirmation(page_store):
    before = counts(page_store)
    at = run_page(PAGE)
    clear = at.button(key="clear_sample")
    assert clear.label == t("import.sample_clear")
    assert clear.disabled
    confirm = at.checkbox(key="clear_sample_ok")
    assert confirm.label == t("import.sample_confirm")
    assert confirm.value is False

    confirm.check().run()
    assert not at.exception, at.exception
    assert not at.button(key="clear_sample").disabled
    assert counts(page_store) == before  # ticking alone writes nothing

    confirm = at.checkbox(key="clear_sample_ok")
    confirm.uncheck().run()
    assert at.button(key="clear_sample").disabled


def test_sample_clear_empties_the_store_for_good(page_store):
    audit_before = audit_rows(page_store)
    at = run_page(PAGE)
    at.checkbox(key="clear_sample_ok").check().run()
    at.button(key="clear_sample").click().run()
    assert not at.exception, at.exception
    assert not at.error

    assert [s.value for s in at.success] == [t("import.sample_cleared")]
    warnings = [w.value for w in at.warning]
    assert t("import.sample_notice") not in warnings
    assert t("app.sample_banner") not in warnings
    assert "clear_sample" not in [b.key for b in at.button]
    assert counts(page_store) == {
        "hotspot": 0,
        "status_change": 0,
        "activity": 0,
        "plan": 0,
        "audit_log": len(audit_before) + 1,
    }
    assert not store.is_sample_data(page_store)
    log = audit_rows(page_store)
    assert log[: len(audit_before)] == audit_before  # the log keeps its entries
    entry = log[-1]
    assert (entry["actor"], entry["action"], entry["entity"]) == (
        editing.actor_choices()[0],
        "sample_clear",
        "store",
    )

    # The emptied store is never filled with sample data again.
    assert sample.ensure_data(page_store) is False
    assert store.is_empty(page_store)
    # Nor by the page when it opens the store afresh.
    import streamlit as st

    st.cache_resource.clear()
    again = run_page(PAGE)
    assert t("import.sample_notice") not in [w.value for w in again.warning]
    assert count(page_store, store.hotspot) == 0


# --------------------------------------------------------------------------
# Upload, dry run, apply


def test_upload_shows_the_dry_run_and_writes_nothing(page_store):
    before = counts(page_store)
    at = upload(run_page(PAGE))
    assert not at.error

    assert metrics(at) == {
        "rows": "3",
        "accepted": "2",
        "rejected": "1",
        "new": "2",
        "update": "0",
        "skip": "0",
        "unchanged": "0",
    }
    problems, preview = at.dataframe
    table = problems.value
    assert table[t("import.row")].tolist() == [4]
    assert table[t("import.level")].tolist() == [t("import.level.error")]
    assert table[t("import.column")].tolist() == ["Ngày xác định trạng thái"]
    assert table[t("import.value")].tolist() == ["31/02/2026"]
    assert table[t("import.message")].tolist() == [BAD_MESSAGE]

    rows = preview.value
    assert rows[t("import.row")].tolist() == [2, 3, 4]
    assert rows[t("import.action")].tolist() == [
        t("import.state.new"),
        t("import.state.new"),
        t("import.state.rejected"),
    ]
    assert rows["Mã tụ điểm"].tolist() == ["NK-001", "NK-002", "NK-003"]

    assert not at.info
    assert apply_button(at).label == t("import.apply")
    assert not apply_button(at).disabled
    assert counts(page_store) == before  # a dry run writes nothing


def test_upload_then_apply_writes_the_good_rows(page_store):
    before = counts(page_store)
    at = upload(run_page(PAGE))
    apply_button(at).click().run()
    assert not at.exception, at.exception
    assert not at.error

    done = t("import.done", name=FILE_NAME, new=2, updated=0, skipped=0, unchanged=0, rejected=1)
    assert done.startswith("Đã ghi tệp «tu-diem-moi.csv»: 2 mới")
    assert [s.value for s in at.success] == [done]
    assert counts(page_store) == before | {
        "hotspot": before["hotspot"] + 2,
        "status_change": before["status_change"] + 2,
        "audit_log": before["audit_log"] + 3,  # one per hotspot, one for the file
    }
    spots = store.read_hotspots(page_store, Scope.city()).set_index("code")
    assert "NK-003" not in spots.index
    one, two = spots.loc["NK-001"], spots.loc["NK-002"]
    assert (one["name"], one["kind"], one["status"], one["ward_code"], one["district_code"]) == (
        "Điểm nhập thử Hồ Gươm",
        "public_area",
        "active",
        "00070",
        "002",
    )
    assert (one["lat"], one["lon"], one["responsible_unit"]) == (21.0287, 105.8524, "UBND Phường Hoàn Kiếm")
    assert (two["kind"], two["status"], two["ward_code"], two["district_code"]) == (
        "service_business",
        "clearing",
        "00103",
        "003",
    )
    with page_store.connect() as conn:
        history = conn.execute(
            sa.select(store.status_change.c.date, store.status_change.c.to_status).where(
                store.status_change.c.hotspot_id == int(two["id"])
            )
        ).all()
    assert [(d.strftime("%d/%m/%Y"), s) for d, s in history] == [("12/04/2026", "clearing")]

    log = audit_rows(page_store)
    creates = [e for e in log if e["action"] == "import_create"]
    assert [e["entity_code"] for e in creates] == ["NK-001", "NK-002"]
    entry = log[-1]
    assert (entry["actor"], entry["action"], entry["entity"]) == (
        editing.actor_choices()[0],
        "import",
        "file",
    )
    after = json.loads(entry["after"])
    assert (after["file"], after["kind"]) == (FILE_NAME, "hotspots")
    assert (after["new"], after["updated"], after["skipped"], after["unchanged"], after["rejected"]) == (
        2,
        0,
        0,
        0,
        1,
    )


def test_reimporting_the_same_file_has_nothing_to_write(page_store):
    at = upload(run_page(PAGE))
    apply_button(at).click().run()
    assert not at.exception, at.exception
    written = counts(page_store)

    # The same file again (a fresh upload): everything is already stored.
    upload(at)
    assert not at.error
    assert metrics(at) == {
        "rows": "3",
        "accepted": "2",
        "rejected": "1",
        "new": "0",
        "update": "0",
        "skip": "0",
        "unchanged": "2",
    }
    assert [i.value for i in at.info] == [t("import.nothing")]
    assert apply_button(at).disabled
    preview = at.dataframe[1].value
    assert preview[t("import.action")].tolist() == [
        t("import.state.unchanged"),
        t("import.state.unchanged"),
        t("import.state.rejected"),
    ]
    assert counts(page_store) == written


def test_rejected_rows_workbook_holds_the_bad_row_and_its_reason(page_store, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    # The page builds the workbook only when its button is clicked (a deferred
    # download): keep the callables the page registers, by file name.
    deferred: dict[str, object] = {}
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = upload(run_page(PAGE))
    (button,) = [d for d in at.get("download_button") if d.proto.id.endswith("import_rejected")]
    assert button.proto.label == t("import.download_rejected")
    assert not button.proto.disabled
    served = deferred["dong-bi-loai-tu-diem-moi.xlsx"]()

    sheet = openpyxl.load_workbook(io.BytesIO(served)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[0]
    data = [row for row in values[1:] if any(v not in (None, "") for v in row)]
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=False))
    assert (row["Mã tụ điểm"], row["Tên tụ điểm"]) == ("NK-003", "Điểm nhập thử lỗi ngày")
    assert BAD_MESSAGE in row["Lỗi cần sửa"]


def test_a_file_name_cannot_put_an_image_or_link_into_a_message(page_store):
    """Messages are markdown: a name like ``![x](http://…)`` must show as typed,
    not fetch an image from outside or become a link."""
    at = upload(run_page(PAGE), content=b"", name="![x](http:evil.example.png).csv")
    (error,) = at.error
    assert error.value == "Tệp «!\\[x\\](http:evil.example.png).csv» rỗng (0 byte)."
    assert plain("<http://a> `b` [c](d)") == "\\<http://a\\> \\`b\\` \\[c\\](d)"
