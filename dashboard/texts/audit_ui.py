"""Catalogue texts: the audit page's filters and export, recorded exports, the ``--user`` option."""

VI: dict[str, str] = {
    # the audit page
    "auditui.col.at": "Thời điểm (giờ Hà Nội)",
    "auditui.col.account": "Tài khoản",
    "auditui.kind": "Loại thao tác",
    "auditui.kind.data": "Thay đổi số liệu",
    "auditui.kind.sign_in": "Đăng nhập, đăng xuất",
    "auditui.kind.sign_in_failed": "Đăng nhập không thành công",
    "auditui.kind.lock_out": "Tạm khóa tài khoản",
    "auditui.kind.export": "Xuất tệp",
    "auditui.kind.denied": "Ghi bị từ chối",
    "auditui.kind.accounts": "Quản lý tài khoản",
    "auditui.who": "Tài khoản hoặc đơn vị",
    "auditui.who_help": "Một phần tên đăng nhập hoặc tên đơn vị, không phân biệt hoa thường.",
    "auditui.range": "Khoảng thời gian (ngày theo giờ Hà Nội)",
    "auditui.count": "{n} mục trong bộ lọc đã chọn.",
    "auditui.scoped": "Chỉ hiện các mục về tụ điểm thuộc địa bàn của tài khoản.",
    "auditui.not_allowed": "Tài khoản này không xem được nhật ký thay đổi.",
    "auditui.sign_in_first": "Cần đăng nhập để xem nhật ký thay đổi.",
    "auditui.download": "Tải nhật ký đã lọc (.xlsx)",
    "auditui.download_help": "Việc tải tệp cũng được ghi vào nhật ký.",
    "auditui.sheet": "Nhật ký thay đổi",
    "auditui.actor.app": "người dùng ứng dụng (chưa có tài khoản)",
    # labels of the account and export actions (the data actions are audit.action.*)
    "auditui.action.user_add": "Tạo tài khoản",
    "auditui.action.user_disable": "Vô hiệu hóa tài khoản",
    "auditui.action.user_enable": "Bật lại tài khoản",
    "auditui.action.user_password": "Đặt lại mật khẩu",
    "auditui.action.user_role": "Đổi vai trò, địa bàn",
    "auditui.action.sign_in": "Đăng nhập",
    "auditui.action.sign_out": "Đăng xuất",
    "auditui.action.sign_in_failed": "Đăng nhập không thành công",
    "auditui.action.lock_out": "Tạm khóa tài khoản",
    "auditui.action.export": "Xuất tệp",
    # recorded exports (dashboard.exports.record_export)
    "auditui.export.summary": "Xuất {what}: {detail}",
    "auditui.export.public": "bản công khai",
    "auditui.export.full": "bản đầy đủ",
    "auditui.export.scope_city": "phạm vi toàn thành phố",
    "auditui.export.scope_units": "phạm vi: {units}",
    "auditui.export.scope_none": "phạm vi: không có địa bàn",
    "auditui.export.by": "tài khoản {username}",
    "auditui.what.report": "báo cáo ({suffix})",
    "auditui.what.deck": "bản trình chiếu (.pptx)",
    "auditui.what.data": "dữ liệu đã lưu (.xlsx)",
    "auditui.what.audit": "nhật ký thay đổi (.xlsx)",
    "auditui.detail.audit": "{period}; {rows} mục; bộ lọc: {filters}",
    "auditui.detail.no_filter": "không lọc thêm",
    # the command line's --user
    "auditui.cli.prompt": "Mật khẩu của «{username}»: ",
    "auditui.cli.public_only": (
        "Tài khoản «{username}» chỉ được xuất bản công khai: dùng «report … --public --out …» "
        "(không kèm --json)."
    ),
    "auditui.cli.unit_refused": "Tài khoản «{username}» không được xem báo cáo của {unit}.",
    "auditui.cli.not_here": (
        "--user chỉ dùng với các lệnh summary, border, risk, report và export (không dùng với «{command}»)."
    ),
}
