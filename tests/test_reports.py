"""The monthly briefing sheet and the quarterly report as files: the .docx
(Decree 30 layout, the view's figures), the .xlsx (one sheet per table,
numbers as numbers), the public version, one figure read three ways (page,
file, ``--json``), the ``report`` command's errors, the deck, and the PDF
rendering of the .docx (LibreOffice + Poppler; CI installs them, nothing here
is skipped when they are missing)."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from pagetest import ROOT, TODAY, metric, sign_in
from streamlit.testing.v1 import AppTest

from dashboard import cli, risk, views
from dashboard.domain import Status
from dashboard.i18n import fmt_number, t
from dashboard.reports import convert, documents, service
from dashboard.store import COUNT_COLUMNS

SIGNER = "Nguyễn Văn A"
SEP_2020 = dt.date(2020, 9, 1)
Q3_END = dt.date(2020, 9, 30)


# --------------------------------------------------------------------------
# Views, documents and files of the sample data (built once)


@pytest.fixture(scope="module")
def scores_q3(sample_dataset):
    return risk.score(sample_dataset, Q3_END)


@pytest.fixture(scope="module")
def q3(sample_dataset, scores_q3) -> views.QuarterlyReport:
    return views.quarterly_report(sample_dataset, 2020, 3, today=TODAY, scores=scores_q3)


@pytest.fixture(scope="module")
def sep(sample_dataset, scores_q3) -> views.MonthlyBriefing:
    return views.monthly_briefing(sample_dataset, SEP_2020, today=TODAY, scores=scores_q3)


@pytest.fixture(scope="module")
def q3_doc(q3):
    return documents.quarterly_document(q3, signer_name=SIGNER, images=False)


@pytest.fixture(scope="module")
def q3_docx(q3_doc) -> docx.document.Document:
    return docx.Document(io.BytesIO(service.write(q3_doc, ".docx")))


@pytest.fixture(scope="module")
def q3_docx_images(q3) -> bytes:
    """The quarterly .docx with its map and charts (Chromium draws the charts)."""
    return service.write(documents.quarterly_document(q3, signer_name=SIGNER), ".docx")


def workbook(doc) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(service.write(doc, ".xlsx")))


def paragraph_texts(document) -> list[str]:
    """The text of every paragraph of the body, those in tables included."""
    return [
        "".join(node.text or "" for node in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))
    ]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def docx_table(document, headers: tuple[str, ...]) -> list[list[str]]:
    """The one table of the document whose header row starts with ``headers[0]`` and holds all ``headers``."""
    found = [
        table_rows(tb)
        for tb in document.tables
        if tb.rows[0].cells[0].text == headers[0] and set(headers) <= {c.text for c in tb.rows[0].cells}
    ]
    assert len(found) == 1, f"{len(found)} tables with the columns {headers}"
    return found[0]


def number(text: str) -> int:
    """A Vietnamese integer as printed: "5.000.000" -> 5000000."""
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    return int(text.replace(".", ""))


def sheet_rows(ws) -> list[tuple]:
    """Header row (3) and the rows under it, without the note (which follows an empty row)."""
    rows = []
    for row in ws.iter_rows(min_row=3, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def docx_xml_text(data: bytes) -> str:
    """Every XML part of a .docx, entities decoded."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return html.unescape(
            "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))
        )


def xlsx_texts(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    ]


# --------------------------------------------------------------------------
# The quarterly .docx


def test_quarterly_docx_has_the_decree_30_blocks(q3_docx, q3):
    texts = paragraph_texts(q3_docx)
    for line in (
        "UBND THÀNH PHỐ HÀ NỘI",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 30 tháng 9 năm 2020",
        "BÁO CÁO",
        "Nơi nhận:",
        SIGNER,
    ):
        assert line in texts, line
    (number_line,) = [x for x in texts if x.startswith("Số:")]
    assert "/BC-" in number_line
    summary = t("rep.q.summary", quarter="III", year=2020, unit=t("rep.city"))
    assert summary in texts
    # the order of the blocks: header, title, summary, body, recipients, signature
    order = [
        texts.index(x)
        for x in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", summary, "Nơi nhận:", SIGNER)
    ]
    assert order == sorted(order)
    assert texts.index(t("rep.q.s5")) < texts.index("Nơi nhận:")
    assert q3_docx.core_properties.title == summary
    assert SIGNER not in q3_docx.core_properties.author


