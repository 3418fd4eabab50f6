"""Catalogue texts: ``python -m dashboard backup`` and ``restore`` (see :mod:`dashboard.backup`)."""

VI: dict[str, str] = {
    # summaries
    "backup.cli.written": (
        "Đã sao lưu kho dữ liệu vào «{name}»: {tables} bảng, {rows} dòng (phiên bản cấu trúc {version})."
    ),
    "backup.cli.restored": (
        "Đã khôi phục «{name}» vào kho dữ liệu: {tables} bảng, {rows} dòng (bản sao lưu lúc {created})."
    ),
    # the audit entry of a restore
    "audit.action.restore": "Khôi phục từ bản sao lưu",
    "backup.audit.summary": "Khôi phục từ tệp «{name}» (sao lưu lúc {created}, {rows} dòng)",
    # backup refusals
    "backup.err.exists": ("Tệp «{name}» đã có: không ghi đè. Chọn tên tệp khác hoặc thêm --force để ghi đè."),
    "backup.err.no_dir": "Không có thư mục «{dir}» để ghi tệp sao lưu.",
    "backup.err.write": "Không ghi được tệp sao lưu «{name}»: {reason}",
    "backup.err.read": "Không đọc được kho dữ liệu để sao lưu: {reason}",
    # restore: the file
    "backup.err.not_found": "Không tìm thấy tệp sao lưu «{name}».",
    "backup.err.not_zip": "Tệp «{name}» không phải bản sao lưu: không đọc được dạng nén zip.",
    "backup.err.no_manifest": "Tệp «{name}» không phải bản sao lưu: thiếu manifest.json.",
    "backup.err.bad_manifest": "Tệp «{name}» không phải bản sao lưu: manifest.json hỏng ({reason}).",
    "backup.err.format": (
        "Tệp «{name}» không phải bản sao lưu của ứng dụng này (định dạng «{found}», cần «{expected}»)."
    ),
    "backup.err.format_version": (
        "Tệp «{name}» có phiên bản định dạng sao lưu {found}, "
        "ứng dụng này chỉ đọc được phiên bản {supported}."
    ),
    "backup.err.schema_newer": (
        "Tệp «{name}» được sao lưu từ kho có phiên bản cấu trúc {found}, mới hơn phiên bản ứng dụng này "
        "hỗ trợ ({supported}). Hãy cập nhật ứng dụng rồi khôi phục lại."
    ),
    "backup.err.schema_older": (
        "Tệp «{name}» được sao lưu từ kho có phiên bản cấu trúc {found}, cũ hơn phiên bản của ứng dụng "
        "này ({supported}); chỉ khôi phục được bản sao lưu cùng phiên bản. Hãy khôi phục bằng phiên bản "
        "ứng dụng đã tạo tệp vào một kho mới, mở kho đó bằng ứng dụng này (kho được nâng cấp tự động) "
        "rồi sao lưu lại."
    ),
    "backup.err.tables": "Tệp «{name}» không khớp cấu trúc kho: {detail}.",
    "backup.err.tables_missing": "thiếu bảng {tables}",
    "backup.err.tables_extra": "có bảng lạ {tables}",
    "backup.err.columns": "Tệp «{name}»: cột của bảng {table} không khớp cấu trúc kho ({detail}).",
    "backup.err.member": "Tệp «{name}» hỏng: thiếu phần dữ liệu «{member}» của bảng {table}.",
    "backup.err.row": "Tệp «{name}» hỏng: dòng {line} của bảng {table} không đọc được ({reason}).",
    "backup.err.count": (
        "Tệp «{name}» hỏng: bảng {table} có {found} dòng, manifest.json ghi {expected} dòng."
    ),
    "backup.err.corrupt": "Tệp «{name}» hỏng, không đọc được: {reason}",
    # restore: the target
    "backup.err.not_empty": (
        "Kho dữ liệu đích «{url}» đã có dữ liệu ({tables}): chỉ khôi phục vào kho trống để không mất "
        "dữ liệu nào. Hãy đặt DATABASE_URL trỏ tới một kho mới rồi khôi phục lại."
    ),
    "backup.err.table_rows": "bảng {table}: {rows} dòng",
    "backup.err.insert": (
        "Không khôi phục được tệp «{name}»: bảng {table} bị từ chối ({reason}). "
        "Kho dữ liệu đích không thay đổi."
    ),
}
