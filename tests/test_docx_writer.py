"""The .docx writer: Decree 30/2020/NĐ-CP layout, checked on the saved bytes."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image as PILImage
from PIL import ImageDraw

from dashboard.i18n import t
from dashboard.reports.docx_writer import format_cell, place_date, write_docx
from dashboard.reports.model import Bullets, Document, Heading, Image, Letterhead, Paragraph, Table

MM = 36000  # EMU per millimetre

HEADINGS = (
    "I. Tình hình tụ điểm phức tạp",
    "1. Kết quả triệt xóa",
    "2. Tụ điểm tái hoạt động",
    "II. Nhiệm vụ trọng tâm quý IV",
)
RESULTS = Table(
    key="ket_qua_phuong",
    title="Bảng 1. Kết quả theo phường",
    columns=("Phường, xã", "Đã triệt xóa", "Tái hoạt động", "Tỷ lệ hoàn thành (%)", "Ngày bàn giao"),
    rows=(
        ("Phường Hoàn Kiếm", 2740, 3, 83.2, dt.date(2020, 9, 5)),
        ("Phường Cửa Nam", 1, 0, 100.0, None),
        ("Phường Ba Đình", 12, None, 50.0, dt.date(2020, 1, 15)),
        *((f"Phường Đống Đa {i}", i, 0, 12.5 * (i % 8), dt.date(2020, 8, i)) for i in range(1, 15)),
    ),
    total=("Tổng cộng", 2753 + sum(range(1, 15)), 3, 75.4, None),
    decimals={3: 1},
    note="Ghi chú: số liệu tính đến hết ngày 30/9/2020; «—» là chưa có số liệu.",
)
PARAGRAPH = (
    "Thực hiện Kế hoạch của Ủy ban nhân dân Thành phố, Ban chỉ đạo 138 các quận, huyện, thị xã đã "
    "chỉ đạo các phường, xã, thị trấn rà soát, lập danh sách tụ điểm phức tạp, tổ chức tuần tra, "
    "kiểm tra hành chính các cơ sở kinh doanh dịch vụ; đến nay Đã triệt xóa 9 tụ điểm, "
    "chưa phát hiện tụ điểm Tái hoạt động."
)


def chart_png(width: int = 640, height: int = 320) -> bytes:
    """A small bar chart drawn with Pillow (no network, no fonts needed)."""
    image = PILImage.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, value in enumerate((120, 200, 80, 260, 150)):
        x = 40 + i * 110
        draw.rectangle((x, height - 30 - value, x + 70, height - 30), fill=(31, 119, 180))
    draw.line((30, height - 30, width - 20, height - 30), fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_document(
    *, date: dt.date = dt.date(2020, 10, 5), signer_name: str = "", public: bool = False
) -> Document:
    """A hand-made two-page report with many Vietnamese diacritics."""
    head = Letterhead(
        issuer_parent="UBND thành phố Hà Nội",
        issuer="Sở Lao động - Thương binh và Xã hội",
        number="Số:       /BC-SLĐTBXH",
        place="Hà Nội",
        date=date,
        doc_type="Báo cáo",
        summary="Kết quả công tác phòng, chống mại dâm quý III năm 2020",
        recipients=("Ban chỉ đạo 138 Thành phố", "UBND các quận, huyện, thị xã", "Lưu: VT, PCTNXH"),
        signer_authority="KT. Giám đốc",
        signer_title="Phó Giám đốc",
        signer_name=signer_name,
    )
    blocks = (
        Heading(HEADINGS[0]),
        Paragraph(PARAGRAPH),
        Heading(HEADINGS[1], level=2),
        Paragraph("Các tụ điểm Đã triệt xóa được bàn giao cho địa phương theo dõi.", italic=True),
        RESULTS,
        Heading(HEADINGS[2], level=2),
        Bullets(
            ("Phường Hoàn Kiếm: không có tụ điểm Tái hoạt động", "Duy trì chốt trực tại địa bàn giáp ranh")
        ),
        Image(chart_png(), caption="Hình 1. Hoạt động theo tháng", width_mm=200),
        Heading(HEADINGS[3]),
        Paragraph(PARAGRAPH, bold=True),
    )
    return Document(letterhead=head, blocks=blocks, public=public)


def reopen(doc: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(write_docx(doc)))


@pytest.fixture(scope="module")
def saved():
    return reopen(make_document(signer_name="Nguyễn Văn Đức"))


def body_paragraph_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_page_is_a4_portrait_with_decree_margins(saved):
    section = saved.sections[0]
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 20,
        "bottom_margin": 20,
        "left_margin": 30,
        "right_margin": 15,
    }
    for name, mm in expected.items():
        assert getattr(section, name) / MM == pytest.approx(mm, abs=0.5), name


def test_normal_style_is_times_new_roman_14pt_justified(saved):
    normal = saved.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert rfonts.get(qn(attr)) == "Times New Roman", attr
    assert rfonts.get(qn("w:asciiTheme")) is None
    fmt = normal.paragraph_format
    assert fmt.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 10 <= fmt.first_line_indent / MM <= 12.7 + 0.01
    assert 1.0 <= fmt.line_spacing <= 1.5


def test_every_font_in_the_document_is_times_new_roman(saved):
    xml = saved.element.xml + saved.styles.element.xml
    rfonts = re.findall(r"<w:rFonts [^>]*>", xml)
    assert rfonts
    fonts = {
        font for element in rfonts for font in re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', element)
    }
    assert "Theme" not in "".join(rfonts)
    assert fonts == {"Times New Roman"}
    used = {p.style.name for p in saved.paragraphs}
    for name in used:
        style = saved.styles[name]
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None:
            assert rpr.rFonts.get(qn("w:asciiTheme")) is None, name


def test_header_block(saved):
    header = saved.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND THÀNH PHỐ HÀ NỘI",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    ]
    issuer = left.paragraphs[1]
    assert issuer.runs[0].bold and issuer.runs[0].font.size.pt == 13
    assert not left.paragraphs[0].runs[0].bold
    right_texts = [p.text for p in right.paragraphs if p.text]
    assert right_texts == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)
    # The short lines under the issuer and under the motto: bottom borders.
    for cell in (left, right):
        assert cell._tc.xpath(".//w:pBdr/w:bottom"), "no line under the header"
    assert header.cell(1, 0).text == "Số:       /BC-SLĐTBXH"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Hà Nội, ngày 05 tháng 10 năm 2020"
    assert date.runs[0].italic
    # Borderless layout table.
    assert header._tbl.xpath("./w:tblPr/w:tblBorders/w:top[@w:val='nil']")


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
        (dt.date(2020, 10, 15), "Hà Nội, ngày 15 tháng 10 năm 2020"),
        (dt.date(2020, 2, 9), "Hà Nội, ngày 09 tháng 02 năm 2020"),
        (dt.date(2020, 3, 1), "Hà Nội, ngày 01 tháng 3 năm 2020"),
        (dt.date(2021, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2021"),
    ],
)
def test_place_date_leading_zeros(date, text):
    assert place_date("Hà Nội", date) == text


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (dt.date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
        (dt.date(2020, 10, 15), "Hà Nội, ngày 15 tháng 10 năm 2020"),
    ],
)
def test_place_date_in_the_document(date, text):
    assert reopen(make_document(date=date)).tables[0].cell(1, 1).text == text


def test_document_type_summary_and_line(saved):
    paragraphs = saved.paragraphs
    texts = body_paragraph_texts(saved)
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1] == "Kết quả công tác phòng, chống mại dâm quý III năm 2020"
    for paragraph in paragraphs[kind : kind + 2]:
        assert paragraph.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold for r in paragraph.runs)
        assert paragraph.runs[0].font.size.pt == 14
    assert paragraphs[kind + 2]._p.xpath("./w:pPr/w:pBdr/w:bottom")
    assert t("doc.public_note") not in texts


def test_public_version_notice():
    texts = body_paragraph_texts(reopen(make_document(public=True)))
    note = texts.index(t("doc.public_note"))
    assert texts.index("BÁO CÁO") < note < texts.index(HEADINGS[0])
    assert "Bản công khai" in texts[note]


def test_headings_in_order_and_styled(saved):
    headings = [p for p in saved.paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in headings] == list(HEADINGS)
    assert [p.style.name for p in headings] == ["Heading 1", "Heading 2", "Heading 2", "Heading 1"]
    h1, h2 = saved.styles["Heading 1"], saved.styles["Heading 2"]
    assert h1.font.bold and not h1.font.italic and h1.font.color.rgb is None
    assert h2.font.bold and h2.font.italic
    assert h1.font.name == h2.font.name == "Times New Roman"


def test_paragraphs_and_bullets(saved):
    texts = body_paragraph_texts(saved)
    assert PARAGRAPH in texts
    assert "- Phường Hoàn Kiếm: không có tụ điểm Tái hoạt động" in texts
    assert "- Duy trì chốt trực tại địa bàn giáp ranh" in texts
    bold = [p for p in saved.paragraphs if p.text == PARAGRAPH and p.runs[0].bold]
    assert len(bold) == 1


def test_table_cells_are_the_formatted_model_values(saved):
    table = saved.tables[1]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == list(RESULTS.columns)
    assert cells[1] == ["Phường Hoàn Kiếm", "2.740", "3", "83,2", "05/09/2020"]
    assert cells[2] == ["Phường Cửa Nam", "1", "0", "100,0", "—"]
    assert cells[3][2] == "—"
    for row, values in zip(cells[1:], (*RESULTS.rows, RESULTS.total), strict=True):
        assert row == [format_cell(v, RESULTS.decimals.get(i, 0)) for i, v in enumerate(values)]
    assert cells[-1][:2] == ["Tổng cộng", "2.858"]


def test_table_layout(saved):
    table = saved.tables[1]
    header, first, total = table.rows[0], table.rows[1], table.rows[-1]
    assert header._tr.xpath("./w:trPr/w:tblHeader")
    assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    assert all(r.bold for c in total.cells for p in c.paragraphs for r in p.runs)
    assert not any(r.bold for c in first.cells for p in c.paragraphs for r in p.runs)
    assert first.cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert first.cells[0].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert {r.font.size.pt for c in first.cells for p in c.paragraphs for r in p.runs} == {12}
    assert table.style.name == "Table Grid"
    widths = [c.width / MM for c in first.cells]
    assert sum(widths) == pytest.approx(165, abs=0.5)
    texts = body_paragraph_texts(saved)
    title = texts.index(RESULTS.title)
    assert saved.paragraphs[title].runs[0].bold
    note = [p for p in saved.paragraphs if p.text == RESULTS.note]
    assert note and note[0].runs[0].italic
    # The title comes right before the table, the note right after it.
    body = list(saved.element.body)
    position = body.index(table._tbl)
    assert body[position - 1] is saved.paragraphs[title]._p
    assert body[position + 1] is note[0]._p


def test_images_capped_at_text_width_with_caption(saved):
    document = make_document()
    pictures = saved.inline_shapes
    assert len(pictures) == len(document.images) == 1
    assert pictures[0].width / MM == pytest.approx(165, abs=0.5)
    paragraph = next(p for p in saved.paragraphs if p._p.xpath(".//w:drawing"))
    assert paragraph.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    caption = next(p for p in saved.paragraphs if p.text == "Hình 1. Hoạt động theo tháng")
    assert caption.runs[0].italic and caption.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_closing_block_with_signer_name(saved):
    closing = saved.tables[-1]
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    lines = [p.text for p in left.paragraphs]
    assert lines == [
        "Nơi nhận:",
        "- Ban chỉ đạo 138 Thành phố;",
        "- UBND các quận, huyện, thị xã;",
        "- Lưu: VT, PCTNXH.",
    ]
    title = left.paragraphs[0].runs[0]
    assert title.bold and title.italic and title.font.size.pt == 12
    assert {p.runs[0].font.size.pt for p in left.paragraphs[1:]} == {11}
    signature = [p.text for p in right.paragraphs]
    assert signature[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signature[-1] == "Nguyễn Văn Đức"
    assert signature[2:-1] == [""] * (len(signature) - 3) and len(signature) >= 6
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)


def test_closing_block_without_signer_name():
    document = reopen(make_document())
    texts = [p.text for p in document.tables[-1].cell(0, 1).paragraphs]
    assert texts[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert not any(texts[2:])
    assert "Nguyễn" not in document.element.xml


def test_page_number_from_page_two(saved):
    section = saved.sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.xpath("./w:titlePg")
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert all(not p.text for p in first.paragraphs)
    assert "PAGE" not in first._element.xml
    header = section.header
    xml = header._element.xml
    instructions = header._element.xpath(".//w:instrText/text()") + header._element.xpath(
        ".//w:fldSimple/@w:instr"
    )
    assert any(i.strip() == "PAGE" for i in instructions), xml
    paragraph = header.paragraphs[0]
    assert paragraph.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    sizes = {r.font.size.pt for r in paragraph.runs}
    assert sizes == {14}


def test_core_properties_name_the_issuer_not_a_person(saved):
    props = saved.core_properties
    assert props.title == "Kết quả công tác phòng, chống mại dâm quý III năm 2020"
    assert props.author == "Sở Lao động - Thương binh và Xã hội"
    assert props.last_modified_by == "Sở Lao động - Thương binh và Xã hội"
    assert "python-docx" not in (props.author + props.last_modified_by + props.comments)
    assert "Nguyễn" not in props.author + props.last_modified_by


def test_blocks_of_a_minimal_document():
    head = make_document().letterhead
    minimal = Document(letterhead=head, blocks=())
    document = reopen(minimal)
    assert len(document.tables) == 2  # header and closing
    assert len(document.inline_shapes) == 0
