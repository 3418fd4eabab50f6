"""The filter state, the text catalogue and Vietnamese formats, settings,
and the hotspot lifecycle."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config
from dashboard.config import OSM_URL, Settings, Tiles
from dashboard.domain import (
    TRANSITIONS,
    ActivityKind,
    DomainError,
    HotspotKind,
    Status,
    TargetType,
    UnitLevel,
    check_transition,
)
from dashboard.filters import Filters
from dashboard.i18n import (
    CATALOGUE,
    LANGUAGE,
    PLOTLY_SEPARATORS,
    fmt_date,
    fmt_number,
    fmt_of_target,
    parse_date,
    t,
)

D = dt.date
PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"

# --------------------------------------------------------------------------
# Filters


def test_filters_reject_a_reversed_range_with_dates_in_vietnamese_form():
    with pytest.raises(DomainError) as info:
        Filters(plan_year=2021, date_from=D(2021, 3, 2), date_to=D(2021, 3, 1))
    message = str(info.value)
    assert "02/03/2021" in message and "01/03/2021" in message
    assert message.index("02/03/2021") < message.index("01/03/2021")
    assert "2021-03" not in message


def test_filters_accept_a_single_day_and_default_to_everything():
    f = Filters(plan_year=2021, date_from=D(2021, 3, 1), date_to=D(2021, 3, 1))
    assert f.as_of == D(2021, 3, 1)
    assert f.statuses == set(Status) and f.kinds == set(HotspotKind)
    assert not f.plan_only and f.area_level is None and f.area_code is None


def test_filters_turn_codes_into_domain_values():
    f = Filters(
        2021,
        D(2021, 1, 1),
        D(2021, 2, 1),
        statuses=["active", "reemerged"],
        kinds={"service_business"},
        area_level="ward",
        area_code="00070",
    )
    assert f.statuses == frozenset({Status.ACTIVE, Status.REEMERGED})
    assert all(isinstance(s, Status) for s in f.statuses)
    assert f.kinds == frozenset({HotspotKind.SERVICE_BUSINESS})
    assert f.area_level is UnitLevel.WARD
    with pytest.raises(ValueError):
        Filters(2021, D(2021, 1, 1), D(2021, 2, 1), statuses={"gone"})
    # Frozen: one state drives the whole page.
    with pytest.raises(AttributeError):
        f.plan_year = 2022


@pytest.mark.parametrize(
    ("year", "today", "start", "end"),
    [
        (2020, D(2026, 11, 20), D(2020, 1, 1), D(2020, 12, 31)),
        (2026, D(2026, 11, 20), D(2026, 1, 1), D(2026, 11, 20)),
        (2026, D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1)),
        (2026, D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
        (2027, D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 20)),
    ],
)
def test_for_year_stops_at_today(year, today, start, end):
    f = Filters.for_year(year, today, plan_only=True)
    assert (f.plan_year, f.date_from, f.date_to) == (year, start, end)
    assert f.plan_only


# --------------------------------------------------------------------------
# Formats


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D(2020, 1, 5), "05/01/2020"),
        (dt.datetime(2025, 12, 31, 23, 59), "31/12/2025"),
        (pd.Timestamp("2021-07-01"), "01/07/2021"),
        (None, ""),
        (math.nan, ""),
    ],
)
def test_fmt_date(value, text):
    assert fmt_date(value) == text


def test_fmt_date_of_a_missing_pandas_date_is_empty():
    # A hotspot without any activity has NaT as its last activity.
    assert fmt_date(pd.NaT) == ""


@pytest.mark.parametrize(
    ("text", "date"),
    [("05/03/2020", D(2020, 3, 5)), (" 31/12/2025 ", D(2025, 12, 31)), ("29/02/2024", D(2024, 2, 29))],
)
def test_parse_date(text, date):
    assert parse_date(text) == date
    assert parse_date(fmt_date(date)) == date


@pytest.mark.parametrize("text", ["2020-03-05", "31/02/2020", "29/02/2023", "5/3", "", "hôm nay"])
def test_parse_date_names_the_bad_input(text):
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert f"«{text}»" in str(info.value)
    assert "dd/mm/yyyy" in str(info.value)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567.5, 1, "1.234.567,5"),
        (1234567, 0, "1.234.567"),
        (1234567.25, 2, "1.234.567,25"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (0, 0, "0"),
        (0.5, 1, "0,5"),
        (-1234.5, 1, "-1.234,5"),
        (15_000_000, 0, "15.000.000"),
    ],
)
def test_fmt_number(value, decimals, text):
    assert fmt_number(value, decimals) == text


def test_fmt_number_defaults_to_whole_numbers():
    assert fmt_number(1234567) == "1.234.567"
    assert fmt_number(1234.4) == "1.234"


def test_plotly_separators_match_fmt_number():
    decimal, thousands = PLOTLY_SEPARATORS
    assert fmt_number(1234.5, 1) == f"1{thousands}234{decimal}5"


# --------------------------------------------------------------------------
# Catalogue


def test_t_fills_placeholders_and_unknown_keys_raise():
    assert t("table.caption", n="12") == "12 tụ điểm"
    assert t("kpi.of_target", done=3, target=13) == "3/13"


def test_a_target_s_progress_reads_with_thousands_separators():
    """At the scale of a whole department a page showed 918/1595 where the deck said 918/1.595."""
    assert fmt_of_target(3, 13) == "3/13"
    assert fmt_of_target(918, 1595) == "918/1.595"
    assert fmt_of_target(12_345, 1_000_000) == "12.345/1.000.000"
    with pytest.raises(KeyError):
        t("no.such.key")


def test_err_tiles_keeps_its_literal_braces():
    assert "{z}, {x}, {y}" in t("err.tiles", value="x")


@pytest.mark.parametrize(
    ("prefix", "enum"),
    [
        ("status", Status),
        ("kind", HotspotKind),
        ("activity", ActivityKind),
        ("target", TargetType),
        ("level", UnitLevel),
    ],
)
def test_every_domain_value_has_a_label(prefix, enum):
    labels = [t(f"{prefix}.{member.value}") for member in enum]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels)


def test_every_key_used_by_the_package_is_in_the_catalogue():
    used = set()
    for path in [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "pages").glob("*.py"), PACKAGE.parent / "app.py"]:
        used |= set(re.findall(r"\bt\(\s*\"([a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    assert used - set(CATALOGUE[LANGUAGE]) == set()


def test_every_text_formats_with_its_placeholders():
    for key, text in CATALOGUE[LANGUAGE].items():
        names = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", text))
        filled = t(key, **dict.fromkeys(names, "«X»")) if names else t(key)
        assert filled.count("«X»") >= len(names), key
        assert "{{" not in filled, key


# --------------------------------------------------------------------------
# Settings


@pytest.mark.parametrize("value", ["none", "", "  NONE "])
def test_tiles_none(value):
    assert Tiles.parse(value) == Tiles(None)


def test_tiles_osm():
    tiles = Tiles.parse("OSM")
    assert tiles.url == OSM_URL
    assert "OpenStreetMap" in tiles.attribution


@pytest.mark.parametrize(
    "value",
    ["https://tiles.example.vn/{z}/{x}/{y}.png", "http://10.0.0.5/t/{z}/{y}/{x}", "/tiles/{z}/{x}/{y}.png"],
)
def test_tiles_custom_template(value):
    assert Tiles.parse(value) == Tiles(value, t("map.custom_tiles"))
    assert Tiles.parse(value, "Sở TN&MT").attribution == "Sở TN&MT"


@pytest.mark.parametrize(
    "value", ["osm2", "https://tiles.example.vn/{z}/{x}.png", "ftp://x/{z}/{x}/{y}", "tiles/{z}/{x}/{y}"]
)
def test_tiles_invalid(value):
    with pytest.raises(DomainError) as info:
        Tiles.parse(value)
    assert f"«{value}»" in str(info.value)


def test_settings_from_env(tmp_path):
    default = Settings.from_env({})
    assert default.database_url == f"sqlite:///{config.DEFAULT_DB_PATH}"
    assert default.tiles == Tiles(None)
    chosen = Settings.from_env(
        {
            "HOTSPOT_DB_PATH": str(tmp_path / "x.sqlite"),
            "HOTSPOT_TILES": "osm",
            "HOTSPOT_TILES_ATTRIBUTION": "a",
        }
    )
    assert chosen.database_url == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert chosen.tiles.url == OSM_URL
    url = "postgresql+psycopg://u@h/db"
    assert Settings.from_env({"DATABASE_URL": url, "HOTSPOT_DB_PATH": "ignored"}).database_url == url
    with pytest.raises(DomainError):
        Settings.from_env({"HOTSPOT_TILES": "satellite"})


def test_today_can_be_pinned(monkeypatch):
    monkeypatch.setenv("HOTSPOT_TODAY", "20/11/2026")
    assert config.today() == D(2026, 11, 20)
    monkeypatch.setenv("HOTSPOT_TODAY", "2026-11-20")
    with pytest.raises(DomainError, match="dd/mm/yyyy"):
        config.today()
    monkeypatch.delenv("HOTSPOT_TODAY")
    assert abs((config.today() - dt.date.today()).days) <= 1


# --------------------------------------------------------------------------
# Lifecycle


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Status.ACTIVE, Status.CLEARING),
        (Status.ACTIVE, Status.CLEARED),
        (Status.CLEARING, Status.CLEARED),
        (Status.CLEARING, Status.ACTIVE),  # clearing failed
        (Status.CLEARED, Status.HANDED_OVER),
        (Status.CLEARED, Status.REEMERGED),
        (Status.HANDED_OVER, Status.REEMERGED),
        (Status.REEMERGED, Status.CLEARING),
    ],
)
def test_lifecycle_steps(old, new):
    check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Status.HANDED_OVER, Status.CLEARING),
        (Status.HANDED_OVER, Status.ACTIVE),
        (Status.ACTIVE, Status.HANDED_OVER),  # only a cleared place is handed over
        (Status.ACTIVE, Status.REEMERGED),  # only a cleared place re-emerges
        (Status.CLEARING, Status.REEMERGED),
        (Status.CLEARED, Status.ACTIVE),
    ],
)
def test_impossible_steps_raise_with_labels(old, new):
    with pytest.raises(DomainError) as info:
        check_transition(old, new)
    assert f"«{t(f'status.{old}')}»" in str(info.value)
    assert f"«{t(f'status.{new}')}»" in str(info.value)


@pytest.mark.parametrize("status", list(Status))
def test_first_status_may_be_any_but_never_repeats(status):
    check_transition(None, status)
    with pytest.raises(DomainError):
        check_transition(status, status)
    assert set(TRANSITIONS) == set(Status)


def test_the_catalogue_spells_xoa_khoa_hoa_one_way():
    """As the 2020 letter does ("triệt xóa"): the tone mark on the o, never on the a."""
    from dashboard.i18n import VI

    old = re.compile(r"(?i)\b(x|kh|h)oá\b")
    assert [key for key, text in VI.items() if old.search(text)] == []


def _frontend_bundle(*names: str) -> str:
    """The text of Streamlit's front-end scripts whose file names start with ``names``."""
    from pathlib import Path

    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    files = [p for p in folder.glob("*.js") if p.name.startswith(names)]
    assert files, names
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def test_the_front_end_words_are_those_streamlit_and_plotly_draw():
    """Each English text reworded is one the installed front end draws (a word a new
    Streamlit no longer draws, or spells otherwise, shows here), and each has its own
    Vietnamese."""
    from dashboard.texts.frontend import PLOTLY_WORDS, STREAMLIT_PREFIXES, STREAMLIT_WORDS

    bundle = _frontend_bundle("")
    missing = [w for w in STREAMLIT_WORDS if f"`{w}`" not in bundle and f'"{w}"' not in bundle]
    assert missing == []
    assert [p for p in STREAMLIT_PREFIXES if f"`{p}${{" not in bundle] == []
    plotly = _frontend_bundle("PlotlyChart")
    assert [w for w in PLOTLY_WORDS if f"`{w}`" not in plotly] == []
    old = re.compile(r"(?i)\b(x|kh|h)oá\b")
    for words in (STREAMLIT_WORDS, STREAMLIT_PREFIXES, PLOTLY_WORDS):
        for english, vietnamese in words.items():
            assert vietnamese.strip() and vietnamese != english and not old.search(vietnamese), english
