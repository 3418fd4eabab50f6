"""The hotspot card (dashboard.register.card): its contents for a known sample hotspot,
its map and chart, and the card page reached by its address, with an action taken there."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest
import sqlalchemy as sa
from pagetest import ROOT, TODAY, ensure_account, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import charts, editing, maps, register, risk, store, views
from dashboard.accounts import Role
from dashboard.config import Tiles
from dashboard.domain import COUNT_COLUMNS, ActivityKind, Status
from dashboard.filters import Filters
from dashboard.i18n import t
from dashboard.maps import unpack
from dashboard.queries import load_dataset
from dashboard.scope import Scope

CODE = "TD-008"  # in the sample: handed over, in the border zone of Cửa Nam and Hai Bà Trưng


@pytest.fixture(scope="module")
def sample_card(sample_dataset, sample_engine):
    scores = risk.score(sample_dataset, TODAY)
    report = views.border_view(sample_dataset, Filters.for_year(TODAY.year, TODAY), scores=scores).report
    hid = int(sample_dataset.hotspots.set_index("code").loc[CODE, "id"])
    audit = store.read_audit(sample_engine, Scope.city())
    return register.card(sample_dataset, hid, scores, report, TODAY, audit=audit), scores, report


def test_card_holds_everything_about_the_place(sample_dataset, sample_card):
    c, scores, _ = sample_card
    ds = sample_dataset
    assert (c.code, c.row["name"]) == (CODE, ds.hotspots.set_index("code").loc[CODE, "name"])
    # Every status change, oldest first, with its reason and recording office.
    history = ds.history[ds.history["hotspot_id"] == c.id]
    assert len(c.timeline) == len(history) > 0
    assert c.timeline["date"].is_monotonic_increasing
    assert c.timeline["to_status"].iloc[-1] == c.row["status"] == "handed_over"
    assert c.timeline["recorded_by"].ne("").all()
    # The plan targets of each year it was in.
    years = sorted(ds.targets.loc[ds.targets["hotspot_id"] == c.id, "year"].unique())
    assert c.targets["year"].tolist() == years
    assert set(c.targets["target_type"]) <= {"clear", "keep_clean"}
    # Its activities (newest first) and results add up.
    acts = ds.activities[
        (ds.activities["hotspot_id"] == c.id) & (ds.activities["date"] <= pd.Timestamp(TODAY))
    ]
    assert len(c.activities) == len(acts)
    assert c.activities["date"].is_monotonic_decreasing
    assert c.results == {col: int(acts[col].sum()) for col in COUNT_COLUMNS}
    assert int(c.monthly.to_numpy().sum()) == len(acts)
    # The risk score with its factors, as the risk page has them.
    row = scores.set_index("id").loc[c.id]
    assert float(c.score["score"]) == row["score"]
    assert c.factors["factor"].tolist() == list(risk.RISK_FACTORS)
    assert round(c.factors["points"].sum(), 1) == pytest.approx(min(100, row["score"]), abs=0.2)
    # The border pair it lies by, with the coordination gap.
    assert c.border[["code_a", "code_b"]].values.tolist() == [["00082", "00256"]]
    assert bool(c.border["gap"].iloc[0]) and c.border["silent"].iloc[0] == "00256"
    # Briefing notes naming it, and why it needs a visit.
    assert len(c.notes) >= 1 and all(CODE in codes.split() for codes in c.notes["hotspot_codes"])
    assert c.follow_up["reasons"].iloc[0] == ("border_gap", "risk_drop")
    assert register.card_summary(c)["border_pairs"] == 1


def test_card_of_an_unknown_hotspot_is_refused(sample_dataset, sample_card):
    _, scores, report = sample_card
    with pytest.raises(Exception, match="Không có tụ điểm"):
        register.card(sample_dataset, 10_000, scores, report, TODAY)


def test_card_notes_match_the_code_or_the_name_folded():
    notes = pd.DataFrame(
        {
            "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
            "unit_code": ["00070"] * 4,
            "hotspot_codes": ["TD-9", "", "", ""],
            "difficulties": ["", "Khu vực PHỐ HANG BAC còn phức tạp", "", ""],
            "proposals": ["", "", "Tuần tra TD-9 hằng tuần", ""],
            "decisions": ["", "", "", "Tuần tra TD-90 và phố Hàng Bè"],
        }
    )
    found = register.mentioning_notes(notes, "TD-9", "Phố Hàng Bạc")
    assert sorted(found["month"].dt.month) == [1, 2, 3]  # not TD-90, not Hàng Bè


def test_card_timeline_has_the_handover_record(empty_engine, make_store):
    d = dt.date
    ids = make_store(
        empty_engine,
        {
            "H": (
                "hoa_lo",
                "public_area",
                [(d(2025, 1, 1), "active"), (d(2025, 3, 1), "clearing"), (d(2025, 6, 1), "cleared")],
            )
        },
    )
    office = "Chi cục Phòng, chống tệ nạn xã hội Hà Nội"
    editing.hand_over(
        empty_engine, ids["H"], d(2025, 10, 1), "UBND Phường Cửa Nam", "7/BB", "", office, TODAY
    )
    ds = load_dataset(empty_engine, Scope.city())
    c = register.card(
        ds, ids["H"], risk.score(ds, TODAY), None, TODAY, audit=store.read_audit(empty_engine, Scope.city())
    )
    last = c.timeline.iloc[-1]
    assert (last["to_status"], last["receiver"], last["document"]) == (
        "handed_over",
        "UBND Phường Cửa Nam",
        "7/BB",
    )
    assert pd.isna(c.timeline.iloc[0]["receiver"])
    assert c.audit["action"].tolist() == ["status_change"]
    assert c.border.empty and c.targets.empty


def test_card_map_shows_the_hotspot_its_ward_and_border_zone(sample_card):
    c, _, report = sample_card
    m = maps.card_map(pd.DataFrame([c.row]), report, Tiles(None))
    children = list(m._children.values())
    points = [ch for ch in children if isinstance(ch, maps.PointLayer)]
    assert len(points) == 1
    (feature,) = unpack(points[0].packed())
    assert feature["properties"]["code"] == CODE and feature["properties"]["in_zone"]
    html = maps.map_payload(m)
    assert '"className": "unit-focus"' in html and '"className": "border-zone"' in html
    assert "cdn" not in html.lower() and "unpkg" not in html


def test_card_chart_has_months_by_kind_and_the_status_changes(sample_card):
    c, _, _ = sample_card
    fig = charts.card_activity_chart(c.activities, c.timeline)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    marks = [tr for tr in fig.data if tr.type == "scatter"]
    assert sum(sum(tr.y) for tr in bars) == len(c.activities)
    assert sum(len(tr.x) for tr in marks) == len(c.timeline)
    assert {tr.name for tr in marks} <= {f"→ {t(f'status.{s.value}')}" for s in Status}
    months = pd.DatetimeIndex(bars[0].x)
    assert (months[1:] - months[:-1]).days.max() <= 31  # every month, empty ones too
    empty = charts.card_activity_chart(c.activities.iloc[0:0], c.timeline.iloc[0:0])
    assert not empty.data and empty.layout.annotations[0].text == t("chart.empty")


# --------------------------------------------------------------------------
# The page, reached by its address


def card_page(code: str | None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/card.py"), default_timeout=180)
    sign_in(at, *([user] if user else []))
    if code is not None:
        at.query_params["ma"] = code
    at.run()
    assert not at.exception, at.exception
    return at


def test_card_page_by_its_address_shows_that_hotspot(app_env, sample_dataset):
    name = sample_dataset.hotspots.set_index("code").loc[CODE, "name"]
    at = card_page(CODE)
    assert not at.error, [e.value for e in at.error]
    assert at.subheader[0].value == f"{CODE} · {name}"
    assert [tab.label for tab in at.tabs][-1] == t("card.tab.actions")
    values = [c for df in at.dataframe for c in df.value.astype(str).to_numpy().ravel()]
    assert not [v for v in values if v in ("nan", "None", "NaT")]


def test_card_page_refuses_an_unknown_code_and_offers_the_picker(app_env):
    at = card_page("TD-KHONG-CO")
    assert [e.value for e in at.error] == [t("card.unknown", code="TD-KHONG-CO")]
    assert at.selectbox(key="card_pick").value is None
    at = card_page(None)
    assert t("card.pick_hint") in [i.value for i in at.info]
    at.selectbox(key="card_pick").set_value(CODE).run()
    assert at.query_params["ma"] == CODE
    assert at.subheader[0].value.startswith(CODE)


def test_card_page_outside_the_accounts_area(app_env, sample_db_url, sample_dataset):
    spots = sample_dataset.hotspots.set_index("code")
    officer = ensure_account(
        sample_db_url, "kiem-thu-the-ho-so", Role.AREA_OFFICER, "UBND Phường Tây Hồ", wards=("00103",)
    )
    outside = spots[spots["ward_code"] != "00103"].index[0]
    at = card_page(outside, user=officer)
    assert [e.value for e in at.error] == [t("card.unknown", code=outside)]
    inside = spots[spots["ward_code"] == "00103"].index[0]
    at = card_page(inside, user=officer)
    assert not at.error and at.subheader[0].value.startswith(inside)


def test_card_page_for_a_read_only_account_has_no_actions(app_env, sample_db_url):
    lead = ensure_account(sample_db_url, "kiem-thu-lanh-dao", Role.LEADERSHIP)
    at = card_page(CODE, user=lead)
    assert t("card.tab.actions") not in [tab.label for tab in at.tabs]
    assert not [b for b in at.button if b.label == t("edit.save_activity")]
    assert any(
        t("card.read_only", username=lead, role=t("acct.role.leadership")) == c.value for c in at.caption
    )


def test_an_activity_added_on_the_card_appears_on_it(page_store):
    spot = store.read_hotspots(page_store, Scope.city()).set_index("code").loc[CODE]
    at = card_page(CODE)
    before = int(next(m.value for m in at.metric if m.label == t("card.metric.activities")).replace(".", ""))
    at.number_input(key="card_act_violations_found").set_value(3)
    at.selectbox(key="card_act_kind").set_value(ActivityKind.INSPECTION)
    next(b for b in at.button if b.label == t("edit.save_activity")).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert t("edit.saved", what=t("activity.inspection")) in [s.value for s in at.success]
    with page_store.connect() as conn:
        new = conn.execute(sa.select(store.activity).order_by(store.activity.c.id.desc())).first()
    assert (new.hotspot_id, new.date, new.kind, new.violations_found) == (
        int(spot["id"]),
        TODAY,
        "inspection",
        3,
    )
    # The card shows it: one activity more, the newest row of its table, and zero days without activity.
    after = int(next(m.value for m in at.metric if m.label == t("card.metric.activities")).replace(".", ""))
    assert after == before + 1
    assert next(m.value for m in at.metric if m.label == t("card.metric.days")) == "0"
    table = next(df.value for df in at.dataframe if t("card.col.kind") in df.value.columns)
    assert table.iloc[0][t("card.col.kind")] == t("activity.inspection")
    assert os.environ["DATABASE_URL"] != ""


def test_a_status_change_on_the_card_appears_in_its_timeline(page_store):
    at = card_page("TD-007")  # being cleared in the sample
    at.selectbox(key="card_edit_new_status").set_value(Status.CLEARED)
    at.text_area(key="card_edit_reason").set_value("Kiểm tra xác nhận đã triệt xóa")
    next(b for b in at.button if b.label == t("edit.save_status")).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    timeline = next(df.value for df in at.dataframe if t("card.col.to") in df.value.columns)
    assert timeline.iloc[0][t("card.col.to")] == t("status.cleared")
    assert timeline.iloc[0][t("card.col.reason")] == "Kiểm tra xác nhận đã triệt xóa"