def test_quarterly_docx_without_a_signer_name(q3):
    doc = documents.quarterly_document(q3, images=False)
    assert doc.letterhead.signer_name == ""
    data = service.write(doc, ".docx")
    texts = paragraph_texts(docx.Document(io.BytesIO(data)))
    assert SIGNER not in docx_xml_text(data)
    assert t("rep.city_title") in texts  # the signature block is there, without a name
    assert "Nơi nhận:" in texts


def test_the_signer_name_is_never_stored(page_store, capsys, tmp_path, store_copy):
    out = tmp_path / "quy.docx"
    rc = cli.main(
        ["report", "quarterly", "--year", "2020", "--quarter", "3", "--signer", SIGNER, "--out", str(out)]
    )
    assert rc == 0, capsys.readouterr().err
    assert SIGNER in paragraph_texts(docx.Document(out))
    if not store_copy.startswith("sqlite"):
        # A server store: no value in any row of any table holds the name.
        import sqlalchemy as sa

        tables = sa.inspect(page_store).get_table_names()
        assert "hotspot" in tables and "audit_log" in tables
        with page_store.connect() as conn:
            for table in tables:
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                    assert not any(SIGNER in str(value) for value in row), table
        return
    page_store.dispose()
    database = Path(store_copy.removeprefix("sqlite:///"))
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert database in files
    for path in files:
        content = path.read_bytes()
        assert SIGNER.encode("utf-8") not in content, path


