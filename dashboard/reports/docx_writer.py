"""Lay a :class:`~dashboard.reports.model.Document` out as a .docx report.

The layout follows the administrative-document rules of Decree 30/2020/NĐ-CP
(Annex I): A4 portrait, margins 20/20/30/15 mm, Times New Roman, 14 pt body,
the two-column header (issuing body / national title and motto), number and
place-date line, the document type and summary, the body, and the closing
("Nơi nhận:" / signature block), page numbers centred in the header from page 2.

>>> from dashboard.reports.docx_writer import write_docx
>>> data = write_docx(document)  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from dashboard.i18n import t
from dashboard.reports.model import (
    Bullets,
    Cell,
    Document,
    Heading,
    Image,
    Letterhead,
    Paragraph,
    Table,
    cell_text,
)

FONT = "Times New Roman"
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
#: The width between the margins: 210 − 30 − 15.
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
BODY_PT = 14
TABLE_PT = 12
FIRST_LINE_INDENT_MM = 12.7
LINE_SPACING = 1.15
#: Header and closing tables: left (issuing body, recipients) and right column widths.
LEFT_COLUMN_MM = 75.0
RIGHT_COLUMN_MM = TEXT_WIDTH_MM - LEFT_COLUMN_MM
#: Empty lines left for the signature and the seal.
SIGNATURE_LINES = 4

_RFONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
#: Children of ``w:pPr`` that must come after ``w:pBdr`` (ECMA-376 order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
#: Children of ``w:tblPr`` that must come after ``w:tblBorders``.
_AFTER_TBLBORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip


def write_docx(doc: Document) -> bytes:
    """The report as .docx bytes, laid out per Decree 30/2020/NĐ-CP.

    Parameters
    ----------
    doc : Document
        The neutral document: letterhead and blocks. ``doc.public`` adds the
        public-version notice under the summary.

    Returns
    -------
    bytes
        A Word document (Office Open XML).
    """
    out = docx.Document()
    _page_setup(out)
    _styles(out)
    _page_numbers(out)
    _letterhead(out, doc.letterhead, public=doc.public)
    for block in doc.blocks:
        _BLOCK_WRITERS[type(block)](out, block)
    _closing(out, doc.letterhead)
    _properties(out, doc.letterhead)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def place_date(place: str, date: dt.date) -> str:
    """``"Hà Nội, ngày 05 tháng 10 năm 2020"``.

    The decree writes a leading zero for days below 10 and for months 1 and 2
    ("tháng 01", "tháng 02"), none for months from 3 on ("tháng 3").
    """
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return t("doc.place_date", place=place, day=f"{date.day:02d}", month=month, year=date.year)


#: A table cell as printed (shared by every writer: :func:`dashboard.reports.model.cell_text`).
format_cell = cell_text


# -- page, styles, header ------------------------------------------------------


def _page_setup(out) -> None:
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.gutter = Mm(0)


def _set_rfonts(rpr) -> None:
    """Times New Roman for every script slot of a ``w:rPr``, no theme font."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in _RFONT_ATTRS:
        rfonts.set(qn(attr), FONT)


