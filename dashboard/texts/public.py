"""Catalogue texts: the public version of exports (see docs/public.md)."""

VI: dict[str, str] = {
    "public.label": "Bản công khai",
    "public.caption": (
        "Vị trí tụ điểm đã được dịch chuyển ngẫu nhiên 300–500 m trong phạm vi phường, xã; "
        "số nhỏ hơn 3 được ẩn."
    ),
    "public.small": "<3",
    "public.hidden": "x",
    "public.hidden_note": ("x: số được ẩn thêm để không suy ra được ô «<3» từ tổng của hàng hoặc của cột."),
    "public.err.negative": "Số đếm không thể âm: {value}.",
    "public.err.columns": "Bảng không có cột {columns}; không thể tạo bản công khai.",
    "public.err.no_code": (
        "Có tụ điểm chưa có mã; bản công khai ghi mã thay cho tên nên cần mã của mọi tụ điểm."
    ),
    "public.err.unknown_ward": (
        "Tụ điểm {code} ghi phường, xã «{ward}» không có trong lớp ranh giới phường, xã; "
        "hãy cập nhật địa bàn của tụ điểm trước khi tạo bản công khai."
    ),
    "public.err.unknown_status": "Trạng thái «{status}» không có trong danh mục trạng thái tụ điểm.",
    "public.err.key": (
        "Khóa của bản công khai trong {source} rỗng; hãy khôi phục tệp khóa đã sao lưu "
        "(không tạo khóa mới: vị trí dịch chuyển sẽ đổi và lộ thêm thông tin)."
    ),
}