def test_quarterly_docx_page_and_font(q3_docx):
    section = q3_docx.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    for side, mm in (("top", 20), ("bottom", 20), ("left", 30), ("right", 15)):
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.5), side
    assert q3_docx.styles["Normal"].font.name == "Times New Roman"
    fonts = set()
    for root in (q3_docx.element, q3_docx.styles.element):
        for rfonts in root.iter(qn("w:rFonts")):
            fonts |= {rfonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi") if rfonts.get(qn(a))}
            assert rfonts.get(qn("w:asciiTheme")) is None
    assert fonts == {"Times New Roman"}


def test_handover_table_cells_equal_the_view(q3_docx, q3):
    rows = docx_table(q3_docx, (t("rep.c.code"), t("rep.c.cleared_on"), t("rep.c.recommendation")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(q3.handover) == 13
    code, rec = header.index(t("rep.c.code")), header.index(t("rep.c.recommendation"))
    months, checks = header.index(t("rep.c.months")), header.index(t("rep.c.checks"))
    name = header.index(t("rep.c.name"))
    for cells, row in zip(body, q3.handover.itertuples(index=False), strict=True):
        assert cells[code] == row.code
        assert cells[name] == row.name
        label = t(f"handover.{row.recommendation}")
        # the label, and the unmet criteria when there are any
        assert cells[rec] == label if not row.reasons else cells[rec].startswith(label)
        for reason in row.reasons:
            assert documents.handover_reasons((reason,)) in cells[rec]
        if pd.isna(row.months_since):
            assert cells[months] == "—"
        else:
            assert cells[months] == fmt_number(row.months_since, 1)
            assert cells[checks] == fmt_number(int(row.checks_since))
    proposed = sum(cells[rec] == t("handover.propose") for cells in body)
    assert proposed == q3.recommendation_counts()["propose"] > 0


def test_results_by_unit_table_adds_up(q3_docx, q3):
    rows = docx_table(q3_docx, (t("rep.c.unit"), t("rep.c.count")))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert total[0] == t("rep.total")
    assert len(body) == len(q3.results_by_unit) > 1
    for c in range(1, len(header)):
        assert number(total[c]) == sum(number(r[c]) for r in body), header[c]
    assert number(total[1]) == q3.activities
    for c, column in enumerate(COUNT_COLUMNS, start=2):
        assert header[c] == t(f"count.{column}")
        assert number(total[c]) == q3.results[column]


def test_quarterly_docx_with_images_holds_the_pictures(q3_docx_images):
    document = docx.Document(io.BytesIO(q3_docx_images))
    assert len(document.inline_shapes) >= 2
    texts = paragraph_texts(document)
    assert t("rep.img.activities") in texts


# --------------------------------------------------------------------------
# The .xlsx


def test_xlsx_has_one_sheet_per_table_with_numbers_and_totals(q3_doc, q3):
    wb = workbook(q3_doc)
    assert wb.sheetnames == [t("doc.xlsx.info_sheet"), *(tb.key for tb in q3_doc.tables)]
    for table in q3_doc.tables:
        rows = sheet_rows(wb[table.key])
        assert tuple(rows[0]) == table.columns, table.key
        expected = [*table.rows, *((table.total,) if table.total else ())]
        assert len(rows) - 1 == len(expected), table.key
        for got, want in zip(rows[1:], expected, strict=True):
            for g, w in zip(got, want, strict=True):
                if isinstance(w, int | float) and not isinstance(w, bool):
                    assert isinstance(g, int | float) and g == w, (table.key, g, w)
        if table.total:
            data = rows[1:-1]
            for c in range(1, len(table.columns)):
                assert rows[-1][c] == sum(r[c] for r in data), (table.key, c)
    by_unit = sheet_rows(wb["theo_dia_ban"])
    assert by_unit[-1][0] == t("rep.total")
    assert by_unit[-1][1] == q3.activities
    assert dict(zip(COUNT_COLUMNS, by_unit[-1][2:], strict=True)) == q3.results
    plan = {r[0]: r[1:] for r in sheet_rows(wb["chi_tieu"])[1:]}
    assert plan[t("target.clear")][:2] == (q3.kpis.clear_target, q3.kpis.cleared)


def test_monthly_xlsx_values_are_the_views(sep):
    doc = documents.monthly_document(sep, images=False)
    wb = workbook(doc)
    by_kind = sheet_rows(wb["theo_loai"])
    assert by_kind[-1] == (t("rep.total"), sep.activities)
    assert {r[0]: r[1] for r in by_kind[1:-1]} == {
        t(f"activity.{k}"): int(v) for k, v in sep.activities_by_kind.items()
    }
    results = {r[0]: r[1] for r in sheet_rows(wb["ket_qua"])[1:]}
    assert results == {t(f"count.{c}"): sep.results[c] for c in COUNT_COLUMNS}
    status = sheet_rows(wb["trang_thai"])
    for row in status[1:-1]:
        (value,) = [s for s in Status if t(f"status.{s}") == row[0]]
        columns = ("previous", "current", "change")
        assert row[1:] == tuple(int(sep.status_counts.loc[value.value, c]) for c in columns)
        assert row[3] == row[2] - row[1]  # what changed since last month
    performer = sheet_rows(wb["theo_don_vi"])
    assert performer[-1][1] == sep.activities


# --------------------------------------------------------------------------
# The public version


@pytest.fixture(scope="module")
def names(sample_dataset) -> list[str]:
    return sorted(set(sample_dataset.hotspots["name"]))


def test_public_version_prints_no_hotspot_name(q3, sep, names):
    for build in (documents.quarterly_document, documents.monthly_document):
        view = q3 if build is documents.quarterly_document else sep
        full = build(view, images=False)
        public = build(view, public_version=True, images=False)
        full_text = docx_xml_text(service.write(full, ".docx"))
        assert any(n in full_text for n in names)  # the internal version names the places
        docx_text = docx_xml_text(service.write(public, ".docx"))
        cells = xlsx_texts(service.write(public, ".xlsx"))
        for name in names:
            assert name not in docx_text, name
            assert not any(name in c for c in cells), name
        assert t("doc.public_note") in docx_text


def public_cells_hide_small_counts(full, public) -> int:
    """Compare a table with its public version; returns how many small counts it hid."""
    hidden = 0
    assert public.total is None
    assert [r[0] for r in public.rows] == [r[0] for r in full.rows]
    for full_row, public_row in zip(full.rows, public.rows, strict=True):
        for value, shown in zip(full_row[1:], public_row[1:], strict=True):
            if 1 <= value <= 2:
                assert shown == "<3"
                hidden += 1
            else:
                assert shown in (fmt_number(value), t("public.hidden"))
    return hidden


def test_public_version_hides_counts_below_3_in_per_unit_tables(q3, sep):
    q_full = {tb.key: tb for tb in documents.quarterly_document(q3, images=False).tables}
    q_pub = {tb.key: tb for tb in documents.quarterly_document(q3, public_version=True, images=False).tables}
    m_full = {tb.key: tb for tb in documents.monthly_document(sep, images=False).tables}
    m_pub = {tb.key: tb for tb in documents.monthly_document(sep, public_version=True, images=False).tables}
    assert public_cells_hide_small_counts(q_full["theo_dia_ban"], q_pub["theo_dia_ban"]) > 0
    assert public_cells_hide_small_counts(m_full["theo_don_vi"], m_pub["theo_don_vi"]) > 0
    wb = workbook(documents.quarterly_document(q3, public_version=True, images=False))
    shown = [v for row in sheet_rows(wb["theo_dia_ban"])[1:] for v in row[1:]]
    assert "<3" in shown
    assert not any(isinstance(v, int) and 1 <= v <= 2 for v in shown)


# --------------------------------------------------------------------------
# One figure three ways: the reports page, the .xlsx of the command, --json


def reports_page() -> AppTest:
    at = sign_in(AppTest.from_file(str(ROOT / "pages/reports.py"), default_timeout=180))
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, key: str, value) -> None:
    at.sidebar.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception


def test_monthly_figure_three_ways(app_env, capsys, tmp_path, sample_dataset):
    at = reports_page()
    choose(at, "report_year", 2020)
    choose(at, "report_month_2020", 9)
    page_acts = metric(at, "kpi.activities")
    page_violations = metric(at, "count.violations_found")

    capsys.readouterr()
    out = tmp_path / "giao-ban.xlsx"
    assert cli.main(["report", "monthly", "--month", "09/2020", "--out", str(out), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(out)
    xlsx_acts = sheet_rows(wb["theo_loai"])[-1][1]
    xlsx_violations = {r[0]: r[1] for r in sheet_rows(wb["ket_qua"])[1:]}[t("count.violations_found")]

    a = sample_dataset.activities
    in_month = a[(a["date"] >= "2020-09-01") & (a["date"] <= "2020-09-30")]
    acts, violations = len(in_month), int(in_month["violations_found"].sum())
    assert acts > 0 and violations > 0
    assert page_acts == fmt_number(xlsx_acts) == fmt_number(figures["activities"]) == fmt_number(acts)
    assert page_violations == fmt_number(xlsx_violations) == fmt_number(violations)
    assert figures["results"]["violations_found"] == violations
    assert figures["month"] == "09/2020"


def test_quarterly_figure_three_ways(app_env, capsys, tmp_path, sample_dataset):
    at = reports_page()
    at.sidebar.radio(key="report_kind").set_value("quarterly").run()
    choose(at, "report_qyear", 2020)
    choose(at, "report_quarter_2020", 3)
    page_cleared = metric(at, "kpi.cleared")
    page_propose = metric(at, "reports.f.propose")

    capsys.readouterr()
    out = tmp_path / "quy.xlsx"
    argv = ["report", "quarterly", "--year", "2020", "--quarter", "3", "--out", str(out), "--json"]
    assert cli.main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(out)
    plan = {r[0]: r[1:] for r in sheet_rows(wb["chi_tieu"])[1:]}
    target, done = plan[t("target.clear")][:2]
    handover = sheet_rows(wb["ban_giao"])
    rec = handover[0].index(t("rep.c.recommendation"))
    xlsx_propose = sum(r[rec] == t("handover.propose") for r in handover[1:])
    assert all(
        str(r[rec]).startswith(tuple(t(f"handover.{x}") for x in views.RECOMMENDATIONS)) for r in handover[1:]
    )

    ds = sample_dataset
    clear = ds.targets[(ds.targets["year"] == 2020) & (ds.targets["target_type"] == "clear")]["hotspot_id"]
    h = ds.history[ds.history["date"] <= "2020-09-30"].sort_values(["date", "id"])
    status = h.drop_duplicates("hotspot_id", keep="last").set_index("hotspot_id")["to_status"]
    cleared = int(status.reindex(clear).isin(["cleared", "handed_over"]).sum())
    assert page_cleared == f"{done}/{target}" == f"{cleared}/{len(clear)}"
    assert (figures["plan"]["clear"]["done"], figures["plan"]["clear"]["target"]) == (cleared, 13)
    json_propose = sum(r["recommendation"] == "propose" for r in figures["handover"])
    assert page_propose == fmt_number(xlsx_propose) == fmt_number(figures["recommendations"]["propose"])
    assert json_propose == xlsx_propose > 0
    assert len(handover) - 1 == len(figures["handover"]) == 13


# --------------------------------------------------------------------------
# The command's errors, and the deck


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "monthly", "--month", "13/2020", "--json"], t("err.report_month", value="13/2020")),
        (
            ["report", "monthly", "--month", "09/2020", "--unit", "999", "--json"],
            t("err.report_unit", code="999"),
        ),
        (
            ["report", "quarterly", "--year", "2020", "--quarter", "3", "--unit", "999", "--json"],
            t("err.report_unit", code="999"),
        ),
    ],
)
def test_report_command_refuses_a_bad_month_or_unit(app_env, capsys, argv, message):
    capsys.readouterr()
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_report_command_refuses_a_pdf(app_env, capsys, tmp_path):
    out = tmp_path / "x.pdf"
    capsys.readouterr()
    assert cli.main(["report", "monthly", "--month", "09/2020", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "x.pdf" in err and ".docx" in err and ".xlsx" in err
    assert not out.exists()
    assert cli.main(["report", "deck", "--out", str(tmp_path / "deck.docx")]) == 2
    assert ".pptx" in capsys.readouterr().err


@pytest.mark.browser  # slower: the charts of the slides are drawn by Chromium (kaleido); runs in CI
def test_report_deck_writes_a_pptx(app_env, capsys, tmp_path):
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    capsys.readouterr()
    assert cli.main(["report", "deck", "--out", str(out)]) == 0, capsys.readouterr().err
    deck = Presentation(str(out))
    assert len(deck.slides) >= 3
    assert sum(1 for s in deck.slides for shape in s.shapes if shape.shape_type == 13) >= 1  # pictures


# --------------------------------------------------------------------------
# Rendering: .docx -> PDF -> PNG, with the Vietnamese letters intact

WORDS = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Đánh giá triệt xóa", "Nơi nhận")


def test_quarterly_docx_renders_to_pdf_with_its_diacritics(q3_docx_images):
    pdf = convert.to_pdf(q3_docx_images, ".docx")
    text = unicodedata.normalize("NFC", convert.pdf_text(pdf))
    for words in WORDS:
        assert words in text, words
    assert "\ufffd" not in text
    # a "?" next to a letter is a glyph the font could not draw
    assert not re.search(r"[^\W\d_]\?|\?[^\W\d_]", text)
    assert "Hà Nội, ngày 30 tháng 9 năm 2020" in " ".join(text.split())
    pages = convert.pdf_pages_png(pdf)
    assert len(pages) >= 2
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in pages)
