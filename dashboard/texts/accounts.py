"""Catalogue texts: accounts (tài khoản), roles, sign-in, the ``user`` command."""

VI: dict[str, str] = {
    # roles
    "acct.role.admin": "Quản trị hệ thống",
    "acct.role.staff": "Cán bộ Sở",
    "acct.role.leadership": "Lãnh đạo (chỉ xem)",
    "acct.role.area_officer": "Cán bộ địa bàn",
    "acct.role.presenter": "Trình chiếu",
    "acct.role_help.admin": "Tài khoản, lớp ranh giới và mọi chức năng.",
    "acct.role_help.staff": "Toàn thành phố: xem và ghi số liệu.",
    "acct.role_help.leadership": "Toàn thành phố: chỉ xem.",
    "acct.role_help.area_officer": (
        "Một hoặc nhiều quận, huyện cũ và/hoặc phường, xã: xem và ghi số liệu của các địa bàn đó."
    ),
    "acct.role_help.presenter": "Chỉ chế độ trình chiếu và tệp xuất bản công khai.",
    # checks
    "acct.err.username": (
        "Tên đăng nhập «{username}» không hợp lệ: dùng {min_length}–{max_length} ký tự chữ thường "
        "không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới (ví dụ ld-hoankiem-01); không dùng "
        "họ tên người."
    ),
    "acct.err.exists": "Đã có tài khoản «{username}».",
    "acct.err.unknown": "Không có tài khoản «{username}».",
    "acct.err.office": (
        "Đơn vị của tài khoản phải là tên một cơ quan (từ {min_length} đến {max_length} ký tự, "
        "trên một dòng), không phải họ tên người."
    ),
    "acct.err.role": "Vai trò «{role}» không có; dùng một trong: {allowed}.",
    "acct.err.actor": "Chưa rõ ai thực hiện thay đổi tài khoản.",
    "acct.err.password_short": "Mật khẩu phải có ít nhất {min_length} ký tự (mật khẩu đã nhập có {length}).",
    "acct.err.password_long": "Mật khẩu dài quá {max_length} ký tự.",
    "acct.err.password_username": "Mật khẩu không được trùng với tên đăng nhập.",
    "acct.err.password_mismatch": "Hai lần nhập mật khẩu không khớp nhau.",
    "acct.err.units_needed": "Cán bộ địa bàn cần ít nhất một quận, huyện cũ hoặc phường, xã.",
    "acct.err.units_not_allowed": (
        "Vai trò «{role}» làm việc trên toàn thành phố: không gán quận, huyện hay phường, xã."
    ),
    "acct.err.unknown_districts": "Không có quận, huyện cũ mã: {codes}.",
    "acct.err.unknown_wards": "Không có phường, xã mã: {codes}.",
    "acct.err.already_disabled": "Tài khoản «{username}» đã bị vô hiệu hóa.",
    "acct.err.already_enabled": "Tài khoản «{username}» đang hoạt động.",
    "acct.err.last_admin": (
        "«{username}» là tài khoản quản trị hệ thống cuối cùng đang hoạt động: tạo hoặc bật một tài "
        "khoản quản trị khác trước."
    ),
    "acct.err.sign_in": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "acct.err.locked": (
        "Tài khoản tạm khóa đến {time} (giờ Hà Nội) vì đăng nhập sai nhiều lần liên tiếp; "
        "thử lại sau thời điểm đó hoặc liên hệ quản trị hệ thống."
    ),
    # audit log (summaries; never a password or its hash)
    "acct.audit.add": "Tạo tài khoản {username} ({role})",
    "acct.audit.disable": "Vô hiệu hóa tài khoản {username}",
    "acct.audit.enable": "Bật lại tài khoản {username}",
    "acct.audit.password": "Đặt lại mật khẩu tài khoản {username}",
    "acct.audit.role": "Đổi vai trò, địa bàn tài khoản {username}: {role}",
    "acct.audit.sign_in": "Đăng nhập {username}",
    "acct.audit.failed_password": "Đăng nhập không thành công: sai mật khẩu ({count}/{max_failures})",
    "acct.audit.failed_unknown": "Đăng nhập không thành công: tên đăng nhập không có",
    "acct.audit.failed_disabled": "Đăng nhập không thành công: tài khoản đã bị vô hiệu hóa",
    "acct.audit.failed_locked": "Đăng nhập không thành công: tài khoản đang tạm khóa",
    "acct.audit.lock_out": "Tạm khóa tài khoản {username} đến {time} sau {count} lần đăng nhập sai",
    "acct.audit.sign_out": "Đăng xuất {username}",
    "acct.audit.sign_out_idle": "Đăng xuất {username} (không thao tác quá {minutes} phút)",
    "acct.unknown_actor": "(chưa đăng nhập)",
    # the command line
    "acct.cli.prompt": "Mật khẩu mới cho «{username}»: ",
    "acct.cli.prompt_again": "Nhập lại mật khẩu: ",
    "acct.cli.added": "Đã tạo tài khoản «{username}» ({role}).",
    "acct.cli.disabled": "Đã vô hiệu hóa tài khoản «{username}».",
    "acct.cli.enabled": "Đã bật lại tài khoản «{username}».",
    "acct.cli.password": "Đã đặt lại mật khẩu tài khoản «{username}».",
    "acct.cli.role": "Tài khoản «{username}»: {role}.",
    "acct.cli.none": "Chưa có tài khoản nào.",
    "acct.cli.state_active": "hoạt động",
    "acct.cli.state_disabled": "vô hiệu hóa",
    "acct.cli.state_locked": "tạm khóa đến {time}",
    "acct.cli.units": "địa bàn: {units}",
}
