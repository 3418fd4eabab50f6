"""Catalogue texts: the map over time (pages/timeline.py, dashboard/timemap.py)."""

VI: dict[str, str] = {
    "page.timeline": "Bản đồ theo thời gian",
    "timeline.intro": (
        "Kéo thanh thời gian hoặc bấm «Phát» để xem từng tháng, từ {first} đến {last}: màu của tụ điểm "
        "là trạng thái ở cuối tháng đó, nền quận, huyện (cũ) là số hoạt động trong tháng, viền đen dày "
        "đánh dấu chỉ tiêu của kế hoạch năm đó. Tháng cuối tính đến ngày {date}; tụ điểm chưa có trong "
        "sổ ở một tháng thì chưa được vẽ."
    ),
    "timeline.as_of": "Tính đến ngày",
    "timeline.none": "Chưa có tụ điểm nào được ghi nhận trạng thái trong phạm vi này.",
    "timeline.month": "Tháng {month}",
    "timeline.month_to": "Tháng {month} (đến {date})",
    "timeline.play": "▶ Phát",
    "timeline.pause": "❚❚ Tạm dừng",
    "timeline.back": "Tháng trước",
    "timeline.forward": "Tháng sau",
    "timeline.slider": "Chọn tháng",
    "timeline.known": "Tụ điểm đã có trong sổ",
    "timeline.activities": "Hoạt động trong tháng",
    "timeline.targets": "Chỉ tiêu kế hoạch năm {year}",
    "timeline.target_of": "Chỉ tiêu năm {year}",
    "timeline.legend_activity": "Hoạt động trong tháng / quận, huyện cũ",
    "timeline.legend_no_activity": "Không có hoạt động",
    "timeline.legend_target": "Chỉ tiêu kế hoạch của năm đang xem (viền đen dày)",
    "timeline.layer": "Tụ điểm theo tháng",
}
