"""``python -m dashboard import | template | export``, through :func:`dashboard.cli.main`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
import sqlalchemy as sa
from intake_corpus import HOTSPOT_HEADERS

from dashboard import cli, coords, store
from dashboard.intake.schema import COLUMNS, ERROR_HEADER, Kind

LAKE = (21.0287, 105.8524)  # Hồ Hoàn Kiếm, Phường Hoàn Kiếm
WEST_LAKE = (21.0560, 105.8190)  # Phường Tây Hồ
HEADER = HOTSPOT_HEADERS  # the template's first seven columns
OUTSIDE = (
    "Điểm (10.770000, 106.700000) nằm ngoài Hà Nội. Kiểm tra số liệu và hệ toạ độ "
    "(WGS84 / VN-2000 TM-3 105°00' / UTM 48N)."
)


@pytest.fixture
def db(new_store_url, monkeypatch):
    """An empty store the CLI uses, with today pinned to 20/11/2026."""
    url = new_store_url("cli")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOTSPOT_TODAY", "20/11/2026")
    engine = store.open_store(url)
    yield engine
    engine.dispose()


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def hotspot_file(tmp_path):
    """One good row and one outside Hà Nội."""
    return write_csv(
        tmp_path / "tu-diem.csv",
        HEADER,
        [
            ["TD-1", "Điểm A", "public_area", "active", "01/01/2020", *LAKE],
            ["TD-2", "Điểm B", "public_area", "active", "01/01/2020", 10.77, 106.70],
        ],
    )


def counts(engine):
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
            for t in (store.hotspot, store.status_change, store.activity, store.audit_log)
        }


def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_template_writes_an_xlsx(db, tmp_path, capsys):
    out_file = tmp_path / "mau.xlsx"
    code, out, err = run_cli(capsys, "template", "hotspots", "--out", str(out_file))
    assert (code, out, err) == (0, f"{out_file}\n", "")
    wb = openpyxl.load_workbook(out_file)
    assert wb.sheetnames == ["Tụ điểm", "Danh mục", "Hướng dẫn"]
    assert [c.value for c in wb.worksheets[0][1]] == [c.header for c in COLUMNS[Kind.HOTSPOTS]]
    assert counts(db)["hotspot"] == 0


def test_dry_run_json_writes_nothing(db, tmp_path, capsys):
    path = hotspot_file(tmp_path)
    code, out, err = run_cli(capsys, "import", str(path), "--dry-run", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["file"] == "tu-diem.csv"
    assert result["kind"] == "hotspots"
    assert result["accepted"] == 1
    assert result["new"] == 1
    assert result["unchanged"] == 0
    assert result["rejected_rows"] == 1
    assert result["dry_run"] is True
    assert "written" not in result
    assert result["rejected"] == [
        {"row": 3, "column": "Vĩ độ (WGS84)", "value": "10.770000; 106.700000", "message": OUTSIDE}
    ]
    assert counts(db) == {"hotspot": 0, "status_change": 0, "activity": 0, "audit_log": 0}


def test_import_writes_and_reports_what_was_written(db, tmp_path, capsys):
    path = hotspot_file(tmp_path)
    code, out, err = run_cli(capsys, "import", str(path), "--json")
    # exit code 0 although a row was rejected
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["dry_run"] is False
    assert result["written"] == {"new": 1, "updated": 0, "skipped": 0, "unchanged": 0, "rejected": 1}
    assert counts(db) == {"hotspot": 1, "status_change": 1, "activity": 0, "audit_log": 2}
    # the same file again: nothing new
    code, out, _ = run_cli(capsys, "import", str(path), "--json")
    result = json.loads(out)
    assert code == 0
    assert (result["new"], result["unchanged"]) == (0, 1)
    assert result["written"] == {"new": 0, "updated": 0, "skipped": 0, "unchanged": 1, "rejected": 1}
    assert counts(db)["hotspot"] == 1


def test_plain_text_report(db, tmp_path, capsys):
    path = hotspot_file(tmp_path)
    code, out, err = run_cli(capsys, "import", str(path), "--dry-run")
    assert (code, err) == (0, "")
    assert out == (
        "tu-diem.csv: 2 dòng, 1 hợp lệ, 1 bị loại (chạy thử, chưa ghi)\n"
        f"  [LỖI] dòng 3, cột «Vĩ độ (WGS84)»: {OUTSIDE}\n"
    )


def test_unreadable_files_exit_2(db, tmp_path, capsys):
    missing = tmp_path / "khong-co.csv"
    code, out, err = run_cli(capsys, "import", str(missing))
    assert (code, out, err) == (2, "", f"Lỗi: Không thấy tệp «{missing}».\n")
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    code, out, err = run_cli(capsys, "import", str(empty))
    assert (code, out, err) == (2, "", "Lỗi: Tệp «rong.csv» rỗng (0 byte).\n")
    pdf = tmp_path / "bao-cao.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    code, out, err = run_cli(capsys, "import", str(pdf))
    assert (code, out) == (2, "")
    assert err == (
        "Lỗi: Tệp «bao-cao.xlsx» có đuôi .xlsx nhưng nội dung là tệp PDF, "
        "không phải bảng tính Excel (.xlsx). Hãy lưu lại đúng định dạng.\n"
    )
    text = tmp_path / "ghi-chu.txt"
    text.write_text("xin chào", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", str(text))
    assert (code, out) == (2, "")
    assert err == (
        "Lỗi: Tệp «ghi-chu.txt»: không nhận đuôi «.txt». Nhận: .xlsx, .xls, .csv, .geojson, .gpkg, "
        ".zip (Shapefile).\n"
    )
    assert counts(db) == {"hotspot": 0, "status_change": 0, "activity": 0, "audit_log": 0}


def test_wrong_kind_names_the_missing_columns(db, tmp_path, capsys):
    path = hotspot_file(tmp_path)
    code, out, err = run_cli(capsys, "import", str(path), "--kind", "status")
    assert (code, out) == (2, "")
    assert err == (
        "Lỗi: Tệp «tu-diem.csv» thiếu cột bắt buộc: Ngày, Lý do. Dùng tệp mẫu để có đủ cột "
        "(tên cột không phân biệt hoa thường, có dấu hay không).\n"
    )


def test_crs_3405_reads_xy_as_utm_48n(db, tmp_path, capsys):
    x, y = coords.from_wgs84(*LAKE, "vn2000_utm48")
    header = [*HEADER[:5], "X (VN-2000)", "Y (VN-2000)"]
    path = write_csv(
        tmp_path / "xy.csv", header, [["TD-1", "Điểm A", "public_area", "active", "01/01/2020", x, y]]
    )
    code, out, _ = run_cli(capsys, "import", str(path), "--crs", "3405", "--json")
    assert code == 0
    assert json.loads(out)["written"]["new"] == 1
    with db.connect() as conn:
        lat, lon, ward = conn.execute(
            sa.select(store.hotspot.c.lat, store.hotspot.c.lon, store.hotspot.c.ward_code)
        ).one()
    assert lat == pytest.approx(LAKE[0], abs=1e-6)
    assert lon == pytest.approx(LAKE[1], abs=1e-6)
    assert ward == "00070"
    # the default (Hà Nội TM-3) reads the same numbers hundreds of metres away
    code, out, _ = run_cli(capsys, "import", str(path), "--dry-run", "--json")
    result = json.loads(out)
    assert (code, result["unchanged"], result["skip"]) == (0, 0, 1)
    assert result["warnings"] == []
    code, out, err = run_cli(capsys, "import", str(path), "--crs", "9999", "--dry-run")
    assert (code, out) == (2, "")
    assert err.startswith("Lỗi: ")


def test_rejected_out_writes_the_rejected_rows(db, tmp_path, capsys):
    path = hotspot_file(tmp_path)
    rejected = tmp_path / "loai.xlsx"
    code, out, _ = run_cli(
        capsys, "import", str(path), "--dry-run", "--json", "--rejected-out", str(rejected)
    )
    assert code == 0
    assert json.loads(out)["rejected_file"] == str(rejected)
    ws = openpyxl.load_workbook(rejected).worksheets[0]
    assert [c.value for c in ws[1]] == [*HEADER, ERROR_HEADER]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    assert rows == [
        (
            "TD-2",
            "Điểm B",
            "public_area",
            "active",
            "01/01/2020",
            "10.77",
            "106.7",
            f"Vĩ độ (WGS84): {OUTSIDE}",
        )
    ]


def test_export_then_import_changes_nothing(db, tmp_path, capsys):
    write_csv(
        tmp_path / "tu-diem.csv",
        HEADER,
        [
            ["TD-1", "Điểm A", "public_area", "active", "01/01/2020", *LAKE],
            ["TD-2", "Điểm B", "service_business", "cleared", "01/06/2021", *WEST_LAKE],
        ],
    )
    write_csv(
        tmp_path / "hoat-dong.csv",
        ["Ngày", "Loại hoạt động", "Mã tụ điểm", "Địa bàn", "Đơn vị thực hiện", "Vi phạm phát hiện"],
        [
            ["01/03/2021", "Tuần tra", "TD-1", "", "Công an", "2"],
            ["01/03/2021", "Tuần tra", "TD-1", "", "Công an", "2"],
            ["15/08/2025", "Giao ban", "", "Phường Tây Hồ", "UBND", "0"],
            ["15/03/2024", "Tuyên truyền vận động", "", "Quận Hoàn Kiếm", "UBND", "0"],
        ],
    )
    assert cli.main(["import", str(tmp_path / "tu-diem.csv")]) == 0
    assert cli.main(["import", str(tmp_path / "hoat-dong.csv")]) == 0
    capsys.readouterr()
    assert counts(db)["activity"] == 4
    out_file = tmp_path / "xuat.xlsx"
    code, out, _ = run_cli(capsys, "export", "activities", "--out", str(out_file))
    assert (code, out) == (0, f"{out_file}\n")
    rows = [r for r in openpyxl.load_workbook(out_file).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert [r[:4] for r in rows if any(v is not None for v in r)] == [
        (dt.datetime(2021, 3, 1), "Tuần tra", "TD-1", None),
        (dt.datetime(2021, 3, 1), "Tuần tra", "TD-1", None),
        (dt.datetime(2024, 3, 15), "Tuyên truyền vận động", None, "Quận Hoàn Kiếm"),
        (dt.datetime(2025, 8, 15), "Giao ban", None, "Phường Tây Hồ"),
    ]
    code, out, err = run_cli(capsys, "import", str(out_file), "--dry-run", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["kind"] == "activities"
    assert (result["rows"], result["accepted"], result["unchanged"], result["new"]) == (4, 4, 4, 0)
    assert result["rejected"] == []
    assert counts(db)["activity"] == 4
