"""Catalogue texts: notes (ý kiến giao ban), their page, checks and import."""

VI: dict[str, str] = {
    # the page
    "notes.page": "Ý kiến giao ban",
    "notes.heading": "Ý kiến giao ban hằng tháng",
    "notes.intro": (
        "Ghi khó khăn, vướng mắc, đề xuất, kiến nghị và kết luận, nhiệm vụ của buổi giao ban hằng tháng "
        "của mỗi địa bàn: quận/huyện trước 01/07/2025, phường/xã từ đó. Mỗi địa bàn một ghi nhận cho mỗi "
        "tháng; ghi lại là cập nhật, có lưu trong nhật ký thay đổi."
    ),
    "notes.year": "Năm",
    "notes.month": "Tháng",
    "notes.month_label": "Tháng {month}",
    "notes.level_in_force": "Tháng {month}: giao ban cấp {level}.",
    "notes.unit": "Địa bàn",
    "notes.form": "Ý kiến giao ban tháng {month} · {unit}",
    "notes.stored_hint": "Địa bàn đã có ghi nhận tháng này: sửa nội dung rồi ghi để cập nhật.",
    "notes.privacy": (
        "Chỉ ghi nội dung về địa bàn, tụ điểm và công việc; không ghi họ tên, số giấy tờ, số điện thoại "
        "hay nơi ở của bất kỳ ai."
    ),
    "notes.difficulties": "Khó khăn, vướng mắc",
    "notes.proposals": "Đề xuất, kiến nghị",
    "notes.decisions": "Kết luận, nhiệm vụ",
    "notes.hotspots": "Tụ điểm liên quan",
    "notes.recorded_by": "Đơn vị ghi nhận",
    "notes.save": "Ghi ý kiến giao ban",
    "notes.saved": "Đã ghi ý kiến giao ban tháng {month} của {unit}.",
    "notes.updated": "Đã cập nhật ý kiến giao ban tháng {month} của {unit}.",
    "notes.unchanged": "Ý kiến giao ban tháng {month} của {unit} không thay đổi: không ghi gì thêm.",
    "notes.table": "Các ghi nhận của {unit}",
    "notes.range": "Khoảng thời gian",
    "notes.empty": "Chưa có ghi nhận nào của địa bàn này trong khoảng thời gian đã chọn.",
    "notes.col.month": "Tháng",
    "notes.level.district": "quận/huyện",
    "notes.level.ward": "phường/xã",
    # audit log
    "notes.audit.summary": "Giao ban tháng {month} · {unit}",
    "notes.audit.import_summary": "Dòng {row}: giao ban tháng {month} · {unit}",
    "audit.action.note_add": "Ghi ý kiến giao ban",
    "audit.action.note_update": "Cập nhật ý kiến giao ban",
    "audit.action.import_note": "Ghi ý kiến giao ban (nhập tệp)",
    "audit.action.import_note_update": "Cập nhật ý kiến giao ban (nhập tệp)",
    # checks (dashboard.editing.save_briefing_note)
    "notes.err.month_future": "Tháng {month} chưa đến (hôm nay là {today}): không ghi trước ý kiến giao ban.",
    "notes.err.month_early": "Tháng {month} quá xa: chỉ nhận từ tháng {earliest}.",
    "notes.err.level": (
        "Cấp địa bàn «{level}» không hợp lệ: dùng district (quận/huyện) hoặc ward (phường/xã)."
    ),
    "notes.err.level_for_month": (
        "Tháng {month} giao ban theo cấp {expected}, không phải cấp {level} "
        "(quận/huyện đến 06/2025, phường/xã từ 07/2025)."
    ),
    "notes.err.unknown_unit": "Không có {level} mã «{code}».",
    "notes.err.no_text": (
        "{unit}, tháng {month}: cần ghi ít nhất một trong «Khó khăn, vướng mắc», «Đề xuất, kiến nghị», "
        "«Kết luận, nhiệm vụ»."
    ),
    "notes.err.too_long": "«{field}» dài {length} ký tự, tối đa {max_length}.",
    "notes.err.unknown_hotspots": "Tụ điểm liên quan: không có tụ điểm mã {codes} trong dữ liệu.",
    # import (dashboard.intake)
    "notes.kind": "Ý kiến giao ban",
    "notes.col.month.header": "Tháng",
    "notes.col.month.help": (
        "Tháng giao ban, mm/yyyy (ví dụ 03/2020). Nhận cả ngày dd/mm/yyyy: lấy tháng của ngày đó."
    ),
    "notes.col.level.header": "Cấp địa bàn",
    "notes.col.level.help": (
        "Không bắt buộc: quận/huyện đến 06/2025, phường/xã từ 07/2025; nếu ghi phải khớp với tháng."
    ),
    "notes.level_choice.district": "Quận/huyện (đến 06/2025)",
    "notes.level_choice.ward": "Phường/xã (từ 07/2025)",
    "notes.col.area.header": "Địa bàn",
    "notes.col.area.help": (
        "Quận/huyện (đến 06/2025) hoặc phường/xã (từ 07/2025) tổ chức giao ban: tên hoặc mã "
        "(3 số hoặc 5 số). Nhận cả tên cũ, ví dụ «Phường Hàng Bạc, Quận Hoàn Kiếm»."
    ),
    "notes.col.difficulties.header": "Khó khăn, vướng mắc",
    "notes.col.difficulties.help": (
        "Về địa bàn, tụ điểm và công việc; không ghi tên người. Tối đa 4000 ký tự. "
        "Cần ít nhất một trong ba cột nội dung."
    ),
    "notes.col.proposals.header": "Đề xuất, kiến nghị",
    "notes.col.proposals.help": "Đề xuất, kiến nghị với cấp trên; tối đa 4000 ký tự.",
    "notes.col.decisions.header": "Kết luận, nhiệm vụ",
    "notes.col.decisions.help": "Kết luận của buổi giao ban và nhiệm vụ được giao; tối đa 4000 ký tự.",
    "notes.col.hotspot_codes.header": "Tụ điểm liên quan (mã)",
    "notes.col.hotspot_codes.help": (
        "Không bắt buộc: mã các tụ điểm được nhắc đến, cách nhau bằng dấu cách, dấu phẩy hoặc chấm phẩy."
    ),
    "notes.col.recorded_by.header": "Đơn vị ghi nhận",
    "notes.col.recorded_by.help": (
        "Cơ quan ghi nhận, theo danh sách của ứng dụng (Sở, Chi cục, UBND phường/xã…); "
        "để trống là đơn vị thực hiện việc nhập."
    ),
    "notes.template.rule.privacy": (
        "Ý kiến giao ban chỉ ghi về địa bàn, tụ điểm và công việc: không ghi họ tên, số giấy tờ, "
        "số điện thoại hay nơi ở của bất kỳ ai."
    ),
    "notes.template.rule.one_per_month": (
        "Mỗi địa bàn một dòng cho mỗi tháng; dòng của một tháng đã có là cập nhật "
        "(chọn «cập nhật» khi nhập)."
    ),
    "notes.template.month_rule": "Ghi tháng dạng mm/yyyy (ví dụ 03/2020), từ 01/2000.",
    "notes.value.missing": "Thiếu tháng.",
    "notes.value.bad_month": "«{raw}» không phải là tháng: ghi theo dạng mm/yyyy, ví dụ 03/2020.",
    "notes.value.no_month": "«{raw}» không có tháng {month}: ghi theo dạng mm/yyyy.",
    "notes.value.two_digit_year": "«{raw}»: năm cần ghi đủ 4 chữ số, ví dụ 03/2020.",
    "notes.value.future": "Tháng {month} chưa đến (hôm nay là {today}).",
    "notes.value.too_early": "Tháng {month} quá xa: chỉ nhận từ {earliest}.",
    "notes.check.level_for_month": "Tháng {month} giao ban theo cấp {expected}, không phải {level}.",
    "notes.check.unit_for_month": (
        "«{name}» là {level}; tháng {month} giao ban theo cấp {expected}: ghi {expected} tổ chức giao ban."
    ),
    "notes.check.unknown_code": "Không có {level} mã «{code}».",
    "notes.check.no_text": (
        "Cần ghi ít nhất một trong ba cột «Khó khăn, vướng mắc», «Đề xuất, kiến nghị», «Kết luận, nhiệm vụ»."
    ),
    "notes.check.unknown_hotspots": "Không có tụ điểm mã {codes} trong dữ liệu: nhập tụ điểm trước.",
    "notes.check.unknown_office": (
        "«{value}» không có trong danh sách đơn vị ghi nhận (các cơ quan thành phố và UBND phường/xã)."
    ),
    "notes.check.duplicate_row": "Trùng với dòng {row} (cùng tháng, cùng địa bàn).",
    "notes.apply.progress": "Ghi ý kiến giao ban {row}/{total}",
}
