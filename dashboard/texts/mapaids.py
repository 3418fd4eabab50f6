"""Catalogue texts: reading aids drawn on every map (ward labels, scale bar, fit-to-my-area, legend)."""

VI: dict[str, str] = {
    "mapaids.labels": "Tên phường, xã",
    "mapaids.home": "Về địa bàn của tôi",
    "mapaids.zoom_in": "Phóng to",
    "mapaids.zoom_out": "Thu nhỏ",
    "mapaids.legend_places": "Địa giới",
    "mapaids.legend_focus": "Địa bàn đang xem (viền đậm)",
    "mapaids.legend_card_ward": "Phường, xã của tụ điểm (viền đậm)",
    "mapaids.legend_labels_sample": "Phường A",
    "mapaids.legend_labels": "Tên phường, xã (hiện khi phóng to đủ rộng)",
}
