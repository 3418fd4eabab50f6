"""Lay a :class:`~dashboard.reports.model.Deck` out as a 16:9 PowerPoint file.

Made for the back of a meeting room: dark text on white, titles at 36 pt or more,
figures at 44 pt, body text at 20 pt or more, tables at 16 pt or more, a slide
number and a footer on every slide ("DỮ LIỆU MẪU" in red while the data is
sample data, "Bản công khai" on the public version). Pictures keep their aspect
ratio. Text runs are set in Arial, which every office machine that opens a .pptx
has, with full Vietnamese coverage (LibreOffice renders it with the metric-
compatible Liberation Sans); the pictures carry the bundled Be Vietnam Pro.
No outside template is used (python-pptx's own blank one).

The writer only lays out: every text and number comes formatted in the model.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from dashboard.i18n import t
from dashboard.reports import model

#: A .pptx cannot carry the bundled font, and a font the reader's machine lacks is
#: replaced by whatever it has: Arial is on every machine that opens the file.
FONT = "Arial"

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)

#: Type sizes (points).
TITLE_PT, TITLE_SLIDE_PT = 36, 44
SUBTITLE_PT = 22
FIGURE_PT, FIGURE_LABEL_PT = 44, 20
BODY_PT = 22
EMPTY_PT = 28
TABLE_PT = 16
FOOTER_PT = 16

#: Colours.
INK = RGBColor(0x1A, 0x1A, 0x1A)
NAVY = RGBColor(0x12, 0x2B, 0x4A)
MUTED = RGBColor(0x44, 0x4C, 0x58)
ACCENT = RGBColor(0xB3, 0x1B, 0x1B)
CARD = RGBColor(0xEE, 0xF2, 0xF7)
CARD_EDGE = RGBColor(0x9A, 0xA8, 0xBA)
HEADER_FILL = RGBColor(0x12, 0x2B, 0x4A)
STRIPE = RGBColor(0xF2, 0xF4, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)

#: Layout (inches).
MARGIN = 0.6
TITLE_TOP, TITLE_H = 0.3, 0.85
SUBTITLE_TOP, SUBTITLE_H = 1.1, 0.5
BODY_TOP = 1.75
NOTE_H = 0.5
FOOTER_TOP, FOOTER_H = 6.9, 0.45
GAP = 0.3


def write_pptx(deck: model.Deck, *, sample: bool = False) -> bytes:
    """The .pptx bytes of ``deck``.

    Parameters
    ----------
    deck : Deck
        From :func:`dashboard.reports.deck.build_deck`.
    sample : bool
        The data is sample data: every slide's footer says "DỮ LIỆU MẪU".
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = deck.title
    props.subject = deck.subtitle
    props.author = t("deck.issuer")
    props.last_modified_by = t("deck.issuer")
    props.keywords = ""
    props.comments = ""
    props.created = props.modified = dt.datetime.now().replace(microsecond=0)
    blank = prs.slide_layouts[6]
    total = len(deck.slides)
    for number, spec in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(blank)
        if spec.key == "title":
            _title_slide(slide, spec, deck.public)
        else:
            _content_slide(slide, spec)
        _footer(slide, deck, number, total, sample)
    out = BytesIO()
    prs.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------
# Text helpers


def _text(slide, left, top, width, height, text: str, size: int, *, bold=False, colour=INK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, name: str = ""):  # fmt: skip
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.04))
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, size, bold=bold, colour=colour)
    return box


def _run(paragraph, text: str, size: int, *, bold=False, colour=INK):
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    return run


def _header(slide, spec: model.Slide) -> None:
    width = 13.333 - 2 * MARGIN
    _text(slide, MARGIN, TITLE_TOP, width, TITLE_H, spec.title, TITLE_PT, bold=True, colour=NAVY,
          anchor=MSO_ANCHOR.BOTTOM, name="Title")  # fmt: skip
    rule = slide.shapes.add_connector(1, Inches(MARGIN), Inches(TITLE_TOP + TITLE_H + 0.02),
                                      Inches(MARGIN + width), Inches(TITLE_TOP + TITLE_H + 0.02))  # fmt: skip
    rule.line.color.rgb = NAVY
    rule.line.width = Pt(2)
    if spec.subtitle:
        _text(slide, MARGIN, SUBTITLE_TOP + 0.1, width, SUBTITLE_H, spec.subtitle, SUBTITLE_PT, colour=MUTED,
              name="Subtitle")  # fmt: skip


