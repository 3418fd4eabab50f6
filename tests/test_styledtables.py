"""A table drawn through dashboard.ui.styledtables: styled once per process for its data,
its cells' Vietnamese texts converted once and drawn exactly as Streamlit converts them, and
every other table converted as before."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pyarrow as pa
import pytest
from pagetest import run_page
from streamlit.elements import arrow
from streamlit.proto.ArrowData_pb2 import ArrowData

from dashboard import caches, snapshots
from dashboard.scope import Scope
from dashboard.ui import components, styledtables


def frame(rows: int = 30) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Mã": [f"HS-{i:03}" for i in range(rows)],
            "Lượt": [2740 + i for i in range(rows)],
            "Điểm": [83.25 + i for i in range(rows)],
            "Ngày": [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(rows)],
            "Ghi chú": [None if i % 3 else "có" for i in range(rows)],
        }
    )


@pytest.fixture
def conversions(monkeypatch) -> list[object]:
    """Streamlit's own conversion of a Styler, counted."""
    seen = []
    real = styledtables._MARSHALL

    def counting(proto, styler, default_uuid):
        seen.append(styler)
        return real(proto, styler, default_uuid)

    monkeypatch.setattr(styledtables, "_MARSHALL", counting)
    return seen


def converted(styler) -> ArrowData:
    proto = ArrowData()
    arrow.marshall_styler(proto, styler, "from-the-place")
    return proto


def test_a_held_table_is_converted_once_and_drawn_as_streamlit_draws_it(conversions):
    held = components.styled_table(frame(), held_as="a_table")
    assert styledtables.is_held(held) and not styledtables.is_held(components.styled_table(frame()))
    first, second = converted(held), converted(held)
    assert len(conversions) == 1
    plain = components.styled_table(frame())
    plain.set_uuid("a_table")
    expected = converted(plain)
    assert first.styler == second.styler == expected.styler
    assert first.styler.uuid == "a_table"
    texts = pa.ipc.open_stream(first.styler.display_values).read_pandas()
    assert texts.loc[0, "Lượt"] == "2.740" and texts.loc[0, "Điểm"] == "83,2"
    assert texts.loc[0, "Ngày"] == "01/01/2026" and texts.loc[1, "Ghi chú"] == "—"


def test_every_other_styler_is_converted_every_time(conversions):
    plain = components.styled_table(frame())
    converted(plain)
    converted(plain)
    assert len(conversions) == 2


def test_sessions_drawing_a_held_table_first_at_once_convert_it_once(conversions):
    held = components.styled_table(frame(2000), held_as="b_table")
    start = threading.Barrier(4)

    def draw(_):
        start.wait(10)
        return converted(held).styler

    with ThreadPoolExecutor(4) as pool:
        drawn = list(pool.map(draw, range(4)))
    assert len(conversions) == 1 and all(d == drawn[0] for d in drawn)


def test_a_held_table_is_made_once_per_data_version_and_what_it_depends_on(sample_engine, monkeypatch):
    snapshots.DERIVED.clear()
    ds = snapshots.dataset(sample_engine, Scope.city())
    built, drawn = [], []
    monkeypatch.setattr(components.st, "dataframe", lambda data, **kwargs: drawn.append((data, kwargs)))

    def build() -> pd.DataFrame:
        built.append(1)
        return frame()

    for _ in range(3):
        components.show_table(build, key="c_table", held=(ds, ("2026",)))
    assert len(built) == 1 and drawn[0][0] is drawn[1][0] is drawn[2][0]
    assert drawn[0][1]["key"] == "c_table" and drawn[0][1]["hide_index"] is True
    components.show_table(build, key="c_table", held=(ds, ("2025",)))
    components.show_table(build, key="c_table", decimals={"Điểm": 2}, held=(ds, ("2026",)))
    components.show_table(build, key="c_table")  # not held: styled every time
    components.show_table(build, key="c_table")
    assert len(built) == 1 + 2 + 2
    with pytest.raises(ValueError, match="key"):
        components.show_table(build, held=(ds, ()))


def test_the_register_and_the_area_page_style_their_tables_once(page_store, monkeypatch):
    snapshots.DERIVED.clear()
    styled = []
    real = components.styled_table

    def counting(table, decimals=None, held_as=None):
        styled.append((held_as, len(table)))
        return real(table, decimals, held_as)

    monkeypatch.setattr(components, "styled_table", counting)
    for page in ("pages/register.py", "pages/register.py", "pages/area.py", "pages/area.py"):
        run_page(page)
    held = [name for name, _ in styled if name]
    assert held.count("register_table") == 1 and held.count("hotspot_table") == 1
    at = run_page("pages/register.py")
    at.text_input(key="register_search").set_value("HK").run()  # fewer rows: a table of its own
    assert [name for name, _ in styled if name].count("register_table") == 2
    assert len(at.dataframe[0].value) < next(n for name, n in styled if name == "register_table")


def test_the_shared_cache_reckons_a_styled_table_by_its_frame():
    styled = components.styled_table(frame(), held_as="d_table")
    assert caches._nbytes(styled) == caches._nbytes(styled.data) > 0