def _complex_size(rpr, size: float) -> None:
    """``w:szCs``: the size of complex-script text, kept equal to ``w:sz``."""
    element = rpr.find(qn("w:szCs"))
    if element is None:
        element = OxmlElement("w:szCs")
        rpr.find(qn("w:sz")).addnext(element)
    element.set(qn("w:val"), str(int(size * 2)))


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def _styles(out) -> None:
    """Times New Roman on the defaults and on every style the writer uses."""
    styles = out.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr)
    _set_lang(rpr)

    # Every style of the template (theme fonts, Courier of "Macro Text"): none is left unset.
    for rfonts in styles.element.iter(qn("w:rFonts")):
        _set_rfonts(rfonts.getparent())

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_rfonts(normal.element.get_or_add_rPr())
    _complex_size(normal.element.get_or_add_rPr(), BODY_PT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = LINE_SPACING
    fmt.widow_control = True

    for name, level in (("Heading 1", 1), ("Heading 2", 2)):
        style = styles[name]
        font = style.font
        font.name = FONT
        font.size = Pt(BODY_PT)
        font.bold = True
        font.italic = level == 2
        font.color.rgb = None
        _set_rfonts(style.element.get_or_add_rPr())
        _complex_size(style.element.get_or_add_rPr(), BODY_PT)
        pfmt = style.paragraph_format
        pfmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pfmt.first_line_indent = Mm(FIRST_LINE_INDENT_MM)
        pfmt.space_before = Pt(6)
        pfmt.space_after = Pt(6)
        pfmt.line_spacing = LINE_SPACING
        pfmt.keep_with_next = True

    for name, size in (
        ("Header", BODY_PT), ("Footer", BODY_PT), ("Table Grid", TABLE_PT), ("Heading 1 Char", BODY_PT),
        ("Heading 2 Char", BODY_PT), ("Header Char", BODY_PT), ("Footer Char", BODY_PT),
    ):  # fmt: skip
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = None
        _set_rfonts(style.element.get_or_add_rPr())
        _complex_size(style.element.get_or_add_rPr(), size)
    for name in ("Header", "Footer"):
        pfmt = styles[name].paragraph_format
        pfmt.first_line_indent = Mm(0)
        pfmt.space_after = Pt(0)
        pfmt.line_spacing = 1.0


def _page_numbers(out) -> None:
    """A PAGE field centred in the default header; the first page has none."""
    section = out.sections[0]
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    for paragraph in first.paragraphs:
        paragraph.text = ""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", placeholder="2", size=BODY_PT)


def _field(paragraph: DocxParagraph, instruction: str, *, placeholder: str, size: float) -> None:
    """A complex field (``w:fldChar`` begin / ``w:instrText`` / separate / end)."""

    def run_with(element):
        run = paragraph.add_run()
        _font(run, size=size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    _font(shown, size=size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# -- small formatting helpers --------------------------------------------------


def _font(run, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    run.font.name = FONT
    _set_rfonts(run._r.get_or_add_rPr())
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _tight(
    paragraph: DocxParagraph, *, align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0
) -> DocxParagraph:
    """Single spacing, no first-line indent: lines of the header and closing blocks."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Mm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    return paragraph


def _text(
    container,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    first: bool = False,
) -> DocxParagraph:
    """A tight paragraph in a cell (reusing its first, empty paragraph) or in the body."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    _tight(paragraph, align=align, before=before, after=after)
    _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _rule(container, *, width_mm: float, column_mm: float, before: float = 0) -> DocxParagraph:
    """A short centred horizontal line: the bottom border of an empty, indented paragraph."""
    paragraph = _tight(container.add_paragraph(), before=before)
    fmt = paragraph.paragraph_format
    side = max((column_mm - width_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, *_AFTER_PBDR)
    mark = OxmlElement("w:rPr")  # the paragraph mark: 2 pt, so the empty line stays thin
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")
    return paragraph


def _layout_table(out, widths_mm: Sequence[float], rows: int = 1) -> DocxTable:
    """A borderless table of fixed column widths (header and closing blocks)."""
    table = out.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tblpr.insert_element_before(borders, *_AFTER_TBLBORDERS)
    margins = OxmlElement("w:tblCellMar")  # no cell padding: the columns hold the full text width
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tblpr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    _widths(table, widths_mm)
    return table


def _widths(table: DocxTable, widths_mm: Sequence[float]) -> None:
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


# -- letterhead and closing ----------------------------------------------------


def _letterhead(out, head: Letterhead, *, public: bool) -> None:
    table = _layout_table(out, (LEFT_COLUMN_MM, RIGHT_COLUMN_MM), rows=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left_content, right_content = LEFT_COLUMN_MM, RIGHT_COLUMN_MM
    first = True
    if head.issuer_parent:
        _text(left, head.issuer_parent.upper(), size=13, first=True)
        first = False
    _text(left, head.issuer.upper(), size=13, bold=True, first=first)
    _rule(left, width_mm=left_content / 3, column_mm=left_content)
    _text(right, t("doc.national_title"), size=12, bold=True, first=True)
    _text(right, t("doc.motto"), size=13, bold=True)
    _rule(right, width_mm=56, column_mm=right_content)
    number = head.number if head.number.lstrip().startswith("Số") else t("doc.number_prefix") + head.number
    _text(table.cell(1, 0), number, size=13, first=True, before=6)
    _text(table.cell(1, 1), place_date(head.place, head.date), size=14, italic=True, first=True, before=6)

    title = _tight(out.add_paragraph(), before=18)
    _font(title.add_run(head.doc_type.upper()), size=BODY_PT, bold=True)
    title.paragraph_format.keep_with_next = True
    summary = _text(out, head.summary, size=BODY_PT, bold=True)
    summary.paragraph_format.keep_with_next = True
    _rule(out, width_mm=40, column_mm=TEXT_WIDTH_MM)
    if public:
        _text(out, t("doc.public_note"), size=13, italic=True, before=6)
    spacer = _tight(out.add_paragraph(), after=6)
    spacer.paragraph_format.line_spacing = 1.0


def _closing(out, head: Letterhead) -> None:
    _tight(out.add_paragraph(), before=6)
    table = _layout_table(out, (LEFT_COLUMN_MM, RIGHT_COLUMN_MM))
    left, right = table.cell(0, 0), table.cell(0, 1)
    _text(
        left, t("doc.recipients"), size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True
    )
    recipients = [r.strip().rstrip(";.").strip() for r in head.recipients if r.strip()]
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        text = recipient if recipient.startswith("-") else f"- {recipient}"
        _text(left, f"{text}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _text(right, head.signer_authority.upper(), size=14, bold=True, first=True)
    if head.signer_title:
        _text(right, head.signer_title.upper(), size=14, bold=True)
    for _ in range(SIGNATURE_LINES):
        _text(right, "", size=14)
    if head.signer_name.strip():
        _text(right, head.signer_name.strip(), size=14, bold=True)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _properties(out, head: Letterhead) -> None:
    props = out.core_properties
    props.title = head.summary
    props.subject = head.doc_type
    props.author = head.issuer
    props.last_modified_by = head.issuer
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = "vi-VN"
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now


# -- body blocks ---------------------------------------------------------------


def _heading(out, block: Heading) -> None:
    out.add_heading(block.text, level=1 if block.level <= 1 else 2)


def _paragraph(out, block: Paragraph) -> None:
    paragraph = out.add_paragraph()
    _font(paragraph.add_run(block.text), bold=block.bold or None, italic=block.italic or None)


def _bullets(out, block: Bullets) -> None:
    for item in block.items:
        text = item.strip()
        out.add_paragraph(text if text.startswith("- ") else f"- {text}")


#: Width of one character of 12 pt Times New Roman (mm, a generous average) and a cell's padding.
CHAR_MM = 2.5
CELL_PAD_MM = 4.4


def _column_widths(table: Table) -> list[float]:
    """Column widths (mm) across the text width.

    Each column first gets room for its longest word (a code such as "TD-001"
    or a number is never broken across lines); what is left of the text width
    is shared by the length of what the columns hold.
    """
    floors, weights = [], []
    for index, header in enumerate(table.columns):
        texts = [format_cell(row[index], table.decimals.get(index, 0)) for row in table.rows]
        if table.total:
            texts.append(format_cell(table.total[index], table.decimals.get(index, 0)))
        words = [word for text in texts for word in text.split()]
        longest_word = max((len(word) for word in [*header.split(), *words]), default=1)
        data = max((len(text) for text in texts), default=1)
        floors.append(longest_word * CHAR_MM + CELL_PAD_MM)
        weights.append(max(4.0, len(header) / 3, min(data, 40) + 1))
    spare = TEXT_WIDTH_MM - sum(floors)
    if spare <= 0:  # too many columns for their words: shrink all alike
        return [TEXT_WIDTH_MM * f / sum(floors) for f in floors]
    total = sum(weights)
    return [f + spare * w / total for f, w in zip(floors, weights, strict=True)]


def _table(out, block: Table) -> None:
    title = _text(out, block.title, size=13, bold=True, before=6, after=3)
    title.paragraph_format.keep_with_next = True
    rows = [block.columns, *block.rows, *((block.total,) if block.total else ())]
    table = out.add_table(rows=len(rows), cols=len(block.columns))
    table.style = out.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, _column_widths(block))
    last = len(rows) - 1
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        bold = r == 0 or (block.total is not None and r == last)
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            if r == 0:
                _cell(cell, str(value), WD_ALIGN_PARAGRAPH.CENTER, bold=True)
                continue
            text = format_cell(value, block.decimals.get(c, 0))
            _cell(cell, text, _alignment(value), bold=bold)
            if r == last and block.note:
                cell.paragraphs[0].paragraph_format.keep_with_next = True  # the note stays with the table
    if block.note:
        _text(out, block.note, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=3, after=6)
    else:
        _tight(out.add_paragraph(), after=6)


def _alignment(value: Cell):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WD_ALIGN_PARAGRAPH.RIGHT
    if isinstance(value, dt.date) or value is None:
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.LEFT


def _cell(cell: _Cell, text: str, align, *, bold: bool) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _text(cell, text, size=TABLE_PT, bold=bold, align=align, before=2, after=2, first=True)


def _image(out, block: Image) -> None:
    paragraph = _tight(out.add_paragraph(), before=6, after=3)
    paragraph.paragraph_format.keep_with_next = True
    width = min(block.width_mm, TEXT_WIDTH_MM)
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=Mm(width))
    if block.caption:
        _text(out, block.caption, size=13, italic=True, after=6)


_BLOCK_WRITERS = {
    Heading: _heading,
    Paragraph: _paragraph,
    Bullets: _bullets,
    Table: _table,
    Image: _image,
}