def _footer(slide, deck: model.Deck, number: int, total: int, sample: bool) -> None:
    marks = []
    if sample:
        marks.append(t("deck.sample_mark"))
    if deck.public:
        marks.append(t("public.label"))
    left = MARGIN
    if marks:
        _text(slide, left, FOOTER_TOP, 4.4, FOOTER_H, " · ".join(marks), FOOTER_PT + 2, bold=True,
              colour=ACCENT, anchor=MSO_ANCHOR.MIDDLE, name="Mark")  # fmt: skip
        left += 4.5
    _text(slide, left, FOOTER_TOP, 13.333 - MARGIN - 1.4 - left, FOOTER_H, deck.subtitle, FOOTER_PT,
          colour=MUTED, anchor=MSO_ANCHOR.MIDDLE, name="Footer")  # fmt: skip
    _text(
        slide,
        13.333 - MARGIN - 1.3,
        FOOTER_TOP,
        1.3,
        FOOTER_H,
        f"{number}/{total}",
        FOOTER_PT,
        bold=True,
        colour=MUTED,
        align=PP_ALIGN.RIGHT,
        anchor=MSO_ANCHOR.MIDDLE,
        name="Slide number",
    )


# --------------------------------------------------------------------------
# Slides


def _title_slide(slide, spec: model.Slide, public: bool) -> None:
    width = 13.333 - 2 * 1.0
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.0), SLIDE_WIDTH, Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = NAVY
    band.line.fill.background()
    _text(slide, 1.0, 0.7, width, 0.8, spec.subtitle.upper(), 24, bold=True, colour=NAVY, name="Committee")
    for item in spec.bullets:
        _text(slide, 1.0, 1.3, width, 0.6, item, BODY_PT, colour=MUTED, name="Issuer")
    _text(slide, 1.0, 2.1, width, 2.4, spec.title, TITLE_SLIDE_PT, bold=True, colour=WHITE,
          anchor=MSO_ANCHOR.MIDDLE, name="Title")  # fmt: skip
    if spec.note:
        _text(slide, 1.0, 4.9, width, 0.7, spec.note, 28, colour=INK, name="As of")
    if public:
        tag = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(1.0), Inches(5.75), Inches(3.6),
                                     Inches(0.75))  # fmt: skip
        tag.name = "Public mark"
        tag.fill.solid()
        tag.fill.fore_color.rgb = WHITE
        tag.line.color.rgb = ACCENT
        tag.line.width = Pt(3)
        frame = tag.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.CENTER
        _run(paragraph, t("public.label").upper(), 26, bold=True, colour=ACCENT)


def _content_slide(slide, spec: model.Slide) -> None:
    _header(slide, spec)
    left, top = MARGIN, BODY_TOP
    width = 13.333 - 2 * MARGIN
    bottom = FOOTER_TOP - 0.1
    empty = spec.image is None and spec.table is None and not spec.figures and not spec.bullets
    if empty:  # only a line to say so ("Không có đề xuất …"): large, where the content would be
        _text(slide, MARGIN, top + 0.4, width, 1.2, spec.note, EMPTY_PT, colour=INK, name="Note")
        return
    if spec.note:
        bottom -= NOTE_H
        _text(slide, MARGIN, bottom + 0.05, width, NOTE_H, spec.note, BODY_PT, colour=MUTED, name="Note")
    height = bottom - top
    if spec.image is not None and spec.figures:
        side = 3.4
        _picture(slide, spec.image, left, top, width - side - GAP, height)
        _figure_column(slide, spec.figures, left + width - side, top, side, height)
    elif spec.image is not None:
        _picture(slide, spec.image, left, top, width, height)
    elif spec.table is not None and spec.bullets:
        side = 3.1
        _table(slide, spec.table, left, top, width - side - GAP, height)
        _bullets(slide, spec.bullets, left + width - side, top, side, height, BODY_PT - 2)
    elif spec.table is not None:
        _table(slide, spec.table, left, top, width, height)
    elif spec.figures:
        _figure_grid(slide, spec.figures, left, top, width, height)
    elif spec.bullets:
        _bullets(slide, spec.bullets, left, top, width, height, BODY_PT + 2)


def _picture(slide, image: model.Image, left, top, width, height) -> None:
    """The picture as large as fits the box, aspect kept, centred."""
    from dashboard.render import png_size

    px_w, px_h = png_size(image.png)
    scale = min(width / px_w, height / px_h)
    w, h = px_w * scale, px_h * scale
    pic = slide.shapes.add_picture(BytesIO(image.png), Inches(left + (width - w) / 2),
                                   Inches(top + (height - h) / 2), Inches(w), Inches(h))  # fmt: skip
    pic.name = "Picture"
    # Alternative text for screen readers (the slide title says what it is too).
    pic._element.nvPicPr.cNvPr.set("descr", image.caption)


def _card(slide, label: str, value: str, left, top, width, height, value_pt: int) -> None:
    card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(width),
                                  Inches(height))  # fmt: skip
    card.name = "Figure"
    card.adjustments[0] = 0.08
    card.fill.solid()
    card.fill.fore_color.rgb = CARD
    card.line.color.rgb = CARD_EDGE
    card.line.width = Pt(1.25)
    frame = card.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(0.12))
    first = frame.paragraphs[0]
    first.alignment = PP_ALIGN.CENTER
    _run(first, value, value_pt, bold=True, colour=NAVY)
    second = frame.add_paragraph()
    second.alignment = PP_ALIGN.CENTER
    second.space_before = Pt(4)
    _run(second, label, FIGURE_LABEL_PT, colour=INK)


