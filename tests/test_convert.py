"""Conversion to PDF (LibreOffice headless) and to PNG / text (Poppler) of the hand-made report.

These tests need Debian's ``libreoffice-writer-nogui``, ``libreoffice-impress-nogui``,
``poppler-utils`` and ``fonts-liberation2`` (Liberation Serif stands in for
Times New Roman, with the same metrics and Vietnamese coverage). They are not
skipped when those are missing: CI installs them.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image as PILImage
from test_docx_writer import make_document

from dashboard.domain import DomainError
from dashboard.reports import convert
from dashboard.reports.convert import pdf_pages_png, pdf_text, to_pdf
from dashboard.reports.docx_writer import write_docx

VIETNAMESE = (
    "UBND THÀNH PHỐ HÀ NỘI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 05 tháng 10 năm 2020",
    "BÁO CÁO",
    "Kết quả công tác phòng, chống mại dâm quý III năm 2020",
    "I. Tình hình tụ điểm phức tạp",
    "Đã triệt xóa",
    "Tái hoạt động",
    "Phường Hoàn Kiếm",
    "Phường Đống Đa 14",
    "Nơi nhận:",
    "- Lưu: VT, PCTNXH.",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Nguyễn Văn Đức",
    "2.740",
    "83,2",
    "05/09/2020",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return write_docx(make_document(signer_name="Nguyễn Văn Đức"))


@pytest.fixture(scope="module")
def pdf(docx_bytes) -> bytes:
    return to_pdf(docx_bytes, ".docx")


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return nfc(pdf_text(pdf)).split("\f")


def test_pdf_is_two_pages(pdf, pages):
    assert pdf.startswith(b"%PDF-")
    assert len([p for p in pages if p.strip()]) == 2


def test_pdf_text_holds_the_vietnamese_exactly(pages):
    text = " ".join(" ".join(page.split()) for page in pages)
    for expected in VIETNAMESE:
        assert nfc(expected) in text, expected
    assert "\ufffd" not in text
    assert "?" not in text  # the document has none: a "?" would be a missing glyph


def test_page_number_from_page_two(pages):
    first_lines = [next(line.strip() for line in page.splitlines() if line.strip()) for page in pages[:2]]
    assert not first_lines[0].isdigit()
    assert first_lines[0].startswith("UBND THÀNH PHỐ HÀ NỘI")
    assert first_lines[1] == "2"


def test_fonts_are_times_new_roman_or_its_metric_twin(pdf, tmp_path):
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()]
    assert fonts
    assert all(font.startswith(("LiberationSerif", "TimesNewRoman")) for font in fonts), fonts


def test_png_pages(pdf, tmp_path):
    images = pdf_pages_png(pdf, dpi=80)
    assert len(images) == 2
    for number, data in enumerate(images, start=1):
        assert data.startswith(PNG_SIGNATURE)
        (tmp_path / f"page-{number}.png").write_bytes(data)
    first, second = (PILImage.open(io.BytesIO(data)).convert("L") for data in images)
    # A4 at 80 dpi: 661 × 935 pixels.
    assert first.size == pytest.approx((661, 935), abs=2)
    # The header band (5–18 mm from the top, middle of the page): blank on page 1, "2" on page 2.
    band = (first.width // 2 - 40, round(5 / 25.4 * 80), first.width // 2 + 40, round(18 / 25.4 * 80))
    assert first.crop(band).getextrema()[0] > 200
    assert second.crop(band).getextrema()[0] < 100
    # The header block, the table and the signature block put ink on page 1 and 2.
    assert first.getextrema()[0] < 50 and second.getextrema()[0] < 50
    assert (tmp_path / "page-1.png").stat().st_size > 1000


def test_parallel_conversions_do_not_clash(docx_bytes):
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: to_pdf(docx_bytes, "docx"), range(2)))
    assert all(r.startswith(b"%PDF-") for r in results)


def test_pptx_to_pdf():
    pptx = pytest.importorskip("pptx")
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Tụ điểm Tái hoạt động"
    slide.placeholders[1].text = "Phường Hoàn Kiếm: Đã triệt xóa"
    buffer = io.BytesIO()
    presentation.save(buffer)
    text = nfc(pdf_text(to_pdf(buffer.getvalue(), ".pptx")))
    assert "Tụ điểm Tái hoạt động" in text
    assert "Phường Hoàn Kiếm: Đã triệt xóa" in text


def test_missing_libreoffice_is_a_domain_error(monkeypatch, docx_bytes):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(DomainError, match="LibreOffice"):
        to_pdf(docx_bytes, ".docx")
    with pytest.raises(DomainError, match="pdftoppm"):
        pdf_pages_png(b"%PDF-")
    with pytest.raises(DomainError, match="pdftotext"):
        pdf_text(b"%PDF-")


def test_unknown_type_is_a_domain_error():
    with pytest.raises(DomainError, match=r"\.xlsx"):
        to_pdf(b"x", ".xlsx")


def test_broken_file_is_a_domain_error():
    with pytest.raises(DomainError, match=r"không phải tệp \.docx"):
        to_pdf(b"not a word document", ".docx")
    with pytest.raises(DomainError, match="pdftoppm"):
        pdf_pages_png(b"not a pdf")


def test_timeout_is_a_domain_error(monkeypatch, docx_bytes):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], convert.TIMEOUT)

    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(DomainError, match="120 giây"):
        to_pdf(docx_bytes, ".docx")
