"""Texts of the hotspot register, the hotspot card and the follow-up list."""

VI: dict[str, str] = {
    "nav.section.maps": "Bản đồ",
    "nav.section.hotspots": "Tụ điểm",
    "nav.section.reports": "Báo cáo",
    "nav.section.data": "Cập nhật dữ liệu",
    "nav.section.admin": "Quản trị",
    "page.register": "Sổ tụ điểm",
    "page.card": "Hồ sơ tụ điểm",
    "page.follow_up": "Cần theo dõi",
    # The register
    "register.intro": (
        "Danh sách mọi tụ điểm trong địa bàn tài khoản được xem, trạng thái tính đến ngày {date}. "
        "Gõ mã, tên, phường, xã hoặc quận, huyện cũ để tìm (không cần dấu); chọn một dòng để mở hồ sơ."
    ),
    "register.search": "Tìm tụ điểm",
    "register.search_help": (
        "Mỗi từ phải có trong mã, tên, phường, xã hoặc quận, huyện cũ; "
        "không phân biệt hoa thường, có dấu hay không."
    ),
    "register.search_placeholder": "Ví dụ: hang bac, TD-007, hoan kiem",
    "register.filter.risk": "Mức nguy cơ",
    "register.filter.ward": "Phường, xã",
    "register.filter.district": "Quận, huyện cũ",
    "register.filter.all": "Tất cả",
    "register.count": "{n} tụ điểm (trong tổng số {total})",
    "register.none": "Không có tụ điểm nào khớp với tìm kiếm và bộ lọc.",
    "register.pick_hint": "Chọn một dòng của bảng để mở hồ sơ tụ điểm đó.",
    "register.col.days": "Số ngày chưa có hoạt động",
    "register.col.risk_level": "Mức nguy cơ",
    "register.col.risk_type": "Loại nguy cơ",
    "register.download": "Tải sổ tụ điểm (.xlsx)",
    "register.download_help": "Các dòng đang hiển thị; việc tải về được ghi vào nhật ký thay đổi.",
    "register.sheet": "So tu diem",
    "register.sheet_title": "Sổ tụ điểm, trạng thái tính đến ngày {date}",
    "register.what": "sổ tụ điểm (.xlsx)",
    "register.detail": "{rows} tụ điểm, tính đến ngày {date}",
    # The card
    "card.pick": "Chọn tụ điểm",
    "card.pick_search": "Tìm theo mã, tên, phường, xã hoặc quận, huyện cũ",
    "card.pick_hint": "Chưa chọn tụ điểm. Tìm và chọn một tụ điểm để xem hồ sơ.",
    "card.unknown": (
        "Không có tụ điểm mã «{code}» trong địa bàn tài khoản này được xem. "
        "Hãy kiểm tra lại mã, hoặc tìm tụ điểm trong danh sách bên dưới."
    ),
    "card.back": "← Về sổ tụ điểm",
    "card.headline": "{code} · {name}",
    "card.place": "{kind} · {ward} · {district}",
    "card.unit": "Đơn vị phụ trách: {unit}",
    "card.metric.status": "Trạng thái",
    "card.metric.days": "Số ngày chưa có hoạt động",
    "card.metric.score": "Điểm nguy cơ",
    "card.metric.border": "Cặp giáp ranh",
    "card.metric.activities": "Lượt hoạt động",
    "card.never": "Chưa có",
    "card.follow_up": "Cần theo dõi: {reasons}",
    "card.map": "Vị trí, phường, xã và vùng giáp ranh",
    "card.tab.timeline": "Diễn biến trạng thái",
    "card.tab.activities": "Hoạt động và kết quả",
    "card.tab.plans": "Chỉ tiêu kế hoạch",
    "card.tab.risk": "Nguy cơ",
    "card.tab.border": "Giáp ranh",
    "card.tab.notes": "Ý kiến giao ban",
    "card.tab.audit": "Nhật ký",
    "card.tab.actions": "Cập nhật",
    "card.col.date": "Ngày",
    "card.col.from": "Từ trạng thái",
    "card.col.to": "Sang trạng thái",
    "card.col.reason": "Lý do, căn cứ",
    "card.col.recorded_by": "Đơn vị ghi nhận",
    "card.col.receiver": "Đơn vị nhận bàn giao",
    "card.col.document": "Số biên bản",
    "card.col.year": "Năm",
    "card.col.plan": "Kế hoạch số",
    "card.col.plan_date": "Ngày kế hoạch",
    "card.col.target": "Chỉ tiêu",
    "card.col.assigned": "Địa bàn được giao",
    "card.col.met": "Đạt chỉ tiêu",
    "card.col.kind": "Loại hoạt động",
    "card.col.unit": "Đơn vị thực hiện",
    "card.col.factor": "Yếu tố",
    "card.col.points": "Điểm",
    "card.col.pair": "Cặp giáp ranh",
    "card.col.distance": "Cách ranh giới (m)",
    "card.col.gap": "Khoảng trống phối hợp",
    "card.col.silent": "Bên chưa có hoạt động",
    "card.col.month": "Tháng",
    "card.col.unit_of_note": "Đơn vị",
    "card.col.difficulties": "Khó khăn, vướng mắc",
    "card.col.proposals": "Đề xuất, kiến nghị",
    "card.col.decisions": "Kết luận, nhiệm vụ",
    "card.no_timeline": "Chưa có thay đổi trạng thái nào được ghi.",
    "card.no_targets": "Tụ điểm này chưa thuộc chỉ tiêu kế hoạch năm nào của thành phố.",
    "card.no_activities": "Chưa có hoạt động nào được ghi tại tụ điểm này.",
    "card.no_score": "Tụ điểm này chưa được chấm điểm nguy cơ (chưa có trạng thái tính đến hôm nay).",
    "card.no_border": "Tụ điểm này không nằm trong vùng giáp ranh nào.",
    "card.no_notes": "Chưa có ý kiến giao ban nào nhắc đến tụ điểm này.",
    "card.no_audit": "Chưa có mục nhật ký nào về tụ điểm này.",
    "card.results": "Kết quả cộng dồn",
    "card.score_line": "{type}: {score} điểm · mức {level}",
    "card.read_only": (
        "Tài khoản {username} ({role}) chỉ được xem; việc cập nhật do cán bộ có quyền ghi thực hiện."
    ),
    "card.not_writable": "Tụ điểm này nằm ngoài địa bàn tài khoản {username} được cập nhật.",
    "card.chart_title": "Hoạt động theo tháng và các lần thay đổi trạng thái",
    "card.map_click_hint": "Bấm vào một tụ điểm trên bản đồ để mở hồ sơ của tụ điểm đó.",
    # The follow-up list
    "follow.intro": (
        "Các tụ điểm cần đến kiểm tra, sắp theo mức cấp thiết: tổng trọng số các lý do "
        "(không có hoạt động 40, nhiệm vụ quá hạn 30, khoảng trống phối hợp giáp ranh 20, "
        "nguy cơ cao mà hoạt động giảm 10), rồi số ngày chưa có hoạt động, rồi mã."
    ),
    "follow.unit": "Địa bàn",
    "follow.all_units": "Toàn bộ địa bàn được xem",
    "follow.days": "Số ngày không có hoạt động (tụ điểm đang phức tạp)",
    "follow.days_help": "Tụ điểm đang phức tạp không có hoạt động nào trong số ngày này thì cần theo dõi.",
    "follow.count": "{n} tụ điểm cần theo dõi",
    "follow.none": "Không có tụ điểm nào cần theo dõi theo các tiêu chí đã chọn.",
    "follow.col.reasons": "Lý do",
    "follow.metric.total": "Tụ điểm cần theo dõi",
    "follow.col.urgency": "Mức cấp thiết",
    "follow.pick_hint": "Chọn một dòng để mở hồ sơ tụ điểm đó.",
    "follow.reason.no_activity": "Đang phức tạp, {days} ngày chưa có hoạt động (lần gần nhất {date})",
    "follow.reason.no_activity_ever": "Đang phức tạp, chưa có hoạt động nào được ghi",
    "follow.reason.overdue_task": "Nhiệm vụ quá hạn {days} ngày: «{title}» (hạn {deadline})",
    "follow.reason.border_gap": (
        "Giáp ranh {side} ↔ {neighbour}: {silent} chưa có hoạt động trong {days} ngày"
    ),
    "follow.reason.risk_drop": (
        "Nguy cơ tái hoạt động cao ({score} điểm), hoạt động giảm {drop} % so với trước bàn giao"
    ),
    "follow.rule.no_activity": "Lâu không hoạt động",
    "follow.rule.overdue_task": "Nhiệm vụ quá hạn",
    "follow.rule.border_gap": "Giáp ranh thiếu phối hợp",
    "follow.rule.risk_drop": "Nguy cơ cao",
    "follow.rule_help.no_activity": "Tụ điểm đang phức tạp không có hoạt động nào trong số ngày đã chọn.",
    "follow.rule_help.overdue_task": "Tụ điểm có nhiệm vụ của kế hoạch địa phương đã quá hạn mà chưa xong.",
    "follow.rule_help.border_gap": (
        "Tụ điểm giáp ranh mà một bên chưa có hoạt động gần đây (khoảng trống phối hợp)."
    ),
    "follow.rule_help.risk_drop": (
        "Tụ điểm đã triệt xóa có nguy cơ tái hoạt động cao mà hoạt động giảm sau bàn giao."
    ),
    "register.err.quiet_days": "Số ngày không có hoạt động phải từ 1 trở lên (đã nhập {days}).",
    "register.err.unknown_id": "Không có tụ điểm này trong địa bàn tài khoản được xem.",
}