def _figure_grid(slide, figures, left, top, width, height) -> None:
    per_row = 4 if len(figures) > 4 else max(1, len(figures))
    rows = -(-len(figures) // per_row)
    card_w = (width - GAP * (per_row - 1)) / per_row
    card_h = min(2.4, (height - GAP * (rows - 1)) / rows)
    block = rows * card_h + (rows - 1) * GAP
    y = top + max(0.0, (height - block) / 2)
    for i, (label, value) in enumerate(figures):
        row, col = divmod(i, per_row)
        count = min(per_row, len(figures) - row * per_row)
        x0 = left + (width - (count * card_w + (count - 1) * GAP)) / 2  # centre a short last row
        _card(slide, label, value, x0 + col * (card_w + GAP), y + row * (card_h + GAP), card_w, card_h,
              FIGURE_PT + 10)  # fmt: skip


def _figure_column(slide, figures, left, top, width, height) -> None:
    card_h = min(2.2, (height - GAP * (len(figures) - 1)) / len(figures))
    for i, (label, value) in enumerate(figures):
        _card(slide, label, value, left, top + i * (card_h + GAP), width, card_h, FIGURE_PT)


def _bullets(slide, items, left, top, width, height, size: int) -> None:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    box.name = "Bullets"
    frame = box.text_frame
    frame.word_wrap = True
    for i, item in enumerate(items):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(8)
        # A heading line ends with ":" (e.g. "Nguy cơ tái hoạt động cao nhất:").
        heading = item.endswith(":")
        _run(paragraph, item if heading else f"• {item}", size, bold=heading, colour=NAVY if heading else INK)


def _table(slide, table: model.Table, left, top, width, height) -> None:
    rows = [*table.rows, *((table.total,) if table.total else ())]
    n_rows = len(rows) + 1
    note_h = 0.45 if table.note else 0.0
    row_h = min(0.5, (height - note_h) / n_rows)
    shape = slide.shapes.add_table(n_rows, len(table.columns), Inches(left), Inches(top), Inches(width),
                                   Inches(row_h * n_rows))  # fmt: skip
    shape.name = "Table"
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for j, inches in enumerate(_column_widths(table, width)):
        grid.columns[j].width = Inches(inches)
    for i in range(n_rows):
        grid.rows[i].height = Inches(row_h)
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, bold=True, colour=WHITE, fill=HEADER_FILL)
    for i, row in enumerate(rows, start=1):
        numeric = [isinstance(v, int | float) and not isinstance(v, bool) for v in row]
        for j, value in enumerate(row):
            text = model.cell_text(value, table.decimals.get(j, 0))
            short = len(text) <= 4
            _cell(
                grid.cell(i, j),
                text,
                bold=table.total is not None and i == n_rows - 1,
                fill=STRIPE if i % 2 == 0 else WHITE,
                align=PP_ALIGN.RIGHT if numeric[j] else PP_ALIGN.CENTER if short else PP_ALIGN.LEFT,
            )
    if table.note:
        _text(slide, left, top + row_h * n_rows + 0.05, width, note_h, table.note, TABLE_PT + 2, colour=MUTED,
              name="Table note")  # fmt: skip


#: Width of a character at :data:`TABLE_PT` (of a wide sans-serif), a cell's side margins, and
#: the width a column of text may be narrowed to, in inches.
CHAR_IN, CELL_PAD_IN, TEXT_COLUMN_MIN_IN = 0.15, 0.25, 1.6


def _column_widths(table: model.Table, width: float) -> list[float]:
    """Widths in inches adding up to ``width``: short columns (codes, counts) keep what they
    need, wide text columns share the rest (and wrap) when there is not enough room."""
    need = [_column_inches(table, j) for j in range(len(table.columns))]
    if sum(need) <= width:
        return [w * width / sum(need) for w in need]
    fixed = sum(w for w in need if w <= TEXT_COLUMN_MIN_IN)
    wide = sum(w for w in need if w > TEXT_COLUMN_MIN_IN)
    ratio = max(width - fixed, 0.1) / wide if wide else 1.0
    return [w if w <= TEXT_COLUMN_MIN_IN else w * ratio for w in need]


def _column_inches(table: model.Table, j: int) -> float:
    """Room for the longest cell and the longest word of the header (headers may wrap)."""
    cells = [len(model.cell_text(r[j], table.decimals.get(j, 0))) for r in table.rows]
    header = max(len(word) for word in table.columns[j].split())
    return max(header, min(28, max(cells, default=0)), 3) * CHAR_IN + CELL_PAD_IN


def _cell(cell, text: str, *, bold=False, colour=INK, fill=WHITE, align=PP_ALIGN.LEFT) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    _run(paragraph, text, TABLE_PT, bold=bold, colour=colour)
