"""The steering committee's deck: slides from the view, the .pptx, its public version, its PDF."""

from __future__ import annotations

import re
from io import BytesIO

import pandas as pd
import pytest
from pagetest import TODAY
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from dashboard import render, views
from dashboard.i18n import fmt_number, t
from dashboard.reports import convert, deck, model, pptx_writer

YEAR = 2020  # the plan of the source letter: 13 to clear, 6 to keep clean


@pytest.fixture(scope="module")
def view(sample_dataset) -> views.DeckView:
    return views.deck(sample_dataset, YEAR, today=TODAY)


@pytest.fixture(scope="module")
def built(view) -> model.Deck:
    return deck.build_deck(view)


@pytest.fixture(scope="module")
def public_deck(view) -> model.Deck:
    return deck.build_deck(view, public=True)


@pytest.fixture(scope="module")
def pptx_bytes(built) -> bytes:
    return pptx_writer.write_pptx(built, sample=True)


@pytest.fixture(scope="module")
def public_pptx(public_deck) -> bytes:
    return pptx_writer.write_pptx(public_deck)


def open_pptx(data: bytes):
    return Presentation(BytesIO(data))


def shape_texts(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return out


def named(slide, name: str):
    return [s for s in slide.shapes if s.name == name]


def xml_text(data: bytes) -> str:
    """Every XML part of the .pptx, as text (slides, properties, notes)."""
    import zipfile

    with zipfile.ZipFile(BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


# --------------------------------------------------------------------------
# The model


def test_slides_in_order_with_view_figures(view, built):
    assert [s.key for s in built.slides] == list(deck.SLIDES)
    k = view.overview.kpis
    assert (k.clear_target, k.keep_target) == (13, 6)
    figures = dict(built.slides[1].figures)
    assert figures[t("kpi.cleared")] == f"{k.cleared}/13"
    assert figures[t("kpi.kept_clean")] == f"{k.kept_clean}/6"
    assert figures[t("kpi.reemerged")] == fmt_number(k.reemerged)
    assert figures[t("kpi.active")] == fmt_number(k.open_now)
    assert figures[t("kpi.activities")] == fmt_number(k.activities)
    assert figures[t("kpi.border_hotspots")] == fmt_number(view.overview.border_hotspots)
    assert figures[t("kpi.high_risk")] == fmt_number(view.overview.high_risk)
    title = built.slides[0]
    assert str(YEAR) in title.title and title.subtitle == "Ban chỉ đạo 138 thành phố Hà Nội"
    assert "31/12/2020" in title.note


def test_chart_and_map_slides_hold_pngs_of_projector_size(built):
    for key in ("map", "status", "activities", "border"):
        (slide,) = [s for s in built.slides if s.key == key]
        assert slide.image is not None and slide.image.png[:8] == b"\x89PNG\r\n\x1a\n", key
    sizes = {s.key: render.png_size(s.image.png) for s in built.slides if s.image}
    assert sizes["activities"] == sizes["status"] == (1600, 900)
    assert sizes["map"] == (deck.MAP_WIDTH + deck.LEGEND_WIDTH, deck.MAP_HEIGHT)


def test_projector_copy_has_large_type_and_whole_number_ticks(view):
    from dashboard import charts

    original = charts.activities_chart(view.overview.activities)
    big = deck.projector(original)
    assert big.layout.font.size >= 22 and not big.layout.title.text
    assert big.layout.yaxis.tickformat == ",d" and big.layout.yaxis.dtick >= 1
    assert original.layout.font.size != big.layout.font.size  # the caller's figure is not changed


def test_charts_render_in_one_batch(view, monkeypatch):
    calls = []
    real = render.figures_png

    def counting(figures, scale=1.0):
        figures = list(figures)
        calls.append(len(figures))
        return real(figures, scale=scale)

    monkeypatch.setattr(render, "figures_png", counting)
    monkeypatch.setattr(render, "figure_png", lambda *a, **k: pytest.fail("one figure at a time"))
    deck.build_deck(view)
    assert calls == [3]


def test_risk_slide_lists_handover_and_top_risk(view, built):
    slide = built.slides[6]
    handover = view.quarterly.handover
    assert slide.table is not None
    assert [row[0] for row in slide.table.rows] == list(handover["code"].head(deck.MAX_HANDOVER_ROWS))
    assert slide.table.rows[0][2] == t(f"deck.rec.{handover['recommendation'].iloc[0]}")
    top = view.top_risk.head(deck.MAX_TOP_RISK)
    assert [b.split(":")[0] for b in slide.bullets[1:]] == list(top["code"])
    assert fmt_number(top["score"].iloc[0], 1) in slide.bullets[1]


def test_decisions_slide_lists_the_views_notes(view, built):
    slide = built.slides[-1]
    assert not view.decisions.empty
    shown = view.decisions.head(deck.MAX_DECISIONS)
    assert len(slide.bullets) == len(shown)
    for bullet, month in zip(slide.bullets, shown["month"], strict=True):
        assert bullet.startswith(f"Tháng {month:%m/%Y} · ")


def test_no_decisions_says_so(view):
    import dataclasses

    empty = dataclasses.replace(view, decisions=view.decisions.iloc[0:0])
    slide = deck._decisions(empty, public_version=False)
    assert slide.bullets == () and slide.note == "Không có đề xuất cần quyết định trong kỳ."


def test_decisions_are_listed_per_unit_and_month(view):
    import dataclasses

    first_name = view.overview.hotspots["name"].iloc[0]
    notes = pd.DataFrame(
        {
            "month": [pd.Timestamp("2020-11-01"), pd.Timestamp("2020-12-01")],
            "level": ["district", "district"],
            "unit_code": ["001", "002"],
            "difficulties": ["", ""],
            "proposals": ["", ""],
            "decisions": [f"Giao công an quận lập chốt tại {first_name}", "Họp liên ngành"],
            "hotspot_codes": ["", ""],
        }
    )
    noted = dataclasses.replace(view, decisions=notes)
    assert first_name
    slide = deck._decisions(noted, public_version=False)
    assert len(slide.bullets) == 2 and slide.note == ""
    assert slide.bullets[0].startswith("Tháng 11/2020 · Quận Ba Đình: Giao công an")
    public = deck._decisions(noted, public_version=True)
    assert view.overview.hotspots["name"].iloc[0] not in public.bullets[0]
    assert view.overview.hotspots["code"].iloc[0] in public.bullets[0]


# --------------------------------------------------------------------------
# The .pptx


def test_pptx_is_16_9_with_titles_in_order(built, pptx_bytes):
    prs = open_pptx(pptx_bytes)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(built.slides) == 8
    titles = [named(s, "Title")[0].text_frame.text for s in prs.slides]
    assert titles == [s.title for s in built.slides]
    numbers = [named(s, "Slide number")[0].text_frame.text for s in prs.slides]
    assert numbers == [f"{i}/8" for i in range(1, 9)]
    assert all(named(s, "Mark")[0].text_frame.text == "DỮ LIỆU MẪU" for s in prs.slides)


def test_every_chart_and_map_slide_has_a_picture_undistorted(built, pptx_bytes):
    prs = open_pptx(pptx_bytes)
    for spec, slide in zip(built.slides, prs.slides, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        if spec.image is None:
            assert not pictures, spec.key
            continue
        (pic,) = pictures
        w, h = render.png_size(spec.image.png)
        assert abs(pic.width / pic.height - w / h) < 0.01, spec.key
        assert pic.left >= 0 and pic.top >= Inches(1.5)
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= Inches(6.9)


def test_progress_figures_equal_the_view(view, pptx_bytes):
    slide = open_pptx(pptx_bytes).slides[1]
    cards = {tuple(p.text for p in s.text_frame.paragraphs) for s in named(slide, "Figure")}
    k = view.overview.kpis
    assert (f"{k.cleared}/13", t("kpi.cleared")) in cards
    assert (f"{k.kept_clean}/6", t("kpi.kept_clean")) in cards
    assert (fmt_number(k.activities), t("kpi.activities")) in cards
    assert (fmt_number(view.overview.high_risk), t("kpi.high_risk")) in cards


def test_type_sizes_are_room_sized_and_font_is_bundled(pptx_bytes):
    prs = open_pptx(pptx_bytes)
    seen = set()
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append((shape.name, shape.text_frame))
            if shape.has_table:
                frames += [("Table", c.text_frame) for row in shape.table.rows for c in row.cells]
            for name, frame in frames:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        if not run.text.strip():
                            continue
                        size = run.font.size.pt
                        assert run.font.name == pptx_writer.FONT == "Arial", (name, run.text)
                        minimum = {"Title": 36, "Table": 16, "Slide number": 16, "Footer": 16, "Mark": 16,
                                   "Table note": 16}.get(name, 20)  # fmt: skip
                        if name == "Figure" and paragraph is frame.paragraphs[0]:
                            minimum = 40
                        assert size >= minimum, (name, run.text, size)
                        seen.add(name)
    assert {"Title", "Figure", "Table", "Bullets", "Slide number"} <= seen


def test_public_version_has_no_name_or_coordinate(view, public_deck, public_pptx):
    text = xml_text(public_pptx)
    names = {*view.overview.hotspots["name"], *view.quarterly.handover["name"], *view.top_risk["name"]}
    leaked = sorted(n for n in names if n and n in text)
    assert not leaked
    for lat, lon in zip(view.overview.hotspots["lat"], view.overview.hotspots["lon"], strict=True):
        for value in (lat, lon):
            assert f"{value:.4f}" not in text and f"{value:.4f}".replace(".", ",") not in text
    assert not re.search(r"\b(20|21)[.,]\d{3,}", text) and not re.search(r"\b10[56][.,]\d{3,}", text)
    prs = open_pptx(public_pptx)
    assert named(prs.slides[0], "Public mark")[0].text_frame.text == "BẢN CÔNG KHAI"
    assert "Bản công khai" in named(prs.slides[3], "Mark")[0].text_frame.text
    # small counts in the handover table are hidden
    handover = view.quarterly.handover.head(deck.MAX_HANDOVER_ROWS)
    table = public_deck.slides[6].table
    assert t("deck.col.name") not in table.columns  # the codes are the first column already
    cells = [row[table.columns.index(t("deck.col.checks"))] for row in table.rows]
    for checks, cell in zip(handover["checks_since"], cells, strict=True):
        if checks is not pd.NA and checks is not None and 0 < int(checks) < 3:
            assert cell == "<3"
        elif checks is not pd.NA and checks is not None:
            assert cell == fmt_number(int(checks))
    assert deck._count(2, True) == "<3" and deck._count(0, True) == "0" and deck._count(2, False) == 2


def test_public_map_is_drawn_from_displaced_points(view, public_deck, built, monkeypatch):
    from dashboard import public

    moved = []
    real = public.displace
    monkeypatch.setattr(public, "displace", lambda frame, **kw: moved.append(len(frame)) or real(frame, **kw))
    slide = deck._map(view, public_version=True)
    assert moved == [len(view.overview.hotspots)]
    assert slide.note == t("deck.map.public")
    assert public_deck.slides[2].image.png != built.slides[2].image.png


def test_pdf_of_the_deck_keeps_vietnamese_text(pptx_bytes):
    pdf = convert.to_pdf(pptx_bytes, ".pptx")
    pages = convert.pdf_pages_png(pdf, 40)
    assert len(pages) == 8 and pages[0][:8] == b"\x89PNG\r\n\x1a\n"
    text = " ".join(convert.pdf_text(pdf).split())
    assert "\ufffd" not in text and "?" not in text
    assert f"Công tác triệt xóa tụ điểm phức tạp về mại dâm năm {YEAR}" in text
    assert "Tiến độ kế hoạch năm 2020" in text and "DỮ LIỆU MẪU" in text


def test_deck_pptx_shortcut(view):
    data = deck.deck_pptx(view, public=True, sample=False)
    prs = open_pptx(data)
    assert len(prs.slides) == 8
    assert not any("DỮ LIỆU MẪU" in text for s in prs.slides for text in shape_texts(s))
    assert Emu(prs.slide_width).inches == pytest.approx(13.333, abs=0.001)
    assert Pt(pptx_writer.TITLE_PT) >= Pt(36)
