"""Catalogue texts: local plans and their tasks (pages/plans.py, dashboard/localplans.py)."""

VI: dict[str, str] = {
    "page.plans": "Kế hoạch, nhiệm vụ",
    "plans.key": "Kế hoạch năm {year} · {unit}",
    "plans.level.district": "quận, huyện cũ",
    "plans.level.ward": "phường, xã",
    # fields
    "plans.field.doc_number": "Số văn bản",
    "plans.field.doc_date": "Ngày ban hành",
    "plans.field.title": "Trích yếu kế hoạch",
    "plans.field.task": "Nhiệm vụ",
    "plans.field.responsible": "Đơn vị chủ trì",
    "plans.field.place": "Tụ điểm hoặc địa bàn",
    "plans.field.deadline": "Hạn hoàn thành",
    "plans.field.state": "Tình trạng",
    "plans.field.result": "Kết quả",
    "plans.field.updated_on": "Cập nhật ngày",
    "plans.field.unit": "Địa bàn",
    "plans.field.days_late": "Số ngày quá hạn",
    "plans.field.year": "Năm",
    "plans.field.targets_clear": "Tụ điểm đặt mục tiêu xóa bỏ",
    "plans.field.targets_keep": "Tụ điểm đặt mục tiêu giữ vững, không tái phát",
    # task states (dashboard.tasks.DISPLAY_STATES)
    "task.state.not_started": "Chưa thực hiện",
    "task.state.in_progress": "Đang thực hiện",
    "task.state.overdue": "Quá hạn",
    "task.state.done": "Đã hoàn thành",
    # messages
    "plans.saved": "Đã ghi {plan}.",
    "plans.updated": "Đã cập nhật {plan}.",
    "plans.unchanged": "{plan} không thay đổi: không ghi gì thêm.",
    "plans.task_saved": "Đã giao nhiệm vụ «{task}» thuộc {plan}.",
    "plans.task_updated": "Đã cập nhật nhiệm vụ «{task}».",
    "plans.task_unchanged": "Nhiệm vụ «{task}» không thay đổi: không ghi gì thêm.",
    "plans.audit.task": "{plan} · nhiệm vụ «{task}»",
    "audit.action.plan_add": "Ghi kế hoạch của địa bàn",
    "audit.action.plan_update": "Cập nhật kế hoạch của địa bàn",
    "audit.action.task_add": "Giao nhiệm vụ",
    "audit.action.task_update": "Cập nhật nhiệm vụ",
    "audit.action.import_task_add": "Giao nhiệm vụ (nhập tệp)",
    "audit.action.import_task_update": "Cập nhật nhiệm vụ (nhập tệp)",
    "enforce.action.plan_save": "ghi kế hoạch của địa bàn",
    "enforce.action.task_save": "giao, cập nhật nhiệm vụ",
    # the page
    "plans.heading": "Kế hoạch và nhiệm vụ của địa bàn",
    "plans.intro": (
        "Kế hoạch riêng của từng địa bàn theo kế hoạch của thành phố: quận, huyện cũ đến năm 2025, "
        "phường, xã từ năm 2025. Mỗi kế hoạch có các tụ điểm đặt mục tiêu và các nhiệm vụ giao cho phường, "
        "xã và cơ quan, ban ngành; nhiệm vụ chưa hoàn thành khi đã qua hạn được tính là quá hạn."
    ),
    "plans.level_pick": "Cấp lập kế hoạch",
    "plans.level_title.district": "Quận, huyện cũ",
    "plans.level_title.ward": "Phường, xã",
    "plans.no_units": "Tài khoản không phụ trách địa bàn nào ở cấp này.",
    "plans.progress_heading": "Tiến độ nhiệm vụ năm {year}",
    "plans.no_tasks_year": "Chưa có nhiệm vụ nào thuộc kế hoạch năm {year} trong địa bàn được xem.",
    "plans.metric.total": "Tổng số nhiệm vụ",
    "chart.task_progress": "Tiến độ nhiệm vụ theo địa bàn, năm {year}",
    "chart.task_progress_top": (
        "Tiến độ nhiệm vụ năm {year}: {n} địa bàn nhiều nhiệm vụ quá hạn nhất (trong {total})"
    ),
    "chart.tasks": "Số nhiệm vụ",
    "plans.no_plan": "{unit} chưa có kế hoạch năm {year}.",
    "plans.doc": "Văn bản: số {number}, ngày {date}. {title}",
    "plans.targets.clear": "Mục tiêu xóa bỏ",
    "plans.targets.keep_clean": "Mục tiêu giữ vững, không tái phát",
    "plans.form.plan_new": "Ghi kế hoạch của địa bàn",
    "plans.form.plan_edit": "Sửa kế hoạch, mục tiêu",
    "plans.form.save_plan": "Ghi kế hoạch",
    "plans.err.target_both": "Tụ điểm {codes} được chọn cả mục tiêu xóa bỏ và giữ vững: chỉ chọn một.",
    "plans.tasks_heading": "Nhiệm vụ",
    "plans.tasks_need_plan": "Ghi kế hoạch của địa bàn trước, rồi giao nhiệm vụ.",
    "plans.filter.state": "Lọc theo tình trạng",
    "plans.filter.all": "Mọi tình trạng",
    "plans.no_tasks": "Chưa có nhiệm vụ nào.",
    "plans.tasks_count": "{n} nhiệm vụ (trong tổng số {total})",
    "plans.form.task_new": "Giao nhiệm vụ mới",
    "plans.form.task_update": "Báo cáo tiến độ một nhiệm vụ",
    "plans.form.add_task": "Giao nhiệm vụ",
    "plans.form.update_task": "Ghi tiến độ",
    "plans.place.whole": "Toàn địa bàn {unit}",
    "plans.help.responsible": "Tên đơn vị, cơ quan (ví dụ: Công an phường), không ghi tên người.",
    "plans.help.overdue": (
        "«Quá hạn» không chọn được: nhiệm vụ chưa hoàn thành khi đã qua hạn tự được tính là quá hạn."
    ),
    "plans.privacy": (
        "Chỉ ghi nội dung công việc và đơn vị; không ghi họ tên, số giấy tờ, số điện thoại của ai."
    ),
    "plans.unit_read_only": (
        "Tài khoản «{username}» chỉ được xem kế hoạch, nhiệm vụ của «{unit}»: địa bàn này nằm ngoài phạm vi "
        "ghi của tài khoản."
    ),
    "plans.import_link": "Nhập nhiều nhiệm vụ từ tệp Excel (mẫu «Nhiệm vụ kế hoạch» ở trang Nhập dữ liệu)",
    "plans.overdue_heading": "Nhiệm vụ quá hạn: {n}",
    "plans.overdue_none": "Không có nhiệm vụ nào của kế hoạch địa bàn quá hạn.",
    "plans.overdue_link": "Xem và cập nhật kế hoạch, nhiệm vụ",
    # the hotspot card
    "card.city_targets": "Mục tiêu trong kế hoạch của thành phố",
    "card.local_targets": "Mục tiêu trong kế hoạch của địa bàn",
    "card.no_local_targets": "Chưa có kế hoạch địa bàn nào đặt mục tiêu cho tụ điểm này.",
    "card.tasks": "Nhiệm vụ tại tụ điểm",
    "card.no_tasks": "Chưa có nhiệm vụ nào được giao tại tụ điểm này.",
    # checks
    "plans.err.required": "Chưa nhập «{field}»{where}.",
    "plans.err.too_long": "«{field}» dài {length} ký tự{where}, quá mức {max_length} ký tự.",
    "plans.err.year": "Năm «{year}» không phải là một năm.",
    "plans.err.year_range": "Năm {year} ngoài khoảng nhận kế hoạch: từ {first} đến {last}.",
    "plans.err.level": "Cấp «{level}» không có: dùng quận, huyện cũ hoặc phường, xã.",
    "plans.err.level_for_year": (
        "Năm {year} không có kế hoạch cấp {level}: năm này kế hoạch do cấp {allowed} lập "
        "(quận, huyện cũ đến năm 2025, phường, xã từ năm 2025)."
    ),
    "plans.err.unknown_unit": "Không có {level} mã «{code}».",
    "plans.err.doc_date_future": "Ngày ban hành {date} chưa đến (hôm nay là {today}).",
    "plans.err.target_type": "Mục tiêu «{kind}» của tụ điểm «{code}» không có: dùng xóa bỏ hoặc giữ vững.",
    "plans.err.unknown_hotspots": "Không có tụ điểm mã {codes}.",
    "plans.err.target_outside": (
        "Tụ điểm {codes} không thuộc {unit}: kế hoạch chỉ đặt mục tiêu trong địa bàn mình."
    ),
    "plans.err.task_outside": "{what} không thuộc {unit}: nhiệm vụ chỉ giao trong địa bàn của kế hoạch.",
    "plans.err.what_hotspot": "Tụ điểm «{code}»",
    "plans.err.no_plan": "Không có kế hoạch số {id}: có thể vừa bị thay ở nơi khác.",
    "plans.err.no_task": "Không có nhiệm vụ số {id}: có thể vừa bị thay ở nơi khác.",
    "plans.err.state": (
        "Tình trạng «{state}» không có: dùng chưa thực hiện, đang thực hiện hoặc đã hoàn thành."
    ),
    "plans.err.deadline_year": (
        "Hạn hoàn thành {date} quá xa năm kế hoạch {year}: chỉ nhận hạn trong năm đó, năm trước hoặc năm sau."
    ),
    "plans.err.stale_task": (
        "Chưa lưu: nhiệm vụ «{task}» vừa được cập nhật ở nơi khác. Trang đã tải lại nội dung mới; "
        "xem lại rồi ghi lần nữa."
    ),
    # import
    # The import kind "tasks" (dashboard/intake): template columns, checks, audit summaries.
    "plans.import.kind": "Nhiệm vụ kế hoạch",
    "plans.import.level.district": "Quận, huyện cũ",
    "plans.import.level.ward": "Phường, xã",
    "plans.import.col.year.header": "Năm",
    "plans.import.col.year.help": (
        "Năm của kế hoạch, ví dụ 2026. Quận, huyện cũ lập kế hoạch đến năm 2025; phường, xã từ năm 2025."
    ),
    "plans.import.col.level.header": "Cấp",
    "plans.import.col.level.help": (
        "Cấp lập kế hoạch: Quận, huyện cũ hoặc Phường, xã. Để trống: nhận theo mã địa bàn "
        "(3 chữ số: quận, huyện cũ; 5 chữ số: phường, xã)."
    ),
    "plans.import.col.unit_code.header": "Mã địa bàn",
    "plans.import.col.unit_code.help": (
        "Mã của quận, huyện cũ (3 chữ số, ví dụ 002) hoặc của phường, xã (5 chữ số, ví dụ 00070) "
        "lập kế hoạch. Kế hoạch của năm chưa có thì được tạo khi nhập (số, ngày văn bản để trống)."
    ),
    "plans.import.col.title.header": "Nhiệm vụ",
    "plans.import.col.title.help": (
        "Nội dung nhiệm vụ, tối đa {max} ký tự. Cùng kế hoạch, cùng nội dung và cùng nơi thực hiện "
        "là cùng một nhiệm vụ."
    ),
    "plans.import.col.responsible.header": "Đơn vị chủ trì",
    "plans.import.col.responsible.help": (
        "Đơn vị, cơ quan chủ trì thực hiện (không ghi tên người), tối đa {max} ký tự."
    ),
    "plans.import.col.hotspot_code.header": "Mã tụ điểm",
    "plans.import.col.hotspot_code.help": (
        "Nếu nhiệm vụ thực hiện tại một tụ điểm: mã tụ điểm, thuộc địa bàn của kế hoạch. "
        "Không ghi cùng lúc với «Mã phường, xã thực hiện»."
    ),
    "plans.import.col.ward_code.header": "Mã phường, xã thực hiện",
    "plans.import.col.ward_code.help": (
        "Nếu nhiệm vụ thực hiện tại một phường, xã: mã phường, xã (5 chữ số), thuộc địa bàn của kế hoạch. "
        "Để trống cả hai cột mã: nhiệm vụ trên toàn địa bàn."
    ),
    "plans.import.col.deadline.header": "Hạn hoàn thành",
    "plans.import.col.deadline.help": ("Ngày dd/mm/yyyy, trong năm kế hoạch, năm trước hoặc năm sau."),
    "plans.import.col.state.header": "Tình trạng",
    "plans.import.col.state.help": (
        "Chưa thực hiện, Đang thực hiện hoặc Đã hoàn thành; để trống: chưa thực hiện. "
        "Không ghi «Quá hạn»: quá hạn do hệ thống tính từ hạn hoàn thành."
    ),
    "plans.import.col.result.header": "Kết quả",
    "plans.import.col.result.help": "Kết quả thực hiện, ngắn gọn, tối đa {max} ký tự.",
    "plans.import.rule.identity": (
        "Mỗi dòng là một nhiệm vụ, nhận theo kế hoạch (năm, cấp, mã địa bàn), nội dung nhiệm vụ và "
        "nơi thực hiện: nhập lại cùng tệp không thay đổi gì; đổi đơn vị chủ trì, hạn, tình trạng hay "
        "kết quả thì cập nhật nhiệm vụ đã có (khi chọn cập nhật dòng trùng)."
    ),
    "plans.import.rule.new_plan": (
        "Kế hoạch của địa bàn trong năm chưa có thì được tạo cùng lúc; số, ngày và trích yếu văn bản "
        "ghi sau trên trang «Kế hoạch, nhiệm vụ»."
    ),
    "plans.import.rule.overdue": (
        "«Quá hạn» không phải là tình trạng để ghi: hệ thống tính từ hạn hoàn thành và tình trạng."
    ),
    "plans.import.check.level_needed": (
        "Năm {year} có kế hoạch của cả quận, huyện cũ và phường, xã: ghi cột «Cấp» "
        "hoặc mã đủ 3 chữ số (quận, huyện cũ) hay 5 chữ số (phường, xã)."
    ),
    "plans.import.check.overdue": (
        "Không nhập tình trạng «{value}»: quá hạn được tính từ hạn hoàn thành, không ghi vào. "
        "Ghi tình trạng thực tế: Chưa thực hiện, Đang thực hiện hoặc Đã hoàn thành."
    ),
    "plans.import.check.both_places": (
        "Chỉ ghi một trong hai cột «{hotspot}» hoặc «{ward}»: nhiệm vụ tại tụ điểm đã thuộc phường, xã "
        "của tụ điểm."
    ),
    "plans.import.check.duplicate_row": (
        "Trùng với dòng {row} (cùng kế hoạch, cùng nhiệm vụ, cùng nơi thực hiện)."
    ),
    "plans.import.audit.row": "Dòng {row}: {what}",
    "plans.import.audit.new_plan": "Dòng {row}: tạo {plan} khi nhập nhiệm vụ",
    "audit.action.import_plan_add": "Ghi kế hoạch của địa bàn (nhập tệp)",
    "plans.import.apply.progress": "Ghi nhiệm vụ {row}/{total}",
}
