"""Catalogue texts: render (PNG charts and static maps for documents)."""

VI: dict[str, str] = {
    "render.no_chromium": (
        "Không tìm thấy trình duyệt Chromium để vẽ biểu đồ: cài gói chromium hoặc đặt CHROMIUM_PATH."
    ),
    "render.no_fonts": (
        "Thiếu tệp phông chữ {files} trong {folder}: "
        "chạy scripts/vendor_fonts.sh để lấy lại phông Be Vietnam Pro."
    ),
    "render.no_plotlyjs": "Thiếu tệp plotly.min.js của gói plotly ({path}): cài lại gói plotly.",
    "render.failed": "Không vẽ được biểu đồ thành ảnh PNG: {reason}",
    "render.timeout": "Trình duyệt Chromium không vẽ xong biểu đồ sau {seconds} giây.",
    "render.bad_size": "Kích thước ảnh không hợp lệ: {width} × {height} điểm ảnh (tỷ lệ {scale}).",
    "render.no_units": "Không có địa bàn nào để vẽ bản đồ.",
    "render.unknown_focus": "Mã địa bàn không có trong lớp ranh giới: {codes}.",
    "render.bad_status": "Trạng thái tụ điểm không hợp lệ: {values}.",
    "render.missing_columns": "Bảng tụ điểm thiếu cột {columns}.",
    "render.zones": "Vùng giáp ranh",
    "render.shared_lines": "Ranh giới chung giữa hai địa bàn",
    "render.scale_m": "{value} m",
    "render.scale_km": "{value} km",
}
