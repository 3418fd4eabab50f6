"""The hotspot register (dashboard.register): search folding, the table, its workbook,
map clicks mapped back to a hotspot, and the register page."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pagetest import TODAY, run_page

from dashboard import register, risk, store
from dashboard.i18n import t
from dashboard.queries import load_dataset
from dashboard.scope import Scope

D = dt.date


def frame(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "name", "ward", "district"])


SPOTS = frame(
    ("TD-001", "Phố Hàng Bạc", "Phường Hoàn Kiếm", "Quận Hoàn Kiếm"),
    ("TD-002", "Chợ Đồng Xuân", "Phường Hoàn Kiếm", "Quận Hoàn Kiếm"),
    ("TD-010", "Bến xe Giáp Bát", "Phường Định Công", "Quận Hoàng Mai"),
    ("TD-011", "Cơ sở HÀNG BÈ", "Phường Hoàn Kiếm", "Quận Hoàn Kiếm"),
)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("hang bac", ["TD-001"]),  # no diacritics
        ("Hàng Bạc", ["TD-001"]),  # with them
        ("HANG BAC", ["TD-001"]),  # case
        ("hàng", ["TD-001", "TD-011"]),  # "HÀNG BÈ" in capitals
        ("dong xuan", ["TD-002"]),  # đ read as d
        ("đinh cong", ["TD-010"]),  # đ typed, Định in the ward
        ("hoan kiem cho", ["TD-002"]),  # several words: each must match, in any field
        ("hoang mai giap", ["TD-010"]),  # district and name
        ("td-01", ["TD-010", "TD-011"]),  # the code, punctuation ignored
        ("hang xyz", []),  # one word matching nothing: no row
        ("", ["TD-001", "TD-002", "TD-010", "TD-011"]),
        ("   ", ["TD-001", "TD-002", "TD-010", "TD-011"]),
    ],
)
def test_search_folds_case_diacritics_and_d(query, expected):
    assert register.search(SPOTS, query)["code"].tolist() == expected


def test_search_in_nfd_text():
    import unicodedata

    decomposed = frame(("TD-9", unicodedata.normalize("NFD", "Phố Hàng Bạc"), "", ""))
    assert register.search(decomposed, "hang bac")["code"].tolist() == ["TD-9"]


def test_find_code():
    table = SPOTS.assign(id=[1, 2, 3, 4])
    assert register.find_code(table, "td-010 ") == 3
    assert register.find_code(table, "TD-999") is None
    assert register.find_code(table, "") is None


@pytest.fixture(scope="module")
def sample_register(sample_dataset):
    scores = risk.score(sample_dataset, TODAY)
    return register.register_table(sample_dataset, scores, TODAY), scores


def test_register_table_has_one_row_per_hotspot_with_the_project_figures(sample_dataset, sample_register):
    from dashboard import queries
    from dashboard.filters import Filters

    table, scores = sample_register
    assert list(table.columns) == list(register.REGISTER_COLUMNS)
    assert sorted(table["id"]) == sorted(sample_dataset.hotspots["id"])
    assert table["code"].is_monotonic_increasing
    view = queries.hotspot_view(sample_dataset, Filters.for_year(TODAY.year, TODAY)).set_index("id")
    for row in table.itertuples(index=False):
        assert row.status == view.loc[row.id, "status"]  # the status in force today, as elsewhere
        assert row.status_label == t(f"status.{row.status}")
        assert row.kind_label == t(f"kind.{row.kind}")
        last = view.loc[row.id, "last_activity"]
        assert row.days_since_activity == (pd.Timestamp(TODAY) - last).days
        assert row.last_activity == last.date()
    by_id = scores.set_index("id")
    first = table.iloc[0]
    assert first["score"] == by_id.loc[first["id"], "score"]
    assert first["risk_level"] == by_id.loc[first["id"], "level"]
    assert first["risk_label"] == t(f"risk.level.{first['risk_level']}")
    assert (table["ward"] != table["ward_code"]).all()  # names, not codes


def test_register_table_of_a_hotspot_never_visited(empty_engine, make_store):
    make_store(empty_engine, {"X": ("hoan_kiem_lake", "public_area", [(D(2025, 1, 1), "active")])})
    ds = load_dataset(empty_engine, Scope.city())
    table = register.register_table(ds, risk.score(ds, TODAY), TODAY)
    row = table.iloc[0]
    assert row["last_activity"] is None and pd.isna(row["days_since_activity"])
    assert (row["ward"], row["district"]) == ("Phường Hoàn Kiếm", "Quận Hoàn Kiếm")
    assert row["score_type"] == "persistence"


def test_register_workbook_opens_with_the_rows_and_dates(sample_register):
    table, _ = sample_register
    content = register.register_workbook(table.head(5), TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[t("register.sheet")]
    header = [c.value for c in ws[3]]
    assert header[:2] == [t("table.code"), t("table.name")]
    codes = [ws.cell(row=r, column=1).value for r in range(4, 9)]
    assert codes == table["code"].head(5).tolist()
    when = header.index(t("table.last_activity")) + 1
    cell = ws.cell(row=4, column=when)
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "dd/mm/yyyy"


def test_register_workbook_keeps_formula_like_text_as_text():
    table = pd.DataFrame([{c: None for c in register.REGISTER_COLUMNS}]).assign(
        code="=1+1", name="+cmd", score=float("nan"), responsible_unit=""
    )
    ws = openpyxl.load_workbook(io.BytesIO(register.register_workbook(table, TODAY))).worksheets[1]
    assert ws.cell(row=4, column=1).data_type == "s"
    assert not str(ws.cell(row=4, column=1).value).startswith("=")


# --------------------------------------------------------------------------
# A click on the map, back to its hotspot


SHOWN = pd.DataFrame(
    {"code": ["TD-1", "TD-12", "TD-2"], "lat": [21.0, 21.01, 21.05], "lon": [105.8, 105.8, 105.9]}
)


def click(lat, lng, tooltip=None) -> dict:
    return {"last_object_clicked": {"lat": lat, "lng": lng}, "last_object_clicked_tooltip": tooltip}


def test_a_marker_click_is_its_hotspot_by_the_tooltip_code():
    tooltip = "Tụ điểm\n\nĐiểm thử\n\nMã\n\nTD-12\n\nTrạng thái"
    # The click lands off the marker's centre (where the pointer was), nearer another hotspot.
    assert register.clicked_hotspot(click(21.0005, 105.8, tooltip), SHOWN) == "TD-12"
    # TD-1 is part of TD-12's text: the nearer of the two named wins.
    assert register.clicked_hotspot(click(21.0004, 105.8, "Mã TD-1 Trạng thái"), SHOWN) == "TD-1"


def test_a_click_on_a_ward_or_nowhere_is_no_hotspot():
    assert register.clicked_hotspot(click(21.0, 105.8, "Phường, xã Phường Hoàn Kiếm"), SHOWN) is None
    assert register.clicked_hotspot(None, SHOWN) is None
    assert register.clicked_hotspot({"last_object_clicked": None}, SHOWN) is None
    assert register.clicked_hotspot(click(21.0, 105.8, "TD-1"), SHOWN.iloc[0:0]) is None


def test_without_a_tooltip_only_a_click_within_a_few_metres():
    assert register.clicked_hotspot(click(21.00005, 105.8), SHOWN) == "TD-1"  # about 6 m
    assert register.clicked_hotspot(click(21.003, 105.8), SHOWN) is None  # about 330 m


# --------------------------------------------------------------------------
# The page


def test_register_page_lists_every_hotspot_and_search_narrows(app_env, sample_dataset):
    at = run_page("pages/register.py")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == t("page.register")
    shown = at.dataframe(key="register_table").value
    assert len(shown) == len(sample_dataset.hotspots)
    assert t("register.col.days") in shown.columns and "id" not in shown.columns
    name = sample_dataset.hotspots.sort_values("code")["name"].iloc[7]  # e.g. "Điểm công cộng HK-01"
    at.text_input(key="register_search").set_value(name.lower().replace("đ", "d")).run()
    assert not at.exception, at.exception
    narrowed = at.dataframe(key="register_table").value
    assert 1 <= len(narrowed) < len(shown)
    assert name in narrowed[t("table.name")].tolist()
    at.text_input(key="register_search").set_value("khong co tu diem nao nhu the").run()
    assert t("register.none") in [i.value for i in at.info]


def test_register_page_filters_by_status(app_env):
    at = run_page("pages/register.py")
    at.sidebar.multiselect(key="register_status").set_value(["clearing"]).run()
    shown = at.dataframe(key="register_table").value
    assert len(shown) >= 1
    assert set(shown[t("table.status")]) == {t("status.clearing")}


def test_register_download_gives_an_xlsx_that_opens_and_is_audited(page_store, monkeypatch):
    # The download writes an audit entry: on a copy, never on the shared sample store.
    from streamlit.runtime.media_file_manager import MediaFileManager

    built = []
    original = MediaFileManager.add_deferred

    def keep(self, callable_, *args, **kwargs):
        built.append(callable_)
        return original(self, callable_, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    at = run_page("pages/register.py")
    at.text_input(key="register_search").set_value("hk").run()
    rows = len(at.dataframe(key="register_table").value)
    (button,) = at.get("download_button")
    assert button.proto.label == t("register.download")
    engine = page_store
    before = len(store.read_audit(engine, Scope.city()))
    content = built[-1]()  # what a click downloads
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[t("register.sheet")]
    assert ws.max_row - 3 == rows
    log = store.read_audit(engine, Scope.city())
    assert len(log) == before + 1 and log.iloc[0]["action"] == "export"
    assert t("register.what") in log.iloc[0]["summary"]
