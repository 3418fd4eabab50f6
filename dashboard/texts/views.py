"""Catalogue texts: the view layer (dashboard/views.py) and the screens built on it."""

VI: dict[str, str] = {
    "views.future_period": "Kỳ báo cáo bắt đầu ngày {start}, sau hôm nay: chưa có số liệu.",
    "chart.status_by_ward": "Tụ điểm theo trạng thái, theo phường, xã",
    "table.yes": "Có",
    "table.no": "Không",
}
